package output

import (
	"bytes"
	"encoding/csv"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/chokepoint-sim/chokepoint/sim"
	"github.com/chokepoint-sim/chokepoint/sim/sensitivity"
)

// Text a spreadsheet would run as a formula (OWASP CSV injection) is
// neutralised with a leading quote; other text is untouched.
func TestCellNeutralisesFormulas(t *testing.T) {
	for in, want := range map[string]string{
		"=HYPERLINK(\"http://x\")": "'=HYPERLINK(\"http://x\")",
		"+1+1":                     "'+1+1",
		"-2+3":                     "'-2+3",
		"@SUM(A1)":                 "'@SUM(A1)",
		"\tcmd":                    "'\tcmd",
		"current-policy":           "current-policy",
		"":                         "",
	} {
		assert.Equal(t, want, Cell(in), in)
	}
}

// Titles and units with commas, quotes and newlines survive a round trip
// through a standard CSV reader, and formulas arrive neutralised.
func TestCSVRoundTrip(t *testing.T) {
	reg := sim.NewRegistry(nil, nil, []sim.Output{{Key: "x", Unit: "H100e, \"training\"\nbasis", Description: "d"}})
	span := sim.Span{Start: sim.NewPeriod(2020, 1), End: sim.NewPeriod(2020, 2)}
	sc := &sim.Scenario{Name: "=cmd|' /C calc'!A0", Title: "t"}
	sums := []sim.Summary{{Scenario: sc, Stats: make([]sim.Stats, 2)}}
	var buf bytes.Buffer
	require.NoError(t, WriteSummary(&buf, reg, span, sums))
	rows, err := csv.NewReader(&buf).ReadAll()
	require.NoError(t, err)
	require.Len(t, rows, 3)
	assert.Equal(t, "'=cmd|' /C calc'!A0", rows[1][0])
	assert.Equal(t, "H100e, \"training\"\nbasis", rows[1][2])
	assert.Equal(t, "2020Q2", rows[2][3])
}

// formulaStarts are the first characters OWASP lists for CSV injection.
const formulaStarts = "=+-@\t\r"

// assertNoFormula fails for any cell of csv text that a spreadsheet would
// run: one starting with a formula character that is not a number.
func assertNoFormula(t *testing.T, what string, text []byte) {
	t.Helper()
	r := csv.NewReader(bytes.NewReader(text))
	r.FieldsPerRecord = -1
	rows, err := r.ReadAll()
	require.NoError(t, err, what)
	require.NotEmpty(t, rows, what)
	for i, row := range rows {
		for j, c := range row {
			if c == "" || !strings.ContainsRune(formulaStarts, rune(c[0])) {
				continue
			}
			_, err := strconv.ParseFloat(c, 64)
			assert.NoError(t, err, "%s row %d column %d: %q would run as a formula", what, i+1, j+1, c)
		}
	}
}

// Every CSV writer of the package, given names, keys, units and labels
// that are formulas (as a tampered folder or a hostile scenario file could
// hold), writes none of them raw: tables, wide chart tables (whose
// headers are built from scenario names), diff, sensitivity and backtest.
func TestEveryCSVWriterNeutralisesFormulas(t *testing.T) {
	evil := []string{`=HYPERLINK("http://x","y")`, "-2-3", "+1+cmd", "@SUM(A1)", "\tx", "\rx"}
	res := testResult(40)
	outs := slices.Clone(testOutputs)
	outs[0].Unit = evil[3]
	res.Registry = sim.NewRegistry([]sim.Param{{Key: evil[2], Min: 0, Max: 1, Default: "0.5"}}, nil, outs)
	for i, sr := range res.Scenarios {
		sc := *sr.Scenario
		sc.Name, sc.Title = evil[i], evil[len(evil)-1-i]
		sr.Scenario = &sc
		sr.Params = make([]float64, res.N())
	}
	reg, span := res.Registry, res.Span
	sums := res.Summaries(1)
	diffs := res.PairedDiffs(0, 1)

	writers := map[string]func(w *bytes.Buffer) error{
		"summary": func(w *bytes.Buffer) error { return WriteSummary(w, reg, span, sums) },
		"params":  func(w *bytes.Buffer) error { return WriteParams(w, res) },
		"diff":    func(w *bytes.Buffer) error { return WriteDiff(w, reg, span, diffs) },
		"samples": func(w *bytes.Buffer) error { return WriteSamples(w, res) },
		"sensitivity": func(w *bytes.Buffer) error {
			r := &sensitivity.Result{Analysis: &sensitivity.Analysis{Scenario: res.Scenarios[0].Scenario, Method: "prcc"},
				Runs: 40, Indices: []sensitivity.Index{{Measure: evil[4], Value: -0.5, Lo: -0.6, Hi: -0.4, P: 0.01}}}
			return WriteSensitivity(w, reg, span, r)
		},
		"backtest": func(w *bytes.Buffer) error {
			return WriteBacktest(w, []sim.Check{{Observation: sim.Observation{ID: evil[0], Text: evil[1], Output: "x",
				Aggregate: "value", Low: -1, Central: -2, High: -3, Unit: evil[3], Source: evil[5]}}})
		},
	}
	data := FromResult("0.1.0", res, sums, diffs).WithSamples(res)
	charts, err := Charts(ChartSpec{Wide: true}, data)
	require.NoError(t, err)
	require.NotEmpty(t, charts)
	for _, nc := range charts {
		writers["wide "+nc.Name] = func(w *bytes.Buffer) error { return WriteWide(w, nc.Wide) }
	}
	for name, write := range writers {
		var buf bytes.Buffer
		require.NoError(t, write(&buf), name)
		assertNoFormula(t, name, buf.Bytes())
	}
	// Numbers stay numbers: a negative value is not quoted.
	assert.Equal(t, "-1.5", Cell("-1.5"))
	assert.Equal(t, "-Inf", Cell("-Inf"))
}
