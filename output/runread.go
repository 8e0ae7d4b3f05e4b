package output

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strconv"

	"github.com/parquet-go/parquet-go"

	"github.com/chokepoint-sim/chokepoint/sim"
)

// Reading per-run tables back, as untrusted input: a shard's for merge,
// a results folder's samples.parquet for charts. A table must hold
// exactly the rows RunTables writes for its layout, in its order; every
// fault is a sim.InputError naming the file (and, in CSV, the line).

// chunkSource reads a per-run table back a chunk at a time.
type chunkSource interface {
	// readChunk fills ch.params (params) or ch.values (samples) of the
	// runs [ch.lo, ch.lo+ch.n).
	readChunk(ch *runChunk) error
	close()
}

// openSource opens the table of layout l at path in format.
func openSource(l TableLayout, path, format string, samples bool) (chunkSource, error) {
	if format == FormatParquet {
		return openParquetSource(l, path, samples)
	}
	return openCSVSource(l, path, samples)
}

// csvSource reads params.csv or samples.csv.
type csvSource struct {
	l       TableLayout
	t       *table
	samples bool
	periods []string
	names   []string // the columns
	width   int      // values a row
}

func openCSVSource(l TableLayout, path string, samples bool) (*csvSource, error) {
	cols := runColumns(l.Registry, samples)
	names := make([]string, len(cols))
	for i, c := range cols {
		names[i] = c.name
	}
	t, err := openTable(path, false, names...)
	if err != nil {
		return nil, err
	}
	s := &csvSource{l: l, t: t, samples: samples, names: names, width: len(cols) - 2}
	t.r.FieldsPerRecord = len(cols)
	if samples {
		s.width--
		for _, p := range l.Span.Periods() {
			s.periods = append(s.periods, p.String())
		}
	}
	for i, n := range names {
		if t.col[n] != i {
			t.Close()
			return nil, t.errorf("expected the columns %s, in this order", clip(fmt.Sprint(names)))
		}
	}
	return s, nil
}

func (s *csvSource) readChunk(ch *runChunk) error {
	S := len(s.l.Scenarios)
	T := max(1, len(s.periods))
	for i := 0; i < ch.n*S*T; i++ {
		row, err := s.t.next()
		if err == io.EOF {
			return s.t.errorf("ends early: expected the rows of runs %d to %d", s.l.Lo, s.l.Hi-1)
		}
		if err != nil {
			return err
		}
		k, q := i/T, i%T // (run, scenario) pair, quarter
		if err := s.key(row, ch.lo+k/S, s.l.Scenarios[k%S], q); err != nil {
			return err
		}
		dst := ch.params[k*s.width : (k+1)*s.width]
		if s.samples {
			dst = ch.values[k*s.width*T:]
		}
		if err := s.numbers(row, dst, T, q); err != nil {
			return err
		}
	}
	return nil
}

// key checks that a row is that of run, scenario and quarter q.
func (s *csvSource) key(row []string, run int, scenario string, q int) error {
	switch {
	case uncell(row[0]) != scenario:
		return s.t.errorf("scenario: expected %s, found %q", scenario, clip(row[0]))
	case row[1] != strconv.Itoa(run):
		return s.t.errorf("run: expected %d, found %q", run, clip(row[1]))
	case s.samples && row[2] != s.periods[q]:
		return s.t.errorf("period: expected %s, found %q", s.periods[q], clip(row[2]))
	}
	return nil
}

// numbers reads the row's values into dst: value j at dst[j*T+q].
func (s *csvSource) numbers(row []string, dst []float64, T, q int) error {
	first := len(row) - s.width
	for j, cell := range row[first:] {
		v, err := strconv.ParseFloat(cell, 64)
		if err != nil {
			return s.t.errorf("%s: expected a number, found %q", s.names[first+j], clip(cell))
		}
		dst[j*T+q] = v
	}
	return nil
}

func (s *csvSource) close() { s.t.Close() }

// parquetSource reads params.parquet or samples.parquet.
type parquetSource struct {
	l       TableLayout
	path    string
	f       *os.File
	r       *parquet.GenericReader[any]
	samples bool
	periods []string
	width   int
	rows    []parquet.Row
}

