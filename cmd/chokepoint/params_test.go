package main

import (
	"context"
	"fmt"
	"math"
	"os"
	"sort"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/chokepoint-sim/chokepoint/scenarios"
	"github.com/chokepoint-sim/chokepoint/sim"
	"github.com/chokepoint-sim/chokepoint/sim/sensitivity"
)

// param_effects.csv is what a fresh batch of the default scenario gives:
// the same runs, seed and quarter `params KEY` names, the same PRCC that
// `chokepoint sensitivity` computes. A model change that moves a listed
// correlation by more than effectsTol, or lifts an unlisted output above
// the listed ones by as much, fails here until -update rewrites the file.
func TestParamEffectsTable(t *testing.T) {
	fresh := freshEffects(t)
	if *update {
		require.NoError(t, os.WriteFile("param_effects.csv", []byte(effectsTable(fresh)), 0o644))
		return
	}
	const effectsTol = 0.05 // PRCC differences below this do not change what a reader takes away
	stored := paramEffects()
	keys := func(m map[string][]effect) []string {
		var ks []string
		for k := range m {
			ks = append(ks, k)
		}
		sort.Strings(ks)
		return ks
	}
	stale := "param_effects.csv is out of date: go test ./cmd/chokepoint -run TestParamEffectsTable -update"
	require.Equal(t, keys(fresh), keys(stored), stale)
	for p, eff := range fresh {
		now := map[string]float64{}
		for _, e := range eff {
			now[e.output] = e.prcc
		}
		listed, least := map[string]bool{}, math.Inf(1)
		for _, e := range stored[p] {
			listed[e.output] = true
			least = math.Min(least, math.Abs(e.prcc))
			assert.InDelta(t, e.prcc, now[e.output], effectsTol, "%s → %s: %s", p, e.output, stale)
		}
		for _, e := range eff {
			if !listed[e.output] {
				assert.LessOrEqual(t, math.Abs(e.prcc), least+effectsTol, "%s → %s unlisted: %s", p, e.output, stale)
			}
		}
	}
}

// freshEffects runs the default scenario and returns each uncertain
// parameter's partial rank correlation with every output at movesAt,
// largest in size first.
func freshEffects(t *testing.T) map[string][]effect {
	sc, err := (&scenarios.Loader{Registry: registry()}).Load(scenarios.Default)
	require.NoError(t, err)
	params, err := (&sensitivity.Analysis{Model: theModel, Scenario: sc}).Uncertain()
	require.NoError(t, err)
	at, err := sim.ParsePeriod(movesAt)
	require.NoError(t, err)
	b := &sim.Batch{Model: theModel, Scenarios: []*sim.Scenario{sc}, Span: sc.Span, Runs: movesRuns, Seed: movesSeed}
	res, err := b.Run(context.Background())
	require.NoError(t, err)
	require.True(t, res.Exact)

	sr := res.Scenarios[0]
	P, C, T, n := len(res.Registry.Params), res.Cells(), res.Span.Len(), res.N()
	x := make([][]float64, n)
	for r := range x {
		for _, q := range params {
			x[r] = append(x[r], sr.Params[r*P+q])
		}
	}
	out := map[string][]effect{}
	y := make([]float64, n)
	for o, op := range res.Registry.Outputs {
		for r := range y {
			y[r] = sr.Values[r*C+o*T+sc.Span.Index(at)]
		}
		coef, _ := sensitivity.PRCC(x, y)
		for j, q := range params {
			if !math.IsNaN(coef[j]) {
				k := res.Registry.Params[q].Key
				out[k] = append(out[k], effect{op.Key, coef[j]})
			}
		}
	}
	for _, eff := range out {
		sort.SliceStable(eff, func(a, b int) bool { return math.Abs(eff[a].prcc) > math.Abs(eff[b].prcc) })
	}
	return out
}

// effectsTable writes each parameter's movesTop largest effects, in the
// registry's order.
func effectsTable(eff map[string][]effect) string {
	var b strings.Builder
	b.WriteString("parameter,output,prcc\n")
	for _, k := range registry().ParamKeys() {
		for _, e := range eff[k][:min(movesTop, len(eff[k]))] {
			fmt.Fprintf(&b, "%s,%s,%s\n", k, e.output, strconv.FormatFloat(math.Round(100*e.prcc)/100+0, 'f', 2, 64))
		}
	}
	return b.String()
}

// Acceptance (issue 16): `params fab.yield_ceiling` gives the entry in
// full, its default as a 90% range with its form, and what it moves.
func TestParamsKey(t *testing.T) {
	code, stdout, stderr := cli(t, "params", "fab.yield_ceiling")
	require.Equal(t, 0, code, stderr)
	flat := strings.Join(strings.Fields(stdout), " ") // the text, unwrapped
	for _, s := range []string{
		"fab.yield_ceiling: Yield ceiling (parameter, Fabs)\n",
		"meaning     the yield the learning curve approaches\n",
		"unit        fraction\n",
		"bounds      0 to 1",
		// "0.55 to 0.8" is a 90% interval, lognormal since both ends are
		// > 0; its median is sqrt(0.55·0.8) = 0.663.
		"default     0.55 to 0.8 (90% range: 5th to 95th percentile), median 0.663\n",
		"form        lognormal (median 0.6633",
		"source      Huawei's stated 910C yield target 0.6 (FT 2025-02)",
		// The ceiling is what the yield output approaches: it must lead.
		"moves most  fab_yield +0.",
	} {
		assert.Contains(t, stdout, s)
	}
	assert.Contains(t, flat, "under current-policy, 1000 runs, seed 1")

	// A default written by its parameters reads as a range first:
	// exp(2.0794 ∓ 1.6449·0.263) = 5.19 and 12.3.
	code, stdout, stderr = cli(t, "params", "efficiency.halving_months")
	require.Equal(t, 0, code, stderr)
	assert.Contains(t, stdout, "default     5.19 to 12.3 (90% range")
	assert.Contains(t, stdout, "form        lognormal (median 8, sd of the log 0.263)")
	assert.Equal(t, 1, strings.Count(stdout, "mu = 2.0794"), "the raw table only as written:\n%s", stdout)

	// A lever in full.
	code, stdout, stderr = cli(t, "params", "export.tpp_threshold")
	require.Equal(t, 0, code, stderr)
	assert.Contains(t, stdout, "export.tpp_threshold: Licence threshold (lever, US chip rules)\n")
	assert.Contains(t, stdout, "BIS rules of 2022-10-07")
}

