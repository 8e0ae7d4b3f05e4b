package sim

import (
	"github.com/chokepoint-sim/chokepoint/sim/dist"
)

// Model is what the engine runs: a registry of parameters, levers and
// outputs, and a deterministic function from one run's inputs to its outputs.
type Model interface {
	Registry() *Registry
	// NewRunner returns the state one worker needs to simulate runs over
	// span. A Runner is used by one goroutine at a time.
	NewRunner(span Span) Runner
}

// Runner simulates one run at a time.
type Runner interface {
	// Run fills out, laid out output-major: out[o*T+t] is output o (in
	// registry order) at quarter t of the span, T = in.Span.Len().
	// Run must not keep in or out, nor allocate per quarter.
	Run(in *RunInput, out []float64)
}

// RunInput is everything one run of a model may depend on.
type RunInput struct {
	Span Span
	// Params holds one drawn value per registry parameter.
	Params []float64
	// Levers[l][t] is lever l's value in force at quarter t.
	Levers [][]float64
	// Pending[l][t] is the value lever l will take at a later quarter under
	// an event announced by t but not yet effective; NaN when none is
	// pending. Models use it for stockpiling ahead of a restriction.
	Pending [][]float64
}

// Event is a compiled scenario event: from Effective (plus a drawn delay)
// onward, Lever takes Value.
type Event struct {
	// ID names the event's random streams (whether it fires, its delay), so
	// that the same event in two scenarios draws alike in the same run.
	ID        string
	Lever     int
	Value     float64
	Effective Period
	// Announced is when the event became known; equal to Effective when it
	// came unannounced.
	Announced Period
	// Probability that the event happens at all in a run (1: always).
	Probability float64
	// Delay, in quarters, drawn per run and rounded to whole quarters; nil
	// for none.
	Delay dist.Dist
	// Label is a few words for charts ("HBM ban"); empty: derived from Note.
	Label  string
	Note   string
	Source string
}

// Uncertain reports whether the event can differ between runs.
func (e *Event) Uncertain() bool { return e.Probability < 1 || e.Delay != nil }

// Scenario is a compiled scenario, ready to run.
type Scenario struct {
	Name        string
	Title       string
	Description string
	Span        Span
	// Params holds the distribution of each registry parameter, in registry
	// order; an entry the scenario does not override is the registry's
	// default.
	Params []dist.Dist
	// Events in the order they resolve: by effective date, then as written.
	Events []Event
	// Correlations impose rank correlations on groups of parameters; no
	// parameter is in two groups.
	Correlations []*Correlation
	// Hash is the SHA-256 of the scenario's resolved content, hex encoded.
	Hash string
	// Structure, when not nil, names the formulation of each structural
	// switch the scenario pins, by key: set where Params are not at hand
	// (a result merged from shards, from the shards' manifests); otherwise
	// the pins are read from Params (Param.Pinned).
	Structure map[string]string
}
