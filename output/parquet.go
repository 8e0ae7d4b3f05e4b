package output

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"reflect"

	"github.com/parquet-go/parquet-go"
	"github.com/parquet-go/parquet-go/compress/zstd"

	"github.com/chokepoint-sim/chokepoint/sim"
)

// Parquet files (docs/data-format.md): the columns of the CSV file of the
// same name, in the same order, strings as UTF-8 (dictionary-encoded),
// run and year as INT64, numbers as DOUBLE in BYTE_STREAM_SPLIT encoding
// (about 10% smaller than plain once compressed: the exponent bytes of
// neighbouring values gather), zstd-compressed. created_by names
// chokepoint and its version and nothing else varies, so the same runs
// give the same bytes.

// pqKind is the type of a Parquet column.
type pqKind int

const (
	pqString pqKind = iota
	pqInt
	pqDouble
)

type pqCol struct {
	name string
	kind pqKind
}

// parquetSchema is a schema with the columns in the order given (a
// parquet.Group would sort them by name): built from a struct type made
// for it.
func parquetSchema(name string, cols []pqCol) *parquet.Schema {
	fields := make([]reflect.StructField, len(cols))
	for i, c := range cols {
		typ, tag := reflect.TypeFor[float64](), c.name
		switch c.kind {
		case pqString:
			typ, tag = reflect.TypeFor[string](), c.name+",dict"
		case pqInt:
			typ = reflect.TypeFor[int64]()
		}
		fields[i] = reflect.StructField{Name: fmt.Sprintf("F%d", i), Type: typ, Tag: reflect.StructTag(`parquet:"` + tag + `"`)}
	}
	return parquet.NewSchema(name, parquet.SchemaOf(reflect.New(reflect.StructOf(fields)).Interface()))
}

// runColumns are the columns of params (samples false) or samples.
func runColumns(reg *sim.Registry, samples bool) []pqCol {
	cols := []pqCol{{"scenario", pqString}, {"run", pqInt}}
	keys := reg.ParamKeys()
	if samples {
		cols = append(cols, pqCol{"period", pqString})
		keys = reg.OutputKeys()
	}
	for _, k := range keys {
		cols = append(cols, pqCol{k, pqDouble})
	}
	return cols
}

// newParquetWriter writes schema to w with chokepoint's settings.
func newParquetWriter(w io.Writer, schema *parquet.Schema, version string) *parquet.GenericWriter[any] {
	return parquet.NewGenericWriter[any](w, schema,
		createdBy("chokepoint version "+version),
		parquet.Compression(&zstd.Codec{Level: zstd.SpeedFastest}),
		parquet.DefaultEncodingFor(parquet.Double, &parquet.ByteStreamSplit))
}

// createdBy sets a file's created_by to exactly its text:
// parquet.CreatedBy always appends "(build BUILD)", which chokepoint has
// none of (docs/data-format.md: "chokepoint version VERSION").
type createdBy string

// ConfigureWriter implements parquet.WriterOption.
func (c createdBy) ConfigureWriter(cfg *parquet.WriterConfig) { cfg.CreatedBy = string(c) }

// groupValues is about how many values a row group of a per-run table
// holds (32 MB as doubles): row groups end on whole chunks of runs at
// multiples of the same run count however the batch is sharded, so that
// merged shards are byte for byte the unsharded file.
const groupValues = 4 << 20

// groupRuns is the runs of a row group of a table of rowsPerRun rows of
// cols columns a run: a multiple of sim.ChunkRuns.
func groupRuns(rowsPerRun, cols int) int {
	n := groupValues / (rowsPerRun * cols) / sim.ChunkRuns * sim.ChunkRuns
	return max(n, sim.ChunkRuns)
}

// parquetTable writes params.parquet or samples.parquet.
type parquetTable struct {
	l         TableLayout
	samples   bool
	f         *os.File
	w         *parquet.GenericWriter[any]
	rows      int // rows a run
	groupRuns int
	names     []parquet.Value
	periods   []parquet.Value
	vals      []parquet.Value
}

func newParquetTable(l TableLayout, path string, samples bool) (*parquetTable, error) {
	f, err := os.Create(path)
	if err != nil {
		return nil, err
	}
	cols := runColumns(l.Registry, samples)
	name := "params"
	// The writer buffers each column chunk and writes it whole: no
	// bufio.Writer between it and the file.
	t := &parquetTable{l: l, samples: samples, f: f, rows: len(l.Scenarios)}
	if samples {
		name, t.rows = "samples", len(l.Scenarios)*l.Span.Len()
		for _, p := range l.Span.Periods() {
			t.periods = append(t.periods, parquet.ByteArrayValue([]byte(p.String())).Level(0, 0, 2))
		}
	}
	for _, n := range l.Scenarios {
		t.names = append(t.names, parquet.ByteArrayValue([]byte(n)).Level(0, 0, 0))
	}
	t.w = newParquetWriter(newStreamFile(t.f), parquetSchema(name, cols), l.Version)
	t.groupRuns = groupRuns(t.rows, len(cols))
	return t, nil
}

