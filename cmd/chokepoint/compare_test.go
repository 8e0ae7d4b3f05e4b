package main

import (
	"os"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// compare writes diff.csv beside summary.csv for each scenario against the
// base, and prints the headline differences.
func TestCompareWritesDiffs(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "cmp")
	code, stdout, stderr := cli(t, "compare", "current-policy", "no-controls", "--runs", "300", "--no-charts", "--out", dir)
	require.Equal(t, 0, code, stderr)
	assert.Contains(t, stdout, "no-controls against current-policy, run by run")
	for _, f := range []string{"summary.csv", "params.csv", "diff.csv", "manifest.json"} {
		_, err := os.Stat(filepath.Join(dir, f))
		assert.NoError(t, err, f)
	}
	rows := readCSV(t, filepath.Join(dir, "diff.csv"))
	// one row per model output and quarter (64) for the one other scenario
	assert.Len(t, rows, 1+modelOutputs()*64)
	assert.Equal(t, []string{"no-controls", "current-policy"}, rows[1][:2])
}

// Two identical scenarios (one extends the other and changes nothing) differ
// by exactly zero in every run and cell: they share every draw.
func TestCompareIdenticalScenariosIsExactlyZero(t *testing.T) {
	tmp := t.TempDir()
	twin := filepath.Join(tmp, "twin.toml")
	require.NoError(t, os.WriteFile(twin, []byte("id = \"twin\"\ntitle = \"Current policy again\"\nextends = \"current-policy\"\n"), 0o644))
	dir := filepath.Join(tmp, "cmp")
	code, _, stderr := cli(t, "compare", "current-policy", twin, "--runs", "500", "--no-charts", "--quiet", "--out", dir)
	require.Equal(t, 0, code, stderr)
	rows := readCSV(t, filepath.Join(dir, "diff.csv"))
	col := columns(rows[0])
	for _, r := range rows[1:] {
		for _, name := range []string{"share_higher", "share_changed", "diff_mean", "diff_sd", "diff_p05", "diff_p50", "diff_p95"} {
			x, err := strconv.ParseFloat(r[col[name]], 64)
			require.NoError(t, err)
			require.Zero(t, x, "%s %s %s", r[2], r[4], name)
		}
	}
}

// columns maps a CSV header's names to their positions.
func columns(header []string) map[string]int {
	col := map[string]int{}
	for i, h := range header {
		col[h] = i
	}
	return col
}
