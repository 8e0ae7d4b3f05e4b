package web

import (
	"context"
	"flag"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	cdplog "github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/network"
	cdpruntime "github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/chokepoint-sim/chokepoint/models"
	"github.com/chokepoint-sim/chokepoint/sim"
	"github.com/chokepoint-sim/chokepoint/web/webtest"
)

var screenshots = flag.String("screenshots", "", "write desktop and phone screenshots of the page to this folder (e.g. ../docs/img)")

// browser starts a headless Chromium with a fresh profile and nothing that
// phones home, and returns a context for one tab.
func browser(t *testing.T) context.Context {
	t.Helper()
	return webtest.Browser(t)
}

// requests records every URL a tab asks for, and every error the page
// logs (a script error, a refused request, a policy violation).
type requests struct {
	mu     sync.Mutex
	urls   []string
	errors []string
}

func (r *requests) listen(t *testing.T, ctx context.Context) {
	require.NoError(t, chromedp.Listen(ctx, func(ev any) {
		r.mu.Lock()
		defer r.mu.Unlock()
		switch e := ev.(type) {
		case *network.EventRequestWillBeSent:
			r.urls = append(r.urls, e.Request.URL)
		case *cdplog.EventEntryAdded:
			if e.Entry.Level == cdplog.EntryLevelError {
				r.errors = append(r.errors, string(e.Entry.Source)+": "+e.Entry.Text+" "+e.Entry.URL)
			}
		case *cdpruntime.EventExceptionThrown:
			r.errors = append(r.errors, "exception: "+e.ExceptionDetails.Text)
		}
	}))
}

func (r *requests) all() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]string(nil), r.urls...)
}

func run[T any](t *testing.T, ctx context.Context, a chromedp.Action[T]) T {
	t.Helper()
	v, err := chromedp.Run(ctx, a)
	require.NoError(t, err)
	return v
}

func do(t *testing.T, ctx context.Context, steps ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	require.NoError(t, chromedp.Do(ctx, steps...))
}

func eval[T any](t *testing.T, ctx context.Context, js string) T {
	t.Helper()
	return run(t, ctx, chromedp.Evaluate[T](js))
}

// draws is the number of times the page has drawn its charts.
func draws(t *testing.T, ctx context.Context) int {
	return eval[int](t, ctx, `window.chokepoint.draws`)
}

// waitDraws waits until the page has drawn more than n times and no run
// is pending.
func waitDraws(t *testing.T, ctx context.Context, n int) {
	t.Helper()
	_, err := chromedp.Run(ctx, chromedp.Poll[bool](
		`window.chokepoint && window.chokepoint.ready && window.chokepoint.draws > `+strconv.Itoa(n)+
			` && !document.querySelector('#status').classList.contains('busy')`,
		chromedp.WithPollingTimeout(15*time.Second)))
	require.NoError(t, err, "the page did not redraw; errors: %v", eval[[]string](t, ctx, `window.chokepoint ? window.chokepoint.errors : []`))
}

// medianPaths returns the d attribute of each chart's median line.
func medianPaths(t *testing.T, ctx context.Context) []string {
	return eval[[]string](t, ctx, `[...document.querySelectorAll('#charts svg path.median')].map(p => p.getAttribute('d'))`)
}

func open(t *testing.T, ctx context.Context, url string) {
	t.Helper()
	do(t, ctx, chromedp.Navigate(url))
	waitDraws(t, ctx, 0)
}

