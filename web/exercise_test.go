package web

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/chokepoint-sim/chokepoint/models"
	"github.com/chokepoint-sim/chokepoint/sim"
)

// The exercises of the classroom page (static/exercises.json), read
// strictly: a misspelt field is an error, not a check that never runs.
type exerciseFile struct {
	Note      string     `json:"note"`
	Exercises []exercise `json:"exercises"`
}

type exercise struct {
	ID       string `json:"id"`
	Title    string `json:"title"`
	Preset   string `json:"preset"`
	From     string `json:"from"`
	At       string `json:"at"`
	Question string `json:"question"`
	Goal     string `json:"goal"`
	Start    *struct {
		Text string         `json:"text"`
		Set  map[string]any `json:"set"`
	} `json:"start"`
	Checks  []check `json:"checks"`
	Hints   []step  `json:"hints"`
	Teacher struct {
		Steps  []step `json:"steps"`
		Answer struct {
			Text string         `json:"text"`
			Set  map[string]any `json:"set"`
		} `json:"answer"`
	} `json:"teacher"`
	Discussion []string `json:"discussion"`
	Limits     []string `json:"limits"`
}

type check struct {
	Output    string   `json:"output"`
	At        string   `json:"at"`
	Stat      string   `json:"stat"`
	Op        string   `json:"op"`
	Value     *float64 `json:"value"`
	Vs        string   `json:"vs"`
	Scale     *float64 `json:"scale"`
	Offset    float64  `json:"offset"`
	Lever     string   `json:"lever"`
	Param     string   `json:"param"`
	Unchanged string   `json:"unchanged"`
	Group     string   `json:"group"`
	Label     string   `json:"label"`
}

// step is a hint's suggestion (Try, on top of the exercise's start) or a
// step of the teacher's notes (Set, on top of the steps before it), with
// the direction in which it moves each named output's median.
type step struct {
	Text   string         `json:"text"`
	Try    map[string]any `json:"try"`
	Set    map[string]any `json:"set"`
	Expect []struct {
		Output    string `json:"output"`
		Direction string `json:"direction"`
	} `json:"expect"`
}

func readExercises(t *testing.T) []exercise {
	t.Helper()
	b, err := staticFS.ReadFile("static/exercises.json")
	require.NoError(t, err)
	d := json.NewDecoder(bytes.NewReader(b))
	d.DisallowUnknownFields()
	var f exerciseFile
	require.NoError(t, d.Decode(&f))
	return f.Exercises
}

// margin is how far a goal must be from being met, relative to each
// threshold: no single lever comes within 1% of a threshold, and the
// worked answer clears each by 1%, so a small change to the model or to
// rounding cannot flip an exercise unnoticed. The goals hold at the page's
// default runs and seed (500, 1), which is what the tests run. Most are
// paired differences against the preset's median, which move less with
// the seed than values do: measured at seeds 1 to 5, the worked answers of
// exercises 1, 5 and 6 meet their goals at every one (exercise 1's gap
// widens by 3.55 to 4.0 months against 3.2 asked), while exercise 4's 5th
// percentile, an absolute value of the tail, is met at seeds 1, 3 and 5
// only (21.6 to 24.7 months against 23.5), which the exercise discusses.
const margin = 0.01

// minMove is the least change of a median that a step counts as a move in
// the direction its text says (0.5% of the value before the step): less
// could be rounding, not an effect.
const minMove = 0.005

// exerciseLab runs the page's request for an exercise: its preset and
// quarter, the page's default runs and seed, with the preset as baseline.
// Answers are cached by settings, so exercises that share a start share
// the sweep's runs.
type exerciseLab struct {
	t       *testing.T
	s       *Server
	url     string
	mu      sync.Mutex
	cache   map[string]*answer
	outputs []string
}

func newExerciseLab(t *testing.T, exs []exercise) *exerciseLab {
	// The server's time limit is not under test here: on a busy machine
	// under the race detector a batch may wait its turn longer than 10 s.
	s := &Server{Model: models.China{}, Log: quiet, Timeout: 10 * time.Minute}
	ts := newTestServer(t, s)
	// One list of outputs for every exercise, so that exercises with the
	// same start share their runs.
	outs := []string{cumulativeRevenue}
	for _, ex := range exs {
		for _, ck := range ex.Checks {
			if ck.Output != "" {
				outs = append(outs, ck.Output)
			}
		}
		for _, st := range append(ex.Hints, ex.Teacher.Steps...) {
			for _, e := range st.Expect {
				outs = append(outs, e.Output)
			}
		}
	}
	sort.Strings(outs)
	return &exerciseLab{t: t, s: s, url: ts.URL, cache: map[string]*answer{}, outputs: compactStrings(outs)}
}

