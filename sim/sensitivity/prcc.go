package sensitivity

import (
	"math"
	"slices"

	"github.com/chokepoint-sim/chokepoint/sim"
)

// PRCC returns the partial rank correlation coefficient of each input column
// of x (x[i][j]: run i, input j) with the output y, and its two-sided
// p-value (Marino et al. 2008, "A methodology for performing global
// uncertainty and sensitivity analysis in systems biology", J. Theor. Biol.
// 254:178–196). Inputs and output are replaced by their ranks (ties get the
// average rank); the PRCC of input j is the correlation between the
// residuals of rank(x_j) and of rank(y) after linear regression on the ranks
// of all other inputs. The p-value is from Student's t with n−2−(k−1) degrees
// of freedom (Marino et al. 2008), t = ρ √(dof/(1−ρ²)), k counting every
// column of x, constant or not.
//
// An input that is constant, or whose ranks are an exact linear combination
// of the ranks of inputs before it, has no variation left to correlate: its
// PRCC is 0 with p-value 1 (like a coefficient R's lm reports as aliased),
// and the other inputs are corrected for the ones that remain. If y is
// constant every PRCC is 0.
//
// PRCC panics if x is ragged or holds NaN, if len(y) != len(x), if k < 1, or
// if there are too few runs for a positive dof (n < k+2).
func PRCC(x [][]float64, y []float64) (coef, p []float64) {
	return prccEffective(x, y, float64(prccDOF(x, y)))
}

// PRCCClustered is PRCC for runs that repeat parameter rows (a posterior
// ensemble): runs whose inputs are identical are a cluster, and the
// p-values take n_eff = sim.EffectiveSize of the runs (Kish's design
// effect, with the intraclass correlation of y's ranks within clusters) in
// place of n, so n_eff−2−(k−1) degrees of freedom. With n_eff−k−1 < 1
// there is too little independent evidence for a test: every p-value is
// NaN. It returns n_eff too.
func PRCCClustered(x [][]float64, y []float64) (coef, p []float64, nEff float64) {
	prccDOF(x, y)
	k := len(x[0])
	keys := make([]uint64, len(x))
	for i, row := range x {
		keys[i] = sim.RowKey(k, func(j int) float64 { return row[j] })
	}
	ry, ok := centredRanks(y)
	if !ok {
		ry = make([]float64, len(y)) // y constant: every PRCC is 0 anyway
	}
	nEff = sim.EffectiveSize(keys, ry)
	coef, p = prccEffective(x, y, nEff-2-float64(k-1))
	return coef, p, nEff
}

// prccEffective is PRCC with dof degrees of freedom for its t tests
// (NaN p-values when dof < 1).
func prccEffective(x [][]float64, y []float64, dof float64) (coef, p []float64) {
	k := len(x[0])
	coef = make([]float64, k)
	p = make([]float64, k)
	for j := range p {
		p[j] = 1
	}
	active, cols := rankColumns(x, y)
	if cols == nil {
		return coef, p
	}
	c := rankCorrelations(cols)

	// Regress y on all inputs at once by sweeping the input pivots (Goodnight
	// 1979, "A tutorial on the SWEEP operator", Am. Stat. 33:149–158). A pivot
	// whose residual variance has fallen below aliasTol of its original
	// (unit) variance is collinear with the inputs swept before it and is
	// skipped, as in stepwise regression.
	yi := len(c) - 1
	swept := make([]bool, len(c))
	for a := 0; a < yi; a++ {
		if c[a][a] > aliasTol {
			sweep(c, a)
			swept[a] = true
		}
	}
	for a, j := range active {
		if !swept[a] {
			continue
		}
		if rho, ok := partialCorrelation(c, a); ok {
			coef[j] = rho
			p[j] = math.NaN()
			if dof >= 1 {
				p[j] = tTwoSidedFromR(rho, dof)
			}
		}
	}
	return coef, p
}

// aliasTol is the share of its own variance an input's ranks must keep,
// given the inputs before it, to count as varying on their own.
const aliasTol = 1e-10

// prccDOF checks PRCC's arguments and returns the degrees of freedom of its
// t statistics, n−2−(k−1).
func prccDOF(x [][]float64, y []float64) int {
	n := len(x)
	if n < 2 {
		panic("sensitivity: fewer than 2 runs")
	}
	if len(y) != n {
		panic("sensitivity: len(y) != len(x)")
	}
	k := len(x[0])
	if k < 1 {
		panic("sensitivity: no inputs")
	}
	for _, row := range x {
		if len(row) != k {
			panic("sensitivity: ragged x")
		}
	}
	dof := n - 2 - (k - 1)
	if dof < 1 {
		panic("sensitivity: PRCC needs at least k+2 runs")
	}
	return dof
}

