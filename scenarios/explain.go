package scenarios

import (
	"fmt"
	"math"
	"sort"
	"strings"

	"github.com/chokepoint-sim/chokepoint/sim"
	"github.com/chokepoint-sim/chokepoint/sim/dist"
)

// Explain says in plain words what a scenario changes relative to the one
// it extends (its parent) or, for a scenario that extends none, relative to
// the model's defaults (every lever at its "no policy" value, every
// parameter at the registry's distribution). It is the text of
// `chokepoint scenarios explain NAME`.
//
// It compares the two compiled scenarios. Each lever's value over time is
// its default, then the value of each certain event (probability 1, no
// delay) in order; wherever the child's path and the parent's differ, a
// line says from when and how, with the note and source of the event
// responsible. Uncertain events are listed on their own, with their chance
// and delay. Parent events the child replaces (same id), parameters whose
// distribution differs and a different span are listed too.
func (l *Loader) Explain(nameOrPath string) (string, error) {
	child, err := l.Load(nameOrPath)
	if err != nil {
		return "", err
	}
	r, err := l.ref(nameOrPath)
	if err != nil {
		return "", err
	}
	pr, hasParent, err := l.parentOf(r)
	if err != nil {
		return "", err
	}
	var (
		parent *sim.Scenario
		pname  string // how the parent is named in the text
	)
	var b strings.Builder
	if hasParent {
		if parent, err = l.loadRef(pr); err != nil {
			return "", err
		}
		pname = pr.short
		fmt.Fprintf(&b, "%s extends %s (%s).", child.Name, pname, parent.Title)
	} else {
		parent = l.defaults(child.Span)
		pname = "the defaults"
		fmt.Fprintf(&b, "%s extends no other scenario; it is compared with the model's defaults "+
			"(every lever at its no-policy value).", child.Name)
	}
	lines := diff(l.Registry, parent, child, pname)
	if len(lines) == 0 {
		b.WriteString(" It changes nothing.\n")
		return b.String(), nil
	}
	b.WriteString(" It changes:\n")
	for _, ln := range lines {
		b.WriteString("  ")
		b.WriteString(ln)
		b.WriteString("\n")
	}
	return b.String(), nil
}

// parentOf returns the file that r extends, if any.
func (l *Loader) parentOf(r ref) (ref, bool, error) {
	src, err := l.read(r)
	if err != nil {
		return ref{}, false, &Error{File: r.name, Msg: err.Error()}
	}
	f := l.parse(r, src)
	if err := f.first(); err != nil {
		return ref{}, false, err
	}
	if f.extends == "" {
		return ref{}, false, nil
	}
	pr, perr := l.parentRef(f)
	if perr != nil {
		return ref{}, false, perr
	}
	return pr, true, nil
}

// loadRef is Load for a file already located (a parent may be a built-in
// reached by a relative path, which Load cannot name).
func (l *Loader) loadRef(r ref) (*sim.Scenario, error) {
	src, err := l.read(r)
	if err != nil {
		return nil, &Error{File: r.name, Msg: err.Error()}
	}
	res, err := l.resolve(r, src, nil)
	if err != nil {
		return nil, err
	}
	return l.compile(res)
}

// defaults is the scenario of no events and the registry's distributions.
func (l *Loader) defaults(span sim.Span) *sim.Scenario {
	sc := &sim.Scenario{Name: "defaults", Title: "the model's defaults", Span: span,
		Params: make([]dist.Dist, len(l.Registry.Params))}
	for i := range l.Registry.Params {
		sc.Params[i] = l.Registry.Params[i].Dist()
	}
	return sc
}

// line is one change, sorted by the quarter it takes effect in.
type line struct {
	at   sim.Period
	text string
}

// differ compares two scenarios: what the child changes relative to the
// parent, named pname in the text. It records which events its lines have
// explained, so that the leftovers are listed at the end.
type differ struct {
	reg           *sim.Registry
	parent, child *sim.Scenario
	pname         string
	parentByID    map[string]*sim.Event
	childIDs      map[string]bool
	mentioned     map[string]bool // replaced parent events a line already names
	used          map[string]bool // child events a line already explains
}

