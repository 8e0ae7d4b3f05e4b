package sensitivity

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// linearCoef are the coefficients of the linear test function
// y = 10 u1 + 5 u2 + 1 u3 + 0 u4 of the brief: distinct, well separated, and
// one input that does nothing.
var linearCoef = []float64{10, 5, 1, 0}

func linear(u []float64) float64 {
	var y float64
	for i, c := range linearCoef {
		y += c * u[i]
	}
	return y
}

// For a linear function every elementary effect is the coefficient itself
// (Morris 1991), so mu* = |mu| = coefficient and sigma = 0, up to rounding.
func TestMorrisLinearExact(t *testing.T) {
	for _, tc := range []struct {
		r, levels int
		seed      uint64
	}{
		{r: 50, levels: 4, seed: 1}, // the brief's r and p
		{r: 10, levels: 6, seed: 2},
		{r: 2, levels: 2, seed: 3}, // smallest legal design
	} {
		d := NewMorrisDesign(tc.r, len(linearCoef), tc.levels, tc.seed)
		muStar, mu, sigma := d.Indices(evalAll(d.Points, linear))
		for i, c := range linearCoef {
			// 1e-9: EE = Δy/Δu in double precision, with y ≈ 16 and
			// Δu ≥ 1/2, is exact to ~1e-14.
			assert.InDelta(t, c, muStar[i], 1e-9, "mu*[%d], r=%d p=%d", i, tc.r, tc.levels)
			assert.InDelta(t, c, mu[i], 1e-9, "mu[%d]", i)
			assert.InDelta(t, 0, sigma[i], 1e-9, "sigma[%d]", i)
		}
	}
}

func TestMorrisLinearNoisyRanks(t *testing.T) {
	const r, levels = 50, 4 // the brief's design
	d := NewMorrisDesign(r, len(linearCoef), levels, 7)
	noise := rand.New(rand.NewPCG(1, 1))
	// Noise sd 0.1 is small next to the smallest nonzero coefficient (1):
	// each EE picks up noise of sd 0.1·√2/Δ ≈ 0.21.
	y := evalAll(d.Points, func(u []float64) float64 { return linear(u) + 0.1*noise.NormFloat64() })
	muStar, _, _ := d.Indices(y)
	for i := 1; i < len(muStar); i++ {
		assert.Greater(t, muStar[i-1], muStar[i], "mu* ranks input %d above %d", i-1, i)
	}
	for i, c := range linearCoef {
		// mu* of an input with coefficient c is about max(c, E|N(0, 0.21²)|
		// ≈ 0.17); its mean over 50 effects varies by ≈ 0.03. 0.25 leaves
		// room for both.
		assert.InDelta(t, c, muStar[i], 0.25, "mu*[%d]", i)
	}
}

func TestMorrisDesignStructure(t *testing.T) {
	const r, k, levels = 20, 5, 6
	d := NewMorrisDesign(r, k, levels, 11)
	require.Len(t, d.Points, r*(k+1))
	require.Len(t, d.Order, r)
	assert.InDelta(t, 0.6, d.Delta, 1e-15, "Delta = p/(2(p−1)) = 6/10") // Morris 1991
	onGrid := func(u float64) bool {
		l := u * (levels - 1)
		return math.Abs(l-math.Round(l)) < 1e-12 && u >= 0 && u <= 1
	}
	for tr := 0; tr < r; tr++ {
		order := slices.Clone(d.Order[tr])
		slices.Sort(order)
		assert.Equal(t, []int{0, 1, 2, 3, 4}, order, "trajectory %d moves every input once", tr)
		for s := 0; s <= k; s++ {
			row := d.Points[tr*(k+1)+s]
			for _, u := range row {
				assert.True(t, onGrid(u), "point %v off the grid", u)
			}
			if s == k {
				continue
			}
			next := d.Points[tr*(k+1)+s+1]
			for i := range row {
				diff := math.Abs(next[i] - row[i])
				if i == d.Order[tr][s] {
					assert.InDelta(t, d.Delta, diff, 1e-12, "step size")
				} else {
					assert.Zero(t, diff, "only input %d moves at step %d", d.Order[tr][s], s)
				}
			}
		}
	}

	assert.Equal(t, d, NewMorrisDesign(r, k, levels, 11), "same seed, same design")
	assert.NotEqual(t, d.Points, NewMorrisDesign(r, k, levels, 12).Points, "new seed, new design")
}

func TestMorrisDegenerate(t *testing.T) {
	d := NewMorrisDesign(5, 3, 4, 1)
	muStar, mu, sigma := d.Indices(evalAll(d.Points, func([]float64) float64 { return 2.5 }))
	assert.False(t, hasNaN(muStar, mu, sigma))
	assert.Equal(t, []float64{0, 0, 0}, muStar)
	assert.Equal(t, []float64{0, 0, 0}, mu)
	assert.Equal(t, []float64{0, 0, 0}, sigma)

	assertPanics(t, "r < 2", func() { NewMorrisDesign(1, 3, 4, 1) })
	assertPanics(t, "k < 1", func() { NewMorrisDesign(4, 0, 4, 1) })
	assertPanics(t, "odd levels", func() { NewMorrisDesign(4, 3, 5, 1) })
	assertPanics(t, "levels < 2", func() { NewMorrisDesign(4, 3, 0, 1) })
	assertPanics(t, "short y", func() { d.Indices(make([]float64, 3)) })
}
