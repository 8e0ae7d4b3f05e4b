package sim

import (
	"fmt"
	"math"
	"slices"
	"strconv"

	"gonum.org/v1/gonum/mathext"
	"gonum.org/v1/gonum/stat/distuv"
)

// Correlation imposes rank correlations on a group of parameters by a
// Gaussian copula: the group's uniforms are mapped to standard normals,
// mixed by the Cholesky factor of the target correlation matrix, and mapped
// back. Each mixed normal is again standard normal, so every parameter keeps
// its uniform marginal — and hence its own distribution, which is applied by
// quantile afterwards — while the ranks become correlated. Rank correlation
// is what a Gaussian copula preserves through any increasing transform, so
// it is the same whatever the parameters' distributions.
//
// The target is Spearman's ρ_s. For a bivariate normal with Pearson
// correlation r, ρ_s = (6/π)·arcsin(r/2) (Kruskal, "Ordinal measures of
// association", JASA 53, 1958, §2.4), so the copula is built on
// r = 2·sin(π·ρ_s/6); the two differ by at most 0.018.
//
// Applied after a Latin hypercube or a Halton design, the copula keeps each
// marginal uniform but not the design's stratification of the correlated
// parameters (Iman and Conover's rank method would keep it, at the price of
// needing all runs at once, which sharded batches do not have).
//
// A Correlation is read only after NewCorrelation and safe for concurrent
// use.
type Correlation struct {
	// Params holds the registry positions of the group's parameters; row k
	// of Spearman belongs to Params[k].
	Params []int
	// Spearman is the target rank correlation matrix.
	Spearman [][]float64
	// chol is the lower-triangular Cholesky factor L of the Pearson matrix
	// (L·Lᵀ = R), packed by rows: L[i][k] is chol[i*(i+1)/2+k], k ≤ i.
	chol []float64
}

// corrStackMax is the largest group Apply handles without a scratch slice.
const corrStackMax = 16

// NewCorrelation checks a target rank correlation matrix for the parameters
// at registry positions params and prepares it. The matrix must be square
// with one row per parameter, symmetric, with ones on the diagonal and
// entries in [-1, 1] (±1 only on the diagonal), and positive definite once
// converted to the copula's Pearson correlations. Errors are
// *CorrelationError, with a one-line message naming the offending entries.
func NewCorrelation(params []int, spearman [][]float64) (*Correlation, error) {
	for _, check := range []func([]int, [][]float64) error{checkCorrParams, checkCorrShape, checkCorrEntries, checkCorrSymmetry} {
		if err := check(params, spearman); err != nil {
			return nil, err
		}
	}
	n := len(params)
	c := &Correlation{Params: append([]int(nil), params...), Spearman: make([][]float64, n)}
	r := make([][]float64, n)
	for i := range spearman {
		c.Spearman[i] = append([]float64(nil), spearman[i]...)
		r[i] = make([]float64, n)
		for j, x := range spearman[i] {
			r[i][j] = spearmanToPearson(x)
		}
	}
	chol, ok := corrCholesky(r)
	if !ok {
		return nil, notPositiveDefinite(spearman, r)
	}
	c.chol = chol
	return c, nil
}

// checkCorrParams checks that a correlation has two or more parameters,
// each a registry index, each once.
func checkCorrParams(params []int, _ [][]float64) error {
	n := len(params)
	if n < 2 {
		return corrErr(nil, func(name corrNamer) string {
			return fmt.Sprintf("a correlation needs at least two parameters, found %d", n)
		})
	}
	for i, p := range params {
		if p < 0 {
			return corrErr([]int{i}, func(name corrNamer) string {
				return fmt.Sprintf("correlation matrix: %s has negative registry index %d", name.one(i), p)
			})
		}
		if j := slices.Index(params[:i], p); j >= 0 {
			return corrErr([]int{j, i}, func(name corrNamer) string {
				return fmt.Sprintf("parameter %d appears twice in one correlation (%s and %s)", p, name.one(j), name.one(i))
			})
		}
	}
	return nil
}

