package sensitivity

import (
	"math"
	"math/rand/v2"
	"slices"

	"github.com/chokepoint-sim/chokepoint/sim"
)

// Stream constants, one per use, so that the same user seed drives
// unrelated streams for the design (mixed into the Halton seed), the
// bootstrap and Morris trajectories (rand.NewPCG streams).
const (
	saltelliStream  = 0x5a17e111_d3516e00
	bootstrapStream = 0xb0075742_a9c01d00
	morrisStream    = 0x30441500_e1e3e700
)

// SaltelliDesign is the sampling design of Saltelli (2002, "Making best use of
// model evaluations to compute sensitivity indices", Comput. Phys. Commun.
// 145:280–297) and Saltelli et al. (2010, "Variance based sensitivity
// analysis of model output. Design and estimator for the total sensitivity
// index", Comput. Phys. Commun. 181:259–270): two independent N×K matrices
// A and B of uniforms and, for each input i, the matrix AB_i, which is A with
// column i taken from B.
//
// A and B are the first and last K coordinates of points 1 to N of a
// 2K-dimensional scrambled Halton sequence (sim.HaltonSequence, the one
// --sampler qmc uses; its permutations drawn from the seed), as Saltelli
// et al. (2010) recommend for a low-discrepancy sequence. Halton, unlike
// Sobol' sequences, needs no table of direction numbers and works for any N;
// the scrambling makes the design random (the seed picks it) and each point
// uniform, while the low-discrepancy structure cuts the error of the
// indices. On the Ishigami function at N = 2^14 the worst index error over
// 40 seeds was 0.0028 against 0.023 with plain uniforms; with 60 inputs
// (Sobol' G function with a_i = i/2, N = 1024 and 4096, 10 seeds) the worst
// first-order error was 0.057 and 0.031 against 0.081 and 0.032 with plain
// uniforms, the gain fading as the dimension grows.
type SaltelliDesign struct {
	N, K int
	A, B [][]float64
}

// NewSaltelliDesign returns a design with n base rows for k inputs, drawn
// with the given seed. It panics if n < 2 or k < 1.
func NewSaltelliDesign(n, k int, seed uint64) *SaltelliDesign {
	checkNK(n, k)
	if k > maxSaltelliK {
		panic("sensitivity: too many inputs for the Halton design")
	}
	h, err := sim.NewHaltonSequence(2*k, seed^saltelliStream)
	if err != nil {
		panic("sensitivity: too many inputs for the Halton design")
	}
	a := make([]float64, n*k)
	b := make([]float64, n*k)
	d := &SaltelliDesign{N: n, K: k, A: make([][]float64, n), B: make([][]float64, n)}
	pt := make([]float64, 2*k)
	for r := 0; r < n; r++ {
		h.Point(uint64(r)+1, pt)
		d.A[r] = a[r*k : (r+1)*k : (r+1)*k]
		d.B[r] = b[r*k : (r+1)*k : (r+1)*k]
		copy(d.A[r], pt[:k])
		copy(d.B[r], pt[k:])
	}
	return d
}

// maxSaltelliK keeps the 2K dimensions of the design within those of a
// sim.HaltonSequence.
const maxSaltelliK = sim.MaxHaltonDims / 2

// Points returns the N(K+2) design points as rows: A (N rows), B (N rows),
// then AB_0, …, AB_{K−1} (N rows each). The rows are fresh copies; the model
// output for row j goes in y[j] of SobolIndices.
func (d *SaltelliDesign) Points() [][]float64 {
	n, k := d.N, d.K
	rows := n * (k + 2)
	data := make([]float64, rows*k)
	pts := make([][]float64, rows)
	for j := range pts {
		pts[j] = data[j*k : (j+1)*k : (j+1)*k]
	}
	for r := 0; r < n; r++ {
		copy(pts[r], d.A[r])
		copy(pts[n+r], d.B[r])
		for i := 0; i < k; i++ {
			row := pts[(2+i)*n+r]
			copy(row, d.A[r])
			row[i] = d.B[r][i]
		}
	}
	return pts
}

// SobolResult holds first-order (S1) and total-order (ST) Sobol' indices per
// input, with the lower and upper bounds of their 95% bootstrap percentile
// intervals (NaN when no bootstrap was asked for).
type SobolResult struct {
	S1, ST, S1Lo, S1Hi, STLo, STHi []float64
}

