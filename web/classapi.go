package web

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/subtle"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"mime"
	"net"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/chokepoint-sim/chokepoint/sim"
)

// Limits of the class API. A page polls every 1.5 s and sends its
// settings at most every 0.5 s, well inside its team's allowance; a
// script that floods gets 429 for its own team only.
const (
	classSmallBody              = 1 << 10 // join, push, lock, remove: a few short fields
	teamPostRate, teamPostBurst = 4.0, 12.0
	teamPollRate, teamPollBurst = 4.0, 12.0
	teacherRate, teacherBurst   = 20.0, 40.0
	// classWait is the longest a teacher's long poll waits, well inside
	// the server's write timeout (serve: --timeout + 15 s).
	classWait = 10 * time.Second
)

// classEndpoints lists the class API for the not-found message.
const classEndpoints = "GET /api/class, POST /api/class/join, GET and POST /api/class/team (team token), " +
	"GET /api/class/teacher, POST /api/class/push, POST /api/class/lock, POST /api/class/remove, " +
	"GET /api/class/export.csv (teacher token)"

// exerciseInfo is what the server needs of an exercise to push it.
type exerciseInfo struct {
	ID     string `json:"id"`
	Preset string `json:"preset"`
	At     string `json:"at"`
}

// classRoutes adds the class API to mux; without a class it answers that
// class mode is off.
func (s *Server) classRoutes(mux *http.ServeMux) {
	if s.Class == nil {
		off := func(w http.ResponseWriter, r *http.Request) {
			writeError(w, http.StatusNotFound, "class mode is off on this server; start it with chokepoint serve --class")
		}
		// The page asks whether there is a class; "no" is an answer, not
		// an error its console would show.
		mux.HandleFunc("/api/class", only(http.MethodGet, func(w http.ResponseWriter, r *http.Request) {
			writeJSON(w, http.StatusOK, []byte(`{"class": null}`))
		}))
		mux.HandleFunc("/api/class/", off)
		return
	}
	s.classOutputs = s.reg.Featured(sim.PageCharts | sim.PageCost | sim.DebriefX | sim.DebriefY)
	s.exercises = loadExercises()
	mux.HandleFunc("/api/class", only(http.MethodGet, s.classInfo))
	mux.HandleFunc("/api/class/join", only(http.MethodPost, s.classJoin))
	mux.HandleFunc("/api/class/team", func(w http.ResponseWriter, r *http.Request) {
		switch r.Method {
		case http.MethodGet, http.MethodHead:
			s.teamPoll(w, r)
		case http.MethodPost:
			s.teamPost(w, r)
		default:
			w.Header().Set("Allow", "GET, POST")
			writeError(w, http.StatusMethodNotAllowed, "%s /api/class/team: expected GET (the class's news) or POST (your settings)", r.Method)
		}
	})
	mux.HandleFunc("/api/class/teacher", only(http.MethodGet, s.asTeacher(s.teacherView)))
	mux.HandleFunc("/api/class/push", only(http.MethodPost, s.asTeacher(s.classPush)))
	mux.HandleFunc("/api/class/lock", only(http.MethodPost, s.asTeacher(s.classLock)))
	mux.HandleFunc("/api/class/remove", only(http.MethodPost, s.asTeacher(s.classRemove)))
	mux.HandleFunc("/api/class/export.csv", only(http.MethodGet, s.asTeacher(s.classExport)))
	mux.HandleFunc("/api/class/", func(w http.ResponseWriter, r *http.Request) {
		writeError(w, http.StatusNotFound, "no such class endpoint %q; the class API has %s", r.URL.Path, classEndpoints)
	})
}

// loadExercises reads the exercises' ids, presets and quarters from the
// page's exercises.json.
func loadExercises() map[string]exerciseInfo {
	b, err := staticFS.ReadFile("static/exercises.json")
	if err != nil {
		panic("web: " + err.Error()) // embedded
	}
	var f struct {
		Exercises []exerciseInfo `json:"exercises"`
	}
	if err := json.Unmarshal(b, &f); err != nil {
		panic("web: static/exercises.json: " + err.Error()) // a test reads it
	}
	m := map[string]exerciseInfo{}
	for _, e := range f.Exercises {
		m[e.ID] = e
	}
	return m
}

