package chart

import (
	"bytes"
	"fmt"
	"image/color"
	"io"
	"math"
	"os"
	"path/filepath"
	"strings"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
	"gonum.org/v1/plot/vg/vgpdf"
	"gonum.org/v1/plot/vg/vgsvg"
)

// Band holds one output's quantiles over time for one scenario.
type Band struct {
	Scenario string    // e.g. "current-policy"
	X        []float64 // decimal years at the start of each quarter: 2020.0, 2020.25, ...

	P05, P25, P50, P75, P95 []float64 // same length as X
}

// Event is a dated policy event to mark with a thin vertical line and a short label.
type Event struct {
	X     float64
	Label string
}

// Fan describes one fan chart: the median of an output over time, with the
// middle 50% and 90% of Monte Carlo runs shaded around it.
type Fan struct {
	Title    string // e.g. "China's installed AI compute"
	Subtitle string // e.g. "H100-equivalents (training basis), current-policy scenario"
	Unit     string // y-axis label, e.g. "H100e"
	Log      bool   // logarithmic y axis (for FLOP etc.); values <= 0 are dropped from a log chart
	Band     Band
	Events   []Event // may be empty
	Source   string  // bottom line, e.g. "chokepoint v0.1.0 · current-policy · 1,000 runs · seed 7"
}

// Defaults for Write and Render.
const (
	DefaultWidth  = 8   // inches: a newspaper web column at 2x
	DefaultHeight = 4.5 // inches: 16:9
	DefaultDPI    = 200
)

// Write draws f and writes it to path; the format follows the extension
// (.png, .svg, .pdf). width and height are in inches (8 × 4.5 when zero); dpi
// is for PNG (200 when zero). Nothing is written if drawing fails.
func (f *Fan) Write(path string, width, height float64, dpi int) error {
	var buf bytes.Buffer
	if err := f.Render(&buf, filepath.Ext(path), width, height, dpi); err != nil {
		return err
	}
	return os.WriteFile(path, buf.Bytes(), 0o644)
}

// Render draws f and writes it to w in format ("png", "svg" or "pdf", with
// or without a leading dot); width, height and dpi as for Write.
func (f *Fan) Render(w io.Writer, format string, width, height float64, dpi int) error {
	if err := f.check(); err != nil {
		return err
	}
	if height == 0 {
		height = DefaultHeight
	}
	return render(w, format, width, height, dpi, f.draw)
}

// render sets up a canvas of width × height inches (DefaultWidth wide when
// width is zero) in format, draws on it with paint and writes the result to
// w. dpi is for PNG (DefaultDPI when zero). PDF creation dates are fixed so
// the same chart gives the same bytes.
func render(w io.Writer, format string, width, height float64, dpi int, paint func(draw.Canvas)) error {
	if width == 0 {
		width = DefaultWidth
	}
	if dpi == 0 {
		dpi = DefaultDPI
	}
	if !(width > 0 && height > 0) || math.IsInf(width, 0) || math.IsInf(height, 0) {
		return fmt.Errorf("chart: size %g × %g inches: want positive numbers", width, height)
	}
	if dpi < 0 {
		return fmt.Errorf("chart: dpi %d: want a positive number", dpi)
	}
	wl, hl := vg.Length(width)*vg.Inch, vg.Length(height)*vg.Inch

	var (
		canvas vg.CanvasWriterTo
		isPDF  bool
	)
	switch strings.ToLower(strings.TrimPrefix(format, ".")) {
	case "png":
		canvas = vgimg.PngCanvas{Canvas: vgimg.NewWith(vgimg.UseWH(wl, hl), vgimg.UseDPI(dpi))}
	case "svg":
		// Embedded fonts keep an SVG looking the same on machines without
		// Liberation Sans, which browsers would otherwise replace with serif.
		canvas = vgsvg.NewWith(vgsvg.UseWH(wl, hl), vgsvg.EmbedFonts(true))
	case "pdf":
		canvas, isPDF = pdfCanvas{vgpdf.New(wl, hl)}, true
	default:
		return fmt.Errorf("chart: format %q: want png, svg or pdf", format)
	}

	paint(draw.New(canvas))

	if !isPDF {
		_, err := canvas.WriteTo(w)
		return err
	}
	var buf bytes.Buffer
	if _, err := canvas.WriteTo(&buf); err != nil {
		return err
	}
	_, err := w.Write(pdfFixDates(buf.Bytes()))
	return err
}

