package web

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"log"
	"mime"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/chokepoint-sim/chokepoint/models"
)

var updateSeeds = flag.Bool("update-fuzz-seeds", false, "rewrite testdata/fuzz/FuzzSimulateRequest/seed-* from simulateSeeds")

// fuzzMaxRuns caps runs on the fuzzed server, so that every valid request
// is a small batch and an exec stays fast.
const fuzzMaxRuns = 20

// simulateSeed is one request of the seed corpus: its body and, when not
// application/json, its Content-Type ("none": no header).
type simulateSeed struct{ name, body, ct string }

func (s simulateSeed) contentType() string {
	switch s.ct {
	case "":
		return "application/json"
	case "none":
		return ""
	}
	return s.ct
}

// simulateSeeds is the seed corpus of FuzzSimulateRequest: valid requests
// (small runs) and every kind of invalid one. Each is also a file under
// testdata/fuzz/FuzzSimulateRequest (TestFuzzSeedFiles keeps them alike).
var simulateSeeds = []simulateSeed{
	// valid
	{"empty-object", `{}`, ""},
	{"preset", `{"scenario": "no-controls", "runs": 5, "seed": 7}`, ""},
	{"page-request", `{"scenario": "current-policy", "runs": 10, "seed": 3, "from": "2026Q1", "set": {"export.tpp_threshold": 1600,` +
		` "export.exceptions": ["H20"], "enforcement.tier2_caps": true, "substitution.elasticity": "0.2 to 1"},` +
		` "outputs": ["compute_stock_h100e", "domestic_output_h100e", "self_sufficiency", "frontier_gap_months",` +
		` "foregone_us_revenue_usd", "foregone_us_revenue_cumulative_usd"], "baseline": true}`, ""},
	{"one-run", `{"runs": 1, "outputs": ["foregone_us_revenue_cumulative_usd"], "baseline": true}`, ""},
	{"last-quarter", `{"runs": 2, "from": "2035Q4", "set": {"export.exceptions": []}, "baseline": true}`, ""},
	{"none-values", `{"runs": 3, "set": {"export.tpp_threshold": 1e6, "export.china_volume_cap": 1e9, "export.pd_threshold": 1e6}}`, ""},
	{"max-runs", `{"runs": 20, "seed": 18446744073709551615, "set": {"fab.yield_ceiling": 0.9, "hbm.export_ban": false}}`, ""},
	{"whitespace-around", " \n\t{\"runs\": 4}\r\n ", ""},
	{"nulls", `{"scenario": "", "runs": null, "seed": null, "from": "", "set": null, "outputs": null, "baseline": false}`, ""},
	{"bounds-exact", `{"runs": 2, "set": {"export.fee": 0, "export.licence_approval": 1, "china.domestic_mandate": 0.99}}`, ""},
	// malformed
	{"malformed-json", `{"runs": 5,}`, ""},
	{"truncated", `{"runs": 5`, ""},
	{"empty", ``, ""},
	{"whitespace", " \n\t ", ""},
	{"null", `null`, ""},
	{"array", `[1, 2]`, ""},
	{"string", `"current-policy"`, ""},
	{"two-values", `{} {}`, ""},
	{"trailing-junk", `{"runs": 2} x`, ""},
	{"bom", "\xef\xbb\xbf{\"runs\": 2}", ""},
	{"invalid-utf8", "{\"scenario\": \"\xff\xfe\"}", ""},
	{"deep-nesting", strings.Repeat("[", 12000) + strings.Repeat("]", 12000), ""},
	{"nested-junk", `{"set": {"export.fee": {"a": {"b": [1, {"c": null}, "d", [[[true]]]]}}}}`, ""},
	// unknown keys
	{"unknown-field", `{"runz": 5}`, ""},
	{"unknown-field-case", `{"Runs": 2, "SCENARIO": "no-controls"}`, ""},
	{"upper-case-key", `{"RUNS": 10}`, ""},
	{"key-case-and-exact", `{"runs": 2, "Runs": 3}`, ""},
	{"mixed-case-key", `{"runs": 2, "baseLine": true}`, ""},
	{"unknown-lever", `{"set": {"export.tpp_treshold": 1600}}`, ""},
	{"unknown-lever-no-suggestion", `{"set": {"colour": 1}}`, ""},
	{"empty-lever-key", `{"set": {"": 1}}`, ""},
	{"lever-key-with-equals", `{"set": {"export.fee=0.5": 1}}`, ""},
	{"unknown-output", `{"outputs": ["frontier_gap"]}`, ""},
	{"unknown-scenario", `{"scenario": "curent-policy"}`, ""},
	{"scenario-path", `{"scenario": "../../etc/passwd"}`, ""},
	{"scenario-toml", `{"scenario": "current-policy.toml"}`, ""},
	// huge runs and out-of-bounds values
	{"runs-1e9", `{"runs": 1000000000}`, ""},
	{"runs-1e9-float", `{"runs": 1e9}`, ""},
	{"runs-overflow", `{"runs": 99999999999999999999999}`, ""},
	{"runs-zero", `{"runs": 0}`, ""},
	{"runs-negative", `{"runs": -1}`, ""},
	{"runs-fraction", `{"runs": 2.5}`, ""},
	{"runs-string", `{"runs": "5"}`, ""},
	{"seed-negative", `{"seed": -1}`, ""},
	{"seed-overflow", `{"seed": 18446744073709551616}`, ""},
	{"lever-out-of-bounds", `{"set": {"export.fee": 2}}`, ""},
	{"lever-huge", `{"set": {"china.state_investment": 1e308}}`, ""},
	{"lever-overflow", `{"set": {"export.fee": 1e400}}`, ""},
	{"lever-subnormal", `{"runs": 2, "set": {"export.fee": 5e-324}}`, ""},
	{"lever-negative-zero", `{"runs": 2, "set": {"export.fee": -0}}`, ""},
	{"lever-nan-string", `{"set": {"export.fee": "NaN"}}`, ""},
	{"lever-inf-string", `{"set": {"export.tpp_threshold": "+Inf"}}`, ""},
	{"param-out-of-bounds", `{"set": {"fab.yield_ceiling": 1.5}}`, ""},
	{"param-reversed-range", `{"set": {"substitution.elasticity": "1 to 0"}}`, ""},
	{"param-range-nan", `{"set": {"substitution.elasticity": "NaN to 1"}}`, ""},
	{"param-comma", `{"set": {"substitution.elasticity": "0.2 to 1,fab.yield_ceiling=2"}}`, ""},
	{"param-newline", `{"set": {"substitution.elasticity": "0.5\nfab.yield_ceiling=2"}}`, ""},
	{"switch-number", `{"set": {"hbm.export_ban": 2}}`, ""},
	{"switch-string", `{"set": {"hbm.export_ban": "maybe"}}`, ""},
	{"set-unknown-item", `{"set": {"export.exceptions": ["H2O"]}}`, ""},
	{"set-nested-list", `{"set": {"export.exceptions": [["H20"]]}}`, ""},
	{"set-comma-item", `{"set": {"export.exceptions": ["H20,H200"]}}`, ""},
	{"set-number", `{"set": {"export.exceptions": 3}}`, ""},
	{"null-value", `{"set": {"export.fee": null}}`, ""},
	{"set-is-array", `{"set": []}`, ""},
	{"outputs-is-string", `{"outputs": "frontier_gap_months"}`, ""},
	{"baseline-string", `{"baseline": "yes"}`, ""},
	{"bad-quarter", `{"from": "2026Q5"}`, ""},
	{"quarter-outside", `{"from": "2040Q1"}`, ""},
	{"quarter-number", `{"from": 2026}`, ""},
	{"duplicate-keys", `{"runs": 2, "runs": 100}`, ""},
	// unicode
	{"unicode-scenario", `{"scenario": "政策", "set": {"export.fee": 0.5}}`, ""},
	{"unicode-escapes", `{"scenario": "\u0000\ud800\uffff", "from": "\u2026Q1"}`, ""},
	{"fullwidth-quarter", `{"from": "２０２６Q1"}`, ""},
	{"rtl-lever", `{"set": {"\u202eeef.tropxe": 0.5}}`, ""},
	{"emoji-items", `{"set": {"export.exceptions": ["🚀", "H20"]}}`, ""},
	// content types: only JSON is read
	{"json-charset", `{"runs": 2}`, "application/json; charset=utf-8"},
	{"json-upper-case-type", `{"runs": 2}`, "Application/JSON"},
	{"text-plain", `{"runs": 2}`, "text/plain"},
	{"text-plain-charset", `{"runs": 2}`, "text/plain;charset=UTF-8"},
	{"form", `runs=2`, "application/x-www-form-urlencoded"},
	{"multipart", "--x\r\n\r\n{}\r\n--x--", "multipart/form-data; boundary=x"},
	{"no-content-type", `{"runs": 2}`, "none"},
	{"json-bad-parameter", `{"runs": 2}`, "application/json; charset"},
	{"json-suffix", `{"runs": 2}`, "application/jsonp"},
}

