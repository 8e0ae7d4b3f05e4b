package sim

import (
	"fmt"
	"math"
	"math/bits"
)

// HaltonSequence is a scrambled Halton sequence (Halton, "On the efficiency
// of certain quasi-random sequences of points in evaluating
// multi-dimensional integrals", Numerische Mathematik 2, 1960), the
// low-discrepancy design behind --sampler qmc and the Saltelli design of
// Sobol' sensitivity analysis. Coordinate d of point n is the radical
// inverse of n in base b_d, the d-th prime (2, 3, 5, …). Writing
// n = Σ_j a_j b^j, the coordinate is
//
//	u = Σ_j σ_{d,j}(a_j) b^{-(j+1)}
//
// where each σ_{d,j} is a random permutation of the digits 0..b−1, one per
// dimension and digit position, drawn from the seed: random digit
// permutation scrambling (Matoušek, "On the L2-discrepancy for anchored
// boxes", J. Complexity 14, 1998; Owen, "A randomized Halton algorithm in
// R", arXiv:1706.02808, 2017). The permutations also apply to the leading
// zero digits of n (to 64 bits of precision), so the points spread over
// the whole cube rather than sticking to the grid of the unscrambled ones.
// Scrambling keeps the sequence's stratification — any b^k consecutive
// points from a multiple of b^k put exactly one point in each interval
// [m/b^k, (m+1)/b^k) of every coordinate — while breaking up the strong
// correlations between the high-base coordinates of plain Halton, and it
// makes each point uniform on the cube, so estimates are unbiased and their
// spread over seeds measures their error.
//
// Each point is computed directly from its index, so a shard computes its
// own slice of run indices and gets what one machine would. (gonum's
// stat/samplemv.Halton does the same Owen scrambling but fills a whole
// matrix of points at once, drawing each permutation as it goes, which
// neither fits million-run batches nor lets a shard compute its own slice.)
//
// The permutations take about 2·Σ_d b_d·⌊64/log2 b_d⌋ bytes: 0.1 MB for 60
// dimensions, 1.3 MB for 200. A HaltonSequence is read-only once made and
// safe for concurrent use.
type HaltonSequence struct {
	dims []haltonDim
}

// MaxHaltonDims is the most dimensions a HaltonSequence has: the 6542nd
// prime, 65521, is the last whose digits fit the uint16 permutations.
const MaxHaltonDims = 6542

// NewHaltonSequence draws the digit permutations of a dims-dimensional
// sequence from seed.
func NewHaltonSequence(dims int, seed uint64) (*HaltonSequence, error) {
	return newHaltonSequence(dims, seed, true)
}

func newHaltonSequence(dims int, seed uint64, scramble bool) (*HaltonSequence, error) {
	if dims > MaxHaltonDims {
		return nil, fmt.Errorf("sim: Halton sequence supports at most %d dimensions, found %d", MaxHaltonDims, dims)
	}
	h := &HaltonSequence{dims: make([]haltonDim, dims)}
	for d, b := range FirstPrimes(dims) {
		h.dims[d] = newHaltonDim(uint64(b), seed, d, scramble)
	}
	return h, nil
}

// Dims returns the number of dimensions.
func (h *HaltonSequence) Dims() int { return len(h.dims) }

// Point writes coordinates 0 to len(dst)−1 of point n into dst, each in the
// open interval (0, 1). dst must be no longer than Dims.
func (h *HaltonSequence) Point(n uint64, dst []float64) {
	for d := range dst {
		dst[d] = h.dims[d].coord(n)
	}
}

// Halton is the --sampler qmc sampler: run i is point i+1 of a scrambled
// HaltonSequence (the unscrambled point 0 would be the corner of the cube),
// and parameter p, at position d of the registry, is coordinate d. A run's
// design point depends only on (seed, run, registry order), never on other
// runs, so shards and workers agree with one machine.
//
// Prepare draws the permutations; a Halton serves one batch at a time, and
// Uniforms must get the seed Prepare got. Uniforms may be called
// concurrently.
type Halton struct {
	seed uint64
	seq  *HaltonSequence
	// noScramble, for tests, gives the plain radical inverse.
	noScramble bool
}

