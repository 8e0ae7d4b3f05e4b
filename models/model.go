package models

import (
	"fmt"
	"math"

	"github.com/chokepoint-sim/chokepoint/sim"
)

// dt is the length of a step in years (one quarter).
const dt = 0.25

// China is the reference model. Its zero value is ready to use.
type China struct{}

// Registry implements sim.Model.
func (China) Registry() *sim.Registry { return Registry }

// NewRunner implements sim.Model.
func (China) NewRunner(span sim.Span) sim.Runner { return newRunner(span) }

// p holds one run's parameters by name, filled from the registry-ordered
// vector through pointers resolved once per runner, so the step loop reads
// plain fields.
type p struct {
	budget2020, budgetGrowth, growthDecay, trainingWeight, pledgeShare, priceDecline      float64
	stockpileSurge, leakageScale, smugglePremium, tier2Cut                                float64
	cap2020, capGrowth, capCeiling, aiShareBase, aiShareMax, diesPerWafer                 float64
	yieldCeiling, yieldHalf, learningExp, initialWafers, packagingYield                   float64
	bankDies, bankQuarters                                                                float64
	alignImpact, servImpact, servLearnCut, servCeilCut, smicImpact                        float64
	toolShare2020, toolGrowth, dieGrowth, swPenalty, swYears                              float64
	hbmImport, hbmSurge, hbmDomStart, hbmDomInitial, hbmDomGrowth, hbmDomCeiling, cxmtCut float64
	elasticity, lagQuarters, stateEffect                                                  float64
	lifetime, initialStock                                                                float64
	halvingMonths, diffusionLag, scarcityBonus                                            float64
	clusterShare, clusterGrowth, utilisation, runDays, usFrontier, usGrowth, usGrowthLate float64
	usStock2025, usStockGrowth, usStockGrowthLate, mineralDrag                            float64
	// domestic supply, docs/MODEL.md, "Model v2: domestic supply"
	alignExp, toolSubst, attrition, n5Throughput, n5Yield                               float64
	roadmapDelay, genRamp, genYieldPenalty, genMaturity                                 float64
	hbmDraw, hbmHwStart, hbmHwInitial, hbmStackYield, dieStockDraw, priceAdjust         float64
	releaseShare, stateShare, smugCap2024, smugGrowth, smugResponse, smugLag, smugSlope float64
	cloudRent, cloudResponse, cloudContract                                             float64

	smugCeiling, smugChinaReach, smugStructure, smugDemandShare float64
	// frontier, docs/MODEL.md, "Model v2: frontier"
	clusterBackGrowth, maxClusterShare, inferenceWeight, cloudRunShare float64
	// structural alternatives, docs/MODEL.md, "Structural alternatives"
	structSubst, thresholdTrigger, thresholdJump, structDiffusion, catchUpRate, lagFloor float64
	structYield, yieldMidpoint, yieldSlope                                               float64
}

