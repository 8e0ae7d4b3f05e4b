package main

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/chokepoint-sim/chokepoint/output"
	"github.com/chokepoint-sim/chokepoint/scenarios"
)

// Acceptance 3 of the charts issue: chart on a results folder redraws the
// charts run wrote, byte for byte.
func TestChartRedrawsWhatRunWrote(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "res")
	code, _, stderr := cli(t, "run", "current-policy", "no-controls", "--runs", "200", "--seed", "3", "--quiet", "--out", dir)
	require.Equal(t, 0, code, stderr)
	ran, err := os.ReadDir(filepath.Join(dir, "charts"))
	require.NoError(t, err)
	require.NotEmpty(t, ran)

	again := filepath.Join(t.TempDir(), "again")
	code, stdout, stderr := cli(t, "chart", dir, "--out", again)
	require.Equal(t, 0, code, stderr)
	assert.Contains(t, stdout, "wrote ")
	for _, f := range ran {
		a, _ := os.ReadFile(filepath.Join(dir, "charts", f.Name()))
		b, err := os.ReadFile(filepath.Join(again, f.Name()))
		if assert.NoError(t, err, "%s not redrawn", f.Name()) {
			assert.True(t, bytes.Equal(a, b), "%s differs when redrawn from the folder", f.Name())
		}
	}
	// Two scenarios: a fan chart of each and a comparison, per output.
	assert.FileExists(t, filepath.Join(again, "compare-compute_stock_h100e.png"))
	assert.FileExists(t, filepath.Join(again, "no-controls-fab_yield.png"))
}

// The same chart, drawn from scenarios run in memory and from the results
// folder of the same batch, is the same SVG file.
func TestChartSVGSameFromMemoryAndFolder(t *testing.T) {
	base := t.TempDir()
	mem, disk, res := filepath.Join(base, "mem"), filepath.Join(base, "disk"), filepath.Join(base, "res")
	args := []string{"--runs", "150", "--seed", "5", "--quiet"}
	code, _, stderr := cli(t, append([]string{"chart", "current-policy", "escalation-2025", "--kind", "fan,compare,diff",
		"--output", "compute_stock_h100e,fab_yield", "--format", "svg", "--out", mem}, args...)...)
	require.Equal(t, 0, code, stderr)
	code, _, stderr = cli(t, append([]string{"compare", "current-policy", "escalation-2025", "--out", res}, args...)...)
	require.Equal(t, 0, code, stderr)
	code, _, stderr = cli(t, "chart", res, "--kind", "fan,compare", "--output", "compute_stock_h100e,fab_yield",
		"--format", "svg", "--out", disk, "--quiet")
	require.Equal(t, 0, code, stderr)
	files, _ := os.ReadDir(disk)
	require.Len(t, files, 2*3) // two outputs: two fans and a comparison each
	for _, f := range files {
		a, err := os.ReadFile(filepath.Join(mem, f.Name()))
		require.NoError(t, err)
		b, _ := os.ReadFile(filepath.Join(disk, f.Name()))
		assert.True(t, bytes.Equal(a, b), "%s differs between memory and folder", f.Name())
		assert.True(t, bytes.HasPrefix(a, []byte("<?xml")), f.Name())
		assert.Contains(t, string(a), "font-family:'Liberation Sans',Arial,", "%s names its fonts with fallbacks", f.Name())
	}
}

