package scenarios

import (
	"flag"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/chokepoint-sim/chokepoint/sim"
	"github.com/chokepoint-sim/chokepoint/sim/dist"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/bad")

// testRegistry stands in for the model's: a few parameters, one lever of
// each kind, two outputs.
func testRegistry() *sim.Registry {
	return sim.NewRegistry(
		[]sim.Param{
			{Key: "fab.yield_ceiling", Unit: "fraction", Min: 0, Max: 1, Default: "0.5 to 0.8"},
			{Key: "efficiency.halving_months", Unit: "months", Min: 1, Max: 120, Default: "6 to 14"},
			{Key: "demand.budget_growth", Unit: "1/yr", Min: -0.5, Max: 3, Default: "0.1 to 0.4"},
			{Key: "stock.initial", Unit: "H100e", Min: 0, Max: math.Inf(1), Default: "100000"},
		},
		[]sim.Lever{
			{Key: "export.tpp_threshold", Unit: "TPP", Kind: sim.LeverNumber, Min: 0, Max: math.Inf(1), Default: math.Inf(1)},
			{Key: "export.fee", Unit: "fraction", Kind: sim.LeverNumber, Min: 0, Max: 1},
			{Key: "foundry.due_diligence", Unit: "0/1", Kind: sim.LeverSwitch},
			{Key: "export.exceptions", Unit: "chips", Kind: sim.LeverSet, Items: []string{"A100", "H20", "H200"}},
		},
		[]sim.Output{{Key: "compute.china", Unit: "H100e"}, {Key: "gap.months", Unit: "months"}},
	)
}

// testLoader loads built-ins from testdata/lib, which holds no-controls and
// current-policy.
func testLoader() *Loader {
	return &Loader{Registry: testRegistry(), FS: os.DirFS("testdata/lib")}
}

func mustDist(t *testing.T, v any) dist.Dist {
	t.Helper()
	d, err := dist.Parse(v)
	require.NoError(t, err, "ParseDist(%v): %v", v, err)
	return d
}

func load(t *testing.T, l *Loader, name string) *sim.Scenario {
	t.Helper()
	sc, err := l.Load(name)
	require.NoError(t, err, "Load(%s): %v", name, err)
	return sc
}

// loadText writes src to a file in a temporary folder and loads it.
func loadText(t *testing.T, l *Loader, src string) (*sim.Scenario, error) {
	t.Helper()
	p := filepath.Join(t.TempDir(), "s.toml")
	require.NoError(t, os.WriteFile(p, []byte(src), 0o644))
	return l.Load(p)
}

func TestLoadFull(t *testing.T) {
	l := testLoader()
	reg := l.Registry
	sc := load(t, l, "testdata/good/full.toml")

	assert.Equal(t, "full", sc.Name, "name, title = %q, %q", sc.Name, sc.Title)
	assert.Equal(t, "Full example", sc.Title, "name, title = %q, %q", sc.Name, sc.Title)
	assert.True(t, strings.HasPrefix(sc.Description, "Every field"), "description = %q", sc.Description)
	assert.Equal(t, sim.Span{Start: sim.NewPeriod(2021, 1), End: sim.NewPeriod(2030, 4)}, sc.Span, "span")

	wantParams := []dist.Dist{
		mustDist(t, "0.6 to 0.9"),
		mustDist(t, map[string]any{"dist": "lognormal", "p5": int64(5), "p95": int64(14)}),
		mustDist(t, 0.2),
		reg.Params[3].Dist(), // not in the file: the registry's default
	}
	require.Len(t, sc.Params, len(wantParams), "%d params, want %d", len(sc.Params), len(wantParams))
	for i, w := range wantParams {
		assert.Equal(t, w.String(), sc.Params[i].String(), "param %s = %s, want %s", reg.Params[i].Key, sc.Params[i], w)
	}

	lever := func(k string) int { i, _ := reg.LeverIndex(k); return i }
	q := sim.NewPeriod
	want := []sim.Event{
		{ID: "export.tpp_threshold@2022Q4", Lever: lever("export.tpp_threshold"), Value: 4800,
			Effective: q(2022, 4), Announced: q(2022, 4), Probability: 1,
			Note: "October 2022 rule.", Source: "Test data"},
		{ID: "foundry.due_diligence@2025Q1", Lever: lever("foundry.due_diligence"), Value: 1,
			Effective: q(2025, 1), Announced: q(2025, 1), Probability: 0.8,
			Delay: mustDist(t, map[string]any{"dist": "uniform", "min": int64(0), "max": int64(2)}),
			Note:  "Foundry rule, maybe late.", Source: "Test data"},
		{ID: "fee-2025", Lever: lever("export.fee"), Value: 0.15,
			Effective: q(2025, 3), Announced: q(2025, 3), Probability: 1,
			Note: "Licences issued against a revenue share.", Source: "Test data"},
		{ID: "export.exceptions@2025Q4", Lever: lever("export.exceptions"), Value: 0b110, // H20 | H200
			Effective: q(2025, 4), Announced: q(2025, 4), Probability: 1,
			Note: "Allowed chips.", Source: "Test data"},
	}
	require.Len(t, sc.Events, len(want), "%d events, want %d: %+v", len(sc.Events), len(want), sc.Events)
	for i, w := range want {
		g := sc.Events[i]
		require.Equal(t, w.Delay == nil, g.Delay == nil, "event %d delay = %v, want %v", i, g.Delay, w.Delay)
		if g.Delay != nil {
			assert.Equal(t, w.Delay.String(), g.Delay.String(), "event %d delay", i)
		}
		g.Delay, w.Delay = nil, nil
		assert.Equal(t, w, g, "event %d:\n got %+v\nwant %+v", i, g, w)
	}
	assert.Len(t, sc.Hash, 64, "hash = %q, want 64 hex digits", sc.Hash)
}

func TestDefaults(t *testing.T) {
	l := testLoader()
	sc, err := loadText(t, l, "id = \"bare\"\ntitle = \"Bare\"\n")
	require.NoError(t, err)
	assert.Equal(t, DefaultSpan, sc.Span, "span = %v, want %v", sc.Span, DefaultSpan)
	for i, p := range l.Registry.Params {
		assert.Equal(t, p.Dist().String(), sc.Params[i].String(), "param %s = %s, want the default %s", p.Key, sc.Params[i], p.Dist())
	}
	assert.Len(t, sc.Events, 0, "events = %v, want none", sc.Events)
}

// The three spellings of a parameter key, a reformatted file and a file
// reached through extends all mean the same scenario, so hash alike.
func TestHash(t *testing.T) {
	l := testLoader()
	const head = "id = \"h\"\ntitle = \"Hash\"\n"
	const events = `
[[events]]
lever = "export.fee"
value = 0.1
effective = "2024Q1"
`
	same := map[string]string{
		"quoted": head + "[params]\n\"fab.yield_ceiling\" = \"0.6 to 0.9\"\n\"demand.budget_growth\" = 0.2\n" + events,
		"dotted": head + "[params]\nfab.yield_ceiling = \"0.6 to 0.9\"\ndemand . budget_growth = 0.2\n" + events,
		"table":  head + events + "[params.fab]\nyield_ceiling = \"0.6 to 0.9\"\n[params.demand]\nbudget_growth = 0.2\n",
		"top-dotted": head + "params.fab.yield_ceiling = \"0.6 to 0.9\"\n" +
			"params.demand.budget_growth = 2e-1\n" + events,
		"reformatted": `# comments, spacing, quoting and order do not matter
title   =   "Hash"     # trailing comment
id = 'h'
[[ events ]]
effective = "2024-02-29"   # another date in 2024Q1
value     = 0.100
lever     = "export.fee"

[params]
"demand.budget_growth" = 0.2
    "fab.yield_ceiling" = "0.6 to 0.9"
[ params . fab ]
`,
	}

	var want string
	for name, src := range same {
		sc, err := loadText(t, l, src)
		require.NoError(t, err, "%s: %v", name, err)
		if want == "" {
			want = sc.Hash
		}
		assert.Equal(t, want, sc.Hash, "%s: the hash differs", name)
	}

	different := map[string]string{
		"param value": strings.Replace(same["quoted"], "0.9", "0.95", 1),
		"event value": strings.Replace(same["quoted"], "0.1", "0.11", 1),
		"title":       strings.Replace(same["quoted"], "Hash", "Hash!", 1),
		"event id":    strings.Replace(same["quoted"], "[[events]]", "[[events]]\nid = \"x\"", 1),
		"span":        same["quoted"] + "[time]\nend = \"2035Q3\"\n",
		"probability": same["quoted"] + "probability = 0.5\n",
	}
	for name, src := range different {
		sc, err := loadText(t, l, src)
		require.NoError(t, err, "%s: %v", name, err)
		assert.NotEqual(t, want, sc.Hash, "%s changed but the hash did not", name)
	}
}

func TestExtends(t *testing.T) {
	l := testLoader()
	reg := l.Registry
	sc := load(t, l, "testdata/good/child.toml")

	assert.Equal(t, "child", sc.Name, "name %q, description %q: want child's id and base's description", sc.Name, sc.Description)
	assert.Equal(t, "The parent of child.toml.", sc.Description, "name %q, description %q: want child's id and base's description", sc.Name, sc.Description)
	assert.Equal(t, sim.Span{Start: DefaultSpan.Start, End: sim.NewPeriod(2028, 4)}, sc.Span, "span")
	assert.Equal(t, mustDist(t, 0.9).String(), sc.Params[0].String(), "yield_ceiling")
	assert.Equal(t, mustDist(t, "8 to 12").String(), sc.Params[1].String(), "halving_months")
	var ids []string
	for _, e := range sc.Events {
		ids = append(ids, e.ID)
		assert.False(t, e.ID == "fee" && e.Value != 0.2, "fee = %v, want the child's 0.2", e.Value)
	}
	// Sorted by date; "fee" was replaced in place, so it keeps the parent's
	// position among events of one quarter.
	want := []string{"foundry.due_diligence@2021Q2", "export.tpp_threshold@2022Q4", "fee"}
	assert.Equal(t, want, ids, "events = %v, want %v", ids, want)

	// The same content written out flat hashes alike.
	flat := `id = "child"
title = "Child"
description = "The parent of child.toml."
[time]
end = "2028Q4"
[params]
"fab.yield_ceiling" = 0.9
"efficiency.halving_months" = "8 to 12"
[[events]]
id = "fee"
lever = "export.fee"
value = 0.2
effective = "2023Q1"
[[events]]
lever = "export.tpp_threshold"
value = 4800
effective = "2022Q4"
[[events]]
lever = "foundry.due_diligence"
value = true
effective = "2021Q2"
`
	fsc, err := loadText(t, l, flat)
	require.NoError(t, err)
	assert.Equal(t, sc.Hash, fsc.Hash, "flat file hashes %s, extends chain %s", fsc.Hash, sc.Hash)
	_ = reg

	// A path file may extend a built-in by name.
	bc := load(t, l, "testdata/good/builtin-child.toml")
	require.Len(t, bc.Events, 2, "builtin-child events = %+v", bc.Events)
	assert.Equal(t, "oct-2022", bc.Events[0].ID, "builtin-child events = %+v", bc.Events)
}

func TestExtendsSelf(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "me.toml")
	require.NoError(t, os.WriteFile(p, []byte("id = \"me\"\ntitle = \"Me\"\nextends = \"me.toml\"\n"), 0o644))
	_, err := testLoader().Load(p)
	want := p + ":3:1: extends: cycle: " + p + " → " + p
	assert.EqualError(t, err, want, "got %v\nwant %s", err, want)
}

