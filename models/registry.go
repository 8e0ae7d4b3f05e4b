package models

import (
	"math"

	"github.com/chokepoint-sim/chokepoint/sim"
)

// none is the value of a threshold or cap lever that means "no such rule":
// larger than any catalogue chip's TPP, density or interconnect.
const none = 1e6

// Parameter keys, grouped by submodel. Each default is a 90% interval
// ("a to b") or a table; see docs/scenario-format.md.
var params = []sim.Param{
	// 4.1 Demand
	{Key: "demand.budget_2020_usd", Group: "Demand", Unit: "USD/yr", Min: 1e8, Max: 1e11, Default: "2e9 to 5e9",
		Description: "China's spending on AI accelerators in 2020",
		Source:      "Back-cast from ~$15-25B/yr in 2024 (H20 ~$12B: SemiAnalysis; Huawei; smuggled) at the budget growth rate; IDC China accelerated-server market 2020 (~$3B servers)"},
	{Key: "demand.budget_growth", Group: "Demand", Unit: "1/yr", Min: 0, Max: 2, Default: "0.4 to 0.8",
		Description: "yearly growth of China's accelerator budget in 2020; the rate decays with demand.growth_decay_years",
		Source:      "Chinese hyperscaler capex growth 2020-24 (Tencent capex 2024 RMB 76.8B, Tencent results; Alibaba, Baidu filings)"},
	{Key: "demand.growth_decay_years", Group: "Demand", Unit: "years", Min: 0.5, Max: 100, Default: "6 to 14",
		Description: "e-folding time of the budget's growth rate (the boom slows)",
		Source:      "Chinese AI capex ~$15-25B/yr on accelerators in 2024, ~$30-50B in 2025 (Alibaba, Tencent, ByteDance guidance; SemiAnalysis); long-run growth near that of cloud revenue"},
	{Key: "demand.training_weight", Group: "Demand", Unit: "fraction", Min: 0, Max: 1, Default: `{dist = "uniform", min = 0.3, max = 0.7}`,
		Description: "weight buyers put on training (vs inference) throughput when valuing a chip",
		Source:      "docs/MODEL.md, \"Demand\": ~1M H20 sold in 2024 (0.15 training but 1.19 inference H100e) implies substantial inference weight"},
	{Key: "demand.pledge_accelerator_share", Group: "Demand", Unit: "fraction", Min: 0, Max: 1, Default: `{dist = "uniform", min = 0.3, max = 0.6}`,
		Description: "share of pledged AI capex spent on accelerators",
		Source:      "Typical AI data-centre capex split: ~50-60% servers/accelerators (SemiAnalysis data-centre cost models)"},
	{Key: "foreign.price_decline", Group: "Demand", Unit: "1/yr", Min: 0, Max: 0.6, Default: "0.08 to 0.25",
		Description: "yearly fall in a foreign chip's price after launch",
		Source:      "Epoch AI (2022): GPU price-performance doubles every ~2.5 years; secondary-market price falls of A100/H100"},

	// 4.2 Foreign chips
	{Key: "imports.stockpile_surge", Group: "Imports", Unit: "1", Min: 0, Max: 10, Default: "0.3 to 1.5",
		Description: "extra purchases of a chip between the announcement and effect of a rule that will bar it",
		Source:      "H20 orders surged to ~$16B in 2025Q1 before the April 2025 licence requirement (Reuters 2025-01; Nvidia 10-Q)"},
	{Key: "enforcement.leakage_scale", Group: "Imports", Unit: "1", Min: 0, Max: 5, Default: "0.5 to 3",
		Description: "uncertainty factor on the leakage lever: how much blocked demand really is smuggled",
		Source:      "CNAS 2025-06: 10k to several hundred thousand chips smuggled in 2024 (central ~140k)"},
	{Key: "enforcement.smuggling_premium", Group: "Imports", Unit: "× list price", Min: 1, Max: 10, Default: "1.4 to 2.5",
		Description: "price of a smuggled chip relative to its list price",
		Source:      "Smuggled H100 servers sold in China at 40-100% above list (Reuters 2023-06; The Information 2024; CNAS 2025-06)"},
	{Key: "enforcement.tier2_leakage_cut", Group: "Imports", Unit: "fraction", Min: 0, Max: 1, Default: "0.2 to 0.6",
		Description: "share of leakage removed while diffusion-rule Tier-2 caps are in force",
		Source:      "BIS AI Diffusion Framework (2025-01-13) aimed at diversion via third countries; CNAS 2025 estimates of transshipment share"},

	// 9.1 One budget, allocated across channels
	{Key: "budget.release_share", Group: "Imports", Unit: "1/quarter", Min: 0.05, Max: 1, Default: `{dist = "uniform", min = 0.2, max = 0.5}`,
		Description: "share d of the accelerator money left unspent in a quarter that leaves accelerator budgets (the rest is carried to the next quarter)",
		Source:      "Assumption (docs/MODEL.md, \"One budget, allocated across channels, conserved\": ~0.2-0.5): unspent capex is partly re-budgeted to other uses within a year; no source measures it"},
	{Key: "china.state_directed_share", Group: "Imports", Unit: "fraction", Min: 0, Max: 1, Default: `{dist = "uniform", min = 0.3, max = 0.6}`,
		Description: "share of China's accelerator purchases that are state-directed, to which the domestic-chip mandate applies",
		Source:      "Reuters 2025-11: the domestic-chip rule covers state-funded data centres; docs/MODEL.md, \"One budget, allocated across channels, conserved\" prior ~30-60% (assumption)"},
	{Key: "smuggling.capacity_2024_chips", Group: "Imports", Unit: "chips/yr", Min: 0, Max: 1e7, Default: "1.5e5 to 1.2e6",
		Description: "gross capacity of the smuggling network in 2024 before enforcement (what gets through is this × the leakage lever × enforcement.leakage_scale)",
		Source:      "Fitted so that 2024 smuggling lands in CNAS 2025-06's range: 10k / 140k / several hundred thousand chips (low / central / high)"},
	{Key: "smuggling.capacity_growth", Group: "Imports", Unit: "×/yr", Min: 0.5, Max: 3, Default: "0.9 to 1.3",
		Description: "yearly growth of the smuggling network's base capacity, whatever the demand it meets",
		Source:      "Assumption, wide: FT 2025-07 reported at least $1B of B200-class chips smuggled in three months (more than the 2024 rate); DOJ cases 2024-25"},
	{Key: "smuggling.demand_response", Group: "Imports", Unit: "chips per chip of unmet demand", Min: 0, Max: 1, Default: "0.002 to 0.02",
		Description: "how far the smuggling network grows toward unmet demand (chips the US rules turn away); 0: its capacity ignores demand",
		Source:      "Assumption, wide (docs/MODEL.md, \"One budget, allocated across channels, conserved\"): CNAS 2025-06 describes networks that expanded after each control round; no estimate of the response exists"},
	{Key: "smuggling.lag_quarters", Group: "Imports", Unit: "quarters", Min: 1, Max: 20, Default: `{dist = "uniform", min = 2, max = 8}`,
		Description: "lag with which the smuggling network's capacity follows its target",
		Source:      "Assumption, same prior as substitution.lag_quarters (docs/MODEL.md, \"Induced substitution\": 2-8 quarters)"},
	{Key: "smuggling.premium_slope", Group: "Imports", Unit: "1", Min: 0, Max: 5, Default: `{dist = "uniform", min = 0, max = 1}`,
		Description: "rise of the smuggling premium with volume: the average price of V chips a quarter is list × premium × (1 + slope × V/V_ref), V_ref the 2024 network's quarterly capacity (smuggling.capacity_2024_chips / 4)",
		Source:      "Assumption: CNAS 2025-06 reports premiums of 1.4-2.5× at 2024 volumes; prices rose as enforcement tightened (Reuters 2023-06, FT 2025-07)"},
	{Key: "cloud.rent_usd_per_h100_hour", Group: "Imports", Unit: "USD/H100-hour", Min: 0.5, Max: 10, Default: "1.5 to 3",
		Description: "price of renting one H100e for an hour in an overseas cloud",
		Source:      "Public cloud list and marketplace prices ~$2/H100-hour in 2024-25 (Lambda, CoreWeave, RunPod price lists; docs/MODEL.md, \"One budget, allocated across channels, conserved\")"},
	{Key: "cloud.contract_quarters", Group: "Imports", Unit: "quarters", Min: 1, Max: 12, Default: `{dist = "uniform", min = 2, max = 8}`,
		Description: "L: length of an overseas cloud contract, paid when signed (rounded to whole quarters; 1 is spot rental): rented H100e run for L quarters at L quarters' rent",
		Source:      "assumption, wide prior: reserved GPU capacity is sold by the year or longer (CoreWeave's 2025 prospectus: most revenue from multi-year committed contracts), spot capacity by the hour"},
	{Key: "cloud.demand_response", Group: "Imports", Unit: "1", Min: 0, Max: 1, Default: "1",
		Description: "1: overseas rental capacity open to Chinese buyers is enforcement.cloud_access × blocked training demand (docs/MODEL.md, \"One budget, allocated across channels, conserved\"); 0: no rental market answers blocked demand",
		Source:      "docs/MODEL.md, \"One budget, allocated across channels, conserved\" formulation (fixed at 1); the switch exists so that sign tests can hold the evasion channels fixed"},
	{Key: "smuggling.capacity_ceiling", Group: "Imports", Unit: "× 2024 capacity", Min: 1, Max: 50, Default: "1.5 to 5",
		Description: "ceiling of the smuggling network's capacity, as a multiple of its 2024 capacity: neither its base growth nor its response to unmet demand takes it higher",
		Source:      "Assumption, wide: routes are few and finite (CNAS 2025-06: shell companies in Southeast Asia, a handful of large cases; Malaysia's permit rule 2025-07-14 and Singapore's 2025 arrests narrowed the main ones); the FT 2025-07-24 report (at least $1B of B200-class chips in three months, ~2-3x the 2024 central rate in H100e) sits inside it"},
	{Key: "smuggling.china_customs_reach", Group: "Imports", Unit: "fraction", Min: 0, Max: 1, Default: `{dist = "uniform", min = 0, max = 0.5}`,
		Description: "share of China's import block (china.import_block) that its customs apply to smuggled chips too: what gets through is × (1 − reach × block)",
		Source:      "FT 2025-10-10 (reported by Reuters): China's customs checks on Nvidia chips at major ports widened to all advanced chips that breach US controls, smuggled ones included; how far they bite is an assumption, wide (Chinese labs kept using smuggled chips, The Information 2025-12)"},
	{Key: "smuggling.blocked_demand_share", Group: "Imports", Unit: "fraction", Min: 0, Max: 1, Default: `{dist = "uniform", min = 0.3, max = 1}`,
		Description: "in the share-of-blocked-demand formulation (structure.smuggling = 1): share of the chips the US rules turn away each quarter that smugglers offer, before enforcement (× the leakage lever × enforcement.leakage_scale), bounded by the money left",
		Source:      "Fitted so that 2024 smuggling lands in CNAS 2025-06's range (10k / 140k / several hundred thousand chips) in this formulation; an assumption beyond 2024"},
	{Key: "structure.smuggling", Group: "Imports", Unit: "formulation", Min: 0, Max: 1, Levels: []string{"network", "share"}, Default: `{dist = "discrete", values = [0, 1], weights = [2, 1]}`,
		Description: "formulation of smuggling (docs/MODEL.md, \"Structural alternatives\"): 0, a finite network that grows toward unmet demand with a lag, up to a ceiling; 1, a share of the quarter's blocked demand, bounded by the budget; other values are rounded to the nearest",
		Source:      "Assumption: weights 2:1 for the finite network, which the evidence describes (CNAS 2025-06: a few networks of shell companies and distributors; DOJ cases 2025), over the share of blocked demand, which has no capacity limit; a scenario can fix or re-weight them"},

	// 4.3 Domestic production
	{Key: "fab.capacity_2020_wpm", Group: "Fabs", Unit: "wpm", Min: 0, Max: 1e5, Default: "2500 to 5000",
		Description: "SMIC advanced-node (7nm-class) wafer capacity in 2020Q1",
		Source:      "SMIC N+1 risk production 2020 (SMIC 2020 annual report); back-cast from 15-35k wpm end 2024 (SemiAnalysis; CSIS/Jefferies)"},
	{Key: "fab.capacity_growth", Group: "Fabs", Unit: "1/yr", Min: 0, Max: 3, Default: "0.3 to 0.55",
		Description: "yearly growth of advanced wafer capacity with full tool access",
		Source:      "SMIC 7nm-class ramp ~3k (2020) to ~25k wpm (end 2024), plans 45k (2025) and 60k (2026) (SemiAnalysis; CSIS/Jefferies)"},
	{Key: "fab.capacity_ceiling_wpm", Group: "Fabs", Unit: "wpm", Min: 1e4, Max: 2e6, Default: "1.5e5 to 4e5",
		Description: "long-run ceiling of China's advanced-node capacity",
		Source:      "TSMC's 7nm-and-below capacity ~300k wpm in 2024 (TSMC reports) as an upper reference"},
	{Key: "fab.ai_share_base", Group: "Fabs", Unit: "fraction", Min: 0, Max: 1, Default: "0.05 to 0.12",
		Description: "share of advanced wafers making AI chips without restriction pressure (the rest: phone SoCs)",
		Source:      "~300k single-die 910B from ~1.5-3k of ~20k wpm in 2024 (docs/MODEL.md, \"Domestic production\"; SemiAnalysis)"},
	{Key: "fab.ai_share_max", Group: "Fabs", Unit: "fraction", Min: 0, Max: 1, Default: "0.4 to 0.8",
		Description: "the most of advanced capacity that can be turned to AI chips",
		Source:      "Beijing told SMIC to put Huawei's AI chips first (WSJ 2025); phone SoC demand (Kirin) sets the floor of the rest"},
	{Key: "fab.dies_per_wafer", Group: "Fabs", Unit: "dies/wafer", Min: 10, Max: 200, Default: "60 to 90",
		Description: "gross AI dies per 300 mm wafer",
		Source:      "Ascend 910B die ~600-670 mm² (TechInsights teardown 2024); standard gross-die formula for a 300 mm wafer"},
	{Key: "fab.yield_ceiling", Group: "Fabs", Unit: "fraction", Min: 0, Max: 1, Default: "0.55 to 0.8",
		Description: "the yield the learning curve approaches",
		Source:      "Huawei's stated 910C yield target 0.6 (FT 2025-02); mature-node yields for ~650 mm² dies ~0.7-0.8",
		Plain:       "The share of working chips per wafer that China's fabs approach as they learn.",
		Label:       "Yield ceiling", Classroom: 3, Slider: &sim.Slider{Min: 0.3, Max: 0.95, Step: 0.01}},
	{Key: "fab.yield_half_wafers", Group: "Fabs", Unit: "wafers", Min: 1e3, Max: 1e6, Default: "4e4 to 1.2e5",
		Description: "cumulative AI wafers at which yield reaches half its ceiling",
		Source:      "Fitted so that yield passes ~0.2 in early 2024 and ~0.4 in early 2025 (FT 2025-02; Reuters 2024-11)"},
	{Key: "fab.learning_exponent", Group: "Fabs", Unit: "1", Min: 0.1, Max: 5, Default: "1 to 2.2",
		Description: "steepness of the yield learning curve in log cumulative wafers",
		Source:      "Fitted to the doubling of Ascend yield from ~0.2 to ~0.4 over 2024 (FT 2025-02)"},
	{Key: "fab.yield_midpoint_year", Group: "Fabs", Unit: "year", Min: 2015, Max: 2035, Default: `{dist = "uniform", min = 2024.2, max = 2025.2}`,
		Description: "logistic formulation (structure.yield_learning = 1): the year the yield reaches half its ceiling (learning time, slowed by a servicing ban)",
		Source:      "Fitted so that yield passes ~0.2 in early 2024 and ~0.4 in early 2025 (FT 2025-02; Reuters 2024-11): with a ceiling of 0.675 the midpoint is ~2024.7"},
	{Key: "fab.yield_slope", Group: "Fabs", Unit: "1/yr", Min: 0.1, Max: 5, Default: `{dist = "uniform", min = 0.8, max = 1.8}`,
		Description: "logistic formulation: steepness b of the yield's logistic in time",
		Source:      "Fitted to the same two points: logit(0.4/0.675) − logit(0.2/0.675) ≈ 1.24 a year; the range covers the yield ceiling's"},
	{Key: "fab.initial_ai_wafers", Group: "Fabs", Unit: "wafers", Min: 0, Max: 1e6, Default: "1000 to 5000",
		Description: "cumulative AI wafers run on the advanced node before 2020Q1 (learning already done)",
		Source:      "Ascend 910 and Kirin 7nm experience at TSMC before 2020; SMIC N+1 pilot runs (SMIC 2020 annual report)"},
	{Key: "fab.packaging_yield", Group: "Fabs", Unit: "fraction", Min: 0, Max: 1, Default: "0.65 to 0.85",
		Description: "share of packages that pass after assembling dies and HBM",
		Source:      "docs/MODEL.md, \"Domestic production\" (~0.75); advanced-packaging yields for CoWoS-class assembly (SemiAnalysis 2024)"},
	{Key: "diebank.dies", Group: "Fabs", Unit: "dies", Min: 0, Max: 1e7, Default: "2e6 to 2.9e6",
		Description: "TSMC-made Ascend dies obtained through Sophgo in 2023-24",
		Source:      "CSIS 2025 (~2M dies); SemiAnalysis 2025 (2.9M)"},
	{Key: "diebank.draw_quarters", Group: "Fabs", Unit: "quarters", Min: 1, Max: 40, Default: "6 to 14",
		Description: "N: the die bank's draw time; from 2025Q1 each quarter draws 1/N of the dies left (a rationed, geometric draw: N quarters at the first quarter's pace would use the bank up)",
		Source:      "910C volume in 2025 relied largely on TSMC dies (SemiAnalysis 2025-09)"},
	{Key: "sme.alignment_impact", Group: "Fabs", Unit: "fraction", Min: 0, Max: 1, Default: "0.2 to 0.5",
		Description: "loss of tool access at full allied alignment on equipment controls",
		Source:      "ASML and Tokyo Electron China sales ~40% of their revenue in 2024 (company reports); DUV immersion critical to SMIC 7nm (CSIS 2024)"},
	{Key: "sme.servicing_impact", Group: "Fabs", Unit: "fraction", Min: 0, Max: 1, Default: "0.1 to 0.4",
		Description: "loss of tool access under a full ban on servicing and spare parts",
		Source:      "CSIS 2024 ('Choking off China's AI access'): servicing bans degrade installed tools within months"},
	{Key: "sme.servicing_learning_cut", Group: "Fabs", Unit: "fraction", Min: 0, Max: 1, Default: "0.2 to 0.6",
		Description: "share of yield learning lost under a full servicing ban",
		Source:      "Yield learning depends on vendor process support (CSIS 2024; SemiAnalysis 2024)"},
	{Key: "sme.servicing_ceiling_cut", Group: "Fabs", Unit: "fraction", Min: 0, Max: 1, Default: "0.05 to 0.2",
		Description: "reduction of the yield ceiling under a full servicing ban",
		Source:      "Tool drift without vendor calibration (CSIS 2024)"},
	{Key: "entity.smic_cutoff_impact", Group: "Fabs", Unit: "fraction", Min: 0, Max: 1, Default: "0.2 to 0.6",
		Description: "loss of tool access if SMIC is cut off entirely (materials, software, all US-origin items)",
		Source:      "SMIC entity listing (2020-12) effects; CSIS 2025 analysis of a full cut-off"},
	{Key: "sme.domestic_tool_share_2020", Group: "Fabs", Unit: "fraction", Min: 0, Max: 1, Default: "0.05 to 0.15",
		Description: "share of advanced-node tool needs met by Chinese toolmakers in 2020",
		Source:      "China's equipment self-sufficiency ~10-15% in 2020 (SEMI; CSIS 2024)"},
	{Key: "sme.domestic_tool_growth", Group: "Fabs", Unit: "1/yr", Min: 0, Max: 1, Default: "0.03 to 0.12",
		Description: "yearly closing of the remaining gap in domestic tools (before investment pressure)",
		Source:      "Naura, AMEC, SMEE progress; domestic share ~25% by 2024 (SEMI; Nikkei 2024)"},
	{Key: "design.perf_per_die_growth", Group: "Fabs", Unit: "1/yr", Min: 0, Max: 2, Default: "0.08 to 0.25",
		Description: "yearly growth of domestic per-die performance with full node access, after the last catalogued generation (the Ascend 970); before it the catalogue sets performance",
		Source:      "Ascend 910B (2023, ~0.32 H100e per die) to 910C (2025, ~0.4 per die) (CSIS 2025; SemiAnalysis 2025-09)"},
	{Key: "design.software_penalty", Group: "Fabs", Unit: "fraction", Min: 0, Max: 1, Default: "0.15 to 0.4",
		Description: "initial shortfall of realised vs peak throughput of domestic chips (software stack)",
		Source:      "910C ~0.6 H100e realised vs ~0.8 peak (DeepSeek testing, FT 2025-02)"},
	{Key: "design.software_maturity_years", Group: "Fabs", Unit: "years", Min: 0.25, Max: 20, Default: "2 to 6",
		Description: "time constant over which the software penalty decays, from 910B launch",
		Source:      "CANN/MindSpore maturity reports (FT 2025; SemiAnalysis 2025)"},
	{Key: "hbm.import_stacks_per_quarter", Group: "Fabs", Unit: "stacks/quarter", Min: 0, Max: 1e8, Default: "0.8e6 to 2.5e6",
		Description: "China's ordinary HBM purchases per quarter before the export ban (the base of the stockpile surge)",
		Source:      "Samsung shipped 11.4M stacks to China in 2024 (SemiAnalysis 2025-09)"},
	{Key: "hbm.stockpile_surge", Group: "Fabs", Unit: "1", Min: 0, Max: 20, Default: "2 to 6",
		Description: "extra HBM bought each quarter between the HBM rule's announcement and effect, as a multiple of ordinary purchases",
		Source:      "7M of 11.4M stacks shipped in Dec 2024 alone; ~13M stacks held entering 2025 (SemiAnalysis 2025-09)"},
	{Key: "hbm.domestic_start_year", Group: "Fabs", Unit: "year", Min: 2020, Max: 2040, Default: `{dist = "uniform", min = 2025, max = 2026.5}`,
		Description: "when CXMT's domestic HBM first ships in volume",
		Source:      "CXMT HBM2/HBM3 plans (Reuters 2024-03; SemiAnalysis 2025)"},
	{Key: "hbm.domestic_initial_stacks", Group: "Fabs", Unit: "stacks/quarter", Min: 0, Max: 1e8, Default: "3e4 to 3e5",
		Description: "CXMT's HBM stacks started per quarter when it starts (times hbm.domestic_stack_yield)",
		Source:      "CXMT HBM capacity estimates (SemiAnalysis 2025; TrendForce 2025)"},
	{Key: "hbm.domestic_growth", Group: "Fabs", Unit: "1/yr", Min: 0, Max: 5, Default: "0.4 to 1.2",
		Description: "yearly growth of domestic HBM output (CXMT and Huawei) before investment pressure",
		Source:      "Memory ramp rates of CXMT DRAM 2019-24 (TrendForce)"},
	{Key: "hbm.domestic_ceiling_stacks", Group: "Fabs", Unit: "stacks/quarter", Min: 1e5, Max: 1e9, Default: "5e6 to 3e7",
		Description: "long-run ceiling of domestic HBM output, CXMT and Huawei together (stacks started)",
		Source:      "SK hynix, Samsung and Micron together made ~30-40M HBM stacks a quarter in 2025 (TrendForce 2025) as an upper reference"},
	{Key: "hbm.cxmt_listing_cut", Group: "Fabs", Unit: "fraction", Min: 0, Max: 1, Default: "0.3 to 0.7",
		Description: "how much an entity listing of CXMT slows its HBM growth",
		Source:      "Proposed CXMT listing (Bloomberg 2025-01); effect of listing on YMTC's ramp (2022-24)"},

	// Domestic supply (docs/MODEL.md, "Model v2: domestic supply")
	{Key: "sme.alignment_mapping_exponent", Group: "Fabs", Unit: "1", Min: 0.1, Max: 10, Default: "0.5 to 2",
		Description: "k in effective alignment = alignment^k: how much of full alignment each rule's value stands for (the scenario values, 0.3 for the 2022 rules to 0.72 in 2025, are an ordinal ranking; k in its 90% range spreads 0.3 to 0.09-0.55 and 0.7 to 0.49-0.84)",
		Source:      "assumption, wide prior: no source maps the 2022-10, 2023, 2024 and 2025 equipment rules to a share of full alignment (each event note says so); 1 keeps the scenario values as given"},
	{Key: "sme.domestic_tool_substitutability", Group: "Fabs", Unit: "fraction", Min: 0, Max: 1, Default: `{dist = "uniform", min = 0.02, max = 0.3}`,
		Description: "λ: how much of a barred foreign tool set's capacity growth domestic tools can replace per unit of domestic tool share (lithography is the binding gap)",
		Source:      "assumption, wide prior; China's lithography self-sufficiency is near zero at 7nm-class (SMEE has no volume immersion scanner; CSIS 2024 'Mapping the semiconductor supply chain')"},
	{Key: "sme.servicing_attrition", Group: "Fabs", Unit: "1/yr", Min: 0, Max: 1, Default: "0.05 to 0.2",
		Description: "yearly loss of foreign-tooled advanced capacity under a full servicing and spares ban",
		Source:      "assumption (elicited, wide): docs/MODEL.md, \"Model v2: domestic supply\" prior ~5-20%/yr of the foreign-tool share; CSIS 2024 on servicing dependence of installed ASML/TEL/AMAT tools"},
	{Key: "fab.n5_throughput_penalty", Group: "Fabs", Unit: "fraction", Min: 0, Max: 0.9, Default: `{dist = "uniform", min = 0.15, max = 0.5}`,
		Description: "θ: share of wafer output lost when 7nm-class capacity makes 5nm-class (N+3) chips with DUV multipatterning (more exposures per layer)",
		Source:      "assumption, wide prior; SMIC N+3 is DUV-only with self-aligned quadruple patterning (SemiAnalysis 2024-25; TechInsights 2025-12 on the Kirin 9030)"},
	{Key: "fab.n5_yield_penalty", Group: "Fabs", Unit: "fraction", Min: 0, Max: 0.9, Default: `{dist = "uniform", min = 0.1, max = 0.5}`,
		Description: "φ: yield lost on DUV-only 5nm-class capacity relative to 7nm-class",
		Source:      "assumption, wide prior; overlay and defect limits of SAQP at 5nm-class pitches (SemiAnalysis 2024-25; CSIS 2025)"},
	{Key: "design.roadmap_delay_quarters", Group: "Fabs", Unit: "quarters", Min: 0, Max: 12, Default: `{dist = "uniform", min = 0, max = 4}`,
		Description: "how late each announced domestic generation (Ascend 950PR onwards) reaches volume after its announced quarter",
		Source:      "assumption; the 910C, expected late 2024, reached volume in 2025Q1 (Reuters 2024-08; SemiAnalysis 2025-09); the roadmap is Huawei Connect 2025-09-18"},
	{Key: "design.generation_ramp_years", Group: "Fabs", Unit: "years", Min: 0.25, Max: 5, Default: `{dist = "uniform", min = 0.5, max = 1.5}`,
		Description: "R: the ramp limit of a new domestic generation: at most (years since launch + 1 quarter)/R of the AI wafers; within it, fabs give wafers to the generation that makes the most H100e (per wafer, or per unit of scarce money or HBM)",
		Source:      "assumption; the 910C went from launch (2025Q1) to most of Huawei's output within about a year (SemiAnalysis 2025-09)"},
	{Key: "design.new_generation_yield_penalty", Group: "Fabs", Unit: "fraction", Min: 0, Max: 0.9, Default: `{dist = "uniform", min = 0.1, max = 0.5}`,
		Description: "π: yield lost at a new generation's launch (new die, new package), decaying with its maturity time",
		Source:      "assumption, wide prior; the 910C's yield near 0.2 at launch (Reuters 2024-11) against ~0.4 three months on (FT 2025-02)"},
	{Key: "design.new_generation_maturity_years", Group: "Fabs", Unit: "years", Min: 0.1, Max: 5, Default: `{dist = "uniform", min = 0.5, max = 1.5}`,
		Description: "e-folding time of a new generation's yield penalty",
		Source:      "assumption; same 910C yield reports (Reuters 2024-11; FT 2025-02)"},
	{Key: "hbm.stockpile_draw_share", Group: "Fabs", Unit: "fraction/quarter", Min: 0.01, Max: 1, Default: `{dist = "uniform", min = 0.1, max = 0.4}`,
		Description: "ρ: the most of the HBM stockpile drawn in a quarter once foreign HBM is barred (rationing to bridge to domestic HBM)",
		Source:      "assumption; ~13M stacks held entering 2025 (SemiAnalysis 2025-09) against 2025 use of ~5-6M (650-800k 910C at 8 stacks) implies ~10-12% a quarter"},
	{Key: "fab.die_stock_draw_share", Group: "Fabs", Unit: "fraction/quarter", Min: 0.01, Max: 1, Default: `{dist = "uniform", min = 0.15, max = 0.6}`,
		Description: "κ: the most of the dies carried in stock from earlier quarters that packaging takes in a quarter, on top of the quarter's new dies (packaging lines are sized for the flow)",
		Source:      "assumption, wide prior: no source gives spare advanced-packaging capacity in China; at κ = 1 a backlog is packaged at once"},
	{Key: "domestic.price_adjustment", Group: "Fabs", Unit: "fraction/quarter", Min: 0.01, Max: 1, Default: `{dist = "uniform", min = 0.1, max = 0.3}`,
		Description: "δ: domestic chips sell at no more than the price at which open import channels buy the same H100e (import parity); when channels close, the reference value of imports falls by at most this share a quarter, so domestic prices rise toward list by at most 1/(1 − δ) a quarter",
		Source:      "assumption, wide prior: no source reports how fast Chinese accelerator prices follow the import market; prices set per contract move over quarters, not overnight; at δ = 1 they jump to the new parity at once"},
	{Key: "hbm.huawei_start_year", Group: "Fabs", Unit: "year", Min: 2020, Max: 2040, Default: `{dist = "uniform", min = 2026, max = 2027.25}`,
		Description: "when Huawei's own HBM (HiBL 1.0, HiZQ 2.0) first ships in volume",
		Source:      "Huawei Connect 2025-09-18: HiBL 1.0 for the 950PR in 2026Q1, HiZQ 2.0 for the 950DT in 2026Q4; slip of up to a year an assumption"},
	{Key: "hbm.huawei_initial_stacks", Group: "Fabs", Unit: "stacks/quarter", Min: 0, Max: 1e8, Default: "1e5 to 1e6",
		Description: "Huawei's own HBM stacks started per quarter when it starts",
		Source:      "assumption, wide prior: no volumes disclosed; 1e6 stacks a quarter would package ~125k 950-class chips"},
	{Key: "hbm.domestic_stack_yield", Group: "Fabs", Unit: "fraction", Min: 0, Max: 1, Default: `{dist = "uniform", min = 0.3, max = 0.8}`,
		Description: "share of domestic HBM stacks started that pass (both CXMT's and Huawei's)",
		Source:      "assumption, wide prior; early HBM3/3E stack yields of 50-70% at the incumbents (TrendForce 2024), lower for new entrants"},

	// 4.4 Induced substitution
	{Key: "substitution.elasticity", Group: "Substitution", Unit: "1", Min: 0, Max: 5, Default: `{dist = "triangular", min = 0, mode = 0.6, max = 2}`,
		Description: "ε, extra domestic investment per unit of restriction pressure (0: controls induce nothing)",
		Source:      "Big Fund III RMB 344B (2024-05) and procurement pushes after each control round (Reuters; CSIS 2024); magnitude uncertain",
		Plain:       "How strongly China invests in its own chipmaking when it is cut off from foreign chips (0: not at all).",
		Label:       "Substitution elasticity ε", Classroom: 2, Slider: &sim.Slider{Min: 0, Max: 3, Step: 0.05}},
	{Key: "substitution.lag_quarters", Group: "Substitution", Unit: "quarters", Min: 1, Max: 20, Default: `{dist = "uniform", min = 2, max = 8}`,
		Description: "smoothing lag of restriction pressure",
		Source:      "docs/MODEL.md, \"Induced substitution\" (2-8 quarters between a control and the investment response)"},
	{Key: "substitution.state_money_effect", Group: "Substitution", Unit: "1 per $100B/yr", Min: 0, Max: 5, Default: "0.1 to 0.5",
		Description: "extra domestic investment multiplier per $100B/yr of extra state money",
		Source:      "Big Fund I-III sizes and their share of fab capex (CSIS 2024)"},
	{Key: "substitution.threshold_trigger", Group: "Substitution", Unit: "fraction", Min: 0, Max: 1, Default: `{dist = "uniform", min = 0.1, max = 0.4}`,
		Description: "threshold formulation (structure.substitution = 1): the restriction pressure that, exceeded four quarters in a row, sets off the jump in investment",
		Source:      "Assumption, wide: Big Fund III (RMB 344B) was set up on 2024-05-24, about a year after the 2022-10 and 2023-10 controls raised pressure (Reuters, Bloomberg 2024-05-27); median pressure in current-policy passes 0.1-0.3 in 2023, so the median run fires in 2024"},
	{Key: "substitution.threshold_jump", Group: "Substitution", Unit: "pressure", Min: 0, Max: 2, Default: `{dist = "uniform", min = 0.2, max = 1}`,
		Description: "threshold formulation: the jump in induced investment, ε × this (the linear response at a pressure of this value)",
		Source:      "Assumption, wide: from about the linear response at 2024's pressure (~0.3) to that at full pressure (1)"},

	// 4.5 Compute stock
	{Key: "stock.lifetime_years", Group: "Stock", Unit: "years", Min: 1, Max: 15, Default: `{dist = "uniform", min = 4, max = 6}`,
		Description: "service life of an accelerator",
		Source:      "Hyperscaler server depreciation schedules 4-6 years (Microsoft, Alphabet, Meta 10-Ks 2022-24)"},
	{Key: "stock.initial_h100e", Group: "Stock", Unit: "H100e", Min: 0, Max: 1e7, Default: "5e4 to 2.5e5",
		Description: "China's installed AI accelerators in 2020Q1, training basis",
		Source:      "V100/T4-class fleets of Chinese clouds 2019 (IDC China accelerated server shipments)"},

	// 4.6 Model efficiency
	{Key: "efficiency.halving_months", Group: "Efficiency", Unit: "months", Min: 1, Max: 60, Default: `{dist = "lognormal", mu = 2.0794, sigma = 0.263}`,
		Description: "months for compute needed at fixed capability to halve (global frontier)",
		Source:      "Ho et al. 2024, 'Algorithmic progress in language models' (Epoch AI): ~8 months, 95% CI 5-14 (median 8, sigma = ln(14/5)/3.92)",
		Plain:       "Months it takes for better software and methods to halve the computing power a given AI model needs: the smaller, the faster algorithms improve.",
		Label:       "Algorithmic progress", Classroom: 1, Slider: &sim.Slider{Min: 3, Max: 24, Step: 0.5}},
	{Key: "efficiency.diffusion_lag_months", Group: "Efficiency", Unit: "months", Min: 0, Max: 60, Default: "3 to 12",
		Description: "how far China's algorithms trail the frontier (with structure.diffusion = 1: until 2023, then the lag closes toward efficiency.lag_floor_months)",
		Source:      "Open-weight diffusion; DeepSeek-V3/R1 near frontier within months (Epoch AI 2025)"},
	{Key: "efficiency.scarcity_bonus", Group: "Efficiency", Unit: "1", Min: 0, Max: 5, Default: "0.1 to 1",
		Description: "σ, extra efficiency per unit of restriction pressure",
		Source:      "DeepSeek-V3: 2.788M H800-hours, ~3.3e24 FLOP for a frontier-class model (DeepSeek-V3 report, 2024-12)",
		Plain:       "How much faster Chinese labs improve their methods when chips are scarce (0: not at all).",
		Label:       "Scarcity bonus σ", Classroom: 4, Slider: &sim.Slider{Min: 0, Max: 2, Step: 0.05}},
	{Key: "efficiency.catchup_rate", Group: "Efficiency", Unit: "1/yr", Min: 0, Max: 5, Default: `{dist = "uniform", min = 0.1, max = 1}`,
		Description: "catch-up formulation (structure.diffusion = 1): yearly rate k at which China's diffusion lag closes toward its floor from 2023, whatever its compute",
		Source:      "Assumption, wide: Epoch AI (Epoch Capabilities Index, 2026-01) finds Chinese models 4-14 months behind the US since 2023 (7 on average) with no clear trend, so slow rates are as plausible as fast ones"},
	{Key: "efficiency.lag_floor_months", Group: "Efficiency", Unit: "months", Min: 0, Max: 24, Default: `{dist = "uniform", min = 2, max = 6}`,
		Description: "catch-up formulation: the shortest lag open weights and distillation allow (never above efficiency.diffusion_lag_months)",
		Source:      "Epoch AI (2026-01): the smallest US-China capability gap since 2023 was 4 months; DeepSeek-R1 (2025-01-20) matched o1-preview (2024-09-12) about 4 months later"},

	// 4.7 Frontier comparison
	{Key: "frontier.largest_cluster_share", Group: "Frontier", Unit: "fraction", Min: 0, Max: 1, Default: "0.0015 to 0.005",
		Description: "share of China's training-grade compute in its largest training run in 2024Q4, at the run's utilisation and length",
		Source:      "Anchored on the 2024 runs over the model's 2024Q4 training-grade stock (~0.75M H100e): DeepSeek-V3 3.3e24 FLOP on 2,048 H800 for ~2 months (DeepSeek-V3 report, 2024-12) and Qwen2.5-72B ~7.8e24 (Epoch AI) need ~1,150 and ~2,700 H100e over 90 days at MFU 0.375, 0.15-0.36% of it (docs/MODEL.md, \"Model v2: frontier\")"},
	{Key: "frontier.cluster_share_growth", Group: "Frontier", Unit: "×/yr", Min: 1, Max: 5, Default: `{dist = "uniform", min = 1, max = 1.5}`,
		Description: "yearly growth of the largest run's share of the training-grade stock after 2024Q4, up to frontier.max_cluster_share",
		Source:      "Epoch AI 2025-04 'Trends in AI supercomputers': leading cluster performance 2.5×/yr, installed Nvidia compute 2.3×/yr (Epoch AI): the largest cluster's share of the fleet grew ~1.1×/yr; up to 1.5 for a fleet still concentrating (docs/MODEL.md, \"Model v2: frontier\" prior 1-1.5)"},
	{Key: "frontier.cluster_share_backcast_growth", Group: "Frontier", Unit: "×/yr", Min: 1, Max: 10, Default: "1.8 to 3.2",
		Description: "yearly growth of the largest run's share of the training-grade stock before 2024Q4 (the share is back-cast from its 2024Q4 anchor at this rate)",
		Source:      "Top Chinese training compute ~3×/yr since late 2021 (Epoch AI 2025-01); Qwen-72B 1.3e24 (2023-11) to Qwen2.5-72B 7.8e24 (2024-09), DeepSeek LLM 67B 8e23 (2023-11) to V3 3.3e24 (2024-12), 6·N·D; over a training-grade stock growing ~1.2-1.5×/yr"},
	{Key: "frontier.max_cluster_share", Group: "Frontier", Unit: "fraction", Min: 0.001, Max: 1, Default: `{dist = "uniform", min = 0.02, max = 0.05}`,
		Description: "the largest share of China's training-grade compute one training run can use",
		Source:      "US firms' largest clusters are a few per cent of the US fleet: xAI Colossus 100k H100 (2024-09) and 200k (2025) against ~4.5-8M US H100e; Meta's Llama 3.1 405B on 16k of ~0.5M H100e (Epoch AI frontier AI supercomputers data, 2025)"},
	{Key: "frontier.inference_chip_weight", Group: "Frontier", Unit: "fraction", Min: 0, Max: 1, Default: `{dist = "uniform", min = 0, max = 0.3}`,
		Description: "weight of an inference-grade chip's training H100e (the H20: 0.15 training vs 1.19 inference H100e) in the stock a training run draws on",
		Source:      "Assumption, wide: the H20 was bought for inference (FT 2025; SemiAnalysis 2024); some firms trained on it; no source measures the share"},
	{Key: "frontier.cloud_run_share", Group: "Frontier", Unit: "fraction", Min: 0, Max: 1, Default: `{dist = "uniform", min = 0.1, max = 0.7}`,
		Description: "share of a quarter's rented overseas cloud compute (cloud_h100e) that China's largest run of that quarter can use",
		Source:      "Assumption, wide: rentals are dedicated training clusters leased by a few firms, Alibaba and ByteDance the most visible (Financial Times, 2025-11: Qwen and Doubao trained partly on leased Nvidia clusters in Singapore and Malaysia; Wall Street Journal, 2026-03: ByteDance to use ~36k B200 in ~500 NVL72 systems owned by Aolani Cloud in Malaysia, after renting H100 servers there from 2025-02), so one run can use a large part of a quarter's rentals, not the 2-5% of the installed fleet a run draws on (docs/MODEL.md, \"Model v2: frontier\")"},
	{Key: "frontier.utilisation", Group: "Frontier", Unit: "fraction", Min: 0, Max: 1, Default: `{dist = "uniform", min = 0.3, max = 0.45}`,
		Description: "model FLOP utilisation of a large training run",
		Source:      "Llama 3.1 405B MFU 38-43% (Meta 2024); DeepSeek-V3 report"},
	{Key: "frontier.run_days", Group: "Frontier", Unit: "days", Min: 1, Max: 365, Default: "60 to 120",
		Description: "length of a largest training run",
		Source:      "Epoch AI (2024) training-run durations of notable models: median ~80 days"},
	{Key: "us.frontier_2024q3_flop", Group: "Frontier", Unit: "FLOP", Min: 1e24, Max: 1e27, Default: "4e25 to 8e25",
		Description: "US largest training run in 2024Q3",
		Source:      "Epoch AI notable models: Gemini 1.0 Ultra ~5e25 FLOP (2023-12), Llama 3.1 405B 3.8e25 (2024-07), Grok 2 ~3e25 (2024-08)"},
	{Key: "us.compute_growth", Group: "Frontier", Unit: "×/yr", Min: 1, Max: 10, Default: "3.2 to 4.8",
		Description: "yearly growth factor of the US largest training run, to 2030",
		Source:      "Epoch AI (2024): frontier training compute grows 4-5×/yr",
		Plain:       "How many times larger the largest US training run grows each year until 2030.",
		Label:       "US frontier growth", Classroom: 5, Slider: &sim.Slider{Min: 1.5, Max: 6, Step: 0.1}},
	{Key: "us.compute_growth_late", Group: "Frontier", Unit: "×/yr", Min: 1, Max: 10, Default: "1.5 to 3",
		Description: "yearly growth factor of the US largest run after 2030 (power and capital limits)",
		Source:      "Epoch AI (2024) 'Can AI scaling continue through 2030?': ~2e29 FLOP feasible by 2030, constraints after"},
	{Key: "us.stock_2025_h100e", Group: "Frontier", Unit: "H100e", Min: 1e5, Max: 1e8, Default: "3.5e6 to 6.5e6",
		Description: "US installed AI compute at the end of 2024 (start of 2025), all vendors: Nvidia, Google TPU, AMD, AWS Trainium and others, in US firms' US data centres",
		Source:      "Nvidia ~4-5.5M H100e installed worldwide early 2025 (Epoch AI ~4M; data-centre revenue $15B FY2023, $47.5B FY2024, $115B FY2025 at ~$25-30k per H100e) times a US share of 0.6-0.75, plus Google TPUs over 1M H100e (Epoch AI 2024-10: Google over 1M H100e mostly TPUs, Microsoft ~500k Nvidia), AMD MI300 (~$5B in 2024, AMD, ~0.4M H100e) and Trainium, mostly in the US: ~3.6-5.8M (docs/MODEL.md, \"Model v2: frontier\")"},
	{Key: "us.stock_growth", Group: "Frontier", Unit: "×/yr", Min: 1, Max: 10, Default: "1.5 to 2.1",
		Description: "yearly growth factor of US installed compute (all vendors), to 2030",
		Source:      "Installed Nvidia stock grew ~2.3×/yr 2022-24 (Epoch AI) as data-centre revenue rose 3.2× and 2.4× (Nvidia FY2024, FY2025); slower from a larger base, bounded by tens of GW of US AI power by 2030 (Epoch AI 2024 'Can AI scaling continue through 2030?')"},
	{Key: "us.stock_growth_late", Group: "Frontier", Unit: "×/yr", Min: 1, Max: 10, Default: "1.2 to 1.8",
		Description: "yearly growth factor of US installed compute after 2030",
		Source:      "Slower build-out past 2030 under power limits (Epoch AI 2024; LBNL 2024 data-centre energy report)"},
	{Key: "us.mineral_drag", Group: "Frontier", Unit: "fraction", Min: 0, Max: 1, Default: `{dist = "uniform", min = 0, max = 0.15}`,
		Description: "reduction of the US largest run under full Chinese mineral counter-controls",
		Source:      "US import reliance on China for gallium/germanium (USGS 2024); effect on AI build-out uncertain and small"},

	// 9.6 Structural alternatives: switches drawn per run (rounded to the
	// nearest formulation; docs/MODEL.md, "Structural alternatives")
	{Key: "structure.substitution", Group: "Structure", Unit: "formulation", Min: 0, Max: 2, Levels: []string{"linear", "threshold", "none"}, Default: `{dist = "discrete", values = [0, 1, 2], weights = [0.6, 0.3, 0.1]}`,
		Description: "induced substitution: 0 linear elasticity (ε·R), 1 a threshold response (a jump after a year above a trigger), 2 none",
		Source:      "Assumption (docs/MODEL.md, \"Structural alternatives\"): most weight on the calibrated linear formulation; the weights are for a constrained ensemble to revise"},
	{Key: "structure.diffusion", Group: "Structure", Unit: "formulation", Min: 0, Max: 1, Levels: []string{"fixed-lag", "catch-up"}, Default: `{dist = "discrete", values = [0, 1], weights = [0.7, 0.3]}`,
		Description: "efficiency diffusion: 0 a fixed lag, 1 catch-up through open weights and distillation toward a floor",
		Source:      "Assumption (docs/MODEL.md, \"Model v2: frontier\", \"Structural alternatives\"): Epoch AI (2026-01) finds a steady ~7-month US-China gap since 2023, which favours the fixed lag"},
	{Key: "structure.yield_learning", Group: "Structure", Unit: "formulation", Min: 0, Max: 1, Levels: []string{"experience", "logistic"}, Default: `{dist = "discrete", values = [0, 1], weights = [0.7, 0.3]}`,
		Description: "yield learning: 0 an experience curve in cumulative wafers, 1 a logistic in time",
		Source:      "Assumption (docs/MODEL.md, \"Structural alternatives\"): most weight on the calibrated experience curve; both pass the 2024-25 yield observations"},
}

