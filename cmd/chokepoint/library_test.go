package main

import (
	"io/fs"
	"math"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/chokepoint-sim/chokepoint/models"
	"github.com/chokepoint-sim/chokepoint/scenarios"
)

// The built-in library of docs/MODEL.md, "Parameters, levers and outputs".
var builtinNames = []string{
	"biden-2022", "biden-full", "china-self-reliance", "current-policy", "escalation-2025",
	"full-decoupling", "leaky-enforcement", "no-controls", "relaxation",
}

// `chokepoint scenarios` lists every built-in scenario with its title.
func TestScenariosLists(t *testing.T) {
	require.Equal(t, builtinNames, scenarios.Names())
	code, stdout, stderr := cli(t, "scenarios")
	require.Equal(t, 0, code, stderr)
	lines := strings.Split(strings.TrimSuffix(stdout, "\n"), "\n")
	require.Len(t, lines, len(builtinNames), stdout)
	loader := &scenarios.Loader{Registry: models.Registry}
	for i, n := range builtinNames {
		sc, err := loader.Load(n)
		require.NoError(t, err)
		f := strings.Fields(lines[i])
		require.NotEmpty(t, f)
		assert.Equal(t, n, f[0])
		assert.Equal(t, sc.Title, strings.TrimSpace(strings.TrimPrefix(lines[i], n)))
	}
}

func TestScenariosShow(t *testing.T) {
	code, stdout, stderr := cli(t, "scenarios", "show", "relaxation")
	require.Equal(t, 0, code, stderr)
	want, err := fs.ReadFile(scenarios.Builtin(), "relaxation.toml")
	require.NoError(t, err)
	assert.Equal(t, string(want), stdout)
}

// Acceptance: `scenarios explain escalation-2025` names the levers it
// changes in plain words, with the date, chance and source of each step.
func TestScenariosExplainEscalation(t *testing.T) {
	code, stdout, stderr := cli(t, "scenarios", "explain", "escalation-2025")
	require.Equal(t, 0, code, stderr)
	assert.Empty(t, stderr)
	stdout = unwrapLines(t, stdout)
	assert.True(t, strings.HasPrefix(stdout, "escalation-2025 extends current-policy (Current policy). It changes:\n"), stdout)
	for _, s := range []string{
		"allied equipment alignment (sme.allied_alignment) goes from 0.72 to 1", // 0.72 after the Dutch metrology step of 2025-04
		"the ban on servicing chip-making tools (sme.servicing_ban)",
		"the full cut-off of SMIC (entity.smic_cutoff) goes from off to on",
		"the entity listing of CXMT (entity.cxmt_listed) goes from off to on",
		"the chip-power limit above which a licence is needed (export.tpp_threshold) goes from 4800 TPP to 1600 TPP",
		"the list of chips allowed whatever the limits (export.exceptions) stays none, where current-policy goes to H20, H200",
		`(replaces current-policy's event "h200-approved")`,
		"the AI Diffusion Framework's Tier-2 cap regime (enforcement.tier2_caps) goes from off to on",
		"the share of blocked demand smuggled in (enforcement.leakage) goes from 0.36 to 0.2", // 0.36 after Malaysia's permits of 2025-07
		"from 2026Q1 (announced 2025Q3), with probability 60%, delayed 0 to 4 quarters: allied equipment alignment",
	} {
		assert.Contains(t, stdout, s)
	}
	// Lines come in date order.
	var last string
	for _, ln := range strings.Split(strings.TrimSpace(stdout), "\n")[1:] {
		ln = strings.TrimSpace(ln)
		if !strings.HasPrefix(ln, "from ") {
			continue
		}
		q := ln[len("from ") : len("from ")+6]
		assert.GreaterOrEqual(t, q, last, ln)
		last = q
	}
}

// Every built-in can be explained, and each dated line carries the note and
// source of the event behind it.
func TestScenariosExplainAll(t *testing.T) {
	for _, n := range builtinNames {
		code, stdout, stderr := cli(t, "scenarios", "explain", n)
		require.Equal(t, 0, code, "%s: %s", n, stderr)
		stdout = unwrapLines(t, stdout)
		lines := strings.Split(strings.TrimSuffix(stdout, "\n"), "\n")
		assert.True(t, strings.HasPrefix(lines[0], n+" extends "), lines[0])
		if n != "no-controls" {
			assert.Contains(t, lines[0], "It changes:", n)
		}
		for _, ln := range lines[1:] {
			if strings.HasPrefix(strings.TrimSpace(ln), "from ") {
				assert.Contains(t, ln, " — ", "%s: %s", n, ln)
				assert.True(t, strings.HasSuffix(ln, "]"), "%s: no source: %s", n, ln)
			}
		}
	}
}

