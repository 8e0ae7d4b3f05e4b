package models

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/chokepoint-sim/chokepoint/scenarios"
	"github.com/chokepoint-sim/chokepoint/sim"
)

// Reality checks, in the sense of Vensim's: each states a condition and an
// implication that must hold in every run. Each test varies one thing
// against a base with the same seed, so every parameter draw is shared and
// any difference comes from the condition alone.

const realityRuns = 300

// variants runs base with each list of --set overrides, all in one batch.
func variants(t *testing.T, base string, sets ...[]string) *sim.Result {
	t.Helper()
	l := &scenarios.Loader{Registry: Registry}
	b, err := l.Load(base)
	require.NoError(t, err)
	var scs []*sim.Scenario
	for i, s := range sets {
		sc := b
		if len(s) > 0 {
			sc, err = l.Override(b, s)
			require.NoError(t, err)
		}
		c := *sc
		c.Name = string(rune('a' + i))
		scs = append(scs, &c)
	}
	res, err := (&sim.Batch{Model: China{}, Scenarios: scs, Span: b.Span, Runs: realityRuns, Seed: 3}).Run(context.Background())
	require.NoError(t, err)
	return res
}

// each calls f for every run and quarter with the values of output key in
// the result's scenarios.
func each(res *sim.Result, key string, f func(r int, p sim.Period, v []float64)) {
	v := make([]float64, len(res.Scenarios))
	for r := 0; r < res.N(); r++ {
		for _, p := range res.Span.Periods() {
			for s := range res.Scenarios {
				v[s] = value(res, s, r, key, p)
			}
			f(r, p, v)
		}
	}
}

// With every foreign chip barred (a TPP threshold of 0 and no I/O test catch
// every chip, no exceptions, licences denied) and no leakage, nothing foreign comes in.
func TestRealityAllBarredNoLeakageMeansNoImports(t *testing.T) {
	res := variants(t, "current-policy", []string{"export.tpp_threshold=0", "export.interconnect_gbs=0",
		"export.exceptions=", "enforcement.leakage=0"})
	for _, k := range []string{"legal_imports_h100e", "smuggled_h100e"} {
		each(res, k, func(r int, p sim.Period, v []float64) {
			require.Zero(t, v[0], "%s in run %d at %s", k, r, p)
		})
	}
}

// With a TPP threshold above every chip and no other control, imports are
// exactly those of no-controls.
func TestRealityThresholdAboveEveryChipIsNoControl(t *testing.T) {
	res := variants(t, "no-controls", nil, []string{"export.tpp_threshold=100000"})
	each(res, "legal_imports_h100e", func(r int, p sim.Period, v []float64) {
		require.Equal(t, v[0], v[1], "run %d at %s", r, p)
	})
}

// With no domestic HBM, packages stop once the imported stock is used up
// (the ban is in force from 2024Q4).
func TestRealityNoHBMNoPackages(t *testing.T) {
	res := variants(t, "current-policy", []string{"hbm.domestic_initial_stacks=0"})
	gone := 0
	each(res, "domestic_packages", func(r int, p sim.Period, v []float64) {
		// 8 stacks: the 910C's HBM per package (chips.csv).
		if p > sim.NewPeriod(2025, 1) && value(res, 0, r, "hbm_stock_stacks", p-1) < 8 {
			require.Zero(t, v[0], "run %d at %s", r, p)
			gone++
		}
	})
	require.Positive(t, gone, "the stock runs out in some runs")
}

// With substitution elasticity 0 (and no state money effect), restriction
// pressure changes no domestic investment: barring every chip leaves fab
// capacity, yield and the domestic tool path exactly as they were.
func TestRealityZeroElasticityMeansNoInducedInvestment(t *testing.T) {
	zero := []string{"substitution.elasticity=0", "substitution.state_money_effect=0"}
	res := variants(t, "no-controls", zero, append(zero, "export.tpp_threshold=0"))
	each(res, "restriction_pressure", func(r int, p sim.Period, v []float64) {
		if p >= sim.NewPeriod(2022, 1) {
			require.Greater(t, v[1], v[0], "the rule must create pressure for this check to mean anything")
		}
	})
	for _, k := range []string{"advanced_wafer_capacity_wpm", "fab_yield"} {
		each(res, k, func(r int, p sim.Period, v []float64) {
			require.Equal(t, v[0], v[1], "%s in run %d at %s", k, r, p)
		})
	}
}

// Pressure with a positive elasticity does raise capacity: the converse of
// the check above, so that it cannot pass by accident.
func TestRealityPressureRaisesCapacity(t *testing.T) {
	one := []string{"substitution.elasticity=1"}
	res := variants(t, "no-controls", one, append(one, "export.tpp_threshold=0"))
	each(res, "advanced_wafer_capacity_wpm", func(r int, p sim.Period, v []float64) {
		if p >= sim.NewPeriod(2022, 1) {
			require.Greater(t, v[1], v[0], "run %d at %s", r, p)
		}
	})
}

// Yield never exceeds its ceiling.
func TestRealityYieldBelowCeiling(t *testing.T) {
	res := variants(t, "current-policy", nil)
	ceil, _ := Registry.ParamIndex("fab.yield_ceiling")
	P := len(Registry.Params)
	each(res, "fab_yield", func(r int, p sim.Period, v []float64) {
		require.LessOrEqual(t, v[0], res.Scenarios[0].Params[r*P+ceil], "run %d at %s", r, p)
	})
}

