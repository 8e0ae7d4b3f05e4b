package dist

import (
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/BurntSushi/toml"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// testZ95 is the standard normal 95th percentile (mpmath, 40 digits,
// rounded to float64); the 5th is -testZ95 by symmetry.
const testZ95 = 1.6448536269514722

// tbl builds a decoded inline table from alternating keys and values.
func tbl(kv ...any) map[string]any {
	m := map[string]any{}
	for i := 0; i < len(kv); i += 2 {
		m[kv[i].(string)] = kv[i+1]
	}
	return m
}

func mustParse(t *testing.T, v any) Dist {
	t.Helper()
	d, err := Parse(v)
	require.NoError(t, err, "Parse(%#v)", v)
	return d
}

// near reports whether got is within rel of want, relative to |want| but
// absolute below 1.
func near(got, want, rel float64) bool {
	return math.Abs(got-want) <= rel*math.Max(math.Abs(want), 1)
}

// TestParseForms checks every form against closed-form percentiles.
func TestParseForms(t *testing.T) {
	cases := []struct {
		name         string
		in           any
		text         string
		q5, q50, q95 float64 // expected Quantile(0.05), (0.5), (0.95)
		rel          float64
		supLo, supHi float64
	}{
		// A number is a fixed value; its percentiles are itself.
		{"float", 0.7, "0.7", 0.7, 0.7, 0.7, 0, 0.7, 0.7},
		{"int", int64(5), "5", 5, 5, 5, 0, 5, 5},
		{"numeric string", " 1.5e6 ", "1.5e+06", 1.5e6, 1.5e6, 1.5e6, 0, 1.5e6, 1.5e6},
		// "5 to 14" is the lognormal with p5 = 5, p95 = 14; its median is the
		// geometric mean sqrt(5*14).
		{"a to b lognormal", "5 to 14", `"5 to 14"`, 5, math.Sqrt(5 * 14), 14, 1e-9, 0, math.Inf(1)},
		// "-2 to 6" has a non-positive end, so it is the normal with p5 = -2,
		// p95 = 6, whose median is the midpoint 2.
		{"a to b normal", "  -2   to  6 ", `"-2 to 6"`, -2, 2, 6, 1e-9, math.Inf(-1), math.Inf(1)},
		// 0 is not > 0, so "0 to 10" is a normal too: median 5.
		{"a to b from zero", "0 to 10", `"0 to 10"`, 0, 5, 10, 1e-9, math.Inf(-1), math.Inf(1)},
		// Normal mean 10, sd 2: 10 -/+ 2 z95.
		{"normal mean sd", tbl("dist", "normal", "mean", 10.0, "sd", int64(2)),
			`{dist = "normal", mean = 10, sd = 2}`, 10 - 2*testZ95, 10, 10 + 2*testZ95, 1e-12, math.Inf(-1), math.Inf(1)},
		// sd = 0 is the constant mean.
		{"normal sd 0", tbl("dist", "normal", "mean", 3.0, "sd", 0.0),
			`{dist = "normal", mean = 3, sd = 0}`, 3, 3, 3, 0, 3, 3},
		// Normal by percentiles 1 and 9: median at the midpoint 5.
		{"normal p5 p95", tbl("dist", "normal", "p5", 1.0, "p95", 9.0),
			`{dist = "normal", p5 = 1, p95 = 9}`, 1, 5, 9, 1e-12, math.Inf(-1), math.Inf(1)},
		{"lognormal p5 p95", tbl("dist", "lognormal", "p5", 5.0, "p95", 14.0),
			`{dist = "lognormal", p5 = 5, p95 = 14}`, 5, math.Sqrt(5 * 14), 14, 1e-9, 0, math.Inf(1)},
		// Lognormal mu 1, sigma 0.5: exp(1 -/+ 0.5 z95), median e.
		{"lognormal mu sigma", tbl("dist", "lognormal", "mu", 1.0, "sigma", 0.5),
			`{dist = "lognormal", mu = 1, sigma = 0.5}`, math.Exp(1 - 0.5*testZ95), math.E, math.Exp(1 + 0.5*testZ95),
			1e-12, 0, math.Inf(1)},
		// Uniform on [2, 12]: 2 + p*10.
		{"uniform", tbl("dist", "uniform", "min", 2.0, "max", 12.0),
			`{dist = "uniform", min = 2, max = 12}`, 2.5, 7, 11.5, 1e-12, 2, 12},
		// Triangular (0, 0.25, 1): CDF at the mode is 0.25; below it
		// Q(p) = sqrt(p*1*0.25), above it Q(p) = 1 - sqrt((1-p)*1*0.75).
		{"triangular", tbl("dist", "triangular", "min", 0.0, "mode", 0.25, "max", 1.0),
			`{dist = "triangular", min = 0, mode = 0.25, max = 1}`,
			math.Sqrt(0.05 * 0.25), 1 - math.Sqrt(0.5*0.75), 1 - math.Sqrt(0.05*0.75), 1e-12, 0, 1},
		// PERT (0, 0.5, 1) is beta(3, 3), symmetric: median 0.5. Its tails are
		// checked against the closed-form CDF in TestBetaClosedForms.
		{"pert symmetric", tbl("dist", "pert", "min", 0.0, "mode", 0.5, "max", 1.0),
			`{dist = "pert", min = 0, mode = 0.5, max = 1}`,
			0.18925537743777079, 0.5, 1 - 0.18925537743777079, 1e-12, 0, 1}, // beta(3, 3) 5th percentile, mpmath
		// Beta(2, 1) has CDF x², so Q(p) = sqrt(p).
		{"beta alpha beta", tbl("dist", "beta", "alpha", 2.0, "beta", 1.0),
			`{dist = "beta", alpha = 2, beta = 1}`, math.Sqrt(0.05), math.Sqrt(0.5), math.Sqrt(0.95), 1e-12, 0, 1},
		// Beta(0.5, 0.5) is the arcsine law: Q(p) = sin²(πp/2).
		{"beta arcsine", tbl("dist", "beta", "alpha", 0.5, "beta", 0.5),
			`{dist = "beta", alpha = 0.5, beta = 0.5}`, math.Pow(math.Sin(math.Pi*0.05/2), 2), 0.5,
			math.Pow(math.Sin(math.Pi*0.95/2), 2), 1e-12, 0, 1},
		// Fitted beta reproduces its percentiles; its median is checked in
		// TestBetaFit.
		{"beta p5 p95", tbl("dist", "beta", "p5", math.Sqrt(0.05), "p95", math.Sqrt(0.95)),
			`{dist = "beta", p5 = 0.22360679774997896, p95 = 0.9746794344808963}`,
			math.Sqrt(0.05), math.Sqrt(0.5), math.Sqrt(0.95), 1e-6, 0, 1},
		// Discrete 1, 2, 3 with weights 1, 2, 1: cumulative 0.25, 0.75, 1.
		{"discrete", tbl("dist", "discrete", "values", []any{int64(3), 1.0, int64(2)}, "weights", []any{1.0, 1.0, int64(2)}),
			`{dist = "discrete", values = [3, 1, 2], weights = [1, 1, 2]}`, 1, 2, 3, 0, 1, 3},
		{"discrete equal weights", tbl("dist", "discrete", "values", []any{10.0, 20.0}),
			`{dist = "discrete", values = [10, 20]}`, 10, 10, 20, 0, 10, 20},
		// Standard normal clipped to [-1, 1]: -1.645 and 1.645 clamp to -1
		// and 1, the median 0 is untouched.
		{"clip", tbl("dist", "normal", "mean", 0.0, "sd", 1.0, "clip", []any{-1.0, int64(1)}),
			`{dist = "normal", mean = 0, sd = 1, clip = [-1, 1]}`, -1, 0, 1, 1e-12, -1, 1},
		// PERT (1, 2, 5) clipped at 4: only the top is cut.
		{"pert clip", tbl("dist", "pert", "min", 1.0, "mode", 2.0, "max", 5.0, "clip", []any{1.0, 4.0}),
			`{dist = "pert", min = 1, mode = 2, max = 5, clip = [1, 4]}`, math.NaN(), math.NaN(), math.NaN(), 0, 1, 4},
		// One-sided clip: a lognormal has nothing below 0, so clip = [-inf, 10]
		// only cuts the top; "5 to 14" has its 95th percentile (14) above 10.
		{"one-sided clip", tbl("dist", "lognormal", "p5", 5.0, "p95", 14.0, "clip", []any{math.Inf(-1), 10.0}),
			`{dist = "lognormal", p5 = 5, p95 = 14, clip = [-inf, 10]}`, 5, math.Sqrt(5 * 14), 10, 1e-9, 0, 10},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			d := mustParse(t, c.in)
			assert.Equal(t, c.text, d.String())
			for _, q := range []struct{ p, want float64 }{{0.05, c.q5}, {0.5, c.q50}, {0.95, c.q95}} {
				if math.IsNaN(q.want) {
					continue
				}
				got := d.Quantile(q.p)
				assert.Truef(t, near(got, q.want, c.rel), "Quantile(%g) = %.17g, want %.17g (rel %g)", q.p, got, q.want, c.rel)
			}
			lo, hi := d.Support()
			assert.Equal(t, [2]float64{c.supLo, c.supHi}, [2]float64{lo, hi}, "Support()")
			// p = 0 and 1 give the ends of the support.
			assert.Equal(t, lo, d.Quantile(0), "Quantile(0)")
			assert.Equal(t, hi, d.Quantile(1), "Quantile(1)")
		})
	}
}

