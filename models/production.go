package models

import "math"

// Domestic production (docs/MODEL.md, "Domestic production", as revised by
// "Model v2: domestic supply").
//
// Tool access, from 0 to 1, with the rule-to-alignment mapping uncertain
// (exponent k):
//
//	a = clamp(1 − αA·alignment^k − αS·servicing − αC·smic_cutoff, 0, 1)
//	a_eff = a + (1 − a)·d·λ        d: domestic tool share, λ: how much of a
//	                               barred tool set domestic tools replace
//	d(t+1) = d + r_d·M·(1 − d)·dt
//
// Advanced wafer capacity W = W_f + W_d (foreign- and domestic-tooled)
// grows logistically at a rate scaled by access and investment, and loses
// foreign-tooled capacity at the attrition rate α_s while servicing and
// spares are barred:
//
//	a₀   = clamp(1 − αA·alignment^k − αC·smic_cutoff, 0, 1)
//	a_f  = a₀·(1 − servicing)  (a servicing ban bars installing new tools
//	                           too; αS·servicing is not counted again)
//	a_w  = a_f + (1 − a_f)·d·λ
//	ΔW   = g_W·a_w·M·W·max(0, 1 − W/W_max)·dt,  a share a_f/a_w of it foreign-tooled
//	W_f(t+1) = W_f + ΔW·a_f/a_w − α_s·servicing·W_f·dt
//	W_d(t+1) = W_d + ΔW·(1 − a_f/a_w)
//
// A share f = min(f_max, f_base·M) of it makes AI chips. Yield follows a
// learning curve in cumulative AI wafers Q, slowed and capped lower by a
// servicing ban s:
//
//	Q(t+1) = Q + wafers·(1 − c_L·s)
//	Y = Y_max·(1 − c_Y·s) / (1 + (Q_half/Q)^b)
//
// The AI wafers go to the domestic generations whose dies make the most
// H100e (per wafer, or per unit of money or HBM when those bind), each
// generation at most (age + dt)/R of them from its launch (announced
// launches slipping by the run's delay); a generation on DUV-only
// 5nm-class capacity gets (1 − θ) of the wafers and (1 − φ) of the yield,
// and a new generation's yield is lowered by π·e^(−age/τ). Good dies go to
// each generation's inventory; the die bank's TSMC dies go to the 910C's,
// drawn from 2025Q1 at 1/N of what is left a quarter. The quarter's fresh
// dies and a share κ of the dies in stock allow dies / dies per package ×
// packaging yield packages per generation; those made give the most H100e
// within the budget and the HBM available (allocate.go).
// HBM: imported as needed before a ban (plus a stockpile surge while a ban
// is announced); after it, domestic stacks (CXMT and Huawei's own, each
// logistic from its start year, times a stack yield; the CXMT listing slows
// CXMT's ramp) and a rationed draw on the stockpile, at most ρ of what is
// left each quarter. A die's throughput factor is (1 − software penalty),
// times, for the last catalogued generation, a design growth of g_D·a_eff·M
// per year, both of the quarter the die was made: a package's H100e is the
// catalogue's times its dies' factor (fresh dies at this quarter's, dies
// from stock at the stock's average).

// maxPerfPerDie caps a domestic die's throughput at 20 H100s: roughly the
// dense throughput NVIDIA's 2027-28 roadmap parts reach per die (Rubin
// Ultra), beyond which the compounding of extreme growth draws would mean
// nothing physical.
const maxPerfPerDie = 20

var (
	ascend910B = chipNamed("Ascend 910B")
	ascend910C = chipNamed("Ascend 910C")
	// The Sophgo channel can deliver dies from bankFillStart (2023Q3; CSIS 2025)
	// for as long as foundry due diligence is off (docs/MODEL.md, "Levers that act
	// as their names say": no hard-coded end); bankFillEnd only bounds the
	// calibration window, and bankDrawStart when Huawei began using them, for the
	// 910C (SemiAnalysis 2025-09). The channel really delivered for
	// bankOpenQuarters quarters, 2023Q3-2024Q3, until TSMC's halt of 2024-11
	// (Reuters 2024-11-08); diebank.dies is what it delivered then, so the bank
	// fills at diebank.dies/bankOpenQuarters a quarter.
	bankFillStart    = 2023.5
	bankFillEnd      = 2025.0
	bankDrawStart    = 2025.0
	bankOpenQuarters = 5.0
)

