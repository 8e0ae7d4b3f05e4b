package models

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
// stacks.
func (a *allocProblem) solveDistinct(x *[maxGen]float64) {
	var best float64
	*x = [maxGen]float64{}
	var y [maxGen]float64
	try := func() {
		if v := a.value(&y); v > best && a.feasible(&y) {
			best, *x = v, y
		}
	}
	// A one-constraint greedy solution that meets the other constraint is
	// optimal (it is optimal for a larger feasible set): no vertex can beat it.
	a.greedy(&y, &a.p, a.budget)
	if try(); best > 0 && a.feasible(&y) {
		return
	}
	a.greedy(&y, &a.s, a.stack)
	if try(); best > 0 && a.feasible(&y) {
		return
	}
	for i := 0; i < a.n; i++ {
		for j := i + 1; j < a.n; j++ {
			if a.vertex(&y, i, j) {
				try()
			}
		}
	}
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
	// A stable insertion sort on ratios computed once: at most maxGen
	// entries, called every quarter, where slices.SortStableFunc's closure
	// calls cost more than the sort itself.
	var order [maxGen]int
	var ratio [maxGen]float64
	for g := 0; g < a.n; g++ {
		ratio[g] = a.h[g] * 1e300
		if rank[g] > 0 {
			ratio[g] = a.h[g] / rank[g]
		}
		k := g
		for ; k > 0 && ratio[order[k-1]] < ratio[g]; k-- {
			order[k] = order[k-1]
		}
		order[k] = g
	}
	left := max(0, total)
	*y = [maxGen]float64{}
	for _, g := range order[:a.n] {
		y[g] = a.c[g]
		if use[g] > 0 {
			y[g] = min(a.c[g], max(0, left)/use[g])
			left -= y[g] * use[g]
		}
	}
}

// vertex sets y to the vertex where both constraints bind with i and j
// free, and reports whether it exists and keeps i and j within bounds.
func (a *allocProblem) vertex(y *[maxGen]float64, i, j int) bool {
	det := a.p[i]*a.s[j] - a.p[j]*a.s[i]
	if det == 0 {
		return false
	}
	mu := (a.h[i]*a.s[j] - a.h[j]*a.s[i]) / det
	nu := (a.p[i]*a.h[j] - a.p[j]*a.h[i]) / det
	if mu < 0 || nu < 0 {
		return false
	}
	bl, hl := a.budget, a.stack
	for k := 0; k < a.n; k++ {
		y[k] = 0
		if k != i && k != j && a.h[k] > mu*a.p[k]+nu*a.s[k] {
			y[k] = a.c[k]
			bl -= a.p[k] * y[k]
			hl -= a.s[k] * y[k]
		}
	}
	y[i] = (bl*a.s[j] - hl*a.p[j]) / det
	y[j] = (a.p[i]*hl - a.s[i]*bl) / det
	return a.within(y, i) && a.within(y, j)
}

// within clamps y[g] to [0, c_g] if it lies within float noise of it.
func (a *allocProblem) within(y *[maxGen]float64, g int) bool {
	slack := allocTol * max(a.c[g], 1)
	if y[g] < -slack || y[g] > a.c[g]+slack {
		return false
	}
	y[g] = min(a.c[g], max(0, y[g]))
	return true
}