// rankColumns returns the centred ranks of the non-constant inputs, one
// column each, with y's last, and the input indices of those columns; cols
// is nil when y or every input is constant.
func rankColumns(x [][]float64, y []float64) (active []int, cols [][]float64) {
	col := make([]float64, len(x))
	for j := range x[0] {
		for i, row := range x {
			col[i] = row[j]
		}
		if r, ok := centredRanks(col); ok {
			active = append(active, j)
			cols = append(cols, r)
		}
	}
	ry, ok := centredRanks(y)
	if !ok || len(active) == 0 {
		return nil, nil
	}
	return active, append(cols, ry)
}

// rankCorrelations returns the correlation matrix of the columns.
func rankCorrelations(cols [][]float64) [][]float64 {
	m := len(cols)
	c := make([][]float64, m)
	for a := range c {
		c[a] = make([]float64, m)
	}
	for a := 0; a < m; a++ {
		for b := a; b < m; b++ {
			var s float64
			for i := range cols[a] {
				s += cols[a][i] * cols[b][i]
			}
			c[a][b], c[b][a] = s, s
		}
	}
	sd := make([]float64, m)
	for a := range sd {
		sd[a] = math.Sqrt(c[a][a])
	}
	for a := 0; a < m; a++ {
		for b := 0; b < m; b++ {
			c[a][b] /= sd[a] * sd[b]
		}
	}
	return c
}

// partialCorrelation returns the partial correlation of swept input a with
// y (the last row and column of c), and false when y is fully explained by
// the other inputs.
//
// After the sweep, c[a][a] = (C⁻¹)_aa over the swept inputs, so
// v = 1/c[a][a] is the residual variance of input a given the other
// inputs; c[a][yi] = β_a is its coefficient in the regression of y on all
// inputs; and c[yi][yi] = e is that regression's residual variance. Given
// the other inputs, y's residual is β_a times input a's residual plus the
// full residual, which is orthogonal to it, so the partial correlation is
// β_a v / √(v (β_a² v + e)).
func partialCorrelation(c [][]float64, a int) (float64, bool) {
	yi := len(c) - 1
	e := math.Max(c[yi][yi], 0)
	v := 1 / c[a][a]
	beta := c[a][yi]
	den := beta*beta*v + e
	if den <= aliasTol {
		return 0, false // no residual left
	}
	rho := beta * math.Sqrt(v) / math.Sqrt(den)
	return math.Max(-1, math.Min(rho, 1)), true
}

// sweep applies Goodnight's (1979) SWEEP operator on pivot k of the square
// matrix a in place. After sweeping a set S of pivots of a covariance
// matrix, the S block holds C_SS⁻¹, the S-rows of the other columns hold the
// regression coefficients on S, and the unswept block holds residual
// covariances.
func sweep(a [][]float64, k int) {
	d := a[k][k]
	rowk := a[k]
	for j := range rowk {
		rowk[j] /= d
	}
	for i, row := range a {
		if i == k {
			continue
		}
		b := row[k]
		for j := range row {
			row[j] -= b * rowk[j]
		}
		row[k] = -b / d
	}
	rowk[k] = 1 / d
}

// centredRanks returns the ranks of v (average rank for ties) minus their
// mean (n+1)/2, and false if v is constant. It panics on NaN.
func centredRanks(v []float64) ([]float64, bool) {
	n := len(v)
	idx := make([]int, n)
	for i := range idx {
		if math.IsNaN(v[i]) {
			panic("sensitivity: NaN in PRCC data")
		}
		idx[i] = i
	}
	slices.SortFunc(idx, func(a, b int) int {
		switch {
		case v[a] < v[b]:
			return -1
		case v[a] > v[b]:
			return 1
		}
		return 0
	})
	if v[idx[0]] == v[idx[n-1]] {
		return nil, false
	}
	r := make([]float64, n)
	mid := float64(n+1) / 2
	for s := 0; s < n; {
		e := s + 1
		for e < n && v[idx[e]] == v[idx[s]] {
			e++
		}
		// Positions s..e-1 (0-based) share the 1-based ranks s+1..e.
		avg := float64(s+1+e)/2 - mid
		for q := s; q < e; q++ {
			r[idx[q]] = avg
		}
		s = e
	}
	return r, true
}
