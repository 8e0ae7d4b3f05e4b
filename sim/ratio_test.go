package sim

import (
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A scenario that differs from its base only by an event of probability
// 0.4 (the toy's y gains the lever's 5 from 2021Q1) is the same run for run
// in the other 60%: the paired ratio and difference over all runs hide the
// effect (median ratio 1, median difference 0), and those over the changed
// runs show it. Exact and sketched batches agree.
func TestRatioAndChangedRuns(t *testing.T) {
	m := newToy()
	base := toyScenario(m, "base")
	ev := toyScenario(m, "ev", Event{ID: "e", Lever: 0, Value: 5, Effective: NewPeriod(2021, 1), Announced: NewPeriod(2021, 1), Probability: 0.4})
	const runs = 3200 // a multiple of ChunkRuns, so sketch mode takes it as it is
	exact := runToy(t, Batch{Model: m, Scenarios: []*Scenario{base, ev}, Span: base.Span, Runs: runs, Seed: 5, Diffs: true})
	sketched := runToy(t, Batch{Model: m, Scenarios: []*Scenario{base, ev}, Span: base.Span, Runs: runs, Seed: 5, Diffs: true, ExactLimit: 1})
	require.True(t, exact.Exact)
	require.False(t, sketched.Exact)
	de, ds := exact.PairedDiffs(0, 2)[0], sketched.PairedDiffs(0, 2)[0]
	T, C := base.Span.Len(), exact.Cells()
	for t0 := 4; t0 < T; t0++ { // y from 2021Q1
		for _, d := range []Diff{de, ds} {
			// 40% ± 3% of 3,200 runs (binomial sd 0.87%).
			assert.InDelta(t, 0.4, d.ShareChanged[t0], 0.03, "quarter %d", t0)
			assert.Equal(t, 0.0, d.Stats[t0].P50(), "most runs are unchanged")
			assert.Equal(t, 1.0, d.Ratio[t0].P50(), "most runs are unchanged")
			// The event adds exactly 5 where it fires; the sketch is within its 0.5%.
			assert.InEpsilon(t, 5.0, d.Changed[t0].P05(), SketchAccuracy)
			assert.InEpsilon(t, 5.0, d.Changed[t0].P95(), SketchAccuracy)
			assert.Equal(t, d.Changed[t0].N, int(math.Round(d.ShareChanged[t0]*runs)))
		}
		// The exact ratios are those of the runs, counted where base > 0.
		var all, changed []float64
		for r := 0; r < runs; r++ {
			b, o := exact.Scenarios[0].Values[r*C+t0], exact.Scenarios[1].Values[r*C+t0]
			if b > 0 && o >= 0 {
				all = append(all, o/b)
				if o != b {
					changed = append(changed, o/b)
				}
			}
		}
		assert.Equal(t, Summarize(all).Q, de.Ratio[t0].Q)
		assert.Equal(t, len(all), de.Ratio[t0].N)
		assert.Equal(t, Summarize(changed).Q, de.ChangedRatio[t0].Q)
		assert.Equal(t, de.Ratio[t0].N, ds.Ratio[t0].N)
		assert.Equal(t, de.ChangedRatio[t0].N, ds.ChangedRatio[t0].N)
		assert.InEpsilon(t, de.ChangedRatio[t0].Mean, ds.ChangedRatio[t0].Mean, 1e-9)
		for i := range Probs {
			// Sketch against exact: 0.5% accuracy, plus the gap between
			// neighbouring order statistics (type-7 interpolation against
			// the sketch's lower rank), under 2% for these 1,300 ratios.
			assert.InEpsilon(t, de.ChangedRatio[t0].Q[i], ds.ChangedRatio[t0].Q[i], 0.02, "quarter %d, q%d", t0, i)
			assert.InEpsilon(t, de.Ratio[t0].Q[i], ds.Ratio[t0].Q[i], 0.02, "quarter %d, q%d", t0, i)
		}
	}
	for t0 := 0; t0 < 4; t0++ { // before the event, and z (never changed)
		for _, c := range []int{t0, T + t0} {
			assert.Zero(t, de.ShareChanged[c])
			assert.Zero(t, ds.ShareChanged[c])
			assert.Zero(t, de.Changed[c].N)
			assert.True(t, math.IsNaN(ds.Changed[c].P50()))
		}
	}
}
