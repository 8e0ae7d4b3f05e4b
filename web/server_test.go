package web

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"io/fs"
	"log"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/chokepoint-sim/chokepoint/models"
)

// cumulativeRevenue is the model's derived output, the page's cost panel.
var cumulativeRevenue = models.Registry.Derived[0].Key

// quiet keeps expected server logs (panics provoked on purpose) out of the
// test output.
var quiet = log.New(io.Discard, "", 0)

func newTestServer(t *testing.T, s *Server) *httptest.Server {
	t.Helper()
	if s == nil {
		s = &Server{Model: models.China{}}
	}
	if s.Log == nil {
		s.Log = quiet
	}
	ts := httptest.NewServer(s.Handler())
	t.Cleanup(ts.Close)
	return ts
}

// post sends a simulate request and returns the status and body.
func post(t *testing.T, url, body string) (int, []byte) {
	t.Helper()
	resp, err := http.Post(url+"/api/simulate", "application/json", strings.NewReader(body))
	require.NoError(t, err)
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return resp.StatusCode, b
}

func getJSON(t *testing.T, url string, v any) {
	t.Helper()
	resp, err := http.Get(url)
	require.NoError(t, err)
	defer resp.Body.Close()
	require.Equal(t, http.StatusOK, resp.StatusCode)
	require.Equal(t, "application/json; charset=utf-8", resp.Header.Get("Content-Type"))
	require.NoError(t, json.NewDecoder(resp.Body).Decode(v))
}

// answer is the decoded simulate answer.
type answer struct {
	Scenario string
	Runs     int
	Seed     uint64
	From     string
	Periods  []string
	Applied  []applied
	Outputs  map[string]map[string]any
	Baseline map[string]map[string]any
}

// series reads one quantile series, null as NaN-free -1 sentinel checks
// left to the caller.
func (a *answer) q(side map[string]map[string]any, output, stat string) []float64 {
	raw, _ := side[output][stat].([]any)
	out := make([]float64, len(raw))
	for i, v := range raw {
		if f, ok := v.(float64); ok {
			out[i] = f
		} else {
			out[i] = -1
		}
	}
	return out
}

func simulateOK(t *testing.T, url, body string) *answer {
	t.Helper()
	st, b := post(t, url, body)
	require.Equal(t, http.StatusOK, st, string(b))
	var a answer
	require.NoError(t, json.Unmarshal(b, &a))
	return &a
}

// The levers the page draws come from the registry: every lever, with its
// group, unit, meaning and source, so a new lever appears without editing
// the page.
func TestLeversComeFromTheRegistry(t *testing.T) {
	ts := newTestServer(t, nil)
	var a leversAnswer
	getJSON(t, ts.URL+"/api/levers", &a)
	reg := models.Registry
	require.Len(t, a.Levers, len(reg.Levers))
	for i, l := range reg.Levers {
		got := a.Levers[i]
		assert.Equal(t, l.Key, got.Key)
		assert.Equal(t, l.Group, got.Group, l.Key)
		assert.Equal(t, l.Unit, got.Unit, l.Key)
		assert.NotEmpty(t, got.Label, l.Key)
		assert.Equal(t, l.Description, got.Description, l.Key)
		assert.Equal(t, l.Source, got.Source, l.Key)
		if got.Kind == "number" {
			require.NotNil(t, got.Slider, l.Key)
			assert.Less(t, got.Slider.Min, got.Slider.Max, l.Key)
			assert.GreaterOrEqual(t, got.Slider.Min, l.Min, l.Key)
			assert.LessOrEqual(t, got.Slider.Max, l.Max, l.Key)
		}
	}
	assert.Equal(t, []string{"US chip rules", "Allied equipment controls", "Enforcement", "China's response"}, a.Groups[:4])
	var keys []string
	for _, p := range a.Assumptions {
		keys = append(keys, p.Key)
		assert.LessOrEqual(t, p.P05, p.P50, p.Key)
		assert.LessOrEqual(t, p.P50, p.P95, p.Key)
	}
	assert.Subset(t, keys, []string{"efficiency.halving_months", "substitution.elasticity", "fab.yield_ceiling"})
	assert.Len(t, a.Params, len(reg.Params))
	assert.Equal(t, DefaultMaxRuns, a.Limits.MaxRuns)

	// A TPP threshold's "none" is 1e6: the page offers a checkbox for it
	// and a slider a student can use.
	tpp := a.Levers[0]
	require.Equal(t, "export.tpp_threshold", tpp.Key)
	require.NotNil(t, tpp.None)
	assert.Equal(t, 1e6, tpp.None.Value)
	assert.Equal(t, 40000.0, tpp.Slider.Max)
}

