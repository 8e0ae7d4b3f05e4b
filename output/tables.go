package output

import (
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
// run and scenario (RunTables' order), from an exact result.
func WriteParams(w io.Writer, res *sim.Result) error { return writeCSVTable(w, res, false) }

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

// WriteSamples writes samples.csv from an exact result: every run's value
// of every output at every period, one row per run, scenario and period
// (RunTables' order), one column per output (wide enough for pandas, R or
// DuckDB to pivot as they like).
func WriteSamples(w io.Writer, res *sim.Result) error { return writeCSVTable(w, res, true) }
