package elicit

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
)

// Expert is one expert's judgement of the quantity, and of each seed
// question (in the order of Input.Answers).
type Expert struct {
	Name   string
	Weight float64 // used when Input.Given
	Target Judgement
	Seeds  []Judgement
}

// Input is everything pooled.
type Input struct {
	Experts []Expert
	// Answers are the true values of the seed questions; when there are
	// any, every expert judges every seed question at the same
	// probabilities, and the weights are the classical model's.
	Answers []float64
	// Given: the experts' own Weight, normalised (no seed questions).
	Given bool
	// Cutoff is the classical model's calibration cut-off; < 0 chooses it
	// (classicalWeights).
	Cutoff float64
	// Min and Max bound the quantity; the tails stop there.
	Min, Max float64
}

// Method names how the pool's weights were set.
type Method string

// The three ways.
const (
	Equal     Method = "equal"
	Given     Method = "given"
	Classical Method = "classical model"
)

// Result is the pool.
type Result struct {
	Method  Method
	Weights []float64 // normalised, one per expert
	Fits    []Fit     // each expert's fitted distribution
	Lo, Hi  float64   // the intrinsic range of the quantity
	// Scores, Cutoff and DM are set by the classical model: each expert's
	// score, the calibration cut-off used, and the pool's own score on the
	// seed questions.
	Scores []Score
	Cutoff float64
	DM     Score
}

// Pool fits each expert's quantiles and pools them. Its errors describe a
// problem of the data as a whole (the checks of each judgement are the
// caller's, where the file's positions are known).
func Pool(in Input) (*Result, error) {
	if len(in.Experts) == 0 {
		return nil, errors.New("no experts")
	}
	var js []Judgement
	for _, e := range in.Experts {
		js = append(js, e.Target)
	}
	lo, hi := intrinsic(js, nil, in.Min, in.Max)
	if !(lo < hi) {
		return nil, errors.New("the experts' quantiles span no range")
	}
	r := &Result{Lo: lo, Hi: hi, Method: Equal}
	for _, j := range js {
		r.Fits = append(r.Fits, fit(j, lo, hi))
	}
	w := make([]float64, len(in.Experts))
	switch {
	case len(in.Answers) > 0:
		r.Method = Classical
		s := newSeedSet(in.Experts, in.Answers)
		for q := range in.Answers {
			if !(s.lo[q] < s.hi[q]) {
				return nil, fmt.Errorf("seed question %d: the experts' quantiles and the answer span no range", q+1)
			}
		}
		r.Scores, w, r.Cutoff, r.DM = classicalWeights(s, in.Cutoff)
		if w == nil || sum(w) == 0 {
			if in.Cutoff < 0 {
				return nil, errors.New("every expert scores 0 on the seed questions (calibration × information): no weights")
			}
			return nil, fmt.Errorf("no expert's calibration reaches the cut-off %g: every weight is 0", in.Cutoff)
		}
	case in.Given:
		r.Method = Given
		for i, e := range in.Experts {
			w[i] = e.Weight
		}
	default:
		for i := range w {
			w[i] = 1
		}
	}
	t := sum(w)
	r.Weights = make([]float64, len(w))
	for i := range w {
		r.Weights[i] = w[i] / t
	}
	return r, nil
}

func sum(xs []float64) float64 {
	s := 0.0
	for _, x := range xs {
		s += x
	}
	return s
}

// CDF is the pool's CDF at x: the weighted mean of the experts'.
func (r *Result) CDF(x float64) float64 { return linearPool(r.Fits, r.Weights, x) }

// Quantile is the pool's p-quantile, 0 < p < 1.
func (r *Result) Quantile(p float64) float64 { return poolQuantile(r.Fits, r.Weights, p) }

// Text writes the pool in scenario syntax: a mixture of the experts' fitted
// distributions with the pool's weights, the same distribution exactly.
// With names, one component a line, each followed by a comment naming its
// expert, for a [params."KEY"] table; indent prefixes every line.
func (r *Result) Text(names []string, indent string) string {
	var comps, wts []string
	for i, f := range r.Fits {
		if r.Weights[i] == 0 {
			continue
		}
		c := f.Text()
		if names != nil {
			c = indent + "  " + c + ", # " + strings.ReplaceAll(names[i], "\n", " ")
		}
		comps = append(comps, c)
		wts = append(wts, num12(r.Weights[i]))
	}
	if names == nil {
		return fmt.Sprintf(`{dist = "mixture", components = [%s], weights = [%s]}`,
			strings.Join(comps, ", "), strings.Join(wts, ", "))
	}
	return fmt.Sprintf("%sdist = \"mixture\"\n%scomponents = [\n%s\n%s]\n%sweights = [%s]\n",
		indent, indent, strings.Join(comps, "\n"), indent, indent, strings.Join(wts, ", "))
}

// roundSig rounds x to n significant digits.
func roundSig(x float64, n int) float64 {
	y, _ := strconv.ParseFloat(strconv.FormatFloat(x, 'g', n, 64), 64)
	return y
}

// Approximation is a simpler distribution in scenario syntax with the
// pool's 5th and 95th percentiles (to four significant digits): "a to b" (log-normal when both are
// positive, else normal). It matches those two percentiles only.
func (r *Result) Approximation() string {
	a, b := r.Quantile(0.05), r.Quantile(0.95)
	if !(a < b) || math.IsInf(a, 0) || math.IsInf(b, 0) {
		return num(a)
	}
	return fmt.Sprintf("%q", num(roundSig(a, 4))+" to "+num(roundSig(b, 4)))
}
