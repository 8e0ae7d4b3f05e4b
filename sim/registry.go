package sim

import (
	"fmt"
	"math"
	"sort"
	"strings"

	"github.com/chokepoint-sim/chokepoint/sim/dist"
	"github.com/chokepoint-sim/chokepoint/sim/suggest"
)

// Param declares one uncertain model parameter. The registry of params is the
// single place a parameter is described: scenario validation, documentation,
// the classroom page and sensitivity analysis all read it.
type Param struct {
	Key         string  // dotted name, e.g. "fab.yield_ceiling"
	Unit        string  // e.g. "fraction", "1/yr"
	Min, Max    float64 // every draw must lie in [Min, Max]
	Default     string  // default distribution in scenario syntax, e.g. "0.5 to 0.8"
	Description string
	Source      string // where the default comes from
	Group       string // heading under which the parameter is listed
	// Label names the parameter in a few plain words for the classroom
	// page ("Yield ceiling"); empty: made from the key.
	Label string
	// Plain says what the parameter means in a sentence a student reads:
	// no keys, no symbols the page does not explain. Required of the
	// parameters the classroom offers (Classroom > 0).
	Plain string
	// Slider is the range the classroom page offers, within [Min, Max];
	// nil: the parameter is not offered.
	Slider *Slider
	// Classroom is the parameter's place among the assumptions the
	// classroom page offers (1 first); 0: not offered.
	Classroom int
	// Levels names the formulations of a structural switch, Levels[i] for
	// the value i (a draw is rounded to the nearest); a scenario may pin
	// one by name in its [structure] table. Nil for other parameters;
	// when set, Min is 0 and Max is len(Levels) - 1.
	Levels []string

	dist dist.Dist // parsed Default
}

// Slider is the range and step a classroom slider offers: narrower than a
// lever's bounds where those run to a "no rule" value.
type Slider struct {
	Min, Max, Step float64
	// MinLabel is what the page writes at Min when that value means
	// something of its own ("no I/O test"); empty: the number.
	MinLabel string
}

// None is a value of a number lever that means "no such rule", and how a
// person reads it.
type None struct {
	Value float64
	Label string // e.g. "no threshold"
}

// Dist returns the parsed default distribution.
func (p *Param) Dist() dist.Dist { return p.dist }

// LeverKind says how a lever's value is written.
type LeverKind int

const (
	// LeverNumber is a plain number within [Min, Max].
	LeverNumber LeverKind = iota
	// LeverSwitch is 0 (off) or 1 (on); scenario files may write true/false.
	LeverSwitch
	// LeverSet is a set of named items (e.g. chips); its value is a bit mask
	// over Items, so at most 52 items fit exactly in a float64.
	LeverSet
)

// Lever declares one policy lever: a time series set by dated events.
type Lever struct {
	Key         string
	Unit        string
	Kind        LeverKind
	Min, Max    float64  // bounds for LeverNumber
	Default     float64  // value before any event: the "no policy" state
	Items       []string // allowed names for LeverSet
	Description string
	Source      string // what in the real world the lever stands for
	Group       string // e.g. "US chip rules"
	// Label names the lever in a few words, as a control's title
	// ("Licence threshold"); empty: made from the key.
	Label string
	// Phrase names the lever in plain words inside a sentence ("the
	// performance-density limit"); empty: cut from the description.
	Phrase string
	// Plain says what the lever does in a sentence or two a student reads
	// on the classroom page: no keys, no stand-in numbers such as the
	// value that means "no rule" (None says that); empty: Description.
	Plain string
	// Slider is the classroom slider of a number lever; nil: one over
	// [Min, Max] with a round step.
	Slider *Slider
	// None is the value that means "no such rule", if the lever has one.
	None *None
	// Strong is the lever's strong setting, which the lever table applies
	// (sim.RunLeverTable); nil: the lever has none.
	Strong *Strong
}

// Output declares one model output.
type Output struct {
	Key         string
	Unit        string
	Description string
	// Log says the output spans orders of magnitude and reads best on a
	// logarithmic axis.
	Log bool
	// Label is the output's title in a few plain words ("Frontier gap");
	// Subtitle says what it measures in a line beneath it.
	Label, Subtitle string
	// Phrase names the output inside a sentence ("the frontier gap"), as
	// a comparison's headline sentences do; empty: the label, its first
	// letter lowercased unless it starts a name.
	Phrase string
	// Featured lists the surfaces that show the output without being
	// asked, in registry order.
	Featured Surface
	// Derived declares an output computed from another after the runs
	// rather than by the model; the registry lists it in Derived, not in
	// Outputs, so a model never fills it.
	Derived *Derived
}