// TestBetaClosedForms checks beta and PERT quantiles against CDFs known in
// closed form, over a grid of p.
func TestBetaClosedForms(t *testing.T) {
	cases := []struct {
		name string
		in   map[string]any
		cdf  func(x float64) float64
	}{
		// I_x(3, 3) = 10x³ - 15x⁴ + 6x⁵ (sum of binomial terms j = 3..5 of n = 5).
		{"pert(0, .5, 1) = beta(3, 3)", tbl("dist", "pert", "min", 0.0, "mode", 0.5, "max", 1.0),
			func(x float64) float64 { return x * x * x * (10 - 15*x + 6*x*x) }},
		// PERT (2, 2, 6) is beta(1, 5) on [2, 6]: CDF 1 - (1 - t)^5, t = (x-2)/4.
		{"pert at min = beta(1, 5)", tbl("dist", "pert", "min", 2.0, "mode", 2.0, "max", 6.0),
			func(x float64) float64 { return 1 - math.Pow(1-(x-2)/4, 5) }},
		// beta(1, 3): CDF 1 - (1-x)³.
		{"beta(1, 3)", tbl("dist", "beta", "alpha", 1.0, "beta", 3.0),
			func(x float64) float64 { y := 1 - x; return 1 - y*y*y }},
		// beta(1, 1) is uniform.
		{"beta(1, 1)", tbl("dist", "beta", "alpha", 1.0, "beta", 1.0),
			func(x float64) float64 { return x }},
	}
	for _, c := range cases {
		d := mustParse(t, c.in)
		for i := 1; i < 1000; i++ {
			p := float64(i) / 1000
			// 1e-12: the CDFs above are evaluated in double precision and
			// are at most a few units steep, so the quantile's own rounding
			// moves them by far less.
			assert.InDelta(t, p, c.cdf(d.Quantile(p)), 1e-12, "%s: CDF(Quantile(%g))", c.name, p)
		}
	}
}

