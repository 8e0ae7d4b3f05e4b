package main

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
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
	n := len(models.Calibration) // the rows of models/data/calibration.csv
	assert.Regexp(t, fmt.Sprintf(`\n\d+ of %d observations inside the model's 90%% interval\n`, n), stdout)
	rows := readCSV(t, filepath.Join(dir, "backtest.csv"))
	assert.Len(t, rows, n+1) // header + observations
	_, err := os.Stat(filepath.Join(dir, "charts", "backtest.png"))
	assert.NoError(t, err)
}

// cliStopped runs the command with a context already cancelled, as after
// Ctrl-C: a check made before any work still answers with its own message,
// while the work itself stops at once (exit 130).
func cliStopped(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	var out, errb bytes.Buffer
	code := run(ctx, args, &out, &errb)
	return code, out.String(), errb.String()
}

// --workers is bounded by what the machine can use, checked before any
// run; the bound itself is accepted.
func TestWorkersBounded(t *testing.T) {
	most := maxWorkers()
	assert.GreaterOrEqual(t, most, 16) // the floor in maxWorkers
	dir := filepath.Join(t.TempDir(), "res")
	code, stdout, stderr := cliStopped(t, "run", "--workers", strconv.Itoa(most+1), "--out", dir)
	assert.Equal(t, 2, code)
	assert.Empty(t, stdout)
	assert.Equal(t, "chokepoint: --workers: expected 0 (all cores) to "+strconv.Itoa(most)+
		" (4 per core, at least 16), found "+strconv.Itoa(most+1)+"\n", stderr)
	assert.NoDirExists(t, dir)

	code, _, stderr = cli(t, "run", "--workers", strconv.Itoa(most), "--runs", "10", "--no-charts", "--quiet", "--out", dir)
	assert.Equal(t, 0, code, stderr)
}

// Every verb that writes checks its --out before any work: with the work
// stopped at once, a bad --out still gets its own message and exit 2, not
// "interrupted".
func TestOutCheckedBeforeWork(t *testing.T) {
	tmp := t.TempDir()
	notResults := filepath.Join(tmp, "notes")
	require.NoError(t, os.Mkdir(notResults, 0o755))
	require.NoError(t, os.WriteFile(filepath.Join(notResults, "thesis.tex"), []byte("precious"), 0o644))
	page := filepath.Join(tmp, "page.html")
	require.NoError(t, os.WriteFile(page, []byte("<!DOCTYPE html><p>mine</p>"), 0o644))
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"run", "--out", ""}, `--out: expected a folder, found ""`},
		{[]string{"run", "--out", notResults}, "does not look like chokepoint results"},
		{[]string{"compare", "current-policy", "no-controls", "--out", ""}, `--out: expected a folder, found ""`},
		{[]string{"compare", "current-policy", "no-controls", "--out", notResults}, "does not look like chokepoint results"},
		{[]string{"sensitivity", "current-policy", "--output", "fab_yield", "--out", ""}, `--out: expected a folder, found ""`},
		{[]string{"sensitivity", "current-policy", "--output", "fab_yield", "--out", notResults}, "does not look like chokepoint results"},
		{[]string{"backtest", "--out", ""}, `--out: expected a folder, found ""`},
		{[]string{"backtest", "--out", notResults}, "does not look like chokepoint results"},
		{[]string{"report", "--out", ""}, `--out: expected an HTML file name, found ""`},
		{[]string{"report", "--out", notResults}, "--out " + notResults + ": is a folder"},
		{[]string{"report", "--out", page}, "--out " + page + ": exists and is not a chokepoint report"},
		{[]string{"report", "--out", filepath.Join(page, "r.html")}, page + " is not a folder"},
	} {
		code, stdout, stderr := cliStopped(t, c.args...)
		assert.Equal(t, 2, code, "%v: %s", c.args, stderr)
		assert.Empty(t, stdout)
		assert.Contains(t, stderr, c.want, c.args)
		assert.Equal(t, 1, strings.Count(stderr, "\n"), "one message")
	}
	b, _ := os.ReadFile(filepath.Join(notResults, "thesis.tex"))
	assert.Equal(t, "precious", string(b))
	b, _ = os.ReadFile(page)
	assert.Equal(t, "<!DOCTYPE html><p>mine</p>", string(b))
	entries, _ := os.ReadDir(tmp)
	assert.Len(t, entries, 2, "nothing else written")
}
