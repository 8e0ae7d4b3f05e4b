package dist

import (
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
	"gonum.org/v1/gonum/mathext"
)

// The numerics below moved to gonum (or, for the beta quantile, onto gonum's
// incomplete beta function); these tests pin them to the values the
// hand-written code gave (oldvalues_test.go), at the probabilities the
// samplers use and on a grid of shapes.

// TestNormalQuantileMatchesOld: gonum's NormalQuantile is AS 241 with the
// same coefficients, evaluated by Horner's rule in the same order, so the
// values are identical to the bit.
func TestNormalQuantileMatchesOld(t *testing.T) {
	for _, c := range oldNormQuantile {
		assert.Equal(t, c[1], normQuantile(c[0]), "z(%g)", c[0])
	}
	assert.Equal(t, 1.6448536269514715, z95, "z95, which every \"a to b\" interval uses")
}

// nearEnd reports whether got is within rel of want relative to the nearer
// end of [0, 1], or within one ulp of 1 (2^-53) absolutely: near 1 a
// float64 cannot hold 1 - x to better than that.
func nearEnd(got, want, rel float64) bool {
	return math.Abs(got-want) <= rel*math.Min(want, 1-want)+0x1p-53
}

// TestBetaQuantileMatchesOld: both the old and the new quantile return the
// smallest float64 at which their CDF reaches p; they differ only where the
// two incomplete beta functions round differently, which the old values
// show to be below 1e-13 relative (TestRegIncBetaMatchesOld). The
// quantile's relative error is that times p/(x f(x)), at most a few units
// on this grid, so 1e-12 bounds it.
func TestBetaQuantileMatchesOld(t *testing.T) {
	for _, c := range oldBetaQuantile {
		got := betaFn{a: c[0], b: c[1]}.quantile(c[2])
		assert.Truef(t, nearEnd(got, c[3], 1e-12), "beta(%g, %g) quantile(%g) = %.17g, was %.17g", c[0], c[1], c[2], got, c[3])
	}
	for _, c := range oldPERTQuantile {
		d := mustParse(t, tbl("dist", "pert", "min", c[0], "mode", c[1], "max", c[2]))
		// The same 1e-12, scaled to the range [min, max].
		assert.InDelta(t, c[4], d.Quantile(c[3]), 1e-12*(c[2]-c[0]), "pert%v quantile(%g)", c[:3], c[3])
	}
}

// TestRegIncBetaMatchesOld: Cephes incbet against the old Lentz continued
// fraction. The largest difference on the grid is 1.4e-13 relative, at
// I_0.5(40, 40) = 1/2, where each is 3.6e-14 off (on opposite sides; mpmath
// gives exactly 0.5); 2e-13 relative to the smaller tail bounds it.
func TestRegIncBetaMatchesOld(t *testing.T) {
	for _, c := range oldRegIncBeta {
		got := mathext.RegIncBeta(c[1], c[2], c[0])
		assert.Truef(t, nearEnd(got, c[3], 2e-13), "I_%g(%g, %g) = %.17g, was %.17g", c[0], c[1], c[2], got, c[3])
	}
}

// TestBetaFitMatchesOld: the fit bisects on comparisons of the two tails
// only, and on this grid the two incomplete beta functions order them the
// same way at every step, so the fitted shapes are identical to the bit.
func TestBetaFitMatchesOld(t *testing.T) {
	for _, c := range oldBetaFit {
		f, err := fitBeta(c[0], c[1])
		if assert.NoError(t, err) {
			assert.Equal(t, [2]float64{c[2], c[3]}, [2]float64{f.a, f.b}, "fit to p5=%g p95=%g", c[0], c[1])
		}
	}
}
