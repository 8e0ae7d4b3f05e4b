package web

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"sort"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/chokepoint-sim/chokepoint/models"
	"github.com/chokepoint-sim/chokepoint/scenarios"
	"github.com/chokepoint-sim/chokepoint/sim"
)

// exactRunsLimit is the largest run count whose batch of one scenario the
// engine still summarises exactly (sim.ExactLimit values over the model's
// cells); one more run and it keeps sketches instead.
func exactRunsLimit(t *testing.T) int {
	t.Helper()
	sc, err := (&scenarios.Loader{Registry: models.Registry}).Load(scenarios.Default)
	require.NoError(t, err)
	cells := int64(len(models.Registry.Outputs) * sc.Span.Len())
	return int(sim.ExactLimit / cells)
}

// sketchRequest asks for a batch that the engine summarises by sketches,
// and checks the answer against sim's own summaries of the same batch:
// every quantile of every output is sim's number (to the answer's six
// digits), and the cumulative revenue, which the server derives per run,
// lies within the sketch's accuracy of the exact quantile.
func checkSketchAnswer(t *testing.T, s *Server, runs int, limit int64) {
	t.Helper()
	ts := newTestServer(t, s)
	body := fmt.Sprintf(`{"runs": %d, "seed": 11, "from": "2026Q1"}`, runs)
	a := simulateOK(t, ts.URL, body)
	require.Equal(t, runs, a.Runs)

	// The same batch run by the engine, as `chokepoint run` does.
	sc, err := (&scenarios.Loader{Registry: models.Registry}).Load(scenarios.Default)
	require.NoError(t, err)
	reg := models.Registry
	T := sc.Span.Len()
	var cum [][]float64 // [t] the cumulative revenue of every run, from 2026Q1
	p2026, err := sim.ParsePeriod("2026Q1")
	require.NoError(t, err)
	from := sc.Span.Index(p2026)
	ri, ok := reg.OutputIndex(reg.Derived[0].Derived.Of)
	require.True(t, ok)
	b := &sim.Batch{Model: models.China{}, Scenarios: []*sim.Scenario{sc}, Span: sc.Span, Runs: runs, Seed: 11,
		ExactLimit: limit, Observe: func(run, _ int, _, values []float64) {
			// Observe is called from every worker: each run writes its
			// own slot.
			var sum float64
			for ti := 0; ti < T; ti++ {
				if v := values[ri*T+ti]; ti >= from && !math.IsNaN(v) {
					sum += v
				}
				cum[ti][run] = sum
			}
		}}
	cum = make([][]float64, T)
	for t := range cum {
		cum[t] = make([]float64, runs)
	}
	res, err := b.Run(context.Background())
	require.NoError(t, err)
	require.False(t, res.Exact, "the batch must be past the exact limit")
	sums := res.Summaries(0)[0].Stats

	names := []string{"p05", "p25", "p50", "p75", "p95"}
	for oi, o := range reg.Outputs {
		want := map[string]series{}
		for _, n := range names {
			want[n] = make(series, T)
		}
		for ti := 0; ti < T; ti++ {
			st := sums[oi*T+ti]
			for k, v := range []float64{st.P05(), st.P25(), st.P50(), st.P75(), st.P95()} {
				want[names[k]][ti] = v
			}
		}
		for _, n := range names {
			got, err := json.Marshal(a.Outputs[o.Key][n])
			require.NoError(t, err)
			exp, err := json.Marshal(want[n])
			require.NoError(t, err)
			// Both sides carry six significant digits.
			assert.JSONEq(t, string(exp), string(got), "%s %s", o.Key, n)
		}
	}

	probs := []float64{0.05, 0.25, 0.50, 0.75, 0.95}
	for ti := 0; ti < T; ti++ {
		col := cum[ti]
		sort.Float64s(col)
		for k, n := range names {
			got := a.q(a.Outputs, cumulativeRevenue, n)[ti]
			h := float64(runs-1) * probs[k]
			lo, hi := col[int(math.Floor(h))], col[int(math.Ceil(h))]
			// sim.SketchAccuracy is the sketch's relative error, and the
			// answer's six digits add 5e-6 at most.
			tol := sim.SketchAccuracy + 1e-5
			assert.GreaterOrEqual(t, got, lo*(1-tol), "%s %s at %s", cumulativeRevenue, n, a.Periods[ti])
			assert.LessOrEqual(t, got, hi*(1+tol), "%s %s at %s", cumulativeRevenue, n, a.Periods[ti])
		}
	}
}

// Past the engine's exact limit the batch keeps sketches, not runs; the
// server answers their quantiles (it used to read the empty run values and
// answer null everywhere). A small limit keeps the test fast.
func TestSimulateSketchMode(t *testing.T) {
	// 300 runs of the model's cells are past a limit of 100 runs' worth.
	sc, err := (&scenarios.Loader{Registry: models.Registry}).Load(scenarios.Default)
	require.NoError(t, err)
	limit := int64(100 * len(models.Registry.Outputs) * sc.Span.Len())
	// One slot: the batch gets every core, so that runs are sketched
	// from several workers at once.
	checkSketchAnswer(t, &Server{Model: models.China{}, exactLimit: limit, Slots: 1}, 300, limit)
}

// The same with the engine's own limit: one run more than it keeps exactly.
func TestSimulatePastExactLimit(t *testing.T) {
	if testing.Short() || raceDetector {
		t.Skip("a batch of over 20,000 runs")
	}
	runs := exactRunsLimit(t) + 1
	checkSketchAnswer(t, &Server{Model: models.China{}, MaxRuns: runs, Timeout: 5 * DefaultTimeout}, runs, 0)
}