func (q *p) fields() map[string]*float64 {
	return map[string]*float64{
		"demand.budget_2020_usd": &q.budget2020, "demand.budget_growth": &q.budgetGrowth, "demand.growth_decay_years": &q.growthDecay,
		"demand.training_weight": &q.trainingWeight, "demand.pledge_accelerator_share": &q.pledgeShare,
		"foreign.price_decline": &q.priceDecline, "imports.stockpile_surge": &q.stockpileSurge,
		"enforcement.leakage_scale": &q.leakageScale, "enforcement.smuggling_premium": &q.smugglePremium, "enforcement.tier2_leakage_cut": &q.tier2Cut,
		"fab.capacity_2020_wpm": &q.cap2020, "fab.capacity_growth": &q.capGrowth,
		"fab.capacity_ceiling_wpm": &q.capCeiling, "fab.ai_share_base": &q.aiShareBase,
		"fab.ai_share_max": &q.aiShareMax, "fab.dies_per_wafer": &q.diesPerWafer,
		"fab.yield_ceiling": &q.yieldCeiling, "fab.yield_half_wafers": &q.yieldHalf,
		"fab.learning_exponent": &q.learningExp, "fab.initial_ai_wafers": &q.initialWafers,
		"fab.packaging_yield": &q.packagingYield, "diebank.dies": &q.bankDies,
		"diebank.draw_quarters": &q.bankQuarters, "sme.alignment_impact": &q.alignImpact,
		"sme.servicing_impact": &q.servImpact, "sme.servicing_learning_cut": &q.servLearnCut,
		"sme.servicing_ceiling_cut": &q.servCeilCut, "entity.smic_cutoff_impact": &q.smicImpact,
		"sme.domestic_tool_share_2020": &q.toolShare2020, "sme.domestic_tool_growth": &q.toolGrowth,
		"design.perf_per_die_growth": &q.dieGrowth, "design.software_penalty": &q.swPenalty,
		"design.software_maturity_years": &q.swYears, "hbm.import_stacks_per_quarter": &q.hbmImport,
		"hbm.stockpile_surge": &q.hbmSurge, "hbm.domestic_start_year": &q.hbmDomStart,
		"hbm.domestic_initial_stacks": &q.hbmDomInitial, "hbm.domestic_growth": &q.hbmDomGrowth,
		"hbm.cxmt_listing_cut": &q.cxmtCut, "hbm.domestic_ceiling_stacks": &q.hbmDomCeiling, "substitution.elasticity": &q.elasticity,
		"substitution.lag_quarters": &q.lagQuarters, "substitution.state_money_effect": &q.stateEffect,
		"stock.lifetime_years": &q.lifetime, "stock.initial_h100e": &q.initialStock,
		"efficiency.halving_months": &q.halvingMonths, "efficiency.diffusion_lag_months": &q.diffusionLag,
		"efficiency.scarcity_bonus": &q.scarcityBonus, "frontier.largest_cluster_share": &q.clusterShare, "frontier.cluster_share_growth": &q.clusterGrowth,
		"frontier.utilisation": &q.utilisation, "frontier.run_days": &q.runDays,
		"us.frontier_2024q3_flop": &q.usFrontier, "us.compute_growth": &q.usGrowth,
		"us.compute_growth_late": &q.usGrowthLate, "us.stock_2025_h100e": &q.usStock2025,
		"us.stock_growth": &q.usStockGrowth, "us.stock_growth_late": &q.usStockGrowthLate,
		"us.mineral_drag": &q.mineralDrag,
		// domestic supply, docs/MODEL.md, "Model v2: domestic supply"
		"sme.alignment_mapping_exponent": &q.alignExp, "sme.domestic_tool_substitutability": &q.toolSubst,
		"sme.servicing_attrition": &q.attrition, "fab.n5_throughput_penalty": &q.n5Throughput,
		"fab.n5_yield_penalty": &q.n5Yield, "design.roadmap_delay_quarters": &q.roadmapDelay,
		"design.generation_ramp_years": &q.genRamp, "design.new_generation_yield_penalty": &q.genYieldPenalty,
		"design.new_generation_maturity_years": &q.genMaturity, "hbm.stockpile_draw_share": &q.hbmDraw,
		"hbm.huawei_start_year": &q.hbmHwStart, "hbm.huawei_initial_stacks": &q.hbmHwInitial,
		"hbm.domestic_stack_yield": &q.hbmStackYield, "fab.die_stock_draw_share": &q.dieStockDraw,
		"domestic.price_adjustment": &q.priceAdjust,
		"budget.release_share":      &q.releaseShare, "china.state_directed_share": &q.stateShare,
		"smuggling.capacity_2024_chips": &q.smugCap2024, "smuggling.capacity_growth": &q.smugGrowth,
		"smuggling.demand_response": &q.smugResponse, "smuggling.lag_quarters": &q.smugLag,
		"smuggling.premium_slope": &q.smugSlope, "cloud.rent_usd_per_h100_hour": &q.cloudRent, "cloud.contract_quarters": &q.cloudContract,
		"cloud.demand_response": &q.cloudResponse,

		// smuggling's size and formulation, docs/MODEL.md, "One budget, allocated
		// across channels, conserved" and "Structural alternatives"
		"smuggling.capacity_ceiling": &q.smugCeiling, "smuggling.china_customs_reach": &q.smugChinaReach,
		"structure.smuggling": &q.smugStructure, "smuggling.blocked_demand_share": &q.smugDemandShare,
		// frontier, docs/MODEL.md, "Model v2: frontier"
		"frontier.cluster_share_backcast_growth": &q.clusterBackGrowth, "frontier.max_cluster_share": &q.maxClusterShare,
		"frontier.inference_chip_weight": &q.inferenceWeight, "frontier.cloud_run_share": &q.cloudRunShare,
		// structural alternatives, docs/MODEL.md, "Structural alternatives"
		"structure.substitution": &q.structSubst, "substitution.threshold_trigger": &q.thresholdTrigger,
		"substitution.threshold_jump": &q.thresholdJump, "structure.diffusion": &q.structDiffusion,
		"efficiency.catchup_rate": &q.catchUpRate, "efficiency.lag_floor_months": &q.lagFloor,
		"structure.yield_learning": &q.structYield, "fab.yield_midpoint_year": &q.yieldMidpoint,
		"fab.yield_slope": &q.yieldSlope,
	}
}