// Levers: named policy time series. Default is the "no policy" state.
var levers = []sim.Lever{
	{Key: "export.tpp_threshold", Group: "US chip rules", Unit: "TPP", Min: 0, Max: none, Default: none,
		Description: "chips with TPP at or above this (and interconnect at or above export.interconnect_gbs) need a licence; 1000000 means no threshold",
		Source:      "BIS rules of 2022-10-07 and 2023-10-17 (ECCN 3A090): TPP 4,800",
		Plain:       "US chips at least this powerful (total processing performance, TPP; an H100 scores about 16,000) need a US licence to be sold to China.",
		Label:       "Licence threshold", Phrase: "the chip-power limit above which a licence is needed", Slider: &sim.Slider{Min: 0, Max: 40000, Step: 100}, None: &sim.None{Value: none, Label: "no threshold"}},
	{Key: "export.interconnect_gbs", Group: "US chip rules", Unit: "GB/s", Min: 0, Max: none, Default: 0,
		Description: "the 2022 rule's I/O test: the TPP threshold applies only to chips with at least this interconnect bandwidth (0: no I/O test)",
		Source:      "BIS 2022-10-07: ≥600 GB/s; dropped 2023-10-17",
		Plain:       "The 2022 rule's second test: the licence threshold applied only to chips whose links to other chips were at least this fast.",
		Label:       "Interconnect test", Phrase: "the 2022 rule's interconnect test", Slider: &sim.Slider{Min: 0, Max: 1200, Step: 50, MinLabel: "no I/O test"}},
	{Key: "export.pd_threshold", Group: "US chip rules", Unit: "TPP/mm²", Min: 0, Max: none, Default: none,
		Description: "density rule: chips with performance density at or above this and TPP at or above export.pd_tpp_floor need a licence",
		Source:      "BIS 2023-10-17: PD ≥ 5.92 with TPP ≥ 1,600",
		Plain:       "A second limit on chip power per square millimetre of silicon, so that a chip cannot slip under the licence threshold by being cut down.",
		Label:       "Density rule", Phrase: "the performance-density limit", Slider: &sim.Slider{Min: 0, Max: 25, Step: 0.1}, None: &sim.None{Value: none, Label: "no density rule"}},
	{Key: "export.pd_tpp_floor", Group: "US chip rules", Unit: "TPP", Min: 0, Max: none, Default: 1600,
		Description: "the TPP floor of the density rule",
		Source:      "BIS 2023-10-17: TPP ≥ 1,600",
		Plain:       "Chips below this power are exempt from the density rule, whatever their density.",
		Label:       "Density rule's TPP floor", Phrase: "the chip-power floor of the density rule", Slider: &sim.Slider{Min: 0, Max: 10000, Step: 100}},
	{Key: "export.licence_approval", Group: "US chip rules", Unit: "fraction", Min: 0, Max: 1, Default: 0,
		Description: "share of licence-requiring demand that is approved",
		Source:      "BIS presumption of denial for China (2022-10-07, 2023-10-17)",
		Plain:       "Share of the chips that need a licence for which the US grants one anyway.",
		Label:       "Licences approved", Phrase: "the share of licence requests approved", Slider: &sim.Slider{Min: 0, Max: 1, Step: 0.05}},
	{Key: "export.exceptions", Group: "US chip rules", Unit: "chips", Kind: sim.LeverSet, Items: ForeignChipNames(),
		Description: "chips allowed regardless of the thresholds (H20 from 2025-08, H200 from 2025-12)",
		Source:      "US licences for H20 with 15% revenue share (Reuters 2025-08-11); H200 approval with 25% share (Reuters 2025-12-08)",
		Plain:       "Chips that may be sold to China whatever the limits say, usually against a fee.",
		Label:       "Chips allowed anyway", Phrase: "the list of chips allowed whatever the limits"},
	{Key: "export.named_licence", Group: "US chip rules", Unit: "chips", Kind: sim.LeverSet, Items: ForeignChipNames(),
		Description: "chips that need a licence whatever their specifications (is-informed letters)",
		Source:      "H20/MI308 licence requirement, April 2025 (Nvidia 8-K 2025-04-15: $5.5B charge, later $4.5B write-off)",
		Plain:       "Chips that need a licence by name, whatever their specifications.",
		Label:       "Chips needing a licence by name", Phrase: "the list of chips that need a licence by name"},
	{Key: "export.fee", Group: "US chip rules", Unit: "fraction", Min: 0, Max: 1, Default: 0,
		Description: "revenue share or fee on sales that need US permission (excepted chips and approved licences)",
		Source:      "15% on H20 (2025-08), 25% on H200 (2025-12) (Reuters)",
		Plain:       "Share of the price of each allowed sale paid to the US government.",
		Label:       "Fee on allowed sales", Phrase: "the US revenue share on allowed sales", Slider: &sim.Slider{Min: 0, Max: 1, Step: 0.05}},
	{Key: "export.china_volume_cap", Group: "US chip rules", Unit: "H100e/quarter", Min: 0, Max: noCap, Default: noCap,
		Description: "cap on licensed and excepted volume to China (1e9: none)",
		Source:      "BIS 2026-01: China volume ≤ 50% of US shipments; diffusion rule Tier-2 caps (~50k H100e per country 2025-27)",
		Plain:       "Most chips the US lets vendors sell to China each quarter, in H100-equivalents.",
		Label:       "China volume cap", Phrase: "the cap on licensed chip volume to China", Slider: &sim.Slider{Min: 0, Max: 2e6, Step: 1e4}, None: &sim.None{Value: noCap, Label: "no cap"}},
	{Key: "enforcement.leakage", Group: "Enforcement", Unit: "fraction", Min: 0, Max: 1, Default: 0.4,
		Description: "share of blocked demand smuggled in (scaled by enforcement.leakage_scale)",
		Source:      "CNAS 2025-06 smuggling estimates; DOJ smuggling cases 2024-25",
		Plain:       "Of the chips the rules turn away, the share that reaches China anyway through smugglers.",
		Label:       "Smuggling of blocked demand", Phrase: "the share of blocked demand smuggled in", Slider: &sim.Slider{Min: 0, Max: 1, Step: 0.01}},
	{Key: "enforcement.cloud_access", Group: "Enforcement", Unit: "fraction", Min: 0, Max: 1, Default: 0.05,
		Description: "share of blocked training demand served by overseas clouds",
		Source:      "Chinese firms renting Nvidia capacity abroad (Reuters 2023-08; FT 2024)",
		Plain:       "Of the training that the rules turn away, the share Chinese firms rent in data centres abroad.",
		Label:       "Training in overseas clouds", Phrase: "the share of blocked training rented in overseas clouds", Slider: &sim.Slider{Min: 0, Max: 1, Step: 0.01}},
	{Key: "enforcement.tier2_caps", Group: "Enforcement", Unit: "on/off", Kind: sim.LeverSwitch,
		Description: "AI Diffusion Framework Tier-2 caps in force (cut leakage)",
		Source:      "BIS AI Diffusion Framework 2025-01-13; rescinded 2025-05-13",
		Plain:       "Caps on chip sales to third countries that resell or pass chips to China (the 2025 diffusion rule): they make smuggling harder.",
		Label:       "Diffusion-rule Tier-2 caps", Phrase: "the AI Diffusion Framework's Tier-2 cap regime"},
	{Key: "foundry.due_diligence", Group: "Allied equipment controls", Unit: "on/off", Kind: sim.LeverSwitch,
		Description: "foundry due-diligence rule closes the channel of TSMC-made dies",
		Source:      "BIS foundry due-diligence rule 2025-01-15",
		Plain:       "Foreign foundries such as TSMC must check who designs the chips they make, which closes the route of Chinese chips made abroad.",
		Label:       "Foundry due-diligence rule", Phrase: "the foundry due-diligence rule"},
	{Key: "hbm.export_ban", Group: "Allied equipment controls", Unit: "on/off", Kind: sim.LeverSwitch,
		Description: "foreign HBM stops",
		Source:      "BIS 2024-12-02 HBM controls (leaked ~6 months early)",
		Plain:       "No foreign high-bandwidth memory (the memory stacked beside AI chips) may be sold to China.",
		Label:       "HBM export ban", Phrase: "the ban on HBM memory exports"},
	{Key: "sme.allied_alignment", Group: "Allied equipment controls", Unit: "fraction", Min: 0, Max: 1, Default: 0,
		Description: "how far US, Japanese and Dutch equipment controls are aligned and enforced (0: none, 1: full)",
		Source:      "BIS 2022-10-07 equipment rules; US-Japan-Netherlands deal 2023-01 (Japan from 2023-07, Dutch DUV 2023-09)",
		Plain:       "How far Japan and the Netherlands apply the same chip-making equipment rules as the US (0%: not at all, 100%: fully).",
		Label:       "Allied equipment alignment", Phrase: "allied equipment alignment", Slider: &sim.Slider{Min: 0, Max: 1, Step: 0.05}},
	{Key: "sme.servicing_ban", Group: "Allied equipment controls", Unit: "fraction", Min: 0, Max: 1, Default: 0,
		Description: "foreign tool servicing and spares barred (share of installed base)",
		Source:      "Proposed 2025 escalation: servicing bans by ASML and Tokyo Electron (Bloomberg 2025)",
		Plain:       "Share of China's installed chip-making tools that foreign makers may no longer service or supply spare parts for.",
		Label:       "Tool servicing ban", Phrase: "the ban on servicing chip-making tools", Slider: &sim.Slider{Min: 0, Max: 1, Step: 0.05}},
	{Key: "entity.smic_cutoff", Group: "Allied equipment controls", Unit: "on/off", Kind: sim.LeverSwitch,
		Description: "SMIC fully cut off",
		Source:      "Proposed 2025 escalation, not enacted: a full cut-off beyond the 2020 entity listing (BIS 85 FR 83416, 2020-12-22); FT 2025-05 (BIS draft listing SMIC subsidiaries)",
		Plain:       "SMIC, China's most advanced chipmaker, is cut off from all US technology, beyond its 2020 listing.",
		Label:       "SMIC cut off", Phrase: "the full cut-off of SMIC"},
	{Key: "entity.cxmt_listed", Group: "Allied equipment controls", Unit: "on/off", Kind: sim.LeverSwitch,
		Description: "CXMT entity-listed (slows domestic HBM)",
		Source:      "Proposed 2025 escalation (Bloomberg 2025-01)",
		Plain:       "CXMT, China's main memory maker, is put on the US entity list, which slows China's own high-bandwidth memory.",
		Label:       "CXMT entity-listed", Phrase: "the entity listing of CXMT"},
	{Key: "china.domestic_mandate", Group: "China's response", Unit: "fraction", Min: 0, Max: 0.99, Default: 0,
		Description: "share of accelerator procurement required to be domestic",
		Source:      "Reported >50% domestic-chip rule for new state-funded data centres (Reuters 2025-09/11)",
		Plain:       "China's own rule: the share of AI chips that buyers must buy from Chinese makers.",
		Label:       "Domestic-chip mandate", Phrase: "China's quota for domestic chips", Slider: &sim.Slider{Min: 0, Max: 0.99, Step: 0.01}},
	{Key: "china.import_block", Group: "China's response", Unit: "fraction", Min: 0, Max: 1, Default: 0,
		Description: "how far China discourages or blocks purchases of allowed US chips",
		Source:      "CAC tells firms to stop buying Nvidia's China chips (FT 2025-09-17); customs bars H200 (2026-01)",
		Plain:       "China's own rule: how far it tells firms not to buy the US chips they are allowed to buy.",
		Label:       "China blocks US chips", Phrase: "China's block on allowed US chips", Slider: &sim.Slider{Min: 0, Max: 1, Step: 0.05}},
	{Key: "china.mineral_controls", Group: "China's response", Unit: "fraction", Min: 0, Max: 1, Default: 0,
		Description: "counter-controls on gallium, germanium, antimony and rare earths (0: none, 1: full ban to the US)",
		Source:      "MOFCOM controls: Ga/Ge 2023-08, graphite 2023-12, antimony 2024-09, rare earths 2025-04, broad regime 2025-10 (paused 2025-10-30)",
		Plain:       "China's own answer: limits on exports of gallium, germanium, antimony and rare earths (0%: none, 100%: a full ban to the US).",
		Label:       "Mineral counter-controls", Phrase: "the reach of China's mineral counter-controls", Slider: &sim.Slider{Min: 0, Max: 1, Step: 0.05}},
	{Key: "china.state_investment", Group: "China's response", Unit: "USD/yr", Min: 0, Max: 1e12, Default: 0,
		Description: "extra state money for the chip industry",
		Source:      "Big Fund III RMB 344B ($47.5B) from 2024-05 (Reuters 2024-05-27)",
		Plain:       "Extra government money each year for China's chip industry.",
		Label:       "Extra state chip money", Phrase: "China's extra state money for chips", Slider: &sim.Slider{Min: 0, Max: 1e11, Step: 1e9}},
	{Key: "demand.capex_pledges", Group: "China's response", Unit: "USD/yr", Min: 0, Max: 1e12, Default: 0,
		Description: "extra AI capex pledged by Chinese firms (part goes to accelerators)",
		Source:      "Alibaba RMB 380B ($52.4B) over three years (Alibaba, 2025-02-24)",
		Plain:       "Extra money Chinese firms pledge to spend on AI each year; part of it buys AI chips.",
		Label:       "Firms' AI capex pledges", Phrase: "AI spending pledged by Chinese firms", Slider: &sim.Slider{Min: 0, Max: 1e11, Step: 1e9}},
}

