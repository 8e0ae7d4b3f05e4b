package sim

import (
	"context"
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/chokepoint-sim/chokepoint/sim/dist"
)

// Strong is a lever's strong setting: the value the lever table holds it
// at from its start quarter, in the second run of each pair.
type Strong struct {
	// Value is the strong setting.
	Value float64
	// Lift undoes the rule. When the base scenario already holds Value (or
	// a stronger value) at the table's start, the table sets Lift instead
	// and marks the row lifted, so that no row is trivially zero.
	Lift float64
	// Stronger is +1 when a higher value is stronger, −1 when a lower one
	// is, 0 when only Value itself counts (set levers).
	Stronger int
	// Tightening says the setting tightens a US or allied rule; false for
	// the other side's own levers, which are reported but tighten nothing.
	Tightening bool
	// Open lists other levers set, from the start, in both runs of the
	// pair, so that this lever decides alone (a threshold another rule of
	// the base would otherwise shadow).
	Open []Setting
	// Says is the strong setting in plain words ("no exceptions").
	Says string
	// Dominated, when set, says that in the base the lever moves nothing
	// because another rule binds first; the model's tests check both that
	// the row is below the table's threshold and that, with the condition
	// removed, the lever moves an output.
	Dominated *Dominated
}

// Dominated names the rule that dominates a lever in the lever table's
// base and how to remove it.
type Dominated struct {
	// While is the binding condition in plain words ("the HBM ban binds").
	While string
	// Unbind are the settings that remove it, set from the table's start
	// in both runs of a pair.
	Unbind []Setting
}

// Setting is one lever's value.
type Setting struct {
	Key   string
	Value float64
}

// LeverTable says what the lever table reports.
type LeverTable struct {
	// Outputs reported, in order.
	Outputs []TableOutput
	// Induced are the parameters that are the model's induced responses
	// to pressure; the table's second variant fixes each at 0.
	Induced []string
}

// TableOutput is an output of the lever table. Absolute: its change is a
// difference in its unit (an output whose zero is arbitrary, such as a gap
// in months); otherwise a relative change.
type TableOutput struct {
	Key      string
	Absolute bool
}

// LeverTableRun asks for a lever table: every lever with a strong setting,
// set from From against Base on paired runs (run i of both draws alike),
// once with the induced responses as drawn and once with them at 0.
type LeverTableRun struct {
	Model Model
	Base  *Scenario
	// Span is simulated; it holds From and Dates.
	Span    Span
	From    Period
	Dates   []Period
	Runs    int
	Seed    uint64
	Workers int
	// Progress, when set, is called with the runs done and the total.
	Progress func(done, total int)
}

// Variants of the lever table.
const (
	AsDrawn    = iota // induced responses as drawn
	InducedOff        // induced responses at 0
	nVariants
)

// LeverChange is one cell of the lever table: the median over runs of the
// paired change (relative, or a difference for an absolute output) and the
// shares of runs in which the lever's run is higher and lower (the rest
// are equal).
type LeverChange struct {
	Median, ShareHigher, ShareLower float64
}

// LeverRow is one lever's row of the table.
type LeverRow struct {
	Lever int // registry index
	// Was is the base's value at From, as its events are written (every
	// event taken to happen on its date); Value is the value set from From.
	Was, Value float64
	// Lifted: the base already held the strong value at From, so the row
	// sets Strong.Lift instead.
	Lifted bool
	// Cells[v][o*len(Dates)+d]: variant v, table output o, date d.
	Cells [nVariants][]LeverChange
}

// LeverTableResult is a computed lever table.
type LeverTableResult struct {
	Spec     *LeverTable
	Registry *Registry
	Base     string
	From     Period
	Dates    []Period
	Runs     int
	Seed     uint64
	Rows     []LeverRow
}

// maxTableScenarios bounds the scenarios of one batch of the table (the
// base and its rows): with the batch held exactly, memory grows with them.
const maxTableScenarios = 8