// One command from a question to a chart in every format, with its data
// for Datawrapper.
func TestChartFormatsAndWide(t *testing.T) {
	out := t.TempDir()
	code, stdout, stderr := cli(t, "chart", "current-policy", "--runs", "100", "--kind", "fan",
		"--output", "compute_stock_h100e", "--format", "png,svg,pdf", "--width", "6", "--height", "4", "--dpi", "100",
		"--wide", "--out", out)
	require.Equal(t, 0, code, stderr)
	assert.Contains(t, stdout, "wrote 1 chart (4 files)") // png, svg, pdf and the --wide CSV
	files, err := os.ReadDir(out)
	require.NoError(t, err)
	assert.Len(t, files, 4, "the files the message counts are the files written")
	for ext, magic := range map[string]string{".png": "\x89PNG", ".svg": "<?xml", ".pdf": "%PDF-"} {
		b, err := os.ReadFile(filepath.Join(out, "current-policy-compute_stock_h100e"+ext))
		require.NoError(t, err, ext)
		assert.True(t, bytes.HasPrefix(b, []byte(magic)), ext)
	}
	png, _ := os.ReadFile(filepath.Join(out, "current-policy-compute_stock_h100e.png"))
	w := int(png[16])<<24 | int(png[17])<<16 | int(png[18])<<8 | int(png[19]) // IHDR width, RFC 2083 §4.1.1
	assert.Equal(t, 600, w, "6 inches at 100 dpi")

	rows := readCSV(t, filepath.Join(out, "current-policy-compute_stock_h100e.csv"))
	assert.Equal(t, []string{"quarter", "median", "p05", "p25", "p75", "p95"}, rows[0])
	assert.Len(t, rows, 1+64) // a row per quarter, 2020Q1-2035Q4
	assert.Equal(t, "2020 Q1", rows[1][0])
}

// Spaghetti and distribution charts of a run kept with --samples.
func TestChartFromSamples(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "res")
	code, _, stderr := cli(t, "run", "current-policy", "--runs", "60", "--samples", "--no-charts", "--quiet", "--out", dir)
	require.Equal(t, 0, code, stderr)
	out := t.TempDir()
	code, _, stderr = cli(t, "chart", dir, "--kind", "spaghetti,distribution", "--output", "fab_yield",
		"--lines", "12", "--at", "2028Q4", "--wide", "--out", out, "--quiet")
	require.Equal(t, 0, code, stderr)
	assert.FileExists(t, filepath.Join(out, "spaghetti-current-policy-fab_yield.png"))
	assert.FileExists(t, filepath.Join(out, "distribution-fab_yield-2028Q4.png"))
	rows := readCSV(t, filepath.Join(out, "spaghetti-current-policy-fab_yield.csv"))
	assert.Len(t, rows[0], 1+1+12) // quarter, median, 12 runs
}

func TestChartBadInput(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "res")
	code, _, stderr := cli(t, "run", "--runs", "20", "--no-charts", "--quiet", "--out", dir)
	require.Equal(t, 0, code, stderr)
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"--kind", "fann"}, `kind "fann"`},
		{[]string{"--kind", "fann"}, `did you mean "fan"?`},
		{[]string{"--kind", "spaghetti"}, "run with --samples"},
		{[]string{"--kind", "diff"}, "chokepoint compare"},
		{[]string{"--output", "compute_stock"}, `did you mean "compute_stock_h100e"?`},
		{[]string{"--format", "gif"}, `--format: expected png, svg or pdf, found "gif"`},
		{[]string{"--at", "2040Q1", "--kind", "fan"}, "outside"},
		{[]string{"--lines", "51"}, "--lines 51"},
		{[]string{"--dpi", "0"}, "--dpi"},
	} {
		out := t.TempDir()
		code, _, stderr := cli(t, append([]string{"chart", dir, "--out", out}, tc.args...)...)
		assert.Equal(t, 2, code, "%v: %s", tc.args, stderr)
		assert.Contains(t, stderr, tc.want, "%v", tc.args)
		files, _ := os.ReadDir(out)
		assert.Empty(t, files, "%v: wrote charts despite the error", tc.args)
	}
	// A folder that is not a results folder.
	code, _, stderr = cli(t, "chart", t.TempDir())
	assert.Equal(t, 2, code)
	assert.True(t, strings.Contains(stderr, "not a results folder"), stderr)
}

