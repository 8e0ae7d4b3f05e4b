package calibrate

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gonum.org/v1/gonum/floats/scalar"
	"gonum.org/v1/gonum/stat"

	"github.com/chokepoint-sim/chokepoint/sim"
	"github.com/chokepoint-sim/chokepoint/sim/simtest"
)

// Observing a product of two independent parameters makes them
// negatively correlated in the posterior: the data allow a high one only
// with a low other.
func TestInducedCorrelation(t *testing.T) {
	p := sim.NewPeriod(2020, 1)
	// made_up_output at the first quarter is base × k; the prior medians
	// are about 1.4 and 0.9, so 1.3 ± 10% sits in the middle.
	obs := []sim.Observation{{ID: "product", Output: simtest.OutputKey, From: p, To: p, Aggregate: "value",
		Low: 1.3 / 1.1, Central: 1.3, High: 1.3 * 1.1}}
	d, err := Draw(context.Background(), batch(simtest.Model{}, 4000, 2), obs)
	require.NoError(t, err)
	terms, err := Terms(obs)
	require.NoError(t, err)
	post, err := Weigh(d, terms, []bool{true})
	require.NoError(t, err)
	rep := Diagnose(d, terms, post, DefaultOptions)
	require.Len(t, rep.Correlations, 1)
	c := rep.Correlations[0]
	assert.Equal(t, []string{"made_up.base", simtest.ParamKey}, []string{c.A, c.B})
	// Independent in the prior (sampling noise of 4000 runs: |r| < 0.05).
	assert.InDelta(t, 0, c.Prior, 0.05)
	// Prior log-sds 0.21 and 0.33, observation sd 0.058 on the log scale:
	// the posterior leaves log base + log k nearly fixed, r near −0.9.
	assert.Less(t, c.Post, -0.6)
}

// The chunked weighted correlation equals gonum's over all rows at once,
// across more than one chunk.
func TestCorrMatrixMatchesGonum(t *testing.T) {
	d, err := Draw(context.Background(), batch(simtest.Model{}, corrChunk+900, 8), nil)
	require.NoError(t, err)
	n, P := d.N(), d.P()
	rows := make([]int, n)
	x, y, w := make([]float64, n), make([]float64, n), make([]float64, n)
	for r := range rows {
		rows[r] = r
		x[r], y[r] = d.Params[r*P], d.Params[r*P+1]
		// Weights that tie the two parameters: heavier where both are high.
		w[r] = x[r] * y[r] * y[r]
	}
	params := []ParamCheck{{Index: 0}, {Index: 1}}
	got := corrMatrix(d, params, rows, w).At(0, 1)
	want := stat.Correlation(x, y, w)
	assert.True(t, scalar.EqualWithinAbs(got, want, 1e-12), "got %g, gonum %g", got, want)
	assert.InDelta(t, 1, corrMatrix(d, params, rows, nil).At(0, 0), 1e-12)
}
