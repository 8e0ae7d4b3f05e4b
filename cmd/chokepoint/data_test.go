package main

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/parquet-go/parquet-go"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/chokepoint-sim/chokepoint/output"
)

// openParquet opens a Parquet file with the Parquet library, closed when
// the test ends.
func openParquet(t *testing.T, path string) *parquet.File {
	t.Helper()
	f, err := os.Open(path)
	require.NoError(t, err)
	t.Cleanup(func() { f.Close() })
	st, err := f.Stat()
	require.NoError(t, err)
	pf, err := parquet.OpenFile(f, st.Size())
	require.NoError(t, err)
	return pf
}

// parquetRows reads every row of a Parquet file with the Parquet library,
// and its column names.
func parquetRows(t *testing.T, path string) ([]string, []parquet.Row) {
	t.Helper()
	pf := openParquet(t, path)
	var names []string
	for _, c := range pf.Schema().Columns() {
		names = append(names, c[0])
	}
	r := parquet.NewGenericReader[any](pf)
	defer r.Close()
	var rows []parquet.Row
	buf := make([]parquet.Row, 4096)
	for {
		n, err := r.ReadRows(buf)
		for _, row := range buf[:n] {
			rows = append(rows, row.Clone())
		}
		if err == io.EOF {
			return names, rows
		}
		require.NoError(t, err)
	}
}

// Acceptance 5 of the outputs issue, at 1,300 runs (the 100,000-run case
// is in docs/performance.md): a compare with --samples split into four
// shards (1,300 runs make 21 chunks of 64, the last short) and merged
// writes samples.parquet, params.parquet and the CSV files byte for byte
// as the unsharded run; samples.parquet, read back by the Parquet library,
// holds samples.csv's rows in its order, number for number.
func TestSamplesParquetShardsMergeRowForRow(t *testing.T) {
	base := t.TempDir()
	args := []string{"compare", "current-policy", "no-controls", "--runs", "1300", "--seed", "11", "--samples",
		"--data-format", "csv,parquet", "--no-charts", "--quiet"}
	whole := filepath.Join(base, "whole")
	code, _, stderr := cli(t, append(args, "--out", whole)...)
	require.Equal(t, 0, code, stderr)
	var shards []string
	for i := 3; i >= 0; i-- {
		d := filepath.Join(base, fmt.Sprint("shard", i))
		code, _, stderr := cli(t, append(args, "--shard", fmt.Sprintf("%d/4", i), "--workers", fmt.Sprint(1+i%3), "--out", d)...)
		require.Equal(t, 0, code, stderr)
		shards = append(shards, d)
	}
	merged := filepath.Join(base, "merged")
	code, _, stderr = cli(t, append([]string{"merge", "--no-charts", "--quiet", "--out", merged}, shards...)...)
	require.Equal(t, 0, code, stderr)
	for _, f := range []string{output.SamplesParquet, output.ParamsParquet, output.SummaryParquet, output.SamplesCSV, output.ParamsCSV, "summary.csv", "diff.csv"} {
		a, err := os.ReadFile(filepath.Join(whole, f))
		require.NoError(t, err)
		b, err := os.ReadFile(filepath.Join(merged, f))
		require.NoError(t, err)
		assert.True(t, bytes.Equal(a, b), "%s differs after merging", f)
	}

	rows := readCSV(t, filepath.Join(merged, output.SamplesCSV))
	names, pq := parquetRows(t, filepath.Join(merged, output.SamplesParquet))
	assert.Equal(t, rows[0], names, "the Parquet columns are the CSV's, in order")
	require.Len(t, pq, len(rows)-1)
	require.Len(t, pq, 1300*2*64) // runs × scenarios × quarters 2020Q1-2035Q4
	for i, row := range pq {
		want := rows[1+i]
		require.Equal(t, want[0], string(row[0].ByteArray()), "row %d", i)
		require.Equal(t, want[1], strconv.FormatInt(row[1].Int64(), 10), "row %d", i)
		require.Equal(t, want[2], string(row[2].ByteArray()), "row %d", i)
		for c := 3; c < len(row); c++ {
			require.Equal(t, want[c], strconv.FormatFloat(row[c].Double(), 'g', -1, 64), "row %d, %s", i, names[c])
		}
	}
}

// --samples no longer stops where a batch stops keeping every run in
// memory (sim.ExactLimit: 9,527 runs of one scenario over 64 quarters, 41 outputs):
// every run is streamed to disk.
func TestSamplesBeyondTheExactLimit(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "res")
	const runs = 10_100
	code, _, stderr := cli(t, "run", "--runs", fmt.Sprint(runs), "--samples", "--data-format", "parquet", "--no-charts", "--quiet", "--out", dir)
	require.Equal(t, 0, code, stderr)
	pf := openParquet(t, filepath.Join(dir, output.SamplesParquet))
	assert.Equal(t, int64(runs*64), pf.NumRows())
	pp, err := os.Stat(filepath.Join(dir, output.ParamsParquet))
	require.NoError(t, err)
	assert.Positive(t, pp.Size())
	assert.NoFileExists(t, filepath.Join(dir, output.SamplesCSV), "--data-format parquet writes no samples.csv")
	assert.FileExists(t, filepath.Join(dir, "summary.csv"), "summary.csv is always written")
}

// Charts that need every run read samples.parquet when a folder has no
// samples.csv.
func TestChartFromSamplesParquet(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "res")
	code, _, stderr := cli(t, "run", "current-policy", "--runs", "60", "--samples", "--data-format", "parquet", "--no-charts", "--quiet", "--out", dir)
	require.Equal(t, 0, code, stderr)
	out := t.TempDir()
	code, _, stderr = cli(t, "chart", dir, "--kind", "spaghetti", "--output", "fab_yield", "--lines", "12", "--out", out, "--quiet")
	require.Equal(t, 0, code, stderr)
	assert.FileExists(t, filepath.Join(out, "spaghetti-current-policy-fab_yield.png"))
}
