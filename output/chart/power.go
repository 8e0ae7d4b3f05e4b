package chart

import (
	"math"
	"strings"

	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
)

// powerText sets text as text.Plain does, but for superscript digits and
// the superscript minus (as in 10²⁷), which it draws as ordinary digits,
// smaller and raised. Liberation Sans, the house font, lacks some
// superscript glyphs (⁰, ⁹, ⁻), and PDF's Windows-1252 encoding most of
// them; ordinary digits every font and format has.
type powerText struct {
	text.Plain
}

var _ text.Handler = powerText{}

// Superscripts are set at supSize of the text's size, their baseline
// supRise of it above the text's.
const (
	supSize = 0.7
	supRise = 0.38
)

// supDigits maps superscript characters to what is drawn for them.
var supDigits = map[rune]rune{
	'⁰': '0', '¹': '1', '²': '2', '³': '3', '⁴': '4', '⁵': '5', '⁶': '6', '⁷': '7', '⁸': '8', '⁹': '9', '⁻': '\u2212',
}

// run is a piece of one line set at one size: sup for a superscript.
type run struct {
	s   string
	sup bool
}

// supRuns splits a line into ordinary and superscript pieces; nil when it has
// no superscript.
func supRuns(line string) []run {
	if !strings.ContainsFunc(line, func(r rune) bool { _, ok := supDigits[r]; return ok }) {
		return nil
	}
	var out []run
	var b strings.Builder
	sup := false
	for _, r := range line {
		d, ok := supDigits[r]
		if ok != sup && b.Len() > 0 {
			out = append(out, run{b.String(), sup})
			b.Reset()
		}
		sup = ok
		if ok {
			r = d
		}
		b.WriteRune(r)
	}
	return append(out, run{b.String(), sup})
}

// width returns the width of line set in fnt.
func (h powerText) width(line string, fnt font.Font) vg.Length {
	rs := supRuns(line)
	if rs == nil {
		f := h.Fonts.Lookup(fnt, fnt.Size)
		return f.Width(line)
	}
	var w vg.Length
	for _, r := range rs {
		f := h.face(fnt, r.sup)
		w += f.Width(r.s)
	}
	return w
}

// face returns the face of a run: fnt, smaller for a superscript.
func (h powerText) face(fnt font.Font, sup bool) font.Face {
	if sup {
		fnt.Size *= supSize
	}
	return h.Fonts.Lookup(fnt, fnt.Size)
}

// Box implements text.Handler.
func (h powerText) Box(txt string, fnt font.Font) (width, height, depth vg.Length) {
	_, height, depth = h.Plain.Box(txt, fnt)
	return h.width(txt, fnt), height, depth
}

// Draw implements text.Handler: as text.Plain.Draw, each line in runs.
func (h powerText) Draw(c vg.Canvas, txt string, sty text.Style, pt vg.Point) {
	txt = strings.TrimRight(txt, "\n")
	if len(txt) == 0 {
		return
	}
	if !strings.ContainsFunc(txt, func(r rune) bool { _, ok := supDigits[r]; return ok }) {
		h.Plain.Draw(c, txt, sty, pt)
		return
	}
	fnt := h.Fonts.Lookup(sty.Font, sty.Font.Size)
	c.SetColor(sty.Color)
	if sty.Rotation != 0 {
		c.Push()
		c.Rotate(sty.Rotation)
	}
	sin64, cos64 := math.Sincos(sty.Rotation)
	cos, sin := vg.Length(cos64), vg.Length(sin64)
	pt.X, pt.Y = pt.Y*sin+pt.X*cos, pt.Y*cos-pt.X*sin

	lines := h.Lines(txt)
	pt.Y += sty.Height(txt)*vg.Length(sty.YAlign) - fnt.Extents().Ascent
	for i, line := range lines {
		at := pt.Add(vg.Point{X: vg.Length(sty.XAlign) * h.width(line, sty.Font), Y: vg.Length(len(lines)-i) * sty.Font.Size})
		rs := supRuns(line)
		if rs == nil {
			rs = []run{{line, false}}
		}
		for _, r := range rs {
			f := h.face(sty.Font, r.sup)
			p := at
			if r.sup {
				p.Y += supRise * sty.Font.Size
			}
			// Spaces at the ends of a run are advanced over, not drawn: an
			// SVG viewer collapses them at the ends of a text element.
			body := strings.TrimLeft(r.s, " ")
			p.X += f.Width(r.s[:len(r.s)-len(body)])
			c.FillString(f, p, strings.TrimRight(body, " "))
			at.X += f.Width(r.s)
		}
	}
	if sty.Rotation != 0 {
		c.Pop()
	}
}
