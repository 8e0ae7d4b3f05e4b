package scenarios

import (
	"fmt"
	"slices"

	"github.com/chokepoint-sim/chokepoint/sim"
)

// parseCorrelations reads [[correlations]] tables:
//
//	[[correlations]]
//	params = ["demand.budget_growth", "fab.capacity_growth"]
//	rank = 0.5                     # two parameters: one rank correlation
//	# or, for two or more:
//	matrix = [[1, 0.5], [0.5, 1]]  # Spearman rank correlations
//	note = "..."
func (f *file) parseCorrelations(v any) {
	arr, ok := v.([]map[string]any)
	if !ok {
		f.err("correlations", "expected [[correlations]] tables, found %s", describe(v))
		return
	}
	for i, m := range arr {
		if g := f.parseCorrelation(fmt.Sprintf("correlations[%d]", i), m); g != nil {
			f.corrs = append(f.corrs, g)
		}
	}
}

// corrKeys are the keys of a [[correlations]] table.
var corrKeys = []string{"params", "rank", "matrix", "note", "source"}

// parseCorrelation reads one [[correlations]] table at key; nil when it
// has errors, which are recorded.
func (f *file) parseCorrelation(key string, m map[string]any) *corrGroup {
	g := &corrGroup{key: key, f: f}
	okAll := true
	for _, k := range sortedKeys(m) {
		if !slices.Contains(corrKeys, k) {
			f.unknown(key+"."+k, key+"."+k, corrKeys,
				"a correlation has params, and rank (two parameters) or matrix, and may have note and source")
			okAll = false
		}
	}
	names, ok := m["params"].([]any)
	if !ok || len(names) < 2 {
		f.err(key+".params", "expected a list of two or more parameter keys, found %s", describeOr(m["params"]))
		return nil
	}
	if !f.corrParams(g, names) || !okAll || !f.corrMatrix(g, m) {
		return nil
	}
	if _, err := sim.NewCorrelation(g.params, g.matrix); err != nil {
		msg := err.Error()
		if ce, ok := err.(*sim.CorrelationError); ok {
			msg = ce.Message(func(row int) string { return g.keys[row] })
		}
		f.err(key, "%s", msg)
		return nil
	}
	return g
}

// corrParams reads a correlation's parameter keys into g; it reports
// whether all of them are known parameters, each listed once.
func (f *file) corrParams(g *corrGroup, names []any) bool {
	key := g.key
	okAll := true
	seen := map[int]bool{}
	for j, n := range names {
		s, ok := n.(string)
		at := fmt.Sprintf("%s.params[%d]", key, j)
		if !ok {
			f.errAt(at, key+".params", "expected parameter keys (strings), found %s", describe(n))
			okAll = false
			continue
		}
		idx, ok := f.reg.ParamIndex(s)
		if !ok {
			msg := fmt.Sprintf("unknown parameter %q", s)
			if sug := suggest(s, f.reg.ParamKeys()); sug != "" {
				msg += fmt.Sprintf(" (did you mean %q?)", sug)
			}
			f.errAt(at, key+".params", "%s", msg)
			okAll = false
			continue
		}
		if seen[idx] {
			f.errAt(at, key+".params", "%q is listed twice", s)
			okAll = false
			continue
		}
		seen[idx] = true
		g.params, g.keys = append(g.params, idx), append(g.keys, s)
	}
	return okAll
}

// corrMatrix reads a correlation's rank or matrix into g.matrix; it
// reports whether it found exactly one of them, well formed.
func (f *file) corrMatrix(g *corrGroup, m map[string]any) bool {
	key := g.key
	rank, hasRank := m["rank"]
	matrix, hasMatrix := m["matrix"]
	switch {
	case hasRank && hasMatrix:
		f.err(key, "give rank or matrix, not both")
		return false
	case hasRank:
		if len(g.params) != 2 {
			f.err(key+".rank", "rank is for two parameters; for %d give a matrix", len(g.params))
			return false
		}
		r, ok := number(rank)
		if !ok {
			f.err(key+".rank", "expected a number from -1 to 1, found %s", describe(rank))
			return false
		}
		g.matrix = [][]float64{{1, r}, {r, 1}}
	case hasMatrix:
		rows, ok := matrix.([]any)
		if !ok {
			f.err(key+".matrix", "expected a list of rows, found %s", describe(matrix))
			return false
		}
		if g.matrix, ok = numberRows(rows); !ok {
			f.err(key+".matrix", "expected rows of numbers")
			return false
		}
	default:
		f.err(key, "missing rank (two parameters) or matrix")
		return false
	}
	return true
}

// numberRows reads a list of rows of numbers; false when a row is not a
// list or a cell not a number.
func numberRows(rows []any) ([][]float64, bool) {
	var out [][]float64
	for _, row := range rows {
		cells, ok := row.([]any)
		if !ok {
			return nil, false
		}
		var r []float64
		for _, c := range cells {
			x, ok := number(c)
			if !ok {
				return nil, false
			}
			r = append(r, x)
		}
		out = append(out, r)
	}
	return out, true
}

func describeOr(v any) string {
	if v == nil {
		return "nothing"
	}
	return describe(v)
}

// compileCorrelations checks that no parameter is in two groups and builds
// the engine's correlations.
func compileCorrelations(groups []*corrGroup) ([]*sim.Correlation, error) {
	owner := map[int]*corrGroup{}
	var out []*sim.Correlation
	for _, g := range groups {
		for j, p := range g.params {
			if o, dup := owner[p]; dup && o != g {
				return nil, g.f.err(g.key+".params", "%q is already correlated in %s (line %d); a parameter may be in one group only",
					g.keys[j], o.key, o.f.lookup(o.key).Line)
			}
			owner[p] = g
		}
		c, err := sim.NewCorrelation(g.params, g.matrix)
		if err != nil {
			return nil, g.f.err(g.key, "%v", err)
		}
		out = append(out, c)
	}
	return out, nil
}