// diff lists what child changes relative to parent, in date order, then
// parameters, span and replaced events that no other line covers.
func diff(reg *sim.Registry, parent, child *sim.Scenario, pname string) []string {
	d := &differ{reg: reg, parent: parent, child: child, pname: pname,
		parentByID: map[string]*sim.Event{}, childIDs: map[string]bool{},
		mentioned: map[string]bool{}, used: map[string]bool{}}
	for i := range parent.Events {
		d.parentByID[parent.Events[i].ID] = &parent.Events[i]
	}
	for i := range child.Events {
		d.childIDs[child.Events[i].ID] = true
	}
	var dated []line
	for li := range reg.Levers {
		dated = append(dated, d.leverPath(li)...)
	}
	dated = append(dated, d.childUncertain()...)
	dated = append(dated, d.parentUncertain()...)
	sort.SliceStable(dated, func(i, j int) bool { return dated[i].at < dated[j].at })

	out := make([]string, 0, len(dated))
	for _, ln := range dated {
		out = append(out, ln.text)
	}
	out = append(out, d.params()...)
	if parent.Span != child.Span {
		out = append(out, fmt.Sprintf("span: %s to %s → %s to %s",
			parent.Span.Start, parent.Span.End, child.Span.Start, child.Span.End))
	}
	return append(out, d.leftovers()...)
}

// replaces says which parent event a child event replaces, if any.
func (d *differ) replaces(e *sim.Event) string {
	if p, ok := d.parentByID[e.ID]; ok && !sameEvent(p, e) {
		d.mentioned[e.ID] = true
		return fmt.Sprintf(" (replaces %s's event %q)", d.pname, e.ID)
	}
	return ""
}

// leverPath compares the certain paths of lever li: a line for each
// quarter at which the child's value or its change differs from the
// parent's.
func (d *differ) leverPath(li int) []line {
	lv := &d.reg.Levers[li]
	pEv, cEv := certainOn(d.parent.Events, li), certainOn(d.child.Events, li)
	var out []line
	for _, t := range breakpoints(pEv, cEv) {
		pc, pn := valueAt(lv, pEv, t-1), valueAt(lv, pEv, t)
		cc, cn := valueAt(lv, cEv, t-1), valueAt(lv, cEv, t)
		if cn == pn && cc == pc {
			continue
		}
		ce, pe := lastAt(cEv, t), lastAt(pEv, t)
		// The child's own event explains the line when it has one here
		// that is not simply the parent's.
		var why *sim.Event
		if ce != nil && (pe == nil || !sameEvent(ce, pe)) {
			why = ce
		} else if pe != nil {
			why = pe
		}
		head := "from " + t.String()
		if why != nil && why.Announced < why.Effective {
			head += fmt.Sprintf(" (announced %s)", why.Announced)
		}
		text := fmt.Sprintf("%s: %s (%s) %s", head, lv.PlainPhrase(), lv.Key, d.change(lv, pc, pn, cc, cn))
		if why != nil {
			text += d.because(why, why == ce)
		}
		out = append(out, line{t, text})
	}
	return out
}

// change says how the child's value goes from cc to cn at a quarter where
// the parent's goes from pc to pn.
func (d *differ) change(lv *sim.Lever, pc, pn, cc, cn float64) string {
	v := func(x float64) string { return formatValue(lv, x) }
	pname := d.pname
	switch {
	case cn == pn && cc != cn && pc != pn:
		return fmt.Sprintf("goes from %s to %s, as in %s", v(cc), v(cn), pname)
	case cn == pn && cc != cn:
		back := ""
		if cn == lv.Default {
			back = "back "
		}
		return fmt.Sprintf("goes from %s %sto %s, as in %s", v(cc), back, v(cn), pname)
	case cn == pn:
		return fmt.Sprintf("is %s, as in %s from here on", v(cn), pname)
	case cc != cn && pc == pn:
		what := fmt.Sprintf("goes from %s to %s", v(cc), v(cn))
		if pn != cc {
			what += fmt.Sprintf(" (%s has %s)", pname, v(pn))
		}
		return what
	case cc != cn:
		return fmt.Sprintf("goes from %s to %s, where %s goes to %s", v(cc), v(cn), pname, v(pn))
	case pc == pn:
		// Neither moves here (the child restates its value): the parent
		// has its own value all along, whether it is the status quo or a
		// counterfactual that never had the rule.
		return fmt.Sprintf("stays %s (%s has %s)", v(cn), pname, v(pn))
	}
	return fmt.Sprintf("stays %s, where %s goes to %s", v(cn), pname, v(pn))
}

