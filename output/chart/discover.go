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

// TrajectoryStep is one step of a scenario-discovery peeling trajectory.
type TrajectoryStep struct {
	Coverage, Density float64 // fractions, 0 to 1
	Restricted        int     // inputs the box restricts
}

// Trajectory describes a peeling-trajectory chart: each step's coverage
// (the share of the cases of interest inside the box) against its density
// (the share of the box's runs that are cases of interest), the number of
// restricted inputs written where it changes, the chosen box ringed, and
// the share of cases over all runs as a reference line, and the box
// finally reported.
type Trajectory struct {
	Title, Subtitle, Source string
	Steps                   []TrajectoryStep
	Chosen                  int     // index into Steps
	Overall                 float64 // share of all runs that are cases of interest
	// Box is the box reported, after pasting and the significance check;
	// NaN coverage or density: none drawn.
	Box TrajectoryStep
}

var _ Chart = (*Trajectory)(nil)

// Write draws t and writes it to path; the format follows the extension.
func (t *Trajectory) Write(path string, width, height float64, dpi int) error {
	return writeFile(path, func(w io.Writer, format string) error { return t.Render(w, format, width, height, dpi) })
}

// Render draws t and writes it to w in format.
func (t *Trajectory) Render(w io.Writer, format string, width, height float64, dpi int) error {
	width, height = t.Size(width, height)
	return render(w, format, width, height, dpi, t.draw)
}

// Size implements Chart: 8 × 4.5 inches unless told otherwise.
func (t *Trajectory) Size(width, height float64) (float64, float64) {
	return defaultSize(width, height, DefaultHeight)
}

var trajectoryGrey = color.Gray{Y: 0x99}

func (t *Trajectory) draw(c draw.Canvas) {
	key := houseKey()
	key.Entries = []KeyEntry{
		{"step of peeling (number: inputs restricted)", thumb(func(c *draw.Canvas) {
			c.SetColor(Blue)
			c.Fill(circle(c.Center(), 3))
		})},
		{"step chosen", thumb(func(c *draw.Canvas) {
			c.SetLineStyle(draw.LineStyle{Color: Vermillion, Width: vg.Points(1.5)})
			c.Stroke(circle(c.Center(), 5))
		})},
		{"box reported", thumb(func(c *draw.Canvas) {
			c.SetColor(Vermillion)
			c.Fill(square(c.Center(), 3.5))
		})},
		{"all runs", &Line{LineStyle: draw.LineStyle{Color: trajectoryGrey, Width: vg.Points(1), Dashes: []vg.Length{vg.Points(3), vg.Points(2)}}}},
	}
	_, area := frame(c, t.Title, t.Subtitle, key, t.Source)
	if area.Size().Y <= 0 {
		return
	}
	p := percentPlot("coverage: share of the cases of interest inside the box", "density: share of the box's runs that are cases")
	p.Add(&trajectoryPlotter{t})
	p.Draw(area)
}

// percentPlot is a plot with both axes running 0% to 100%, in the house
// style: an x axis line with ticks, a y axis of labels over a grid.
func percentPlot(xLabel, yLabel string) *plot.Plot {
	p := plot.New()
	p.BackgroundColor = nil
	tick := sans(tickSize, tickColor, false)
	var ticks []plot.Tick
	for v := 0; v <= 100; v += 20 {
		ticks = append(ticks, plot.Tick{Value: float64(v), Label: fmt.Sprintf("%d%%", v)})
	}
	for _, ax := range []*plot.Axis{&p.X, &p.Y} {
		ax.Min, ax.Max = 0, 100
		ax.Tick.Marker = plot.ConstantTicks(ticks)
		ax.Tick.Label = tick
		ax.Label.TextStyle = tick
		ax.Padding = vg.Points(2)
	}
	p.X.LineStyle = draw.LineStyle{Color: axisColor, Width: vg.Points(0.75)}
	p.X.Tick.LineStyle = draw.LineStyle{Color: axisColor, Width: vg.Points(0.5)}
	p.X.Tick.Length = vg.Points(5)
	p.X.Tick.Label.XAlign, p.X.Tick.Label.YAlign = draw.XCenter, draw.YTop
	p.X.Label.Text = xLabel
	p.Y.LineStyle.Width = 0
	p.Y.Tick.Length = 0
	p.Y.Tick.Label.XAlign, p.Y.Tick.Label.YAlign = draw.XRight, draw.YCenter
	p.Y.Label.Text = yLabel
	p.Y.Label.TextStyle.XAlign, p.Y.Label.TextStyle.YAlign = draw.XCenter, draw.YBottom
	p.Y.Label.Padding = vg.Points(6)
	p.Add(&HGrid{LineStyle: draw.LineStyle{Color: gridColor, Width: vg.Points(0.5)},
		Zero: draw.LineStyle{Color: gridColor, Width: vg.Points(0.5)}})
	return p
}

