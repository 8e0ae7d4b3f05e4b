package web

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"io/fs"
	"net/http"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/chokepoint-sim/chokepoint/models"
	"github.com/chokepoint-sim/chokepoint/scenarios"
)

// xssPayload is markup that runs a script wherever it is parsed as HTML
// rather than shown as text.
const xssPayload = `<script>window.__xss=1</script><img src=x onerror="window.__xss=2">`

// xssScenario is a scenario whose every free text is the payload. The
// description has two sentences, so that the page shows one and folds the
// other into "More about this preset"; its event moves the licence
// threshold in 2026Q1, so that the payload's event shows in the lever's
// "Preset acts from" line.
const xssScenario = `id = "xss-test"
title = '` + xssPayload + `'
description = '''
Escaping check ` + xssPayload + `. Folded part ` + xssPayload + ` the end.'''
extends = "current-policy"

[[events]]
id = "xss-event"
lever = "export.tpp_threshold"
value = 1600
effective = "2026-01-01"
note = '` + xssPayload + `'
source = '` + xssPayload + `'
`

// xssLoader serves the built-in scenarios and xss-test.
func xssLoader(t *testing.T) *scenarios.Loader {
	t.Helper()
	m := fstest.MapFS{"xss-test.toml": &fstest.MapFile{Data: []byte(xssScenario)}}
	builtin := scenarios.Builtin()
	entries, err := fs.ReadDir(builtin, ".")
	require.NoError(t, err)
	for _, e := range entries {
		if e.IsDir() || !strings.HasSuffix(e.Name(), ".toml") {
			continue
		}
		b, err := fs.ReadFile(builtin, e.Name())
		require.NoError(t, err)
		m[e.Name()] = &fstest.MapFile{Data: b}
	}
	return &scenarios.Loader{Registry: models.China{}.Registry(), FS: m}
}

// GET /api/scenarios carries scenario text as JSON strings: escaped so
// that the answer stays valid JSON and decodes to the text as written,
// and served as JSON that a browser never sniffs as a page.
func TestScenarioTextIsJSONEscaped(t *testing.T) {
	ts := newTestServer(t, &Server{Model: models.China{}, Loader: xssLoader(t)})
	resp, err := http.Get(ts.URL + "/api/scenarios")
	require.NoError(t, err)
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	require.Equal(t, http.StatusOK, resp.StatusCode)
	assert.Equal(t, "application/json; charset=utf-8", resp.Header.Get("Content-Type"))
	assert.Equal(t, "nosniff", resp.Header.Get("X-Content-Type-Options"))
	require.True(t, json.Valid(raw), "the answer is not valid JSON")

	// The quotes inside the text are escaped; the text never appears as
	// written, which would end the JSON string early.
	assert.NotContains(t, string(raw), xssPayload)
	assert.Contains(t, string(raw), `onerror=\"window.__xss=2\"`)

	var a scenariosAnswer
	require.NoError(t, json.NewDecoder(bytes.NewReader(raw)).Decode(&a))
	var sc *scenarioInfo
	for i := range a.Scenarios {
		if a.Scenarios[i].Name == "xss-test" {
			sc = &a.Scenarios[i]
		}
	}
	require.NotNil(t, sc, "xss-test is served")
	assert.Equal(t, xssPayload, sc.Title)
	assert.Equal(t, "Escaping check "+xssPayload+". Folded part "+xssPayload+" the end.", sc.Description)
	var ev *eventInfo
	for i := range sc.Events {
		if sc.Events[i].ID == "xss-event" {
			ev = &sc.Events[i]
		}
	}
	require.NotNil(t, ev)
	assert.Equal(t, xssPayload, ev.Note)
	assert.Equal(t, xssPayload, ev.Source)
	assert.Equal(t, "2026Q1", ev.Effective)

	// The simulate answer echoes the title, escaped alike.
	st, b := post(t, ts.URL, `{"scenario": "xss-test", "runs": 5}`)
	require.Equal(t, http.StatusOK, st, string(b))
	var ans struct{ Title string }
	require.NoError(t, json.Unmarshal(b, &ans))
	assert.Equal(t, xssPayload, ans.Title)
	assert.NotContains(t, string(b), xssPayload)
}