// access returns tool access a and effective access a_eff for the quarter.
func (s *state) access(q *quarter) (a, aEff float64) {
	a = clamp01(s.rulesAccess(q) - s.p.servImpact*q.lever(leverIdx.servicing))
	return a, a + (1-a)*s.toolShare*s.p.toolSubst
}

// rulesAccess is tool access before servicing: a₀ = 1 − αA·alignment^k −
// αC·smic_cutoff, unclamped.
func (s *state) rulesAccess(q *quarter) float64 {
	pp := s.p
	// alignment^k is asked twice a quarter and the lever moves a few times
	// a run: the last power is kept (math.Pow was 7% of a run).
	if x := q.lever(leverIdx.alignment); x != s.alignX || pp.alignExp != s.alignK || !s.alignOK {
		s.alignX, s.alignK, s.alignPow, s.alignOK = x, pp.alignExp, math.Pow(x, pp.alignExp), true
	}
	return 1 - pp.alignImpact*s.alignPow - pp.smicImpact*q.lever(leverIdx.smicCutoff)
}

func (r *runner) production(s *state, q *quarter, budget float64) {
	pp := s.p
	M := s.invest
	serv := q.lever(leverIdx.servicing)
	_, accessEff := s.access(q)

	// Wafers this quarter, at the capacity in place at its start.
	aiShare := fmin(pp.aiShareMax, pp.aiShareBase*M)
	wafers := s.capacity * aiShare * 3
	s.learnedWafers += wafers * clamp01(1-pp.servLearnCut*serv)
	ceiling := pp.yieldCeiling * clamp01(1-pp.servCeilCut*serv)
	if s.learnedWafers > 0 {
		s.yield = ceiling / (1 + math.Pow(pp.yieldHalf/s.learnedWafers, pp.learningExp))
	} else {
		s.yield = 0
	}
	s.yieldInTime(q, ceiling, serv) // structure.yield_learning
	s.domesticHBMRamp(q)
	s.dieBank(q)
	s.makeDies(q, wafers, budget)
	s.designStep(q, accessEff)
	r.packageGenerations(s, q, budget)
	s.domesticPerformance()

	// Capacity and tool share for the next quarter.
	s.capacityStep(clamp01(s.rulesAccess(q)), serv)
	s.toolShare += pp.toolGrowth * M * (1 - s.toolShare) * dt
	s.toolShare = clamp01(s.toolShare)
}

// capacityStep grows capacity with access and removes foreign-tooled
// capacity under a servicing ban. A servicing ban also covers installing
// and qualifying new foreign tools: only (1 − servicing) of the access a₀
// the rules leave can add foreign-tooled capacity. a₀ excludes αS·servicing,
// so that servicing cuts additions once, not twice.
func (s *state) capacityStep(access0, serv float64) {
	pp := s.p
	foreign := access0 * clamp01(1-serv)
	accessEff := foreign + (1-foreign)*s.toolShare*pp.toolSubst
	// Additions stop at the ceiling; a draw whose 2020 capacity starts
	// above it keeps that capacity (tools are not scrapped for a ceiling),
	// so access never speeds a fall.
	add := pp.capGrowth * accessEff * s.invest * s.capacity * fmax(0, 1-s.capacity/pp.capCeiling) * dt
	foreignShare := 0.0
	if accessEff > 0 {
		foreignShare = foreign / accessEff
	}
	s.capForeign += add*foreignShare - pp.attrition*serv*s.capForeign*dt
	s.capDomestic += add * (1 - foreignShare)
	s.capForeign = fmax(s.capForeign, 0)
	s.capDomestic = fmax(s.capDomestic, 0)
	s.capacity = s.capForeign + s.capDomestic
}

