package calibrate

import (
	"cmp"
	"math"
	"runtime"
	"slices"
	"strconv"
	"sync"
	"sync/atomic"

	"gonum.org/v1/gonum/mat"

	"github.com/chokepoint-sim/chokepoint/sim"
)

// ObsCheck compares one observation with the prior and the posterior.
type ObsCheck struct {
	Obs  *sim.Observation
	Used bool // in the likelihood; false: held out
	// Prior and Post are the measured quantity's median and 90% interval.
	Prior, Post Interval
	// Inside: the observed central value lies in the 90% interval.
	PriorInside, PostInside bool
	// PriorCRPS and PostCRPS score the two ensembles against the observed
	// central value, on the likelihood's scale (log for a positive
	// quantity); lower is better.
	PriorCRPS, PostCRPS float64
	// ESSAlone is the effective sample size of weights from this
	// observation alone, ESSWithout from the used ones but this: which
	// observations cost the ensemble most of its runs.
	ESSAlone, ESSWithout float64
}

// ParamCheck compares one parameter's prior and posterior marginals.
type ParamCheck struct {
	Index       int // registry order
	Key         string
	Prior, Post Interval
	// Narrowing is the posterior 90% width over the prior's: 1 means the
	// data said nothing, 0.5 that they halved the interval.
	Narrowing float64
}

// Formulation is one value of a structural switch, with the share of the
// prior's runs that take it and its posterior weight.
type Formulation struct {
	Index int
	Key   string
	Value float64
	// Level is the value's name ("network"), the one a scenario's
	// [structure] table pins, or "" for a switch without named levels.
	Level       string
	Prior, Post float64
}

// Name is the formulation as a scenario names it: its level, or its value
// when the switch has no named levels.
func (f Formulation) Name() string {
	if f.Level != "" {
		return f.Level
	}
	return strconv.FormatFloat(f.Value, 'g', -1, 64)
}

// Pair is a correlation between two parameters, before and after the data.
type Pair struct {
	A, B        string
	Prior, Post float64
}

// Report is everything calibration says about an ensemble.
type Report struct {
	Runs         int
	ESS          float64
	Observations []ObsCheck
	// Params lists the parameters that vary, by narrowing (most first).
	Params       []ParamCheck
	Structure    []Formulation
	Correlations []Pair
}

// Options tune the report.
type Options struct {
	// MinCorrelation is the smallest |r| of a posterior correlation reported;
	// MaxPairs the most pairs reported.
	MinCorrelation float64
	MaxPairs       int
	// Workers is the number of goroutines (0: all cores); it never changes
	// the report.
	Workers int
}

// DefaultOptions are the report's defaults.
var DefaultOptions = Options{MinCorrelation: 0.2, MaxPairs: 20}

// Diagnose compares prior and posterior.
//
// Each observation and parameter is summarised on its own, Workers at a
// time (0: all cores); the report does not depend on how many.
func Diagnose(d *Draws, terms []Term, post *Posterior, opt Options) *Report {
	rep := &Report{Runs: d.N(), ESS: post.ESS}
	K, P := d.K(), d.P()
	ld := densities(d, terms)
	rep.Observations = make([]ObsCheck, K)
	params := make([]ParamCheck, P)
	parallel(opt.Workers, K+P, func(i int) {
		if i < K {
			rep.Observations[i] = checkObservation(d, terms, ld, post, i)
			return
		}
		p := i - K
		c := newColumn(d.Params, P, p, post.Weights)
		params[p] = ParamCheck{Index: p, Key: d.Registry.Params[p].Key, Prior: c.prior(), Post: c.post()}
	})
	for _, pc := range params {
		if !(pc.Prior.Width() > 0) {
			continue
		}
		pc.Narrowing = pc.Post.Width() / pc.Prior.Width()
		rep.Params = append(rep.Params, pc)
		if d.Discrete[pc.Index] {
			rep.Structure = append(rep.Structure, formulations(d, pc.Index, post.Weights)...)
		}
	}
	slices.SortStableFunc(rep.Params, func(a, b ParamCheck) int { return cmp.Compare(a.Narrowing, b.Narrowing) })
	rep.Correlations = correlations(d, rep.Params, post.Weights, opt)
	return rep
}