// Acceptance 1, 2 and 4: the page loads with no request leaving the
// machine, a slider move redraws the charts fast enough, a preset loads, a
// shared URL reopens the same state; and the screenshots.
func TestBrowser(t *testing.T) {
	ts := newTestServer(t, nil)
	require.True(t, strings.HasPrefix(ts.URL, "http://127.0.0.1:"), ts.URL)
	ctx := browser(t)
	var reqs requests
	reqs.listen(t, ctx)
	start := time.Now()
	open(t, ctx, ts.URL+"/")
	t.Logf("first draw %v after navigation", time.Since(start).Round(time.Millisecond))

	t.Run("loads offline", func(t *testing.T) {
		assert.Equal(t, "chokepoint · classroom", run(t, ctx, chromedp.Title()))
		assert.Len(t, medianPaths(t, ctx), 4)
		assert.Equal(t, 4, eval[int](t, ctx, `document.querySelectorAll('#charts svg path.baseline').length`))
		assert.Empty(t, eval[[]string](t, ctx, `window.chokepoint.errors`))
		// Every lever of the registry has a control, grouped.
		assert.Equal(t, len(models.Registry.Levers), eval[int](t, ctx, `document.querySelectorAll('#groups details.group:not(:last-child) .lever').length`))
		assert.Equal(t, []string{"US chip rules", "Allied equipment controls", "Enforcement", "China's response", "Key assumptions (uncertain)"},
			eval[[]string](t, ctx, `[...document.querySelectorAll('#groups details.group')].map(d => d.dataset.group)`))
	})

	// The page writes numbers as the engine does (sim.PageStyle).
	t.Run("numbers read as the engine writes them", func(t *testing.T) {
		vs := []float64{0, 0.004, -0.004, 0.0456, 0.123, 0.5, 1, 1.35, 9.996, 24.7, 99.95, 123, 999.6, 4800, -514000,
			999960, 1.35e6, 5.3e6, 80.4e9, 1.2e13, 5.43e15}
		var js []string
		for _, v := range vs {
			js = append(js, strconv.FormatFloat(v, 'g', -1, 64))
		}
		got := eval[[]string](t, ctx, `[`+strings.Join(js, ",")+`].map(window.chokepoint.short)`)
		require.Len(t, got, len(vs))
		for i, v := range vs {
			assert.Equal(t, sim.FormatShort(v, sim.PageStyle), got[i], "%v", v)
		}
	})

	t.Run("controls are labelled and charts have text alternatives", func(t *testing.T) {
		unlabelled := eval[[]string](t, ctx, `[...document.querySelectorAll('input, select, button')]
			.filter(e => !(e.labels && e.labels.length) && !e.getAttribute('aria-label') && !e.textContent.trim())
			.map(e => e.outerHTML.slice(0, 80))`)
		assert.Empty(t, unlabelled)
		alts := eval[[]string](t, ctx, `[...document.querySelectorAll('#charts svg')].map(s => s.getAttribute('role') + '|' + s.getAttribute('aria-label') + '|' + s.querySelector('title').textContent)`)
		require.Len(t, alts, 4)
		for _, a := range alts {
			parts := strings.SplitN(a, "|", 3)
			assert.Equal(t, "img", parts[0])
			assert.Contains(t, parts[1], "median")
			assert.Contains(t, parts[1], "2030Q4")
			assert.Equal(t, parts[1], parts[2])
		}
	})

	t.Run("a slider move changes the charts", func(t *testing.T) {
		before := medianPaths(t, ctx)
		n := draws(t, ctx)
		// Keyboard only: focus the CXMT switch and press Space, then move
		// the allied alignment slider to its end.
		do(t, ctx, chromedp.Focus(`#in-entity-cxmt_listed`), chromedp.KeyEvent(" "))
		waitDraws(t, ctx, n)
		n = draws(t, ctx)
		do(t, ctx, chromedp.Focus(`#in-sme-allied_alignment`), chromedp.KeyEvent(kb.End))
		waitDraws(t, ctx, n)
		after := medianPaths(t, ctx)
		for i := range before {
			assert.NotEqual(t, before[i], after[i], "chart %d did not change", i)
		}
		url := eval[string](t, ctx, `location.search`)
		assert.Contains(t, url, "entity.cxmt_listed=on")
		assert.Contains(t, url, "sme.allied_alignment=1")
		assert.Contains(t, eval[string](t, ctx, `document.querySelector('#changes-body').textContent`), "CXMT entity-listed")
	})

	t.Run("slider to redraw latency at 500 runs", func(t *testing.T) {
		// The Enforcement group starts closed: open it from the keyboard.
		do(t, ctx, chromedp.Focus(`details[data-group="Enforcement"] > summary`), chromedp.KeyEvent("\r"))
		const moves = 32
		// measure moves a slider one step at a time from the keyboard
		// (each step a new setting, so no answer comes from the cache) and
		// returns the page's own timings, from the input event to the frame
		// after the redraw, sorted.
		measure := func(slider string) []float64 {
			eval[int](t, ctx, `window.chokepoint.latencies = []; 0`)
			do(t, ctx, chromedp.Focus(slider))
			for i := 0; i < moves; i++ {
				n := draws(t, ctx)
				do(t, ctx, chromedp.KeyEvent(kb.ArrowRight))
				waitDraws(t, ctx, n)
			}
			lat := eval[[]float64](t, ctx, `window.chokepoint.latencies`)
			require.Len(t, lat, moves)
			sort.Float64s(lat)
			return lat
		}
		stats := func(lat []float64) (med, p95 float64) { return lat[len(lat)/2], lat[int(0.95*float64(len(lat)-1))] }
		// The slider starts at the preset's value of the lever (current
		// policy's, where the page opens), not necessarily the registry's
		// default.
		start, err := strconv.ParseFloat(eval[string](t, ctx, `document.querySelector('#in-enforcement-leakage').value`), 64)
		require.NoError(t, err)
		lat := measure(`#in-enforcement-leakage`)
		med, p95 := stats(lat)
		t.Logf("slider move to redrawn charts, %d moves at 500 runs: median %.0f ms, p95 %.0f ms, min %.0f ms, max %.0f ms",
			moves, med, p95, lat[0], lat[len(lat)-1])
		// 32 steps of 0.01 from where it started.
		want := strconv.FormatFloat(start+float64(moves)*0.01, 'f', 2, 64)
		assert.Equal(t, want, eval[string](t, ctx, `document.querySelector('#in-enforcement-leakage').value`))
		if med >= 150 || p95 >= 300 {
			// One more series, on fresh settings, before calling it slow: a
			// burst of other work on a shared machine is not a regression.
			lat = measure(`#in-enforcement-cloud_access`)
			med, p95 = stats(lat)
			t.Logf("second series: median %.0f ms, p95 %.0f ms, min %.0f ms, max %.0f ms", med, p95, lat[0], lat[len(lat)-1])
		}
		// The figures are logged always and held to the page's bound when
		// asked: a timed assertion fails on a machine busy with other work
		// (docs/performance.md gives the measured figures).
		if os.Getenv("CHOKEPOINT_PAGE_TIMING") != "" && !raceDetector {
			assert.Less(t, med, 150.0, "median latency (ms)")
			assert.Less(t, p95, 300.0, "95th percentile latency (ms)")
		}
	})

	t.Run("a preset loads", func(t *testing.T) {
		n := draws(t, ctx)
		do(t, ctx, chromedp.Evaluate[chromedp.Void](`{ const s = document.querySelector('#preset'); s.value = 'no-controls'; s.dispatchEvent(new Event('change')); }`))
		waitDraws(t, ctx, n)
		assert.Equal(t, "No controls after September 2022", run(t, ctx, chromedp.Text(`#preset-title`)))
		url := eval[string](t, ctx, `location.search`)
		assert.Contains(t, url, "scenario=no-controls")
		assert.NotContains(t, url, "entity.cxmt_listed", "a preset clears the changes")
		// No controls from 2022Q4: the licence threshold shows "no threshold".
		assert.True(t, eval[bool](t, ctx, `document.querySelector('#in-export-tpp_threshold').disabled`))
		assert.Contains(t, eval[string](t, ctx, `document.querySelector('#changes-body').textContent`), "Nothing yet")
	})

	t.Run("a shared URL reopens the same state", func(t *testing.T) {
		n := draws(t, ctx)
		do(t, ctx, chromedp.Evaluate[chromedp.Void](`{
			const set = (sel, v) => { const e = document.querySelector(sel); e.value = v; e.dispatchEvent(new Event('change')); };
			set('#preset', 'current-policy'); set('#runs', '1000'); set('#seed', '7'); set('#from', '2027Q1');
		}`))
		waitDraws(t, ctx, n)
		n = draws(t, ctx)
		do(t, ctx, chromedp.Focus(`#in-export-tpp_threshold`), chromedp.KeyEvent(kb.Home))
		waitDraws(t, ctx, n)
		n = draws(t, ctx)
		do(t, ctx, chromedp.Evaluate[chromedp.Void](`{
			const b = [...document.querySelectorAll('.lever[data-key="export.exceptions"] input')].find(i => i.value === 'H200');
			b.click();
			const f = document.querySelector('.lever[data-key="substitution.elasticity"] input[type=checkbox]');
			f.click();
		}`))
		waitDraws(t, ctx, n)
		shared := eval[string](t, ctx, `location.href`)
		want := medianPaths(t, ctx)
		wantControls := eval[string](t, ctx, `[...document.querySelectorAll('#groups input, #toolbar select, #toolbar input')].map(e => e.type === 'checkbox' ? e.checked : e.value).join('|')`)
		for _, s := range []string{"runs=1000", "seed=7", "from=2027Q1", "export.tpp_threshold=0", "export.exceptions=H20", "substitution.elasticity="} {
			assert.Contains(t, shared, s)
		}

		tab, cancel := chromedp.NewContext(ctx) // a second tab, as a student opening the link
		defer cancel()
		reqs.listen(t, tab)
		open(t, tab, shared)
		assert.Equal(t, shared, eval[string](t, tab, `location.href`))
		assert.Equal(t, want, medianPaths(t, tab))
		assert.Equal(t, wantControls, eval[string](t, tab, `[...document.querySelectorAll('#groups input, #toolbar select, #toolbar input')].map(e => e.type === 'checkbox' ? e.checked : e.value).join('|')`))
	})

	// docs/MODEL.md, "The sign property and the pool mix": a TPP threshold
	// of 1,000 bars the RTX Pro 6000D, and China's inference buyers move to
	// the H200, still allowed: the stock rises (+6% in the median), most of
	// it their purchases, and "What changed" says so under the stock's row.
	// Cutting smuggling lowers the stock: no such sentence.
	t.Run("what changed says why a tightening raised the stock", func(t *testing.T) {
		text := func(query string) string {
			open(t, ctx, ts.URL+"/?scenario=current-policy&runs=500&seed=1&from=2026Q2&at=2030Q4&"+query)
			return eval[string](t, ctx, `document.querySelector('#changes-body').textContent`)
		}
		rows := func() []string {
			return eval[[]string](t, ctx, `[...document.querySelectorAll('#changes-body tbody tr')].map(r => r.className + '|' + r.cells[0].textContent)`)
		}
		up := text("export.tpp_threshold=1000")
		got := rows()
		require.GreaterOrEqual(t, len(got), 2)
		assert.True(t, strings.HasPrefix(got[0], "|China's AI compute stock"), got[0])
		assert.True(t, strings.HasPrefix(got[1], "part|of it, bought by inference buyers"), got[1])
		assert.Contains(t, up, "Most of the rise in China's AI compute stock is chips bought by inference buyers")
		down := text("enforcement.leakage=0")
		assert.NotContains(t, down, "Most of the rise")
		assert.Contains(t, down, "of it, bought by inference buyers")
		assert.Empty(t, eval[[]string](t, ctx, `window.chokepoint.errors`))
	})
	t.Run("exercise mode says whether the goal is met", func(t *testing.T) { browserExercise(t, ctx, ts.URL) })
	t.Run("plain words on the student page", func(t *testing.T) { browserPlainWords(t, ctx, ts.URL) })
	t.Run("phone layout", func(t *testing.T) { browserPhoneLayout(t, ctx, ts.URL) })

	t.Run("export", func(t *testing.T) {
		svg := eval[string](t, ctx, `window.chokepoint.exportSVG()`)
		assert.True(t, strings.HasPrefix(svg, `<svg xmlns="http://www.w3.org/2000/svg"`))
		assert.Equal(t, 5, strings.Count(svg, "<svg "), "the view and its four charts")
		csv := eval[string](t, ctx, `window.chokepoint.exportCSV()`)
		lines := strings.Split(strings.TrimSpace(csv), "\n")
		assert.Equal(t, "scenario,output,unit,period,year,p05,p25,p50,p75,p95,preset_p50", lines[0])
		assert.Len(t, lines, 1+6*64)
		png := run(t, ctx, chromedp.Evaluate[string](`window.chokepoint.exportPNG()`, chromedp.EvalAwaitPromise))
		assert.True(t, strings.HasPrefix(png, "data:image/png;base64,"))
		assert.Greater(t, len(png), 50000)
	})

	t.Run("screenshots", func(t *testing.T) { browserScreenshots(t, ctx, ts.URL) })

	// Checked last, over everything the tabs asked for.
	for _, u := range reqs.all() {
		if strings.HasPrefix(u, "data:") || strings.HasPrefix(u, "blob:") {
			continue // made in the page, never sent
		}
		assert.True(t, strings.HasPrefix(u, ts.URL+"/"), "request left the test server: %s", u)
	}
	t.Logf("%d requests, all to %s", len(reqs.all()), ts.URL)
	reqs.mu.Lock()
	assert.Empty(t, reqs.errors, "errors logged by the page")
	reqs.mu.Unlock()
}