// check reports quantile slices whose length differs from X's.
func (f *Fan) check() error {
	b := f.Band
	for _, q := range []struct {
		name string
		v    []float64
	}{{"P05", b.P05}, {"P25", b.P25}, {"P50", b.P50}, {"P75", b.P75}, {"P95", b.P95}} {
		if len(q.v) != len(b.X) {
			return fmt.Errorf("chart: band %q: %s has %d values, X has %d", b.Scenario, q.name, len(q.v), len(b.X))
		}
	}
	return nil
}

// Margins and gaps of the page, in points.
const (
	marginLeft   = 10
	marginRight  = 16
	marginTop    = 12
	marginBottom = 9
	gapTitle     = 3  // title to subtitle
	gapKey       = 9  // subtitle to key
	gapPlot      = 10 // key to chart
	gapSource    = 10 // chart to source line
)

// draw lays out the page: title, subtitle and key at the top left, the
// source line at the bottom, the chart between.
func (f *Fan) draw(c draw.Canvas) {
	c.SetColor(color.White)
	c.Fill(c.Rectangle.Path())

	page := draw.Crop(c, marginLeft, -marginRight, marginBottom, -marginTop)
	top := heading(c, page, f.Title, f.Subtitle)

	inner, outer, median := f.plotters()
	key := &Key{
		Text:   sans(keySize, textColor, false),
		Swatch: vg.Point{X: vg.Points(16), Y: vg.Points(9)},
		Entries: []KeyEntry{
			{"median", median},
			{"50% of runs", inner},
			{"90% of runs", outer},
		},
	}
	kh := key.Height()
	key.Draw(c, page.Min.X, top-kh+(kh-key.Text.FontExtents().Height)/2+key.Text.FontExtents().Descent)
	top -= kh + gapPlot

	bottom := sourceLine(c, page, f.Source)

	area := draw.Canvas{Canvas: c.Canvas, Rectangle: vg.Rectangle{
		Min: vg.Point{X: page.Min.X, Y: bottom},
		Max: vg.Point{X: page.Max.X, Y: top},
	}}
	if area.Size().Y <= 0 {
		return // no room for a chart at this size; the captions are drawn
	}
	p := f.newPlot(area, inner, outer, median)
	p.Draw(area)
}

// plotters returns the two bands and the median line in the house style.
func (f *Fan) plotters() (inner, outer *Area, median *Line) {
	b := f.Band
	outer = &Area{X: b.X, Lo: b.P05, Hi: b.P95, Color: OuterColor}
	inner = &Area{X: b.X, Lo: b.P25, Hi: b.P75, Color: InnerColor}
	median = &Line{X: b.X, Y: b.P50, LineStyle: draw.LineStyle{Color: MedianColor, Width: vg.Points(2)}}
	return inner, outer, median
}

