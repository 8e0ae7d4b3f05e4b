package chart

import (
	"fmt"
	"image/color"
	"io"
	"math"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// MarginalPanel is one quantity's prior and posterior, as histograms over
// shared bins: Edges has one more value than Prior and Post, whose bars
// are densities (any common scale: each histogram is drawn to its own
// peak share of the panel).
type MarginalPanel struct {
	Label string // e.g. the parameter's key
	Note  string // under the label, e.g. "90% interval × 0.42"
	Log   bool   // the edges are evenly spaced in log; the axis is logarithmic
	Edges []float64
	Prior []float64
	Post  []float64
}

// Marginals is small multiples of prior and posterior marginals: the
// prior drawn grey, the posterior blue over it.
type Marginals struct {
	Title, Subtitle, Source string
	Panels                  []MarginalPanel
}

var _ Chart = (*Marginals)(nil)

var priorGrey = color.Gray{Y: 0xC8}

// Write draws m to path; the format follows the extension.
func (m *Marginals) Write(path string, width, height float64, dpi int) error {
	return writeFile(path, func(w io.Writer, format string) error { return m.Render(w, format, width, height, dpi) })
}

// Render draws m and writes it to w in format.
func (m *Marginals) Render(w io.Writer, format string, width, height float64, dpi int) error {
	for _, p := range m.Panels {
		if len(p.Edges) != len(p.Prior)+1 || len(p.Prior) != len(p.Post) {
			return fmt.Errorf("chart: panel %q: %d edges for %d and %d bars", p.Label, len(p.Edges), len(p.Prior), len(p.Post))
		}
	}
	width, height = m.Size(width, height)
	return render(w, format, width, height, dpi, m.draw)
}

// cols is the number of panels a row.
func (m *Marginals) cols() int { return min(3, max(1, len(m.Panels))) }

// Size implements Chart: 8 inches wide, 1.9 inches a row of panels plus
// the captions.
func (m *Marginals) Size(width, height float64) (float64, float64) {
	rows := (len(m.Panels) + m.cols() - 1) / m.cols()
	return defaultSize(width, height, 1.5+1.9*float64(max(rows, 1)))
}

func (m *Marginals) draw(c draw.Canvas) {
	key := houseKey()
	key.Entries = []KeyEntry{
		{"prior", &Area{Color: priorGrey}},
		{"posterior", &Area{Color: translucent(Blue, 0.7)}},
	}
	_, area := frame(c, m.Title, m.Subtitle, key, m.Source)
	if area.Size().Y <= 0 || len(m.Panels) == 0 {
		return
	}
	cols := m.cols()
	rows := (len(m.Panels) + cols - 1) / cols
	tiles := draw.Tiles{Rows: rows, Cols: cols, PadX: vg.Points(18), PadY: vg.Points(12)}
	label := sans(tickSize, inkColor, true)
	note := sans(tickSize-0.5, textColor, false)
	for i := range m.Panels {
		tile := tiles.At(area, i%cols, i/cols)
		p := &m.Panels[i]
		// The label and note sit over the panel, left-aligned, cut to its
		// width; the histograms take the rest.
		y := tile.Max.Y - label.FontExtents().Ascent
		fillLine(tile, label, tile.Min.X, y, fitText(label, p.Label, tile.Size().X))
		y -= lineHeight(note)
		if p.Note != "" {
			fillLine(tile, note, tile.Min.X, y, fitText(note, p.Note, tile.Size().X))
		}
		body := tile
		body.Max.Y = y - note.FontExtents().Descent - vg.Points(4)
		if body.Size().Y <= 0 {
			continue
		}
		p.plot().Draw(body)
	}
}

// fitText cuts s with an ellipsis until it fits width.
func fitText(sty text.Style, s string, width vg.Length) string {
	if sty.Width(s) <= width {
		return s
	}
	r := []rune(s)
	for len(r) > 1 && sty.Width(string(r)+"…") > width {
		r = r[:len(r)-1]
	}
	return string(r) + "…"
}

// plot builds one panel's histograms and axis.
func (p *MarginalPanel) plot() *plot.Plot {
	pl := plot.New()
	pl.BackgroundColor = nil
	tick := sans(tickSize-1, tickColor, false)
	pl.X.Tick.Label = tick
	pl.X.Tick.Label.XAlign, pl.X.Tick.Label.YAlign = draw.XCenter, draw.YTop
	pl.X.LineStyle = draw.LineStyle{Color: axisColor, Width: vg.Points(0.75)}
	pl.X.Tick.LineStyle = draw.LineStyle{Color: axisColor, Width: vg.Points(0.5)}
	pl.X.Tick.Length = vg.Points(4)
	pl.X.Padding = 0
	pl.X.Tick.Marker = LinearTicks{}
	pl.Y.LineStyle.Width = 0
	pl.Y.Tick.Length = 0
	pl.Y.Tick.Marker = plot.ConstantTicks(nil)
	pl.Y.Padding = 0
	if p.Log {
		pl.X.Scale = plot.LogScale{}
		pl.X.Tick.Marker = LogTicks{}
	}
	pl.Add(&bars{edges: p.Edges, h: peakScaled(p.Prior), fill: priorGrey},
		&bars{edges: p.Edges, h: peakScaled(p.Post), fill: translucent(Blue, 0.7)})
	return pl
}

// peakScaled divides heights by their peak (all zero: left as is).
func peakScaled(h []float64) []float64 {
	peak := 0.0
	for _, v := range h {
		if finite(v) {
			peak = math.Max(peak, v)
		}
	}
	out := make([]float64, len(h))
	for i, v := range h {
		if peak > 0 && finite(v) {
			out[i] = v / peak
		}
	}
	return out
}

// bars is a histogram of given edges and heights (0 to 1).
type bars struct {
	edges, h []float64
	fill     color.Color
}

// Plot implements plot.Plotter.
func (b *bars) Plot(c draw.Canvas, p *plot.Plot) {
	tx, ty := p.Transforms(&c)
	for i, v := range b.h {
		if v <= 0 || !finite(b.edges[i]) || !finite(b.edges[i+1]) {
			continue
		}
		x0, x1 := tx(b.edges[i]), tx(b.edges[i+1])
		y0, y1 := ty(0), ty(v)
		c.FillPolygon(b.fill, []vg.Point{{X: x0, Y: y0}, {X: x1, Y: y0}, {X: x1, Y: y1}, {X: x0, Y: y1}})
	}
}

// DataRange implements plot.DataRanger.
func (b *bars) DataRange() (xmin, xmax, ymin, ymax float64) {
	xmin, xmax = extent(b.edges)
	return xmin, xmax, 0, 1.05
}
