package models

import "math"

// Frontier comparison, docs/MODEL.md, "Frontier comparison" and "Model v2: frontier".
//
// China's largest run in FLOP draws on training-grade chips and the cloud
// compute rented that quarter:
//
//	C_cn  = (share·K_tg + s_c·cloud)·989e12·utilisation·days·86400
//	K_tg  = K − (1 − w)·K_ig
//	share = min(share_max, share_2024Q4·c^(t−2024.75)), c = c_back before 2024Q4
//
// K_ig is the training H100e of inference-grade chips (training H100e below
// inferenceGradeRatio of inference H100e: the H20), retired as K is; w is
// their weight in a training cluster. The share is anchored on the 2024
// runs (DeepSeek-V3, Qwen2.5-72B), back-cast along their observed growth and
// grows at c after 2024Q4, bounded by share_max. cloud is the quarter's
// rented H100e-quarters (a flow, never in K): a lab rents abroad for its
// runs, so one run can use the share s_c (frontier.cloud_run_share) of
// them, not the cluster share of an installed fleet.
//
// The US largest run follows an exogenous path, C_2024Q3·g^(t−2024.5) to
// 2030, then growing at g_late; it is bounded as China's is by the same
// share of the US stock, and lowered by mineral counter-controls:
//
//	C_us = min(path, share_max·K_us·989e12·utilisation·days·86400)·(1 − drag·mineral_controls)
//
// The US installed stock K_us (all vendors) grows from its end-of-2024 level
// at its own rates and is taken at the end of each quarter, as China's is,
// before the ratio us/cn is formed.
// Effective compute multiplies a run by its algorithmic efficiency, and
//
//	gap_oom    = log10(E_us(t) / E_cn(t)),  E = C·A
//	gap_months = t − t*,  t* the latest time ≤ t with E_us(t*) = E_cn(t)
//
// the gap in months walked back along the US path the run actually took
// (log-linear between quarters; before the span's first quarter, back at
// the path's early rate g·2^(12/h) a year, when the fleet bound does not
// bind). Once the fleet bound binds, E_us grows at the fleet's rate, not
// the path's, so the gap is not converted at the path's rate (see
// lagMonths). China ahead: the gap in orders of magnitude at that rate,
// negative.

const (
	usAnchorYear = 2024.5 // 2024Q3: Llama 3.1 405B and Gemini 1.0 Ultra class (Epoch AI)
	// usStockYear is the US stock anchor: the end of 2024Q4 (all vendors;
	// us.stock_2025_h100e).
	usStockYear = 2025.0
	lateYear    = 2030.0 // growth slows after this (Epoch AI 2024)
	// minFLOP floors both runs so the gap stays finite if a stock, the
	// utilisation or the drag factor vanished (1e15 FLOP: one second of an
	// H100).
	minFLOP = 1e15
	// clusterYear anchors the largest-cluster share (2024Q4: DeepSeek-V3).
	clusterYear = 2024.75
	// inferenceGradeRatio: a chip is inference-grade when its training
	// H100e is below this share of its inference H100e. In the catalogue the
	// H20 stands at 0.13, the MI308 at 0.19 and every other chip at 0.35
	// (RTX Pro 6000D, Ascend 960) or more,
	// so any cut between the two classifies alike (docs/MODEL.md, "Model v2: frontier").
	inferenceGradeRatio = 0.25
)

// inferenceGrade reports whether a chip's training throughput is far below
// its inference value, so that it is bought for serving, not for training
// clusters.
func inferenceGrade(c *Chip) bool {
	return c.TrainingH100e() < inferenceGradeRatio*c.InferenceH100e()
}

// trainingGradeStock is K_tg = K − (1 − w)·K_ig, the stock a training
// cluster can draw on.
func (s *state) trainingGradeStock() float64 {
	return fmax(0, s.stock-(1-s.p.inferenceWeight)*s.stockIG)
}

