package web

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"mime"
	"net/http"
	"runtime"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/chokepoint-sim/chokepoint/scenarios"
	"github.com/chokepoint-sim/chokepoint/sim"
)

// simRequest is the body of POST /api/simulate.
type simRequest struct {
	Scenario string  `json:"scenario"`
	Runs     *int    `json:"runs"`
	Seed     *uint64 `json:"seed"`
	// From is the quarter from which levers in Set act ("2026Q1"); empty
	// means the span's start, as `chokepoint run --set` does.
	From string                     `json:"from"`
	Set  map[string]json.RawMessage `json:"set"`
	// Outputs limits the answer to these outputs; empty means all.
	Outputs []string `json:"outputs"`
	// Baseline asks for the median of the scenario with the request's
	// parameter settings but none of its lever settings, beside the
	// result: the difference is what the levers did.
	Baseline bool `json:"baseline"`
	// raw is the body as sent (for Server.Helper).
	raw []byte
}

// requestFields lists simRequest's keys for the unknown-field message.
const requestFields = "scenario, runs, seed, from, set, outputs, baseline"

// requestKeys are simRequest's keys, exactly as they must be written.
var requestKeys = strings.Split(requestFields, ", ")

// simAnswer is the answer of POST /api/simulate. Numbers carry six
// significant digits; a cell with no value (0/0) is null.
type simAnswer struct {
	Scenario string                   `json:"scenario"`
	Title    string                   `json:"title"`
	Runs     int                      `json:"runs"`
	Seed     uint64                   `json:"seed"`
	From     string                   `json:"from"`
	Periods  []string                 `json:"periods"`
	Applied  []applied                `json:"applied"`
	Outputs  map[string]*outputSeries `json:"outputs"`
	Baseline map[string]*outputSeries `json:"baseline,omitempty"`
}

// applied echoes one setting the run used, as a person reads it.
type applied struct {
	Key   string `json:"key"`
	Kind  string `json:"kind"` // lever or param
	Value string `json:"value"`
	From  string `json:"from"`
}

type outputSeries struct {
	Unit string `json:"unit,omitempty"`
	P05  series `json:"p05,omitempty"`
	P25  series `json:"p25,omitempty"`
	P50  series `json:"p50"`
	P75  series `json:"p75,omitempty"`
	P95  series `json:"p95,omitempty"`
}

// series is a time series written compactly, NaN as null.
type series []float64

func (s series) MarshalJSON() ([]byte, error) {
	b := make([]byte, 0, 2+len(s)*12)
	b = append(b, '[')
	for i, v := range s {
		if i > 0 {
			b = append(b, ',')
		}
		if math.IsNaN(v) || math.IsInf(v, 0) {
			b = append(b, "null"...)
			continue
		}
		b = strconv.AppendFloat(b, v, 'g', 6, 64)
	}
	return append(b, ']'), nil
}

// job is a validated request: everything a result depends on.
type job struct {
	name    string
	sc      *sim.Scenario
	runs    int
	seed    uint64
	from    sim.Period
	sets    []string // key=value, sorted: the settings, canonical
	outputs []string // requested, in registry order
	applied []applied
	// baseline is the same job without the lever settings.
	baseline *job
	// body is the request's body and isBaseline whether this job is
	// another's baseline: what a Server.Helper needs to run a part of it.
	body       []byte
	isBaseline bool
}

// key identifies the job's result in the cache.
func (j *job) key() string {
	return fmt.Sprintf("%s\x00%d\x00%d\x00%d\x00%s\x00%s", j.name, j.runs, j.seed, j.from,
		strings.Join(j.sets, "\x01"), strings.Join(j.outputs, ","))
}