// Surface is a set of places that show outputs without being asked for
// them.
type Surface uint16

const (
	// Headline is the table a run or comparison prints.
	Headline Surface = 1 << iota
	// RunCharts are the fan charts drawn after a run.
	RunCharts
	// Report is the HTML report's charts and tables.
	Report
	// PageCharts are the classroom page's charts.
	PageCharts
	// PageCost is the classroom page's panel of costs.
	PageCost
	// ReportCost is the report's table of costs to US vendors.
	ReportCost
	// DebriefX and DebriefY are the axes of the class debrief chart
	// (serve --class): each team's outcome, cost against effect.
	DebriefX
	DebriefY
	// PageChanges are rows of the classroom page's "What changed" table
	// beneath its charts' outputs: a part of a charted total that tells
	// why the total moved.
	PageChanges
)

// surfaceNames name the surfaces, in the order of their bits.
var surfaceNames = []string{"headline", "run-charts", "report", "page-charts", "page-cost", "report-cost", "debrief-x", "debrief-y", "page-changes"}

// Names lists the surfaces in s by name ("headline", "page-charts").
func (s Surface) Names() []string {
	var ns []string
	for i, n := range surfaceNames {
		if s&(1<<i) != 0 {
			ns = append(ns, n)
		}
	}
	return ns
}

// DerivedKind says how a derived output is computed from its source.
type DerivedKind int

const (
	// Cumulative is each run's running total of the source output from a
	// start quarter on (its quantiles are those of the totals, which
	// summing quarterly quantiles would not give).
	Cumulative DerivedKind = iota + 1
)

// String names the kind ("cumulative").
func (k DerivedKind) String() string {
	if k == Cumulative {
		return "cumulative"
	}
	return fmt.Sprintf("DerivedKind(%d)", int(k))
}

// Derived says what a derived output is computed from, and how.
type Derived struct {
	Of   string // the source output's key
	Kind DerivedKind
}

// Registry holds a model's parameters, levers and outputs, in declaration
// order, which is also the order of the slices a model receives.
type Registry struct {
	Params  []Param
	Levers  []Lever
	Outputs []Output
	// Derived are the outputs computed from others after the runs.
	Derived []Output
	// GroupOrder is the order in which surfaces list lever groups; groups
	// it does not name follow in the order of their first lever.
	GroupOrder []string
	// Actors names, for each lever group, whose rules its levers are
	// ("US", "China"), so that a chart's event label says it; a group it
	// does not name is labelled as written.
	Actors map[string]string
	// LeverTable says what the lever table reports; Channels how a paired
	// comparison splits a total by channel. nil: the model declares none.
	LeverTable *LeverTable
	Channels   *Channels

	paramIdx, leverIdx, outputIdx map[string]int
}

// NewRegistry checks the declarations and indexes them. It panics on a
// programming error (duplicate key, unparsable default, missing unit), since
// a model's registry is fixed at compile time. Outputs declared Derived go
// to r.Derived.
func NewRegistry(params []Param, levers []Lever, outputs []Output) *Registry {
	r := &Registry{Params: params, Levers: levers,
		paramIdx: map[string]int{}, leverIdx: map[string]int{}, outputIdx: map[string]int{}}
	for _, o := range outputs {
		if o.Derived != nil {
			r.Derived = append(r.Derived, o)
		} else {
			r.Outputs = append(r.Outputs, o)
		}
	}
	for i := range r.Params {
		p := &r.Params[i]
		if _, dup := r.paramIdx[p.Key]; dup {
			panic("sim: duplicate parameter " + p.Key)
		}
		if !(p.Min <= p.Max) {
			panic("sim: parameter " + p.Key + " has Min > Max")
		}
		d, err := dist.ParseText(p.Default)
		if err != nil {
			panic(fmt.Sprintf("sim: parameter %s default: %v", p.Key, err))
		}
		p.dist = d
		r.paramIdx[p.Key] = i
	}
	for i := range r.Levers {
		l := &r.Levers[i]
		if _, dup := r.leverIdx[l.Key]; dup {
			panic("sim: duplicate lever " + l.Key)
		}
		if _, dup := r.paramIdx[l.Key]; dup {
			panic("sim: lever and parameter share the key " + l.Key)
		}
		switch l.Kind {
		case LeverSwitch:
			l.Min, l.Max = 0, 1
		case LeverSet:
			if len(l.Items) > 52 {
				panic("sim: set lever " + l.Key + " has more than 52 items")
			}
			l.Min, l.Max = 0, math.Exp2(float64(len(l.Items)))-1
		}
		r.leverIdx[l.Key] = i
	}
	for i, o := range r.Outputs {
		if _, dup := r.outputIdx[o.Key]; dup {
			panic("sim: duplicate output " + o.Key)
		}
		r.outputIdx[o.Key] = i
	}
	r.checkPresentation()
	return r
}