// Outputs, in the order of docs/MODEL.md, "Parameters, levers and outputs".
var outputs = []sim.Output{
	{Key: "compute_stock_h100e", Unit: "H100e", Log: true, Description: "China's installed AI compute, training basis",
		Featured: sim.Headline | sim.RunCharts | sim.Report | sim.PageCharts, Label: "China's AI compute stock", Subtitle: "installed accelerators, H100-equivalents (training basis)",
		Phrase: "China's AI compute stock"},
	{Key: "inference_stock_h100e", Phrase: "China's AI compute for inference", Unit: "inference H100e", Log: true, Description: "China's installed AI compute, inference (memory-bandwidth) basis"},
	{Key: "domestic_output_h100e", Unit: "H100e/quarter", Log: true, Description: "domestic accelerators made per quarter, realised throughput",
		Featured: sim.Headline | sim.RunCharts | sim.PageCharts, Label: "Domestic chip output", Subtitle: "H100-equivalents made in China per quarter",
		Phrase: "China's domestic chip output"},
	{Key: "domestic_packages", Phrase: "domestic chip packages made a quarter", Unit: "packages/quarter", Log: true, Description: "domestic accelerator packages made per quarter"},
	{Key: "legal_imports_h100e", Phrase: "legal chip imports a quarter", Unit: "H100e/quarter", Description: "legally imported foreign accelerators per quarter"},
	{Key: "smuggled_h100e", Phrase: "smuggled chips a quarter", Unit: "H100e/quarter", Description: "smuggled foreign accelerators per quarter"},
	{Key: "fab_yield", Phrase: "the yield of China's AI chip fabs", Unit: "fraction", Description: "yield of domestic AI dies",
		Featured: sim.RunCharts},
	{Key: "advanced_wafer_capacity_wpm", Phrase: "China's advanced chip-making capacity", Unit: "wafers/month", Description: "China's advanced-node (7nm-class) wafer capacity"},
	{Key: "hbm_stock_stacks", Phrase: "China's stock of HBM memory", Unit: "stacks", Description: "HBM stacks held for domestic packaging"},
	{Key: "self_sufficiency", Unit: "fraction", Description: "domestic share of the last four quarters' compute additions (H100e)",
		Featured: sim.Headline | sim.RunCharts | sim.Report | sim.PageCharts, Label: "Self-sufficiency", Subtitle: "domestic share of the last four quarters' new compute",
		Phrase: "China's self-sufficiency"},
	{Key: "restriction_pressure", Phrase: "the pressure of the controls on China's chip buyers", Unit: "fraction", Description: "smoothed blocked share of China's foreign chip demand"},
	{Key: "algorithmic_efficiency", Phrase: "China's algorithmic efficiency", Unit: "× 2020Q1 frontier", Log: true, Description: "China's algorithmic efficiency relative to the frontier's in 2020Q1"},
	{Key: "largest_run_flop", Unit: "FLOP", Log: true, Description: "China's largest training run",
		Featured: sim.Headline | sim.Report, Phrase: "China's largest training run"},
	{Key: "us_largest_run_flop", Phrase: "the largest US training run", Unit: "FLOP", Log: true, Description: "the US largest training run: an exogenous path bounded by frontier.max_cluster_share of the US stock"},
	{Key: "us_compute_stock_h100e", Phrase: "the US AI compute stock", Unit: "H100e", Log: true, Description: "US installed AI compute from all vendors at the end of the quarter (exogenous reference)"},
	{Key: "compute_ratio_us_cn", Phrase: "the US lead in installed compute", Unit: "ratio", Log: true, Description: "US installed compute divided by China's, both at the end of the quarter"},
	{Key: "effective_compute_gap_oom", Phrase: "the gap in effective compute of the largest runs", Unit: "orders of magnitude", Description: "log10 of US over Chinese effective compute of the largest run"},
	{Key: "frontier_gap_months", Unit: "months", Description: "how many months of US frontier growth the Chinese largest run trails by",
		Featured: sim.Headline | sim.RunCharts | sim.Report | sim.PageCharts | sim.DebriefY, Label: "Frontier gap", Subtitle: "months China's largest training run trails the US frontier",
		Phrase: "the frontier gap"},
	{Key: "foregone_us_revenue_usd", Phrase: "US chip sales barred a quarter", Unit: "USD/quarter", Description: "US vendors' sales barred by US rules (blocked legal demand at the blocked chip's price, net of what is smuggled)",
		Featured: sim.PageCost | sim.ReportCost},
	// Model v2: domestic supply (docs/MODEL.md, "Model v2: domestic supply")
	{Key: "hbm_domestic_stacks", Phrase: "China's own HBM memory used a quarter", Unit: "stacks/quarter", Description: "domestic HBM stacks (CXMT and Huawei) used in packaging per quarter"},
	{Key: "hbm_drawn_stacks", Phrase: "HBM memory drawn from China's stockpile a quarter", Unit: "stacks/quarter", Description: "HBM stacks drawn from the stockpile per quarter"},
	{Key: "budget_usd", Phrase: "China's chip budget a quarter", Unit: "USD/quarter", Description: "China's accelerator budget for the quarter, B(t), pledges included"},
	{Key: "spend_domestic_usd", Phrase: "spending on domestic chips a quarter", Unit: "USD/quarter", Description: "money spent on domestic accelerators"},
	{Key: "spend_legal_usd", Phrase: "spending on legal chip imports a quarter", Unit: "USD/quarter", Description: "money spent on legally imported accelerators, export fees included"},
	{Key: "spend_smuggled_usd", Phrase: "spending on smuggled chips a quarter", Unit: "USD/quarter", Description: "money spent on smuggled accelerators, premium included"},
	{Key: "spend_cloud_usd", Phrase: "spending on overseas cloud a quarter", Unit: "USD/quarter", Description: "money spent renting overseas cloud compute for training"},
	{Key: "carry_usd", Phrase: "money carried to the next quarter", Unit: "USD/quarter", Description: "money carried to the next quarter (negative: a stockpile surge borrowed from it)"},
	{Key: "budget_released_usd", Phrase: "unspent chip budget released a quarter", Unit: "USD/quarter", Description: "unspent money that leaves accelerator budgets"},
	{Key: "cloud_h100e", Phrase: "overseas cloud compute rented", Unit: "H100e-quarters", Description: "overseas cloud compute rented for training this quarter, contracts still running and new (adds to the largest run, not to the stock)"},
	{Key: "fees_paid_usd", Phrase: "export fees paid to the US government a quarter", Unit: "USD/quarter", Description: "export fees and revenue shares paid to the US government",
		Featured: sim.ReportCost},
	{Key: "sales_refused_by_china_usd", Phrase: "US sales China refused a quarter", Unit: "USD/quarter", Description: "allowed foreign sales China's own import block and domestic-chip mandate turned away",
		Featured: sim.ReportCost},
	{Key: "stock_legal_h100e", Phrase: "China's compute bought legally abroad", Unit: "H100e", Description: "the part of China's installed compute bought legally abroad, training basis"},
	{Key: "stock_smuggled_h100e", Phrase: "China's smuggled compute", Unit: "H100e", Description: "the part of China's installed compute smuggled in, training basis"},
	{Key: "stock_domestic_h100e", Phrase: "China's home-made compute", Unit: "H100e", Description: "the part of China's installed compute made in China, training basis"},
	{Key: "domestic_induced_share", Phrase: "the share of domestic investment the controls induce", Unit: "fraction", Description: "share of the domestic investment multiplier M due to restriction pressure, ε·R/M: how much of domestic growth the controls induce"},
	{Key: "stock_domestic_induced_h100e", Phrase: "China's home-made compute the controls induced", Unit: "H100e", Description: "the part of stock_domestic_h100e credited to induced investment: each quarter's domestic output × domestic_induced_share, retired as the stock is (an indicator, not an exact attribution)"},
	{Key: "training_grade_stock_h100e", Phrase: "China's compute usable for training", Unit: "H100e", Log: true, Description: "China's installed compute a training run can draw on: training-grade chips plus inference-grade ones (the H20) at their weight, training basis"},
	{Key: "domestic_output_inference_h100e", Phrase: "domestic chip output for inference", Unit: "inference H100e/quarter", Log: true, Description: "domestic accelerators made per quarter, inference (memory-bandwidth) basis: fabs and packagers choose generations by w·training + (1 − w)·inference H100e, so a shift to an inference-oriented chip (the 950PR, 950DT) can lower domestic_output_h100e while raising this"},
	{Key: "state_investment_usd", Phrase: "state money for chipmaking a quarter", Unit: "USD/quarter", Description: "state money for domestic chipmaking in force this quarter (china.state_investment / 4): it raises domestic investment, not the accelerator budget, so it is not in the spend identity"},
	{Key: "valued_stock_h100e", Phrase: "China's compute on the basis its buyers value", Unit: "H100e", Log: true, Description: "each pool's purchases on the basis it buys on: the training pool's chips at training H100e, the inference pool's at inference H100e, domestic chips and the 2020 fleet at w·training + (1 − w)·inference; with the induced responses and the carry off and no binding volume cap, what a tightening of the legal market cannot raise (docs/MODEL.md, \"The sign property and the pool mix\")"},
	{Key: "stock_inference_pool_h100e", Label: "of it, bought by inference buyers",
		Subtitle: "a rule that bars the chip China's inference buyers chose can send them to a stronger one still allowed, which raises the stock", Phrase: "China's training compute bought for inference", Unit: "H100e", Log: true,
		Featured: sim.PageChanges, Description: "the part of compute_stock_h100e that the inference pool bought (legal and smuggled), training basis, retired as the stock is: through it a rule that bars the inference pool's chip can raise the training stock"},
}

