package sim

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestExactSumIsOrderIndependentAndCorrect(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 5))
	for trial := 0; trial < 200; trial++ {
		xs := make([]float64, 1+rng.IntN(400))
		for i := range xs {
			xs[i] = rng.NormFloat64() * math.Exp(rng.NormFloat64()*20)
		}
		var a ExactSum
		for _, x := range xs {
			a.Add(x)
		}
		rng.Shuffle(len(xs), func(i, j int) { xs[i], xs[j] = xs[j], xs[i] })
		var b, c ExactSum
		for i, x := range xs {
			if i%2 == 0 {
				b.Add(x)
			} else {
				c.Add(x)
			}
		}
		b.Merge(&c)
		assert.Equal(t, a.Value(), b.Value(), "trial %d", trial)
	}
	// 1e100 + 1 - 1e100 is 1, which plain float addition loses.
	var s ExactSum
	for _, x := range []float64{1e100, 1, -1e100} {
		s.Add(x)
	}
	assert.Equal(t, 1.0, s.Value())
	// 0.1 added ten times rounds to exactly 1 only when done exactly.
	var d ExactSum
	for i := 0; i < 10; i++ {
		d.Add(0.1)
	}
	assert.Equal(t, 1.0, d.Value())
}

// Partials serialises a sum the same way whatever the order its values
// came in, and SetPartials gives back a sum of the same value that keeps
// adding exactly.
func TestExactSumPartialsCanonical(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 8))
	for trial := range 300 {
		vals := make([]float64, 1+r.IntN(60))
		for i := range vals {
			vals[i] = r.NormFloat64() * math.Pow(2, float64(r.IntN(200)-100))
			if r.IntN(5) == 0 {
				vals[i] = -vals[max(0, i-1)] // cancellations
			}
		}
		var a, b ExactSum
		for _, v := range vals {
			a.Add(v)
		}
		perm := r.Perm(len(vals))
		for _, i := range perm {
			b.Add(vals[i])
		}
		pa, _ := a.Partials()
		pb, _ := b.Partials()
		require.Equal(t, pa, pb, "trial %d", trial)
		var c ExactSum
		c.SetPartials(pa, 0)
		require.Equal(t, a.Value(), c.Value())
		c.Add(1e-300)
		a.Add(1e-300)
		require.Equal(t, a.Value(), c.Value())
	}
}
