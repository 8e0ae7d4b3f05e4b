package calibrate

import (
	"context"
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/chokepoint-sim/chokepoint/sim"
)

// switchModel has a level k and a structural switch s: y(t) = k·(t+1)^(1+s),
// linear growth under formulation 0, quadratic under 1.
type switchModel struct{ reg *sim.Registry }

func newSwitchModel() switchModel {
	return switchModel{sim.NewRegistry(
		[]sim.Param{
			{Key: "toy.k", Unit: "1", Min: 0, Max: 10, Default: "0.5 to 1.5"},
			{Key: "toy.s", Unit: "formulation", Min: 0, Max: 1, Default: `{dist = "discrete", values = [0, 1], weights = [1, 1]}`},
		}, nil, []sim.Output{{Key: "y", Unit: "1"}})}
}

func (m switchModel) Registry() *sim.Registry       { return m.reg }
func (m switchModel) NewRunner(sim.Span) sim.Runner { return switchRunner{} }

type switchRunner struct{}

func (switchRunner) Run(in *sim.RunInput, out []float64) {
	for t := range out {
		out[t] = in.Params[0] * math.Pow(float64(t+1), 1+in.Params[1])
	}
}

// The posterior weight of each formulation follows the data: growth
// observed to be quadratic puts nearly all the weight on formulation 1.
func TestFormulationWeights(t *testing.T) {
	m := newSwitchModel()
	at := func(q int, v float64) sim.Observation {
		p := sim.NewPeriod(2020, 1) + sim.Period(q)
		return sim.Observation{ID: "y", Output: "y", From: p, To: p, Aggregate: "value", Low: v * 0.8, Central: v, High: v * 1.25}
	}
	// The truth: k = 1, s = 1; y(0) = 1, y(7) = 64 (linear growth gives 8).
	obs := []sim.Observation{at(0, 1), at(7, 64)}
	d, err := Draw(context.Background(), batch(m, 2000, 4), obs)
	require.NoError(t, err)
	terms, err := Terms(obs)
	require.NoError(t, err)
	post, err := Weigh(d, terms, []bool{true, true})
	require.NoError(t, err)
	rep := Diagnose(d, terms, post, DefaultOptions)
	require.Len(t, rep.Structure, 2)
	f0, f1 := rep.Structure[0], rep.Structure[1]
	assert.Equal(t, []float64{0, 1}, []float64{f0.Value, f1.Value})
	// Prior weights 1:1; 2000 runs put each share within 0.04 of a half
	// (3 binomial sd).
	assert.InDelta(t, 0.5, f0.Prior, 0.04)
	assert.InDelta(t, 1, f0.Prior+f1.Prior, 1e-9)
	// y(7) = 8 under the linear formulation is ln(64/8)/(ln 1.25/1.645) =
	// 15 sd from the observation: its weight is nil.
	assert.Greater(t, f1.Post, 0.999)
	assert.InDelta(t, 1, f0.Post+f1.Post, 1e-9)
}
