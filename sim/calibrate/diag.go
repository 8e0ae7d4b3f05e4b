package calibrate

import (
	"cmp"
	"math"
	"slices"

	"gonum.org/v1/gonum/stat"
)

// Interval is a median and 90% interval.
type Interval struct{ P05, P50, P95 float64 }

// Width is the 90% interval's width.
func (iv Interval) Width() float64 { return iv.P95 - iv.P05 }

// Contains reports whether x lies in the 90% interval.
func (iv Interval) Contains(x float64) bool { return iv.P05 <= x && x <= iv.P95 }

// column is one quantity over the held runs, sorted, with the prior's
// (equal) and the posterior's weights in the same order. NaNs are left
// out.
type column struct {
	x, wPrior, wPost []float64
}

func newColumn(values []float64, stride, off int, weights []float64) *column {
	type pair struct{ x, w float64 }
	n := len(weights)
	ps := make([]pair, 0, n)
	for r := 0; r < n; r++ {
		if v := values[r*stride+off]; !math.IsNaN(v) {
			ps = append(ps, pair{v, weights[r]})
		}
	}
	// The order among equal values does not matter: a quantile is a value,
	// and CRPS sums over them alike.
	slices.SortFunc(ps, func(a, b pair) int { return cmp.Compare(a.x, b.x) })
	c := &column{x: make([]float64, len(ps)), wPrior: make([]float64, len(ps)), wPost: make([]float64, len(ps))}
	for i, p := range ps {
		c.x[i], c.wPrior[i], c.wPost[i] = p.x, 1, p.w
	}
	return c
}

// interval returns the weighted median and 90% interval (gonum's
// empirical quantile: the smallest value whose cumulative weight reaches
// p), or NaNs when no run has the value.
func interval(x, w []float64) Interval {
	var tw float64
	for _, v := range w {
		tw += v
	}
	if len(x) == 0 || !(tw > 0) {
		return Interval{math.NaN(), math.NaN(), math.NaN()}
	}
	return Interval{stat.Quantile(0.05, stat.Empirical, x, w), stat.Quantile(0.5, stat.Empirical, x, w),
		stat.Quantile(0.95, stat.Empirical, x, w)}
}

func (c *column) prior() Interval { return interval(c.x, c.wPrior) }
func (c *column) post() Interval  { return interval(c.x, c.wPost) }