// rampCap is the largest share of the quarter's AI wafers generation g can
// take: r_g = clamp((t − L_g + dt)/R, 0, 1) from its launch L_g (the ramp
// of its design, masks and packaging line); the first generation has none.
func (s *state) rampCap(q *quarter, g int) float64 {
	if g == 0 {
		return 1
	}
	age := q.year - s.launch[g]
	if age < -1e-9 {
		return 0
	}
	return clamp01((age + dt) / fmax(s.p.genRamp, dt))
}

// goodDiesPerWafer is generation g's good dies per AI wafer allotted to it
// this quarter: gross dies × yield, less the new-generation yield penalty
// and, on DUV-only 5nm-class capacity, the multipatterning penalties.
func (s *state) goodDiesPerWafer(q *quarter, g int) float64 {
	pp := s.p
	d := pp.diesPerWafer * s.yield
	if roadmap[g].fiveNm {
		d *= (1 - pp.n5Throughput) * (1 - pp.n5Yield)
	}
	if pp.genMaturity > 0 {
		d *= 1 - pp.genYieldPenalty*math.Exp(-fmax(0, q.year-s.launch[g])/pp.genMaturity)
	}
	return d
}

// makeDies splits the quarter's AI wafers among the generations and adds
// their good dies to this quarter's fresh dies. The fabs give wafers to the
// generations whose dies make the most training H100e, within each one's
// ramp cap and the scarce resource the dies will be packaged with (a
// linear programme of the same form as packaging's, allocate.go, over
// shares of the wafers, with the resource's limits in turn): before an HBM
// ban, the money (budget and carry) buyers have; under a ban, the HBM
// flow: domestic stacks, then the rationed draw on the stockpile. Wafers
// left when the limits bind go to the most H100e per unit of that resource
// (their dies wait for it). Generations are listed newest first, so that a
// tie (the 950PR and 950DT share a die) goes to the newer one.
func (s *state) makeDies(q *quarter, wafers, money float64) {
	// Only launched generations can take wafers; launches keep the
	// roadmap's order (one delay for every announced date), so they are
	// its first n.
	n := 1
	for n < len(roadmap) && s.rampCap(q, n) > 0 {
		n++
	}
	a := allocProblem{n: n, budget: 1}
	ban := q.lever(leverIdx.hbmBan) != 0
	var dies, use [maxGen]float64 // good dies per share of the wafers; stacks or dollars per share
	for k := 0; k < n; k++ {
		g := n - 1 - k
		dies[g] = wafers * s.goodDiesPerWafer(q, g)
		pk := dies[g] / roadmap[g].Dies * s.p.packagingYield
		a.h[k], a.p[k], a.c[k] = pk*s.genValue(g, s.genFactor(g)), 1, s.rampCap(q, g)
		use[k] = pk * s.domesticPrice(g, s.genFactor(g))
		if ban {
			use[k] = pk * roadmap[g].HBMStacks
		}
	}
	a.s = use
	limits := [2]float64{money, math.Inf(1)}
	if ban {
		limits = [2]float64{(s.hbmCXMT + s.hbmHuawei) * s.p.hbmStackYield, s.p.hbmDraw * s.hbmStock}
	}
	s.share = [maxGen]float64{}
	var x [maxGen]float64
	rank := &a.p // what the wafers left go by: per wafer unless a limit binds
	for _, h := range limits {
		if math.IsInf(h, 1) {
			break
		}
		a.stack = fmax(0, h)
		a.solve(&x)
		s.takeWafers(&a, &x)
		rank = &a.s
	}
	a.greedyBy(&x, rank, &a.p, a.budget)
	s.takeWafers(&a, &x)
	for g := range n {
		s.fresh[g] += s.share[g] * dies[g]
	}
}

// takeWafers adds the shares x (newest first) to the generations' shares
// and takes them from the wafers and ramp caps left.
func (s *state) takeWafers(a *allocProblem, x *[maxGen]float64) {
	for k := 0; k < a.n; k++ {
		s.share[a.n-1-k] += x[k]
		a.budget -= x[k]
		a.c[k] = fmax(0, a.c[k]-x[k])
	}
	a.budget = fmax(0, a.budget)
}

