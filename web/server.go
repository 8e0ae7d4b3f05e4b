package web

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log"
	"net/http"
	"runtime/debug"
	"strings"
	"sync"
	"time"

	"github.com/chokepoint-sim/chokepoint/scenarios"
	"github.com/chokepoint-sim/chokepoint/sim"
)

// Limits a zero Server uses.
const (
	DefaultMaxRuns     = 2000
	DefaultRuns        = 500
	DefaultTimeout     = 10 * time.Second
	DefaultMaxBody     = 64 << 10
	DefaultCacheSize   = 128
	defaultFromQuarter = "2026Q1"
)

// Server serves the classroom page and its API: a Server with only Model
// set serves that model and the built-in scenarios with the default
// limits; set fields before the first call to Handler and leave them alone
// after.
type Server struct {
	// Model is the model simulated; it must be set. Everything the page
	// shows of its levers, parameters and outputs comes from its registry.
	Model sim.Model
	// Loader resolves scenario names; nil means the built-in library
	// against the model's registry. Only names it lists as built-in are
	// accepted, so a request can never make the server read a file.
	Loader *scenarios.Loader
	// Ensemble, when set, gives every run its parameters from a posterior
	// ensemble (chokepoint calibrate) instead of the scenario's
	// distributions; parameters a request or scenario fixes keep their
	// value.
	Ensemble *sim.Ensemble
	// Helper, when set, runs part of a batch elsewhere (the published
	// page's second Web Worker, which has a Server of its own that answers
	// with RunPart): Helper is called with the simulate request's body,
	// whether the part belongs to its baseline, and the runs [lo, hi); it
	// must start the work before it returns and give a function that
	// waits for the values. The numbers are the same either way: a run's
	// values depend on its index only, never on where it ran.
	Helper func(body []byte, baseline bool, lo, hi int) (wait func(context.Context) ([]float64, error))
	// MaxRuns caps runs per request (0: DefaultMaxRuns); DefaultRuns is
	// used when a request names none (0: the package's DefaultRuns).
	MaxRuns, DefaultRuns int
	// Timeout bounds the time a simulate request may take, queueing
	// included (0: DefaultTimeout).
	Timeout time.Duration
	// MaxBody caps a request body in bytes (0: DefaultMaxBody).
	MaxBody int64
	// Slots is how many batches run at once; the rest queue within their
	// time limit (0: 2). A batch gets GOMAXPROCS divided by the number of
	// batches running when it starts.
	Slots int
	// CacheSize is how many results are kept, keyed by everything that
	// determines them (0: DefaultCacheSize).
	CacheSize int
	// Addr is the address the server listens on (host:port). Requests
	// must name the server by a loopback name (localhost, 127.0.0.1,
	// [::1]), Addr's host or one of AllowHosts, so that a web page whose
	// own name was pointed at this machine (DNS rebinding) cannot reach
	// it; when Addr's host is not a loopback address (every interface, or
	// a classroom network's address) and AllowHosts is empty, any name is
	// accepted. Empty means a loopback address.
	Addr string
	// AllowHosts are further host names (without port) requests may use.
	AllowHosts []string
	// Version is shown on the page and in exports.
	Version string
	// Class, when set, runs a facilitated class (chokepoint serve --class):
	// students join it with its code, the teacher follows the teams with
	// its token (docs/classroom.md). Nil answers the class API with 404.
	Class *Class
	// Log receives server errors (panics, failed batches); nil means the
	// standard logger.
	Log *log.Logger

	// exactLimit, when positive, replaces sim.ExactLimit for the batches
	// (tests).
	exactLimit int64

	once    sync.Once
	handler http.Handler
	reg     *sim.Registry
	presets map[string]*sim.Scenario
	names   []string
	sem     chan struct{}
	hosts   *hostPolicy
	cache   *cache
	// the class's outputs and the exercises it can push
	classOutputs []string
	exercises    map[string]exerciseInfo
	// static answers, built once
	scenariosJSON, leversJSON, outputsJSON []byte
}

// Handler returns the server's HTTP handler.
func (s *Server) Handler() http.Handler {
	s.once.Do(s.init)
	return s.handler
}

