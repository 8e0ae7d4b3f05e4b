package elicit

import (
	"math"
	"sort"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/chokepoint-sim/chokepoint/sim/dist"
)

// threeExperts judge one quantity bounded below by 0, at different
// probabilities.
func threeExperts() []Expert {
	return []Expert{
		{Name: "A", Weight: 1, Target: Judgement{Probs: []float64{0.05, 0.5, 0.95}, Values: []float64{1.1, 1.8, 3.5}}},
		{Name: "B", Weight: 2, Target: Judgement{Probs: []float64{0.05, 0.5, 0.95}, Values: []float64{1.5, 3, 7}}},
		{Name: "C", Weight: 3, Target: Judgement{Probs: []float64{0.05, 0.25, 0.5, 0.75, 0.95}, Values: []float64{2, 3, 4.5, 6.5, 12}}},
	}
}

// checkCDF is the linear pool's CDF computed from the documented rule
// alone: each expert's CDF runs linearly through (L*, 0), each
// (value, probability) and (H*, 1), where [L*, H*] is the range of every
// value given, widened by 10% on each side and cut to [lo, hi]; the pool
// is their weighted mean.
func checkCDF(es []Expert, w []float64, lo, hi float64) func(float64) float64 {
	min, max := math.Inf(1), math.Inf(-1)
	for _, e := range es {
		for _, v := range e.Target.Values {
			min, max = math.Min(min, v), math.Max(max, v)
		}
	}
	L, H := math.Max(min-0.1*(max-min), lo), math.Min(max+0.1*(max-min), hi)
	return func(x float64) float64 {
		total, wsum := 0.0, 0.0
		for i, e := range es {
			xs := append(append([]float64{L}, e.Target.Values...), H)
			ps := append(append([]float64{0}, e.Target.Probs...), 1)
			f := 1.0
			switch {
			case x <= L:
				f = 0
			case x < H:
				for k := 1; k < len(xs); k++ {
					if x <= xs[k] {
						f = ps[k-1] + (ps[k]-ps[k-1])*(x-xs[k-1])/(xs[k]-xs[k-1])
						break
					}
				}
			}
			total += w[i] * f
			wsum += w[i]
		}
		return total / wsum
	}
}

// checkQuantile finds where F reaches p: the first point of a grid of
// 100,000 steps over [lo, hi] at which it does, then bisection between that
// point and the one before.
func checkQuantile(F func(float64) float64, lo, hi, p float64) float64 {
	const n = 100000
	step := (hi - lo) / n
	a := lo
	for i := 1; i <= n; i++ {
		b := lo + float64(i)*step
		if F(b) >= p {
			for range 100 {
				m := (a + b) / 2
				if F(m) >= p {
					b = m
				} else {
					a = m
				}
			}
			return b
		}
		a = b
	}
	return hi
}

// The pool's quantiles are those of the linear pool: the root of the
// weighted mean of the experts' CDFs, found independently by a grid and
// bisection, with equal and with given weights. The scenario text it prints
// is the same distribution.
func TestPoolQuantilesMatchLinearPool(t *testing.T) {
	for _, c := range []struct {
		name  string
		given bool
		w     []float64
	}{{"equal", false, []float64{1, 1, 1}}, {"given", true, []float64{1, 2, 3}}} {
		t.Run(c.name, func(t *testing.T) {
			es := threeExperts()
			r, err := Pool(Input{Experts: es, Given: c.given, Min: 0, Max: 50, Cutoff: -1})
			require.NoError(t, err)
			F := checkCDF(es, c.w, 0, 50)
			pasted, err := dist.ParseText(r.Text(nil, ""))
			require.NoError(t, err)
			for _, p := range []float64{0.01, 0.05, 0.1, 0.25, 0.5, 0.75, 0.9, 0.95, 0.99} {
				want := checkQuantile(F, 0, 50, p)
				// 1e-9: the grid and bisection find the root to ~1e-13; the
				// rest is rounding in the two piecewise-linear sums.
				assert.InDelta(t, want, r.Quantile(p), 1e-9, "p = %g", p)
				// 1e-9 again: the pasted weights are written to 12 digits.
				assert.InDelta(t, want, pasted.Quantile(p), 1e-9, "pasted, p = %g", p)
			}
			total := c.w[0] + c.w[1] + c.w[2]
			for i, w := range r.Weights {
				assert.InDelta(t, c.w[i]/total, w, 1e-15)
			}
		})
	}
}