// newPlot builds the chart proper and sets its axes to fit area.
func (f *Fan) newPlot(area draw.Canvas, inner, outer *Area, median *Line) *plot.Plot {
	p := plot.New()
	p.BackgroundColor = nil // the page is already white

	tick := sans(tickSize, tickColor, false)

	p.X.Min, p.X.Max = extent(f.Band.X)
	switch {
	case math.IsInf(p.X.Min, 0): // no finite X
		p.X.Min, p.X.Max = 0, 1
	case p.X.Min == p.X.Max:
		p.X.Min, p.X.Max = p.X.Min-0.5, p.X.Max+0.5
	}
	p.X.Padding = 0 // the lowest value sits on the axis line
	p.X.LineStyle = draw.LineStyle{Color: axisColor, Width: vg.Points(0.75)}
	p.X.Tick.LineStyle = draw.LineStyle{Color: axisColor, Width: vg.Points(0.5)}
	p.X.Tick.Length = vg.Points(5)
	p.X.Tick.Label = tick
	p.X.Tick.Label.XAlign, p.X.Tick.Label.YAlign = draw.XCenter, draw.YTop

	// The y axis is a column of labels and the grid; no line, no ticks.
	p.Y.LineStyle.Width = 0
	p.Y.Tick.Length = 0
	p.Y.Padding = vg.Points(2)
	p.Y.Tick.Label = tick
	p.Y.Tick.Label.XAlign, p.Y.Tick.Label.YAlign = draw.XRight, draw.YCenter
	p.Y.Label.Text = f.Unit
	p.Y.Label.TextStyle = tick
	p.Y.Label.TextStyle.XAlign, p.Y.Label.TextStyle.YAlign = draw.XCenter, draw.YBottom
	p.Y.Label.Padding = vg.Points(6)
	if f.Log {
		p.Y.Scale = plot.LogScale{}
	}

	p.Add(&HGrid{
		LineStyle: draw.LineStyle{Color: gridColor, Width: vg.Points(0.5)},
		Zero:      draw.LineStyle{Color: axisColor, Width: vg.Points(0.75)},
	})
	p.Add(outer, inner, median)
	var marks *EventMarks
	if len(f.Events) > 0 {
		marks = newEventMarks(f.Events)
		p.Add(marks)
	}
	f.fitY(p, area, marks)
	return p
}

// fitY sets the y range to whole ticks around the data and the x ticks to
// what the width allows; then, if event labels would sit on the data, raises
// the top of the y axis until they clear it.
func (f *Fan) fitY(p *plot.Plot, area draw.Canvas, marks *EventMarks) {
	lo, hi := f.yExtent(f.Log)
	need := hi
	for range 4 { // a new range can widen the tick labels; settle in a few rounds
		f.setY(p, lo, need)
		dc := p.DataCanvas(area)
		p.X.Tick.Marker = YearTicks{Step: yearStep(p, dc.Size().X)}
		if marks == nil {
			return
		}
		raised := need
		for _, q := range marks.layout(dc, p) {
			if q.Label == "" {
				continue
			}
			// frac is how far up the data area the label's bottom is.
			frac := float64((q.box.Min.Y - 2 - dc.Min.Y) / dc.Size().Y)
			if frac < 0.4 {
				continue // too many rows to clear; better to overlap than squash
			}
			v, ok := f.maxUnder(p, dc, q.box.Min.X-eventGap, max(q.box.Max.X, q.x)+eventGap)
			if !ok {
				continue
			}
			raised = math.Max(raised, top(p, v, frac))
		}
		if raised <= need*(1+1e-9) && p.Y.Max >= raised {
			return
		}
		need = raised
	}
}

// top returns the y-axis maximum that puts v at the fraction frac of the
// height, keeping the minimum.
func top(p *plot.Plot, v, frac float64) float64 {
	if _, log := p.Y.Scale.(plot.LogScale); log {
		lmin := math.Log(p.Y.Min)
		return math.Exp(lmin + (math.Log(v)-lmin)/frac)
	}
	return p.Y.Min + (v-p.Y.Min)/frac
}

// yExtent returns the least and greatest drawable band values.
func (f *Fan) yExtent(log bool) (lo, hi float64) {
	b := f.Band
	lo, hi = math.Inf(1), math.Inf(-1)
	for _, s := range [][]float64{b.P05, b.P25, b.P50, b.P75, b.P95} {
		for _, v := range s {
			if finite(v) && (!log || v > 0) {
				lo, hi = math.Min(lo, v), math.Max(hi, v)
			}
		}
	}
	return lo, hi
}

