package output

import (
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/parquet-go/parquet-go"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/chokepoint-sim/chokepoint/sim"
	"github.com/chokepoint-sim/chokepoint/sim/simtest"
)

// tableBatch is a batch of the made-up model: two scenarios over twelve
// quarters, runs [lo, hi) of runs.
func tableBatch(runs, lo, hi, workers int) *sim.Batch {
	m := simtest.Model{}
	reg := m.Registry()
	span := sim.Span{Start: sim.NewPeriod(2020, 1), End: sim.NewPeriod(2022, 4)}
	var scs []*sim.Scenario
	for _, name := range []string{"first", "second"} {
		sc := &sim.Scenario{Name: name, Span: span}
		for i := range reg.Params {
			sc.Params = append(sc.Params, reg.Params[i].Dist())
		}
		scs = append(scs, sc)
	}
	return &sim.Batch{Model: m, Scenarios: scs, Span: span, Runs: runs, Lo: lo, Hi: hi, Seed: 3, Workers: workers}
}

// streamTables runs b while its per-run tables stream into dir.
func streamTables(t *testing.T, b *sim.Batch, dir string, formats []string) *sim.Result {
	t.Helper()
	require.NoError(t, os.MkdirAll(dir, 0o755))
	l := TableLayout{Registry: b.Model.Registry(), Span: b.Span, Runs: b.Runs, Lo: b.Lo, Hi: b.Hi, Version: "test"}
	for _, sc := range b.Scenarios {
		l.Scenarios = append(l.Scenarios, sc.Name)
	}
	tables, err := OpenRunTables(l, func(n string) string { return filepath.Join(dir, n) }, formats, true)
	require.NoError(t, err)
	b.Observe = tables.Observe
	res, err := b.Run(context.Background())
	require.NoError(t, err)
	require.NoError(t, tables.Close(true))
	return res
}

var bothFormats = []string{FormatCSV, FormatParquet}

// The rows of samples.csv are, in order, every run, then every scenario,
// then every quarter, with the run's values exactly; params.csv likewise
// without quarters. 1,000 runs make 15 whole chunks of 64 and a short one.
func TestRunTablesHoldEveryRunInOrder(t *testing.T) {
	const runs = 1000
	dir := t.TempDir()
	res := streamTables(t, tableBatch(runs, 0, runs, 3), dir, bothFormats)
	require.True(t, res.Exact)
	T, C, P := res.Span.Len(), res.Cells(), len(res.Registry.Params)
	periods := res.Span.Periods()

	rows := readAll(t, filepath.Join(dir, SamplesCSV))
	require.Equal(t, append([]string{"scenario", "run", "period"}, res.Registry.OutputKeys()...), rows[0])
	require.Len(t, rows, 1+runs*2*T)
	i := 1
	for r := 0; r < runs; r++ {
		for s, sr := range res.Scenarios {
			for q := 0; q < T; q++ {
				row := rows[i]
				i++
				require.Equal(t, []string{sr.Scenario.Name, strconv.Itoa(r), periods[q].String()}, row[:3], "row %d", i-1)
				for o := range res.Registry.Outputs {
					v, err := strconv.ParseFloat(row[3+o], 64)
					require.NoError(t, err)
					require.Equal(t, sr.Values[r*C+o*T+q], v, "scenario %d run %d output %d quarter %d", s, r, o, q)
				}
			}
		}
	}

	prows := readAll(t, filepath.Join(dir, ParamsCSV))
	require.Len(t, prows, 1+runs*2)
	for k, row := range prows[1:] {
		r, s := k/2, k%2
		require.Equal(t, []string{res.Scenarios[s].Scenario.Name, strconv.Itoa(r)}, row[:2])
		for p := 0; p < P; p++ {
			assert.Equal(t, strconv.FormatFloat(res.Scenarios[s].Params[r*P+p], 'g', -1, 64), row[2+p])
		}
	}

	// samples.parquet, read back by the Parquet library, holds the same
	// rows and values as samples.csv.
	prow := readParquet(t, filepath.Join(dir, SamplesParquet))
	require.Len(t, prow, runs*2*T)
	for k, row := range prow {
		csvRow := rows[1+k]
		require.Equal(t, csvRow[0], string(row[0].ByteArray()))
		require.Equal(t, csvRow[1], strconv.FormatInt(row[1].Int64(), 10))
		require.Equal(t, csvRow[2], string(row[2].ByteArray()))
		for o := range res.Registry.Outputs {
			require.Equal(t, csvRow[3+o], strconv.FormatFloat(row[3+o].Double(), 'g', -1, 64))
		}
	}
	// WriteSamples, from the result in memory, writes the same bytes.
	var buf bytes.Buffer
	require.NoError(t, WriteSamples(&buf, res))
	assert.Equal(t, mustReadFile(t, filepath.Join(dir, SamplesCSV)), buf.Bytes())
}

