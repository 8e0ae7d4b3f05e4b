package dist

import (
	"fmt"
	"math"
	"strings"
)

// Mixture draws from one of its components, each with a probability given
// by its weight: its CDF is F(x) = sum_k w_k F_k(x).
//
// It is sampled, like every Dist, by inverse transform from one uniform u
// of the parameter's own stream: Quantile(u) is the smallest x with
// F(x) >= u. Which component a draw comes from and where it falls within
// it are both read off that one u, so a mixture needs no extra random
// numbers and stays on the per-(seed, run, key) stream, and shards, Latin
// hypercube strata, Halton points and rank correlations all work on it as
// on any other distribution. (Cutting [0, 1) into one interval per
// component and rescaling u within it would draw the same mixture, but its
// quantile function would not be monotone, which the copula and the printed
// percentiles need.)
type Mixture struct {
	comps []Dist    // components with a positive weight
	w     []float64 // their normalised weights, summing to 1
	text  string
}

// Quantile inverts F by bisection between the smallest and the largest of
// the components' p-quantiles, which bracket it (at the first F <= p, at
// the second F >= p, since every F_k is). The bisection runs over the
// ordered bit patterns of float64, so it ends on the smallest float64 at
// which F reaches p.
func (d Mixture) Quantile(p float64) float64 {
	checkProb(p)
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, c := range d.comps {
		q := c.Quantile(p)
		lo, hi = math.Min(lo, q), math.Max(hi, q)
	}
	switch {
	case p == 1:
		return hi
	case lo == hi || p == 0 || d.cdf(lo) >= p:
		return lo
	}
	a, b := orderedBits(lo), orderedBits(hi)
	for b-a > 1 {
		m := a + (b-a)/2
		if d.cdf(fromOrderedBits(m)) >= p {
			b = m
		} else {
			a = m
		}
	}
	return fromOrderedBits(b)
}

func (d Mixture) cdf(x float64) float64 {
	s := 0.0
	for i, c := range d.comps {
		s += d.w[i] * CDF(c, x)
	}
	return math.Min(s, 1)
}

// Support spans the components' supports.
func (d Mixture) Support() (lo, hi float64) {
	lo, hi = math.Inf(1), math.Inf(-1)
	for _, c := range d.comps {
		l, h := c.Support()
		lo, hi = math.Min(lo, l), math.Max(hi, h)
	}
	return lo, hi
}

func (d Mixture) String() string { return d.text }

// Components returns the components with a positive weight and their
// normalised weights.
func (d Mixture) Components() ([]Dist, []float64) {
	return append([]Dist(nil), d.comps...), append([]float64(nil), d.w...)
}

// Describe writes a mixture for people: each component with its share (a
// component that is a mixture itself by its 90% range alone), then the
// mixture's 90% range.
func (d Mixture) Describe() string {
	parts := make([]string, len(d.comps))
	for i, c := range d.comps {
		text := c.String()
		if m, ok := c.(Mixture); ok {
			text = fmt.Sprintf("mixture of %d (90%% range %s to %s)", len(m.comps),
				fmtApprox(m.Quantile(0.05)), fmtApprox(m.Quantile(0.95)))
		}
		parts[i] = fmt.Sprintf("%s%% %s", fmtShare(d.w[i]), text)
	}
	return fmt.Sprintf("mixture of %s; 90%% range %s to %s", strings.Join(parts, ", "),
		fmtApprox(d.Quantile(0.05)), fmtApprox(d.Quantile(0.95)))
}

// Readable writes d for people: a mixture as its components' shares and
// its 90% range, anything else in scenario syntax.
func Readable(d Dist) string {
	if m, ok := d.(Mixture); ok {
		return m.Describe()
	}
	return d.String()
}

// fmtShare writes a weight as a percentage with up to three significant
// digits: 66.7, 25, 0.1.
func fmtShare(w float64) string { return fmtNum(roundSig(100*w, 3)) }

// fmtApprox writes x to four significant digits.
func fmtApprox(x float64) string { return fmtNum(roundSig(x, 4)) }

func roundSig(x float64, digits int) float64 {
	if x == 0 || math.IsInf(x, 0) || math.IsNaN(x) {
		return x
	}
	s := math.Pow(10, float64(digits)-math.Ceil(math.Log10(math.Abs(x))))
	return math.Round(x*s) / s
}

// orderedBits maps a float64 to an unsigned integer in the same order
// (negative numbers below positive), so that bisection can halve the
// number of float64 between two ends.
func orderedBits(x float64) uint64 {
	b := math.Float64bits(x)
	if b>>63 == 1 {
		return ^b
	}
	return b | 1<<63
}

func fromOrderedBits(u uint64) float64 {
	if u>>63 == 1 {
		return math.Float64frombits(u &^ (1 << 63))
	}
	return math.Float64frombits(^u)
}

// mixture reads a mixture table: components, an array of distributions
// in any form (a mixture too), and optional weights, one per component,
// >= 0 and not all zero, normalised to sum to 1 (equal when absent).
func (t *table) mixture() (Dist, error) {
	raw, ok := array(t.m["components"])
	if !ok {
		if !t.has("components") {
			return nil, t.errorf("needs components, an array of distributions")
		}
		return nil, t.errorf("components must be an array of distributions, found %s", describe(t.m["components"]))
	}
	if len(raw) == 0 {
		return nil, t.errorf("components must not be empty")
	}
	comps := make([]Dist, len(raw))
	texts := make([]string, len(raw))
	for i, v := range raw {
		c, err := Parse(v)
		if err != nil {
			return nil, t.errorf("components[%d]: %v", i, err)
		}
		comps[i], texts[i] = c, c.String()
	}
	wts := make([]float64, len(comps))
	for i := range wts {
		wts[i] = 1
	}
	text := `{dist = "mixture", components = [` + strings.Join(texts, ", ") + "]"
	if t.has("weights") {
		var err error
		if wts, err = t.mixtureWeights(len(comps)); err != nil {
			return nil, err
		}
		text += ", weights = " + fmtArray(wts)
	}
	return newMixture(comps, wts, text+"}"), nil
}

// mixtureWeights reads and checks the weights of n components.
func (t *table) mixtureWeights(n int) ([]float64, error) {
	wts, err := t.numArray("weights")
	if err != nil {
		return nil, err
	}
	if len(wts) != n {
		return nil, t.errorf("components and weights must have the same length, found %d components and %d weights",
			n, len(wts))
	}
	maxW := 0.0
	for i, w := range wts {
		if w < 0 {
			return nil, t.errorf("weights must be >= 0, found weights[%d]=%s", i, fmtNum(w))
		}
		maxW = math.Max(maxW, w)
	}
	if maxW == 0 {
		return nil, t.errorf("weights must not all be zero")
	}
	return wts, nil
}

// newMixture normalises wts and drops the weightless components, which can
// never be drawn.
func newMixture(comps []Dist, wts []float64, text string) Mixture {
	maxW := 0.0
	for _, w := range wts {
		maxW = math.Max(maxW, w)
	}
	d := Mixture{text: text}
	total := 0.0
	for i, c := range comps {
		if wts[i] > 0 {
			w := wts[i] / maxW // in (0, 1], so the sum cannot overflow
			d.comps = append(d.comps, c)
			d.w = append(d.w, w)
			total += w
		}
	}
	for i := range d.w {
		d.w[i] /= total
	}
	return d
}