func browserExercise(t *testing.T, ctx context.Context, base string) {
	open(t, ctx, base+"/?exercise=hold-the-lead")
	assert.Equal(t, "Not yet", run(t, ctx, chromedp.Text(`#exercise-panel .verdict`)))
	// The worked answer of the teacher's notes (exercises.json): no
	// overseas cloud and no smuggling (both sliders' start, in the
	// Enforcement group, folded at first), half the licences approved.
	eval[bool](t, ctx, `document.querySelector('details.group[data-group="Enforcement"]').open = true`)
	for _, slider := range []string{`#in-enforcement-cloud_access`, `#in-enforcement-leakage`} {
		n := draws(t, ctx)
		do(t, ctx, chromedp.Focus(slider), chromedp.KeyEvent(kb.Home))
		waitDraws(t, ctx, n)
	}
	assert.Equal(t, "Not yet", run(t, ctx, chromedp.Text(`#exercise-panel .verdict`)), "two levers: the bill is too high")
	n := draws(t, ctx)
	do(t, ctx, chromedp.Evaluate[chromedp.Void](`{ const e = document.querySelector('#in-export-licence_approval');
		e.value = 0.5; e.dispatchEvent(new Event('input')); }`))
	waitDraws(t, ctx, n)
	assert.Equal(t, "✓ Goal met", run(t, ctx, chromedp.Text(`#exercise-panel .verdict`)))
	// Choosing an exercise applies its start: leaky borders begins
	// with smuggling at 60%.
	n = draws(t, ctx)
	do(t, ctx, chromedp.Evaluate[chromedp.Void](`{ const s = document.querySelector('#exercise'); s.value = 'leaky-borders'; s.dispatchEvent(new Event('change')); }`))
	waitDraws(t, ctx, n)
	url := eval[string](t, ctx, `location.search`)
	assert.Contains(t, url, "enforcement.leakage=0.6")
	assert.NotContains(t, url, "enforcement.cloud_access")
	assert.Equal(t, 5, eval[int](t, ctx, `document.querySelectorAll('#exercise-panel ul.checks li').length`))
	// So does its link.
	open(t, ctx, base+"/?exercise=which-assumption")
	assert.Contains(t, eval[string](t, ctx, `location.search`), "efficiency.halving_months=6")
}

