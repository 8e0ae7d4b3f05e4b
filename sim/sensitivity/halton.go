package sensitivity

import (
	"math"
	"math/rand/v2"

	"github.com/chokepoint-sim/chokepoint/sim"
)

// scrambledHalton is the Halton sequence (Halton 1960, "On the efficiency of
// certain quasi-random sequences of points in evaluating multi-dimensional
// integrals", Numer. Math. 2:84–90) with random digit permutations: dimension
// d uses the d-th prime b as its base, and digit position j of the radical
// inverse goes through its own uniformly random permutation of {0, …, b−1},
// drawn independently for every (d, j). This is the positional scrambling of
// Matoušek (1998, "On the L2-discrepancy for anchored boxes", J. Complexity
// 14:527–556), the cheap relative of Owen's nested scrambling; Owen (2017,
// "A randomized Halton algorithm in R", arXiv:1706.02808) shows how badly
// unscrambled Halton behaves in high dimensions and why scrambling fixes it.
//
// Permuting the leading zeros too (all ndig digits are permuted, not just
// those of the index) makes each point uniform on [0,1)^dim, so estimators
// built on it are as unbiased as with plain Monte Carlo, while the points
// keep Halton's stratification.
type scrambledHalton struct {
	bases []int
	ndig  []int      // digits per base: the smallest m with b^m ≥ 2^53
	perm  [][]uint16 // perm[d][j*b+a]: the image of digit a at position j
}

func newScrambledHalton(dim int, rnd *rand.Rand) *scrambledHalton {
	h := &scrambledHalton{
		bases: sim.FirstPrimes(dim),
		ndig:  make([]int, dim),
		perm:  make([][]uint16, dim),
	}
	for d, b := range h.bases {
		m := 0
		for pw := 1.0; pw < 1<<53; pw *= float64(b) {
			m++
		}
		h.ndig[d] = m
		p := make([]uint16, m*b)
		for j := 0; j < m; j++ {
			row := p[j*b : (j+1)*b]
			for a := range row {
				row[a] = uint16(a)
			}
			rnd.Shuffle(b, func(x, y int) { row[x], row[y] = row[y], row[x] })
		}
		h.perm[d] = p
	}
	return h
}

// point writes the i-th point of the sequence into dst. Coordinates are in
// the open interval (0, 1), so quantile functions of unbounded distributions
// stay finite.
func (h *scrambledHalton) point(i uint64, dst []float64) {
	for d, b := range h.bases {
		p := h.perm[d]
		bb := uint64(b)
		inv := 1 / float64(b)
		f := inv
		x := 0.0
		idx := i
		for j := 0; j < h.ndig[d]; j++ {
			a := idx % bb
			idx /= bb
			x += float64(p[j*b+int(a)]) * f
			f *= inv
		}
		// Centre of the finest cell, then keep away from the endpoints that
		// rounding could reach.
		x += f / 2
		const eps = 0x1p-53
		x = math.Max(eps, math.Min(x, 1-eps))
		dst[d] = x
	}
}