// checkCorrShape checks that the matrix is square, one row per parameter.
func checkCorrShape(params []int, spearman [][]float64) error {
	n := len(params)
	if len(spearman) != n {
		return corrErr(nil, func(corrNamer) string {
			return fmt.Sprintf("correlation matrix has %d rows for %d parameters", len(spearman), n)
		})
	}
	for i, row := range spearman {
		if len(row) != n {
			return corrErr([]int{i}, func(name corrNamer) string {
				return fmt.Sprintf("correlation matrix: %s has %d entries, want %d", name.one(i), len(row), n)
			})
		}
	}
	return nil
}

// checkCorrEntries checks the diagonal's ones, then that every entry is
// in [-1, 1].
func checkCorrEntries(_ []int, spearman [][]float64) error {
	for i := range spearman {
		if x := spearman[i][i]; x != 1 {
			return corrErr([]int{i}, func(name corrNamer) string {
				return fmt.Sprintf("correlation matrix diagonal %s is %s, want 1", name.pair(i, i), corrNum(x))
			})
		}
	}
	for i, row := range spearman {
		for j, x := range row {
			if !(math.Abs(x) <= 1) {
				return corrErr([]int{i, j}, func(name corrNamer) string {
					return fmt.Sprintf("correlation %s is %s, outside [-1, 1]", name.pair(i, j), corrNum(x))
				})
			}
		}
	}
	return nil
}

// checkCorrSymmetry checks that the matrix is symmetric with no perfect
// correlation off the diagonal.
func checkCorrSymmetry(_ []int, spearman [][]float64) error {
	n := len(spearman)
	for i := 0; i < n; i++ {
		for j := i + 1; j < n; j++ {
			if x, y := spearman[i][j], spearman[j][i]; x != y {
				return corrErr([]int{i, j}, func(name corrNamer) string {
					return fmt.Sprintf("correlation matrix is not symmetric: %s is %s but %s is %s",
						name.pair(i, j), corrNum(x), name.pair(j, i), corrNum(y))
				})
			}
			if x := spearman[i][j]; math.Abs(x) == 1 {
				return corrErr([]int{i, j}, func(name corrNamer) string {
					return fmt.Sprintf("correlation %s is %s: a perfect correlation makes two parameters one; use a value strictly between -1 and 1",
						name.pair(i, j), corrNum(x))
				})
			}
		}
	}
	return nil
}

// spearmanToPearson is the normal copula's Pearson correlation for a rank
// correlation ρ_s: 2·sin(π·ρ_s/6) (Kruskal 1958). It maps 0 and ±1 to
// themselves.
func spearmanToPearson(rho float64) float64 {
	if rho == 1 || rho == -1 {
		return rho
	}
	return 2 * math.Sin(math.Pi*rho/6)
}

// corrPivotMin is the smallest pivot accepted in the Cholesky factorisation:
// below it the matrix is (numerically) singular, and the copula would ask
// for correlations no sample can have.
const corrPivotMin = 1e-10

// corrCholesky factors the symmetric matrix r as L·Lᵀ (Cholesky–Banachiewicz)
// and returns L packed by rows, or false when r is not positive definite.
func corrCholesky(r [][]float64) ([]float64, bool) {
	n := len(r)
	L := make([]float64, n*(n+1)/2)
	for i := 0; i < n; i++ {
		ri := L[i*(i+1)/2:]
		for j := 0; j <= i; j++ {
			rj := L[j*(j+1)/2:]
			s := r[i][j]
			for k := 0; k < j; k++ {
				s -= ri[k] * rj[k]
			}
			if i == j {
				if !(s > corrPivotMin) {
					return nil, false
				}
				ri[i] = math.Sqrt(s)
			} else {
				ri[j] = s / rj[j]
			}
		}
	}
	return L, true
}

