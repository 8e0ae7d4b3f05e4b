package chart

import (
	"image/color"
	"math"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// usable reports whether y can be drawn on p's y axis (onAxis).
func usable(p *plot.Plot, y float64) bool {
	_, log := p.Y.Scale.(plot.LogScale)
	return onAxis(y, log)
}

// onAxis reports whether v is within what an axis can show: within
// ±axisLimit, and from axisTiny on a logarithmic axis (so positive).
func onAxis(v float64, log bool) bool {
	if log {
		return v >= axisTiny && v <= axisLimit
	}
	return v >= -axisLimit && v <= axisLimit
}

// runs calls f with each maximal run [i, j) of consecutive indices for which
// ok is true; a gap in the data is a gap in the chart, not a line across it.
func runs(n int, ok func(i int) bool, f func(i, j int)) {
	for i := 0; i < n; {
		if !ok(i) {
			i++
			continue
		}
		j := i + 1
		for j < n && ok(j) {
			j++
		}
		f(i, j)
		i = j
	}
}

func finite(x float64) bool { return !math.IsNaN(x) && !math.IsInf(x, 0) }

// transforms returns p's data-to-canvas transforms, with every point kept
// within ten times c's size of it: a value far beyond the axis (1e300 on
// an axis up to 1e6) would otherwise send the rasteriser into a fill of
// astronomic size. Points on or near the axes are left exactly as they are.
func transforms(c *draw.Canvas, p *plot.Plot) (tx, ty func(float64) vg.Length) {
	x, y := p.Transforms(c)
	w, h := c.Size().X, c.Size().Y
	bound := func(v, lo, hi, size vg.Length) vg.Length {
		return max(lo-10*size, min(hi+10*size, v))
	}
	tx = func(v float64) vg.Length { return bound(x(v), c.Min.X, c.Max.X, w) }
	ty = func(v float64) vg.Length { return bound(y(v), c.Min.Y, c.Max.Y, h) }
	return tx, ty
}

// Area fills the region between Lo and Hi over X: a quantile band. Points
// where X, Lo or Hi is not finite (or not positive on a log axis) are left
// out, breaking the band there.
type Area struct {
	X, Lo, Hi []float64
	Color     color.Color
}

var (
	_ plot.Plotter    = (*Area)(nil)
	_ plot.DataRanger = (*Area)(nil)
)

func (a *Area) ok(p *plot.Plot, i int) bool {
	return finite(a.X[i]) && usable(p, a.Lo[i]) && usable(p, a.Hi[i])
}

// Plot implements plot.Plotter.
func (a *Area) Plot(c draw.Canvas, p *plot.Plot) {
	tx, ty := transforms(&c, p)
	n := min(len(a.X), len(a.Lo), len(a.Hi))
	runs(n, func(i int) bool { return a.ok(p, i) }, func(i, j int) {
		if j-i < 2 {
			return // a band needs width
		}
		pts := make([]vg.Point, 0, 2*(j-i))
		for k := i; k < j; k++ {
			pts = append(pts, vg.Point{X: tx(a.X[k]), Y: ty(a.Hi[k])})
		}
		for k := j - 1; k >= i; k-- {
			pts = append(pts, vg.Point{X: tx(a.X[k]), Y: ty(a.Lo[k])})
		}
		c.FillPolygon(a.Color, c.ClipPolygonXY(pts))
	})
}

// DataRange implements plot.DataRanger over the finite points.
func (a *Area) DataRange() (xmin, xmax, ymin, ymax float64) {
	xmin, xmax = extent(a.X)
	lo, _ := extent(a.Lo)
	_, hi := extent(a.Hi)
	return xmin, xmax, lo, hi
}

// extent returns the least and greatest finite values of xs (+Inf and -Inf
// when there are none, which plot.Plot.Add ignores).
func extent(xs []float64) (lo, hi float64) {
	lo, hi = math.Inf(1), math.Inf(-1)
	for _, x := range xs {
		if finite(x) {
			lo, hi = math.Min(lo, x), math.Max(hi, x)
		}
	}
	return lo, hi
}

// Line draws Y over X as a polyline, broken where a point is not finite (or
// not positive on a log axis).
type Line struct {
	X, Y []float64
	draw.LineStyle
}

var (
	_ plot.Plotter    = (*Line)(nil)
	_ plot.DataRanger = (*Line)(nil)
)

// Plot implements plot.Plotter.
func (l *Line) Plot(c draw.Canvas, p *plot.Plot) {
	tx, ty := transforms(&c, p)
	n := min(len(l.X), len(l.Y))
	ok := func(i int) bool { return finite(l.X[i]) && usable(p, l.Y[i]) }
	runs(n, ok, func(i, j int) {
		if j-i < 2 {
			// A lone point between gaps: a dot the width of the line.
			pt := vg.Point{X: tx(l.X[i]), Y: ty(l.Y[i])}
			if c.Contains(pt) {
				c.DrawGlyph(draw.GlyphStyle{Color: l.Color, Radius: l.Width, Shape: draw.CircleGlyph{}}, pt)
			}
			return
		}
		pts := make([]vg.Point, 0, j-i)
		for k := i; k < j; k++ {
			pts = append(pts, vg.Point{X: tx(l.X[k]), Y: ty(l.Y[k])})
		}
		c.StrokeLines(l.LineStyle, c.ClipLinesXY(pts)...)
	})
}

// DataRange implements plot.DataRanger over the finite points.
func (l *Line) DataRange() (xmin, xmax, ymin, ymax float64) {
	xmin, xmax = extent(l.X)
	ymin, ymax = extent(l.Y)
	return xmin, xmax, ymin, ymax
}

// HGrid draws thin horizontal lines across the data area at the labelled
// ticks of the y axis: the reader's ruler, lighter than the data. Where the
// axis crosses zero (or Ref) inside the data area, that line is drawn in
// Zero instead, so gains and losses read against it.
type HGrid struct {
	draw.LineStyle
	Zero draw.LineStyle
	// Ref is the value of no change: 0 for differences, 1 for ratios.
	Ref float64
}

var _ plot.Plotter = (*HGrid)(nil)

// Plot implements plot.Plotter.
func (g *HGrid) Plot(c draw.Canvas, p *plot.Plot) {
	_, ty := p.Transforms(&c)
	for _, t := range p.Y.Tick.Marker.Ticks(p.Y.Min, p.Y.Max) {
		if t.IsMinor() || t.Value < p.Y.Min || t.Value > p.Y.Max {
			continue
		}
		sty := g.LineStyle
		if t.Value == g.Ref && p.Y.Min < g.Ref && g.Zero.Width > 0 {
			sty = g.Zero
		}
		y := ty(t.Value)
		c.StrokeLine2(sty, c.Min.X, y, c.Max.X, y)
	}
}

// Note writes one line of text across the middle of the data area: why
// there is nothing to see there.
type Note struct {
	Text string
}

var _ plot.Plotter = (*Note)(nil)

// Plot implements plot.Plotter.
func (n *Note) Plot(c draw.Canvas, _ *plot.Plot) {
	sty := sans(keySize, textColor, false)
	txt := ellipsize(sty, n.Text, c.Size().X)
	x, baseline := c.Center().X-sty.Width(txt)/2, c.Center().Y-sty.FontExtents().Ascent/2
	// A white ground keeps it clear of event lines.
	c.SetColor(color.White)
	c.Fill(vg.Rectangle{
		Min: vg.Point{X: x - 4, Y: baseline - sty.FontExtents().Descent - 2},
		Max: vg.Point{X: x + sty.Width(txt) + 4, Y: baseline + sty.FontExtents().Ascent + 2},
	}.Path())
	fillLine(c, sty, x, baseline, txt)
}

// Notes of a chart with nothing to draw.
const (
	noteNonPositive = "No positive values: a log scale cannot show zero or less"
	noteOffScale    = "No values within what a scale can show (1e-300 to 1e300)"
	noteNoValues    = "No values to draw"
)

// emptyNote returns what a chart with no drawable values says, or nil
// when some can be drawn. drawable counts the values that can be drawn
// (onAxis); nonPositive the finite ones left out for being 0 or less on a
// log axis; offScale the other finite ones left out.
func emptyNote(drawable, nonPositive, offScale int) *Note {
	switch {
	case drawable > 0:
		return nil
	case nonPositive > 0:
		return &Note{noteNonPositive}
	case offScale > 0:
		return &Note{noteOffScale}
	}
	return &Note{noteNoValues}
}
