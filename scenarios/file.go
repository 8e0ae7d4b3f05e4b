package scenarios

import (
	"fmt"
	"math"
	"strings"
	"time"

	"github.com/BurntSushi/toml"

	"github.com/chokepoint-sim/chokepoint/sim"
	"github.com/chokepoint-sim/chokepoint/sim/dist"
)

// file is one parsed scenario file, before resolving extends.
type file struct {
	ref  ref
	reg  *sim.Registry
	pos  positions
	errs []*Error

	id, title   string
	description *string
	extends     string
	start, end  *sim.Period
	params      map[int]*paramValue
	events      []*event
	corrs       []*corrGroup
}

// corrGroup is one [[correlations]] table.
type corrGroup struct {
	params []int
	keys   []string
	matrix [][]float64
	key    string // "correlations[1]"
	f      *file
}

type paramValue struct {
	dist dist.Dist
	key  string // located key path, "params.fab.yield_ceiling"
}

type event struct {
	ev  sim.Event
	f   *file
	key string // "events[2]"
}

// err records an error at key, returning it.
func (f *file) err(key, format string, args ...any) *Error {
	return f.errAt(key, key, format, args...)
}

// errAt records an error about key located at the key path at (which may be
// more precise than key, e.g. one element of an array).
func (f *file) errAt(at, key, format string, args ...any) *Error {
	return f.errPos(f.lookup(at), key, format, args...)
}

// errPos records an error about key at p.
func (f *file) errPos(p pos, key, format string, args ...any) *Error {
	e := &Error{File: f.ref.name, Line: p.Line, Col: p.Col, Key: key, Msg: fmt.Sprintf(format, args...)}
	f.errs = append(f.errs, e)
	return e
}

// lookup finds the position of key, or of the nearest enclosing key; a key
// the file does not have (a missing one) is placed at line 1.
func (f *file) lookup(key string) pos {
	if ps := f.pos.nearest(key); len(ps) > 0 {
		return ps[0]
	}
	return pos{Line: 1}
}

// errLater records an error at key whose message is composed only if it
// is the one reported: a file of many misspelt keys would otherwise cost a
// "did you mean" search for each.
func (f *file) errLater(key string, msg func() string) {
	p := f.lookup(key)
	f.errs = append(f.errs, &Error{File: f.ref.name, Line: p.Line, Col: p.Col, Key: key, later: msg})
}

// first returns the earliest error in the file, or nil.
func (f *file) first() error {
	if len(f.errs) == 0 {
		return nil
	}
	best := f.errs[0]
	for _, e := range f.errs[1:] {
		if e.before(best) {
			best = e
		}
	}
	if best.later != nil {
		best.Msg, best.later = best.later(), nil
	}
	return best
}

var topKeys = []string{"id", "title", "description", "extends", "time", "params", "structure", "events", "correlations"}

// parse decodes src and checks everything one file can show on its own.
// Errors are collected in f.errs.
func (l *Loader) parse(r ref, src []byte) *file {
	f := &file{ref: r, reg: l.Registry, params: map[int]*paramValue{}}
	// The parser's time grows faster than the nesting depth, so the depth
	// is checked first, by the scanner that also locates keys.
	ps, deep := locate(src)
	if deep.Line > 0 {
		f.errPos(deep, "", "nested more than %d levels deep (table headers, dotted keys, arrays and inline tables together)", MaxDepth)
		return f
	}
	var m map[string]any
	if _, err := toml.Decode(string(src), &m); err != nil {
		f.errs = append(f.errs, syntaxError(r.name, src, err))
		return f
	}
	f.pos = ps

	for _, k := range sortedKeys(m) {
		v := m[k]
		switch k {
		case "id":
			s, ok := f.str(k, v)
			if !ok {
				break
			}
			if err := sim.CheckName(s); err != nil {
				f.err(k, "%v", err)
				break
			}
			if r.id != "" && s != r.id {
				f.err(k, "a built-in scenario's id must be its file name, %q; found %q", r.id, s)
				break
			}
			f.id = s
		case "title":
			if s, ok := f.line(k, v); ok {
				f.title = s
			}
		case "description":
			s, ok := v.(string)
			switch {
			case !ok:
				f.err(k, "expected a string, found %s", describe(v))
			case checkText(s) != "":
				f.err(k, "%s", checkText(s))
			default:
				f.description = &s
			}
		case "extends":
			if s, ok := f.line(k, v); ok {
				f.extends = s
			}
		case "time":
			f.parseTime(v)
		case "params":
			t, ok := v.(map[string]any)
			if !ok {
				f.err(k, "expected a table of parameters, found %s", describe(v))
				break
			}
			f.parseParams(t, "")
		case "structure":
			f.parseStructure(v)
		case "events":
			f.parseEvents(v)
		case "correlations":
			f.parseCorrelations(v)
		default:
			f.unknown(k, k, topKeys, "a scenario file has id, title, description, extends, [time], [params], [structure], [[events]] and [[correlations]]")
		}
	}
	if _, ok := m["id"]; !ok {
		f.err("id", "missing (every scenario needs an id of lowercase letters, digits and hyphens)").missing = true
	}
	if _, ok := m["title"]; !ok {
		f.err("title", "missing (every scenario needs a title)").missing = true
	}
	return f
}