func TestLoadBuiltinByName(t *testing.T) {
	l := testLoader()
	sc := load(t, l, "current-policy")
	assert.Equal(t, "current-policy", sc.Name, "got %q %q %q", sc.Name, sc.Title, sc.Description)
	assert.Equal(t, "Current policy", sc.Title, "got %q %q %q", sc.Name, sc.Title, sc.Description)
	assert.Equal(t, "Nothing changes.", sc.Description, "got %q %q %q", sc.Name, sc.Title, sc.Description)
	_, err := l.Load("current-polcy")
	assert.EqualError(t, err, `unknown scenario "current-polcy" (did you mean "current-policy"?)`, "got %v", err)
	src, err := l.Source("no-controls")
	assert.NoError(t, err)
	assert.True(t, strings.HasPrefix(string(src), `id = "no-controls"`), "Source = %q, %v", src, err)
}

func TestBuiltinIDMustMatchName(t *testing.T) {
	l := &Loader{Registry: testRegistry(), FS: mapFS(map[string]string{
		"alpha.toml": "id = \"beta\"\ntitle = \"x\"\n",
	})}
	_, err := l.Load("alpha")
	want := `builtin:alpha.toml:1:1: id: a built-in scenario's id must be its file name, "alpha"; found "beta"`
	assert.EqualError(t, err, want, "got %v\nwant %s", err, want)
}

