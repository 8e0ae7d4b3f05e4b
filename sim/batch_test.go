package sim

import (
	"context"
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/chokepoint-sim/chokepoint/sim/dist"
)

// toy is a two-parameter model with one lever: y(t) = a·t + b + lever(t),
// z(t) = pending lever value (0 when none).
type toy struct{ reg *Registry }

func newToy() toy {
	return toy{NewRegistry(
		[]Param{
			{Key: "toy.a", Unit: "1", Min: -100, Max: 100, Default: "1 to 3"},
			{Key: "toy.b", Unit: "1", Min: -100, Max: 100, Default: "-1 to 1"},
		},
		[]Lever{{Key: "toy.lever", Unit: "1", Min: 0, Max: 10, Default: 0}},
		[]Output{{Key: "y", Unit: "1"}, {Key: "z", Unit: "1"}},
	)}
}

func (m toy) Registry() *Registry   { return m.reg }
func (m toy) NewRunner(Span) Runner { return toyRunner{} }

type toyRunner struct{}

func (toyRunner) Run(in *RunInput, out []float64) {
	T := in.Span.Len()
	for t := 0; t < T; t++ {
		out[t] = in.Params[0]*float64(t) + in.Params[1] + in.Levers[0][t]
		z := in.Pending[0][t]
		if math.IsNaN(z) {
			z = 0
		}
		out[T+t] = z
	}
}

func toyScenario(m toy, name string, events ...Event) *Scenario {
	sc := &Scenario{Name: name, Span: Span{NewPeriod(2020, 1), NewPeriod(2022, 4)}, Events: events}
	for i := range m.reg.Params {
		sc.Params = append(sc.Params, m.reg.Params[i].Dist())
	}
	return sc
}

func runToy(t *testing.T, b Batch) *Result {
	t.Helper()
	res, err := b.Run(context.Background())
	require.NoError(t, err)
	return res
}

func TestBatchSameNumbersWhateverTheWorkers(t *testing.T) {
	m := newToy()
	sc := toyScenario(m, "s", Event{ID: "e", Lever: 0, Value: 5, Effective: NewPeriod(2021, 1),
		Announced: NewPeriod(2021, 1), Probability: 0.5})
	var first *Result
	for _, w := range []int{1, 2, 3, 8} {
		res := runToy(t, Batch{Model: m, Scenarios: []*Scenario{sc}, Span: sc.Span, Runs: 1000, Seed: 3, Workers: w})
		if first == nil {
			first = res
			continue
		}
		assert.Equal(t, first.Scenarios[0].Values, res.Scenarios[0].Values, "workers=%d", w)
		assert.Equal(t, first.Scenarios[0].Params, res.Scenarios[0].Params, "workers=%d", w)
		assert.Equal(t, first.Summaries(1), res.Summaries(w), "workers=%d", w)
	}
	other := runToy(t, Batch{Model: m, Scenarios: []*Scenario{sc}, Span: sc.Span, Runs: 1000, Seed: 4})
	assert.NotEqual(t, first.Scenarios[0].Params, other.Scenarios[0].Params, "another seed draws anew")
}

// A shard computes exactly the runs of the whole batch it covers.
func TestBatchShardsAreSlicesOfTheWhole(t *testing.T) {
	m := newToy()
	sc := toyScenario(m, "s")
	whole := runToy(t, Batch{Model: m, Scenarios: []*Scenario{sc}, Span: sc.Span, Runs: 300, Seed: 9})
	part := runToy(t, Batch{Model: m, Scenarios: []*Scenario{sc}, Span: sc.Span, Runs: 300, Lo: 100, Hi: 200, Seed: 9})
	C := whole.Cells()
	assert.Equal(t, whole.Scenarios[0].Values[100*C:200*C], part.Scenarios[0].Values)
}

