package sim

import (
	"context"
	"fmt"
	"math"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// samplerTestRegistry is a registry of n parameters p0, p1, … with the
// default "1 to 2".
func samplerTestRegistry(n int) *Registry {
	params := make([]Param, n)
	for i := range params {
		params[i] = Param{Key: fmt.Sprintf("p%d", i), Unit: "1", Min: 0, Max: 100, Default: "1 to 2"}
	}
	return NewRegistry(params, nil, []Output{{Key: "out", Unit: "1"}})
}

// samplerTestKeys returns the stream key hashes of reg's parameters, as the
// batch runner computes them.
func samplerTestKeys(reg *Registry) []uint64 {
	h := make([]uint64, len(reg.Params))
	for i := range reg.Params {
		h[i] = KeyHash("param:" + reg.Params[i].Key)
	}
	return h
}

// samplerTestDesign returns the design points of runs [lo, hi) of a batch
// of runs, row-major, from a freshly prepared sampler (as a shard would).
func samplerTestDesign(t testing.TB, s Sampler, reg *Registry, seed uint64, runs, lo, hi int) []float64 {
	t.Helper()
	require.NoError(t, s.Prepare(reg, seed, runs))
	keys := samplerTestKeys(reg)
	P := len(keys)
	out := make([]float64, (hi-lo)*P)
	for r := lo; r < hi; r++ {
		s.Uniforms(seed, r, keys, out[(r-lo)*P:(r-lo+1)*P])
	}
	return out
}

// lhsCheckStrata asserts that each of the N strata of every parameter holds
// exactly one draw, and that every draw lies in (0, 1).
func lhsCheckStrata(t *testing.T, design []float64, P, N int) {
	t.Helper()
	for p := 0; p < P; p++ {
		seen := make([]int, N)
		for r := 0; r < N; r++ {
			u := design[r*P+p]
			require.Truef(t, u > 0 && u < 1, "run %d param %d: u = %v outside (0, 1)", r, p, u)
			s := int(math.Floor(u * float64(N)))
			require.Truef(t, s >= 0 && s < N, "run %d param %d: stratum %d", r, p, s)
			seen[s]++
		}
		for s, c := range seen {
			require.Equalf(t, 1, c, "param %d: stratum %d of %d holds %d draws", p, s, N, c)
		}
	}
}

func TestLatinHypercubeOneDrawPerStratum(t *testing.T) {
	reg := samplerTestRegistry(5)
	const N = 1000
	for _, seed := range []uint64{1, 2, 12345} {
		d := samplerTestDesign(t, &LatinHypercube{}, reg, seed, N, 0, N)
		lhsCheckStrata(t, d, 5, N)
	}
}

func TestLatinHypercubeSmallAndOddSizes(t *testing.T) {
	reg := samplerTestRegistry(5)
	for _, N := range []int{1, 2, 3, 7, 8, 9, 31, 64, 65, 1023, 1025} {
		t.Run(fmt.Sprint(N), func(t *testing.T) {
			d := samplerTestDesign(t, &LatinHypercube{}, reg, 7, N, 0, N)
			lhsCheckStrata(t, d, 5, N)
		})
	}
	// One run: the only stratum is the whole interval, and the draw is the
	// plain Monte Carlo one.
	keys := samplerTestKeys(reg)
	d := samplerTestDesign(t, &LatinHypercube{}, reg, 7, 1, 0, 1)
	for p, h := range keys {
		assert.Equal(t, Uniform(7, 0, h), d[p])
	}
}

func TestLatinHypercubeSameWhateverTheOrderOrSplit(t *testing.T) {
	reg := samplerTestRegistry(5)
	const N, P, seed = 1000, 5, 99
	whole := samplerTestDesign(t, &LatinHypercube{}, reg, seed, N, 0, N)

	// Shards, each with its own sampler, as on separate machines.
	split := append(samplerTestDesign(t, &LatinHypercube{}, reg, seed, N, 0, 300),
		samplerTestDesign(t, &LatinHypercube{}, reg, seed, N, 300, N)...)
	assert.Equal(t, whole, split)

	// Reverse order, and concurrently from several goroutines.
	var lhs LatinHypercube
	require.NoError(t, lhs.Prepare(reg, seed, N))
	keys := samplerTestKeys(reg)
	rev := make([]float64, N*P)
	for r := N - 1; r >= 0; r-- {
		lhs.Uniforms(seed, r, keys, rev[r*P:(r+1)*P])
	}
	assert.Equal(t, whole, rev)
	conc := make([]float64, N*P)
	var wg sync.WaitGroup
	for w := 0; w < 7; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for r := w; r < N; r += 7 {
				lhs.Uniforms(seed, r, keys, conc[r*P:(r+1)*P])
			}
		}()
	}
	wg.Wait()
	assert.Equal(t, whole, conc)
}

