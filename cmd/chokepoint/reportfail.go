package main

import (
	"fmt"
	"strings"

	"github.com/chokepoint-sim/chokepoint/output"
	"github.com/chokepoint-sim/chokepoint/output/report"
	"github.com/chokepoint-sim/chokepoint/sim"
	"github.com/chokepoint-sim/chokepoint/sim/discover"
)

// failureSection is the report's "When does it fail?": in the main
// comparison (the second scenario against the first), the runs in which the
// second scenario moves the first report output at 2030Q4 (else the last
// quarter) the other way from its median effect, and the box of
// assumptions, found by PRIM, in which they concentrate. nil when there is
// no comparison, the runs' values were not kept, or the median effect is 0.
func failureSection(b *sim.Batch, res *sim.Result, diffs []sim.Diff) (*report.Failure, error) {
	reg := res.Registry
	keys := reg.Featured(sim.Report)
	if len(res.Scenarios) < 2 || !res.Exact || len(diffs) == 0 || len(keys) == 0 {
		return nil, nil
	}
	o, _ := reg.OutputIndex(keys[0])
	T := res.Span.Len()
	at := sim.NewPeriod(2030, 4)
	if t := res.Span.Index(at); t < 0 || t >= T {
		at = res.Span.End
	}
	cell := o*T + res.Span.Index(at)
	median := diffs[0].Stats[cell].P50()
	if median == 0 {
		return nil, nil
	}
	cond := condition{of: "diff", op: "<", than: 0}
	if median < 0 {
		cond.op = ">"
	}
	p := &discoverPlan{b: b, output: o, at: at, cond: cond}
	for q, d := range b.Scenarios[0].Params {
		if lo, hi := d.Support(); lo != hi {
			p.params = append(p.params, q)
		}
	}
	if len(p.params) == 0 {
		return nil, nil
	}
	data := dataFromResult(res, p.params, cell, cond)
	r, err := discover.Find(data, discover.Config{})
	if err != nil {
		return nil, err
	}
	base, other := res.Scenarios[0].Scenario.Name, res.Scenarios[1].Scenario.Name
	way, otherWay := "lower", "higher"
	if median > 0 {
		way, otherWay = "higher", "lower"
	}
	f := &report.Failure{
		Lead: fmt.Sprintf("In the median run, %s leaves %s at %s %s than %s does. In %d of %d runs (%s) it leaves it %s, against its median effect: these are the runs in which it fails.",
			other, reg.Outputs[o].Key, at, way, base, r.Interest, r.Rows, pct(r.Interest, r.Rows), otherWay),
	}
	if r.Interest == 0 {
		f.Box = "No run goes the other way, so there is no box to find."
		return f, nil
	}
	sentence, ok := p.sentence(r, data)
	f.Box = strings.ReplaceAll(sentence, "\n", " ")
	if !ok {
		return f, nil
	}
	d := &output.Discovery{Result: r, Params: data.Names, Case: p.caseWords(), Scenarios: base + ", " + other,
		Version: version, Seed: res.Seed}
	f.Chart = output.BoxChartOf(d)
	f.Table.Header = []string{"parameter", "in the box", "over all runs", "quasi-p"}
	for _, j := range r.Box.Restricted {
		f.Table.Rows = append(f.Table.Rows, []string{data.Names[j], short(r.Box.Limits[j].Lo) + " to " + short(r.Box.Limits[j].Hi),
			short(r.Prior[j].Lo) + " to " + short(r.Prior[j].Hi), output.PValue(r.PValues[j])})
	}
	return f, nil
}

// dataFromResult is the PRIM table of a batch whose runs were kept: the
// first scenario's draws of params, and whether the paired difference of
// cell (second scenario minus first) meets cond.
func dataFromResult(res *sim.Result, params []int, cell int, cond condition) *discover.Data {
	reg := res.Registry
	P, C := len(reg.Params), res.Cells()
	s0, s1 := res.Scenarios[0], res.Scenarios[1]
	n := res.N()
	d := &discover.Data{X: make([][]float64, len(params)), Y: make([]bool, n)}
	for j, q := range params {
		d.Names = append(d.Names, reg.Params[q].Key)
		d.X[j] = make([]float64, n)
		for i := 0; i < n; i++ {
			d.X[j][i] = s0.Params[i*P+q]
		}
	}
	for i := range d.Y {
		d.Y[i] = cond.holds(s1.Values[i*C+cell] - s0.Values[i*C+cell])
	}
	return d
}