// checkPresentation panics on a slider, "none" value or derived output that
// contradicts the rest of a declaration.
func (r *Registry) checkPresentation() {
	for i := range r.Params {
		p := &r.Params[i]
		if p.Slider != nil && !(p.Min <= p.Slider.Min && p.Slider.Min < p.Slider.Max && p.Slider.Max <= p.Max && p.Slider.Step > 0) {
			panic("sim: parameter " + p.Key + " has a slider outside its bounds or no step")
		}
		if (p.Classroom > 0) != (p.Slider != nil) {
			panic("sim: parameter " + p.Key + " needs both a classroom place and a slider, or neither")
		}
		p.checkLevels()
	}
	for i := range r.Levers {
		l := &r.Levers[i]
		if (l.Slider != nil || l.None != nil) && l.Kind != LeverNumber {
			panic("sim: lever " + l.Key + " has a slider or a none value but is no number lever")
		}
		if l.Slider != nil && !(l.Min <= l.Slider.Min && l.Slider.Min < l.Slider.Max && l.Slider.Max <= l.Max && l.Slider.Step > 0) {
			panic("sim: lever " + l.Key + " has a slider outside its bounds or no step")
		}
		if l.None != nil && !(l.Min <= l.None.Value && l.None.Value <= l.Max) {
			panic("sim: lever " + l.Key + " has a none value outside its bounds")
		}
	}
	seen := map[string]bool{}
	for _, d := range r.Derived {
		if _, dup := r.outputIdx[d.Key]; dup || seen[d.Key] {
			panic("sim: duplicate output " + d.Key)
		}
		seen[d.Key] = true
		if _, ok := r.outputIdx[d.Derived.Of]; !ok || d.Derived.Kind != Cumulative {
			panic("sim: derived output " + d.Key + " names no output of the model or no known kind")
		}
	}
}

// Featured returns the keys of the outputs (derived ones last) that
// surface s shows, in registry order.
func (r *Registry) Featured(s Surface) []string {
	var ks []string
	for _, os := range [][]Output{r.Outputs, r.Derived} {
		for _, o := range os {
			if o.Featured&s != 0 {
				ks = append(ks, o.Key)
			}
		}
	}
	return ks
}

// LeverGroups returns the lever groups in the order surfaces list them:
// GroupOrder first (those that have a lever), then the rest in the order
// of their first lever.
func (r *Registry) LeverGroups() []string {
	has, seen := map[string]bool{}, map[string]bool{}
	for _, l := range r.Levers {
		has[l.Group] = true
	}
	var gs []string
	add := func(g string) {
		if has[g] && !seen[g] {
			seen[g] = true
			gs = append(gs, g)
		}
	}
	for _, g := range r.GroupOrder {
		add(g)
	}
	for _, l := range r.Levers {
		add(l.Group)
	}
	return gs
}

// ShortLabel is the lever's label, or one made from its key
// ("fab.yield_ceiling" → "Yield ceiling").
func (l *Lever) ShortLabel() string {
	if l.Label != "" {
		return l.Label
	}
	return LabelOf(l.Key)
}

// ShortLabel is the parameter's label, or one made from its key.
func (p *Param) ShortLabel() string {
	if p.Label != "" {
		return p.Label
	}
	return LabelOf(p.Key)
}

// PlainText is what the lever does in plain words: Plain, else the
// description.
func (l *Lever) PlainText() string {
	if l.Plain != "" {
		return l.Plain
	}
	return l.Description
}

// PlainText is what the parameter means in plain words: Plain, else the
// description.
func (p *Param) PlainText() string {
	if p.Plain != "" {
		return p.Plain
	}
	return p.Description
}

