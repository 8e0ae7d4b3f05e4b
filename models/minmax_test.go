package models

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/require"
)

// fmin and fmax, and the written-out branches WebAssembly uses, give the
// built-ins' answers bit for bit on signed zeros, NaNs, infinities and
// random values: the model's numbers must not depend on where it runs.
func TestMinMaxAreTheBuiltins(t *testing.T) {
	special := []float64{0, math.Copysign(0, -1), 1, -1, math.NaN(), math.Inf(1), math.Inf(-1),
		math.SmallestNonzeroFloat64, -math.MaxFloat64}
	r := rand.New(rand.NewPCG(5, 6))
	vals := append([]float64{}, special...)
	for range 2000 {
		v := r.NormFloat64() * math.Pow(10, float64(r.IntN(40)-20))
		vals = append(vals, v, v) // and equal pairs
	}
	// NaN payloads differ by platform and print alike: a NaN result is
	// compared as NaN, every other bit for bit (signed zeros included).
	bits := func(v float64) uint64 {
		if v != v {
			return 1<<64 - 1
		}
		return math.Float64bits(v)
	}
	for i, x := range vals {
		for _, y := range append(append([]float64{}, special...), vals[(i+1)%len(vals)], vals[r.IntN(len(vals))]) {
			require.Equal(t, bits(min(x, y)), bits(fmin(x, y)), "min(%v, %v)", x, y)
			require.Equal(t, bits(max(x, y)), bits(fmax(x, y)), "max(%v, %v)", x, y)
			require.Equal(t, bits(min(x, y)), bits(minBranches(x, y)), "min(%v, %v) as on WebAssembly", x, y)
			require.Equal(t, bits(max(x, y)), bits(maxBranches(x, y)), "max(%v, %v) as on WebAssembly", x, y)
		}
		require.Equal(t, bits(min(1, max(0, x))), bits(clamp01Branches(x)), "clamp01(%v) as on WebAssembly", x)
		require.Equal(t, bits(min(1, max(0, x))), bits(clamp01(x)), "clamp01(%v)", x)
	}
}
