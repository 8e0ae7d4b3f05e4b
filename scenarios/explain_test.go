package scenarios

import (
	"math"
	"os"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/chokepoint-sim/chokepoint/sim"
)

// explainLib is a small library: base extends nothing, mid extends base,
// child extends mid and changes it in every way Explain reports.
var explainLib = map[string]string{
	"base.toml": `id = "base"
title = "Base"

[[events]]
id = "pledge"
lever = "export.fee"
value = 0.1
effective = "2021Q1"
note = "A base event."
source = "Test"
`,
	"mid.toml": `id = "mid"
title = "Middle"
extends = "base"

[params]
"fab.yield_ceiling" = "0.6 to 0.9"

[[events]]
id = "tpp"
lever = "export.tpp_threshold"
value = 4800
effective = "2022-10-07"
note = "The 2022 rule."
source = "BIS 2022"

[[events]]
id = "h20"
lever = "export.exceptions"
value = ["H20"]
effective = "2025-08"
note = "H20 allowed."
source = "Reuters 2025"

[[events]]
id = "foundry"
lever = "foundry.due_diligence"
value = true
effective = "2025-01"
note = "Foundry rule."
source = "BIS 2025"

[[events]]
id = "maybe"
lever = "export.fee"
value = 0.5
effective = "2030Q1"
probability = 0.5
note = "A maybe."
source = "Test"
`,
	"child.toml": `id = "child"
title = "Child"
extends = "mid"

[time]
end = "2030Q4"

[params]
"efficiency.halving_months" = "5 to 10"

# Replaced: no H20 after all.
[[events]]
id = "h20"
lever = "export.exceptions"
value = []
effective = "2025-08"
note = "Hypothetical: no H20."
source = "Counterfactual"

# Replaced with the same effect: only the note differs.
[[events]]
id = "foundry"
lever = "foundry.due_diligence"
value = true
effective = "2025-01"
note = "Foundry rule, retold."
source = "BIS 2025"

# Replaced: the 2022 rule comes later.
[[events]]
id = "tpp"
lever = "export.tpp_threshold"
value = 4800
effective = "2023Q2"
note = "Hypothetical: the rule comes late."
source = "Counterfactual"

# New, announced early.
[[events]]
id = "tpp-low"
lever = "export.tpp_threshold"
value = 1600
announced = "2025Q3"
effective = "2026Q1"
note = "Hypothetical: a lower threshold."
source = "A 2025 proposal"

# New and uncertain.
[[events]]
id = "h200-later"
lever = "export.exceptions"
value = ["H20", "H200"]
effective = "2027Q1"
probability = 0.6
delay = { dist = "uniform", min = 0, max = 4 }
note = "Maybe the H200."
source = "Guess"

# Back to the default.
[[events]]
id = "no-fee"
lever = "export.fee"
value = 0
effective = "2028Q1"
note = "Fee dropped."
source = "Test"
`,
}

// explainRegistry is the test registry with the plain words and "none"
// values a model's registry declares for explain to use.
func explainRegistry() *sim.Registry {
	r := testRegistry()
	phrases := map[string]string{
		"export.tpp_threshold":  "the chip-power limit above which a licence is needed",
		"export.fee":            "the US revenue share on allowed sales",
		"foundry.due_diligence": "the foundry due-diligence rule",
		"export.exceptions":     "the list of chips allowed whatever the limits",
	}
	for i := range r.Levers {
		r.Levers[i].Phrase = phrases[r.Levers[i].Key]
	}
	i, _ := r.LeverIndex("export.tpp_threshold")
	r.Levers[i].None = &sim.None{Value: math.Inf(1), Label: "no threshold"}
	return r
}

func explainLoader() *Loader {
	return &Loader{Registry: explainRegistry(), FS: mapFS(explainLib)}
}

