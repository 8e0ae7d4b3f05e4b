package output

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/chokepoint-sim/chokepoint/sim"
	"github.com/chokepoint-sim/chokepoint/sim/sensitivity"
)

// ResultsData is what charts and reports are drawn from: a batch in
// memory (FromResult) or a results folder read back (ReadResults). The two
// give the same numbers, so the same charts, byte for byte.
type ResultsData struct {
	Version string // of the tool that ran the batch
	Seed    uint64
	Runs    int // the whole batch's runs
	Span    sim.Span
	// Outputs in the order of the tables; from the model's registry where
	// it knows them (description, log scale), else the key and unit alone.
	Outputs   []sim.Output
	Scenarios []ScenarioData
	// Diffs against the first scenario, from compare; may be empty.
	Diffs []DiffData
	// Samples holds every run's values when the batch kept them (run or
	// compare with --samples); nil otherwise.
	Samples *Samples
	// Sensitivity holds the effects computed by sensitivity; may be empty.
	Sensitivity []SensitivityRow
}

// ScenarioData is one scenario's summary.
type ScenarioData struct {
	Name, Title string
	Hash        string      // SHA-256 of the resolved scenario (manifest.json)
	Stats       []sim.Stats // Stats[o*T+t] for output o at period t
	Events      []EventMark // every event, in date order
}

// DiffData is a paired difference, Other − Base, and a paired ratio,
// Other ÷ Base, run by run.
type DiffData struct {
	Base, Other string
	Stats       []sim.Stats // of the differences, [o*T+t]
	ShareHigher []float64   // share of runs in which Other is higher, [o*T+t]
	// Ratio is of the ratios, over the runs in which the ratio is a number
	// of at least 0 (Ratio[c].N of them): the one to draw for an output on
	// a log scale.
	Ratio        []sim.Stats
	ShareChanged []float64 // share of runs in which Other differs from Base
	// Changed and ChangedRatio are of the differences and ratios over the
	// runs in which Other differs from Base; nil when read back from
	// diff.csv, which does not hold them (headline.csv does, for its cells).
	Changed, ChangedRatio []sim.Stats
}

// Samples is every held run's value of every output at every period.
type Samples struct {
	Runs []int // the run index of each held run, in order
	// Values[s][r*C+o*T+t]: scenario s, held run r, output o, period t,
	// C = len(Outputs)·T.
	Values [][]float64
}

// T is the number of periods.
func (d *ResultsData) T() int { return d.Span.Len() }

// OutputIndex returns the position of the output key in d.Outputs.
func (d *ResultsData) OutputIndex(key string) (int, bool) {
	for i, o := range d.Outputs {
		if o.Key == key {
			return i, true
		}
	}
	return 0, false
}

// ScenarioIndex returns the position of the scenario name in d.Scenarios.
func (d *ResultsData) ScenarioIndex(name string) (int, bool) {
	for i, s := range d.Scenarios {
		if s.Name == name {
			return i, true
		}
	}
	return 0, false
}

// FromResult gathers a batch's summaries (and the paired differences, for
// compare; nil otherwise) for drawing. Per-run values are left out: add
// them with WithSamples when the results folder keeps them too, so that
// charts redrawn from the folder are the charts drawn now.
func FromResult(version string, res *sim.Result, sums []sim.Summary, diffs []sim.Diff) *ResultsData {
	d := &ResultsData{Version: version, Seed: res.Seed, Runs: res.Runs, Span: res.Span,
		Outputs: res.Registry.Outputs}
	for _, s := range sums {
		d.Scenarios = append(d.Scenarios, ScenarioData{Name: s.Scenario.Name, Title: s.Scenario.Title,
			Hash: s.Scenario.Hash, Stats: s.Stats, Events: EventMarks(res.Registry, s.Scenario)})
	}
	for _, df := range diffs {
		d.Diffs = append(d.Diffs, DiffData{Base: df.Base.Name, Other: df.Other.Name,
			Stats: df.Stats, ShareHigher: df.ShareHigher, Ratio: df.Ratio, ShareChanged: df.ShareChanged,
			Changed: df.Changed, ChangedRatio: df.ChangedRatio})
	}
	return d
}

