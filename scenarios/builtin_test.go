package scenarios

import (
	"io/fs"
	"sort"
	"strings"
	"testing"

	"github.com/BurntSushi/toml"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Every built-in scenario is a cited account: its id is its file name and
// each event says what it stands for (note) and where that comes from
// (source). Checking the files against the model's registry needs the
// model, so that test lives with the command, which imports both.
func TestBuiltinLibrary(t *testing.T) {
	ns := Names()
	assert.True(t, sort.StringsAreSorted(ns), "Names() = %v, not sorted", ns)
	assert.Contains(t, ns, Default, "the library holds its default scenario")
	for _, n := range ns {
		assert.NotContains(t, n, ".")
		assert.NotContains(t, n, "/")
		src, err := fs.ReadFile(Builtin(), n+".toml")
		require.NoError(t, err)
		var f struct {
			ID      string `toml:"id"`
			Extends string `toml:"extends"`
			Events  []struct {
				ID        string `toml:"id"`
				Lever     string `toml:"lever"`
				Effective any    `toml:"effective"`
				Note      string `toml:"note"`
				Source    string `toml:"source"`
			} `toml:"events"`
		}
		_, err = toml.Decode(string(src), &f)
		if !assert.NoError(t, err, n) {
			continue
		}
		assert.Equal(t, n, f.ID, "%s.toml's id", n)
		if f.Extends != "" && !isPath(f.Extends) {
			assert.Contains(t, ns, f.Extends, "%s extends an unknown scenario", n)
		}
		for i, e := range f.Events {
			assert.NotEmpty(t, strings.TrimSpace(e.Note), "%s: events[%d] (%s %s at %v) lacks a note", n, i, e.ID, e.Lever, e.Effective)
			assert.NotEmpty(t, strings.TrimSpace(e.Source), "%s: events[%d] (%s %s at %v) lacks a source", n, i, e.ID, e.Lever, e.Effective)
		}
	}
}

func TestNamesSkipsOtherFiles(t *testing.T) {
	fsys := mapFS(map[string]string{"b.toml": "", "a.toml": "", "README.md": "", "sub/c.toml": ""})
	assert.Equal(t, []string{"a", "b"}, names(fsys))
}
