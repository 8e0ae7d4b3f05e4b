package sim

import (
	"fmt"
	"math"
	"sort"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/chokepoint-sim/chokepoint/sim/dist"
	"gonum.org/v1/gonum/stat/distuv"
)

// corrTestRanks returns the ranks of x, 1..n, ties given their average rank.
func corrTestRanks(x []float64) []float64 {
	idx := make([]int, len(x))
	for i := range idx {
		idx[i] = i
	}
	sort.SliceStable(idx, func(a, b int) bool { return x[idx[a]] < x[idx[b]] })
	r := make([]float64, len(x))
	for i := 0; i < len(idx); {
		j := i
		for j+1 < len(idx) && x[idx[j+1]] == x[idx[i]] {
			j++
		}
		avg := float64(i+j)/2 + 1
		for k := i; k <= j; k++ {
			r[idx[k]] = avg
		}
		i = j + 1
	}
	return r
}

// corrTestPearson is the sample correlation of x and y.
func corrTestPearson(x, y []float64) float64 {
	n := float64(len(x))
	var mx, my float64
	for i := range x {
		mx += x[i]
		my += y[i]
	}
	mx, my = mx/n, my/n
	var sxy, sxx, syy float64
	for i := range x {
		dx, dy := x[i]-mx, y[i]-my
		sxy += dx * dy
		sxx += dx * dx
		syy += dy * dy
	}
	return sxy / math.Sqrt(sxx*syy)
}

// corrTestSpearman is Spearman's rank correlation: Pearson's on the
// average ranks.
func corrTestSpearman(x, y []float64) float64 {
	return corrTestPearson(corrTestRanks(x), corrTestRanks(y))
}

// corrTestKS returns the one-sample Kolmogorov–Smirnov statistic
// D = sup |F_n − F| of the sample x against the continuous CDF F.
func corrTestKS(x []float64, F func(float64) float64) float64 {
	s := append([]float64(nil), x...)
	sort.Float64s(s)
	n := float64(len(s))
	d := 0.0
	for i, v := range s {
		f := F(v)
		d = math.Max(d, math.Max(float64(i+1)/n-f, f-float64(i)/n))
	}
	return d
}

// corrTestKSCritical is the critical value of D at α = 0.01 for large n:
// 1.628/√n, from the limiting Kolmogorov distribution, P(√n·D > 1.6276) =
// 0.01 (Smirnov, "Table for estimating the goodness of fit of empirical
// distributions", Ann. Math. Statist. 19, 1948; Massey, "The
// Kolmogorov–Smirnov test for goodness of fit", JASA 46, 1951, Table 1,
// which gives 1.63/√n for n > 35).
func corrTestKSCritical(n int) float64 { return 1.628 / math.Sqrt(float64(n)) }

// corrTestTarget is a positive definite 3×3 rank correlation matrix.
var corrTestTarget = [][]float64{
	{1, 0.7, -0.4},
	{0.7, 1, 0.2},
	{-0.4, 0.2, 1},
}

// corrTestSample draws n runs of plain Monte Carlo uniforms for a registry
// of 5 parameters, imposes corrTestTarget on parameters 1, 3 and 4, and
// returns the columns.
func corrTestSample(t *testing.T, n int) (cols [][]float64, c *Correlation) {
	t.Helper()
	reg := samplerTestRegistry(5)
	keys := samplerTestKeys(reg)
	c, err := NewCorrelation([]int{1, 3, 4}, corrTestTarget)
	require.NoError(t, err)
	cols = make([][]float64, 5)
	for p := range cols {
		cols[p] = make([]float64, n)
	}
	u := make([]float64, 5)
	scratch := make([]float64, 3)
	for r := 0; r < n; r++ {
		for p, h := range keys {
			u[p] = Uniform(42, r, h)
		}
		before := append([]float64(nil), u...)
		c.Apply(u, scratch)
		require.Equal(t, before[0], u[0], "parameter 0 is not in the group")
		require.Equal(t, before[2], u[2], "parameter 2 is not in the group")
		require.Equal(t, before[1], u[1], "the group's first parameter is unchanged")
		for p := range cols {
			cols[p][r] = u[p]
		}
	}
	return cols, c
}

