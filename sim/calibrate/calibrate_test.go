package calibrate

import (
	"context"
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gonum.org/v1/gonum/floats/scalar"

	"github.com/chokepoint-sim/chokepoint/sim"
	"github.com/chokepoint-sim/chokepoint/sim/simtest"
)

// priorScenario is the made-up model's registry defaults over 2020-2022.
func priorScenario(m sim.Model) *sim.Scenario {
	reg := m.Registry()
	sc := &sim.Scenario{Name: "prior", Span: sim.Span{Start: sim.NewPeriod(2020, 1), End: sim.NewPeriod(2022, 4)}}
	for i := range reg.Params {
		sc.Params = append(sc.Params, reg.Params[i].Dist())
	}
	return sc
}

func batch(m sim.Model, runs int, seed uint64) *sim.Batch {
	sc := priorScenario(m)
	return &sim.Batch{Model: m, Scenarios: []*sim.Scenario{sc}, Span: sc.Span, Runs: runs, Seed: seed, Workers: 1}
}

// noisyObs observes the made-up rate (1e6 × the new parameter) n times, each
// with log-normal noise of sd sigma, reported as a 90% interval around the
// noisy value: the data the likelihood assumes.
func noisyObs(rng *rand.Rand, truth, sigma float64, n int) []sim.Observation {
	var obs []sim.Observation
	for j := 0; j < n; j++ {
		y := 1e6 * truth * math.Exp(sigma*rng.NormFloat64())
		p := sim.NewPeriod(2020, 1) + sim.Period(j%12)
		obs = append(obs, sim.Observation{ID: "rate", Output: simtest.RateKey, From: p, To: p, Aggregate: "value",
			Low: y * math.Exp(-z95*sigma), Central: y, High: y * math.Exp(z95*sigma)})
	}
	return obs
}

// calibrateToy draws runs of the made-up model, weighs them by obs and
// returns the posterior 90% interval of the new parameter and the ESS.
func calibrateToy(t *testing.T, runs int, seed uint64, obs []sim.Observation) (Interval, Interval, float64) {
	t.Helper()
	d, err := Draw(context.Background(), batch(simtest.Model{}, runs, seed), obs)
	require.NoError(t, err)
	terms, err := Terms(obs)
	require.NoError(t, err)
	used := make([]bool, len(obs))
	for i := range used {
		used[i] = true
	}
	post, err := Weigh(d, terms, used)
	require.NoError(t, err)
	// The parameter's column alone (Diagnose does every column the same
	// way; TestWeightsIndependentOfWorkersAndShards runs it whole).
	p := slices.IndexFunc(d.Registry.Params, func(p sim.Param) bool { return p.Key == simtest.ParamKey })
	require.GreaterOrEqual(t, p, 0)
	c := newColumn(d.Params, d.P(), p, post.Weights)
	return c.prior(), c.post(), post.ESS
}

// truthDist is the made-up parameter's prior: the truth of each trial is
// drawn from it, so that a correct posterior's 90% interval covers it in
// 90% of trials (the calibration of Bayesian credible intervals holds on
// average over the prior).
func drawTruth(rng *rand.Rand) float64 {
	reg := simtest.Model{}.Registry()
	for i := range reg.Params {
		if reg.Params[i].Key == simtest.ParamKey {
			return reg.Params[i].Dist().Quantile(rng.Float64())
		}
	}
	panic("no " + simtest.ParamKey)
}

