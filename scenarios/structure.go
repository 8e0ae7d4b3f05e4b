package scenarios

import (
	"fmt"
	"strings"

	"github.com/chokepoint-sim/chokepoint/sim"
	"github.com/chokepoint-sim/chokepoint/sim/dist"
)

// parseStructure reads [structure], which pins structural switches by the
// names of their formulations: smuggling = "network" fixes the parameter
// structure.smuggling at the value of its level "network", as writing
// that number under [params] would.
func (f *file) parseStructure(v any) {
	t, ok := v.(map[string]any)
	if !ok {
		f.err("structure", "expected a table of formulations such as %s, found %s", f.structureExample(), describe(v))
		return
	}
	switches := f.switches()
	for _, k := range sortedKeys(t) {
		key := "structure." + k
		i, ok := f.reg.ParamIndex(sim.StructurePrefix + k)
		if !ok || len(f.reg.Params[i].Levels) == 0 {
			f.errLater(key, func() string {
				if s := suggest(k, switches); s != "" {
					return fmt.Sprintf("unknown structural switch (did you mean %q?); expected one of %s", s, strings.Join(switches, ", "))
				}
				return "unknown structural switch; expected one of " + strings.Join(switches, ", ")
			})
			continue
		}
		f.pinLevel(i, key, t[k])
	}
}

// pinLevel fixes parameter i at the level named by v.
func (f *file) pinLevel(i int, key string, v any) {
	p := &f.reg.Params[i]
	expected := strings.Join(p.Levels, ", ")
	name, ok := v.(string)
	if !ok {
		f.err(key, "expected the name of a formulation, one of %s; found %s", expected, describe(v))
		return
	}
	level := p.Level(name)
	if level < 0 {
		if s := suggest(name, p.Levels); s != "" {
			f.err(key, "unknown formulation %q (did you mean %q?); expected one of %s", name, s, expected)
		} else {
			f.err(key, "unknown formulation %q; expected one of %s", name, expected)
		}
		return
	}
	if prev, dup := f.params[i]; dup {
		f.err(key, "parameter %s is also set at %s; pin it in one place", p.Key, prev.key)
		return
	}
	d, err := dist.Parse(float64(level))
	if err != nil {
		panic(err) // a small whole number always parses
	}
	f.params[i] = &paramValue{dist: d, key: key}
}

// switches lists the names [structure] takes: the registry's structural
// switches without their prefix.
func (f *file) switches() []string {
	var out []string
	for _, p := range f.reg.Params {
		if name, ok := strings.CutPrefix(p.Key, sim.StructurePrefix); ok && len(p.Levels) > 0 {
			out = append(out, name)
		}
	}
	return out
}

// structureExample is a [structure] line for an error message, made from
// the registry's first switch.
func (f *file) structureExample() string {
	for _, p := range f.reg.Params {
		if name, ok := strings.CutPrefix(p.Key, sim.StructurePrefix); ok && len(p.Levels) > 0 {
			return fmt.Sprintf("%s = %q", name, p.Levels[0])
		}
	}
	return `name = "formulation"`
}

// paramText writes parameter p's distribution d for people (sim.Param's
// Describe: level names, mixtures with their 90% range).
func paramText(p *sim.Param, d dist.Dist) string { return p.Describe(d) }
