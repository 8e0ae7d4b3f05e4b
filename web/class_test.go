package web

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/chokepoint-sim/chokepoint/models"
)

// testClass is a class server for tests: its class, saved to a file in a
// temporary folder, with a clock the test moves.
type testClass struct {
	t     *testing.T
	url   string
	class *Class
	file  string
	mu    sync.Mutex
	clock time.Time
}

func newTestClass(t *testing.T, file string) *testClass {
	t.Helper()
	if file == "" {
		file = filepath.Join(t.TempDir(), "class.json")
	}
	c, err := OpenClass(file)
	require.NoError(t, err)
	tc := &testClass{t: t, class: c, file: file, clock: time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)}
	c.now = func() time.Time { tc.mu.Lock(); defer tc.mu.Unlock(); return tc.clock }
	ts := newTestServer(t, &Server{Model: models.China{}, Class: c, DefaultRuns: 100})
	tc.url = ts.URL
	t.Cleanup(func() { _ = c.Close() })
	return tc
}

// wait moves the class's clock on (rate limits refill).
func (tc *testClass) wait(d time.Duration) {
	tc.mu.Lock()
	tc.clock = tc.clock.Add(d)
	tc.mu.Unlock()
}

// call sends a request with a bearer token (empty: none) and a JSON body
// (empty: none) and returns the status and body.
func (tc *testClass) call(method, path, token, body string) (int, string) {
	tc.t.Helper()
	req, err := http.NewRequest(method, tc.url+path, strings.NewReader(body))
	require.NoError(tc.t, err)
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	require.NoError(tc.t, err)
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	require.NoError(tc.t, err)
	return resp.StatusCode, string(b)
}

// join joins a team and returns its token.
func (tc *testClass) join(name string) string {
	tc.t.Helper()
	st, body := tc.call("POST", "/api/class/join", "", fmt.Sprintf(`{"code": %q, "team": %q}`, tc.class.JoinCode(), name))
	require.Equal(tc.t, http.StatusCreated, st, body)
	var news classNews
	require.NoError(tc.t, json.Unmarshal([]byte(body), &news))
	require.Equal(tc.t, name, news.Team)
	return news.Token
}

// teacher returns the teacher's view.
func (tc *testClass) teacher() teacherAnswer {
	tc.t.Helper()
	st, body := tc.call("GET", "/api/class/teacher", tc.class.TeacherToken(), "")
	require.Equal(tc.t, http.StatusOK, st, body)
	var a teacherAnswer
	require.NoError(tc.t, json.Unmarshal([]byte(body), &a))
	return a
}

// pageBody is a simulate request as the page sends it, at 100 runs.
func pageBody(set string) string {
	return `{"scenario": "current-policy", "runs": 100, "seed": 1, "from": "2026Q1", "baseline": true,
		"outputs": ["compute_stock_h100e", "domestic_output_h100e", "self_sufficiency", "frontier_gap_months",
		"foregone_us_revenue_usd", "foregone_us_revenue_cumulative_usd"], "set": {` + set + `}}`
}