// trajectoryPlotter draws the steps of a trajectory.
type trajectoryPlotter struct{ t *Trajectory }

func (tp *trajectoryPlotter) Plot(c draw.Canvas, p *plot.Plot) {
	t := tp.t
	tx, ty := transforms(&c, p)
	if finite(t.Overall) {
		y := ty(100 * t.Overall)
		c.StrokeLine2(draw.LineStyle{Color: trajectoryGrey, Width: vg.Points(1), Dashes: []vg.Length{vg.Points(3), vg.Points(2)}}, tx(0), y, tx(100), y)
	}
	// Steps without a finite coverage and density are left out.
	var pts []vg.Point
	var res []int
	chosen := -1
	for i, s := range t.Steps {
		if finite(s.Coverage) && finite(s.Density) {
			if i == t.Chosen {
				chosen = len(pts)
			}
			pts = append(pts, vg.Point{X: tx(100 * s.Coverage), Y: ty(100 * s.Density)})
			res = append(res, s.Restricted)
		}
	}
	if len(pts) > 1 {
		var path vg.Path
		path.Move(pts[0])
		for _, pt := range pts[1:] {
			path.Line(pt)
		}
		c.SetLineStyle(draw.LineStyle{Color: InnerColor, Width: vg.Points(1)})
		c.Stroke(path)
	}
	c.SetColor(Blue)
	for _, pt := range pts {
		c.Fill(circle(pt, 2.5))
	}
	// The number of restrictions is written where it changes, across the
	// path, unless the last number written is too near to read both.
	label := sans(eventSize, tickColor, false)
	label.XAlign, label.YAlign = draw.XCenter, draw.YCenter
	last := vg.Point{X: -1e9, Y: -1e9}
	for i, pt := range pts {
		if (i == 0 || res[i] != res[i-1]) && math.Hypot(float64(pt.X-last.X), float64(pt.Y-last.Y)) > trLabelGap {
			c.FillText(label, pt.Add(offPath(pts[max(0, i-1)], pts[min(len(pts)-1, i+1)])), fmt.Sprint(res[i]))
			last = pt
		}
	}
	if chosen >= 0 {
		c.SetLineStyle(draw.LineStyle{Color: Vermillion, Width: vg.Points(1.5)})
		c.Stroke(circle(pts[chosen], 6))
	}
	if finite(t.Box.Coverage) && finite(t.Box.Density) {
		pt := vg.Point{X: tx(100 * t.Box.Coverage), Y: ty(100 * t.Box.Density)}
		c.SetColor(Vermillion)
		c.Fill(square(pt, 4))
		box := sans(eventSize, Vermillion, true)
		box.XAlign, box.YAlign = draw.XCenter, draw.YTop
		c.FillText(box, vg.Point{X: pt.X, Y: pt.Y - 7}, fmt.Sprintf("box: %d", t.Box.Restricted))
	}
}

// trLabelGap is the least distance, in points, between two numbers on the
// trajectory chart.
const trLabelGap = 16

// offPath returns where, from a point of the path running from prev to
// next, its label goes: 9 points across the path, on the side below it.
func offPath(prev, next vg.Point) vg.Point {
	dx, dy := float64(next.X-prev.X), float64(next.Y-prev.Y)
	l := math.Hypot(dx, dy)
	if l == 0 {
		return vg.Point{Y: -9}
	}
	nx, ny := -dy/l, dx/l
	if ny > 0 {
		nx, ny = -nx, -ny
	}
	return vg.Point{X: vg.Length(9 * nx), Y: vg.Length(9 * ny)}
}

// square returns a square path of half-side r points around pt.
func square(pt vg.Point, r float64) vg.Path {
	d := vg.Points(r)
	var path vg.Path
	path.Move(vg.Point{X: pt.X - d, Y: pt.Y - d})
	path.Line(vg.Point{X: pt.X + d, Y: pt.Y - d})
	path.Line(vg.Point{X: pt.X + d, Y: pt.Y + d})
	path.Line(vg.Point{X: pt.X - d, Y: pt.Y + d})
	path.Close()
	return path
}

func (tp *trajectoryPlotter) DataRange() (xmin, xmax, ymin, ymax float64) { return 0, 100, 0, 100 }

// circle returns a closed circular path of radius r points around pt.
func circle(pt vg.Point, r float64) vg.Path {
	var path vg.Path
	path.Move(vg.Point{X: pt.X + vg.Points(r), Y: pt.Y})
	path.Arc(pt, vg.Points(r), 0, 2*math.Pi)
	path.Close()
	return path
}