func TestScenariosListTheBuiltIns(t *testing.T) {
	ts := newTestServer(t, nil)
	var a scenariosAnswer
	getJSON(t, ts.URL+"/api/scenarios", &a)
	assert.Equal(t, "current-policy", a.Default)
	var cp *scenarioInfo
	for i := range a.Scenarios {
		if a.Scenarios[i].Name == "current-policy" {
			cp = &a.Scenarios[i]
		}
	}
	require.NotNil(t, cp)
	assert.Equal(t, "2020Q1", cp.Start)
	assert.Equal(t, "2035Q4", cp.End)
	var tpp []eventInfo
	for _, e := range cp.Events {
		if e.Lever == "export.tpp_threshold" {
			tpp = append(tpp, e)
		}
	}
	require.NotEmpty(t, tpp)
	assert.Equal(t, "2022Q4", tpp[0].Effective)
	assert.Equal(t, 4800.0, tpp[0].Value)
}

// An answer has every period and, per output, its unit and five ordered
// quantiles; the same request gives byte-identical answers, computed afresh
// or from the cache.
func TestSimulateAnswer(t *testing.T) {
	body := `{"scenario": "current-policy", "runs": 200, "seed": 3, "set": {"export.tpp_threshold": 1600, "export.exceptions": ["H20"], "enforcement.tier2_caps": true, "substitution.elasticity": "0.2 to 1"}}`
	ts := newTestServer(t, nil)
	a := simulateOK(t, ts.URL, body)
	assert.Equal(t, "current-policy", a.Scenario)
	assert.Equal(t, 200, a.Runs)
	assert.Equal(t, uint64(3), a.Seed)
	require.Len(t, a.Periods, 64)
	assert.Equal(t, "2020Q1", a.Periods[0])
	assert.Equal(t, "2035Q4", a.Periods[63])
	reg := models.Registry
	require.Len(t, a.Outputs, len(reg.Outputs)+1) // and the derived cumulative revenue
	for _, o := range append(reg.OutputKeys(), cumulativeRevenue) {
		require.Contains(t, a.Outputs, o)
		assert.NotEmpty(t, a.Outputs[o]["unit"], o)
		qs := [][]float64{a.q(a.Outputs, o, "p05"), a.q(a.Outputs, o, "p25"), a.q(a.Outputs, o, "p50"),
			a.q(a.Outputs, o, "p75"), a.q(a.Outputs, o, "p95")}
		for t2 := range a.Periods {
			for k := 1; k < len(qs); k++ {
				// six significant digits in the answer: order holds within that
				if qs[k-1][t2] > qs[k][t2]*(1+1e-5)+1e-9 && qs[k][t2] != -1 {
					t.Errorf("%s %s: quantiles out of order: %v", o, a.Periods[t2], []float64{qs[0][t2], qs[1][t2], qs[2][t2], qs[3][t2], qs[4][t2]})
				}
			}
		}
	}
	assert.Nil(t, a.Baseline, "no baseline unless asked")
	var keys []string
	for _, ap := range a.Applied {
		keys = append(keys, ap.Key+"="+ap.Value+"@"+ap.From)
	}
	assert.Equal(t, []string{"enforcement.tier2_caps=on@2020Q1", "export.exceptions=H20@2020Q1",
		"export.tpp_threshold=1600@2020Q1", "substitution.elasticity=0.2 to 1@2020Q1"}, keys)

	_, first := post(t, ts.URL, body)
	_, cached := post(t, ts.URL, body)
	_, fresh := post(t, newTestServer(t, nil).URL, body)
	assert.Equal(t, first, cached)
	assert.Equal(t, first, fresh)
}

