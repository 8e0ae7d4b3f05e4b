package sim

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/chokepoint-sim/chokepoint/sim/dist"
)

// With an ensemble every run's parameters are one of its rows, the same
// rows whatever the workers, except a parameter the scenario fixes; rows
// are all used.
func TestBatchEnsembleRows(t *testing.T) {
	m := newToy()
	rows := []float64{1, 10, 2, 20, 3, 30} // three rows of (toy.a, toy.b)
	ens, err := NewEnsemble(2, rows)
	require.NoError(t, err)
	run := func(workers int, sc *Scenario) *Result {
		return runToy(t, Batch{Model: m, Scenarios: []*Scenario{sc}, Span: sc.Span, Runs: 300, Seed: 4, Workers: workers, Ensemble: ens})
	}
	plain := toyScenario(m, "plain")
	one, two := run(1, plain), run(2, plain)
	assert.Equal(t, one.Scenarios[0].Params, two.Scenarios[0].Params)
	assert.Equal(t, one.Scenarios[0].Values, two.Scenarios[0].Values)
	seen := map[float64]int{}
	ps := one.Scenarios[0].Params
	for r := 0; r < 300; r++ {
		a, b := ps[2*r], ps[2*r+1]
		assert.Equal(t, 10*a, b, "run %d mixes rows", r)
		seen[a]++
	}
	// 300 runs over 3 rows: each about 100 (binomial sd 8; 4 sd either way).
	for _, a := range []float64{1, 2, 3} {
		assert.InDelta(t, 100, seen[a], 33, "row %g", a)
	}

	fixed := toyScenario(m, "fixed")
	d, err := dist.ParseText("7")
	require.NoError(t, err)
	fixed.Params[1] = d
	ps = run(2, fixed).Scenarios[0].Params
	for r := 0; r < 300; r++ {
		assert.Equal(t, 7.0, ps[2*r+1], "the fixed parameter overrides the ensemble")
		assert.Equal(t, one.Scenarios[0].Params[2*r], ps[2*r], "the others keep their row")
	}

	bad, err := NewEnsemble(3, []float64{1, 2, 3})
	require.NoError(t, err)
	_, err = (&Batch{Model: m, Scenarios: []*Scenario{plain}, Span: plain.Span, Runs: 5, Ensemble: bad}).Run(t.Context())
	assert.ErrorContains(t, err, "3 parameters")
}
