// Package report writes one self-contained HTML file of a comparison: the
// question, headline numbers, comparison and difference charts (inline
// SVG), what the scenarios change, the assumptions with their sources, the
// calibration, the limitations and the command that reproduces it. The
// file makes no network request: no scripts, fonts or images from
// elsewhere, so it can be mailed, archived or opened offline.
package report

import (
	"bytes"
	"crypto/sha256"
	_ "embed"
	"encoding/hex"
	"fmt"
	"html/template"
	"io"
	"math"
	"regexp"
	"strings"

	"github.com/chokepoint-sim/chokepoint/output"
	"github.com/chokepoint-sim/chokepoint/output/chart"
	"github.com/chokepoint-sim/chokepoint/sim"
)

// Input is what a report is built from.
type Input struct {
	// Data holds the batch: summaries of every scenario, paired
	// differences against the first, and per-run values (for ratios).
	Data *output.ResultsData
	// Registry is the model's: parameters with their sources, outputs.
	Registry *sim.Registry
	// Scenarios as run, in order (descriptions, events).
	Scenarios []*sim.Scenario
	// Explain says in plain words what a scenario changes; nil lists each
	// scenario's events instead.
	Explain func(name string) (string, error)
	// Checks compare the model with observations (sim.Result.Backtest),
	// run on CheckScenario with CheckRuns runs; none leaves the section
	// out.
	Checks        []sim.Check
	CheckScenario string
	CheckRuns     int
	// Outputs are the headline outputs, charted and tabled, in order.
	Outputs []string
	// Events chooses the policy dates the charts mark (output.ChartSpec's
	// Events; nil: the most important few).
	Events []string
	// Costs are the outputs of the cost table (costs to US vendors).
	Costs []string
	// Resolved is each scenario's resolved text (TOML), in the order of
	// Data.Scenarios; its SHA-256 is the scenario's hash.
	Resolved []string
	// Manifest is the manifest a results folder of the same batch would
	// hold (JSON), without clock times.
	Manifest string
	// Years are the years whose fourth quarter the headline table shows.
	Years []int
	// Command is the command line that reproduces the report.
	Command string
	// Failure is the "When does it fail?" section; nil leaves it out.
	Failure *Failure
}

// Failure is the "When does it fail?" section: a scenario discovery (PRIM)
// on the report's main comparison.
type Failure struct {
	Lead string // which runs are the failures, and how many
	Box  string // the box in plain words, or why there is none
	// Table lists the box's restrictions; empty: no box.
	Table Table
	// Chart is the box chart, drawn inline as Figure; nil: none.
	Chart  chart.Chart
	Figure *Figure
}

// Report is a built report, ready for Write.
type Report struct {
	Title, Question string
	Summary         []string // headline sentences
	Version         string
	Seed            uint64
	Runs            string
	Span            string
	Command         string
	Scenarios       []Scenario
	Headline        []OutputTable
	Costs           []OutputTable
	Files           []ScenarioFile
	Manifest        string
	Figures         []Figure
	Params          []Param
	Calibration     *Calibration
	Failure         *Failure
	Limitations     []string
}

// Scenario is one scenario as the report describes it.
type Scenario struct {
	Name, Title, Description string
	// Explanation: a lead sentence and the changes it lists.
	Lead    string
	Changes []string
}

// ScenarioFile is a scenario's resolved text as it ran, with its SHA-256.
type ScenarioFile struct {
	Name, Title, SHA256, Text string
}

// Table is a table of text cells with a header row.
type Table struct {
	Header []string
	Rows   [][]string
}

// OutputTable is the headline numbers of one output: a row per scenario
// (then per difference), a column per period.
type OutputTable struct {
	Title, Unit string
	Periods     []string
	Rows        []Row
}

// Row is one scenario's (or difference's) numbers.
type Row struct {
	Label string
	Diff  bool
	Cells []Cell
}

// Cell is a median and, under it, the interval.
type Cell struct{ Main, Sub string }

// Figure is an inline SVG chart.
type Figure struct {
	Title string
	SVG   template.HTML
}

// Param is one row of the assumptions table.
type Param struct {
	Key, Unit, Default, Description, Source string
}

// Calibration is the backtest section.
type Calibration struct {
	Scenario        string
	Runs            string
	Covered, Total  int
	Rows            Table
	Figure          *Figure
	Misses, Overlap int
}