// writeChunk writes ch's rows column by column, and ends the row group
// when ch ends on a multiple of groupRuns.
func (t *parquetTable) writeChunk(ch *runChunk) error {
	cws := t.w.ColumnWriters()
	for ci, cw := range cws {
		t.vals = t.fill(t.vals[:0], ch, ci)
		if _, err := cw.WriteRowValues(t.vals); err != nil {
			return err
		}
	}
	if (ch.lo+ch.n)%t.groupRuns == 0 {
		return t.w.Flush()
	}
	return nil
}

// fill appends column ci's values of ch's rows to vals: one loop per
// column, as this runs for every value of the batch. The double columns'
// values carry no levels or column index: the column writer ignores them
// in required columns.
func (t *parquetTable) fill(vals []parquet.Value, ch *runChunk, ci int) []parquet.Value {
	S := len(t.l.Scenarios)
	T := 1 // rows a (run, scenario)
	if t.samples {
		T = t.l.Span.Len()
	}
	pairs := ch.n * S
	switch {
	case ci == 0:
		for i := 0; i < pairs; i++ {
			for range T {
				vals = append(vals, t.names[i%S])
			}
		}
	case ci == 1:
		for i := 0; i < pairs; i++ {
			v := parquet.Int64Value(int64(ch.lo+i/S)).Level(0, 0, 1)
			for range T {
				vals = append(vals, v)
			}
		}
	case ci == 2 && t.samples:
		for i := 0; i < pairs; i++ {
			vals = append(vals, t.periods...)
		}
	case t.samples:
		C := len(t.l.Registry.Outputs) * T
		for i := 0; i < pairs; i++ {
			for _, v := range ch.values[i*C+(ci-3)*T : i*C+(ci-2)*T] {
				vals = append(vals, parquet.DoubleValue(v))
			}
		}
	default:
		P := len(t.l.Registry.Params)
		for i := 0; i < pairs; i++ {
			vals = append(vals, parquet.DoubleValue(ch.params[i*P+ci-2]))
		}
	}
	return vals
}

func (t *parquetTable) close() error {
	err := t.w.Close()
	if err != nil {
		t.f.Close()
		return err
	}
	return t.f.Close()
}

func (t *parquetTable) abort() {
	t.f.Close()
	_ = os.Remove(t.f.Name())
}

// WriteSummaryParquet writes summary.parquet: summary.csv's columns and
// rows (SummaryHeader).
func WriteSummaryParquet(path, version string, reg *sim.Registry, span sim.Span, sums []sim.Summary) error {
	cols := make([]pqCol, len(SummaryHeader))
	for i, h := range SummaryHeader {
		cols[i] = pqCol{h, pqDouble}
		switch h {
		case "scenario", "output", "unit", "period":
			cols[i].kind = pqString
		case "year", "runs":
			cols[i].kind = pqInt
		}
	}
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer f.Close()
	bw := bufio.NewWriterSize(f, 1<<20)
	w := newParquetWriter(bw, parquetSchema("summary", cols), version)
	T := span.Len()
	row := make(parquet.Row, len(cols))
	for _, s := range sums {
		for o, out := range reg.Outputs {
			for t, per := range span.Periods() {
				st := s.Stats[o*T+t]
				row[0], row[1] = parquet.ByteArrayValue([]byte(s.Scenario.Name)), parquet.ByteArrayValue([]byte(out.Key))
				row[2], row[3] = parquet.ByteArrayValue([]byte(out.Unit)), parquet.ByteArrayValue([]byte(per.String()))
				row[4] = parquet.Int64Value(int64(per.Year()))
				row[5], row[6] = parquet.DoubleValue(st.Mean), parquet.DoubleValue(st.SD)
				for i, q := range st.Q {
					row[7+i] = parquet.DoubleValue(q)
				}
				row[14] = parquet.Int64Value(int64(st.N))
				for i := range row {
					row[i] = row[i].Level(0, 0, i)
				}
				if _, err := w.WriteRows([]parquet.Row{row}); err != nil {
					return err
				}
			}
		}
	}
	if err := w.Close(); err != nil {
		return err
	}
	if err := bw.Flush(); err != nil {
		return err
	}
	return f.Close()
}
