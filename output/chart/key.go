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
