package models

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/chokepoint-sim/chokepoint/scenarios"
	"github.com/chokepoint-sim/chokepoint/sim"
)

// Every assumption must be visible and sourced: no parameter, lever, output
// or data row without a unit, a description and (for inputs) a source.
func TestEverythingHasUnitDescriptionAndSource(t *testing.T) {
	for _, p := range Registry.Params {
		assert.NotEmpty(t, p.Unit, "parameter %s has no unit", p.Key)
		assert.NotEmpty(t, p.Description, "parameter %s has no description", p.Key)
		assert.NotEmpty(t, p.Source, "parameter %s has no source", p.Key)
		assert.NotEmpty(t, p.Group, "parameter %s has no group", p.Key)
	}
	for _, l := range Registry.Levers {
		assert.NotEmpty(t, l.Unit, "lever %s has no unit", l.Key)
		assert.NotEmpty(t, l.Description, "lever %s has no description", l.Key)
		assert.NotEmpty(t, l.Source, "lever %s has no source", l.Key)
		assert.NotEmpty(t, l.Group, "lever %s has no group", l.Key)
	}
	for _, o := range Registry.Outputs {
		assert.NotEmpty(t, o.Unit, "output %s has no unit", o.Key)
		assert.NotEmpty(t, o.Description, "output %s has no description", o.Key)
	}
	for _, c := range Catalogue {
		assert.NotEmpty(t, c.Source, "chip %s has no source", c.Name)
	}
	for _, o := range Calibration {
		assert.NotEmpty(t, o.Source, "observation %s has no source", o.ID)
		assert.NotEmpty(t, o.Unit, "observation %s has no unit", o.ID)
	}
}

// The keys other parts of the project rely on (docs/MODEL.md, "Structure" and
// "Parameters, levers and outputs").
func TestContractKeysExist(t *testing.T) {
	for _, k := range []string{"efficiency.halving_months", "efficiency.diffusion_lag_months",
		"efficiency.scarcity_bonus", "substitution.elasticity", "substitution.lag_quarters",
		"fab.yield_ceiling", "fab.capacity_growth", "demand.budget_growth", "stock.lifetime_years",
		"us.compute_growth"} {
		_, ok := Registry.ParamIndex(k)
		assert.True(t, ok, "parameter %s", k)
	}
	for _, k := range []string{"export.tpp_threshold", "export.pd_threshold", "export.pd_tpp_floor",
		"export.interconnect_gbs", "export.licence_approval", "export.exceptions", "export.fee",
		"export.china_volume_cap", "enforcement.leakage", "enforcement.cloud_access",
		"enforcement.tier2_caps", "foundry.due_diligence", "hbm.export_ban", "sme.allied_alignment",
		"sme.servicing_ban", "entity.smic_cutoff", "entity.cxmt_listed", "china.domestic_mandate",
		"china.import_block", "china.mineral_controls", "china.state_investment"} {
		_, ok := Registry.LeverIndex(k)
		assert.True(t, ok, "lever %s", k)
	}
	want := []string{"compute_stock_h100e", "inference_stock_h100e", "domestic_output_h100e",
		"domestic_packages", "legal_imports_h100e", "smuggled_h100e", "fab_yield",
		"advanced_wafer_capacity_wpm", "hbm_stock_stacks", "self_sufficiency", "restriction_pressure",
		"algorithmic_efficiency", "largest_run_flop", "us_largest_run_flop", "us_compute_stock_h100e",
		"compute_ratio_us_cn", "effective_compute_gap_oom", "frontier_gap_months", "foregone_us_revenue_usd"}
	// Outputs added since come after these, which keep their places.
	keys := Registry.OutputKeys()
	require.GreaterOrEqual(t, len(keys), len(want))
	assert.Equal(t, want, keys[:len(want)])
	// docs/MODEL.md, "One budget, allocated across channels, conserved" and "The
	// cost of controls, split": money by channel, the cost split, stock by
	// channel.
	for _, k := range []string{"budget_usd", "spend_domestic_usd", "spend_legal_usd", "spend_smuggled_usd",
		"spend_cloud_usd", "carry_usd", "budget_released_usd", "cloud_h100e", "fees_paid_usd",
		"sales_refused_by_china_usd", "stock_legal_h100e", "stock_smuggled_h100e", "stock_domestic_h100e",
		"domestic_induced_share"} {
		_, ok := Registry.OutputIndex(k)
		assert.True(t, ok, "output %s", k)
	}
}