// because is the tail of a line: the event that explains it, the child's
// own or the parent's.
func (d *differ) because(why *sim.Event, childs bool) string {
	if childs {
		d.used[why.ID] = true
		return d.replaces(why) + explainNote(why)
	}
	text := ""
	if !d.childIDs[why.ID] {
		d.mentioned[why.ID] = true
		text = fmt.Sprintf(" (%s's event %q is dropped)", d.pname, why.ID)
	}
	return text + " — in " + d.pname + ":" + strings.TrimPrefix(explainNote(why), " —")
}

// childUncertain lists the uncertain events of the child that the parent
// does not have as they are.
func (d *differ) childUncertain() []line {
	var out []line
	for i := range d.child.Events {
		e := &d.child.Events[i]
		if !e.Uncertain() {
			continue
		}
		if p, ok := d.parentByID[e.ID]; ok && sameEvent(p, e) {
			continue
		}
		d.used[e.ID] = true
		lv := &d.reg.Levers[e.Lever]
		head := "from " + e.Effective.String()
		if e.Announced < e.Effective {
			head += fmt.Sprintf(" (announced %s)", e.Announced)
		}
		if e.Probability < 1 {
			head += fmt.Sprintf(", with probability %s%%", sim.FormatNumber(math.Round(e.Probability*1000)/10))
		}
		if e.Delay != nil {
			head += ", " + delayText(e.Delay)
		}
		from := valueAt(lv, certainOn(d.child.Events, e.Lever), e.Effective)
		what := fmt.Sprintf("goes to %s", formatValue(lv, e.Value))
		if from != e.Value {
			what = fmt.Sprintf("goes from %s to %s", formatValue(lv, from), formatValue(lv, e.Value))
		}
		text := fmt.Sprintf("%s: %s (%s) %s%s%s", head, lv.PlainPhrase(), lv.Key, what, d.replaces(e), explainNote(e))
		out = append(out, line{e.Effective, text})
	}
	return out
}

// parentUncertain lists the uncertain parent events the child lacks (a
// child keeps all its parent's events, but diff holds for any two
// scenarios).
func (d *differ) parentUncertain() []line {
	var out []line
	for i := range d.parent.Events {
		e := &d.parent.Events[i]
		if e.Uncertain() && !d.childIDs[e.ID] {
			d.mentioned[e.ID] = true
			lv := &d.reg.Levers[e.Lever]
			out = append(out, line{e.Effective, fmt.Sprintf("from %s: %s's uncertain event %q (%s to %s) is dropped",
				e.Effective, d.pname, e.ID, lv.Key, formatValue(lv, e.Value))})
		}
	}
	return out
}

// params lists the parameters whose distribution differs.
func (d *differ) params() []string {
	var out []string
	for i := range d.reg.Params {
		a, b := d.parent.Params[i].String(), d.child.Params[i].String()
		if a != b {
			p := &d.reg.Params[i]
			text := fmt.Sprintf("parameter %s: %s → %s", p.Key, paramText(p, d.parent.Params[i]), paramText(p, d.child.Params[i]))
			if desc := d.reg.Params[i].Description; desc != "" {
				text += " — " + desc
			}
			out = append(out, text)
		}
	}
	return out
}

// leftovers names the replaced events no line has named (the replacement
// changes only a date of announcement, a note or a source, or nothing the
// paths show) and the new events that change nothing, so that none is
// missed.
func (d *differ) leftovers() []string {
	var out []string
	for i := range d.child.Events {
		e := &d.child.Events[i]
		p, inParent := d.parentByID[e.ID]
		if !inParent && !d.used[e.ID] {
			out = append(out, fmt.Sprintf("event %q (%s) changes nothing: the lever already has that value%s",
				e.ID, eventSummary(d.reg, e), explainNote(e)))
			continue
		}
		if !inParent || sameEvent(p, e) || d.mentioned[e.ID] {
			continue
		}
		d.mentioned[e.ID] = true
		was, now := eventSummary(d.reg, p), eventSummary(d.reg, e)
		if was == now {
			out = append(out, fmt.Sprintf("event %q replaces %s's with the same effect (%s)%s",
				e.ID, d.pname, now, explainNote(e)))
		} else {
			out = append(out, fmt.Sprintf("event %q replaces %s's: %s → %s%s", e.ID, d.pname, was, now, explainNote(e)))
		}
	}
	return out
}

