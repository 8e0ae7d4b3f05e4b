package dist

import (
	"fmt"
	"math"

	"gonum.org/v1/gonum/mathext"
)

const (
	// betaMaxParam bounds alpha and beta (and alpha + beta of a fitted
	// beta): beyond it a beta is, to any useful precision, a normal, and
	// the incomplete beta function slows down.
	betaMaxParam = 1e6
	// betaFitMinK is the smallest concentration alpha + beta the p5/p95 fit
	// tries; below it the 5th percentile underflows float64.
	betaFitMinK = 1e-4
	// betaFitTol is the relative accuracy to which a fitted beta must
	// reproduce its p5 and p95.
	betaFitTol = 1e-6
)

// betaFn is a beta(a, b) distribution on [0, 1]. Its CDF is gonum's
// regularised incomplete beta function (Cephes incbet); its quantile is
// solved here (see quantile for why not by gonum's inverse).
type betaFn struct{ a, b float64 }

// cdf returns F(x) = I_x(a, b).
func (f betaFn) cdf(x float64) float64 { c, _, _ := f.eval(x); return c }

// surv returns S(x) = 1 - F(x).
func (f betaFn) surv(x float64) float64 { _, s, _ := f.eval(x); return s }

// eval returns the CDF F(x) = I_x(a, b), the survival S(x) = 1 - F(x), each
// computed from the tail where it is small so that both keep relative
// precision, and the density at x.
func (f betaFn) eval(x float64) (cdf, surv, pdf float64) {
	if x <= 0 {
		return 0, 1, math.NaN()
	}
	if x >= 1 {
		return 1, 0, math.NaN()
	}
	// ln x^a (1-x)^b / B(a, b)
	lf := f.a*logSub(x) + f.b*math.Log1p(-x) - mathext.Lbeta(f.a, f.b)
	pdf = math.Exp(lf) / x / (1 - x)
	// Below the mean (about) the lower tail is the small one; above it,
	// the upper: I_x(a, b) = 1 - I_{1-x}(b, a).
	if x < (f.a+1)/(f.a+f.b+2) {
		cdf = mathext.RegIncBeta(f.a, f.b, x)
		return cdf, 1 - cdf, pdf
	}
	surv = mathext.RegIncBeta(f.b, f.a, 1-x)
	return 1 - surv, surv, pdf
}

// quantile solves I_x(a, b) = p for x. It is kept by hand because gonum's
// inverse (mathext.InvRegIncBeta, Cephes incbi) fails on shapes the parser
// accepts: for beta(511, 0.0187) it returns 0.745 at p = 1e-55 but 1.1e-16
// at p = 1e-62 (TestQuantileMonotone), and it is not monotone to the ulp.
//
// For p > 1/2 it matches the survival function to 1 - p instead, which
// keeps relative precision in the upper tail. Either way g(x) = F(x) - p,
// or (1 - p) - S(x), rises with x, and the result is the smallest float64 x
// with g(x) >= 0, so that rounding cannot make Quantile decrease where the
// true quantile moves by an ulp or less.
//
// Method: Newton's method safeguarded by bisection (as rtsafe in Numerical
// Recipes). Every evaluation narrows a bracket [lo, hi] with g(lo) < 0 <=
// g(hi). The Newton step is taken on ln F against ln x below 1/2, and on
// ln S against ln(1 - x) above, where the tails of a beta are power laws
// that it solves in one step (Newton on x itself crawls there). A step that
// leaves the bracket, or is not half the one before, is replaced by the
// midpoint of the bit patterns of the bracket's ends, which halves the
// exponent range when the bracket spans many orders of magnitude. Once
// Newton has converged, betaFinish pins the crossing down to one ulp.
func (f betaFn) quantile(p float64) float64 {
	if p <= 0 {
		return 0
	}
	if p >= 1 {
		return 1
	}
	s := betaSolve{f: f, p: p, q: 1 - p, upper: p > 0.5}
	lo, hi := 0.0, 1.0
	x := clamp(f.guess(p), 0x1p-1022, 1-0x1p-53)
	dxOld := math.Inf(1)
	for range 300 {
		cdf, surv, pdf := f.eval(x)
		if s.reached(cdf, surv) {
			hi = x
		} else {
			lo = x
		}
		if math.Float64bits(hi)-math.Float64bits(lo) <= 1 {
			return hi
		}
		nx := s.newton(x, cdf, surv, pdf)
		dx := math.Abs(nx - x)
		if nx >= lo && nx <= hi && dx <= 1e-9*math.Min(nx, 1-nx) {
			// Newton converges quadratically: the error left after a
			// step this small is below an ulp.
			return betaFinish(s.up, lo, hi, nx)
		}
		if nx > lo && nx < hi && dx <= dxOld/2 { // false for NaN steps
			dxOld = dx
		} else {
			nx = bitsMid(lo, hi)
			dxOld = hi - lo
		}
		x = nx
	}
	return hi
}

