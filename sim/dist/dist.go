package dist

import (
	"fmt"
	"math"
	"sort"
	"strings"

	"gonum.org/v1/gonum/mathext"
)

// Dist is a one-dimensional probability distribution, sampled by inverse
// transform so that Monte Carlo, Latin hypercube, low-discrepancy designs and
// rank correlations all work from uniforms.
type Dist interface {
	// Quantile returns the value below which a share p of the mass lies,
	// for p in (0, 1). It is monotone non-decreasing in p.
	Quantile(p float64) float64
	// String writes the distribution in scenario-file syntax.
	String() string
	// Support returns the smallest and largest values the distribution can
	// take, after any clip (possibly -Inf and +Inf).
	Support() (lo, hi float64)
}

// checkProb panics unless p is a probability.
func checkProb(p float64) {
	if !(p >= 0 && p <= 1) {
		panic("dist: quantile probability out of range")
	}
}

// normQuantile is the standard normal quantile (gonum's implementation of
// Wichura's AS 241). p = 0 and 1 give -Inf and +Inf.
func normQuantile(p float64) float64 { return mathext.NormalQuantile(p) }

// Fixed is a constant.
type Fixed struct{ v float64 }

// Quantile returns the constant.
func (d Fixed) Quantile(p float64) float64 { checkProb(p); return d.v }

// Support returns the constant twice.
func (d Fixed) Support() (lo, hi float64) { return d.v, d.v }

// String writes the constant as a TOML number.
func (d Fixed) String() string { return fmtNum(d.v) }

// Normal is a normal distribution; a zero sd makes it a constant.
type Normal struct {
	mean, sd float64
	text     string
}

func normalFromPercentiles(p5, p95 float64, text string) Normal {
	// Halve before adding and subtracting so that nothing overflows.
	return Normal{mean: p5/2 + p95/2, sd: (p95/2 - p5/2) / z95, text: text}
}

// Quantile returns mean + sd z(p), z the standard normal quantile.
func (d Normal) Quantile(p float64) float64 {
	checkProb(p)
	if d.sd == 0 {
		return d.mean
	}
	return d.mean + d.sd*normQuantile(p)
}

// Support is the real line, or the mean alone when sd is zero.
func (d Normal) Support() (lo, hi float64) {
	if d.sd == 0 {
		return d.mean, d.mean
	}
	return math.Inf(-1), math.Inf(1)
}

func (d Normal) String() string { return d.text }

// LogNormal is the distribution of exp(X) with X normal (mu, sigma).
type LogNormal struct {
	mu, sigma float64
	text      string
}

func lognormalFromPercentiles(p5, p95 float64, text string) LogNormal {
	l5, l95 := logSub(p5), logSub(p95)
	return LogNormal{mu: (l5 + l95) / 2, sigma: (l95 - l5) / 2 / z95, text: text}
}

// Quantile returns exp(mu + sigma z(p)).
func (d LogNormal) Quantile(p float64) float64 {
	checkProb(p)
	if p == 0 {
		return 0
	}
	return math.Exp(d.mu + d.sigma*normQuantile(p))
}

// Support is [0, +Inf).
func (d LogNormal) Support() (lo, hi float64) { return 0, math.Inf(1) }

func (d LogNormal) String() string { return d.text }

// Uniform is uniform on [min, max].
type Uniform struct{ min, max float64 }

// Quantile returns min + p (max - min).
func (d Uniform) Quantile(p float64) float64 {
	checkProb(p)
	if p == 1 {
		return d.max
	}
	return math.Min(d.min+p*(d.max-d.min), d.max)
}

// Support is [min, max].
func (d Uniform) Support() (lo, hi float64) { return d.min, d.max }

func (d Uniform) String() string {
	return fmt.Sprintf(`{dist = "uniform", min = %s, max = %s}`, fmtNum(d.min), fmtNum(d.max))
}

// Triangular has a density rising linearly from min to mode and falling
// linearly from mode to max.
type Triangular struct{ min, mode, max float64 }

