package output

import (
	"bytes"
	"cmp"
	"context"
	"fmt"
	"image/color"
	"io"
	"math"
	"os"
	"runtime"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/chokepoint-sim/chokepoint/output/chart"
	"github.com/chokepoint-sim/chokepoint/sim"
	"github.com/chokepoint-sim/chokepoint/sim/sensitivity"
)

// Chart kinds, as --kind names them.
const (
	KindFan          = "fan"          // one scenario: median, 50% and 90% of runs
	KindCompare      = "compare"      // several scenarios: medians with 90% bands
	KindDiff         = "diff"         // paired difference against the base scenario
	KindSpaghetti    = "spaghetti"    // a handful of single runs
	KindDistribution = "distribution" // histograms at one period, one per scenario
	KindTornado      = "tornado"      // sensitivity: the most influential parameters
	KindImportance   = "importance"   // sensitivity: their importance over time
)

// Kinds lists every chart kind, in the order charts are drawn.
var Kinds = []string{KindFan, KindCompare, KindDiff, KindSpaghetti, KindDistribution, KindTornado, KindImportance}

// DrawOpts say how charts are written, whatever chart they are: every verb
// that draws takes them (--format, --width, --height, --dpi). Zero values
// are defaults.
type DrawOpts struct {
	// Formats are file formats: "png", "svg", "pdf"; none means png.
	Formats []string
	// Width and Height in inches (0: the chart's default), DPI for PNG.
	Width, Height float64
	DPI           int
}

// ChartSpec says which charts to draw and how. Zero values are defaults.
type ChartSpec struct {
	DrawOpts
	// Kinds to draw; none means every kind the data allows.
	Kinds []string
	// Outputs to draw (keys); none means every output of the data.
	Outputs []string
	// From and To limit the quarters drawn (0: the data's first, last).
	From, To sim.Period
	// Events chooses the policy dates marked on charts over time: nil
	// marks the most important few (see chartEvents), "all" every one,
	// "none" none, else the events of these ids.
	Events []string
	// At is the period of distribution and tornado charts; zero means
	// 2030Q4, or the last period when the span ends before it.
	At sim.Period
	// Lines is the number of runs a spaghetti chart draws; 0 means 20.
	Lines int
	// Wide also writes NAME.csv beside each chart: its data, one row per
	// period (per bin, per parameter) and one column per series.
	Wide bool
}

// Defaults of ChartSpec.
const (
	DefaultLines    = 20
	tornadoBars     = 12 // the most parameters a tornado chart shows
	importanceLines = 6  // the most parameters an importance chart follows
)

// DefaultAt is the period distribution and tornado charts show unless
// told otherwise: the end of 2030, a common horizon of policy analysis.
var DefaultAt = sim.NewPeriod(2030, 4)

// NamedChart is one chart ready to draw, with its file name (without
// extension) and its wide table.
type NamedChart struct {
	Name  string
	Kind  string
	Chart chart.Chart
	Wide  [][]string // header first
}

// DrawCharts draws the charts spec asks for from data into dir (created if
// need be): NAME.png (and .svg, .pdf, and NAME.csv for --wide). Charts are
// drawn in parallel; each file depends only on its chart, so the files are
// the same whatever the number of cores. They are written as one set: all
// into a temporary folder beside dir, then moved into dir, each replacing
// the file of the same name, only when every one is written; a failure
// leaves dir as it was. Run, compare, sensitivity and chart all draw
// through here.
func DrawCharts(dir string, spec ChartSpec, data *ResultsData) error {
	return DrawChartsContext(context.Background(), dir, spec, data)
}

// DrawChartsContext is DrawCharts stopped by ctx: once ctx is done no
// chart is begun, and none is written; the error is ctx's.
func DrawChartsContext(ctx context.Context, dir string, spec ChartSpec, data *ResultsData) error {
	formats, err := spec.formats()
	if err != nil {
		return err
	}
	charts, err := Charts(spec, data)
	if err != nil {
		return err
	}
	return spec.drawCharts(ctx, dir, charts, formats)
}

