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
			assert.InDelta(t, want, tTwoSidedFromR(r, float64(dof)), 1e-12, "dof %d, t %v", dof, tt)
		}
	}
	for _, tt := range []float64{0.5, 1.96, 3} {
		const dof = 1_000_000
		r := tt / math.Sqrt(tt*tt+dof)
		// The t density differs from the normal by O(1/ν), here ~1e-6; 1e-5
		// covers it.
		assert.InDelta(t, math.Erfc(tt/math.Sqrt2), tTwoSidedFromR(r, float64(dof)), 1e-5, "t %v", tt)
	}
	assert.Equal(t, 1.0, tTwoSidedFromR(0, 10), "r = 0")
	assert.Equal(t, 0.0, tTwoSidedFromR(1, 10), "r = 1")
	assert.Equal(t, 0.0, tTwoSidedFromR(-1, 10), "r = −1")
}

// oldTPValue holds {r, dof, p}, computed by the hand-written incomplete
// beta function (a Lentz continued fraction) gonum's replaced: the two-sided Student-t p-value of a
// correlation r on dof degrees of freedom, I_{1-r²}(dof/2, 1/2).
var oldTPValue = [][3]float64{
	{0, 1, 1},
	{0.01, 1, 0.9936336961682543},
	{0.1, 1, 0.9362314391414801},
	{0.3, 1, 0.8060266319586433},
	{0.5, 1, 0.6666666666666667},
	{0.9, 1, 0.2871325862574123},
	{0.99, 1, 0.09010682728882431},
	{1, 1, 0},
	{0, 2, 1},
	{0.01, 2, 0.9900000000000005},
	{0.1, 2, 0.8999999999999999},
	{0.3, 2, 0.7000000000000002},
	{0.5, 2, 0.5},
	{0.9, 2, 0.09999999999999995},
	{0.99, 2, 0.010000000000000023},
	{1, 2, 0},
	{0, 5, 1},
	{0.01, 5, 0.983024321550496},
	{0.1, 5, 0.8310822789720564},
	{0.3, 5, 0.5133096913600135},
	{0.5, 5, 0.25316999510032256},
	{0.9, 5, 0.0057515151819028856},
	{0.99, 5, 1.9103954888203722e-05},
	{1, 5, 0},
	{0, 30, 1},
	{0.01, 30, 0.9566808827089195},
	{0.1, 30, 0.5860649647763347},
	{0.3, 30, 0.09527344416868841},
	{0.5, 30, 0.003568523308817685},
	{0.9, 30, 2.419310297146583e-12},
	{0.99, 30, 4.4324799411872155e-27},
	{1, 30, 0},
	{0, 1000, 1},
	{0.01, 1000, 0.7518836295710638},
	{0.1, 1000, 0.0015273578790524658},
	{0.3, 1000, 2.76139888191428e-22},
	{0.5, 1000, 1.706877942165715e-64},
	{0.9, 1000, 0},
	{0.99, 1000, 0},
	{1, 1000, 0},
	{0, 100000, 1},
	{0.01, 100000, 0.0015650197620450754},
	{0.1, 100000, 1.4495725928241553e-220},
	{0.3, 100000, 0},
	{0.5, 100000, 0},
	{0.9, 100000, 0},
	{0.99, 100000, 0},
	{1, 100000, 0},
}

// TestTTwoSidedMatchesOld pins the p-values to those of the hand-written
// incomplete beta function they replaced. On this grid the two agree to
// 5e-14 relative except at dof = 100000, r = 0.01, where the shape
// dof/2 = 50000 makes I_{1−r²} ill-conditioned: there both are 8e-11 from
// mpmath's value and 1.03e-12 from each other. 2e-12 relative (1e-300
// absolute for p-values that underflow) bounds that; p-values are reported
// to three digits.
func TestTTwoSidedMatchesOld(t *testing.T) {
	for _, c := range oldTPValue {
		got := tTwoSidedFromR(c[0], c[1])
		assert.InDelta(t, c[2], got, 2e-12*c[2]+1e-300, "r %v, dof %v", c[0], c[1])
	}
}