// A class from join to export and restart: the teacher sees each team's
// settings and the outcomes the server computed for them, pushes an
// exercise, locks, exports, and a restart from the file keeps it all.
func TestClassFlow(t *testing.T) {
	tc := newTestClass(t, "")
	tokens := map[string]string{}
	for _, n := range []string{"Blue", "Red", "Green"} {
		tokens[n] = tc.join(n)
	}
	st, body := tc.call("POST", "/api/class/team", tokens["Blue"], pageBody(`"entity.cxmt_listed": true`))
	require.Equal(t, http.StatusOK, st, body)
	st, body = tc.call("POST", "/api/class/team", tokens["Red"], pageBody(`"enforcement.leakage": 0.6`))
	require.Equal(t, http.StatusOK, st, body)

	a := tc.teacher()
	require.Len(t, a.Teams, 3)
	assert.Equal(t, []string{"Blue", "Red", "Green"}, []string{a.Teams[0].Name, a.Teams[1].Name, a.Teams[2].Name})
	assert.Equal(t, "entity.cxmt_listed", a.Teams[0].Settings[0].Key)
	assert.Equal(t, "on", a.Teams[0].Settings[0].Value)
	assert.Equal(t, "enforcement.leakage", a.Teams[1].Settings[0].Key)
	assert.Empty(t, a.Teams[2].Settings, "Green has sent nothing yet")
	assert.Empty(t, a.Teams[2].Outcomes)
	// The outcome is the server's own simulation of the team's settings:
	// the same numbers /api/simulate gives for them.
	status, sim := post(t, tc.url, pageBody(`"entity.cxmt_listed": true`))
	require.Equal(t, http.StatusOK, status)
	var ans answer
	require.NoError(t, json.Unmarshal(sim, &ans))
	i := slices.Index(ans.Periods, "2030Q4")
	gap := a.Teams[0].Outcomes["frontier_gap_months"]
	require.NotNil(t, gap)
	assert.Equal(t, ans.q(ans.Outputs, "frontier_gap_months", "p50")[i], *gap.P50)
	assert.Equal(t, ans.q(ans.Outputs, "frontier_gap_months", "p05")[i], *gap.P05)
	assert.Equal(t, ans.q(ans.Outputs, "frontier_gap_months", "p95")[i], *gap.P95)
	assert.Equal(t, "months", gap.Unit)
	assert.NotEqual(t, *a.Teams[0].Outcomes["compute_stock_h100e"].P50, *a.Teams[1].Outcomes["compute_stock_h100e"].P50,
		"different settings, different outcomes")

	// The teacher's long poll waits for a change, and answers at once
	// when a team sends one.
	v := tc.teacher().Version
	got := make(chan uint64, 1)
	start := time.Now()
	go func() {
		req, _ := http.NewRequest("GET", fmt.Sprintf("%s/api/class/teacher?since=%d", tc.url, v), nil)
		req.Header.Set("Authorization", "Bearer "+tc.class.TeacherToken())
		var a teacherAnswer
		if resp, err := http.DefaultClient.Do(req); err == nil {
			_ = json.NewDecoder(resp.Body).Decode(&a)
			resp.Body.Close()
		}
		got <- a.Version
	}()
	select {
	case <-got:
		t.Fatal("the long poll answered before anything changed")
	case <-time.After(300 * time.Millisecond):
	}
	st, body = tc.call("POST", "/api/class/team", tokens["Green"], pageBody(`"enforcement.tier2_caps": true`))
	require.Equal(t, http.StatusOK, st, body)
	assert.Greater(t, <-got, v)
	assert.Less(t, time.Since(start), classWait, "answered on the change, not on the time limit")

	// Push an exercise: every team's poll sees it, with its quarter.
	st, body = tc.call("POST", "/api/class/push", tc.class.TeacherToken(), `{"exercise": "hold-the-lead"}`)
	require.Equal(t, http.StatusOK, st, body)
	for n, tok := range tokens {
		st, body := tc.call("GET", "/api/class/team", tok, "")
		require.Equal(t, http.StatusOK, st, body)
		var news classNews
		require.NoError(t, json.Unmarshal([]byte(body), &news))
		assert.Equal(t, classPush{Seq: 1, Scenario: "current-policy", Exercise: "hold-the-lead", At: "2030Q4"}, news.Push, n)
		assert.Empty(t, news.Token, "a poll does not repeat the token")
	}

	// Lock: a team's settings are refused (and kept); unlock lets them in.
	st, _ = tc.call("POST", "/api/class/lock", tc.class.TeacherToken(), `{"locked": true}`)
	require.Equal(t, http.StatusOK, st)
	st, body = tc.call("POST", "/api/class/team", tokens["Green"], pageBody(`"sme.servicing_ban": 1`))
	assert.Equal(t, http.StatusLocked, st, body)
	assert.Contains(t, body, "locked")
	assert.Equal(t, "enforcement.tier2_caps", tc.teacher().Teams[2].Settings[0].Key, "kept as it was")
	st, _ = tc.call("POST", "/api/class/lock", tc.class.TeacherToken(), `{"locked": false}`)
	require.Equal(t, http.StatusOK, st)
	st, body = tc.call("POST", "/api/class/team", tokens["Green"], pageBody(`"sme.servicing_ban": 1`))
	require.Equal(t, http.StatusOK, st, body)

	// Export: a row a team, with its settings and outcomes.
	st, body = tc.call("GET", "/api/class/export.csv", tc.class.TeacherToken(), "")
	require.Equal(t, http.StatusOK, st)
	rows, err := csv.NewReader(strings.NewReader(body)).ReadAll()
	require.NoError(t, err)
	require.Len(t, rows, 4)
	assert.Equal(t, []string{"team", "joined", "updated", "scenario", "runs", "seed", "from", "settings", "at"}, rows[0][:9])
	assert.Contains(t, rows[0], "frontier_gap_months_p50")
	assert.Equal(t, []string{"Blue", "Red", "Green"}, []string{rows[1][0], rows[2][0], rows[3][0]})
	assert.Equal(t, "entity.cxmt_listed=on", rows[1][7])

	// Restart: the same file gives the same class, code, token and teams,
	// and the teams' tokens still work.
	before := tc.teacher()
	require.NoError(t, tc.class.Close())
	tc2 := newTestClass(t, tc.file)
	assert.True(t, tc2.class.Restored())
	assert.Equal(t, tc.class.JoinCode(), tc2.class.JoinCode())
	assert.Equal(t, tc.class.TeacherToken(), tc2.class.TeacherToken())
	after := tc2.teacher()
	assert.Equal(t, before.Teams, after.Teams)
	assert.Equal(t, before.Push, after.Push)
	st, body = tc2.call("GET", "/api/class/team", tokens["Red"], "")
	assert.Equal(t, http.StatusOK, st, body)
	info, err := os.Stat(tc.file)
	require.NoError(t, err)
	assert.Equal(t, os.FileMode(0o600), info.Mode().Perm(), "the file holds the teacher's token")
}