func (s *Server) init() {
	if s.Model == nil {
		panic("web: Server.Model is nil; set the model to serve")
	}
	s.reg = s.Model.Registry()
	if s.Loader == nil {
		s.Loader = &scenarios.Loader{Registry: s.reg}
	}
	if s.MaxRuns <= 0 {
		s.MaxRuns = DefaultMaxRuns
	}
	if s.DefaultRuns <= 0 {
		s.DefaultRuns = min(DefaultRuns, s.MaxRuns)
	}
	if s.Timeout <= 0 {
		s.Timeout = DefaultTimeout
	}
	if s.MaxBody <= 0 {
		s.MaxBody = DefaultMaxBody
	}
	if s.Slots <= 0 {
		s.Slots = 2
	}
	if s.CacheSize <= 0 {
		s.CacheSize = DefaultCacheSize
	}
	if s.Log == nil {
		s.Log = log.Default()
	}
	s.sem = make(chan struct{}, s.Slots)
	s.cache = newCache(s.CacheSize)
	s.loadPresets()
	s.scenariosJSON = mustJSON(s.scenariosAnswer())
	s.leversJSON = mustJSON(s.leversAnswer())
	s.outputsJSON = mustJSON(s.outputsAnswer())

	static, err := fs.Sub(staticFS, "static")
	if err != nil {
		panic("web: " + err.Error()) // the embed pattern guarantees the folder
	}
	files := http.FileServerFS(notFoundFS{static})
	mux := http.NewServeMux()
	mux.HandleFunc("/api/scenarios", s.get(s.scenariosJSON))
	mux.HandleFunc("/api/levers", s.get(s.leversJSON))
	mux.HandleFunc("/api/outputs", s.get(s.outputsJSON))
	mux.HandleFunc("/api/simulate", s.simulate)
	s.classRoutes(mux)
	mux.HandleFunc("/api/", func(w http.ResponseWriter, r *http.Request) {
		writeError(w, http.StatusNotFound, "no such API endpoint %q; the API has GET /api/scenarios, GET /api/levers, "+
			"GET /api/outputs and POST /api/simulate", r.URL.Path)
	})
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			writeError(w, http.StatusMethodNotAllowed, "%s %s: the page answers GET only", r.Method, r.URL.Path)
			return
		}
		// Assets are embedded in the binary: a reload after an upgrade
		// must not show a stale page.
		w.Header().Set("Cache-Control", "no-cache")
		files.ServeHTTP(w, r)
	})
	// The page only ever posts to its own server: a post from another
	// site's page is refused (Sec-Fetch-Site, or Origin against Host).
	cop := http.NewCrossOriginProtection()
	cop.SetDenyHandler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		writeError(w, http.StatusForbidden, "cross-origin request refused: %s %s was sent by a page of another site "+
			"(Sec-Fetch-Site %q, Origin %q); the API answers this server's own page",
			r.Method, r.URL.Path, r.Header.Get("Sec-Fetch-Site"), r.Header.Get("Origin"))
	}))
	s.hosts = newHostPolicy(s.Addr, s.AllowHosts)
	s.handler = s.protect(s.checkHost(cop.Handler(mux)))
}

// notFoundFS answers "not found" for a name that is no valid file name
// (not UTF-8, a dot element): the file server would answer 500 for the
// error fs.ValidPath gives.
type notFoundFS struct{ fs.FS }

func (f notFoundFS) Open(name string) (fs.File, error) {
	if !fs.ValidPath(name) {
		return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrNotExist}
	}
	return f.FS.Open(name)
}

// loadPresets compiles every built-in scenario once. A scenario that fails
// to load is left out (and logged): the page still serves the others.
func (s *Server) loadPresets() {
	s.presets = map[string]*sim.Scenario{}
	fsys := s.Loader.FS
	if fsys == nil {
		fsys = scenarios.Builtin()
	}
	entries, _ := fs.ReadDir(fsys, ".")
	for _, e := range entries {
		name, ok := strings.CutSuffix(e.Name(), ".toml")
		if e.IsDir() || !ok {
			continue
		}
		sc, err := s.Loader.Load(name)
		if err != nil {
			s.Log.Printf("web: scenario %s left out: %v", name, err)
			continue
		}
		s.presets[name] = sc
		s.names = append(s.names, name)
	}
}

// protect adds the headers every answer carries and turns a panic in a
// handler into a 500 with a JSON error, so that one bad request never
// takes the server down.
func (s *Server) protect(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hd := w.Header()
		// Everything the page needs comes from this server; the policy
		// makes the browser refuse anything else, so the page works, and
		// is known to work, with the network unplugged.
		hd.Set("Content-Security-Policy", "default-src 'self'; img-src 'self' data: blob:; "+
			"style-src 'self' 'unsafe-inline'; connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'")
		hd.Set("X-Content-Type-Options", "nosniff")
		hd.Set("Referrer-Policy", "no-referrer")
		defer func() {
			v := recover()
			if v == nil {
				return
			}
			if v == http.ErrAbortHandler {
				panic(v)
			}
			s.Log.Printf("web: panic serving %s %s: %v\n%s", r.Method, r.URL.Path, v, debug.Stack())
			writeError(w, http.StatusInternalServerError, "internal error: the server hit a bug (it is logged); the server keeps running")
		}()
		h.ServeHTTP(w, r)
	})
}

// get serves a fixed JSON answer.
func (s *Server) get(body []byte) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			writeError(w, http.StatusMethodNotAllowed, "%s %s: expected GET", r.Method, r.URL.Path)
			return
		}
		writeJSON(w, http.StatusOK, body)
	}
}

// apiError is the body of every error answer.
type apiError struct {
	Error string `json:"error"`
}

func writeError(w http.ResponseWriter, status int, format string, args ...any) {
	b, _ := json.Marshal(apiError{Error: fmt.Sprintf(format, args...)})
	writeJSON(w, status, b)
}

func writeJSON(w http.ResponseWriter, status int, body []byte) {
	h := w.Header()
	h.Set("Content-Type", "application/json; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_, _ = w.Write(body)
	_, _ = io.WriteString(w, "\n")
}

func mustJSON(v any) []byte {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		panic("web: " + err.Error())
	}
	return bytes.TrimRight(buf.Bytes(), "\n")
}

// statusError is an error with the HTTP status it answers with.
type statusError struct {
	status int
	msg    string
}

func (e *statusError) Error() string { return e.msg }

func badRequest(format string, args ...any) error {
	return &statusError{http.StatusBadRequest, fmt.Sprintf(format, args...)}
}

func errorStatus(err error) (int, string) {
	var se *statusError
	if errors.As(err, &se) {
		return se.status, se.msg
	}
	return http.StatusInternalServerError, "internal error: " + err.Error()
}
