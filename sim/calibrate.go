package sim

import "slices"

// Observation is a real-world figure a model should reproduce: an output
// over some quarters, with the range reported.
type Observation struct {
	ID       string
	Text     string
	Output   string
	From, To Period
	// Aggregate is "sum" over the quarters From..To, "value" at From, or
	// "ratio" of the value at To to the value at From.
	Aggregate          string
	Low, Central, High float64
	Unit               string
	Source             string
}

// Measure returns the observed quantity for one run, given a function that
// reads the run's value of the observation's output at a period.
func (o *Observation) Measure(at func(Period) float64) float64 {
	switch o.Aggregate {
	case "sum":
		s := 0.0
		for p := o.From; p <= o.To; p++ {
			s += at(p)
		}
		return s
	case "ratio":
		return at(o.To) / at(o.From)
	}
	return at(o.From)
}

// Check compares one observation with a batch.
type Check struct {
	Observation
	Model Stats // the model's distribution of the observed quantity
	// Covered: the observed central value lies within the model's 90%
	// interval. Overlap: the observed range and that interval overlap.
	Covered, Overlap bool
}

// Backtest measures each observation in every run of scenario s of res.
// Observations outside the result's span are skipped.
func (r *Result) Backtest(s int, obs []Observation) []Check {
	sr := r.Scenarios[s]
	T := r.Span.Len()
	C := r.Cells()
	var out []Check
	vals := make([]float64, r.N())
	for _, o := range obs {
		oi, ok := r.Registry.OutputIndex(o.Output)
		if !ok || o.From < r.Span.Start || o.To > r.Span.End {
			continue
		}
		for run := range vals {
			base := run*C + oi*T
			vals[run] = o.Measure(func(p Period) float64 { return sr.Values[base+r.Span.Index(p)] })
		}
		st := Summarize(slices.Clone(vals))
		out = append(out, Check{Observation: o, Model: st,
			Covered: st.P05() <= o.Central && o.Central <= st.P95(),
			Overlap: st.P05() <= o.High && o.Low <= st.P95()})
	}
	return out
}
