package report

import (
	"bytes"
	"math"
	"math/rand/v2"
	"regexp"
	"strings"
	"testing"

	"github.com/chokepoint-sim/chokepoint/output"
	"github.com/chokepoint-sim/chokepoint/sim"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var testOutputs = []sim.Output{
	{Key: "compute_stock_h100e", Unit: "H100e", Log: true, Description: "China's installed AI compute"},
	{Key: "self_sufficiency", Unit: "fraction", Description: "domestic share of compute additions"},
}

// testInput returns a report's input for scenarios with the given titles:
// seeded lognormal walks, the first scenario the base.
func testInput(titles ...string) Input {
	reg := sim.NewRegistry([]sim.Param{
		{Key: "fab.yield_ceiling", Unit: "fraction", Min: 0, Max: 1, Default: "0.5 to 0.8",
			Description: "the best yield a fab reaches", Source: "TechInsights 2024 <teardown>"},
		{Key: "fab.ramp", Unit: "1/yr", Min: 0, Max: 10, Default: `{dist = "lognormal", mu = 2.0794, sigma = 0.263}`,
			Description: "how fast a fab ramps", Source: "an assumption"},
	}, nil, testOutputs)
	span := sim.Span{Start: sim.NewPeriod(2020, 1), End: sim.NewPeriod(2035, 4)}
	T, C, runs := span.Len(), len(testOutputs)*span.Len(), 100
	res := &sim.Result{Registry: reg, Span: span, Seed: 3, Runs: runs, Hi: runs, Exact: true}
	var scs []*sim.Scenario
	for s, title := range titles {
		sc := &sim.Scenario{Name: "scenario-" + string(rune('a'+s)), Title: title, Description: "What " + title + " means.",
			Events: []sim.Event{{ID: "rule", Effective: sim.NewPeriod(2022, 4), Probability: 1, Note: "A rule: " + title, Source: "BIS"}}}
		scs = append(scs, sc)
		sr := &sim.ScenarioResult{Scenario: sc, Values: make([]float64, runs*C)}
		for r := range runs {
			rnd := rand.New(rand.NewPCG(3, uint64(r)))
			for t := range T {
				f := float64(t) / float64(T-1)
				sr.Values[r*C+t] = 1e5 * math.Exp(3*f+0.3*rnd.NormFloat64()) * (1 + float64(s)*f)
				sr.Values[r*C+T+t] = 1 / (1 + math.Exp(-(f*4-2)*(1+0.3*float64(s))+0.2*rnd.NormFloat64()))
			}
		}
		res.Scenarios = append(res.Scenarios, sr)
	}
	var diffs []sim.Diff
	if len(titles) > 1 {
		diffs = res.PairedDiffs(0, 0)
	}
	return Input{
		Data:      output.FromResult("0.1.0", res, res.Summaries(0), diffs).WithSamples(res),
		Registry:  reg,
		Scenarios: scs,
		Checks: []sim.Check{{Observation: sim.Observation{ID: "stock-2024", Text: "Installed compute, 2024",
			Output: "compute_stock_h100e", From: sim.NewPeriod(2024, 4), To: sim.NewPeriod(2024, 4),
			Low: 2e5, Central: 3e5, High: 5e5, Unit: "H100e"},
			Model: sim.Summarize([]float64{1e5, 2e5, 3e5, 4e5, 6e5}), Covered: true, Overlap: true}},
		CheckScenario: "scenario-a",
		CheckRuns:     runs,
		Outputs:       []string{"compute_stock_h100e", "self_sufficiency"},
		Years:         []int{2025, 2030, 2035},
		Command:       "chokepoint report scenario-a scenario-b --runs 100 --seed 3 --out report.html",
	}
}

func render(t *testing.T, in Input) string {
	t.Helper()
	r, err := Build(in)
	require.NoError(t, err)
	var buf bytes.Buffer
	require.NoError(t, Write(&buf, r))
	return buf.String()
}

// Scenario text is the user's: a title with markup must show as text,
// in the page and in the charts' SVG alike.
func TestScenarioTextEscaped(t *testing.T) {
	html := render(t, testInput("Current policy", `<script>alert("x")</script> & co`))
	assert.NotContains(t, html, "<script", "a <script> from a scenario title reached the page unescaped")
	assert.Contains(t, html, "&lt;script&gt;alert(", "the title does not appear escaped")
	assert.NotContains(t, html, "<teardown>", "a parameter's source reached the page unescaped")
}

// externalRef matches anything in a page that a browser would fetch from
// elsewhere: src, href, action, srcset, poster or data attributes, CSS
// url() and @import, a <base>, and namespace-like http URLs in attributes.
var externalRef = regexp.MustCompile(`(?i)(\b(src|href|action|srcset|poster|data|xlink:href)\s*=\s*["']?\s*(https?:|//|ftp:))|url\(\s*["']?\s*(https?:|//)|@import|<base\b|<link\b|<script\b|<iframe\b|<object\b|<embed\b|=\s*["']https?://`)

// Acceptance 4: the report references no external URL, so it opens
// without a network request.
func TestNoExternalReferences(t *testing.T) {
	html := render(t, testInput("Current policy", "No controls", "Escalation"))
	assert.Empty(t, externalRef.FindString(html), "the report references something outside it")
	if i := strings.Index(html, "http"); strings.Contains(html, "http://") || strings.Contains(html, "https://") {
		assert.Failf(t, "the report holds a URL", "%q", html[max(0, i-60):min(len(html), i+60)])
	}
}

func TestReportContents(t *testing.T) {
	in := testInput("Current policy", "No controls", "Escalation")
	html := render(t, in)
	for _, want := range []string{
		"AI capacity to 2035 differ under “No controls” and “Escalation”, compared with “Current policy”?",
		"<h2>Headline numbers</h2>", "<h2>Charts</h2>", "<h2>What the scenarios change</h2>",
		"<h2>Calibration</h2>", "<strong>1 of 1</strong>", "<h2>Assumptions</h2>", "fab.yield_ceiling",
		"<h2>Limitations</h2>", "Not a forecast", in.Command,
		"higher in", "Escalation minus Current policy", "% of runs",
	} {
		assert.Contains(t, html, want, "the report lacks %q", want)
	}
	// Two outputs: a comparison and two differences each, and the
	// calibration chart.
	assert.Equal(t, 2*3+1, strings.Count(html, "<svg"), "charts")
	// Inline SVGs carry no fonts (the page's CSS names them): a report
	// stays small.
	assert.NotContains(t, html, "@font-face", "the report embeds a font")
	assert.NotContains(t, html, "base64", "the report embeds a font")
	// Shares read as percentages.
	assert.Regexp(t, `\d+%</span>`, html, "no share written as a percentage")
}

// The assumptions table gives each default as a 90% range in plain
// numbers, never the scenario syntax of a distribution.
func TestAssumptionsPlainRanges(t *testing.T) {
	html := render(t, testInput("Current policy", "No controls"))
	assert.False(t, strings.Contains(html, "{dist"), "a default printed as TOML: %s", assumptionRows(html))
	assert.False(t, strings.Contains(html, "mu = 2.0794"), "a default printed as TOML")
	// lognormal(mu 2.0794, sigma 0.263): exp(2.0794 ∓ 1.6449·0.263) = 5.19 to 12.3 (three significant figures);
	// "0.5 to 0.8" is a normal whose 90% range is 0.5 to 0.8.
	assert.True(t, strings.Contains(html, `<td class="range">5.19 to 12.3</td>`), "the lognormal's 90%% range: %s", assumptionRows(html))
	assert.True(t, strings.Contains(html, `<td class="range">0.5 to 0.8</td>`), "the normal's 90%% range: %s", assumptionRows(html))
}

// The explanation, when given, replaces the list of events.
func TestExplain(t *testing.T) {
	in := testInput("Current policy", "No controls")
	in.Explain = func(name string) (string, error) {
		return name + " extends nothing. It changes:\n  from 2022Q4: something\n", nil
	}
	html := render(t, in)
	assert.Contains(t, html, "<li>from 2022Q4: something</li>", "the explanation's lines are not listed")
	assert.NotContains(t, html, "A rule: No controls", "events listed although an explanation was given")
}

// DESIGN.md: the same inputs give the same bytes.
func TestDeterministic(t *testing.T) {
	a := render(t, testInput("Current policy", "No controls", "Escalation"))
	b := render(t, testInput("Current policy", "No controls", "Escalation"))
	assert.Equal(t, a, b, "two renders of the same report differ")
}

// One scenario: fan charts, no differences, a question of its own.
func TestOneScenario(t *testing.T) {
	html := render(t, testInput("Current policy"))
	assert.Contains(t, html, "What AI capacity could China have by 2035", "no single-scenario question")
	assert.Equal(t, 2+1, strings.Count(html, "<svg"), "charts: two fans and the calibration")
}

// assumptionRows is the assumptions table of a report, for messages.
func assumptionRows(html string) string {
	i := strings.Index(html, `<section id="assumptions">`)
	if i < 0 {
		return "(no assumptions section)"
	}
	j := strings.Index(html[i:], "</section>")
	return html[i : i+max(j, 0)]
}
