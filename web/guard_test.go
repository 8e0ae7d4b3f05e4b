package web

import (
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/chokepoint-sim/chokepoint/models"
)

// send makes one request to the test server with the given Host (empty:
// the server's own address) and headers, and returns the status and the
// error message of a JSON error answer.
func send(t *testing.T, url, method, path, host string, hdr map[string]string, body string) (int, string) {
	t.Helper()
	req, err := http.NewRequest(method, url+path, strings.NewReader(body))
	require.NoError(t, err)
	if host != "" {
		req.Host = host
	}
	for k, v := range hdr {
		req.Header.Set(k, v)
	}
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	var e apiError
	if strings.HasPrefix(resp.Header.Get("Content-Type"), "application/json") {
		_ = json.Unmarshal(b, &e)
	}
	return resp.StatusCode, e.Error
}

var jsonType = map[string]string{"Content-Type": "application/json"}

// A path that names no file is a 404, even one that is not UTF-8 or not a
// valid file name (GET /%ff%fe used to answer 500).
func TestOddPathsAreNotFound(t *testing.T) {
	ts := newTestServer(t, nil)
	for _, p := range []string{"/%ff%fe", "/%ff", "/a%00b", "/%c0%ae%c0%ae/", "/..%2f..%2fetc%2fpasswd",
		"/static/app.js", "/nothing.html", "/app.js/x", "/a%5c..%5cserver.go", "/%2e%2e/go.mod"} {
		st, _ := send(t, ts.URL, "GET", p, "", nil, "")
		assert.Contains(t, []int{http.StatusBadRequest, http.StatusNotFound}, st, p)
	}
	for _, p := range []string{"/", "/app.js", "/style.css", "/exercises.json"} {
		st, _ := send(t, ts.URL, "GET", p, "", nil, "")
		assert.Equal(t, http.StatusOK, st, p)
	}
}

// A server on the loopback interface answers only requests that name it
// by a loopback name: a web page whose name was made to point at
// 127.0.0.1 (DNS rebinding) cannot reach it.
func TestHostHeader(t *testing.T) {
	cases := []struct {
		name  string
		s     *Server
		host  string
		allow bool
	}{
		{"own address", nil, "", true},
		{"localhost", nil, "localhost:8080", true},
		{"localhost upper case, no port", nil, "LOCALHOST", true},
		{"localhost, trailing dot", nil, "localhost.:8080", true},
		{"127.0.0.1", nil, "127.0.0.1:9", true},
		{"[::1]", nil, "[::1]:8080", true},
		{"another name", nil, "attacker.example:8080", false},
		{"a name under localhost's", nil, "localhost.attacker.example", false},
		{"a LAN address", nil, "192.168.1.10:8080", false},
		{"empty", nil, " ", false},
		{"bound host", &Server{Model: models.China{}, Addr: "127.0.0.2:8080"}, "127.0.0.2:8080", true},
		{"bound loopback, another name", &Server{Model: models.China{}, Addr: "127.0.0.1:8080"}, "attacker.example:8080", false},
		{"allowed name", &Server{Model: models.China{}, Addr: "127.0.0.1:8080", AllowHosts: []string{"Class.Example"}}, "class.example:8080", true},
		{"allowed name, another", &Server{Model: models.China{}, Addr: "127.0.0.1:8080", AllowHosts: []string{"class.example"}}, "attacker.example", false},
		{"every interface", &Server{Model: models.China{}, Addr: "[::]:8080"}, "teacher-laptop.local:8080", true},
		{"every interface, an address", &Server{Model: models.China{}, Addr: "0.0.0.0:8080"}, "192.168.1.10:8080", true},
		{"a LAN address bound", &Server{Model: models.China{}, Addr: "192.168.1.10:8080"}, "anything.example", true},
		{"every interface, allowed names only", &Server{Model: models.China{}, Addr: "0.0.0.0:8080", AllowHosts: []string{"class.example"}}, "attacker.example", false},
		{"every interface, allowed name", &Server{Model: models.China{}, Addr: "0.0.0.0:8080", AllowHosts: []string{"class.example"}}, "class.example:8080", true},
		{"every interface, allowed names, an address", &Server{Model: models.China{}, Addr: "0.0.0.0:8080", AllowHosts: []string{"class.example"}}, "192.168.1.10:8080", true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			ts := newTestServer(t, c.s)
			for _, r := range []struct{ method, path, body string }{
				{"GET", "/", ""}, {"GET", "/api/levers", ""}, {"POST", "/api/simulate", `{"runs": 2}`},
			} {
				st, msg := send(t, ts.URL, r.method, r.path, c.host, jsonType, r.body)
				if c.allow {
					assert.Equal(t, http.StatusOK, st, "%s %s", r.method, r.path)
					continue
				}
				assert.Equal(t, http.StatusMisdirectedRequest, st, "%s %s", r.method, r.path)
				assert.Contains(t, msg, "is not a name of this server", "%s %s", r.method, r.path)
			}
		})
	}
}