// betaSolve is one quantile being solved for: p, q = 1 - p (exact when
// upper), and which tail it is matched in.
type betaSolve struct {
	f     betaFn
	p, q  float64
	upper bool
}

// reached reports whether g(x) >= 0 at an x with the given CDF and survival.
func (s *betaSolve) reached(cdf, surv float64) bool {
	if s.upper {
		return surv <= s.q
	}
	return cdf >= s.p
}

// up reports whether g(x) >= 0.
func (s *betaSolve) up(x float64) bool {
	cdf, surv, _ := s.f.eval(x)
	return s.reached(cdf, surv)
}

// newton returns the Newton step from x on ln F against ln x below 1/2, on
// ln S against ln(1 - x) above.
func (s *betaSolve) newton(x, cdf, surv, pdf float64) float64 {
	if x < 0.5 {
		return x * math.Exp(-(logSub(cdf)-logSub(s.p))*cdf/(x*pdf))
	}
	y := 1 - x
	return 1 - y*math.Exp(-(logSub(surv)-logSub(s.q))*surv/(y*pdf))
}

// guess is a starting point for quantile, as in Numerical Recipes (3rd
// ed., invbetai): for a, b >= 1 the normal approximation of Abramowitz and
// Stegun 26.5.22, otherwise the power laws of the two tails, x^a/(a B) near
// 0 and (1-x)^b/(b B) near 1, with B approximated by their sum at the mean.
func (f betaFn) guess(p float64) float64 {
	a, b := f.a, f.b
	if a >= 1 && b >= 1 {
		y := -normQuantile(p)
		lambda := (y*y - 3) / 6
		h := 2 / (1/(2*a-1) + 1/(2*b-1))
		w := y*math.Sqrt(h+lambda)/h - (1/(2*b-1)-1/(2*a-1))*(lambda+5.0/6-2/(3*h))
		return a / (a + b*math.Exp(2*w))
	}
	lnA, lnB := logSub(a/(a+b)), logSub(b/(a+b))
	t := math.Exp(a*lnA) / a
	u := math.Exp(b*lnB) / b
	w := t + u
	if p < t/w {
		return math.Exp((logSub(a*w) + logSub(p)) / a)
	}
	return 1 - math.Exp((logSub(b*w)+logSub(1-p))/b)
}

// bitsMid returns the float64 halfway between the bit patterns of lo and
// hi, 0 <= lo < hi.
func bitsMid(lo, hi float64) float64 {
	a, b := math.Float64bits(lo), math.Float64bits(hi)
	return math.Float64frombits(a + (b-a)/2)
}

// betaFinish returns the smallest float64 in (lo, hi] at which up holds,
// given that it fails at lo and holds at hi, searching outward from x in
// [lo, hi], which is usually within an ulp or two of the answer.
func betaFinish(up func(float64) bool, lo, hi, x float64) float64 {
	if up(x) {
		lo, hi = searchDown(up, lo, x)
	} else {
		lo, hi = searchUp(up, x, hi)
	}
	for math.Float64bits(hi)-math.Float64bits(lo) > 1 {
		if m := bitsMid(lo, hi); up(m) {
			hi = m
		} else {
			lo = m
		}
	}
	return hi
}

