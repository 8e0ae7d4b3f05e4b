package sim

import (
	"math"
	"slices"
)

// quantilesInPlace fills q with the type-7 quantiles at Probs of data,
// reordering data. It selects only the order statistics the quantiles need
// (at most 14) by a multi-way quickselect, which is several times faster
// than a full sort for the large columns of a batch; the result is
// identical to sorting first. Data holding NaN gives NaN quantiles.
func quantilesInPlace(data []float64, q *[7]float64) {
	n := len(data)
	for _, v := range data {
		if math.IsNaN(v) {
			for i := range q {
				q[i] = math.NaN()
			}
			return
		}
	}
	var ranks [14]int
	k := 0
	for _, p := range Probs {
		h := float64(n-1) * p
		lo := int(math.Floor(h))
		ranks[k] = lo
		ranks[k+1] = min(lo+1, n-1)
		k += 2
	}
	rs := ranks[:k]
	slices.Sort(rs)
	rs = slices.Compact(rs)
	multiSelect(data, 0, n, rs)
	for i, p := range Probs {
		h := float64(n-1) * p
		lo := int(math.Floor(h))
		if lo >= n-1 {
			q[i] = data[n-1]
			continue
		}
		q[i] = data[lo] + (h-float64(lo))*(data[lo+1]-data[lo])
	}
}

// multiSelect reorders data[lo:hi] so that each position in ranks (sorted,
// all within [lo, hi)) holds the element a full sort would put there.
func multiSelect(data []float64, lo, hi int, ranks []int) {
	for len(ranks) > 0 {
		if hi-lo <= 48 {
			slices.Sort(data[lo:hi])
			return
		}
		// Median of three as pivot; a three-way partition keeps runs of
		// equal values (common: clamped outputs) from degrading it.
		a, b, c := data[lo], data[lo+(hi-lo)/2], data[hi-1]
		pivot := max(min(a, b), min(max(a, b), c))
		lt, i, gt := lo, lo, hi
		for i < gt {
			switch v := data[i]; {
			case v < pivot:
				data[lt], data[i] = data[i], data[lt]
				lt++
				i++
			case v > pivot:
				gt--
				data[gt], data[i] = data[i], data[gt]
			default:
				i++
			}
		}
		// data[lo:lt] < pivot, data[lt:gt] == pivot, data[gt:hi] > pivot.
		left := 0
		for left < len(ranks) && ranks[left] < lt {
			left++
		}
		right := left
		for right < len(ranks) && ranks[right] < gt {
			right++
		}
		if left > 0 {
			multiSelect(data, lo, lt, ranks[:left])
		}
		ranks = ranks[right:]
		lo = gt
	}
}