func (l *exerciseLab) run(ex *exercise, set map[string]any) *answer {
	body, err := json.Marshal(map[string]any{"scenario": ex.Preset, "runs": DefaultRuns, "seed": 1,
		"from": ex.From, "set": set, "baseline": true, "outputs": l.outputs})
	require.NoError(l.t, err)
	key := string(body)
	l.mu.Lock()
	a, ok := l.cache[key]
	l.mu.Unlock()
	if ok {
		return a
	}
	a = simulateOK(l.t, l.url, key)
	l.mu.Lock()
	l.cache[key] = a
	l.mu.Unlock()
	return a
}

func compactStrings(xs []string) []string {
	out := xs[:0]
	for i, x := range xs {
		if i == 0 || x != xs[i-1] {
			out = append(out, x)
		}
	}
	return out
}

// with is set with the extra settings on top.
func with(set, extra map[string]any) map[string]any {
	out := map[string]any{}
	for k, v := range set {
		out[k] = v
	}
	for k, v := range extra {
		out[k] = v
	}
	return out
}

// startSet is the exercise's starting settings.
func startSet(ex *exercise) map[string]any {
	if ex.Start == nil {
		return map[string]any{}
	}
	return with(ex.Start.Set, nil)
}

// changedKeys are the levers and assumptions in set that differ from the
// preset at the exercise's from quarter, as the page counts them.
func changedKeys(s *Server, ex *exercise, set map[string]any) (levers, params []string) {
	reg := s.reg
	for k, v := range set {
		if i, ok := reg.LeverIndex(k); ok {
			if !sameLever(&reg.Levers[i], v, presetValue(s, ex.Preset, k, ex.From)) {
				levers = append(levers, k)
			}
		} else {
			params = append(params, k)
		}
	}
	return levers, params
}

// sameLever says whether a value as the page sends it equals a lever's
// value as the engine holds it.
func sameLever(l *sim.Lever, v any, preset float64) bool {
	switch x := v.(type) {
	case bool:
		return (x && preset != 0) || (!x && preset == 0)
	case float64:
		return x == preset
	case []any:
		names := make([]string, len(x))
		for i, n := range x {
			names[i] = n.(string)
		}
		return sameSet(names, l.SetItems(preset))
	case []string:
		return sameSet(x, l.SetItems(preset))
	}
	panic(fmt.Sprintf("lever value %T", v))
}

func sameSet(a, b []string) bool {
	a, b = append([]string(nil), a...), append([]string(nil), b...)
	sort.Strings(a)
	sort.Strings(b)
	return strings.Join(a, ",") == strings.Join(b, ",")
}

// presetValue is a lever's value in a preset at a quarter, as the page
// reads it.
func presetValue(s *Server, preset, lever, at string) float64 {
	li, _ := s.reg.LeverIndex(lever)
	v := s.reg.Levers[li].Default
	for _, e := range s.presets[preset].Events {
		if e.Lever == li && e.Effective.String() <= at {
			v = e.Value
		}
	}
	return v
}

// settingsMet evaluates the checks that read settings, not outputs, as
// the page does.
func settingsMet(s *Server, ex *exercise, set map[string]any) (bool, []string) {
	levers, params := changedKeys(s, ex, set)
	all := true
	var report []string
	for _, ck := range ex.Checks {
		var ok bool
		var got string
		switch {
		case ck.Unchanged != "":
			n := 0
			switch ck.Unchanged {
			case "levers":
				n = len(levers)
			case "assumptions":
				for _, k := range params {
					if k != ck.Param {
						n++
					}
				}
			case "group":
				for _, k := range levers {
					i, _ := s.reg.LeverIndex(k)
					if s.reg.Levers[i].Group == ck.Group {
						n++
					}
				}
			}
			ok, got = n == 0, fmt.Sprintf("%d changed", n)
		case ck.Lever != "":
			v, isNum := set[ck.Lever].(float64)
			if !isNum {
				v = presetValue(s, ex.Preset, ck.Lever, ex.From)
			}
			ok, got = compare(v, ck.Op, *ck.Value), fmt.Sprint(v)
		case ck.Param != "":
			v, fixed := set[ck.Param].(float64)
			ok, got = fixed && compare(v, ck.Op, *ck.Value), fmt.Sprint(set[ck.Param])
		default:
			continue
		}
		all = all && ok
		report = append(report, fmt.Sprintf("%v %s (%s)", ok, ck.Label, got))
	}
	return all, report
}

