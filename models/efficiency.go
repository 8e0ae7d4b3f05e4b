package models

// Model efficiency, docs/MODEL.md, "Model efficiency".
//
// The frontier's algorithmic efficiency doubles every h months (Ho et al.
// 2024): A(t) = 2^(months since 2020Q1 / h). China follows with a diffusion
// lag and gains a scarcity bonus under pressure, never passing the
// frontier:
//
//	A_cn(t) = min(A(t), A(t − lag)·(1 + σ·R(t)))
//
// The lag is fixed, or shrinks toward a floor through open weights and
// distillation, by structure.diffusion (structure.go).

func (s *state) efficiency(q *quarter) {
	// A is stepped by 2^(3/h) a quarter from its value at the span's start;
	// the lagged frontier is A·2^(−lag/h).
	if q.t > 0 {
		s.effFrontier *= s.effStep
	}
	s.effCN = fmin(s.effFrontier, s.effFrontier*s.lagFactorAt(q.year)*(1+s.p.scarcityBonus*s.pressure))
}
