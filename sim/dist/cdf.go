package dist

import (
	"math"
	"sort"

	"gonum.org/v1/gonum/stat/distuv"
)

// cdfer is a distribution whose cumulative distribution function is known:
// every type Parse returns is one. A mixture inverts the weighted sum of
// its components' CDFs to keep its Quantile monotone.
type cdfer interface {
	cdf(x float64) float64
}

// CDF returns P(X <= x) for a distribution Parse returned, or NaN for a
// Dist of another kind.
func CDF(d Dist, x float64) float64 {
	if c, ok := d.(cdfer); ok {
		return c.cdf(x)
	}
	return math.NaN()
}

// normCDF is the standard normal CDF. UnitNormal's CDF uses no random
// source, so its nil Src is never read.
func normCDF(z float64) float64 { return distuv.UnitNormal.CDF(z) }

func (d Fixed) cdf(x float64) float64 { return step(x >= d.v) }

func (d Normal) cdf(x float64) float64 {
	if d.sd == 0 {
		return step(x >= d.mean)
	}
	return normCDF((x - d.mean) / d.sd)
}

func (d LogNormal) cdf(x float64) float64 {
	if x <= 0 {
		return 0
	}
	return normCDF((logSub(x) - d.mu) / d.sigma)
}

func (d Uniform) cdf(x float64) float64 { return clamp((x-d.min)/(d.max-d.min), 0, 1) }

func (d Triangular) cdf(x float64) float64 {
	switch {
	case x <= d.min:
		return 0
	case x >= d.max:
		return 1
	case x < d.mode:
		return (x - d.min) / (d.max - d.min) * ((x - d.min) / (d.mode - d.min))
	}
	return 1 - (d.max-x)/(d.max-d.min)*((d.max-x)/(d.max-d.mode))
}

func (d PERT) cdf(x float64) float64 {
	switch {
	case x <= d.min:
		return 0
	case x >= d.max:
		return 1
	}
	return d.b.cdf((x - d.min) / (d.max - d.min))
}

func (d Beta) cdf(x float64) float64 { return d.b.cdf(x) }

func (d Discrete) cdf(x float64) float64 {
	i := sort.Search(len(d.values), func(i int) bool { return d.values[i] > x })
	if i == 0 {
		return 0
	}
	return d.cum[i-1]
}

// cdf of a clamped distribution: the mass beyond a bound sits on it.
func (d Clipped) cdf(x float64) float64 {
	switch {
	case x < d.lo:
		return 0
	case x >= d.hi:
		return 1
	}
	return CDF(d.d, x)
}

func step(b bool) float64 {
	if b {
		return 1
	}
	return 0
}