func openParquetSource(l TableLayout, path string, samples bool) (src *parquetSource, err error) {
	f, err := OpenInput(path)
	if err != nil {
		return nil, err
	}
	defer func() {
		if err != nil {
			f.Close()
		}
	}()
	defer recoverParquet(path, &err)
	info, err := f.Stat()
	if err != nil {
		return nil, err
	}
	pf, err := parquet.OpenFile(f, info.Size())
	if err != nil {
		return nil, sim.BadInputf("%s: not a Parquet file chokepoint wrote (%v)", path, err)
	}
	cols := runColumns(l.Registry, samples)
	want := parquetSchema("", cols)
	if !slices.EqualFunc(pf.Schema().Columns(), want.Columns(), slices.Equal) || !sameTypes(pf.Schema(), want) {
		return nil, sim.BadInputf("%s: expected the columns %s, in this order", path, clip(fmt.Sprint(want.Columns())))
	}
	s := &parquetSource{l: l, path: path, f: f, samples: samples, width: len(cols) - 2}
	T := 1
	if samples {
		s.width--
		T = l.Span.Len()
		for _, p := range l.Span.Periods() {
			s.periods = append(s.periods, p.String())
		}
	}
	if rows := int64(l.Hi-l.Lo) * int64(len(l.Scenarios)) * int64(T); pf.NumRows() != rows {
		return nil, sim.BadInputf("%s: %d rows, expected %d (runs %d to %d)", path, pf.NumRows(), rows, l.Lo, l.Hi-1)
	}
	s.r = parquet.NewGenericReader[any](pf)
	return s, nil
}

// sameTypes reports whether each leaf column of a has b's physical type.
func sameTypes(a, b *parquet.Schema) bool {
	for _, path := range b.Columns() {
		ca, okA := a.Lookup(path...)
		cb, okB := b.Lookup(path...)
		if !okA || !okB || ca.Node.Type().Kind() != cb.Node.Type().Kind() {
			return false
		}
	}
	return true
}

// recoverParquet turns a panic of the Parquet library on a damaged file
// into bad input.
func recoverParquet(path string, err *error) {
	if p := recover(); p != nil {
		*err = sim.BadInputf("%s: damaged Parquet file (%v)", path, p)
	}
}

func (s *parquetSource) readChunk(ch *runChunk) (err error) {
	defer recoverParquet(s.path, &err)
	S := len(s.l.Scenarios)
	T := max(1, len(s.periods))
	n := ch.n * S * T
	if cap(s.rows) < n {
		s.rows = make([]parquet.Row, n)
	}
	rows := s.rows[:n]
	for got := 0; got < n; {
		m, err := s.r.ReadRows(rows[got:])
		got += m
		if err == io.EOF && got < n || err != nil && err != io.EOF {
			return sim.BadInputf("%s: ends early or is damaged at row %d (%v)", s.path, got, err)
		}
	}
	for i, row := range rows {
		k, q := i/T, i%T
		if err := s.key(row, ch.lo+k/S, s.l.Scenarios[k%S], q); err != nil {
			return err
		}
		first := len(row) - s.width
		for j, v := range row[first:] {
			if s.samples {
				ch.values[(k*s.width+j)*T+q] = v.Double()
			} else {
				ch.params[k*s.width+j] = v.Double()
			}
		}
	}
	return nil
}

// key checks that a row is that of run, scenario and quarter q, with a
// value in every column.
func (s *parquetSource) key(row parquet.Row, run int, scenario string, q int) error {
	first := 2
	if s.samples {
		first = 3
	}
	switch {
	case len(row) != first+s.width:
		return sim.BadInputf("%s: a row of %d values, expected %d", s.path, len(row), first+s.width)
	case string(row[0].ByteArray()) != scenario:
		return sim.BadInputf("%s: scenario: expected %s, found %q (run %d)", s.path, scenario, clip(string(row[0].ByteArray())), run)
	case row[1].Int64() != int64(run):
		return sim.BadInputf("%s: run: expected %d, found %d", s.path, run, row[1].Int64())
	case s.samples && string(row[2].ByteArray()) != s.periods[q]:
		return sim.BadInputf("%s: period: expected %s, found %q (run %d)", s.path, s.periods[q], clip(string(row[2].ByteArray())), run)
	}
	for _, v := range row {
		if v.IsNull() {
			return sim.BadInputf("%s: a missing value in run %d", s.path, run)
		}
	}
	return nil
}

