package main

import (
	"bytes"
	"context"
	"encoding/json"
	"html"
	"io"
	"math"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/network"
	cdpruntime "github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/chokepoint-sim/chokepoint/web"
	"github.com/chokepoint-sim/chokepoint/web/webtest"
)

// The committed WebAssembly model is what the source builds: rebuilt with
// the same toolchain, it gives the same bytes (-trimpath, no VCS stamp), so
// a change to the model, engine, scenarios or API code that was not
// followed by `go generate ./cmd/chokepoint` fails here rather than ship a
// page that disagrees with serve.
func TestWasmUpToDate(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the model for js/wasm (about 20 s): not in -short")
	}
	goCmd, err := exec.LookPath("go")
	if err != nil {
		goCmd = filepath.Join(os.Getenv("GOROOT"), "bin", "go")
	}
	if _, err := os.Stat(goCmd); err != nil {
		t.Skipf("no go command at %s: %v", goCmd, err)
	}
	committed, err := os.ReadFile("wasm/toolchain.txt")
	require.NoError(t, err)
	if got := strings.TrimSpace(string(committed)); got != runtime.Version() {
		// Another toolchain builds other bytes: the comparison would say
		// nothing about the source.
		t.Skipf("the committed wasm was built with %s, this test with %s: the bytes cannot be compared; "+
			"run go generate ./cmd/chokepoint with %s to refresh it", got, runtime.Version(), runtime.Version())
	}
	cmd := exec.Command(goCmd, "run", "./wasm/gen", "-check")
	out, err := cmd.CombinedOutput()
	require.NoError(t, err, "%s", out)
}

// publish writes the folder and says how to embed it; the folder holds
// only the page, the model and the loader, weighs less than 8 MB, and its
// page says first that it is not a forecast.
func TestPublishWritesFolder(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "site", "chokepoint")
	code, stdout, stderr := cli(t, "publish", dir, "--url", "https://example.org/chokepoint/")
	require.Equal(t, 0, code, stderr)
	assert.Contains(t, stdout, `<iframe src="https://example.org/chokepoint/" `)
	assert.Contains(t, stdout, "not a forecast")

	entries, err := os.ReadDir(dir)
	require.NoError(t, err)
	var names []string
	var total int64
	for _, e := range entries {
		info, err := e.Info()
		require.NoError(t, err)
		total += info.Size()
		names = append(names, e.Name())
	}
	for _, want := range []string{"index.html", "app.js", "style.css", "exercises.json", "publish.js", "publish-worker.js", "wasm_exec.js", web.WasmFile} {
		assert.Contains(t, names, want)
	}
	// Issue 17: the folder stays under 8 MB.
	assert.Less(t, total, int64(8<<20), "folder size in bytes")
	t.Logf("published folder: %d files, %d bytes (%.2f MB)", len(names), total, float64(total)/(1<<20))

	index, err := os.ReadFile(filepath.Join(dir, "index.html"))
	require.NoError(t, err)
	page := string(index)
	notice := html.EscapeString(web.PublishNotice)
	assert.Contains(t, page, notice)
	assert.Less(t, strings.Index(page, notice), strings.Index(page, `class="top"`), "the notice comes first")
	assert.Less(t, strings.Index(page, "publish.js"), strings.Index(page, "app.js"), "the API is set before the page starts")
	assert.NotContains(t, names, "teacher.html", "class mode needs its server")
	assert.NotContains(t, page, "class.js")
	assert.NotContains(t, page, "http://", "no external resource")
	assert.NotContains(t, page, "https://", "no external resource")

	// Publishing again over an earlier publish replaces it; a folder
	// holding anything else is refused, untouched.
	code, _, stderr = cli(t, "publish", dir)
	assert.Equal(t, 0, code, stderr)
	require.NoError(t, os.WriteFile(filepath.Join(dir, "notes.txt"), []byte("mine"), 0o644))
	require.NoError(t, os.Remove(filepath.Join(dir, "app.js")))
	code, stdout, stderr = cli(t, "publish", dir)
	assert.Equal(t, 2, code)
	assert.Empty(t, stdout)
	assert.Equal(t, "chokepoint: publish: "+dir+" holds notes.txt, which chokepoint publish did not write; "+
		"expected a folder that does not exist, is empty or holds an earlier publish\n", stderr)
	_, err = os.Stat(filepath.Join(dir, "app.js"))
	assert.True(t, os.IsNotExist(err), "a refused publish wrote nothing")
	leftovers, _ := filepath.Glob(filepath.Join(filepath.Dir(dir), ".chokepoint-publish-*"))
	assert.Empty(t, leftovers)
}