// only answers method (and HEAD for GET) with h, anything else with 405.
func only(method string, h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if r.Method == method || (method == http.MethodGet && r.Method == http.MethodHead) {
			h(w, r)
			return
		}
		w.Header().Set("Allow", method)
		writeError(w, http.StatusMethodNotAllowed, "%s %s: expected %s", r.Method, r.URL.Path, method)
	}
}

// clientAddr is the request's IP address, the key of the failure limits.
func clientAddr(r *http.Request) string {
	if h, _, err := net.SplitHostPort(r.RemoteAddr); err == nil {
		return h
	}
	return r.RemoteAddr
}

// readSmall reads a small JSON object strictly into v.
func readSmall(w http.ResponseWriter, r *http.Request, v any) error {
	if mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type")); err != nil || mt != "application/json" {
		return &statusError{http.StatusUnsupportedMediaType, fmt.Sprintf("%s %s: expected Content-Type: application/json, found %q",
			r.Method, r.URL.Path, r.Header.Get("Content-Type"))}
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, classSmallBody))
	if err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return &statusError{http.StatusRequestEntityTooLarge, fmt.Sprintf("request body is larger than %s; %s takes a small JSON object",
				sizeText(classSmallBody), r.URL.Path)}
		}
		return badRequest("cannot read the request body: %v", err)
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return badRequest("%s: expected a JSON object such as %s: %v", r.URL.Path, classExample(r.URL.Path), err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return badRequest("%s: the body holds more than one JSON value; expected one object", r.URL.Path)
	}
	return nil
}

func classExample(path string) string {
	switch path {
	case "/api/class/join":
		return `{"code": "ABCD-EFGH", "team": "Team Blue"}`
	case "/api/class/push":
		return `{"exercise": "hold-the-lead"} or {"scenario": "current-policy"}`
	case "/api/class/lock":
		return `{"locked": true}`
	}
	return `{"team": "TEAM-ID"}`
}

func answerJSON(w http.ResponseWriter, status int, v any) { writeJSON(w, status, mustJSON(v)) }

func failWith(w http.ResponseWriter, err error) {
	st, msg := errorStatus(err)
	writeError(w, st, "%s", msg)
}

// tooMany refuses a join when wrong codes are spent.
func tooMany(w http.ResponseWriter) {
	w.Header().Set("Retry-After", "5")
	writeError(w, http.StatusTooManyRequests, "too many wrong class codes; wait a few seconds and try again")
}

// ------------------------------------------------------------ students

// classNews is what a team's page learns when it polls.
type classNews struct {
	Class  string    `json:"class"`
	Team   string    `json:"team,omitempty"`
	Token  string    `json:"token,omitempty"`
	Locked bool      `json:"locked"`
	Push   classPush `json:"push"`
}

// classInfo tells the page that the server runs a class; it says nothing
// a student could use to join without the code.
func (s *Server) classInfo(w http.ResponseWriter, r *http.Request) {
	c := s.Class
	c.mu.Lock()
	v := struct {
		Class    string `json:"class"`
		Teams    int    `json:"teams"`
		MaxTeams int    `json:"max_teams"`
		Locked   bool   `json:"locked"`
	}{c.st.ID, len(c.st.Teams), MaxTeams, c.st.Locked}
	c.mu.Unlock()
	answerJSON(w, http.StatusOK, v)
}

