package models

import (
	"math"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/chokepoint-sim/chokepoint/scenarios"
	"github.com/chokepoint-sim/chokepoint/sim"
)

// Structural alternatives (docs/MODEL.md, "Structural alternatives").

// paramOf returns parameter key of run r of scenario s.
func paramOf(res *sim.Result, s, r int, key string) float64 {
	i, ok := Registry.ParamIndex(key)
	if !ok {
		panic("no parameter " + key)
	}
	return res.Scenarios[s].Params[r*len(Registry.Params)+i]
}

// Each switch's bounds are its formulations, and any draw within them
// (the property tests draw uniformly) rounds to one of them.
func TestStructureSwitchesRoundToAFormulation(t *testing.T) {
	for key, n := range map[string]int{"structure.substitution": nSubst, "structure.diffusion": nDiffusion,
		"structure.yield_learning": nYield} {
		i, ok := Registry.ParamIndex(key)
		require.True(t, ok, key)
		p := Registry.Params[i]
		assert.Equal(t, 0.0, p.Min, key)
		assert.Equal(t, float64(n-1), p.Max, key)
		seen := map[int]bool{}
		for v := p.Min; v <= p.Max; v += 0.01 {
			f := formulation(v, n)
			require.True(t, f >= 0 && f < n, "%s = %v gives formulation %d", key, v, f)
			require.Equal(t, int(math.Round(v)), f, "%s = %v", key, v)
			seen[f] = true
		}
		assert.Len(t, seen, n, "%s: every formulation is reachable", key)
	}
}

// The default draws each formulation about as often as its weight says,
// and a scenario can fix a switch or give it its own weights.
func TestStructureSwitchesDrawnPerRunAndFixable(t *testing.T) {
	const runs = 2000
	res := runBatch(t, runs, loadBuiltin(t, "current-policy"))
	// The registry's default weights.
	weights := map[string][]float64{"structure.substitution": {0.6, 0.3, 0.1},
		"structure.diffusion": {0.7, 0.3}, "structure.yield_learning": {0.7, 0.3}}
	for key, w := range weights {
		counts := make([]float64, len(w))
		for r := 0; r < runs; r++ {
			v := paramOf(res, 0, r, key)
			require.Equal(t, math.Round(v), v, "%s draws a formulation's number", key)
			counts[int(v)]++
		}
		for f, wf := range w {
			// 0.035: over 5 binomial standard deviations at 2,000 runs
			// (sd ≤ 0.011), so the check fails only if the weights are wrong.
			assert.InDelta(t, wf, counts[f]/runs, 0.035, "%s = %d", key, f)
		}
	}

	dir := t.TempDir()
	path := filepath.Join(dir, "fixed.toml")
	require.NoError(t, os.WriteFile(path, []byte(`id = "fixed"
title = "Current policy, structural switches fixed or reweighed"
extends = "current-policy"

[params]
structure.substitution = 1
structure.diffusion = { dist = "discrete", values = [0, 1], weights = [0, 1] }
structure.yield_learning = { dist = "discrete", values = [0, 1], weights = [1, 3] }
`), 0o600))
	sc, err := (&scenarios.Loader{Registry: Registry}).Load(path)
	require.NoError(t, err)
	res = runBatch(t, runs, sc)
	logistic := 0.0
	for r := 0; r < runs; r++ {
		require.Equal(t, 1.0, paramOf(res, 0, r, "structure.substitution"))
		require.Equal(t, 1.0, paramOf(res, 0, r, "structure.diffusion"))
		logistic += paramOf(res, 0, r, "structure.yield_learning")
	}
	assert.InDelta(t, 0.75, logistic/runs, 0.035, "weights [1, 3]: 3 in 4 runs logistic")
}

// structure.substitution = 2: pressure induces nothing, whatever ε. Barring
// every chip leaves capacity and yield as in no-controls.
func TestSubstitutionNoneIgnoresPressure(t *testing.T) {
	none := []string{"structure.substitution=2", "substitution.elasticity=2"}
	res := variants(t, "no-controls", none, append(none, "export.tpp_threshold=0"))
	each(res, "restriction_pressure", func(r int, p sim.Period, v []float64) {
		if p >= sim.NewPeriod(2022, 1) {
			require.Greater(t, v[1], v[0], "the rule must create pressure for this check to mean anything")
		}
	})
	for _, k := range []string{"advanced_wafer_capacity_wpm", "fab_yield", "domestic_induced_share"} {
		each(res, k, func(r int, p sim.Period, v []float64) {
			require.Equal(t, v[0], v[1], "%s in run %d at %s", k, r, p)
		})
	}
}

