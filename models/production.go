package models

import "math"

// Domestic production, MODEL.md 4.3.
//
// Tool access, from 0 to 1:
//
//	a = clamp(1 − αA·alignment − αS·servicing − αC·smic_cutoff, 0, 1)
//	a_eff = a + (1 − a)·d          d: domestic tool share
//	d(t+1) = d + r_d·M·(1 − d)·dt
//
// Advanced wafer capacity grows logistically, at a rate scaled by access and
// investment:
//
//	W(t+1) = W + g_W·a_eff·M·W·(1 − W/W_max)·dt
//
// A share f = min(f_max, f_base·M) of it makes AI chips (Beijing's "Huawei
// first"). Yield follows a learning curve in cumulative AI wafers Q, slowed
// and capped lower by a servicing ban s:
//
//	Q(t+1) = Q + wafers·(1 − c_L·s)
//	Y = Y_max·(1 − c_Y·s) / (1 + (Q_half/Q)^b)
//
// Good dies = AI wafers × gross dies per wafer × Y, plus the die bank of
// TSMC-made dies (filled from 2023Q3 to 2024Q4 at diebank.dies/5 a quarter
// while foundry due diligence is off, drawn from 2025Q1 for the 910C). Packages = dies / dies per package × packaging
// yield, capped by HBM stacks / stacks per package once the 910B generation
// needs HBM, and by what the budget can buy. Before a ban HBM is imported
// as packaging needs it, plus a stockpile of (ordinary purchases × surge)
// each quarter while the ban is announced but not yet effective; none comes
// in after it. From its start year domestic output that grows logistically at r_H·M·(1 − cut·cxmt_listed)
// per year toward a ceiling, made only as packaging needs it.
// Per-die performance grows at g_D·a_eff·M per year from the 910B's launch
// and never falls below the current flagship's datasheet value; realised
// throughput is peak × (1 − penalty·e^(−years since 910B/τ)).

// maxPerfPerDie caps a domestic die's throughput at 20 H100s: roughly the
// dense throughput NVIDIA's 2027-28 roadmap parts reach per die (Rubin
// Ultra), beyond which the compounding of extreme growth draws would mean
// nothing physical.
const maxPerfPerDie = 20

var (
	ascend910B = chipNamed("Ascend 910B")
	// bankFill is the window in which the Sophgo channel can deliver dies
	// (from 2023Q3; CSIS 2025) while foundry due diligence is off, and
	// bankDrawStart when Huawei began using them, for the 910C
	// (SemiAnalysis 2025-09). The channel really delivered for
	// bankOpenQuarters quarters, 2023Q3-2024Q3, until TSMC's halt of
	// 2024-11 (Reuters 2024-11-08); diebank.dies is what it delivered then,
	// so the bank fills at diebank.dies/bankOpenQuarters a quarter.
	bankFillStart    = 2023.5
	bankFillEnd      = 2025.0
	bankDrawStart    = 2025.0
	bankOpenQuarters = 5.0
)