func TestMissingFile(t *testing.T) {
	// No line: there is no file to point into.
	_, err := testLoader().Load("nope.toml")
	var e *Error
	require.ErrorAs(t, err, &e)
	assert.EqualError(t, err, "nope.toml: cannot read: no such file")
	assert.Zero(t, e.Line, "got %#v", err)
}

func TestErrorFormat(t *testing.T) {
	for _, c := range []struct {
		e    Error
		want string
	}{
		{Error{File: "a.toml", Line: 3, Col: 5, Key: "k", Msg: "m"}, "a.toml:3:5: k: m"},
		{Error{File: "a.toml", Line: 3, Key: "k", Msg: "m"}, "a.toml:3: k: m"},
		{Error{File: "a.toml", Key: "k", Msg: "m"}, "a.toml: k: m"},
		{Error{File: "a.toml", Line: 3, Col: 5, Msg: "m"}, "a.toml:3:5: m"},
		{Error{Key: "--set x", Msg: "m"}, "--set x: m"},
	} {
		got := c.e.Error()
		assert.Equal(t, c.want, got, "got %q, want %q", got, c.want)
	}
}

// TestBad loads every testdata/bad/*.toml and compares its error with
// NAME.golden; `go test ./scenarios -update` rewrites the goldens. Every
// one of these errors has a line. Cross-file errors point into the file at
// fault: cycle-a.toml's error is at the extends line of cycle-b.toml, which
// closes the cycle, and conflict-parent.toml's names the parent's line. The
// only errors without a line are for a file that cannot be read (there is
// no text to point into; TestMissingFile) and an unknown built-in name on
// the command line (TestLoadBuiltinByName).
func TestBad(t *testing.T) {
	files, err := filepath.Glob("testdata/bad/*.toml")
	require.NoError(t, err)
	require.GreaterOrEqual(t, len(files), 20)
	l := testLoader()
	for _, f := range files {
		name := strings.TrimSuffix(filepath.Base(f), ".toml")
		t.Run(name, func(t *testing.T) {
			_, err := l.Load(f)
			require.Error(t, err, "loaded without error")
			var e *Error
			require.ErrorAs(t, err, &e)
			assert.NotEmpty(t, e.File, "error lacks a file: %#v", e)
			assert.NotEmpty(t, e.Key, "error lacks a key: %#v", e)
			assert.NotZero(t, e.Line, "error lacks a line: %v", err)
			assert.NotContains(t, e.Msg, "\n", "message is not one clean line")
			assert.False(t, strings.HasPrefix(e.Msg, "toml:"), "message is not one clean line: %q", e.Msg)
			checkGolden(t, strings.TrimSuffix(f, ".toml")+".golden", err.Error()+"\n")
		})
	}
}

