package output

import (
	"errors"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/chokepoint-sim/chokepoint/sim"
)

// chokepointManifest is the start of a manifest.json that chokepoint wrote.
const chokepointManifest = `{"tool": "chokepoint", "version": "dev", "seed": 1, "runs": 5}`

// writeTree creates files (name → content; a name ending in "/" is a folder)
// under dir.
func writeTree(t *testing.T, dir string, files map[string]string) {
	t.Helper()
	require.NoError(t, os.MkdirAll(dir, 0o755))
	for name, content := range files {
		p := filepath.Join(dir, name)
		if name[len(name)-1] == '/' {
			require.NoError(t, os.MkdirAll(p, 0o755))
			continue
		}
		require.NoError(t, os.MkdirAll(filepath.Dir(p), 0o755))
		require.NoError(t, os.WriteFile(p, []byte(content), 0o644))
	}
}

// listTree lists every file and folder under dir, relative to it, sorted.
func listTree(t *testing.T, dir string) []string {
	t.Helper()
	var names []string
	err := filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if p != dir {
			rel, _ := filepath.Rel(dir, p)
			names = append(names, rel)
		}
		return nil
	})
	require.NoError(t, err)
	sort.Strings(names)
	return names
}

// writeResults builds a complete results folder through Begin and Commit,
// its summary.csv holding summary.
func writeResults(t *testing.T, target, summary string) {
	t.Helper()
	f, err := Begin(target)
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(f.Path(ManifestName), []byte(chokepointManifest), 0o644))
	require.NoError(t, os.WriteFile(f.Path("summary.csv"), []byte(summary), 0o644))
	require.NoError(t, os.MkdirAll(f.Path(ChartsDir), 0o755))
	require.NoError(t, os.WriteFile(filepath.Join(f.Path(ChartsDir), "fan.png"), []byte("png"), 0o644))
	require.NoError(t, f.Commit())
}

// A folder is replaced only if its manifest.json is chokepoint's and it holds
// nothing chokepoint does not write; anything else is refused as bad input
// (exit 2) and left exactly as it was, with nothing created beside it.
func TestForeignFoldersAreNeverReplaced(t *testing.T) {
	cases := []struct {
		name  string
		files map[string]string
	}{
		{"another tool's manifest", map[string]string{"manifest.json": `{"name":"web-app"}`, "notes.txt": "thesis"}},
		{"manifest.json is a folder", map[string]string{"manifest.json/": "", "notes.txt": "thesis"}},
		{"manifest.json is not JSON", map[string]string{"manifest.json": "tool: chokepoint", "summary.csv": "x"}},
		{"manifest of another tool named chokepoint-like", map[string]string{"manifest.json": `{"tool":"chokepoint2","version":"1"}`}},
		{"manifest without a version", map[string]string{"manifest.json": `{"tool":"chokepoint"}`}},
		{"chokepoint results plus a user file", map[string]string{"manifest.json": chokepointManifest, "summary.csv": "x", "notes.txt": "thesis"}},
		{"chokepoint results plus a user folder", map[string]string{"manifest.json": chokepointManifest, "drafts/": ""}},
		{"a user file inside charts", map[string]string{"manifest.json": chokepointManifest, "charts/fan.png": "png", "charts/notes.txt": "thesis"}},
		{"a folder inside charts", map[string]string{"manifest.json": chokepointManifest, "charts/old/": ""}},
		{"summary.csv is a folder", map[string]string{"manifest.json": chokepointManifest, "summary.csv/": ""}},
		{"no manifest at all", map[string]string{"notes.txt": "thesis"}},
		{"a folder named like a temporary one", map[string]string{"manifest.json": chokepointManifest, ".charts.partial-x/": ""}},
		{"a file named like a temporary folder", map[string]string{"manifest.json": chokepointManifest, ".charts.partial-12": "x"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			parent := t.TempDir()
			app := filepath.Join(parent, "app")
			writeTree(t, app, c.files)
			before := listTree(t, parent)

			err := CheckTarget(app)
			require.Error(t, err)
			assert.ErrorIs(t, err, ErrNotResults)
			var ie *sim.InputError
			assert.True(t, errors.As(err, &ie), "not bad input (exit 2): %v", err)
			assert.Contains(t, err.Error(), "--out", "the message says how to proceed")

			_, err = Begin(app)
			require.Error(t, err)
			assert.True(t, errors.As(err, &ie), "Begin: not bad input (exit 2): %v", err)
			assert.Equal(t, before, listTree(t, parent), "the folder or its parent changed")
		})
	}
}