// TestNormalQuantileTails checks the normal quantile far into the tails,
// where math.Erfcinv(2p) would lose p. Expected values are the exact
// quantiles of the float64 p, from mpmath at 40 digits, rounded to float64.
func TestNormalQuantileTails(t *testing.T) {
	for _, c := range []struct{ p, z float64 }{
		{0.5, 0},
		{0.95, 1.6448536269514722},
		{0.975, 1.9599639845400538}, // the familiar 1.96
		{1e-10, -6.361340902404057},
		{1e-20, -9.262340089798407},
		{1e-300, -37.0470962993612},
		{1 - 1e-10, 6.361340889697422}, // 1 - 1e-10 is inexact in float64, hence not 6.361340902404057
		{0.3, -0.5244005127080408},
		{0.0001, -3.7190164854556804},
		{0.99999, 4.264890793923841},
		{0.05, -1.6448536269514726},
		{0x1p-1022, -37.5193793471445},   // smallest normal float64
		{1 - 0x1p-53, 8.209536151601387}, // largest float64 below 1
	} {
		// 1e-14 relative (1e-15 absolute near 0): AS 241's accuracy is
		// about 1e-16, and the rational functions add a few roundings.
		got := normQuantile(c.p)
		assert.Truef(t, near(got, c.z, 1e-14) || math.Abs(got-c.z) <= 1e-15, "z(%g) = %.17g, want %.17g", c.p, got, c.z)
	}
	// Below the smallest normal float64, math.Log (which the quantile calls)
	// is not exact on amd64, so the quantile is not either; it stays
	// finite, which is what checkFinite relies on, and it lies between the
	// quantile of the smallest normal and the true z(5e-324) = -38.47.
	got := normQuantile(pLo)
	assert.True(t, got >= -38.467405617144344 && got <= -37.5193793471445, "z(5e-324) = %v", got)
}

