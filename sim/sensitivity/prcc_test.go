package sensitivity

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/assert"
)

// uniformRows returns n rows of k plain uniforms from a seeded source.
func uniformRows(n, k int, rnd *rand.Rand) [][]float64 {
	x := make([][]float64, n)
	for i := range x {
		x[i] = make([]float64, k)
		for j := range x[i] {
			x[i][j] = rnd.Float64()
		}
	}
	return x
}

func TestPRCCLinear(t *testing.T) {
	rnd := rand.New(rand.NewPCG(1, 1))
	x := uniformRows(2000, 4, rnd) // the brief's 2,000 plain uniform rows
	y := make([]float64, len(x))
	for i, u := range x {
		y[i] = linear(u) + 0.1*rnd.NormFloat64() // small noise next to the unit coefficient
	}
	coef, p := PRCC(x, y)
	t.Logf("PRCC %.4f, p %.3g", coef, p)
	for i := 1; i < len(coef); i++ {
		assert.Greater(t, math.Abs(coef[i-1]), math.Abs(coef[i]), "|PRCC| ranks input %d above %d", i-1, i)
	}
	for i := 0; i < 3; i++ {
		assert.Greater(t, coef[i], 0.0, "positive coefficient, positive PRCC")
		assert.Less(t, p[i], 1e-6, "input %d clearly significant", i)
	}
	// Under no effect PRCC has sd ≈ 1/√(n−k−1) ≈ 0.022 (from the t
	// statistic); 0.1 is four and a half of them.
	assert.InDelta(t, 0, coef[3], 0.1, "inert input")
	assert.Greater(t, p[3], 1e-4, "inert input not significant")
}

func TestPRCCMonotone(t *testing.T) {
	rnd := rand.New(rand.NewPCG(2, 2))
	x := uniformRows(500, 3, rnd)
	y := make([]float64, len(x))
	for i, u := range x {
		y[i] = math.Exp(3*u[0]) + u[1] // u[2] inert
	}
	coef, _ := PRCC(x, y)
	assert.Greater(t, coef[0], coef[1], "the exponential input ranks first")
	assert.Greater(t, coef[1], math.Abs(coef[2]), "then the linear one")
	assert.Greater(t, coef[1], 0.0)
}

// With a single input the PRCC is Spearman's rank correlation.
func TestPRCCSpearman(t *testing.T) {
	x := [][]float64{{1}, {2}, {3}, {4}, {5}}
	y := []float64{2, 1, 4, 3, 5}
	coef, p := PRCC(x, y)
	// Without ties ρ = 1 − 6Σd²/(n(n²−1)); d = (−1, 1, −1, 1, 0), Σd² = 4,
	// so ρ = 1 − 24/120 = 0.8 (Spearman 1904).
	assert.InDelta(t, 0.8, coef[0], 1e-14, "rounding only")
	// t = 0.8 √(3/0.36) on 3 dof; A&S 26.7.3 for odd ν: the two-sided
	// p-value is 1 − (2/π)(θ + sin θ cos θ) with θ = atan(t/√3).
	tt := 0.8 * math.Sqrt(3/0.36)
	th := math.Atan(tt / math.Sqrt(3))
	assert.InDelta(t, 1-2/math.Pi*(th+math.Sin(th)*math.Cos(th)), p[0], 1e-12, "continued fraction vs closed form")
}

// PRCC must equal Marino et al.'s definition computed the long way: the
// correlation of residuals from least-squares fits on the other inputs'
// ranks.
func TestPRCCMatchesResidualDefinition(t *testing.T) {
	for _, tc := range []struct {
		n, k int
		seed uint64
	}{
		{40, 2, 1}, {100, 3, 2}, {300, 5, 3},
	} {
		rnd := rand.New(rand.NewPCG(tc.seed, 5))
		x := uniformRows(tc.n, tc.k, rnd)
		y := make([]float64, tc.n)
		for i, u := range x {
			for j := range u {
				u[j] = math.Round(u[j]*20) / 20 // coarse values, to exercise ties
			}
			y[i] = math.Exp(2*u[0]) - u[1]*u[1] + u[0]*u[tc.k-1] + 0.3*rnd.NormFloat64()
		}
		coef, _ := PRCC(x, y)
		want := residualPRCC(x, y)
		for j := range coef {
			// Sweep and normal-equation arithmetic differ in rounding; 1e-10
			// is far below any meaningful difference.
			assert.InDelta(t, want[j], coef[j], 1e-10, "n=%d k=%d input %d", tc.n, tc.k, j)
		}
	}
}

// residualPRCC computes PRCC by explicit regressions, orthogonalising with
// modified Gram–Schmidt (Golub & Van Loan 2013, Matrix Computations, §5.2.8).
func residualPRCC(x [][]float64, y []float64) []float64 {
	n, k := len(x), len(x[0])
	rank := func(v []float64) []float64 {
		r, ok := centredRanks(v)
		if !ok {
			return make([]float64, len(v))
		}
		return r
	}
	ranks := make([][]float64, k)
	for j := range ranks {
		c := make([]float64, n)
		for i := range x {
			c[i] = x[i][j]
		}
		ranks[j] = rank(c)
	}
	ry := rank(y)
	out := make([]float64, k)
	for j := 0; j < k; j++ {
		// Orthonormal basis of {1, other ranks}.
		one := make([]float64, n)
		for i := range one {
			one[i] = 1
		}
		cand := [][]float64{one}
		for l := 0; l < k; l++ {
			if l != j {
				cand = append(cand, append([]float64(nil), ranks[l]...))
			}
		}
		basis := orthonormalise(cand)
		rx, rr := residual(basis, ranks[j]), residual(basis, ry)
		out[j] = dot(rx, rr) / math.Sqrt(dot(rx, rx)*dot(rr, rr))
	}
	return out
}