func (s *Server) simulate(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", "POST")
		writeError(w, http.StatusMethodNotAllowed, "%s /api/simulate: expected POST with a JSON body such as %s", r.Method, s.example(true))
		return
	}
	// A page of another site can post a form or text/plain without the
	// browser asking this server first; JSON it cannot.
	if mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type")); err != nil || mt != "application/json" {
		writeError(w, http.StatusUnsupportedMediaType, "POST /api/simulate: expected Content-Type: application/json, found %q",
			r.Header.Get("Content-Type"))
		return
	}
	started := time.Now()
	req, err := s.decode(w, r)
	if err != nil {
		st, msg := errorStatus(err)
		writeError(w, st, "%s", msg)
		return
	}
	j, err := s.prepare(req)
	if err != nil {
		st, msg := errorStatus(err)
		writeError(w, st, "%s", msg)
		return
	}
	ctx, cancel := context.WithTimeout(r.Context(), s.Timeout)
	defer cancel()
	res, err := s.result(ctx, j)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	ans := &simAnswer{Scenario: j.name, Title: j.sc.Title, Runs: j.runs, Seed: j.seed, From: j.from.String(),
		Periods: periodStrings(j.sc.Span), Applied: j.applied, Outputs: res}
	if req.Baseline {
		bres, err := s.result(ctx, j.baseline)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		ans.Baseline = map[string]*outputSeries{}
		for k, o := range bres {
			ans.Baseline[k] = &outputSeries{P50: o.P50}
		}
	}
	w.Header().Set("Server-Timing", fmt.Sprintf("sim;dur=%.1f", float64(time.Since(started).Microseconds())/1000))
	writeJSON(w, http.StatusOK, mustJSON(ans))
}

// fail answers a request whose batch did not finish.
func (s *Server) fail(w http.ResponseWriter, r *http.Request, err error) {
	switch {
	case errors.Is(err, context.DeadlineExceeded):
		writeError(w, http.StatusServiceUnavailable, "the simulation did not finish within %s (the server is busy, or runs is too high); try again or ask for fewer runs", s.Timeout)
	case errors.Is(err, context.Canceled):
		// The client went away; nobody reads the answer.
		writeError(w, 499, "request cancelled")
	default:
		s.Log.Printf("web: %s %s: %v", r.Method, r.URL.Path, err)
		st, msg := errorStatus(err)
		writeError(w, st, "%s", msg)
	}
}

// decode reads the request body strictly: at most MaxBody bytes, one JSON
// object, no unknown keys (matched exactly: encoding/json alone would take
// "RUNS" for "runs").
func (s *Server) decode(w http.ResponseWriter, r *http.Request) (*simRequest, error) {
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, s.MaxBody))
	if err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return nil, &statusError{http.StatusRequestEntityTooLarge,
				fmt.Sprintf("request body is larger than %s; a simulate request is a small JSON object", sizeText(s.MaxBody))}
		}
		return nil, badRequest("cannot read the request body: %v", err)
	}
	return s.decodeBody(body)
}