// structure.substitution = 1: induced investment jumps in the quarter after
// pressure has been above the trigger four quarters in a row, not before,
// and stays. Before it, capacity is that of no-controls (no pressure);
// from it, above.
func TestSubstitutionThresholdJumpsAfterAYear(t *testing.T) {
	on := []string{"structure.substitution=1", "substitution.elasticity=1"}
	res := variants(t, "no-controls", on, append(on, "export.tpp_threshold=0"))
	T := res.Span.Len()
	periods := res.Span.Periods()
	fired := 0
	for r := 0; r < res.N(); r++ {
		trigger := paramOf(res, 1, r, "substitution.threshold_trigger")
		first := T // the quarter the jump takes effect
		for t0, above := 0, 0; t0 < T-1; t0++ {
			// The pressure reported in quarter t0 drives investment in t0+1.
			if value(res, 1, r, "restriction_pressure", periods[t0]) > trigger {
				above++
			} else {
				above = 0
			}
			if above == thresholdQuarters {
				first = t0 + 1
				break
			}
		}
		if first < T {
			fired++
		}
		for t0, p := range periods {
			base := value(res, 0, r, "advanced_wafer_capacity_wpm", p)
			tight := value(res, 1, r, "advanced_wafer_capacity_wpm", p)
			share := value(res, 1, r, "domestic_induced_share", p)
			if t0 < first {
				require.Equal(t, base, tight, "run %d at %s: no jump before a year above the trigger (fires at quarter %d)", r, p, first)
				require.Zero(t, share, "run %d at %s", r, p)
			} else {
				require.Greater(t, tight, base, "run %d at %s: the jump raises capacity from quarter %d", r, p, first)
				require.Positive(t, share, "run %d at %s: the jump stays", r, p)
			}
		}
	}
	// Barring every chip from 2022 pushes pressure above any trigger of the
	// default prior (at most 0.4) in most runs.
	assert.Greater(t, fired, res.N()/2, "the response must fire for this check to mean anything")
}

// efficiencyGap is log10(A/A_cn) in run r of scenario s at p: the part of
// the effective-compute gap that China's compute does not touch
// (gap_oom − log10(C_us/C_cn)).
func efficiencyGap(res *sim.Result, s, r int, p sim.Period) float64 {
	return value(res, s, r, "effective_compute_gap_oom", p) -
		math.Log10(value(res, s, r, "us_largest_run_flop", p)/value(res, s, r, "largest_run_flop", p))
}

// structure.diffusion = 1: China's algorithms close on the frontier's from
// 2023 at a rate that does not depend on its compute. With the scarcity
// bonus off, a China whose compute is crushed (every chip barred, no
// smuggling) has exactly the efficiency of one with no controls, and the
// efficiency part of the gap, constant under a fixed lag, falls. So with
// China's and the US's compute frozen the effective gap would close.
func TestDiffusionCatchUpClosesGapWhateverTheCompute(t *testing.T) {
	off := []string{"efficiency.scarcity_bonus=0"}
	crushed := []string{"export.tpp_threshold=0", "export.interconnect_gbs=0", "enforcement.leakage=0", "enforcement.cloud_access=0"}
	catchUp := append(off, "structure.diffusion=1")
	fixed := append(off, "structure.diffusion=0")
	res := variants(t, "no-controls", catchUp, append(append([]string{}, catchUp...), crushed...), fixed)
	y2024, y2030 := sim.NewPeriod(2024, 1), sim.NewPeriod(2030, 4)
	each(res, "algorithmic_efficiency", func(r int, p sim.Period, v []float64) {
		require.Equal(t, v[0], v[1], "run %d at %s: catch-up does not depend on compute", r, p)
	})
	each(res, "compute_stock_h100e", func(r int, p sim.Period, v []float64) {
		if p == y2024 {
			require.NotEqual(t, v[0], v[1], "run %d: the two Chinas must differ in compute for this check to mean anything", r)
		}
	})
	for r := 0; r < res.N(); r++ {
		lag := paramOf(res, 0, r, "efficiency.diffusion_lag_months")
		floor := paramOf(res, 0, r, "efficiency.lag_floor_months")
		prev := math.Inf(1)
		for _, p := range res.Span.Periods() {
			// 1e-9 OOM: the rounding of logs of products, not a mechanism.
			g := efficiencyGap(res, 1, r, p)
			require.LessOrEqual(t, g, prev+1e-9, "run %d at %s: the efficiency gap never widens under catch-up", r, p)
			prev = g
			require.InDelta(t, efficiencyGap(res, 2, r, sim.NewPeriod(2020, 1)), efficiencyGap(res, 2, r, p), 1e-9,
				"run %d at %s: a fixed lag keeps the efficiency gap constant", r, p)
		}
		if lag > floor+1 && paramOf(res, 0, r, "efficiency.catchup_rate") > 0.05 {
			assert.Less(t, efficiencyGap(res, 1, r, y2030), efficiencyGap(res, 1, r, y2024)-1e-3,
				"run %d: lag %v months, floor %v: catch-up narrows the gap from 2024 to 2030", r, lag, floor)
			assert.Less(t, efficiencyGap(res, 1, r, y2030), efficiencyGap(res, 2, r, y2030),
				"run %d: catch-up ends nearer the frontier than a fixed lag", r)
		}
	}
}

