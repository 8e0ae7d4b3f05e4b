package sensitivity

import (
	"math"
	"math/rand/v2"
)

// MorrisDesign is the elementary-effects screening design of Morris (1991,
// "Factorial sampling plans for preliminary computational experiments",
// Technometrics 33:161–174): R trajectories of K+1 points each on the grid
// {0, 1/(p−1), …, 1}^K with p = Levels. A trajectory starts at a random
// grid point and moves one input at a time, in a random order, by ±Delta
// with Delta = p/(2(p−1)); each input moves exactly once per trajectory.
//
// This is Morris's randomised orientation matrix B* = (J x* + Δ/2 ((2B − J)
// D* + J)) P* written out: the start x* has each coordinate on the lower
// p/2 levels, D* picks whether that input steps up from x* or down to it,
// and P* the order of the moves. Trajectories are not optimised for spread
// (Campolongo et al. 2007 keep the R most dispersed of many candidates);
// they are independent random draws.
//
// The grid includes 0 and 1, so quantile functions of unbounded
// distributions must be truncated (or the levels mapped to cell centres) by
// the caller.
type MorrisDesign struct {
	R, K, Levels int

	// Delta is the step p/(2(p−1)) in uniform units.
	Delta float64

	// Points holds the R(K+1) design points as rows, trajectory by
	// trajectory.
	Points [][]float64

	// Order[t][s] is the input that changes between points s and s+1 of
	// trajectory t, that is rows t(K+1)+s and t(K+1)+s+1 of Points.
	Order [][]int
}

// NewMorrisDesign returns r trajectories for k inputs on a grid of levels
// levels, drawn with the given seed. It panics if r < 2, k < 1, or levels is
// odd or less than 2.
func NewMorrisDesign(r, k, levels int, seed uint64) *MorrisDesign {
	if r < 2 {
		panic("sensitivity: fewer than 2 Morris trajectories")
	}
	if k < 1 {
		panic("sensitivity: no inputs")
	}
	if levels < 2 || levels%2 != 0 {
		panic("sensitivity: Morris levels must be even and at least 2")
	}
	rnd := rand.New(rand.NewPCG(seed, morrisStream))
	half := levels / 2
	grid := float64(levels - 1)
	d := &MorrisDesign{
		R: r, K: k, Levels: levels,
		Delta:  float64(half) / grid,
		Points: make([][]float64, r*(k+1)),
		Order:  make([][]int, r),
	}
	data := make([]float64, r*(k+1)*k)
	for j := range d.Points {
		d.Points[j] = data[j*k : (j+1)*k : (j+1)*k]
	}
	level := make([]int, k) // current grid level of each input
	up := make([]bool, k)
	for t := 0; t < r; t++ {
		for i := range level {
			level[i] = rnd.IntN(half) // x*: one of the lower p/2 levels
			up[i] = rnd.IntN(2) == 0  // D*: step up from x*, or down to it
			if !up[i] {
				level[i] += half
			}
		}
		order := rnd.Perm(k) // P*
		d.Order[t] = order
		row := t * (k + 1)
		for i, l := range level {
			d.Points[row][i] = float64(l) / grid
		}
		for s, i := range order {
			if up[i] {
				level[i] += half
			} else {
				level[i] -= half
			}
			copy(d.Points[row+s+1], d.Points[row+s])
			d.Points[row+s+1][i] = float64(level[i]) / grid
		}
	}
	return d
}

// Indices returns, per input, the Morris statistics of its elementary
// effects EE = Δy/Δu over the R trajectories, in output units per unit
// change of the uniform input: mu* = mean |EE| (Campolongo, Cariboni &
// Saltelli 2007, "An effective screening design for sensitivity analysis of
// large models", Environ. Model. Softw. 22:1509–1518), mu = mean EE and
// sigma = the sample standard deviation of EE (Morris 1991). The outputs y
// are in the row order of Points. Indices panics if len(y) != R(K+1).
func (d *MorrisDesign) Indices(y []float64) (muStar, mu, sigma []float64) {
	k := d.K
	if len(y) != d.R*(k+1) {
		panic("sensitivity: len(y) != R(K+1)")
	}
	muStar = make([]float64, k)
	mu = make([]float64, k)
	sigma = make([]float64, k)
	ee := make([]float64, k*d.R) // ee[i*R+t]
	for t, order := range d.Order {
		row := t * (k + 1)
		for s, i := range order {
			du := d.Points[row+s+1][i] - d.Points[row+s][i]
			ee[i*d.R+t] = (y[row+s+1] - y[row+s]) / du
		}
	}
	n := float64(d.R)
	for i := 0; i < k; i++ {
		e := ee[i*d.R : (i+1)*d.R]
		var sum, sumAbs float64
		for _, v := range e {
			sum += v
			sumAbs += math.Abs(v)
		}
		mu[i] = sum / n
		muStar[i] = sumAbs / n
		var ss float64
		for _, v := range e {
			ss += (v - mu[i]) * (v - mu[i])
		}
		sigma[i] = math.Sqrt(ss / (n - 1))
	}
	return muStar, mu, sigma
}
