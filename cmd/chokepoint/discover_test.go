package main

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/chokepoint-sim/chokepoint/output"
)

// The third acceptance point, on the real model, and its second:
// discover prints a box in plain words (or says plainly there is none) and
// writes the same table whatever the number of workers.
func TestDiscoverRealModelAndWorkers(t *testing.T) {
	stock := featuredExample()
	var csvs []string
	var prints []string
	var first string
	for _, workers := range []string{"1", "2"} {
		dir := filepath.Join(t.TempDir(), "res")
		// 800 runs to 2030Q4: enough for PRIM to find the smuggling
		// formulation, cheap under -race
		code, stdout, stderr := cli(t, "discover", "current-policy", "escalation-2025", "--output", stock,
			"--at", "2030Q4", "--to", "2030Q4", "--where", "ratio > 0.8", "--runs", "800", "--seed", "3",
			"--workers", workers, "--out", dir)
		require.Equal(t, 0, code, stderr)
		b, err := os.ReadFile(filepath.Join(dir, output.DiscoverName))
		require.NoError(t, err)
		csvs = append(csvs, string(b))
		if first == "" {
			first = filepath.Join(dir, output.DiscoverName)
		}
		// the last line says how long it took
		prints = append(prints, stdout[:strings.LastIndex(strings.TrimRight(stdout, "\n"), "\n")])
		for _, c := range []string{output.TrajectoryChart, output.BoxChartName} {
			assert.FileExists(t, filepath.Join(dir, "charts", c+".png"))
		}
		assert.FileExists(t, filepath.Join(dir, output.ManifestName))
		if strings.Contains(stdout, "No box") {
			continue
		}
		assert.Regexp(t, `: \d+% of the cases of interest lie here, and \d+% of the runs here are cases, against \d+% overall\.`, stdout)
		assert.Contains(t, stdout, "quasi-p")
	}
	assert.Equal(t, csvs[0], csvs[1], "discover.csv does not depend on workers")
	assert.Equal(t, prints[0], prints[1], "the printed box does not depend on workers")

	// discover.csv: the trajectory starts from all runs, and each row's
	// coverage and density are its counts' ratios
	rows := readCSV(t, first)
	require.Equal(t, output.DiscoverHeader, rows[0])
	assert.Equal(t, []string{"trajectory", "0", "1"}, rows[1][:3])
	for _, r := range rows[1:] {
		inBox, cases, all := atoi(t, r[5]), atoi(t, r[6]), atoi(t, r[15])
		assert.InDelta(t, float64(cases)/float64(all), atof(t, r[2]), 1e-12, "coverage")
		assert.InDelta(t, float64(cases)/float64(inBox), atof(t, r[3]), 1e-12, "density")
	}
	assert.Equal(t, "box", rows[len(rows)-1][0])
}

func atoi(t *testing.T, s string) int {
	v, err := strconv.Atoi(s)
	require.NoError(t, err)
	return v
}

func atof(t *testing.T, s string) float64 {
	v, err := strconv.ParseFloat(s, 64)
	require.NoError(t, err)
	return v
}

func TestParseWhere(t *testing.T) {
	for _, c := range []struct {
		in        string
		scenarios int
		want      condition
	}{
		{"> 5e6", 1, condition{"value", ">", 5e6}},
		{"<12", 1, condition{"value", "<", 12}},
		{">= -3", 1, condition{"value", ">=", -3}},
		{"diff > 0", 2, condition{"diff", ">", 0}},
		{"ratio <= 1.1", 2, condition{"ratio", "<=", 1.1}},
	} {
		got, err := parseWhere(c.in, c.scenarios)
		require.NoError(t, err, c.in)
		assert.Equal(t, c.want, got, c.in)
	}
	for _, bad := range []string{"", "5", "> ", "== 3", "> NaN", "> inf", "diff 0", "x > 1"} {
		_, err := parseWhere(bad, 2)
		assert.Error(t, err, bad)
	}
	// a ratio whose base is 0 is no case of interest
	assert.False(t, condition{"ratio", ">", 1}.holds(0.0/zero()))
}