// TestBetaFit checks that a beta fitted to p5 and p95 reproduces them.
func TestBetaFit(t *testing.T) {
	for _, c := range []struct{ p5, p95 float64 }{
		{0.2, 0.6}, {0.01, 0.05}, {0.9, 0.99}, {0.001, 0.999}, {0.45, 0.55},
		{1e-6, 1e-3}, {0.999, 0.9995}, {0.3, 0.31}, {1e-12, 0.5}, {0.5, 1 - 1e-9},
		{1e-300, 0.5}, // deep tail: alpha is tiny
	} {
		d := mustParse(t, tbl("dist", "beta", "p5", c.p5, "p95", c.p95))
		for _, q := range []struct{ p, want float64 }{{0.05, c.p5}, {0.95, c.p95}} {
			// 1e-6 relative to the nearer end of [0, 1]: the fit's promise.
			assert.InDelta(t, q.want, d.Quantile(q.p), 1e-6*math.Min(q.want, 1-q.want),
				"beta p5=%g p95=%g: Quantile(%g)", c.p5, c.p95, q.p)
		}
	}
	// The percentiles of beta(2, 1) are sqrt(p) (CDF x²) and those of
	// beta(1, 3) are 1 - (1-p)^(1/3) (CDF 1 - (1-x)³): the fit recovers the
	// parameters, to 1e-6 like the percentiles.
	for _, c := range []struct{ a, b, p5, p95 float64 }{
		{2, 1, math.Sqrt(0.05), math.Sqrt(0.95)},
		{1, 3, 1 - math.Cbrt(0.95), 1 - math.Cbrt(0.05)},
	} {
		d := mustParse(t, tbl("dist", "beta", "p5", c.p5, "p95", c.p95)).(Beta)
		assert.InEpsilon(t, c.a, d.b.a, 1e-6, "alpha of the fit to p5=%g p95=%g", c.p5, c.p95)
		assert.InEpsilon(t, c.b, d.b.b, 1e-6, "beta of the fit to p5=%g p95=%g", c.p5, c.p95)
	}
	// Symmetric percentiles give alpha = beta (to the 1e-14 of the
	// bisection on the mean).
	d := mustParse(t, tbl("dist", "beta", "p5", 0.2, "p95", 0.8)).(Beta)
	assert.InEpsilon(t, d.b.a, d.b.b, 1e-9, "symmetric fit")
}

// integrate returns the mean of d by the midpoint rule over n values of p:
// E[X] = ∫₀¹ Q(p) dp.
func integrate(d Dist, n int) float64 {
	s := 0.0
	for i := 0; i < n; i++ {
		s += d.Quantile((float64(i) + 0.5) / float64(n))
	}
	return s / float64(n)
}

func TestPERTMean(t *testing.T) {
	for _, c := range [][3]float64{{1, 2, 5}, {0, 0, 1}, {10, 19, 20}, {-3, 0, 3}, {0, 1, 1}} {
		d := mustParse(t, tbl("dist", "pert", "min", c[0], "mode", c[1], "max", c[2]))
		want := (c[0] + 4*c[1] + c[2]) / 6 // the PERT mean
		// The midpoint rule over 100000 points is accurate to well under 1e-6
		// of the range for these smooth, bounded quantile functions.
		assert.InDelta(t, want, integrate(d, 100000), 1e-6*(c[2]-c[0]), "pert %v: integrated mean", c)
	}
}

func TestDiscreteWeights(t *testing.T) {
	// Values given out of order, one with weight 0: it must never come up.
	d := mustParse(t, tbl("dist", "discrete",
		"values", []any{5.0, 1.0, 3.0, 2.0},
		"weights", []any{1.0, 3.0, 0.0, int64(4)}))
	const n = 80000 // a multiple of the weight total 8, so shares are exact
	count := map[float64]int{}
	prev := math.Inf(-1)
	for i := 0; i < n; i++ {
		q := d.Quantile((float64(i) + 0.5) / n)
		require.GreaterOrEqual(t, q, prev, "not monotone at %d", i)
		prev = q
		count[q]++
	}
	// Shares 3/8, 4/8, 1/8 of the 8 units of weight.
	assert.Equal(t, map[float64]int{1: n * 3 / 8, 2: n * 4 / 8, 5: n * 1 / 8}, count)
	assertSupport(t, d, 1, 5)
	// Zero-weight values at the ends do not count towards the support.
	d = mustParse(t, tbl("dist", "discrete", "values", []any{0.0, 1.0, 9.0}, "weights", []any{0.0, 1.0, 0.0}))
	assertSupport(t, d, 1, 1)
	// A weight too small to move the cumulative sum off 1 still makes its
	// value the top of the support, which Quantile(1) returns.
	d = mustParse(t, tbl("dist", "discrete", "values", []any{1.0, 2.0}, "weights", []any{1.0, 1e-300}))
	assert.Equal(t, 2.0, d.Quantile(1))
}

