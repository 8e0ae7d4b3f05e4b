package output

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"io"
	"strconv"
	"strings"

	"github.com/chokepoint-sim/chokepoint/sim"
)

// SummaryHeader is the column list of summary.csv (DESIGN.md).
var SummaryHeader = []string{"scenario", "output", "unit", "period", "year",
	"mean", "sd", "p05", "p10", "p25", "p50", "p75", "p90", "p95", "runs"}

// num formats a float as the shortest text that reads back to the same
// value, so files are exact and byte-identical for identical numbers.
func num(v float64) string { return strconv.FormatFloat(v, 'g', -1, 64) }

// WriteSummary writes summary.csv: one row per scenario, output and period.
func WriteSummary(w io.Writer, reg *sim.Registry, span sim.Span, sums []sim.Summary) error {
	cw := newCSV(w)
	if err := cw.Write(SummaryHeader); err != nil {
		return err
	}
	T := span.Len()
	row := make([]string, len(SummaryHeader))
	for _, s := range sums {
		for o, out := range reg.Outputs {
			for t, per := range span.Periods() {
				st := s.Stats[o*T+t]
				row[0], row[1], row[2] = s.Scenario.Name, out.Key, out.Unit
				row[3], row[4] = per.String(), strconv.Itoa(per.Year())
				row[5], row[6] = num(st.Mean), num(st.SD)
				for i, q := range st.Q {
					row[7+i] = num(q)
				}
				row[14] = strconv.Itoa(st.N)
				if err := cw.Write(row); err != nil {
					return err
				}
			}
		}
	}
	return cw.Flush()
}

// WriteParams writes params.csv: each run's drawn parameters, one row per
// scenario and run. Numbers are appended directly (they never need CSV
// quoting, and Cell leaves numbers as they are), which makes this several
// times faster than a csv.Writer for the batch's largest table; the
// header and the scenario's name go through csvWriter.
func WriteParams(w io.Writer, res *sim.Result) error {
	bw := bufio.NewWriterSize(w, 1<<20)
	cw := newCSV(bw)
	reg := res.Registry
	if err := cw.Write(append([]string{"scenario", "run"}, reg.ParamKeys()...)); err != nil {
		return err
	}
	if err := cw.Flush(); err != nil {
		return err
	}
	P := len(reg.Params)
	var row []byte
	for _, sr := range res.Scenarios {
		var name bytes.Buffer
		nw := newCSV(&name)
		_ = nw.Write([]string{sr.Scenario.Name})
		_ = nw.Flush()
		prefix := bytes.TrimRight(name.Bytes(), "\n")
		for r := 0; r < res.N(); r++ {
			row = append(row[:0], prefix...)
			row = append(row, ',')
			row = strconv.AppendInt(row, int64(res.Lo+r), 10)
			for _, v := range sr.Params[r*P : (r+1)*P] {
				row = append(row, ',')
				row = strconv.AppendFloat(row, v, 'g', -1, 64)
			}
			row = append(row, '\n')
			if _, err := bw.Write(row); err != nil {
				return err
			}
		}
	}
	return bw.Flush()
}

// Cell neutralises text that a spreadsheet would run as a formula (OWASP
// "CSV injection"): a leading =, +, -, @, tab or carriage return gets a
// single quote in front, unless the cell is a number (-1.5, -Inf), which
// a spreadsheet reads as one. Every cell of every CSV file chokepoint
// writes goes through here (csvWriter).
func Cell(s string) string {
	if s == "" || !strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return s
	}
	if _, err := strconv.ParseFloat(s, 64); err == nil {
		return s
	}
	return "'" + s
}

// csvWriter writes CSV with every cell through Cell, headers included, so
// that no table can let a formula through.
type csvWriter struct {
	w   *csv.Writer
	row []string
}

func newCSV(w io.Writer) *csvWriter { return &csvWriter{w: csv.NewWriter(w)} }

// Write writes one row, each cell neutralised.
func (c *csvWriter) Write(row []string) error {
	c.row = c.row[:0]
	for _, s := range row {
		c.row = append(c.row, Cell(s))
	}
	return c.w.Write(c.row)
}

// Flush writes what is buffered and reports any error so far.
func (c *csvWriter) Flush() error {
	c.w.Flush()
	return c.w.Error()
}

// DiffHeader is the column list of diff.csv: per scenario against the
// base, output and period, the runs, the shares of runs in which the
// scenario is higher and differs at all, then the paired difference
// (scenario − base, run by run) and the paired ratio (scenario ÷ base,
// over the ratio_runs runs in which it is a number of at least 0).
var DiffHeader = []string{"scenario", "base", "output", "unit", "period", "year", "runs",
	"share_higher", "share_changed",
	"diff_mean", "diff_sd", "diff_p05", "diff_p10", "diff_p25", "diff_p50", "diff_p75", "diff_p90", "diff_p95",
	"ratio_runs", "ratio_mean", "ratio_sd", "ratio_p05", "ratio_p10", "ratio_p25", "ratio_p50", "ratio_p75", "ratio_p90", "ratio_p95"}

// WriteDiff writes diff.csv: for each scenario against the base, each
// output and period, the distributions of the paired difference and of the
// paired ratio, and the shares of runs in which the scenario is higher and
// in which it differs at all. A ratio with no run to summarise (the base
// never above 0) is written as NaN.
func WriteDiff(w io.Writer, reg *sim.Registry, span sim.Span, diffs []sim.Diff) error {
	cw := newCSV(w)
	if err := cw.Write(DiffHeader); err != nil {
		return err
	}
	T := span.Len()
	row := make([]string, 0, len(DiffHeader))
	for _, d := range diffs {
		for o, out := range reg.Outputs {
			for t, per := range span.Periods() {
				c := o*T + t
				st, rt := d.Stats[c], d.Ratio[c]
				row = append(row[:0], d.Other.Name, d.Base.Name, out.Key, out.Unit, per.String(), strconv.Itoa(per.Year()),
					strconv.Itoa(st.N), num(d.ShareHigher[c]), num(d.ShareChanged[c]), num(st.Mean), num(st.SD))
				for _, q := range st.Q {
					row = append(row, num(q))
				}
				row = append(row, strconv.Itoa(rt.N), num(rt.Mean), num(rt.SD))
				for _, q := range rt.Q {
					row = append(row, num(q))
				}
				if err := cw.Write(row); err != nil {
					return err
				}
			}
		}
	}
	return cw.Flush()
}

// WriteSamples writes samples.csv: every run's value of every output at
// every period, one row per scenario, run and period, one column per output
// (wide enough for pandas, R or DuckDB to pivot as they like).
func WriteSamples(w io.Writer, res *sim.Result) error {
	cw := newCSV(w)
	reg := res.Registry
	if err := cw.Write(append([]string{"scenario", "run", "period"}, reg.OutputKeys()...)); err != nil {
		return err
	}
	T := res.Span.Len()
	C := res.Cells()
	O := len(reg.Outputs)
	row := make([]string, 3+O)
	periods := res.Span.Periods()
	for _, sr := range res.Scenarios {
		for r := 0; r < res.N(); r++ {
			vals := sr.Values[r*C : (r+1)*C]
			for t, per := range periods {
				row[0], row[1], row[2] = sr.Scenario.Name, strconv.Itoa(res.Lo+r), per.String()
				for o := 0; o < O; o++ {
					row[3+o] = num(vals[o*T+t])
				}
				if err := cw.Write(row); err != nil {
					return err
				}
			}
		}
	}
	return cw.Flush()
}
