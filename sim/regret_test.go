package sim

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A regret table computed by hand: three scenarios, five runs.
func TestRegretByHand(t *testing.T) {
	metric := [][]float64{
		{10, 4, 7, 1, 5}, // A
		{8, 6, 7, 3, 9},  // B
		{9, 5, 2, 3, 0},  // C
	}
	// best per run: A (10), B (6), A and B tie at 7 -> A (given first),
	// B and C tie at 3 -> B, B (9)
	// regret A: 0, 2, 0, 2, 4   sorted 0 0 2 2 4
	// regret B: 2, 0, 0, 0, 0   sorted 0 0 0 0 2
	// regret C: 1, 1, 5, 0, 9   sorted 0 1 1 5 9
	// Empirical quantile (gonum): the smallest value with at least p of
	// the runs at or below it: median the 3rd of 5, 90th the 5th.
	got := Regret(metric)
	require.Len(t, got, 3)
	assert.Equal(t, RegretStats{BestShare: 2.0 / 5, P50: 2, P90: 4, Mean: 8.0 / 5}, got[0])
	assert.Equal(t, RegretStats{BestShare: 3.0 / 5, P50: 0, P90: 2, Mean: 2.0 / 5}, got[1])
	assert.Equal(t, RegretStats{BestShare: 0, P50: 1, P90: 9, Mean: 16.0 / 5}, got[2])
}

func TestParseMetric(t *testing.T) {
	reg := NewRegistry(nil, nil, []Output{{Key: "gap", Unit: "months"}, {Key: "cost", Unit: "USD"},
		{Key: "cost_total", Unit: "USD", Derived: &Derived{Of: "cost", Kind: Cumulative}}})
	span := Span{Start: NewPeriod(2020, 1), End: NewPeriod(2035, 4)}
	m, err := reg.ParseMetric("gap@2030Q4 - 1e-10*cost@2030Q4", span)
	require.NoError(t, err)
	assert.Equal(t, []MetricTerm{{1, 0, NewPeriod(2030, 4), false}, {-1e-10, 1, NewPeriod(2030, 4), false}}, m.Terms)
	m, err = reg.ParseMetric("-gap@2025Q1", span)
	require.NoError(t, err)
	assert.Equal(t, []MetricTerm{{-1, 0, NewPeriod(2025, 1), false}}, m.Terms)
	for _, bad := range []string{"", "gap", "gapp@2030Q4", "gap@2040Q1", "x*gap@2030Q4", "gap@2030"} {
		_, err := reg.ParseMetric(bad, span)
		assert.Error(t, err, bad)
	}
	// the metric of a run: cells laid out o*T+t
	T := span.Len()
	vals := make([]float64, 2*T)
	vals[span.Index(NewPeriod(2030, 4))] = 30
	vals[T+span.Index(NewPeriod(2030, 4))] = 2e10
	m, _ = reg.ParseMetric("gap@2030Q4 - 1e-10*cost@2030Q4", span)
	assert.InDelta(t, 28, m.Value(vals, span), 1e-9)
	// a cumulative output sums its source from the span's start: 2e10 in
	// 2030Q4 and 1e10 in 2020Q1
	vals[T] = 1e10
	m, err = reg.ParseMetric("gap@2030Q4 - 1e-10*cost_total@2030Q4", span)
	require.NoError(t, err)
	assert.InDelta(t, 27, m.Value(vals, span), 1e-9)
}
