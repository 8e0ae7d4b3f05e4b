package models

import "math"

// Frontier comparison, MODEL.md 4.7.
//
// China's largest run in FLOP:
//
//	C_cn = share·(K + cloud)·989e12·utilisation·days·86400
//	share = min(maxClusterShare, share_2024Q4·c^(t−2024.75))
//
// The US largest run is exogenous: C_us = C_2024Q3·g^(t−2024.5) to 2030,
// then growing at g_late, lowered by (1 − drag·mineral_controls). The US
// installed stock grows from its 2025Q1 level at its own rates.
// Effective compute multiplies a run by its algorithmic efficiency, and
//
//	gap_oom    = log10(C_us·A / (C_cn·A_cn))
//	gap_months = 12·gap_oom / log10(g·2^(12/h))
//
// the denominator being the yearly growth of US effective compute. After
// 2030, when that growth slows, the gap is walked back along the US path
// (see lagMonths), so that it stays continuous.

const (
	usAnchorYear = 2024.5 // 2024Q3: Llama 3.1 405B and Gemini 1.0 Ultra class (Epoch AI)
	usStockYear  = 2025.0 // 2025Q1: ~4M H100e (Epoch AI)
	lateYear     = 2030.0 // growth slows after this (Epoch AI 2024)
	// minFLOP floors China's run so the gap stays finite if its stock
	// vanished (1e15 FLOP: one second of an H100).
	minFLOP = 1e15
	// clusterYear anchors the largest-cluster share (2024Q4: DeepSeek-V3).
	clusterYear = 2024.75
	// maxClusterShare: no single run uses more than 30% of a
	// country's accelerators (the US largest runs used a few per cent of
	// the US stock in 2024; Epoch AI).
	maxClusterShare = 0.3
)

// frontierSteps holds per-run factors that step the exogenous paths one
// quarter at a time, keeping powers out of the step loop.
type frontierSteps struct {
	effStep, lagFactor             float64
	runUSStep, runUSLateStep       float64
	usStockStep, usStockLateStep   float64
	clusterShare, clusterStep      float64
	monthsPerOOM, monthsPerOOMLate float64
}

// grow compounds a level anchored at year a with yearly factor g until
// lateYear and g2 after it.
func grow(level, a, year, g, g2 float64) float64 {
	if year <= lateYear {
		return level * math.Pow(g, year-a)
	}
	return level * math.Pow(g, lateYear-a) * math.Pow(g2, year-lateYear)
}

// initFrontier sets the exogenous paths at year0, the span's first quarter.
func (s *state) initFrontier(year0 float64) {
	pp := s.p
	s.effFrontier = math.Exp2((year0 - 2020) * 12 / pp.halvingMonths)
	s.effStep = math.Exp2(3 / pp.halvingMonths)
	s.lagFactor = math.Exp2(-pp.diffusionLag / pp.halvingMonths)
	s.runUS = grow(pp.usFrontier, usAnchorYear, year0, pp.usGrowth, pp.usGrowthLate)
	s.runUSStep, s.runUSLateStep = math.Pow(pp.usGrowth, dt), math.Pow(pp.usGrowthLate, dt)
	s.usStock = grow(pp.usStock2025, usStockYear, year0, pp.usStockGrowth, pp.usStockGrowthLate)
	s.usStockStep, s.usStockLateStep = math.Pow(pp.usStockGrowth, dt), math.Pow(pp.usStockGrowthLate, dt)
	s.clusterShare = pp.clusterShare * math.Pow(pp.clusterGrowth, year0-clusterYear)
	s.clusterStep = math.Pow(pp.clusterGrowth, dt)
	// 12 months / log10 of the yearly growth of US effective compute.
	alg := math.Exp2(12 / pp.halvingMonths)
	s.monthsPerOOM = 12 / math.Log10(pp.usGrowth*alg)
	s.monthsPerOOMLate = 12 / math.Log10(pp.usGrowthLate*alg)
}

func (s *state) frontier(q *quarter) {
	pp := s.p
	if q.t > 0 {
		// The step into a quarter uses the rate in force over the quarter
		// before it.
		if q.year-dt < lateYear {
			s.runUS *= s.runUSStep
			s.usStock *= s.usStockStep
		} else {
			s.runUS *= s.runUSLateStep
			s.usStock *= s.usStockLateStep
		}
		s.clusterShare *= s.clusterStep
	}
	share := min(maxClusterShare, s.clusterShare)
	s.runCN = max(minFLOP, share*(s.stock+s.cloudH100e)*h100FLOPs*pp.utilisation*pp.runDays*86400)
	drag := clamp01(1 - pp.mineralDrag*q.lever(leverIdx.minerals))
	runUS := s.runUS * drag
	s.runUSOut = runUS
	s.gapOOM = math.Log10(runUS * s.effFrontier / (s.runCN * s.effCN))
	s.gapMonths = s.lagMonths(q.year, s.gapOOM)
}

// lagMonths is how long before year the US largest run had the effective
// compute China has now: the gap in orders of magnitude walked back along
// the US path, at its late rate after lateYear and its early rate before.
// Before 2030 this is exactly 12·gap_oom / log10(yearly growth of E_us).
func (s *state) lagMonths(year, gapOOM float64) float64 {
	if year <= lateYear || gapOOM <= 0 {
		per := s.monthsPerOOM
		if year > lateYear {
			per = s.monthsPerOOMLate
		}
		return gapOOM * per
	}
	lateMonths := (year - lateYear) * 12
	lateOOM := lateMonths / s.monthsPerOOMLate
	if gapOOM <= lateOOM {
		return gapOOM * s.monthsPerOOMLate
	}
	return lateMonths + (gapOOM-lateOOM)*s.monthsPerOOM
}