// WithSamples adds res's per-run values to d and returns d. A batch too
// big to keep them (res.Exact false) has none to add.
func (d *ResultsData) WithSamples(res *sim.Result) *ResultsData {
	if !res.Exact {
		return d
	}
	s := &Samples{}
	for r := res.Lo; r < res.Hi; r++ {
		s.Runs = append(s.Runs, r)
	}
	for _, sr := range res.Scenarios {
		s.Values = append(s.Values, sr.Values)
	}
	d.Samples = s
	return d
}

// ReadResults reads a results folder back: manifest.json and summary.csv,
// and diff.csv, samples.csv, events.json and sensitivity.csv where
// present. reg, when not nil, supplies each output's description and
// scale; without it an output's title is its key.
//
// Every file is read as untrusted: only regular files, within the limits
// of input.go and readcheck.go, names checked as scenario ids before any
// use, numbers checked where they cannot be what they say. A fault in what
// a file holds is a sim.InputError naming the file and line.
func ReadResults(dir string, reg *sim.Registry) (*ResultsData, error) {
	m, err := LoadManifest(filepath.Join(dir, ManifestName))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, &sim.InputError{Err: fmt.Errorf("%s: %w", dir, ErrNoResults)}
	}
	if err != nil {
		return nil, err
	}
	d := &ResultsData{Version: m.Version, Seed: m.Seed, Runs: m.Runs}
	d.Span, _ = m.span() // checked by LoadManifest
	for _, s := range m.Scenarios {
		d.Scenarios = append(d.Scenarios, ScenarioData{Name: s.Name, Title: s.Title, Hash: s.SHA256})
	}
	for _, key := range m.Outputs {
		d.Outputs = append(d.Outputs, outputOf(key, reg))
	}
	if err := d.checkCells(ManifestName); err != nil {
		return nil, err
	}
	if err := d.readSummary(filepath.Join(dir, "summary.csv"), reg); err != nil {
		return nil, err
	}
	if err := d.readDiff(filepath.Join(dir, "diff.csv")); err != nil {
		return nil, err
	}
	if err := d.readRunSamples(dir); err != nil {
		return nil, err
	}
	if err := d.readSensitivity(filepath.Join(dir, "sensitivity.csv")); err != nil {
		return nil, err
	}
	return d, d.readEvents(filepath.Join(dir, EventsName))
}

// outputOf describes the output key from reg where it knows it.
func outputOf(key string, reg *sim.Registry) sim.Output {
	if reg != nil {
		if i, ok := reg.OutputIndex(key); ok {
			return reg.Outputs[i]
		}
	}
	return sim.Output{Key: key, Description: key}
}

// checkCells bounds scenarios × outputs × quarters by maxCells.
func (d *ResultsData) checkCells(where string) error {
	if n := int64(len(d.Scenarios)) * int64(len(d.Outputs)) * int64(d.T()); n > maxCells {
		return sim.BadInputf("%s: %d scenarios × %d outputs × %d quarters make %d cells; at most %d are read",
			where, len(d.Scenarios), len(d.Outputs), d.T(), n, maxCells)
	}
	return nil
}

// ErrNoResults is returned by ReadResults for a folder without manifest.json.
var ErrNoResults = errors.New("not a results folder (no manifest.json)")

// table is a CSV file read with its columns named.
type table struct {
	path string
	f    *os.File
	in   *recordReader
	r    *csv.Reader
	col  map[string]int
	line int
}