func (s *parquetSource) close() {
	s.r.Close()
	s.f.Close()
}

// ShardPart is a shard's folder and the runs [Lo, Hi) it holds.
type ShardPart struct {
	Dir    string
	Lo, Hi int
}

// MergeRunTables writes into path(name) the per-run tables of the whole
// batch l (Lo 0, Hi Runs) from shard folders that cover its runs: each
// table every shard holds (params and samples, as CSV and Parquet), read
// from the shard's Parquet file where it has one. A table that some
// shards hold and others do not is bad input. It returns the names of the
// tables written, none for shards that hold no table.
func MergeRunTables(l TableLayout, parts []ShardPart, path func(string) string) ([]string, error) {
	parts = slices.Clone(parts)
	slices.SortFunc(parts, func(a, b ShardPart) int { return a.Lo - b.Lo })
	var wrote []string
	for _, samples := range []bool{false, true} {
		var formats []string
		for _, f := range []string{FormatCSV, FormatParquet} {
			has, err := heldByAll(parts, tableName(f, samples))
			if err != nil {
				return wrote, err
			}
			if has {
				formats = append(formats, f)
			}
		}
		if len(formats) == 0 {
			continue
		}
		if err := mergeTable(l, parts, path, formats, samples); err != nil {
			return wrote, err
		}
		for _, f := range formats {
			wrote = append(wrote, tableName(f, samples))
		}
	}
	return wrote, nil
}

// heldByAll reports whether every shard folder holds name (true) or none
// does (false).
func heldByAll(parts []ShardPart, name string) (bool, error) {
	var with, without string
	for _, p := range parts {
		_, err := os.Lstat(filepath.Join(p.Dir, name))
		switch {
		case err == nil:
			with = p.Dir
		case errors.Is(err, fs.ErrNotExist):
			without = p.Dir
		default:
			return false, &sim.InputError{Err: err}
		}
	}
	if with != "" && without != "" {
		return false, sim.BadInputf("merge: %s holds %s and %s does not; run every shard with the same --samples and --data-format", with, name, without)
	}
	return with != "", nil
}

// mergeTable writes one table (params or samples) in formats from the
// shards' copies of it.
func mergeTable(l TableLayout, parts []ShardPart, path func(string) string, formats []string, samples bool) error {
	t := newRunTables(l)
	for _, f := range formats {
		if err := t.openKind(f, path, samples); err != nil {
			t.abort()
			return err
		}
	}
	from := formats[len(formats)-1] // Parquet where the shards have it
	for _, p := range parts {
		pl := l
		pl.Lo, pl.Hi = p.Lo, p.Hi
		src, err := openSource(pl, filepath.Join(p.Dir, tableName(from, samples)), from, samples)
		if err != nil {
			t.abort()
			return err
		}
		for run := p.Lo; run < p.Hi && err == nil; run += sim.ChunkRuns {
			err = t.writeNext(src.readChunk)
		}
		src.close()
		if err != nil {
			t.abort()
			return err
		}
	}
	return t.Close(true)
}

// ReadSamplesParquet reads a results folder's samples.parquet: every
// run's values of each scenario, laid out as sim.ScenarioResult.Values.
func ReadSamplesParquet(path string, l TableLayout) ([][]float64, error) {
	src, err := openParquetSource(l, path, true)
	if err != nil {
		return nil, err
	}
	defer src.close()
	t := newRunTables(l)
	C := t.C
	out := make([][]float64, t.S)
	for k := 0; k < t.chunks(); k++ {
		err := t.writeNextTo(src.readChunk, func(ch *runChunk) error {
			for i := 0; i < ch.n*t.S; i++ {
				out[i%t.S] = append(out[i%t.S], ch.values[i*C:(i+1)*C]...)
			}
			return nil
		})
		if err != nil {
			return nil, err
		}
	}
	return out, nil
}