// derived are outputs computed from the model's after the runs.
var derived = []sim.Output{
	{Key: "foregone_us_revenue_cumulative_usd", Unit: "USD", Featured: sim.PageCost | sim.DebriefX,
		Derived:     &sim.Derived{Of: "foregone_us_revenue_usd", Kind: sim.Cumulative},
		Description: "foregone US revenue summed from the request's from quarter (else the span's start) to each quarter"},
}

// groupOrder is the order of lever groups on every surface (docs/MODEL.md,
// "Parameters, levers and outputs"): rules first, then who enforces them, then
// China's answer.
var groupOrder = []string{"US chip rules", "Allied equipment controls", "Enforcement", "China's response"}

// actors says whose rules each lever group holds, for event labels on
// charts ("US: HBM ban", "China: domestic-chip rule"). The allied
// equipment controls are the US-led alignment; an event of the allies
// themselves names them in its label ("Japan, Dutch tool curbs"), which
// is then kept as written.
var actors = map[string]string{
	"US chip rules":             "US",
	"Allied equipment controls": "US",
	"Enforcement":               "US",
	"China's response":          "China",
}

// strong is each lever's strong setting for the lever table (`chokepoint
// levers`, docs/MODEL.md "Lever table"): a tightening for US and allied
// levers, China's strongest plausible step for its own. Where the base
// already holds the value at the table's start the table lifts the rule
// instead (Lift). Open: the other chip rules the row lifts in both runs so
// that a threshold decides alone (in current-policy every chip on sale
// from 2026 is caught by both the TPP and the density test, or excepted).
var strong = map[string]*sim.Strong{
	"export.tpp_threshold": {Value: 4800, Lift: none, Stronger: -1, Tightening: true, Says: "TPP 4,800 (the 2022 line)",
		Open: []sim.Setting{{Key: "export.pd_threshold", Value: none}, {Key: "export.exceptions", Value: 0}}},
	"export.interconnect_gbs": {Value: 0, Lift: none, Stronger: -1, Tightening: true, Says: "no I/O test: the TPP test applies to every chip",
		Open: []sim.Setting{{Key: "export.pd_threshold", Value: none}, {Key: "export.exceptions", Value: 0}}},
	"export.pd_threshold": {Value: 5.92, Lift: none, Stronger: -1, Tightening: true, Says: "density 5.92 (the 2023 line)",
		Open: []sim.Setting{{Key: "export.tpp_threshold", Value: none}, {Key: "export.exceptions", Value: 0}}},
	"export.pd_tpp_floor": {Value: 1600, Lift: none, Stronger: -1, Tightening: true, Says: "density rule's floor TPP 1,600",
		Open: []sim.Setting{{Key: "export.tpp_threshold", Value: none}, {Key: "export.exceptions", Value: 0}}},
	"export.licence_approval": {Value: 0, Lift: 1, Stronger: -1, Tightening: true, Says: "no licence approved"},
	"export.exceptions":       {Value: 0, Lift: allChips(), Tightening: true, Says: "no exceptions"},
	"export.named_licence": {Value: allChips(), Lift: 0, Tightening: true, Says: "every foreign chip named",
		Open: []sim.Setting{{Key: "export.tpp_threshold", Value: none}, {Key: "export.pd_threshold", Value: none}, {Key: "export.exceptions", Value: 0}}},
	"export.fee":               {Value: 0.5, Lift: 0, Stronger: 1, Tightening: true, Says: "50% fee"},
	"export.china_volume_cap":  {Value: 1e4, Lift: noCap, Stronger: -1, Tightening: true, Says: "cap 10k H100e a quarter"},
	"enforcement.leakage":      {Value: 0.1, Lift: 1, Stronger: -1, Tightening: true, Says: "leakage 0.1"},
	"enforcement.cloud_access": {Value: 0, Lift: 1, Stronger: -1, Tightening: true, Says: "no overseas cloud"},
	"enforcement.tier2_caps":   {Value: 1, Lift: 0, Stronger: 1, Tightening: true, Says: "Tier-2 caps on"},
	"foundry.due_diligence":    {Value: 1, Lift: 0, Stronger: 1, Tightening: true, Says: "foundry rule on", Dominated: hbmBinds},
	"hbm.export_ban":           {Value: 1, Lift: 0, Stronger: 1, Tightening: true, Says: "HBM ban on"},
	"sme.allied_alignment":     {Value: 1, Lift: 0, Stronger: 1, Tightening: true, Says: "full alignment"},
	"sme.servicing_ban":        {Value: 1, Lift: 0, Stronger: 1, Tightening: true, Says: "full servicing ban"},
	"entity.smic_cutoff":       {Value: 1, Lift: 0, Stronger: 1, Tightening: true, Says: "SMIC cut off"},
	"entity.cxmt_listed":       {Value: 1, Lift: 0, Stronger: 1, Tightening: true, Says: "CXMT listed"},
	"china.domestic_mandate":   {Value: 0.9, Lift: 0, Stronger: 1, Says: "90% domestic"},
	"china.import_block":       {Value: 1, Lift: 0, Stronger: 1, Says: "full block"},
	"china.mineral_controls":   {Value: 1, Lift: 0, Stronger: 1, Says: "full mineral ban"},
	"china.state_investment":   {Value: 1e11, Lift: 0, Stronger: 1, Says: "$100B/yr"},
	"demand.capex_pledges":     {Value: 1e11, Lift: 0, Stronger: 1, Says: "$100B/yr"},
}

