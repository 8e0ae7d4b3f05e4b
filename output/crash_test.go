//go:build unix

package output

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"syscall"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// crashSteps are the steps of Begin and Commit that call crashHook, in
// order, with "written" (half the files written) between them. A writer is
// killed after each.
var crashSteps = []string{"locked", "recovered", "created", "written", "checked",
	"old-moved", "new-moved", "discarding", "old-removed", "released"}

// leftStates are steps after which a kill leaves each of the different
// states beside the target: a stale temporary folder; the target missing and
// the old copy; the new target and the old copy; the new target and the old
// copy being removed. A second writer is killed at every step from each.
var leftStates = []string{"created", "old-moved", "new-moved", "discarding"}

// newFrom is the first step after which a kill leaves the new results.
const newFrom = "new-moved"

// TestCrashHelper is the writer killed by TestKillAtEveryStep: run as a
// subprocess, it writes a results folder whose summary.csv holds
// CRASH_CONTENT into CRASH_TARGET and SIGKILLs itself after step CRASH_AT.
func TestCrashHelper(t *testing.T) {
	target := os.Getenv("CRASH_TARGET")
	if target == "" {
		t.Skip("a subprocess of TestKillAtEveryStep")
	}
	at := os.Getenv("CRASH_AT")
	crashHook = func(s string) {
		if s == at {
			_ = syscall.Kill(os.Getpid(), syscall.SIGKILL)
			select {}
		}
	}
	f, err := Begin(target)
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(f.Path(ManifestName), []byte(chokepointManifest), 0o644))
	step("written")
	require.NoError(t, os.WriteFile(f.Path("summary.csv"), []byte(os.Getenv("CRASH_CONTENT")), 0o644))
	require.NoError(t, f.Commit())
}

// crashWriter runs TestCrashHelper, killed after step at, and reports
// whether it was killed.
func crashWriter(t *testing.T, target, at, content string) bool {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^TestCrashHelper$", "-test.count=1")
	cmd.Env = append(os.Environ(), "CRASH_TARGET="+target, "CRASH_AT="+at, "CRASH_CONTENT="+content)
	out, err := cmd.CombinedOutput()
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		ws, ok := ee.Sys().(syscall.WaitStatus)
		require.True(t, ok && ws.Signaled() && ws.Signal() == syscall.SIGKILL, "writer failed: %v\n%s", err, out)
		return true
	}
	require.NoError(t, err, "%s", out)
	return false
}

// recoverable is the summary.csv of the results a next run starts from:
// the target's, or, when a kill left the target missing, the old copy's.
func recoverable(t *testing.T, target string) string {
	t.Helper()
	dir := target
	if _, err := os.Lstat(target); errors.Is(err, os.ErrNotExist) {
		dir = oldPath(filepath.Dir(target), filepath.Base(target))
	}
	if _, err := os.Lstat(dir); errors.Is(err, os.ErrNotExist) {
		return ""
	}
	reason, err := inspect(dir, true)
	require.NoError(t, err)
	require.Empty(t, reason, "the results left are not a complete results folder")
	b, err := os.ReadFile(filepath.Join(dir, "summary.csv"))
	require.NoError(t, err)
	return string(b)
}

// A writer killed (SIGKILL, a real subprocess) after any step of Begin and
// Commit leaves either the old or the new results, the old ones before the
// new folder is renamed into place and the new ones from then on; a second
// writer killed at any step, while recovering from the first, does the same;
// and the next run recovers, leaving nothing beside the results.
func TestKillAtEveryStep(t *testing.T) {
	for _, fresh := range []bool{true, false} {
		for i, first := range crashSteps {
			t.Run(fmt.Sprintf("fresh=%v/%s", fresh, first), func(t *testing.T) {
				parent := t.TempDir()
				res := filepath.Join(parent, "res")
				prev := ""
				if !fresh {
					writeResults(t, res, "old")
					prev = "old"
				}
				killed := crashWriter(t, res, first, "run1")
				got := recoverable(t, res)
				if !killed || i >= slices.Index(crashSteps, newFrom) {
					assert.Equal(t, "run1", got, "killed=%v", killed)
				} else {
					assert.Equal(t, prev, got)
				}
				prev = got
				if fresh || !slices.Contains(leftStates, first) {
					writeResults(t, res, "final")
					assert.Equal(t, []string{"res"}, entryNames(t, parent))
					return
				}
				for _, second := range crashSteps {
					dir := filepath.Join(t.TempDir(), "copy")
					require.NoError(t, os.CopyFS(dir, os.DirFS(parent)))
					crashWriter(t, filepath.Join(dir, "res"), second, "run2")
					got := recoverable(t, filepath.Join(dir, "res"))
					assert.Contains(t, []string{prev, "run2"}, got, "second writer killed after %s", second)

					writeResults(t, filepath.Join(dir, "res"), "final")
					assert.Equal(t, []string{"res"}, entryNames(t, dir), "second writer killed after %s", second)
				}
				writeResults(t, res, "final")
				assert.Equal(t, []string{"res"}, entryNames(t, parent))
			})
		}
	}
}
