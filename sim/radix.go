package sim

import (
	"math"
	"math/bits"
	"slices"
)

// Order statistics by radix selection: the values are mapped to unsigned
// keys in the same order; a histogram over 2,048 even buckets of the keys'
// range finds, for each wanted rank, the bucket holding it; only those
// buckets are gathered and refined the same way, until a bucket is small
// enough to sort. A column of n values costs about two passes over n
// instead of a sort's n·log n comparisons, and the result is exactly what
// sorting gives.

// radixBits is the width of a bucket index: 2,048 buckets, so that a
// column of 10,000 values is resolved in one or two levels.
const radixBits = 11

// radixScratch holds the buffers of radix selection, reused across columns.
type radixScratch struct {
	keys, buf []uint64
	ranks     [14]int
	got       [14]uint64
	hist      []int
	ord       [14]int
}

// sortKey maps a float64 to a uint64 whose unsigned order is the float's
// order (negative numbers reversed, positives offset by the sign bit).
func sortKey(x float64) uint64 {
	u := math.Float64bits(x)
	if u>>63 == 1 {
		return ^u
	}
	return u | 1<<63
}

func fromKey(k uint64) float64 {
	if k>>63 == 1 {
		return math.Float64frombits(k &^ (1 << 63))
	}
	return math.Float64frombits(^k)
}

// stats summarises data, whose sum (in run order) is given: one pass
// computes the squared deviations, the keys and their range together, then
// radix selection finds the quantiles. The numbers equal Summarize's.
func (s *radixScratch) stats(data []float64, sum float64) Stats {
	n := len(data)
	st := Stats{N: n}
	if n == 0 {
		return Summarize(nil)
	}
	st.Mean = sum / float64(n)
	if cap(s.keys) < n {
		s.keys, s.buf = make([]uint64, n), make([]uint64, n)
	}
	keys := s.keys[:n]
	lo, hi := ^uint64(0), uint64(0)
	var ss float64
	nan := false
	for i, x := range data {
		d := x - st.Mean
		ss += d * d
		nan = nan || x != x
		k := sortKey(x)
		keys[i] = k
		lo, hi = min(lo, k), max(hi, k)
	}
	if n > 1 {
		st.SD = math.Sqrt(ss / float64(n-1))
	}
	if nan {
		for i := range st.Q {
			st.Q[i] = math.NaN()
		}
		return st
	}
	s.fromKeys(keys, n, lo, hi, &st.Q)
	return st
}

// fromKeys fills q from the n keys in keys, known to lie in [lo, hi].
func (s *radixScratch) fromKeys(keys []uint64, n int, lo, hi uint64, q *[7]float64) {
	for i, p := range Probs {
		r := int(math.Floor(float64(n-1) * p))
		s.ranks[2*i], s.ranks[2*i+1] = r, min(r+1, n-1)
	}
	s.selectIn(keys, s.buf[:n], s.ranks[:], s.got[:], lo, hi)
	for i, p := range Probs {
		h := float64(n-1) * p
		r := int(math.Floor(h))
		a, b := fromKey(s.got[2*i]), fromKey(s.got[2*i+1])
		if r >= n-1 {
			q[i] = b
			continue
		}
		q[i] = a + (h-float64(r))*(b-a)
	}
}

// selectRanks sets got[j] to the key of rank ranks[j] (0-based) in keys.
// buf is scratch of len(keys); keys may be reordered. Buckets split the
// range [min, max] of the keys evenly: float keys are close to logarithmic,
// so this spreads most model outputs well.
func (s *radixScratch) selectRanks(keys, buf []uint64, ranks []int, got []uint64) {
	if len(keys) <= 64 {
		slices.Sort(keys)
		for j, r := range ranks {
			got[j] = keys[r]
		}
		return
	}
	lo, hi := keys[0], keys[0]
	for _, k := range keys {
		lo = min(lo, k)
		hi = max(hi, k)
	}
	s.selectIn(keys, buf, ranks, got, lo, hi)
}

// selectIn is selectRanks for keys known to lie in [lo, hi].
func (s *radixScratch) selectIn(keys, buf []uint64, ranks []int, got []uint64, lo, hi uint64) {
	if len(keys) <= 64 {
		slices.Sort(keys)
		for j, r := range ranks {
			got[j] = keys[r]
		}
		return
	}
	if lo == hi { // all equal
		for j := range ranks {
			got[j] = lo
		}
		return
	}
	shift := uint(0)
	if w := bits.Len64(hi - lo); w > radixBits {
		shift = uint(w - radixBits)
	}
	nb := int((hi-lo)>>shift) + 1
	count := s.counts(nb)
	for _, k := range keys {
		count[(k-lo)>>shift]++
	}
	// start[b] is the rank of bucket b's first key; find each wanted
	// rank's bucket, then gather only those buckets.
	var want [14]int
	var wantStart [14]int
	nw := 0
	acc := 0
	ri := 0
	order := s.order(len(ranks), ranks)
	for b := 0; b < nb && ri < len(order); b++ {
		c := count[b]
		for ri < len(order) && ranks[order[ri]] < acc+c {
			if nw == 0 || want[nw-1] != b {
				want[nw], wantStart[nw] = b, acc
				nw++
			}
			ri++
		}
		acc += c
	}
	// Mark the wanted buckets with their slot + 1 in count's place.
	offs := [14]int{}
	off := 0
	for w := 0; w < nw; w++ {
		offs[w] = off
		c := count[want[w]]
		count[want[w]] = -(w + 1) // marker
		off += c
		_ = c
	}
	pos := offs
	for _, k := range keys {
		if m := count[(k-lo)>>shift]; m < 0 {
			w := -m - 1
			buf[pos[w]] = k
			pos[w]++
		}
	}
	var sub [14]int
	var subGot [14]uint64
	for w := 0; w < nw; w++ {
		size := pos[w] - offs[w]
		bucket := buf[offs[w]:pos[w]]
		n := 0
		for _, r := range ranks {
			if r >= wantStart[w] && r < wantStart[w]+size {
				sub[n] = r - wantStart[w]
				n++
			}
		}
		s.selectRanks(bucket, keys[:size], sub[:n], subGot[:n])
		n = 0
		for j, r := range ranks {
			if r >= wantStart[w] && r < wantStart[w]+size {
				got[j] = subGot[n]
				n++
			}
		}
	}
}

// counts returns a zeroed histogram of n buckets from the scratch pool.
func (s *radixScratch) counts(n int) []int {
	if cap(s.hist) < n {
		s.hist = make([]int, 1<<radixBits)
	}
	h := s.hist[:n]
	clear(h)
	return h
}

// order returns the indices of ranks sorted by rank.
func (s *radixScratch) order(n int, ranks []int) []int {
	o := s.ord[:n]
	for i := range o {
		o[i] = i
	}
	slices.SortFunc(o, func(a, b int) int { return ranks[a] - ranks[b] })
	return o
}
