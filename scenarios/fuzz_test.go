package scenarios

import (
	"math"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/chokepoint-sim/chokepoint/sim"
	"github.com/chokepoint-sim/chokepoint/sim/dist"
	"github.com/stretchr/testify/require"
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
			require.ErrorAs(t, err, &e, "error %T is not an *Error: %v", err, err)
			require.False(t, e.File == "builtin:fuzz.toml" && e.Line > strings.Count(string(src), "\n")+1, "error past the end of the file: %v", err)
			return
		}
		require.Len(t, sc.Params, len(reg.Params), "malformed scenario %+v", sc)
		require.False(t, sc.Span.End < sc.Span.Start, "malformed scenario %+v", sc)
		require.Len(t, sc.Hash, 64, "malformed scenario %+v", sc)
		for i, e := range sc.Events {
			require.False(t, e.Lever < 0 || e.Lever >= len(reg.Levers) || e.Probability <= 0 || e.Probability > 1 ||
				e.Announced > e.Effective || i > 0 && sc.Events[i-1].Effective > e.Effective, "malformed event %d: %+v", i, e)
		}
		again, err := l.Load("fuzz")
		require.NoError(t, err, "second load")
		require.Equal(t, sc.Hash, again.Hash, "second load's hash")
		_, err = l.Override(sc, []string{"export.fee=0.5", "fab.yield_ceiling=0.6 to 0.7"})
		require.NoError(t, err, "override")
	})
}

// FuzzOverride feeds --set strings to Override: it must never panic, and
// every failure must be a located *Error.
func FuzzOverride(f *testing.F) {
	for _, s := range []string{"fab.yield_ceiling=0.7", "fab.yield_ceiling=0.5 to 0.8", "export.fee=0.25",
		"foundry.due_diligence=true", "export.exceptions=H20,H200", "export.exceptions=", "x", "=", "a=b=c",
		"fab.yield_ceiling={dist=\"normal\", mean=0.6, sd=0.1}", "export.tpp_threshold=inf", "fab.yield_ceiling=NaN"} {
		f.Add(s)
	}
	reg := testRegistry()
	l := &Loader{Registry: reg, FS: fstest.MapFS{}}
	base := &sim.Scenario{Name: "base", Span: DefaultSpan, Params: make([]dist.Dist, len(reg.Params))}
	for i := range reg.Params {
		base.Params[i] = reg.Params[i].Dist()
	}
	f.Fuzz(func(t *testing.T, s string) {
		sc, err := l.Override(base, []string{s})
		if err != nil {
			_, ok := err.(*Error)
			require.True(t, ok, "%q: error %T is not a located *Error: %v", s, err, err)
			return
		}
		for i, d := range sc.Params {
			for _, p := range []float64{0.01, 0.5, 0.99} {
				v := d.Quantile(p)
				require.False(t, math.IsNaN(v), "%q: parameter %d quantile %v is NaN", s, i, p)
			}
		}
	})
}
