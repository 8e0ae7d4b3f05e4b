package main

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/chokepoint-sim/chokepoint/models"
	"github.com/chokepoint-sim/chokepoint/scenarios"
	"github.com/chokepoint-sim/chokepoint/sim"
)

// Counts the messages and files depend on, taken from the model so that a
// new parameter or output does not break checks that are about something
// else.

// modelOutputs is the number of outputs the model writes (derived ones,
// computed after the runs, are not kept per run).
func modelOutputs() int {
	n := 0
	for _, o := range models.Registry.Outputs {
		if o.Derived == nil {
			n++
		}
	}
	return n
}

// keptRuns is the most runs of one scenario over the 64 quarters of
// 2020Q1-2035Q4 whose values fit in sim.ExactLimit.
func keptRuns() int { return int(sim.ExactLimit) / (modelOutputs() * 64) }

// uncertainParams is the number of parameters current-policy leaves
// uncertain (support wider than a point).
func uncertainParams(t *testing.T) int {
	t.Helper()
	sc, err := (&scenarios.Loader{Registry: models.Registry}).Load("current-policy")
	require.NoError(t, err)
	k := 0
	for _, d := range sc.Params {
		if lo, hi := d.Support(); lo != hi {
			k++
		}
	}
	return k
}
