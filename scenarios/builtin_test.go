package scenarios

import (
	"io/fs"
	"sort"
	"strings"
	"testing"

	"github.com/BurntSushi/toml"
)

// Every built-in scenario is a cited account: its id is its file name and
// each event says what it stands for (note) and where that comes from
// (source). Checking the files against the model's registry needs the
// model, so that test lives with the command, which imports both.
func TestBuiltinLibrary(t *testing.T) {
	ns := Names()
	if !sort.StringsAreSorted(ns) {
		t.Errorf("Names() = %v, not sorted", ns)
	}
	for _, n := range ns {
		if strings.ContainsAny(n, "./") {
			t.Errorf("Names() holds %q", n)
		}
		src, err := fs.ReadFile(Builtin(), n+".toml")
		if err != nil {
			t.Fatal(err)
		}
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
		if _, err := toml.Decode(string(src), &f); err != nil {
			t.Errorf("%s: %v", n, err)
			continue
		}
		if f.ID != n {
			t.Errorf("%s.toml has id %q", n, f.ID)
		}
		if f.Extends != "" && !isPath(f.Extends) && !contains(ns, f.Extends) {
			t.Errorf("%s extends unknown %q", n, f.Extends)
		}
		for i, e := range f.Events {
			if strings.TrimSpace(e.Note) == "" || strings.TrimSpace(e.Source) == "" {
				t.Errorf("%s: events[%d] (%s %s at %v) lacks a note or a source", n, i, e.ID, e.Lever, e.Effective)
			}
		}
	}
}

func TestNamesSkipsOtherFiles(t *testing.T) {
	fsys := mapFS(map[string]string{"b.toml": "", "a.toml": "", "README.md": "", "sub/c.toml": ""})
	if got := names(fsys); strings.Join(got, ",") != "a,b" {
		t.Errorf("names = %v, want [a b]", got)
	}
}
