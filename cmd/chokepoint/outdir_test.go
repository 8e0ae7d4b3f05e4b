package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A folder holding a manifest.json that chokepoint did not write (another
// tool's file, or a folder of that name) is refused with one message and
// exit status 2, and left exactly as it was.
func TestOutWithAnotherToolsManifestIsRefused(t *testing.T) {
	for _, c := range []struct {
		name     string
		manifest func(dir string) error
	}{
		{"file", func(dir string) error {
			return os.WriteFile(filepath.Join(dir, "manifest.json"), []byte(`{"name":"web-app"}`+"\n"), 0o644)
		}},
		{"folder", func(dir string) error { return os.Mkdir(filepath.Join(dir, "manifest.json"), 0o755) }},
	} {
		t.Run(c.name, func(t *testing.T) {
			parent := t.TempDir()
			app := filepath.Join(parent, "app")
			require.NoError(t, os.Mkdir(app, 0o755))
			require.NoError(t, c.manifest(app))
			require.NoError(t, os.WriteFile(filepath.Join(app, "notes.txt"), []byte("thesis\n"), 0o644))

			code, _, stderr := cli(t, "run", "--runs", "5", "--out", app, "--quiet")
			assert.Equal(t, 2, code, stderr)
			assert.Equal(t, 1, strings.Count(stderr, "\n"), "one message: %s", stderr)
			assert.Contains(t, stderr, "does not look like chokepoint results")
			assert.Contains(t, stderr, "choose another --out")
			b, err := os.ReadFile(filepath.Join(app, "notes.txt"))
			require.NoError(t, err, "notes.txt is gone")
			assert.Equal(t, "thesis\n", string(b))
			entries, _ := os.ReadDir(parent)
			assert.Len(t, entries, 1, "something was written beside the folder")
		})
	}
}

// Every verb that writes a results folder can write it again: everything it
// writes, charts included, is a name a results folder may hold.
func TestEveryVerbRewritesItsOwnFolder(t *testing.T) {
	parent := t.TempDir()
	out := func(name string) string { return filepath.Join(parent, name) }
	verbs := [][]string{
		{"run", "--runs", "40", "--samples", "--out", out("run")},
		{"chart", out("run"), "--kind", "fan,spaghetti", "--output", "compute_stock_h100e", "--format", "png,svg,pdf", "--wide"},
		{"run", "--runs", "40", "--out", out("run")},
		{"compare", "current-policy", "no-controls", "--runs", "40", "--out", out("cmp")},
		// 128 runs: two chunks of 64, one per shard.
		{"run", "--runs", "128", "--shard", "0/2", "--out", out("s0")},
		{"run", "--runs", "128", "--shard", "1/2", "--out", out("s1")},
		{"merge", out("s0"), out("s1"), "--out", out("merged")},
		{"sensitivity", "current-policy", "--output", "compute_stock_h100e", "--runs", "6", "--method", "morris", "--out", out("sens")},
		{"backtest", "--runs", "40", "--out", out("bt")},
	}
	for _, args := range verbs {
		for range 2 {
			code, _, stderr := cli(t, append(args, "--quiet")...)
			require.Equal(t, 0, code, "%v: %s", args, stderr)
		}
	}
	entries, err := os.ReadDir(parent)
	require.NoError(t, err)
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	// One folder per --out, and nothing beside them.
	assert.Equal(t, []string{"bt", "cmp", "merged", "run", "s0", "s1", "sens"}, names)
}