// checkObservation compares observation k with the prior and posterior.
func checkObservation(d *Draws, terms []Term, ld []float64, post *Posterior, k int) ObsCheck {
	K := d.K()
	c := newColumn(d.Measures, K, k, post.Weights)
	oc := ObsCheck{Obs: &d.Obs[k], Used: post.Used[k], Prior: c.prior(), Post: c.post()}
	oc.PriorInside, oc.PostInside = oc.Prior.Contains(oc.Obs.Central), oc.Post.Contains(oc.Obs.Central)
	oc.PriorCRPS, oc.PostCRPS = c.scores(terms[k], oc.Obs.Central)
	alone := make([]bool, K)
	alone[k] = true
	without := slices.Clone(post.Used)
	without[k] = false
	oc.ESSAlone, oc.ESSWithout = ess(ld, K, alone), ess(ld, K, without)
	return oc
}

// parallel calls f(0..n-1) on up to workers goroutines (0: all cores).
func parallel(workers, n int, f func(i int)) {
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	var next atomic.Int64
	var wg sync.WaitGroup
	for w := 0; w < min(workers, n); w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := int(next.Add(1)) - 1; i < n; i = int(next.Add(1)) - 1 {
				f(i)
			}
		}()
	}
	wg.Wait()
}

// ess is the effective sample size of the weights from the used
// observations (all runs alike when none is used; 0 when no run has
// weight).
func ess(ld []float64, K int, used []bool) float64 {
	if !slices.Contains(used, true) {
		return float64(len(ld) / K)
	}
	p, err := weigh(ld, K, used)
	if err != nil {
		return 0
	}
	return p.ESS
}

// formulations sums the prior share and posterior weight of each value of
// discrete parameter p, in increasing order of value.
func formulations(d *Draws, p int, w []float64) []Formulation {
	P, n := d.P(), d.N()
	var out []Formulation
	var counts []int
	at := map[float64]int{}
	for r := 0; r < n; r++ {
		v := d.Params[r*P+p]
		i, ok := at[v]
		if !ok {
			i = len(out)
			at[v] = i
			out = append(out, Formulation{Index: p, Key: d.Registry.Params[p].Key, Value: v, Level: d.Registry.Params[p].LevelName(v)})
			counts = append(counts, 0)
		}
		counts[i]++
		out[i].Post += w[r]
	}
	for i := range out {
		out[i].Prior = float64(counts[i]) / float64(n)
	}
	slices.SortFunc(out, func(a, b Formulation) int { return cmp.Compare(a.Value, b.Value) })
	return out
}

// scores returns the prior's and the posterior's CRPS of the column
// against y, on the term's scale (monotone, so the column stays sorted).
func (c *column) scores(t Term, y float64) (prior, post float64) {
	x := make([]float64, 0, len(c.x))
	wp := make([]float64, 0, len(c.x))
	wq := make([]float64, 0, len(c.x))
	for i, v := range c.x {
		if v = t.Scale(v); !math.IsNaN(v) {
			x, wp, wq = append(x, v), append(wp, c.wPrior[i]), append(wq, c.wPost[i])
		}
	}
	ys := t.Scale(y)
	return crpsSorted(x, wp, ys), crpsSorted(x, wq, ys)
}

// CRPS is the continuous ranked probability score of the weighted
// ensemble (x, w) against the observed y: E|X − y| − ½ E|X − X'| (Gneiting
// and Raftery, "Strictly proper scoring rules, prediction, and
// estimation", JASA 102, 2007, eq. 21), with X, X' independent draws of the
// ensemble. On the values sorted, with weights normalised to sum to one
// and C_i the cumulative weight through i, ½ E|X − X'| =
// Σ w_i x_i (C_{i−1} + C_i − 1), which makes it O(n log n). NaN when no
// weight is left.
func CRPS(x, w []float64, y float64) float64 {
	idx := make([]int, len(x))
	for i := range idx {
		idx[i] = i
	}
	slices.SortFunc(idx, func(a, b int) int { return cmp.Compare(x[a], x[b]) })
	xs, ws := make([]float64, len(x)), make([]float64, len(x))
	for i, j := range idx {
		xs[i], ws[i] = x[j], w[j]
	}
	return crpsSorted(xs, ws, y)
}