// An unknown key: one line naming the close ones, exit 2, nothing on
// stdout.
func TestParamsUnknownKey(t *testing.T) {
	code, stdout, stderr := cli(t, "params", "fab.yeild_ceiling")
	assert.Equal(t, 2, code)
	assert.Empty(t, stdout)
	assert.Equal(t, "chokepoint: params: unknown parameter or lever \"fab.yeild_ceiling\" (did you mean \"fab.yield_ceiling\"?)\n", stderr)

	code, _, stderr = cli(t, "params", "yield")
	assert.Equal(t, 2, code)
	assert.Contains(t, stderr, `"fab.yield_ceiling"`)
	assert.Equal(t, 1, strings.Count(stderr, "\n"), stderr)

	code, _, stderr = cli(t, "params", "zzzz")
	assert.Equal(t, 2, code)
	assert.Contains(t, stderr, "'chokepoint params' lists them all")
}

// `outputs` lists every output and derived output with its unit.
func TestOutputsLists(t *testing.T) {
	code, stdout, stderr := cli(t, "outputs")
	require.Equal(t, 0, code, stderr)
	lines := strings.Split(stdout, "\n")
	reg := registry()
	for _, o := range append(append([]sim.Output{}, reg.Outputs...), reg.Derived...) {
		found := false
		for _, ln := range lines {
			f := strings.Fields(ln)
			if len(f) >= 2 && f[0] == o.Key {
				found = true
				assert.True(t, strings.HasPrefix(strings.Join(f[1:], " "), strings.Fields(o.Unit)[0]), "%s: %s", o.Key, ln)
			}
		}
		assert.True(t, found, "output %s not listed", o.Key)
	}
	assert.Contains(t, strings.Join(strings.Fields(stdout), " "), "(cumulative of ")
}

// Every table and entry the reference verbs print fits a 100-column
// terminal, and no word is lost to the wrapping.
func TestReferenceFits100Columns(t *testing.T) {
	reg := registry()
	cmds := [][]string{{"params"}, {"outputs"}, {"scenarios"}}
	for _, k := range append(reg.ParamKeys(), reg.LeverKeys()...) {
		cmds = append(cmds, []string{"params", k})
	}
	for _, n := range scenarios.Names() {
		cmds = append(cmds, []string{"scenarios", "explain", n})
	}
	for _, args := range cmds {
		code, stdout, stderr := cli(t, args...)
		require.Equal(t, 0, code, "%v: %s", args, stderr)
		for i, ln := range strings.Split(stdout, "\n") {
			assert.LessOrEqual(t, utf8.RuneCountInString(ln), termWidth, "%v line %d: %s", args, i+1, ln)
		}
	}
	// Every word of every description comes out whole in the listing,
	// unless it is wider than the column.
	_, stdout, _ := cli(t, "params")
	words := map[string]bool{}
	for _, w := range strings.Fields(stdout) {
		words[w] = true
	}
	for _, p := range reg.Params {
		for _, w := range strings.Fields(p.Description) {
			assert.True(t, words[w] || utf8.RuneCountInString(w) > minLast, "%s: %q cut", p.Key, w)
		}
		assert.True(t, words[p.Key], "%s cut", p.Key)
	}
	// Every uncertain parameter has its effects measured.
	for _, p := range reg.Params {
		if lo, hi := p.Dist().Support(); lo == hi {
			continue
		}
		_, stdout, _ := cli(t, "params", p.Key)
		assert.NotContains(t, stdout, "not measured", p.Key)
	}
}

func TestWrapText(t *testing.T) {
	assert.Equal(t, []string{"a bb", "ccc"}, wrapText("a bb ccc", 4))
	assert.Equal(t, []string{"abcd", "ef g"}, wrapText("abcdef g", 4)) // a word longer than the width is cut
	assert.Equal(t, []string{""}, wrapText("", 4))
	assert.Equal(t, []string{"é é", "é"}, wrapText("é é é", 3)) // characters, not bytes
}

// A long line wraps under itself, indented; a short one is left alone.
func TestWrapLines(t *testing.T) {
	long := "  from 2025Q1: " + strings.Repeat("word ", 30) + "[source]"
	got := wrapLines("head\n" + long + "\n")
	lines := strings.Split(strings.TrimSuffix(got, "\n"), "\n")
	require.Len(t, lines, 3) // 2 + 13 + 150 + 8 characters over lines of at most 100
	assert.Equal(t, "head", lines[0])
	assert.True(t, strings.HasPrefix(lines[1], "  from 2025Q1: word"), lines[1])
	assert.True(t, strings.HasPrefix(lines[2], "      word"), lines[2])
	assert.Equal(t, strings.Join(strings.Fields(long), " "), strings.Join(strings.Fields(strings.Join(lines[1:], " ")), " "))
}