// RunLeverTable computes the lever table. Every number depends only on
// (seed, run, scenario), never on Workers.
func RunLeverTable(ctx context.Context, q *LeverTableRun) (*LeverTableResult, error) {
	reg := q.Model.Registry()
	cells, err := q.check(reg)
	if err != nil {
		return nil, err
	}
	res := &LeverTableResult{Spec: reg.LeverTable, Registry: reg, Base: q.Base.Name, From: q.From,
		Dates: q.Dates, Runs: q.Runs, Seed: q.Seed}
	groups := map[string][]int{}
	var order []string
	for l := range reg.Levers {
		lv := &reg.Levers[l]
		row := LeverRow{Lever: l, Was: valueAt(q.Base, l, lv.Default, q.From)}
		row.Lifted = atStrong(lv, row.Was)
		row.Value = lv.Strong.Value
		if row.Lifted {
			row.Value = lv.Strong.Lift
		}
		k := openKey(lv.Strong.Open)
		if _, ok := groups[k]; !ok {
			order = append(order, k)
		}
		groups[k] = append(groups[k], len(res.Rows))
		res.Rows = append(res.Rows, row)
	}
	var plan [][]int
	pr := &tableProgress{}
	for _, k := range order {
		for _, b := range batches(groups[k], q.Runs, len(reg.Outputs)*q.Span.Len()) {
			plan = append(plan, b)
			pr.total += nVariants * (len(b) + 1) * q.Runs
		}
	}
	for _, b := range plan {
		for v := 0; v < nVariants; v++ {
			if err := q.runBatch(ctx, res, b, v, cells, pr); err != nil {
				return nil, err
			}
		}
	}
	return res, nil
}

// check checks the request and returns the (output, quarter) cells the
// table reads, output-major.
func (q *LeverTableRun) check(reg *Registry) ([]int, error) {
	spec := reg.LeverTable
	if spec == nil {
		return nil, BadInputf("the model declares no lever table")
	}
	if q.Runs < 1 {
		return nil, BadInputf("a lever table needs at least one run, found %d", q.Runs)
	}
	if !inSpan(q.Span, q.From) {
		return nil, BadInputf("the start %s is outside the span %s-%s", q.From, q.Span.Start, q.Span.End)
	}
	if err := checkStrong(reg); err != nil {
		return nil, err
	}
	for _, k := range spec.Induced {
		if _, ok := reg.ParamIndex(k); !ok {
			return nil, fmt.Errorf("sim: induced response %s is no parameter", k)
		}
	}
	T := q.Span.Len()
	var cells []int
	for _, o := range spec.Outputs {
		oi, ok := reg.OutputIndex(o.Key)
		if !ok {
			return nil, fmt.Errorf("sim: lever table output %s is no output", o.Key)
		}
		for _, d := range q.Dates {
			if !inSpan(q.Span, d) {
				return nil, BadInputf("the date %s is outside the span %s-%s", d, q.Span.Start, q.Span.End)
			}
			cells = append(cells, oi*T+q.Span.Index(d))
		}
	}
	return cells, nil
}

// checkStrong checks that every lever has a strong setting whose other
// levers exist.
func checkStrong(reg *Registry) error {
	for _, l := range reg.Levers {
		if l.Strong == nil {
			return fmt.Errorf("sim: lever %s has no strong setting", l.Key)
		}
		for _, s := range l.Strong.Open {
			if _, ok := reg.LeverIndex(s.Key); !ok {
				return fmt.Errorf("sim: lever %s opens unknown lever %s", l.Key, s.Key)
			}
		}
		if d := l.Strong.Dominated; d != nil {
			for _, s := range d.Unbind {
				if _, ok := reg.LeverIndex(s.Key); !ok {
					return fmt.Errorf("sim: lever %s is dominated by unknown lever %s", l.Key, s.Key)
				}
			}
		}
	}
	return nil
}

// batches splits a group's rows into batches whose scenarios (the rows
// and their base) are held exactly within ExactLimit where possible.
func batches(rows []int, runs, cells int) [][]int {
	per := int(ExactLimit / (int64(runs) * int64(cells)))
	per = max(1, min(per-1, maxTableScenarios-1))
	var out [][]int
	for len(rows) > 0 {
		n := min(per, len(rows))
		out = append(out, rows[:n])
		rows = rows[n:]
	}
	return out
}

// tableProgress adds up the runs of the table's batches.
type tableProgress struct{ done, total int }

