package main

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Acceptance 1 of the scale issue: --shard into 1, 3 and 7 parts, then
// merge, gives byte-identical summary.csv (and params.csv) to one
// unsharded run.
func TestShardsThenMergeEqualOneRun(t *testing.T) {
	base := t.TempDir()
	whole := filepath.Join(base, "whole")
	code, _, stderr := cli(t, "run", "--runs", "700", "--seed", "5", "--no-charts", "--quiet", "--out", whole)
	require.Equal(t, 0, code, stderr)
	want, _ := os.ReadFile(filepath.Join(whole, "summary.csv"))
	wantParams, _ := os.ReadFile(filepath.Join(whole, "params.csv"))
	for _, n := range []int{1, 3, 7} {
		var dirs []string
		for i := 0; i < n; i++ {
			d := filepath.Join(base, fmt.Sprintf("s%d-%d", n, i))
			code, stdout, stderr := cli(t, "run", "--runs", "700", "--seed", "5", "--shard", fmt.Sprintf("%d/%d", i, n), "--workers", fmt.Sprint(1+i%2), "--out", d)
			require.Equal(t, 0, code, stderr)
			assert.Contains(t, stdout, fmt.Sprintf("shard %d/%d", i, n))
			dirs = append(dirs, d)
		}
		merged := filepath.Join(base, fmt.Sprintf("merged%d", n))
		code, _, stderr := cli(t, append([]string{"merge", "--no-charts", "--quiet", "--out", merged}, dirs...)...)
		require.Equal(t, 0, code, stderr)
		got, _ := os.ReadFile(filepath.Join(merged, "summary.csv"))
		gotParams, _ := os.ReadFile(filepath.Join(merged, "params.csv"))
		assert.True(t, bytes.Equal(want, got), "summary.csv differs after %d shards", n)
		assert.True(t, bytes.Equal(wantParams, gotParams), "params.csv differs after %d shards", n)
	}
}

// Acceptance 4 of the registry issue: a run of 3,001 runs (more than
// three chunks of ChunkRuns, with a short last one) sharded 0/3, 1/3, 2/3
// and merged writes the same summary.csv, params.csv and events.json as
// the unsharded run, and charts marked with the same policy events.
func TestMergeWritesWhatOneRunWrites(t *testing.T) {
	whole, merged := wholeAndMerged(t, []string{"run", "--runs", "3001", "--seed", "5", "--quiet"})
	for _, f := range []string{"summary.csv", "params.csv", "events.json"} {
		a, err := os.ReadFile(filepath.Join(whole, f))
		require.NoError(t, err)
		b, err := os.ReadFile(filepath.Join(merged, f))
		require.NoError(t, err)
		assert.Equal(t, string(a), string(b), "%s differs", f)
	}
	assert.Contains(t, mustRead(t, filepath.Join(merged, "events.json")), `"period"`, "the merged events.json marks events")
	wantCharts, err := os.ReadDir(filepath.Join(whole, "charts"))
	require.NoError(t, err)
	require.NotEmpty(t, wantCharts)
	for _, e := range wantCharts {
		a, err := os.ReadFile(filepath.Join(whole, "charts", e.Name()))
		require.NoError(t, err)
		b, err := os.ReadFile(filepath.Join(merged, "charts", e.Name()))
		require.NoError(t, err)
		assert.True(t, bytes.Equal(a, b), "charts/%s differs", e.Name())
	}
}

func mustRead(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	require.NoError(t, err)
	return string(b)
}

// A compare split into shards merges into the same diff.csv.
func TestCompareShards(t *testing.T) {
	whole, merged := wholeAndMerged(t, []string{"compare", "current-policy", "no-controls", "--runs", "300", "--no-charts", "--quiet"}, "--no-charts")
	for _, f := range []string{"summary.csv", "diff.csv", "events.json"} {
		a, _ := os.ReadFile(filepath.Join(whole, f))
		b, _ := os.ReadFile(filepath.Join(merged, f))
		assert.True(t, bytes.Equal(a, b), "%s differs", f)
	}
}

// Shards of one batch mark the same events; a shard folder whose
// events.json says otherwise was edited, and merge writes nothing.
func TestMergeRefusesDisagreeingEvents(t *testing.T) {
	base := t.TempDir()
	var dirs []string
	for i := 0; i < 2; i++ {
		d := filepath.Join(base, fmt.Sprint(i))
		code, _, stderr := cli(t, "run", "--runs", "200", "--shard", fmt.Sprintf("%d/2", i), "--quiet", "--out", d)
		require.Equal(t, 0, code, stderr)
		dirs = append(dirs, d)
	}
	ev := filepath.Join(dirs[1], "events.json")
	b := mustRead(t, ev)
	require.Contains(t, b, `"label":`)
	require.NoError(t, os.WriteFile(ev, []byte(strings.Replace(b, `"label": "`, `"label": "Edited `, 1)), 0o644))
	out := filepath.Join(base, "m")
	code, _, stderr := cli(t, append([]string{"merge", "--out", out}, dirs...)...)
	assert.Equal(t, 2, code)
	assert.Contains(t, stderr, "mark different events for scenario current-policy")
	_, err := os.Stat(out)
	assert.True(t, os.IsNotExist(err))
}