// orthonormalise turns the vectors into an orthonormal basis of their span
// in place, by modified Gram–Schmidt, and returns them.
func orthonormalise(vs [][]float64) [][]float64 {
	for k, v := range vs {
		for _, q := range vs[:k] {
			d := dot(v, q)
			for i := range v {
				v[i] -= d * q[i]
			}
		}
		nv := math.Sqrt(dot(v, v))
		for i := range v {
			v[i] /= nv
		}
	}
	return vs
}

// residual returns v less its projection on the orthonormal basis.
func residual(basis [][]float64, v []float64) []float64 {
	r := append([]float64(nil), v...)
	for _, q := range basis {
		d := dot(r, q)
		for i := range r {
			r[i] -= d * q[i]
		}
	}
	return r
}

func dot(a, b []float64) float64 {
	var s float64
	for i := range a {
		s += a[i] * b[i]
	}
	return s
}

func TestPRCCDegenerate(t *testing.T) {
	rnd := rand.New(rand.NewPCG(3, 3))
	x := uniformRows(50, 3, rnd)
	for _, row := range x {
		row[1] = 4 // a constant input
	}
	y := make([]float64, len(x))
	for i, u := range x {
		y[i] = u[0] + 0.5*u[2]
	}
	coef, p := PRCC(x, y)
	assert.False(t, hasNaN(coef, p))
	assert.Zero(t, coef[1], "constant input")
	assert.Equal(t, 1.0, p[1])
	assert.Greater(t, coef[0], 0.5)

	c := make([]float64, len(x))
	for i := range c {
		c[i] = 7
	}
	coef, p = PRCC(x, c)
	assert.Equal(t, []float64{0, 0, 0}, coef, "constant output")
	assert.Equal(t, []float64{1, 1, 1}, p)

	// y's ranks are exactly x0's: PRCC 1 for x0, nothing left for the rest.
	for i, u := range x {
		y[i] = math.Exp(u[0])
	}
	coef, p = PRCC(x, y)
	assert.InDelta(t, 1, coef[0], 1e-12, "rounding only")
	assert.Zero(t, p[0])
	assert.Zero(t, coef[2])
	assert.False(t, hasNaN(coef, p))

	// Duplicated input: the second copy is aliased.
	for _, row := range x {
		row[1] = row[0]
	}
	for i, u := range x {
		y[i] = u[0] + u[2]
	}
	coef, p = PRCC(x, y)
	assert.False(t, hasNaN(coef, p))
	assert.Zero(t, coef[1], "aliased copy")
	assert.Greater(t, coef[2], 0.5)

	assertPanics(t, "n < 2", func() { PRCC([][]float64{{1}}, []float64{1}) })
	assertPanics(t, "len(y)", func() { PRCC(x, y[:10]) })
	assertPanics(t, "k < 1", func() { PRCC([][]float64{{}, {}}, []float64{1, 2}) })
	assertPanics(t, "ragged", func() { PRCC([][]float64{{1, 2}, {1}, {3, 4}, {5, 6}}, []float64{1, 2, 3, 4}) })
	assertPanics(t, "dof < 1", func() { PRCC([][]float64{{1, 2}, {2, 1}, {3, 3}}, []float64{1, 2, 3}) })
	assertPanics(t, "NaN", func() { PRCC([][]float64{{1}, {math.NaN()}, {3}}, []float64{1, 2, 3}) })
}

func TestCentredRanks(t *testing.T) {
	for _, tc := range []struct {
		v, want []float64 // want: 1-based average ranks
	}{
		{[]float64{3, 1, 2}, []float64{3, 1, 2}},
		{[]float64{1, 1, 2, 3}, []float64{1.5, 1.5, 3, 4}},   // tie shares ranks 1–2
		{[]float64{5, 2, 5, 5, 1}, []float64{4, 2, 4, 4, 1}}, // ranks 3–5 average to 4
		{[]float64{-1, math.Inf(1), 0}, []float64{1, 3, 2}},  // infinities rank normally
		{[]float64{0.5, 0.5, 0.25, 0.25}, []float64{3.5, 3.5, 1.5, 1.5}},
	} {
		r, ok := centredRanks(tc.v)
		assert.True(t, ok)
		mid := float64(len(tc.v)+1) / 2
		for i := range r {
			assert.Equal(t, tc.want[i]-mid, r[i], "ranks of %v", tc.v) // exact: halves only
		}
	}
	_, ok := centredRanks([]float64{2, 2, 2})
	assert.False(t, ok, "constant")
}

func BenchmarkPRCC(b *testing.B) {
	rnd := rand.New(rand.NewPCG(1, 1))
	x := uniformRows(2000, 60, rnd)
	y := make([]float64, len(x))
	for i, u := range x {
		for j, v := range u {
			y[i] += float64(j) * v
		}
	}
	b.ResetTimer()
	for b.Loop() {
		PRCC(x, y)
	}
}
