package calibrate

import (
	"errors"
	"fmt"
	"math"

	"github.com/chokepoint-sim/chokepoint/sim"
)

// Terms returns the likelihood of each observation.
func Terms(obs []sim.Observation) ([]Term, error) {
	out := make([]Term, len(obs))
	for k := range obs {
		t, err := NewTerm(&obs[k])
		if err != nil {
			return nil, err
		}
		out[k] = t
	}
	return out, nil
}

// Posterior is the prior ensemble weighed by the observations used.
type Posterior struct {
	// Used[k] says observation k entered the likelihood (the others are
	// held out).
	Used []bool
	// LogLik[r] is held run r's log-likelihood: the sum of its used
	// observations' log densities (observations independent).
	LogLik []float64
	// Weights[r] is run r's normalised importance weight,
	// exp(LogLik[r] − max) / Σ exp(LogLik − max); they sum to 1.
	Weights []float64
	// ESS is the effective sample size, 1/Σ w² (Kish).
	ESS float64
	// Ruled[k] counts the runs that observation k alone gives no
	// likelihood (a value outside where its density lives, or undefined).
	Ruled []int
}

// ErrNoWeight is returned when no run is consistent with the observations.
var ErrNoWeight = errors.New("calibrate: every run has zero likelihood: no run of the prior is consistent with the observations")

// Weigh computes every run's log-likelihood from its measures, then the
// normalised weights by log-sum-exp.
func Weigh(d *Draws, terms []Term, used []bool) (*Posterior, error) {
	K := d.K()
	if len(terms) != K || len(used) != K {
		return nil, fmt.Errorf("calibrate: %d terms and %d flags for %d observations", len(terms), len(used), K)
	}
	return weigh(densities(d, terms), K, used)
}

// densities returns every run's log density of every observation,
// ld[r*K+k].
func densities(d *Draws, terms []Term) []float64 {
	ld := make([]float64, len(d.Measures))
	K := d.K()
	for i, m := range d.Measures {
		ld[i] = terms[i%K].LogDensity(m)
	}
	return ld
}

// weigh sums each run's log densities of the used observations, in
// observation order, and normalises. Each sum is over one run in a fixed
// order, and the sums over runs are exact (sim.ExactSum), so the weights
// are the same bits whatever order the runs were computed in.
func weigh(ld []float64, K int, used []bool) (*Posterior, error) {
	n := len(ld) / K
	post := &Posterior{Used: used, LogLik: make([]float64, n), Weights: make([]float64, n), Ruled: make([]int, K)}
	top := math.Inf(-1)
	for r := 0; r < n; r++ {
		ll := 0.0
		for k, l := range ld[r*K : (r+1)*K] {
			if !used[k] {
				continue
			}
			if math.IsInf(l, -1) {
				post.Ruled[k]++
			}
			ll += l
		}
		post.LogLik[r] = ll
		top = math.Max(top, ll)
	}
	if math.IsInf(top, -1) || math.IsNaN(top) {
		return nil, ErrNoWeight
	}
	var total sim.ExactSum
	for r, ll := range post.LogLik {
		post.Weights[r] = math.Exp(ll - top)
		total.Add(post.Weights[r])
	}
	z := total.Value()
	var sq sim.ExactSum
	for r := range post.Weights {
		post.Weights[r] /= z
		sq.Add(post.Weights[r] * post.Weights[r])
	}
	post.ESS = 1 / sq.Value()
	return post, nil
}

// resampleKey names the stream of the systematic resampling's offset.
var resampleKey = sim.KeyHash("calibrate:resample")

// Resample draws m runs by systematic resampling of the weights (Kitagawa
// 1996; Douc, Cappé and Moulines 2005): one uniform offset u from the
// seed's own stream, then the runs where the cumulative weight crosses
// (u + j)/m, j = 0..m−1. Each run appears about m·w times, never more than
// one away from it. The returned held-run indices are in increasing order.
func Resample(weights []float64, m int, seed uint64) []int {
	out := make([]int, 0, m)
	u := sim.Uniform(seed, 0, resampleKey)
	last := len(weights) - 1
	for last > 0 && weights[last] == 0 {
		last-- // rounding in the cumulative sum must not land on a run of no weight
	}
	cum, r := 0.0, 0
	for j := 0; j < m; j++ {
		target := (u + float64(j)) / float64(m)
		for r < last && (weights[r] == 0 || cum+weights[r] < target) {
			cum += weights[r]
			r++
		}
		out = append(out, r)
	}
	return out
}