func TestExplain(t *testing.T) {
	got, err := explainLoader().Explain("child")
	require.NoError(t, err)
	want := `child extends mid (Middle). It changes:
  from 2022Q4: the chip-power limit above which a licence is needed (export.tpp_threshold) stays none, where mid goes to 4800 TPP — in mid: The 2022 rule. [BIS 2022]
  from 2023Q2: the chip-power limit above which a licence is needed (export.tpp_threshold) goes from none to 4800 TPP, as in mid (replaces mid's event "tpp") — Hypothetical: the rule comes late. [Counterfactual]
  from 2025Q3: the list of chips allowed whatever the limits (export.exceptions) stays none, where mid goes to H20 (replaces mid's event "h20") — Hypothetical: no H20. [Counterfactual]
  from 2026Q1 (announced 2025Q3): the chip-power limit above which a licence is needed (export.tpp_threshold) goes from 4800 TPP to 1600 TPP — Hypothetical: a lower threshold. [A 2025 proposal]
  from 2027Q1, with probability 60%, delayed 0 to 4 quarters: the list of chips allowed whatever the limits (export.exceptions) goes from none to H20, H200 — Maybe the H200. [Guess]
  from 2028Q1: the US revenue share on allowed sales (export.fee) goes from 0.1 to 0 — Fee dropped. [Test]
  parameter efficiency.halving_months: "6 to 14" → "5 to 10"
  span: 2020Q1 to 2035Q4 → 2020Q1 to 2030Q4
  event "foundry" replaces mid's with the same effect (foundry.due_diligence = on from 2025Q1) — Foundry rule, retold. [BIS 2025]
`
	assert.Equal(t, want, got)
}

// A scenario without a parent is compared with the defaults: no events
// and the registry's distributions.
func TestExplainWithoutParent(t *testing.T) {
	got, err := explainLoader().Explain("base")
	require.NoError(t, err)
	want := `base extends no other scenario; it is compared with the model's defaults (every lever at its no-policy value). It changes:
  from 2021Q1: the US revenue share on allowed sales (export.fee) goes from 0 to 0.1 — A base event. [Test]
`
	assert.Equal(t, want, got)

	// The parent's parameters are the mid's own, its uncertain event is
	// listed and base's event is inherited unchanged, so not mentioned.
	got, err = explainLoader().Explain("mid")
	require.NoError(t, err)
	for _, s := range []string{
		"mid extends base (Base). It changes:\n",
		"from 2022Q4: the chip-power limit above which a licence is needed (export.tpp_threshold) goes from none to 4800 TPP — The 2022 rule. [BIS 2022]",
		"from 2030Q1, with probability 50%: the US revenue share on allowed sales (export.fee) goes from 0.1 to 0.5 — A maybe. [Test]",
		`parameter fab.yield_ceiling: "0.5 to 0.8" → "0.6 to 0.9"`,
	} {
		assert.Contains(t, got, s)
	}
	assert.NotContains(t, got, "pledge", "mid's explanation mentions base's inherited event")
	assert.NotContains(t, got, "A base event")
}

func TestExplainNothingChanged(t *testing.T) {
	lib := map[string]string{"a.toml": "id = \"a\"\ntitle = \"A\"\n", "b.toml": "id = \"b\"\ntitle = \"B\"\nextends = \"a\"\n"}
	got, err := (&Loader{Registry: explainRegistry(), FS: mapFS(lib)}).Explain("b")
	require.NoError(t, err)
	assert.Equal(t, "b extends a (A). It changes nothing.\n", got)

	// An added event that sets a lever to the value it already has.
	lib["a.toml"] += "[[events]]\nid = \"fee\"\nlever = \"export.fee\"\nvalue = 0.2\neffective = \"2024Q1\"\n"
	lib["b.toml"] += "[[events]]\nid = \"same\"\nlever = \"export.fee\"\nvalue = 0.2\neffective = \"2025Q1\"\n"
	got, err = (&Loader{Registry: explainRegistry(), FS: mapFS(lib)}).Explain("b")
	require.NoError(t, err)
	want := "b extends a (A). It changes:\n" +
		"  event \"same\" (export.fee = 0.2 from 2025Q1) changes nothing: the lever already has that value\n"
	assert.Equal(t, want, got)
}

// Issue 16: a child that restates a rule its parent never had (the
// report's base may be a counterfactual such as no-controls) says the
// parent has its own value; it does not say the parent "goes to" it.
func TestExplainRestatedRule(t *testing.T) {
	lib := map[string]string{
		"a.toml": "id = \"a\"\ntitle = \"A\"\n",
		"b.toml": "id = \"b\"\ntitle = \"B\"\nextends = \"a\"\n" +
			"[[events]]\nid = \"fee\"\nlever = \"export.fee\"\nvalue = 0.2\neffective = \"2024Q1\"\nnote = \"Fee.\"\nsource = \"T\"\n" +
			"[[events]]\nid = \"fee-held\"\nlever = \"export.fee\"\nvalue = 0.2\neffective = \"2025Q1\"\nnote = \"Fee held.\"\nsource = \"T\"\n",
	}
	got, err := (&Loader{Registry: explainRegistry(), FS: mapFS(lib)}).Explain("b")
	require.NoError(t, err)
	assert.Contains(t, got, "from 2025Q1: the US revenue share on allowed sales (export.fee) stays 0.2 (a has 0) — Fee held. [T]")
	assert.NotContains(t, got, "a goes to", "a never moves")
}

