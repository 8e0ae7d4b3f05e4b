package main

import (
	"strings"

	"github.com/chokepoint-sim/chokepoint/models"
	"github.com/chokepoint-sim/chokepoint/output"
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

// milestones are theModel's milestones as charts mark them (on the charts
// of the outputs each turns); a model that declares none has none.
func milestones() []output.EventMark {
	m, ok := theModel.(interface{ Milestones() []models.Milestone })
	if !ok {
		return nil
	}
	var marks []output.EventMark
	for _, ms := range m.Milestones() {
		marks = append(marks, output.EventMark{ID: ms.ID, Period: ms.Period, Label: ms.Label, Outputs: ms.Outputs})
	}
	return marks
}

// milestoneHelp names the model's milestones for --events' help, if any.
func milestoneHelp() string {
	ms := milestones()
	if len(ms) == 0 {
		return ""
	}
	ids := make([]string, len(ms))
	for i, m := range ms {
		ids[i] = m.ID
	}
	return " or the model's milestones (" + strings.Join(ids, ",") + ")"
}
