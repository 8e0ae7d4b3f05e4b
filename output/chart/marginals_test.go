package chart

import (
	"bytes"
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Marginals draws whatever its panels hold: no weight at all, NaNs, one
// bar, a log axis, a label too long for its tile; and refuses panels whose
// edges and bars disagree.
func TestMarginalsExtremeData(t *testing.T) {
	nan := math.NaN()
	m := &Marginals{Title: "t", Subtitle: "s", Source: "src", Panels: []MarginalPanel{
		{Label: "all zero", Edges: []float64{0, 1, 2}, Prior: []float64{0, 0}, Post: []float64{0, 0}},
		{Label: "NaN", Edges: []float64{0, nan, 2}, Prior: []float64{nan, 1}, Post: []float64{1, nan}},
		{Label: "one bar", Edges: []float64{3, 3}, Prior: []float64{1}, Post: []float64{1}},
		{Label: "log", Log: true, Edges: []float64{1e3, 1e4, 1e5}, Prior: []float64{1, 2}, Post: []float64{2, 1}, Note: "× 0.5"},
		{Label: "a parameter name far too long to fit the width of one of three tiles side by side", Edges: []float64{0, 1}, Prior: []float64{1}, Post: []float64{0}},
	}}
	for _, format := range []string{"png", "svg"} {
		var buf bytes.Buffer
		require.NoError(t, m.Render(&buf, format, 0, 0, 72), format)
		assert.NotZero(t, buf.Len())
	}
	var empty bytes.Buffer
	require.NoError(t, (&Marginals{Title: "none"}).Render(&empty, "svg", 0, 0, 0))
	bad := &Marginals{Panels: []MarginalPanel{{Label: "short", Edges: []float64{0, 1}, Prior: []float64{1, 2}, Post: []float64{1, 2}}}}
	assert.ErrorContains(t, bad.Render(&empty, "svg", 0, 0, 0), "short")
}