// openTable opens a CSV file and reads its header, which must name every
// column of want. A missing file gives (nil, nil) when optional.
func openTable(path string, optional bool, want ...string) (*table, error) {
	f, err := OpenInput(path)
	if optional && errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, &sim.InputError{Err: err}
	}
	t := &table{path: path, f: f, in: &recordReader{r: f}, col: map[string]int{}}
	t.r = csv.NewReader(t.in)
	t.r.ReuseRecord = true
	header, err := t.next()
	if err == io.EOF {
		err = t.errorf("empty; expected a header")
	}
	if err != nil {
		f.Close()
		return nil, err
	}
	for i, h := range header {
		t.col[h] = i
	}
	for _, w := range want {
		if _, ok := t.col[w]; !ok {
			f.Close()
			return nil, t.errorf("no column %q", w)
		}
	}
	return t, nil
}

func (t *table) Close() error { return t.f.Close() }

// next reads a row; io.EOF at the end. Every row has the header's number
// of fields (csv.Reader checks), so every column of the header is there.
func (t *table) next() ([]string, error) {
	row, err := t.r.Read()
	t.line++
	t.in.mark = t.r.InputOffset()
	var pe *csv.ParseError
	switch {
	case err == nil || err == io.EOF:
		return row, err
	case errors.As(err, &pe):
		return nil, sim.BadInputf("%s:%d: %v", t.path, pe.Line, pe.Err)
	case errors.Is(err, errLongRecord):
		return nil, t.errorf("%v", err)
	}
	return nil, &sim.InputError{Err: fmt.Errorf("%s: %w", t.path, err)}
}

// errorf reports a problem at the current line.
func (t *table) errorf(format string, args ...any) error {
	return sim.BadInputf("%s:%d: %s", t.path, t.line, fmt.Sprintf(format, args...))
}

// uncell undoes Cell.
func uncell(s string) string {
	if len(s) > 1 && s[0] == '\'' && strings.ContainsRune("=+-@\t\r", rune(s[1])) {
		return s[1:]
	}
	return s
}

// scenario returns the index of the row's scenario in column name, which
// must be one of the manifest's.
func (t *table) scenario(d *ResultsData, row []string, name string) (int, error) {
	s := uncell(row[t.col[name]])
	if err := sim.CheckName(s); err != nil {
		return 0, t.errorf("%s: %v", name, err)
	}
	i, ok := d.ScenarioIndex(s)
	if !ok {
		return 0, t.errorf("%s %q is not in %s", name, s, ManifestName)
	}
	return i, nil
}

// float reads column name of row.
func (t *table) float(row []string, name string) (float64, error) {
	v, err := strconv.ParseFloat(row[t.col[name]], 64)
	if err != nil {
		return 0, t.errorf("%s: expected a number, found %q", name, clip(row[t.col[name]]))
	}
	return v, nil
}

// stats reads the columns mean, sd, p05, ..., p95 and runs of row: sd not
// negative, quantiles in order, runs from 0 to the batch's.
func (t *table) stats(row []string, runs int) (sim.Stats, error) {
	return t.statsOf(row, runs, "", "runs")
}

// statsOf reads the summary whose columns are named prefix+"mean",
// prefix+"p05" … and whose runs are in column runsCol.
func (t *table) statsOf(row []string, runs int, prefix, runsCol string) (sim.Stats, error) {
	var st sim.Stats
	var err error
	f := func(name string) float64 {
		var v float64
		if err == nil {
			v, err = t.float(row, prefix+name)
		}
		return v
	}
	st.Mean, st.SD = f("mean"), f("sd")
	for i, q := range quantileColumns {
		st.Q[i] = f(q)
	}
	if err != nil {
		return st, err
	}
	if st.SD < 0 {
		return st, t.errorf("%ssd: expected 0 or more, found %v", prefix, st.SD)
	}
	last := math.Inf(-1)
	for i, q := range st.Q {
		if q < last {
			return st, t.errorf("%s%s: %v is below %s%s %v; quantiles rise", prefix, quantileColumns[i], q, prefix, quantileColumns[i-1], last)
		}
		if !math.IsNaN(q) {
			last = q
		}
	}
	if st.N, err = strconv.Atoi(row[t.col[runsCol]]); err != nil || st.N < 0 || st.N > runs {
		return st, t.errorf("%s: expected a whole number from 0 to %d, found %q", runsCol, runs, clip(row[t.col[runsCol]]))
	}
	return st, nil
}

