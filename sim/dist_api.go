package sim

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
