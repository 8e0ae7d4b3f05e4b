package calibrate

import (
	"context"
	"fmt"

	"github.com/chokepoint-sim/chokepoint/sim"
	"github.com/chokepoint-sim/chokepoint/sim/dist"
)

// Draws are what calibration keeps of each run of a prior ensemble: its
// drawn parameters and the observed quantities measured in it, never its
// outputs. Run Lo+r is at row r.
type Draws struct {
	Registry *sim.Registry
	Obs      []sim.Observation
	Seed     uint64
	Runs     int // the whole ensemble's run count
	Lo, Hi   int // the runs held
	// Params[r*P+p] is parameter p of held run r.
	Params []float64
	// Measures[r*K+k] is observation k measured in held run r (NaN when
	// undefined there, as a ratio to zero).
	Measures []float64
	// Discrete[p] says parameter p was drawn from a discrete distribution:
	// a structural switch, whose formulations calibration weighs.
	Discrete []bool
}

// N is the number of runs held.
func (d *Draws) N() int { return d.Hi - d.Lo }

// P is the number of parameters, K of observations.
func (d *Draws) P() int { return len(d.Registry.Params) }

// K is the number of observations.
func (d *Draws) K() int { return len(d.Obs) }

// Draw runs the batch b (one scenario: the prior) and measures every
// observation in every run as the runs go, keeping P+K numbers a run: the
// batch keeps neither values nor summaries. Every observation must name
// an output of the model and lie inside the batch's span.
func Draw(ctx context.Context, b *sim.Batch, obs []sim.Observation) (*Draws, error) {
	if len(b.Scenarios) != 1 {
		return nil, fmt.Errorf("calibrate: the prior is one scenario, found %d", len(b.Scenarios))
	}
	reg := b.Model.Registry()
	hi := b.Hi
	if hi == 0 {
		hi = b.Runs
	}
	if b.Lo < 0 || hi > b.Runs || b.Lo >= hi {
		return nil, fmt.Errorf("calibrate: bad run range [%d, %d) of %d", b.Lo, hi, b.Runs)
	}
	T := b.Span.Len()
	outIdx := make([]int, len(obs))
	for k := range obs {
		o := &obs[k]
		oi, ok := reg.OutputIndex(o.Output)
		if !ok {
			return nil, fmt.Errorf("calibrate: observation %s: the model has no output %q", o.ID, o.Output)
		}
		if o.From < b.Span.Start || o.To > b.Span.End {
			return nil, fmt.Errorf("calibrate: observation %s (%s-%s) lies outside the span %s-%s", o.ID, o.From, o.To, b.Span.Start, b.Span.End)
		}
		outIdx[k] = oi
	}
	P, K, n := len(reg.Params), len(obs), hi-b.Lo
	d := &Draws{Registry: reg, Obs: obs, Seed: b.Seed, Runs: b.Runs, Lo: b.Lo, Hi: hi,
		Params: make([]float64, n*P), Measures: make([]float64, n*K), Discrete: discrete(b.Scenarios[0])}
	lo, span := b.Lo, b.Span
	b.Discard = true
	b.Observe = func(run, _ int, params, values []float64) {
		r := run - lo
		copy(d.Params[r*P:(r+1)*P], params)
		m := d.Measures[r*K : (r+1)*K]
		for k := range obs {
			base := outIdx[k] * T
			m[k] = obs[k].Measure(func(p sim.Period) float64 { return values[base+span.Index(p)] })
		}
	}
	if _, err := b.Run(ctx); err != nil {
		return nil, err
	}
	return d, nil
}

// discrete marks the parameters a scenario draws from a discrete
// distribution with more than one value.
func discrete(sc *sim.Scenario) []bool {
	out := make([]bool, len(sc.Params))
	for p, dd := range sc.Params {
		lo, hi := dd.Support()
		_, isDiscrete := dd.(dist.Discrete)
		out[p] = lo < hi && isDiscrete
	}
	return out
}
