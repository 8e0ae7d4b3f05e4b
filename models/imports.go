package models

import (
	"math"

	"github.com/chokepoint-sim/chokepoint/sim"
)

// Foreign chips and the money that buys them, docs/MODEL.md, "Foreign chips" and
// "One budget, allocated across channels, conserved".
//
// Each quarter buyers hold the money at hand, A = B(t) + carry-in. Domestic
// supply takes what it makes (production.go); the rest, F = A − domestic,
// goes down a list of channels and is never created or deleted:
//
//  1. Legal imports. China's domestic-chip mandate m applies to the
//     state-directed share φ of purchases (their foreign spending is at most
//     (1 − m)·φ·A, smuggled chips included); the money it turns away
//     skips the legal market and the network. Each
//     pool (training: share w; inference: 1 − w) buys the catalogue chip
//     with the most H100e per dollar on its basis that the export rule
//     allows:
//
//     licence needed ⇔ named ∨ (TPP ≥ T_tpp ∧ I/O ≥ T_io) ∨ (TPP ≥ T_floor ∧ PD ≥ T_pd)
//
//     An exception allows a chip the rule would bar, at price × (1 + fee);
//     an approved licence (a share, licence approval, of the pool, when the
//     licensed chip beats the best allowed one) pays the same fee. Licensed
//     and excepted volume is capped (china_volume_cap): under a binding
//     cap buyers make the value-maximising purchase (buyPools), and money
//     the cap leaves buys other uses or goes down the list. China's import
//     block turns away a share of legal purchases: that money goes down
//     the list too.
//  2. The smuggling network: capacity S(t) chips a quarter, of which a share
//     leak = clamp(leakage·scale·(1 − cut·tier2_caps)·(1 − reach·block), 0, 1)
//     gets through (block: China's import block, whose customs checks reach
//     smuggled chips too), shared by the pools (training first). It sells
//     the best chip per dollar on sale at list × premium × (1 + slope·V/V_ref)
//     on average for V chips a quarter, V_ref = S_2024/4 the 2024 network's
//     quarterly capacity. Each pool fills its uses best value first
//     (buyPools): the network while its marginal chip beats the licensed
//     chip, the licensed share, the network while it beats the allowed
//     chip, then the allowed chip; money the US rules, the volume cap or
//     China's block turn away is smuggled at any price capacity allows.
//     S(t) follows min(S_base(t) + ρ·U(t),
//     M·S_2024/4) with a lag, U being the chips the US rules turned away
//     and M the ceiling. In the other formulation (structure.smuggling =
//     1) the capacity is σ·U(t) each quarter.
//  3. Overseas cloud, training only: rented H100e-quarters at the rental
//     price, up to cloud_access × blocked training demand (H100e), counted
//     in the largest run, not the stock.
//  4. Carry: what is left, less the share d released (settle).
//
// Purchases of a chip that an announced rule will bar are multiplied by
// 1 + stockpile surge, paid from the money left and, beyond it, borrowed
// from the next quarter (at most one quarter's budget).
//
// Restriction pressure is the pools' blocked shares of the counterfactual value
// (the pool spent on the best chip with no rule), weighted by w, times the share
// of the money domestic supply leaves to foreign chips. The cost of controls is
// split (docs/MODEL.md, "The cost of controls, split"): foregone US revenue is the
// legal demand the US rules block, valued at the blocked chips' price, net of what
// is smuggled; fees paid and sales China refused (its block and mandate) are
// outputs of their own.