func assertSupport(t *testing.T, d Dist, lo, hi float64) {
	t.Helper()
	gotLo, gotHi := d.Support()
	assert.Equal(t, [2]float64{lo, hi}, [2]float64{gotLo, gotHi}, "%s: Support()", d)
}

func TestClipClamps(t *testing.T) {
	// Uniform on [0, 10] clipped to [2, 7]: p*10 clamped.
	d := mustParse(t, tbl("dist", "uniform", "min", 0.0, "max", 10.0, "clip", []any{2.0, 7.0}))
	for i := 0; i <= 100; i++ {
		p := float64(i) / 100
		// 1e-12: p*10 rounds once.
		assert.InDelta(t, math.Min(math.Max(p*10, 2), 7), d.Quantile(p), 1e-12, "Quantile(%g)", p)
	}
	assertSupport(t, d, 2, 7)
	// A clip wider than a bounded support changes nothing.
	d = mustParse(t, tbl("dist", "triangular", "min", 0.0, "mode", 1.0, "max", 2.0, "clip", []any{-5.0, 5.0}))
	assertSupport(t, d, 0, 2)
}

func TestParseErrors(t *testing.T) {
	cases := []struct {
		in   any
		want string
	}{
		{tbl("dist", "gamma", "shape", 2.0),
			`unknown distribution "gamma" (expected one of normal, lognormal, uniform, triangular, pert, beta, discrete, mixture)`},
		{tbl("dist", "Normal", "mean", 0.0, "sd", 1.0), `unknown distribution "Normal" (did you mean "normal"?)`},
		{tbl("dist", "normal", "mean", 0.0, "sd", -1.0), `normal: sd must be >= 0, found -1`},
		{tbl("dist", "lognormal", "p5", 9.0, "p95", 3.0), `lognormal: p5 must be below p95, found p5=9 p95=3`},
		{tbl("dist", "normal", "mean", 0.0, "sdd", 1.0), `unknown key "sdd" in a normal distribution (did you mean "sd"?)`},
		{tbl("dist", "normal", "mean", 0.0, "sd", 1.0, "zzzzzz", 1.0),
			`unknown key "zzzzzz" in a normal distribution (expected mean, sd, p5, p95, clip)`},
		{tbl("mean", 0.0, "sd", 1.0),
			`a distribution table needs dist = "normal" | "lognormal" | "uniform" | "triangular" | "pert" | "beta" | "discrete" | "mixture"`},
		{tbl("dst", "normal", "mean", 0.0),
			`a distribution table needs dist = "normal" | "lognormal" | "uniform" | "triangular" | "pert" | "beta" | "discrete" | "mixture" (found "dst": did you mean "dist"?)`},
		{tbl("dist", 3.0), `dist must be a string such as "normal", found number 3`},
		{tbl("dist", "normal", "mean", "x", "sd", 1.0), `normal: mean must be a number, found string "x"`},
		{tbl("dist", "normal", "mean", true, "sd", 1.0), `normal: mean must be a number, found bool true`},
		{tbl("dist", "normal", "mean", []any{1.0}, "sd", 1.0), `normal: mean must be a number, found an array of 1 values`},
		{tbl("dist", "uniform", "min", 1.0), `uniform: needs min and max`},
		{tbl("dist", "uniform", "min", 5.0, "max", 1.0), `uniform: min must be below max, found min=5 max=1`},
		{tbl("dist", "normal", "mean", 0.0, "sd", 1.0, "p5", 3.0),
			`normal: give either mean and sd, or p5 and p95, not both`},
		{tbl("dist", "normal", "mean", 0.0), `normal: needs mean and sd, or p5 and p95`},
		{tbl("dist", "normal", "mean", math.NaN(), "sd", 1.0), `normal: mean must be finite, found NaN`},
		{tbl("dist", "normal", "mean", 0.0, "sd", math.Inf(1)), `normal: sd must be finite, found +Inf`},
		{math.NaN(), `a fixed value must be finite, found NaN`},
		{math.Inf(-1), `a fixed value must be finite, found -Inf`},
		{"x to 3", `"a to b" form: "x to 3": "x" is not a number`},
		{"9 to 3", `"a to b" form: "9 to 3": lower bound must be below upper bound`},
		{"5 to 5", `"a to b" form: "5 to 5": lower bound must be below upper bound`},
		{"5 to", `"a to b" form: "5 to": expected a number, "to" and a number`},
		{"1 to inf", `"a to b" form: "1 to inf": "inf" is not a finite number`},
		{"1e-300 to 1e300", `"a to b" form: "1e-300 to 1e300": parameters too extreme: quantiles overflow float64`},
		{"abc", `expected a number or "a to b", found string "abc"`},
		{"", `expected a number or "a to b", found string ""`},
		{true, `expected a number, an "a to b" string or a distribution table, found bool true`},
		{nil, `expected a number, an "a to b" string or a distribution table, found nothing`},
		{[]any{1.0, 2.0}, `expected a number, an "a to b" string or a distribution table, found an array of 2 values`},
		{tbl("dist", "lognormal", "p5", -1.0, "p95", 3.0), `lognormal: p5 must be > 0, found -1`},
		{tbl("dist", "lognormal", "mu", 0.0, "sigma", 0.0), `lognormal: sigma must be > 0, found 0`},
		{tbl("dist", "lognormal", "mu", 0.0, "sigma", 100.0), `lognormal: parameters too extreme: quantiles overflow float64`},
		{tbl("dist", "triangular", "min", 1.0, "mode", 7.0, "max", 5.0),
			`triangular: mode must lie within [min, max], found min=1 mode=7 max=5`},
		{tbl("dist", "pert", "min", 1.0, "max", 5.0), `pert: needs min, mode and max`},
		{tbl("dist", "uniform", "min", -1e308, "max", 1e308),
			`uniform: max - min must be finite, found min=-1e+308 max=1e+308`},
		{tbl("dist", "beta", "alpha", -1.0, "beta", 2.0), `beta: alpha must be > 0, found -1`},
		{tbl("dist", "beta", "alpha", 1.0, "beta", 2e6),
			`beta: beta must be at most 1e+06 (use a normal for so narrow a distribution), found 2e+06`},
		{tbl("dist", "beta", "p5", 0.0, "p95", 0.5),
			`beta: p5 and p95 must lie strictly between 0 and 1, found p5=0 p95=0.5`},
		{tbl("dist", "beta", "p5", 0.6, "p95", 0.5), `beta: p5 must be below p95, found p5=0.6 p95=0.5`},
		{tbl("dist", "beta", "p5", 0.5, "p95", 0.5001),
			`beta: p5=0.5 and p95=0.5001 are too close together for a beta distribution (alpha + beta would exceed 1e+06); use a normal or a lognormal`},
		// Long input is cut short in messages; the first found by FuzzParseDist
		// was a 450-digit number, out of float64's range.
		{strings.Repeat("7", 400), `expected a number or "a to b", found string "` + strings.Repeat("7", 55) + `"...`},
		{"0 to \xf3\xf3\xf3\xf3\xf3\xf3\xf3\xf3\xf3\xf3\xf3\xf3\xf3\xf3",
			`"a to b" form: "0 to \xf3\xf3\xf3\xf3\xf3\xf3\xf3\xf3\xf3\xf3\xf3\xf3"...: ` +
				`"\xf3\xf3\xf3\xf3\xf3\xf3\xf3\xf3\xf3\xf3\xf3\xf3\xf3\xf3" is not a number`},
		{tbl("dist", "discrete"), `discrete: needs values`},
		{tbl("dist", "discrete", "values", "1, 2"), `discrete: values must be an array of numbers, found string "1, 2"`},
		{tbl("dist", "discrete", "values", []any{}), `discrete: values must not be empty`},
		{tbl("dist", "discrete", "values", []any{1.0, "b"}), `discrete: values[1] must be a number, found string "b"`},
		{tbl("dist", "discrete", "values", []any{1.0, 2.0, 3.0}, "weights", []any{1.0, 2.0}),
			`discrete: values and weights must have the same length, found 3 values and 2 weights`},
		{tbl("dist", "discrete", "values", []any{1.0, 2.0}, "weights", []any{1.0, -1.0}),
			`discrete: weights must be >= 0, found weights[1]=-1`},
		{tbl("dist", "discrete", "values", []any{1.0, 2.0}, "weights", []any{0.0, int64(0)}),
			`discrete: weights must not all be zero`},
		{tbl("dist", "normal", "mean", 0.0, "sd", 1.0, "clip", 5.0), `normal: clip must be [lo, hi], found number 5`},
		{tbl("dist", "normal", "mean", 0.0, "sd", 1.0, "clip", []any{1.0, 2.0, 3.0}),
			`normal: clip must be [lo, hi], found an array of 3 values`},
		{tbl("dist", "normal", "mean", 0.0, "sd", 1.0, "clip", []any{"a", 2.0}), `normal: clip[0] must be a number, found string "a"`},
		{tbl("dist", "normal", "mean", 0.0, "sd", 1.0, "clip", []any{5.0, 1.0}),
			`normal: clip must have lo below hi, found clip = [5, 1]`},
		{tbl("dist", "normal", "mean", 0.0, "sd", 1.0, "clip", []any{math.NaN(), 1.0}), `normal: clip[0] must not be NaN`},
		{tbl("dist", "lognormal", "p5", 1.0, "p95", 2.0, "clip", []any{-5.0, -1.0}),
			`lognormal: clip = [-5, -1] does not overlap the range of the distribution, [0, inf]`},
	}
	require.GreaterOrEqual(t, len(cases), 15, "too few cases")
	for _, c := range cases {
		d, err := Parse(c.in)
		if assert.Error(t, err, "Parse(%#v) = %v", c.in, d) {
			assert.Equal(t, c.want, err.Error(), "Parse(%#v)", c.in)
			assert.Nil(t, d)
		}
	}
}

