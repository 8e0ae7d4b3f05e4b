package dist

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A mixture of two uniforms on disjoint intervals has a piecewise-linear
// quantile function that can be written down: with weights 3:1, the first
// three quarters of the mass spread over [0, 1], the
// last quarter over [10, 12].
func TestMixtureClosedForm(t *testing.T) {
	d := mustParse(t, decodeTOML(t,
		`{dist = "mixture", components = [{dist = "uniform", min = 0, max = 1}, {dist = "uniform", min = 10, max = 12}], weights = [3, 1]}`))
	for _, c := range []struct{ p, want float64 }{
		{0.3, 0.4},              // 0.3 / 0.75 of [0, 1]
		{0.75, 1},               // the top of the first component
		{0.875, 11},             // half the second: 10 + 2 × 0.5
		{0.95, 10 + 2*0.2/0.25}, // (0.95 − 0.75) / 0.25 = 0.8 of [10, 12]
		{1, 12},
	} {
		assert.InDelta(t, c.want, d.Quantile(c.p), 1e-12, "Quantile(%g)", c.p)
	}
	lo, hi := d.Support()
	assert.Equal(t, [2]float64{0, 12}, [2]float64{lo, hi})
	assert.Equal(t, "mixture of 75% {dist = \"uniform\", min = 0, max = 1}, 25% {dist = \"uniform\", min = 10, max = 12}; 90% range 0.06667 to 11.6",
		Readable(d))
}

// Quantile is the inverse of CDF: CDF(Quantile(p)) reaches p, and the float
// just below Quantile(p) does not, for mixtures of random components
// (nested mixtures included).
func TestMixtureQuantileInvertsCDF(t *testing.T) {
	r := rand.New(rand.NewPCG(14, 5))
	n := 150
	if testing.Short() {
		n = 30
	}
	for range n {
		d := mustParse(t, randomMixture(r, 2))
		checkQuantiles(t, d, []float64{1e-12, 0.001, 0.05, 0.2, 0.5, 0.8, 0.95, 0.999, 1 - 1e-12})
		for _, p := range []float64{0.01, 0.05, 0.3, 0.5, 0.7, 0.95, 0.99} {
			q := d.Quantile(p)
			assert.GreaterOrEqual(t, CDF(d, q), p, "%s: CDF(Quantile(%g))", d, p)
			below := math.Nextafter(q, math.Inf(-1))
			if lo, _ := d.Support(); below >= lo {
				assert.Less(t, CDF(d, below), p, "%s: CDF just below Quantile(%g)", d, p)
			}
		}
	}
}

// randomMixture builds a decoded mixture table of two to four random
// components, each a mixture itself with a small chance while depth > 0.
func randomMixture(r *rand.Rand, depth int) map[string]any {
	k := 2 + r.IntN(3)
	comps := make([]any, k)
	wts := make([]any, k)
	for i := range comps {
		if depth > 0 && r.IntN(6) == 0 {
			comps[i] = randomMixture(r, depth-1)
		} else {
			comps[i] = randomDist(r)
		}
		wts[i] = r.Float64() * 5
	}
	wts[0] = 1.0 // not all zero
	return tbl("dist", "mixture", "components", comps, "weights", wts)
}

// String writes a mixture that parses back to the same distribution.
func TestMixtureRoundTrip(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 14))
	for range 50 {
		d := mustParse(t, randomMixture(r, 1))
		back, err := ParseText(d.String())
		require.NoError(t, err, d.String())
		assert.Equal(t, d.String(), back.String())
		for _, p := range []float64{0.05, 0.5, 0.95} {
			assert.Equal(t, d.Quantile(p), back.Quantile(p), "%s at %g", d, p)
		}
	}
	// Weights are optional (equal), and weightless components are dropped.
	d := mustParse(t, decodeTOML(t, `{dist = "mixture", components = [1, 2]}`))
	assert.Equal(t, 1.0, d.Quantile(0.5))
	assert.Equal(t, 2.0, d.Quantile(0.51))
	d = mustParse(t, decodeTOML(t, `{dist = "mixture", components = [1, 2], weights = [0, 1]}`))
	assert.Equal(t, 2.0, d.Quantile(0.01))
}

