package output

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"os"
	"strconv"
	"sync"

	"github.com/chokepoint-sim/chokepoint/sim"
)

// The per-run tables of a results folder: every run's drawn parameters
// (params) and every run's outputs at every quarter (samples), as CSV,
// Parquet or both. They are written in run order as the batch goes, a
// chunk of sim.ChunkRuns runs at a time, so that memory stays bounded at
// any number of runs, and the bytes depend only on the runs (never on
// workers, shards or the order in which workers finish).
//
// Row order, in both formats: by run, then scenario (in the order given),
// then, in samples, by quarter.

// Data formats of the per-run tables and the summary.
const (
	FormatCSV     = "csv"
	FormatParquet = "parquet"
)

// Names of the per-run tables and the summary in each format.
const (
	ParamsCSV      = "params.csv"
	SamplesCSV     = "samples.csv"
	ParamsParquet  = "params.parquet"
	SamplesParquet = "samples.parquet"
	SummaryParquet = "summary.parquet"
)

// TableLayout is what a per-run table's rows are made of: the registry,
// quarters and scenario names of a batch, and the runs [Lo, Hi) of Runs.
type TableLayout struct {
	Registry  *sim.Registry
	Span      sim.Span
	Scenarios []string
	Runs      int
	Lo, Hi    int
	// Version goes into the Parquet files' created_by.
	Version string
}

// LayoutOf is the layout of a batch's result.
func LayoutOf(version string, res *sim.Result) TableLayout {
	l := TableLayout{Registry: res.Registry, Span: res.Span, Runs: res.Runs, Lo: res.Lo, Hi: res.Hi, Version: version}
	for _, sr := range res.Scenarios {
		l.Scenarios = append(l.Scenarios, sr.Scenario.Name)
	}
	return l
}

// runChunk holds the runs [lo, lo+n) of every scenario: parameters at
// params[(r*S+s)*P+p], values at values[(r*S+s)*C+c] (c = o*T+t).
type runChunk struct {
	lo, n  int
	params []float64
	values []float64
	got    int // (run, scenario) pairs filled
	done   bool
}

// chunkTable is one per-run table being written, a chunk at a time.
type chunkTable interface {
	writeChunk(ch *runChunk) error
	close() error
	abort()
}

// RunTables streams a batch's per-run tables to files. Observe is the
// batch's sim.Batch.Observe; Close ends the files once the batch is over.
type RunTables struct {
	l       TableLayout
	S, P, C int
	tables  []chunkTable

	mu      sync.Mutex
	cond    *sync.Cond
	pending map[int]*runChunk // by chunk number, relative to Lo
	next    int               // the next chunk to write
	writing bool
	err     error
	free    []*runChunk
}

// chunkWindow bounds the finished chunks held while an earlier one is
// still being run: a worker that gets this far ahead of the oldest chunk
// waits. With 64 runs a chunk, a chunk of current-policy holds 1.3 MB.
const chunkWindow = 16

// OpenRunTables creates, in folder path(name), the per-run tables of the
// layout in the formats asked (FormatCSV, FormatParquet): params always,
// samples when asked.
func OpenRunTables(l TableLayout, path func(name string) string, formats []string, samples bool) (*RunTables, error) {
	t := newRunTables(l)
	for _, f := range formats {
		if err := t.open(f, path, samples); err != nil {
			t.abort()
			return nil, err
		}
	}
	return t, nil
}

func newRunTables(l TableLayout) *RunTables {
	t := &RunTables{l: l, S: len(l.Scenarios), P: len(l.Registry.Params), C: len(l.Registry.Outputs) * l.Span.Len(),
		pending: map[int]*runChunk{}}
	t.cond = sync.NewCond(&t.mu)
	return t
}

// open adds the tables of one format: params, and samples when asked.
func (t *RunTables) open(format string, path func(string) string, samples bool) error {
	if err := t.openKind(format, path, false); err != nil || !samples {
		return err
	}
	return t.openKind(format, path, true)
}

// openKind adds params (samples false) or samples in one format.
func (t *RunTables) openKind(format string, path func(string) string, samples bool) error {
	var tb chunkTable
	var err error
	switch format {
	case FormatCSV:
		tb, err = openCSVTable(t.l, path(tableName(FormatCSV, samples)), samples)
	case FormatParquet:
		tb, err = newParquetTable(t.l, path(tableName(FormatParquet, samples)), samples)
	default:
		err = fmt.Errorf("unknown data format %q", format)
	}
	if err == nil {
		t.tables = append(t.tables, tb)
	}
	return err
}

// tableName is the file name of params (samples false) or samples in a
// format.
func tableName(format string, samples bool) string {
	switch {
	case format == FormatCSV && samples:
		return SamplesCSV
	case format == FormatCSV:
		return ParamsCSV
	case samples:
		return SamplesParquet
	}
	return ParamsParquet
}