// A lever set from a quarter keeps the preset's history before it (the
// same numbers as the preset, run for run) and changes what follows.
func TestSimulateFromQuarterKeepsHistory(t *testing.T) {
	ts := newTestServer(t, nil)
	a := simulateOK(t, ts.URL, `{"scenario": "current-policy", "runs": 300, "from": "2026Q1", "baseline": true,
		"outputs": ["compute_stock_h100e", "foregone_us_revenue_cumulative_usd"], "set": {"export.exceptions": []}}`)
	require.Len(t, a.Outputs, 2)
	require.Len(t, a.Baseline, 2)
	assert.Equal(t, "2026Q1", a.From)
	from := 24 // 2026Q1
	require.Equal(t, "2026Q1", a.Periods[from])
	mine, base := a.q(a.Outputs, "compute_stock_h100e", "p50"), a.q(a.Baseline, "compute_stock_h100e", "p50")
	assert.Equal(t, base[:from], mine[:from], "history before 2026Q1 is the preset's")
	assert.NotEqual(t, base[from+4:], mine[from+4:], "the policy changes what follows")
	cum := a.q(a.Outputs, cumulativeRevenue, "p50")
	for i := 0; i < from; i++ {
		assert.Zero(t, cum[i], "revenue is summed from the policy's quarter")
	}
	assert.Positive(t, cum[63])

	// Without "from", a lever holds its value over the whole span, as
	// `chokepoint run --set` does.
	whole := simulateOK(t, ts.URL, `{"runs": 300, "baseline": true, "outputs": ["compute_stock_h100e"], "set": {"export.tpp_threshold": 1000}}`)
	assert.Equal(t, "2020Q1", whole.From)
	assert.NotEqual(t, whole.q(whole.Baseline, "compute_stock_h100e", "p50")[12:20],
		whole.q(whole.Outputs, "compute_stock_h100e", "p50")[12:20])
}

// The dashed baseline carries the request's assumptions, so that the gap
// between the lines is what the policy did.
func TestBaselineKeepsAssumptions(t *testing.T) {
	ts := newTestServer(t, nil)
	fixed := simulateOK(t, ts.URL, `{"runs": 200, "baseline": true, "outputs": ["frontier_gap_months"], "set": {"efficiency.halving_months": 5}}`)
	free := simulateOK(t, ts.URL, `{"runs": 200, "baseline": true, "outputs": ["frontier_gap_months"]}`)
	assert.Equal(t, fixed.q(fixed.Outputs, "frontier_gap_months", "p50"), fixed.q(fixed.Baseline, "frontier_gap_months", "p50"))
	assert.NotEqual(t, free.q(free.Baseline, "frontier_gap_months", "p50"), fixed.q(fixed.Baseline, "frontier_gap_months", "p50"))
}

