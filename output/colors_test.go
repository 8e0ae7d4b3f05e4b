package output

import (
	"bytes"
	"fmt"
	"image/color"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/chokepoint-sim/chokepoint/sim"
)

// orderedData is testData with its scenarios in the order given (indices
// into testResult's), the first the base of the differences.
func orderedData(t *testing.T, runs int, order ...int) *ResultsData {
	res := testResult(runs)
	scs := make([]*sim.ScenarioResult, len(order))
	for i, o := range order {
		scs[i] = res.Scenarios[o]
	}
	res.Scenarios = scs
	return FromResult("0.1.0", res, res.Summaries(0), res.PairedDiffs(0, 0)).WithSamples(res)
}

// medianStroke matches a median line as vgsvg writes it (2 points wide);
// a chart draws its key first, in the order of its series.
var medianStroke = regexp.MustCompile(`stroke:(#[0-9A-F]{6});stroke-width:2"`)

func hexOf(c color.Color) string {
	r, g, b, _ := c.RGBA()
	return fmt.Sprintf("#%02X%02X%02X", r>>8, g>>8, b>>8)
}

// Acceptance 2 of issue 16: a scenario has the same colour in every chart,
// whatever the order the scenarios were named in. Seen in the SVG files:
// each comparison's key gives every scenario its fixed colour, and the
// charts of one scenario (fan, spaghetti) or pair (diff) are the same
// bytes in every order.
func TestScenarioColoursFollowNames(t *testing.T) {
	spec := ChartSpec{Kinds: []string{KindFan, KindCompare, KindDiff, KindSpaghetti}, Outputs: []string{"compute_stock_h100e"}}
	spec.Formats = []string{"svg"}
	byName := map[string][]byte{} // chart name → its SVG in the first order that drew it
	for _, order := range [][]int{{0, 1, 2}, {0, 2, 1}, {2, 1, 0}, {1, 0, 2}} {
		data := orderedData(t, 40, order...)
		charts, err := Charts(spec, data)
		require.NoError(t, err)
		for _, nc := range charts {
			var buf bytes.Buffer
			require.NoError(t, nc.Chart.Render(&buf, "svg", 0, 0, 0))
			if nc.Kind == KindCompare {
				strokes := medianStroke.FindAllStringSubmatch(buf.String(), len(data.Scenarios))
				require.Len(t, strokes, len(data.Scenarios))
				for s, sc := range data.Scenarios {
					want, ok := BuiltinColor(sc.Name)
					require.True(t, ok, sc.Name)
					assert.Equal(t, hexOf(want), strokes[s][1], "order %v: %s in the comparison", order, sc.Name)
				}
				continue
			}
			if prev, ok := byName[nc.Name]; ok {
				assert.True(t, bytes.Equal(prev, buf.Bytes()), "order %v: %s differs from the same chart in another order", order, nc.Name)
			} else {
				byName[nc.Name] = buf.Bytes()
			}
		}
	}
	// Each scenario's fan is drawn in its own colour: current policy's
	// median in the house blue's shade, the others not.
	const cpMedian = "stroke:#006097" // Blue darkened 15% (chart.MedianColor)
	for name, svg := range byName {
		switch {
		case strings.HasPrefix(name, "diff-"):
		case strings.Contains(name, "current-policy"):
			assert.True(t, strings.Contains(string(svg), cpMedian), "%s: no median in current policy's blue", name)
		default:
			assert.False(t, strings.Contains(string(svg), cpMedian), "%s: a median in current policy's blue", name)
		}
	}
}

// A scenario of one's own gets a colour from its name: the same in any
// chart and any order, none of a built-in scenario's, and two on one chart
// are told apart.
func TestScenarioColorsOthers(t *testing.T) {
	a := ScenarioColors([]string{"my-tariff", "current-policy", "my-ban"})
	b := ScenarioColors([]string{"my-ban", "my-tariff", "no-controls", "current-policy"})
	assert.Equal(t, a[0], b[1], "my-tariff")
	assert.Equal(t, a[2], b[0], "my-ban")
	assert.NotEqual(t, a[0], a[2], "two of one's own on one chart")
	for _, c := range append(a, b...) {
		for name, bc := range builtinColors {
			if c != color.Color(bc) {
				continue
			}
			assert.Contains(t, []string{"current-policy", "no-controls"}, name)
		}
	}
	// Built-in colours are all different.
	var seen []color.RGBA
	for name, c := range builtinColors {
		assert.False(t, slices.Contains(seen, c), "%s shares its colour", name)
		seen = append(seen, c)
	}
}