// Workers finish chunks out of order, and a batch above the exact limit
// keeps no run: the streamed tables are byte for byte those of one worker
// keeping every run.
func TestRunTablesSameWhateverWorkersOrMode(t *testing.T) {
	const runs = 1500
	base := t.TempDir()
	one := filepath.Join(base, "one")
	streamTables(t, tableBatch(runs, 0, runs, 1), one, bothFormats)
	b := tableBatch(runs, 0, runs, 8)
	b.ExactLimit = 1 // summarised by sketches: no run is kept
	many := filepath.Join(base, "many")
	res := streamTables(t, b, many, bothFormats)
	require.False(t, res.Exact)
	for _, name := range []string{ParamsCSV, SamplesCSV, ParamsParquet, SamplesParquet} {
		assert.True(t, bytes.Equal(mustReadFile(t, filepath.Join(one, name)), mustReadFile(t, filepath.Join(many, name))), "%s differs", name)
	}
}

// Shards (whole chunks, as sim.ShardRange cuts them) merged write exactly
// the unsharded tables, whatever the order the shards are given in.
func TestMergeRunTablesEqualsUnsharded(t *testing.T) {
	const runs, n = 1000, 3
	base := t.TempDir()
	whole := filepath.Join(base, "whole")
	res := streamTables(t, tableBatch(runs, 0, runs, 2), whole, bothFormats)
	var parts []ShardPart
	for i := n - 1; i >= 0; i-- {
		lo, hi := sim.ShardRange(i, n, runs)
		d := filepath.Join(base, fmt.Sprint("shard", i))
		streamTables(t, tableBatch(runs, lo, hi, 1+i), d, bothFormats)
		parts = append(parts, ShardPart{Dir: d, Lo: lo, Hi: hi})
	}
	merged := filepath.Join(base, "merged")
	require.NoError(t, os.Mkdir(merged, 0o755))
	l := LayoutOf("test", res)
	wrote, err := MergeRunTables(l, parts, func(n string) string { return filepath.Join(merged, n) })
	require.NoError(t, err)
	assert.Equal(t, []string{ParamsCSV, ParamsParquet, SamplesCSV, SamplesParquet}, wrote)
	for _, name := range wrote {
		assert.True(t, bytes.Equal(mustReadFile(t, filepath.Join(whole, name)), mustReadFile(t, filepath.Join(merged, name))), "%s differs", name)
	}
}

// A damaged or missing shard table is bad input naming the file.
func TestMergeRunTablesRefusesDamage(t *testing.T) {
	const runs = 300
	b := tableBatch(runs, 0, runs, 1)
	l := TableLayout{Registry: b.Model.Registry(), Span: b.Span, Scenarios: []string{"first", "second"}, Runs: runs, Hi: runs, Version: "test"}
	shards := func(format string) []ShardPart {
		base := t.TempDir()
		var parts []ShardPart
		for i := 0; i < 2; i++ {
			lo, hi := sim.ShardRange(i, 2, runs)
			d := filepath.Join(base, fmt.Sprint("shard", i))
			streamTables(t, tableBatch(runs, lo, hi, 1), d, []string{format})
			parts = append(parts, ShardPart{Dir: d, Lo: lo, Hi: hi})
		}
		return parts
	}
	damage := []struct {
		name, file string
		edit       func([]byte) []byte
		want       string
	}{
		{"truncated parquet", SamplesParquet, func(b []byte) []byte { return b[:len(b)/2] }, "samples.parquet"},
		{"parquet of other columns", ParamsParquet, nil, "params.parquet: expected the columns"},
		{"a run out of place", ParamsCSV, func(b []byte) []byte { return bytes.Replace(b, []byte("\nsecond,192,"), []byte("\nsecond,193,"), 1) }, "params.csv:131: run: expected 192, found \"193\""},
		{"not a number", SamplesCSV, func(b []byte) []byte { return bytes.Replace(b, []byte(",2020Q3,"), []byte(",2020Q3,=x"), 1) }, "samples.csv:4: made_up_output: expected a number, found \"=x"},
		{"gone", SamplesCSV, func([]byte) []byte { return nil }, "holds samples.csv and"},
	}
	for _, c := range damage {
		t.Run(c.name, func(t *testing.T) {
			format := FormatCSV
			if filepath.Ext(c.file) == ".parquet" {
				format = FormatParquet
			}
			parts := shards(format)
			path := filepath.Join(parts[1].Dir, c.file)
			switch {
			case c.edit == nil: // another table under the name
				require.NoError(t, os.Rename(filepath.Join(parts[1].Dir, SamplesParquet), path))
			case c.name == "gone":
				require.NoError(t, os.Remove(path))
			default:
				require.NoError(t, os.WriteFile(path, c.edit(mustReadFile(t, path)), 0o644))
			}
			out := t.TempDir()
			_, err := MergeRunTables(l, parts, func(n string) string { return filepath.Join(out, n) })
			require.Error(t, err)
			var ie *sim.InputError
			assert.True(t, errors.As(err, &ie), "bad input, not %v", err)
			assert.Contains(t, err.Error(), c.want)
		})
	}
}

