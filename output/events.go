package output

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"slices"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/chokepoint-sim/chokepoint/output/chart"
	"github.com/chokepoint-sim/chokepoint/sim"
)

// EventsName is the file of a results folder that keeps each scenario's
// dated policy events, so that charts redrawn from the folder mark them
// as the run did.
const EventsName = "events.json"

// EventMark is a scenario event as a chart marks it: its date and a label
// of a few words.
type EventMark struct {
	ID     string     `json:"id"`
	Period sim.Period `json:"period"`
	Label  string     `json:"label"`
	// Outputs, when not empty, make the mark a milestone of the model's
	// own: a sourced mechanism that turns the path of these outputs on a
	// date (the model's registry declares it, not a scenario), marked on
	// their charts only, beside the scenarios' policy events.
	Outputs []string `json:"outputs,omitempty"`
}

// Milestone reports whether m is a milestone of the model rather than a
// scenario's event.
func (m EventMark) Milestone() bool { return len(m.Outputs) > 0 }

// markKey is what makes two marks the same mark.
type markKey struct {
	id, label, outputs string
	period             sim.Period
}

func (m EventMark) key() markKey {
	return markKey{m.ID, m.Label, strings.Join(m.Outputs, "\x00"), m.Period}
}

// SameMarks reports whether a and b hold the same marks in the same order.
func SameMarks(a, b []EventMark) bool {
	return slices.EqualFunc(a, b, func(x, y EventMark) bool { return x.key() == y.key() })
}

// WithMarks adds marks (the model's milestones) to every scenario's event
// marks, in date order (a mark after the events of its quarter), and
// returns d.
func (d *ResultsData) WithMarks(marks []EventMark) *ResultsData {
	for i := range d.Scenarios {
		d.Scenarios[i].Events = addMarks(d.Scenarios[i].Events, marks)
	}
	return d
}

// addMarks returns evs with marks added, in date order.
func addMarks(evs, marks []EventMark) []EventMark {
	if len(marks) == 0 {
		return evs
	}
	out := append(slices.Clip(evs), marks...)
	sort.SliceStable(out, func(i, j int) bool { return out[i].Period < out[j].Period })
	return out
}

// ScenarioEvents are one scenario's event marks, in date order.
type ScenarioEvents struct {
	Scenario string      `json:"scenario"`
	Events   []EventMark `json:"events"`
}

// EventMarks returns a mark for every event of sc, in the order the
// scenario resolves them (by date). With a registry, a label says whose
// rule the event is ("US: HBM ban") unless it names someone already
// ("China bars H200", "Japan, Dutch tool curbs").
func EventMarks(reg *sim.Registry, sc *sim.Scenario) []EventMark {
	marks := make([]EventMark, 0, len(sc.Events))
	for i := range sc.Events {
		e := &sc.Events[i]
		label := e.Label
		if label == "" {
			label = shortLabel(e.ID, e.Note)
		}
		if reg != nil && e.Lever >= 0 && e.Lever < len(reg.Levers) {
			label = withActor(reg.Actors[reg.Levers[e.Lever].Group], label)
		}
		if e.Uncertain() {
			label += "?" // happens in some runs only, or at an uncertain date
		}
		marks = append(marks, EventMark{ID: e.ID, Period: e.Effective, Label: label})
	}
	return marks
}

// WriteEvents writes events.json: every scenario's event marks, with the
// model's milestones (marks whose Outputs are set) among them.
func WriteEvents(path string, res *sim.Result, milestones ...EventMark) error {
	all := make([]ScenarioEvents, 0, len(res.Scenarios))
	for _, sr := range res.Scenarios {
		all = append(all, ScenarioEvents{Scenario: sr.Scenario.Name,
			Events: addMarks(EventMarks(res.Registry, sr.Scenario), milestones)})
	}
	return WriteJSON(path, all)
}

// maxEvents bounds the events of one scenario read back (a state file's
// bound too); maxMarkOutputs the outputs of one milestone.
const (
	maxEvents      = 1 << 16
	maxMarkOutputs = 1 << 10
)

// readEvents reads events.json into d's scenarios; a folder without one
// has no marks.
func (d *ResultsData) readEvents(path string) error {
	names := make([]string, len(d.Scenarios))
	for i, s := range d.Scenarios {
		names[i] = s.Name
	}
	marks, err := ReadEvents(path, names)
	if err != nil {
		return err
	}
	for i, m := range marks {
		if m != nil {
			d.Scenarios[i].Events = m
		}
	}
	return nil
}

