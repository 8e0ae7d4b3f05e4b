package sim

import (
	"fmt"
	"math"
)

// LatinHypercube is a Latin hypercube design (McKay, Beckman and Conover,
// "A comparison of three methods for selecting values of input variables in
// the analysis of output from a computer code", Technometrics 21(2), 1979):
// the unit interval of every parameter is cut into N = runs equal strata and
// each stratum holds the draw of exactly one run.
//
// Run i of parameter p lies in stratum π_p(i), at a random place within it:
//
//	u = (π_p(i) + jitter) / N
//
// where jitter is the run's ordinary stream draw Uniform(seed, i, keyHash[p])
// (so a one-run design is plain Monte Carlo), and π_p is a pseudo-random
// permutation of [0, N) keyed by (seed, keyHash[p]). The permutation is never
// stored: it is a keyed Feistel network on the smallest power-of-two domain
// [0, 2^k) ≥ N, restricted to [0, N) by cycle walking (re-encrypting until the
// value falls inside the domain; Black and Rogaway, "Ciphers with arbitrary
// finite domains", CT-RSA 2002, LNCS 2271, §3). Cycle walking turns any
// permutation of the larger domain into a permutation of the smaller one, and
// since 2^k < 2N it takes fewer than two rounds of the network on average.
// So a run's design point costs O(1) time and memory, whatever N, and is a pure
// function of (seed, run, key, N): shards and workers compute any slice of run
// indices independently and get the same numbers as one machine would.
//
// Prepare must be called before Uniforms and fixes N; a LatinHypercube serves
// one batch at a time (Uniforms may be called concurrently).
type LatinHypercube struct {
	n    uint64 // N, the number of runs (strata)
	bits uint   // k: the Feistel network permutes [0, 2^k), 2^k ≥ N
}

// lhsMaxRuns bounds N so that each half of the Feistel network's input fits
// in the 24 bits its round function leaves for it.
const lhsMaxRuns = 1 << 48

// lhsRounds is the number of Feistel rounds. Luby and Rackoff ("How to
// construct pseudorandom permutations from pseudorandom functions", SIAM J.
// Comput. 17, 1988) showed four rounds with pseudo-random round functions
// give a pseudo-random permutation, and Patarin (CRYPTO 2004) that six hold
// up to far more queries; six leave a wide margin for this statistical use,
// where the network is most of a design point's cost.
const lhsRounds = 6

// lhsSalt separates the permutation keys from the jitter streams, which are
// keyed by the same (seed, key hash).
const lhsSalt = 0x4C48_535F_5045_524D // "LHS_PERM"

// Prepare implements Sampler: it fixes the number of strata N = runs.
func (l *LatinHypercube) Prepare(_ *Registry, _ uint64, runs int) error {
	if runs <= 0 {
		return fmt.Errorf("sim: Latin hypercube needs at least one run, found %d", runs)
	}
	if uint64(runs) > lhsMaxRuns {
		return fmt.Errorf("sim: Latin hypercube supports at most %d runs, found %d", uint64(lhsMaxRuns), runs)
	}
	l.n = uint64(runs)
	l.bits = 0
	for uint64(1)<<l.bits < l.n {
		l.bits++
	}
	return nil
}

// Uniforms implements Sampler. run must lie in [0, N).
func (l *LatinHypercube) Uniforms(seed uint64, run int, keyHash []uint64, u []float64) {
	if l.n == 0 {
		panic("sim: LatinHypercube.Uniforms called before Prepare")
	}
	if run < 0 || uint64(run) >= l.n {
		panic(fmt.Sprintf("sim: Latin hypercube run %d outside [0, %d)", run, l.n))
	}
	fn := float64(l.n)
	seedKey := splitmix64(seed ^ lhsSalt)
	for p, h := range keyHash {
		stratum := lhsPermute(uint64(run), l.n, l.bits, splitmix64(seedKey^splitmix64(h+lhsSalt)))
		u[p] = lhsPlace(stratum, Uniform(seed, run, h), fn)
	}
}

// lhsPlace returns (stratum + jitter) / n, nudged by an ulp or two where
// rounding would carry it across a stratum's edge, so that ⌊u·n⌋ = stratum
// holds exactly in floating point. jitter lies in (0, 1), so u is in (0, 1).
func lhsPlace(stratum uint64, jitter, n float64) float64 {
	s := float64(stratum)
	u := (s + jitter) / n
	for u*n >= s+1 {
		u = math.Nextafter(u, 0)
	}
	for u*n < s {
		u = math.Nextafter(u, 1)
	}
	return clampUnit(u)
}

// lhsPermute returns π(i) for the keyed permutation π of [0, n), where
// 2^bits is the smallest power of two ≥ n and i < n: the Feistel network
// on [0, 2^bits), cycle-walked into [0, n).
func lhsPermute(i, n uint64, bits uint, key uint64) uint64 {
	if n <= 1 {
		return 0
	}
	x := i
	for {
		x = lhsFeistel(x, bits, key)
		if x < n {
			return x
		}
	}
}

// lhsFeistel is a keyed permutation of [0, 2^bits): an alternating
// (unbalanced when bits is odd) Feistel network. Each round writes x as
// hi·2^a + lo, with lo of a bits and hi of b = bits−a bits, and maps it to
// lo·2^b + (hi XOR F_r(lo)) mod 2^b, which is invertible (lo is the new top
// part; hi is recovered by XORing F_r(lo) again); the widths then swap.
func lhsFeistel(x uint64, bits uint, key uint64) uint64 {
	a := bits / 2
	b := bits - a
	for r := uint64(0); r < lhsRounds; r++ {
		lo := x & (1<<a - 1)
		hi := x >> a
		// The round function: SplitMix64's finaliser of the key and the
		// pair (round, lo), which are packed injectively (lo < 2^24 since
		// bits ≤ 48).
		f := splitmix64(key ^ (lo<<8 | r))
		x = lo<<b | (hi^f)&(1<<b-1)
		a, b = b, a
	}
	return x
}