func (s *Server) classJoin(w http.ResponseWriter, r *http.Request) {
	c, ip := s.Class, clientAddr(r)
	if !c.failures.ok(ip) {
		tooMany(w)
		return
	}
	var req struct {
		Code string `json:"code"`
		Team string `json:"team"`
	}
	if err := readSmall(w, r, &req); err != nil {
		failWith(w, err)
		return
	}
	if subtle.ConstantTimeCompare([]byte(normalCode(req.Code)), []byte(c.st.Code)) != 1 {
		c.failures.allow(ip)
		writeError(w, http.StatusForbidden, "code: this is not the class's code; type the code your teacher shows (8 letters and digits)")
		return
	}
	name, err := teamName(req.Team)
	if err != nil {
		failWith(w, err)
		return
	}
	t, err := c.join(name)
	if err != nil {
		failWith(w, err)
		return
	}
	if err := c.saveNow(); err != nil {
		s.Log.Printf("web: %v", err)
	}
	c.mu.Lock()
	news := classNews{Class: c.st.ID, Team: t.Name, Token: t.ID + "." + t.Secret, Locked: c.st.Locked, Push: c.st.Push}
	c.mu.Unlock()
	answerJSON(w, http.StatusCreated, news)
}

// join adds a team named name.
func (c *Class) join(name string) (*team, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, t := range c.st.Teams {
		if strings.EqualFold(t.Name, name) {
			return nil, &statusError{http.StatusConflict, fmt.Sprintf("team: a team called %q has already joined; choose another name", t.Name)}
		}
	}
	if len(c.st.Teams) >= MaxTeams {
		return nil, &statusError{http.StatusConflict, fmt.Sprintf("the class is full: it takes at most %d teams; join another team at its screen", MaxTeams)}
	}
	t := &team{ID: strings.ToLower(rand.Text()[:10]), Secret: rand.Text(), Name: name, Joined: c.now().UTC().Truncate(time.Second)}
	for c.byID[t.ID] != nil {
		t.ID = strings.ToLower(rand.Text()[:10])
	}
	c.st.Teams = append(c.st.Teams, t)
	c.bump()
	c.byID[t.ID] = t
	return t, nil
}

// teamOf authenticates a team's request: its token is "ID.SECRET" in an
// Authorization: Bearer header; the secret is compared in constant time.
// Wrong tokens are not rate limited as wrong codes are: a secret of 130
// random bits cannot be guessed at any rate a network carries, and a
// limit shared by an address would let one student lock out the others
// behind it.
func (s *Server) teamOf(w http.ResponseWriter, r *http.Request) *team {
	c := s.Class
	tok, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	if !ok {
		writeError(w, http.StatusUnauthorized, "%s %s: expected the team's token (Authorization: Bearer TOKEN, given on joining)", r.Method, r.URL.Path)
		return nil
	}
	id, secret, _ := strings.Cut(tok, ".")
	c.mu.Lock()
	t := c.byID[id]
	c.mu.Unlock()
	if t == nil || subtle.ConstantTimeCompare([]byte(secret), []byte(t.Secret)) != 1 {
		writeError(w, http.StatusForbidden, "this team token is not one of this class (the teacher may have removed the team); join again with the class code")
		return nil
	}
	return t
}

// limited takes a token from the team's bucket in m.
func (c *Class) limited(m map[string]*bucket, id string, rate, burst float64) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	b := m[id]
	if b == nil {
		b = &bucket{}
		m[id] = b
	}
	return !b.allow(c.now(), rate, burst)
}

func teamFlood(w http.ResponseWriter) {
	w.Header().Set("Retry-After", "1")
	writeError(w, http.StatusTooManyRequests, "this team sends too many requests; the page sends at most two a second")
}

func (s *Server) teamPoll(w http.ResponseWriter, r *http.Request) {
	t := s.teamOf(w, r)
	if t == nil {
		return
	}
	c := s.Class
	if c.limited(c.polls, t.ID, teamPollRate, teamPollBurst) {
		teamFlood(w)
		return
	}
	c.mu.Lock()
	news := classNews{Class: c.st.ID, Team: t.Name, Locked: c.st.Locked, Push: c.st.Push}
	c.mu.Unlock()
	answerJSON(w, http.StatusOK, news)
}