func TestLatinHypercubeSeedsAndKeysGiveDifferentDesigns(t *testing.T) {
	reg := samplerTestRegistry(5)
	const N, P = 1000, 5
	a := samplerTestDesign(t, &LatinHypercube{}, reg, 1, N, 0, N)
	b := samplerTestDesign(t, &LatinHypercube{}, reg, 2, N, 0, N)
	sameStratum := 0
	for i := range a {
		if int(a[i]*N) == int(b[i]*N) {
			sameStratum++
		}
	}
	// Two independent random permutations share about one fixed point per
	// parameter.
	assert.Less(t, sameStratum, 5*P, "seeds 1 and 2 put %d of %d draws in the same stratum", sameStratum, N*P)

	// Within a design the parameters' permutations are unrelated to each
	// other and to the run index: rank correlations near 0 (sd ≈ 1/√N ≈
	// 0.03).
	strata := func(p int) []float64 {
		s := make([]float64, N)
		for r := range s {
			s[r] = math.Floor(a[r*P+p] * N)
		}
		return s
	}
	runIdx := make([]float64, N)
	for r := range runIdx {
		runIdx[r] = float64(r)
	}
	for p := 0; p < P; p++ {
		assert.Less(t, math.Abs(corrTestSpearman(runIdx, strata(p))), 0.15, "param %d vs run index", p)
		for q := p + 1; q < P; q++ {
			assert.Less(t, math.Abs(corrTestSpearman(strata(p), strata(q))), 0.15, "params %d and %d", p, q)
		}
	}
}

func TestLatinHypercubePermutationIsABijection(t *testing.T) {
	for n := uint64(1); n <= 300; n++ {
		bits := uint(0)
		for uint64(1)<<bits < n {
			bits++
		}
		for _, key := range []uint64{0, 1, 0xDEADBEEF, KeyHash("param:x")} {
			seen := make([]bool, n)
			for i := uint64(0); i < n; i++ {
				x := lhsPermute(i, n, bits, key)
				require.Less(t, x, n)
				require.Falsef(t, seen[x], "n=%d key=%x: %d hit twice", n, key, x)
				seen[x] = true
			}
		}
	}
	// A million strata, as a large batch would have, spot-checked for
	// collisions over the whole domain.
	const n = 1_000_000
	seen := make([]bool, n)
	for i := uint64(0); i < n; i++ {
		x := lhsPermute(i, n, 20, 42)
		require.Less(t, x, uint64(n))
		require.False(t, seen[x])
		seen[x] = true
	}
}

func TestLatinHypercubePrepareAndMisuse(t *testing.T) {
	reg := samplerTestRegistry(2)
	var l LatinHypercube
	assert.EqualError(t, l.Prepare(reg, 1, 0), "sim: Latin hypercube needs at least one run, found 0")
	assert.PanicsWithValue(t, "sim: LatinHypercube.Uniforms called before Prepare", func() {
		l.Uniforms(1, 0, samplerTestKeys(reg), make([]float64, 2))
	})
	require.NoError(t, l.Prepare(reg, 1, 10))
	assert.PanicsWithValue(t, "sim: Latin hypercube run 10 outside [0, 10)", func() {
		l.Uniforms(1, 10, samplerTestKeys(reg), make([]float64, 2))
	})
}

// samplerTestModel's single output is its first parameter, so a batch's
// Params carry the design through the real runner.
type samplerTestModel struct{ reg *Registry }

func (m samplerTestModel) Registry() *Registry   { return m.reg }
func (m samplerTestModel) NewRunner(Span) Runner { return samplerTestRunner{} }

type samplerTestRunner struct{}

func (samplerTestRunner) Run(in *RunInput, out []float64) {
	for t := range out {
		out[t] = in.Params[0]
	}
}

// TestSamplersThroughBatchSameWhateverTheShards runs each sampler through
// Batch whole and in two shards with different worker counts.
func TestSamplersThroughBatchSameWhateverTheShards(t *testing.T) {
	m := samplerTestModel{samplerTestRegistry(4)}
	sc := &Scenario{Name: "s", Span: Span{NewPeriod(2020, 1), NewPeriod(2020, 2)}}
	for i := range m.reg.Params {
		sc.Params = append(sc.Params, m.reg.Params[i].Dist())
	}
	for name, mk := range map[string]func() Sampler{
		"lhs": func() Sampler { return &LatinHypercube{} },
		"qmc": func() Sampler { return &Halton{} },
	} {
		t.Run(name, func(t *testing.T) {
			run := func(lo, hi, workers int) []float64 {
				b := Batch{Model: m, Scenarios: []*Scenario{sc}, Span: sc.Span, Runs: 500, Lo: lo, Hi: hi,
					Seed: 3, Workers: workers, Sampler: mk()}
				res, err := b.Run(context.Background())
				require.NoError(t, err)
				return res.Scenarios[0].Params
			}
			whole := run(0, 500, 1)
			assert.Equal(t, whole, append(run(0, 123, 3), run(123, 500, 8)...))
		})
	}
}

// BenchmarkLatinHypercubeUniforms times one run's design point with 60
// parameters in a batch of a million runs.
func BenchmarkLatinHypercubeUniforms(b *testing.B) {
	reg := samplerTestRegistry(60)
	keys := samplerTestKeys(reg)
	u := make([]float64, len(keys))
	var l LatinHypercube
	require.NoError(b, l.Prepare(reg, 1, 1_000_000))
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		l.Uniforms(1, i%1_000_000, keys, u)
	}
}

// BenchmarkMonteCarloUniforms is the baseline for the designs' cost.
func BenchmarkMonteCarloUniforms(b *testing.B) {
	reg := samplerTestRegistry(60)
	keys := samplerTestKeys(reg)
	u := make([]float64, len(keys))
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		MonteCarlo{}.Uniforms(1, i%1_000_000, keys, u)
	}
}