// hbmBinds: under the HBM ban the fabs make more dies than the HBM left
// can package (production.go: the 910C, with the most H100e per stack until
// the 970, already gets more wafers than the stacks allow), so TSMC's dies
// add to a surplus and the die channel moves nothing; with the ban lifted
// dies bind again and the channel matters (docs/MODEL.md, "Lever table").
var hbmBinds = &sim.Dominated{While: "the HBM ban binds", Unbind: []sim.Setting{{Key: "hbm.export_ban", Value: 0}}}

// allChips is the value of a chip-set lever naming every foreign chip.
func allChips() float64 { return math.Exp2(float64(len(ForeignChipNames()))) - 1 }

// leverTable is what the lever table reports: four outputs (the gap as a
// change in months, the others relative) and the induced responses its
// second variant switches off: the response of domestic investment
// (substitution.elasticity) and of efficiency (efficiency.scarcity_bonus)
// to restriction pressure, the growth of the smuggling network and of
// overseas rental toward blocked demand (and, in the share-of-blocked-demand
// formulation of smuggling, the share smugglers offer: that formulation is
// wholly a response to blocked demand), and state money's effect on
// investment (state money is itself an answer to the controls).
var leverTable = &sim.LeverTable{
	Outputs: []sim.TableOutput{{Key: "compute_stock_h100e"}, {Key: "largest_run_flop"}, {Key: "domestic_output_h100e"}, {Key: "smuggled_h100e"},
		{Key: "frontier_gap_months", Absolute: true}},
	Induced: []string{"substitution.elasticity", "substitution.state_money_effect", "efficiency.scarcity_bonus",
		"smuggling.demand_response", "smuggling.blocked_demand_share", "cloud.demand_response"},
}