// decodeBody checks and decodes a simulate request's body.
func (s *Server) decodeBody(body []byte) (*simRequest, error) {
	if len(bytes.TrimSpace(body)) == 0 {
		return nil, badRequest("request body is empty; expected a JSON object such as %s", s.example(false))
	}
	if bytes.Equal(bytes.TrimSpace(body), []byte("null")) {
		return nil, badRequest("request body is null; expected a JSON object such as %s", s.example(false))
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	var fields map[string]json.RawMessage
	if err := dec.Decode(&fields); err != nil {
		return nil, jsonError(err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, badRequest("request body holds more than one JSON value; expected one object")
	}
	if err := checkKeys(fields); err != nil {
		return nil, err
	}
	var req simRequest
	if err := json.Unmarshal(body, &req); err != nil {
		return nil, jsonError(err)
	}
	req.raw = body
	return &req, nil
}

// checkKeys refuses a key that is not one of requestKeys, written exactly.
func checkKeys(fields map[string]json.RawMessage) error {
	keys := make([]string, 0, len(fields))
	for k := range fields {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		if slices.Contains(requestKeys, k) {
			continue
		}
		for _, want := range requestKeys {
			if strings.EqualFold(k, want) {
				return badRequest("unknown field %q in request (keys are case-sensitive: did you mean %q?); expected %s", k, want, requestFields)
			}
		}
		return badRequest("unknown field %q in request; expected %s", k, requestFields)
	}
	return nil
}

func sizeText(n int64) string {
	if n%1024 == 0 {
		return fmt.Sprintf("%d KB", n/1024)
	}
	return fmt.Sprintf("%d bytes", n)
}

// jsonError turns a decoding error into a message naming the field.
func jsonError(err error) error {
	var se *json.SyntaxError
	var te *json.UnmarshalTypeError
	switch {
	case errors.As(err, &se):
		return badRequest("request body is not valid JSON (at byte %d): %v", se.Offset, se)
	case errors.Is(err, io.ErrUnexpectedEOF):
		return badRequest("request body is not valid JSON: it ends in the middle of a value")
	case errors.As(err, &te):
		switch te.Field {
		case "":
			return badRequest("request body must be a JSON object, found %s", te.Value)
		case "runs":
			return badRequest("runs: expected a whole number, found %s", te.Value)
		case "seed":
			return badRequest("seed: expected a whole number from 0 to %d, found %s", uint64(math.MaxUint64), te.Value)
		case "scenario", "from":
			return badRequest("%s: expected a string, found %s", te.Field, te.Value)
		case "set":
			return badRequest(`set: expected an object of "key": value pairs, found %s`, te.Value)
		case "outputs":
			return badRequest("outputs: expected a list of output names, found %s", te.Value)
		case "baseline":
			return badRequest("baseline: expected true or false, found %s", te.Value)
		}
		return badRequest("%s: unexpected %s", te.Field, te.Value)
	}
	return badRequest("request body is not valid JSON: %v", err)
}

// prepare validates a request and builds the scenario it runs.
func (s *Server) prepare(req *simRequest) (*job, error) {
	name := req.Scenario
	if name == "" {
		name = s.defaultScenario()
	}
	base, ok := s.presets[name]
	if !ok {
		msg := fmt.Sprintf("scenario: unknown scenario %q", name)
		if sug := sim.Suggest(name, s.names); sug != "" {
			msg += fmt.Sprintf(" (did you mean %q?)", sug)
		}
		return nil, badRequest("%s; the scenarios are %s", msg, strings.Join(s.names, ", "))
	}
	j := &job{name: name, runs: s.DefaultRuns, seed: 1, from: base.Span.Start, body: req.raw}
	if req.Runs != nil {
		j.runs = *req.Runs
	}
	if j.runs > s.MaxRuns {
		return nil, badRequest("runs: at most %d per request on this server, found %d", s.MaxRuns, j.runs)
	}
	if j.runs < 1 {
		return nil, badRequest("runs: expected a whole number from 1 to %d, found %d", s.MaxRuns, j.runs)
	}
	if req.Seed != nil {
		j.seed = *req.Seed
	}
	if req.From != "" {
		p, err := sim.ParsePeriod(req.From)
		if err != nil {
			return nil, badRequest("from: %v", err)
		}
		if p < base.Span.Start || p > base.Span.End {
			return nil, badRequest("from: %s is outside the scenario's span %s to %s", p, base.Span.Start, base.Span.End)
		}
		j.from = p
	}
	var err error
	if j.outputs, err = s.outputs(req.Outputs); err != nil {
		return nil, err
	}
	sets, err := s.settings(req.Set)
	if err != nil {
		return nil, err
	}
	j.sets = sets.all
	paramSets, levers := sets.params, sets.levers
	bj := *j
	j.baseline = &bj
	bj.sets, bj.sc, bj.isBaseline = paramSets, base, true
	if len(j.sets) == 0 {
		j.sc = base
		return j, nil
	}
	ov, err := s.override(base, j.sets)
	if err != nil {
		return nil, err
	}
	j.sc = s.dated(base, ov, levers, j.from)
	if len(paramSets) > 0 {
		if bj.sc, err = s.override(base, paramSets); err != nil {
			return nil, err
		}
	}
	j.applied = s.appliedSettings(j, ov)
	return j, nil
}

// example is a request body for messages, made from the registry: the
// default scenario, and with set, its first number lever at a value its
// slider offers.
func (s *Server) example(set bool) string {
	ex := fmt.Sprintf(`{"scenario": %q, "runs": %d`, s.defaultScenario(), DefaultRuns)
	if !set {
		return ex + "}"
	}
	ex += `, "seed": 1`
	for i := range s.reg.Levers {
		if l := leverOf(&s.reg.Levers[i]); l.Slider != nil {
			v := l.Slider.Min + math.Round((l.Slider.Max-l.Slider.Min)/l.Slider.Step/2)*l.Slider.Step
			return ex + fmt.Sprintf(`, "set": {%q: %s}}`, l.Key, strconv.FormatFloat(v, 'g', 6, 64))
		}
	}
	return ex + "}"
}

// allOutputs are the keys of the model's outputs, then the derived ones.
func (s *Server) allOutputs() []string {
	ks := s.reg.OutputKeys()
	for _, d := range s.reg.Derived {
		ks = append(ks, d.Key)
	}
	return ks
}

// outputs checks the requested outputs and returns them in registry
// order, the derived ones last; none requested means all.
func (s *Server) outputs(requested []string) ([]string, error) {
	all := s.allOutputs()
	want := map[string]bool{}
	for _, o := range requested {
		if !slices.Contains(all, o) {
			msg := fmt.Sprintf("outputs: unknown output %q", o)
			if sug := sim.Suggest(o, all); sug != "" {
				msg += fmt.Sprintf(" (did you mean %q?)", sug)
			}
			return nil, badRequest("%s; GET /api/outputs lists the outputs", msg)
		}
		want[o] = true
	}
	var out []string
	for _, o := range all {
		if len(want) == 0 || want[o] {
			out = append(out, o)
		}
	}
	return out, nil
}

// requestSettings are a request's "set" as key=value texts, sorted by key.
type requestSettings struct {
	all, params []string // every setting; the parameters' only
	levers      []int    // the levers set, by registry index
}

// settings checks every key of "set" here, so that the message names the
// request's field; the values are read by the scenario loader's Override,
// the same code as `chokepoint run --set`.
func (s *Server) settings(set map[string]json.RawMessage) (*requestSettings, error) {
	reg := s.reg
	keys := make([]string, 0, len(set))
	for k := range set {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	rs := &requestSettings{}
	for _, k := range keys {
		_, isParam := reg.ParamIndex(k)
		li, isLever := reg.LeverIndex(k)
		if !isParam && !isLever {
			msg := fmt.Sprintf("set: unknown parameter or lever %q", k)
			if sug := sim.Suggest(k, append(reg.LeverKeys(), reg.ParamKeys()...)); sug != "" {
				return nil, badRequest("%s (did you mean %q?)", msg, sug)
			}
			return nil, badRequest("%s; GET /api/levers lists them", msg)
		}
		v, err := setText(set[k])
		if err != nil {
			return nil, badRequest("set: %s: %v", k, err)
		}
		rs.all = append(rs.all, k+"="+v)
		if isLever {
			rs.levers = append(rs.levers, li)
		} else {
			rs.params = append(rs.params, k+"="+v)
		}
	}
	return rs, nil
}

// appliedSettings echoes each of j's settings as ov, the scenario with
// them applied, holds it.
func (s *Server) appliedSettings(j *job, ov *sim.Scenario) []applied {
	reg := s.reg
	var out []applied
	for _, kv := range j.sets {
		k, _, _ := strings.Cut(kv, "=")
		a := applied{Key: k, Kind: "param", From: j.sc.Span.Start.String()}
		if li, ok := reg.LeverIndex(k); ok {
			a.Kind, a.From = "lever", j.from.String()
			for _, e := range ov.Events {
				if e.Lever == li && e.ID == "set:"+k {
					a.Value = reg.Levers[li].FormatValue(e.Value)
				}
			}
		} else {
			pi, _ := reg.ParamIndex(k)
			a.Value = strings.Trim(ov.Params[pi].String(), `"`)
		}
		out = append(out, a)
	}
	return out
}

// override applies key=value settings through the scenario loader, the
// same code as `chokepoint run --set`.
func (s *Server) override(sc *sim.Scenario, sets []string) (*sim.Scenario, error) {
	// The answer never names the scenario's hash: it is not computed.
	ov, err := s.Loader.OverrideUnhashed(sc, sets)
	if err != nil {
		var se *scenarios.Error
		if errors.As(err, &se) {
			return nil, badRequest("set: %s: %s", strings.TrimPrefix(se.Key, "--set "), se.Msg)
		}
		return nil, badRequest("set: %v", err)
	}
	return ov, nil
}

// dated moves the lever settings of ov (which Override put at the span's
// start) to the quarter from: the preset's history before from is kept,
// its events for those levers at or after from are dropped, and the
// setting is added as an event of its own, so the student's policy starts
// at from. Parameters are not time series and keep Override's meaning.
func (s *Server) dated(base, ov *sim.Scenario, levers []int, from sim.Period) *sim.Scenario {
	if from <= base.Span.Start || len(levers) == 0 {
		return ov
	}
	set := map[int]bool{}
	for _, li := range levers {
		set[li] = true
	}
	out := *ov
	out.Events = nil
	for _, e := range base.Events {
		if set[e.Lever] && e.Effective >= from {
			continue
		}
		out.Events = append(out.Events, e)
	}
	for _, e := range ov.Events {
		if !set[e.Lever] || !strings.HasPrefix(e.ID, "set:") {
			continue
		}
		key := strings.TrimPrefix(e.ID, "set:")
		out.Events = append(out.Events, sim.Event{
			ID: "page:" + key, Lever: e.Lever, Value: e.Value, Effective: from, Announced: from,
			Probability: 1, Note: "set on the classroom page from " + from.String(),
		})
	}
	// Events apply in order of date, and among one date in the order
	// given, so the page's setting wins over a preset event in the same
	// quarter.
	sort.SliceStable(out.Events, func(a, b int) bool { return out.Events[a].Effective < out.Events[b].Effective })
	return &out
}

// setText turns a JSON value of "set" into the text `--set key=value`
// takes: a number, true/false, a list of names, or a distribution string.
func setText(raw json.RawMessage) (string, error) {
	t := bytes.TrimSpace(raw)
	if len(t) == 0 {
		return "", errors.New("missing value")
	}
	switch t[0] {
	case '"':
		var s string
		if err := json.Unmarshal(t, &s); err != nil {
			return "", err
		}
		if strings.ContainsAny(s, "\n\x00") {
			return "", fmt.Errorf("unexpected control character in %q", s)
		}
		return s, nil
	case 't', 'f':
		var b bool
		if err := json.Unmarshal(t, &b); err != nil {
			return "", err
		}
		return strconv.FormatBool(b), nil
	case '[':
		var names []string
		if err := json.Unmarshal(t, &names); err != nil {
			return "", errors.New("expected a list of names such as [\"H20\", \"H200\"]")
		}
		for _, n := range names {
			if strings.ContainsAny(n, ",\n\x00") {
				return "", fmt.Errorf("%q is not a name", n)
			}
		}
		return strings.Join(names, ","), nil
	case 'n':
		return "", errors.New(`expected a value, found null (leave the key out to keep the scenario's value)`)
	case '{':
		return "", errors.New(`expected a number, true/false, a list of names or a distribution such as "0.5 to 0.8", found an object`)
	}
	var f float64
	if err := json.Unmarshal(t, &f); err != nil {
		return "", fmt.Errorf("%s is not a number that fits a float64", t)
	}
	return strconv.FormatFloat(f, 'g', -1, 64), nil
}

func periodStrings(span sim.Span) []string {
	ps := span.Periods()
	out := make([]string, len(ps))
	for i, p := range ps {
		out[i] = p.String()
	}
	return out
}

// result returns the summarised outputs of a job, from the cache when the
// same job ran before (same inputs give the same numbers) or is running
// now for another request.
func (s *Server) result(ctx context.Context, j *job) (map[string]*outputSeries, error) {
	return s.cache.do(ctx, j.key(), func() (map[string]*outputSeries, error) { return s.run(ctx, j) })
}

// run simulates a job once a slot is free.
func (s *Server) run(ctx context.Context, j *job) (map[string]*outputSeries, error) {
	select {
	case s.sem <- struct{}{}:
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	defer func() { <-s.sem }()
	// A slot and a cancellation may come together: a request that has
	// ended starts no batch.
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	// A batch alone uses every core; batches side by side share them.
	// The worker count never changes the numbers.
	b := s.newBatch(j)
	cums := map[string]*cumSketch{}
	if !s.exact(b) {
		// The batch keeps no runs: the running totals are summed as the
		// runs go and sketched.
		var observers []func(run, scenario int, params, values []float64)
		for _, d := range s.reg.Derived {
			if !j.wants(d.Key) {
				continue
			}
			oi, _ := s.reg.OutputIndex(d.Derived.Of)
			c := newCumSketch(oi, d.Unit, j.sc.Span, j.from)
			cums[d.Key] = c
			observers = append(observers, c.observe)
		}
		if len(observers) > 0 {
			b.Observe = func(run, scenario int, params, values []float64) {
				for _, f := range observers {
					f(run, scenario, params, values)
				}
			}
		}
	}
	res, rows, err := s.runBatch(ctx, b, j)
	if err != nil {
		return nil, err
	}
	return s.summarise(res, rows, j, cums)
}

// newBatch is j's batch of runs.
func (s *Server) newBatch(j *job) *sim.Batch {
	// A batch alone uses every core; batches side by side share them.
	// The worker count never changes the numbers.
	workers := max(1, runtime.GOMAXPROCS(0)/max(1, len(s.sem)))
	return &sim.Batch{Model: s.Model, Scenarios: []*sim.Scenario{j.sc}, Span: j.sc.Span, Runs: j.runs,
		Seed: j.seed, Workers: workers, ExactLimit: s.exactLimit, Ensemble: s.Ensemble}
}

// runRows is what summarise reads of a batch that keeps its runs: n runs,
// each a row of stride values in which output oi's T quarters start at
// slot[oi]·T (slot −1: not kept).
type runRows struct {
	vals      []float64
	n, stride int
	T         int
	slot      []int
}

// allRows is the rows of res, every output kept (sim.Result's layout).
func allRows(res *sim.Result) *runRows {
	C, T := res.Cells(), res.Span.Len()
	slot := make([]int, C/T)
	for i := range slot {
		slot[i] = i
	}
	return &runRows{vals: res.Scenarios[0].Values, n: res.N(), stride: C, T: T, slot: slot}
}

// column is the values of output oi in quarter t, run by run, in dst.
func (v *runRows) column(oi, t int, dst []float64) []float64 {
	dst = dst[:0]
	for i, end := v.slot[oi]*v.T+t, v.n*v.stride; i < end; i += v.stride {
		dst = append(dst, v.vals[i])
	}
	return dst
}

// row is output oi's quarters in run r.
func (v *runRows) row(r, oi int) []float64 {
	at := r*v.stride + v.slot[oi]*v.T
	return v.vals[at : at+v.T]
}

// runBatch runs b, the batch of job j, and gives the rows summarise reads
// (nil when the batch keeps no runs): with a Helper and a batch that keeps
// every run (exact) and is worth splitting, the second half runs on the
// helper while the first runs here, and the halves are joined in run
// order, each run's row holding only the outputs summarise reads. Should
// the helper fail, its half runs here: the numbers do not depend on where
// a run ran.
func (s *Server) runBatch(ctx context.Context, b *sim.Batch, j *job) (*sim.Result, *runRows, error) {
	if s.Helper == nil || j.body == nil || b.Observe != nil || !s.exact(b) || b.Runs < 2*sim.ChunkRuns {
		res, err := b.Run(ctx)
		if err != nil || !res.Exact {
			return res, nil, err
		}
		return res, allRows(res), nil
	}
	// This side takes a little more than half: the helper starts later
	// (after a message and its own reading of the request) and sends its
	// values back, some 10 ms at 500 runs in the published page, where a
	// run takes ~0.42 ms; joining and summarising come after both.
	mid := b.Runs * ownShare / 1000
	wait := s.Helper(j.body, j.isBaseline, mid, b.Runs)
	b.Hi = mid
	res, err := b.Run(ctx)
	if err != nil {
		return nil, nil, err
	}
	C, T := res.Cells(), res.Span.Len()
	outs := s.partOutputs(j)
	rest, err := wait(ctx)
	if err != nil || len(rest) != (b.Runs-mid)*len(outs)*T {
		if ctx.Err() != nil {
			return nil, nil, ctx.Err()
		}
		other := *b
		other.Lo, other.Hi = mid, b.Runs
		r2, err := other.Run(ctx)
		if err != nil {
			return nil, nil, err
		}
		rest = pick(r2.Scenarios[0].Values, C, T, outs)
	}
	rows := &runRows{vals: append(pick(res.Scenarios[0].Values, C, T, outs), rest...), n: b.Runs,
		stride: len(outs) * T, T: T, slot: make([]int, C/T)}
	for i := range rows.slot {
		rows.slot[i] = -1
	}
	for k, oi := range outs {
		rows.slot[oi] = k
	}
	// Only the outputs' values travel: the runs' parameters and events
	// stay with the helper, and nothing here reads them.
	sr := res.Scenarios[0]
	sr.Values, sr.Params, sr.Fired = nil, nil, nil
	res.Hi = b.Runs
	return res, rows, nil
}

// ownShare is the share, in thousandths, of a split batch's runs this
// side runs: 525 of 1,000 (262 of 500 runs).
const ownShare = 525

// partOutputs are the indices of the outputs summarise reads for j: those
// asked for and those a running total asked for is made of.
func (s *Server) partOutputs(j *job) []int {
	var outs []int
	for oi, o := range s.reg.Outputs {
		if j.wants(o.Key) {
			outs = append(outs, oi)
			continue
		}
		for _, d := range s.reg.Derived {
			if d.Derived.Of == o.Key && j.wants(d.Key) {
				outs = append(outs, oi)
				break
			}
		}
	}
	return outs
}

// pick keeps the outputs outs of each run's values (C cells of T
// quarters an output), run by run.
func pick(vals []float64, C, T int, outs []int) []float64 {
	n := len(vals) / C
	out := make([]float64, 0, n*len(outs)*T)
	for r := 0; r < n; r++ {
		for _, oi := range outs {
			out = append(out, vals[r*C+oi*T:r*C+(oi+1)*T]...)
		}
	}
	return out
}

// RunPart runs the runs [lo, hi) of the simulate request body (of its
// baseline when baseline is true) and returns, run by run, the values of
// the outputs the answer reads (each output's quarters, in registry
// order), as a Helper of another Server asks: the body is checked as the
// simulate API checks it.
func (s *Server) RunPart(ctx context.Context, body []byte, baseline bool, lo, hi int) ([]float64, error) {
	s.once.Do(s.init)
	req, err := s.decodeBody(body)
	if err != nil {
		return nil, err
	}
	j, err := s.prepare(req)
	if err != nil {
		return nil, err
	}
	if baseline {
		j = j.baseline
	}
	b := s.newBatch(j)
	if !s.exact(b) || lo < 0 || lo >= hi || hi > b.Runs {
		return nil, fmt.Errorf("web: runs [%d, %d) of a batch of %d that keeps its runs: not a part", lo, hi, b.Runs)
	}
	b.Lo, b.Hi = lo, hi
	res, err := b.Run(ctx)
	if err != nil {
		return nil, err
	}
	return pick(res.Scenarios[0].Values, res.Cells(), res.Span.Len(), s.partOutputs(j)), nil
}

// exact tells whether b keeps every run's values, the engine's rule
// (sim.ExactLimit values over the batch's scenarios and cells).
func (s *Server) exact(b *sim.Batch) bool {
	limit := int64(sim.ExactLimit)
	if b.ExactLimit > 0 {
		limit = b.ExactLimit
	}
	cells := int64(len(s.reg.Outputs)) * int64(b.Span.Len())
	return int64(b.Runs)*int64(len(b.Scenarios))*cells <= limit
}

// summarise computes the quantiles of the requested outputs only: with a
// handful of the model's outputs on the page, that is most of the time of
// a request saved. Past the engine's exact limit, they are read from the
// batch's sketches, as `chokepoint run` reads them.
func (s *Server) summarise(res *sim.Result, rows *runRows, j *job, cums map[string]*cumSketch) (map[string]*outputSeries, error) {
	reg := res.Registry
	T := res.Span.Len()
	out := map[string]*outputSeries{}
	col := make([]float64, 0, res.N())
	var z sim.Summarizer
	cell := func(c int) sim.Stats {
		if rows == nil {
			return res.Sketches[0][c].Stats()
		}
		col = rows.column(c/T, c%T, col)
		return z.Summarize(col)
	}
	for _, k := range j.outputs {
		oi, ok := reg.OutputIndex(k)
		if !ok {
			continue
		}
		o := newSeries(reg.Outputs[oi].Unit, T)
		for t := 0; t < T; t++ {
			o.fill(t, cell(oi*T+t))
		}
		out[k] = o
	}
	for _, d := range s.reg.Derived {
		if !j.wants(d.Key) {
			continue
		}
		oi, _ := reg.OutputIndex(d.Derived.Of)
		switch c := cums[d.Key]; {
		case rows != nil:
			out[d.Key] = cumulativeExact(rows, res.Span, oi, d.Unit, j.from)
		case c != nil:
			out[d.Key] = c.series()
		default:
			return nil, fmt.Errorf("web: the batch of %d runs kept no run values and no running totals were sketched", j.runs)
		}
	}
	return out, nil
}

func newSeries(unit string, T int) *outputSeries {
	return &outputSeries{Unit: unit, P05: make(series, T), P25: make(series, T), P50: make(series, T),
		P75: make(series, T), P95: make(series, T)}
}

func (o *outputSeries) fill(t int, st sim.Stats) {
	o.P05[t], o.P25[t], o.P50[t], o.P75[t], o.P95[t] = st.P05(), st.P25(), st.P50(), st.P75(), st.P95()
}

// cumulativeExact is the quantiles of each run's running total of output
// ri from the quarter from on, over the runs rows holds.
func cumulativeExact(rows *runRows, span sim.Span, ri int, unit string, from sim.Period) *outputSeries {
	T, n := rows.T, rows.n
	start := max(0, span.Index(from))
	cum := make([]float64, n*T)
	for r := 0; r < n; r++ {
		var sum float64
		row := rows.row(r, ri)
		for t := 0; t < T; t++ {
			if t >= start && !math.IsNaN(row[t]) {
				sum += row[t]
			}
			cum[t*n+r] = sum
		}
	}
	o := newSeries(unit, T)
	var z sim.Summarizer
	for t := 0; t < T; t++ {
		o.fill(t, z.Summarize(cum[t*n:(t+1)*n]))
	}
	return o
}

func (j *job) wants(k string) bool {
	for _, o := range j.outputs {
		if o == k {
			return true
		}
	}
	return false
}
