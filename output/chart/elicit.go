package chart

import (
	"fmt"
	"image/color"
	"io"
	"math"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// Elicitation draws the cumulative distribution of each expert's judgement
// of one quantity, thin and in a colour each, with a dot at each quantile
// the expert gave, and their pool, thick and dark, over them.
type Elicitation struct {
	Title, Subtitle string
	Unit            string // x-axis label
	Experts         []CDFCurve
	Pool            CDFCurve
	Source          string
}

// CDFCurve is one cumulative distribution: P over X, rising from 0 to 1,
// and the quantiles stated (QX at probabilities QP), if any.
type CDFCurve struct {
	Label  string
	X, P   []float64
	QX, QP []float64
}

var _ Chart = (*Elicitation)(nil)

// Write draws e and writes it to path; the format follows the extension.
func (e *Elicitation) Write(path string, width, height float64, dpi int) error {
	return writeFile(path, func(w io.Writer, format string) error { return e.Render(w, format, width, height, dpi) })
}

// Render draws e and writes it to w in format; sizes as for Fan.Render.
func (e *Elicitation) Render(w io.Writer, format string, width, height float64, dpi int) error {
	for _, c := range append([]CDFCurve{e.Pool}, e.Experts...) {
		if len(c.X) != len(c.P) || len(c.QX) != len(c.QP) {
			return fmt.Errorf("chart: curve %q has %d x and %d probabilities", c.Label, len(c.X), len(c.P))
		}
	}
	width, height = e.Size(width, height)
	return render(w, format, width, height, dpi, e.draw)
}

// Size implements Chart: 8 × 4.5 inches unless told otherwise.
func (e *Elicitation) Size(width, height float64) (float64, float64) {
	return defaultSize(width, height, DefaultHeight)
}

func (e *Elicitation) draw(cv draw.Canvas) {
	key := houseKey()
	var plotters, marks []plot.Plotter
	lo, hi := math.Inf(1), math.Inf(-1)
	for i, c := range e.Experts {
		clr := PaletteColor(i + 1) // the first colour is the pool's blue
		line := &Line{X: c.X, Y: c.P, LineStyle: draw.LineStyle{Color: clr, Width: vg.Points(1.5)}}
		plotters = append(plotters, line)
		marks = append(marks, &dots{X: c.QX, Y: c.QP, Color: clr})
		key.Entries = append(key.Entries, KeyEntry{c.Label, line})
		l, h := extent(c.X)
		lo, hi = math.Min(lo, l), math.Max(hi, h)
	}
	pool := &Line{X: e.Pool.X, Y: e.Pool.P, LineStyle: draw.LineStyle{Color: MedianColor, Width: vg.Points(3)}}
	plotters = append(append(plotters, pool), marks...) // the dots on top
	key.Entries = append(key.Entries, KeyEntry{e.Pool.Label, pool})
	l, h := extent(e.Pool.X)
	lo, hi = math.Min(lo, l), math.Max(hi, h)

	_, area := frame(cv, e.Title, e.Subtitle, key, e.Source)
	if area.Size().Y <= 0 {
		return
	}
	p, tick := xAxisPlot(e.Unit)
	if !(lo < hi) || math.IsInf(lo, 0) || math.IsInf(hi, 0) {
		lo, hi = 0, 1
	}
	var step float64
	p.X.Min, p.X.Max, step = niceRange(lo, hi)
	p.X.Tick.Marker = LinearTicks{Step: step}

	p.Y.LineStyle.Width = 0
	p.Y.Tick.Length = 0
	p.Y.Padding = vg.Points(2)
	p.Y.Tick.Label = tick
	p.Y.Tick.Label.XAlign, p.Y.Tick.Label.YAlign = draw.XRight, draw.YCenter
	p.Y.Label.Text = "probability of a value at most x"
	p.Y.Label.TextStyle = tick
	p.Y.Label.TextStyle.XAlign, p.Y.Label.TextStyle.YAlign = draw.XCenter, draw.YBottom
	p.Y.Label.Padding = vg.Points(6)
	p.Y.Min, p.Y.Max = 0, 1
	p.Y.Tick.Marker = PercentTicks{Step: 0.25}

	p.Add(&HGrid{LineStyle: draw.LineStyle{Color: gridColor, Width: vg.Points(0.5)}})
	p.Add(&VGrid{LineStyle: draw.LineStyle{Color: gridColor, Width: vg.Points(0.5)}})
	p.Add(plotters...)
	p.Draw(area)
}

// dots marks points with small filled circles, ringed in white so that
// they stand out on the lines.
type dots struct {
	X, Y  []float64
	Color color.Color
}

var _ plot.Plotter = (*dots)(nil)

// Plot implements plot.Plotter.
func (d *dots) Plot(c draw.Canvas, p *plot.Plot) {
	tx, ty := p.Transforms(&c)
	for i := range min(len(d.X), len(d.Y)) {
		if !finite(d.X[i]) || !finite(d.Y[i]) {
			continue
		}
		pt := vg.Point{X: tx(d.X[i]), Y: ty(d.Y[i])}
		if !c.Contains(pt) {
			continue
		}
		c.DrawGlyph(draw.GlyphStyle{Color: color.White, Radius: vg.Points(4), Shape: draw.CircleGlyph{}}, pt)
		c.DrawGlyph(draw.GlyphStyle{Color: d.Color, Radius: vg.Points(3), Shape: draw.CircleGlyph{}}, pt)
	}
}