func TestMergeRefusesIncompleteShards(t *testing.T) {
	base := t.TempDir()
	d := filepath.Join(base, "s0")
	code, _, _ := cli(t, "run", "--runs", "200", "--shard", "0/2", "--quiet", "--out", d)
	require.Equal(t, 0, code)
	out := filepath.Join(base, "m")
	code, _, stderr := cli(t, "merge", "--out", out, d)
	assert.Equal(t, 2, code)
	assert.Contains(t, stderr, "runs 128-199 are missing: a shard is absent")
	_, err := os.Stat(out)
	assert.True(t, os.IsNotExist(err))
}

func TestParseShard(t *testing.T) {
	env := func(kv map[string]string) func(string) string { return func(k string) string { return kv[k] } }
	for _, c := range []struct {
		s    string
		env  map[string]string
		i, n int
		err  string
	}{
		{s: "2/7", i: 2, n: 7},
		{s: "auto", env: map[string]string{"SLURM_ARRAY_TASK_ID": "3", "SLURM_ARRAY_TASK_COUNT": "4"}, i: 3, n: 4},
		{s: "auto", env: map[string]string{"SLURM_ARRAY_TASK_ID": "5", "SLURM_ARRAY_TASK_MIN": "1", "SLURM_ARRAY_TASK_COUNT": "8"}, i: 4, n: 8},
		{s: "auto/5", env: map[string]string{"JOB_COMPLETION_INDEX": "4"}, i: 4, n: 5},
		{s: "7/7", err: "--shard: shard index 7 is outside 0 to 6"},
		{s: "x/3", err: `--shard: expected i/N with i a whole number, found "x/3"`},
		{s: "3", err: `--shard: expected i/N (e.g. 0/4), auto or auto/N, found "3"`},
		{s: "auto", err: "--shard: auto needs SLURM_ARRAY_TASK_ID and SLURM_ARRAY_TASK_COUNT"},
		{s: "auto/2", err: "--shard: auto/N needs JOB_COMPLETION_INDEX"},
	} {
		i, n, err := parseShard(c.s, env(c.env))
		if c.err != "" {
			require.Error(t, err, c.s)
			assert.Contains(t, err.Error(), c.err)
			continue
		}
		require.NoError(t, err, c.s)
		assert.Equal(t, [2]int{c.i, c.n}, [2]int{i, n}, c.s)
	}
}

// The progress bar is drawn only on a terminal: never into a pipe or a
// buffer, so logs and CI output stay clean.
func TestNoProgressOffTerminal(t *testing.T) {
	var buf bytes.Buffer
	p := newProgress(&buf, 100, false, "runs")
	p.start = p.start.Add(-2 * progressDelay) // long past the delay
	p.update(50)
	p.finish()
	assert.Empty(t, buf.String())
	r, w, err := os.Pipe()
	require.NoError(t, err)
	defer r.Close()
	defer w.Close()
	assert.False(t, newProgress(w, 100, false, "runs").enabled, "a pipe is not a terminal")
}

// wholeAndMerged runs args unsharded and as shards 0/3, 1/3, 2/3, merges
// the shards (with mergeFlags), and returns the two results folders.
func wholeAndMerged(t *testing.T, args []string, mergeFlags ...string) (whole, merged string) {
	t.Helper()
	base := t.TempDir()
	whole = filepath.Join(base, "whole")
	code, _, stderr := cli(t, append(args, "--out", whole)...)
	require.Equal(t, 0, code, stderr)
	var dirs []string
	for i := 0; i < 3; i++ {
		d := filepath.Join(base, fmt.Sprint(i))
		code, _, stderr := cli(t, append(args, "--shard", fmt.Sprintf("%d/3", i), "--out", d)...)
		require.Equal(t, 0, code, stderr)
		dirs = append(dirs, d)
	}
	merged = filepath.Join(base, "merged")
	mergeArgs := append(append([]string{"merge", "--quiet"}, mergeFlags...), "--out", merged)
	code, _, stderr = cli(t, append(mergeArgs, dirs...)...)
	require.Equal(t, 0, code, stderr)
	return whole, merged
}
