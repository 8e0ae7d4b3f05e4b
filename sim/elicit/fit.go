package elicit

import (
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"
)

// Overshoot widens the range the experts' quantiles span by this share of
// it on each side, to hold their tails: Cooke's classical model's "intrinsic
// range" with its customary 10% overshoot (Cooke 1991, Experts in
// Uncertainty, ch. 12; Cooke and Goossens 2008, Reliab. Eng. Syst. Saf. 93).
const Overshoot = 0.1

// Judgement is one expert's quantiles for one quantity: Values[i] is the
// value the expert gives a probability Probs[i] of not being exceeded.
// Probs rise strictly within (0, 1), Values rise strictly.
type Judgement struct {
	Probs, Values []float64
}

// Fit is a continuous distribution through an expert's quantiles: its CDF
// is piecewise linear through the knots (X[i], P[i]), from (lo, 0) to (hi,
// 1), so the mass between two quantiles is spread evenly between them, and
// the tails evenly over the intrinsic range beyond the first and last
// quantile. This is the "minimal information" distribution of Cooke's
// classical model: of all distributions with these quantiles on this range,
// the one that adds least to them.
type Fit struct {
	X, P []float64
}

// fit builds the Fit of j on [lo, hi], lo <= Values[0] and hi >= the last
// value.
func fit(j Judgement, lo, hi float64) Fit {
	x := append(append([]float64{lo}, j.Values...), hi)
	p := append(append([]float64{0}, j.Probs...), 1)
	return Fit{X: x, P: p}
}

// CDF returns the probability of a value at most x.
func (f Fit) CDF(x float64) float64 {
	i := sort.Search(len(f.X), func(i int) bool { return f.X[i] > x })
	switch {
	case i == 0:
		return 0
	case i == len(f.X):
		return 1
	}
	x0, x1 := f.X[i-1], f.X[i]
	return f.P[i-1] + (f.P[i]-f.P[i-1])*((x-x0)/(x1-x0))
}

// Text writes f in scenario syntax: a mixture of uniforms, one between each
// pair of knots, weighted by the mass between them (a fixed value where two
// knots coincide, as when a quantile sits on a bound of the quantity).
func (f Fit) Text() string {
	var comps, wts []string
	for i := 0; i+1 < len(f.X); i++ {
		if f.X[i+1] == f.X[i] {
			comps = append(comps, num(f.X[i]))
		} else {
			comps = append(comps, fmt.Sprintf(`{dist = "uniform", min = %s, max = %s}`, num(f.X[i]), num(f.X[i+1])))
		}
		wts = append(wts, num12(f.P[i+1]-f.P[i]))
	}
	return fmt.Sprintf(`{dist = "mixture", components = [%s], weights = [%s]}`,
		strings.Join(comps, ", "), strings.Join(wts, ", "))
}

// num writes x with the fewest digits that read back to the same float64.
func num(x float64) string {
	if x == 0 {
		return "0"
	}
	return strconv.FormatFloat(x, 'g', -1, 64)
}

// num12 writes x to 12 significant digits, which drops the rounding error
// of a difference such as 0.95 - 0.5 and keeps a weight exact to 1e-12
// (a mixture normalises its weights).
func num12(x float64) string {
	y, _ := strconv.ParseFloat(strconv.FormatFloat(x, 'g', 12, 64), 64)
	return num(y)
}

// intrinsic returns the range [lo, hi] spanned by every value in js and
// extra, widened by Overshoot on each side and then cut to [min, max].
func intrinsic(js []Judgement, extra []float64, min, max float64) (lo, hi float64) {
	lo, hi = math.Inf(1), math.Inf(-1)
	for _, j := range js {
		lo, hi = math.Min(lo, j.Values[0]), math.Max(hi, j.Values[len(j.Values)-1])
	}
	for _, x := range extra {
		lo, hi = math.Min(lo, x), math.Max(hi, x)
	}
	w := hi - lo
	return math.Max(lo-Overshoot*w, min), math.Min(hi+Overshoot*w, max)
}

// linearPool returns the weighted mean of the fits' CDFs at x.
func linearPool(fits []Fit, w []float64, x float64) float64 {
	s := 0.0
	for i, f := range fits {
		if w[i] > 0 {
			s += w[i] * f.CDF(x)
		}
	}
	return s
}

// poolQuantile returns the smallest x at which the linear pool of fits
// reaches p. The pool's CDF is piecewise linear with knots at the union of
// the fits' knots, so the answer is found on the first knot where it
// reaches p and interpolated linearly from the knot before: exact, up to
// rounding.
func poolQuantile(fits []Fit, w []float64, p float64) float64 {
	var knots []float64
	for i, f := range fits {
		if w[i] > 0 {
			knots = append(knots, f.X...)
		}
	}
	sort.Float64s(knots)
	prevX, prevF := knots[0], 0.0
	for _, x := range knots {
		fx := linearPool(fits, w, x)
		if fx >= p {
			if x == prevX || fx == prevF {
				return x
			}
			return prevX + (x-prevX)*((p-prevF)/(fx-prevF))
		}
		prevX, prevF = x, fx
	}
	return knots[len(knots)-1]
}

// Quantile returns the smallest value at which f's CDF reaches p.
func (f Fit) Quantile(p float64) float64 { return poolQuantile([]Fit{f}, []float64{1}, p) }