func TestPublishBadInput(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "file")
	require.NoError(t, os.WriteFile(file, nil, 0o644))
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"publish", filepath.Join(dir, "a"), "--url", "javascript:alert(1)"},
			`--url: expected an http or https address such as https://example.org/chokepoint/, found "javascript:alert(1)"`},
		{[]string{"publish", filepath.Join(dir, "a"), "--url", `https://x.org/"><script>`},
			`--url: expected an http or https address such as https://example.org/chokepoint/, found "https://x.org/\"><script>"`},
		{[]string{"publish", filepath.Join(dir, "a"), "--height", "20"}, "--height: expected a number of pixels from 300 to 4000, found 20"},
		{[]string{"publish", file}, "publish: " + file + " is a file; expected a folder that does not exist, is empty or holds an earlier publish"},
		{[]string{"publish"}, "chokepoint publish: expected exactly 1 argument(s), found 0 (usage: chokepoint publish DIR [flags])"},
	} {
		code, stdout, stderr := cli(t, c.args...)
		assert.Equal(t, 2, code, c.args)
		assert.Empty(t, stdout)
		assert.Equal(t, "chokepoint: "+c.want+"\n", stderr, c.args)
	}
	entries, _ := os.ReadDir(dir)
	assert.Len(t, entries, 1, "nothing written")
}

// publishBrowser starts a headless Chromium that can reach nothing but
// this machine: every host name resolves to nowhere except 127.0.0.1.
func publishBrowser(t *testing.T) context.Context {
	t.Helper()
	return webtest.Browser(t, chromedp.Flag("host-resolver-rules", "MAP * ~NOTFOUND, EXCLUDE 127.0.0.1"))
}

func pEval[T any](t *testing.T, ctx context.Context, js string, opts ...chromedp.EvaluateOption) T {
	t.Helper()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](js, opts...))
	require.NoError(t, err)
	return v
}

func pDo(t *testing.T, ctx context.Context, steps ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	require.NoError(t, chromedp.Do(ctx, steps...))
}

// pWaitDraws waits until the page has drawn more than n times, nothing
// pending.
func pWaitDraws(t *testing.T, ctx context.Context, n int) {
	t.Helper()
	_, err := chromedp.Run(ctx, chromedp.Poll[bool](
		`window.chokepoint && window.chokepoint.ready && window.chokepoint.draws > `+strconv.Itoa(n)+
			` && !document.querySelector('#status').classList.contains('busy')`,
		chromedp.WithPollingTimeout(60*time.Second)))
	require.NoError(t, err, "the page did not draw; errors: %v",
		pEval[[]string](t, ctx, `window.chokepoint ? window.chokepoint.errors : []`))
}

func pDraws(t *testing.T, ctx context.Context) int {
	return pEval[int](t, ctx, `window.chokepoint.draws`)
}