// Each fit passes through the quantiles its expert gave, and its tails
// stop at the intrinsic range: 10% beyond the values given (here 1.1 to
// 12, so 0.01 to 13.09), cut at the quantity's bounds.
func TestFitThroughQuantiles(t *testing.T) {
	es := threeExperts()
	r, err := Pool(Input{Experts: es, Min: 1, Max: 50, Cutoff: -1})
	require.NoError(t, err)
	assert.Equal(t, 1.0, r.Lo, "1.1 - 1.09 = 0.01 is below the bound 1")
	assert.InDelta(t, 13.09, r.Hi, 1e-12)
	for i, e := range es {
		for k, p := range e.Target.Probs {
			assert.InDelta(t, e.Target.Values[k], r.Fits[i].Quantile(p), 1e-12)
			assert.InDelta(t, p, r.Fits[i].CDF(e.Target.Values[k]), 1e-12)
		}
	}
	assert.Equal(t, 0.0, r.CDF(1))
	assert.Equal(t, 1.0, r.CDF(13.09))
}

// chi2Survival3 is P(X > x) for a chi-square with 3 degrees of freedom in
// closed form (Abramowitz and Stegun 26.4.5): erfc(sqrt(x/2)) +
// sqrt(2x/pi) exp(-x/2).
func chi2Survival3(x float64) float64 {
	return math.Erfc(math.Sqrt(x/2)) + math.Sqrt(2*x/math.Pi)*math.Exp(-x/2)
}

// seedJudgements places twenty answers 1..20 against quantiles that put
// below, in [p5, p50], in [p50, p95] and above them the counts given.
func seedJudgements(below, low, high, above int) ([]Judgement, []float64) {
	var js []Judgement
	var answers []float64
	counts := []int{below, low, high, above}
	// Quantiles around an answer of 10: the answer sits in the bin asked.
	around := [][]float64{{11, 12, 13}, {9, 11, 12}, {8, 9, 11}, {7, 8, 9}}
	for bin, n := range counts {
		for range n {
			js = append(js, Judgement{Probs: []float64{0.05, 0.5, 0.95}, Values: around[bin]})
			answers = append(answers, 10)
		}
	}
	return js, answers
}

// Calibration is the chi-square p-value of the answers' spread over the
// interquantile bins: 1 when they fall in the bins' shares exactly, and as
// the closed form says otherwise.
func TestCalibration(t *testing.T) {
	probs := []float64{0.05, 0.5, 0.95}
	js, answers := seedJudgements(1, 9, 9, 1) // exactly 5%, 45%, 45%, 5% of 20
	assert.InDelta(t, 1, calibration(probs, js, answers), 1e-12)

	js, answers = seedJudgements(0, 4, 6, 10) // half the answers above p95
	s := []float64{0, 0.2, 0.3, 0.5}
	p := []float64{0.05, 0.45, 0.45, 0.05}
	info := 0.0
	for i := range s {
		if s[i] > 0 {
			info += s[i] * math.Log(s[i]/p[i])
		}
	}
	want := chi2Survival3(2 * 20 * info)
	assert.InDelta(t, want, calibration(probs, js, answers), 1e-12*math.Max(want, 1e-300)+1e-300)
	assert.Less(t, want, 1e-6, "a badly calibrated expert scores near 0")
}

