package sim

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// numpy.quantile([1, 2, 3, 4], q) with its default linear method gives
// 1.15, 1.3, 1.75, 2.5, 3.25, 3.7, 3.85 at q = .05 .1 .25 .5 .75 .9 .95.
func TestSummarizeMatchesNumpyLinear(t *testing.T) {
	s := Summarize([]float64{4, 1, 3, 2})
	want := [7]float64{1.15, 1.3, 1.75, 2.5, 3.25, 3.7, 3.85}
	for i := range want {
		assert.InDelta(t, want[i], s.Q[i], 1e-12, "q%v", Probs[i])
	}
	assert.Equal(t, 2.5, s.Mean)
	assert.InDelta(t, math.Sqrt(5.0/3), s.SD, 1e-12) // sample sd of 1..4
	assert.Equal(t, 4, s.N)
}

func TestSummarizeEdgeCases(t *testing.T) {
	one := Summarize([]float64{7})
	assert.Equal(t, 7.0, one.P05())
	assert.Equal(t, 7.0, one.P95())
	assert.Equal(t, 0.0, one.SD)
	empty := Summarize(nil)
	assert.True(t, math.IsNaN(empty.P50()))
}

// Quantiles are ordered whatever the data.
func TestSummarizeOrdered(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 1))
	for i := 0; i < 200; i++ {
		data := make([]float64, 1+rng.IntN(500))
		for j := range data {
			data[j] = rng.NormFloat64() * math.Exp(rng.NormFloat64()*3)
		}
		s := Summarize(data)
		for k := 1; k < len(s.Q); k++ {
			require.GreaterOrEqual(t, s.Q[k], s.Q[k-1], "quantiles out of order: %v", s.Q)
		}
	}
}

// The selection-based quantiles equal those of a full sort, including on
// data with many ties (clamped outputs) and short columns.
func TestRadixQuantilesMatchSort(t *testing.T) {
	rng := rand.New(rand.NewPCG(2, 2))
	for i := 0; i < 500; i++ {
		n := 1 + rng.IntN(3000)
		data := make([]float64, n)
		for j := range data {
			switch i % 4 {
			case 0:
				data[j] = rng.NormFloat64()
			case 1:
				data[j] = float64(rng.IntN(4)) // heavy ties
			case 2:
				data[j] = math.Exp(rng.NormFloat64() * 5)
			default:
				data[j] = -math.Exp(rng.NormFloat64()) * float64(rng.IntN(2)) // zeros and negatives
			}
		}
		sorted := slices.Clone(data)
		slices.Sort(sorted)
		q := Summarize(data).Q
		for k, p := range Probs {
			require.Equal(t, sortQuantile(sorted, p), q[k], "n=%d p=%v: select, sort", n, p)
		}
	}
}

// sortQuantile returns the p-quantile of sorted data by linear
// interpolation between order statistics: Hyndman and Fan's type 7,
// numpy's default. It is the reference radix selection must equal.
func sortQuantile(sorted []float64, p float64) float64 {
	n := len(sorted)
	if n == 0 {
		return math.NaN()
	}
	h := float64(n-1) * p
	lo := int(math.Floor(h))
	if lo >= n-1 {
		return sorted[n-1]
	}
	return sorted[lo] + (h-float64(lo))*(sorted[lo+1]-sorted[lo])
}

// A Summarizer reused across columns (longer, shorter, with NaN, all
// equal, empty, and spread over many radix buckets) gives what Summarize
// gives each afresh: its scratch never carries one column into the next.
func TestSummarizerReusedIsSummarize(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 5))
	var z Summarizer
	for c := 0; c < 300; c++ {
		n := r.IntN(2000)
		col := make([]float64, n)
		for i := range col {
			col[i] = math.Exp(r.NormFloat64()*10) * float64(1-2*r.IntN(2))
		}
		switch c % 7 {
		case 1:
			if n > 0 {
				col[r.IntN(n)] = math.NaN()
			}
		case 2:
			for i := range col {
				col[i] = 3
			}
		}
		want, got := Summarize(col), z.Summarize(col)
		require.Equal(t, fmt.Sprint(want), fmt.Sprint(got), "column %d of %d values", c, n)
	}
}
