package sim

import (
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A lever held from a quarter keeps its earlier events, drops those that
// could take effect from then on (later ones and delayed ones), and leaves
// the other levers' events and the scenario it came from alone.
func TestWithLever(t *testing.T) {
	from := NewPeriod(2026, 1)
	sc := &Scenario{Name: "base", Hash: "h", Events: []Event{
		{ID: "early", Lever: 0, Value: 1, Effective: NewPeriod(2024, 1)},
		{ID: "same-quarter", Lever: 0, Value: 2, Effective: from},
		{ID: "late", Lever: 0, Value: 3, Effective: NewPeriod(2028, 1)},
		{ID: "other", Lever: 1, Value: 9, Effective: NewPeriod(2029, 1)},
	}}
	out := withLever(sc, 0, 7, from, "levers:x")
	var ids []string
	for _, e := range out.Events {
		ids = append(ids, e.ID)
	}
	assert.Equal(t, []string{"early", "other", "levers:x"}, ids)
	last := out.Events[len(out.Events)-1]
	assert.Equal(t, Event{ID: "levers:x", Lever: 0, Value: 7, Effective: from, Announced: from, Probability: 1}, last)
	assert.Empty(t, out.Hash)
	assert.Len(t, sc.Events, 4, "the base is not changed")
	// As written, the base holds 2 at the start (the last event by then).
	assert.Equal(t, 2.0, valueAt(sc, 0, 0, from))
	assert.Equal(t, 5.0, valueAt(sc, 2, 5, from), "no event: the default")
}

// The strong value, or beyond it in its direction, is "already held".
func TestAtStrong(t *testing.T) {
	lower := &Lever{Strong: &Strong{Value: 4800, Stronger: -1}}
	assert.True(t, atStrong(lower, 4800))
	assert.True(t, atStrong(lower, 100))
	assert.False(t, atStrong(lower, 1e6))
	set := &Lever{Strong: &Strong{Value: 0}}
	assert.True(t, atStrong(set, 0))
	assert.False(t, atStrong(set, 3))
}

func TestPairedChange(t *testing.T) {
	assert.InDelta(t, 0.5, PairedChange(2, 3, false), 1e-15)
	assert.InDelta(t, -0.5, PairedChange(-2, -3, false), 1e-15, "relative to |x|: lower is negative")
	assert.Equal(t, 1.0, PairedChange(2, 3, true))
	assert.Zero(t, PairedChange(0, 0, false))
	assert.True(t, math.IsInf(PairedChange(0, 1, false), 1))
}

// Batches hold the rows and their base within the exact limit, at least
// one row each and at most maxTableScenarios scenarios.
func TestTableBatches(t *testing.T) {
	rows := []int{0, 1, 2, 3, 4, 5, 6, 7, 8, 9}
	for _, runs := range []int{10, 2000, 1_000_000} {
		bs := batches(rows, runs, 1628)
		n := 0
		for _, b := range bs {
			require.NotEmpty(t, b)
			assert.LessOrEqual(t, len(b)+1, maxTableScenarios)
			if len(b) > 1 {
				assert.LessOrEqual(t, int64(len(b)+1)*int64(runs)*1628, int64(ExactLimit))
			}
			n += len(b)
		}
		assert.Equal(t, len(rows), n)
	}
}