// Quantile inverts the piecewise quadratic CDF.
func (d Triangular) Quantile(p float64) float64 {
	checkProb(p)
	switch p {
	case 0:
		return d.min
	case 1:
		return d.max
	}
	w := d.max - d.min
	left := (d.mode - d.min) / w // CDF at the mode
	if p < left {
		// Below the mode the result cannot exceed it; clamping keeps the
		// two branches in order despite rounding.
		return math.Min(d.min+w*math.Sqrt(p*left), d.mode)
	}
	right := (d.max - d.mode) / w
	return math.Max(d.max-w*math.Sqrt((1-p)*right), d.mode)
}

// Support is [min, max].
func (d Triangular) Support() (lo, hi float64) { return d.min, d.max }

func (d Triangular) String() string {
	return fmt.Sprintf(`{dist = "triangular", min = %s, mode = %s, max = %s}`,
		fmtNum(d.min), fmtNum(d.mode), fmtNum(d.max))
}

// PERT is a beta distribution scaled to [min, max] with
// alpha = 1 + 4 (mode - min) / (max - min) and
// beta = 1 + 4 (max - mode) / (max - min), so that its mean is
// (min + 4 mode + max) / 6.
type PERT struct {
	min, mode, max float64
	b              betaFn
}

// Quantile scales the beta quantile to [min, max].
func (d PERT) Quantile(p float64) float64 {
	checkProb(p)
	if p == 1 {
		return d.max
	}
	return math.Min(d.min+(d.max-d.min)*d.b.quantile(p), d.max)
}

// Support is [min, max].
func (d PERT) Support() (lo, hi float64) { return d.min, d.max }

func (d PERT) String() string {
	return fmt.Sprintf(`{dist = "pert", min = %s, mode = %s, max = %s}`,
		fmtNum(d.min), fmtNum(d.mode), fmtNum(d.max))
}

// Beta is a beta distribution on [0, 1].
type Beta struct {
	b    betaFn
	text string
}

// Quantile inverts the regularised incomplete beta function.
func (d Beta) Quantile(p float64) float64 { checkProb(p); return d.b.quantile(p) }

// Support is [0, 1].
func (d Beta) Support() (lo, hi float64) { return 0, 1 }

func (d Beta) String() string { return d.text }

// Discrete takes finitely many values with given weights.
type Discrete struct {
	values []float64 // sorted, each with a positive weight
	cum    []float64 // cumulative normalised weights; the last is exactly 1
	text   string
}

// Quantile returns the first value (in increasing order) whose cumulative
// weight reaches p.
func (d Discrete) Quantile(p float64) float64 {
	checkProb(p)
	i := sort.SearchFloat64s(d.cum, p)
	if i >= len(d.values) || p == 1 {
		// A last weight tiny beside the total can leave an earlier
		// cumulative weight rounded to 1; p = 1 still gets the largest value.
		i = len(d.values) - 1
	}
	return d.values[i]
}

// Support is the smallest and the largest value with a positive weight.
func (d Discrete) Support() (lo, hi float64) { return d.values[0], d.values[len(d.values)-1] }

func (d Discrete) String() string { return d.text }

// Clipped clamps the quantiles of a distribution into [lo, hi].
type Clipped struct {
	d      Dist
	lo, hi float64
}

// Quantile clamps the inner distribution's quantile into [lo, hi].
func (d Clipped) Quantile(p float64) float64 { return clamp(d.d.Quantile(p), d.lo, d.hi) }

// Support is the inner support clamped into [lo, hi].
func (d Clipped) Support() (lo, hi float64) {
	lo, hi = d.d.Support()
	return clamp(lo, d.lo, d.hi), clamp(hi, d.lo, d.hi)
}

// String writes the inner table with a clip key added.
func (d Clipped) String() string {
	s := d.d.String()
	return strings.TrimSuffix(s, "}") + fmt.Sprintf(", clip = [%s, %s]}", fmtNumTOML(d.lo), fmtNumTOML(d.hi))
}

func clamp(x, lo, hi float64) float64 { return math.Min(math.Max(x, lo), hi) }

// Points returns the values with a positive weight, in increasing order,
// and the probability of each.
func (d Discrete) Points() (values, probs []float64) {
	probs = make([]float64, len(d.cum))
	prev := 0.0
	for i, c := range d.cum {
		probs[i], prev = c-prev, c
	}
	return append([]float64(nil), d.values...), probs
}