// Acceptance 1: over 200 seeded trials the posterior 90% interval of a
// known true parameter covers it in about 90% of them.
func TestPosteriorCoversTruth(t *testing.T) {
	const trials = 200
	covered := 0
	var ess []float64
	for trial := 0; trial < trials; trial++ {
		rng := rand.New(rand.NewPCG(uint64(trial), 14))
		truth := drawTruth(rng)
		// Noise sd 0.2 on the log scale, three observations: the posterior
		// is about a third of the prior's width (prior log-sd 0.33).
		_, post, e := calibrateToy(t, 1000, uint64(trial)+1, noisyObs(rng, truth, 0.2, 3))
		if post.Contains(truth) {
			covered++
		}
		ess = append(ess, e)
	}
	rate := float64(covered) / trials
	slices.Sort(ess)
	t.Logf("coverage %d of %d (%.3f); ESS median %.0f, smallest %.0f", covered, trials, rate, ess[trials/2], ess[0])
	// Binomial(200, 0.9): sd √(0.9·0.1/200) = 0.021, so ±3 sd is 0.836 to
	// 0.964. The weighted quantiles of 1000 runs (ESS in the hundreds, a
	// few dozen for a truth deep in the prior's tail) move each interval's
	// ends by a small part of a posterior sd, a point or two of coverage:
	// the band is 0.82 to 0.97.
	assert.GreaterOrEqual(t, rate, 0.82)
	assert.LessOrEqual(t, rate, 0.97)
	// 1000 runs, posterior a third of the prior's width: ESS ~ 1000/3.
	assert.Greater(t, ess[trials/2], 150.0)
}

// Acceptance 1: the posterior narrows as observations are added.
func TestPosteriorNarrowsWithObservations(t *testing.T) {
	const trials = 6
	counts := []int{1, 2, 4, 8}
	width := make([]float64, len(counts))
	var priorWidth float64
	for trial := 0; trial < trials; trial++ {
		rng := rand.New(rand.NewPCG(uint64(trial), 7))
		truth := drawTruth(rng)
		all := noisyObs(rng, truth, 0.2, counts[len(counts)-1])
		for i, n := range counts {
			prior, post, _ := calibrateToy(t, 2000, 3, all[:n])
			width[i] += post.Width() / trials
			priorWidth = prior.Width()
		}
	}
	t.Logf("prior width %.3f; posterior widths %v", priorWidth, width)
	for i := 1; i < len(width); i++ {
		assert.Less(t, width[i], width[i-1], "%d observations vs %d", counts[i], counts[i-1])
	}
	// Normal theory on the log scale: prior sd 0.33, noise 0.2, eight
	// observations give a posterior sd of 1/√(1/0.33² + 8/0.2²) = 0.068, a
	// fifth of the prior's; half is a generous bound.
	assert.Less(t, width[len(width)-1], priorWidth/2)
}

// The weights, ESS and report are the same whatever the workers and
// however the runs are split into shards.
func TestWeightsIndependentOfWorkersAndShards(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	obs := noisyObs(rng, 1.1, 0.2, 3)
	terms, err := Terms(obs)
	require.NoError(t, err)
	used := []bool{true, true, false}
	workers := 1
	weigh := func(d *Draws) (*Posterior, *Report) {
		post, err := Weigh(d, terms, used)
		require.NoError(t, err)
		opt := DefaultOptions
		opt.Workers = workers
		workers++
		return post, Diagnose(d, terms, post, opt)
	}
	const runs = 3000
	b1 := batch(simtest.Model{}, runs, 5)
	d1, err := Draw(context.Background(), b1, obs)
	require.NoError(t, err)
	b2 := batch(simtest.Model{}, runs, 5)
	b2.Workers = 2
	d2, err := Draw(context.Background(), b2, obs)
	require.NoError(t, err)
	var parts []*Draws
	for i := 1; i >= 0; i-- { // given out of order on purpose
		b := batch(simtest.Model{}, runs, 5)
		b.Lo, b.Hi = sim.ShardRange(i, 2, runs)
		d, err := Draw(context.Background(), b, obs)
		require.NoError(t, err)
		parts = append(parts, d)
	}
	d3, err := Join(parts)
	require.NoError(t, err)
	p1, r1 := weigh(d1)
	for _, d := range []*Draws{d2, d3} {
		p, r := weigh(d)
		assert.Equal(t, p1.Weights, p.Weights)
		assert.Equal(t, p1.ESS, p.ESS)
		assert.Equal(t, r1, r)
		assert.Equal(t, Resample(p1.Weights, 500, 5), Resample(p.Weights, 500, 5))
	}
}

