// Package simtest holds a small made-up model for tests of the surfaces
// (CLI, page, explain, sensitivity): everything they show of it must come
// from its registry, since no code outside this package knows its keys.
package simtest

import "github.com/chokepoint-sim/chokepoint/sim"

// The keys of the made-up model, for tests to look for.
const (
	ParamKey      = "made_up.new_param"
	LeverKey      = "made_up.new_lever"
	OutputKey     = "made_up_output"
	RateKey       = "made_up_rate"
	TotalKey      = "made_up_rate_total"
	LeverLabel    = "A new lever"
	LeverPhrase   = "the newly made-up lever"
	NoneLabel     = "no made-up rule"
	ParamLabel    = "A new assumption"
	OutputLabel   = "A made-up output"
	OutputSub     = "what the made-up model makes, per quarter"
	LeverGroup    = "Made-up rules"
	ScenarioTitle = "A made-up policy"
)

// Model is a made-up model with one lever, two parameters and three
// outputs (one derived), each declared with everything a surface shows.
type Model struct{}

var registry = sim.NewRegistry(
	[]sim.Param{
		{Key: "made_up.base", Group: "Made-up", Unit: "units", Min: 0, Max: 10, Default: "1 to 2",
			Description: "the made-up model's base level", Source: "made up for tests"},
		{Key: ParamKey, Group: "Made-up", Unit: "1", Min: 0, Max: 3, Default: "0.5 to 1.5",
			Description: "a new made-up assumption", Source: "made up for tests",
			Label: ParamLabel, Classroom: 1, Slider: &sim.Slider{Min: 0, Max: 2, Step: 0.1}},
	},
	[]sim.Lever{
		{Key: LeverKey, Group: LeverGroup, Unit: "widgets", Min: 0, Max: 1000, Default: 1000,
			Description: "a new made-up rule (1000: none)", Source: "made up for tests",
			Label: LeverLabel, Phrase: LeverPhrase,
			Slider: &sim.Slider{Min: 0, Max: 50, Step: 1}, None: &sim.None{Value: 1000, Label: NoneLabel}},
	},
	[]sim.Output{
		{Key: OutputKey, Unit: "units", Description: "the made-up model's output",
			Label: OutputLabel, Subtitle: OutputSub, Featured: sim.Headline | sim.RunCharts | sim.Report | sim.PageCharts},
		{Key: RateKey, Unit: "USD/quarter", Description: "a made-up rate", Featured: sim.PageCost},
		{Key: TotalKey, Unit: "USD", Description: "the made-up rate summed", Featured: sim.PageCost,
			Derived: &sim.Derived{Of: RateKey, Kind: sim.Cumulative}},
	},
)

// Registry returns the made-up model's registry.
func (Model) Registry() *sim.Registry { return registry }

// NewRunner returns a runner of the made-up model.
func (Model) NewRunner(sim.Span) sim.Runner { return runner{} }

type runner struct{}

// Run makes the output grow with the base and the new assumption, and
// shrink while the new lever is below its "none" value.
func (runner) Run(in *sim.RunInput, out []float64) {
	T := in.Span.Len()
	base, k := in.Params[0], in.Params[1]
	for t := 0; t < T; t++ {
		v := base * k * float64(t+1)
		if l := in.Levers[0][t]; l < 1000 {
			v *= 0.5 + l/2000
		}
		out[t] = v
		out[T+t] = 1e6 * k
	}
}

// Scenario is a scenario file of the made-up model that sets the new
// lever from 2022Q1.
const Scenario = `id = "made-up"
title = "` + ScenarioTitle + `"

[time]
start = "2020Q1"
end = "2030Q4"

[[events]]
id = "new-rule"
lever = "` + LeverKey + `"
value = 20
effective = "2022Q1"
note = "A made-up rule starts."
source = "Made up"
`