// crpsSorted is CRPS of values sorted in increasing order.
func crpsSorted(x, w []float64, y float64) float64 {
	var total float64
	for _, v := range w {
		total += v
	}
	if !(total > 0) {
		return math.NaN()
	}
	var abs, spread, cum float64
	for i := range x {
		wi := w[i] / total
		abs += wi * math.Abs(x[i]-y)
		next := cum + wi
		spread += wi * x[i] * (cum + next - 1)
		cum = next
	}
	return abs - spread
}

// priorSample bounds the runs the prior's correlations are estimated
// from: 20,000 give each r within about ±0.007 (standard error (1−r²)/√n).
const priorSample = 20000

// correlations reports the pairs of varying parameters whose weighted
// posterior correlation reaches opt.MinCorrelation, with the prior's
// beside, by how much the data changed them. Runs below a billionth of
// a millionth of the heaviest weight are left out of the posterior's
// (together they weigh at most n·1e-6 times the heaviest).
func correlations(d *Draws, params []ParamCheck, w []float64, opt Options) []Pair {
	q := len(params)
	if q < 2 {
		return nil
	}
	top := slices.Max(w)
	var rows []int
	for r, v := range w {
		if v >= top*1e-6 {
			rows = append(rows, r)
		}
	}
	post := corrMatrix(d, params, rows, w)
	first := make([]int, min(d.N(), priorSample))
	for i := range first {
		first[i] = i
	}
	prior := corrMatrix(d, params, first, nil)
	var out []Pair
	for i := 0; i < q; i++ {
		for j := i + 1; j < q; j++ {
			r := post.At(i, j)
			if math.Abs(r) >= opt.MinCorrelation {
				a, b := params[i].Key, params[j].Key
				if params[j].Index < params[i].Index {
					a, b = b, a
				}
				out = append(out, Pair{A: a, B: b, Prior: prior.At(i, j), Post: r})
			}
		}
	}
	slices.SortStableFunc(out, func(a, b Pair) int {
		if c := cmp.Compare(math.Abs(b.Post-b.Prior), math.Abs(a.Post-a.Prior)); c != 0 {
			return c
		}
		return cmp.Or(cmp.Compare(a.A, b.A), cmp.Compare(a.B, b.B))
	})
	return out[:min(len(out), opt.MaxPairs)]
}

// corrChunk is the number of runs corrMatrix takes at a time.
const corrChunk = 4096

// corrMatrix is the weighted correlation matrix of the parameters over the
// given runs (nil weights: equal). It accumulates the weighted
// cross-products of the centred values a chunk of runs at a time
// (gonum's SymRankK), so its memory does not grow with the runs.
func corrMatrix(d *Draws, params []ParamCheck, rows []int, w []float64) *mat.SymDense {
	P, q := d.P(), len(params)
	weight := func(r int) float64 {
		if w == nil {
			return 1
		}
		return w[r]
	}
	mean := make([]float64, q)
	var total float64
	for _, r := range rows {
		wr := weight(r)
		total += wr
		for j, pc := range params {
			mean[j] += wr * d.Params[r*P+pc.Index]
		}
	}
	for j := range mean {
		mean[j] /= total
	}
	cov := mat.NewSymDense(q, nil)
	chunk := mat.NewDense(min(corrChunk, max(len(rows), 1)), q, nil)
	for start := 0; start < len(rows); start += corrChunk {
		part := rows[start:min(start+corrChunk, len(rows))]
		for i, r := range part {
			sw := math.Sqrt(weight(r))
			for j, pc := range params {
				chunk.Set(i, j, sw*(d.Params[r*P+pc.Index]-mean[j]))
			}
		}
		x := chunk.Slice(0, len(part), 0, q)
		cov.SymRankK(cov, 1, x.T())
	}
	out := mat.NewSymDense(q, nil)
	for i := 0; i < q; i++ {
		for j := i; j < q; j++ {
			out.SetSym(i, j, cov.At(i, j)/math.Sqrt(cov.At(i, i)*cov.At(j, j)))
		}
	}
	return out
}