// Acceptance 3 of issue 16: compare writes SVG and PDF when asked, an SVG
// stays under 200 KB (fonts named, not embedded), and chart DIR --from
// --to draws only that span: its quarters in the wide table, its years on
// the time axis.
func TestCompareFormatsAndChartSpan(t *testing.T) {
	res := filepath.Join(t.TempDir(), "res")
	code, _, stderr := cli(t, "compare", "current-policy", "no-controls", "--runs", "100", "--seed", "2", "--quiet",
		"--format", "svg,pdf", "--width", "10", "--out", res)
	require.Equal(t, 0, code, stderr)
	svg, err := os.ReadFile(filepath.Join(res, "charts", "compare-compute_stock_h100e.svg"))
	require.NoError(t, err)
	assert.Less(t, len(svg), 200_000, "a real chart's SVG") // issue 16: each SVG was 1.1 MB with whole fonts
	assert.Contains(t, string(svg), `<svg width="720pt"`, "--width 10 (inches, 72 points each)")
	assert.FileExists(t, filepath.Join(res, "charts", "diff-no-controls-vs-current-policy-compute_stock_h100e.pdf"))
	assert.NoFileExists(t, filepath.Join(res, "charts", "compare-compute_stock_h100e.png"), "--format svg,pdf: no PNG")

	out := filepath.Join(t.TempDir(), "span")
	code, _, stderr = cli(t, "chart", res, "--from", "2022Q1", "--to", "2030Q4", "--kind", "fan,compare",
		"--output", "compute_stock_h100e", "--format", "svg", "--wide", "--out", out, "--quiet")
	require.Equal(t, 0, code, stderr)
	wide, err := os.ReadFile(filepath.Join(out, "current-policy-compute_stock_h100e.csv"))
	require.NoError(t, err)
	rows := strings.Split(strings.TrimSpace(string(wide)), "\n")
	require.Len(t, rows, 1+9*4, "a header and 2022Q1-2030Q4: nine years of four quarters")
	assert.True(t, strings.HasPrefix(rows[1], "2022 Q1,"), rows[1])
	assert.True(t, strings.HasPrefix(rows[len(rows)-1], "2030 Q4,"), rows[len(rows)-1])
	drawn, err := os.ReadFile(filepath.Join(out, "compare-compute_stock_h100e.svg"))
	require.NoError(t, err)
	assert.Contains(t, string(drawn), ">2022</text>")
	assert.NotContains(t, string(drawn), ">2020</text>", "no year before --from on the axis")
	assert.NotContains(t, string(drawn), ">2035</text>", "no year after --to on the axis")

	code, _, stderr = cli(t, "chart", res, "--from", "2019Q1", "--out", out, "--quiet")
	assert.Equal(t, 2, code)
	assert.Contains(t, stderr, "--from 2019Q1 --to 2035Q4: outside the results' span 2020Q1-2035Q4")
}