// drawCharts checks, draws and writes charts into dir as DrawCharts does.
func (spec ChartSpec) drawCharts(ctx context.Context, dir string, charts []NamedChart, formats []string) error {
	files, err := spec.check(charts, formats)
	if err != nil {
		return err
	}
	if err := CheckChartDir(dir); err != nil {
		return err
	}
	if err := checkChartFiles(dir, files); err != nil {
		return err
	}
	cd, err := beginCharts(dir)
	if err != nil {
		return err
	}
	if err := spec.drawInto(ctx, cd, charts, formats); err != nil {
		cd.abort()
		return err
	}
	return cd.commit()
}

// rasterBudget is the most pixels of PNG drawn at once, over all cores
// (4 bytes each: 800 MB); charts bigger than a share of it are drawn on
// fewer cores.
const rasterBudget = 2 * chart.MaxPixels

// workers returns how many charts to draw at once: a core each, as far as
// the raster budget allows.
func (spec ChartSpec) workers(charts []NamedChart, formats []string, jobs int) int {
	most := 0.0
	if slices.Contains(formats, "png") {
		for _, nc := range charts {
			w, h := nc.Chart.Size(spec.Width, spec.Height)
			dpi := float64(cmp.Or(spec.DPI, chart.DefaultDPI))
			most = math.Max(most, w*dpi*h*dpi)
		}
	}
	n := min(runtime.GOMAXPROCS(0), jobs)
	if most > 0 {
		n = min(n, max(1, int(rasterBudget/most)))
	}
	return n
}

// drawInto draws every chart in every format, and the wide tables, into
// cd's temporary folder.
func (spec ChartSpec) drawInto(ctx context.Context, cd *chartDir, charts []NamedChart, formats []string) error {
	type job struct{ chart, format int }
	jobs := make(chan job)
	errs := make([]error, len(charts)*len(formats))
	var wg sync.WaitGroup
	for range spec.workers(charts, formats, len(errs)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range jobs {
				if ctx.Err() == nil { // else drain the queue
					errs[j.chart*len(formats)+j.format] = spec.drawOne(cd, charts[j.chart], formats[j.format])
				}
			}
		}()
	}
	for c := range charts {
		for f := range formats {
			jobs <- job{c, f}
		}
	}
	close(jobs)
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return err
	}
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	if spec.Wide {
		for _, nc := range charts {
			if err := writeCSV(cd.path(nc.Name+".csv"), nc.Wide); err != nil {
				return err
			}
		}
	}
	return nil
}

// drawOne draws nc in format f into cd's temporary folder.
func (spec ChartSpec) drawOne(cd *chartDir, nc NamedChart, f string) error {
	var buf bytes.Buffer
	err := nc.Chart.Render(&buf, f, spec.Width, spec.Height, spec.DPI)
	if err == nil {
		err = os.WriteFile(cd.path(nc.Name+"."+f), buf.Bytes(), 0o644)
	}
	if err != nil {
		return fmt.Errorf("chart %s: %w", nc.Name+"."+f, err)
	}
	return nil
}

// check reports a chart that cannot be drawn at spec's size, or whose
// file name is not a plain name, and returns the names of the files the
// charts make.
func (spec ChartSpec) check(charts []NamedChart, formats []string) ([]string, error) {
	var files []string
	for _, nc := range charts {
		exts := formats
		if spec.Wide {
			exts = append(slices.Clip(formats), "csv")
		}
		for _, f := range exts {
			name := nc.Name + "." + f
			if err := checkChartName(name); err != nil {
				return nil, err
			}
			files = append(files, name)
			if f == "csv" {
				continue
			}
			if err := chart.CheckDrawable(nc.Chart, f, spec.Width, spec.Height, spec.DPI); err != nil {
				return nil, fmt.Errorf("%s: %w", name, err)
			}
		}
	}
	return files, nil
}

// writeCSV writes rows to path.
func writeCSV(path string, rows [][]string) error {
	var buf bytes.Buffer
	if err := WriteWide(&buf, rows); err != nil {
		return err
	}
	return os.WriteFile(path, buf.Bytes(), 0o644)
}

