package chart

import (
	"image/color"

	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/font/liberation"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// Colours. The blue is Okabe & Ito's "blue" (Color Universal Design, 2008),
// which readers with any common colour-vision deficiency tell apart from the
// rest of that palette. The shades are the blue mixed with white and kept
// opaque, so the 50% band drawn over the 90% band shows exactly its legend
// colour, in every output format.
var (
	Blue        = color.RGBA{R: 0x00, G: 0x72, B: 0xB2, A: 0xFF}
	MedianColor = mix(Blue, color.Black, 0.15) // a touch darker, to stand out on the 50% band
	InnerColor  = mix(Blue, color.White, 0.55) // 25–75% of runs
	OuterColor  = mix(Blue, color.White, 0.82) // 5–95% of runs

	inkColor   = color.Gray{Y: 0x1A} // title
	textColor  = color.Gray{Y: 0x40} // subtitle, key
	tickColor  = color.Gray{Y: 0x55} // tick labels, axis label
	eventColor = color.Gray{Y: 0x70} // event lines and labels
	noteColor  = color.Gray{Y: 0x70} // source line
	axisColor  = color.Gray{Y: 0x55}
	gridColor  = color.Gray{Y: 0xDD}
)

// mix returns c moved the fraction t of the way towards to, opaque.
func mix(c, to color.Color, t float64) color.RGBA {
	r0, g0, b0, _ := c.RGBA()
	r1, g1, b1, _ := to.RGBA()
	f := func(a, b uint32) uint8 {
		return uint8((float64(a)*(1-t) + float64(b)*t) / 257)
	}
	return color.RGBA{R: f(r0, r1), G: f(g0, g1), B: f(b0, b1), A: 0xFF}
}

// Font weights of golang.org/x/image/font, written as numbers so that this
// package imports nothing beyond the standard library and gonum.
const (
	weightSemiBold = 2 // font.WeightSemiBold
	weightBold     = 3 // font.WeightBold
)

// fonts holds gonum/plot's Liberation fonts, with Liberation Sans Bold filed
// a second time as semi-bold. The PDF backend (vgpdf in gonum/plot v0.17.0)
// registers every font without a style but asks for a font of weight exactly
// bold with style "B", so bold text fails there ("undefined font:
// liberationsans-bold B"); under another weight the same face goes through.
// A cache of our own leaves plot.DefaultTextHandler as it was.
var fonts = func() *font.Cache {
	coll := liberation.Collection()
	for _, f := range coll {
		if f.Font.Variant == "Sans" && f.Font.Weight == weightBold && f.Font.Style == 0 {
			semi := f
			semi.Font.Weight = weightSemiBold
			coll = append(coll, semi)
			break
		}
	}
	return font.NewCache(coll)
}()

// textHandler sets plain text in fonts.
var textHandler = powerText{text.Plain{Fonts: fonts}}

// Type sizes in points, for a chart about 8 inches wide.
const (
	titleSize    = 15
	subtitleSize = 10.5
	keySize      = 9
	tickSize     = 9
	eventSize    = 8
	sourceSize   = 7.5
)

// sans returns a Liberation Sans text style (embedded in gonum/plot, metric
// compatible with Arial and Helvetica, which newspaper templates use).
func sans(size vg.Length, clr color.Color, bold bool) text.Style {
	f := font.Font{Typeface: "Liberation", Variant: "Sans"}
	if bold {
		f.Weight = weightSemiBold // drawn with the bold face; see fonts
	}
	return text.Style{
		Color:   clr,
		Font:    font.From(f, size),
		XAlign:  draw.XLeft,
		YAlign:  draw.YBottom,
		Handler: textHandler,
	}
}

// fillLine draws one line of text with its baseline at y. (text.Plain places
// a bottom-aligned line by the font size, not the baseline, so convert.)
func fillLine(c draw.Canvas, sty text.Style, x, baseline vg.Length, txt string) {
	sty.YAlign = draw.YBottom
	e := sty.FontExtents()
	c.FillText(sty, vg.Point{X: x, Y: baseline - (sty.Font.Size - e.Ascent)}, txt)
}

// lineHeight is the distance between baselines of lines set in sty.
func lineHeight(sty text.Style) vg.Length {
	return sty.FontExtents().Height * 1.1
}
