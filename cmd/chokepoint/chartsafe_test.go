package main

import (
	"encoding/csv"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// chartBytes returns every file of a charts folder with its content.
func chartBytes(t *testing.T, dir string) map[string]string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	require.NoError(t, err)
	files := map[string]string{}
	for _, e := range entries {
		if e.Type().IsRegular() {
			b, err := os.ReadFile(filepath.Join(dir, e.Name()))
			require.NoError(t, err)
			files[e.Name()] = string(b)
		}
	}
	return files
}

// noPartialIn asserts that dir holds no temporary folder of a chart set.
func noPartialIn(t *testing.T, dir string) {
	t.Helper()
	entries, err := os.ReadDir(dir)
	require.NoError(t, err)
	for _, e := range entries {
		assert.False(t, strings.Contains(e.Name(), ".partial-"), "%s left in %s", e.Name(), dir)
	}
}

// setNumbers rewrites every value column of a results CSV file to v,
// keeping its names, periods and counts.
func setNumbers(t *testing.T, path, v string) {
	t.Helper()
	f, err := os.Open(path)
	require.NoError(t, err)
	rows, err := csv.NewReader(f).ReadAll()
	f.Close()
	require.NoError(t, err)
	keep := []string{"scenario", "base", "output", "unit", "period", "year", "runs", "run"}
	for j, h := range rows[0] {
		if slices.Contains(keep, h) {
			continue
		}
		for _, r := range rows[1:] {
			r[j] = v
		}
	}
	out, err := os.Create(path)
	require.NoError(t, err)
	w := csv.NewWriter(out)
	require.NoError(t, w.WriteAll(rows))
	require.NoError(t, out.Close())
}

// A results folder whose numbers are all 0, all NaN, the smallest
// subnormal or near the ends of float64 (as a tampered or corrupt folder
// can hold) is charted or refused as bad input: never a panic, a hang or
// exit 1; and when refused, the previous charts stay as they were and
// nothing partial is left.
func TestChartTamperedNumbers(t *testing.T) {
	base := filepath.Join(t.TempDir(), "res")
	code, _, stderr := cli(t, "compare", "current-policy", "no-controls", "--runs", "20", "--samples", "--quiet", "--out", base)
	require.Equal(t, 0, code, stderr)
	for _, v := range []string{"0", "NaN", "5e-324", "1e308", "-1e308", "1.7976931348623157e308"} {
		t.Run(v, func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "res")
			require.NoError(t, os.CopyFS(dir, os.DirFS(base)))
			for _, name := range []string{"summary.csv", "samples.csv", "diff.csv"} {
				setNumbers(t, filepath.Join(dir, name), v)
			}
			before := chartBytes(t, filepath.Join(dir, "charts"))
			code, _, stderr := cli(t, "chart", dir, "--quiet", "--wide")
			require.Contains(t, []int{0, 2}, code, stderr)
			after := chartBytes(t, filepath.Join(dir, "charts"))
			if code == 2 {
				assert.Equal(t, before, after, "refused, yet the charts changed")
			} else {
				assert.Greater(t, len(after), len(before), "the wide tables were added: %s", stderr)
			}
			noPartialIn(t, dir)
		})
	}
}

// A chart that cannot be written (a folder stands where it goes) is found
// before anything is drawn: exit 2, and the previous charts untouched.
func TestChartBlockedLeavesPreviousCharts(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "res")
	code, _, stderr := cli(t, "run", "--runs", "20", "--quiet", "--out", dir)
	require.Equal(t, 0, code, stderr)
	charts := filepath.Join(dir, "charts")
	blocked := filepath.Join(charts, "current-policy-fab_yield.png")
	require.NoError(t, os.Remove(blocked))
	require.NoError(t, os.Mkdir(blocked, 0o755))
	before := chartBytes(t, charts)
	code, stdout, stderr := cli(t, "chart", dir)
	assert.Equal(t, 2, code, stderr)
	assert.Empty(t, stdout)
	assert.Contains(t, stderr, "is a folder where a chart goes")
	assert.Equal(t, before, chartBytes(t, charts))
	noPartialIn(t, dir)
}

// A shard's folder holds part of the runs: chart says to merge first.
func TestChartShardFolder(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "shard")
	// 200 runs make two chunks of 128 (the shard split), so two shards.
	code, _, stderr := cli(t, "run", "--runs", "200", "--shard", "0/2", "--quiet", "--out", dir)
	require.Equal(t, 0, code, stderr)
	code, stdout, stderr := cli(t, "chart", dir)
	assert.Equal(t, 2, code)
	assert.Empty(t, stdout)
	assert.Contains(t, stderr, "shard 0/2")
	assert.Contains(t, stderr, "chokepoint merge")
	_, err := os.Stat(filepath.Join(dir, "charts"))
	assert.True(t, os.IsNotExist(err), "no charts folder made")
}