// Limitations are the model card's "What it is not" and "Limitations"
// (docs/MODEL.md), in short.
var Limitations = []string{
	"Not a forecast: every number is conditional on the assumptions listed under Assumptions, each with its source; change them and the answer changes.",
	"No Taiwan contingency, no war, and no general-equilibrium effects (prices, exchange rates, the wider economy).",
	"The US side is exogenous: the US largest training run and US installed compute follow their own uncertain paths and do not react to China.",
	"One aggregate Chinese buyer: no firm-level behaviour and no secondary market.",
	"The smuggling share, the substitution elasticity and the scarcity bonus to algorithmic efficiency are poorly known; the model shows how much the answer depends on them rather than pretending to know them.",
	"Foreign chips after the catalogue's newest (B300, and the reported B30A) improve only through falling prices; NVIDIA's Rubin is not in the catalogue; the H20 leaves the market after 2025Q3, the MI308 after 2026Q2, and the RTX Pro 6000D is the only China-specific part still sold.",
	"Domestic chips are the Ascend line; other Chinese designers (Cambricon, Hygon, Biren) are folded into it.",
	"The HBM and die-bank mechanisms follow the public reporting of 2024-25; their later behaviour is extrapolation.",
}

// Build assembles the report: it draws the charts and formats the
// numbers.
func Build(in Input) (*Report, error) {
	d := in.Data
	if len(d.Scenarios) == 0 {
		return nil, fmt.Errorf("report: no scenarios")
	}
	r := &Report{
		Version: d.Version, Seed: d.Seed, Runs: thousands(d.Runs),
		Span:    d.Span.Start.String() + "–" + d.Span.End.String(),
		Command: in.Command, Limitations: Limitations,
	}
	r.Title, r.Question = question(d)
	if err := r.scenarios(in); err != nil {
		return nil, err
	}
	r.headline(in)
	r.files(in)
	if err := r.figures(in); err != nil {
		return nil, err
	}
	for i := range in.Registry.Params {
		p := &in.Registry.Params[i]
		r.Params = append(r.Params, Param{Key: p.Key, Unit: p.Unit, Default: output.ParamRange(p),
			Description: p.Description, Source: p.Source})
	}
	if len(in.Checks) > 0 {
		if err := r.calibration(in); err != nil {
			return nil, err
		}
	}
	if f := in.Failure; f != nil {
		r.Failure = f
		if f.Chart != nil {
			svg, err := inline(f.Chart)
			if err != nil {
				return nil, err
			}
			f.Figure = &Figure{Title: "When does it fail?", SVG: svg}
		}
	}
	return r, nil
}

// title returns a scenario's title, or its name.
func title(s output.ScenarioData) string {
	if s.Title != "" {
		return s.Title
	}
	return s.Name
}

// question returns the report's title and the question it answers.
func question(d *output.ResultsData) (string, string) {
	end := d.Span.End.Year()
	base := title(d.Scenarios[0])
	if len(d.Scenarios) == 1 {
		return "China's AI capacity under one scenario: " + base,
			fmt.Sprintf("What AI capacity could China have by %d under the scenario “%s”, and how sure can we be?", end, base)
	}
	var others []string
	for _, s := range d.Scenarios[1:] {
		others = append(others, "“"+title(s)+"”")
	}
	return fmt.Sprintf("China's AI capacity under %d export-control scenarios", len(d.Scenarios)),
		fmt.Sprintf("How would China's AI capacity to %d differ under %s, compared with “%s”?",
			end, joinAnd(others), base)
}

// joinAnd joins items as an English list: a, b and c.
func joinAnd(items []string) string {
	switch len(items) {
	case 0:
		return ""
	case 1:
		return items[0]
	}
	return strings.Join(items[:len(items)-1], ", ") + " and " + items[len(items)-1]
}

