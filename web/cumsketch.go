package web

import (
	"math"
	"sync"

	"github.com/DataDog/sketches-go/ddsketch"
	"github.com/DataDog/sketches-go/ddsketch/mapping"
	"github.com/DataDog/sketches-go/ddsketch/store"

	"github.com/chokepoint-sim/chokepoint/sim"
)

// cumSketch sketches each run's running total of one output, quarter by
// quarter, for a batch too large to keep its runs: the engine's sketches
// summarise each quarter alone, and a quantile of a total is not a total of
// quantiles. It has the engine's relative accuracy (sim.SketchAccuracy). A
// sketch counts values in buckets, so its quantiles do not depend on the
// order in which workers add runs.
type cumSketch struct {
	out   int    // the output's index in the registry
	unit  string // the total's unit
	T     int    // quarters
	start int    // the first quarter summed
	mu    sync.Mutex
	q     []*ddsketch.DDSketch // by quarter
}

var cumMapping = func() mapping.IndexMapping {
	m, err := mapping.NewCubicallyInterpolatedMapping(sim.SketchAccuracy)
	if err != nil {
		panic("web: " + err.Error()) // a constant accuracy in (0, 1)
	}
	return m
}()

func newCumSketch(out int, unit string, span sim.Span, from sim.Period) *cumSketch {
	c := &cumSketch{out: out, unit: unit, T: span.Len(), start: max(0, span.Index(from))}
	c.q = make([]*ddsketch.DDSketch, c.T)
	for t := range c.q {
		c.q[t] = ddsketch.NewDDSketch(cumMapping, store.NewDenseStore(), store.NewDenseStore())
	}
	return c
}

// observe is the batch's Observe: it adds one run's running totals.
func (c *cumSketch) observe(_, _ int, _, values []float64) {
	row := values[c.out*c.T : (c.out+1)*c.T]
	c.mu.Lock()
	defer c.mu.Unlock()
	var sum float64
	for t, v := range row {
		if t >= c.start && !math.IsNaN(v) {
			sum += v
		}
		// As in the engine's sketches, only finite values are kept.
		if !math.IsInf(sum, 0) && !math.IsNaN(sum) {
			_ = c.q[t].Add(sum)
		}
	}
}

// series returns the five quantiles of every quarter; a quarter with no
// finite total is null.
func (c *cumSketch) series() *outputSeries {
	o := newSeries(c.unit, c.T)
	for t, sk := range c.q {
		var st sim.Stats
		for i, p := range sim.Probs {
			v, err := sk.GetValueAtQuantile(p)
			if err != nil {
				v = math.NaN()
			}
			st.Q[i] = v
		}
		o.fill(t, st)
	}
	return o
}
