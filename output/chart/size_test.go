package chart

import (
	"bytes"
	"math"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Sizes outside the limits are refused before anything is drawn; a PNG
// of more than MaxPixels is refused at once, without allocating it.
func TestSizeLimits(t *testing.T) {
	for _, tc := range []struct {
		width, height float64
		dpi           int
	}{
		{math.NaN(), 0, 0},   // not a number
		{math.Inf(1), 0, 0},  // infinite
		{0, math.Inf(-1), 0}, // infinite
		{-1, 0, 0},           // negative
		{1e6, 0, 0},          // a million inches: the 720 GB raster
		{0.05, 0, 0},         // under MinInches
		{0, 101, 0},          // over MaxInches
		{0, 0, -72},          // negative resolution
		{0, 0, 2401},         // over MaxDPI
	} {
		assert.Error(t, CheckSize(tc.width, tc.height, tc.dpi), "%g × %g at %d", tc.width, tc.height, tc.dpi)
		assert.Error(t, CheckDrawable(testFan(), "png", tc.width, tc.height, tc.dpi), "%g × %g at %d", tc.width, tc.height, tc.dpi)
	}
	require.NoError(t, CheckSize(0, 0, 0)) // every default
	require.NoError(t, CheckSize(MinInches, MaxInches, MaxDPI))

	// 8 × 4.5 inches at 2,400 dpi is 207.4 million pixels: too many for a
	// PNG, nothing to an SVG or a PDF.
	err := CheckDrawable(testFan(), "png", 0, 0, 2400)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "8 × 4.5 inches at 2400 dpi is 208 million pixels; at most 100 million")
	assert.NoError(t, CheckDrawable(testFan(), "svg", 0, 0, 2400))
	assert.NoError(t, CheckDrawable(testFan(), "pdf", 0, 0, 2400))
	// 100 million pixels exactly: 50 × 50 inches at 200 dpi (10,000 px a side).
	assert.NoError(t, CheckDrawable(testFan(), "png", 50, 50, 200))

	// A chart whose own height is too much: 200 panels of a distribution
	// chart want 2 + 0.85 × 200 = 172 inches.
	many := &Distribution{Samples: make([]Sample, 200)}
	assert.Error(t, CheckDrawable(many, "svg", 0, 0, 0))

	start := time.Now()
	var buf bytes.Buffer
	err = testFan().Render(&buf, "png", 100, 100, 2400) // 57.6 billion pixels
	require.Error(t, err)
	assert.Less(t, time.Since(start), time.Second, "refused before drawing")
	assert.Zero(t, buf.Len())
}