// Issue 17, acceptance 4: the published folder, served by a plain static
// file server, works in headless Chromium with the network otherwise
// unreachable, and gives serve's numbers for the same settings and seed:
// the same JSON from the API, the same charts on the page. And the time
// from a slider move to redrawn charts at 500 runs.
func TestPublishedPageInBrowser(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "pub")
	code, _, stderr := cli(t, "publish", dir)
	require.Equal(t, 0, code, stderr)
	static := httptest.NewServer(http.FileServer(http.Dir(dir)))
	t.Cleanup(static.Close)
	served := httptest.NewServer((&web.Server{Model: theModel, Version: version}).Handler())
	t.Cleanup(served.Close)

	ctx := publishBrowser(t)
	var mu sync.Mutex
	var urls, errs []string
	require.NoError(t, chromedp.Listen(ctx, func(ev any) {
		mu.Lock()
		defer mu.Unlock()
		switch e := ev.(type) {
		case *network.EventRequestWillBeSent:
			urls = append(urls, e.Request.URL)
		case *cdpruntime.EventExceptionThrown:
			errs = append(errs, "exception: "+e.ExceptionDetails.Text)
		}
	}))
	query := "?scenario=current-policy&runs=500&seed=7&from=2027Q1&at=2030Q4&entity.cxmt_listed=on&export.exceptions=H20"
	start := time.Now()
	pDo(t, ctx, chromedp.Navigate(static.URL+"/"+query))
	pWaitDraws(t, ctx, 0)
	t.Logf("published page: first draw %v after navigation (loading and compiling the model included)", time.Since(start).Round(time.Millisecond))
	assert.Empty(t, pEval[[]string](t, ctx, `window.chokepoint.errors`))
	assert.Contains(t, pEval[string](t, ctx, `document.body.innerText`), "Not a forecast.")

	t.Run("the API answers as serve does", func(t *testing.T) {
		for _, path := range []string{"api/scenarios", "api/levers", "api/outputs"} {
			got := pEval[string](t, ctx, `window.chokepointAPI('`+path+`').then(r => r.status + ' ' + r.body)`, chromedp.EvalAwaitPromise)
			resp, err := http.Get(served.URL + "/" + path)
			require.NoError(t, err)
			want, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			status, body, _ := strings.Cut(got, " ")
			assert.Equal(t, "200", status, path)
			assertSameJSON(t, string(want), body, path)
		}
		for _, body := range []string{
			`{"scenario":"current-policy","runs":500,"seed":7,"from":"2027Q1","set":{"entity.cxmt_listed":true,"export.tpp_threshold":2400},"baseline":true}`,
			`{"scenario":"no-controls","runs":300,"seed":11}`,
			`{"scenario":"current-policy","runs":2001}`, // too many: the same 400 and message
			`{"scenario":"curent-policy","RUNS":5}`,     // unknown field: the same 400 and message
			`{"scenario":"current-policy","runs":50,"seed":3,"set":{"export.tpp_threshold":"many"}}`,
		} {
			arg, _ := json.Marshal(body)
			got := pEval[string](t, ctx, `window.chokepointAPI('api/simulate', `+string(arg)+`).then(r => r.status + ' ' + r.body)`, chromedp.EvalAwaitPromise)
			resp, err := http.Post(served.URL+"/api/simulate", "application/json", strings.NewReader(body))
			require.NoError(t, err)
			want, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			assert.Equal(t, strconv.Itoa(resp.StatusCode)+" "+string(bytes.TrimSpace(want)), got, body)
		}
	})

	t.Run("the page draws what the served page draws", func(t *testing.T) {
		paths := `[...document.querySelectorAll('#charts svg path')].map(p => p.getAttribute('d')).join('\n')`
		published := pEval[string](t, ctx, paths)
		readout := pEval[string](t, ctx, `document.querySelector('#charts').innerText`)
		tab, cancel := chromedp.NewContext(ctx)
		defer cancel()
		pDo(t, tab, chromedp.Navigate(served.URL+"/"+query))
		pWaitDraws(t, tab, 0)
		assert.Equal(t, pEval[string](t, tab, paths), published)
		assert.Equal(t, pEval[string](t, tab, `document.querySelector('#charts').innerText`), readout)
		assert.Contains(t, readout, "2030Q4")
	})

	t.Run("slider to redraw latency at 500 runs", func(t *testing.T) {
		if os.Getenv("CHOKEPOINT_PUBLISH_TIMING") == "" {
			t.Skip("a timed test (about 2 minutes): runs when asked, CHOKEPOINT_PUBLISH_TIMING=1 go test ./cmd/chokepoint -run TestPublishedPageInBrowser -v")
		}
		med, p95, lat := publishedLatency(t, ctx, `#in-enforcement-leakage`)
		t.Logf("published page, slider move to redrawn charts, %d moves at 500 runs: median %.0f ms, p95 %.0f ms, min %.0f ms, max %.0f ms",
			len(lat), med, p95, lat[0], lat[len(lat)-1])
		if med >= 150 || p95 >= 300 {
			// One more series on fresh settings before calling it slow: a
			// burst of other work on a shared machine is not a regression.
			med, p95, lat = publishedLatency(t, ctx, `#in-enforcement-cloud_access`)
			t.Logf("second series: median %.0f ms, p95 %.0f ms, min %.0f ms, max %.0f ms", med, p95, lat[0], lat[len(lat)-1])
		}
		if !publishRace {
			// Issue 17's bound for the published page.
			assert.Less(t, med, 150.0, "median latency (ms)")
			assert.Less(t, p95, 300.0, "95th percentile latency (ms)")
		}
	})

	mu.Lock()
	defer mu.Unlock()
	assert.Empty(t, errs, "errors thrown by the page")
	var toStatic int
	for _, u := range urls {
		switch {
		case strings.HasPrefix(u, "data:") || strings.HasPrefix(u, "blob:"):
		case strings.HasPrefix(u, static.URL+"/"):
			toStatic++
		case strings.HasPrefix(u, served.URL+"/"):
			// the served page of the comparison, in its own tab
			assert.NotContains(t, u, "/api/", "the published page asked the server: %s", u)
		default:
			t.Errorf("request left the static folder: %s", u)
		}
	}
	assert.Positive(t, toStatic)
}

