package sim

import (
	"fmt"
	"math"
	"strings"

	"github.com/chokepoint-sim/chokepoint/sim/dist"
)

// StructurePrefix begins the key of every structural switch: the
// parameters a scenario's [structure] table pins by name ([structure]
// smuggling = "network" fixes the parameter structure.smuggling at the
// value of its level "network").
const StructurePrefix = "structure."

// checkLevels panics unless p's level names are distinct names numbered
// from Min = 0 to Max.
func (p *Param) checkLevels() {
	if p.Levels == nil {
		return
	}
	if p.Min != 0 || p.Max != float64(len(p.Levels)-1) {
		panic(fmt.Sprintf("sim: parameter %s has %d levels but bounds [%g, %g]", p.Key, len(p.Levels), p.Min, p.Max))
	}
	for i, l := range p.Levels {
		if err := CheckName(l); err != nil {
			panic(fmt.Sprintf("sim: parameter %s level %d: %v", p.Key, i, err))
		}
		for _, o := range p.Levels[:i] {
			if o == l {
				panic("sim: parameter " + p.Key + " has the level " + l + " twice")
			}
		}
	}
}

// Level returns the index of the level named name, or -1.
func (p *Param) Level(name string) int {
	for i, l := range p.Levels {
		if l == name {
			return i
		}
	}
	return -1
}

// LevelName returns the name of the level a value v selects (rounded to
// the nearest, as the model reads it), or "" when p has no levels.
func (p *Param) LevelName(v float64) string {
	if len(p.Levels) == 0 || math.IsNaN(v) {
		return ""
	}
	i := int(math.Round(math.Min(math.Max(v, 0), float64(len(p.Levels)-1))))
	return p.Levels[i]
}

// Pinned returns the level a distribution fixes p at, or "" when p has no
// levels or d is not a fixed value.
func (p *Param) Pinned(d dist.Dist) string {
	if lo, hi := d.Support(); lo == hi {
		return p.LevelName(lo)
	}
	return ""
}

// Describe writes a distribution of p for people: a mixture with its
// shares and 90% range; for a structural switch, the level a fixed value
// names ("1 (share)") or the share of each level a discrete draw gives
// ("network (0) 66.7%, share (1) 33.3%"); otherwise scenario syntax.
func (p *Param) Describe(d dist.Dist) string {
	if len(p.Levels) == 0 {
		return dist.Readable(d)
	}
	if name := p.Pinned(d); name != "" {
		lo, _ := d.Support()
		return fmt.Sprintf("%s (%s)", FormatNumber(lo), name)
	}
	if dd, ok := d.(dist.Discrete); ok {
		share := make([]float64, len(p.Levels))
		vals, probs := dd.Points()
		for i, v := range vals {
			share[p.Level(p.LevelName(v))] += probs[i]
		}
		var parts []string
		for i, s := range share {
			if s > 0 {
				parts = append(parts, fmt.Sprintf("%s (%d) %s%%", p.Levels[i], i, FormatNumber(math.Round(1000*s)/10)))
			}
		}
		return strings.Join(parts, ", ")
	}
	return dist.Readable(d)
}