// teamPost records a team's settings and the outcomes the server computes
// for them. The body is a simulate request (the page sends the one it
// just drew), so the result usually comes from the cache.
func (s *Server) teamPost(w http.ResponseWriter, r *http.Request) {
	t := s.teamOf(w, r)
	if t == nil {
		return
	}
	c := s.Class
	if c.limited(c.posts, t.ID, teamPostRate, teamPostBurst) {
		teamFlood(w)
		return
	}
	c.mu.Lock()
	locked, at := c.st.Locked, c.st.Push.At
	c.mu.Unlock()
	if locked {
		writeError(w, http.StatusLocked, "the teacher has locked changes; your settings are kept as they were")
		return
	}
	if mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type")); err != nil || mt != "application/json" {
		writeError(w, http.StatusUnsupportedMediaType, "POST /api/class/team: expected Content-Type: application/json, found %q", r.Header.Get("Content-Type"))
		return
	}
	req, err := s.decode(w, r)
	if err != nil {
		failWith(w, err)
		return
	}
	if len(req.Outputs) > 0 {
		for _, k := range s.classOutputs {
			if !slices.Contains(req.Outputs, k) {
				req.Outputs = append(req.Outputs, k)
				// The body no longer says what the job is: a Helper
				// (which reads the body) gets no part of it.
				req.raw = nil
			}
		}
	}
	j, err := s.prepare(req)
	if err != nil {
		failWith(w, err)
		return
	}
	ctx, cancel := context.WithTimeout(r.Context(), s.Timeout)
	defer cancel()
	res, err := s.result(ctx, j)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	seen, _ := strconv.Atoi(r.Header.Get("X-Class-Push"))
	outs := s.outcomes(res, j, at)
	c.mu.Lock()
	t.Updated, t.Seen = c.now().UTC().Truncate(time.Millisecond), seen
	t.Scenario, t.Runs, t.Seed, t.From, t.Settings = j.name, j.runs, j.seed, j.from.String(), j.applied
	t.At, t.Outcomes = at, outs
	c.bump()
	c.mu.Unlock()
	c.changed()
	answerJSON(w, http.StatusOK, struct {
		At       string              `json:"at"`
		Outcomes map[string]*outcome `json:"outcomes"`
	}{at, outs})
}

// outcomes reads the class's outputs at quarter at.
func (s *Server) outcomes(res map[string]*outputSeries, j *job, at string) map[string]*outcome {
	i := slices.Index(periodStrings(j.sc.Span), at)
	out := map[string]*outcome{}
	if i < 0 {
		return out
	}
	num := func(xs series) *float64 {
		if i >= len(xs) || math.IsNaN(xs[i]) || math.IsInf(xs[i], 0) {
			return nil
		}
		// Six significant digits, as the page's answer has them.
		v, _ := strconv.ParseFloat(strconv.FormatFloat(xs[i], 'g', 6, 64), 64)
		return &v
	}
	for _, k := range s.classOutputs {
		if o := res[k]; o != nil {
			out[k] = &outcome{Unit: o.Unit, P05: num(o.P05), P50: num(o.P50), P95: num(o.P95)}
		}
	}
	return out
}

// ------------------------------------------------------------- teacher

// asTeacher lets h answer only requests that carry the teacher's token,
// compared in constant time.
func (s *Server) asTeacher(h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		c := s.Class
		tok, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
		if !ok {
			writeError(w, http.StatusUnauthorized, "%s %s: expected the teacher's token (Authorization: Bearer TOKEN); open the teacher link serve printed", r.Method, r.URL.Path)
			return
		}
		if subtle.ConstantTimeCompare([]byte(tok), []byte(c.st.Token)) != 1 {
			writeError(w, http.StatusForbidden, "%s %s: wrong teacher token; open the teacher link serve printed", r.Method, r.URL.Path)
			return
		}
		c.mu.Lock()
		flood := !c.teacher.allow(c.now(), teacherRate, teacherBurst)
		c.mu.Unlock()
		if flood {
			w.Header().Set("Retry-After", "1")
			writeError(w, http.StatusTooManyRequests, "too many teacher requests; the teacher page polls once a second")
			return
		}
		h(w, r)
	}
}