// A class file that is not one is refused with its name and line, and
// nothing is written over it.
func TestClassFileBad(t *testing.T) {
	dir := t.TempDir()
	for _, k := range []struct{ name, text, want string }{
		{"syntax", "{\n  \"version\": 1,\n  \"code\": ,\n}", "line 3"},
		{"type", "{\n  \"version\": \"one\"\n}", `line 2: not a class file: key "version"`},
		{"unknown key", `{"version": 1, "owner": "x"}`, `unknown field "owner"`},
		{"version", `{"version": 9}`, `key "version": expected 1, found 9`},
		{"code", `{"version": 1, "code": "0000OOOO", "teacher_token": "abcdefghijklmnopqrstuvwxyz"}`, `key "code"`},
		{"twice", `{"version": 1, "code": "ABCDEFGH", "teacher_token": "abcdefghijklmnopqrstuvwxyz", "teams": [
			{"id": "a", "secret": "abcdefghijklmnopqrstuvwxyz", "name": "Blue"}, {"id": "b", "secret": "abcdefghijklmnopqrstuvwxyz", "name": "BLUE"}]}`,
			`teams[1]: team "BLUE" appears twice`},
	} {
		t.Run(k.name, func(t *testing.T) {
			p := filepath.Join(dir, k.name+".json")
			require.NoError(t, os.WriteFile(p, []byte(k.text), 0o600))
			_, err := OpenClass(p)
			require.Error(t, err)
			assert.Contains(t, err.Error(), p)
			assert.Contains(t, err.Error(), k.want)
			b, _ := os.ReadFile(p)
			assert.Equal(t, k.text, string(b), "the file is left as it was")
		})
	}
}

