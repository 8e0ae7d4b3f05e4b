package models

import (
	"context"
	"testing"

	"github.com/chokepoint-sim/chokepoint/scenarios"
	"github.com/chokepoint-sim/chokepoint/sim"
	"github.com/stretchr/testify/require"
)

func loadBuiltin(tb testing.TB, name string) *sim.Scenario {
	tb.Helper()
	sc, err := (&scenarios.Loader{Registry: Registry}).Load(name)
	require.NoError(tb, err)
	return sc
}

// BenchmarkModelRun is one run of the bare model over 2020Q1-2035Q4 (64
// quarters), without the engine's sampling or aggregation.
func BenchmarkModelRun(b *testing.B) {
	sc := loadBuiltin(b, "current-policy")
	res, err := (&sim.Batch{Model: China{}, Scenarios: []*sim.Scenario{sc}, Span: sc.Span, Runs: 1, Seed: 1}).Run(context.Background())
	require.NoError(b, err)
	in := &sim.RunInput{Span: sc.Span, Params: res.Scenarios[0].Params}
	in.Levers, in.Pending = scheduleOf(sc)
	r := China{}.NewRunner(sc.Span)
	out := make([]float64, len(Registry.Outputs)*sc.Span.Len())
	b.ReportAllocs()
	for b.Loop() {
		r.Run(in, out)
	}
}

// BenchmarkBatch is 10,000 runs of current-policy through the engine with
// sampling and aggregation, no files and no charts.
func BenchmarkBatch(b *testing.B) {
	sc := loadBuiltin(b, "current-policy")
	const runs = 10_000
	b.ReportAllocs()
	for b.Loop() {
		res, err := (&sim.Batch{Model: China{}, Scenarios: []*sim.Scenario{sc}, Span: sc.Span, Runs: runs, Seed: 1}).Run(context.Background())
		require.NoError(b, err)
		_ = res.Summaries(0)
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/runs, "ns/run")
}