// dieBank fills the bank of TSMC-made dies and draws it for the 910C: from
// 2025Q1 a rationed share 1/N of what is left each quarter (N =
// diebank.draw_quarters), so the bank tapers instead of ending.
func (s *state) dieBank(q *quarter) {
	pp := s.p
	// The channel stays open until the foundry due-diligence rule closes it
	// (docs/MODEL.md, "Levers that act as their names say": no hard-coded end
	// date); dies that arrive once drawing has begun are used as they come, on top
	// of the draw.
	inflow := 0.0
	if q.year >= bankFillStart && q.lever(leverIdx.dueDiligence) == 0 {
		inflow = pp.bankDies / bankOpenQuarters
	}
	if q.year < bankDrawStart {
		s.bank += inflow
		return
	}
	d := inflow + s.bank/fmax(1, pp.bankQuarters)
	s.bank -= d - inflow
	s.fresh[genIdx910C] += d
}

// packageGenerations packages the dies in stock: the packages that buy the
// most H100e within the budget and the HBM available (allocate.go). A die
// keeps the throughput factor of the quarter it was made, so each
// generation is two columns of the programme: its fresh dies at this
// quarter's factor, and the share κ of its stock that packaging may draw,
// at the stock's average factor (packColumns).
func (r *runner) packageGenerations(s *state, q *quarter, budget float64) {
	a := allocProblem{budget: fmax(0, budget), stack: math.Inf(1)}
	var col [maxGen]int // column k packages generation col[k]; stocked dies if odd
	var now [maxGen]float64
	s.packColumns(&a, &col, &now)
	// What the budget alone would buy sets the HBM packaging asks for.
	var x [maxGen]float64
	a.greedy(&x, &a.p, a.budget)
	need := 0.0
	for k := 0; k < a.n; k++ {
		need += x[k] * a.s[k]
	}
	if avail := s.hbmSupply(q, need); need > 0 && avail < need {
		a.stack = fmax(0, avail)
		a.solve(&x)
	}
	s.takeDies(&a, &col, &now, &x)
}

// packColumns writes the packaging programme's columns: for each
// generation g with dies, its fresh dies at the quarter's factor f_g and
// a share κ of its stock I_g at the stock's average factor V_g/I_g (V_g the
// sum of the factors of its dies, each die's that of the quarter it was
// made). The stock's average is taken as f_g when within float noise of it,
// so that the two columns are one (allocate.go's twins) when the factor
// has not moved.
func (s *state) packColumns(a *allocProblem, col *[maxGen]int, now *[maxGen]float64) {
	py := s.p.packagingYield
	for g, gen := range roadmap {
		now[g] = s.genFactor(g)
		old := now[g]
		if s.inv[g] > 0 {
			old = s.invValue[g] / s.inv[g]
		}
		// relative 1e-9: float noise of the stock's sums
		if math.Abs(old-now[g]) <= 1e-9*now[g] {
			old = now[g]
		}
		for i, c := range [2]float64{s.fresh[g], s.p.dieStockDraw * s.inv[g]} {
			if c <= 0 {
				continue
			}
			f := now[g]
			if i == 1 {
				f = old
			}
			k := a.n
			a.h[k], a.p[k], a.s[k], a.c[k] = s.genValue(g, f), s.domesticPrice(g, f), gen.HBMStacks, c/gen.Dies*py
			a.f[k] = f
			col[k] = 2*g + i
			a.n++
		}
	}
}

