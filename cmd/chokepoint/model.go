package main

import (
	"github.com/chokepoint-sim/chokepoint/models"
	"github.com/chokepoint-sim/chokepoint/sim"
)

// theModel is the model every verb runs. Everything a verb shows of its
// levers, parameters and outputs comes from its registry, so that tests
// can run the verbs on a model of their own.
var theModel sim.Model = models.China{}

// registry is theModel's registry.
func registry() *sim.Registry { return theModel.Registry() }

// chartOutputs are the outputs drawn as charts after a run, unless the
// verb is given others.
func chartOutputs() []string { return registry().Featured(sim.RunCharts) }

// featuredExample is an output key for help texts: the first the headline
// table shows.
func featuredExample() string {
	if ks := registry().Featured(sim.Headline); len(ks) > 0 {
		return ks[0]
	}
	return registry().Outputs[0].Key
}