// str checks that v is a non-empty string.
func (f *file) str(key string, v any) (string, bool) {
	s, ok := v.(string)
	if !ok {
		f.err(key, "expected a string, found %s", describe(v))
		return "", false
	}
	if strings.TrimSpace(s) == "" {
		f.err(key, "must not be empty")
		return "", false
	}
	return s, true
}

// line checks that v is a non-empty string of one line (checkLine).
func (f *file) line(key string, v any) (string, bool) {
	s, ok := f.str(key, v)
	if !ok {
		return "", false
	}
	if msg := checkLine(s); msg != "" {
		f.err(key, "%s", msg)
		return "", false
	}
	return s, true
}

// unknown reports an unknown key (last part name, full path key) with a
// suggestion from candidates, or else the hint.
func (f *file) unknown(name, key string, candidates []string, hint string) {
	f.errLater(key, func() string {
		if s := suggest(name, candidates); s != "" {
			return fmt.Sprintf("unknown key (did you mean %q?)", s)
		}
		return "unknown key; " + hint
	})
}

func (f *file) parseTime(v any) {
	t, ok := v.(map[string]any)
	if !ok {
		f.err("time", "expected a table with start and end, found %s", describe(v))
		return
	}
	for _, k := range sortedKeys(t) {
		key := "time." + k
		switch k {
		case "start", "end":
			p, _, err := when(t[k])
			if err != nil {
				f.err(key, "%v", err)
				continue
			}
			if k == "start" {
				f.start = &p
			} else {
				f.end = &p
			}
		default:
			f.unknown(k, key, []string{"start", "end"}, "[time] has start and end")
		}
	}
}

// parseParams reads [params], whose keys may be written quoted
// ("fab.yield_ceiling"), dotted (fab.yield_ceiling) or as sub-tables
// ([params.fab]); prefix is the parameter key so far.
func (f *file) parseParams(t map[string]any, prefix string) {
	reg := f.reg
	for _, k := range sortedKeys(t) {
		name := join(prefix, k)
		key := "params." + name
		v := t[k]
		if i, ok := reg.ParamIndex(name); ok {
			f.setParam(i, name, key, v)
			continue
		}
		if sub, ok := v.(map[string]any); ok {
			if _, isDist := sub["dist"]; !isDist {
				// A group of parameters: [params.fab] or fab.x = ...
				f.parseParams(sub, name)
				continue
			}
		}
		if _, isLever := reg.LeverIndex(name); isLever {
			f.err(key, "%s is a policy lever, not a parameter: set it with an [[events]] entry", name)
			continue
		}
		f.errLater(key, func() string {
			if s := suggest(name, reg.ParamKeys()); s != "" {
				return fmt.Sprintf("unknown parameter (did you mean %q?)", s)
			}
			return "unknown parameter (`chokepoint params` lists them)"
		})
	}
}

