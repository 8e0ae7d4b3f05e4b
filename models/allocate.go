package models

import (
	"math"
	"slices"
)

// Packaging allocation (docs/MODEL.md, "Model v2: domestic supply"): the
// quarter's packages x_g, one per generation g, maximise the H100e made
//
//	max Σ h_g·x_g   subject to   0 ≤ x_g ≤ c_g,   Σ p_g·x_g ≤ B,   Σ s_g·x_g ≤ H
//
// with c_g the packages the dies in stock allow, p_g the price, s_g the HBM
// stacks per package, B the quarter's budget and H the stacks available.
// Buyers take the most H100e the budget buys; packagers put scarce HBM
// where it yields the most. Being an optimum over a set that shrinks with
// the dies in stock, the output can never rise when any generation has
// fewer dies: the stacks or dollars a missing die would have used go to a
// die that yields no more.

// allocTol is the relative slack allowed on a bound when checking a
// candidate solution: float noise only.
const allocTol = 1e-9

// allocProblem holds one quarter's linear programme.
type allocProblem struct {
	n             int
	h, p, s, c    [maxGen]float64
	budget, stack float64
	// f is each column's fabrication factor, carried for the caller's
	// bookkeeping (packColumns, takeDies); the programme does not read it.
	f [maxGen]float64
}

// solve returns the optimal packages in x. With two constraints an optimal
// vertex has at most two generations strictly between their bounds: it is
// the one-constraint greedy solution (by H100e per dollar or per stack)
// when that meets the other constraint, or else a vertex where both bind
// and two generations, i and j, are free, the others at a bound set by the
// shadow prices (μ, ν) that make i and j break even. solve tries them all
// and keeps the best feasible one.
func (a *allocProblem) solve(x *[maxGen]float64) {
	// Generations alike in H100e, price and stacks (the 950PR and 950DT
	// share a die) are one column written twice: at a vertex where they
	// break even, rounding would put one at its bound or not and leave the
	// two free generations no feasible solution. They are solved as one,
	// with the packages split back in proportion to their bounds.
	var m allocProblem
	var col [maxGen]int
	m.budget, m.stack = a.budget, a.stack
	for g := 0; g < a.n; g++ {
		k := 0
		for k < m.n && (m.h[k] != a.h[g] || m.p[k] != a.p[g] || m.s[k] != a.s[g]) {
			k++
		}
		if k == m.n {
			m.h[k], m.p[k], m.s[k] = a.h[g], a.p[g], a.s[g]
			m.n++
		}
		m.c[k] += a.c[g]
		col[g] = k
	}
	if m.n == a.n {
		a.solveDistinct(x)
		return
	}
	var y [maxGen]float64
	m.solveDistinct(&y)
	*x = [maxGen]float64{}
	for g := 0; g < a.n; g++ {
		if k := col[g]; m.c[k] > 0 {
			x[g] = y[k] * a.c[g] / m.c[k]
		}
	}
}

// solveDistinct is solve for generations that differ in H100e, price or
// stacks. A one-constraint greedy solution that meets the other constraint
// is optimal (it is optimal for a larger feasible set). Otherwise both
// bind, and the optimum is found through the stacks' shadow price ν: for a
// given ν, the best use of the budget alone is the fractional knapsack of
// the values h_g − ν·s_g (fillAt); the stacks it uses fall as ν rises
// (the Lagrangian dual is convex), so ν is searched for where they cross H,
// and the two fills either side are mixed to use H exactly. Both fills
// are optimal for the Lagrangian at that ν and the mix meets both
// constraints, so it is optimal (complementary slackness). Unlike the
// vertices of the programme, the fills stay well defined when many
// generations tie in H100e per dollar, as they do when every domestic
// chip sells at the import parity price (domesticPrice).
func (a *allocProblem) solveDistinct(x *[maxGen]float64) {
	a.greedy(x, &a.p, a.budget)
	if a.feasible(x) {
		return
	}
	var y [maxGen]float64
	a.greedy(&y, &a.s, a.stack)
	if a.feasible(&y) {
		*x = y
		return
	}
	a.shadowMix(x)
}

// shadowMix finds the stacks' shadow price ν at which the fill's stacks
// cross H and mixes the fills either side. The fill changes only where two
// generations swap in (h − ν·s)/p or one's h − ν·s reaches 0, so ν is
// searched over the intervals between those breakpoints (at most
// n(n − 1)/2 + n), each represented by its midpoint: a binary search of a
// few fills, where bisecting ν to float precision took some sixty.
func (a *allocProblem) shadowMix(x *[maxGen]float64) {
	var bp [maxGen*(maxGen-1)/2 + maxGen]float64
	m, top := 0, 0.0
	for g := 0; g < a.n; g++ {
		if a.s[g] > 0 {
			bp[m] = a.h[g] / a.s[g]
			top = fmax(top, bp[m])
			m++
		}
	}
	for i := 0; i < a.n; i++ {
		for j := i + 1; j < a.n; j++ {
			di, dj := a.s[i]/a.p[i], a.s[j]/a.p[j]
			if di == dj {
				continue
			}
			if nu := (a.h[i]/a.p[i] - a.h[j]/a.p[j]) / (di - dj); nu > 0 && nu < top {
				bp[m] = nu
				m++
			}
		}
	}
	pts := bp[:m]
	slices.Sort(pts)
	// Evaluation points: ν = 0, the midpoint of each interval between
	// distinct breakpoints, and beyond the last (only stack-free
	// generations left, so no stacks used).
	var ev [len(bp) + 2]float64
	e, prev := 1, 0.0
	for _, b := range pts {
		if b > prev {
			ev[e] = prev + (b-prev)/2
			e++
			prev = b
		}
	}
	ev[e] = 2*top + 1
	e++
	// The stacks used fall with ν (the dual is convex); ν = 0 uses more
	// than H (solveDistinct's greedy), the last point none.
	var y [maxGen]float64
	lo, hi := 0, e-1
	for hi-lo > 1 {
		mid := (lo + hi) / 2
		a.fillAt(&y, ev[mid])
		if a.stacks(&y) > a.stack {
			lo = mid
		} else {
			hi = mid
		}
	}
	var xl, xh [maxGen]float64
	a.fillAt(&xl, ev[lo])
	a.fillAt(&xh, ev[hi])
	sl, sh := a.stacks(&xl), a.stacks(&xh)
	theta := 0.0
	if sl > sh {
		theta = clamp01((a.stack - sh) / (sl - sh))
	}
	for g := 0; g < a.n; g++ {
		x[g] = fmin(a.c[g], fmax(0, theta*xl[g]+(1-theta)*xh[g]))
	}
}

