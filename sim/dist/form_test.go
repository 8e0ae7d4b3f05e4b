package dist

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gonum.org/v1/gonum/floats/scalar"
	"gonum.org/v1/gonum/stat/distuv"
)

// A default written by its own parameters reads as its family and its
// median, and its 90% range is gonum's 5th and 95th percentiles of the
// same distribution: what `chokepoint params KEY` prints instead of the
// raw table.
func TestFormAndRangeOfLognormal(t *testing.T) {
	// efficiency.halving_months's default in models/registry.go.
	d, err := ParseText(`{dist = "lognormal", mu = 2.0794, sigma = 0.263}`)
	require.NoError(t, err)
	ref := distuv.LogNormal{Mu: 2.0794, Sigma: 0.263}
	for _, p := range []float64{0.05, 0.95} {
		// 1e-12: both are exp(mu + sigma z(p)) with the same quantile z.
		assert.True(t, scalar.EqualWithinAbsOrRel(ref.Quantile(p), d.Quantile(p), 1e-12, 1e-12),
			"p=%v: gonum %v, ours %v", p, ref.Quantile(p), d.Quantile(p))
	}
	// exp(2.0794) = 7.99996, to four significant digits 8.
	assert.Equal(t, "lognormal (median 8, sd of the log 0.263)", Form(d))
}

func TestFormNamesEveryFamily(t *testing.T) {
	for text, want := range map[string]string{
		`0.7`:                                  "fixed at 0.7",
		`"5 to 14"`:                            "lognormal (median 8.367, sd of the log 0.313)", // sqrt(5·14); ln(14/5)/(2·1.6449) = 0.31298
		`"-1 to 1"`:                            "normal (mean 0, sd 0.608)",                     // 1/1.6449
		`{dist = "uniform", min = 0, max = 2}`: "uniform from 0 to 2",
		`{dist = "triangular", min = 1, mode = 2, max = 5}`:     "triangular from 1 to 5, most likely 2",
		`{dist = "pert", min = 1, mode = 2, max = 5}`:           "PERT from 1 to 5, most likely 2",
		`{dist = "beta", alpha = 2, beta = 5}`:                  "beta (alpha 2, beta 5)",
		`{dist = "discrete", values = [1, 2, 3]}`:               "discrete over 3 values",
		`{dist = "mixture", components = ["5 to 14", 3]}`:       "mixture of 2 components",
		`{dist = "uniform", min = 0, max = 2, clip = [0.5, 1]}`: "uniform from 0 to 2, clipped to [0.5, 1]",
	} {
		d, err := ParseText(text)
		require.NoError(t, err, text)
		assert.Equal(t, want, Form(d), text)
	}
}
