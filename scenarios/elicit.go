package scenarios

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/BurntSushi/toml"

	"github.com/chokepoint-sim/chokepoint/sim"
	"github.com/chokepoint-sim/chokepoint/sim/elicit"
)

// Elicitation is an elicitation file read and checked: several experts'
// quantiles for one registry parameter, and optionally seed questions.
type Elicitation struct {
	File    string
	Param   *sim.Param
	Title   string   // empty: none given
	Experts []string // names, in file order
	Seeds   []string // seed question ids, in file order
	Input   elicit.Input
}

// MaxExperts bounds the experts of one elicitation file, and MaxSeeds its
// seed questions: panels are a few to a few dozen.
const (
	MaxExperts = 100
	MaxSeeds   = 100
)

var elicitKeys = []string{"parameter", "title", "cutoff", "seeds", "experts"}

// LoadElicitation reads an elicitation file (docs/elicitation.md). Every
// mistake is an *Error located at its file, line and key.
func (l *Loader) LoadElicitation(path string) (*Elicitation, error) {
	r := ref{name: path, short: path, path: path}
	src, err := l.read(r)
	if err != nil {
		return nil, &Error{File: r.name, Msg: err.Error()}
	}
	f := &file{ref: r, reg: l.Registry}
	ps, deep := locate(src)
	if deep.Line > 0 {
		f.errPos(deep, "", "nested more than %d levels deep", MaxDepth)
		return nil, f.first()
	}
	var m map[string]any
	if _, err := toml.Decode(string(src), &m); err != nil {
		return nil, syntaxError(r.name, src, err)
	}
	f.pos = ps
	e := &elicitFile{file: f, out: &Elicitation{File: path}}
	e.parse(m)
	if err := f.first(); err != nil {
		return nil, err
	}
	return e.out, nil
}

// elicitFile is one elicitation file being read.
type elicitFile struct {
	*file
	out      *Elicitation
	seedKey  map[string]string // seed id -> its key path
	probs    []float64         // the seed judgements' probabilities
	probsKey string            // where they were first given
}

func (e *elicitFile) parse(m map[string]any) {
	for _, k := range sortedKeys(m) {
		if !contains(elicitKeys, k) {
			e.unknown(k, k, elicitKeys, "an elicitation file has parameter, title, cutoff, [[seeds]] and [[experts]]")
		}
	}
	if v, ok := m["title"]; ok {
		if s, ok := e.line("title", v); ok {
			e.out.Title = s
		}
	}
	if !e.parameter(m) {
		return
	}
	e.seeds(m["seeds"])
	e.experts(m["experts"])
	e.cutoff(m)
}

// parameter reads the parameter key; false when it is missing or unknown.
func (e *elicitFile) parameter(m map[string]any) bool {
	v, ok := m["parameter"]
	if !ok {
		e.err("parameter", "missing (the registry key of the parameter the experts judge; `chokepoint params` lists them)").missing = true
		return false
	}
	name, ok := e.str("parameter", v)
	if !ok {
		return false
	}
	i, ok := e.reg.ParamIndex(name)
	if _, lever := e.reg.LeverIndex(name); !ok && lever {
		e.err("parameter", "%s is a policy lever, not a parameter: a scenario sets it by events", name)
		return false
	}
	if !ok {
		msg := "unknown parameter %q (`chokepoint params` lists them)"
		if s := suggest(name, e.reg.ParamKeys()); s != "" {
			msg = "unknown parameter %q (did you mean " + strconv.Quote(s) + "?)"
		}
		e.err("parameter", msg, name)
		return false
	}
	e.out.Param = &e.reg.Params[i]
	e.out.Input.Min, e.out.Input.Max = e.out.Param.Min, e.out.Param.Max
	return true
}

// tables reads an array of tables under key.
func (e *elicitFile) tables(key string, v any, max int) []map[string]any {
	var out []map[string]any
	switch v := v.(type) {
	case nil:
		return nil
	case []map[string]any:
		out = v
	case []any:
		for i, x := range v {
			t, ok := x.(map[string]any)
			if !ok {
				e.err(fmt.Sprintf("%s[%d]", key, i), "expected a table, found %s", describe(x))
				return nil
			}
			out = append(out, t)
		}
	default:
		e.err(key, "expected [[%s]] tables, found %s", key, describe(v))
		return nil
	}
	if len(out) > max {
		e.err(fmt.Sprintf("%s[%d]", key, max), "an elicitation file may have at most %d %s", max, key)
		return nil
	}
	return out
}

var seedKeys = []string{"id", "question", "answer"}

func (e *elicitFile) seeds(v any) {
	e.seedKey = map[string]string{}
	for i, t := range e.tables("seeds", v, MaxSeeds) {
		key := fmt.Sprintf("seeds[%d]", i)
		for _, k := range sortedKeys(t) {
			if !contains(seedKeys, k) {
				e.unknown(k, key+"."+k, seedKeys, "a seed question has id, question and answer")
			}
		}
		id, ok := e.seedID(key, t)
		if !ok {
			continue
		}
		if q, has := t["question"]; has {
			e.line(key+".question", q)
		}
		a, has := t["answer"]
		if !has {
			e.err(key, "answer missing (the true value of the seed question)").missing = true
			continue
		}
		x, ok := e.finite(key+".answer", a)
		if !ok {
			continue
		}
		e.seedKey[id] = key
		e.out.Seeds = append(e.out.Seeds, id)
		e.out.Input.Answers = append(e.out.Input.Answers, x)
	}
}