// checkGolden compares got with the golden file, or rewrites it with
// -update.
func checkGolden(t *testing.T, golden, got string) {
	t.Helper()
	if *update {
		require.NoError(t, os.WriteFile(golden, []byte(got), 0o644))
		return
	}
	want, err := os.ReadFile(golden)
	require.NoError(t, err, "run go test ./scenarios -update")
	assert.Equal(t, string(want), got)
}

func TestOverride(t *testing.T) {
	l := testLoader()
	reg := l.Registry
	base := load(t, l, "testdata/good/full.toml")
	before := *base
	beforeEvents := append([]sim.Event(nil), base.Events...)

	sc, err := l.Override(base, []string{
		"fab.yield_ceiling=0.7",
		"demand.budget_growth = 0.1 to 0.3",
		"export.fee=0.3",
		"foundry.due_diligence=true",
		"export.exceptions=H20, A100",
		"export.exceptions=H200", // the later set wins
	})
	require.NoError(t, err)
	assert.Equal(t, mustDist(t, "0.7").String(), sc.Params[0].String(), "yield_ceiling")
	assert.Equal(t, mustDist(t, "0.1 to 0.3").String(), sc.Params[2].String(), "budget_growth")
	assert.Equal(t, base.Params[1].String(), sc.Params[1].String(), "halving_months")
	var got []string
	for _, e := range sc.Events {
		got = append(got, e.ID+"="+reg.Levers[e.Lever].FormatValue(e.Value)+"@"+e.Effective.String())
	}
	want := []string{
		"set:export.fee=0.3@2021Q1",
		"set:foundry.due_diligence=on@2021Q1",
		"set:export.exceptions=H200@2021Q1",
		"export.tpp_threshold@2022Q4=4800@2022Q4",
	}
	assert.Equal(t, want, got, "events:\n got %v\nwant %v", got, want)
	assert.NotEqual(t, base.Hash, sc.Hash, "hash unchanged by overrides")
	assert.Equal(t, sc.Hash, hash(reg, sc), "the hash is the resolved text's")
	// OverrideUnhashed (the classroom server's) gives the same scenario
	// with no hash.
	un, err := l.OverrideUnhashed(base, []string{"fab.yield_ceiling=0.7", "demand.budget_growth = 0.1 to 0.3",
		"export.fee=0.3", "foundry.due_diligence=true", "export.exceptions=H20, A100", "export.exceptions=H200"})
	require.NoError(t, err)
	assert.Empty(t, un.Hash)
	assert.Equal(t, Resolved(reg, sc), Resolved(reg, un))
	assert.Equal(t, before.Hash, base.Hash, "Override changed its input")
	assert.Equal(t, beforeEvents, base.Events, "Override changed its input")
	assert.Equal(t, before.Params[0], base.Params[0], "Override changed its input")

	for _, c := range []struct{ set, want string }{
		{"fab.yeild_ceiling=0.5", `--set fab.yeild_ceiling: unknown parameter or lever (did you mean "fab.yield_ceiling"?)`},
		{"export.fe=0.5", `--set export.fe: unknown parameter or lever (did you mean "export.fee"?)`},
		{"export.fee=high", `--set export.fee: expected a number for lever export.fee, found "high"`},
		{"export.fee=2", `--set export.fee: 2 is outside lever export.fee's bounds [0, 1]`},
		{"foundry.due_diligence=maybe", `--set foundry.due_diligence: expected true or false for switch lever foundry.due_diligence, found "maybe"`},
		{"export.exceptions=H20,H2O", `--set export.exceptions: "H2O" is not one of A100, H20, H200 (did you mean "H20"?)`},
		{"fab.yield_ceiling=1.5", `--set fab.yield_ceiling: value 1.5 is outside the parameter's bounds [0, 1]`},
		{"fab.yield_ceiling", `--set: expected key=value, found "fab.yield_ceiling"`},
	} {
		_, err := l.Override(base, []string{c.set})
		var e *Error
		assert.ErrorAs(t, err, &e)
		assert.EqualError(t, err, c.want, "--set %s:\n got %v\nwant %s", c.set, err, c.want)
	}
	_, err = l.Override(base, []string{"fab.yield_ceiling=0.5 too 0.8"})
	require.Error(t, err)
	assert.True(t, strings.HasPrefix(err.Error(), "--set fab.yield_ceiling: "), "bad distribution: got %v", err)
}