func (t *RunTables) abort() {
	for _, tb := range t.tables {
		tb.abort()
	}
}

// chunks is the number of chunks of the layout's runs.
func (t *RunTables) chunks() int { return (t.l.Hi - t.l.Lo + sim.ChunkRuns - 1) / sim.ChunkRuns }

// chunk returns chunk k's buffer, with room for its runs; under t.mu.
func (t *RunTables) chunk(k int) *runChunk {
	if ch := t.pending[k]; ch != nil {
		return ch
	}
	var ch *runChunk
	if n := len(t.free); n > 0 {
		ch, t.free = t.free[n-1], t.free[:n-1]
	} else {
		ch = &runChunk{params: make([]float64, sim.ChunkRuns*t.S*t.P), values: make([]float64, sim.ChunkRuns*t.S*t.C)}
	}
	ch.lo = t.l.Lo + k*sim.ChunkRuns
	ch.n = min(sim.ChunkRuns, t.l.Hi-ch.lo)
	ch.got, ch.done = 0, false
	t.pending[k] = ch
	return ch
}

// Observe takes run's parameters and values of scenario s, as
// sim.Batch.Observe gives them, from any worker. Each chunk of runs is run
// by one worker, so the chunk's rows are filled without a lock; a chunk is
// written when it and every chunk before it are complete.
func (t *RunTables) Observe(run, s int, params, values []float64) {
	k := (run - t.l.Lo) / sim.ChunkRuns
	t.mu.Lock()
	for k >= t.next+chunkWindow && t.err == nil {
		t.cond.Wait()
	}
	if t.err != nil {
		t.mu.Unlock()
		return
	}
	ch := t.chunk(k)
	t.mu.Unlock()

	i := (run-ch.lo)*t.S + s
	copy(ch.params[i*t.P:(i+1)*t.P], params)
	copy(ch.values[i*t.C:(i+1)*t.C], values)

	t.mu.Lock()
	defer t.mu.Unlock()
	ch.got++
	ch.done = ch.got == ch.n*t.S
	if !ch.done || k != t.next || t.writing {
		return
	}
	t.drain()
}

// drain writes the complete chunks from t.next on, one goroutine at a
// time; under t.mu, which it releases while writing.
func (t *RunTables) drain() {
	t.writing = true
	for t.err == nil {
		ch := t.pending[t.next]
		if ch == nil || !ch.done {
			break
		}
		t.mu.Unlock()
		err := t.write(ch)
		t.mu.Lock()
		if err != nil {
			t.err = err
		}
		delete(t.pending, t.next)
		t.free = append(t.free, ch)
		t.next++
		t.cond.Broadcast()
	}
	t.writing = false
	t.cond.Broadcast()
}

func (t *RunTables) write(ch *runChunk) error {
	for _, tb := range t.tables {
		if err := tb.writeChunk(ch); err != nil {
			return err
		}
	}
	return nil
}

// Close finishes the files. complete says whether the batch ran every
// run; if not, or if writing failed, the files are removed and an error
// returned.
func (t *RunTables) Close(complete bool) error {
	t.mu.Lock()
	err := t.err
	if err == nil && complete && t.next != t.chunks() {
		err = fmt.Errorf("per-run tables: %d of %d chunks written", t.next, t.chunks())
	}
	t.mu.Unlock()
	if err != nil || !complete {
		t.abort()
		return err
	}
	for _, tb := range t.tables {
		if err := tb.close(); err != nil {
			t.abort()
			return err
		}
	}
	return nil
}

// feed writes a result's held runs (an exact result) chunk by chunk.
func (t *RunTables) feed(res *sim.Result) error {
	for k := 0; k < t.chunks(); k++ {
		err := t.writeNext(func(ch *runChunk) error {
			for r := ch.lo; r < ch.lo+ch.n; r++ {
				for s, sr := range res.Scenarios {
					i, h := (r-ch.lo)*t.S+s, r-res.Lo
					copy(ch.params[i*t.P:(i+1)*t.P], sr.Params[h*t.P:(h+1)*t.P])
					copy(ch.values[i*t.C:(i+1)*t.C], sr.Values[h*t.C:(h+1)*t.C])
				}
			}
			return nil
		})
		if err != nil {
			return err
		}
	}
	return nil
}

// writeNext fills the next chunk with fill and writes it, from one
// goroutine (not with Observe).
func (t *RunTables) writeNext(fill func(*runChunk) error) error { return t.writeNextTo(fill, t.write) }

// writeNextTo fills the next chunk with fill and hands it to use.
func (t *RunTables) writeNextTo(fill, use func(*runChunk) error) error {
	ch := t.chunk(t.next)
	err := fill(ch)
	if err == nil {
		err = use(ch)
	}
	delete(t.pending, t.next)
	t.free = append(t.free, ch)
	t.next++
	if err != nil {
		t.err = err
	}
	return err
}