// Common random numbers: two scenarios share every parameter's draw in the
// same run, unless one overrides its distribution.
func TestCommonRandomNumbers(t *testing.T) {
	m := newToy()
	a := toyScenario(m, "a")
	b := toyScenario(m, "b", Event{ID: "x", Lever: 0, Value: 2, Effective: NewPeriod(2021, 1), Announced: NewPeriod(2021, 1), Probability: 1})
	res := runToy(t, Batch{Model: m, Scenarios: []*Scenario{a, b}, Span: a.Span, Runs: 500, Seed: 1})
	assert.Equal(t, res.Scenarios[0].Params, res.Scenarios[1].Params)
	// The lever adds exactly 2 from 2021Q1 (t = 4) in every run: the
	// paired difference carries no sampling noise.
	C := res.Cells()
	for r := 0; r < 500; r++ {
		for tt := 0; tt < 12; tt++ {
			d := res.Scenarios[1].Values[r*C+tt] - res.Scenarios[0].Values[r*C+tt]
			want := 0.0
			if tt >= 4 {
				want = 2
			}
			require.InDelta(t, want, d, 1e-12) // only rounding separates them
		}
	}
}

func TestEventProbabilityAndDelay(t *testing.T) {
	m := newToy()
	delay, err := dist.Parse(map[string]any{"dist": "uniform", "min": 0.0, "max": 4.0})
	require.NoError(t, err)
	sc := toyScenario(m, "s",
		Event{ID: "maybe", Lever: 0, Value: 1, Effective: NewPeriod(2020, 2), Announced: NewPeriod(2020, 2), Probability: 0.3},
		Event{ID: "late", Lever: 0, Value: 7, Effective: NewPeriod(2021, 1), Announced: NewPeriod(2020, 3), Probability: 1, Delay: delay})
	const n = 10_000
	res := runToy(t, Batch{Model: m, Scenarios: []*Scenario{sc}, Span: sc.Span, Runs: n, Seed: 5})
	fired := 0
	sr := res.Scenarios[0]
	C := res.Cells()
	for r := 0; r < n; r++ {
		if sr.Fired[r*2] == 1 {
			fired++
		}
		d := int(sr.Fired[r*2+1]) - 1 // 1 + delay in quarters
		require.True(t, d >= 0 && d <= 4)
		// y at 2021Q1+d includes 7; the quarter before does not.
		tt := 4 + d
		base := sr.Params[r*2]*float64(tt) + sr.Params[r*2+1]
		require.InDelta(t, base+7, sr.Values[r*C+tt], 1e-9)
		// announced 2020Q3: pending 7 from t=2 until the event takes effect.
		require.Equal(t, 7.0, sr.Values[r*C+12+2])
		require.Equal(t, 7.0, sr.Values[r*C+12+tt-1])
		require.Equal(t, 0.0, sr.Values[r*C+12+tt])
	}
	// 30% ± 2% of 10,000 runs (the binomial sd is 0.46%).
	assert.InDelta(t, 0.3, float64(fired)/n, 0.02)
}

func TestBatchStopsWhenCancelled(t *testing.T) {
	m := newToy()
	sc := toyScenario(m, "s")
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := (&Batch{Model: m, Scenarios: []*Scenario{sc}, Span: sc.Span, Runs: 100000, Seed: 1}).Run(ctx)
	assert.ErrorIs(t, err, context.Canceled)
}

// The paired difference of two identical scenarios is exactly zero in every
// run, because they share every draw.
func TestPairedDiffOfIdenticalScenariosIsZero(t *testing.T) {
	m := newToy()
	a, b := toyScenario(m, "a"), toyScenario(m, "b")
	res := runToy(t, Batch{Model: m, Scenarios: []*Scenario{a, b}, Span: a.Span, Runs: 2000, Seed: 4})
	for _, d := range res.PairedDiffs(0, 2) {
		for c, st := range d.Stats {
			require.Equal(t, [7]float64{}, st.Q, "cell %d", c)
			require.Zero(t, st.Mean)
			require.Zero(t, st.SD)
			require.Zero(t, d.ShareHigher[c])
		}
	}
}