// ReadEvents reads an events.json written for the scenarios names, as
// untrusted input: each entry names one of them, once; ids and labels are
// short text; periods are quarters. It returns each scenario's marks (nil
// for a scenario the file leaves out or gives null, and for all of them
// when there is no file).
func ReadEvents(path string, names []string) ([][]EventMark, error) {
	marks, done := make([][]EventMark, len(names)), make([]bool, len(names))
	b, err := ReadInput(path, MaxEventsBytes)
	if errors.Is(err, fs.ErrNotExist) {
		return marks, nil
	}
	if err != nil {
		return nil, err
	}
	var all []ScenarioEvents
	if err := json.Unmarshal(b, &all); err != nil {
		return nil, jsonError(path, b, err)
	}
	for i, s := range all {
		at := fmt.Sprintf("%s: [%d]", path, i)
		if err := sim.CheckName(s.Scenario); err != nil {
			return nil, sim.BadInputf("%s.scenario: %v", at, err)
		}
		sc := slices.Index(names, s.Scenario)
		if sc < 0 || done[sc] {
			return nil, sim.BadInputf("%s.scenario: %q is not a scenario of %s, or is there twice", at, s.Scenario, ManifestName)
		}
		if err := checkMarks(at, s.Events); err != nil {
			return nil, err
		}
		marks[sc], done[sc] = s.Events, true
	}
	return marks, nil
}

// checkMarks checks one scenario's marks as read from events.json at "at".
func checkMarks(at string, marks []EventMark) error {
	if len(marks) > maxEvents {
		return sim.BadInputf("%s.events: more than %d", at, maxEvents)
	}
	for j, e := range marks {
		if _, err := sim.ParsePeriod(e.Period.String()); err != nil { // a null or missing period is zero
			return sim.BadInputf("%s.events[%d].period: %v", at, j, err)
		}
		for _, f := range []struct{ key, s string }{{"id", e.ID}, {"label", e.Label}} {
			if err := checkText(f.s); err != nil {
				return sim.BadInputf("%s.events[%d].%s: %v", at, j, f.key, err)
			}
		}
		if len(e.Outputs) > maxMarkOutputs {
			return sim.BadInputf("%s.events[%d].outputs: more than %d", at, j, maxMarkOutputs)
		}
		for k, o := range e.Outputs {
			if err := checkText(o); err != nil || o == "" {
				return sim.BadInputf("%s.events[%d].outputs[%d]: want an output's key, found %q", at, j, k, o)
			}
		}
	}
	return nil
}

// MarkedEvents returns events that EventMarks turns back into marks: what
// a result read back from saved state (a shard's state.bin keeps no events)
// holds of its scenario's events, so that the tables, events.json and
// charts written from it are those of the run itself. The label is kept
// as marked ("?" included); such events only mark, they do not run. The
// model's milestones are left out: they are the model's, not the
// scenario's, and WriteEvents adds them again.
func MarkedEvents(marks []EventMark) []sim.Event {
	evs := make([]sim.Event, 0, len(marks))
	for _, m := range marks {
		if !m.Milestone() {
			evs = append(evs, sim.Event{ID: m.ID, Lever: -1, Effective: m.Period, Announced: m.Period, Probability: 1, Label: m.Label})
		}
	}
	return evs
}

// maxLabel is the longest label, in characters, taken from a note; past it
// a label is made from the event's id. About a fifth of a chart's width in
// 8-point type, so that four labels fit side by side.
const maxLabel = 26

// shortLabel makes a label of a few words for an event: the lead of its
// note when the note starts with one ("Density rule: PD >= 5.92 ..." gives
// "Density rule"), else its id made readable ("hbm-ban" gives "HBM ban").
func shortLabel(id, note string) string {
	for _, sep := range []string{":", ";", " (", ", "} {
		if i := strings.Index(note, sep); i > 0 {
			lead := strings.TrimSpace(note[:i])
			if n := utf8.RuneCountInString(lead); n <= maxLabel && len(strings.Fields(lead)) >= 2 && !hedge(lead) {
				return lead
			}
			break // a long lead is a sentence, not a name; one word, a tag
		}
	}
	return readableID(id)
}

// hedge reports whether a note's lead says what kind of event it is
// rather than what happens: "Hypothetical and uncertain: ...".
func hedge(lead string) bool {
	first := strings.ToLower(strings.Fields(lead)[0])
	switch first {
	case "hypothetical", "counterfactual", "assumed", "assumption", "possible", "uncertain", "note", "see":
		return true
	}
	return false
}

