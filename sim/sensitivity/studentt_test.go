package sensitivity

import (
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
)

// Two-sided p-values of Student's t against the closed forms of Abramowitz &
// Stegun (1964, 26.7.3 and 26.7.4), A(t|ν) = P(|T| < t) with
// θ = atan(t/√ν): ν = 1, A = 2θ/π; ν = 2, A = sin θ; ν = 3,
// A = (2/π)(θ + sin θ cos θ); ν = 4, A = sin θ (1 + cos²θ/2). For large ν
// the limit is the normal, 2(1 − Φ(t)) = erfc(t/√2).
func TestTTwoSided(t *testing.T) {
	closed := map[int]func(th float64) float64{
		1: func(th float64) float64 { return 2 * th / math.Pi },
		2: func(th float64) float64 { return math.Sin(th) },
		3: func(th float64) float64 { return 2 / math.Pi * (th + math.Sin(th)*math.Cos(th)) },
		4: func(th float64) float64 { return math.Sin(th) * (1 + math.Cos(th)*math.Cos(th)/2) },
	}
	for dof, a := range closed {
		for _, tt := range []float64{0, 0.1, 0.5, 1, 2, 3.5, 10, 100} {
			r := tt / math.Sqrt(tt*tt+float64(dof)) // the r whose t statistic is tt
			want := 1 - a(math.Atan(tt/math.Sqrt(float64(dof))))
			// 1e-12 absolute: double-precision evaluation of either side.
			assert.InDelta(t, want, tTwoSidedFromR(r, dof), 1e-12, "dof %d, t %v", dof, tt)
		}
	}
	for _, tt := range []float64{0.5, 1.96, 3} {
		const dof = 1_000_000
		r := tt / math.Sqrt(tt*tt+dof)
		// The t density differs from the normal by O(1/ν), here ~1e-6; 1e-5
		// covers it.
		assert.InDelta(t, math.Erfc(tt/math.Sqrt2), tTwoSidedFromR(r, dof), 1e-5, "t %v", tt)
	}
	assert.Equal(t, 1.0, tTwoSidedFromR(0, 10), "r = 0")
	assert.Equal(t, 0.0, tTwoSidedFromR(1, 10), "r = 1")
	assert.Equal(t, 0.0, tTwoSidedFromR(-1, 10), "r = −1")
}