func (f *file) setParam(i int, name, key string, v any) {
	p := &f.reg.Params[i]
	if _, dup := f.params[i]; dup {
		// Two spellings of one key ("fab.yield_ceiling" and [params.fab]
		// yield_ceiling) locate to one path: report the second.
		at, first := f.lookup(key), 0
		if ps := f.pos.at(key); len(ps) > 1 {
			at, first = ps[1], ps[0].Line
		}
		msg := "parameter " + name + " is set twice"
		if first > 0 {
			msg += fmt.Sprintf(" (also at line %d)", first)
		}
		f.errPos(at, key, "%s", msg)
		return
	}
	d, err := dist.Parse(v)
	if err != nil {
		f.distErr(key, v, err)
		return
	}
	if msg := checkBounds(p, d); msg != "" {
		f.err(key, "%s", msg)
		return
	}
	f.params[i] = &paramValue{dist: d, key: key}
}

// distErr records ParseDist's error for the distribution v at key. Its
// message names no location; when it names a key of a table written over
// several lines ([params.x] with dist = ... below), point at that line.
func (f *file) distErr(key string, v any, err error) {
	msg := err.Error()
	at, best := f.lookup(key), -1
	if t, ok := v.(map[string]any); ok {
		for _, k := range sortedKeys(t) {
			i := wordIndex(msg, k)
			ps := f.pos.at(key + "." + k)
			if i >= 0 && len(ps) > 0 && ps[0].Line != at.Line && (best < 0 || i < best) {
				at, best = ps[0], i
			}
		}
	}
	f.errPos(at, key, "%s", msg)
}

// wordIndex finds w in s as a whole word, or returns -1.
func wordIndex(s, w string) int {
	for off := 0; w != "" && off < len(s); {
		i := strings.Index(s[off:], w)
		if i < 0 {
			return -1
		}
		i += off
		j := i + len(w)
		if (i == 0 || !isBare(s[i-1])) && (j == len(s) || !isBare(s[j])) {
			return i
		}
		off = i + 1
	}
	return -1
}

// checkBounds says what is wrong when d reaches outside p's bounds, or "".
// A distribution may have tails past them (draws are clamped), but not its
// central 90%.
func checkBounds(p *sim.Param, d dist.Dist) string {
	lo, hi := d.Support()
	if lo == hi {
		if math.IsNaN(lo) || lo < p.Min || lo > p.Max {
			return fmt.Sprintf("value %s is outside the parameter's bounds [%s, %s]",
				fmtNum(lo), fmtNum(p.Min), fmtNum(p.Max))
		}
		return ""
	}
	q5, q95 := d.Quantile(0.05), d.Quantile(0.95)
	// Quantile functions are computed, not exact: "0 to 1" as a normal
	// gives a 5th percentile a rounding error away from 0.
	tol := func(b float64) float64 { return 1e-9 * max(1, math.Abs(b)) }
	switch {
	case math.IsNaN(q5) || math.IsNaN(q95):
		return "the distribution's percentiles are not numbers"
	case q5 < p.Min-tol(p.Min):
		return fmt.Sprintf("5th percentile %s is below the parameter's minimum %s", fmtApprox(q5), fmtNum(p.Min))
	case q95 > p.Max+tol(p.Max):
		return fmt.Sprintf("95th percentile %s is above the parameter's maximum %s", fmtApprox(q95), fmtNum(p.Max))
	}
	return ""
}

var eventKeys = []string{"id", "lever", "value", "effective", "announced", "probability", "delay", "label", "note", "source"}

func (f *file) parseEvents(v any) {
	var list []any
	switch v := v.(type) {
	case []map[string]any:
		for _, m := range v {
			list = append(list, m)
		}
	case []any:
		list = v
	default:
		f.err("events", "expected [[events]] tables, found %s", describe(v))
		return
	}
	if len(list) > MaxEvents {
		// The events up to the limit are still checked, so that an
		// earlier mistake is reported first.
		f.err(fmt.Sprintf("events[%d]", MaxEvents), "a scenario file may have at most %d events", MaxEvents)
		list = list[:MaxEvents]
	}
	byID := map[string]*event{}
	for i, item := range list {
		key := fmt.Sprintf("events[%d]", i)
		m, ok := item.(map[string]any)
		if !ok {
			f.err(key, "expected an event table, found %s", describe(item))
			continue
		}
		e, explicit := f.parseEvent(key, m)
		if e == nil {
			continue
		}
		if prev, dup := byID[e.ev.ID]; dup {
			line := f.lookup(prev.key).Line
			if explicit {
				f.err(key+".id", "duplicate event id %q (%s at line %d has it too)", e.ev.ID, prev.key, line)
			} else {
				f.err(key, "same lever and quarter as %s (line %d), so both get the default id %q: "+
					"give each an id, or merge them", prev.key, line, e.ev.ID)
			}
			continue
		}
		byID[e.ev.ID] = e
		f.events = append(f.events, e)
	}
}