func TestQuantilePanics(t *testing.T) {
	d := mustParse(t, "5 to 14")
	for _, p := range []float64{-0.1, 1.1, math.NaN(), math.Inf(1)} {
		assert.PanicsWithValue(t, "dist: quantile probability out of range", func() { d.Quantile(p) }, "Quantile(%g)", p)
	}
}

// randomDist builds a random valid distribution table or string.
func randomDist(r *rand.Rand) any {
	// logU draws log-uniformly from [lo, hi].
	logU := func(lo, hi float64) float64 { return lo * math.Exp(r.Float64()*math.Log(hi/lo)) }
	sym := func(s float64) float64 { return (r.Float64()*2 - 1) * s }
	var m map[string]any
	switch r.IntN(12) {
	case 0:
		return sym(1e6)
	case 1:
		a := logU(1e-6, 1e6)
		return strings.TrimSpace(fmtNum(a) + " to " + fmtNum(a*logU(1.0001, 1e6)))
	case 2:
		a := sym(1e3)
		return fmtNum(a) + " to " + fmtNum(a+logU(1e-6, 1e4))
	case 3:
		m = tbl("dist", "normal", "mean", sym(1e3), "sd", logU(1e-6, 1e3))
	case 4:
		a := sym(1e3)
		m = tbl("dist", "normal", "p5", a, "p95", a+logU(1e-6, 1e4))
	case 5:
		m = tbl("dist", "lognormal", "mu", sym(10), "sigma", logU(1e-3, 10))
	case 6:
		a := sym(1e3)
		m = tbl("dist", "uniform", "min", a, "max", a+logU(1e-6, 1e4))
	case 7, 8:
		a, w := sym(1e3), logU(1e-6, 1e4)
		name := "triangular"
		if r.IntN(2) == 0 {
			name = "pert"
		}
		mode := a + w*r.Float64()
		if r.IntN(4) == 0 {
			mode = a // mode at an end
		}
		m = tbl("dist", name, "min", a, "mode", mode, "max", a+w)
	case 9:
		m = tbl("dist", "beta", "alpha", logU(1e-3, 1e6), "beta", logU(1e-3, 1e6))
	case 10:
		a := logU(1e-8, 0.9)
		m = tbl("dist", "beta", "p5", a, "p95", a+(1-a)*(0.01+0.98*r.Float64()))
	case 11:
		n := 1 + r.IntN(6)
		vals, wts := make([]any, n), make([]any, n)
		for i := range n {
			vals[i] = math.Round(sym(100))
			wts[i] = float64(r.IntN(4))
		}
		wts[0] = 1.0
		m = tbl("dist", "discrete", "values", vals, "weights", wts)
	}
	if r.IntN(3) == 0 {
		// Clip around the median so it always overlaps the support.
		d, err := Parse(m)
		if err != nil {
			return m
		}
		mid := d.Quantile(0.5)
		m["clip"] = []any{mid - logU(1e-3, 1e3), mid + logU(1e-3, 1e3)}
	}
	return m
}