// fuzzServer is the server FuzzSimulateRequest drives, with a log the
// property check reads when a request panicked.
type fuzzServer struct {
	h   http.Handler
	mu  sync.Mutex
	log bytes.Buffer
}

func (f *fuzzServer) Write(p []byte) (int, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.log.Write(p)
}

func newFuzzServer() *fuzzServer {
	fsrv := &fuzzServer{}
	s := &Server{Model: models.China{}, MaxRuns: fuzzMaxRuns}
	s.Log = log.New(fsrv, "", 0)
	fsrv.h = s.Handler()
	return fsrv
}

// serve posts body to /api/simulate, with Content-Type ct unless it is
// empty, and returns the recorded answer and whatever the server logged
// meanwhile. The request names the server as the page does on a laptop.
func (f *fuzzServer) serve(body []byte, ct string) (*httptest.ResponseRecorder, string) {
	f.mu.Lock()
	f.log.Reset()
	f.mu.Unlock()
	req := httptest.NewRequest(http.MethodPost, "http://127.0.0.1:8080/api/simulate", bytes.NewReader(body))
	if ct != "" {
		req.Header.Set("Content-Type", ct)
	}
	rec := httptest.NewRecorder()
	f.h.ServeHTTP(rec, req)
	f.mu.Lock()
	defer f.mu.Unlock()
	return rec, f.log.String()
}