func (r *runner) production(s *state, q *quarter, budget float64) {
	pp := s.p
	M := s.invest
	align := q.lever(leverIdx.alignment)
	serv := q.lever(leverIdx.servicing)
	smic := q.lever(leverIdx.smicCutoff)
	access := clamp01(1 - pp.alignImpact*align - pp.servImpact*serv - pp.smicImpact*smic)
	accessEff := access + (1-access)*s.toolShare

	// Wafers this quarter, at the capacity in place at its start.
	aiShare := min(pp.aiShareMax, pp.aiShareBase*M)
	wafers := s.capacity * aiShare * 3
	s.learnedWafers += wafers * clamp01(1-pp.servLearnCut*serv)
	ceiling := pp.yieldCeiling * clamp01(1-pp.servCeilCut*serv)
	if s.learnedWafers > 0 {
		s.yield = ceiling / (1 + math.Pow(pp.yieldHalf/s.learnedWafers, pp.learningExp))
	} else {
		s.yield = 0
	}
	dies := wafers * pp.diesPerWafer * s.yield

	// The die bank.
	if q.year >= bankFillStart && q.year < bankFillEnd && q.lever(leverIdx.dueDiligence) == 0 {
		s.bank += pp.bankDies / bankOpenQuarters
	}
	if q.year >= bankDrawStart {
		d := min(s.bank, pp.bankDies/pp.bankQuarters)
		s.bank -= d
		dies += d
	}
	s.dieInventory += dies

	// Packages, capped by HBM once the flagship needs imported stacks.
	flag := r.flagship(q)
	// Everything made is bought, up to the whole budget.
	maxPackages := min(s.dieInventory/flag.Dies*pp.packagingYield, budget/flag.PriceUSD)
	if q.year >= ascend910B.Available.Decimal() {
		// Without a ban, HBM is bought as packaging needs it; while a ban
		// is announced, buyers stockpile on top of that.
		if q.lever(leverIdx.hbmBan) == 0 {
			s.hbmStock += max(0, maxPackages*flag.HBMStacks-s.hbmStock)
			if q.pending(leverIdx.hbmBan) != 0 {
				s.hbmStock += pp.hbmImport * pp.hbmSurge
			}
		}
		if q.year >= pp.hbmDomStart {
			if s.hbmDomestic == 0 {
				s.hbmDomestic = min(pp.hbmDomInitial, pp.hbmDomCeiling)
			} else {
				listed := q.lever(leverIdx.cxmtListed)
				g := pp.hbmDomGrowth * M * clamp01(1-pp.cxmtCut*listed)
				s.hbmDomestic += g * s.hbmDomestic * (1 - s.hbmDomestic/pp.hbmDomCeiling) * dt
			}
			// Domestic HBM is made to order: no more than packaging can use.
			need := maxPackages*flag.HBMStacks - s.hbmStock
			s.hbmStock += max(0, min(s.hbmDomestic, need))
		}
		maxPackages = min(maxPackages, s.hbmStock/flag.HBMStacks)
		s.hbmStock = max(0, s.hbmStock-maxPackages*flag.HBMStacks)
	}
	// Rounding can leave a residue of −1e-12 packages; none is made then.
	maxPackages = max(0, maxPackages)
	s.packages = maxPackages
	if pp.packagingYield > 0 {
		s.dieInventory = max(0, s.dieInventory-maxPackages*flag.Dies/pp.packagingYield)
	}

	// Performance per package.
	y910B := ascend910B.Available.Decimal()
	if q.year >= y910B {
		s.perfPerDie *= 1 + pp.dieGrowth*accessEff*M*dt
	}
	s.perfPerDie = min(max(s.perfPerDie, flag.TrainingH100e()/flag.Dies), maxPerfPerDie)
	// The penalty decays as e^(−years since the 910B/τ), stepped per quarter.
	if s.swPenalty == 0 {
		s.swPenalty = pp.swPenalty * math.Exp(-max(0, q.year-y910B)/pp.swYears)
		s.swStep = math.Exp(-dt / pp.swYears)
	} else if q.year > y910B {
		s.swPenalty *= s.swStep
	}
	realised := 1 - s.swPenalty
	perPackage := s.perfPerDie * flag.Dies * realised
	s.domH100e = s.packages * perPackage
	s.domInf = s.domH100e * flag.InferenceH100e() / flag.TrainingH100e()
	s.domSpendUSD = s.packages * flag.PriceUSD

	// Capacity and tool share for the next quarter.
	s.capacity += pp.capGrowth * accessEff * M * s.capacity * (1 - s.capacity/pp.capCeiling) * dt
	s.capacity = max(s.capacity, 0)
	s.toolShare += pp.toolGrowth * M * (1 - s.toolShare) * dt
	s.toolShare = clamp01(s.toolShare)
}

// flagship is the newest domestic chip available in the quarter.
func (r *runner) flagship(q *quarter) *Chip {
	f := r.dom[0]
	for _, c := range r.dom {
		if c.Available.Decimal() <= q.year && c.Available >= f.Available {
			f = c
		}
	}
	return f
}

func clamp01(x float64) float64 { return min(1, max(0, x)) }