// BoxRow is one input a discovered box restricts.
type BoxRow struct {
	Label string // e.g. "substitution.elasticity"
	Note  string // under the label, e.g. "quasi-p < 0.001"
	// The input's range over all runs, and the box's limits within it.
	PriorLo, PriorHi, Lo, Hi float64
	// The numbers as written at the ends of the bars.
	PriorLoText, PriorHiText, LoText, HiText string
}

// BoxChart describes a discovered box: for each restricted input, its
// range over all runs as a light bar and the box's range within it in blue.
type BoxChart struct {
	Title, Subtitle, Source string
	Rows                    []BoxRow
}

var _ Chart = (*BoxChart)(nil)

// Write draws b and writes it to path; the format follows the extension.
func (b *BoxChart) Write(path string, width, height float64, dpi int) error {
	return writeFile(path, func(w io.Writer, format string) error { return b.Render(w, format, width, height, dpi) })
}

// Render draws b and writes it to w in format.
func (b *BoxChart) Render(w io.Writer, format string, width, height float64, dpi int) error {
	width, height = b.Size(width, height)
	return render(w, format, width, height, dpi, b.draw)
}

// Measures of the box chart, in points.
const (
	bxRow      = 46 // row height
	bxBar      = 10 // bar height
	bxLabelGap = 12
	bxLabelMax = 0.35 // the label column's largest share of the page width
)

// Size implements Chart: 8 inches wide, as tall as the rows need.
func (b *BoxChart) Size(width, height float64) (float64, float64) {
	if width == 0 {
		width = DefaultWidth
	}
	if height == 0 {
		w := vg.Length(width) * vg.Inch
		h := headingHeight(w, b.Title, b.Subtitle) + sourceHeight(w, b.Source) + 40 + vg.Length(max(1, len(b.Rows)))*bxRow
		height = float64(h / vg.Inch)
	}
	return width, height
}

func (b *BoxChart) draw(c draw.Canvas) {
	key := houseKey()
	key.Entries = []KeyEntry{
		{"range over all runs", &Area{Color: OuterColor}},
		{"range inside the box", &Area{Color: Blue}},
	}
	page, area := frame(c, b.Title, b.Subtitle, key, b.Source)
	if area.Size().Y <= 0 {
		return
	}
	labelSty := sans(tickSize, textColor, false)
	noteSty := sans(eventSize, noteColor, false)
	numSty := sans(eventSize, tickColor, false)
	labelW := vg.Length(0)
	for _, r := range b.Rows {
		labelW = max(labelW, labelSty.Width(r.Label), noteSty.Width(r.Note))
	}
	labelW = min(labelW, page.Size().X*bxLabelMax)
	x0 := page.Min.X + labelW + bxLabelGap
	x1 := page.Max.X - 4
	if len(b.Rows) == 0 {
		(&Note{Text: "no input restricted: the box is all runs"}).Plot(area, nil)
		return
	}
	rowH := min(vg.Length(bxRow), area.Size().Y/vg.Length(len(b.Rows)))
	for i, r := range b.Rows {
		mid := area.Max.Y - rowH*(vg.Length(i)+0.5)
		fillLine(c, labelSty, page.Min.X, mid+2, ellipsize(labelSty, r.Label, labelW))
		fillLine(c, noteSty, page.Min.X, mid-noteSty.Font.Size-1, ellipsize(noteSty, r.Note, labelW))
		scale := func(v float64) vg.Length {
			span := r.PriorHi - r.PriorLo
			if !(span > 0) || !finite(v) {
				return x0
			}
			f := math.Max(0, math.Min(1, (v-r.PriorLo)/span))
			return x0 + (x1-x0)*vg.Length(f)
		}
		bar := func(lo, hi vg.Length, clr color.Color) {
			c.SetColor(clr)
			c.Fill(vg.Rectangle{Min: vg.Point{X: lo, Y: mid - bxBar/2}, Max: vg.Point{X: max(hi, lo+1.5), Y: mid + bxBar/2}}.Path())
		}
		bar(x0, x1, OuterColor)
		lo, hi := scale(r.Lo), scale(r.Hi)
		bar(lo, hi, Blue)
		below := mid - bxBar/2 - numSty.Font.Size - 1
		numSty.XAlign = draw.XLeft
		c.FillText(numSty, vg.Point{X: x0, Y: below}, r.PriorLoText)
		numSty.XAlign = draw.XRight
		c.FillText(numSty, vg.Point{X: x1, Y: below}, r.PriorHiText)
		above := mid + bxBar/2 + 2
		inSty := sans(eventSize, MedianColor, true)
		if lo > x0+1 {
			inSty.XAlign = draw.XCenter
			c.FillText(inSty, vg.Point{X: lo, Y: above}, r.LoText)
		}
		if hi < x1-1 {
			inSty.XAlign = draw.XCenter
			c.FillText(inSty, vg.Point{X: hi, Y: above}, r.HiText)
		}
	}
}