// The split normal: the low-high range holds 90% of the density, and
// the central value is its mode.
func TestTermHoldsNinetyPercent(t *testing.T) {
	for _, o := range []sim.Observation{
		{ID: "symmetric", Low: -1, Central: 0, High: 1},
		{ID: "skewed", Low: -1, Central: 0.5, High: 4},
		{ID: "log", Low: 10, Central: 200, High: 400},
	} {
		term, err := NewTerm(&o)
		require.NoError(t, err)
		// Integrate the density over [low, high] on the term's scale by the
		// midpoint rule (10,000 steps: error far below 1e-6).
		lo, hi := term.Scale(o.Low), term.Scale(o.High)
		const steps = 10000
		h := (hi - lo) / steps
		mass := 0.0
		for i := 0; i < steps; i++ {
			x := lo + (float64(i)+0.5)*h
			if term.Log {
				x = math.Exp(x)
			}
			mass += math.Exp(term.LogDensity(x)) * h
		}
		assert.True(t, scalar.EqualWithinAbs(mass, 0.9, 1e-6), "%s: mass %g", o.ID, mass)
		at := func(x float64) float64 { return term.LogDensity(x) }
		c := o.Central
		assert.Greater(t, at(c), at(c*1.01+0.01), o.ID)
		assert.Greater(t, at(c), at(c*0.99-0.01), o.ID)
	}
	bad := sim.Observation{ID: "flat", Low: 2, Central: 2, High: 2}
	_, err := NewTerm(&bad)
	assert.ErrorContains(t, err, "flat")
	neg := sim.Observation{ID: "log", Low: 1, Central: 2, High: 3}
	term, err := NewTerm(&neg)
	require.NoError(t, err)
	assert.True(t, math.IsInf(term.LogDensity(0), -1), "a positive quantity rules out zero")
	assert.True(t, math.IsInf(term.LogDensity(math.NaN()), -1))
}

// CRPS by the O(n log n) formula equals the definition E|X−y| − ½E|X−X'|
// computed over all pairs.
func TestCRPSMatchesDefinition(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 3))
	for trial := 0; trial < 20; trial++ {
		n := 1 + rng.IntN(40)
		x, w := make([]float64, n), make([]float64, n)
		var total float64
		for i := range x {
			x[i] = math.Round(rng.NormFloat64()*4) / 2 // ties on purpose
			w[i] = rng.Float64()
			total += w[i]
		}
		y := rng.NormFloat64()
		var abs, pairs float64
		for i := range x {
			abs += w[i] / total * math.Abs(x[i]-y)
			for j := range x {
				pairs += w[i] * w[j] / (total * total) * math.Abs(x[i]-x[j])
			}
		}
		want := abs - pairs/2
		got := CRPS(append([]float64(nil), x...), append([]float64(nil), w...), y)
		assert.True(t, scalar.EqualWithinAbsOrRel(got, want, 1e-12, 1e-12), "got %g want %g", got, want)
	}
	// One point: the absolute error.
	assert.Equal(t, 2.0, CRPS([]float64{3}, []float64{1}, 1))
}

// Systematic resampling gives each run m·w copies, rounded either way.
func TestResampleShares(t *testing.T) {
	w := []float64{0.5, 0, 0.25, 0.125, 0.125, 0}
	got := Resample(w, 80, 9)
	counts := make([]int, len(w))
	for _, r := range got {
		counts[r]++
	}
	for r, c := range counts {
		assert.InDelta(t, 80*w[r], float64(c), 1, "run %d", r)
	}
	assert.Zero(t, counts[1]+counts[5], "runs of no weight are never drawn")
}

// When no run is allowed the result is an error, not NaNs.
func TestNoWeightIsAnError(t *testing.T) {
	// low = central: the observation allows nothing below 1e9, and the
	// made-up rate is 1e6 × at most 3.
	obs := []sim.Observation{{ID: "far", Output: simtest.RateKey, From: sim.NewPeriod(2020, 1), To: sim.NewPeriod(2020, 1),
		Aggregate: "value", Low: 1e9, Central: 1e9, High: 2e9}}
	d, err := Draw(context.Background(), batch(simtest.Model{}, 50, 1), obs)
	require.NoError(t, err)
	terms, err := Terms(obs)
	require.NoError(t, err)
	_, err = Weigh(d, terms, []bool{true})
	assert.ErrorIs(t, err, ErrNoWeight)
}
