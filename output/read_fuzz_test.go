package output

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/chokepoint-sim/chokepoint/sim"
	"github.com/stretchr/testify/require"
)

// head keeps the first n lines of a CSV file: a seed small enough to
// mutate quickly, still a real file.
func head(b []byte, n int) []byte {
	lines := bytes.SplitAfterN(b, []byte("\n"), n+1)
	return bytes.Join(lines[:min(n, len(lines))], nil)
}

// FuzzReadResults reads a results folder of fuzzed files: manifest.json,
// summary.csv, diff.csv, samples.csv, events.json and sensitivity.csv (an
// empty input leaves the file out). ReadResults returns data whose every
// chart has a plain file name (no separator, no "..": nothing can be
// written outside the charts folder), or an InputError; it never panics,
// hangs or holds more than the bounds of readcheck.go. Seeds are the files
// of a real three-scenario batch, cut short.
func FuzzReadResults(f *testing.F) {
	files := folderFiles(f, 3)
	sens := []byte("method,scenario,output,period,parameter,measure,value,lo95,hi95,p_value,runs\n" +
		"prcc,current-policy,compute_stock_h100e,2030Q4,fab.yield,prcc,0.5,0.4,0.6,0.01,3\n" +
		"prcc,current-policy,compute_stock_h100e,2030Q4,demand.share,prcc,-0.2,NaN,NaN,0.3,3\n")
	f.Add(files[ManifestName], head(files["summary.csv"], 12), head(files["diff.csv"], 6), head(files["samples.csv"], 6), files[EventsName], []byte(nil))
	f.Add(files[ManifestName], []byte(nil), []byte(nil), []byte(nil), []byte(nil), sens)
	base := f.TempDir()
	n := 0
	f.Fuzz(func(t *testing.T, manifest, summary, diff, samples, events, sensitivity []byte) {
		n++
		dir := filepath.Join(base, fmt.Sprint(n))
		require.NoError(t, os.Mkdir(dir, 0o755))
		defer os.RemoveAll(dir)
		for name, b := range map[string][]byte{ManifestName: manifest, "summary.csv": summary, "diff.csv": diff,
			"samples.csv": samples, EventsName: events, "sensitivity.csv": sensitivity} {
			if len(b) > 0 {
				require.NoError(t, os.WriteFile(filepath.Join(dir, name), b, 0o644))
			}
		}
		d, err := ReadResults(dir, nil)
		if err != nil {
			var ie *sim.InputError
			require.ErrorAs(t, err, &ie, "%v is not an InputError", err)
			return
		}
		charts, err := Charts(ChartSpec{Kinds: []string{KindFan, KindCompare, KindDiff, KindSpaghetti, KindDistribution, KindTornado, KindImportance}}, d)
		if err != nil {
			return // a spec the data cannot draw: refused before drawing
		}
		for _, c := range charts {
			require.Equal(t, c.Name, filepath.Base(c.Name), "chart name %q", c.Name)
			require.NotEqual(t, "..", c.Name, "chart name %q", c.Name)
			require.NotEqual(t, ".", c.Name, "chart name %q", c.Name)
		}
	})
}
