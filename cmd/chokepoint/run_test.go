package main

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/chokepoint-sim/chokepoint/models"
)

// cli runs the command in-process and returns its exit status and output.
func cli(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := run(context.Background(), args, &out, &errb)
	return code, out.String(), errb.String()
}

func readCSV(t *testing.T, path string) [][]string {
	t.Helper()
	f, err := os.Open(path)
	require.NoError(t, err)
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	require.NoError(t, err)
	return rows
}

// Acceptance 1 of the core issue: a 1,000-run batch writes every file, and
// summary.csv covers every output for every quarter 2020Q1-2035Q4 with
// ordered, finite quantiles.
func TestRunWritesCompleteResults(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "res")
	code, stdout, stderr := cli(t, "run", "--runs", "1000", "--seed", "7", "--out", dir)
	require.Equal(t, 0, code, stderr)
	assert.Contains(t, stdout, "current-policy")
	assert.Contains(t, stdout, "compute_stock_h100e")
	assert.Contains(t, stdout, "2030Q4")
	for _, f := range []string{"manifest.json", "summary.csv", "params.csv",
		"charts/current-policy-compute_stock_h100e.png", "charts/current-policy-domestic_output_h100e.png",
		"charts/current-policy-fab_yield.png", "charts/current-policy-self_sufficiency.png",
		"charts/current-policy-frontier_gap_months.png"} {
		fi, err := os.Stat(filepath.Join(dir, f))
		require.NoError(t, err, f)
		assert.Positive(t, fi.Size(), f)
	}

	rows := readCSV(t, filepath.Join(dir, "summary.csv"))
	header := rows[0]
	col := map[string]int{}
	for i, h := range header {
		col[h] = i
	}
	seen := map[string]int{}
	for _, r := range rows[1:] {
		seen[r[col["output"]]]++
		var q []float64
		for _, k := range []string{"mean", "sd", "p05", "p10", "p25", "p50", "p75", "p90", "p95"} {
			v, err := strconv.ParseFloat(r[col[k]], 64)
			require.NoError(t, err)
			require.False(t, math.IsNaN(v) || math.IsInf(v, 0), "%s %s %s = %v", r[1], r[3], k, v)
			q = append(q, v)
		}
		require.True(t, q[2] <= q[5] && q[5] <= q[8], "p05 <= p50 <= p95 for %s at %s", r[1], r[3])
		assert.Equal(t, "1000", r[col["runs"]])
	}
	// 64 quarters from 2020Q1 to 2035Q4 for each of the model's outputs.
	for _, o := range models.Registry.Outputs {
		assert.Equal(t, 64, seen[o.Key], o.Key)
	}
	assert.Equal(t, len(models.Registry.Outputs), len(seen))

	var m map[string]any
	b, err := os.ReadFile(filepath.Join(dir, "manifest.json"))
	require.NoError(t, err)
	require.NoError(t, json.Unmarshal(b, &m))
	assert.EqualValues(t, 7, m["seed"])
	assert.EqualValues(t, 1000, m["runs"])
	assert.Len(t, m["scenarios"].([]any)[0].(map[string]any)["sha256"], 64)
}

// Acceptance 2: the worker count never changes a byte; the seed does.
func TestRunIsReproducible(t *testing.T) {
	base := t.TempDir()
	outs := map[string]string{}
	for _, c := range []struct{ name, seed, workers string }{
		{"w1", "7", "1"}, {"w2", "7", "2"}, {"s8", "8", "2"},
	} {
		dir := filepath.Join(base, c.name)
		code, _, stderr := cli(t, "run", "--runs", "500", "--seed", c.seed, "--workers", c.workers, "--no-charts", "--quiet", "--out", dir)
		require.Equal(t, 0, code, stderr)
		outs[c.name] = dir
	}
	for _, f := range []string{"summary.csv", "params.csv"} {
		a, _ := os.ReadFile(filepath.Join(outs["w1"], f))
		b, _ := os.ReadFile(filepath.Join(outs["w2"], f))
		c, _ := os.ReadFile(filepath.Join(outs["s8"], f))
		assert.True(t, bytes.Equal(a, b), "%s differs between 1 and 2 workers", f)
		assert.False(t, bytes.Equal(a, c), "%s is the same under another seed", f)
	}
}

// A rerun into an existing results folder replaces it whole; a folder that
// is not chokepoint's is never touched.
func TestRunReplacesOnlyResultsFolders(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "res")
	code, _, _ := cli(t, "run", "--runs", "20", "--no-charts", "--quiet", "--out", dir)
	require.Equal(t, 0, code)
	code, _, stderr := cli(t, "run", "--runs", "30", "--no-charts", "--quiet", "--out", dir)
	require.Equal(t, 0, code, stderr)
	rows := readCSV(t, filepath.Join(dir, "summary.csv"))
	assert.Equal(t, "30", rows[1][len(rows[1])-1])

	mine := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(mine, "thesis.tex"), []byte("precious"), 0o644))
	code, _, stderr = cli(t, "run", "--runs", "20", "--quiet", "--out", mine)
	assert.Equal(t, 2, code)
	assert.Contains(t, stderr, "does not look like chokepoint results")
	b, _ := os.ReadFile(filepath.Join(mine, "thesis.tex"))
	assert.Equal(t, "precious", string(b))
}

// backtest prints every observation beside the model and a coverage line,
// and writes backtest.csv and its chart.
func TestBacktest(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "bt")
	code, stdout, stderr := cli(t, "backtest", "--runs", "300", "--out", dir)
	require.Equal(t, 0, code, stderr)
	assert.Regexp(t, `\n\d+ of 13 observations inside the model's 90% interval\n`, stdout) // 13 rows in calibration.csv
	rows := readCSV(t, filepath.Join(dir, "backtest.csv"))
	assert.Len(t, rows, 14) // header + 13 observations
	_, err := os.Stat(filepath.Join(dir, "charts", "backtest.png"))
	assert.NoError(t, err)
}