// teamView is a team as the teacher sees it: no secret.
type teamView struct {
	ID       string              `json:"id"`
	Name     string              `json:"name"`
	Joined   time.Time           `json:"joined"`
	Updated  time.Time           `json:"updated,omitzero"`
	Current  bool                `json:"current"`
	Scenario string              `json:"scenario,omitempty"`
	Runs     int                 `json:"runs,omitempty"`
	Seed     uint64              `json:"seed,omitempty"`
	From     string              `json:"from,omitempty"`
	Settings []applied           `json:"settings"`
	At       string              `json:"at,omitempty"`
	Outcomes map[string]*outcome `json:"outcomes"`
}

type teacherAnswer struct {
	// Version grows with every change; GET /api/class/teacher?since=V
	// waits (up to classWait) for a version after V.
	Version  uint64     `json:"version"`
	Class    string     `json:"class"`
	Code     string     `json:"code"`
	Locked   bool       `json:"locked"`
	Push     classPush  `json:"push"`
	MaxTeams int        `json:"max_teams"`
	Outputs  []string   `json:"outputs"`
	Teams    []teamView `json:"teams"`
}

func (s *Server) teacherState() teacherAnswer {
	c := s.Class
	c.mu.Lock()
	defer c.mu.Unlock()
	a := teacherAnswer{Version: c.version, Class: c.st.ID, Code: c.JoinCode(), Locked: c.st.Locked, Push: c.st.Push, MaxTeams: MaxTeams,
		Outputs: s.classOutputs, Teams: make([]teamView, 0, len(c.st.Teams))}
	for _, t := range c.st.Teams {
		v := teamView{ID: t.ID, Name: t.Name, Joined: t.Joined, Updated: t.Updated, Current: t.Seen == c.st.Push.Seq,
			Scenario: t.Scenario, Runs: t.Runs, Seed: t.Seed, From: t.From, Settings: t.Settings, At: t.At, Outcomes: t.Outcomes}
		if v.Settings == nil {
			v.Settings = []applied{}
		}
		if v.Outcomes == nil {
			v.Outcomes = map[string]*outcome{}
		}
		a.Teams = append(a.Teams, v)
	}
	return a
}

// teacherView answers the class as the teacher sees it. With ?since=V it
// waits until the class changes after version V (a long poll: the view
// updates as soon as a team does, without a request a second), or
// classWait passes.
func (s *Server) teacherView(w http.ResponseWriter, r *http.Request) {
	if q := r.URL.Query().Get("since"); q != "" {
		since, err := strconv.ParseUint(q, 10, 64)
		if err != nil {
			failWith(w, badRequest("since: expected the version of the last answer (a whole number), found %q", q))
			return
		}
		c := s.Class
		c.mu.Lock()
		v, wake := c.version, c.wake
		c.mu.Unlock()
		if v == since {
			select {
			case <-wake:
			case <-r.Context().Done():
				return
			case <-c.stop: // the server is shutting down
			case <-time.After(classWait):
			}
		}
	}
	answerJSON(w, http.StatusOK, s.teacherState())
}

func (s *Server) classPush(w http.ResponseWriter, r *http.Request) {
	var req struct {
		Scenario string `json:"scenario"`
		Exercise string `json:"exercise"`
	}
	if err := readSmall(w, r, &req); err != nil {
		failWith(w, err)
		return
	}
	p := classPush{Scenario: req.Scenario, Exercise: req.Exercise, At: defaultClassAt}
	switch {
	case (req.Scenario == "") == (req.Exercise == ""):
		failWith(w, badRequest("push: expected one of scenario or exercise, such as %s", classExample(r.URL.Path)))
		return
	case req.Exercise != "":
		ex, ok := s.exercises[req.Exercise]
		if !ok {
			failWith(w, badRequest("exercise: unknown exercise %q; the exercises are %s", req.Exercise, strings.Join(sortedKeys(s.exercises), ", ")))
			return
		}
		p.Scenario = ex.Preset
		if ex.At != "" {
			p.At = ex.At
		}
	case s.presets[req.Scenario] == nil:
		failWith(w, badRequest("scenario: unknown scenario %q; the scenarios are %s", req.Scenario, strings.Join(s.names, ", ")))
		return
	}
	c := s.Class
	c.mu.Lock()
	p.Seq = c.st.Push.Seq + 1
	c.st.Push = p
	c.bump()
	c.mu.Unlock()
	s.saveAndShow(w)
}