func TestMixtureErrors(t *testing.T) {
	for _, c := range []struct{ in, msg string }{
		{`{dist = "mixture"}`, "mixture: needs components, an array of distributions"},
		{`{dist = "mixture", components = []}`, "mixture: components must not be empty"},
		{`{dist = "mixture", components = 3}`, "mixture: components must be an array of distributions, found number 3"},
		{`{dist = "mixture", components = [1, 2], weights = [1, -1]}`, "mixture: weights must be >= 0, found weights[1]=-1"},
		{`{dist = "mixture", components = [1, 2], weights = [0, 0]}`, "mixture: weights must not all be zero"},
		{`{dist = "mixture", components = [1, 2], weights = [1]}`,
			"mixture: components and weights must have the same length, found 2 components and 1 weights"},
		{`{dist = "mixture", components = [{dist = "gamma"}]}`,
			`mixture: components[0]: unknown distribution "gamma" (expected one of normal, lognormal, uniform, triangular, pert, beta, discrete, mixture)`},
		{`{dist = "mixture", components = [1, {dist = "uniform", min = 2, max = 1}]}`,
			"mixture: components[1]: uniform: min must be below max, found min=2 max=1"},
		{`{dist = "mixture", components = [1], weight = [1]}`,
			`unknown key "weight" in a mixture distribution (did you mean "weights"?)`},
	} {
		_, err := Parse(decodeTOML(t, c.in))
		if assert.Error(t, err, c.in) {
			assert.Equal(t, c.msg, err.Error(), c.in)
		}
	}
}

// The CDF of every form agrees with its quantile function: Quantile(p) is
// where CDF crosses p, CDF(Quantile(p)) >= p and CDF just below it <= p, to
// the precision of the two computations.
func TestCDFInvertsQuantile(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 9))
	for range 300 {
		d := mustParse(t, randomDist(r))
		for _, p := range []float64{0.05, 0.25, 0.5, 0.75, 0.95} {
			q := d.Quantile(p)
			// 1e-6: beta and PERT quantiles are solved to an ulp of x,
			// which a steep CDF (a concentrated beta) turns into a larger
			// error in p.
			assert.GreaterOrEqual(t, CDF(d, q), p-1e-6, "%s at %g", d, p)
			assert.LessOrEqual(t, CDF(d, math.Nextafter(q, math.Inf(-1))), p+1e-6, "%s at %g", d, p)
		}
	}
}

// BenchmarkMixtureQuantile is one draw from a two-component mixture (a
// lognormal and a uniform): a bisection over the weighted CDF.
func BenchmarkMixtureQuantile(b *testing.B) {
	d, err := ParseText(`{dist = "mixture", components = [{dist = "lognormal", p5 = 1000, p95 = 2000}, {dist = "uniform", min = 10000, max = 20000}], weights = [2, 1]}`)
	require.NoError(b, err)
	r := rand.New(rand.NewPCG(1, 1))
	b.ResetTimer()
	for range b.N {
		d.Quantile(r.Float64())
	}
}

// BenchmarkMixtureQuantilePooled is one draw from the pool of the three
// experts of docs/examples/smuggling-ceiling.toml: a mixture of three
// mixtures of four to six uniforms.
func BenchmarkMixtureQuantilePooled(b *testing.B) {
	d, err := ParseText(`{dist = "mixture", components = [` +
		`{dist = "mixture", components = [{dist = "uniform", min = 1, max = 1.1}, {dist = "uniform", min = 1.1, max = 1.8}, {dist = "uniform", min = 1.8, max = 3.5}, {dist = "uniform", min = 3.5, max = 13.09}], weights = [0.05, 0.45, 0.45, 0.05]}, ` +
		`{dist = "mixture", components = [{dist = "uniform", min = 1, max = 1.5}, {dist = "uniform", min = 1.5, max = 3}, {dist = "uniform", min = 3, max = 7}, {dist = "uniform", min = 7, max = 13.09}], weights = [0.05, 0.45, 0.45, 0.05]}, ` +
		`{dist = "mixture", components = [{dist = "uniform", min = 1, max = 2}, {dist = "uniform", min = 2, max = 3}, {dist = "uniform", min = 3, max = 4.5}, {dist = "uniform", min = 4.5, max = 6.5}, {dist = "uniform", min = 6.5, max = 12}, {dist = "uniform", min = 12, max = 13.09}], weights = [0.05, 0.2, 0.25, 0.25, 0.2, 0.05]}], ` +
		`weights = [1, 1, 1]}`)
	require.NoError(b, err)
	r := rand.New(rand.NewPCG(1, 1))
	b.ResetTimer()
	for range b.N {
		d.Quantile(r.Float64())
	}
}