// parseEvent checks one event; it returns nil when the event has errors,
// and whether its id was written.
func (f *file) parseEvent(key string, m map[string]any) (*event, bool) {
	nerr := len(f.errs)
	e := &event{f: f, key: key, ev: sim.Event{Lever: -1, Probability: 1}}
	for _, k := range sortedKeys(m) {
		if !contains(eventKeys, k) {
			f.unknown(k, key+"."+k, eventKeys, "an event has "+strings.Join(eventKeys, ", "))
		}
	}
	for _, k := range []string{"lever", "value", "effective"} {
		if _, ok := m[k]; !ok {
			f.err(key+"."+k, "missing (every event needs lever, value and effective)").missing = true
		}
	}

	var lever *sim.Lever
	if v, ok := m["lever"]; ok {
		lever = f.eventLever(key+".lever", v, e)
	}
	if v, ok := m["value"]; ok && lever != nil {
		if x, ok := f.leverValue(key+".value", lever, v); ok {
			e.ev.Value = x
		}
	}
	f.eventDates(key, m, e)
	if v, ok := m["probability"]; ok {
		x, isNum := number(v)
		switch {
		case !isNum:
			f.err(key+".probability", "expected a number in (0, 1], found %s", describe(v))
		case x == 0:
			f.err(key+".probability", "must be in (0, 1], found 0 (an event that never happens: remove it)")
		case !(x > 0 && x <= 1):
			f.err(key+".probability", "must be in (0, 1], found %s", fmtNum(x))
		default:
			e.ev.Probability = x
		}
	}
	if v, ok := m["delay"]; ok {
		f.parseDelay(key+".delay", v, e)
	}
	for _, t := range []struct {
		k  string
		to *string
	}{{"label", &e.ev.Label}, {"note", &e.ev.Note}, {"source", &e.ev.Source}} {
		if v, ok := m[t.k]; ok {
			*t.to = f.optionalLine(key+"."+t.k, v)
		}
	}
	explicit := false
	if v, ok := m["id"]; ok {
		if s, ok := f.line(key+".id", v); ok {
			e.ev.ID, explicit = s, true
		}
	}
	if len(f.errs) > nerr {
		return nil, explicit
	}
	if !explicit {
		e.ev.ID = lever.Key + "@" + e.ev.Effective.String()
	}
	return e, explicit
}

// eventLever reads an event's lever, setting it in e; nil when it is not
// one.
func (f *file) eventLever(key string, v any, e *event) *sim.Lever {
	s, ok := f.str(key, v)
	if !ok {
		return nil
	}
	if i, ok := f.reg.LeverIndex(s); ok {
		e.ev.Lever = i
		return &f.reg.Levers[i]
	}
	if _, isParam := f.reg.ParamIndex(s); isParam {
		f.err(key, "%s is a parameter, not a policy lever: set it under [params]", s)
		return nil
	}
	f.errLater(key, func() string {
		msg := fmt.Sprintf("unknown lever %q", s)
		if sug := suggest(s, f.reg.LeverKeys()); sug != "" {
			return msg + fmt.Sprintf(" (did you mean %q?)", sug)
		}
		return msg + " (`chokepoint params` lists the levers)"
	})
	return nil
}

// eventDates reads an event's effective and announced dates into e.
func (f *file) eventDates(key string, m map[string]any, e *event) {
	var effDay string
	if v, ok := m["effective"]; ok {
		p, day, err := when(v)
		if err != nil {
			f.err(key+".effective", "%v", err)
		} else {
			e.ev.Effective, e.ev.Announced, effDay = p, p, day
		}
	}
	if v, ok := m["announced"]; ok {
		p, day, err := when(v)
		switch {
		case err != nil:
			f.err(key+".announced", "%v", err)
		case effDay != "" && (p > e.ev.Effective ||
			p == e.ev.Effective && len(day) == 10 && len(effDay) == 10 && day > effDay):
			f.err(key+".announced", "%s is after effective %s", day, effDay)
		default:
			e.ev.Announced = p
		}
	}
}