// The test library's current-policy, and a file on disk extending it.
func TestExplainBuiltinAndPath(t *testing.T) {
	l := &Loader{Registry: explainRegistry(), FS: os.DirFS("testdata/lib")}
	got, err := l.Explain(Default)
	require.NoError(t, err)
	assert.Regexp(t, `^current-policy extends no-controls \(No controls\)\. It changes:\n  from 2022Q4: `, got)
	assert.Contains(t, got, "(export.tpp_threshold) goes from none to 4800 TPP — The October 2022 rule. [Test data]")
	got, err = l.Explain("testdata/good/builtin-child.toml")
	require.NoError(t, err)
	assert.Contains(t, got, " extends current-policy (Current policy). It changes:\n")
}

func TestExplainErrors(t *testing.T) {
	_, err := explainLoader().Explain("chid")
	var e *Error
	require.ErrorAs(t, err, &e, "%v", err)
	assert.EqualError(t, err, `unknown scenario "chid" (did you mean "child"?)`)
	// A broken parent is reported in the parent.
	lib := map[string]string{"a.toml": "id = \"a\"\ntitel = \"A\"\n", "b.toml": "id = \"b\"\ntitle = \"B\"\nextends = \"a\"\n"}
	_, err = (&Loader{Registry: explainRegistry(), FS: mapFS(lib)}).Explain("b")
	require.Error(t, err)
	assert.Regexp(t, `^builtin:a\.toml:2:1: titel: unknown key`, err.Error())
}

func TestFormatValue(t *testing.T) {
	noCap := &sim.None{Value: 1e9, Label: "no cap"}
	for _, c := range []struct {
		lv   sim.Lever
		v    float64
		want string
	}{
		{sim.Lever{Unit: "USD/yr", Max: 1e12}, 1.75e10, "$17.5B/yr"},
		{sim.Lever{Unit: "USD/yr", Max: 1e12}, 4.75e9, "$4.75B/yr"},
		{sim.Lever{Unit: "H100e/quarter", Max: 1e9, Default: 1e9, None: noCap}, 1e9, "none"},
		{sim.Lever{Unit: "H100e/quarter", Max: 1e9, Default: 1e9, None: noCap}, 1e6, "1M H100e/quarter"},
		{sim.Lever{Unit: "H100e/quarter", Max: 1e9, Default: 1e9, None: noCap}, 50000, "50k H100e/quarter"},
		// A maximum that is the default is no "none" unless declared so.
		{sim.Lever{Unit: "GB/s", Max: 1200, Default: 1200}, 1200, "1200 GB/s"},
		{sim.Lever{Unit: "TPP", Max: 1e6, Default: 1e6}, 4800, "4800 TPP"},
		{sim.Lever{Unit: "TPP/mm²", Max: 1e6, Default: 1e6}, 5.92, "5.92 TPP/mm²"},
		{sim.Lever{Unit: "fraction", Max: 1}, 0.15, "0.15"},
		{sim.Lever{Kind: sim.LeverSwitch}, 1, "on"},
		{sim.Lever{Kind: sim.LeverSet, Items: []string{"H20", "H200"}}, 0, "none"},
		{sim.Lever{Kind: sim.LeverSet, Items: []string{"H20", "H200"}}, 3, "H20, H200"},
	} {
		assert.Equal(t, c.want, formatValue(&c.lv, c.v), "%+v at %v", c.lv, c.v)
	}
}

func TestLeverPhrase(t *testing.T) {
	for _, c := range []struct {
		lv   sim.Lever
		want string
	}{
		{sim.Lever{Key: "sme.allied_alignment", Phrase: "allied equipment alignment", Description: "how far (0: none)"}, "allied equipment alignment"},
		{sim.Lever{Key: "x.y", Description: "how hard it rains (0: dry)"}, "how hard it rains"},
		{sim.Lever{Key: "x.y", Description: "a rule; more text"}, "a rule"},
		{sim.Lever{Key: "x.y"}, "x.y"},
	} {
		assert.Equal(t, c.want, c.lv.PlainPhrase(), "%+v", c.lv)
	}
}