// searchDown narrows [lo, hi], up holding at hi, by steps doubling
// downwards from hi until up fails.
func searchDown(up func(float64) bool, lo, hi float64) (float64, float64) {
	bx := math.Float64bits(hi)
	for step := uint64(1); bx-math.Float64bits(lo) > step; step *= 2 {
		c := math.Float64frombits(bx - step)
		if !up(c) {
			return c, hi
		}
		hi = c
	}
	return lo, hi
}

// searchUp narrows [lo, hi], up failing at lo, by steps doubling upwards
// from lo until up holds.
func searchUp(up func(float64) bool, lo, hi float64) (float64, float64) {
	bx := math.Float64bits(lo)
	for step := uint64(1); math.Float64bits(hi)-bx > step; step *= 2 {
		c := math.Float64frombits(bx + step)
		if up(c) {
			return lo, c
		}
		lo = c
	}
	return lo, hi
}

// fitBeta finds the beta distribution whose 5th and 95th percentiles are p5
// and p95, 0 < p5 < p95 < 1.
//
// Method: write alpha = m k and beta = (1-m) k, with mean m in (0, 1) and
// concentration k > 0. For a fixed k the mass below p5, F(p5), falls as m
// rises while the mass above p95, S(p95), rises, so exactly one m balances
// the two tails (F(p5) = S(p95)); it is found by bisection on logit(m).
// Along that balanced curve the tail mass F(p5) falls from 1/2 as k -> 0
// (two spikes at 0 and 1) towards 0 as k -> inf (a spike at m, inside
// [p5, p95]), so the k with F(p5) = 0.05 is found by bisection on ln k.
// Bisection takes some fifty steps in each loop but cannot diverge. The
// result is then checked by computing both percentiles with Quantile, and
// rejected unless each is within 1e-6 relative of its target (relative to
// the smaller of x and 1 - x, so the bound also holds near 1).
func fitBeta(p5, p95 float64) (betaFn, error) {
	at := func(t, k float64) betaFn {
		// m = 1/(1+e^-t) and 1-m = 1/(1+e^t), each computed directly so
		// that neither loses precision near 0.
		return betaFn{a: k / (1 + math.Exp(-t)), b: k / (1 + math.Exp(t))}
	}
	balanced := func(k float64) betaFn {
		t := bisect(-700, 700, func(t float64) bool {
			f := at(t, k)
			return f.cdf(p5) < f.surv(p95) // t above the balance point
		})
		return at(t, k)
	}
	tail := func(lnk float64) float64 { return balanced(math.Exp(lnk)).cdf(p5) }
	lnLo, lnHi := math.Log(betaFitMinK), math.Log(betaMaxParam)
	if tail(lnHi) > 0.05 {
		return betaFn{}, fmt.Errorf("p5=%s and p95=%s are too close together for a beta distribution "+
			"(alpha + beta would exceed %s); use a normal or a lognormal", fmtNum(p5), fmtNum(p95), fmtNum(betaMaxParam))
	}
	if tail(lnLo) < 0.05 {
		return betaFn{}, fmt.Errorf("p5=%s and p95=%s are too far apart for a beta distribution",
			fmtNum(p5), fmtNum(p95))
	}
	lnk := bisect(lnLo, lnHi, func(lnk float64) bool { return tail(lnk) < 0.05 })
	f := balanced(math.Exp(lnk))
	for _, c := range [][2]float64{{0.05, p5}, {0.95, p95}} {
		got, want := f.quantile(c[0]), c[1]
		if !(math.Abs(got-want) <= betaFitTol*math.Min(want, 1-want)) {
			return betaFn{}, fmt.Errorf("cannot fit a beta distribution to p5=%s p95=%s "+
				"(the closest found has %g at the %g quantile)", fmtNum(p5), fmtNum(p95), got, c[0])
		}
	}
	return f, nil
}

// bisect returns the point in [lo, hi] where above turns from false to true
// (above must be false at lo and true at hi, or the end nearest the turn is
// returned), to about 1e-14 relative.
func bisect(lo, hi float64, above func(float64) bool) float64 {
	for range 200 {
		mid := lo/2 + hi/2
		if mid <= lo || mid >= hi || hi-lo <= 1e-14*math.Max(1, math.Abs(mid)) {
			return mid
		}
		if above(mid) {
			hi = mid
		} else {
			lo = mid
		}
	}
	return lo/2 + hi/2
}
