package main

import (
	"bytes"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// tree lists every path under root with its size and time, to tell
// whether anything was written.
func tree(t *testing.T, root string) map[string]string {
	t.Helper()
	files := map[string]string{}
	require.NoError(t, filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		files[p] = fmt.Sprint(info.Mode(), info.ModTime(), info.Size())
		return nil
	}))
	return files
}

// copyDir copies the regular files of src (one level) into dst.
func copyDir(t *testing.T, src, dst string) {
	t.Helper()
	require.NoError(t, os.MkdirAll(dst, 0o755))
	entries, err := os.ReadDir(src)
	require.NoError(t, err)
	for _, e := range entries {
		if e.Type().IsRegular() {
			b, err := os.ReadFile(filepath.Join(src, e.Name()))
			require.NoError(t, err)
			require.NoError(t, os.WriteFile(filepath.Join(dst, e.Name()), b, 0o644))
		}
	}
}

// cliWithin runs the CLI and fails the test if it does not return within
// a minute: a FIFO must not hang a reader.
func cliWithin(t *testing.T, args ...string) (int, string) {
	t.Helper()
	type result struct {
		code   int
		stderr string
	}
	done := make(chan result, 1)
	go func() {
		code, _, stderr := cli(t, args...)
		done <- result{code, stderr}
	}()
	select {
	case r := <-done:
		return r.code, r.stderr
	case <-time.After(time.Minute):
		require.FailNow(t, fmt.Sprintf("chokepoint %s did not return within a minute", strings.Join(args, " ")))
		return 0, ""
	}
}

// hostile is a scenario name that climbs out of the folder; it has the
// length of "no-controls", so that it fits state.bin's length prefix.
const hostile = "../../x/PWN"

// Names read back from a results folder become chart file names: a name
// that is not a scenario id, in any file chokepoint reads, is refused (exit
// 2) before anything is written, inside the folder or out.
func TestChartRefusesHostileNamesInEveryFile(t *testing.T) {
	base := t.TempDir()
	cmp, sens := filepath.Join(base, "cmp"), filepath.Join(base, "sens")
	code, _, stderr := cli(t, "compare", "current-policy", "no-controls", "--runs", "20", "--samples", "--no-charts", "--quiet", "--out", cmp)
	require.Equal(t, 0, code, stderr)
	code, _, stderr = cli(t, "sensitivity", "no-controls", "--runs", "150", "--output", "compute_stock_h100e", "--no-charts", "--quiet", "--out", sens)
	require.Equal(t, 0, code, stderr)
	cases := []struct {
		src   string
		files []string
	}{
		{cmp, []string{"manifest.json"}}, {cmp, []string{"summary.csv"}}, {cmp, []string{"diff.csv"}},
		{cmp, []string{"samples.csv"}}, {cmp, []string{"events.json"}}, {sens, []string{"sensitivity.csv"}},
		{cmp, []string{"manifest.json", "summary.csv", "diff.csv", "samples.csv", "events.json"}},
		{sens, []string{"manifest.json", "sensitivity.csv"}},
	}
	for i, c := range cases {
		root := filepath.Join(base, "case", string(rune('a'+i)))
		dir := filepath.Join(root, "r", "s")
		copyDir(t, c.src, dir)
		for _, f := range c.files {
			b, err := os.ReadFile(filepath.Join(dir, f))
			require.NoError(t, err)
			require.True(t, bytes.Contains(b, []byte("no-controls")), "%s names the scenario", f)
			require.NoError(t, os.WriteFile(filepath.Join(dir, f), bytes.ReplaceAll(b, []byte("no-controls"), []byte(hostile)), 0o644))
		}
		before := tree(t, root)
		code, stderr := cliWithin(t, "chart", dir)
		assert.Equal(t, 2, code, "%v: %s", c.files, stderr)
		assert.Contains(t, stderr, "lowercase letters, digits and hyphens", c.files)
		assert.Equal(t, before, tree(t, root), "%v: nothing written", c.files)
	}
}

