package output

import (
	"hash/fnv"
	"image/color"
	"slices"

	"github.com/chokepoint-sim/chokepoint/output/chart"
)

// builtinColors are the colours of the built-in scenarios: fixed, so that a
// scenario has the same colour in every chart whatever the order it was
// named in. Current policy has the house blue of single-scenario charts;
// its usual counterpart, no controls, the colour that contrasts most with
// it. cmd/chokepoint's tests check that every built-in scenario is here.
var builtinColors = map[string]color.RGBA{
	"current-policy":      chart.Blue,
	"no-controls":         chart.Vermillion,
	"escalation-2025":     chart.Palette[2], // bluish green
	"relaxation":          chart.Palette[3], // reddish purple
	"biden-2022":          chart.Palette[4], // orange
	"biden-full":          chart.Palette[5], // sky blue
	"china-self-reliance": chart.Wine,
	"full-decoupling":     chart.Indigo,
	"leaky-enforcement":   chart.Olive,
}

// otherColors are the colours of other scenarios, none a built-in
// scenario's, so that a scenario of one's own never takes the colour of a
// built-in one beside it.
var otherColors = []color.RGBA{chart.Teal, chart.Purple, chart.Brown, chart.Rose, chart.Green,
	{R: 0x55, G: 0x55, B: 0x55, A: 0xFF}} // dark grey

// BuiltinColor returns the fixed colour of a built-in scenario's name.
func BuiltinColor(name string) (color.RGBA, bool) {
	c, ok := builtinColors[name]
	return c, ok
}

// ScenarioColors returns the colour of each scenario of names (as they
// appear together on one chart). A built-in scenario has its fixed
// colour; another the colour its name hashes to (FNV-1a) among
// otherColors, so the same in every chart. Two such names that hash to the
// same colour on one chart are told apart: taken in alphabetical order,
// which does not depend on the order they were named in, the later moves
// to the next colour no scenario of the chart has, while there is one.
func ScenarioColors(names []string) []color.Color {
	out := make([]color.Color, len(names))
	used := map[color.RGBA]bool{}
	var others []int
	for i, n := range names {
		if c, ok := builtinColors[n]; ok {
			out[i] = c
			used[c] = true
			continue
		}
		others = append(others, i)
	}
	slices.SortStableFunc(others, func(a, b int) int {
		switch {
		case names[a] < names[b]:
			return -1
		case names[a] > names[b]:
			return 1
		}
		return 0
	})
	given := map[string]color.RGBA{}
	for _, i := range others {
		if c, ok := given[names[i]]; ok { // the same scenario twice
			out[i] = c
			continue
		}
		h := fnv.New32a()
		h.Write([]byte(names[i]))
		k := int(h.Sum32() % uint32(len(otherColors)))
		c := otherColors[k]
		for j := 1; used[c] && j < len(otherColors); j++ {
			c = otherColors[(k+j)%len(otherColors)]
		}
		out[i], given[names[i]] = c, c
		used[c] = true
	}
	return out
}

// scenarioColor returns the colour of scenario s of the data, as on a
// chart of all the data's scenarios.
func (d *drawer) scenarioColor(s int) color.Color {
	if d.colors == nil {
		names := make([]string, len(d.data.Scenarios))
		for i, sc := range d.data.Scenarios {
			names[i] = sc.Name
		}
		d.colors = ScenarioColors(names)
	}
	return d.colors[s]
}
