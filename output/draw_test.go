package output

import (
	"bytes"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/chokepoint-sim/chokepoint/output/chart"
	"github.com/chokepoint-sim/chokepoint/sim"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var testTime = time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)

// testOutputs are outputs like the model's headline ones: two on a log
// scale, a share, a flow and months.
var testOutputs = []sim.Output{
	{Key: "compute_stock_h100e", Unit: "H100e", Log: true, Description: "China's installed AI compute, training basis"},
	{Key: "domestic_output_h100e", Unit: "H100e/quarter", Log: true, Description: "domestic accelerators made per quarter"},
	{Key: "fab_yield", Unit: "fraction", Description: "yield of domestic AI dies"},
	{Key: "self_sufficiency", Unit: "fraction", Description: "domestic share of compute additions"},
	{Key: "frontier_gap_months", Unit: "months", Description: "months behind the US frontier"},
}

// testEvent makes an event of a scenario.
func testEvent(id string, p sim.Period, note string) sim.Event {
	return sim.Event{ID: id, Effective: p, Announced: p, Probability: 1, Note: note}
}

// testResult returns a three-scenario batch of runs runs over 2020Q1-2035Q4
// whose values are lognormal random walks, seeded, with the scenarios
// sharing each run's draws as a real batch does.
func testResult(runs int) *sim.Result {
	reg := sim.NewRegistry(nil, nil, testOutputs)
	span := sim.Span{Start: sim.NewPeriod(2020, 1), End: sim.NewPeriod(2035, 4)}
	T := span.Len()
	C := len(testOutputs) * T
	oct22, oct23, dec24 := sim.NewPeriod(2022, 4), sim.NewPeriod(2023, 4), sim.NewPeriod(2024, 4)
	scs := []*sim.Scenario{
		{Name: "current-policy", Title: "Current policy", Events: []sim.Event{
			testEvent("oct-2022-tpp", oct22, "Advanced computing rule: chips with TPP >= 4,800 need a licence"),
			testEvent("oct-2022-io", oct22, "The 2022 rule's interconnect test"),
			testEvent("oct-2023-density", oct23, "Density rule: PD >= 5.92 needs a licence"),
			testEvent("hbm-ban", dec24, "HBM controlled; the rule leaked six months early"),
		}},
		{Name: "no-controls", Title: "No controls after September 2022"},
		{Name: "escalation-2025", Title: "The 2025 escalation package", Events: []sim.Event{
			testEvent("oct-2022-tpp", oct22, "Advanced computing rule: chips with TPP >= 4,800 need a licence"),
			testEvent("smic-cutoff", sim.NewPeriod(2025, 3), "A full SMIC cut-off"),
		}},
	}
	res := &sim.Result{Registry: reg, Span: span, Seed: 7, Runs: runs, Hi: runs, Exact: true}
	effect := []float64{1, 1.8, 0.6}
	for s, sc := range scs {
		sr := &sim.ScenarioResult{Scenario: sc, Values: make([]float64, runs*C)}
		for r := range runs {
			rnd := rand.New(rand.NewPCG(7, uint64(r))) // the same draws in every scenario
			for o, out := range testOutputs {
				z := 0.0
				for t := range T {
					z += rnd.NormFloat64() * 0.06
					f := float64(t) / float64(T-1)
					var v float64
					switch {
					case out.Log:
						v = 2e5 * math.Exp(3.2*f+z) * math.Pow(effect[s], f)
					case out.Unit == "fraction":
						v = 1 / (1 + math.Exp(-(4*f-2+z)*effect[s]))
					default:
						v = 12 + 10*f*effect[s] + 8*z
					}
					sr.Values[r*C+o*T+t] = v
				}
			}
		}
		res.Scenarios = append(res.Scenarios, sr)
	}
	return res
}

// testData returns the three-scenario comparison, in memory, with
// samples.
func testData(runs int) *ResultsData {
	res := testResult(runs)
	return FromResult("0.1.0", res, res.Summaries(0), res.PairedDiffs(0, 0)).WithSamples(res)
}

// comparisonSpec asks for every chart of a three-scenario comparison:
// fans per scenario and output, comparisons, differences, spaghetti and
// distributions.
var comparisonSpec = ChartSpec{Kinds: []string{KindFan, KindCompare, KindDiff, KindSpaghetti, KindDistribution}}

