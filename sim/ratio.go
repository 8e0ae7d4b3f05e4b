package sim

import (
	"math"

	"github.com/DataDog/sketches-go/ddsketch"
	"github.com/DataDog/sketches-go/ddsketch/store"
)

// ratioOf returns other ÷ base when that is a finite number of at least
// 0: base above 0 and other at least 0. A ratio of values that can be
// negative or zero says nothing a difference does not say better.
func ratioOf(other, base float64) (float64, bool) {
	if !(base > 0) || !(other >= 0) || math.IsInf(base, 0) || math.IsInf(other, 0) {
		return 0, false
	}
	q := other / base
	return q, !math.IsInf(q, 0)
}

// addRatio adds one run's ratio to a ratio cell: its count and exact sums
// see every ratio, its sketch only those other than 1 (the runs in which
// the scenarios differ), so that both the ratios of all runs and of the
// changed runs can be read back (ratioStats, changedRatioStats).
func (c *CellSketch) addRatio(q float64) {
	if q != 1 {
		c.add(q)
		return
	}
	c.N++
	c.csum++
	c.csumsq++
	c.Higher++ // add counts values above zero; keep Higher the same for ones
}

// sketchCount is how many values c's sketch holds.
func (c *CellSketch) sketchCount() int64 {
	if c.Sketch == nil {
		return 0
	}
	return int64(c.Sketch.GetCount())
}

// ratioStats returns a ratio cell's summary over every run it counted:
// the sketch's ratios with the runs of ratio exactly 1 put back in order.
func (c *CellSketch) ratioStats() Stats {
	s := c.Stats()
	ones := c.N - c.sketchCount()
	if ones == 0 || c.N == 0 {
		return s
	}
	for i, p := range Probs {
		s.Q[i] = 1
		if c.Sketch != nil {
			s.Q[i] = mixedQuantile(c.Sketch, float64(ones), p)
		}
	}
	return s
}

// changedRatioStats returns a ratio cell's summary over the runs whose
// ratio is not 1 (those in which the scenarios differ).
func (c *CellSketch) changedRatioStats() Stats {
	ones := c.N - c.sketchCount()
	o := CellSketch{N: c.N - ones, Sketch: c.Sketch}
	o.Sum.Add(c.Sum.Value())
	o.Sum.Add(-float64(ones))
	o.SumSq.Add(c.SumSq.Value())
	o.SumSq.Add(-float64(ones))
	return o.Stats()
}

// nonZeroStats returns a difference cell's summary over its values other
// than zero (the runs in which the scenarios differ). The sketch keeps
// zero apart (with values nearer zero than about 1e-308), so its
// quantiles are read from the positive and negative stores alone; zeros
// add nothing to the exact sums.
func (c *CellSketch) nonZeroStats() Stats {
	if c.Sketch == nil {
		return c.Stats()
	}
	zeros := int64(c.Sketch.GetZeroCount())
	o := CellSketch{N: c.N - zeros, Sum: c.Sum, SumSq: c.SumSq}
	s := o.Stats()
	neg, pos := c.Sketch.GetNegativeValueStore(), c.Sketch.GetPositiveValueStore()
	for i, p := range Probs {
		s.Q[i] = storesQuantile(neg, pos, p)
	}
	return s
}

// storesQuantile is DDSketch's quantile (GetValueAtQuantile: the value at
// rank p·(n−1), lower rank) over the values of a negative and a positive
// store, zeros left out.
func storesQuantile(neg, pos store.Store, p float64) float64 {
	nn, np := neg.TotalCount(), pos.TotalCount()
	if nn+np == 0 {
		return math.NaN()
	}
	rank := float64(p * (nn + np - 1))
	if rank < nn {
		return -sketchMapping.Value(neg.KeyAtRank(nn - 1 - rank))
	}
	return sketchMapping.Value(pos.KeyAtRank(rank - nn))
}

// mixedQuantile is the quantile p of the values of sk (ratios, none below
// zero) together with ones more values equal to 1, as DDSketch would give
// it had the ones been added: values below 1 rank first, then the ones,
// then the rest. The bin that holds 1 counts as at or above 1; its values
// lie within the sketch's accuracy of 1.
func mixedQuantile(sk *ddsketch.DDSketch, ones, p float64) float64 {
	pos := sk.GetPositiveValueStore()
	zeros := sk.GetZeroCount()
	n := sk.GetCount() + ones
	rank := float64(p * (n - 1))
	k1 := sketchMapping.Index(1)
	below := zeros
	pos.ForEach(func(index int, count float64) bool {
		if index >= k1 {
			return true
		}
		below += count
		return false
	})
	switch {
	case rank < zeros:
		return 0
	case rank < below:
		return sketchMapping.Value(pos.KeyAtRank(rank - zeros))
	case rank < below+ones:
		return 1
	}
	return sketchMapping.Value(pos.KeyAtRank(rank - zeros - ones))
}