// lv holds the registry index of each lever the equations read.
type lv struct {
	tpp, io, pd, pdFloor, approval, exceptions, named, fee, volumeCap   int
	leakage, cloud, tier2, dueDiligence, hbmBan, alignment, servicing   int
	smicCutoff, cxmtListed, mandate, importBlock, minerals, stateInvest int
	pledges                                                             int
}

var leverIdx = func() lv {
	at := func(k string) int {
		i, ok := Registry.LeverIndex(k)
		if !ok {
			panic("models: no lever " + k)
		}
		return i
	}
	return lv{
		tpp: at("export.tpp_threshold"), io: at("export.interconnect_gbs"), pd: at("export.pd_threshold"),
		pdFloor: at("export.pd_tpp_floor"), approval: at("export.licence_approval"),
		exceptions: at("export.exceptions"), named: at("export.named_licence"), fee: at("export.fee"),
		volumeCap: at("export.china_volume_cap"), leakage: at("enforcement.leakage"),
		cloud: at("enforcement.cloud_access"), tier2: at("enforcement.tier2_caps"),
		dueDiligence: at("foundry.due_diligence"), hbmBan: at("hbm.export_ban"),
		alignment: at("sme.allied_alignment"), servicing: at("sme.servicing_ban"),
		smicCutoff: at("entity.smic_cutoff"), cxmtListed: at("entity.cxmt_listed"),
		mandate: at("china.domestic_mandate"), importBlock: at("china.import_block"),
		minerals: at("china.mineral_controls"), stateInvest: at("china.state_investment"),
		pledges: at("demand.capex_pledges"),
	}
}()

// Output indices, in registry order.
const (
	oComputeStock = iota
	oInferenceStock
	oDomesticOutput
	oDomesticPackages
	oLegalImports
	oSmuggled
	oFabYield
	oWaferCapacity
	oHBMStock
	oSelfSufficiency
	oRestriction
	oAlgoEfficiency
	oLargestRun
	oUSLargestRun
	oUSStock
	oComputeRatio
	oGapOOM
	oGapMonths
	oForegoneRevenue
	oHBMDomestic
	oHBMDrawn
	oBudget
	oSpendDomestic
	oSpendLegal
	oSpendSmuggled
	oSpendCloud
	oCarry
	oReleased
	oCloud
	oFees
	oRefusedByChina
	oStockLegal
	oStockSmuggled
	oStockDomestic
	oInducedShare
	oStockDomInduced
	oTrainingGradeStock
	oDomesticOutputInf
	oStateInvestment
	oValuedStock
	oStockInfPool
	nOutputs
)

func init() {
	if len(outputs) != nOutputs {
		panic(fmt.Sprintf("models: %d outputs declared, %d indexed", len(outputs), nOutputs))
	}
}

// runner is one worker's model state; every buffer is allocated once.
type runner struct {
	span     sim.Span
	ptrs     []*float64 // registry order → field of p
	p        p
	foreign  []foreignChip
	lastRule rule        // the export rule of the previous quarter
	cands    []candidate // scratch of buyCapped
	// per-quarter constants
	decimal []float64
	usEff   []float64 // buffer for state.usEff, reused run after run
}