// csvTable writes params.csv or samples.csv. Numbers are appended
// directly (they never need CSV quoting, and Cell leaves numbers as they
// are), several times faster than a csv.Writer for the batch's largest
// tables; the header and scenario names go through csvWriter.
type csvTable struct {
	l       TableLayout
	samples bool
	f       *os.File
	bw      *bufio.Writer
	names   [][]byte // each scenario's name as a CSV cell
	periods [][]byte
	row     []byte
}

// openCSVTable creates the file at path and writes its header.
func openCSVTable(l TableLayout, path string, samples bool) (*csvTable, error) {
	f, err := os.Create(path)
	if err != nil {
		return nil, err
	}
	t, err := newCSVTable(l, newStreamFile(f), samples)
	if err != nil {
		f.Close()
		return nil, err
	}
	t.f = f
	return t, nil
}

// newCSVTable writes the table's header to w.
func newCSVTable(l TableLayout, w io.Writer, samples bool) (*csvTable, error) {
	t := &csvTable{l: l, samples: samples, bw: bufio.NewWriterSize(w, 1<<20)}
	for _, n := range l.Scenarios {
		t.names = append(t.names, csvCell(n))
	}
	for _, p := range l.Span.Periods() {
		t.periods = append(t.periods, []byte(p.String()))
	}
	return t, t.header()
}

// csvCell is s as one CSV cell, neutralised (Cell) and quoted as needed.
func csvCell(s string) []byte {
	var b bytes.Buffer
	w := newCSV(&b)
	_ = w.Write([]string{s})
	_ = w.Flush()
	return bytes.TrimRight(b.Bytes(), "\n")
}

func (t *csvTable) header() error {
	cols := append([]string{"scenario", "run"}, t.l.Registry.ParamKeys()...)
	if t.samples {
		cols = append([]string{"scenario", "run", "period"}, t.l.Registry.OutputKeys()...)
	}
	cw := newCSV(t.bw)
	if err := cw.Write(cols); err != nil {
		return err
	}
	return cw.Flush()
}

func (t *csvTable) writeChunk(ch *runChunk) error {
	S := len(t.l.Scenarios)
	for r := 0; r < ch.n; r++ {
		for s := 0; s < S; s++ {
			t.row = append(append(t.row[:0], t.names[s]...), ',')
			t.row = strconv.AppendInt(t.row, int64(ch.lo+r), 10)
			var err error
			if t.samples {
				err = t.sampleRows(ch, r*S+s)
			} else {
				err = t.paramRow(ch, r*S+s)
			}
			if err != nil {
				return err
			}
		}
	}
	return nil
}

// paramRow writes the row of the i-th (run, scenario) of ch after the
// prefix in t.row.
func (t *csvTable) paramRow(ch *runChunk, i int) error {
	P := len(t.l.Registry.Params)
	row := t.row
	for _, v := range ch.params[i*P : (i+1)*P] {
		row = strconv.AppendFloat(append(row, ','), v, 'g', -1, 64)
	}
	t.row = append(row, '\n')
	_, err := t.bw.Write(t.row)
	return err
}

// sampleRows writes the rows, one a quarter, of the i-th (run, scenario)
// of ch after the prefix in t.row.
func (t *csvTable) sampleRows(ch *runChunk, i int) error {
	T, O := t.l.Span.Len(), len(t.l.Registry.Outputs)
	vals := ch.values[i*O*T : (i+1)*O*T]
	n := len(t.row)
	for q := 0; q < T; q++ {
		row := append(append(t.row[:n], ','), t.periods[q]...)
		for o := 0; o < O; o++ {
			row = strconv.AppendFloat(append(row, ','), vals[o*T+q], 'g', -1, 64)
		}
		t.row = append(row, '\n')
		if _, err := t.bw.Write(t.row); err != nil {
			return err
		}
	}
	return nil
}

func (t *csvTable) close() error {
	err := t.bw.Flush()
	if t.f == nil {
		return err
	}
	if err != nil {
		t.f.Close()
		return err
	}
	return t.f.Close()
}

func (t *csvTable) abort() {
	if t.f != nil {
		t.f.Close()
		_ = os.Remove(t.f.Name())
	}
}

// writeCSVTable writes a result's held runs (an exact result) to w as
// params.csv or samples.csv.
func writeCSVTable(w io.Writer, res *sim.Result, samples bool) error {
	l := LayoutOf("", res)
	tb, err := newCSVTable(l, w, samples)
	if err != nil {
		return err
	}
	t := newRunTables(l)
	t.tables = []chunkTable{tb}
	if err := t.feed(res); err != nil {
		return err
	}
	return tb.close()
}