// WriteWide writes a chart's wide table as CSV, every cell (headers
// built from scenario names included) through Cell.
func WriteWide(w io.Writer, rows [][]string) error {
	cw := newCSV(w)
	for _, r := range rows {
		if err := cw.Write(r); err != nil {
			return err
		}
	}
	return cw.Flush()
}

// Check reports what in spec does not fit data (a kind it cannot draw, an
// unknown output or format, a period outside the span) before anything
// is drawn.
func (spec ChartSpec) Check(data *ResultsData) error {
	formats, err := spec.formats()
	if err != nil {
		return err
	}
	charts, err := Charts(spec, data)
	if err != nil {
		return err
	}
	_, err = spec.check(charts, formats)
	return err
}

// WriteCharts draws charts into dir (created if need be) in every format
// of o, as one set, as DrawCharts does: the charts of the verbs that draw
// one kind of chart of their own (backtest, calibrate, discover, elicit,
// the regret of compare).
func WriteCharts(dir string, o DrawOpts, charts ...NamedChart) error {
	formats, err := o.formats()
	if err != nil {
		return err
	}
	return ChartSpec{DrawOpts: o}.drawCharts(context.Background(), dir, charts, formats)
}

// formats checks and returns the file formats of o.
func (o DrawOpts) formats() ([]string, error) {
	if len(o.Formats) == 0 {
		return []string{"png"}, nil
	}
	var fs []string
	for _, f := range o.Formats {
		f = strings.ToLower(strings.TrimSpace(f))
		switch f {
		case "png", "svg", "pdf":
		default:
			return nil, fmt.Errorf("format %q: want png, svg or pdf", f)
		}
		if !slices.Contains(fs, f) {
			fs = append(fs, f)
		}
	}
	return fs, nil
}

// supported reports whether data has what a kind needs, and if not, why.
func supported(kind string, data *ResultsData) (bool, string) {
	hasStats := len(data.Scenarios) > 0 && data.Scenarios[0].Stats != nil
	switch kind {
	case KindFan:
		return hasStats, "needs summary.csv"
	case KindCompare:
		return hasStats && len(data.Scenarios) > 1, "needs two or more scenarios"
	case KindDiff:
		return len(data.Diffs) > 0, "needs paired differences (diff.csv, from chokepoint compare)"
	case KindSpaghetti, KindDistribution:
		return data.Samples != nil && len(data.Samples.Runs) > 0, "needs every run's values (samples.csv: run with --samples)"
	case KindTornado, KindImportance:
		return len(data.Sensitivity) > 0, "needs a sensitivity analysis (sensitivity.csv, from chokepoint sensitivity)"
	}
	return false, fmt.Sprintf("unknown kind; want one of %s", strings.Join(Kinds, ", "))
}

// kinds returns the kinds spec asks for, checked against data.
func (spec ChartSpec) kinds(data *ResultsData) ([]string, error) {
	if len(spec.Kinds) == 0 {
		var ks []string
		for _, k := range Kinds {
			if ok, _ := supported(k, data); ok {
				ks = append(ks, k)
			}
		}
		return ks, nil
	}
	var ks []string
	for _, k := range spec.Kinds {
		k = strings.ToLower(strings.TrimSpace(k))
		if ok, why := supported(k, data); !ok {
			msg := fmt.Sprintf("kind %q: %s", k, why)
			if !slices.Contains(Kinds, k) {
				if s := sim.Suggest(k, Kinds); s != "" {
					msg += fmt.Sprintf(" (did you mean %q?)", s)
				}
			}
			return nil, fmt.Errorf("%s", msg)
		}
		if !slices.Contains(ks, k) {
			ks = append(ks, k)
		}
	}
	// Drawn in the order of Kinds, whatever the order asked.
	slices.SortFunc(ks, func(a, b string) int { return slices.Index(Kinds, a) - slices.Index(Kinds, b) })
	return ks, nil
}

