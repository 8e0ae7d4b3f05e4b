package models

// Compute stock, docs/MODEL.md, "Compute stock".
//
//	K(t+1) = K·(1 − dt/lifetime) + legal + smuggled + domestic
//
// on both bases (training and inference), keeping the part of each channel (legal,
// smuggled, domestic; docs/MODEL.md, "One budget, allocated across channels,
// conserved") apart on the training basis so that a paired comparison can say
// through which channel a lever acts. The training basis of inference-grade chips
// (docs/MODEL.md, "Model v2: frontier") is kept as K_ig, retired at the same rate,
// so that the largest run can draw on the training-grade stock K_tg = K − (1 −
// w)·K_ig (frontier.go). The 2020Q1 fleet (V100-class, training-grade) belongs to
// no channel: the parts sum to K less what is left of it. Self-sufficiency is the
// domestic share of the last four quarters' additions, training basis (0 while
// nothing was added). The part of the domestic stock credited to induced
// investment takes each quarter's domestic output times that quarter's induced
// share ε·R/M (substitution.go) and retires as the stock does; it is at most the
// domestic stock, and 0 when ε = 0.

func (s *state) accumulate(q *quarter) {
	keep := 1 - dt/s.p.lifetime
	added := s.legalH100e + s.smuggledH100e + s.domH100e
	s.stock = s.stock*keep + added
	s.stockInf = s.stockInf*keep + s.legalInf + s.smuggledInf + s.domInf
	s.stockDomestic = s.stockDomestic*keep + s.domH100e
	s.stockDomInduced = s.stockDomInduced*keep + s.domH100e*s.inducedShare
	s.stockLegal = s.stockLegal*keep + s.legalH100e
	s.stockSmuggled = s.stockSmuggled*keep + s.smuggledH100e
	s.stockIG = s.stockIG*keep + s.legalIG + s.smuggledIG + s.domIG
	w := s.p.trainingWeight
	s.stockValued = s.stockValued*keep + s.valuedAdd + w*s.domH100e + (1-w)*s.domInf
	s.stockInfPool = s.stockInfPool*keep + s.infPoolAdd
	k := q.t % 4
	s.additions[k], s.domAdditions[k] = added, s.domH100e
	var sum, dom float64
	for i := range s.additions {
		sum += s.additions[i]
		dom += s.domAdditions[i]
	}
	if sum > 0 {
		s.selfSufficiency = clamp01(dom / sum)
	} else {
		s.selfSufficiency = 0
	}
	// A positive floor keeps ratios finite if every chip were retired.
	s.stock = fmax(s.stock, 1)
	s.stockInf = fmax(s.stockInf, 1)
}