// channels splits a paired difference of the compute stock by channel
// (docs/MODEL.md, "Levers that act as their names say"): the three parts add up to
// it run by run, since the 2020 fleet, which belongs to no channel, is the same in
// both runs of a pair. What the inference pool bought (legal and smuggled) cuts
// across them: through it a rule that bars the inference pool's chip can raise
// the training stock (docs/MODEL.md, "The sign property and the pool mix").
var channels = &sim.Channels{
	Total:  "compute_stock_h100e",
	Parts:  []string{"stock_legal_h100e", "stock_smuggled_h100e", "stock_domestic_h100e"},
	Within: map[string]string{"stock_domestic_h100e": "stock_domestic_induced_h100e"},
	Across: []string{"stock_inference_pool_h100e"},
	Beside: []string{"cloud_h100e"},
}

// Registry is the model's parameter, lever and output registry.
var Registry = func() *sim.Registry {
	for i := range levers {
		levers[i].Strong = strong[levers[i].Key]
	}
	r := sim.NewRegistry(params, levers, append(outputs[:len(outputs):len(outputs)], derived...))
	r.GroupOrder = groupOrder
	r.Actors = actors
	r.LeverTable = leverTable
	r.Channels = channels
	return r
}()

// Milestone is a date at which a sourced mechanism of the model, not a
// policy event, turns the path of some outputs; charts of those outputs
// mark it, so that a reader sees why a line steps there (chokepoint chart
// --events takes its id like an event's).
type Milestone struct {
	ID     string
	Period sim.Period
	// Label is a few plain words for the chart, whose step it is first
	// ("China: ...").
	Label string
	// Outputs are the outputs whose path it turns.
	Outputs []string
	// Note says what happens, Source where it comes from.
	Note, Source string
}