func (r *Report) scenarios(in Input) error {
	for i, s := range in.Data.Scenarios {
		sc := Scenario{Name: s.Name, Title: title(s)}
		if i < len(in.Scenarios) {
			sc.Description = strings.Join(strings.Fields(in.Scenarios[i].Description), " ")
		}
		if in.Explain != nil {
			text, err := in.Explain(s.Name)
			if err != nil {
				return err
			}
			lines := strings.Split(strings.TrimRight(text, "\n"), "\n")
			sc.Lead = lines[0]
			for _, l := range lines[1:] {
				if l = strings.TrimSpace(l); l != "" {
					sc.Changes = append(sc.Changes, l)
				}
			}
		} else if i < len(in.Scenarios) {
			sc.Lead = fmt.Sprintf("%s has %d dated events:", s.Name, len(in.Scenarios[i].Events))
			for _, e := range in.Scenarios[i].Events {
				sc.Changes = append(sc.Changes, fmt.Sprintf("from %s: %s [%s]", e.Effective, e.Note, e.Source))
			}
		}
		r.Scenarios = append(r.Scenarios, sc)
	}
	return nil
}

// fmtNum writes a number to three significant figures (and at most two
// decimals) with a k, M, B or T suffix (sim.ReportStyle).
func fmtNum(v float64) string { return sim.FormatShort(v, sim.ReportStyle) }

// signed writes a difference with its sign.
func signed(v float64) string {
	if v > 0 {
		return "+" + fmtNum(v)
	}
	return fmtNum(v)
}

// isShare reports whether an output's unit is a share of a whole, which
// readers take as a percentage.
func isShare(unit string) bool {
	switch strings.ToLower(unit) {
	case "fraction", "share", "proportion":
		return true
	}
	return false
}

// numbers returns how to write values and differences of out, and its
// unit as the table heads it.
func numbers(out sim.Output) (val, diff func(float64) string, unit string) {
	if !isShare(out.Unit) {
		return fmtNum, signed, out.Unit
	}
	pct := func(v float64) string {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return "–"
		}
		return fmt.Sprintf("%.0f%%", 100*v)
	}
	pts := func(v float64) string {
		switch p := math.Round(100 * v); {
		case math.IsNaN(p) || math.IsInf(p, 0):
			return "–"
		case p > 0:
			return fmt.Sprintf("+%.0f pts", p)
		case p < 0:
			return fmt.Sprintf("−%.0f pts", -p)
		}
		return "0 pts"
	}
	return pct, pts, "%; differences in percentage points"
}

// interval writes a median and its 90% interval: "5.9M (2.1M–19M)".
func interval(st sim.Stats, f func(float64) string) string {
	return f(st.P50()) + " (" + f(st.P05()) + " to " + f(st.P95()) + ")"
}

// headline fills the headline tables (the report's outputs), the cost
// table and the sentences of "In short".
func (r *Report) headline(in Input) {
	d := in.Data
	var periods []sim.Period
	for _, y := range in.Years {
		if p := sim.NewPeriod(y, 4); p >= d.Span.Start && p <= d.Span.End {
			periods = append(periods, p)
		}
	}
	for _, key := range in.Outputs {
		if tb, ok := outputTable(d, key, periods); ok {
			r.Headline = append(r.Headline, tb)
		}
	}
	for _, key := range in.Costs {
		if tb, ok := outputTable(d, key, periods); ok {
			r.Costs = append(r.Costs, withTotal(d, key, tb))
		}
	}
	r.summarise(in, periods)
}

// outputTable is the table of one output: a row per scenario (median, 90%
// interval) at each period, then a row per paired comparison with the
// base: the ratio run by run for an output on a log scale, else the
// difference, and the share of runs higher.
func outputTable(d *output.ResultsData, key string, periods []sim.Period) (OutputTable, bool) {
	o, ok := d.OutputIndex(key)
	if !ok {
		return OutputTable{}, false
	}
	T := d.T()
	out := d.Outputs[o]
	val, diff, unit := numbers(out)
	tb := OutputTable{Title: upperFirst(out.Description), Unit: unit}
	for _, p := range periods {
		tb.Periods = append(tb.Periods, p.String())
	}
	for _, s := range d.Scenarios {
		row := Row{Label: title(s)}
		for _, p := range periods {
			st := s.Stats[o*T+d.Span.Index(p)]
			row.Cells = append(row.Cells, Cell{val(st.P50()), val(st.P05()) + " to " + val(st.P95())})
		}
		tb.Rows = append(tb.Rows, row)
	}
	for _, df := range d.Diffs {
		i, _ := d.ScenarioIndex(df.Other)
		ratio := out.Log && df.Ratio != nil
		row := Row{Label: title(d.Scenarios[i]) + " minus " + title(d.Scenarios[0]), Diff: true}
		if ratio {
			row.Label = title(d.Scenarios[i]) + " ÷ " + title(d.Scenarios[0]) + ", run by run"
		}
		for _, p := range periods {
			c := o*T + d.Span.Index(p)
			st, f := df.Stats[c], diff
			if ratio {
				st, f = df.Ratio[c], times
			}
			row.Cells = append(row.Cells, Cell{f(st.P50()),
				f(st.P05()) + " to " + f(st.P95()) + fmt.Sprintf("; higher in %.0f%% of runs", 100*df.ShareHigher[c])})
		}
		tb.Rows = append(tb.Rows, row)
	}
	return tb, true
}

