package models

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/chokepoint-sim/chokepoint/sim"
)

// The US largest run, MODEL.md "Model v2: frontier": the same physical bound
// as China's, share_max of the US end-of-quarter stock at the run's
// utilisation and length.

// usRunBound is share_max·K_us·989e12·u·d·86400 for run params at quarter
// k of out.
func usRunBound(params, out []float64, T, k int) float64 {
	return paramAt(params, "frontier.max_cluster_share") * out[oUSStock*T+k] *
		h100FLOPs * paramAt(params, "frontier.utilisation") * paramAt(params, "frontier.run_days") * 86400
}

// Over random draws across the registry's bounds and random lever
// schedules, the US run never exceeds share_max of the US stock in any
// quarter, and the bound binds somewhere (the exogenous path reaches 1e27 ×
// 10^11 by 2035 at the widest bounds). Without the cap the first check fails.
func TestUSRunNeverExceedsFleetShare(t *testing.T) {
	rng := rand.New(rand.NewPCG(17, 5))
	r := China{}.NewRunner(propSpan)
	T := propSpan.Len()
	out := make([]float64, len(Registry.Outputs)*T)
	pend := noPending()
	capped := 0
	for c := 0; c < propertyCases(t)/5; c++ {
		params, levers := randomCase(rng)
		runCase(r, params, levers, pend, out)
		for k := range T {
			bound := usRunBound(params, out, T, k)
			run := out[oUSLargestRun*T+k]
			require.LessOrEqual(t, run, bound*(1+1e-9), "case %d quarter %d", c, k)
			if run > bound*(1-1e-9) {
				capped++
			}
		}
	}
	require.Positive(t, capped, "the bound binds in some quarters of some draws")
}

// current-policy, 500 runs:
//   - 2024Q3 and 2024Q4: the US run is the exogenous path,
//     us.frontier_2024q3_flop·g^(t−2024.5)·(1 − drag·mineral_controls), in
//     every run: the bound does not
//     bind where the path is calibrated (the 2024 runs used ~0.6% of the US
//     stock in the median, against a cap of 2-5%).
//   - 2030Q4: the exogenous path would need ~49% of the US stock in the
//     median run (measured, 1,000 runs), so the bound binds in more than
//     half of the runs and the median run is at most the median bound.
func TestUSRunCalibratedIn2024BoundedIn2030(t *testing.T) {
	sc := loadBuiltin(t, "current-policy")
	res := runBatch(t, 500, sc)
	levers, _ := scheduleOf(sc)
	minerals, _ := Registry.LeverIndex("china.mineral_controls")
	// drag is 1 − us.mineral_drag·mineral_controls at p, as the model lowers the path
	drag := func(params []float64, p sim.Period) float64 {
		return clamp01(1 - paramAt(params, "us.mineral_drag")*levers[minerals][sc.Span.Index(p)])
	}
	T := res.Span.Len()
	out := make([]float64, len(Registry.Outputs)*T)
	var runs, bounds []float64
	capped := 0
	k30 := res.Span.Index(sim.NewPeriod(2030, 4))
	for run := 0; run < res.N(); run++ {
		params := drawsOf(res, run)
		p30 := sim.NewPeriod(2030, 4)
		out[oUSStock*T+k30] = value(res, 0, run, "us_compute_stock_h100e", p30)
		out[oUSLargestRun*T+k30] = value(res, 0, run, "us_largest_run_flop", p30)
		anchor, g := paramAt(params, "us.frontier_2024q3_flop"), paramAt(params, "us.compute_growth")
		for _, p := range []sim.Period{sim.NewPeriod(2024, 3), sim.NewPeriod(2024, 4)} {
			path := anchor * math.Pow(g, p.Decimal()-2024.5) * drag(params, p)
			require.InEpsilon(t, path, value(res, 0, run, "us_largest_run_flop", p), 1e-9, "run %d %s", run, p)
		}
		// the path at 2030Q4 (2030.75): g to 2030, g_late after
		path30 := anchor * math.Pow(g, 2030-2024.5) * math.Pow(paramAt(params, "us.compute_growth_late"), 0.75) *
			drag(params, sim.NewPeriod(2030, 4))
		runs = append(runs, out[oUSLargestRun*T+k30])
		bounds = append(bounds, usRunBound(params, out, T, k30))
		require.LessOrEqual(t, out[oUSLargestRun*T+k30], path30*(1+1e-9), "run %d: never above the path", run)
		if out[oUSLargestRun*T+k30] < path30*(1-1e-9) {
			capped++
		}
	}
	require.Greater(t, capped, res.N()/2, "the bound binds in most runs by 2030Q4")
	require.LessOrEqual(t, median(runs), median(bounds), "median US run at most the median bound")
}
