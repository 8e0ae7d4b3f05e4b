package chart

import (
	"bytes"
	"regexp"
	"strings"

	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/vgpdf"
)

// pdfCanvas works around two faults of vgpdf in gonum/plot v0.17.0.
//
// Text: vgpdf registers its fonts with the Windows-1252 encoding but passes
// strings on as UTF-8, so "·" prints as "Â·". FillString recodes the text.
//
// Fonts: vgpdf names every embedded font file "font.z", and fpdf keeps font
// files by that name, so all embedded fonts of a document end up drawn with
// the glyphs of the last one registered (a bold title in regular glyphs at
// bold spacing). So only the regular face is embedded as a font; bold text
// (the title) is drawn as the filled outlines of its glyphs, as print
// designers often deliver headlines. It looks the same everywhere but cannot
// be selected as text.
type pdfCanvas struct {
	*vgpdf.Canvas
}

// FillString implements vg.Canvas.
func (c pdfCanvas) FillString(f font.Face, pt vg.Point, s string) {
	if f.Font.Weight != 0 || !inCP1252(s) {
		// Bold, or characters the font's encoding lacks (superscript
		// exponents): glyph outlines.
		c.fillOutlines(f, pt, s)
		return
	}
	c.Canvas.FillString(f, pt, toCP1252(s))
}

// fillOutlines fills the glyph outlines of s set in f, with the start of its
// baseline at pt, in the current colour. Advances and kerning are taken as
// font.Face.Width takes them, so the text fills the width that was measured.
func (c pdfCanvas) fillOutlines(f font.Face, pt vg.Point, s string) {
	// ppem is the em in 26.6 fixed point (256 pixels); outline coordinates
	// and advances come back in 1/64 pixel, so ppem of them make one em.
	// (Untyped constants: the sfnt parameter types need no import.)
	const ppem = 1 << 14
	var (
		face    = f.Face
		scale   = f.Font.Size / ppem
		x       = pt.X
		path    vg.Path
		started bool
		prev    rune // the previous rune, for kerning
	)
	at := func(fx, fy int32) vg.Point {
		// Outline y grows downwards.
		return vg.Point{X: x + vg.Length(fx)*scale, Y: pt.Y - vg.Length(fy)*scale}
	}
	for i, r := range s {
		g, err := face.GlyphIndex(nil, r)
		if err != nil {
			continue
		}
		if i > 0 {
			pg, _ := face.GlyphIndex(nil, prev)
			if k, err := face.Kern(nil, pg, g, ppem, 0); err == nil {
				x += vg.Length(k) * scale
			}
		}
		prev = r
		segs, err := face.LoadGlyph(nil, g, ppem, nil)
		if err == nil {
			for _, sg := range segs {
				a := sg.Args
				switch sg.Op { // sfnt.SegmentOpMoveTo, LineTo, QuadTo, CubeTo
				case 0:
					if started {
						path.Close()
					}
					path.Move(at(int32(a[0].X), int32(a[0].Y)))
					started = true
				case 1:
					path.Line(at(int32(a[0].X), int32(a[0].Y)))
				case 2:
					path.QuadTo(at(int32(a[0].X), int32(a[0].Y)), at(int32(a[1].X), int32(a[1].Y)))
				case 3:
					path.CubeTo(at(int32(a[0].X), int32(a[0].Y)), at(int32(a[1].X), int32(a[1].Y)), at(int32(a[2].X), int32(a[2].Y)))
				}
			}
		}
		if adv, err := face.GlyphAdvance(nil, g, ppem, 0); err == nil {
			x += vg.Length(adv) * scale
		}
	}
	if started {
		path.Close()
		c.Fill(path)
	}
}

// cp1252 maps the characters of Windows-1252's 0x80–0x9F row; 0xA0–0xFF are
// Latin-1, which is Unicode's first 256 code points.
var cp1252 = map[rune]byte{
	'€': 0x80, '‚': 0x82, 'ƒ': 0x83, '„': 0x84, '…': 0x85, '†': 0x86, '‡': 0x87,
	'ˆ': 0x88, '‰': 0x89, 'Š': 0x8A, '‹': 0x8B, 'Œ': 0x8C, 'Ž': 0x8E,
	'‘': 0x91, '’': 0x92, '“': 0x93, '”': 0x94, '•': 0x95, '–': 0x96, '—': 0x97,
	'˜': 0x98, '™': 0x99, 'š': 0x9A, '›': 0x9B, 'œ': 0x9C, 'ž': 0x9E, 'Ÿ': 0x9F,
	'\u2212': 0x96, // minus sign, which Windows-1252 lacks: the en dash is closest
}

// inCP1252 reports whether Windows-1252 has every character of s.
func inCP1252(s string) bool {
	for _, r := range s {
		if _, ok := cp1252[r]; !ok && !(r < 0x80 || (r >= 0xA0 && r <= 0xFF)) {
			return false
		}
	}
	return true
}

// toCP1252 recodes s from UTF-8 to Windows-1252; characters it lacks
// become "?".
func toCP1252(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch c, ok := cp1252[r]; {
		case ok:
			b.WriteByte(c)
		case r < 0x80 || (r >= 0xA0 && r <= 0xFF):
			b.WriteByte(byte(r))
		default:
			b.WriteByte('?')
		}
	}
	return b.String()
}

// pdfDate matches the creation and modification dates fpdf stamps from the
// clock.
var pdfDate = regexp.MustCompile(`/(CreationDate|ModDate) \(D:[0-9]{14}\)`)

// pdfFixDates replaces the clock times in a PDF's info dictionary with the
// Unix epoch, so the same chart gives the same bytes (DESIGN.md: output files
// are byte-identical for the same inputs). The replacement has the same
// length, so the cross-reference offsets stay right.
func pdfFixDates(pdf []byte) []byte {
	return pdfDate.ReplaceAllFunc(pdf, func(m []byte) []byte {
		i := bytes.Index(m, []byte("(D:"))
		return append(m[:i:i], "(D:19700101000000)"...)
	})
}
