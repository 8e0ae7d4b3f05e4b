package output

import (
	"os"
	"path/filepath"
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