func (s *Server) classLock(w http.ResponseWriter, r *http.Request) {
	var req struct {
		Locked *bool `json:"locked"`
	}
	if err := readSmall(w, r, &req); err != nil {
		failWith(w, err)
		return
	}
	if req.Locked == nil {
		failWith(w, badRequest("locked: expected true or false, such as %s", classExample(r.URL.Path)))
		return
	}
	c := s.Class
	c.mu.Lock()
	c.st.Locked = *req.Locked
	c.bump()
	c.mu.Unlock()
	s.saveAndShow(w)
}

func (s *Server) classRemove(w http.ResponseWriter, r *http.Request) {
	var req struct {
		Team string `json:"team"`
	}
	if err := readSmall(w, r, &req); err != nil {
		failWith(w, err)
		return
	}
	c := s.Class
	c.mu.Lock()
	i := slices.IndexFunc(c.st.Teams, func(t *team) bool { return t.ID == req.Team })
	if i >= 0 {
		c.st.Teams = slices.Delete(c.st.Teams, i, i+1)
		c.bump()
		delete(c.byID, req.Team)
		delete(c.polls, req.Team)
		delete(c.posts, req.Team)
	}
	c.mu.Unlock()
	if i < 0 {
		writeError(w, http.StatusNotFound, "team: no team with id %q in this class", req.Team)
		return
	}
	s.saveAndShow(w)
}

// saveAndShow saves a teacher's change before answering with the view.
func (s *Server) saveAndShow(w http.ResponseWriter) {
	if err := s.Class.saveNow(); err != nil {
		s.Log.Printf("web: %v", err)
	}
	answerJSON(w, http.StatusOK, s.teacherState())
}

// classExport writes the class as CSV: a row a team, its settings and
// each outcome's median and 90% range.
func (s *Server) classExport(w http.ResponseWriter, r *http.Request) {
	a := s.teacherState()
	var buf bytes.Buffer
	cw := csv.NewWriter(&buf)
	head := []string{"team", "joined", "updated", "scenario", "runs", "seed", "from", "settings", "at"}
	for _, k := range a.Outputs {
		head = append(head, k+"_p05", k+"_p50", k+"_p95")
	}
	_ = cw.Write(head)
	for _, t := range a.Teams {
		sets := make([]string, len(t.Settings))
		for i, st := range t.Settings {
			sets[i] = st.Key + "=" + st.Value
		}
		row := []string{cellText(t.Name), t.Joined.Format(time.RFC3339), timeCell(t.Updated), t.Scenario, intCell(t.Runs),
			strconv.FormatUint(t.Seed, 10), t.From, cellText(strings.Join(sets, "; ")), t.At}
		for _, k := range a.Outputs {
			o := t.Outcomes[k]
			if o == nil {
				o = &outcome{}
			}
			row = append(row, numCell(o.P05), numCell(o.P50), numCell(o.P95))
		}
		_ = cw.Write(row)
	}
	cw.Flush()
	h := w.Header()
	h.Set("Content-Type", "text/csv; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	h.Set("Content-Disposition", fmt.Sprintf(`attachment; filename="chokepoint-class-%s.csv"`, s.Class.now().UTC().Format("2006-01-02")))
	_, _ = w.Write(buf.Bytes())
}

// cellText keeps a spreadsheet from reading a team's name as a formula.
func cellText(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}

func numCell(v *float64) string {
	if v == nil {
		return ""
	}
	return strconv.FormatFloat(*v, 'g', 6, 64)
}

func intCell(n int) string {
	if n == 0 {
		return ""
	}
	return strconv.Itoa(n)
}

func timeCell(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.Format(time.RFC3339)
}

func sortedKeys[V any](m map[string]V) []string {
	ks := make([]string, 0, len(m))
	for k := range m {
		ks = append(ks, k)
	}
	slices.Sort(ks)
	return ks
}