// fuzzAnswer is the part of a simulate answer the properties read; null
// quantiles decode as nil.
type fuzzAnswer struct {
	Runs     int                   `json:"runs"`
	Periods  []string              `json:"periods"`
	Outputs  map[string]fuzzSeries `json:"outputs"`
	Baseline map[string]fuzzSeries `json:"baseline"`
}

type fuzzSeries struct {
	P05 []*float64 `json:"p05"`
	P25 []*float64 `json:"p25"`
	P50 []*float64 `json:"p50"`
	P75 []*float64 `json:"p75"`
	P95 []*float64 `json:"p95"`
}

// checkSimulateAnswer states the properties of one answer to body sent as
// ct: no panic (a 500), valid JSON, a message with every error, only JSON
// with exactly written keys read, and on success ordered quantiles over
// every period.
func checkSimulateAnswer(t *testing.T, body []byte, ct string, rec *httptest.ResponseRecorder, logs string) {
	t.Helper()
	st, b := rec.Code, rec.Body.Bytes()
	checkRequestRules(t, body, ct, st, b)
	if st == http.StatusInternalServerError {
		t.Fatalf("body %q: status 500 (a panic or an internal error): %s\nserver log:\n%s", body, b, logs)
	}
	if ct := rec.Header().Get("Content-Type"); ct != "application/json; charset=utf-8" {
		t.Fatalf("body %q: status %d with Content-Type %q", body, st, ct)
	}
	if !json.Valid(b) {
		t.Fatalf("body %q: status %d, answer is not valid JSON: %q", body, st, b)
	}
	if st < 200 || st >= 300 {
		checkErrorAnswer(t, body, st, b)
		return
	}
	if st != http.StatusOK {
		t.Fatalf("body %q: unexpected status %d: %s", body, st, b)
	}
	var a fuzzAnswer
	if err := json.Unmarshal(b, &a); err != nil {
		t.Fatalf("body %q: answer does not decode: %v: %s", body, err, b)
	}
	if a.Runs < 1 || a.Runs > fuzzMaxRuns {
		t.Fatalf("body %q: answered with %d runs (limit %d)", body, a.Runs, fuzzMaxRuns)
	}
	T := len(a.Periods)
	if T == 0 || len(a.Outputs) == 0 {
		t.Fatalf("body %q: answer without periods or outputs: %s", body, b)
	}
	for k, o := range a.Outputs {
		checkQuantiles(t, body, k, a.Periods, o)
	}
	for k, o := range a.Baseline {
		if _, ok := a.Outputs[k]; !ok {
			t.Fatalf("body %q: baseline output %s is not among the outputs", body, k)
		}
		if len(o.P50) != T {
			t.Fatalf("body %q: baseline %s has %d values for %d periods", body, k, len(o.P50), T)
		}
	}
}

// checkErrorAnswer states that an error answer is a 4xx or 5xx whose body
// is an object holding one message.
func checkErrorAnswer(t *testing.T, body []byte, st int, b []byte) {
	t.Helper()
	if st < 400 || st >= 600 {
		t.Fatalf("body %q: unexpected status %d: %s", body, st, b)
	}
	var e map[string]any
	if err := json.Unmarshal(b, &e); err != nil {
		t.Fatalf("body %q: status %d, error answer is not an object: %v: %s", body, st, err, b)
	}
	msg, _ := e["error"].(string)
	if strings.TrimSpace(msg) == "" || len(e) != 1 {
		t.Fatalf("body %q: status %d without an error message: %s", body, st, b)
	}
}