// acronyms are words of event ids written in capitals in a label.
var acronyms = map[string]string{
	"ai": "AI", "duv": "DUV", "eu": "EU", "euv": "EUV", "gpu": "GPU", "hbm": "HBM",
	"ii": "II", "iii": "III", "io": "I/O", "pd": "PD", "sme": "SME", "smic": "SMIC",
	"tpp": "TPP", "tsmc": "TSMC", "uk": "UK", "us": "US", "nvidia": "Nvidia", "huawei": "Huawei",
	"jan": "Jan", "feb": "Feb", "mar": "Mar", "apr": "Apr", "may": "May", "jun": "Jun",
	"jul": "Jul", "aug": "Aug", "sep": "Sep", "oct": "Oct", "nov": "Nov", "dec": "Dec",
	"china": "China", "japan": "Japan", "dutch": "Dutch", "biden": "Biden", "trump": "Trump",
}

// readableID turns an event id into words: dashes become spaces, chip
// names (h20, b200) and acronyms are capitalised, as is the first word.
func readableID(id string) string {
	words := strings.FieldsFunc(id, func(r rune) bool { return r == '-' || r == '_' })
	for i, w := range words {
		switch a, ok := acronyms[strings.ToLower(w)]; {
		case ok:
			words[i] = a
		case chipName(w):
			words[i] = strings.ToUpper(w)
		case i == 0:
			r, n := utf8.DecodeRuneInString(w)
			words[i] = string(unicode.ToUpper(r)) + w[n:]
		}
	}
	return strings.Join(words, " ")
}

// named reports whether label was taken from an event's note rather than
// made from its id. With id "", it reports whether label is a group label
// taken from a note (see chartEvents).
func named(label, id string) bool {
	if id == "" {
		return !strings.HasPrefix(label, "\x00")
	}
	if _, rest, ok := strings.Cut(label, ": "); ok {
		label = rest // an actor's name before the label
	}
	return strings.TrimSuffix(label, "?") != readableID(id)
}

// actorWords are words that, first in a label, already say whose step an
// event is.
var actorWords = map[string]bool{
	"us": true, "u.s.": true, "china": true, "chinese": true, "beijing": true, "washington": true,
	"japan": true, "dutch": true, "netherlands": true, "eu": true, "uk": true, "korea": true,
	"taiwan": true, "malaysia": true, "singapore": true, "tsmc": true, "smic": true, "nvidia": true,
	"huawei": true, "asml": true, "allies": true, "allied": true, "alibaba": true, "tencent": true,
	"baidu": true, "bytedance": true, "deepseek": true, "cxmt": true, "ymtc": true, "amd": true,
	"micron": true, "samsung": true, "hynix": true, "sk": true,
}

// withActor puts actor's name before label ("US: foundry rule"), the
// label's first letter lowered when it starts a common phrase, unless
// the label names an actor already or there is no actor.
func withActor(actor, label string) string {
	words := strings.Fields(label)
	if actor == "" || len(words) == 0 {
		return label
	}
	first := strings.ToLower(strings.TrimRight(words[0], ",:;"))
	if actorWords[first] || strings.HasPrefix(label, actor+":") {
		return label
	}
	_, known := acronyms[first]
	proper := known || chipName(first) || strings.ToUpper(words[0]) == words[0]
	if len(words) > 1 {
		r, _ := utf8.DecodeRuneInString(words[1])
		proper = proper || unicode.IsUpper(r) // "Big Fund III"
	}
	if !proper {
		r, n := utf8.DecodeRuneInString(label)
		label = string(unicode.ToLower(r)) + label[n:]
	}
	return actor + ": " + label
}

// chipName reports whether w looks like a chip's name: letters then
// digits, such as h20, a800, b200.
func chipName(w string) bool {
	i := strings.IndexFunc(w, unicode.IsDigit)
	return i > 0 && strings.IndexFunc(w[:i], func(r rune) bool { return !unicode.IsLetter(r) }) < 0 &&
		strings.IndexFunc(w[i:], func(r rune) bool { return !unicode.IsDigit(r) }) < 0
}

// maxMarks is the most dated events a chart marks unless told otherwise
// (--events): more lines and labels hide the data. The built-in scenarios
// have over twenty events in four years.
const maxMarks = 4

// minMarkGap is the least distance between two dates marked by default,
// in quarters: labels closer than that stack into a staircase.
const minMarkGap = 2

// Event selections of ChartSpec.Events besides ids.
const (
	EventsAll  = "all"
	EventsNone = "none"
)

// markGroup is the events of one quarter, marked by one line.
type markGroup struct {
	period sim.Period
	label  string
	n      int  // events
	sure   bool // one of them happens in every run, on its date
}