// outputs returns the indices of the outputs spec asks for.
func (spec ChartSpec) outputs(data *ResultsData) ([]int, error) {
	if len(spec.Outputs) == 0 {
		idx := make([]int, len(data.Outputs))
		for i := range idx {
			idx[i] = i
		}
		return idx, nil
	}
	keys := make([]string, len(data.Outputs))
	for i, o := range data.Outputs {
		keys[i] = o.Key
	}
	var idx []int
	for _, k := range spec.Outputs {
		o, ok := data.OutputIndex(k)
		if !ok {
			msg := fmt.Sprintf("output %q: not in these results", k)
			if s := sim.Suggest(k, keys); s != "" {
				msg += fmt.Sprintf(" (did you mean %q?)", s)
			}
			return nil, fmt.Errorf("%s", msg)
		}
		idx = append(idx, o)
	}
	return idx, nil
}

// at returns the period of distribution and tornado charts.
func (spec ChartSpec) at(data *ResultsData) (sim.Period, error) {
	at := spec.At
	if at == 0 {
		at = min(max(DefaultAt, data.Span.Start), data.Span.End)
		return at, nil
	}
	if at < data.Span.Start || at > data.Span.End {
		return 0, fmt.Errorf("--at %s is outside the results' span %s-%s", at, data.Span.Start, data.Span.End)
	}
	return at, nil
}

// Charts builds the charts spec asks for from data, in a fixed order:
// by kind (as in Kinds), then output, then scenario.
func Charts(spec ChartSpec, data *ResultsData) ([]NamedChart, error) {
	data, err := data.Window(spec.From, spec.To)
	if err != nil {
		return nil, err
	}
	kinds, err := spec.kinds(data)
	if err != nil {
		return nil, err
	}
	outs, err := spec.outputs(data)
	if err != nil {
		return nil, err
	}
	at, err := spec.at(data)
	if err != nil {
		return nil, err
	}
	lines := spec.Lines
	if lines == 0 {
		lines = DefaultLines
	}
	if lines < 1 || lines > chart.MaxSpaghetti {
		return nil, fmt.Errorf("--lines %d: want 1 to %d", lines, chart.MaxSpaghetti)
	}
	if err := checkEventIDs(spec.Events, data); err != nil {
		return nil, err
	}
	d := drawer{data: data, xs: decimals(data.Span), at: at, lines: lines, events: spec.Events}
	var cs []NamedChart
	for _, k := range kinds {
		switch k {
		case KindTornado, KindImportance:
			cs = append(cs, d.sensitivity(k, outs)...)
			continue
		}
		for _, o := range outs {
			switch k {
			case KindFan:
				for s := range data.Scenarios {
					cs = append(cs, d.fan(s, o))
				}
			case KindCompare:
				cs = append(cs, d.compare(o))
			case KindDiff:
				for i := range data.Diffs {
					cs = append(cs, d.diff(i, o))
				}
			case KindSpaghetti:
				for s := range data.Scenarios {
					cs = append(cs, d.spaghetti(s, o))
				}
			case KindDistribution:
				cs = append(cs, d.distribution(o))
			}
		}
	}
	return cs, nil
}

// drawer builds charts from one ResultsData.
type drawer struct {
	data   *ResultsData
	xs     []float64
	at     sim.Period
	lines  int
	events []string      // ChartSpec.Events
	colors []color.Color // of the scenarios, once asked
}

// marks returns the event marks of a chart of output o, as the spec
// chooses them.
func (d *drawer) marks(m []EventMark, o int) []chart.Event {
	return chartEvents(m, d.events, d.data.Outputs[o].Key)
}

// start is where a chart's time axis begins: the start of the first
// quarter drawn.
func (d *drawer) start() float64 { return d.data.Span.Start.Decimal() }

// decimals returns where a chart plots each quarter of span: at the
// quarter's end, where its value holds (a stock is measured then, a
// flow per quarter is complete then; docs/data-format.md), so that 2022Q4,
// the first quarter of the October 2022 rules, is drawn at 2023.0, after
// the rules' mark at 2022.75.
func decimals(span sim.Span) []float64 {
	xs := make([]float64, 0, span.Len())
	for _, p := range span.Periods() {
		xs = append(xs, (p + 1).Decimal()) // the start of the next quarter
	}
	return xs
}