// checkQuantiles states that output k has five quantiles over every
// period, each cell null (no value: 0/0 in every run) or five finite,
// ordered numbers; never part of each.
func checkQuantiles(t *testing.T, body []byte, k string, periods []string, o fuzzSeries) {
	t.Helper()
	T := len(periods)
	qs := [][]*float64{o.P05, o.P25, o.P50, o.P75, o.P95}
	for qi, q := range qs {
		if len(q) != T {
			t.Fatalf("body %q: output %s quantile %d has %d values for %d periods", body, k, qi, len(q), T)
		}
	}
	for i := 0; i < T; i++ {
		nulls := 0
		for _, q := range qs {
			if q[i] == nil {
				nulls++
			}
		}
		if nulls == len(qs) {
			continue
		}
		if nulls > 0 {
			t.Fatalf("body %q: output %s at %s: some quantiles null, not all: %v", body, k, periods[i], deref(qs, i))
		}
		for qi := 1; qi < len(qs); qi++ {
			if *qs[qi-1][i] > *qs[qi][i] {
				t.Fatalf("body %q: output %s at %s: quantiles out of order (p05 p25 p50 p75 p95): %v",
					body, k, periods[i], deref(qs, i))
			}
		}
	}
}

// checkRequestRules states what is answered before a body is read: a
// request that is not JSON is refused as such (415), one that is JSON
// never is, and a request answered 200 has only keys of the API, written
// exactly.
func checkRequestRules(t *testing.T, body []byte, ct string, st int, b []byte) {
	t.Helper()
	mt, _, err := mime.ParseMediaType(ct)
	isJSON := err == nil && mt == "application/json"
	switch {
	case !isJSON && st != http.StatusUnsupportedMediaType:
		t.Fatalf("body %q sent as %q: status %d, expected 415: %s", body, ct, st, b)
	case isJSON && st == http.StatusUnsupportedMediaType:
		t.Fatalf("body %q sent as %q: refused as not JSON: %s", body, ct, b)
	case st == http.StatusMisdirectedRequest || st == http.StatusForbidden:
		t.Fatalf("body %q sent as %q: a same-origin request to 127.0.0.1 refused with %d: %s", body, ct, st, b)
	}
	if st != http.StatusOK {
		return
	}
	var keys map[string]json.RawMessage
	if err := json.Unmarshal(body, &keys); err != nil {
		t.Fatalf("body %q: answered 200 but is no JSON object: %v", body, err)
	}
	for k := range keys {
		if !slices.Contains(requestKeys, k) {
			t.Fatalf("body %q: answered 200 with key %q, which is not one of %s", body, k, requestFields)
		}
	}
}

func deref(qs [][]*float64, i int) []any {
	out := make([]any, len(qs))
	for k, q := range qs {
		if q[i] == nil {
			out[k] = nil
		} else {
			out[k] = *q[i]
		}
	}
	return out
}

// FuzzSimulateRequest feeds arbitrary bytes, under an arbitrary
// Content-Type, to POST /api/simulate: the handler never panics, answers
// valid JSON, explains every error, reads JSON only, and answers ordered
// quantiles.
//
//	go test ./web -run XXX -fuzz FuzzSimulateRequest -fuzztime 300s -parallel 1
func FuzzSimulateRequest(f *testing.F) {
	for _, s := range simulateSeeds {
		f.Add([]byte(s.body), s.contentType())
	}
	srv := newFuzzServer()
	f.Fuzz(func(t *testing.T, body []byte, ct string) {
		rec, logs := srv.serve(body, ct)
		checkSimulateAnswer(t, body, ct, rec, logs)
	})
}

// The seed corpus is also kept as files, in the format go test writes, so
// that it runs with the crashers the fuzzer saves (and so that
// `go test -fuzz` starts from it in any checkout).
func TestFuzzSeedFiles(t *testing.T) {
	dir := filepath.Join("testdata", "fuzz", "FuzzSimulateRequest")
	seen := map[string]bool{}
	for _, s := range simulateSeeds {
		require.False(t, seen[s.name], "seed name %q twice", s.name)
		seen[s.name] = true
		want := fmt.Sprintf("go test fuzz v1\n[]byte(%q)\nstring(%q)\n", s.body, s.contentType())
		p := filepath.Join(dir, "seed-"+s.name)
		if *updateSeeds {
			require.NoError(t, os.MkdirAll(dir, 0o755))
			require.NoError(t, os.WriteFile(p, []byte(want), 0o644))
			continue
		}
		got, err := os.ReadFile(p)
		if assert.NoError(t, err, "run go test ./web -run TestFuzzSeedFiles -update-fuzz-seeds") {
			assert.Equal(t, want, string(got), p)
		}
	}
	// No stale seed files.
	files, err := filepath.Glob(filepath.Join(dir, "seed-*"))
	require.NoError(t, err)
	for _, p := range files {
		assert.True(t, seen[strings.TrimPrefix(filepath.Base(p), "seed-")], "%s is not in simulateSeeds", p)
	}
}