// structure.yield_learning = 1: the yield is the logistic in time, whatever
// the wafers. A fab with equipment cut off (far fewer wafers) has the same
// yield as one with full access; under the experience curve it would not.
func TestYieldLogisticWhateverTheWafers(t *testing.T) {
	cut := []string{"sme.allied_alignment=1", "entity.smic_cutoff=1"}
	logistic := []string{"structure.yield_learning=1"}
	curve := []string{"structure.yield_learning=0"}
	res := variants(t, "no-controls", logistic, append(logistic, cut...), curve, append(curve, cut...))
	differ := 0
	for r := 0; r < res.N(); r++ {
		ceiling := paramOf(res, 0, r, "fab.yield_ceiling")
		mid := paramOf(res, 0, r, "fab.yield_midpoint_year")
		slope := paramOf(res, 0, r, "fab.yield_slope")
		for _, p := range res.Span.Periods() {
			y0, y1 := value(res, 0, r, "fab_yield", p), value(res, 1, r, "fab_yield", p)
			require.Equal(t, y0, y1, "run %d at %s: the logistic ignores wafers", r, p)
			// No servicing ban: learning time is calendar time.
			want := ceiling / (1 + math.Exp(-slope*(p.Decimal()-mid)))
			require.InDelta(t, want, y0, 1e-12, "run %d at %s", r, p)
			if value(res, 2, r, "fab_yield", p) != value(res, 3, r, "fab_yield", p) {
				differ++
			}
		}
	}
	assert.Positive(t, differ, "the experience curve must respond to the cut, or the check means nothing")
}

// The threshold response counts quarters in a row, resets when pressure
// falls back, fires after four, stays fired, and is zero with ε = 0.
func TestThresholdCountsAYearInARow(t *testing.T) {
	pp := p{structSubst: substThreshold, elasticity: 1.5, thresholdTrigger: 0.2, thresholdJump: 0.5}
	s := state{p: &pp}
	// Pressure by quarter: three above, one below (reset), four above
	// (fires at the fourth), then below (stays).
	pressures := []float64{0.3, 0.3, 0.3, 0.1, 0.3, 0.3, 0.3, 0.3, 0.1, 0}
	fires := 7
	for i, r := range pressures {
		s.pressure = r
		got := s.induced()
		if i < fires {
			require.Zero(t, got, "quarter %d", i)
		} else {
			require.Equal(t, pp.elasticity*pp.thresholdJump, got, "quarter %d", i)
		}
	}
	zero := p{structSubst: substThreshold, elasticity: 0, thresholdTrigger: 0.2, thresholdJump: 0.5}
	s = state{p: &zero}
	for range 8 {
		s.pressure = 0.9
		require.Zero(t, s.induced(), "ε = 0 switches the threshold response off")
	}
	require.True(t, s.triggered, "the trigger fired; ε = 0 is what keeps the response at 0")
}
