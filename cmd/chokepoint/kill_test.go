package main

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/chokepoint-sim/chokepoint/output"
)

// A run killed with SIGKILL midway leaves the previous results intact (at
// their place, or as the old copy a kill during the commit leaves, which the
// next run restores), and the next run into the same place clears whatever
// the killed one left: results are written to a temporary sibling and renamed
// into place only when complete. A real subprocess is killed.
func TestKilledRunLeavesPreviousResults(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	tmp := t.TempDir()
	bin := filepath.Join(tmp, "chokepoint")
	build := exec.Command("go", "build", "-o", bin, ".")
	build.Stderr = os.Stderr
	require.NoError(t, build.Run())

	out := filepath.Join(tmp, "results")
	first := exec.Command(bin, "run", "--runs", "200", "--no-charts", "--quiet", "--out", out)
	require.NoError(t, first.Run())
	before, err := os.ReadFile(filepath.Join(out, "summary.csv"))
	require.NoError(t, err)

	for _, delay := range []time.Duration{300 * time.Millisecond, 1500 * time.Millisecond} {
		// A long batch, killed while it computes or writes.
		long := exec.Command(bin, "run", "--runs", "150000", "--quiet", "--out", out)
		require.NoError(t, long.Start())
		time.Sleep(delay)
		require.NoError(t, long.Process.Signal(syscall.SIGKILL))
		_ = long.Wait()

		kept := out
		if _, err := os.Stat(out); os.IsNotExist(err) {
			kept = filepath.Join(tmp, ".results.chokepoint-old")
		}
		after, err := os.ReadFile(filepath.Join(kept, "summary.csv"))
		require.NoError(t, err, "the previous results are gone")
		assert.True(t, bytes.Equal(before, after), "the previous results changed")

		// A run into another place leaves the killed run's files alone;
		// the next run into the same place clears them.
		other := exec.Command(bin, "run", "--runs", "50", "--no-charts", "--quiet", "--out", filepath.Join(tmp, "other"))
		require.NoError(t, other.Run())
		again := exec.Command(bin, "run", "--runs", "200", "--no-charts", "--quiet", "--out", out)
		require.NoError(t, again.Run())
		after, err = os.ReadFile(filepath.Join(out, "summary.csv"))
		require.NoError(t, err)
		assert.True(t, bytes.Equal(before, after), "the same run wrote other results")
		entries, err := os.ReadDir(tmp)
		require.NoError(t, err)
		var names []string
		for _, e := range entries {
			names = append(names, e.Name())
		}
		assert.Equal(t, []string{"chokepoint", "other", "results"}, names, "the killed run's files were not cleared")
	}
}

// Two runs into one folder at once: while one writes (here the test itself,
// holding the folder as a run does between computing and committing), a
// second run is refused with exit 2 and touches neither the results nor the
// first's temporary folder; once the first is done, the folder is free.
func TestConcurrentRunsIntoOneFolder(t *testing.T) {
	parent := t.TempDir()
	out := filepath.Join(parent, "results")
	code, _, stderr := cli(t, "run", "--runs", "20", "--no-charts", "--quiet", "--out", out)
	require.Equal(t, 0, code, stderr)
	before, err := os.ReadFile(filepath.Join(out, "summary.csv"))
	require.NoError(t, err)

	first, err := output.Begin(out)
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(first.Path("summary.csv"), []byte("first\n"), 0o644))
	code, _, stderr = cli(t, "run", "--runs", "30", "--no-charts", "--quiet", "--out", out)
	assert.Equal(t, 2, code, stderr)
	assert.Contains(t, stderr, fmt.Sprintf("another chokepoint process is writing it (pid %d)", os.Getpid()))
	after, err := os.ReadFile(filepath.Join(out, "summary.csv"))
	require.NoError(t, err)
	assert.Equal(t, before, after, "the results changed")
	_, err = os.Stat(first.Path("summary.csv"))
	require.NoError(t, err, "the first run's temporary folder was touched")
	first.Abort()

	code, _, stderr = cli(t, "run", "--runs", "30", "--no-charts", "--quiet", "--out", out)
	require.Equal(t, 0, code, stderr)
	entries, err := os.ReadDir(parent)
	require.NoError(t, err)
	assert.Len(t, entries, 1, "something is left beside the results")
}
