package chart

import (
	"strings"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// Key is a one-line legend set above the chart, out of the data's way:
// a thumbnail and a label per entry, left to right.
type Key struct {
	Entries []KeyEntry
	Text    text.Style
	// Swatch is the size of each thumbnail.
	Swatch vg.Point
}

// KeyEntry is one item of a Key.
type KeyEntry struct {
	Label string
	Thumb plot.Thumbnailer
}

const (
	keyThumbGap = 4  // points between a thumbnail and its label
	keyEntryGap = 14 // points between entries
)

// Height is the height of the key's line.
func (k *Key) Height() vg.Length {
	return max(lineHeight(k.Text), k.Swatch.Y)
}

// Draw draws the key with its first thumbnail's left edge at x and the
// labels' baseline at baseline.
func (k *Key) Draw(c draw.Canvas, x, baseline vg.Length) {
	e := k.Text.FontExtents()
	// Centre thumbnails on the lower-case letters, about half the ascent.
	mid := baseline + e.Ascent*0.36
	for _, en := range k.Entries {
		thumb := draw.Canvas{Canvas: c.Canvas, Rectangle: vg.Rectangle{
			Min: vg.Point{X: x, Y: mid - k.Swatch.Y/2},
			Max: vg.Point{X: x + k.Swatch.X, Y: mid + k.Swatch.Y/2},
		}}
		en.Thumb.Thumbnail(&thumb)
		x += k.Swatch.X + keyThumbGap
		fillLine(c, k.Text, x, baseline, en.Label)
		x += k.Text.Width(en.Label) + keyEntryGap
	}
}

// Thumbnail implements plot.Thumbnailer: a filled swatch.
func (a *Area) Thumbnail(c *draw.Canvas) {
	c.FillPolygon(a.Color, []vg.Point{
		c.Min, {X: c.Max.X, Y: c.Min.Y}, c.Max, {X: c.Min.X, Y: c.Max.Y},
	})
}

// Thumbnail implements plot.Thumbnailer: a short horizontal stroke.
func (l *Line) Thumbnail(c *draw.Canvas) {
	y := c.Center().Y
	c.StrokeLine2(l.LineStyle, c.Min.X, y, c.Max.X, y)
}

// wrap breaks txt into lines no wider than width when set in sty, at spaces.
// A single word wider than width gets a line of its own.
func wrap(sty text.Style, txt string, width vg.Length) []string {
	var lines []string
	for _, para := range strings.Split(txt, "\n") {
		words := strings.Fields(para)
		if len(words) == 0 {
			continue
		}
		line := words[0]
		for _, w := range words[1:] {
			if sty.Width(line+" "+w) <= width {
				line += " " + w
				continue
			}
			lines = append(lines, line)
			line = w
		}
		lines = append(lines, line)
	}
	return lines
}

// heading draws title and subtitle, wrapped, at the top left of page and
// returns the height below them (less gapKey) where the next block may start.
func heading(c draw.Canvas, page draw.Canvas, title, subtitle string) vg.Length {
	width := page.Size().X
	top := page.Max.Y
	tsty := sans(titleSize, inkColor, true)
	for _, l := range wrap(tsty, title, width) {
		fillLine(c, tsty, page.Min.X, top-tsty.FontExtents().Ascent, l)
		top -= lineHeight(tsty)
	}
	if title != "" {
		top -= gapTitle
	}
	sub := sans(subtitleSize, textColor, false)
	for _, l := range wrap(sub, subtitle, width) {
		fillLine(c, sub, page.Min.X, top-sub.FontExtents().Ascent, l)
		top -= lineHeight(sub)
	}
	if title != "" || subtitle != "" {
		top -= gapKey
	}
	return top
}

// sourceLine draws the source note, wrapped, at the bottom left of page and
// returns the height above it (plus gapSource) where the chart may end.
func sourceLine(c draw.Canvas, page draw.Canvas, source string) vg.Length {
	bottom := page.Min.Y
	note := sans(sourceSize, noteColor, false)
	lines := wrap(note, source, page.Size().X)
	for i := len(lines) - 1; i >= 0; i-- {
		fillLine(c, note, page.Min.X, bottom+note.FontExtents().Descent, lines[i])
		bottom += lineHeight(note)
	}
	if len(lines) > 0 {
		bottom += gapSource
	}
	return bottom
}

// headingHeight is the height heading takes on a page width wide, gapKey
// included.
func headingHeight(width vg.Length, title, subtitle string) vg.Length {
	var h vg.Length
	tsty := sans(titleSize, inkColor, true)
	h += vg.Length(len(wrap(tsty, title, width))) * lineHeight(tsty)
	if title != "" {
		h += gapTitle
	}
	sub := sans(subtitleSize, textColor, false)
	h += vg.Length(len(wrap(sub, subtitle, width))) * lineHeight(sub)
	if title != "" || subtitle != "" {
		h += gapKey
	}
	return h
}

// sourceHeight is the height sourceLine takes on a page width wide,
// gapSource included.
func sourceHeight(width vg.Length, source string) vg.Length {
	note := sans(sourceSize, noteColor, false)
	n := len(wrap(note, source, width))
	if n == 0 {
		return 0
	}
	return vg.Length(n)*lineHeight(note) + gapSource
}

// entryWidth is the width of one entry of k: thumbnail, gap and label.
func (k *Key) entryWidth(e KeyEntry) vg.Length {
	return k.Swatch.X + keyThumbGap + k.Text.Width(e.Label)
}

// Split breaks k into keys of whole entries, each no wider than width (an
// entry wider than width gets a key of its own).
func (k *Key) Split(width vg.Length) []*Key {
	var (
		keys []*Key
		cur  *Key
		w    vg.Length
	)
	for _, e := range k.Entries {
		ew := k.entryWidth(e)
		if cur != nil && w+keyEntryGap+ew <= width {
			cur.Entries = append(cur.Entries, e)
			w += keyEntryGap + ew
			continue
		}
		cur = &Key{Text: k.Text, Swatch: k.Swatch, Entries: []KeyEntry{e}}
		keys = append(keys, cur)
		w = ew
	}
	return keys
}

// ellipsize shortens txt with a trailing "…" until it fits width when set
// in sty. Text that fits is returned as it is.
func ellipsize(sty text.Style, txt string, width vg.Length) string {
	if sty.Width(txt) <= width {
		return txt
	}
	r := []rune(txt)
	for i := len(r) - 1; i > 0; i-- {
		s := strings.TrimRight(string(r[:i]), " ,;:·–-") + "…"
		if sty.Width(s) <= width {
			return s
		}
	}
	return ""
}

// wrapLines wraps txt as wrap does into at most n lines no wider than
// width, ending the last with "…" when text is left over. (Two wrapped lines
// together never fit width, so the joined rest is always shortened.)
func wrapLines(sty text.Style, txt string, width vg.Length, n int) []string {
	if n < 1 {
		return nil
	}
	lines := wrap(sty, txt, width)
	if len(lines) > n {
		lines = append(lines[:n-1], ellipsize(sty, strings.Join(lines[n-1:], " "), width))
	}
	for i, l := range lines {
		lines[i] = ellipsize(sty, l, width)
	}
	return lines
}
