package output

import (
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
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

// DiffData is a paired difference, Other − Base, run by run.
type DiffData struct {
	Base, Other string
	Stats       []sim.Stats // of the differences, [o*T+t]
	ShareHigher []float64   // share of runs in which Other is higher, [o*T+t]
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
			Hash: s.Scenario.Hash, Stats: s.Stats, Events: EventMarks(s.Scenario)})
	}
	for _, df := range diffs {
		d.Diffs = append(d.Diffs, DiffData{Base: df.Base.Name, Other: df.Other.Name,
			Stats: df.Stats, ShareHigher: df.ShareHigher})
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
func ReadResults(dir string, reg *sim.Registry) (*ResultsData, error) {
	var m Manifest
	b, err := os.ReadFile(filepath.Join(dir, ManifestName))
	if err != nil {
		if os.IsNotExist(err) {
			return nil, fmt.Errorf("%s: %w", dir, ErrNoResults)
		}
		return nil, err
	}
	if err := json.Unmarshal(b, &m); err != nil {
		return nil, fmt.Errorf("%s: %v", filepath.Join(dir, ManifestName), err)
	}
	d := &ResultsData{Version: m.Version, Seed: m.Seed, Runs: m.Runs}
	if d.Span.Start, err = sim.ParsePeriod(m.Periods.From); err != nil {
		return nil, fmt.Errorf("%s: periods.from: %v", ManifestName, err)
	}
	if d.Span.End, err = sim.ParsePeriod(m.Periods.To); err != nil {
		return nil, fmt.Errorf("%s: periods.to: %v", ManifestName, err)
	}
	for _, s := range m.Scenarios {
		d.Scenarios = append(d.Scenarios, ScenarioData{Name: s.Name, Title: s.Title, Hash: s.SHA256})
	}
	for _, key := range m.Outputs {
		out := sim.Output{Key: key, Description: key}
		if reg != nil {
			if i, ok := reg.OutputIndex(key); ok {
				out = reg.Outputs[i]
			}
		}
		d.Outputs = append(d.Outputs, out)
	}
	if err := d.readSummary(filepath.Join(dir, "summary.csv"), reg); err != nil {
		return nil, err
	}
	if err := d.readDiff(filepath.Join(dir, "diff.csv")); err != nil {
		return nil, err
	}
	if err := d.readSamples(filepath.Join(dir, "samples.csv")); err != nil {
		return nil, err
	}
	if d.Sensitivity, err = readSensitivity(filepath.Join(dir, "sensitivity.csv")); err != nil {
		return nil, err
	}
	events, err := readEvents(filepath.Join(dir, EventsName))
	if err != nil {
		return nil, fmt.Errorf("%s: %v", EventsName, err)
	}
	for i := range d.Scenarios {
		d.Scenarios[i].Events = events[d.Scenarios[i].Name]
	}
	return d, nil
}

// ErrNoResults is returned by ReadResults for a folder without manifest.json.
var ErrNoResults = errors.New("not a results folder (no manifest.json)")

// table is a CSV file read with its columns named.
type table struct {
	path string
	r    *csv.Reader
	col  map[string]int
	line int
}

// openTable opens a CSV file and reads its header, which must name every
// column of want. A missing file gives (nil, nil) when optional.
func openTable(path string, optional bool, want ...string) (*table, io.Closer, error) {
	f, err := os.Open(path)
	if optional && os.IsNotExist(err) {
		return nil, nil, nil
	}
	if err != nil {
		return nil, nil, err
	}
	t := &table{path: path, r: csv.NewReader(f), col: map[string]int{}, line: 1}
	t.r.ReuseRecord = true
	header, err := t.r.Read()
	if err != nil {
		f.Close()
		return nil, nil, fmt.Errorf("%s: %v", path, err)
	}
	for i, h := range header {
		t.col[h] = i
	}
	for _, w := range want {
		if _, ok := t.col[w]; !ok {
			f.Close()
			return nil, nil, fmt.Errorf("%s: no column %q", path, w)
		}
	}
	return t, f, nil
}

// next reads a row; io.EOF at the end.
func (t *table) next() ([]string, error) {
	row, err := t.r.Read()
	t.line++
	if err != nil && err != io.EOF {
		return nil, fmt.Errorf("%s: %v", t.path, err)
	}
	return row, err
}

// errorf reports a problem at the current line.
func (t *table) errorf(format string, args ...any) error {
	return fmt.Errorf("%s:%d: %s", t.path, t.line, fmt.Sprintf(format, args...))
}

// uncell undoes Cell.
func uncell(s string) string {
	if len(s) > 1 && s[0] == '\'' && strings.ContainsRune("=+-@\t\r", rune(s[1])) {
		return s[1:]
	}
	return s
}

// stats reads the columns mean, sd, p05, ..., p95 and runs of row.
func (t *table) stats(row []string) (sim.Stats, error) {
	var st sim.Stats
	var err error
	f := func(name string) float64 {
		if err != nil {
			return 0
		}
		var v float64
		v, err = strconv.ParseFloat(row[t.col[name]], 64)
		if err != nil {
			err = t.errorf("%s: %v", name, err)
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
	if st.N, err = strconv.Atoi(row[t.col["runs"]]); err != nil {
		return st, t.errorf("runs: %v", err)
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
			return 0, t.errorf("output %q is not in summary.csv", key)
		}
		// An output the manifest does not list: an older folder.
		out := sim.Output{Key: key, Unit: uncell(row[t.col["unit"]]), Description: key}
		if reg != nil {
			if i, ok := reg.OutputIndex(key); ok {
				out = reg.Outputs[i]
			}
		}
		d.Outputs = append(d.Outputs, out)
		o = len(d.Outputs) - 1
	}
	p, err := sim.ParsePeriod(row[t.col["period"]])
	if err != nil {
		return 0, t.errorf("period: %v", err)
	}
	if p < d.Span.Start || p > d.Span.End {
		return 0, t.errorf("period %s is outside %s-%s", p, d.Span.Start, d.Span.End)
	}
	return o*d.T() + d.Span.Index(p), nil
}

func (d *ResultsData) readSummary(path string, reg *sim.Registry) error {
	t, f, err := openTable(path, true, SummaryHeader...)
	if t == nil {
		return err // none, as from sensitivity, or unreadable
	}
	defer f.Close()
	T := d.T()
	for {
		row, err := t.next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return err
		}
		name := uncell(row[t.col["scenario"]])
		s, ok := d.ScenarioIndex(name)
		if !ok {
			return t.errorf("scenario %q is not in %s", name, ManifestName)
		}
		c, err := d.cell(t, row, reg, true)
		if err != nil {
			return err
		}
		if o := c / T; d.Outputs[o].Unit == "" {
			d.Outputs[o].Unit = uncell(row[t.col["unit"]]) // unknown to the registry
		}
		st, err := t.stats(row)
		if err != nil {
			return err
		}
		sc := &d.Scenarios[s]
		for len(sc.Stats) < len(d.Outputs)*T {
			sc.Stats = append(sc.Stats, nanStats())
		}
		sc.Stats[c] = st
	}
	for i := range d.Scenarios {
		for len(d.Scenarios[i].Stats) < len(d.Outputs)*T {
			d.Scenarios[i].Stats = append(d.Scenarios[i].Stats, nanStats())
		}
	}
	return nil
}

// nanStats stands for a cell a file leaves out.
func nanStats() sim.Stats { return sim.Summarize(nil) }

func (d *ResultsData) readDiff(path string) error {
	t, f, err := openTable(path, true, DiffHeader...)
	if t == nil {
		return err
	}
	defer f.Close()
	C := len(d.Outputs) * d.T()
	index := map[[2]string]int{}
	for {
		row, err := t.next()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
		pair := [2]string{uncell(row[t.col["base"]]), uncell(row[t.col["scenario"]])}
		i, ok := index[pair]
		if !ok {
			i = len(d.Diffs)
			index[pair] = i
			df := DiffData{Base: pair[0], Other: pair[1], Stats: make([]sim.Stats, C), ShareHigher: make([]float64, C)}
			for c := range df.Stats {
				df.Stats[c], df.ShareHigher[c] = nanStats(), nan
			}
			d.Diffs = append(d.Diffs, df)
		}
		c, err := d.cell(t, row, nil, false)
		if err != nil {
			return err
		}
		if d.Diffs[i].Stats[c], err = t.stats(row); err != nil {
			return err
		}
		if d.Diffs[i].ShareHigher[c], err = strconv.ParseFloat(row[t.col["share_higher"]], 64); err != nil {
			return t.errorf("share_higher: %v", err)
		}
	}
}

func (d *ResultsData) readSamples(path string) error {
	t, f, err := openTable(path, true, "scenario", "run", "period")
	if t == nil {
		return err
	}
	defer f.Close()
	T, C := d.T(), len(d.Outputs)*d.T()
	// Output columns in the file, by position in d.Outputs.
	cols := make([]int, len(d.Outputs))
	for o, out := range d.Outputs {
		i, ok := t.col[out.Key]
		if !ok {
			return fmt.Errorf("%s: no column %q", path, out.Key)
		}
		cols[o] = i
	}
	s := &Samples{Values: make([][]float64, len(d.Scenarios))}
	runIdx := map[int]int{} // run index → position in s.Runs
	for {
		row, err := t.next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return err
		}
		name := uncell(row[t.col["scenario"]])
		sc, ok := d.ScenarioIndex(name)
		if !ok {
			return t.errorf("scenario %q is not in %s", name, ManifestName)
		}
		run, err := strconv.Atoi(row[t.col["run"]])
		if err != nil {
			return t.errorf("run: %v", err)
		}
		r, ok := runIdx[run]
		if !ok {
			r = len(s.Runs)
			runIdx[run] = r
			s.Runs = append(s.Runs, run)
		}
		p, err := sim.ParsePeriod(row[t.col["period"]])
		if err != nil || p < d.Span.Start || p > d.Span.End {
			return t.errorf("period %q: not in %s-%s", row[t.col["period"]], d.Span.Start, d.Span.End)
		}
		vals := s.Values[sc]
		for len(vals) < (r+1)*C {
			vals = append(vals, nan)
		}
		for o, col := range cols {
			v, err := strconv.ParseFloat(row[col], 64)
			if err != nil {
				return t.errorf("%s: %v", d.Outputs[o].Key, err)
			}
			vals[r*C+o*T+d.Span.Index(p)] = v
		}
		s.Values[sc] = vals
	}
	for i := range s.Values {
		for len(s.Values[i]) < len(s.Runs)*C {
			s.Values[i] = append(s.Values[i], nan)
		}
	}
	d.Samples = s
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
func readSensitivity(path string) ([]SensitivityRow, error) {
	t, f, err := openTable(path, true, "method", "scenario", "output", "period", "parameter", "measure", "value", "lo95", "hi95")
	if t == nil {
		return nil, err
	}
	defer f.Close()
	var rows []SensitivityRow
	for {
		row, err := t.next()
		if err == io.EOF {
			return rows, nil
		}
		if err != nil {
			return nil, err
		}
		r := SensitivityRow{Method: row[t.col["method"]], Scenario: uncell(row[t.col["scenario"]]),
			Output: row[t.col["output"]], Param: row[t.col["parameter"]], Measure: row[t.col["measure"]]}
		if r.Period, err = sim.ParsePeriod(row[t.col["period"]]); err != nil {
			return nil, t.errorf("period: %v", err)
		}
		for _, c := range []struct {
			name string
			v    *float64
		}{{"value", &r.Value}, {"lo95", &r.Lo}, {"hi95", &r.Hi}} {
			if *c.v, err = strconv.ParseFloat(row[t.col[c.name]], 64); err != nil {
				return nil, t.errorf("%s: %v", c.name, err)
			}
		}
		rows = append(rows, r)
	}
}
