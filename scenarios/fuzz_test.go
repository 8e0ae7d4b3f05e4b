package scenarios

import (
	"errors"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"testing/fstest"
)

var idLine = regexp.MustCompile(`(?m)^id = ".*"$`)

func mapFS(files map[string]string) fstest.MapFS {
	m := fstest.MapFS{}
	for name, src := range files {
		m[name] = &fstest.MapFile{Data: []byte(src)}
	}
	return m
}

// addSeeds adds every test file as a seed.
func addSeeds(f *testing.F) {
	for _, dir := range []string{"testdata/good", "testdata/bad", "testdata/lib"} {
		files, _ := filepath.Glob(filepath.Join(dir, "*.toml"))
		for _, p := range files {
			b, err := os.ReadFile(p)
			if err != nil {
				f.Fatal(err)
			}
			// Seeds take the id "fuzz", so that the loader gets past its
			// check that a built-in's id is its name.
			f.Add([]byte(idLine.ReplaceAllString(string(b), `id = "fuzz"`)))
		}
	}
	f.Add([]byte("id = \"fuzz\"\ntitle = \"t\"\nextends = \"parent\"\n"))
	f.Add([]byte("id = \"fuzz\"\ntitle = \"t\"\nextends = \"fuzz\"\n"))
}

// FuzzLoad feeds arbitrary bytes to the loader as the built-in "fuzz",
// beside a parent it may extend: Load must return a scenario or an *Error
// pointing into the file, never panic; a scenario must be well formed, hash
// alike when loaded again and accept overrides.
func FuzzLoad(f *testing.F) {
	addSeeds(f)
	b, err := os.ReadFile("testdata/good/base.toml")
	if err != nil {
		f.Fatal(err)
	}
	parent := idLine.ReplaceAllString(string(b), `id = "parent"`)
	reg := testRegistry()
	f.Fuzz(func(t *testing.T, src []byte) {
		fsys := mapFS(map[string]string{"parent.toml": parent, "fuzz.toml": string(src)})
		l := &Loader{Registry: reg, FS: fsys}
		sc, err := l.Load("fuzz")
		if err != nil {
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("error %T is not an *Error: %v", err, err)
			}
			if e.File == "builtin:fuzz.toml" && e.Line > strings.Count(string(src), "\n")+1 {
				t.Fatalf("error past the end of the file: %v", err)
			}
			return
		}
		if len(sc.Params) != len(reg.Params) || sc.Span.End < sc.Span.Start || len(sc.Hash) != 64 {
			t.Fatalf("malformed scenario %+v", sc)
		}
		for i, e := range sc.Events {
			if e.Lever < 0 || e.Lever >= len(reg.Levers) || e.Probability <= 0 || e.Probability > 1 ||
				e.Announced > e.Effective || i > 0 && sc.Events[i-1].Effective > e.Effective {
				t.Fatalf("malformed event %d: %+v", i, e)
			}
		}
		if again, err := l.Load("fuzz"); err != nil || again.Hash != sc.Hash {
			t.Fatalf("second load: %v, hash %s then %s", err, sc.Hash, again.Hash)
		}
		if _, err := l.Override(sc, []string{"export.fee=0.5", "fab.yield_ceiling=0.6 to 0.7"}); err != nil {
			t.Fatalf("override: %v", err)
		}
	})
}