// seedID reads a seed question's id: a name, once in the file.
func (e *elicitFile) seedID(key string, t map[string]any) (string, bool) {
	v, has := t["id"]
	if !has {
		e.err(key, "id missing (a name for the seed question, such as \"h20-imports-2024\")").missing = true
		return "", false
	}
	id, ok := e.str(key+".id", v)
	if !ok {
		return "", false
	}
	if err := sim.CheckName(id); err != nil {
		e.err(key+".id", "%v", err)
		return "", false
	}
	if prev, dup := e.seedKey[id]; dup {
		e.err(key+".id", "seed question %q is also %s", id, prev)
		return "", false
	}
	return id, true
}

// finite reads a finite number.
func (e *elicitFile) finite(key string, v any) (float64, bool) {
	var x float64
	switch n := v.(type) {
	case int64:
		x = float64(n)
	case float64:
		x = n
	default:
		e.err(key, "expected a number, found %s", describe(v))
		return 0, false
	}
	if math.IsNaN(x) || math.IsInf(x, 0) {
		e.err(key, "expected a finite number, found %s", describe(v))
		return 0, false
	}
	return x, true
}

func (e *elicitFile) experts(v any) {
	ts := e.tables("experts", v, MaxExperts)
	if len(ts) == 0 {
		if v == nil {
			e.err("experts", "missing (one [[experts]] table for each expert)").missing = true
		} else if _, isArr := v.([]map[string]any); isArr {
			e.err("experts", "no experts")
		}
		return
	}
	names := map[string]string{}
	weighted := 0
	for i, t := range ts {
		key := fmt.Sprintf("experts[%d]", i)
		x := e.expert(key, t)
		if prev, dup := names[x.Name]; dup && x.Name != "" {
			e.err(key+".name", "expert %q is also %s", x.Name, prev)
		}
		names[x.Name] = key
		if _, has := t["weight"]; has {
			weighted++
		}
		e.out.Experts = append(e.out.Experts, x.Name)
		e.out.Input.Experts = append(e.out.Input.Experts, x)
	}
	e.checkWeights(ts, weighted)
}

// checkWeights requires a weight of every expert or of none, not all zero,
// and none with seed questions (which set the weights).
func (e *elicitFile) checkWeights(ts []map[string]any, weighted int) {
	if weighted == 0 {
		return
	}
	for i, t := range ts {
		key := fmt.Sprintf("experts[%d]", i)
		_, has := t["weight"]
		switch {
		case has && len(e.out.Seeds) > 0:
			e.err(key+".weight", "the seed questions set the weights (Cooke's classical model); give weights or [[seeds]], not both")
			return
		case !has:
			e.err(key, "weight missing: give every expert a weight, or none for equal weights")
			return
		}
	}
	total := 0.0
	for _, x := range e.out.Input.Experts {
		total += x.Weight
	}
	if total == 0 {
		e.err("experts[0].weight", "the weights must not all be zero")
		return
	}
	e.out.Input.Given = true
}

var expertKeys = []string{"name", "weight", "seeds", "p5", "p50", "p95"}

// expert reads one [[experts]] table.
func (e *elicitFile) expert(key string, t map[string]any) elicit.Expert {
	var x elicit.Expert
	if v, has := t["name"]; has {
		x.Name, _ = e.line(key+".name", v)
	} else {
		e.err(key, "name missing (how the expert is shown: a name or a label such as \"Expert A\")").missing = true
	}
	if v, has := t["weight"]; has {
		if w, ok := e.finite(key+".weight", v); ok {
			if w < 0 {
				e.err(key+".weight", "must be >= 0, found %s", fmtNum(w))
			}
			x.Weight = w
		}
	}
	q := map[string]any{}
	for _, k := range sortedKeys(t) {
		switch {
		case k == "name" || k == "weight" || k == "seeds":
		case isQuantileKey(k):
			q[k] = t[k]
		default:
			e.unknown(k, key+"."+k, expertKeys, "an expert has name, weight, quantiles such as p5, p50, p95, and [experts.seeds]")
		}
	}
	x.Target, _ = e.judgement(key, q, true)
	x.Seeds = e.expertSeeds(key, t["seeds"])
	return x
}

// isQuantileKey tells a key such as p5 or "p2.5" from others.
func isQuantileKey(k string) bool {
	_, ok := quantileProb(k)
	return ok || (strings.HasPrefix(k, "p") && len(k) > 1 && (k[1] >= '0' && k[1] <= '9' || k[1] == '.'))
}