// haltonDim is one coordinate's base and digit permutations.
type haltonDim struct {
	base   uint64
	digits int      // M: digit positions used; base^M ≤ 2^64
	perm   []uint16 // perm[j*base+a] = σ_j(a), for j < M
	// tail[k] = Σ_{j=k}^{M−1} σ_j(0)·base^{M−1−j}: the scrambled zero digits
	// above a k-digit index; pow[k] = base^{M−k}.
	tail, pow []uint64
	scale     float64 // 1 / base^M
}

// haltonSalt separates the permutation draws from every other stream.
const haltonSalt = 0x4841_4C54_4F4E_5351 // "HALTONSQ"

// Prepare implements Sampler: one coordinate per registry parameter.
func (h *Halton) Prepare(reg *Registry, seed uint64, runs int) error {
	if runs <= 0 {
		return fmt.Errorf("sim: Halton sequence needs at least one run, found %d", runs)
	}
	seq, err := newHaltonSequence(len(reg.Params), seed, !h.noScramble)
	if err != nil {
		return err
	}
	h.seed, h.seq = seed, seq
	return nil
}

func newHaltonDim(base, seed uint64, d int, scramble bool) haltonDim {
	hd := haltonDim{base: base}
	pow := uint64(1)
	for pow <= math.MaxUint64/base {
		pow *= base
		hd.digits++
	}
	M := hd.digits
	hd.scale = 1 / float64(pow)
	hd.perm = make([]uint16, M*int(base))
	for j := 0; j < M; j++ {
		p := hd.perm[j*int(base) : (j+1)*int(base)]
		for a := range p {
			p[a] = uint16(a)
		}
		if scramble {
			haltonShuffle(p, seed, d, j)
		}
	}
	hd.tail = make([]uint64, M+1)
	hd.pow = make([]uint64, M+1)
	hd.pow[M] = 1
	for k := M - 1; k >= 0; k-- {
		hd.pow[k] = hd.pow[k+1] * base
		hd.tail[k] = uint64(hd.perm[k*int(base)])*hd.pow[k+1] + hd.tail[k+1]
	}
	return hd
}

// haltonShuffle permutes p by Fisher–Yates, with the counter-based
// generator keyed by (seed, dimension d, digit position j); bits.Mul64 maps
// 64 random bits to [0, a] with a bias below 2^-50.
func haltonShuffle(p []uint16, seed uint64, d, j int) {
	state := splitmix64(splitmix64(seed^haltonSalt) ^ uint64(d)<<32 ^ uint64(j))
	for a := len(p) - 1; a > 0; a-- {
		x := splitmix64(state + uint64(a)*0x9E3779B97F4A7C15)
		k, _ := bits.Mul64(x, uint64(a+1))
		p[a], p[k] = p[k], p[a]
	}
}

// Uniforms implements Sampler.
func (h *Halton) Uniforms(seed uint64, run int, keyHash []uint64, u []float64) {
	if h.seq == nil {
		panic("sim: Halton.Uniforms called before Prepare")
	}
	if seed != h.seed {
		panic(fmt.Sprintf("sim: Halton prepared with seed %d, asked for seed %d", h.seed, seed))
	}
	if len(keyHash) > h.seq.Dims() {
		panic(fmt.Sprintf("sim: Halton prepared for %d parameters, asked for %d", h.seq.Dims(), len(keyHash)))
	}
	if run < 0 {
		panic(fmt.Sprintf("sim: Halton run %d is negative", run))
	}
	h.seq.Point(uint64(run)+1, u[:len(keyHash)])
}

// coord returns the scrambled radical inverse of n.
func (hd *haltonDim) coord(n uint64) float64 {
	b := hd.base
	var num uint64
	k := 0
	for n > 0 && k < hd.digits {
		q := n / b
		num = num*b + uint64(hd.perm[k*int(b)+int(n-q*b)])
		n = q
		k++
	}
	num = num*hd.pow[k] + hd.tail[k]
	return clampUnit(float64(num) * hd.scale)
}

// FirstPrimes returns the first n primes, by trial division (the 6542nd
// prime, the last below 2^16, takes well under a millisecond): the bases of
// HaltonSequence.
func FirstPrimes(n int) []int {
	ps := make([]int, 0, n)
	for c := 2; len(ps) < n; c++ {
		prime := true
		for _, p := range ps {
			if p*p > c {
				break
			}
			if c%p == 0 {
				prime = false
				break
			}
		}
		if prime {
			ps = append(ps, c)
		}
	}
	return ps
}