// A folder chokepoint wrote, holding only what chokepoint writes, is
// replaced whole; so is an empty folder.
func TestResultsFoldersAreReplaced(t *testing.T) {
	parent := t.TempDir()
	res := filepath.Join(parent, "res")
	writeTree(t, res, map[string]string{"manifest.json": chokepointManifest, "summary.csv": "old",
		"params.csv": "p", "samples.csv": "s", "diff.csv": "d", "events.json": "[]", "state.bin": "b",
		"sensitivity.csv": "s", "backtest.csv": "b", "headline.csv": "h",
		"charts/fan.png": "png", "charts/fan.svg": "svg", "charts/fan.pdf": "pdf", "charts/fan.csv": "csv",
		// What an interrupted "chokepoint chart res" leaves inside.
		".charts.partial-123/fan.png": "png", ".charts.partial-123.old-456/": "",
		".DS_Store": "", "charts/.DS_Store": ""})
	require.NoError(t, CheckTarget(res))
	writeResults(t, res, "new")
	assert.Equal(t, []string{"charts", "charts/fan.png", "manifest.json", "summary.csv"}, listTree(t, res))
	assert.Equal(t, []string{"res"}, entryNames(t, parent), "nothing is left beside the results")

	empty := filepath.Join(parent, "empty")
	require.NoError(t, os.Mkdir(empty, 0o755))
	writeResults(t, empty, "new")
	b, err := os.ReadFile(filepath.Join(empty, "summary.csv"))
	require.NoError(t, err)
	assert.Equal(t, "new", string(b))
}

func entryNames(t *testing.T, dir string) []string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	require.NoError(t, err)
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	return names
}

// Two writers of one results folder: the second is refused while the first
// writes, and does not touch the first's temporary folder.
func TestSecondWriterIsRefused(t *testing.T) {
	parent := t.TempDir()
	res := filepath.Join(parent, "res")
	first, err := Begin(res)
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(first.Path(ManifestName), []byte(chokepointManifest), 0o644))

	_, err = Begin(res)
	require.Error(t, err)
	assert.ErrorIs(t, err, ErrBusy)
	var ie *sim.InputError
	assert.True(t, errors.As(err, &ie), "not bad input (exit 2): %v", err)
	assert.Contains(t, err.Error(), "another chokepoint process")
	assert.ErrorIs(t, CheckTarget(res), ErrBusy, "the check before a run sees the writer too")

	_, err = os.Stat(first.Path(ManifestName))
	require.NoError(t, err, "the first writer's temporary folder was touched")
	require.NoError(t, os.WriteFile(first.Path("summary.csv"), []byte("first"), 0o644))
	require.NoError(t, first.Commit())
	b, err := os.ReadFile(filepath.Join(res, "summary.csv"))
	require.NoError(t, err)
	assert.Equal(t, "first", string(b))

	// Once the first has finished, the folder is free again.
	writeResults(t, res, "second")
	assert.Equal(t, []string{"res"}, entryNames(t, parent))
}

// Glob characters in the target's name are literal: a run into "*" or "[r]es"
// removes no other folder's temporary files.
func TestGlobCharactersAreLiteral(t *testing.T) {
	for _, name := range []string{"*", "?es", "[r]es", "r*"} {
		t.Run(name, func(t *testing.T) {
			parent := t.TempDir()
			// Another target's temporary folder, as a crashed or live run
			// into "res" leaves it.
			other := filepath.Join(parent, ".res.partial-123")
			writeTree(t, other, map[string]string{"manifest.json": chokepointManifest})
			writeResults(t, filepath.Join(parent, name), "new")
			_, err := os.Stat(filepath.Join(other, ManifestName))
			assert.NoError(t, err, "another folder's temporary files were removed")
		})
	}
}

// A prefix match is not enough either: the partial folder of a target named
// "res.partial-x" is not a partial folder of "res".
func TestPartialOfLongerNameIsKept(t *testing.T) {
	parent := t.TempDir()
	other := filepath.Join(parent, ".res.partial-x.partial-77")
	writeTree(t, other, map[string]string{"manifest.json": chokepointManifest})
	stale := filepath.Join(parent, ".res.partial-4242")
	writeTree(t, stale, map[string]string{"summary.csv": "half"})
	writeResults(t, filepath.Join(parent, "res"), "new")
	_, err := os.Stat(other)
	assert.NoError(t, err, "another target's temporary folder was removed")
	_, err = os.Stat(stale)
	assert.True(t, os.IsNotExist(err), "the stale temporary folder of res was kept")
}