// groupMarks groups marks by quarter: events on the same quarter share one
// line, labelled by the first of them whose label comes from its note
// (else the first of them).
func groupMarks(marks []EventMark) []markGroup {
	var groups []markGroup
	byPeriod := map[sim.Period]int{}
	for _, m := range marks {
		sure := !strings.HasSuffix(m.Label, "?")
		if i, ok := byPeriod[m.Period]; ok {
			g := &groups[i]
			g.n++
			if !named(g.label, "") && named(m.Label, m.ID) || !g.sure && sure {
				g.label = m.Label // a name from a note says more than an id; a sure event more than a maybe
			}
			g.sure = g.sure || sure
			continue
		}
		byPeriod[m.Period] = len(groups)
		label := m.Label
		if !named(label, m.ID) {
			label = "\x00" + label // marks the label as made from an id, until a better one comes
		}
		groups = append(groups, markGroup{m.Period, label, 1, sure})
	}
	return groups
}

// chartEvents picks the dates a chart of output marks from marks, as sel
// says (see ChartSpec.Events). By default the most important policy dates:
// a date on which some event happens for sure comes before one of maybes
// only, then the dates that change the most rules at once, earlier ones
// first; at most maxMarks, each at least minMarkGap quarters from the
// dates already taken; and every milestone of the model for output. "all"
// marks every date (the milestones of other outputs aside), ids the dates
// of those events and milestones, "none" nothing.
func chartEvents(marks []EventMark, sel []string, output string) []chart.Event {
	if slices.Contains(sel, EventsNone) {
		return nil
	}
	var policy, milestones []EventMark
	for _, m := range marks {
		if len(sel) > 0 && !slices.Contains(sel, EventsAll) && !slices.Contains(sel, m.ID) {
			continue
		}
		switch {
		case !m.Milestone():
			policy = append(policy, m)
		case slices.Contains(m.Outputs, output):
			milestones = append(milestones, m)
		}
	}
	picked := groupMarks(policy)
	if len(sel) == 0 {
		picked = important(picked)
	}
	picked = append(picked, groupMarks(milestones)...)
	sort.SliceStable(picked, func(i, j int) bool { return picked[i].period < picked[j].period })
	evs := make([]chart.Event, len(picked))
	for i, g := range picked {
		evs[i] = chart.Event{X: g.period.Decimal(), Label: strings.TrimPrefix(g.label, "\x00")}
	}
	return evs
}

// important returns the at most maxMarks most important dates of groups,
// each at least minMarkGap quarters from the others.
func important(groups []markGroup) []markGroup {
	groups = slices.Clone(groups)
	sort.SliceStable(groups, func(i, j int) bool {
		a, b := groups[i], groups[j]
		switch {
		case a.sure != b.sure:
			return a.sure
		case a.n != b.n:
			return a.n > b.n
		}
		return a.period < b.period
	})
	var picked []markGroup
	for _, g := range groups {
		if len(picked) == maxMarks {
			break
		}
		near := slices.ContainsFunc(picked, func(p markGroup) bool {
			d := int(g.period - p.period)
			return d < minMarkGap && d > -minMarkGap
		})
		if !near {
			picked = append(picked, g)
		}
	}
	return picked
}

// checkEventIDs reports an id of sel that is no event of data's scenarios
// (sel "all" or "none" aside), with the ids there are.
func checkEventIDs(sel []string, data *ResultsData) error {
	var ids []string
	for _, s := range data.Scenarios {
		for _, m := range s.Events {
			if !slices.Contains(ids, m.ID) {
				ids = append(ids, m.ID)
			}
		}
	}
	if len(sel) > 1 && (slices.Contains(sel, EventsAll) || slices.Contains(sel, EventsNone)) {
		return fmt.Errorf("--events: 'all' and 'none' stand alone, found %s", strings.Join(sel, ","))
	}
	for _, id := range sel {
		if id == EventsAll || id == EventsNone || slices.Contains(ids, id) {
			continue
		}
		if len(ids) == 0 {
			return fmt.Errorf("--events %s: these results hold no dated events", id)
		}
		msg := fmt.Sprintf("--events %s: no event of these scenarios has that id", id)
		if s := sim.Suggest(id, ids); s != "" {
			msg += fmt.Sprintf(" (did you mean %q?)", s)
		}
		return fmt.Errorf("%s; they have: %s", msg, strings.Join(ids, ", "))
	}
	return nil
}

// differing returns the marks of each list that the other lists do not all
// share: the events that set scenarios apart; and the model's milestones,
// which explain a turn of every scenario's path alike. Marks are the same
// when id, date, label and outputs are.
func differing(lists ...[]EventMark) []EventMark {
	count := map[markKey]int{}
	for _, l := range lists {
		seen := map[markKey]bool{}
		for _, m := range l {
			if k := m.key(); !seen[k] {
				seen[k] = true
				count[k]++
			}
		}
	}
	var out []EventMark
	seen := map[markKey]bool{}
	for _, l := range lists {
		for _, m := range l {
			k := m.key()
			if (count[k] < len(lists) || m.Milestone()) && !seen[k] {
				seen[k] = true
				out = append(out, m)
			}
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Period < out[j].Period })
	return out
}