// summary.parquet holds summary.csv's rows and columns.
func TestSummaryParquetMatchesCSV(t *testing.T) {
	res := streamTables(t, tableBatch(200, 0, 200, 2), t.TempDir(), nil)
	sums := res.Summaries(0)
	dir := t.TempDir()
	var buf bytes.Buffer
	require.NoError(t, WriteSummary(&buf, res.Registry, res.Span, sums))
	require.NoError(t, WriteSummaryParquet(filepath.Join(dir, SummaryParquet), "test", res.Registry, res.Span, sums))
	rows, err := csv.NewReader(&buf).ReadAll()
	require.NoError(t, err)
	pq := readParquet(t, filepath.Join(dir, SummaryParquet))
	require.Len(t, pq, len(rows)-1)
	for k, row := range pq {
		for c, v := range row {
			var s string
			switch v.Kind() {
			case parquet.ByteArray:
				s = string(v.ByteArray())
			case parquet.Int64:
				s = strconv.FormatInt(v.Int64(), 10)
			default:
				s = strconv.FormatFloat(v.Double(), 'g', -1, 64)
			}
			require.Equal(t, rows[1+k][c], s, "row %d column %s", k, SummaryHeader[c])
		}
	}
}

// Every Parquet file names its writer as docs/data-format.md says:
// "chokepoint version VERSION", with no empty "(build )" after it.
func TestParquetCreatedBy(t *testing.T) {
	dir := t.TempDir()
	res := streamTables(t, tableBatch(20, 0, 20, 1), dir, []string{FormatParquet})
	require.NoError(t, WriteSummaryParquet(filepath.Join(dir, SummaryParquet), "test", res.Registry, res.Span, res.Summaries(0)))
	for _, name := range []string{SamplesParquet, ParamsParquet, SummaryParquet} {
		f, err := os.Open(filepath.Join(dir, name))
		require.NoError(t, err, name)
		st, err := f.Stat()
		require.NoError(t, err)
		pf, err := parquet.OpenFile(f, st.Size())
		require.NoError(t, err, name)
		assert.Equal(t, "chokepoint version test", pf.Metadata().CreatedBy, name)
		require.NoError(t, f.Close())
	}
}

// A results folder with samples.parquet and no samples.csv gives its
// samples to the charts.
func TestReadSamplesParquet(t *testing.T) {
	const runs = 130
	dir := t.TempDir()
	res := streamTables(t, tableBatch(runs, 0, runs, 2), dir, []string{FormatParquet})
	l := LayoutOf("test", res)
	l.Registry = &sim.Registry{Outputs: res.Registry.Outputs}
	values, err := ReadSamplesParquet(filepath.Join(dir, SamplesParquet), l)
	require.NoError(t, err)
	for s, sr := range res.Scenarios {
		assert.Equal(t, sr.Values, values[s])
	}
}

func readAll(t *testing.T, path string) [][]string {
	t.Helper()
	f, err := os.Open(path)
	require.NoError(t, err)
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	require.NoError(t, err)
	return rows
}

func mustReadFile(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	require.NoError(t, err)
	return b
}

// readParquet reads every row of a Parquet file with the library.
func readParquet(t *testing.T, path string) []parquet.Row {
	t.Helper()
	f, err := os.Open(path)
	require.NoError(t, err)
	defer f.Close()
	st, err := f.Stat()
	require.NoError(t, err)
	pf, err := parquet.OpenFile(f, st.Size())
	require.NoError(t, err)
	r := parquet.NewGenericReader[any](pf)
	defer r.Close()
	var rows []parquet.Row
	buf := make([]parquet.Row, 1000)
	for {
		n, err := r.ReadRows(buf)
		for _, row := range buf[:n] {
			rows = append(rows, row.Clone())
		}
		if err == io.EOF {
			return rows
		}
		require.NoError(t, err)
	}
}