// takeDies records the quarter's packages x (columns as packColumns wrote
// them) by generation, with their average factor, and carries the dies
// left, and their factors, to the next quarter:
//
//	I_g ← (I_g − u_g^stock + fresh_g − u_g^fresh)·(1 − dt/L)
//	V_g ← (V_g − u_g^stock·V_g/I_g + (fresh_g − u_g^fresh)·f_g)·(1 − dt/L)
//
// u the dies the packages used; dies age in stock as the fleet does, so
// that a die packaged later never counts for more than one packaged now.
func (s *state) takeDies(a *allocProblem, col *[maxGen]int, now *[maxGen]float64, x *[maxGen]float64) {
	pp := s.p
	var value [maxGen]float64
	s.genPackages = [maxGen]float64{}
	s.domSpendUSD, s.domListUSD = 0, 0
	for k := 0; k < a.n; k++ {
		g := col[k] / 2
		s.genPackages[g] += x[k]
		s.domSpendUSD += x[k] * a.p[k]
		s.domListUSD += x[k] * roadmap[g].PriceUSD
		value[g] += x[k] * a.f[k]
		used := 0.0
		if pp.packagingYield > 0 {
			used = x[k] * roadmap[g].Dies / pp.packagingYield
		}
		f := a.f[k]
		if col[k]%2 == 0 {
			// fresh dies: those not packaged join the stock
			left := fmax(0, s.fresh[g]-used)
			s.inv[g] += left
			s.invValue[g] += left * f
		} else {
			s.inv[g] = fmax(0, s.inv[g]-used)
			s.invValue[g] = fmax(0, s.invValue[g]-used*f)
		}
	}
	s.packages = 0
	for g := range roadmap {
		s.packages += s.genPackages[g]
		s.packFactor[g] = now[g]
		if s.genPackages[g] > 0 {
			s.packFactor[g] = value[g] / s.genPackages[g]
		}
		if s.inv[g] == 0 {
			s.invValue[g] = 0
		}
		s.inv[g] *= 1 - dt/pp.lifetime
		s.invValue[g] *= 1 - dt/pp.lifetime
		s.fresh[g] = 0
	}
}

// hbmSupply returns the HBM stacks packaging may use this quarter against
// a need, updating the stockpile and the domestic ramps.
func (s *state) hbmSupply(q *quarter, need float64) float64 {
	pp := s.p
	made := (s.hbmCXMT + s.hbmHuawei) * pp.hbmStackYield
	// Domestic HBM is made to order: no more than packaging can use.
	s.hbmDomUsed = fmin(made, need)
	s.hbmDrawn = 0
	if q.lever(leverIdx.hbmBan) == 0 {
		// Without a ban, imports cover the rest; while a ban is announced,
		// buyers stockpile on top of that.
		if q.pending(leverIdx.hbmBan) != 0 {
			s.hbmStock += pp.hbmImport * pp.hbmSurge
		}
		return need
	}
	// Under a ban, the stockpile is rationed: at most ρ of it a quarter.
	s.hbmDrawn = fmin(pp.hbmDraw*s.hbmStock, need-s.hbmDomUsed)
	s.hbmStock -= s.hbmDrawn
	return s.hbmDomUsed + s.hbmDrawn
}

// domesticHBMRamp steps CXMT's and Huawei's HBM output (stacks started per
// quarter), each logistic from its start year toward a shared ceiling.
func (s *state) domesticHBMRamp(q *quarter) {
	pp := s.p
	total := s.hbmCXMT + s.hbmHuawei
	room := 1 - total/pp.hbmDomCeiling
	g := pp.hbmDomGrowth * s.invest * dt
	if room < 0 {
		// Above the ceiling (Huawei's start overshot it), fall back to it,
		// never below: a larger step would crash the ramp under it.
		g = fmin(g, pp.hbmDomCeiling/total)
	}
	if q.year >= pp.hbmDomStart {
		if s.hbmCXMT == 0 {
			s.hbmCXMT = fmin(pp.hbmDomInitial, pp.hbmDomCeiling)
		} else {
			// The listing slows CXMT's growth, not its fall back under
			// the ceiling when Huawei's start overshoots it.
			slow := 1.0
			if room > 0 {
				slow = clamp01(1 - pp.cxmtCut*q.lever(leverIdx.cxmtListed))
			}
			s.hbmCXMT += g * slow * s.hbmCXMT * room
		}
	}
	if q.year >= pp.hbmHwStart {
		if s.hbmHuawei == 0 {
			s.hbmHuawei = fmin(pp.hbmHwInitial, pp.hbmDomCeiling)
		} else {
			s.hbmHuawei += g * s.hbmHuawei * room
		}
	}
	s.hbmCXMT, s.hbmHuawei = fmax(0, s.hbmCXMT), fmax(0, s.hbmHuawei)
}