// Issue 17: the student page speaks plain words. With every group
// open, the text a student sees holds no registry key and no stand-in
// number for "no rule"; the keys are in the folded details panels.
func browserPlainWords(t *testing.T, ctx context.Context, base string) {
	open(t, ctx, base+"/?exercise=backfire")
	eval[bool](t, ctx, `document.querySelectorAll('details.group').forEach(d => { d.open = true; }); true`)
	text := eval[string](t, ctx, `document.body.innerText`)
	reg := models.Registry
	var keys []string
	for _, l := range reg.Levers {
		keys = append(keys, l.Key)
	}
	for _, p := range reg.Params {
		keys = append(keys, p.Key)
	}
	for _, o := range append(reg.Outputs, reg.Derived...) {
		keys = append(keys, o.Key)
	}
	for _, k := range keys {
		assert.NotContains(t, text, k, "a raw key on the student page")
	}
	for _, raw := range []string{"1000000", "1e9", "1e+09", "1e6", "means no threshold"} {
		assert.NotContains(t, text, raw, "a stand-in value on the student page")
	}
	// The details panel keeps the key for researchers.
	assert.Equal(t, "export.tpp_threshold", eval[string](t, ctx, `document.querySelector('.lever[data-key="export.tpp_threshold"] details.src code').textContent`))
}