// TestOverrideDistTable: --set takes what a scenario file takes for a
// parameter, distribution tables and quoted strings included, through the
// same parser.
func TestOverrideDistTable(t *testing.T) {
	l := testLoader()
	base := load(t, l, "testdata/good/full.toml")
	for _, c := range []struct {
		set  string
		want any // what the scenario file's TOML decoder would deliver
	}{
		{`fab.yield_ceiling={dist="uniform", min=0.5, max=0.9}`, map[string]any{"dist": "uniform", "min": 0.5, "max": 0.9}},
		{`fab.yield_ceiling = { dist = "pert", min = 0.4, mode = 0.6, max = 0.8, clip = [0.45, 0.75] }`,
			map[string]any{"dist": "pert", "min": 0.4, "mode": 0.6, "max": 0.8, "clip": []any{0.45, 0.75}}},
		{`demand.budget_growth={dist="normal", mean=0.2, sd=0.05}`, map[string]any{"dist": "normal", "mean": 0.2, "sd": 0.05}},
		{`efficiency.halving_months={dist="uniform", min=6, max=14}`, map[string]any{"dist": "uniform", "min": int64(6), "max": int64(14)}},
		{`fab.yield_ceiling="0.6 to 0.9"`, "0.6 to 0.9"},
	} {
		sc, err := l.Override(base, []string{c.set})
		require.NoError(t, err, c.set)
		key, _, _ := strings.Cut(c.set, "=")
		i, ok := l.Registry.ParamIndex(strings.TrimSpace(key))
		require.True(t, ok, key)
		assert.Equal(t, mustDist(t, c.want).String(), sc.Params[i].String(), c.set)
	}

	for _, c := range []struct{ set, want string }{
		// The distribution parser's own message, as for a file.
		{`fab.yield_ceiling={dist="uniform", min=2, max=1}`, "--set fab.yield_ceiling: uniform: min must be below max"},
		// The bounds check applies to tables too.
		{`fab.yield_ceiling={dist="uniform", min=0.5, max=2}`, "--set fab.yield_ceiling: 95th percentile"},
		// Not TOML: one message, no "v = " of the wrapping.
		{`fab.yield_ceiling={dist="uniform", min=1`, "--set fab.yield_ceiling: expected a TOML inline table or string"},
		{`fab.yield_ceiling={dist="uniform"} x=1`, "--set fab.yield_ceiling: expected a TOML inline table or string"},
	} {
		_, err := l.Override(base, []string{c.set})
		var e *Error
		require.ErrorAs(t, err, &e, c.set)
		assert.True(t, strings.HasPrefix(err.Error(), c.want), "--set %s:\n got %v\nwant prefix %s", c.set, err, c.want)
		assert.NotContains(t, err.Error(), "v =", c.set)
	}
}