// probGrid is a sorted grid of p in (0, 1), dense in both tails.
func probGrid() []float64 {
	var ps []float64
	for e := -300.0; e < -2; e += 7 {
		ps = append(ps, math.Pow(10, e))
	}
	for i := 1; i < 1000; i++ {
		ps = append(ps, float64(i)/1000)
	}
	for e := -3.0; e >= -16; e-- {
		ps = append(ps, 1-math.Pow(10, e))
	}
	ps = append(ps, 1-0x1p-53)
	return ps
}

// TestQuantileMonotone is a property test: for many random valid
// distributions, Quantile over a sorted grid of p is finite, non-decreasing
// and inside the support.
func TestQuantileMonotone(t *testing.T) {
	r := rand.New(rand.NewPCG(2026, 11))
	grid := probGrid()
	n := 1000
	if testing.Short() {
		n = 200
	}
	for i := 0; i < n; i++ {
		in := randomDist(r)
		d, err := Parse(in)
		require.NoError(t, err, "random dist %#v", in)
		checkQuantiles(t, d, grid)
	}
}

// checkQuantiles fails t unless d's quantiles over the sorted ps are finite,
// non-decreasing and inside its support.
func checkQuantiles(t *testing.T, d Dist, ps []float64) {
	t.Helper()
	lo, hi := d.Support()
	prev := math.Inf(-1)
	for _, p := range ps {
		q := d.Quantile(p)
		require.Falsef(t, math.IsNaN(q) || math.IsInf(q, 0), "%s: Quantile(%g) = %g", d, p, q)
		require.GreaterOrEqualf(t, q, prev, "%s: Quantile(%g) below the previous", d, p)
		require.Truef(t, q >= lo && q <= hi, "%s: Quantile(%g) = %g outside the support [%g, %g]", d, p, q, lo, hi)
		prev = q
	}
}

