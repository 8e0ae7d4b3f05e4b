package elicit

import (
	"math"
	"sort"

	"gonum.org/v1/gonum/stat/distuv"
)

// Score is how an expert (or the pool) did on the seed questions in
// Cooke's classical model.
type Score struct {
	// Calibration is the p-value of the hypothesis that the answers fall
	// between the expert's quantiles as often as their probabilities say:
	// 1 − χ²_m(2 N I(s, p)), where N is the number of seed questions, m the
	// number of quantiles, s the share of answers in each interquantile
	// bin, p the bins' probabilities and I(s, p) = Σ s_i ln(s_i / p_i) the
	// relative information of s with respect to p (Cooke 1991, ch. 12).
	Calibration float64
	// Information is the mean over seed questions of the relative
	// information of the expert's fitted distribution with respect to the
	// uniform on the question's intrinsic range, Σ p_i ln(p_i / r_i), r_i
	// the share of the range between consecutive quantiles: high for
	// narrow judgements.
	Information float64
}

// binProbs returns the probabilities of the bins between the quantiles
// probs: below the first, between each pair, above the last.
func binProbs(probs []float64) []float64 {
	out := make([]float64, len(probs)+1)
	prev := 0.0
	for i, p := range probs {
		out[i], prev = p-prev, p
	}
	out[len(probs)] = 1 - prev
	return out
}

// calibration scores quantiles js (all at probs) against the answers.
func calibration(probs []float64, js []Judgement, answers []float64) float64 {
	bins := binProbs(probs)
	counts := make([]float64, len(bins))
	for q, j := range js {
		// An answer equal to a quantile counts in the bin below it: the
		// quantile is the value not exceeded with its probability.
		counts[sort.SearchFloat64s(j.Values, answers[q])]++
	}
	n := float64(len(answers))
	info := 0.0
	for i, c := range counts {
		if c > 0 {
			s := c / n
			info += s * math.Log(s/bins[i])
		}
	}
	return distuv.ChiSquared{K: float64(len(probs))}.Survival(2 * n * info)
}

// information is the relative information of j's fitted distribution on
// [lo, hi] with respect to the uniform on it.
func information(j Judgement, lo, hi float64) float64 {
	f := fit(j, lo, hi)
	info := 0.0
	for i := 0; i+1 < len(f.X); i++ {
		p := f.P[i+1] - f.P[i]
		r := (f.X[i+1] - f.X[i]) / (hi - lo)
		info += p * math.Log(p/r)
	}
	return info
}

// seedSet is the seed questions as the classical model reads them: each
// expert's judgements, the answers, and each question's intrinsic range.
type seedSet struct {
	probs   []float64
	byExp   [][]Judgement // [expert][question]
	answers []float64
	lo, hi  []float64
}

func newSeedSet(experts []Expert, answers []float64) *seedSet {
	s := &seedSet{probs: experts[0].Seeds[0].Probs, answers: answers,
		lo: make([]float64, len(answers)), hi: make([]float64, len(answers))}
	for _, e := range experts {
		s.byExp = append(s.byExp, e.Seeds)
	}
	for q := range answers {
		var js []Judgement
		for _, e := range experts {
			js = append(js, e.Seeds[q])
		}
		s.lo[q], s.hi[q] = intrinsic(js, []float64{answers[q]}, math.Inf(-1), math.Inf(1))
	}
	return s
}

// score returns the Score of one set of judgements, one per question.
func (s *seedSet) score(js []Judgement) Score {
	info := 0.0
	for q, j := range js {
		info += information(j, s.lo[q], s.hi[q])
	}
	return Score{Calibration: calibration(s.probs, js, s.answers), Information: info / float64(len(js))}
}

// pooled returns the judgements of the linear pool with weights w on each
// question: its quantiles at the seed probabilities.
func (s *seedSet) pooled(w []float64) []Judgement {
	out := make([]Judgement, len(s.answers))
	for q := range s.answers {
		fits := make([]Fit, len(s.byExp))
		for e, js := range s.byExp {
			fits[e] = fit(js[q], s.lo[q], s.hi[q])
		}
		vals := make([]float64, len(s.probs))
		for i, p := range s.probs {
			vals[i] = poolQuantile(fits, w, p)
		}
		out[q] = Judgement{Probs: s.probs, Values: vals}
	}
	return out
}

// classicalWeights returns each expert's score, the weights of the
// classical model at the cut-off (calibration × information for experts
// whose calibration reaches it, 0 for the others; unnormalised), and the
// pool's score with those weights. With cutoff < 0 the cut-off is chosen
// as Cooke's "optimised decision maker" does: the one among 0 and the
// experts' calibration scores that gives the pool the highest calibration
// × information on the seed questions (the lowest such, on a tie).
func classicalWeights(s *seedSet, cutoff float64) (scores []Score, w []float64, chosen float64, dm Score) {
	scores = make([]Score, len(s.byExp))
	for e, js := range s.byExp {
		scores[e] = s.score(js)
	}
	at := func(alpha float64) ([]float64, bool) {
		w := make([]float64, len(scores))
		any := false
		for e, sc := range scores {
			if sc.Calibration >= alpha {
				w[e] = sc.Calibration * sc.Information
				any = any || w[e] > 0
			}
		}
		return w, any
	}
	if cutoff >= 0 {
		w, ok := at(cutoff)
		if !ok {
			return scores, nil, cutoff, Score{}
		}
		return scores, w, cutoff, s.score(s.pooled(w))
	}
	cands := []float64{0}
	for _, sc := range scores {
		cands = append(cands, sc.Calibration)
	}
	sort.Float64s(cands)
	best := -1.0
	for _, a := range cands {
		wa, ok := at(a)
		if !ok {
			continue
		}
		d := s.score(s.pooled(wa))
		if v := d.Calibration * d.Information; v > best {
			best, w, chosen, dm = v, wa, a, d
		}
	}
	return scores, w, chosen, dm
}
