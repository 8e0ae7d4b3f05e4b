package sensitivity

import "gonum.org/v1/gonum/mathext"

// tTwoSidedFromR returns the two-sided p-value P(|T| ≥ |t|) for the t
// statistic t = r √(dof/(1−r²)) of a (partial) correlation r, T having
// Student's t distribution with dof degrees of freedom. Since
// dof/(dof+t²) = 1−r², the p-value is the regularised incomplete beta
// function I_{1−r²}(dof/2, 1/2) (Abramowitz & Stegun 1964, 26.7.1 with
// 26.5.2), which needs no special case for |r| = 1. (This is the formula of
// gonum's distuv.StudentsT.Survival, doubled; calling it would go through
// t, which is infinite at |r| = 1, and back to 1−r², losing digits.)
func tTwoSidedFromR(r float64, dof float64) float64 {
	return mathext.RegIncBeta(dof/2, 0.5, 1-r*r)
}