// Earlier versions, killed between their two renames, left the previous
// results only as .NAME.partial-N.old; the next run restores them instead of
// deleting them.
func TestLegacyOldFolderIsRecovered(t *testing.T) {
	parent := t.TempDir()
	res := filepath.Join(parent, "res")
	writeTree(t, filepath.Join(parent, ".res.partial-99.old"), map[string]string{"manifest.json": chokepointManifest, "summary.csv": "old"})
	writeTree(t, filepath.Join(parent, ".res.partial-99"), map[string]string{"manifest.json": chokepointManifest, "summary.csv": "new"})
	require.NoError(t, CheckTarget(res))
	f, err := Begin(res)
	require.NoError(t, err)
	b, err := os.ReadFile(filepath.Join(res, "summary.csv"))
	require.NoError(t, err, "the previous results were not restored")
	assert.Equal(t, "old", string(b))
	f.Abort()
	assert.Equal(t, []string{"res"}, entryNames(t, parent))
}

// The target must be a folder a results folder can replace.
func TestImpossibleTargets(t *testing.T) {
	parent := t.TempDir()
	file := filepath.Join(parent, "file")
	require.NoError(t, os.WriteFile(file, []byte("x"), 0o644))
	long := filepath.Join(parent, strings.Repeat("a", 250))
	for _, target := range []string{"", file, "/", long} {
		var ie *sim.InputError
		_, err := Begin(target)
		require.Error(t, err, "%q", target)
		assert.True(t, errors.As(err, &ie), "%q: not bad input (exit 2): %v", target, err)
	}
	assert.Equal(t, []string{"file"}, entryNames(t, parent))
	b, _ := os.ReadFile(file)
	assert.Equal(t, "x", string(b))
}

// Once the new results are in place the commit has succeeded: an old copy
// that cannot be removed is left for the next run, which clears it.
func TestOldCopyThatCannotBeRemovedIsNoFailure(t *testing.T) {
	parent := t.TempDir()
	res := filepath.Join(parent, "res")
	writeResults(t, res, "old")
	removeAll = func(string) error { return errors.New("input/output error") }
	writeResults(t, res, "new") // its Commit returns no error
	removeAll = os.RemoveAll
	b, err := os.ReadFile(filepath.Join(res, "summary.csv"))
	require.NoError(t, err)
	assert.Equal(t, "new", string(b))
	assert.Len(t, entryNames(t, parent), 2, "the old copy is left beside the results")

	writeResults(t, res, "newer")
	assert.Equal(t, []string{"res"}, entryNames(t, parent), "the next run cleared the old copy")
}

// A folder is committed only if a later run could replace it: a name
// missing from ResultFiles is a mistake in chokepoint, caught at once.
func TestUndeclaredNameIsNotCommitted(t *testing.T) {
	parent := t.TempDir()
	res := filepath.Join(parent, "res")
	writeResults(t, res, "old")
	f, err := Begin(res)
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(f.Path(ManifestName), []byte(chokepointManifest), 0o644))
	require.NoError(t, os.WriteFile(f.Path("extra.txt"), []byte("x"), 0o644))
	err = f.Commit()
	require.Error(t, err)
	assert.Contains(t, err.Error(), "extra.txt")
	b, err := os.ReadFile(filepath.Join(res, "summary.csv"))
	require.NoError(t, err)
	assert.Equal(t, "old", string(b))
	assert.Equal(t, []string{"res"}, entryNames(t, parent))
	f.Abort() // a second Abort or Commit does nothing
	assert.Error(t, f.Commit())
}

// A user's file that appears in the target while a run writes is noticed at
// the commit: the run fails and the folder is left as it is.
func TestFileAddedDuringRunIsKept(t *testing.T) {
	parent := t.TempDir()
	res := filepath.Join(parent, "res")
	writeResults(t, res, "old")
	f, err := Begin(res)
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(f.Path(ManifestName), []byte(chokepointManifest), 0o644))
	require.NoError(t, os.WriteFile(filepath.Join(res, "notes.txt"), []byte("thesis"), 0o644))
	err = f.Commit()
	assert.ErrorIs(t, err, ErrNotResults)
	b, err := os.ReadFile(filepath.Join(res, "notes.txt"))
	require.NoError(t, err)
	assert.Equal(t, "thesis", string(b))
	assert.Equal(t, []string{"res"}, entryNames(t, parent))
}