// quantileProb reads pNN as the probability NN/100.
func quantileProb(k string) (float64, bool) {
	s, ok := strings.CutPrefix(k, "p")
	if !ok {
		return 0, false
	}
	x, err := strconv.ParseFloat(s, 64)
	if err != nil || !(x > 0 && x < 100) {
		return 0, false
	}
	return x / 100, true
}

// judgement reads quantiles written as pNN = value in the table q at key.
// target: the quantity's, which must lie within the parameter's bounds.
func (e *elicitFile) judgement(key string, q map[string]any, target bool) (elicit.Judgement, bool) {
	type point struct {
		p, v float64
		k    string
	}
	var pts []point
	ok := true
	for k, v := range q {
		p, isQ := quantileProb(k)
		if !isQ {
			e.err(key+"."+k, "a quantile key is p and a percentage strictly between 0 and 100, such as p5, p50 or \"p2.5\"; found %q", k)
			ok = false
			continue
		}
		x, good := e.finite(key+"."+k, v)
		ok = ok && good
		pts = append(pts, point{p, x, k})
	}
	if !ok {
		return elicit.Judgement{}, false
	}
	if len(pts) < 2 {
		e.err(key, "needs at least two quantiles, such as p5, p50 and p95; found %d", len(pts)).missing = len(pts) == 0
		return elicit.Judgement{}, false
	}
	slices.SortFunc(pts, func(a, b point) int {
		if a.p < b.p {
			return -1
		}
		return 1
	})
	var j elicit.Judgement
	for i, pt := range pts {
		if i > 0 && !(pt.v > pts[i-1].v) {
			e.err(key+"."+pt.k, "quantiles must rise with their probability: %s = %s is not above %s = %s",
				pt.k, fmtNum(pt.v), pts[i-1].k, fmtNum(pts[i-1].v))
			return elicit.Judgement{}, false
		}
		if p := e.out.Param; target && (pt.v < p.Min || pt.v > p.Max) {
			e.err(key+"."+pt.k, "%s is outside the bounds of %s, [%s, %s]", fmtNum(pt.v), p.Key, fmtNum(p.Min), fmtNum(p.Max))
			return elicit.Judgement{}, false
		}
		j.Probs = append(j.Probs, pt.p)
		j.Values = append(j.Values, pt.v)
	}
	return j, true
}

// expertSeeds reads an expert's [experts.seeds] table: a judgement for
// every seed question, all at the same probabilities.
func (e *elicitFile) expertSeeds(key string, v any) []elicit.Judgement {
	key += ".seeds"
	if len(e.out.Seeds) == 0 {
		if v != nil {
			e.err(key, "there are no [[seeds]] questions for these judgements")
		}
		return nil
	}
	t, ok := v.(map[string]any)
	if !ok {
		if v == nil {
			e.err(strings.TrimSuffix(key, ".seeds"), "seeds missing: the expert's quantiles for each seed question, [experts.seeds] with %s = {p5 = ..., p50 = ..., p95 = ...}",
				e.out.Seeds[0]).missing = true
		} else {
			e.err(key, "expected a table of seed judgements, found %s", describe(v))
		}
		return nil
	}
	for _, k := range sortedKeys(t) {
		if _, known := e.seedKey[k]; !known {
			e.unknown(k, key+"."+k, e.out.Seeds, "the seed questions are "+strings.Join(e.out.Seeds, ", "))
		}
	}
	var out []elicit.Judgement
	for _, id := range e.out.Seeds {
		sk := key + "." + id
		q, ok := t[id].(map[string]any)
		if !ok {
			if _, has := t[id]; has {
				e.err(sk, "expected quantiles such as {p5 = ..., p50 = ..., p95 = ...}, found %s", describe(t[id]))
			} else {
				e.err(key, "no judgement for seed question %q", id)
			}
			return nil
		}
		j, ok := e.judgement(sk, q, false)
		if !ok {
			return nil
		}
		if e.probs == nil {
			e.probs, e.probsKey = j.Probs, sk
		} else if !slices.Equal(e.probs, j.Probs) {
			e.err(sk, "every seed judgement must give the same quantiles (the calibration score counts answers between them); %s gives %s",
				e.probsKey, probsText(e.probs))
			return nil
		}
		out = append(out, j)
	}
	return out
}

// probsText writes probabilities as the quantile keys: p5, p50, p95.
func probsText(ps []float64) string {
	s := make([]string, len(ps))
	for i, p := range ps {
		s[i] = "p" + strconv.FormatFloat(p*100, 'g', -1, 64)
	}
	return strings.Join(s, ", ")
}

// cutoff reads the classical model's calibration cut-off.
func (e *elicitFile) cutoff(m map[string]any) {
	e.out.Input.Cutoff = -1
	v, has := m["cutoff"]
	if !has {
		return
	}
	if len(e.out.Seeds) == 0 {
		e.err("cutoff", "a calibration cut-off needs [[seeds]] questions to score the experts on")
		return
	}
	x, ok := e.finite("cutoff", v)
	if !ok {
		return
	}
	if !(x >= 0 && x < 1) {
		e.err("cutoff", "expected a calibration score from 0 up to (not including) 1, found %s", fmtNum(x))
		return
	}
	e.out.Input.Cutoff = x
}