// withTotal adds to a cost table the column of each run's total over the
// span (a cost per quarter summed), when d holds every run's values: its
// median and 90% interval per scenario, and the paired difference of the
// totals. Without them (a batch summarised by sketches) the table is left
// as it is: quantiles of quarterly costs do not add up to those of totals.
func withTotal(d *output.ResultsData, key string, tb OutputTable) OutputTable {
	o, ok := d.OutputIndex(key)
	if !ok || d.Samples == nil {
		return tb
	}
	T := d.T()
	C := len(d.Outputs) * T
	n := len(d.Samples.Runs)
	totals := make([][]float64, len(d.Scenarios))
	for s := range d.Scenarios {
		totals[s] = make([]float64, n)
		for r := 0; r < n; r++ {
			for t := 0; t < T; t++ {
				totals[s][r] += d.Samples.Values[s][r*C+o*T+t]
			}
		}
	}
	tb.Periods = append(tb.Periods, "total "+d.Span.Start.String()+"–"+d.Span.End.String())
	for i := range d.Scenarios {
		st := sim.Summarize(append([]float64(nil), totals[i]...))
		tb.Rows[i].Cells = append(tb.Rows[i].Cells, Cell{fmtNum(st.P50()), fmtNum(st.P05()) + " to " + fmtNum(st.P95())})
	}
	for j, df := range d.Diffs {
		i, _ := d.ScenarioIndex(df.Other)
		diffs := make([]float64, n)
		higher := 0
		for r := range diffs {
			if diffs[r] = totals[i][r] - totals[0][r]; diffs[r] > 0 {
				higher++
			}
		}
		st := sim.Summarize(diffs)
		row := &tb.Rows[len(d.Scenarios)+j]
		row.Cells = append(row.Cells, Cell{signed(st.P50()),
			signed(st.P05()) + " to " + signed(st.P95()) + fmt.Sprintf("; higher in %.0f%% of runs", 100*float64(higher)/float64(n))})
	}
	return tb
}

// times writes a ratio: "×0.45".
func times(v float64) string { return "×" + fmtNum(v) }

// summarise writes the headline sentences (output.Headlines) of each
// comparison for the report's outputs at the end of 2030 (or the last
// year shown): the median ratio or difference, its 90% interval, the
// share of runs higher, and the figure over the runs an uncertain event
// changed.
func (r *Report) summarise(in Input, periods []sim.Period) {
	d := in.Data
	if len(d.Diffs) == 0 || len(periods) == 0 {
		return
	}
	p := periods[len(periods)-1]
	for _, q := range periods {
		if q.Year() == 2030 {
			p = q
		}
	}
	hs := output.Headlines(d, []sim.Period{p})
	for _, df := range d.Diffs {
		for _, key := range in.Outputs {
			for _, h := range hs {
				if h.Scenario == df.Other && h.Output == key {
					r.Summary = append(r.Summary, h.Sentence)
				}
			}
		}
	}
}

// files gathers each scenario's resolved text with its SHA-256, and the
// manifest.
func (r *Report) files(in Input) {
	for i, s := range in.Data.Scenarios {
		if i >= len(in.Resolved) {
			break
		}
		sum := sha256.Sum256([]byte(in.Resolved[i]))
		r.Files = append(r.Files, ScenarioFile{Name: s.Name, Title: title(s), SHA256: hex.EncodeToString(sum[:]), Text: in.Resolved[i]})
	}
	r.Manifest = in.Manifest
}