// band returns the quantiles of output o over time from stats.
func (d *drawer) band(label string, stats []sim.Stats, o int) chart.Band {
	T := d.data.T()
	b := chart.Band{Scenario: label, X: d.xs, Start: d.start()}
	b.P05, b.P25, b.P50 = make([]float64, T), make([]float64, T), make([]float64, T)
	b.P75, b.P95 = make([]float64, T), make([]float64, T)
	for t := range T {
		st := stats[o*T+t]
		b.P05[t], b.P25[t], b.P50[t], b.P75[t], b.P95[t] = st.P05(), st.P25(), st.P50(), st.P75(), st.P95()
	}
	return b
}

// version returns the tool's version as the source line shows it.
func (d *drawer) version() string {
	v := d.data.Version
	if v != "" && v[0] >= '0' && v[0] <= '9' {
		v = "v" + v
	}
	return "chokepoint " + v
}

// source joins the parts of a source line.
func source(parts ...string) string { return strings.Join(parts, " · ") }

// runs formats the number of runs.
func (d *drawer) runs() string { return thousands(d.data.Runs) + " runs" }

// seed formats the seed.
func (d *drawer) seed() string { return "seed " + strconv.FormatUint(d.data.Seed, 10) }

// thousands writes n with commas between groups of three digits.
func thousands(n int) string {
	s := strconv.Itoa(n)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	if neg {
		s = "-" + s
	}
	return s
}

// unit is an output's unit as a subtitle starts with it.
func unit(o sim.Output) string {
	switch {
	case o.Log:
		return o.Unit + ", log scale"
	case isShare(o.Unit):
		return "share, %"
	}
	return o.Unit
}

// unitWords is unit(o), with words for the powers of ten its axis shows
// when values reach past a quadrillion ("FLOP, log scale (10²⁷ = 1
// octillion)"): tick labels read 10²⁵, 10²⁷, which few readers can say.
func unitWords(o sim.Output, values ...[]float64) string {
	hi := math.Inf(-1)
	for _, vs := range values {
		for _, v := range vs {
			if !math.IsNaN(v) && !math.IsInf(v, 0) {
				hi = math.Max(hi, math.Abs(v))
			}
		}
	}
	if w := chart.PowerWords(hi); o.Log && w != "" {
		return unit(o) + " (" + w + ")"
	}
	return unit(o)
}

// diffUnit is the unit of a difference of out, as a subtitle starts with it.
func diffUnit(o sim.Output) string {
	if isShare(o.Unit) {
		return "percentage points"
	}
	return o.Unit
}

// isShare reports whether a unit is a share of a whole, drawn in percent.
func isShare(unit string) bool {
	switch strings.ToLower(strings.TrimSpace(unit)) {
	case "fraction", "share", "proportion":
		return true
	}
	return false
}

// scenarioTitle is the scenario's title, or its name without one.
func (d *drawer) scenarioTitle(s int) string {
	if t := d.data.Scenarios[s].Title; t != "" {
		return t
	}
	return d.data.Scenarios[s].Name
}

// names lists the scenarios' names.
func (d *drawer) names() string {
	var ns []string
	for _, s := range d.data.Scenarios {
		ns = append(ns, s.Name)
	}
	return strings.Join(ns, ", ")
}

// quarter writes a period as Datawrapper and spreadsheets read a quarter.
func quarter(p sim.Period) string { return fmt.Sprintf("%d Q%d", p.Year(), p.Quarter()) }

// wide builds a table with one row per period: the quarter, then cols.
func (d *drawer) wide(header []string, cols ...[]float64) [][]string {
	rows := [][]string{append([]string{"quarter"}, header...)}
	for t, p := range d.data.Span.Periods() {
		row := []string{quarter(p)}
		for _, c := range cols {
			row = append(row, num(c[t]))
		}
		rows = append(rows, row)
	}
	return rows
}

