package sim

import (
	"math"
	"slices"
)

// Order statistics by radix selection: the values are mapped to unsigned
// keys in the same order; a histogram of one byte of the keys (the highest
// byte that varies) finds, for each wanted rank, the bucket holding it;
// only those buckets are gathered and refined on the next byte, until a
// bucket is small enough to sort. A column of n values costs about two
// passes over n instead of a sort's n·log n comparisons, and the result is
// exactly what sorting gives.

// radixScratch holds the buffers of radix selection, reused across columns.
type radixScratch struct {
	keys, buf []uint64
	ranks     [14]int
	got       [14]uint64
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

// quantiles fills q with the type-7 quantiles at Probs of data, which it
// leaves unchanged. Data holding NaN gives NaN quantiles.
func (s *radixScratch) quantiles(data []float64, q *[7]float64) {
	n := len(data)
	if n == 0 {
		for i := range q {
			q[i] = math.NaN()
		}
		return
	}
	if cap(s.keys) < n {
		s.keys, s.buf = make([]uint64, n), make([]uint64, n)
	}
	keys := s.keys[:n]
	for i, x := range data {
		if x != x {
			for j := range q {
				q[j] = math.NaN()
			}
			return
		}
		keys[i] = sortKey(x)
	}
	for i, p := range Probs {
		lo := int(math.Floor(float64(n-1) * p))
		s.ranks[2*i], s.ranks[2*i+1] = lo, min(lo+1, n-1)
	}
	s.selectRanks(keys, s.buf[:n], s.ranks[:], s.got[:])
	for i, p := range Probs {
		h := float64(n-1) * p
		lo := int(math.Floor(h))
		a, b := fromKey(s.got[2*i]), fromKey(s.got[2*i+1])
		if lo >= n-1 {
			q[i] = b
			continue
		}
		q[i] = a + (h-float64(lo))*(b-a)
	}
}

// selectRanks sets got[j] to the key of rank ranks[j] (0-based) in keys.
// buf is scratch of len(keys); keys may be reordered.
func (s *radixScratch) selectRanks(keys, buf []uint64, ranks []int, got []uint64) {
	if len(keys) <= 64 {
		slices.Sort(keys)
		for j, r := range ranks {
			got[j] = keys[r]
		}
		return
	}
	var and, or uint64 = ^uint64(0), 0
	for _, k := range keys {
		and &= k
		or |= k
	}
	diff := and ^ or
	if diff == 0 { // all equal
		for j := range ranks {
			got[j] = keys[0]
		}
		return
	}
	shift := uint(56)
	for (diff>>shift)&0xff == 0 {
		shift -= 8
	}
	var count [256]int
	for _, k := range keys {
		count[(k>>shift)&0xff]++
	}
	var start [257]int
	for b := 0; b < 256; b++ {
		start[b+1] = start[b] + count[b]
	}
	// Which buckets hold a wanted rank.
	var want [256]bool
	for _, r := range ranks {
		b := 0
		for start[b+1] <= r {
			b++
		}
		want[b] = true
	}
	// Gather the wanted buckets, in bucket order, into buf.
	var pos [256]int
	off := 0
	for b := 0; b < 256; b++ {
		if want[b] {
			pos[b] = off
			off += count[b]
		}
	}
	for _, k := range keys {
		b := (k >> shift) & 0xff
		if want[b] {
			buf[pos[b]] = k
			pos[b]++
		}
	}
	// Refine each wanted bucket on its own.
	off = 0
	var sub [14]int
	var subGot [14]uint64
	for b := 0; b < 256; b++ {
		if !want[b] {
			continue
		}
		n := 0
		for _, r := range ranks {
			if r >= start[b] && r < start[b+1] {
				sub[n] = r - start[b]
				n++
			}
		}
		bucket := buf[off : off+count[b]]
		s.selectRanks(bucket, keys[:count[b]], sub[:n], subGot[:n])
		n = 0
		for j, r := range ranks {
			if r >= start[b] && r < start[b+1] {
				got[j] = subGot[n]
				n++
			}
		}
		off += count[b]
	}
}
