package models

import "math"

// Demand, docs/MODEL.md, "Demand".
//
// China's accelerator budget in USD per year is a trend that grows at a
// rate decaying from g in 2020 with e-folding time τ (the boom slows), plus
// pledges:
//
//	T(t+dt) = T(t)·(1 + g·e^(−(t−2020)/τ))^dt,   T(2020Q1) = B2020
//	B(t) = T(t) + P(t)·a
//
// where P is pledged AI capex (lever demand.capex_pledges, e.g. Alibaba's
// RMB 380B over 2025-27) and a the share of it spent on accelerators. The
// quarter's budget is B·dt. Buyers split it between training (share w,
// parameter demand.training_weight) and inference (1−w), and each part buys
// the chip with the most H100e per dollar on its own basis: this is why ~1M
// H20 (0.15 training but 1.19 inference H100e) sold in 2024.
func (s *state) demand(q *quarter) float64 {
	b := s.budgetUSD + q.lever(leverIdx.pledges)*s.p.pledgeShare
	if s.growthRate == 0 {
		s.growthRate = s.p.budgetGrowth * math.Exp(-(q.year-2020)/s.p.growthDecay)
		s.growthStep = math.Exp(-dt / s.p.growthDecay)
	}
	// (1+g)^dt with dt = 1/4 is two square roots.
	s.budgetUSD *= math.Sqrt(math.Sqrt(1 + s.growthRate))
	s.growthRate *= s.growthStep
	return b * dt
}
