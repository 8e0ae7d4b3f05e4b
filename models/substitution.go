package models

// Induced substitution, docs/MODEL.md, "Induced substitution".
//
// Restriction pressure R(t) is the blocked share of China's accelerator
// demand (the foreign pools' blocked shares times the share of the budget
// domestic supply leaves open), smoothed with a lag of L quarters:
//
//	R(t) = R(t−1) + (blocked(t) − R(t−1)) / L
//
// and the domestic investment multiplier is
//
//	M(t) = 1 + ε·R(t−1) + κ·S(t)/1e11
//
// where S is extra state money (USD/yr, lever china.state_investment) and κ
// the effect per $100B/yr. M speeds wafer capacity growth, the domestic tool
// share, chip design improvement, the HBM ramp and the share of capacity
// turned to AI chips. With ε = 0 pressure changes none of them.
//
// The output domestic_induced_share is ε·R/M, the share of the multiplier
// the controls induce: an indicator of how much of domestic growth is
// their doing, not an exact attribution of output (capacity compounds).

func (s *state) substitution(q *quarter) {
	induced := s.induced()
	s.invest = 1 + induced + s.p.stateEffect*q.lever(leverIdx.stateInvest)/1e11
	s.inducedShare = induced / s.invest
}

func (s *state) pressureUpdate() {
	s.pressure += (s.blockedShare - s.pressure) / fmax(1, s.p.lagQuarters)
}