func TestCorrelationAchievesTargetRanks(t *testing.T) {
	const n = 10_000
	cols, c := corrTestSample(t, n)
	for i := 0; i < 3; i++ {
		for j := i + 1; j < 3; j++ {
			got := corrTestSpearman(cols[c.Params[i]], cols[c.Params[j]])
			t.Logf("params %d~%d: target %.2f, achieved %.4f", c.Params[i], c.Params[j], corrTestTarget[i][j], got)
			assert.InDeltaf(t, corrTestTarget[i][j], got, 0.03, "params %d~%d", c.Params[i], c.Params[j])
		}
	}
	// Parameters outside the group stay independent of it.
	assert.InDelta(t, 0, corrTestSpearman(cols[0], cols[3]), 0.03)
	assert.InDelta(t, 0, corrTestSpearman(cols[2], cols[4]), 0.03)
}

func TestCorrelationKeepsMarginals(t *testing.T) {
	const n = 10_000
	cols, c := corrTestSample(t, n)
	crit := corrTestKSCritical(n)
	for _, p := range c.Params {
		d := corrTestKS(cols[p], func(x float64) float64 { return x })
		t.Logf("param %d uniform: D = %.4f, critical %.4f", p, d, crit)
		assert.Lessf(t, d, crit, "param %d fails the KS test against Uniform(0, 1)", p)
		for _, u := range cols[p] {
			require.True(t, u > 0 && u < 1)
		}
	}

	// Through a lognormal and a beta quantile, each parameter has its
	// distribution (checked against closed-form CDFs, independent of the
	// quantile code), and the ranks are the same.
	logn, err := dist.Parse("5 to 14")
	require.NoError(t, err)
	mu := (math.Log(5) + math.Log(14)) / 2
	sigma := (math.Log(14) - math.Log(5)) / (2 * 1.6448536269514722)
	lognCDF := func(x float64) float64 { return distuv.UnitNormal.CDF((math.Log(x) - mu) / sigma) }
	beta, err := dist.Parse(map[string]any{"dist": "beta", "alpha": 2.0, "beta": 5.0})
	require.NoError(t, err)
	// For integer a and b, I_x(a, b) = Σ_{j=a}^{a+b−1} C(a+b−1, j) x^j (1−x)^{a+b−1−j}.
	betaCDF := func(x float64) float64 {
		binom := []float64{1, 6, 15, 20, 15, 6, 1}
		s := 0.0
		for j := 2; j <= 6; j++ {
			s += binom[j] * math.Pow(x, float64(j)) * math.Pow(1-x, float64(6-j))
		}
		return s
	}
	for _, tc := range []struct {
		name string
		d    dist.Dist
		cdf  func(float64) float64
	}{{"lognormal 5 to 14", logn, lognCDF}, {"beta(2, 5)", beta, betaCDF}} {
		x := make([][]float64, 3)
		for k, p := range c.Params {
			x[k] = make([]float64, n)
			for r, u := range cols[p] {
				x[k][r] = tc.d.Quantile(u)
			}
			d := corrTestKS(x[k], tc.cdf)
			t.Logf("%s, param %d: D = %.4f, critical %.4f", tc.name, p, d, crit)
			assert.Lessf(t, d, crit, "%s: param %d fails the KS test", tc.name, p)
		}
		for i := 0; i < 3; i++ {
			for j := i + 1; j < 3; j++ {
				assert.InDelta(t, corrTestTarget[i][j], corrTestSpearman(x[i], x[j]), 0.03)
			}
		}
	}
}