// Acceptance 5: bad requests get a 4xx with a clear JSON error, and the
// server keeps serving.
func TestBadRequests(t *testing.T) {
	ts := newTestServer(t, nil)
	huge := `{"scenario": "current-policy", "set": {"x": "` + strings.Repeat("a", 10<<20) + `"}}`
	cases := []struct {
		name, method, path, body string
		status                   int
		msg                      string
	}{
		{"malformed JSON", "POST", "/api/simulate", `{"runs": 500,}`, 400,
			"request body is not valid JSON (at byte 14): invalid character '}' looking for beginning of object key string"},
		{"truncated JSON", "POST", "/api/simulate", `{"runs": 500`, 400,
			"request body is not valid JSON: it ends in the middle of a value"},
		{"empty body", "POST", "/api/simulate", ``, 400,
			`request body is empty; expected a JSON object such as {"scenario": "current-policy", "runs": 500}`},
		{"null body", "POST", "/api/simulate", `null`, 400,
			`request body is null; expected a JSON object such as {"scenario": "current-policy", "runs": 500}`},
		{"not an object", "POST", "/api/simulate", `[1, 2]`, 400,
			"request body must be a JSON object, found array"},
		{"two values", "POST", "/api/simulate", `{} {}`, 400,
			"request body holds more than one JSON value; expected one object"},
		{"unknown field", "POST", "/api/simulate", `{"runz": 500}`, 400,
			`unknown field "runz" in request; expected scenario, runs, seed, from, set, outputs, baseline`},
		{"unknown lever", "POST", "/api/simulate", `{"set": {"export.tpp_treshold": 1600}}`, 400,
			`set: unknown parameter or lever "export.tpp_treshold" (did you mean "export.tpp_threshold"?)`},
		{"unknown key, no suggestion", "POST", "/api/simulate", `{"set": {"colour": 1}}`, 400,
			`set: unknown parameter or lever "colour"; GET /api/levers lists them`},
		{"runs 10^9", "POST", "/api/simulate", `{"runs": 1000000000}`, 400,
			"runs: at most 2000 per request on this server, found 1000000000"},
		{"runs 1e9 as float", "POST", "/api/simulate", `{"runs": 1e9}`, 400,
			"runs: expected a whole number, found number 1e9"},
		{"runs zero", "POST", "/api/simulate", `{"runs": 0}`, 400,
			"runs: expected a whole number from 1 to 2000, found 0"},
		{"negative seed", "POST", "/api/simulate", `{"seed": -1}`, 400,
			"seed: expected a whole number from 0 to 18446744073709551615, found number -1"},
		{"lever out of bounds", "POST", "/api/simulate", `{"set": {"export.fee": 2}}`, 400,
			"set: export.fee: 2 is outside lever export.fee's bounds [0, 1]"},
		{"param out of bounds", "POST", "/api/simulate", `{"set": {"fab.yield_ceiling": 1.5}}`, 400,
			"set: fab.yield_ceiling: "},
		{"switch given a number", "POST", "/api/simulate", `{"set": {"hbm.export_ban": 2}}`, 400,
			`set: hbm.export_ban: expected true or false for switch lever hbm.export_ban, found "2"`},
		{"unknown chip", "POST", "/api/simulate", `{"set": {"export.exceptions": ["H2O"]}}`, 400,
			`set: export.exceptions: "H2O" is not one of `},
		{"null value", "POST", "/api/simulate", `{"set": {"export.fee": null}}`, 400,
			"set: export.fee: expected a value, found null (leave the key out to keep the scenario's value)"},
		{"object value", "POST", "/api/simulate", `{"set": {"export.fee": {"a": 1}}}`, 400,
			`set: export.fee: expected a number, true/false, a list of names or a distribution such as "0.5 to 0.8", found an object`},
		{"unknown scenario", "POST", "/api/simulate", `{"scenario": "curent-policy"}`, 400,
			`scenario: unknown scenario "curent-policy" (did you mean "current-policy"?); the scenarios are `},
		{"scenario is a path", "POST", "/api/simulate", `{"scenario": "../../etc/passwd"}`, 400,
			`scenario: unknown scenario "../../etc/passwd"; the scenarios are `},
		{"bad quarter", "POST", "/api/simulate", `{"from": "2026Q5"}`, 400,
			`from: period "2026Q5": quarter must be 1 to 4`},
		{"quarter outside the span", "POST", "/api/simulate", `{"from": "2040Q1"}`, 400,
			"from: 2040Q1 is outside the scenario's span 2020Q1 to 2035Q4"},
		{"unknown output", "POST", "/api/simulate", `{"outputs": ["frontier_gap"]}`, 400,
			`outputs: unknown output "frontier_gap" (did you mean "frontier_gap_months"?); GET /api/outputs lists the outputs`},
		{"10 MB body", "POST", "/api/simulate", huge, 413,
			"request body is larger than 64 KB; a simulate request is a small JSON object"},
		{"GET simulate", "GET", "/api/simulate", "", 405,
			"GET /api/simulate: expected POST with a JSON body such as "},
		{"POST levers", "POST", "/api/levers", "{}", 405, "POST /api/levers: expected GET"},
		{"unknown endpoint", "GET", "/api/nothing", "", 404, `no such API endpoint "/api/nothing"`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			req, err := http.NewRequest(c.method, ts.URL+c.path, strings.NewReader(c.body))
			require.NoError(t, err)
			req.Header.Set("Content-Type", "application/json") // as the page sends
			resp, err := http.DefaultClient.Do(req)
			require.NoError(t, err)
			defer resp.Body.Close()
			assert.Equal(t, c.status, resp.StatusCode)
			assert.Equal(t, "application/json; charset=utf-8", resp.Header.Get("Content-Type"))
			var e apiError
			require.NoError(t, json.NewDecoder(resp.Body).Decode(&e))
			assert.True(t, strings.HasPrefix(e.Error, c.msg), "got  %q\nwant %q", e.Error, c.msg)
		})
	}
	// Still serving.
	a := simulateOK(t, ts.URL, `{"runs": 50}`)
	assert.Equal(t, 50, a.Runs)
}

