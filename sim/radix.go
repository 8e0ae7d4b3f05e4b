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
		sortSelect(keys, ranks, got)
		return
	}
	lo, hi := keys[0], keys[0]
	for _, k := range keys {
		lo = min(lo, k)
		hi = max(hi, k)
	}
	s.selectIn(keys, buf, ranks, got, lo, hi)
}

// sortSelect is selectRanks by sorting keys: for a few keys.
func sortSelect(keys []uint64, ranks []int, got []uint64) {
	slices.Sort(keys)
	for j, r := range ranks {
		got[j] = keys[r]
	}
}

// wantedBuckets are the buckets that hold a wanted rank, in bucket order:
// bucket[w] and the rank of its first key, start[w], for w < n. There are
// at most as many as ranks (14).
type wantedBuckets struct {
	bucket, start [14]int
	n             int
}

// selectIn is selectRanks for keys known to lie in [lo, hi].
func (s *radixScratch) selectIn(keys, buf []uint64, ranks []int, got []uint64, lo, hi uint64) {
	if len(keys) <= 64 {
		sortSelect(keys, ranks, got)
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
	want := s.wanted(count, ranks)
	offs, pos := gather(keys, buf, count, &want, lo, shift)
	s.refine(keys, buf, ranks, got, &want, &offs, &pos)
}

// wanted finds each rank's bucket from the histogram count.
func (s *radixScratch) wanted(count []int, ranks []int) wantedBuckets {
	var want wantedBuckets
	acc := 0 // the rank of bucket b's first key
	ri := 0
	order := s.order(len(ranks), ranks)
	for b := 0; b < len(count) && ri < len(order); b++ {
		c := count[b]
		for ri < len(order) && ranks[order[ri]] < acc+c {
			if want.n == 0 || want.bucket[want.n-1] != b {
				want.bucket[want.n], want.start[want.n] = b, acc
				want.n++
			}
			ri++
		}
		acc += c
	}
	return want
}

// gather copies the keys of the wanted buckets into buf, bucket after
// bucket: bucket w's keys go to buf[offs[w]:pos[w]]. It overwrites the
// wanted buckets' counts with markers.
func gather(keys, buf []uint64, count []int, want *wantedBuckets, lo uint64, shift uint) (offs, pos [14]int) {
	// Mark the wanted buckets with their slot + 1 in count's place.
	off := 0
	for w := 0; w < want.n; w++ {
		offs[w] = off
		c := count[want.bucket[w]]
		count[want.bucket[w]] = -(w + 1) // marker
		off += c
	}
	pos = offs
	for _, k := range keys {
		if m := count[(k-lo)>>shift]; m < 0 {
			w := -m - 1
			buf[pos[w]] = k
			pos[w]++
		}
	}
	return offs, pos
}

// refine selects, within each gathered bucket, the ranks it holds, using
// keys as the next level's scratch.
func (s *radixScratch) refine(keys, buf []uint64, ranks []int, got []uint64, want *wantedBuckets, offs, pos *[14]int) {
	var sub [14]int
	var subGot [14]uint64
	for w := 0; w < want.n; w++ {
		size := pos[w] - offs[w]
		bucket := buf[offs[w]:pos[w]]
		first := want.start[w]
		n := 0
		for _, r := range ranks {
			if r >= first && r < first+size {
				sub[n] = r - first
				n++
			}
		}
		s.selectRanks(bucket, keys[:size], sub[:n], subGot[:n])
		n = 0
		for j, r := range ranks {
			if r >= first && r < first+size {
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