// Team updates are saved within classSaveDelay, by rename: no temporary
// file is left behind.
func TestClassSavesUpdates(t *testing.T) {
	tc := newTestClass(t, "")
	tok := tc.join("Blue")
	st, body := tc.call("POST", "/api/class/team", tok, pageBody(`"entity.cxmt_listed": true`))
	require.Equal(t, http.StatusOK, st, body)
	require.Eventually(t, func() bool {
		b, err := os.ReadFile(tc.file)
		return err == nil && strings.Contains(string(b), `"entity.cxmt_listed"`)
	}, 5*time.Second, 50*time.Millisecond)
	entries, err := os.ReadDir(filepath.Dir(tc.file))
	require.NoError(t, err)
	assert.Len(t, entries, 1, "only the class file")
}

// A server shuts down in two steps: EndWaits when shutdown begins (the
// teacher's long poll answers), Close when the last request is done. A
// team update answered between the two is in the file after Close, and
// nothing is left beside it.
func TestClassCloseSavesUpdatesAfterEndWaits(t *testing.T) {
	tc := newTestClass(t, "")
	tok := tc.join("Blue")
	tc.class.EndWaits()
	st, body := tc.call("POST", "/api/class/team", tok, pageBody(`"entity.cxmt_listed": true`))
	require.Equal(t, http.StatusOK, st, body)
	require.NoError(t, tc.class.Close())
	b, err := os.ReadFile(tc.file)
	require.NoError(t, err)
	assert.Contains(t, string(b), `"entity.cxmt_listed"`, "the saver stopped at EndWaits: only Close can have saved it")
	entries, err := os.ReadDir(filepath.Dir(tc.file))
	require.NoError(t, err)
	assert.Len(t, entries, 1, "only the class file")
}

// Without a class the page learns there is none, and the class API
// answers 404.
func TestClassOff(t *testing.T) {
	ts := httptest.NewServer((&Server{Model: models.China{}, Log: quiet}).Handler())
	defer ts.Close()
	var info map[string]any
	getJSON(t, ts.URL+"/api/class", &info)
	assert.Equal(t, map[string]any{"class": nil}, info)
	for _, p := range []string{"/api/class/join", "/api/class/teacher"} {
		resp, err := http.Post(ts.URL+p, "application/json", strings.NewReader(`{}`))
		require.NoError(t, err)
		resp.Body.Close()
		assert.Equal(t, http.StatusNotFound, resp.StatusCode, p)
	}
}

// FuzzReadClass: whatever the class file holds, opening it either fails
// with a message naming the file or gives a class that serves its teams;
// it never panics.
func FuzzReadClass(f *testing.F) {
	f.Add([]byte(`{"version": 1, "code": "ABCDEFGH", "teacher_token": "abcdefghijklmnopqrstuvwxyz", "teams": []}`))
	f.Add([]byte(`{"version": 1, "code": "ABCDEFGH", "teacher_token": "abcdefghijklmnopqrstuvwxyz", "push": {"seq": 2, "at": "2030Q4"},
		"teams": [{"id": "a", "secret": "abcdefghijklmnopqrstuvwxyz", "name": "Blue", "outcomes": {"x": {"p50": 1}}}]}`))
	f.Add([]byte("{\n  \"version\": 1,\n  \"teams\": 3\n}"))
	f.Fuzz(func(t *testing.T, b []byte) {
		p := filepath.Join(t.TempDir(), "class.json")
		require.NoError(t, os.WriteFile(p, b, 0o600))
		c, err := OpenClass(p)
		if err != nil {
			assert.Contains(t, err.Error(), p)
			return
		}
		defer c.Close()
		tc := &testClass{t: t, class: c}
		tc.url = newTestServer(t, &Server{Model: models.China{}, Class: c}).URL
		st, body := tc.call("GET", "/api/class/teacher", c.TeacherToken(), "")
		assert.Equal(t, http.StatusOK, st, body)
	})
}