func (d *drawer) fan(s, o int) NamedChart {
	sc := d.data.Scenarios[s]
	out := d.data.Outputs[o]
	b := d.band(sc.Name, sc.Stats, o)
	return NamedChart{
		Name: sc.Name + "-" + out.Key,
		Kind: KindFan,
		Chart: &chart.Fan{
			Title:    titleOf(out),
			Subtitle: unitWords(out, b.P50) + " · " + d.scenarioTitle(s),
			Unit:     out.Unit,
			Log:      out.Log,
			Band:     b,
			Color:    d.scenarioColor(s),
			Events:   d.marks(sc.Events, o),
			Source:   source(d.version(), sc.Name, d.runs(), d.seed(), "shaded: 50% and 90% of runs"),
		},
		Wide: d.wide([]string{"median", "p05", "p25", "p75", "p95"}, b.P50, b.P05, b.P25, b.P75, b.P95),
	}
}

func (d *drawer) compare(o int) NamedChart {
	out := d.data.Outputs[o]
	c := &chart.Compare{
		Title:    titleOf(out),
		Subtitle: unit(out) + " · median and 90% of runs, by scenario",
		Unit:     out.Unit,
		Log:      out.Log,
		Source:   source(d.version(), d.names(), d.runs()+" each, same draws", d.seed(), "shaded: 90% of runs"),
	}
	var header []string
	var cols [][]float64
	var events [][]EventMark
	var medians [][]float64
	for s, sc := range d.data.Scenarios {
		b := d.band(d.scenarioTitle(s), sc.Stats, o)
		c.Series = append(c.Series, b)
		c.Colors = append(c.Colors, d.scenarioColor(s))
		header = append(header, sc.Name+" median", sc.Name+" p05", sc.Name+" p95")
		cols = append(cols, b.P50, b.P05, b.P95)
		events = append(events, sc.Events)
		medians = append(medians, b.P50)
	}
	c.Subtitle = unitWords(out, medians...) + " · median and 90% of runs, by scenario"
	c.Events = d.marks(differing(events...), o)
	return NamedChart{Name: "compare-" + out.Key, Kind: KindCompare, Chart: c, Wide: d.wide(header, cols...)}
}

func (d *drawer) diff(i, o int) NamedChart {
	df := d.data.Diffs[i]
	out := d.data.Outputs[o]
	base, okBase := d.data.ScenarioIndex(df.Base)
	other, ok := d.data.ScenarioIndex(df.Other)
	ok = ok && okBase
	otherTitle, baseTitle := df.Other, df.Base
	var events []EventMark
	if ok {
		otherTitle, baseTitle = d.scenarioTitle(other), d.scenarioTitle(base)
		events = differing(d.data.Scenarios[base].Events, d.data.Scenarios[other].Events)
	}
	T := d.data.T()
	c := &chart.Diff{
		Title:    "Change in " + out.Description,
		Subtitle: diffUnit(out) + ": " + otherTitle + " minus " + baseTitle + ", run by run",
		Unit:     out.Unit,
		Color:    d.diffColor(other, ok),
		Events:   d.marks(events, o),
		Source: source(d.version(), df.Other+" − "+df.Base, thousands(d.data.Runs)+" paired runs", d.seed(),
			"shaded: 50% and 90% of runs"),
	}
	higher := df.ShareHigher[o*T : (o+1)*T]
	cols := []string{"diff_p50", "diff_p05", "diff_p25", "diff_p75", "diff_p95", "share_higher"}
	if out.Log && len(df.Ratio) == len(df.Stats) {
		// An output that spans orders of magnitude differs mostly in its
		// tail; its runs' ratios read better: "1.5 times as much". Always
		// the ratio, from diff.csv as from a batch run now.
		c.Ratio = true
		c.Band = d.band(df.Other, df.Ratio, o)
		c.Unit = "× " + baseTitle
		c.Subtitle = "Ratio, log scale (1 = no change): " + otherTitle + " divided by " + baseTitle + ", run by run"
		c.Source = source(d.version(), df.Other+" ÷ "+df.Base, thousands(d.data.Runs)+" paired runs", d.seed(),
			"shaded: 50% and 90% of runs")
		cols = []string{"ratio_p50", "ratio_p05", "ratio_p25", "ratio_p75", "ratio_p95", "share_higher"}
	} else {
		c.Band = d.band(df.Other, df.Stats, o)
	}
	b := c.Band
	return NamedChart{
		Name:  "diff-" + df.Other + "-vs-" + df.Base + "-" + out.Key,
		Kind:  KindDiff,
		Chart: c,
		Wide:  d.wide(cols, b.P50, b.P05, b.P25, b.P75, b.P95, higher),
	}
}

