package output

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/chokepoint-sim/chokepoint/sim/discover"
)

// The box chart writes a switch by its levels: the bar's ends are its
// first and last level, the note names the levels the box keeps, and no
// cut at a half-way value is written; a continuous input keeps its
// numbers.
func TestBoxChartNamesSwitchLevels(t *testing.T) {
	r := &discover.Result{Rows: 100, Interest: 10,
		Prior:   []discover.Limit{{Lo: 0.1, Hi: 5}, {Lo: 0, Hi: 1}},
		Box:     discover.Box{Limits: []discover.Limit{{Lo: 1.02, Hi: 5}, {Lo: 0.5, Hi: 1}}, Restricted: []int{0, 1}, N: 20, K: 8},
		PValues: []float64{0.01, 0.0001}}
	d := &Discovery{Result: r, Params: []string{"enforcement.leakage_scale", "structure.smuggling"},
		Levels: [][]string{nil, {"network", "share"}}}
	bc := BoxChartOf(d)
	require.Len(t, bc.Rows, 2)
	assert.Equal(t, "1.02", bc.Rows[0].LoText)
	assert.Equal(t, "0.1", bc.Rows[0].PriorLoText)
	sw := bc.Rows[1]
	assert.Equal(t, "network", sw.PriorLoText)
	assert.Equal(t, "share", sw.PriorHiText)
	assert.Empty(t, sw.LoText)
	assert.Contains(t, sw.Note, "in the box: share")
}
