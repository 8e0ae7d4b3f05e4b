package sim

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/assert"
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