// A servicing ban never raises yield.
func TestRealityServicingBanNeverRaisesYield(t *testing.T) {
	res := variants(t, "current-policy", nil, []string{"sme.servicing_ban=1"})
	each(res, "fab_yield", func(r int, p sim.Period, v []float64) {
		require.LessOrEqual(t, v[1], v[0], "run %d at %s", r, p)
	})
}

// Stockpiling raises imports between a rule's announcement and its effect,
// and not after. The real H20 licence requirement came without warning
// (notified 2025-04-09, Nvidia 8-K 2025-04-15), so the check uses a
// variant of current-policy in which it is announced a quarter early.
func TestRealityStockpilingBeforeNotAfter(t *testing.T) {
	path := filepath.Join(t.TempDir(), "h20-announced.toml")
	require.NoError(t, os.WriteFile(path, []byte(`id = "h20-announced"
title = "Current policy, the H20 rule announced in 2025Q1"
extends = "current-policy"

[[events]]
id = "h20-licence"
lever = "export.named_licence"
value = ["H20"]
announced = "2025-01"
effective = "2025-04-09"
note = "Hypothetical early announcement"
source = "Nvidia 8-K 2025-04-15; announcement date hypothetical"
`), 0o600))
	res := variants(t, path, nil, []string{"imports.stockpile_surge=0"})
	each(res, "legal_imports_h100e", func(r int, p sim.Period, v []float64) {
		switch {
		case p == sim.NewPeriod(2025, 1):
			if v[1] > 0 {
				require.Greater(t, v[0], v[1], "run %d: surge in the announced quarter", r)
			}
		case p >= sim.NewPeriod(2025, 2):
			require.InDelta(t, v[1], v[0], 1e-6*(1+v[1]), "run %d at %s: no surge once in force", r, p)
		}
	})
}

// The capability gap shrinks when China's algorithms catch up faster, all
// else equal.
func TestRealityBetterEfficiencyNarrowsGap(t *testing.T) {
	res := variants(t, "current-policy", []string{"efficiency.diffusion_lag_months=12"}, []string{"efficiency.diffusion_lag_months=0"})
	each(res, "effective_compute_gap_oom", func(r int, p sim.Period, v []float64) {
		require.Less(t, v[1], v[0], "run %d at %s", r, p)
	})
}

// More leakage never means fewer smuggled chips, nor a smaller stock.
func TestRealityMoreLeakageMoreSmuggling(t *testing.T) {
	res := variants(t, "current-policy", []string{"enforcement.leakage=0.1"}, []string{"enforcement.leakage=0.5"})
	for _, k := range []string{"smuggled_h100e", "compute_stock_h100e"} {
		each(res, k, func(r int, p sim.Period, v []float64) {
			require.GreaterOrEqual(t, v[1], v[0], "%s in run %d at %s", k, r, p)
		})
	}
}

// A higher TPP threshold never means fewer legal imports.
func TestRealityHigherThresholdNeverFewerImports(t *testing.T) {
	res := variants(t, "no-controls", []string{"export.tpp_threshold=1600"}, []string{"export.tpp_threshold=4800"}, []string{"export.tpp_threshold=20000"})
	each(res, "legal_imports_h100e", func(r int, p sim.Period, v []float64) {
		require.LessOrEqual(t, v[0], v[1]*(1+1e-12), "run %d at %s", r, p)
		require.LessOrEqual(t, v[1], v[2]*(1+1e-12), "run %d at %s", r, p)
	})
}

// China blocking every import leaves no legal imports, whatever the US allows.
func TestRealityFullImportBlock(t *testing.T) {
	res := variants(t, "no-controls", []string{"china.import_block=1"})
	each(res, "legal_imports_h100e", func(r int, p sim.Period, v []float64) {
		require.Zero(t, v[0], "run %d at %s", r, p)
	})
}

// Closing the TSMC die channel from the start never raises domestic output.
func TestRealityDueDiligenceClosesDieBank(t *testing.T) {
	res := variants(t, "current-policy", nil, []string{"foundry.due_diligence=true"})
	total := [2]float64{}
	each(res, "domestic_packages", func(r int, p sim.Period, v []float64) {
		if p.Year() == 2025 {
			total[0] += v[0]
			total[1] += v[1]
		}
	})
	require.Less(t, total[1], total[0], "the die bank supplied 2025's 910C")
}

// A longer service life means a larger installed stock.
func TestRealityLongerLifeLargerStock(t *testing.T) {
	res := variants(t, "current-policy", []string{"stock.lifetime_years=4"}, []string{"stock.lifetime_years=6"})
	each(res, "compute_stock_h100e", func(r int, p sim.Period, v []float64) {
		if p > res.Span.Start {
			require.Greater(t, v[1], v[0], "run %d at %s", r, p)
		}
	})
}

// With all foreign chips barred and no leakage, every addition is domestic:
// self-sufficiency is 1 once four quarters have passed under the rule.
func TestRealityAllBarredMeansSelfSufficient(t *testing.T) {
	res := variants(t, "no-controls", []string{"export.tpp_threshold=0", "enforcement.leakage=0"})
	each(res, "self_sufficiency", func(r int, p sim.Period, v []float64) {
		if p >= sim.NewPeriod(2021, 1) && value(res, 0, r, "domestic_output_h100e", p) > 0 {
			require.Equal(t, 1.0, v[0], "run %d at %s", r, p)
		}
	})
}
