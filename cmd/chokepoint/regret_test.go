package main

import (
	"math"
	"path/filepath"
	"slices"
	"strconv"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/chokepoint-sim/chokepoint/output"
)

// The fourth acceptance point: the regret table of current-policy,
// escalation-2025 and relaxation on the frontier gap at 2030Q4, checked
// against the same table worked out from the runs in samples.csv.
func TestCompareRegret(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "res")
	scs := []string{"current-policy", "escalation-2025", "relaxation"}
	// 40 runs to 2030Q4: a small batch, cheap under -race
	args := append([]string{"compare"}, scs...)
	args = append(args, "--regret", "frontier_gap_months@2030Q4", "--samples", "--runs", "40", "--to", "2030Q4",
		"--no-charts", "--out", dir)
	code, stdout, stderr := cli(t, args...)
	require.Equal(t, 0, code, stderr)
	assert.Contains(t, stdout, "Regret on frontier_gap_months@2030Q4")

	// the metric of every run, by hand from samples.csv
	rows := readCSV(t, filepath.Join(dir, "samples.csv"))
	col := slices.Index(rows[0], "frontier_gap_months")
	require.Positive(t, col)
	gap := map[string][]float64{}
	for _, r := range rows[1:] {
		if r[2] == "2030Q4" {
			v, err := strconv.ParseFloat(r[col], 64)
			require.NoError(t, err)
			gap[r[0]] = append(gap[r[0]], v)
		}
	}
	n := len(gap[scs[0]])
	require.Equal(t, 40, n)
	best := make([]int, len(scs))
	regret := make([][]float64, len(scs))
	for i := 0; i < n; i++ {
		top := math.Inf(-1)
		for _, s := range scs {
			top = math.Max(top, gap[s][i])
		}
		for k, s := range scs {
			regret[k] = append(regret[k], top-gap[s][i])
		}
		for k, s := range scs { // ties: the first scenario given
			if gap[s][i] == top {
				best[k]++
				break
			}
		}
	}
	// regret-runs.csv: every run's best scenario, metrics and regrets
	perRun := readCSV(t, filepath.Join(dir, output.RegretRunsName))
	require.Len(t, perRun, n+1)
	for i, r := range perRun[1:] {
		assert.Equal(t, strconv.Itoa(i), r[0])
		top := math.Inf(-1)
		for _, s := range scs {
			top = math.Max(top, gap[s][i])
		}
		assert.Equal(t, top, gap[r[1]][i], "run %d: the best scenario has the top metric", i)
		for k, s := range scs {
			assert.Equal(t, "regret_"+s, perRun[0][2+len(scs)+k])
			assert.InDelta(t, gap[s][i], atof(t, r[2+k]), 1e-9, "run %d %s metric", i, s)
			assert.InDelta(t, regret[k][i], atof(t, r[2+len(scs)+k]), 1e-9, "run %d %s regret", i, s)
		}
	}
	got := readCSV(t, filepath.Join(dir, output.RegretName))
	require.Equal(t, output.RegretHeader, got[0])
	require.Len(t, got, 4)
	for k, s := range scs {
		row := got[k+1]
		assert.Equal(t, s, row[0])
		slices.Sort(regret[k])
		// the empirical quantile: the ceil(p·n)-th smallest
		assert.Equal(t, strconv.FormatFloat(float64(best[k])/float64(n), 'g', -1, 64), row[3], "%s best share", s)
		assert.InDelta(t, regret[k][int(math.Ceil(0.5*float64(n)))-1], atof(t, row[4]), 1e-9, "%s median", s)
		assert.InDelta(t, regret[k][int(math.Ceil(0.9*float64(n)))-1], atof(t, row[5]), 1e-9, "%s p90", s)
	}
}
