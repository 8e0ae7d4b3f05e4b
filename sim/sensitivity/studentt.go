package sensitivity

import "math"

// tTwoSidedFromR returns the two-sided p-value P(|T| ≥ |t|) for the t
// statistic t = r √(dof/(1−r²)) of a (partial) correlation r, T having
// Student's t distribution with dof degrees of freedom. Since
// dof/(dof+t²) = 1−r², the p-value is the regularised incomplete beta
// function I_{1−r²}(dof/2, 1/2) (Abramowitz & Stegun 1964, 26.7.1 with
// 26.5.2), which needs no special case for |r| = 1.
func tTwoSidedFromR(r float64, dof int) float64 {
	return regIncBeta(float64(dof)/2, 0.5, 1-r*r)
}

// regIncBeta returns the regularised incomplete beta function I_x(a, b) for
// a, b > 0 and 0 ≤ x ≤ 1, by the continued fraction of Abramowitz & Stegun
// (1964, 26.5.8) evaluated with the modified Lentz method, using the
// symmetry I_x(a, b) = 1 − I_{1−x}(b, a) where the fraction converges
// slowly (Press et al. 2007, Numerical Recipes, 3rd ed., §6.4).
func regIncBeta(a, b, x float64) float64 {
	switch {
	case x <= 0:
		return 0
	case x >= 1:
		return 1
	}
	la, _ := math.Lgamma(a)
	lb, _ := math.Lgamma(b)
	lab, _ := math.Lgamma(a + b)
	front := math.Exp(lab - la - lb + a*math.Log(x) + b*math.Log1p(-x))
	if x < (a+1)/(a+b+2) {
		return front * betaCF(a, b, x) / a
	}
	return 1 - front*betaCF(b, a, 1-x)/b
}

// betaCF evaluates the continued fraction of A&S 26.5.8 by the modified
// Lentz method (Press et al. 2007, §5.2 and §6.4). The fraction needs
// O(√max(a, b)) terms, so the iteration cap is generous.
func betaCF(a, b, x float64) float64 {
	const (
		maxIter = 100000
		eps     = 1e-15 // relative change at which the fraction has converged
		tiny    = 1e-300
	)
	qab, qap, qam := a+b, a+1, a-1
	c := 1.0
	d := 1 - qab*x/qap
	if math.Abs(d) < tiny {
		d = tiny
	}
	d = 1 / d
	h := d
	for m := 1; m <= maxIter; m++ {
		fm := float64(m)
		m2 := 2 * fm
		// Even step: d_{2m} = m(b−m)x / ((a+2m−1)(a+2m)).
		aa := fm * (b - fm) * x / ((qam + m2) * (a + m2))
		d = 1 + aa*d
		if math.Abs(d) < tiny {
			d = tiny
		}
		c = 1 + aa/c
		if math.Abs(c) < tiny {
			c = tiny
		}
		d = 1 / d
		h *= d * c
		// Odd step: d_{2m+1} = −(a+m)(a+b+m)x / ((a+2m)(a+2m+1)).
		aa = -(a + fm) * (qab + fm) * x / ((a + m2) * (qap + m2))
		d = 1 + aa*d
		if math.Abs(d) < tiny {
			d = tiny
		}
		c = 1 + aa/c
		if math.Abs(c) < tiny {
			c = tiny
		}
		d = 1 / d
		del := d * c
		h *= del
		if math.Abs(del-1) < eps {
			break
		}
	}
	return h
}