// Acceptance 5: drawing every chart of a three-scenario comparison takes
// under 2 seconds: go test ./output -bench DrawComparison -benchtime 3x
func BenchmarkDrawComparison(b *testing.B) {
	data := testData(1000)
	dir := b.TempDir()
	charts, err := Charts(comparisonSpec, data)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportMetric(float64(len(charts)), "charts")
	// CPU time as well as wall time: on a shared machine the wall time
	// says more about the neighbours than about the code. With the
	// machine to itself, wall ≈ CPU ÷ cores.
	cpu0 := cpuTime()
	n := 0
	for b.Loop() {
		if err := DrawCharts(dir, comparisonSpec, data); err != nil {
			b.Fatal(err)
		}
		n++
	}
	b.ReportMetric((cpuTime()-cpu0).Seconds()/float64(n), "cpu-s/op")
}

// cpuTime is the CPU time the process has used, user and system.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

func TestChartsOfComparison(t *testing.T) {
	data := testData(200)
	charts, err := Charts(comparisonSpec, data)
	require.NoError(t, err)
	// 5 outputs: 3 fans, 1 comparison, 2 differences, 3 spaghetti and
	// 1 distribution each.
	assert.Len(t, charts, 5*(3+1+2+3+1), "%d charts, want 50", len(charts))
	seen := map[string]bool{}
	for _, c := range charts {
		assert.False(t, seen[c.Name], "two charts named %s", c.Name)
		seen[c.Name] = true
	}
	for _, name := range []string{"current-policy-compute_stock_h100e", "compare-fab_yield",
		"diff-no-controls-vs-current-policy-frontier_gap_months", "spaghetti-escalation-2025-self_sufficiency",
		"distribution-compute_stock_h100e-2030Q4"} {
		assert.False(t, !seen[name], "no chart %s", name)
	}
}

// Acceptance 3, in the package: a results folder written from a batch
// and read back draws the same SVG files, byte for byte, as the batch in
// memory.
func TestRedrawFromFolderIsByteIdentical(t *testing.T) {
	res := testResult(100)
	sums, diffs := res.Summaries(0), res.PairedDiffs(0, 0)
	dir := t.TempDir()
	write := func(name string, f func(w *bytes.Buffer) error) {
		var buf bytes.Buffer
		require.NoError(t, f(&buf))
		require.NoError(t, os.WriteFile(filepath.Join(dir, name), buf.Bytes(), 0o644))
	}
	write("summary.csv", func(w *bytes.Buffer) error { return WriteSummary(w, res.Registry, res.Span, sums) })
	write("diff.csv", func(w *bytes.Buffer) error { return WriteDiff(w, res.Registry, res.Span, diffs) })
	write("samples.csv", func(w *bytes.Buffer) error { return WriteSamples(w, res) })
	require.NoError(t, WriteEvents(filepath.Join(dir, EventsName), res))
	require.NoError(t, WriteJSON(filepath.Join(dir, ManifestName), NewManifest("0.1.0", res, "mc", testTime, testTime)))

	spec := comparisonSpec
	spec.Formats = []string{"svg"}
	spec.Wide = true
	mem, disk := filepath.Join(dir, "mem"), filepath.Join(dir, "disk")
	require.NoError(t, DrawCharts(mem, spec, FromResult("0.1.0", res, sums, diffs).WithSamples(res)))
	back, err := ReadResults(dir, res.Registry)
	require.NoError(t, err)
	require.NoError(t, DrawCharts(disk, spec, back))
	files, _ := os.ReadDir(mem)
	assert.Len(t, files, 2*50, "%d files, want 100", len(files)) // 50 charts, each .svg and .csv
	for _, f := range files {
		a, _ := os.ReadFile(filepath.Join(mem, f.Name()))
		b, err := os.ReadFile(filepath.Join(disk, f.Name()))
		if !assert.NoError(t, err, "%s: not redrawn", f.Name()) {
			continue
		}
		assert.Equal(t, b, a, "%s differs when redrawn from the folder", f.Name())
	}
}

// eventLabels returns the labels of the events a chart marks.
func eventLabels(c NamedChart) string {
	var evs []chart.Event
	switch c := c.Chart.(type) {
	case *chart.Fan:
		evs = c.Events
	case *chart.Compare:
		evs = c.Events
	case *chart.Diff:
		evs = c.Events
	case *chart.Spaghetti:
		evs = c.Events
	}
	var ls []string
	for _, e := range evs {
		ls = append(ls, e.Label)
	}
	return strings.Join(ls, "|")
}