// A panic in a handler answers 500 with a JSON error and the server goes on.
func TestPanicDoesNotKillTheServer(t *testing.T) {
	var logs bytes.Buffer
	s := &Server{Model: models.China{}, Log: log.New(&logs, "", 0)}
	s.Handler()
	mux := http.NewServeMux()
	mux.HandleFunc("/boom", func(http.ResponseWriter, *http.Request) { panic("boom") })
	mux.Handle("/", s.Handler())
	ts := httptest.NewServer(s.protect(mux))
	defer ts.Close()
	for i := 0; i < 3; i++ {
		resp, err := http.Get(ts.URL + "/boom")
		require.NoError(t, err)
		var e apiError
		require.NoError(t, json.NewDecoder(resp.Body).Decode(&e))
		resp.Body.Close()
		assert.Equal(t, http.StatusInternalServerError, resp.StatusCode)
		assert.Equal(t, "internal error: the server hit a bug (it is logged); the server keeps running", e.Error)
	}
	assert.Contains(t, logs.String(), "panic serving GET /boom: boom")
	a := simulateOK(t, ts.URL, `{"runs": 20}`)
	assert.Equal(t, 20, a.Runs)
}

// A request that cannot finish in time answers 503 and frees its slot.
func TestTimeLimit(t *testing.T) {
	ts := newTestServer(t, &Server{Model: models.China{}, Timeout: time.Millisecond})
	st, b := post(t, ts.URL, `{"runs": 2000, "seed": 99}`)
	assert.Equal(t, http.StatusServiceUnavailable, st)
	assert.Contains(t, string(b), "the simulation did not finish within 1ms")

	// A cancelled context stops a batch early.
	s := &Server{Model: models.China{}, Log: quiet}
	s.Handler()
	j, err := s.prepare(&simRequest{Runs: ptr(2000)})
	require.NoError(t, err)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	start := time.Now()
	_, err = s.run(ctx, j)
	assert.ErrorIs(t, err, context.Canceled)
	assert.Less(t, time.Since(start), 50*time.Millisecond)
}

func ptr[T any](v T) *T { return &v }

// The cache keeps at most its size and gives concurrent requests for one
// key a single computation.
func TestCache(t *testing.T) {
	c := newCache(2)
	var mu sync.Mutex
	calls := 0
	compute := func() (map[string]*outputSeries, error) {
		mu.Lock()
		calls++
		mu.Unlock()
		time.Sleep(20 * time.Millisecond)
		return map[string]*outputSeries{}, nil
	}
	var wg sync.WaitGroup
	for i := 0; i < 10; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, err := c.do(context.Background(), "a", compute)
			assert.NoError(t, err)
		}()
	}
	wg.Wait()
	assert.Equal(t, 1, calls)
	for _, k := range []string{"b", "c", "d"} {
		_, _ = c.do(context.Background(), k, compute)
	}
	assert.Equal(t, 2, c.len())

	// A leader that was cancelled does not fail its waiters.
	c = newCache(4)
	ctx, cancel := context.WithCancel(context.Background())
	started := make(chan struct{})
	go func() {
		_, _ = c.do(ctx, "k", func() (map[string]*outputSeries, error) {
			close(started)
			<-ctx.Done()
			return nil, ctx.Err()
		})
	}()
	<-started
	done := make(chan error)
	go func() {
		_, err := c.do(context.Background(), "k", compute)
		done <- err
	}()
	time.Sleep(10 * time.Millisecond)
	cancel()
	assert.NoError(t, <-done)
}

// The page works offline: no file it is made of names anything outside
// this server.
func TestPageHasNoExternalReferences(t *testing.T) {
	ext := regexp.MustCompile(`(?i)(https?:)?//[a-z0-9.-]+\.[a-z]{2,}`)
	err := fs.WalkDir(staticFS, "static", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := staticFS.ReadFile(path)
		if err != nil {
			return err
		}
		for _, m := range ext.FindAllString(string(b), -1) {
			if m == "http://www.w3.org" { // the SVG namespace, a name, never fetched
				continue
			}
			t.Errorf("%s refers to %s", path, m)
		}
		return nil
	})
	require.NoError(t, err)

	ts := newTestServer(t, nil)
	for _, p := range []string{"/", "/app.js", "/style.css", "/exercises.json"} {
		resp, err := http.Get(ts.URL + p)
		require.NoError(t, err)
		resp.Body.Close()
		assert.Equal(t, http.StatusOK, resp.StatusCode, p)
		assert.Contains(t, resp.Header.Get("Content-Security-Policy"), "default-src 'self'", p)
	}
}

// len is the number of stored results (for tests).
func (c *cache) len() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.order.Len()
}
