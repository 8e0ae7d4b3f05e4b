package sim

import (
	"fmt"
	"math"
	"sort"
	"strings"
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

	dist Dist // parsed Default
}

// Dist returns the parsed default distribution.
func (p *Param) Dist() Dist { return p.dist }

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
}

// Output declares one model output.
type Output struct {
	Key         string
	Unit        string
	Description string
	// Log says the output spans orders of magnitude and reads best on a
	// logarithmic axis.
	Log bool
}

// Registry holds a model's parameters, levers and outputs, in declaration
// order, which is also the order of the slices a model receives.
type Registry struct {
	Params  []Param
	Levers  []Lever
	Outputs []Output

	paramIdx, leverIdx, outputIdx map[string]int
}

// NewRegistry checks the declarations and indexes them. It panics on a
// programming error (duplicate key, unparsable default, missing unit), since
// a model's registry is fixed at compile time.
func NewRegistry(params []Param, levers []Lever, outputs []Output) *Registry {
	r := &Registry{Params: params, Levers: levers, Outputs: outputs,
		paramIdx: map[string]int{}, leverIdx: map[string]int{}, outputIdx: map[string]int{}}
	for i := range r.Params {
		p := &r.Params[i]
		if _, dup := r.paramIdx[p.Key]; dup {
			panic("sim: duplicate parameter " + p.Key)
		}
		if !(p.Min <= p.Max) {
			panic("sim: parameter " + p.Key + " has Min > Max")
		}
		d, err := ParseDistText(p.Default)
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
	return r
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
	return fmt.Sprintf("%.6g", v)
}

// Suggest returns the candidate closest to s by edit distance, or "" when
// none is close enough to be a likely misspelling.
func Suggest(s string, candidates []string) string {
	best, bestD := "", math.MaxInt
	ls := strings.ToLower(s)
	for _, c := range candidates {
		d := editDistance(ls, strings.ToLower(c))
		// A key that ends with the same last segment is a likely intent even
		// when its prefix is wrong ("yield_ceiling" for "fab.yield_ceiling").
		if i := strings.LastIndexByte(c, '.'); i >= 0 && strings.EqualFold(c[i+1:], s) {
			d = 1
		}
		// A key that begins like s, but for its last couple of letters, is
		// a likely abbreviation or slip ("compute_stok").
		if len(ls) >= 5 && commonPrefix(ls, strings.ToLower(c)) >= max(5, len(ls)-2) {
			d = min(d, 2)
		}
		if d < bestD || (d == bestD && c < best) {
			best, bestD = c, d
		}
	}
	if best == "" || bestD > max(2, len(s)/3) {
		return ""
	}
	return best
}

func commonPrefix(a, b string) int {
	n := 0
	for n < len(a) && n < len(b) && a[n] == b[n] {
		n++
	}
	return n
}

// editDistance is the Levenshtein distance between a and b.
func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

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