// milestones are the model's milestones, in date order.
var milestones = []Milestone{
	{
		// docs/MODEL.md, "The die bank under the TSMC halt": the dies banked
		// from 2023Q3 are drawn for the 910C from bankDrawStart (2025Q1), on
		// top of SMIC's own output: from 2024Q4 to 2025Q1 the median of
		// domestic_output_h100e rises ×4 in current-policy and ×13 in
		// no-controls (compare, 2,000 runs, seed 7).
		ID:     "die-bank-910c",
		Period: sim.NewPeriod(int(bankDrawStart), 1+int(math.Round((bankDrawStart-math.Floor(bankDrawStart))*4))),
		Label:  "China: 910C built from banked TSMC dies",
		Outputs: []string{"domestic_output_h100e", "domestic_output_inference_h100e", "domestic_packages",
			"spend_domestic_usd", "stock_domestic_h100e", "self_sufficiency"},
		Note: "Huawei starts drawing its bank of TSMC-made dies (ordered through Sophgo before TSMC's halt of 2024-11) " +
			"for the Ascend 910C, a share 1/diebank.draw_quarters of what is left each quarter",
		Source: "910C volume in 2025 relied largely on TSMC dies (SemiAnalysis 2025-09); CSIS 2025 (~2M dies); Reuters 2024-11-08 (TSMC halt)",
	},
}

// Milestones returns the model's milestones, in date order.
func (China) Milestones() []Milestone { return milestones }