func zero() float64 { return 0 }

// discover --shard i/n then merge gives what one machine gives, in any
// order of the shard folders and whatever each shard's workers; merge
// refuses a set with a shard missing (exit 2, nothing written). With
// --ensemble the runs take posterior draws: the output says the check
// counts repeated draws once, and the manifest names the ensemble.
func TestDiscoverShardsAndEnsemble(t *testing.T) {
	base := t.TempDir()
	// 800 runs to 2030Q4, as in TestDiscoverRealModelAndWorkers
	args := []string{"discover", "current-policy", "escalation-2025", "--output", featuredExample(), "--at", "2030Q4",
		"--to", "2030Q4", "--where", "ratio > 0.8", "--runs", "800", "--seed", "3", "--no-charts"}
	ens := calibrated(t)
	for _, extra := range [][]string{nil, {"--ensemble", ens}} {
		name := strconv.Itoa(len(extra))
		one := filepath.Join(base, "one"+name)
		code, stdout, stderr := cli(t, append(append(args, extra...), "--out", one)...)
		require.Equal(t, 0, code, stderr)
		var shards []string
		for i, w := range []string{"1", "2"} {
			d := filepath.Join(base, "shard"+name+strconv.Itoa(i))
			code, out, stderr := cli(t, append(append(args, extra...), "--shard", strconv.Itoa(i)+"/2", "--workers", w, "--out", d)...)
			require.Equal(t, 0, code, stderr)
			assert.Contains(t, out, "shard "+strconv.Itoa(i)+"/2")
			shards = append(shards, d)
		}
		merged := filepath.Join(base, "merged"+name)
		code, mergedOut, stderr := cli(t, "merge", "--no-charts", "--out", merged, shards[1], shards[0])
		require.Equal(t, 0, code, stderr)
		assert.Equal(t, mustRead(t, filepath.Join(one, output.DiscoverName)), mustRead(t, filepath.Join(merged, output.DiscoverName)))
		cut := func(s string) string { return s[:strings.LastIndex(strings.TrimRight(s, "\n"), "\n")] }
		assert.Equal(t, cut(stdout), cut(mergedOut), "the printed box")
		m, err := output.LoadManifest(filepath.Join(merged, output.ManifestName))
		require.NoError(t, err)
		assert.Empty(t, m.Shard)
		assert.Equal(t, 800, m.RunsTo)
		if extra != nil {
			assert.Contains(t, stdout, "independent draws")
			require.NotNil(t, m.Ensemble)
			assert.Equal(t, ens, m.Ensemble.Path)
		} else {
			assert.NotContains(t, stdout, "independent draws")
		}

		missing := filepath.Join(base, "missing"+name)
		code, _, stderr = cli(t, "merge", "--out", missing, shards[1])
		assert.Equal(t, 2, code)
		assert.Contains(t, stderr, "missing")
		assert.NoDirExists(t, missing)
	}

	// a damaged table: one message naming file, line and column, exit 2
	bad := filepath.Join(base, "bad")
	require.NoError(t, os.CopyFS(bad, os.DirFS(filepath.Join(base, "shard00"))))
	rowsPath := filepath.Join(bad, output.DiscoverRowsName)
	lines := strings.Split(mustRead(t, rowsPath), "\n")
	cells := strings.Split(lines[2], ",")
	cells[2] = "NaN"
	lines[2] = strings.Join(cells, ",")
	require.NoError(t, os.WriteFile(rowsPath, []byte(strings.Join(lines, "\n")), 0o644))
	out := filepath.Join(base, "badmerge")
	code, _, stderr := cli(t, "merge", "--out", out, bad, filepath.Join(base, "shard01"))
	assert.Equal(t, 2, code)
	assert.Contains(t, stderr, output.DiscoverRowsName+": line 3, column "+strings.Split(lines[0], ",")[2]+": expected a finite number")
	assert.NoDirExists(t, out)
}