// upperFirst capitalises the first letter of s.
func upperFirst(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// svgDecl matches what an inline SVG needs no more inside HTML: the XML
// namespaces (HTML5 gives <svg> its own) and fixed sizes in points, which
// CSS replaces with the page's width.
var (
	svgNamespaces = regexp.MustCompile(`\s+xmlns(:xlink)?="[^"]*"`)
	svgSize       = regexp.MustCompile(`^<svg width="[^"]*" height="[^"]*"`)
)

// inline renders c as an SVG for the page: no fonts embedded (the
// stylesheet names them), no namespaces, sized by CSS.
func inline(c chart.Chart) (template.HTML, error) {
	var buf bytes.Buffer
	if err := c.Render(&buf, chart.SVGInline, 0, 0, 0); err != nil {
		return "", err
	}
	s := svgNamespaces.ReplaceAllString(buf.String(), "")
	s = svgSize.ReplaceAllString(s, `<svg role="img"`)
	// The SVG comes from our own drawing code, which escapes all text
	// (vgsvg uses html.EscapeString), so it is safe to insert as is.
	return template.HTML(s), nil
}

func (r *Report) figures(in Input) error {
	spec := output.ChartSpec{Kinds: []string{output.KindCompare}, Outputs: in.Outputs, Events: in.Events}
	if len(in.Data.Scenarios) == 1 {
		spec.Kinds = []string{output.KindFan}
	}
	if len(in.Data.Diffs) > 0 {
		spec.Kinds = append(spec.Kinds, output.KindDiff)
	}
	charts, err := output.Charts(spec, in.Data)
	if err != nil {
		return err
	}
	// Interleave: each output's comparison, then its differences.
	for _, key := range in.Outputs {
		for _, kind := range spec.Kinds {
			for _, c := range charts {
				if c.Kind != kind || !strings.HasSuffix(c.Name, "-"+key) {
					continue
				}
				svg, err := inline(c.Chart)
				if err != nil {
					return err
				}
				r.Figures = append(r.Figures, Figure{Title: c.Name, SVG: svg})
			}
		}
	}
	return nil
}

func (r *Report) calibration(in Input) error {
	c := &Calibration{Scenario: in.CheckScenario, Runs: thousands(in.CheckRuns), Total: len(in.Checks)}
	c.Rows.Header = []string{"observation", "when", "observed (range)", "model median (90% interval)", "unit", ""}
	b := &chart.Backtest{
		Title:    "How the model reproduces what was observed",
		Subtitle: in.CheckScenario + " scenario: model ÷ observed central value (1 = exact)",
		Source: fmt.Sprintf("chokepoint %s · %s · %s runs · seed %d · grey: observed range; blue: model 90%% interval",
			vprefix(in.Data.Version), in.CheckScenario, thousands(in.CheckRuns), in.Data.Seed),
	}
	for _, ck := range in.Checks {
		verdict := "inside"
		switch {
		case ck.Covered:
			c.Covered++
		case ck.Overlap:
			verdict = "overlaps"
			c.Overlap++
		default:
			verdict = "miss"
			c.Misses++
		}
		when := ck.From.String()
		if ck.To != ck.From {
			when += "–" + ck.To.String()
		}
		c.Rows.Rows = append(c.Rows.Rows, []string{ck.Text, when,
			fmtNum(ck.Central) + " (" + fmtNum(ck.Low) + " to " + fmtNum(ck.High) + ")",
			interval(ck.Model, fmtNum), ck.Unit, verdict})
		b.Rows = append(b.Rows, chart.CheckRow{Label: ck.Text, Unit: ck.Unit, Low: ck.Low, Central: ck.Central,
			High: ck.High, P05: ck.Model.P05(), P50: ck.Model.P50(), P95: ck.Model.P95()})
	}
	svg, err := inline(b)
	if err != nil {
		return err
	}
	c.Figure = &Figure{Title: "backtest", SVG: svg}
	r.Calibration = c
	return nil
}

// vprefix writes a version as "v0.1.0".
func vprefix(v string) string {
	if v != "" && v[0] >= '0' && v[0] <= '9' {
		return "v" + v
	}
	return v
}

// thousands writes n with commas between groups of three digits.
func thousands(n int) string {
	s := fmt.Sprint(n)
	for i := len(s) - 3; i > 0 && s[i-1] != '-'; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}

//go:embed report.html.tmpl
var page string

var tmpl = template.Must(template.New("report").Funcs(template.FuncMap{"vprefix": vprefix}).Parse(page))

// Write renders r as one HTML page.
func Write(w io.Writer, r *Report) error {
	return tmpl.Execute(w, r)
}
