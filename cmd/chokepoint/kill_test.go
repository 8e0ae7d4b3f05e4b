package main

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A run killed with SIGKILL midway leaves the previous results intact and
// no partial folder: results are written to a temporary sibling and renamed
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

		after, err := os.ReadFile(filepath.Join(out, "summary.csv"))
		require.NoError(t, err, "the previous results are gone")
		assert.True(t, bytes.Equal(before, after), "the previous results changed")
		entries, err := os.ReadDir(tmp)
		require.NoError(t, err)
		for _, e := range entries {
			if strings.Contains(e.Name(), "partial") {
				// A kill during the final write can leave the hidden
				// temporary folder; the next run clears it.
				again := exec.Command(bin, "run", "--runs", "50", "--no-charts", "--quiet", "--out", filepath.Join(tmp, "other"))
				require.NoError(t, again.Run())
				first := exec.Command(bin, "run", "--runs", "200", "--no-charts", "--quiet", "--out", out)
				require.NoError(t, first.Run())
				_, err := os.Stat(filepath.Join(tmp, e.Name()))
				assert.True(t, os.IsNotExist(err), "stale %s was not cleared", e.Name())
			}
		}
	}
}
