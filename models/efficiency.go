package models

import "math"

// Model efficiency, MODEL.md 4.6.
//
// The frontier's algorithmic efficiency doubles every h months (Ho et al.
// 2024): A(t) = 2^(months since 2020Q1 / h). China follows with a diffusion
// lag and gains a scarcity bonus under pressure, never passing the
// frontier:
//
//	A_cn(t) = min(A(t), A(t − lag)·(1 + σ·R(t)))

func (s *state) efficiency(q *quarter) {
	months := (q.year - 2020) * 12
	s.effFrontier = math.Exp2(months / s.p.halvingMonths)
	lagged := math.Exp2((months - s.p.diffusionLag) / s.p.halvingMonths)
	s.effCN = math.Min(s.effFrontier, lagged*(1+s.p.scarcityBonus*s.pressure))
}
