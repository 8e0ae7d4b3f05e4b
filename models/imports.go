package models

import (
	"math"

	"github.com/chokepoint-sim/chokepoint/sim"
)

// Foreign chips, MODEL.md 4.2.
//
// The foreign budget is what domestic supply leaves of the quarter's
// budget, F = max(0, B·dt − domestic spend), capped at D·(1−m)/m under a
// domestic-procurement mandate m. Each pool (training: share w of F;
// inference: 1−w) buys the catalogue chip with the most H100e per dollar on
// its basis among those the export rule allows:
//
//	licence needed ⇔ named ∨ (TPP ≥ T_tpp ∧ I/O ≥ T_io) ∨ (TPP ≥ T_floor ∧ PD ≥ T_pd)
//
// A chip on the exception list is allowed whatever the rule, at its price
// × (1 + fee). When a licence-requiring chip is better value than the best
// allowed one, a share (licence approval) of the pool buys it. Licensed and
// excepted volume is capped (china_volume_cap); money the cap refuses buys
// the best chip that needs no licence, if there is one. Prices fall by a share δ a
// year after launch. Purchases of a chip that an announced rule will bar are
// multiplied by 1 + stockpile surge; China's own import block removes a
// share of legal purchases.
//
// Unmet demand is, per pool, the counterfactual value (the pool spent on the
// best chip with no rule) less the legal value. Restriction pressure is the
// pools' blocked shares, weighted by w, times the share of the budget that
// domestic supply leaves to foreign chips. A share of it leaks in as
// smuggled chips of the best barred kind:
//
//	leak = clamp(leakage · scale · (1 − cut·tier2_caps), 0, 1)
//
// and overseas clouds serve a further share of blocked training demand
// (counted in the largest run, not the stock). The blocked share of the
// counterfactual value, averaged over the pools, feeds restriction
// pressure. Foregone US revenue is blocked demand valued at the blocked
// chip's price (each pool's spend × its blocked share), plus sales China's
// own block removes, plus fees paid.

type foreignChip struct {
	*Chip
	bit uint64
	// h[basis] is the chip's H100e on the training (0) and inference (1)
	// bases, precomputed for the step loop.
	h [2]float64
	// per-quarter working values
	price  float64 // USD, after decline
	status chipStatus
	onSale bool
	units  float64
}

// The two bases of H100-equivalence.
const (
	training  = 0
	inference = 1
)

type chipStatus uint8

const (
	unavailable chipStatus = iota
	allowed
	excepted
	licensed
)

// rule is the export rule in force, or pending.
type rule struct {
	tpp, io, pd, pdFloor float64
	exceptions, named    uint64
}

func ruleAt(q *quarter, value func(int) float64) rule {
	return rule{
		tpp: value(leverIdx.tpp), io: value(leverIdx.io), pd: value(leverIdx.pd),
		pdFloor: value(leverIdx.pdFloor), exceptions: uint64(value(leverIdx.exceptions)),
		named: uint64(value(leverIdx.named)),
	}
}

func (ru *rule) status(c *foreignChip) chipStatus {
	if ru.exceptions&c.bit != 0 {
		return excepted
	}
	if ru.named&c.bit != 0 || (c.TPP >= ru.tpp && c.InterconnectGBs >= ru.io) ||
		(c.TPP >= ru.pdFloor && c.PD > 0 && c.PD >= ru.pd) {
		return licensed
	}
	return allowed
}

