package output

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/chokepoint-sim/chokepoint/sim"
	"github.com/chokepoint-sim/chokepoint/sim/dist"
)

// Events rebuilt from their marks mark the same: what merge relies on to
// write a merged folder's events.json and chart marks.
func TestMarkedEventsRoundTrip(t *testing.T) {
	delay, err := dist.Parse("0 to 4")
	require.NoError(t, err)
	sc := &sim.Scenario{Events: []sim.Event{
		{ID: "hbm-ban", Effective: sim.NewPeriod(2024, 1), Probability: 1},                                   // label from the id
		{ID: "rule", Effective: sim.NewPeriod(2024, 2), Probability: 1, Note: "Density rule: PD >= 5.92"},    // label from the note
		{ID: "maybe", Effective: sim.NewPeriod(2024, 3), Probability: 0.5, Label: "Possible ban"},            // "?" added: uncertain
		{ID: "late", Effective: sim.NewPeriod(2024, 4), Probability: 1, Delay: delay, Label: "Delayed rule"}, // "?" added: delayed
	}}
	marks := EventMarks(nil, sc)
	require.Len(t, marks, 4)
	assert.Equal(t, "HBM ban", marks[0].Label)
	assert.Equal(t, "Possible ban?", marks[2].Label)
	assert.Equal(t, marks, EventMarks(nil, &sim.Scenario{Events: MarkedEvents(marks)}))
}

func TestReadEvents(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, EventsName)
	got, err := ReadEvents(path, []string{"a", "b"})
	require.NoError(t, err, "no file: no marks")
	assert.Equal(t, [][]EventMark{nil, nil}, got)

	p := sim.NewPeriod(2025, 1)
	res := &sim.Result{Scenarios: []*sim.ScenarioResult{
		{Scenario: &sim.Scenario{Name: "a", Events: []sim.Event{{ID: "x-ban", Effective: p, Probability: 1}}}},
		{Scenario: &sim.Scenario{Name: "b"}},
	}}
	require.NoError(t, WriteEvents(path, res))
	got, err = ReadEvents(path, []string{"a", "b"})
	require.NoError(t, err)
	assert.Equal(t, [][]EventMark{{{ID: "x-ban", Period: p, Label: "X ban"}}, {}}, got)

	_, err = ReadEvents(path, []string{"a"})
	require.Error(t, err)
	assert.Contains(t, err.Error(), `[1].scenario: "b" is not a scenario of manifest.json`)

	require.NoError(t, os.WriteFile(path, []byte(`[{"scenario":"a","events":[{"id":"x","period":"2025Q9","label":"X"}]}]`), 0o644))
	_, err = ReadEvents(path, []string{"a"})
	require.Error(t, err)
	assert.Contains(t, err.Error(), `period "2025Q9"`)

	require.NoError(t, os.WriteFile(path, []byte(`[{"scenario":"a","events":[{"id":"x","period":"2025Q1","label":"\u001b[2J"}]}]`), 0o644))
	_, err = ReadEvents(path, []string{"a"})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "[0].events[0].label")
}

// testMilestone is a milestone of a model's own, on one output of
// testOutputs.
var testMilestone = EventMark{ID: "bank-draw", Period: sim.NewPeriod(2025, 1), Label: "China: chips from banked dies",
	Outputs: []string{"domestic_output_h100e"}}

// Issue 16: a milestone of the model (registry metadata, not a scenario's
// event) marks the charts of the outputs it turns, and only those, on
// every chart kind over time (compare and diff charts too, though every
// scenario shares it); --events selects it by its id like an event, and
// 'none' leaves it out.
func TestMilestoneMarks(t *testing.T) {
	data := testData(20).WithMarks([]EventMark{testMilestone})
	draw := func(sel ...string) map[string]string {
		charts, err := Charts(ChartSpec{Kinds: []string{KindFan, KindCompare, KindDiff, KindSpaghetti},
			Outputs: []string{"domestic_output_h100e", "compute_stock_h100e"}, Events: sel}, data)
		require.NoError(t, err)
		got := map[string]string{}
		for _, nc := range charts {
			got[nc.Name] = eventLabels(nc)
		}
		return got
	}
	for name, labels := range draw() {
		on := strings.HasSuffix(name, "domestic_output_h100e")
		assert.Equal(t, on, strings.Contains(labels, testMilestone.Label), "%s marks %q", name, labels)
	}
	assert.Equal(t, "Advanced computing rule|Density rule|HBM controlled|China: chips from banked dies",
		draw()["current-policy-domestic_output_h100e"], "the milestone beside the policy dates, in date order")
	assert.Equal(t, "China: chips from banked dies", draw()["no-controls-domestic_output_h100e"])
	assert.Equal(t, "China: chips from banked dies", draw("bank-draw")["compare-domestic_output_h100e"], "--events bank-draw")
	assert.Empty(t, draw("hbm-ban")["no-controls-domestic_output_h100e"], "--events of another id")
	assert.Empty(t, draw("none")["current-policy-domestic_output_h100e"], "--events none")
	assert.Contains(t, draw("all")["diff-no-controls-vs-current-policy-domestic_output_h100e"], testMilestone.Label, "--events all")
	assert.NotContains(t, draw("all")["compare-compute_stock_h100e"], testMilestone.Label, "--events all, another output")
}

// A milestone goes through events.json with its outputs; merge's events
// rebuilt from marks leave it out, since WriteEvents adds the model's own
// again; a bad output key is bad input.
func TestMilestoneEventsFile(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, EventsName)
	res := &sim.Result{Scenarios: []*sim.ScenarioResult{
		{Scenario: &sim.Scenario{Name: "a", Events: []sim.Event{{ID: "x-ban", Effective: sim.NewPeriod(2025, 2), Probability: 1}}}},
	}}
	require.NoError(t, WriteEvents(path, res, testMilestone))
	got, err := ReadEvents(path, []string{"a"})
	require.NoError(t, err)
	want := []EventMark{testMilestone, {ID: "x-ban", Period: sim.NewPeriod(2025, 2), Label: "X ban"}}
	assert.Equal(t, [][]EventMark{want}, got, "in date order, outputs kept")
	assert.True(t, SameMarks(want, got[0]))
	assert.False(t, SameMarks(want, want[1:]))
	assert.Equal(t, want[1:], EventMarks(nil, &sim.Scenario{Events: MarkedEvents(got[0])}), "merge keeps the scenario's events only")

	require.NoError(t, os.WriteFile(path, []byte(`[{"scenario":"a","events":[{"id":"x","period":"2025Q1","label":"X","outputs":["\u001b[2J"]}]}]`), 0o644))
	_, err = ReadEvents(path, []string{"a"})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "[0].events[0].outputs[0]")
}