type foreignChip struct {
	*Chip
	bit uint64
	// h[basis] is the chip's H100e on the training (0) and inference (1)
	// bases, precomputed for the step loop.
	h [2]float64
	// infGrade: an inference-grade chip (docs/MODEL.md, "Model v2: frontier")
	infGrade bool
	// per-quarter working values
	price  float64 // USD, after decline
	status chipStatus
	onSale bool
	units  float64
	// unitsBy[p]: units pool p (indexed by its basis) bought this quarter
	unitsBy [2]float64
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

// status applies the rule to a chip. An exception names a chip allowed regardless
// of the thresholds and named licences (docs/MODEL.md, "Levers that act as their
// names say"); it matters, and its fee applies, only when the rule would otherwise
// bar the chip: a chip no rule catches is simply allowed.
func (ru *rule) status(c *foreignChip) chipStatus {
	if ru.named&c.bit != 0 || (c.TPP >= ru.tpp && c.InterconnectGBs >= ru.io) ||
		(c.TPP >= ru.pdFloor && c.PD > 0 && c.PD >= ru.pd) {
		if ru.exceptions&c.bit != 0 {
			return excepted
		}
		return licensed
	}
	return allowed
}

// pool is one foreign pool's money and purchases this quarter.
type pool struct {
	basis int
	money float64 // money for legal purchases, after China's mandate
	quota float64 // of which approved licences may take at most approval × money
	extra float64 // money the mandate turned away: it goes down the list
	plan  plan
	// barred is the chip the smuggling network sells: the best per dollar
	// on the pool's basis among all on sale (barred when the rules bite).
	barred   *foreignChip
	legalUSD float64 // spent on legal chips, fees included
	left     float64 // money not yet spent
	smug     float64 // chips smuggled
	smugUSD  float64
	blocked  float64 // share of the pool's counterfactual value withheld
}

func (r *runner) imports(s *state, q *quarter, money float64) {
	pp := s.p
	fee := q.lever(leverIdx.fee)
	approval := q.lever(leverIdx.approval)

	foreign, legalMoney, openShare := foreignBudget(s, q, money)
	s.refusedByChina = fmax(0, foreign-legalMoney)
	w := pp.trainingWeight
	block := clamp01(q.lever(leverIdx.importBlock))
	pools := [2]pool{
		{basis: training, money: legalMoney * w, extra: (foreign - legalMoney) * w},
		{basis: inference, money: legalMoney * (1 - w), extra: (foreign - legalMoney) * (1 - w)},
	}
	for i := range pools {
		pools[i].quota = pools[i].money * approval
	}
	// The blocked shares depend on the rule and the catalogue, not on how
	// buyers split their money between the legal market and the network:
	// the cap is taken as if all of it went legally.
	unmetChips, blockedBudget := 0.0, 0.0
	for i := range pools {
		pl := &pools[i]
		pl.plan = r.choose(pl.basis, fee, approval)
		pl.barred = r.bestOnSale(pl.basis)
	}
	nominal := nominalCapScale(q, &pools, fee)
	for i, wi := range [2]float64{w, 1 - w} {
		pl := &pools[i]
		pl.blocked = pl.plan.v.blocked(nominal)
		if pl.barred != nil {
			unmetChips += pl.money * pl.blocked / pl.barred.price
			blockedBudget += wi * s.budgetQ * pl.blocked / pl.barred.price
		}
	}
	net := s.network(q, block, blockedBudget)
	r.buyPools(&pools, &net, fee, capOnOrders(q))
	for i := range pools {
		pl := &pools[i]
		// China's block turns away a share of legal purchases: the money
		// goes on down the list.
		pl.left += pl.legalUSD * block
		s.refusedByChina += pl.legalUSD * block
	}
	// Pressure is the blocked share of all accelerator demand: the part
	// domestic supply already meets is not pressed on, so pressure eases
	// as substitution succeeds.
	s.blockedShare = (w*pools[0].blocked + (1-w)*pools[1].blocked) * openShare

	s.legalH100e, s.legalInf, s.fees, s.spendLegal, s.legalIG = 0, 0, 0, 0, 0
	for i := range r.foreign {
		if c := &r.foreign[i]; c.units > 0 {
			c.units *= 1 - block
			s.addLegal(c, c.units, fee)
		}
	}

	// Down the list: the smuggling network, then overseas clouds.
	foregone := 0.0
	for i := range pools {
		pl := &pools[i]
		// The mandate caps the state-directed buyers' foreign spending,
		// smuggled chips included: the money it turns away skips the
		// network and goes on to clouds and the carry.
		smuggle(pl, &net, pl.left)
		pl.left += pl.extra
		if pl.barred != nil {
			foregone += pl.money*pl.blocked - pl.smug*pl.barred.price
		}
	}
	s.smuggledH100e, s.smuggledInf, s.spendSmuggled, s.smuggledIG = 0, 0, 0, 0
	for i := range pools {
		if pl := &pools[i]; pl.barred != nil {
			s.smuggledH100e += pl.smug * pl.barred.h[training]
			s.smuggledIG += pl.smug * pl.barred.h[training] * b2f(pl.barred.infGrade)
			s.smuggledInf += pl.smug * pl.barred.h[inference]
			s.spendSmuggled += pl.smugUSD
		}
	}
	// Each pool's purchases on its own basis, and the inference pool's
	// on the training basis (China's block turns away a share of legal
	// purchases alike).
	s.valuedAdd, s.infPoolAdd = 0, 0
	for i := range r.foreign {
		if c := &r.foreign[i]; c.units > 0 {
			s.valuedAdd += (c.unitsBy[training]*c.h[training] + c.unitsBy[inference]*c.h[inference]) * (1 - block)
			s.infPoolAdd += c.unitsBy[inference] * c.h[training] * (1 - block)
		}
	}
	for i := range pools {
		if pl := &pools[i]; pl.barred != nil {
			s.valuedAdd += pl.smug * pl.barred.h[pl.basis]
		}
	}
	if pools[1].barred != nil {
		s.infPoolAdd += pools[1].smug * pools[1].barred.h[training]
	}
	s.rentCloud(q, &pools[0], legalMoney*w)
	// Money carried in was refused or foregone, if it was, in the quarter
	// it was budgeted; offered again it is not a new sale lost. So the
	// costs count the quarter's new budget's share of what was turned
	// away: turned away × B(t)/A(t) (≤ 1: after a surge's borrowing the
	// money at hand is less than the budget).
	fresh := 1.0
	if money > s.budgetQ && money > 0 {
		fresh = s.budgetQ / money
	}
	s.foregone = fmax(0, foregone) * fresh
	s.refusedByChina *= fresh
	// What is left, followed through the channels (the pools' money not
	// spent, and what domestic supply and the foreign budget left over),
	// less what a surge spends: settle carries it. It is not computed as
	// budget less spends, so that a channel that bought without paying, or
	// paid without buying, breaks the identity the tests check.
	left := pools[0].left + pools[1].left + (money - s.domSpendUSD - foreign)
	left -= r.stockpile(s, q, money, fee)
	s.settle(left)
	s.smugglingUpdate(unmetChips)
}

// addLegal counts units of a legal chip bought at its price (× (1 + fee)
// when it needed US permission: excepted or licensed).
func (s *state) addLegal(c *foreignChip, units, fee float64) {
	s.legalH100e += units * c.h[training]
	s.legalIG += units * c.h[training] * b2f(c.infGrade)
	s.legalInf += units * c.h[inference]
	cost := units * c.price
	if c.status != allowed {
		s.fees += cost * fee
		cost *= 1 + fee
	}
	s.spendLegal += cost
}

// buyPools spends each pool's legal money M on the uses open to it, best
// value per dollar first, under the volume cap K (training-basis H100e a
// quarter, licensed and excepted chips together). Without a binding cap a
// pool smuggles while a marginal chip beats its best licensed chip (value
// vL, at most approval × M), buys its licensed share, smuggles on while a
// marginal chip beats its best unlimited chip (allowed or excepted, vA; if
// none, while capacity and money last) and spends the rest on that chip
// (a smuggled chip at list·p₀·(1 + 2a·V) is worth h/(list·p₀·(1 + 2a·V))
// at the margin, falling with the volume V). Removing a use then only
// leaves the pool with less value.
//
// A binding cap is a price on the cap: each capped chip's value per dollar
// is read net of λ per training H100e it uses, v − λ·k, and buyers fill
// their uses best net value first (fill); λ rises until the cap used falls
// to K, and the two fills either side of that λ are mixed to use K exactly.
// That is the value-maximising purchase under the cap (the Lagrangian of a
// concave problem; MODEL.md, "Model v2: money and channels"), so a tighter
// rule, which only shrinks the set of purchases open to buyers, never
// gives a pool more value on its basis. The pools share the cap in
// proportion to what each would use without it (a binding cap rations
// them alike), and the network, training first.
func (r *runner) buyPools(pools *[2]pool, net *network, fee, limit float64) {
	if limit >= noCap {
		for i := range pools {
			r.buyCapped(&pools[i], net, fee, math.Inf(1))
		}
		return
	}
	// What each pool would use without the cap, on the network as the
	// pools would leave it in turn.
	var f [2]purchase
	dry, want := *net, 0.0
	for i := range pools {
		f[i] = r.fill(&pools[i], dry, 0, fee, nil)
		dry, want = f[i].net, want+f[i].use
	}
	for i := range pools {
		if want <= limit { // the cap does not bind: those fills stand
			r.commit(&pools[i], net, f[i], f[i], 1, fee)
		} else {
			r.buyCapped(&pools[i], net, fee, limit*f[i].use/want)
		}
	}
}

// purchase is a pool's fill at a cap price λ: chips smuggled, the licensed
// and unlimited chips bought (dollars, fee included), the cap they use and
// the network after.
type purchase struct {
	l, a          *foreignChip
	usdL, usdA    float64
	smug, smugUSD float64
	left          float64 // money not spent
	use           float64
	net           network
}

// capUse is a chip's cap use per dollar: its training-basis H100e over its
// price with the fee, or 0 for a chip that needs no permission.
func capUse(c *foreignChip, fee float64) float64 {
	if c == nil || c.status == allowed {
		return 0
	}
	return c.h[training] / (c.price * (1 + fee))
}

// candidate is a chip on sale with its value per dollar v on a pool's
// basis (fee paid) and its cap use per dollar k.
type candidate struct {
	c    *foreignChip
	v, k float64
}

// fill is a pool's purchase, best net value first, at cap price lam
// (buyPools), on a copy of the network, among the candidates (nil: the
// pool's plan, the fill at λ = 0).
func (r *runner) fill(pl *pool, net network, lam, fee float64, cands []candidate) (f purchase) {
	var vL, vA float64
	if cands == nil { // the pool's plan (choose) is the fill at λ = 0
		f.l, f.a, vL, vA = pl.plan.bestL, pl.plan.bestA, pl.plan.vL, pl.plan.vA
	}
	for i := range cands {
		c := &cands[i]
		v := c.v - lam*c.k
		if c.c.status == licensed {
			if v > vL {
				f.l, vL = c.c, v
			}
		} else if v > vA {
			f.a, vA = c.c, v
		}
	}
	tp := pool{basis: pl.basis, barred: pl.barred, left: pl.money}
	if f.l != nil && vL > vA {
		smuggleAbove(&tp, &net, vL)
		f.usdL = fmin(pl.quota, tp.left)
		tp.left -= f.usdL
	} else {
		f.l = nil
	}
	if f.a != nil {
		smuggleAbove(&tp, &net, vA)
		f.usdA, tp.left = tp.left, 0
	} else {
		// no unlimited use: the rest is smuggled at any price capacity
		// allows, this pool before the next (training first)
		smuggle(&tp, &net, tp.left)
	}
	f.smug, f.smugUSD, f.left, f.net = tp.smug, tp.smugUSD, tp.left, net
	f.use = f.usdL*capUse(f.l, fee) + f.usdA*capUse(f.a, fee)
	return f
}

// buyCapped buys a pool's purchase under its share k of the cap: the fill
// at λ = 0 if it uses no more, else the mix of the fills either side of
// the λ at which the cap used falls to k (bisection; the cap used falls
// as λ rises).
func (r *runner) buyCapped(pl *pool, net *network, fee, k float64) {
	lo := r.fill(pl, *net, 0, fee, nil)
	if lo.use <= k {
		r.commit(pl, net, lo, lo, 1, fee)
		return
	}
	// The chips on sale, once: capped ones, and the best allowed one (no
	// cap, so no other allowed chip is ever chosen). Above the largest
	// value per unit of cap no capped chip is worth buying, so the cap
	// used is 0 ≤ k there.
	cands := r.cands[:0]
	lamLo, lamHi := 0.0, 0.0
	if free := pl.plan.v.bestFree; free != nil {
		cands = append(cands, candidate{c: free, v: free.h[pl.basis] / free.price})
	}
	for i := range r.foreign {
		if c := &r.foreign[i]; c.status == licensed || c.status == excepted {
			cands = append(cands, candidate{c: c, v: c.h[pl.basis] / (c.price * (1 + fee)), k: capUse(c, fee)})
			if c.h[training] > 0 {
				lamHi = fmax(lamHi, c.h[pl.basis]/c.h[training])
			}
		}
	}
	r.cands = cands
	lamHi = lamHi*(1+1e-9) + 1e-300
	hi := r.fill(pl, *net, lamHi, fee, cands)
	// Where both fills smuggle the same volume (a full network, or none)
	// the mix is exact at any λ between them: 1e-7 of λ then suffices to
	// part two chip choices.
	for it := 0; it < 200 && lamHi-lamLo > 1e-14*lamHi && (lo.smug != hi.smug || lamHi-lamLo > 1e-7*lamHi); it++ {
		mid := 0.5 * (lamLo + lamHi)
		if f := r.fill(pl, *net, mid, fee, cands); f.use > k {
			lamLo, lo = mid, f
		} else {
			lamHi, hi = mid, f
		}
	}
	r.commit(pl, net, lo, hi, (k-hi.use)/(lo.use-hi.use), fee)
}

// commit buys θ of fill lo and 1 − θ of fill hi: the chips by those
// shares and the mixed volume of smuggled chips, whose cost (convex in
// volume) is then at most the mix of the two; what is not spent goes on
// down the list. θ = 1 replays fill lo exactly.
func (r *runner) commit(pl *pool, net *network, lo, hi purchase, theta, fee float64) {
	if theta >= 1 {
		*net = lo.net
		pl.smug += lo.smug
		pl.smugUSD += lo.smugUSD
		pl.left = pl.money - lo.smugUSD
	} else {
		pl.left = pl.money
		smuggleVolume(pl, net, theta*lo.smug+(1-theta)*hi.smug)
	}
	for _, b := range [...]struct {
		c   *foreignChip
		usd float64
	}{{lo.l, theta * lo.usdL}, {lo.a, theta * lo.usdA}, {hi.l, (1 - theta) * hi.usdL}, {hi.a, (1 - theta) * hi.usdA}} {
		if b.c == nil || b.usd <= 0 {
			continue
		}
		usd := fmin(b.usd, pl.left)
		price := b.c.price
		if b.c.status != allowed {
			price *= 1 + fee
		}
		b.c.units += usd / price
		b.c.unitsBy[pl.basis] += usd / price
		pl.legalUSD += usd
		pl.left -= usd
	}
	if theta >= 1 {
		pl.left = lo.left
	}
}

// smuggleVolume buys v chips through the network, as far as capacity and
// the pool's money allow, at p₀·(v + a·((V₀+v)² − V₀²)) (smuggle).
func smuggleVolume(pl *pool, net *network, v float64) {
	c := pl.barred
	v = fmin(v, net.capChips-net.used)
	if c == nil || v <= 0 {
		return
	}
	cost := c.price * net.premium * (v + net.a*((net.used+v)*(net.used+v)-net.used*net.used))
	if cost > pl.left {
		smuggle(pl, net, pl.left)
		return
	}
	net.used += v
	pl.smug += v
	pl.smugUSD += cost
	pl.left -= cost
}

// smuggleAbove smuggles with the pool's money while a marginal chip is
// worth more than v per dollar: up to the network volume
// V* = (h/(list·p₀·v) − 1)/(2a), a = slope/V_ref.
func smuggleAbove(pl *pool, net *network, v float64) {
	c := pl.barred
	if c == nil || pl.left <= 0 {
		return
	}
	u := c.h[pl.basis] / (c.price * net.premium)
	if u <= v {
		return
	}
	limit := net.capChips
	if net.a > 0 && v > 0 {
		limit = fmin(limit, (u/v-1)/(2*net.a))
	}
	net.limit = limit
	smuggle(pl, net, pl.left)
	net.limit = net.capChips
}

// network is the smuggling network this quarter: what gets through of
// its capacity (chips) and how much of that is already used.
// limit, at most capChips, bounds the volume of the current purchase;
// premium and a = slope/V_ref set its prices (smuggle).
type network struct{ capChips, limit, used, premium, a float64 }

// Smuggling's formulations (structure.smuggling, docs/MODEL.md, "Structural alternatives").
const (
	smugNetwork = 0 // a finite network that grows toward unmet demand (9.1)
	smugShare   = 1 // a share of the quarter's blocked demand, bounded by the budget
)

// smugStructure reads the structural switch robustly: property tests draw
// it uniformly over its bounds, so it is rounded to the nearest
// formulation.
func smugStructure(x float64) int {
	if x >= 0.5 {
		return smugShare
	}
	return smugNetwork
}

// network sets this quarter's smuggling network. What gets through is a
// share of its capacity,
//
//	leak = clamp(leakage·scale·(1 − cut·tier2_caps)·(1 − reach·block), 0, 1)
//
// where block is China's import block (its customs checks reach smuggled
// chips too, FT 2025-10-10). The capacity is the network's S(t) (finite
// network) or σ·D(t), a share σ of the quarter's blocked demand in chips,
// D = Σ_pools w_i·B(t)·blocked_i/price_i on the quarter's budget B(t), not
// the money at hand, so that spending history does not feed back (share of
// blocked demand). Prices rise with the quarter's volume against the 2024
// network's quarterly capacity V_ref = S_2024/4.
func (s *state) network(q *quarter, block, blockedChips float64) network {
	pp := s.p
	leak := s.leak(q, block)
	capacity := s.smugCapacity
	if smugStructure(pp.smugStructure) == smugShare {
		capacity = pp.smugDemandShare * blockedChips
	}
	n := network{capChips: capacity * leak, premium: pp.smugglePremium,
		a: pp.smugSlope / fmax(1, pp.smugCap2024/4)} // V_ref of at least one chip: a finite price
	n.limit = n.capChips
	return n
}

// leak is the share of the network's capacity that gets through the US
// enforcement levers and China's customs (block: China's import block).
func (s *state) leak(q *quarter, block float64) float64 {
	pp := s.p
	return clamp01(q.lever(leverIdx.leakage) * pp.leakageScale * (1 - pp.tier2Cut*q.lever(leverIdx.tier2)) *
		(1 - clamp01(pp.smugChinaReach)*block))
}

// openMarket brings the foreign chips up to this quarter (updateChips) and
// sets the reference value of imports that caps domestic prices
// (domesticPrice). v_b is the most H100e per dollar on basis b that any
// foreign channel open this quarter offers at its lowest price: an allowed
// chip at list price; an excepted chip, or a licensed one when licences
// are approved, at list × (1 + fee), while China's block lets some legal
// purchases through; any chip on sale at list × the network's base
// premium, while the network lets some through. No foreign dollar buys
// more than v_b (fees, premiums rising with volume, caps and blocks only
// lower it). The reference follows v_b at once when it rises and falls
// by at most the share δ a quarter when channels close:
//
//	v̄_b(t) = max(v_b(t), (1 − δ)·v̄_b(t − 1)),   v̄_b(t₀) = v_b(t₀)
//
// So v̄_b ≥ v_b: a domestic chip priced at no more than h_b/v̄_b frees, when
// it is not made, no more money than buys back its H100e abroad; and a
// tighter US rule, which only lowers v_b, never lowers a domestic price.
func (r *runner) openMarket(s *state, q *quarter) {
	now := ruleAt(q, q.lever)
	r.updateChips(s, q, now)
	fee := fmax(0, q.lever(leverIdx.fee))
	block := clamp01(q.lever(leverIdx.importBlock))
	approved := q.lever(leverIdx.approval) > 0
	smuggled := s.leak(q, block) > 0 && (s.smugCapacity > 0 || smugStructure(s.p.smugStructure) == smugShare)
	var v [2]float64
	for i := range r.foreign {
		c := &r.foreign[i]
		if c.status == unavailable {
			continue
		}
		mult := math.Inf(1)
		switch {
		case block < 1 && c.status == allowed:
			mult = 1
		case block < 1 && (c.status == excepted || c.status == licensed && approved):
			mult = 1 + fee
		}
		if smuggled {
			mult = fmin(mult, s.p.smugglePremium)
		}
		for b := range v {
			v[b] = fmax(v[b], c.h[b]/(c.price*mult))
		}
	}
	keep := 1 - clamp01(s.p.priceAdjust)
	if q.t == 0 {
		keep = 0
	}
	for b := range v {
		s.openValue[b] = fmax(v[b], keep*s.openValue[b])
	}
}

// smuggle spends up to money on the pool's best barred chip through the
// network. A chip costs its list price × premium × (1 + slope·V/capacity)
// on average when V chips go through (the premium rises with volume); with
// V0 already bought, v more cost p0·(v + a·((V0+v)² − V0²)), a =
// slope/V_ref, and v solves that = money, up to what capacity is left.
// Both pools share the network, the training pool first.
func smuggle(pl *pool, net *network, money float64) {
	c := pl.barred
	room := fmin(net.capChips, net.limit) - net.used
	if c == nil || money <= 0 || room <= 0 {
		return
	}
	p0 := c.price * net.premium
	k := money / p0
	a := net.a
	b := 1 + 2*a*net.used
	v := 2 * k / (b + math.Sqrt(b*b+4*a*k))
	spent := money
	if v >= room {
		v = room
		spent = fmin(money, p0*(v+a*((net.used+v)*(net.used+v)-net.used*net.used)))
	}
	net.used += v
	pl.smug += v
	pl.smugUSD += spent
	pl.left -= spent
}

// rentCloud rents overseas cloud compute for training with what the
// training pool has left, up to enforcement.cloud_access × the training
// demand the rules block (in H100e of the best chip with no rule), at the
// rental price of a quarter (2,191.5 hours). Capacity is reserved by
// contracts of L quarters (cloud.contract_quarters), paid when signed: a
// contract signed in quarter t gives its H100e in quarters t to t + L − 1
// for L quarters' rent. The H100e rented in a quarter are the contracts
// still running plus those signed in it; when the cap falls below the
// running contracts (less cloud access, less blocked demand), they are
// cut to it, the money already paid being lost:
//
//	R(t) = min(cap(t), Σ_{k=1..L−1} n(t − k)) + n(t),   n(t) = min(cap(t) − running, left/(L·rent))
//
// Spot rental (L = 1) let a quarter whose leftover money had nowhere else
// to go (2023Q4: A800/H800 barred, the H20 not yet on sale) double a small
// largest run, which fell by half the next quarter in a third of runs.
func (s *state) rentCloud(q *quarter, pl *pool, demand float64) {
	L := min(len(s.cloudBook)+1, max(1, int(math.Round(s.p.cloudContract))))
	rent := s.p.cloudRent * 2191.5
	limit := q.lever(leverIdx.cloud) * s.p.cloudResponse * pl.blocked * demand * pl.plan.v.best
	running := 0.0
	for k := 0; k < L-1; k++ {
		running += s.cloudBook[k]
	}
	if running > limit {
		cut := 0.0
		if running > 0 {
			cut = fmax(0, limit) / running
		}
		for k := range s.cloudBook {
			s.cloudBook[k] *= cut
		}
		running = fmax(0, limit)
	}
	signed := fmax(0, fmin(limit-running, pl.left/(rent*float64(L))))
	s.spendCloud = signed * rent * float64(L)
	pl.left -= s.spendCloud
	s.cloudH100e = running + signed
	copy(s.cloudBook[1:], s.cloudBook[:len(s.cloudBook)-1])
	s.cloudBook[0] = signed
	for k := L - 1; k < len(s.cloudBook); k++ {
		s.cloudBook[k] = 0 // expired
	}
}

// stockpile buys, ahead of a rule that will bar them, 1 + surge times the
// quarter's purchases of the chips concerned. The surge is paid for: from
// the money left this quarter and, beyond it, by borrowing up to one
// quarter's budget from the next (a negative carry).
func (r *runner) stockpile(s *state, q *quarter, money, fee float64) (spent float64) {
	anyPending := false
	for _, i := range [...]int{leverIdx.tpp, leverIdx.io, leverIdx.pd, leverIdx.pdFloor, leverIdx.exceptions, leverIdx.named} {
		if !math.IsNaN(q.pend[i][q.t]) {
			anyPending = true
		}
	}
	if !anyPending || s.p.stockpileSurge == 0 {
		return 0
	}
	next := ruleAt(q, q.pending)
	want := 0.0
	for i := range r.foreign {
		c := &r.foreign[i]
		if c.units > 0 && next.status(c) == licensed && c.status != licensed {
			want += c.units * s.p.stockpileSurge * c.price * (1 + fee*b2f(c.status != allowed))
		}
	}
	if want <= 0 {
		return 0
	}
	avail := money - s.domSpendUSD - s.spendLegal - s.spendSmuggled - s.spendCloud + s.budgetQ
	f := clamp01(avail/want) * s.p.stockpileSurge
	before := s.spendLegal
	for i := range r.foreign {
		c := &r.foreign[i]
		if c.units > 0 && next.status(c) == licensed && c.status != licensed {
			s.addLegal(c, c.units*f, fee)
			// the surge of a chip is each pool's in proportion to what it bought
			sI := c.unitsBy[inference] / (c.unitsBy[training] + c.unitsBy[inference])
			s.valuedAdd += c.units * f * ((1-sI)*c.h[training] + sI*c.h[inference])
			s.infPoolAdd += c.units * f * sI * c.h[training]
		}
	}
	return s.spendLegal - before
}

func b2f(b bool) float64 {
	if b {
		return 1
	}
	return 0
}

// settle carries what is left to the next quarter, less the share d that
// leaves accelerator budgets:
//
//	released = d·max(0, rest),  carry = rest − released
//
// where rest is the money followed through the channels, which must equal
// money − domestic − legal − smuggled − cloud. A negative rest is a debt
// a stockpile surge ran up; it is carried whole.
func (s *state) settle(rest float64) {
	s.released = s.p.releaseShare * fmax(0, rest)
	s.carry = rest - s.released
}

// initSmuggling sets the network's base capacity path, per quarter:
// S_base(t) = S_2024/4 · g^(t − 2024.5), and its ceiling S_max =
// M·S_2024/4 (smugglingUpdate keeps both below it).
func (s *state) initSmuggling(year0 float64) {
	s.smugCeil = s.p.smugCeiling * s.p.smugCap2024 / 4
	s.smugBase = fmin(s.smugCeil, s.p.smugCap2024/4*math.Pow(s.p.smugGrowth, year0-2024.5))
	s.smugBaseStep = math.Pow(s.p.smugGrowth, dt)
	s.smugCapacity = s.smugBase
}

// smugglingUpdate moves the network's capacity toward its base path plus
// the demand response times the chips the US rules turned away, bounded
// by the ceiling, with a lag of L quarters:
//
//	S(t+1) = S + (min(S_base(t) + ρ·U(t), S_max) − S)/L
func (s *state) smugglingUpdate(unmetChips float64) {
	target := fmin(s.smugCeil, s.smugBase+s.p.smugResponse*unmetChips)
	s.smugCapacity = fmax(0, s.smugCapacity+(target-s.smugCapacity)/fmax(1, s.p.smugLag))
	s.smugBase = fmin(s.smugCeil, s.smugBase*s.smugBaseStep)
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
		c.unitsBy = [2]float64{}
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

// foreignBudget returns the money left for foreign chips after domestic
// supply, the part of it China's domestic-chip mandate lets go to legal
// imports, and the share of the money domestic supply leaves open. The
// mandate m applies to the state-directed share φ of purchases: their
// foreign spending is at most (1 − m) of their total, φ·money:
//
//	legal ≤ (1 − φ)·F + min(φ·F, (1 − m)·φ·money)
//
// The rest of F is not deleted: it goes on down the list.
func foreignBudget(s *state, q *quarter, money float64) (foreign, legal, openShare float64) {
	foreign = money - s.domSpendUSD
	if foreign < 1 { // under a dollar: rounding residue of a budget spent at home
		foreign = 0
	}
	if money > 0 {
		openShare = clamp01(1 - s.domListUSD/money)
	}
	legal = foreign
	if m := q.lever(leverIdx.mandate); m > 0 {
		phi := s.p.stateShare
		legal = (1-phi)*foreign + fmin(phi*foreign, fmax(0, (1-m)*phi*money))
	}
	return foreign, legal, openShare
}

// noCap is the volume cap lever's "no cap" value (its default): it never
// binds, however large the budget a random draw gives.
const noCap = 1e9

// capOnOrders is the volume cap on what China's buyers order. The cap
// limits what ships, and China's import block turns away a share b of the
// orders first, so orders of K/(1 − b) ship K: shipped = min((1 − b)·X, K),
// never min(X, K)·(1 − b), which would let the cap bind on orders China
// refuses anyway.
func capOnOrders(q *quarter) float64 {
	limit := q.lever(leverIdx.volumeCap)
	block := clamp01(q.lever(leverIdx.importBlock))
	if limit >= noCap || block >= 1 {
		return noCap
	}
	return fmin(noCap, limit/(1-block))
}

// nominalCapScale is the volume cap's scale if each pool spent all its
// legal money by its plan (1: the cap would not bind).
func nominalCapScale(q *quarter, pools *[2]pool, fee float64) float64 {
	limit := capOnOrders(q)
	if limit >= noCap {
		return 1
	}
	capped := 0.0
	for i := range pools {
		pl := &pools[i].plan
		if pl.bestL != nil {
			capped += pools[i].money * pl.shareL * pl.bestL.h[training] / (pl.bestL.price * (1 + fee))
		}
		if pl.bestA != nil && pl.bestA.status == excepted {
			capped += pools[i].money * pl.shareA * pl.bestA.h[training] / (pl.bestA.price * (1 + fee))
		}
	}
	if !(capped > limit) {
		return 1
	}
	return limit / capped
}

// perDollar is a pool's value (H100e on its basis) per dollar of its legal
// money: on the best chip with no rule, on freely allowed chips and on
// licensed or excepted ones (which a volume cap may scale).
type perDollar struct {
	best, free, capped float64
	// cappedShare is the share of the pool's money on licensed or excepted
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

// plan is how a pool spends on legal chips: a share of its money on the
// best licensed chip (the approved share, when it beats the best allowed
// one) and the rest, if any chip is allowed, on the best allowed chip.
type plan struct {
	v              perDollar
	bestA, bestL   *foreignChip
	vA, vL         float64 // their value per dollar on the pool's basis, fee paid
	shareA, shareL float64 // shares of the money each absorbs
}

// choose finds the best chips for basis under the rule now in force.
func (r *runner) choose(basis int, fee, approval float64) (pl plan) {
	var vA, vL float64
	for i := range r.foreign {
		c := &r.foreign[i]
		if c.status == unavailable {
			continue
		}
		u := c.h[basis] / c.price
		pl.v.best = fmax(pl.v.best, u)
		switch c.status {
		case allowed:
			if u > vA {
				pl.bestA, vA = c, u
			}
			if u > pl.v.freeBest {
				pl.v.bestFree, pl.v.freeBest = c, u
			}
		case excepted:
			if u /= 1 + fee; u > vA {
				pl.bestA, vA = c, u
			}
		case licensed:
			if u /= 1 + fee; u > vL {
				pl.bestL, vL = c, u
			}
		}
	}
	if pl.v.best == 0 {
		return plan{}
	}
	pl.vA, pl.vL = vA, vL
	shareA := 1.0
	if pl.bestL != nil && vL > vA {
		pl.shareL = approval
		pl.v.capped += approval * vL
		pl.v.cappedShare += approval
		shareA = 1 - approval
	} else {
		pl.bestL = nil
	}
	if pl.bestA != nil {
		pl.shareA = shareA
		if pl.bestA.status == excepted {
			pl.v.capped += shareA * vA
			pl.v.cappedShare += shareA
		} else {
			pl.v.free += shareA * vA
		}
	}
	return pl
}

// bestOnSale is the chip with the most value per dollar on basis among all
// chips on sale, whatever the rule: what the smuggling network sells. The
// network's choice does not depend on the US rules, so a tightening never
// gives it a better chip to sell; under controls that bite it is a barred
// chip, and without them buyers get it legally, cheaper, first.
func (r *runner) bestOnSale(basis int) (best *foreignChip) {
	bv := 0.0
	for i := range r.foreign {
		c := &r.foreign[i]
		if c.status == unavailable {
			continue
		}
		if u := c.h[basis] / c.price; u > bv {
			best, bv = c, u
		}
	}
	return best
}