func (r *runner) imports(s *state, q *quarter, budget float64) {
	pp := s.p
	now := ruleAt(q, q.lever)
	fee := q.lever(leverIdx.fee)
	approval := q.lever(leverIdx.approval)
	anyPending := false
	for _, i := range [...]int{leverIdx.tpp, leverIdx.io, leverIdx.pd, leverIdx.pdFloor, leverIdx.exceptions, leverIdx.named} {
		if !math.IsNaN(q.pend[i][q.t]) {
			anyPending = true
		}
	}
	var next rule
	if anyPending {
		next = ruleAt(q, q.pending)
	}
	r.updateChips(s, q, now)

	foreign, openShare := foreignBudget(s, q, budget)
	w := pp.trainingWeight
	spendT, spendI := foreign*w, foreign*(1-w)
	bestT, perT := r.pool(spendT, training, fee, approval)
	bestI, perI := r.pool(spendI, inference, fee, approval)
	scale := r.volumeCap(q, spendT, spendI, perT, perI)
	// The blocked shares of the foreign pools depend on the rule and the
	// catalogue, not on how much is spent. Pressure is the blocked share of
	// all accelerator demand: the part domestic supply already meets is
	// not pressed on, so pressure eases as substitution succeeds.
	blockedT, blockedI := perT.blocked(scale), perI.blocked(scale)
	s.blockedShare = (w*blockedT + (1-w)*blockedI) * openShare

	// Stockpiling ahead of a rule, then China's own block.
	block := clamp01(q.lever(leverIdx.importBlock))
	s.legalH100e, s.legalInf = 0, 0
	blockedUSD, feesUSD := 0.0, 0.0
	for i := range r.foreign {
		c := &r.foreign[i]
		if c.units == 0 {
			continue
		}
		if anyPending && next.status(c) == licensed && c.status != licensed {
			c.units *= 1 + pp.stockpileSurge
		}
		blockedUSD += c.units * block * c.price
		c.units *= 1 - block
		s.legalH100e += c.units * c.h[training]
		s.legalInf += c.units * c.h[inference]
		if c.status == excepted {
			feesUSD += c.units * c.price * fee
		}
	}

	// Leakage: smuggled chips are the pool's best barred chip.
	leak := clamp01(q.lever(leverIdx.leakage) * pp.leakageScale * (1 - pp.tier2Cut*q.lever(leverIdx.tier2)))
	s.smuggledH100e, s.smuggledInf = 0, 0
	for _, b := range [...]struct {
		best    *foreignChip
		spend   float64
		blocked float64
	}{{bestT, spendT, blockedT}, {bestI, spendI, blockedI}} {
		if b.best == nil || b.blocked <= 0 {
			continue
		}
		units := leak * b.blocked * b.spend / (b.best.price * pp.smugglePremium)
		s.smuggledH100e += units * b.best.h[training]
		s.smuggledInf += units * b.best.h[inference]
	}
	s.cloudH100e = q.lever(leverIdx.cloud) * blockedT * spendT * perT.best
	s.foregone = spendT*blockedT + spendI*blockedI + blockedUSD + feesUSD
}

// updateChips clears each foreign chip's purchases and brings its sale,
// price and status under the rule now up to this quarter.
func (r *runner) updateChips(s *state, q *quarter, now rule) {
	pp := s.p
	per := r.span.Start + sim.Period(q.t)
	// Statuses change only when the rule or the chips on sale do.
	recheck := q.t == 0 || now != r.lastRule
	r.lastRule = now
	for i := range r.foreign {
		c := &r.foreign[i]
		c.units = 0
		onSale := c.OnSale(per)
		if onSale != c.onSale {
			c.onSale, recheck = onSale, true
		}
		if !onSale {
			c.status = unavailable
			continue
		}
		// Prices fall by δ a year: set once when a chip enters the span,
		// then stepped by (1−δ)^dt, to keep powers out of the step loop.
		if c.price == 0 {
			c.price = c.PriceUSD * math.Pow(1-pp.priceDecline, q.year-c.Available.Decimal())
		} else {
			c.price *= s.priceStep
		}
		if recheck || c.status == unavailable {
			c.status = now.status(c)
		}
	}
}

