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

// Quantile inverts F between the smallest and the largest of the
// components' p-quantiles, which bracket it (at the first F <= p, at the
// second F >= p, since every F_k is). It narrows the bracket by regula
// falsi with the Illinois modification (Dowell and Jarratt 1971), which is
// exact within a linear piece of F and superlinear on smooth ones, falling
// back to halving the float64 between the ends whenever a step fails to
// halve them; it stops when the ends are adjacent float64 and returns the
// upper one: the smallest float64 at which F reaches p. That answer does
// not depend on the path taken, so it is monotone in p.
func (d Mixture) Quantile(p float64) float64 {
	checkProb(p)
	lo, hi := d.bracket(p)
	switch {
	case p == 1:
		return hi
	case lo == hi || p == 0 || d.cdf(lo) >= p:
		return lo
	}
	// g = F - p: ga < 0 at a; at b, g >= 0 (taken so even if rounding in
	// F says otherwise at the components' largest quantile).
	a, b := lo, hi
	ga, gb := d.cdf(a)-p, math.Max(d.cdf(b)-p, 0)
	retained := 0 // +1: b kept by the last step, -1: a kept
	for gap := orderedBits(b) - orderedBits(a); gap > 1; {
		x := a + (b-a)*(-ga/(gb-ga))
		switch {
		case !(x > a && x < b):
			x = fromOrderedBits(orderedBits(a) + gap/2)
		case gap > 2*minStep && orderedBits(b)-orderedBits(x) < minStep:
			// As in Brent's method, a step never lands closer than a
			// few float64 to an end: when the root sits by one end, a
			// point just past it, on the other side, closes the bracket.
			x = fromOrderedBits(orderedBits(b) - minStep)
		case gap > 2*minStep && orderedBits(x)-orderedBits(a) < minStep:
			x = fromOrderedBits(orderedBits(a) + minStep)
		}
		if gx := d.cdf(x) - p; gx >= 0 {
			b, gb = x, gx
			if retained == -1 {
				ga /= 2 // Illinois: a kept twice, halve its weight
			}
			retained = -1
		} else {
			a, ga = x, gx
			if retained == 1 {
				gb /= 2
			}
			retained = 1
		}
		next := orderedBits(b) - orderedBits(a)
		if next > gap/2 {
			// Too slow: halve the float64 between the ends instead.
			m := fromOrderedBits(orderedBits(a) + next/2)
			if gm := d.cdf(m) - p; gm >= 0 {
				b, gb = m, gm
			} else {
				a, ga = m, gm
			}
			retained = 0
			next = orderedBits(b) - orderedBits(a)
		}
		gap = next
	}
	return b
}

// minStep is the fewest float64 a step of Quantile's search lands from
// either end of its bracket.
const minStep = 4

// bracket returns the smallest and largest p-quantile of the components,
// a nested mixture's taken from its own components (its p-quantile lies
// between theirs), so that no inner mixture is solved for.
func (d Mixture) bracket(p float64) (lo, hi float64) {
	lo, hi = math.Inf(1), math.Inf(-1)
	for _, c := range d.comps {
		var l, h float64
		if m, ok := c.(Mixture); ok {
			l, h = m.bracket(p)
		} else {
			l = c.Quantile(p)
			h = l
		}
		lo, hi = math.Min(lo, l), math.Max(hi, h)
	}
	return lo, hi
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