func TestCorrelationSpearmanToPearson(t *testing.T) {
	for _, rho := range []float64{-1, 0, 1} {
		assert.Equal(t, rho, spearmanToPearson(rho))
	}
	assert.InDelta(t, 0.5176380902050415, spearmanToPearson(0.5), 1e-15)
	// Kruskal's relation inverted: ρ_s = (6/π) arcsin(r/2).
	for _, rho := range []float64{-0.9, -0.3, 0.2, 0.7, 0.99} {
		assert.InDelta(t, rho, 6/math.Pi*math.Asin(spearmanToPearson(rho)/2), 1e-15)
	}
}

func TestCorrelationErrors(t *testing.T) {
	for _, tc := range []struct {
		name   string
		params []int
		m      [][]float64
		want   string
		named  string
	}{
		{"one parameter", []int{0}, [][]float64{{1}},
			"a correlation needs at least two parameters, found 1", ""},
		{"duplicate", []int{2, 2}, [][]float64{{1, 0}, {0, 1}},
			"parameter 2 appears twice in one correlation (row 0 and row 1)", "parameter 2 appears twice in one correlation (a and b)"},
		{"negative index", []int{0, -1}, [][]float64{{1, 0}, {0, 1}},
			"correlation matrix: row 1 has negative registry index -1", ""},
		{"too few rows", []int{0, 1, 2}, [][]float64{{1, 0, 0}, {0, 1, 0}},
			"correlation matrix has 2 rows for 3 parameters", ""},
		{"short row", []int{0, 1, 2}, [][]float64{{1, 0, 0}, {0, 1}, {0, 0, 1}},
			"correlation matrix: row 1 has 2 entries, want 3", "correlation matrix: b has 2 entries, want 3"},
		{"not symmetric", []int{0, 1, 2}, [][]float64{{1, 0.5, 0.3}, {0.5, 1, 0}, {0.2, 0, 1}},
			"correlation matrix is not symmetric: [0][2] is 0.3 but [2][0] is 0.2",
			"correlation matrix is not symmetric: a~c is 0.3 but c~a is 0.2"},
		{"diagonal", []int{0, 1}, [][]float64{{1, 0.5}, {0.5, 0.9}},
			"correlation matrix diagonal [1][1] is 0.9, want 1", "correlation matrix diagonal b~b is 0.9, want 1"},
		{"out of range", []int{0, 1}, [][]float64{{1, 1.2}, {1.2, 1}},
			"correlation [0][1] is 1.2, outside [-1, 1]", "correlation a~b is 1.2, outside [-1, 1]"},
		{"NaN", []int{0, 1}, [][]float64{{1, math.NaN()}, {math.NaN(), 1}},
			"correlation [0][1] is NaN, outside [-1, 1]", ""},
		{"perfect", []int{0, 1}, [][]float64{{1, -1}, {-1, 1}},
			"correlation [0][1] is -1: a perfect correlation makes two parameters one; use a value strictly between -1 and 1", ""},
		{"not positive definite", []int{4, 7, 9}, [][]float64{{1, 0.9, -0.9}, {0.9, 1, 0.9}, {-0.9, 0.9, 1}},
			"correlation matrix is not positive definite: the correlations contradict each other (e.g. [0][1] 0.9, [1][2] 0.9, [0][2] -0.9)",
			"correlation matrix is not positive definite: the correlations contradict each other (e.g. a~b 0.9, b~c 0.9, a~c -0.9)"},
		{"not positive definite, larger", []int{0, 1, 2, 3}, [][]float64{
			{1, 0.1, 0.8, 0.8}, {0.1, 1, 0, 0}, {0.8, 0, 1, 0}, {0.8, 0, 0, 1}},
			"correlation matrix is not positive definite: the correlations contradict each other (e.g. [0][2] 0.8, [2][3] 0, [0][3] 0.8)",
			"correlation matrix is not positive definite: the correlations contradict each other (e.g. a~c 0.8, c~d 0, a~d 0.8)"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c, err := NewCorrelation(tc.params, tc.m)
			require.Error(t, err)
			assert.Nil(t, c)
			assert.Equal(t, tc.want, err.Error())
			if tc.named != "" {
				var ce *CorrelationError
				require.ErrorAs(t, err, &ce)
				assert.Equal(t, tc.named, ce.Message(func(row int) string { return string(rune('a' + row)) }))
			}
		})
	}
}