var quantileColumns = []string{"p05", "p10", "p25", "p50", "p75", "p90", "p95"}

// cell returns the index of (output, period) of row, adding the output to
// d.Outputs when new and create is set.
func (d *ResultsData) cell(t *table, row []string, reg *sim.Registry, create bool) (int, error) {
	key := row[t.col["output"]]
	o, ok := d.OutputIndex(key)
	if !ok {
		if !create {
			return 0, t.errorf("output %q is not in summary.csv", clip(key))
		}
		// An output the manifest does not list: an older folder.
		if err := checkKey(key); err != nil {
			return 0, t.errorf("output: %v", err)
		}
		d.Outputs = append(d.Outputs, outputOf(key, reg))
		if len(d.Outputs) > maxOutputs {
			return 0, t.errorf("more than %d outputs", maxOutputs)
		}
		if err := d.checkCells(t.path); err != nil {
			return 0, err
		}
		o = len(d.Outputs) - 1
	}
	p, err := t.period(d, row)
	if err != nil {
		return 0, err
	}
	return o*d.T() + d.Span.Index(p), nil
}

// period reads the row's period, which must lie in the folder's span.
func (t *table) period(d *ResultsData, row []string) (sim.Period, error) {
	p, err := sim.ParsePeriod(row[t.col["period"]])
	if err != nil {
		return 0, t.errorf("period: %v", err)
	}
	if p < d.Span.Start || p > d.Span.End {
		return 0, t.errorf("period %s is outside %s-%s", p, d.Span.Start, d.Span.End)
	}
	return p, nil
}

// unset marks a cell no row has filled yet.
const unset = -1

func (d *ResultsData) readSummary(path string, reg *sim.Registry) error {
	t, err := openTable(path, true, SummaryHeader...)
	if t == nil {
		return err // none, as from sensitivity, or unreadable
	}
	defer t.Close()
	for {
		row, err := t.next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return err
		}
		if err := d.summaryRow(t, row, reg); err != nil {
			return err
		}
	}
	for i := range d.Scenarios {
		sc := &d.Scenarios[i]
		for len(sc.Stats) < len(d.Outputs)*d.T() {
			sc.Stats = append(sc.Stats, nanStats())
		}
		for c := range sc.Stats {
			if sc.Stats[c].N == unset {
				sc.Stats[c] = nanStats()
			}
		}
	}
	return nil
}

func (d *ResultsData) summaryRow(t *table, row []string, reg *sim.Registry) error {
	s, err := t.scenario(d, row, "scenario")
	if err != nil {
		return err
	}
	c, err := d.cell(t, row, reg, true)
	if err != nil {
		return err
	}
	if o := c / d.T(); d.Outputs[o].Unit == "" {
		unit := uncell(row[t.col["unit"]])
		if err := checkText(unit); err != nil {
			return t.errorf("unit: %v", err)
		}
		d.Outputs[o].Unit = unit // unknown to the registry
	}
	st, err := t.stats(row, d.Runs)
	if err != nil {
		return err
	}
	sc := &d.Scenarios[s]
	for len(sc.Stats) < len(d.Outputs)*d.T() {
		sc.Stats = append(sc.Stats, sim.Stats{N: unset})
	}
	if sc.Stats[c].N != unset {
		return t.errorf("scenario %s, output %s, period %s: a second row", sc.Name, row[t.col["output"]], row[t.col["period"]])
	}
	sc.Stats[c] = st
	return nil
}

