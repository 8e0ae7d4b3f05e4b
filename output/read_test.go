package output

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/chokepoint-sim/chokepoint/sim"
)

// folderFiles returns the files of a results folder of testResult(runs):
// manifest, summary, differences, samples and events.
func folderFiles(t testing.TB, runs int) map[string][]byte {
	t.Helper()
	res := testResult(runs)
	sums, diffs := res.Summaries(0), res.PairedDiffs(0, 0)
	files := map[string][]byte{}
	for name, f := range map[string]func(w *bytes.Buffer) error{
		"summary.csv": func(w *bytes.Buffer) error { return WriteSummary(w, res.Registry, res.Span, sums) },
		"diff.csv":    func(w *bytes.Buffer) error { return WriteDiff(w, res.Registry, res.Span, diffs) },
		"samples.csv": func(w *bytes.Buffer) error { return WriteSamples(w, res) },
	} {
		var buf bytes.Buffer
		require.NoError(t, f(&buf))
		files[name] = buf.Bytes()
	}
	dir := t.TempDir()
	require.NoError(t, WriteEvents(filepath.Join(dir, EventsName), res))
	require.NoError(t, WriteJSON(filepath.Join(dir, ManifestName), NewManifest("0.1.0", res, "mc", testTime, testTime)))
	for _, name := range []string{EventsName, ManifestName} {
		b, err := os.ReadFile(filepath.Join(dir, name))
		require.NoError(t, err)
		files[name] = b
	}
	return files
}

func writeFolder(t testing.TB, dir string, files map[string][]byte) {
	t.Helper()
	for name, b := range files {
		require.NoError(t, os.WriteFile(filepath.Join(dir, name), b, 0o644))
	}
}

// edit replaces the first old in s by new.
func edit(t *testing.T, s []byte, old, new string) []byte {
	t.Helper()
	require.True(t, bytes.Contains(s, []byte(old)), "%q holds %q", s[:min(len(s), 80)], old)
	return bytes.Replace(s, []byte(old), []byte(new), 1)
}