// outputsMet evaluates the checks that read outputs on an answer, each
// threshold moved by slack times its size: slack > 0 makes a goal easier,
// slack < 0 harder.
func outputsMet(t *testing.T, ex *exercise, a *answer, slack float64) (bool, []string) {
	all := true
	var report []string
	for _, ck := range ex.Checks {
		if ck.Output == "" {
			continue
		}
		i := indexOf(a.Periods, ck.At)
		require.GreaterOrEqual(t, i, 0, ck.At)
		v := a.q(a.Outputs, ck.Output, ck.Stat)[i]
		want := 0.0
		if ck.Vs == "preset" {
			scale := 1.0
			if ck.Scale != nil {
				scale = *ck.Scale
			}
			want = a.q(a.Baseline, ck.Output, "p50")[i]*scale + ck.Offset
		} else {
			want = *ck.Value
		}
		if strings.HasPrefix(ck.Op, ">") {
			want -= slack * math.Abs(want)
		} else {
			want += slack * math.Abs(want)
		}
		ok := compare(v, ck.Op, want)
		all = all && ok
		report = append(report, fmt.Sprintf("%v %s (%.4g vs %.4g)", ok, ck.Label, v, want))
	}
	return all, report
}

func compare(v float64, op string, want float64) bool {
	switch op {
	case ">=":
		return v >= want
	case "<=":
		return v <= want
	case ">":
		return v > want
	case "<":
		return v < want
	}
	panic("unknown op " + op)
}

func indexOf(xs []string, x string) int {
	for i, v := range xs {
		if v == x {
			return i
		}
	}
	return -1
}

// Every exercise is well formed: a question, a goal as checks that read at
// least two outputs or an output and a constraint, hints, teacher steps and
// a worked answer of at least two levers, discussion points and the
// model's limits; and docs/classroom.md explains and links it.
func TestExercisesWellFormed(t *testing.T) {
	exs := readExercises(t)
	require.Len(t, exs, 6, "issue 17: the four exercises reworked and two added")
	doc, err := os.ReadFile("../docs/classroom.md")
	require.NoError(t, err)
	s := &Server{Model: models.China{}, Log: quiet}
	newTestServer(t, s)
	reg := models.Registry
	seen := map[string]bool{}
	for _, ex := range exs {
		t.Run(ex.ID, func(t *testing.T) {
			require.False(t, seen[ex.ID], "duplicate id")
			seen[ex.ID] = true
			assert.True(t, strings.Contains(string(doc), "## Exercise"), "docs/classroom.md has exercise sections")
			assert.True(t, strings.Contains(string(doc), ex.Title), "docs/classroom.md explains %q", ex.Title)
			assert.True(t, strings.Contains(string(doc), "exercise="+ex.ID), "docs/classroom.md links exercise=%s", ex.ID)
			require.Contains(t, s.presets, ex.Preset)
			for _, text := range []string{ex.Title, ex.Question, ex.Goal, ex.Teacher.Answer.Text} {
				require.NotEmpty(t, text)
			}
			require.NotEmpty(t, ex.Hints)
			require.NotEmpty(t, ex.Teacher.Steps)
			require.NotEmpty(t, ex.Discussion)
			require.NotEmpty(t, ex.Limits)
			outputs := 0
			for _, ck := range ex.Checks {
				require.NotEmpty(t, ck.Label)
				switch {
				case ck.Unchanged != "":
					require.Contains(t, []string{"levers", "assumptions", "group"}, ck.Unchanged)
					if ck.Unchanged == "group" {
						require.Contains(t, reg.LeverGroups(), ck.Group)
					}
				case ck.Lever != "":
					_, ok := reg.LeverIndex(ck.Lever)
					require.True(t, ok, ck.Lever)
					require.NotNil(t, ck.Value)
				case ck.Param != "":
					_, ok := reg.ParamIndex(ck.Param)
					require.True(t, ok, ck.Param)
					require.NotNil(t, ck.Value)
				default:
					outputs++
					_, ok := reg.OutputIndex(ck.Output)
					require.True(t, ok || ck.Output == cumulativeRevenue, ck.Output)
					require.Contains(t, []string{"p05", "p25", "p50", "p75", "p95"}, ck.Stat)
					require.True(t, ck.Vs == "preset" || ck.Value != nil)
					require.Contains(t, []string{">=", "<=", ">", "<"}, ck.Op)
				}
			}
			require.GreaterOrEqual(t, outputs, 2, "a trade-off: the goal reads at least two outcomes")
			levers, _ := changedKeys(s, &ex, ex.Teacher.Answer.Set)
			require.GreaterOrEqual(t, len(levers), 2, "the worked answer moves at least two levers")
			for _, st := range append(ex.Hints, ex.Teacher.Steps...) {
				require.NotEmpty(t, st.Text)
				require.NotEmpty(t, st.Expect, "a step says which way the outcome moves: %s", st.Text)
				for _, e := range st.Expect {
					require.Contains(t, []string{"up", "down"}, e.Direction)
				}
			}
		})
	}
}