// certainOn returns the certain events on lever li, in resolution order.
func certainOn(evs []sim.Event, li int) []*sim.Event {
	var out []*sim.Event
	for i := range evs {
		if e := &evs[i]; e.Lever == li && !e.Uncertain() {
			out = append(out, e)
		}
	}
	return out
}

// breakpoints are the quarters at which either path may change, sorted.
func breakpoints(a, b []*sim.Event) []sim.Period {
	seen := map[sim.Period]bool{}
	var ts []sim.Period
	for _, evs := range [][]*sim.Event{a, b} {
		for _, e := range evs {
			if !seen[e.Effective] {
				seen[e.Effective] = true
				ts = append(ts, e.Effective)
			}
		}
	}
	sort.Slice(ts, func(i, j int) bool { return ts[i] < ts[j] })
	return ts
}

// valueAt is the lever's value at t under the certain events evs (in
// resolution order): the default, then each event in force by t.
func valueAt(lv *sim.Lever, evs []*sim.Event, t sim.Period) float64 {
	v := lv.Default
	for _, e := range evs {
		if e.Effective <= t {
			v = e.Value
		}
	}
	return v
}

// lastAt returns the event that sets the value at exactly t, if any.
func lastAt(evs []*sim.Event, t sim.Period) *sim.Event {
	var last *sim.Event
	for _, e := range evs {
		if e.Effective == t {
			last = e
		}
	}
	return last
}

func sameEvent(a, b *sim.Event) bool {
	return a.ID == b.ID && a.Lever == b.Lever && a.Value == b.Value && a.Effective == b.Effective &&
		a.Announced == b.Announced && a.Probability == b.Probability &&
		distText(a.Delay) == distText(b.Delay) && a.Note == b.Note && a.Source == b.Source
}

func distText(d dist.Dist) string {
	if d == nil {
		return ""
	}
	return d.String()
}

// delayText says how late an event may come.
func delayText(d dist.Dist) string {
	lo, hi := d.Support()
	if !math.IsInf(lo, 0) && !math.IsInf(hi, 0) {
		lo, hi = math.Max(0, lo), math.Max(0, hi)
		if lo == hi {
			return fmt.Sprintf("delayed %s quarters", sim.FormatNumber(lo))
		}
		return fmt.Sprintf("delayed %s to %s quarters", sim.FormatNumber(lo), sim.FormatNumber(hi))
	}
	return fmt.Sprintf("delayed by %s quarters", d)
}

func explainNote(e *sim.Event) string {
	var s string
	if e.Note != "" {
		s += " — " + e.Note
	}
	if e.Source != "" {
		s += " [" + e.Source + "]"
	}
	return s
}

func eventSummary(reg *sim.Registry, e *sim.Event) string {
	lv := &reg.Levers[e.Lever]
	s := fmt.Sprintf("%s = %s from %s", lv.Key, formatValue(lv, e.Value), e.Effective)
	if e.Announced < e.Effective {
		s += fmt.Sprintf(" (announced %s)", e.Announced)
	}
	if e.Probability < 1 {
		s += fmt.Sprintf(", probability %s", sim.FormatNumber(e.Probability))
	}
	if e.Delay != nil {
		s += ", " + delayText(e.Delay)
	}
	return s
}

// formatValue writes a lever value for people: switches as on/off, sets as
// their items, numbers with their unit (money as "$17.5B/yr", large counts
// as "1M"), and the registry's "no such rule" value as "none".
func formatValue(lv *sim.Lever, v float64) string {
	if lv.Kind != sim.LeverNumber {
		return lv.FormatValue(v)
	}
	if lv.IsNone(v) {
		return "none"
	}
	if rest, ok := strings.CutPrefix(lv.Unit, "USD"); ok {
		return "$" + sim.FormatShort(v, sim.SentenceStyle) + rest
	}
	switch lv.Unit {
	case "", "1", "fraction", "0/1", "on/off":
		return lv.FormatValue(v)
	}
	return sim.FormatShort(v, sim.SentenceStyle) + " " + lv.Unit
}