// designStep advances the quarter's software penalty and, after the last
// catalogued generation's launch, its design growth.
func (s *state) designStep(q *quarter, accessEff float64) {
	pp := s.p
	last := len(roadmap) - 1
	if q.year >= s.launch[last] {
		s.postGrowth *= 1 + pp.dieGrowth*accessEff*s.invest*dt
	}
	// The software penalty decays as e^(−years since the 910B/τ), stepped
	// per quarter.
	y910B := ascend910B.Available.Decimal()
	if s.swPenalty == 0 {
		s.swPenalty = pp.swPenalty * math.Exp(-fmax(0, q.year-y910B)/pp.swYears)
		s.swStep = math.Exp(-dt / pp.swYears)
	} else if q.year > y910B {
		s.swPenalty *= s.swStep
	}
}

// genFactor is the share of generation g's catalogue throughput realised
// this quarter: (1 − software penalty), times the design growth for the
// last generation.
func (s *state) genFactor(g int) float64 {
	f := 1 - s.swPenalty
	if last := len(roadmap) - 1; g == last {
		gen := roadmap[g]
		f *= fmin(s.postGrowth, maxPerfPerDie*gen.Dies/gen.TrainingH100e())
	}
	return f
}

// domesticPrice is what buyers pay for a package of generation g whose
// dies realise the factor f: its list price P_g, but no more than the
// price at which the open foreign channels buy the same value, weighted as
// the buyers' pools weigh the two bases (openMarket):
//
//	p_g = min(P_g, f·(w·h_g^T/v̄_T + (1 − w)·h_g^I/v̄_I))   (P_g when no channel is open)
//
// Buyers who can import an H100e for 1/v̄_b dollars do not pay more for
// one made at home (the law of one price across channels). So a domestic
// chip not made frees no more money than buys back, at training weight 1,
// its training H100e abroad, and at 0 its inference H100e: a supply-side
// tightening cannot raise China's stock, on the basis buyers value, by
// moving money to better-value imports (docs/MODEL.md, "Levers that act as their names say").
func (s *state) domesticPrice(g int, f float64) float64 {
	gen := roadmap[g]
	vT, vI := s.openValue[0], s.openValue[1]
	if vT <= 0 || vI <= 0 {
		return gen.PriceUSD
	}
	w := s.p.trainingWeight
	return fmin(gen.PriceUSD, f*(w*gen.TrainingH100e()/vT+(1-w)*gen.InferenceH100e()/vI))
}

// genH100e is one package of generation g in training H100e this quarter.
func (s *state) genH100e(g int) float64 { return roadmap[g].TrainingH100e() * s.genFactor(g) }

// genValue is one package of generation g whose dies realise the factor f,
// valued as the buyers' pools value chips: training H100e at the training
// weight w, inference H100e at 1 − w (what fabs and packagers maximise).
func (s *state) genValue(g int, f float64) float64 {
	w := s.p.trainingWeight
	return f * (w*roadmap[g].TrainingH100e() + (1-w)*roadmap[g].InferenceH100e())
}

// domesticPerformance turns packages into H100e on both bases, each at
// the average fabrication factor of its dies.
func (s *state) domesticPerformance() {
	s.domH100e, s.domInf, s.domIG = 0, 0, 0
	for g, gen := range roadmap {
		f := s.packFactor[g]
		s.domH100e += s.genPackages[g] * gen.TrainingH100e() * f
		s.domIG += s.genPackages[g] * gen.TrainingH100e() * f * b2f(inferenceGrade(gen.Chip))
		s.domInf += s.genPackages[g] * gen.InferenceH100e() * f
	}
}

// genIdx910C is the 910C's place in the roadmap (the die bank's dies).
var genIdx910C = func() int {
	for g := range roadmap {
		if roadmap[g].Chip == ascend910C {
			return g
		}
	}
	panic("models: no 910C in the roadmap")
}()

// clamp01 is min(1, max(0, x)): NaN stays NaN, −0 gives +0. On
// WebAssembly it is written as branches (clamp01Branches), which inline
// there where fmin(1, fmax(0, x)) did not.
func clamp01(x float64) float64 {
	if wasmMinMax {
		return clamp01Branches(x)
	}
	return min(1, max(0, x))
}

func clamp01Branches(x float64) float64 {
	if x > 0 {
		if x < 1 {
			return x
		}
		return 1
	}
	if x != x {
		return x
	}
	return 0
}