// setY sets the y range and ticks to cover [lo, hi].
func (f *Fan) setY(p *plot.Plot, lo, hi float64) {
	if f.Log {
		if math.IsInf(lo, 0) || math.IsInf(hi, 0) {
			lo, hi = 1, 10 // nothing to draw
		}
		p.Y.Min, p.Y.Max = logRange(lo, hi)
		p.Y.Tick.Marker = LogTicks{}
		return
	}
	switch {
	case math.IsInf(lo, 0) || math.IsInf(hi, 0):
		lo, hi = 0, 1 // nothing to draw
	case isFraction(f.Unit) && lo >= 0 && hi <= 1:
		lo = 0
		hi = math.Max(hi, 1) // a share reads against the whole
	case lo == hi && lo > 0:
		lo, hi = 0, hi*1.2 // a flat line, shown from zero and below the top
	case lo == hi && hi < 0:
		lo, hi = lo*1.2, 0
	case lo == hi: // all zero
		hi = 1
	case lo >= 0 && lo <= hi/2:
		lo = 0 // a count starts from zero unless that hides the change
	case hi <= 0 && hi >= lo/2:
		hi = 0
	}
	var step float64
	p.Y.Min, p.Y.Max, step = niceRange(lo, hi)
	p.Y.Tick.Marker = LinearTicks{Step: step}
}

func isFraction(unit string) bool {
	switch strings.ToLower(strings.TrimSpace(unit)) {
	case "fraction", "share", "proportion":
		return true
	}
	return false
}

// maxUnder returns the greatest drawable band value over the canvas span
// [x0, x1], counting the points just outside it that the lines between
// points reach in from.
func (f *Fan) maxUnder(p *plot.Plot, dc draw.Canvas, x0, x1 vg.Length) (float64, bool) {
	b := f.Band
	tx, _ := p.Transforms(&dc)
	inside := func(i int) bool {
		return i >= 0 && i < len(b.X) && finite(b.X[i]) && tx(b.X[i]) >= x0 && tx(b.X[i]) <= x1
	}
	best, ok := math.Inf(-1), false
	for i := range b.X {
		if !finite(b.X[i]) || !(inside(i) || inside(i-1) || inside(i+1) ||
			(i+1 < len(b.X) && tx(b.X[i]) < x0 && tx(b.X[i+1]) > x1)) {
			continue
		}
		for _, s := range [][]float64{b.P05, b.P25, b.P50, b.P75, b.P95} {
			if usable(p, s[i]) && s[i] > best {
				best, ok = s[i], true
			}
		}
	}
	return best, ok
}

// yearStep returns the years between labels on an x axis width long: the
// fewest that leave about a label's width free between neighbours, or, if
// it is at most 2.5 times that, the fewest that also label both the first
// and the last whole year (2020, 2025, 2030, 2035 rather than 2020, 2022,
// ..., 2034, which leaves the final year unlabelled).
func yearStep(p *plot.Plot, width vg.Length) int {
	span := p.X.Max - p.X.Min
	if !(span > 0) || width <= 0 {
		return 1
	}
	perYear := width / vg.Length(span)
	label := p.X.Tick.Label.Width("2000")
	steps := []int{1, 2, 5, 10, 20, 50, 100}
	fit := steps[len(steps)-1]
	for _, s := range steps {
		if vg.Length(s)*perYear >= 1.9*label {
			fit = s
			break
		}
	}
	first, last := int(math.Ceil(p.X.Min)), int(math.Floor(p.X.Max))
	for _, s := range steps {
		if s >= fit && float64(s) <= 2.5*float64(fit) && last > first && first%s == 0 && last%s == 0 {
			return s
		}
	}
	return fit
}
