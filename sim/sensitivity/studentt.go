package sensitivity

import "github.com/chokepoint-sim/chokepoint/sim"

// tTwoSidedFromR returns the two-sided p-value P(|T| ≥ |t|) for the t
// statistic t = r √(dof/(1−r²)) of a (partial) correlation r, T having
// Student's t distribution with dof degrees of freedom. Since
// dof/(dof+t²) = 1−r², the p-value is the regularised incomplete beta
// function I_{1−r²}(dof/2, 1/2) (Abramowitz & Stegun 1964, 26.7.1 with
// 26.5.2), which needs no special case for |r| = 1.
func tTwoSidedFromR(r float64, dof int) float64 {
	return sim.RegIncBeta(1-r*r, float64(dof)/2, 0.5)
}
