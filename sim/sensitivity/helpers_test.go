package sensitivity

import (
	"fmt"
	"math"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

// ishigami is the test function of Ishigami & Homma (1990, "An importance
// quantification technique in uncertainty analysis for computer models",
// ISUMA '90, 398–403) with a = 7, b = 0.1, the values used by Sobol' &
// Levitan (1999, Comput. Phys. Commun. 117:52–61) and Saltelli et al. (2008,
// Global Sensitivity Analysis: The Primer, §4.10), on x_i = −π + 2π u_i.
func ishigami(u []float64) float64 {
	const a, b = 7, 0.1
	x1 := -math.Pi + 2*math.Pi*u[0]
	x2 := -math.Pi + 2*math.Pi*u[1]
	x3 := -math.Pi + 2*math.Pi*u[2]
	s2 := math.Sin(x2)
	return math.Sin(x1) + a*s2*s2 + b*math.Pow(x3, 4)*math.Sin(x1)
}

// ishigamiIndices returns the analytic first- and total-order indices of
// ishigami. With x uniform on [−π, π]: E[sin x] = 0, E[sin² x] = 1/2,
// E[sin⁴ x] = 3/8, E[x⁴] = π⁴/5, E[x⁸] = π⁸/9. Writing
// f = sin x1 (1 + b x3⁴) + a sin² x2,
//
//	V1  = Var(sin x1 (1 + bπ⁴/5))     = (1 + bπ⁴/5)²/2
//	V2  = a² Var(sin² x2)             = a²(3/8 − 1/4) = a²/8
//	V3  = 0                           (E[f | x3] has no x3 since E[sin x1] = 0)
//	V13 = Var(b sin x1 (x3⁴ − π⁴/5)) = b²(π⁸/9 − π⁸/25)/2 = b²π⁸(1/18 − 1/50)
//	V   = V1 + V2 + V13              = a²/8 + bπ⁴/5 + b²π⁸/18 + 1/2
//
// and VT1 = V1 + V13, VT2 = V2, VT3 = V13. These give S = (0.3139, 0.4424,
// 0) and ST = (0.5576, 0.4424, 0.2437), the values tabulated by Sobol' &
// Levitan (1999) and Saltelli et al. (2008).
func ishigamiIndices() (s1, st []float64) {
	const a, b = 7.0, 0.1
	pi4 := math.Pow(math.Pi, 4)
	pi8 := pi4 * pi4
	v := a*a/8 + b*pi4/5 + b*b*pi8/18 + 0.5
	v1 := 0.5 * (1 + b*pi4/5) * (1 + b*pi4/5)
	v2 := a * a / 8
	v13 := b * b * pi8 * (1.0/18 - 1.0/50)
	return []float64{v1 / v, v2 / v, 0}, []float64{(v1 + v13) / v, v2 / v, v13 / v}
}

// evalAll evaluates f at every row of pts.
func evalAll(pts [][]float64, f func([]float64) float64) []float64 {
	y := make([]float64, len(pts))
	for j, p := range pts {
		y[j] = f(p)
	}
	return y
}

// assertPanics checks that f panics with a "sensitivity: " message, the
// package's marker for a contract violation.
func assertPanics(t *testing.T, name string, f func()) {
	t.Helper()
	var r any
	func() {
		defer func() { r = recover() }()
		f()
	}()
	if assert.NotNil(t, r, "%s: no panic", name) {
		assert.True(t, strings.HasPrefix(fmt.Sprint(r), "sensitivity: "), "%s: panic %q lacks the package prefix", name, r)
	}
}

func hasNaN(vs ...[]float64) bool {
	for _, v := range vs {
		for _, x := range v {
			if math.IsNaN(x) {
				return true
			}
		}
	}
	return false
}