// decodeTOML reads the value of `x = <s>` as the scenario loader's TOML
// decoder would deliver it.
func decodeTOML(t *testing.T, s string) any {
	t.Helper()
	var doc map[string]any
	_, err := toml.Decode("x = "+s, &doc)
	require.NoError(t, err, "TOML cannot read %s", s)
	return doc["x"]
}

// TestStringRoundTrip checks that String writes TOML that parses back to
// the same distribution, through a real TOML decoder and through
// ParseText.
func TestStringRoundTrip(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 7))
	inputs := []any{
		0.7, int64(-3), "0.7", "5 to 14", "-2 to 6", 1e21, 1.5e-7, 123456789.0,
		"-0", math.Copysign(0, -1), // found by FuzzParse: "-0" is TOML's integer 0
		tbl("dist", "normal", "mean", math.Copysign(0, -1), "sd", 1.0),
		tbl("dist", "normal", "mean", 0.0, "sd", 1.0, "clip", []any{math.Inf(-1), 2.0}),
		tbl("dist", "pert", "min", 1.0, "mode", 2.0, "max", 5.0, "clip", []any{1.0, 4.0}),
		tbl("dist", "discrete", "values", []any{3.0, 1.0}, "weights", []any{0.25, 0.75}),
	}
	for range 500 {
		inputs = append(inputs, randomDist(r))
	}
	grid := []float64{1e-9, 0.01, 0.05, 0.3, 0.5, 0.7, 0.95, 0.99, 1 - 1e-9}
	for _, in := range inputs {
		d := mustParse(t, in)
		s := d.String()
		viaTOML := mustParse(t, decodeTOML(t, s))
		viaText, err := ParseText(s)
		require.NoError(t, err, "ParseText(%s)", s)
		for _, back := range []Dist{viaTOML, viaText} {
			require.Equal(t, s, back.String(), "round trip of %s", s)
			for _, p := range grid {
				require.Equal(t, d.Quantile(p), back.Quantile(p), "%s: round trip changed Quantile(%g)", s, p)
			}
		}
	}
}
