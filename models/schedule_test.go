package models

import (
	"math"

	"github.com/chokepoint-sim/chokepoint/sim"
)

// scheduleOf resolves a scenario's certain events into lever series, as the
// engine does, for tests that drive the model directly.
func scheduleOf(sc *sim.Scenario) (levers, pending [][]float64) {
	T := sc.Span.Len()
	for l := range Registry.Levers {
		lv, pd := make([]float64, T), make([]float64, T)
		for t := range lv {
			lv[t] = Registry.Levers[l].Default
			pd[t] = math.NaN()
		}
		levers, pending = append(levers, lv), append(pending, pd)
	}
	for _, e := range sc.Events {
		for t := max(0, sc.Span.Index(e.Effective)); t < T; t++ {
			levers[e.Lever][t] = e.Value
		}
		for t := max(0, sc.Span.Index(e.Announced)); t < min(T, sc.Span.Index(e.Effective)); t++ {
			if math.IsNaN(pending[e.Lever][t]) {
				pending[e.Lever][t] = e.Value
			}
		}
	}
	return levers, pending
}