// PlainPhrase names the lever in plain words inside a sentence: its
// phrase, else its description up to the first aside, else its key.
func (l *Lever) PlainPhrase() string {
	if l.Phrase != "" {
		return l.Phrase
	}
	d := l.Description
	if i := strings.IndexAny(d, "(;:"); i >= 0 {
		d = d[:i]
	}
	if d = strings.TrimSpace(d); d == "" {
		return l.Key
	}
	return d
}

// IsNone reports whether v is the lever's "no such rule" value.
func (l *Lever) IsNone(v float64) bool { return l.None != nil && v == l.None.Value }

// LabelOf makes a label from a key: its last dotted part, underscores as
// spaces, the first letter capital ("fab.yield_ceiling" → "Yield ceiling").
func LabelOf(key string) string {
	if i := strings.LastIndexByte(key, '.'); i >= 0 {
		key = key[i+1:]
	}
	key = strings.ReplaceAll(key, "_", " ")
	if key == "" {
		return key
	}
	return strings.ToUpper(key[:1]) + key[1:]
}

// ParamIndex returns the position of the parameter key.
func (r *Registry) ParamIndex(key string) (int, bool) { i, ok := r.paramIdx[key]; return i, ok }

// LeverIndex returns the position of the lever key.
func (r *Registry) LeverIndex(key string) (int, bool) { i, ok := r.leverIdx[key]; return i, ok }

// OutputIndex returns the position of the output key.
func (r *Registry) OutputIndex(key string) (int, bool) { i, ok := r.outputIdx[key]; return i, ok }

// SetMask returns the bit mask of a set lever holding the named items.
func (l *Lever) SetMask(names []string) (float64, error) {
	var m uint64
	for _, n := range names {
		found := false
		for i, it := range l.Items {
			if strings.EqualFold(it, n) {
				m |= 1 << i
				found = true
				break
			}
		}
		if !found {
			msg := fmt.Sprintf("%q is not one of %s", n, strings.Join(l.Items, ", "))
			if s := Suggest(n, l.Items); s != "" {
				msg += fmt.Sprintf(" (did you mean %q?)", s)
			}
			return 0, fmt.Errorf("%s", msg)
		}
	}
	return float64(m), nil
}

// SetItems returns the names held in a set lever's bit mask.
func (l *Lever) SetItems(mask float64) []string {
	m := uint64(mask)
	var out []string
	for i, it := range l.Items {
		if m&(1<<i) != 0 {
			out = append(out, it)
		}
	}
	return out
}

// FormatValue writes a lever value as a person would read it.
func (l *Lever) FormatValue(v float64) string {
	switch l.Kind {
	case LeverSwitch:
		if v != 0 {
			return "on"
		}
		return "off"
	case LeverSet:
		items := l.SetItems(v)
		if len(items) == 0 {
			return "none"
		}
		return strings.Join(items, ", ")
	}
	return FormatNumber(v)
}

// FormatNumber prints v compactly: 4800, 0.15, 1.5e+06, "none" for +Inf.
func FormatNumber(v float64) string {
	if math.IsInf(v, 1) {
		return "none"
	}
	return FormatShort(v, ExactStyle)
}

// Suggest returns the candidate closest to s by edit distance, or "" when
// none is close enough to be a likely misspelling (see suggest.Closest).
func Suggest(s string, candidates []string) string { return suggest.Closest(s, candidates) }

// ParamKeys lists the parameter keys in declaration order.
func (r *Registry) ParamKeys() []string {
	ks := make([]string, len(r.Params))
	for i, p := range r.Params {
		ks[i] = p.Key
	}
	return ks
}

// LeverKeys lists the lever keys in declaration order.
func (r *Registry) LeverKeys() []string {
	ks := make([]string, len(r.Levers))
	for i, l := range r.Levers {
		ks[i] = l.Key
	}
	return ks
}

// OutputKeys lists the output keys in declaration order.
func (r *Registry) OutputKeys() []string {
	ks := make([]string, len(r.Outputs))
	for i, o := range r.Outputs {
		ks[i] = o.Key
	}
	return ks
}

// Groups returns the distinct groups of the parameters, sorted.
func (r *Registry) Groups() []string {
	seen := map[string]bool{}
	var gs []string
	for _, p := range r.Params {
		if !seen[p.Group] {
			seen[p.Group] = true
			gs = append(gs, p.Group)
		}
	}
	sort.Strings(gs)
	return gs
}