// runBatch runs the base of a group and the rows of batch b in variant v,
// paired, and fills the rows' cells.
func (q *LeverTableRun) runBatch(ctx context.Context, res *LeverTableResult, b []int, v int, cells []int, pr *tableProgress) error {
	reg := res.Registry
	base := q.Base
	if v == InducedOff {
		base = zeroParams(base, reg, res.Spec.Induced)
	}
	open := reg.Levers[res.Rows[b[0]].Lever].Strong.Open
	for _, s := range open {
		l, _ := reg.LeverIndex(s.Key)
		base = withLever(base, l, s.Value, q.From, "levers-open:"+s.Key)
	}
	scs := []*Scenario{base}
	for _, r := range b {
		row := &res.Rows[r]
		scs = append(scs, withLever(base, row.Lever, row.Value, q.From, "levers:"+reg.Levers[row.Lever].Key))
	}
	K := len(cells)
	kept := make([][]float64, len(scs))
	for s := range kept {
		kept[s] = make([]float64, q.Runs*K)
	}
	batch := &Batch{Model: q.Model, Scenarios: scs, Span: q.Span, Runs: q.Runs, Seed: q.Seed, Workers: q.Workers,
		Observe: func(run, s int, _, vals []float64) {
			for k, c := range cells {
				kept[s][run*K+k] = vals[c]
			}
		}}
	if q.Progress != nil {
		done0 := pr.done
		batch.Progress = func(d int) { q.Progress(done0+d*len(scs), pr.total) }
	}
	if _, err := batch.Run(ctx); err != nil {
		return err
	}
	pr.done += q.Runs * len(scs)
	for i, r := range b {
		res.Rows[r].Cells[v] = changes(res.Spec, len(q.Dates), kept[0], kept[i+1], q.Runs)
	}
	return nil
}

// changes summarises the paired changes other − base of each cell.
func changes(spec *LeverTable, dates int, base, other []float64, runs int) []LeverChange {
	K := len(base) / runs
	out := make([]LeverChange, K)
	d := make([]float64, runs)
	for k := range out {
		abs := spec.Outputs[k/dates].Absolute
		higher, lower := 0, 0
		for r := 0; r < runs; r++ {
			x, y := base[r*K+k], other[r*K+k]
			d[r] = PairedChange(x, y, abs)
			if y > x {
				higher++
			} else if y < x {
				lower++
			}
		}
		out[k] = LeverChange{Median: Summarize(d).P50(), ShareHigher: float64(higher) / float64(runs),
			ShareLower: float64(lower) / float64(runs)}
	}
	return out
}

// PairedChange is y against x: y − x when absolute, else (y − x)/|x|
// (0 when both are 0, ±Inf when only x is).
func PairedChange(x, y float64, absolute bool) float64 {
	if absolute {
		return y - x
	}
	switch {
	case x != 0:
		return (y - x) / math.Abs(x)
	case y == 0:
		return 0
	}
	return math.Inf(int(math.Copysign(1, y)))
}

// valueAt is lever l's value at period at in sc as its events are written:
// the last event on l effective by then, every event taken to happen on
// its date; def before any.
func valueAt(sc *Scenario, l int, def float64, at Period) float64 {
	v := def
	for _, e := range sc.Events {
		if e.Lever == l && e.Effective <= at {
			v = e.Value
		}
	}
	return v
}

// atStrong reports whether v is the lever's strong value or beyond it.
func atStrong(l *Lever, v float64) bool {
	s := l.Strong
	return v == s.Value || s.Stronger > 0 && v > s.Value || s.Stronger < 0 && v < s.Value
}

// openKey names a set of open settings, whatever their order.
func openKey(open []Setting) string {
	var ks []string
	for _, s := range open {
		ks = append(ks, fmt.Sprintf("%s=%v", s.Key, s.Value))
	}
	slices.Sort(ks)
	return strings.Join(ks, ";")
}

// withLever returns sc with lever l held at v from period from: the
// lever's events that could take effect from then on are dropped (those
// effective then or later, and those with a delay), and an event with id
// sets v at from, announced then (no stockpiling ahead of it). The other
// events keep their ids, so they draw alike.
func withLever(sc *Scenario, l int, v float64, from Period, id string) *Scenario {
	out := *sc
	out.Events = nil
	for _, e := range sc.Events {
		if e.Lever == l && (e.Effective >= from || e.Delay != nil) {
			continue
		}
		out.Events = append(out.Events, e)
	}
	out.Events = append(out.Events, Event{ID: id, Lever: l, Value: v, Effective: from, Announced: from, Probability: 1})
	out.Name = sc.Name + "+" + id
	out.Hash = ""
	return &out
}

// zeroParams returns sc with each parameter of keys fixed at 0.
func zeroParams(sc *Scenario, reg *Registry, keys []string) *Scenario {
	out := *sc
	out.Params = slices.Clone(sc.Params)
	zero, _ := dist.Parse(0.0)
	for _, k := range keys {
		if i, ok := reg.ParamIndex(k); ok {
			out.Params[i] = zero
		}
	}
	out.Name = sc.Name + "+induced-off"
	out.Hash = ""
	return &out
}

// inSpan reports whether p is a quarter of s.
func inSpan(s Span, p Period) bool { return s.Start <= p && p <= s.End }