func newRunner(span sim.Span) *runner {
	r := &runner{span: span}
	f := r.p.fields()
	for _, prm := range Registry.Params {
		ptr, ok := f[prm.Key]
		if !ok {
			panic("models: parameter " + prm.Key + " is not read by the model")
		}
		r.ptrs = append(r.ptrs, ptr)
	}
	if len(f) != len(Registry.Params) {
		panic("models: the model reads a parameter the registry lacks")
	}
	bit := 0
	for i := range Catalogue {
		c := &Catalogue[i]
		if c.Domestic {
			continue
		}
		r.foreign = append(r.foreign, foreignChip{Chip: c, bit: uint64(1) << bit,
			h: [2]float64{c.TrainingH100e(), c.InferenceH100e()}, infGrade: inferenceGrade(c)})
		bit++
	}
	for _, per := range span.Periods() {
		r.decimal = append(r.decimal, per.Decimal())
	}
	r.usEff = make([]float64, 0, len(r.decimal))
	return r
}

// Run implements sim.Runner.
func (r *runner) Run(in *sim.RunInput, out []float64) {
	for i, v := range in.Params {
		*r.ptrs[i] = v
	}
	T := r.span.Len()
	var s state
	s.init(&r.p, r.decimal[0])
	s.usEff = r.usEff[:0]
	for i := range r.foreign {
		r.foreign[i].price = 0
		r.foreign[i].onSale = false
		r.foreign[i].status = unavailable
	}
	for t := 0; t < T; t++ {
		q := quarter{t: t, year: r.decimal[t], lev: in.Levers, pend: in.Pending}
		r.step(&s, &q)
		o := func(k int, v float64) { out[k*T+t] = v }
		o(oComputeStock, s.stock)
		o(oInferenceStock, s.stockInf)
		o(oDomesticOutput, s.domH100e)
		o(oDomesticPackages, s.packages)
		o(oLegalImports, s.legalH100e)
		o(oSmuggled, s.smuggledH100e)
		o(oFabYield, s.yield)
		o(oWaferCapacity, s.capacity)
		o(oHBMStock, s.hbmStock)
		o(oSelfSufficiency, s.selfSufficiency)
		o(oRestriction, s.pressure)
		o(oAlgoEfficiency, s.effCN)
		o(oLargestRun, s.runCN)
		o(oUSLargestRun, s.runUSOut)
		o(oUSStock, s.usStock)
		o(oComputeRatio, s.usStock/s.stock)
		o(oGapOOM, s.gapOOM)
		o(oGapMonths, s.gapMonths)
		o(oForegoneRevenue, s.foregone)
		o(oHBMDomestic, s.hbmDomUsed)
		o(oHBMDrawn, s.hbmDrawn)
		o(oBudget, s.budgetQ)
		o(oSpendDomestic, s.domSpendUSD)
		o(oSpendLegal, s.spendLegal)
		o(oSpendSmuggled, s.spendSmuggled)
		o(oSpendCloud, s.spendCloud)
		o(oCarry, s.carry)
		o(oReleased, s.released)
		o(oCloud, s.cloudH100e)
		o(oFees, s.fees)
		o(oRefusedByChina, s.refusedByChina)
		o(oStockLegal, s.stockLegal)
		o(oStockSmuggled, s.stockSmuggled)
		o(oStockDomestic, s.stockDomestic)
		o(oInducedShare, s.inducedShare)
		o(oStockDomInduced, s.stockDomInduced)
		o(oTrainingGradeStock, s.trainingGradeStock())
		o(oDomesticOutputInf, s.domInf)
		o(oStateInvestment, q.lever(leverIdx.stateInvest)*dt)
		o(oValuedStock, s.stockValued)
		o(oStockInfPool, s.stockInfPool)
	}
}

// quarter is what one step may read of the levers.
type quarter struct {
	t    int
	year float64 // decimal year at the start of the quarter
	lev  [][]float64
	pend [][]float64
}

func (q *quarter) lever(i int) float64 { return q.lev[i][q.t] }

// pending returns the lever value an announced event will bring, or the
// current value when none is pending.
func (q *quarter) pending(i int) float64 {
	if v := q.pend[i][q.t]; !math.IsNaN(v) {
		return v
	}
	return q.lev[i][q.t]
}

