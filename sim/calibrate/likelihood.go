package calibrate

import (
	"fmt"
	"math"

	"gonum.org/v1/gonum/stat/distuv"

	"github.com/chokepoint-sim/chokepoint/sim"
)

// z95 is the standard normal's 95th percentile: a 90% interval spans
// ±z95 standard deviations.
var z95 = distuv.UnitNormal.Quantile(0.95)

// Term is the likelihood of one observation: a two-piece (split) normal
// density of the run's measured value, on the log scale when the observed
// range is positive. Its mode is the observation's central value; the
// standard deviation below the mode is (central − low)/z95 and above it
// (high − central)/z95, so that the low–high range holds exactly 90% of
// the density even when it is asymmetric around the central value
// (Wallis, "The two-piece normal, binormal, or double Gaussian
// distribution", Statistical Science 29, 2014).
type Term struct {
	// Log says the density is of log(value); values ≤ 0 then have none.
	Log              bool
	Mode, SdLo, SdHi float64
}

// NewTerm returns the likelihood of o.
func NewTerm(o *sim.Observation) (Term, error) {
	lo, c, hi := o.Low, o.Central, o.High
	t := Term{Log: lo > 0}
	if t.Log {
		lo, c, hi = math.Log(lo), math.Log(c), math.Log(hi)
	}
	if !(lo <= c && c <= hi && lo < hi) || math.IsInf(hi-lo, 0) {
		return Term{}, fmt.Errorf("observation %s: want finite low <= central <= high with low < high, found %g, %g, %g",
			o.ID, o.Low, o.Central, o.High)
	}
	t.Mode, t.SdLo, t.SdHi = c, (c-lo)/z95, (hi-c)/z95
	return t, nil
}

// logNorm is log(2/√(2π)), the split normal's constant before 1/(σ₁+σ₂).
var logNorm = math.Log(2 / math.Sqrt(2*math.Pi))

// LogDensity is the log-likelihood of a run whose measured value is x:
// −Inf when x is NaN, or not positive on the log scale.
func (t Term) LogDensity(x float64) float64 {
	if t.Log {
		if !(x > 0) {
			return math.Inf(-1)
		}
		x = math.Log(x)
	}
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return math.Inf(-1)
	}
	sd := t.SdHi
	if x < t.Mode {
		sd = t.SdLo
	}
	d := x - t.Mode
	if d == 0 {
		return logNorm - math.Log(t.SdLo+t.SdHi)
	}
	if sd == 0 {
		return math.Inf(-1) // the observation rules this side out
	}
	d /= sd
	return logNorm - math.Log(t.SdLo+t.SdHi) - d*d/2
}

// Scale maps a measured value onto the scale of the term's density (the
// log for a positive quantity), NaN when it has no place there.
func (t Term) Scale(x float64) float64 {
	if t.Log {
		if !(x > 0) {
			return math.NaN()
		}
		return math.Log(x)
	}
	return x
}