// Information is zero for a judgement that spreads its mass as the uniform
// background does, and ln(1/0.1) for one that puts everything in a tenth
// of the range.
func TestInformation(t *testing.T) {
	uniform := Judgement{Probs: []float64{0.05, 0.5, 0.95}, Values: []float64{0.5, 5, 9.5}}
	assert.InDelta(t, 0, information(uniform, 0, 10), 1e-12)
	// Quantiles 4.5, 5, 5.5 (90% in [4.5, 5.5], a tenth of [0, 10]):
	// 0.05 ln(0.05/0.45) × 2 + 0.45 ln(0.45/0.05) × 2.
	narrow := Judgement{Probs: []float64{0.05, 0.5, 0.95}, Values: []float64{4.5, 5, 5.5}}
	want := 2*0.05*math.Log(0.05/0.45) + 2*0.45*math.Log(0.45/0.05)
	assert.InDelta(t, want, information(narrow, 0, 10), 1e-12)
}

// With seed questions, a well-calibrated expert outweighs one whose
// answers fall outside their 90% intervals; a cut-off above the second's
// calibration leaves it out.
func TestClassicalWeights(t *testing.T) {
	good, answers := seedJudgements(1, 9, 9, 1)
	bad, _ := seedJudgements(0, 4, 6, 10)
	target := Judgement{Probs: []float64{0.05, 0.5, 0.95}, Values: []float64{1, 2, 3}}
	es := []Expert{{Name: "good", Target: target, Seeds: good}, {Name: "bad", Target: target, Seeds: bad}}
	r, err := Pool(Input{Experts: es, Answers: answers, Cutoff: 0, Min: 0, Max: 10})
	require.NoError(t, err)
	assert.Equal(t, Classical, r.Method)
	assert.Greater(t, r.Weights[0], 100*r.Weights[1])
	// Unnormalised weights are calibration × information.
	ratio := (r.Scores[0].Calibration * r.Scores[0].Information) / (r.Scores[1].Calibration * r.Scores[1].Information)
	assert.InDelta(t, ratio, r.Weights[0]/r.Weights[1], 1e-9*ratio)

	r, err = Pool(Input{Experts: es, Answers: answers, Cutoff: 0.5, Min: 0, Max: 10})
	require.NoError(t, err)
	assert.Equal(t, []float64{1, 0}, r.Weights)

	// Chosen cut-off: the pool's own calibration × information is no worse
	// than with every expert in (cut-off 0).
	opt, err := Pool(Input{Experts: es, Answers: answers, Cutoff: -1, Min: 0, Max: 10})
	require.NoError(t, err)
	all, err := Pool(Input{Experts: es, Answers: answers, Cutoff: 0, Min: 0, Max: 10})
	require.NoError(t, err)
	assert.GreaterOrEqual(t, opt.DM.Calibration*opt.DM.Information, all.DM.Calibration*all.DM.Information)

	_, err = Pool(Input{Experts: es[1:], Answers: answers, Cutoff: 0.5, Min: 0, Max: 10})
	assert.ErrorContains(t, err, "no expert's calibration reaches the cut-off")
}

// poolQuantile agrees with the check on random pools too.
func TestPoolQuantileRandom(t *testing.T) {
	es := threeExperts()
	w := []float64{0.2, 0.5, 0.3}
	r := &Result{Weights: w}
	lo, hi := intrinsic([]Judgement{es[0].Target, es[1].Target, es[2].Target}, nil, 0, 50)
	for _, e := range es {
		r.Fits = append(r.Fits, fit(e.Target, lo, hi))
	}
	F := checkCDF(es, w, 0, 50)
	ps := []float64{0.001, 0.02, 0.3, 0.6, 0.97, 0.999}
	sort.Float64s(ps)
	for _, p := range ps {
		assert.InDelta(t, checkQuantile(F, 0, 50, p), r.Quantile(p), 1e-9, "p = %g", p)
	}
}