// nanStats stands for a cell a file leaves out.
func nanStats() sim.Stats { return sim.Summarize(nil) }

func (d *ResultsData) readDiff(path string) error {
	t, err := openTable(path, true, DiffHeader...)
	if t == nil {
		return err
	}
	defer t.Close()
	index := map[[2]int]int{}
	for {
		row, err := t.next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return err
		}
		if err := d.diffRow(t, row, index); err != nil {
			return err
		}
	}
	for i := range d.Diffs {
		for c, st := range d.Diffs[i].Stats {
			if st.N == unset {
				d.Diffs[i].Stats[c] = nanStats()
			}
		}
	}
	return nil
}

// diffRow reads a row of diff.csv: a scenario of the manifest against
// another, each pair one difference.
func (d *ResultsData) diffRow(t *table, row []string, index map[[2]int]int) error {
	base, err := t.scenario(d, row, "base")
	if err != nil {
		return err
	}
	other, err := t.scenario(d, row, "scenario")
	if err != nil {
		return err
	}
	if base == other {
		return t.errorf("scenario %s is its own base", d.Scenarios[base].Name)
	}
	c, err := d.cell(t, row, nil, false)
	if err != nil {
		return err
	}
	i, ok := index[[2]int{base, other}]
	if !ok {
		i = len(d.Diffs)
		index[[2]int{base, other}] = i
		C := len(d.Outputs) * d.T()
		df := DiffData{Base: d.Scenarios[base].Name, Other: d.Scenarios[other].Name, Stats: make([]sim.Stats, C), ShareHigher: make([]float64, C),
			Ratio: make([]sim.Stats, C), ShareChanged: make([]float64, C)}
		for c := range df.Stats {
			df.Stats[c], df.ShareHigher[c], df.Ratio[c], df.ShareChanged[c] = sim.Stats{N: unset}, nan, nanStats(), nan
		}
		d.Diffs = append(d.Diffs, df)
		if int64(len(d.Diffs))*int64(C) > maxCells {
			return t.errorf("more than %d cells of differences", maxCells)
		}
	}
	df := &d.Diffs[i]
	if df.Stats[c].N != unset {
		return t.errorf("scenario %s, base %s, output %s, period %s: a second row", df.Other, df.Base, row[t.col["output"]], row[t.col["period"]])
	}
	if df.Stats[c], err = t.statsOf(row, d.Runs, "diff_", "runs"); err != nil {
		return err
	}
	if df.Ratio[c], err = t.statsOf(row, d.Runs, "ratio_", "ratio_runs"); err != nil {
		return err
	}
	if df.ShareHigher[c], err = t.share(row, "share_higher"); err != nil {
		return err
	}
	df.ShareChanged[c], err = t.share(row, "share_changed")
	return err
}

// share reads a share of runs, from 0 to 1.
func (t *table) share(row []string, col string) (float64, error) {
	v, err := t.float(row, col)
	if err != nil {
		return 0, err
	}
	if v < 0 || v > 1 {
		return 0, t.errorf("%s: expected a share from 0 to 1, found %v", col, v)
	}
	return v, nil
}

// samplesReader gathers samples.csv.
type samplesReader struct {
	s      *Samples
	runIdx map[int]int // run index → position in s.Runs
	seen   []bool      // [(sc*len(Runs)+r)*T+t]: a row has filled it
}

// readRunSamples reads the folder's samples.csv, or its samples.parquet
// when it has no samples.csv. A batch too large to keep every run's values
// in memory (sim.ExactLimit) keeps its samples on disk only: charts that
// need them are not drawn from its folder.
func (d *ResultsData) readRunSamples(dir string) error {
	if int64(d.Runs)*int64(len(d.Scenarios))*int64(len(d.Outputs)*d.T()) > sim.ExactLimit {
		return nil
	}
	csvPath := filepath.Join(dir, SamplesCSV)
	if _, err := os.Lstat(csvPath); errors.Is(err, fs.ErrNotExist) {
		if _, err := os.Lstat(filepath.Join(dir, SamplesParquet)); err == nil {
			return d.readSamplesParquet(filepath.Join(dir, SamplesParquet))
		}
	}
	return d.readSamples(csvPath)
}