// foreignBudget returns the budget left for foreign chips, after domestic
// supply and any purchase mandate, and the share of the budget domestic
// supply leaves open.
func foreignBudget(s *state, q *quarter, budget float64) (foreign, openShare float64) {
	foreign = budget - s.domSpendUSD
	if foreign < 1 { // under a dollar: rounding residue of a budget spent at home
		foreign = 0
	}
	if budget > 0 {
		openShare = foreign / budget
	}
	if m := q.lever(leverIdx.mandate); m > 0 {
		foreign = max(0, min(foreign, s.domSpendUSD*(1-m)/m))
	}
	return foreign, openShare
}

// volumeCap scales licensed and excepted purchases down to the volume
// cap, which binds them together, and returns the scale (1: the cap does
// not bind).
func (r *runner) volumeCap(q *quarter, spendT, spendI float64, perT, perI perDollar) float64 {
	capped := 0.0
	for i := range r.foreign {
		if c := &r.foreign[i]; c.status == licensed || c.status == excepted {
			capped += c.units * c.h[training]
		}
	}
	limit := q.lever(leverIdx.volumeCap)
	if !(capped > limit) {
		return 1
	}
	scale := limit / capped
	for i := range r.foreign {
		if c := &r.foreign[i]; c.status == licensed || c.status == excepted {
			c.units *= scale
		}
	}
	// Buyers spend what the cap refuses on the best chip that needs no
	// licence, if any.
	for _, p := range [...]struct {
		spend float64
		v     perDollar
	}{{spendT, perT}, {spendI, perI}} {
		if p.v.bestFree != nil {
			p.v.bestFree.units += p.spend * p.v.cappedShare * (1 - scale) / p.v.bestFree.price
		}
	}
	return scale
}

// perDollar is a pool's value (H100e on its basis) per dollar spent: on
// the best chip with no rule, on freely allowed chips and on licensed or
// excepted ones (which a volume cap may scale).
type perDollar struct {
	best, free, capped float64
	// cappedShare is the share of the pool's spend on licensed or excepted
	// chips; when a volume cap cuts it, the money goes to the best freely
	// allowed chip (bestFree, worth freeBest per dollar) if there is one.
	cappedShare, freeBest float64
	bestFree              *foreignChip
}

// legal is the value per dollar bought when capped purchases are scaled by
// capScale and the money so freed buys the best freely allowed chip.
func (v perDollar) legal(capScale float64) float64 {
	return v.free + v.capped*capScale + v.cappedShare*(1-capScale)*v.freeBest
}

// blocked is the share of the counterfactual value the rule withholds.
func (v perDollar) blocked(capScale float64) float64 {
	if v.best <= 0 {
		return 0
	}
	return clamp01(1 - v.legal(capScale)/v.best)
}

// pool spends one pool's budget on the best chips for basis, adding to the
// chips' units, and returns the best chip with no rule and the pool's value
// per dollar.
func (r *runner) pool(spend float64, basis int, fee, approval float64) (best *foreignChip, v perDollar) {
	var bestA, bestL *foreignChip
	var vA, vL float64
	for i := range r.foreign {
		c := &r.foreign[i]
		if c.status == unavailable {
			continue
		}
		u := c.h[basis] / c.price
		if u > v.best {
			best, v.best = c, u
		}
		switch c.status {
		case allowed:
			if u > vA {
				bestA, vA = c, u
			}
			if u > v.freeBest {
				v.bestFree, v.freeBest = c, u
			}
		case excepted:
			if u /= 1 + fee; u > vA {
				bestA, vA = c, u
			}
		case licensed:
			if u > vL {
				bestL, vL = c, u
			}
		}
	}
	if best == nil {
		return nil, v
	}
	shareA := 1.0
	if bestL != nil && vL > vA {
		bestL.units += spend * approval / bestL.price
		v.capped += approval * vL
		v.cappedShare += approval
		shareA = 1 - approval
	}
	if bestA != nil {
		price := bestA.price
		if bestA.status == excepted {
			price *= 1 + fee
			v.capped += shareA * vA
			v.cappedShare += shareA
		} else {
			v.free += shareA * vA
		}
		bestA.units += spend * shareA / price
	}
	return best, v
}