// A simulate request is JSON: a form or text/plain POST, which any web
// page can send without asking, is refused.
func TestSimulateRequiresJSON(t *testing.T) {
	ts := newTestServer(t, nil)
	for _, ct := range []string{"", "text/plain", "text/plain; charset=utf-8", "application/x-www-form-urlencoded",
		"multipart/form-data; boundary=x", "application/jsonx", "application/json; charset", "json"} {
		st, msg := send(t, ts.URL, "POST", "/api/simulate", "", map[string]string{"Content-Type": ct}, `{"runs": 2}`)
		assert.Equal(t, http.StatusUnsupportedMediaType, st, ct)
		assert.Contains(t, msg, "expected Content-Type: application/json", ct)
	}
	for _, ct := range []string{"application/json", "application/json; charset=utf-8", "Application/JSON"} {
		st, msg := send(t, ts.URL, "POST", "/api/simulate", "", map[string]string{"Content-Type": ct}, `{"runs": 2}`)
		assert.Equal(t, http.StatusOK, st, "%s: %s", ct, msg)
	}
}

// A page of another site cannot make a visitor's browser post to the
// server: browsers say where a request comes from (Sec-Fetch-Site, Origin)
// and only the page's own requests, or none that a browser made, pass.
func TestCrossOriginRefused(t *testing.T) {
	ts := newTestServer(t, nil)
	own := ts.URL // http://127.0.0.1:port, the server's origin
	cases := []struct {
		name  string
		hdr   map[string]string
		allow bool
	}{
		{"no browser headers", nil, true},
		{"same origin", map[string]string{"Sec-Fetch-Site": "same-origin", "Origin": own}, true},
		{"typed by the user", map[string]string{"Sec-Fetch-Site": "none"}, true},
		{"own origin, older browser", map[string]string{"Origin": own}, true},
		{"cross site", map[string]string{"Sec-Fetch-Site": "cross-site", "Origin": "https://attacker.example"}, false},
		{"same site", map[string]string{"Sec-Fetch-Site": "same-site", "Origin": "http://127.0.0.1:1"}, false},
		{"other origin, older browser", map[string]string{"Origin": "https://attacker.example"}, false},
		{"null origin", map[string]string{"Origin": "null"}, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			hdr := map[string]string{"Content-Type": "application/json"}
			for k, v := range c.hdr {
				hdr[k] = v
			}
			st, msg := send(t, ts.URL, "POST", "/api/simulate", "", hdr, `{"runs": 2}`)
			if c.allow {
				assert.Equal(t, http.StatusOK, st, msg)
				return
			}
			assert.Equal(t, http.StatusForbidden, st)
			assert.Contains(t, msg, "cross-origin request refused")
		})
	}
}

// Keys are matched exactly: "RUNS" is not "runs" (encoding/json alone
// matches names regardless of case).
func TestRequestKeysAreCaseSensitive(t *testing.T) {
	ts := newTestServer(t, nil)
	for body, msg := range map[string]string{
		`{"RUNS": 10}`:                            `unknown field "RUNS" in request (keys are case-sensitive: did you mean "runs"?); expected scenario, runs, seed, from, set, outputs, baseline`,
		`{"runs": 2, "Scenario": "no-controls"}`:  `unknown field "Scenario" in request (keys are case-sensitive: did you mean "scenario"?)`,
		`{"runs": 2, "Set": {"export.fee": 0.5}}`: `unknown field "Set" in request (keys are case-sensitive: did you mean "set"?)`,
		`{"runs": 2, "baseLine": true}`:           `unknown field "baseLine" in request (keys are case-sensitive: did you mean "baseline"?)`,
	} {
		st, got := send(t, ts.URL, "POST", "/api/simulate", "", jsonType, body)
		assert.Equal(t, http.StatusBadRequest, st, body)
		assert.True(t, strings.HasPrefix(got, msg), "%s\ngot  %q\nwant %q", body, got, msg)
	}
	// Lever keys are exact too: the registry's keys are lower case.
	st, got := send(t, ts.URL, "POST", "/api/simulate", "", jsonType, `{"runs": 2, "set": {"Export.Fee": 0.5}}`)
	assert.Equal(t, http.StatusBadRequest, st)
	assert.Contains(t, got, `set: unknown parameter or lever "Export.Fee"`)
}
