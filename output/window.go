package output

import (
	"fmt"

	"github.com/chokepoint-sim/chokepoint/sim"
)

// Window returns the part of d from period from to period to (0: d's
// first, last): every table cut to those quarters, so that charts drawn
// from it show that span alone and their wide tables hold it alone. d is
// left as it was; the result shares no slice with it that a later change
// could reach. A span outside d's, or one that ends before it starts, is
// refused.
func (d *ResultsData) Window(from, to sim.Period) (*ResultsData, error) {
	if from == 0 {
		from = d.Span.Start
	}
	if to == 0 {
		to = d.Span.End
	}
	switch {
	case to < from:
		return nil, fmt.Errorf("--to %s is before --from %s", to, from)
	case from < d.Span.Start || to > d.Span.End:
		return nil, fmt.Errorf("--from %s --to %s: outside the results' span %s-%s", from, to, d.Span.Start, d.Span.End)
	}
	if from == d.Span.Start && to == d.Span.End {
		return d, nil
	}
	T, O := d.T(), len(d.Outputs)
	lo, n := d.Span.Index(from), d.Span.Index(to)-d.Span.Index(from)+1
	w := *d
	w.Span = sim.Span{Start: from, End: to}
	w.Scenarios = make([]ScenarioData, len(d.Scenarios))
	for i, s := range d.Scenarios {
		s.Stats = cutCells(s.Stats, O, T, lo, n)
		w.Scenarios[i] = s
	}
	w.Diffs = make([]DiffData, len(d.Diffs))
	for i, df := range d.Diffs {
		df.Stats = cutCells(df.Stats, O, T, lo, n)
		df.ShareHigher = cutCells(df.ShareHigher, O, T, lo, n)
		df.Ratio = cutCells(df.Ratio, O, T, lo, n)
		df.ShareChanged = cutCells(df.ShareChanged, O, T, lo, n)
		df.Changed = cutCells(df.Changed, O, T, lo, n)
		df.ChangedRatio = cutCells(df.ChangedRatio, O, T, lo, n)
		w.Diffs[i] = df
	}
	if d.Samples != nil {
		runs := len(d.Samples.Runs)
		s := &Samples{Runs: d.Samples.Runs, Values: make([][]float64, len(d.Samples.Values))}
		for sc, vals := range d.Samples.Values {
			s.Values[sc] = cutCells(vals, runs*O, T, lo, n)
		}
		w.Samples = s
	}
	w.Sensitivity = nil
	for _, r := range d.Sensitivity {
		if r.Period >= from && r.Period <= to {
			w.Sensitivity = append(w.Sensitivity, r)
		}
	}
	return &w, nil
}

// cutCells keeps, of rows rows of T periods each (row-major), the n
// periods from lo of every row. A nil table stays nil.
func cutCells[E any](cells []E, rows, T, lo, n int) []E {
	if cells == nil || len(cells) < rows*T {
		return cells
	}
	out := make([]E, 0, rows*n)
	for r := range rows {
		out = append(out, cells[r*T+lo:r*T+lo+n]...)
	}
	return out
}