// publishedLatency moves a slider one step at a time from the keyboard
// (each step a new setting, so no answer comes from the cache) and returns
// the page's own timings, from the input event to the frame after the
// redraw: median, 95th percentile, all sorted.
func publishedLatency(t *testing.T, ctx context.Context, slider string) (med, p95 float64, lat []float64) {
	const moves = 32
	pEval[bool](t, ctx, `document.querySelector('details.group[data-group="Enforcement"]').open = true`)
	pEval[int](t, ctx, `window.chokepoint.latencies = []; 0`)
	pDo(t, ctx, chromedp.Focus(slider))
	for i := 0; i < moves; i++ {
		n := pDraws(t, ctx)
		pDo(t, ctx, chromedp.KeyEvent(kb.ArrowRight))
		pWaitDraws(t, ctx, n)
	}
	lat = pEval[[]float64](t, ctx, `window.chokepoint.latencies`)
	require.Len(t, lat, moves)
	sort.Float64s(lat)
	return lat[len(lat)/2], lat[int(0.95*float64(len(lat)-1))], lat
}

// assertSameJSON compares two JSON answers value by value: strings,
// structure and order exactly, numbers to 1e-12 relative. The parameters'
// quantiles in GET /api/levers are written in full (shortest float64
// text), and math.Exp, math.Log and math.Pow may differ in the last bit
// between the amd64 assembly the server runs and the portable Go the
// WebAssembly build runs (e.g. a lognormal median 0.6633249580710799
// against 0.66332495807108). The simulate answers carry six significant
// digits and are compared byte for byte above.
func assertSameJSON(t *testing.T, want, got, what string) {
	t.Helper()
	var w, g any
	require.NoError(t, json.Unmarshal([]byte(want), &w), what)
	require.NoError(t, json.Unmarshal([]byte(got), &g), what)
	var walk func(path string, w, g any)
	walk = func(path string, w, g any) {
		switch wv := w.(type) {
		case map[string]any:
			gv, ok := g.(map[string]any)
			if !assert.True(t, ok, "%s %s: not an object", what, path) {
				return
			}
			assert.Len(t, gv, len(wv), "%s %s", what, path)
			for k := range wv {
				walk(path+"."+k, wv[k], gv[k])
			}
		case []any:
			gv, ok := g.([]any)
			if !assert.True(t, ok, "%s %s: not a list", what, path) || !assert.Len(t, gv, len(wv), "%s %s", what, path) {
				return
			}
			for i := range wv {
				walk(path+"["+strconv.Itoa(i)+"]", wv[i], gv[i])
			}
		case float64:
			gv, ok := g.(float64)
			if assert.True(t, ok, "%s %s: not a number", what, path) {
				assert.InDelta(t, wv, gv, 1e-12*max(math.Abs(wv), 1e-300), "%s %s", what, path)
			}
		default:
			assert.Equal(t, w, g, "%s %s", what, path)
		}
	}
	walk("", w, g)
}
