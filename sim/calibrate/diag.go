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
	n := len(weights)
	idx := make([]int, 0, n)
	for r := 0; r < n; r++ {
		if !math.IsNaN(values[r*stride+off]) {
			idx = append(idx, r)
		}
	}
	// Ties are broken by run index, so the order is a function of the
	// values alone.
	slices.SortFunc(idx, func(a, b int) int {
		if c := cmp.Compare(values[a*stride+off], values[b*stride+off]); c != 0 {
			return c
		}
		return a - b
	})
	c := &column{x: make([]float64, len(idx)), wPrior: make([]float64, len(idx)), wPost: make([]float64, len(idx))}
	for i, r := range idx {
		c.x[i], c.wPrior[i], c.wPost[i] = values[r*stride+off], 1, weights[r]
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