// SobolIndices estimates Sobol' indices from the model outputs y at the
// points of a SaltelliDesign with n base rows and k inputs, in the row order
// of Points. The first-order index is the estimator of Saltelli et al. (2010,
// Table 2),
//
//	S1_i = mean(yB·(yAB_i − yA)) / V,
//
// and the total-order index that of Jansen (1999, "Analysis of variance
// designs for model output", Comput. Phys. Commun. 117:35–43), which
// Saltelli et al. (2010) recommend for the total effect,
//
//	ST_i = mean((yA − yAB_i)²) / 2 / V,
//
// where V is the variance of yA and yB pooled. Outputs are centred on the
// pooled mean first: ST is unchanged, and because E[yAB_i] = E[yA] the
// expectation of S1's numerator is too, but the term f0·(yAB_i − yA) drops
// out of its variance, which matters when the output's mean is large
// against its spread (the same reason Sobol' 2001, Math. Comput. Simul.
// 55:271–280, gives for shifting f by a constant near f0).
//
// With boot > 0 the intervals are 95% percentile bootstrap intervals (Efron
// & Tibshirani 1993, An Introduction to the Bootstrap, ch. 13; applied to
// Sobol' indices by Archer, Saltelli & Sobol' 1997, J. Stat. Comput. Simul.
// 58:99–120) from boot resamples, with replacement, of the n base rows, each
// row carrying its yA, yB and yAB_i together (so the resamples respect the
// design's pairing). If the output has no variance
// the indices are 0. Estimates are noisy: S1 can come out slightly negative
// and ST slightly above 1; they are not clipped.
//
// SobolIndices panics if n < 2, k < 1, boot < 0 or len(y) != n(k+2).
func SobolIndices(y []float64, n, k, boot int, seed uint64) SobolResult {
	checkNK(n, k)
	if boot < 0 {
		panic("sensitivity: negative bootstrap count")
	}
	if len(y) != n*(k+2) {
		panic("sensitivity: len(y) != n(k+2)")
	}
	res := SobolResult{
		S1: make([]float64, k), ST: make([]float64, k),
		S1Lo: make([]float64, k), S1Hi: make([]float64, k),
		STLo: make([]float64, k), STHi: make([]float64, k),
	}
	wb := make([]float64, n) // scratch for sobolEstimate
	sobolEstimate(y, n, k, nil, wb, res.S1, res.ST)
	if boot == 0 {
		for i := 0; i < k; i++ {
			res.S1Lo[i], res.S1Hi[i] = math.NaN(), math.NaN()
			res.STLo[i], res.STHi[i] = math.NaN(), math.NaN()
		}
		return res
	}

	rnd := rand.New(rand.NewPCG(seed, bootstrapStream))
	w := make([]float64, n)
	s1 := make([]float64, k)
	st := make([]float64, k)
	// bs1[i*boot+b] is the b-th bootstrap replicate of S1_i.
	bs1 := make([]float64, k*boot)
	bst := make([]float64, k*boot)
	for b := 0; b < boot; b++ {
		// A resample of n rows with replacement, held as the number of
		// times each row was drawn, so the sums run over memory in order.
		clear(w)
		for r := 0; r < n; r++ {
			w[rnd.IntN(n)]++
		}
		sobolEstimate(y, n, k, w, wb, s1, st)
		for i := 0; i < k; i++ {
			bs1[i*boot+b] = s1[i]
			bst[i*boot+b] = st[i]
		}
	}
	for i := 0; i < k; i++ {
		v := bs1[i*boot : (i+1)*boot]
		slices.Sort(v)
		res.S1Lo[i], res.S1Hi[i] = quantileSorted(v, 0.025), quantileSorted(v, 0.975)
		v = bst[i*boot : (i+1)*boot]
		slices.Sort(v)
		res.STLo[i], res.STHi[i] = quantileSorted(v, 0.025), quantileSorted(v, 0.975)
	}
	return res
}

// sobolEstimate writes S1 and ST into s1 and st, weighting base row r by
// w[r] (nil: every row once). The weights of a bootstrap resample are the
// counts of each row and sum to n. wb is scratch of length n. See
// SobolIndices for the estimators.
func sobolEstimate(y []float64, n, k int, w, wb, s1, st []float64) {
	yA, yB := y[:n], y[n:2*n]
	if w == nil {
		w = make([]float64, n)
		for r := range w {
			w[r] = 1
		}
	}
	var sum float64
	for r, wr := range w {
		sum += wr * (yA[r] + yB[r])
	}
	f0 := sum / float64(2*n)
	var ss float64
	for r, wr := range w {
		a, b := yA[r]-f0, yB[r]-f0
		ss += wr * (a*a + b*b)
	}
	// Population variance of the 2n pooled outputs, as in the estimators'
	// 1/N means.
	v := ss / float64(2*n)
	if !(v > 0) {
		clear(s1)
		clear(st)
		return
	}
	// wb[r] = w[r]·(yB[r] − f0), hoisted out of the loop over inputs.
	for r, wr := range w {
		wb[r] = wr * (yB[r] - f0)
	}
	for i := 0; i < k; i++ {
		yAB := y[(2+i)*n : (3+i)*n]
		var num1, numT float64
		for r, wr := range w {
			d := yAB[r] - yA[r]
			num1 += wb[r] * d
			numT += wr * d * d
		}
		s1[i] = num1 / float64(n) / v
		st[i] = numT / float64(2*n) / v
	}
}

// quantileSorted returns the q-quantile of sorted x by linear interpolation
// between order statistics (definition 7 of Hyndman & Fan 1996, "Sample
// quantiles in statistical packages", Am. Stat. 50:361–365; R's default).
func quantileSorted(x []float64, q float64) float64 {
	h := float64(len(x)-1) * q
	lo := int(math.Floor(h))
	if lo >= len(x)-1 {
		return x[len(x)-1]
	}
	return x[lo] + (h-float64(lo))*(x[lo+1]-x[lo])
}

func checkNK(n, k int) {
	if n < 2 {
		panic("sensitivity: fewer than 2 base samples")
	}
	if k < 1 {
		panic("sensitivity: no inputs")
	}
}
