package web

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/chokepoint-sim/chokepoint/scenarios"
	"github.com/chokepoint-sim/chokepoint/sim/simtest"
)

// madeUpServer serves the made-up model of package simtest with its one
// scenario: nothing in web knows its keys.
func madeUpServer(t *testing.T) string {
	m := simtest.Model{}
	lib := fstest.MapFS{"made-up.toml": &fstest.MapFile{Data: []byte(simtest.Scenario)}}
	return newTestServer(t, &Server{Model: m, Loader: &scenarios.Loader{Registry: m.Registry(), FS: lib}}).URL
}

// A lever, parameter and output added to a registry reach the API with
// everything the page shows of them.
func TestNewLeverReachesTheAPI(t *testing.T) {
	url := madeUpServer(t)
	var a leversAnswer
	getJSON(t, url+"/api/levers", &a)
	require.Len(t, a.Levers, 1)
	l := a.Levers[0]
	assert.Equal(t, simtest.LeverKey, l.Key)
	assert.Equal(t, simtest.LeverLabel, l.Label)
	assert.Equal(t, &slider{Min: 0, Max: 50, Step: 1}, l.Slider) // simtest's declaration
	assert.Equal(t, &none{Value: 1000, Label: simtest.NoneLabel}, l.None)
	assert.Equal(t, []string{simtest.LeverGroup}, a.Groups)
	require.Len(t, a.Assumptions, 1)
	assert.Equal(t, simtest.ParamKey, a.Assumptions[0].Key)
	assert.Equal(t, simtest.ParamLabel, a.Assumptions[0].Label)
	assert.Equal(t, "made-up", a.Defaults.Scenario, "the library has no default scenario: its first")

	var o outputsAnswer
	getJSON(t, url+"/api/outputs", &o)
	require.Len(t, o.Outputs, 3)
	assert.Equal(t, outputInfo{Key: simtest.OutputKey, Label: simtest.OutputLabel, Subtitle: simtest.OutputSub, Unit: "units",
		Description: "the made-up model's output", Featured: []string{"headline", "run-charts", "report", "page-charts"}}, o.Outputs[0])
	assert.Equal(t, outputInfo{Key: simtest.TotalKey, Unit: "USD", Description: "the made-up rate summed",
		Featured: []string{"page-cost"}, Derived: true, Of: simtest.RateKey, Kind: "cumulative"}, o.Outputs[2])

	// The derived total is computed for the made-up model too.
	ans := simulateOK(t, url, `{"runs": 20, "outputs": ["`+simtest.TotalKey+`"]}`)
	total := ans.q(ans.Outputs, simtest.TotalKey, "p50")
	require.Len(t, total, 44) // 2020Q1 to 2030Q4
	assert.Greater(t, total[43], total[0])
}

// The page builds its sliders, charts and cost panel from the API alone:
// the made-up model's lever gets a slider with its label, range and "none"
// checkbox, its assumption a slider, its output a chart.
func TestNewLeverReachesThePage(t *testing.T) {
	url := madeUpServer(t)
	ctx := browser(t)
	open(t, ctx, url+"/")
	assert.Empty(t, eval[[]string](t, ctx, `window.chokepoint.errors`))
	id := "#in-" + strings.NewReplacer(".", "-").Replace(simtest.LeverKey)
	assert.Equal(t, []string{"0", "50", "1"}, eval[[]string](t, ctx,
		`(() => { const e = document.querySelector('`+id+`'); return [e.min, e.max, e.step]; })()`))
	groups := eval[[]string](t, ctx, `[...document.querySelectorAll('#groups details.group')].map(d => d.dataset.group)`)
	assert.Equal(t, simtest.LeverGroup, groups[0])
	controls := run(t, ctx, chromedp.Text(`#groups`))
	assert.Contains(t, controls, simtest.LeverLabel)
	assert.Contains(t, controls, simtest.NoneLabel)
	assert.Contains(t, controls, simtest.ParamLabel)
	assert.Equal(t, []string{simtest.OutputLabel}, eval[[]string](t, ctx, `[...document.querySelectorAll('#charts figure h2')].map(h => h.textContent)`))
	assert.Len(t, medianPaths(t, ctx), 1)

	// Moving the slider redraws the chart with the lever set.
	before := medianPaths(t, ctx)
	n := draws(t, ctx)
	do(t, ctx, chromedp.Focus(id), chromedp.KeyEvent(kb.End))
	waitDraws(t, ctx, n)
	assert.NotEqual(t, before, medianPaths(t, ctx))
	assert.Contains(t, eval[string](t, ctx, `location.search`), simtest.LeverKey+"=50")
}

// The page's server gets its model from its caller: web imports no model.
func TestWebImportsNoModel(t *testing.T) {
	goCmd, err := exec.LookPath("go")
	if err != nil {
		goCmd = filepath.Join(os.Getenv("GOROOT"), "bin", "go")
	}
	if _, err := os.Stat(goCmd); err != nil {
		t.Skipf("no go command at %s: %v", goCmd, err)
	}
	out, err := exec.Command(goCmd, "list", "-deps", ".").Output()
	require.NoError(t, err)
	deps := strings.Fields(string(out))
	assert.Contains(t, deps, "github.com/chokepoint-sim/chokepoint/sim")
	assert.NotContains(t, deps, "github.com/chokepoint-sim/chokepoint/models")
}