// A tampered file is bad input (sim.InputError, exit 2) with a located
// message: its path and line, the column, what was expected.
func TestReadResultsRefusesImpossibleValues(t *testing.T) {
	good := folderFiles(t, 5)
	// The second line of summary.csv: current-policy, compute_stock_h100e,
	// 2020Q1; of diff.csv, no-controls against current-policy.
	summaryRow := strings.SplitN(string(good["summary.csv"]), "\n", 3)[1]
	diffRow := strings.SplitN(string(good["diff.csv"]), "\n", 3)[1]
	field := func(row string, i int) string { return strings.Split(row, ",")[i] }
	with := func(row string, i int, v string) string {
		f := strings.Split(row, ",")
		f[i] = v
		return strings.Join(f, ",")
	}
	for _, c := range []struct {
		file, old, new, want string
	}{
		// Columns of SummaryHeader: 6 is sd, 7-13 the quantiles, 14 runs.
		{"summary.csv", summaryRow, with(summaryRow, 6, "-1"), "summary.csv:2: sd: expected 0 or more"},
		{"summary.csv", summaryRow, with(summaryRow, 7, "1e300"), "summary.csv:2: p10:"},
		{"summary.csv", summaryRow, with(summaryRow, 14, "6"), "summary.csv:2: runs: expected a whole number from 0 to 5"},
		{"summary.csv", summaryRow, with(summaryRow, 5, "x"), `summary.csv:2: mean: expected a number, found "x"`},
		{"summary.csv", summaryRow, summaryRow + "\n" + summaryRow, "summary.csv:3: scenario current-policy, output compute_stock_h100e, period 2020Q1: a second row"},
		{"summary.csv", summaryRow, with(summaryRow, 3, "2040Q1"), "summary.csv:2: period 2040Q1 is outside 2020Q1-2035Q4"},
		{"summary.csv", summaryRow, summaryRow + ",extra", "summary.csv:2: wrong number of fields"},
		{"summary.csv", summaryRow, `"` + strings.Repeat("x", MaxRecordBytes+1), "a record longer than"},
		// Columns of DiffHeader: 7 is share_higher, 8 share_changed, 10 diff_sd, 18 ratio_runs, 21-27 the ratio's quantiles.
		{"diff.csv", diffRow, with(diffRow, 7, "half"), "diff.csv:2: share_higher: expected a number"},
		{"diff.csv", diffRow, with(diffRow, 7, "1.5"), "diff.csv:2: share_higher: expected a share from 0 to 1, found 1.5"},
		{"diff.csv", diffRow, with(diffRow, 8, "-0.1"), "diff.csv:2: share_changed: expected a share from 0 to 1, found -0.1"},
		{"diff.csv", diffRow, with(diffRow, 10, "-1"), "diff.csv:2: diff_sd: expected 0 or more"},
		{"diff.csv", diffRow, with(diffRow, 18, "6"), "diff.csv:2: ratio_runs: expected a whole number from 0 to 5"},
		{"diff.csv", diffRow, with(diffRow, 22, "1e300"), "diff.csv:2: ratio_p25:"},
		{"diff.csv", diffRow, with(diffRow, 1, field(diffRow, 0)), "diff.csv:2: scenario no-controls is its own base"},
		{"samples.csv", "\ncurrent-policy,0,", "\ncurrent-policy,-1,", "samples.csv:2: run: expected a whole number from 0 to 4"},
		{ManifestName, `"runs": 5`, `"runs": 5000000`, "runs 5000000"},
		{ManifestName, `"runs": 5`, `"runs": "5"`, "manifest.json:6: json: cannot unmarshal"},
		{ManifestName, `"from": "2020Q1"`, `"from": "1900Q1"`, "periods: expected from 1900Q1 to at most 400 quarters later"},
		{ManifestName, `"title": "Current policy"`, `"title": "a\u0007b"`, "scenarios[0].title: expected text without control characters"},
		{EventsName, `"period": "2022Q4"`, `"period": null`, "events.json: [0].events[0].period"},
		{EventsName, `"scenario": "no-controls"`, `"scenario": "current-policy"`, `"current-policy" is not a scenario of manifest.json, or is there twice`},
	} {
		dir := t.TempDir()
		files := map[string][]byte{}
		for k, v := range good {
			files[k] = v
		}
		files[c.file] = edit(t, files[c.file], c.old, c.new)
		writeFolder(t, dir, files)
		_, err := ReadResults(dir, nil)
		require.Error(t, err, c.want)
		var ie *sim.InputError
		assert.True(t, errors.As(err, &ie), "%s: %v is bad input", c.want, err)
		assert.Contains(t, err.Error(), c.want)
	}
}

// The folder as written reads back.
func TestReadResultsReadsWhatIsWritten(t *testing.T) {
	dir := t.TempDir()
	writeFolder(t, dir, folderFiles(t, 5))
	d, err := ReadResults(dir, nil)
	require.NoError(t, err)
	assert.Len(t, d.Scenarios, 3) // testResult's three scenarios
	assert.Len(t, d.Diffs, 2)     // each against the first
	assert.Equal(t, []int{0, 1, 2, 3, 4}, d.Samples.Runs)
}

// A folder describing more cells than a reader holds is refused before
// anything is allocated for them: 11 scenarios × 1,000 outputs × 400
// quarters make 4.4 M cells, above maxCells (4,194,304).
func TestReadResultsBoundsCells(t *testing.T) {
	m := Manifest{Runs: 1, RunsTo: 1, Periods: PeriodInfo{From: "2020Q1", To: "2119Q4"}}
	for i := 0; i < 11; i++ {
		m.Scenarios = append(m.Scenarios, ScenarioInfo{Name: fmt.Sprintf("s%d", i)})
	}
	for i := 0; i < maxOutputs; i++ {
		m.Outputs = append(m.Outputs, fmt.Sprintf("o%d", i))
	}
	dir := t.TempDir()
	require.NoError(t, WriteJSON(filepath.Join(dir, ManifestName), m))
	_, err := ReadResults(dir, nil)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "make 4400000 cells; at most 4194304 are read")
}