// readSamplesParquet reads samples.parquet, which must hold every run of
// the manifest's batch.
func (d *ResultsData) readSamplesParquet(path string) error {
	l := TableLayout{Registry: &sim.Registry{Outputs: d.Outputs}, Span: d.Span, Runs: d.Runs, Hi: d.Runs}
	for _, s := range d.Scenarios {
		l.Scenarios = append(l.Scenarios, s.Name)
	}
	values, err := ReadSamplesParquet(path, l)
	if err != nil {
		return err
	}
	s := &Samples{Values: values}
	for r := 0; r < d.Runs; r++ {
		s.Runs = append(s.Runs, r)
	}
	d.Samples = s
	return nil
}

func (d *ResultsData) readSamples(path string) error {
	t, err := openTable(path, true, "scenario", "run", "period")
	if t == nil {
		return err
	}
	defer t.Close()
	sr := &samplesReader{s: &Samples{Values: make([][]float64, len(d.Scenarios))}, runIdx: map[int]int{}}
	for _, out := range d.Outputs {
		if _, ok := t.col[out.Key]; !ok {
			return t.errorf("no column %q", out.Key)
		}
	}
	for {
		row, err := t.next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return err
		}
		if err := d.sampleRow(t, row, sr); err != nil {
			return err
		}
	}
	C := len(d.Outputs) * d.T()
	for i := range sr.s.Values {
		for len(sr.s.Values[i]) < len(sr.s.Runs)*C {
			sr.s.Values[i] = append(sr.s.Values[i], nan)
		}
	}
	d.Samples = sr.s
	return nil
}

// sampleRow reads a row of samples.csv: a scenario's values at a period
// in one run, each (scenario, run, period) once; no more values than a
// batch keeps (sim.ExactLimit).
func (d *ResultsData) sampleRow(t *table, row []string, sr *samplesReader) error {
	sc, err := t.scenario(d, row, "scenario")
	if err != nil {
		return err
	}
	run, err := strconv.Atoi(row[t.col["run"]])
	if err != nil || run < 0 || run >= d.Runs {
		return t.errorf("run: expected a whole number from 0 to %d, found %q", d.Runs-1, clip(row[t.col["run"]]))
	}
	p, err := t.period(d, row)
	if err != nil {
		return err
	}
	T, C, s := d.T(), len(d.Outputs)*d.T(), sr.s
	r, ok := sr.runIdx[run]
	if !ok {
		if int64(len(s.Runs)+1)*int64(C)*int64(len(d.Scenarios)) > sim.ExactLimit {
			return t.errorf("more than %d values; a batch keeps no more", int64(sim.ExactLimit))
		}
		r = len(s.Runs)
		sr.runIdx[run] = r
		s.Runs = append(s.Runs, run)
	}
	for len(sr.seen) < len(s.Runs)*len(d.Scenarios)*T {
		sr.seen = append(sr.seen, false)
	}
	// seen is laid out run-major so that a new run only appends.
	k := (r*len(d.Scenarios)+sc)*T + d.Span.Index(p)
	if sr.seen[k] {
		return t.errorf("scenario %s, run %d, period %s: a second row", d.Scenarios[sc].Name, run, p)
	}
	sr.seen[k] = true
	vals := s.Values[sc]
	for len(vals) < (r+1)*C {
		vals = append(vals, nan)
	}
	for o := range d.Outputs {
		v, err := t.float(row, d.Outputs[o].Key)
		if err != nil {
			return err
		}
		vals[r*C+o*T+d.Span.Index(p)] = v
	}
	s.Values[sc] = vals
	return nil
}