func TestCorrelationCopiesAndIdentity(t *testing.T) {
	m := [][]float64{{1, 0}, {0, 1}}
	c, err := NewCorrelation([]int{0, 1}, m)
	require.NoError(t, err)
	m[0][1] = 0.5
	assert.Equal(t, [][]float64{{1, 0}, {0, 1}}, c.Spearman)
	// With no correlation Apply only round-trips through Φ⁻¹ and Φ.
	for _, x := range []float64{1e-300, 1e-10, 0.1, 0.5, 0.9, 1 - 1e-10} {
		u := []float64{x, x}
		c.Apply(u, nil)
		for _, v := range u {
			assert.InDelta(t, math.Max(x, 1.0/(1<<53)), v, 1e-15+1e-12*x)
		}
	}
	// Extreme inputs stay strictly inside (0, 1).
	c, err = NewCorrelation([]int{0, 1}, [][]float64{{1, 0.99}, {0.99, 1}})
	require.NoError(t, err)
	for _, x := range []float64{1e-300, 1.0 / (1 << 54), 1 - 1.0/(1<<53)} {
		u := []float64{x, 1 - x}
		c.Apply(u, nil)
		for _, v := range u {
			assert.True(t, v > 0 && v < 1, "Apply(%v) gave %v", x, v)
		}
	}
}

func TestCorrelationApplyAllocatesNothingAndIsConcurrent(t *testing.T) {
	c, err := NewCorrelation([]int{0, 1, 2}, corrTestTarget)
	require.NoError(t, err)
	u := []float64{0.1, 0.5, 0.9}
	scratch := make([]float64, 3)
	assert.Zero(t, testing.AllocsPerRun(100, func() { c.Apply(u, scratch) }))
	assert.Zero(t, testing.AllocsPerRun(100, func() { c.Apply(u, nil) }))

	// A group larger than the stack buffer needs scratch.
	big := make([][]float64, 20)
	params := make([]int, 20)
	for i := range big {
		params[i] = i
		big[i] = make([]float64, 20)
		big[i][i] = 1
	}
	cb, err := NewCorrelation(params, big)
	require.NoError(t, err)
	assert.PanicsWithValue(t, "sim: Correlation.Apply needs a scratch slice of 20 values, found 0", func() {
		cb.Apply(make([]float64, 20), nil)
	})

	reg := samplerTestRegistry(3)
	keys := samplerTestKeys(reg)
	const n = 2000
	want := make([]float64, n*3)
	for r := 0; r < n; r++ {
		for p, h := range keys {
			want[r*3+p] = Uniform(5, r, h)
		}
		c.Apply(want[r*3:(r+1)*3], nil)
	}
	got := make([]float64, n*3)
	var wg sync.WaitGroup
	for w := 0; w < 4; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			s := make([]float64, 3)
			for r := w; r < n; r += 4 {
				for p, h := range keys {
					got[r*3+p] = Uniform(5, r, h)
				}
				c.Apply(got[r*3:(r+1)*3], s)
			}
		}()
	}
	wg.Wait()
	assert.Equal(t, want, got)
}

// BenchmarkCorrelationApply times one run's copula on groups of 3 and 12
// parameters.
func BenchmarkCorrelationApply(b *testing.B) {
	for _, n := range []int{3, 12} {
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			m := make([][]float64, n)
			params := make([]int, n)
			for i := range m {
				params[i] = i
				m[i] = make([]float64, n)
				for j := range m[i] {
					m[i][j] = 0.3
				}
				m[i][i] = 1
			}
			c, err := NewCorrelation(params, m)
			require.NoError(b, err)
			u := make([]float64, n)
			scratch := make([]float64, n)
			b.ReportAllocs()
			for i := 0; b.Loop(); i++ {
				for p := range u {
					u[p] = Uniform(1, i, uint64(p))
				}
				c.Apply(u, scratch)
			}
		})
	}
}