// Acceptance (c): the worked answer in the teacher's notes meets the goal,
// by the margin; and the exercise's start alone does not.
func TestExerciseAnswersMeetTheGoal(t *testing.T) {
	exs := readExercises(t)
	lab := newExerciseLab(t, exs)
	for _, ex := range exs {
		t.Run(ex.ID, func(t *testing.T) {
			ok, _ := settingsMet(lab.s, &ex, startSet(&ex))
			if ok {
				ok, report := outputsMet(t, &ex, lab.run(&ex, startSet(&ex)), 0)
				assert.False(t, ok, "the start alone already meets the goal:\n%s", strings.Join(report, "\n"))
			}
			set := with(startSet(&ex), ex.Teacher.Answer.Set)
			sok, sreport := settingsMet(lab.s, &ex, set)
			ook, oreport := outputsMet(t, &ex, lab.run(&ex, set), -margin)
			report := strings.Join(append(sreport, oreport...), "\n  ")
			assert.True(t, sok && ook, "the worked answer no longer meets the goal by %v%%:\n  %s", margin*100, report)
			t.Logf("%s: worked answer %v:\n  %s", ex.ID, ex.Teacher.Answer.Set, report)
		})
	}
}

// Acceptance (b): every step a hint or the teacher's notes suggest moves
// each outcome it names in the direction the text says, in the median at
// the exercise's quarter, by at least minMove.
func TestExerciseStepsMoveAsTheTextSays(t *testing.T) {
	exs := readExercises(t)
	lab := newExerciseLab(t, exs)
	for _, ex := range exs {
		t.Run(ex.ID, func(t *testing.T) {
			start := startSet(&ex)
			for i, h := range ex.Hints {
				checkStep(t, lab, &ex, fmt.Sprintf("hint %d", i+1), h, start, with(start, h.Try))
			}
			before := start
			for i, st := range ex.Teacher.Steps {
				after := with(before, st.Set)
				checkStep(t, lab, &ex, fmt.Sprintf("teacher step %d", i+1), st, before, after)
				before = after
			}
		})
	}
}

func checkStep(t *testing.T, lab *exerciseLab, ex *exercise, name string, st step, before, after map[string]any) {
	a0, a1 := lab.run(ex, before), lab.run(ex, after)
	for _, e := range st.Expect {
		i := indexOf(a0.Periods, ex.At)
		v0, v1 := a0.q(a0.Outputs, e.Output, "p50")[i], a1.q(a1.Outputs, e.Output, "p50")[i]
		d := v1 - v0
		if e.Direction == "down" {
			d = -d
		}
		assert.Greater(t, d, minMove*math.Abs(v0), "%s %q: %s should go %s, went from %.4g to %.4g",
			name, st.Text, e.Output, e.Direction, v0, v1)
	}
}