// The same through merge: a shard's state.bin (and manifest) naming a
// scenario "../../x/PWN" is refused before anything is written.
func TestMergeRefusesHostileNames(t *testing.T) {
	base := t.TempDir()
	var shards []string
	for i, s := range []string{"0/2", "1/2"} {
		d := filepath.Join(base, "shards", string(rune('a'+i)))
		code, _, stderr := cli(t, "compare", "current-policy", "no-controls", "--runs", "200", "--shard", s, "--quiet", "--out", d)
		require.Equal(t, 0, code, stderr)
		shards = append(shards, d)
	}
	for i, files := range [][]string{{"state.bin"}, {"state.bin", "manifest.json"}} {
		root := filepath.Join(base, "case", string(rune('a'+i)))
		var dirs []string
		for _, s := range shards {
			d := filepath.Join(root, "r", filepath.Base(s))
			copyDir(t, s, d)
			dirs = append(dirs, d)
		}
		for _, f := range files {
			p := filepath.Join(dirs[0], f)
			b, err := os.ReadFile(p)
			require.NoError(t, err)
			require.True(t, bytes.Contains(b, []byte("no-controls")))
			require.NoError(t, os.WriteFile(p, bytes.ReplaceAll(b, []byte("no-controls"), []byte(hostile)), 0o644))
		}
		before := tree(t, root)
		code, stderr := cliWithin(t, append([]string{"merge", "--out", filepath.Join(root, "r", "m")}, dirs...)...)
		assert.Equal(t, 2, code, stderr)
		assert.Contains(t, stderr, "PWN", files)
		assert.Equal(t, before, tree(t, root), "%v: nothing written", files)
	}
}

// Only regular files are read back: a manifest or summary that is a link
// to /dev/zero is refused at once (it would fill memory), a state.bin that
// is a FIFO too (it would block for ever).
func TestReadsOnlyRegularFiles(t *testing.T) {
	base := t.TempDir()
	run := filepath.Join(base, "run")
	code, _, stderr := cli(t, "run", "--runs", "20", "--no-charts", "--quiet", "--out", run)
	require.Equal(t, 0, code, stderr)
	shard := filepath.Join(base, "shard")
	code, _, stderr = cli(t, "run", "--runs", "200", "--shard", "0/2", "--quiet", "--out", shard)
	require.Equal(t, 0, code, stderr)
	for _, c := range []struct {
		src, file string
		verb      []string
		make      func(string) error
		want      string
	}{
		{run, "manifest.json", []string{"chart"}, func(p string) error { return os.Symlink("/dev/zero", p) }, "not a regular file (a device)"},
		{run, "summary.csv", []string{"chart"}, func(p string) error { return os.Symlink("/dev/zero", p) }, "not a regular file (a device)"},
		{run, "events.json", []string{"chart"}, func(p string) error { return syscall.Mkfifo(p, 0o644) }, "not a regular file (a named pipe)"},
		{shard, "manifest.json", []string{"merge", "--out", filepath.Join(base, "m")}, func(p string) error { return os.Symlink("/dev/zero", p) }, "not a regular file (a device)"},
		{shard, "state.bin", []string{"merge", "--out", filepath.Join(base, "m")}, func(p string) error { return syscall.Mkfifo(p, 0o644) }, "not a regular file (a named pipe)"},
	} {
		dir := filepath.Join(base, "case-"+filepath.Base(c.src)+"-"+c.file)
		copyDir(t, c.src, dir)
		require.NoError(t, os.Remove(filepath.Join(dir, c.file)))
		require.NoError(t, c.make(filepath.Join(dir, c.file)))
		before := tree(t, base)
		code, stderr := cliWithin(t, append(c.verb, dir)...)
		assert.Equal(t, 2, code, "%s: %s", c.file, stderr)
		assert.Contains(t, stderr, c.want, c.file)
		assert.Equal(t, before, tree(t, base), "%s: nothing written", c.file)
	}
}
