package scenarios

import (
	"fmt"

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
		key := fmt.Sprintf("correlations[%d]", i)
		g := &corrGroup{key: key, f: f}
		okAll := true
		for _, k := range sortedKeys(m) {
			switch k {
			case "params", "rank", "matrix", "note", "source":
			default:
				f.unknown(key+"."+k, key+"."+k, []string{"params", "rank", "matrix", "note", "source"},
					"a correlation has params, and rank (two parameters) or matrix, and may have note and source")
				okAll = false
			}
		}
		names, ok := m["params"].([]any)
		if !ok || len(names) < 2 {
			f.err(key+".params", "expected a list of two or more parameter keys, found %s", describeOr(m["params"]))
			continue
		}
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
		if !okAll {
			continue
		}
		rank, hasRank := m["rank"]
		matrix, hasMatrix := m["matrix"]
		switch {
		case hasRank && hasMatrix:
			f.err(key, "give rank or matrix, not both")
			continue
		case hasRank:
			if len(g.params) != 2 {
				f.err(key+".rank", "rank is for two parameters; for %d give a matrix", len(g.params))
				continue
			}
			r, ok := number(rank)
			if !ok {
				f.err(key+".rank", "expected a number from -1 to 1, found %s", describe(rank))
				continue
			}
			g.matrix = [][]float64{{1, r}, {r, 1}}
		case hasMatrix:
			rows, ok := matrix.([]any)
			if !ok {
				f.err(key+".matrix", "expected a list of rows, found %s", describe(matrix))
				continue
			}
			bad := false
			for _, row := range rows {
				cells, ok := row.([]any)
				if !ok {
					bad = true
					break
				}
				var r []float64
				for _, c := range cells {
					x, ok := number(c)
					if !ok {
						bad = true
						break
					}
					r = append(r, x)
				}
				g.matrix = append(g.matrix, r)
			}
			if bad {
				f.err(key+".matrix", "expected rows of numbers")
				continue
			}
		default:
			f.err(key, "missing rank (two parameters) or matrix")
			continue
		}
		if _, err := sim.NewCorrelation(g.params, g.matrix); err != nil {
			msg := err.Error()
			if ce, ok := err.(*sim.CorrelationError); ok {
				msg = ce.Message(func(row int) string { return g.keys[row] })
			}
			f.err(key, "%s", msg)
			continue
		}
		f.corrs = append(f.corrs, g)
	}
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