// diffColor is the colour of a difference: its scenario's, when the data
// has the scenario (ok).
func (d *drawer) diffColor(other int, ok bool) color.Color {
	if !ok {
		return nil
	}
	return d.scenarioColor(other)
}

// runValues returns held run r's values of output o in scenario s.
func (d *drawer) runValues(s, r, o int) []float64 {
	T := d.data.T()
	C := len(d.data.Outputs) * T
	return d.data.Samples.Values[s][r*C+o*T : r*C+(o+1)*T]
}

func (d *drawer) spaghetti(s, o int) NamedChart {
	sc := d.data.Scenarios[s]
	out := d.data.Outputs[o]
	n := min(d.lines, len(d.data.Samples.Runs))
	sp := &chart.Spaghetti{
		Title:    titleOf(out),
		Subtitle: unit(out) + " · " + d.scenarioTitle(s) + ": " + strconv.Itoa(n) + " single runs of the model",
		Unit:     out.Unit,
		Log:      out.Log,
		X:        d.xs,
		Start:    d.start(),
		Color:    d.scenarioColor(s),
		Events:   d.marks(sc.Events, o),
		Source:   source(d.version(), sc.Name, strconv.Itoa(n)+" of "+d.runs()+" drawn", d.seed()),
	}
	header := []string{}
	var cols [][]float64
	if sc.Stats != nil {
		sp.Median = d.band(sc.Name, sc.Stats, o).P50
		sp.Subtitle += " and the median of all " + thousands(d.data.Runs)
		header = append(header, "median")
		cols = append(cols, sp.Median)
	}
	for r := range n {
		v := d.runValues(s, r, o)
		sp.Runs = append(sp.Runs, v)
		header = append(header, "run "+strconv.Itoa(d.data.Samples.Runs[r]))
		cols = append(cols, v)
	}
	return NamedChart{Name: "spaghetti-" + sc.Name + "-" + out.Key, Kind: KindSpaghetti, Chart: sp, Wide: d.wide(header, cols...)}
}

func (d *drawer) distribution(o int) NamedChart {
	out := d.data.Outputs[o]
	t := d.data.Span.Index(d.at)
	dist := &chart.Distribution{
		Title:    titleOf(out),
		Subtitle: d.at.String() + ": how the runs spread, by scenario",
		Percent:  isShare(out.Unit),
		Log:      out.Log,
		Source:   source(d.version(), d.names(), d.runs(), d.seed(), "shaded: 50% and 90% of runs"),
	}
	T := d.data.T()
	header := []string{"from", "to"}
	var all [][]float64
	for s, sc := range d.data.Scenarios {
		vals := make([]float64, len(d.data.Samples.Runs))
		C := len(d.data.Outputs) * T
		for r := range vals {
			vals[r] = d.data.Samples.Values[s][r*C+o*T+t]
		}
		dist.Samples = append(dist.Samples, chart.Sample{Label: d.scenarioTitle(s), Values: vals, Color: d.scenarioColor(s)})
		all = append(all, vals)
		header = append(header, sc.Name+" share of runs")
	}
	dist.Subtitle = unitWords(out, all...) + " · " + dist.Subtitle
	edges, shares := dist.Histogram()
	rows := [][]string{header}
	for j := 0; j+1 < len(edges); j++ {
		row := []string{num(edges[j]), num(edges[j+1])}
		for _, s := range shares {
			row = append(row, num(s[j]))
		}
		rows = append(rows, row)
	}
	return NamedChart{Name: "distribution-" + out.Key + "-" + d.at.String(), Kind: KindDistribution, Chart: dist, Wide: rows}
}

// measureNames describe sensitivity measures in a subtitle and on an axis.
var measureNames = map[string]string{
	"prcc":    "partial rank correlation",
	"st":      "total-order Sobol index",
	"s1":      "first-order Sobol index",
	"mu_star": "Morris μ* (mean absolute elementary effect)",
}