// Scenario text is shown as text everywhere on the page: the preset list,
// its title and description, the "What changed" panel, the levers'
// "Preset acts from" lines, the exercise panel and the exported SVG. The
// page's Content-Security-Policy would block an injected inline script
// anyway, so the test turns the policy off: it is the page's escaping that
// is checked, not the policy.
func TestBrowserEscapesScenarioText(t *testing.T) {
	ts := newTestServer(t, &Server{Model: models.China{}, Loader: xssLoader(t)})
	ctx := browser(t)
	var reqs requests
	reqs.listen(t, ctx)
	bypassCSP := chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		_, err := cdp.Call(ctx, tg, page.SetBypassCSP, page.SetBypassCSPParams{Enabled: true})
		return err
	})
	// Run once to start the browser, then turn the policy off for the tab.
	do(t, ctx, chromedp.Navigate("about:blank"), bypassCSP)

	// noInjection checks that nothing of the payload became markup or ran.
	noInjection := func(where string) {
		t.Helper()
		assert.Equal(t, "undefined", eval[string](t, ctx, `typeof window.__xss`), "a script ran (%s)", where)
		assert.Zero(t, eval[int](t, ctx, `document.querySelectorAll('img').length`), "an <img> was injected (%s)", where)
		// The page's own scripts, as index.html lists them: the page and
		// class mode's (which does nothing without a class).
		assert.Equal(t, []string{ts.URL + "/app.js", ts.URL + "/class.js"}, eval[[]string](t, ctx, `[...document.scripts].map(s => s.src)`),
			"a <script> was injected (%s)", where)
		assert.Zero(t, eval[int](t, ctx, `document.querySelectorAll('[onerror]').length`), "an onerror attribute was injected (%s)", where)
	}
	textOf := func(sel string) string {
		t.Helper()
		return eval[string](t, ctx, `document.querySelector(`+jsString(sel)+`).textContent`)
	}

	open(t, ctx, ts.URL+"/?scenario=xss-test&from=2026Q1")
	// Every folded part of the page open, so that all of it is rendered.
	do(t, ctx, chromedp.Evaluate[chromedp.Void](`document.querySelectorAll('details').forEach(d => { d.open = true; })`))

	t.Run("preset list, title and description", func(t *testing.T) {
		assert.Equal(t, "xss-test", eval[string](t, ctx, `document.querySelector('#preset').value`))
		assert.Equal(t, xssPayload, eval[string](t, ctx, `document.querySelector('#preset option[value="xss-test"]').textContent`))
		assert.Equal(t, xssPayload, textOf(`#preset-title`))
		// Visible as text: the rendered text of the title holds the tag.
		assert.Contains(t, eval[string](t, ctx, `document.querySelector('#preset-title').innerText`), "<script>")
		assert.Equal(t, 0, eval[int](t, ctx, `document.querySelector('#preset-title').children.length`))
		desc := textOf(`#preset-desc`)
		assert.Equal(t, 2, strings.Count(desc, xssPayload), desc)
		assert.Contains(t, textOf(`#preset-desc details`), "Folded part "+xssPayload)
		noInjection("preset card")
	})

	t.Run("what changed, nothing yet", func(t *testing.T) {
		assert.Contains(t, textOf(`#changes-body`), "Nothing yet: these are the "+xssPayload+" preset's results")
		assert.Equal(t, xssPayload, textOf(`#changes-body b`))
		noInjection("what changed")
	})

	t.Run("lever lines and what changed with a change", func(t *testing.T) {
		when := textOf(`.lever[data-key="export.tpp_threshold"] .when`)
		assert.Contains(t, when, "2026Q1 1,600 TPP", "the scenario's event shows in the lever's line")
		assert.Equal(t, "1,600 TPP", eval[string](t, ctx, `document.querySelector('#out-export-tpp_threshold').value`))
		n := draws(t, ctx)
		do(t, ctx, chromedp.Focus(`#in-export-tpp_threshold`), chromedp.KeyEvent(kb.Home))
		waitDraws(t, ctx, n)
		changes := textOf(`#changes-body`)
		assert.Contains(t, changes, "Licence threshold: 1,600 TPP → 0 TPP from 2026Q1")
		noInjection("lever lines")
	})

	t.Run("exported SVG", func(t *testing.T) {
		svg := eval[string](t, ctx, `window.chokepoint.exportSVG()`)
		assert.NotContains(t, svg, "<script")
		assert.NotContains(t, svg, "<img")
		assert.Contains(t, svg, "&lt;script&gt;window.__xss=1&lt;/script&gt;&lt;img src=x onerror=&quot;window.__xss=2&quot;&gt;")
		parsed := eval[[]string](t, ctx, `(() => {
			const d = new DOMParser().parseFromString(window.chokepoint.exportSVG(), 'image/svg+xml');
			return [String(d.querySelectorAll('parsererror').length), String(d.querySelectorAll('script, img, foreignObject').length),
				d.querySelector('text').textContent];
		})()`)
		assert.Equal(t, []string{"0", "0", xssPayload + " + your changes"}, parsed)
		png := run(t, ctx, chromedp.Evaluate[string](`window.chokepoint.exportPNG()`, chromedp.EvalAwaitPromise))
		assert.True(t, strings.HasPrefix(png, "data:image/png;base64,"))
		noInjection("export")
	})

	t.Run("exercise panel", func(t *testing.T) {
		open(t, ctx, ts.URL+"/?scenario=xss-test&exercise=hold-the-lead")
		do(t, ctx, chromedp.Evaluate[chromedp.Void](`document.querySelectorAll('details').forEach(d => { d.open = true; })`))
		assert.False(t, eval[bool](t, ctx, `document.querySelector('#exercise-panel').hidden`))
		assert.Contains(t, textOf(`#exercise-panel`), "Start from current-policy")
		assert.Equal(t, xssPayload, textOf(`#preset-title`))
		noInjection("exercise panel")
	})

	// An image that fails to load runs its onerror within this time: had
	// the page made one from the payload, it would have run by now.
	_, err := chromedp.Run(ctx, chromedp.Poll[bool](`document.readyState === 'complete'`, chromedp.WithPollingTimeout(5*time.Second)))
	require.NoError(t, err)
	time.Sleep(200 * time.Millisecond)
	noInjection("end")
	assert.Empty(t, eval[[]string](t, ctx, `window.chokepoint.errors`))
	for _, u := range reqs.all() {
		assert.NotEqual(t, ts.URL+"/x", u, "the page loaded the payload's image")
	}
	reqs.mu.Lock()
	assert.Empty(t, reqs.errors, "errors logged by the page")
	reqs.mu.Unlock()

	// The control: with the policy off, markup parsed as HTML does run
	// here, so the checks above would have caught it.
	do(t, ctx, chromedp.Evaluate[chromedp.Void](`document.body.insertAdjacentHTML('beforeend', '<img src=x onerror="window.__control=2">')`))
	_, err = chromedp.Run(ctx, chromedp.Poll[bool](`window.__control === 2`, chromedp.WithPollingTimeout(5*time.Second)))
	require.NoError(t, err, "the control did not run: is the page's policy still on?")
}

// jsString quotes s as a JavaScript string literal.
func jsString(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}
