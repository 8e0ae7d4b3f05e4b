package dist

import (
	"fmt"
	"math"
)

// Form names d's family in words, with the numbers that pin it down in
// plain terms rather than in its own parameters: "lognormal (median 8,
// sigma of the log 0.263)", "uniform from 0 to 1", "triangular from 1 to
// 5, most likely 2". A reader gets the shape here and the range from
// Quantile(0.05) and Quantile(0.95).
func Form(d Dist) string {
	switch d := d.(type) {
	case Fixed:
		return "fixed at " + fmtApprox(d.v)
	case Normal:
		if d.sd == 0 {
			return "fixed at " + fmtApprox(d.mean)
		}
		return fmt.Sprintf("normal (mean %s, sd %s)", fmtApprox(d.mean), fmtApprox(d.sd))
	case LogNormal:
		return fmt.Sprintf("lognormal (median %s, sd of the log %s)", fmtApprox(math.Exp(d.mu)), fmtApprox(d.sigma))
	case Uniform:
		return fmt.Sprintf("uniform from %s to %s", fmtApprox(d.min), fmtApprox(d.max))
	case Triangular:
		return fmt.Sprintf("triangular from %s to %s, most likely %s", fmtApprox(d.min), fmtApprox(d.max), fmtApprox(d.mode))
	case PERT:
		return fmt.Sprintf("PERT from %s to %s, most likely %s", fmtApprox(d.min), fmtApprox(d.max), fmtApprox(d.mode))
	case Beta:
		return fmt.Sprintf("beta (alpha %s, beta %s)", fmtApprox(d.b.a), fmtApprox(d.b.b))
	case Discrete:
		return fmt.Sprintf("discrete over %d values", len(d.values))
	case Mixture:
		return fmt.Sprintf("mixture of %d components", len(d.comps))
	case Clipped:
		return fmt.Sprintf("%s, clipped to [%s, %s]", Form(d.d), fmtApprox(d.lo), fmtApprox(d.hi))
	}
	return d.String()
}