func TestScenariosUnknownName(t *testing.T) {
	for _, args := range [][]string{
		{"scenarios", "explain", "escalation-2024"},
		{"scenarios", "show", "relaxaton"},
	} {
		code, stdout, stderr := cli(t, args...)
		assert.Equal(t, 2, code, stderr)
		assert.Empty(t, stdout)
		assert.Contains(t, stderr, "did you mean")
		assert.Equal(t, 1, strings.Count(stderr, "\n"), stderr)
	}
	code, _, stderr := cli(t, "scenarios", "explain", "escalation-2024")
	assert.Equal(t, 2, code)
	assert.Equal(t, "chokepoint: unknown scenario \"escalation-2024\" (did you mean \"escalation-2025\"?)\n", stderr)

	code, _, stderr = cli(t, "scenarios", "explain")
	assert.Equal(t, 2, code)
	assert.Contains(t, stderr, "'explain NAME'")
}

// Every built-in validates, and a 200-run batch of all of them gives finite
// numbers for every output and quarter; the scenarios differ the way their
// descriptions say.
func TestBuiltinsRun(t *testing.T) {
	code, stdout, stderr := cli(t, append([]string{"validate"}, builtinNames...)...)
	require.Equal(t, 0, code, stderr)
	for _, n := range builtinNames {
		assert.Contains(t, stdout, n+": ok\n")
	}

	dir := filepath.Join(t.TempDir(), "res")
	args := append([]string{"run", "--runs", "200", "--no-charts", "--quiet", "--out", dir}, builtinNames...)
	code, _, stderr = cli(t, args...)
	require.Equal(t, 0, code, stderr)

	rows := readCSV(t, filepath.Join(dir, "summary.csv"))
	col := map[string]int{}
	for i, h := range rows[0] {
		col[h] = i
	}
	median := map[string]float64{} // scenario/output/period → p50
	count := map[string]int{}
	for _, r := range rows[1:] {
		for _, k := range []string{"mean", "sd", "p05", "p50", "p95"} {
			v, err := strconv.ParseFloat(r[col[k]], 64)
			require.NoError(t, err)
			require.False(t, math.IsNaN(v) || math.IsInf(v, 0), "%s %s %s %s = %v",
				r[col["scenario"]], r[col["output"]], r[col["period"]], k, v)
		}
		p50, _ := strconv.ParseFloat(r[col["p50"]], 64)
		median[r[col["scenario"]]+"/"+r[col["output"]]+"/"+r[col["period"]]] = p50
		count[r[col["scenario"]]]++
	}
	for _, n := range builtinNames {
		assert.Equal(t, 64*len(models.Registry.Outputs), count[n], n)
	}

	m := func(sc, out, per string) float64 { return median[sc+"/"+out+"/"+per] }
	// Full decoupling leaves China less compute in 2027 than current policy.
	assert.Less(t, m("full-decoupling", "compute_stock_h100e", "2027Q4"), m("current-policy", "compute_stock_h100e", "2027Q4"))
	assert.Less(t, m("escalation-2025", "compute_stock_h100e", "2027Q4"), m("current-policy", "compute_stock_h100e", "2027Q4"))
	// Leaky enforcement lets more in by smuggling.
	assert.Greater(t, m("leaky-enforcement", "smuggled_h100e", "2024Q4"), m("current-policy", "smuggled_h100e", "2024Q4"))
	// China going it alone is more self-sufficient.
	assert.Greater(t, m("china-self-reliance", "self_sufficiency", "2027Q4"), m("current-policy", "self_sufficiency", "2027Q4"))
	// Relaxation brings more chips in legally.
	assert.Greater(t, m("relaxation", "legal_imports_h100e", "2027Q4"), m("current-policy", "legal_imports_h100e", "2027Q4"))
	// No controls: nothing is blocked, so nothing is smuggled.
	assert.Zero(t, m("no-controls", "smuggled_h100e", "2027Q4"))
}

// unwrapLines checks that no line of text exceeds a 100-column terminal
// and joins each wrapped line's continuations back onto it.
func unwrapLines(t *testing.T, text string) string {
	t.Helper()
	var out []string
	for _, ln := range strings.Split(text, "\n") {
		assert.LessOrEqual(t, utf8.RuneCountInString(ln), termWidth, ln)
		if strings.HasPrefix(ln, "    ") && len(out) > 0 {
			out[len(out)-1] += " " + strings.TrimSpace(ln)
			continue
		}
		out = append(out, ln)
	}
	return strings.Join(out, "\n")
}