// Issue 17: on a phone (390 px) the levers are reachable without
// scrolling past the charts, and each exercise condition reads as one
// line with its mark.
func browserPhoneLayout(t *testing.T, ctx context.Context, base string) {
	do(t, ctx, chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile, chromedp.EmulateScale(2)))
	defer do(t, ctx, chromedp.EmulateReset())
	open(t, ctx, base+"/?exercise=hold-the-lead")
	// At the top of the page, and scrolled to the last chart, a lever
	// group is on screen.
	onScreen := `(() => { const r = document.querySelector('details.group > summary').getBoundingClientRect();
		return r.top >= 0 && r.bottom <= window.innerHeight && r.width > 300; })()`
	assert.True(t, eval[bool](t, ctx, onScreen), "the lever sheet at the top of the page")
	eval[bool](t, ctx, `document.querySelector('#charts figure:last-child').scrollIntoView(); true`)
	assert.True(t, eval[bool](t, ctx, onScreen), "the lever sheet beside the last chart")
	// A lever moved from the sheet redraws the charts.
	eval[bool](t, ctx, `document.querySelector('details.group[data-group="Enforcement"]').open = true`)
	n := draws(t, ctx)
	do(t, ctx, chromedp.Focus(`#in-enforcement-cloud_access`), chromedp.KeyEvent(kb.Home))
	waitDraws(t, ctx, n)
	// Each condition: the mark and the first line of its text share a line.
	tops := eval[[]float64](t, ctx, `[...document.querySelectorAll('#exercise-panel ul.checks li')].map(li =>
		Math.abs(li.querySelector('.mark').getBoundingClientRect().top - li.querySelector('.what').getBoundingClientRect().top))`)
	require.NotEmpty(t, tops)
	for _, d := range tops {
		assert.Less(t, d, 4.0, "the ✓ or ✗ sits on its condition's line")
	}
	// The handle folds the sheet to one line and opens it again.
	do(t, ctx, chromedp.Click(`#sheet-handle`))
	assert.Less(t, eval[float64](t, ctx, `document.querySelector('#controls').getBoundingClientRect().height`), 60.0)
	do(t, ctx, chromedp.Click(`#sheet-handle`))
	assert.Greater(t, eval[float64](t, ctx, `document.querySelector('#controls').getBoundingClientRect().height`), 200.0)
}