// frontierSteps holds per-run factors that step the exogenous paths one
// quarter at a time, keeping powers out of the step loop.
type frontierSteps struct {
	effStep, lagFactor             float64
	runUSStep, runUSLateStep       float64
	usStockStep, usStockLateStep   float64
	clusterShare, clusterStep      float64
	clusterBackStep                float64
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
	// The US stock is taken at the end of the quarter, as China's is.
	s.usStock = grow(pp.usStock2025, usStockYear, year0+dt, pp.usStockGrowth, pp.usStockGrowthLate)
	s.usStockStep, s.usStockLateStep = math.Pow(pp.usStockGrowth, dt), math.Pow(pp.usStockGrowthLate, dt)
	s.clusterShare = pp.clusterShare * math.Pow(pp.clusterGrowth, fmax(0, year0-clusterYear)) *
		math.Pow(pp.clusterBackGrowth, fmin(0, year0-clusterYear))
	s.clusterStep, s.clusterBackStep = math.Pow(pp.clusterGrowth, dt), math.Pow(pp.clusterBackGrowth, dt)
	// 12 months / log10 of the yearly growth of US effective compute.
	alg := math.Exp2(12 / pp.halvingMonths)
	s.monthsPerOOM = 12 / math.Log10(pp.usGrowth*alg)
	s.monthsPerOOMLate = 12 / math.Log10(pp.usGrowthLate*alg)
}

func (s *state) frontier(q *quarter) {
	pp := s.p
	if q.t > 0 {
		s.stepFrontier(q.year)
	}
	share := fmin(pp.maxClusterShare, s.clusterShare)
	s.runCN = fmax(minFLOP, (share*s.trainingGradeStock()+pp.cloudRunShare*s.cloudH100e)*h100FLOPs*pp.utilisation*pp.runDays*86400)
	drag := clamp01(1 - pp.mineralDrag*q.lever(leverIdx.minerals))
	// The US run obeys China's physical bound: at most share_max of the US
	// end-of-quarter stock, at the same utilisation and run length; mineral
	// counter-controls lower the run whichever of the two binds.
	fleet := pp.maxClusterShare * s.usStock * h100FLOPs * pp.utilisation * pp.runDays * 86400
	runUS := fmax(minFLOP, fmin(s.runUS, fleet)*drag)
	s.runUSOut = runUS
	usLog := math.Log10(runUS * s.effFrontier)
	cnLog := math.Log10(s.runCN * s.effCN)
	s.usEff = append(s.usEff, usLog)
	s.gapOOM = usLog - cnLog
	s.gapMonths = s.lagMonths(q.year, cnLog)
}

// stepFrontier steps the exogenous paths into the quarter starting at year.
// A start-of-quarter level (the US run, the share) steps with the rate in
// force over the quarter before it; the US stock, an end-of-quarter level,
// with the rate over this quarter.
func (s *state) stepFrontier(year float64) {
	if year-dt < lateYear {
		s.runUS *= s.runUSStep
	} else {
		s.runUS *= s.runUSLateStep
	}
	if year < lateYear {
		s.usStock *= s.usStockStep
	} else {
		s.usStock *= s.usStockLateStep
	}
	if year-dt < clusterYear {
		s.clusterShare *= s.clusterBackStep
	} else {
		s.clusterShare *= s.clusterStep
	}
}

// lagMonths is how long before the current quarter the US largest run had
// the effective compute China has now (log10 cn): the latest quarter k at
// which the run's US path E_us stood at or below it, interpolated in log
// between k and k+1. If the US was above it over the whole span so far, the
// path is extended back from the span's first quarter at its early rate.
// If China is ahead, the gap in orders of magnitude at the path's current
// rate, negative.
func (s *state) lagMonths(year, cn float64) float64 {
	h := s.usEff
	t := len(h) - 1
	if cn >= h[t] {
		per := s.monthsPerOOM
		if year > lateYear {
			per = s.monthsPerOOMLate
		}
		return (h[t] - cn) * per
	}
	for k := t - 1; k >= 0; k-- {
		if h[k] <= cn {
			crossing := float64(k) + (cn-h[k])/(h[k+1]-h[k])
			return 12 * dt * (float64(t) - crossing)
		}
	}
	return 12*dt*float64(t) + (h[0]-cn)*s.monthsPerOOM
}