var nan = math.NaN()

// SensitivityRow is one index of a sensitivity analysis, as in
// sensitivity.csv: one parameter's importance for one output at one
// period, by one measure of one method.
type SensitivityRow struct {
	Method, Scenario, Output string
	Period                   sim.Period
	Param, Measure           string
	Value, Lo, Hi            float64 // Lo and Hi: a 95% interval, or NaN
}

// FromSensitivity gathers an analysis's indices for drawing.
func FromSensitivity(version string, reg *sim.Registry, span sim.Span, r *sensitivity.Result) *ResultsData {
	a := r.Analysis
	d := &ResultsData{Version: version, Seed: a.Seed, Runs: r.Runs, Span: span, Outputs: reg.Outputs,
		Scenarios: []ScenarioData{{Name: a.Scenario.Name, Title: a.Scenario.Title}}}
	periods := span.Periods()
	for _, ix := range r.Indices {
		d.Sensitivity = append(d.Sensitivity, SensitivityRow{Method: string(a.Method), Scenario: a.Scenario.Name,
			Output: reg.Outputs[a.Output].Key, Period: periods[ix.Period], Param: reg.Params[ix.Param].Key,
			Measure: ix.Measure, Value: ix.Value, Lo: ix.Lo, Hi: ix.Hi})
	}
	return d
}

// readSensitivity reads sensitivity.csv (SensitivityHeader); a folder
// without one has none.
func (d *ResultsData) readSensitivity(path string) error {
	t, err := openTable(path, true, "method", "scenario", "output", "period", "parameter", "measure", "value", "lo95", "hi95")
	if t == nil {
		return err
	}
	defer t.Close()
	for {
		row, err := t.next()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
		if len(d.Sensitivity) == maxSensitivityRows {
			return t.errorf("more than %d rows", maxSensitivityRows)
		}
		r, err := d.sensitivityRow(t, row)
		if err != nil {
			return err
		}
		d.Sensitivity = append(d.Sensitivity, r)
	}
}

// sensitivityRow reads a row of sensitivity.csv: a known method, a
// scenario and an output of the manifest, a parameter key, numbers that
// are numbers (or NaN where an index has none).
func (d *ResultsData) sensitivityRow(t *table, row []string) (SensitivityRow, error) {
	r := SensitivityRow{Method: row[t.col["method"]], Output: row[t.col["output"]],
		Param: row[t.col["parameter"]], Measure: row[t.col["measure"]]}
	switch sensitivity.Method(r.Method) {
	case sensitivity.MethodPRCC, sensitivity.MethodSobol, sensitivity.MethodMorris:
	default:
		return r, t.errorf("method: expected prcc, sobol or morris, found %q", clip(r.Method))
	}
	s, err := t.scenario(d, row, "scenario")
	if err != nil {
		return r, err
	}
	r.Scenario = d.Scenarios[s].Name
	if _, ok := d.OutputIndex(r.Output); !ok {
		return r, t.errorf("output %q is not in %s", clip(r.Output), ManifestName)
	}
	if err := checkKey(r.Param); err != nil {
		return r, t.errorf("parameter: %v", err)
	}
	if err := checkText(r.Measure); err != nil || len(r.Measure) > sim.MaxNameLen {
		return r, t.errorf("measure: expected a short name, found %q", clip(r.Measure))
	}
	if r.Period, err = t.period(d, row); err != nil {
		return r, err
	}
	for _, c := range []struct {
		name string
		v    *float64
	}{{"value", &r.Value}, {"lo95", &r.Lo}, {"hi95", &r.Hi}} {
		if *c.v, err = t.float(row, c.name); err != nil {
			return r, err
		}
		if math.IsInf(*c.v, 0) {
			return r, t.errorf("%s: expected a finite number, found %v", c.name, *c.v)
		}
	}
	return r, nil
}