// optionalLine reads an optional string of one line (checkLine), which may
// be empty.
func (f *file) optionalLine(key string, v any) string {
	s, ok := v.(string)
	if !ok {
		f.err(key, "expected a string, found %s", describe(v))
		return ""
	}
	if msg := checkLine(s); msg != "" {
		f.err(key, "%s", msg)
	}
	return s
}

func (f *file) parseDelay(key string, v any, e *event) {
	if x, ok := number(v); ok {
		switch {
		case math.IsNaN(x) || x < 0:
			f.err(key, "must be a number of quarters >= 0, found %s", fmtNum(x))
			return
		case x == 0:
			return
		}
	}
	d, err := dist.Parse(v)
	if err != nil {
		f.distErr(key, v, err)
		return
	}
	lo, _ := d.Support()
	if math.IsNaN(lo) || lo < 0 {
		msg := fmt.Sprintf("a delay must not be negative, but %s reaches down to %s", d, fmtNum(lo))
		if s, ok := v.(string); ok && strings.Contains(s, " to ") {
			msg += ` ("a to b" is a normal distribution unless both ends are positive)`
		}
		f.err(key, "%s; use a uniform, triangular or pert distribution from 0, or add clip = [0, N]", msg)
		return
	}
	e.ev.Delay = d
}

// leverValue reads an event's value for lever: a number, a switch or a set.
func (f *file) leverValue(key string, lever *sim.Lever, v any) (float64, bool) {
	switch lever.Kind {
	case sim.LeverSwitch:
		if b, ok := v.(bool); ok {
			if b {
				return 1, true
			}
			return 0, true
		}
		if x, ok := number(v); ok && (x == 0 || x == 1) {
			return x, true
		}
		f.err(key, "expected true or false (or 1 or 0) for switch lever %s, found %s", lever.Key, describe(v))
	case sim.LeverSet:
		items, ok := v.([]any)
		if !ok {
			f.err(key, "expected an array of item names for set lever %s (any of %s), found %s",
				lever.Key, strings.Join(lever.Items, ", "), describe(v))
			return 0, false
		}
		names := make([]string, len(items))
		for i, it := range items {
			s, ok := it.(string)
			at := fmt.Sprintf("%s[%d]", key, i)
			if !ok {
				f.errAt(at, key, "expected item names for set lever %s, found %s", lever.Key, describe(it))
				return 0, false
			}
			if _, err := lever.SetMask([]string{s}); err != nil {
				f.errAt(at, key, "%v", err)
				return 0, false
			}
			names[i] = s
		}
		mask, err := lever.SetMask(names)
		if err != nil {
			f.err(key, "%v", err)
			return 0, false
		}
		return mask, true
	default:
		x, ok := number(v)
		if !ok || math.IsNaN(x) {
			f.err(key, "expected a number for lever %s, found %s", lever.Key, describe(v))
			return 0, false
		}
		if x < lever.Min || x > lever.Max {
			f.err(key, "%s is outside lever %s's bounds [%s, %s]", fmtNum(x), lever.Key, fmtNum(lever.Min), fmtNum(lever.Max))
			return 0, false
		}
		return x, true
	}
	return 0, false
}

// when reads a date (2022Q4, 2022-10, 2022-10-07, or a TOML date) as a
// quarter, also returning it as written.
func when(v any) (sim.Period, string, error) {
	var s string
	switch v := v.(type) {
	case string:
		s = v
	case time.Time:
		s = v.Format("2006-01-02")
	default:
		return 0, "", fmt.Errorf("expected a date such as 2022Q4, 2022-10 or 2022-10-07, found %s", describe(v))
	}
	p, err := sim.ParseWhen(s)
	if err != nil {
		return 0, "", err
	}
	return p, strings.TrimSpace(s), nil
}

// number reads a TOML integer or float.
func number(v any) (float64, bool) {
	switch v := v.(type) {
	case int64:
		return float64(v), true
	case float64:
		return v, true
	}
	return 0, false
}