// Every surface finds what it shows of the model in the registry: a label
// and plain words for each lever, a slider for each number lever, the
// outputs each surface features, and the derived revenue total.
func TestEverySurfaceFindsItsWords(t *testing.T) {
	for _, l := range Registry.Levers {
		assert.NotEmpty(t, l.Label, "lever %s has no label for the page", l.Key)
		assert.NotEmpty(t, l.Phrase, "lever %s has no plain words for explain", l.Key)
		if l.Kind == sim.LeverNumber {
			assert.NotNil(t, l.Slider, "number lever %s has no slider", l.Key)
		}
	}
	// The threshold and cap levers mean "no rule" at their maximum, their
	// default: the page offers that as a checkbox, explain reads "none".
	for _, l := range Registry.Levers {
		if l.None != nil {
			assert.Equal(t, l.Max, l.None.Value, l.Key)
			assert.Equal(t, l.Default, l.None.Value, l.Key)
		}
	}
	assert.Equal(t, []string{"US chip rules", "Allied equipment controls", "Enforcement", "China's response"}, Registry.LeverGroups())
	// The five assumptions of the classroom page (docs/classroom.md).
	var offered []string
	for _, p := range Registry.Params {
		if p.Classroom > 0 {
			offered = append(offered, p.Key)
			assert.NotEmpty(t, p.Label, p.Key)
		}
	}
	assert.Len(t, offered, 5)
	// The headline table and the page's charts (README, docs/classroom.md).
	assert.Len(t, Registry.Featured(sim.Headline), 5)
	assert.Len(t, Registry.Featured(sim.PageCharts), 4)
	for _, k := range Registry.Featured(sim.PageCharts) {
		i, _ := Registry.OutputIndex(k)
		assert.NotEmpty(t, Registry.Outputs[i].Label, k)
		assert.NotEmpty(t, Registry.Outputs[i].Subtitle, k)
	}
	// The page's cost panel: a rate and its running total.
	require.Len(t, Registry.Derived, 1)
	d := Registry.Derived[0]
	assert.Equal(t, sim.Cumulative, d.Derived.Kind)
	assert.Equal(t, []string{d.Derived.Of, d.Key}, Registry.Featured(sim.PageCost))
}

// The classroom page shows each lever and offered assumption in plain
// words (issue 17): a Plain text that names no registry key and no
// stand-in number (the value that means "no rule" has its None label).
func TestClassroomTextIsPlain(t *testing.T) {
	var keys []string
	for _, p := range Registry.Params {
		keys = append(keys, p.Key)
	}
	for _, l := range Registry.Levers {
		keys = append(keys, l.Key)
	}
	plain := func(what, text string) {
		require.NotEmpty(t, text, "%s has no plain text", what)
		for _, k := range keys {
			assert.NotContains(t, text, k, "%s names a key", what)
		}
		for _, raw := range []string{"1000000", "1e6", "1e9", "1e+09"} {
			assert.NotContains(t, text, raw, "%s writes a stand-in number", what)
		}
	}
	for _, l := range Registry.Levers {
		plain("lever "+l.Key, l.Plain)
		if l.None != nil {
			plain("lever "+l.Key+" none", l.None.Label)
		}
		if l.Slider != nil && l.Slider.MinLabel != "" {
			plain("lever "+l.Key+" slider", l.Slider.MinLabel)
		}
	}
	for _, p := range Registry.Params {
		if p.Classroom > 0 {
			plain("assumption "+p.Key, p.Plain)
		}
	}
}

// Every output has a short phrase for compare's sentences (headline.csv's
// "a sentence to quote"): without one the sentence pasted the output's
// whole description, formulas and keys included ("…ε·R/M…",
// "(china.state_investment / 4)").
func TestEveryOutputHasAPhrase(t *testing.T) {
	for _, o := range Registry.Outputs {
		assert.NotEmpty(t, o.Phrase, o.Key)
		// 60 characters: the longest phrase that reads as a name in a sentence
		assert.LessOrEqual(t, len([]rune(o.Phrase)), 60, o.Key)
		assert.NotRegexp(t, `[a-z]+\.[a-z_]+|[a-z]+_[a-z]+|[·=()]`, o.Phrase, "%s: a key or formula in the phrase", o.Key)
	}
}

// Issue 16: a milestone is registry metadata that charts mark, so its
// outputs must be the model's, its id clash with no event of a built-in
// scenario (--events takes both), and its date be where its mechanism
// turns the path: the die bank's draw (bankDrawStart) is the quarter in
// which the median domestic output of current-policy and no-controls
// grows most, of every quarter of the span.
func TestMilestonesMarkTheirStep(t *testing.T) {
	ms := China{}.Milestones()
	require.NotEmpty(t, ms)
	l := &scenarios.Loader{Registry: Registry}
	for _, m := range ms {
		assert.NotEmpty(t, m.Label, m.ID)
		assert.NotEmpty(t, m.Source, m.ID)
		for _, o := range m.Outputs {
			_, ok := Registry.OutputIndex(o)
			assert.True(t, ok, "%s: %s is no output", m.ID, o)
		}
		for _, name := range scenarios.Names() {
			sc, err := l.Load(name)
			require.NoError(t, err)
			for _, e := range sc.Events {
				assert.NotEqual(t, m.ID, e.ID, "milestone %s has the id of an event of %s", m.ID, name)
			}
		}
	}
	bank := ms[0]
	assert.InDelta(t, bankDrawStart, bank.Period.Decimal(), 1e-9, "the die bank's milestone is the draw's first quarter")
	for _, name := range []string{"current-policy", "no-controls"} {
		sc := loadScenario(t, name)
		res := runScenarios(t, 200, sc)
		best, most := sim.Period(0), 0.0
		for p := sc.Span.Start + 1; p <= sc.Span.End; p++ {
			if g := medianAt(res, "domestic_output_h100e", p) / medianAt(res, "domestic_output_h100e", p-1); g > most {
				best, most = p, g
			}
		}
		assert.Equal(t, bank.Period, best, "%s: the largest quarterly step of domestic output (×%.1f)", name, most)
	}
}