// A fan chart marks the scenario's events; a comparison and a difference
// mark those that set the scenarios apart.
func TestEventMarks(t *testing.T) {
	data := testData(20)
	charts, err := Charts(ChartSpec{Kinds: []string{KindFan, KindCompare, KindDiff}, Outputs: []string{"compute_stock_h100e"}}, data)
	require.NoError(t, err)
	want := map[string]string{
		// Two events in 2022Q4 share a line, labelled by the first.
		"current-policy-compute_stock_h100e": "Advanced computing rule|Density rule|HBM controlled",
		"no-controls-compute_stock_h100e":    "",
		// Every event of current-policy is missing from no-controls.
		"compare-compute_stock_h100e": "Advanced computing rule|Density rule|HBM controlled|SMIC cutoff",
		// escalation-2025 shares the 2022 rule with current-policy.
		"diff-escalation-2025-vs-current-policy-compute_stock_h100e": "Oct 2022 I/O|Density rule|HBM controlled|SMIC cutoff",
	}
	for _, c := range charts {
		if w, ok := want[c.Name]; ok {
			got := eventLabels(c)
			assert.Equal(t, w, got, "%s marks %q, want %q", c.Name, got, w)
		}
	}
}

// Issue 16: the diff chart of an output on a log scale is always the
// ratio, run by run, with or without every run's values (samples.csv),
// and its wide table says which it holds; other outputs stay differences.
func TestDiffChartRatioWithoutSamples(t *testing.T) {
	res := testResult(60)
	for _, data := range []*ResultsData{
		FromResult("0.1.0", res, res.Summaries(0), res.PairedDiffs(0, 0)),
		FromResult("0.1.0", res, res.Summaries(0), res.PairedDiffs(0, 0)).WithSamples(res),
	} {
		charts, err := Charts(ChartSpec{Kinds: []string{KindDiff}, Outputs: []string{"compute_stock_h100e", "fab_yield"}}, data)
		require.NoError(t, err)
		require.Len(t, charts, 2*2) // two outputs, two differences against the base
		for _, nc := range charts {
			d := nc.Chart.(*chart.Diff)
			log := strings.HasSuffix(nc.Name, "compute_stock_h100e")
			assert.Equal(t, log, d.Ratio, "%s (samples %v)", nc.Name, data.Samples != nil)
			want := "diff_p50"
			if log {
				want = "ratio_p50"
				// testResult draws the same noise in every scenario and
				// multiplies escalation-2025 by 0.6^f (its effect), f = 1 at
				// the last quarter: every run's ratio there is 0.6.
				if strings.Contains(nc.Name, "escalation") {
					assert.InDelta(t, 0.6, d.Band.P50[len(d.Band.P50)-1], 1e-9, nc.Name)
				}
			}
			assert.Equal(t, want, nc.Wide[0][1], nc.Name)
		}
	}
}

// Issue 16: each quarter's value holds at the quarter's end
// (docs/data-format.md), so every chart over time plots it there, and
// marks an event at the start of the quarter it takes effect in: the
// first value a rule of 2022Q4 can move (2022Q4's, at 2023.0) lies after
// its mark (2022.75), never before it. The axis still starts at the
// start of the first quarter (2020.0).
func TestQuartersPlottedAtTheirEnd(t *testing.T) {
	data := testData(20)
	charts, err := Charts(ChartSpec{Kinds: []string{KindFan, KindCompare, KindDiff, KindSpaghetti},
		Outputs: []string{"domestic_output_h100e"}}, data)
	require.NoError(t, err)
	oct22 := sim.NewPeriod(2022, 4)
	kinds := map[string]bool{}
	for _, nc := range charts {
		var xs []float64
		var start float64
		var evs []chart.Event
		switch c := nc.Chart.(type) {
		case *chart.Fan:
			xs, start, evs = c.Band.X, c.Band.Start, c.Events
		case *chart.Compare:
			xs, start, evs = c.Series[0].X, c.Series[0].Start, c.Events
		case *chart.Diff:
			xs, start, evs = c.Band.X, c.Band.Start, c.Events
		case *chart.Spaghetti:
			xs, start, evs = c.X, c.Start, c.Events
		}
		kinds[nc.Kind] = true
		require.Len(t, xs, data.T(), nc.Name)
		assert.Equal(t, 2020.25, xs[0], "%s: 2020Q1 is plotted at its end", nc.Name)
		assert.Equal(t, 2036.0, xs[len(xs)-1], "%s: 2035Q4 is plotted at its end", nc.Name)
		assert.Equal(t, 2020.0, start, "%s: the axis starts where 2020Q1 starts", nc.Name)
		i := data.Span.Index(oct22)
		for _, e := range evs {
			if e.X == oct22.Decimal() {
				assert.Greater(t, xs[i], e.X, "%s: 2022Q4's value is drawn before the mark of its rule", nc.Name)
				assert.Equal(t, e.X, xs[i-1], "%s: the mark of a 2022Q4 rule is where 2022Q3 ends", nc.Name)
			}
		}
	}
	assert.Len(t, kinds, 4, "every kind over time checked: %v", kinds)
}