// browserScreenshots writes the docs' screenshots of the page at desktop
// and phone size (to -screenshots, else a temporary folder).
func browserScreenshots(t *testing.T, ctx context.Context, base string) {
	dir := *screenshots
	if dir == "" {
		dir = t.TempDir()
	}
	require.NoError(t, os.MkdirAll(dir, 0o755))
	view := base + "/?scenario=current-policy&runs=500&seed=1&from=2026Q1&at=2030Q4&entity.cxmt_listed=on&export.exceptions=H20"
	for _, shot := range []struct {
		name, query   string
		width, height int64
		mobile        bool
		prepare       string // run before the screenshot
	}{
		{"classroom-desktop.png", "&exercise=hold-the-lead", 1366, 900, false, ""},
		// On a phone: the checklist at the top, a chart below it, the
		// lever sheet open at the Enforcement group.
		{"classroom-phone.png", "&exercise=hold-the-lead", 390, 844, true,
			`document.querySelector('details.group[data-group="Enforcement"]').open = true;
			 window.scrollTo(0, document.querySelector('#exercise-panel ul.checks').getBoundingClientRect().top + window.scrollY - 8); true`},
	} {
		opts := []chromedp.EmulateViewportOption{}
		if shot.mobile {
			opts = append(opts, chromedp.EmulateMobile, chromedp.EmulateScale(2))
		}
		do(t, ctx, chromedp.EmulateViewport(shot.width, shot.height, opts...))
		open(t, ctx, view+shot.query)
		if shot.prepare != "" {
			eval[bool](t, ctx, shot.prepare)
			do(t, ctx, chromedp.Sleep(300*time.Millisecond))
		}
		png := run(t, ctx, chromedp.CaptureScreenshot())
		require.NoError(t, os.WriteFile(filepath.Join(dir, shot.name), png, 0o644))
	}
	do(t, ctx, chromedp.EmulateReset())
}