// fillAt spends the budget on the generations best in (h_g − ν·s_g)/p_g
// first, those with h_g − ν·s_g > 0 only, each up to its bound.
func (a *allocProblem) fillAt(y *[maxGen]float64, nu float64) {
	var net [maxGen]float64
	for g := 0; g < a.n; g++ {
		net[g] = fmax(0, a.h[g]-nu*a.s[g])
	}
	a.greedyOf(y, &net, &a.p, &a.p, a.budget)
	for g := 0; g < a.n; g++ {
		if net[g] == 0 {
			y[g] = 0
		}
	}
}

func (a *allocProblem) stacks(y *[maxGen]float64) float64 {
	v := 0.0
	for g := 0; g < a.n; g++ {
		v += a.s[g] * y[g]
	}
	return v
}

func (a *allocProblem) value(y *[maxGen]float64) float64 {
	v := 0.0
	for g := 0; g < a.n; g++ {
		v += a.h[g] * y[g]
	}
	return v
}

func (a *allocProblem) feasible(y *[maxGen]float64) bool {
	var cost, stacks float64
	for g := 0; g < a.n; g++ {
		cost += a.p[g] * y[g]
		stacks += a.s[g] * y[g]
	}
	return cost <= a.budget*(1+allocTol) && stacks <= a.stack*(1+allocTol)
}

// greedy fills y by decreasing H100e per unit of the resource w (ties in
// generation order) until its total runs out; the other resource is
// ignored.
func (a *allocProblem) greedy(y *[maxGen]float64, w *[maxGen]float64, total float64) {
	a.greedyBy(y, w, w, total)
}

// greedyBy fills y in decreasing order of H100e per unit of rank (ties in
// generation order), each up to its bound, until the total of resource use
// runs out.
func (a *allocProblem) greedyBy(y, rank, use *[maxGen]float64, total float64) {
	a.greedyOf(y, &a.h, rank, use, total)
}

// greedyOf is greedyBy with the values h in place of the H100e a.h
// (fillAt's h − ν·s).
//
// Column g goes before column o in a fill by a higher
// ratio first; on a tie (relative 1e-12: ratios computed from the same
// prices by different routes), the more value per unit of the column
// (H100e per package, per wafer share), then the earlier column. At import
// parity every capped generation has the same value per dollar, and a tie
// broken by order alone put the wafers on the oldest generation (0.3 H100e
// a package) rather than the newest (41), so that a tighter rule, which
// lifted the tie, raised output.
func (a *allocProblem) greedyOf(y, h, rank, use *[maxGen]float64, total float64) {
	// A stable insertion sort on ratios computed once: at most maxGen
	// entries, called every quarter, where slices.SortStableFunc's closure
	// calls cost more than the sort itself. The comparison is written out
	// in the loop: the sort is the model's hottest loop.
	var order [maxGen]int
	var ratio [maxGen]float64
	for g := 0; g < a.n; g++ {
		rg := h[g] * 1e300
		if rank[g] > 0 {
			rg = h[g] / rank[g]
		}
		ratio[g] = rg
		k := g
		for ; k > 0; k-- {
			o := order[k-1]
			// The tolerance scales with the larger magnitude, written as a
			// comparison (not fmax): with a NaN ratio the difference is NaN
			// and the test fails either way.
			ro := ratio[o]
			scale := math.Abs(rg)
			if ar := math.Abs(ro); ar > scale {
				scale = ar
			}
			if math.Abs(rg-ro) > 1e-12*scale {
				if !(rg > ro) {
					break
				}
			} else if !(h[g] > h[o]) {
				break
			}
			order[k] = o
		}
		order[k] = g
	}
	left := fmax(0, total)
	*y = [maxGen]float64{}
	for _, g := range order[:a.n] {
		switch {
		case !(use[g] > 0):
			y[g] = a.c[g]
		case left > 0:
			y[g] = fmin(a.c[g], left/use[g])
			left -= y[g] * use[g]
		case left == left:
			// Spent: fmin(c, fmax(0, left)/use) without the division
			// (most of a fill's columns come after the total runs out).
			y[g] = fmin(a.c[g], 0)
		default:
			y[g] = left // NaN, as the division would give
		}
	}
}
