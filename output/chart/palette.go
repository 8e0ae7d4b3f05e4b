package chart

import "image/color"

// Palette holds the colours of series told apart by hue, in the order they
// are handed out: Okabe & Ito's palette (Color Universal Design, 2008),
// which readers with any common colour-vision deficiency tell apart. Its
// yellow is left out, being too light for lines on white, and its black
// comes last. Blue, first, is the colour of single-scenario charts, so a
// scenario keeps its colour from a fan chart to a comparison.
var Palette = []color.RGBA{
	Blue,
	Vermillion,
	{R: 0x00, G: 0x9E, B: 0x73, A: 0xFF}, // bluish green
	{R: 0xCC, G: 0x79, B: 0xA7, A: 0xFF}, // reddish purple
	{R: 0xE6, G: 0x9F, B: 0x00, A: 0xFF}, // orange
	{R: 0x56, G: 0xB4, B: 0xE9, A: 0xFF}, // sky blue
	{R: 0x00, G: 0x00, B: 0x00, A: 0xFF}, // black
}

// More colours for scenarios, beyond Palette: Paul Tol's "muted" scheme
// (SRON technical note SRON/EPS/TN/09-002, 2021), also distinguishable
// with the common colour-vision deficiencies, darkened where it was too
// light for a line on white.
var (
	Wine   = color.RGBA{R: 0x88, G: 0x22, B: 0x55, A: 0xFF}
	Olive  = color.RGBA{R: 0x99, G: 0x99, B: 0x33, A: 0xFF}
	Indigo = color.RGBA{R: 0x33, G: 0x22, B: 0x88, A: 0xFF}
	Teal   = color.RGBA{R: 0x44, G: 0xAA, B: 0x99, A: 0xFF}
	Purple = color.RGBA{R: 0xAA, G: 0x44, B: 0x99, A: 0xFF}
	Rose   = color.RGBA{R: 0xCC, G: 0x66, B: 0x77, A: 0xFF}
	Green  = color.RGBA{R: 0x11, G: 0x77, B: 0x33, A: 0xFF}
	Brown  = color.RGBA{R: 0x8C, G: 0x51, B: 0x0A, A: 0xFF}
)

// PaletteColor returns the i-th colour of Palette, starting over after
// the last.
func PaletteColor(i int) color.RGBA {
	if i < 0 {
		i = -i
	}
	return Palette[i%len(Palette)]
}

// shades returns the median, 50%-band and 90%-band colours of a series
// drawn in c: as the house blue's (MedianColor, InnerColor, OuterColor).
func shades(c color.Color) (median, inner, outer color.RGBA) {
	return mix(c, color.Black, 0.15), mix(c, color.White, 0.55), mix(c, color.White, 0.82)
}

// translucent returns c with opacity a in [0, 1], for bands that overlap.
func translucent(c color.Color, a float64) color.NRGBA {
	r, g, b, _ := c.RGBA()
	return color.NRGBA{R: uint8(r >> 8), G: uint8(g >> 8), B: uint8(b >> 8), A: uint8(a*255 + 0.5)}
}
