package sim

import (
	"bytes"
	"fmt"
	"math"
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// saveLoad round-trips a result through its state file.
func saveLoad(t *testing.T, r *Result) *SavedState {
	t.Helper()
	var buf bytes.Buffer
	require.NoError(t, r.WriteState(&buf))
	st, err := ReadState(&buf, r.Registry)
	require.NoError(t, err)
	return st
}

// Shards of 1, 3 and 7 parts, saved and merged in any order, give exactly
// the summaries of one unsharded batch: in exact mode and in sketch mode.
func TestShardsMergeToTheWhole(t *testing.T) {
	m := newToy()
	a := toyScenario(m, "a", Event{ID: "e", Lever: 0, Value: 5, Effective: NewPeriod(2021, 1), Announced: NewPeriod(2021, 1), Probability: 0.4})
	b := toyScenario(m, "b")
	for _, runs := range []int{1000, ExactLimit/(2*24) + 100} { // exact mode, then sketch mode (2 scenarios × 24 cells)
		whole := runToy(t, Batch{Model: m, Scenarios: []*Scenario{a, b}, Span: a.Span, Runs: runs, Seed: 2, Diffs: true})
		want := whole.Summaries(1)
		wantDiff := whole.PairedDiffs(0, 1)
		for _, n := range []int{1, 3, 7} {
			var states []*SavedState
			for i := n - 1; i >= 0; i-- { // reverse order on purpose
				lo, hi := ShardRange(i, n, runs)
				part := runToy(t, Batch{Model: m, Scenarios: []*Scenario{a, b}, Span: a.Span, Runs: runs, Lo: lo, Hi: hi, Seed: 2, Workers: 1 + i%2, Diffs: true})
				states = append(states, saveLoad(t, part))
			}
			merged, err := MergeStates(states)
			require.NoError(t, err)
			got := merged.Summaries(2)
			for s := range want {
				assert.Equal(t, want[s].Stats, got[s].Stats, "runs=%d shards=%d scenario %d", runs, n, s)
			}
			gd := merged.PairedDiffs(0, 2)
			for d := range wantDiff {
				assert.Equal(t, wantDiff[d].Stats, gd[d].Stats)
				assert.Equal(t, wantDiff[d].ShareHigher, gd[d].ShareHigher)
				// Printed, so that NaN (a cell with no changed run) equals NaN.
				assert.Equal(t, fmt.Sprint(wantDiff[d].Ratio), fmt.Sprint(gd[d].Ratio))
				assert.Equal(t, wantDiff[d].ShareChanged, gd[d].ShareChanged)
				assert.Equal(t, fmt.Sprint(wantDiff[d].Changed), fmt.Sprint(gd[d].Changed))
				assert.Equal(t, fmt.Sprint(wantDiff[d].ChangedRatio), fmt.Sprint(gd[d].ChangedRatio))
			}
		}
		assert.Equal(t, runs <= 1000, whole.Exact)
	}
}

func TestMergeRejectsGapsAndOverlaps(t *testing.T) {
	m := newToy()
	a := toyScenario(m, "a")
	part := func(lo, hi int) *SavedState {
		return saveLoad(t, runToy(t, Batch{Model: m, Scenarios: []*Scenario{a}, Span: a.Span, Runs: 256, Lo: lo, Hi: hi, Seed: 1}))
	}
	_, err := MergeStates([]*SavedState{part(0, 128)})
	assert.EqualError(t, err, "runs 128-255 are missing: a shard is absent")
	_, err = MergeStates([]*SavedState{part(0, 128), part(64, 256)})
	assert.EqualError(t, err, "shards overlap: runs 64-127 are covered twice")
	other := saveLoad(t, runToy(t, Batch{Model: m, Scenarios: []*Scenario{a}, Span: a.Span, Runs: 256, Lo: 128, Hi: 256, Seed: 9}))
	_, err = MergeStates([]*SavedState{part(0, 128), other})
	assert.EqualError(t, err, "shards disagree on the seed (1 and 9)")
}

func TestShardRangeCoversEveryRunOnce(t *testing.T) {
	for _, runs := range []int{1, 63, 64, 65, 1000, 12345} {
		for _, n := range []int{1, 2, 3, 7, 16} {
			at := 0
			for i := 0; i < n; i++ {
				lo, hi := ShardRange(i, n, runs)
				require.Equal(t, at, lo)
				require.True(t, lo%ChunkRuns == 0 || lo == runs)
				at = hi
			}
			require.Equal(t, runs, at)
		}
	}
}

// The sketch's documented error: each quantile it reports lies within
// SketchAccuracy (relative) of the order statistic x[floor(p·(n−1))] of the
// exact data — checked on 100,000 runs against the exact values. The
// type-7 quantile sits between that order statistic and the next, so the
// report also shows the distance to it.
func TestSketchQuantilesWithinDocumentedError(t *testing.T) {
	m := newToy()
	sc := toyScenario(m, "s")
	const runs = 100_000
	T := sc.Span.Len()
	exact := make([][]float64, 2*T)
	for c := range exact {
		exact[c] = make([]float64, runs)
	}
	res := runToy(t, Batch{Model: m, Scenarios: []*Scenario{sc}, Span: sc.Span, Runs: runs, Seed: 8, ExactLimit: 1,
		Observe: func(run, _ int, _, vals []float64) {
			for c, v := range vals {
				exact[c][run] = v
			}
		}})
	require.False(t, res.Exact)
	sums := res.Summaries(0)
	worst7 := 0.0
	for c := range exact {
		data := append([]float64(nil), exact[c]...)
		sorted := Summarize(append([]float64(nil), data...))
		slices.Sort(data)
		got := sums[0].Stats[c]
		for i, p := range Probs {
			lo := data[int(p*float64(runs-1))]
			require.InDelta(t, lo, got.Q[i], SketchAccuracy*math.Abs(lo)+1e-12, "cell %d p%v", c, p)
			worst7 = math.Max(worst7, math.Abs(got.Q[i]-sorted.Q[i])/math.Max(1e-12, math.Abs(sorted.Q[i])))
		}
		// Mean and sd are exact sums, not sketched.
		require.InDelta(t, sorted.Mean, got.Mean, 1e-9*math.Abs(sorted.Mean)+1e-12)
		require.InDelta(t, sorted.SD, got.SD, 1e-9*sorted.SD+1e-12)
	}
	t.Logf("largest relative distance to the exact type-7 quantile: %.4g", worst7)
}

// A shard's state file is the same bytes whatever the number of workers
// that computed it (its exact sums are written in canonical form), in
// sketch mode, where workers' summaries are merged in whatever order
// their chunks came.
func TestShardStateSameBytesWhateverWorkers(t *testing.T) {
	m := newToy()
	a := toyScenario(m, "a", Event{ID: "e", Lever: 0, Value: 5, Effective: NewPeriod(2021, 1), Announced: NewPeriod(2021, 1), Probability: 0.4})
	b := toyScenario(m, "b")
	runs := ExactLimit/(2*24) + 6400 // sketch mode (2 scenarios × 24 cells)
	lo, hi := ShardRange(1, 3, runs)
	var want []byte
	for _, workers := range []int{1, 2, 3, 2} {
		res := runToy(t, Batch{Model: m, Scenarios: []*Scenario{a, b}, Span: a.Span, Runs: runs, Lo: lo, Hi: hi, Seed: 4, Workers: workers, Diffs: true})
		require.False(t, res.Exact)
		var buf bytes.Buffer
		require.NoError(t, res.WriteState(&buf))
		if want == nil {
			want = buf.Bytes()
			continue
		}
		assert.True(t, bytes.Equal(want, buf.Bytes()), "%d workers: state file differs from one worker's", workers)
	}
}