// --events chooses the policy dates marked, and each label says whose rule
// it is.
func TestChartEvents(t *testing.T) {
	res := filepath.Join(t.TempDir(), "res")
	code, _, stderr := cli(t, "run", "current-policy", "--runs", "50", "--seed", "2", "--quiet", "--no-charts", "--out", res)
	require.Equal(t, 0, code, stderr)
	draw := func(events string) string {
		out := filepath.Join(t.TempDir(), "c")
		code, _, stderr := cli(t, "chart", res, "--kind", "fan", "--output", "compute_stock_h100e", "--format", "svg",
			"--events", events, "--out", out, "--quiet")
		require.Equal(t, 0, code, stderr)
		b, err := os.ReadFile(filepath.Join(out, "current-policy-compute_stock_h100e.svg"))
		require.NoError(t, err)
		return string(b)
	}
	marks := func(svg string) int { return strings.Count(svg, "stroke-dasharray") }
	assert.Equal(t, 0, marks(draw("none")))
	chosen := draw("hbm-ban,domestic-chip-rule")
	assert.Equal(t, 2, marks(chosen))
	assert.Contains(t, chosen, ">US: HBM ban</text>")
	assert.Contains(t, chosen, ">China: domestic-chip rule</text>")
	// 4: maxMarks in output/events.go; current policy has more dates than that.
	assert.Equal(t, 4, marks(draw("")))
	assert.Greater(t, marks(draw("all")), 10, "every dated event of current policy")

	code, _, stderr = cli(t, "chart", res, "--events", "hbm-bna", "--out", filepath.Join(t.TempDir(), "x"))
	assert.Equal(t, 2, code)
	assert.Contains(t, stderr, `--events hbm-bna: no event of these scenarios has that id (did you mean "hbm-ban"?)`)

	// Issue 16: the model's milestone (models' registry) marks the
	// charts of the outputs it turns, from the folder's events.json,
	// and --events takes its id.
	domestic := func(events string) string {
		out := filepath.Join(t.TempDir(), "c")
		code, _, stderr := cli(t, "chart", res, "--kind", "fan", "--output", "domestic_output_h100e,compute_stock_h100e",
			"--format", "svg", "--events", events, "--out", out, "--quiet")
		require.Equal(t, 0, code, stderr)
		b, err := os.ReadFile(filepath.Join(out, "current-policy-domestic_output_h100e.svg"))
		require.NoError(t, err)
		return string(b)
	}
	const bank = ">China: 910C built from banked TSMC dies</text>"
	assert.Contains(t, domestic(""), bank, "by default, beside the policy dates")
	assert.Equal(t, 4+1, marks(domestic("")), "the most important four policy dates and the milestone")
	assert.NotContains(t, draw(""), bank, "the compute stock's chart: not an output the milestone turns")
	only := domestic("die-bank-910c")
	assert.Equal(t, 1, marks(only))
	assert.Contains(t, only, bank)
	assert.NotContains(t, domestic("none"), bank)
	// Scenarios run now: --events is checked before the run, and knows it.
	out := filepath.Join(t.TempDir(), "now")
	code, _, stderr = cli(t, "chart", "no-controls", "--runs", "30", "--kind", "fan", "--output", "domestic_output_h100e",
		"--format", "svg", "--events", "die-bank-910c", "--out", out, "--quiet")
	require.Equal(t, 0, code, stderr)
	b, err := os.ReadFile(filepath.Join(out, "no-controls-domestic_output_h100e.svg"))
	require.NoError(t, err)
	assert.Contains(t, string(b), bank)
}

// Every built-in scenario has a fixed colour of its own on charts
// (output.BuiltinColor), so that none falls back to one hashed from its
// name and a new built-in is not forgotten.
func TestBuiltinScenarioColours(t *testing.T) {
	seen := map[string]string{}
	for _, name := range scenarios.Names() {
		c, ok := output.BuiltinColor(name)
		require.True(t, ok, "%s has no colour in output/colors.go", name)
		hex := fmt.Sprintf("%02X%02X%02X", c.R, c.G, c.B)
		assert.Empty(t, seen[hex], "%s has the colour of %s", name, seen[hex])
		seen[hex] = name
	}
}

// --events of run, compare and report is checked before any run: an id no
// event of the scenarios has is refused with a suggestion, exit 2, nothing
// written.
func TestEventsCheckedBeforeRunning(t *testing.T) {
	for _, verb := range [][]string{{"run"}, {"compare", "current-policy", "no-controls"}, {"report"}} {
		out := filepath.Join(t.TempDir(), "out")
		if verb[0] == "report" {
			out += ".html"
		}
		args := append(append([]string{}, verb...), "--runs", "20", "--events", "hbm-bna", "--out", out)
		code, _, stderr := cli(t, args...)
		assert.Equal(t, 2, code, "%v: %s", verb, stderr)
		assert.Contains(t, stderr, `--events hbm-bna: no event of these scenarios has that id (did you mean "hbm-ban"?)`, "%v", verb)
		assert.NoFileExists(t, out, "%v", verb)
		assert.NoDirExists(t, out, "%v", verb)
	}
}
