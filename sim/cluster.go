package sim

import (
	"encoding/binary"
	"hash/fnv"
	"math"
)

// RowKey hashes a row of k values (row(j) is value j) with 64-bit FNV-1a
// over their bits: runs that took the same parameter row (a posterior
// ensemble repeats its draws) share a key. Two different rows sharing a
// key (a chance near 2⁻⁶⁴ a pair) would count as one cluster.
func RowKey(k int, row func(j int) float64) uint64 {
	h := fnv.New64a()
	var buf [8]byte
	for j := 0; j < k; j++ {
		binary.LittleEndian.PutUint64(buf[:], math.Float64bits(row(j)))
		h.Write(buf[:])
	}
	return h.Sum64()
}

// EffectiveSize is the number of independent observations n runs are
// worth when runs sharing a key are a cluster (the repeats of one
// parameter row) and y is what is measured in each run: n/deff, with
// Kish's design effect for clusters of unequal size, deff = 1 + (m̃ − 1)ρ
// (Kish, Survey Sampling, 1965, §5.4), m̃ = Σm²/n the clusters' size
// weighted by their runs and ρ the intraclass correlation of y, estimated
// by one-way analysis of variance (ρ = (MSB − MSW)/(MSB + (m₀ − 1)MSW),
// m₀ = (n − Σm²/n)/(g − 1) for g clusters; Donner, Int. Stat. Rev. 54,
// 1986), clamped to [0, 1].
//
// With no repeats it is n. When y is the same in every run of a cluster
// (ρ = 1: a repeat adds nothing) it is (Σm)²/Σm²; when y varies as much
// within clusters as between them (ρ = 0: the model's own per-run draws,
// such as events, make each repeat new evidence) it is n.
func EffectiveSize(keys []uint64, y []float64) float64 {
	n := len(keys)
	if n == 0 {
		return 0
	}
	idx := make(map[uint64]int, n)
	var size []float64
	var sum []float64
	cl := make([]int, n)
	for i, k := range keys {
		c, ok := idx[k]
		if !ok {
			c = len(size)
			idx[k] = c
			size, sum = append(size, 0), append(sum, 0)
		}
		cl[i] = c
		size[c]++
		sum[c] += y[i]
	}
	g := len(size)
	if g == n {
		return float64(n)
	}
	var total, sq float64
	for c := range size {
		total += sum[c]
		sq += size[c] * size[c]
	}
	N := float64(n)
	mean := total / N
	var ssb, ssw float64
	for c := range size {
		d := sum[c]/size[c] - mean
		ssb += size[c] * d * d
	}
	for i, v := range y {
		d := v - sum[cl[i]]/size[cl[i]]
		ssw += d * d
	}
	rho := 1.0 // one cluster, or y constant: a repeat adds nothing
	if g > 1 {
		msb, msw := ssb/float64(g-1), ssw/(N-float64(g))
		m0 := (N - sq/N) / float64(g-1)
		if den := msb + (m0-1)*msw; den > 0 {
			rho = min(max((msb-msw)/den, 0), 1)
		}
	}
	return N / (1 + (sq/N-1)*rho)
}
