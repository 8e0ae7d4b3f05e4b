package models

import "math"

// Structural alternatives (docs/MODEL.md, "Structural alternatives"). Each switch
// is a parameter drawn per run like any other; its value is rounded to the nearest
// formulation, so that a draw anywhere in [Min, Max] (the property tests draw
// uniformly) names one of them.
//
// structure.substitution (the induced part of the investment multiplier M):
//
//	0  linear:    induced = ε·R(t−1)
//	1  threshold: induced = ε·J once R has stayed above R* for four
//	              quarters in a row (and from then on), 0 before
//	2  none:      induced = 0
//
// J is the jump in units of pressure (the linear response at R = J), so ε
// scales both responses and ε = 0 switches off induced investment in every
// formulation.
//
// structure.diffusion (China's lag behind the frontier's algorithms):
//
//	0  fixed lag:  lag(t) = lag₀
//	1  catch-up:   lag(t) = f + (lag₀ − f)·e^(−k·max(0, t − 2023)),  f = min(floor, lag₀)
//
// in months, whatever China's compute; A_cn = min(A, A·2^(−lag(t)/h)·(1 + σ·R)).
//
// structure.yield_learning (the yield of domestic AI dies):
//
//	0  experience curve in cumulative wafers (production.go)
//	1  logistic in time: Y = Y_max·(1 − c_Y·s) / (1 + e^(−b·(τ − t_mid)))
//
// where the learning clock τ starts at the span's first quarter and runs at
// (1 − c_L·s) years a year under a servicing ban s, as wafers count
// (1 − c_L·s) on the experience curve.

// Formulations of each switch.
const (
	substLinear = iota
	substThreshold
	substNone
	nSubst
)

const (
	diffusionFixed = iota
	diffusionCatchUp
	nDiffusion
)

const (
	yieldExperience = iota
	yieldLogistic
	nYield
)

// catchUpYear is when open-weight diffusion begins (Meta's LLaMA weights,
// 2023-02; Epoch AI's US-China capability comparison starts in 2023).
const catchUpYear = 2023.0

// thresholdQuarters is "a year" above the trigger.
const thresholdQuarters = 4

// structural is the state the alternatives keep.
type structural struct {
	above      int     // quarters in a row with pressure above the trigger
	triggered  bool    // the threshold response has fired
	yieldClock float64 // learning time τ, years
}

// formulation rounds a switch's value to the nearest of its n formulations.
func formulation(v float64, n int) int {
	return min(max(int(math.Round(v)), 0), n-1)
}

// induced returns the induced part of the investment multiplier this
// quarter, in the run's formulation, from the pressure of the quarter
// before.
func (s *state) induced() float64 {
	pp := s.p
	switch formulation(pp.structSubst, nSubst) {
	case substThreshold:
		if s.pressure > pp.thresholdTrigger {
			s.above++
		} else {
			s.above = 0
		}
		if s.above >= thresholdQuarters {
			s.triggered = true
		}
		if s.triggered {
			return pp.elasticity * pp.thresholdJump
		}
		return 0
	case substNone:
		return 0
	}
	return pp.elasticity * s.pressure
}

// lagFactorAt returns 2^(−lag(t)/h), China's efficiency relative to the
// frontier's before the scarcity bonus, in the run's formulation.
func (s *state) lagFactorAt(year float64) float64 {
	pp := s.p
	if formulation(pp.structDiffusion, nDiffusion) != diffusionCatchUp {
		return s.lagFactor
	}
	floor := min(pp.lagFloor, pp.diffusionLag)
	lag := floor + (pp.diffusionLag-floor)*math.Exp(-pp.catchUpRate*max(0, year-catchUpYear))
	return math.Exp2(-lag / pp.halvingMonths)
}

// yieldInTime sets the yield from the logistic in time when the run's
// formulation says so, and advances the learning clock.
func (s *state) yieldInTime(q *quarter, ceiling, serv float64) {
	pp := s.p
	if q.t == 0 {
		s.yieldClock = q.year
	}
	if formulation(pp.structYield, nYield) == yieldLogistic {
		s.yield = ceiling / (1 + math.Exp(-pp.yieldSlope*(s.yieldClock-pp.yieldMidpoint)))
	}
	s.yieldClock += dt * clamp01(1-pp.servLearnCut*serv)
}