// Acceptance (a): no single lever or assumption, at any of its slider
// settings, meets an exercise's goal from its start, even with every
// threshold loosened by the margin. A number's slider is tried at eleven
// evenly spaced settings and at its "no rule" value (the outcomes move
// monotonically between them: models/property_test.go), a switch both
// ways, a chip list empty, full, and with each chip toggled from the
// preset's list. Settings that break a check on settings (a lever the
// goal fixes, a group it keeps) are not run.
func TestNoSingleLeverMeetsAnExercise(t *testing.T) {
	if testing.Short() {
		t.Skip("runs some 600 batches")
	}
	if raceDetector {
		// Under the race detector the sweep took 14 minutes on a busy
		// two-core machine even at the sliders' ends only; it checks the
		// model's numbers, not concurrency, so it runs without -race
		// (about a minute of CPU), as the model's full property tests do.
		t.Skip("runs without -race: go test ./web -run TestNoSingleLeverMeetsAnExercise")
	}
	const points = 11
	exs := readExercises(t)
	lab := newExerciseLab(t, exs)
	type trial struct {
		ex  *exercise
		set map[string]any
		key string
	}
	var trials []trial
	for i := range exs {
		ex := &exs[i]
		for _, one := range singleSettings(lab.s, ex, points) {
			set := with(startSet(ex), one)
			if ok, _ := settingsMet(lab.s, ex, set); ok {
				trials = append(trials, trial{ex, set, fmt.Sprint(one)})
			}
		}
	}
	t.Logf("%d single-lever settings to run", len(trials))
	// Two at a time: the server runs at most two batches at once.
	var wg sync.WaitGroup
	next := make(chan trial)
	for w := 0; w < 2; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for tr := range next {
				lab.run(tr.ex, tr.set)
			}
		}()
	}
	for _, tr := range trials {
		next <- tr
	}
	close(next)
	wg.Wait()
	for _, tr := range trials {
		ok, report := outputsMet(t, tr.ex, lab.run(tr.ex, tr.set), margin)
		assert.False(t, ok, "%s: one lever, %s, meets the goal (within %v%%):\n  %s", tr.ex.ID, tr.key, margin*100,
			strings.Join(report, "\n  "))
	}
}

// singleSettings lists one-key settings: every lever and every classroom
// assumption at each of its settings.
func singleSettings(s *Server, ex *exercise, points int) []map[string]any {
	reg := s.reg
	var out []map[string]any
	grid := func(lo, hi, step float64) []float64 {
		var vs []float64
		for k := 0; k < points; k++ {
			v := lo + (hi-lo)*float64(k)/float64(points-1)
			vs = append(vs, math.Round(math.Round(v/step)*step*1e9)/1e9)
		}
		return vs
	}
	for i := range reg.Levers {
		l := &reg.Levers[i]
		switch l.Kind {
		case sim.LeverSwitch:
			out = append(out, map[string]any{l.Key: true}, map[string]any{l.Key: false})
		case sim.LeverSet:
			preset := l.SetItems(presetValue(s, ex.Preset, l.Key, ex.From))
			out = append(out, map[string]any{l.Key: []string{}}, map[string]any{l.Key: l.Items})
			for _, it := range l.Items {
				out = append(out, map[string]any{l.Key: toggle(preset, it)})
			}
		default:
			sl := l.Slider
			if sl == nil {
				sl = &sim.Slider{Min: l.Min, Max: l.Max, Step: niceStep(l.Max - l.Min)}
			}
			for _, v := range grid(sl.Min, sl.Max, sl.Step) {
				out = append(out, map[string]any{l.Key: v})
			}
			if l.None != nil {
				out = append(out, map[string]any{l.Key: l.None.Value})
			}
		}
	}
	for i := range reg.Params {
		p := &reg.Params[i]
		if p.Classroom == 0 {
			continue
		}
		for _, v := range grid(p.Slider.Min, p.Slider.Max, p.Slider.Step) {
			out = append(out, map[string]any{p.Key: v})
		}
	}
	return out
}

func toggle(items []string, it string) []string {
	out := []string{}
	found := false
	for _, x := range items {
		if x == it {
			found = true
			continue
		}
		out = append(out, x)
	}
	if !found {
		out = append(out, it)
	}
	return out
}