// state is the model's stocks and this quarter's flows.
type state struct {
	p *p
	// rulesAccess's last alignment^k: alignPow = alignX^alignK when alignOK
	alignX, alignK, alignPow float64
	alignOK                  bool
	// substitution
	pressure, invest float64
	// demand
	budgetUSD              float64 // per year
	growthRate, growthStep float64
	// per-run step factors
	priceStep float64
	frontierSteps
	// fabs
	capacity, toolShare, learnedWafers, yield, bank    float64
	capForeign, capDomestic, postGrowth                float64
	swPenalty, swStep                                  float64
	hbmStock, hbmCXMT, hbmHuawei, hbmDomUsed, hbmDrawn float64
	// openValue is the reference value of imports, H100e per dollar
	// (training, inference basis), that caps domestic prices (openMarket).
	openValue [2]float64
	// cloudBook holds the cloud contracts signed 1, 2, … quarters ago
	// that may still run (rentCloud); at most 12 quarters long.
	cloudBook                               [11]float64
	packages, domH100e, domInf, domSpendUSD float64
	// domListUSD is the domestic packages at list price: the share of
	// demand domestic supply meets, for restriction pressure, whatever
	// import parity makes buyers pay (foreignBudget).
	domListUSD                             float64
	launch, share, inv, fresh, genPackages [maxGen]float64
	// the die stock's value: the sum of its dies' fabrication factors;
	// and the factor of the quarter's packages (production.go)
	invValue, packFactor [maxGen]float64
	// imports
	legalH100e, legalInf, smuggledH100e, smuggledInf, cloudH100e, blockedShare, foregone float64
	// money (docs/MODEL.md, "One budget, allocated across channels, conserved"):
	// the quarter's budget, carry to the next quarter, and each channel's spend
	budgetQ, carry, released, spendLegal, spendSmuggled, spendCloud, fees, refusedByChina float64
	smugCapacity, smugBase, smugBaseStep                                                  float64
	smugCeil                                                                              float64
	inducedShare                                                                          float64
	// stock
	stock, stockInf, stockDomestic, stockLegal, stockSmuggled float64
	stockDomInduced                                           float64 // the part of stockDomestic credited to induced investment
	// inference-grade chips (docs/MODEL.md, "Model v2: frontier"): their stock and this quarter's
	// additions, training basis
	stockIG, legalIG, smuggledIG, domIG float64
	// each pool's purchases on its own basis (valued) and the inference
	// pool's on the training basis (infPool): this quarter's and their stocks
	valuedAdd, infPoolAdd, stockValued, stockInfPool float64
	additions, domAdditions                          [4]float64
	selfSufficiency                                  float64
	// efficiency and frontier
	effFrontier, effCN, runCN, runUS, runUSOut, usStock, gapOOM, gapMonths float64
	usEff                                                                  []float64 // log10 of US effective compute, quarter by quarter so far (lagMonths)
	// structural alternatives, docs/MODEL.md, "Structural alternatives"
	structural
}

func (s *state) init(q *p, year0 float64) {
	s.p = q
	s.capacity = q.cap2020
	s.toolShare = q.toolShare2020
	s.learnedWafers = q.initialWafers
	// Installed capacity in 2020 is foreign-tooled but for the domestic share.
	s.capForeign = q.cap2020 * (1 - q.toolShare2020)
	s.capDomestic = q.cap2020 * q.toolShare2020
	s.postGrowth = 1
	for g, gen := range roadmap {
		s.launch[g] = gen.Available.Decimal()
		if gen.slips {
			s.launch[g] += q.roadmapDelay * dt
		}
	}
	s.stock = q.initialStock
	// The 2020 fleet is taken as V100-class, which sets its inference basis.
	v100 := chipNamed("V100")
	s.stockInf = q.initialStock * v100.InferenceH100e() / v100.TrainingH100e()
	s.stockValued = q.trainingWeight*s.stock + (1-q.trainingWeight)*s.stockInf
	s.invest = 1
	s.budgetUSD = q.budget2020
	s.priceStep = math.Pow(1-q.priceDecline, dt)
	s.initSmuggling(year0)
	s.initFrontier(year0)
}

func (r *runner) step(s *state, q *quarter) {
	s.substitution(q)
	s.budgetQ = s.demand(q)
	// Money at hand: the quarter's budget plus what the last quarter
	// carried (negative after a stockpile surge borrowed from it).
	money := s.budgetQ + s.carry
	r.openMarket(s, q)
	r.production(s, q, fmax(0, money))
	r.imports(s, q, money)
	s.pressureUpdate()
	s.accumulate(q)
	s.efficiency(q)
	s.frontier(q)
}