// notPositiveDefinite explains why the matrix fails: with entries in
// (-1, 1) every pair is consistent, so it names the three parameters whose
// correlations contradict each other most (the 3×3 block with the smallest
// determinant), or, failing any such triple, says so in general.
func notPositiveDefinite(spearman, r [][]float64) error {
	n := len(r)
	bi, bj, bk, worst := -1, -1, -1, corrPivotMin
	for i := 0; i < n; i++ {
		for j := i + 1; j < n; j++ {
			for k := j + 1; k < n; k++ {
				a, b, c := r[i][j], r[i][k], r[j][k]
				if det := 1 - a*a - b*b - c*c + 2*a*b*c; det < worst {
					bi, bj, bk, worst = i, j, k, det
				}
			}
		}
	}
	const head = "correlation matrix is not positive definite: the correlations contradict each other"
	if bi < 0 {
		return corrErr(nil, func(corrNamer) string {
			return head + " (no three of them do alone; weaken the strongest)"
		})
	}
	return corrErr([]int{bi, bj, bk}, func(name corrNamer) string {
		return fmt.Sprintf("%s (e.g. %s %s, %s %s, %s %s)", head,
			name.pair(bi, bj), corrNum(spearman[bi][bj]),
			name.pair(bj, bk), corrNum(spearman[bj][bk]),
			name.pair(bi, bk), corrNum(spearman[bi][bk]))
	})
}

// Apply imposes the correlation on the uniforms u of one run, indexed by
// registry position, in place: for the group, z = Φ⁻¹(u_p), z' = L·z and
// u_p = Φ(z'_p), kept within [2^-53, 1−2^-53]. Since z'_0 = z_0, the
// group's first parameter is left exactly as it was, as are the entries of
// u outside the group. u must lie in (0, 1).
//
// scratch must hold at least len(c.Params) values, or may be nil for groups
// of up to 16 parameters (Apply then works on the stack). Apply allocates
// nothing and is safe for concurrent use as long as callers do not share a
// scratch slice.
func (c *Correlation) Apply(u, scratch []float64) {
	n := len(c.Params)
	var buf [corrStackMax]float64
	z := scratch
	if len(z) < n {
		if n > corrStackMax {
			panic(fmt.Sprintf("sim: Correlation.Apply needs a scratch slice of %d values, found %d", n, len(scratch)))
		}
		z = buf[:n]
	}
	for k, p := range c.Params {
		z[k] = mathext.NormalQuantile(clampUnit(u[p]))
	}
	// Row i of L·z reads z[0..i] only, so the rows are done from the last
	// up, in place. Row 0 of L is (1): the group's first parameter keeps
	// its uniform exactly.
	for i := n - 1; i > 0; i-- {
		row := c.chol[i*(i+1)/2 : i*(i+1)/2+i+1]
		s := 0.0
		for k, l := range row {
			s += l * z[k]
		}
		z[i] = s
		u[c.Params[i]] = clampUnit(distuv.UnitNormal.CDF(s))
	}
}

// CorrelationError is NewCorrelation's error. Its message names matrix
// entries by row and column, [i][j] (from 0); Message re-words it with the
// parameters' names, as a~b.
type CorrelationError struct {
	// Rows lists the matrix rows (positions in the group) the problem
	// involves, if any.
	Rows []int
	msg  func(corrNamer) string
}

// Error implements error.
func (e *CorrelationError) Error() string { return e.msg(corrNamer{}) }

// Message returns the error's message with the parameter in row i named
// name(i), e.g. its registry key; name nil gives Error's wording.
func (e *CorrelationError) Message(name func(row int) string) string {
	return e.msg(corrNamer{name})
}

func corrErr(rows []int, msg func(corrNamer) string) *CorrelationError {
	return &CorrelationError{Rows: rows, msg: msg}
}

// corrNamer words references to matrix rows and entries.
type corrNamer struct{ name func(int) string }

// one names row i's parameter: "row i", or its name.
func (n corrNamer) one(i int) string {
	if n.name == nil {
		return "row " + strconv.Itoa(i)
	}
	return n.name(i)
}

// pair names the entry (i, j): [i][j], or a~b with names.
func (n corrNamer) pair(i, j int) string {
	if n.name == nil {
		return fmt.Sprintf("[%d][%d]", i, j)
	}
	return n.name(i) + "~" + n.name(j)
}

func corrNum(x float64) string { return strconv.FormatFloat(x, 'g', -1, 64) }
