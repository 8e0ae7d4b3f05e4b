package sim

import (
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestUniformIsAPureFunction(t *testing.T) {
	h := KeyHash("param:fab.yield_ceiling")
	assert.Equal(t, Uniform(7, 42, h), Uniform(7, 42, h))
	assert.NotEqual(t, Uniform(7, 42, h), Uniform(8, 42, h), "seed changes the draw")
	assert.NotEqual(t, Uniform(7, 42, h), Uniform(7, 43, h), "run changes the draw")
	assert.NotEqual(t, Uniform(7, 42, h), Uniform(7, 42, KeyHash("param:fab.capacity_growth")), "key changes the draw")
	assert.NotEqual(t, UniformN(7, 42, h, 0), UniformN(7, 42, h, 1))
}

// The streams must look uniform and independent across runs and keys: a
// moment check on 200,000 draws and a lag-one correlation across runs.
func TestUniformStatistics(t *testing.T) {
	const n = 200_000
	keys := []uint64{KeyHash("a"), KeyHash("b")}
	var sum, sumSq, cross float64
	prev := 0.0
	for r := 0; r < n; r++ {
		u := Uniform(1, r, keys[r%2])
		require.Truef(t, u > 0 && u < 1, "draw %v outside (0, 1)", u)
		sum += u
		sumSq += u * u
		cross += (u - 0.5) * (prev - 0.5)
		prev = u
	}
	mean := sum / n
	variance := sumSq/n - mean*mean
	// Standard errors for n = 200,000: mean 0.00065, variance 0.00019,
	// lag covariance 0.00019; tolerances are about five of them.
	assert.InDelta(t, 0.5, mean, 0.0035)       // E[U] = 1/2
	assert.InDelta(t, 1.0/12, variance, 0.001) // Var[U] = 1/12
	assert.InDelta(t, 0, cross/n, 0.001)       // independent runs
	assert.False(t, math.IsNaN(mean))
}