// sensitivity builds a tornado chart (or an importance chart) for each
// scenario, output and method of the data's analysis.
func (d *drawer) sensitivity(kind string, outs []int) []NamedChart {
	type key struct{ scenario, output, method string }
	var keys []key
	byKey := map[key][]SensitivityRow{}
	for _, r := range d.data.Sensitivity {
		k := key{r.Scenario, r.Output, r.Method}
		if r.Measure != sensitivity.Method(r.Method).Headline() {
			continue
		}
		if _, ok := byKey[k]; !ok {
			keys = append(keys, k)
		}
		byKey[k] = append(byKey[k], r)
	}
	var cs []NamedChart
	for _, o := range outs {
		out := d.data.Outputs[o]
		for _, k := range keys {
			if k.output != out.Key {
				continue
			}
			rows := byKey[k]
			var at []SensitivityRow
			for _, r := range rows {
				if r.Period == d.at {
					at = append(at, r)
				}
			}
			// The most influential first; ties in the order of the file.
			sort.SliceStable(at, func(i, j int) bool { return math.Abs(at[i].Value) > math.Abs(at[j].Value) })
			title := k.scenario
			if s, ok := d.data.ScenarioIndex(k.scenario); ok {
				title = d.scenarioTitle(s)
			}
			measure := measureNames[sensitivity.Method(k.method).Headline()]
			src := source(d.version(), k.scenario, d.runs()+" ("+k.method+")", d.seed())
			name := "-" + k.scenario + "-" + out.Key + "-" + d.at.String()
			if kind == KindTornado {
				cs = append(cs, d.tornado(name, out, title, measure, src, at))
			} else {
				cs = append(cs, d.importance(name, out, title, measure, src, at, rows))
			}
		}
	}
	return cs
}

func (d *drawer) tornado(name string, out sim.Output, title, measure, src string, at []SensitivityRow) NamedChart {
	n := min(len(at), tornadoBars)
	tn := &chart.Tornado{
		Title: "What drives " + out.Description,
		Subtitle: upperFirst(measure) + " of each assumption with the output in " + d.at.String() + ", " + title +
			fmt.Sprintf("; the %d most influential of %d", n, len(at)),
		Unit:   measure,
		Source: src,
	}
	rows := [][]string{{"parameter", "value", "lo95", "hi95"}}
	for _, r := range at[:n] {
		tn.Bars = append(tn.Bars, chart.TornadoBar{Label: r.Param, Value: r.Value, Lo: r.Lo, Hi: r.Hi})
		rows = append(rows, []string{r.Param, num(r.Value), num(r.Lo), num(r.Hi)})
	}
	if n == len(at) {
		tn.Subtitle = upperFirst(measure) + " of each assumption with the output in " + d.at.String() + ", " + title
	}
	return NamedChart{Name: "tornado" + name, Kind: KindTornado, Chart: tn, Wide: rows}
}

func (d *drawer) importance(name string, out sim.Output, title, measure, src string, at, rows []SensitivityRow) NamedChart {
	n := min(len(at), importanceLines)
	c := &chart.Compare{
		Title:    "What drives " + out.Description + ", over time",
		Subtitle: upperFirst(measure) + fmt.Sprintf(" of the %d most influential assumptions in %s, each quarter, %s", n, d.at, title),
		Unit:     measure,
		NoBands:  true,
		Source:   src,
	}
	T := d.data.T()
	var header []string
	var cols [][]float64
	for _, top := range at[:n] {
		v := make([]float64, T)
		for t := range v {
			v[t] = nan
		}
		for _, r := range rows {
			if r.Param == top.Param {
				if t := d.data.Span.Index(r.Period); t >= 0 && t < T {
					v[t] = r.Value
				}
			}
		}
		c.Series = append(c.Series, chart.Band{Scenario: top.Param, X: d.xs, Start: d.start(), P50: v})
		header = append(header, top.Param)
		cols = append(cols, v)
	}
	return NamedChart{Name: "importance" + name, Kind: KindImportance, Chart: c, Wide: d.wide(header, cols...)}
}

// upperFirst capitalises the first letter of s.
func upperFirst(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	if n == 0 {
		return s
	}
	return string(unicode.ToUpper(r)) + s[n:]
}
