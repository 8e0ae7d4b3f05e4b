package chart

import (
	"bytes"
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
)

// Chart is anything this package draws: Fan, Compare, Diff, Spaghetti,
// Distribution, Tornado and Backtest.
type Chart interface {
	// Render draws the chart and writes it to w in format: "png", "svg"
	// (fonts named, with fallbacks of the same metrics), "pdf", or
	// SVGInline; width and height in inches,
	// 0 for the chart's default; dpi for PNG, 0 for DefaultDPI.
	Render(w io.Writer, format string, width, height float64, dpi int) error
	// Write draws the chart to path in the format of its extension.
	Write(path string, width, height float64, dpi int) error
	// Size returns the width and height in inches the chart is drawn at
	// when asked for width and height (0 for the chart's default).
	Size(width, height float64) (float64, float64)
}

var (
	_ Chart = (*Fan)(nil)
	_ Chart = (*Backtest)(nil)
)

// SVGInline is the format of an SVG meant to sit inside an HTML page: no
// XML declaration and no embedded fonts (about 1 MB each), so the page's
// stylesheet must name the fonts (Liberation Sans or, with the same
// metrics, Arial or Helvetica).
const SVGInline = "svg-inline"

// writeFile renders with r into memory and writes path only if that
// succeeded, so a failed chart leaves nothing behind.
func writeFile(path string, r func(w io.Writer, format string) error) error {
	var buf bytes.Buffer
	if err := r(&buf, filepath.Ext(path)); err != nil {
		return err
	}
	return os.WriteFile(path, buf.Bytes(), 0o644)
}

// svgFamily is the font-family vgsvg writes for Liberation Sans, and
// svgFallback what an SVG file names instead: the same, then the fonts
// of the same metrics, then any sans-serif.
var (
	svgFamily   = []byte("font-family:Liberation Sans;")
	svgFallback = []byte("font-family:'Liberation Sans',Arial,Helvetica,sans-serif;")
)

// referenceFonts makes an SVG file's text fall back to fonts of the same
// metrics where Liberation Sans is not installed.
func referenceFonts(svg []byte) []byte {
	return bytes.ReplaceAll(svg, svgFamily, svgFallback)
}

// inlineSVG strips what an SVG file needs and an HTML page must not have:
// the XML declaration and the generator comment before <svg.
func inlineSVG(svg []byte) []byte {
	if i := bytes.Index(svg, []byte("<svg")); i > 0 {
		return svg[i:]
	}
	return svg
}

// formatName normalises a format: lower case, no leading dot.
func formatName(format string) string {
	return strings.ToLower(strings.TrimPrefix(format, "."))
}

// timeSeries is what a chart over time draws, as far as its axes care:
// the dates and every series of values plotted against them, so that the
// y axis and the event labels can be fitted to all of them alike.
type timeSeries struct {
	X []float64 // decimal years
	// Start is where the x axis begins when it is before the first X (the
	// start of the first value's quarter); zero or later: the first X.
	Start float64
	Ys    [][]float64 // each as long as X
	Unit  string      // y-axis label
	Log   bool        // logarithmic y axis
	// Zero: the y axis always reaches the value of no change, drawn as a
	// dark line: 0 for differences, 1 on a log axis (ratios).
	Zero   bool
	Events []Event
}

// newPlot builds the chart proper with the grid, then plotters in order,
// then the event marks, and sets its axes to fit area.
func (s *timeSeries) newPlot(area draw.Canvas, plotters ...plot.Plotter) *plot.Plot {
	p := plot.New()
	p.BackgroundColor = nil // the page is already white

	tick := sans(tickSize, tickColor, false)

	p.X.Min, p.X.Max = extent(s.X)
	switch {
	case math.IsInf(p.X.Min, 0): // no finite X
		p.X.Min, p.X.Max = 0, 1
	case p.X.Min == p.X.Max:
		p.X.Min, p.X.Max = p.X.Min-0.5, p.X.Max+0.5
	case s.Start != 0 && s.Start < p.X.Min && p.X.Max-s.Start <= maxTicks:
		p.X.Min = s.Start
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
	p.Y.Label.Text = s.Unit
	if isFraction(s.Unit) && !s.Log {
		p.Y.Label.Text = "percent"
		if s.Zero {
			p.Y.Label.Text = "percentage points"
		}
	}
	p.Y.Label.TextStyle = tick
	p.Y.Label.TextStyle.XAlign, p.Y.Label.TextStyle.YAlign = draw.XCenter, draw.YBottom
	p.Y.Label.Padding = vg.Points(6)
	if s.Log {
		p.Y.Scale = plot.LogScale{}
	}

	grid := &HGrid{
		LineStyle: draw.LineStyle{Color: gridColor, Width: vg.Points(0.5)},
		Zero:      draw.LineStyle{Color: axisColor, Width: vg.Points(0.75)},
	}
	if s.Zero && s.Log {
		grid.Ref = 1
	}
	p.Add(grid)
	p.Add(plotters...)
	var marks *EventMarks
	if len(s.Events) > 0 {
		marks = newEventMarks(s.Events)
		p.Add(marks)
	}
	note := s.emptyNote()
	if note != nil {
		p.Add(note) // over the event lines
	}
	s.fitY(p, area, marks)
	if note != nil {
		p.Y.Tick.Marker = plot.ConstantTicks(nil) // no scale without data
	}
	return p
}

// fitY sets the y range to whole ticks around the data and the x ticks to
// what the width allows; then, if event labels would sit on the data, raises
// the top of the y axis until they clear it.
func (s *timeSeries) fitY(p *plot.Plot, area draw.Canvas, marks *EventMarks) {
	lo, hi := s.yExtent(s.Log)
	need := hi
	for range 4 { // a new range can widen the tick labels; settle in a few rounds
		s.setY(p, lo, need)
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
			v, ok := s.maxUnder(p, dc, q.box.Min.X-eventGap, max(q.box.Max.X, q.x)+eventGap)
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

// emptyNote returns the note of a chart with no drawable values, or nil.
func (s *timeSeries) emptyNote() *Note {
	drawable, nonPositive, offScale := 0, 0, 0
	for _, ys := range s.Ys {
		for _, v := range ys {
			switch {
			case onAxis(v, s.Log):
				drawable++
			case s.Log && v <= 0:
				nonPositive++
			case finite(v):
				offScale++
			}
		}
	}
	return emptyNote(drawable, nonPositive, offScale)
}

// yExtent returns the least and greatest drawable values.
func (s *timeSeries) yExtent(log bool) (lo, hi float64) {
	lo, hi = math.Inf(1), math.Inf(-1)
	for _, ys := range s.Ys {
		for _, v := range ys {
			if onAxis(v, log) {
				lo, hi = math.Min(lo, v), math.Max(hi, v)
			}
		}
	}
	return lo, hi
}

// setY sets the y range and ticks to cover [lo, hi].
func (s *timeSeries) setY(p *plot.Plot, lo, hi float64) {
	if s.Log {
		if math.IsInf(lo, 1) {
			lo, hi = 1, 10 // nothing to draw
		}
		if s.Zero {
			// Ratios: about 1, ending near the data (tightSteps), not at
			// whole decades or the next 1-2-5 step, which would leave much
			// of the height empty.
			lo, hi = math.Min(lo, 1), math.Max(hi, 1)
			p.Y.Min, p.Y.Max = niceDownOf(logBound(lo), tightSteps), niceUpOf(logBound(hi), tightSteps)
			if !(p.Y.Max > p.Y.Min) { // every ratio 1: no change at all
				p.Y.Min, p.Y.Max = niceDown125(p.Y.Min/2), niceUp125(p.Y.Max*2)
			}
			p.Y.Tick.Marker = RatioTicks{}
			return
		}
		p.Y.Min, p.Y.Max = tightLogRange(lo, hi)
		p.Y.Tick.Marker = LogTicks{}
		return
	}
	if isFraction(s.Unit) && !(math.IsInf(lo, 0) || math.IsInf(hi, 0)) {
		s.setShare(p, lo, hi)
		return
	}
	switch {
	case math.IsInf(lo, 0) || math.IsInf(hi, 0):
		lo, hi = 0, 1 // nothing to draw
	case s.Zero:
		// A difference reads against zero: no change.
		lo, hi = math.Min(lo, 0), math.Max(hi, 0)
		if lo == hi {
			hi = 1
		}
	case isFraction(s.Unit) && lo >= 0 && hi <= 1:
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
	if top := math.Max(math.Abs(p.Y.Min), math.Abs(p.Y.Max)); top >= 1e15 && top <= axisLimit {
		// Past what 1.5T says: ticks in units of a power of ten, which
		// the axis label gives.
		exp := int(math.Floor(math.Log10(top) + 1e-9))
		p.Y.Tick.Marker = LinearTicks{Step: step, Exp: exp}
		p.Y.Label.Text = "×" + Power10(exp) + " " + s.Unit
	}
}

// setShare sets the y range of a share (a fraction of a whole) to cover
// [lo, hi], labelled in percent. A share reads against the whole: the axis
// runs from 0 to 100%, and when hi is above the data's top to make room
// for event labels, the ticks and grid still stop at 100%. A difference
// of shares (Zero) is labelled in percentage points.
func (s *timeSeries) setShare(p *plot.Plot, lo, hi float64) {
	_, top := s.yExtent(false)
	var step float64
	switch {
	case s.Zero:
		lo, hi = math.Min(lo, 0), math.Max(hi, 0)
		if lo == hi {
			hi = 0.01
		}
		p.Y.Min, p.Y.Max, step = niceRange(lo, hi)
		p.Y.Tick.Marker = PercentTicks{Step: step, Points: true}
	case lo >= 0 && top <= 1:
		_, _, step = niceRange(0, 1)
		hi = math.Max(hi, 1)
		p.Y.Min, p.Y.Max = 0, math.Ceil(hi/step-1e-9)*step
		p.Y.Tick.Marker = PercentTicks{Step: step, Max: 1}
	default:
		if lo == hi {
			lo, hi = math.Min(lo, 0), math.Max(hi, 0)+0.01
		}
		p.Y.Min, p.Y.Max, step = niceRange(lo, hi)
		p.Y.Tick.Marker = PercentTicks{Step: step}
	}
}

// maxUnder returns the greatest drawable value over the canvas span
// [x0, x1], counting the points just outside it that the lines between
// points reach in from.
func (s *timeSeries) maxUnder(p *plot.Plot, dc draw.Canvas, x0, x1 vg.Length) (float64, bool) {
	tx, _ := p.Transforms(&dc)
	xs := s.X
	inside := func(i int) bool {
		return i >= 0 && i < len(xs) && finite(xs[i]) && tx(xs[i]) >= x0 && tx(xs[i]) <= x1
	}
	best, ok := math.Inf(-1), false
	for i := range xs {
		if !finite(xs[i]) || !(inside(i) || inside(i-1) || inside(i+1) ||
			(i+1 < len(xs) && tx(xs[i]) < x0 && tx(xs[i+1]) > x1)) {
			continue
		}
		for _, ys := range s.Ys {
			if i < len(ys) && usable(p, ys[i]) && ys[i] > best {
				best, ok = ys[i], true
			}
		}
	}
	return best, ok
}

// frame draws what every chart shares on c: a white ground, the title and
// subtitle at the top left with the key under them (split over as many
// lines as it needs), and the source line at the bottom. It returns the
// page (c less its margins) and the area left between for the chart, which
// may have no height when the captions fill c.
func frame(c draw.Canvas, title, subtitle string, key *Key, source string) (page, area draw.Canvas) {
	// A PNG canvas starts white; filling it again would cost a tenth of
	// the drawing time.
	if _, ok := c.Canvas.(pngCanvas); !ok {
		c.SetColor(color.White)
		c.Fill(c.Rectangle.Path())
	}

	page = draw.Crop(c, marginLeft, -marginRight, marginBottom, -marginTop)
	top := heading(c, page, title, subtitle)
	if key != nil && len(key.Entries) > 0 {
		var total vg.Length
		for _, k := range key.Split(page.Size().X) {
			kh := k.Height()
			k.Draw(c, page.Min.X, top-total-kh+(kh-k.Text.FontExtents().Height)/2+k.Text.FontExtents().Descent)
			total += kh
		}
		top -= total + gapPlot
	}
	bottom := sourceLine(c, page, source)
	area = draw.Canvas{Canvas: c.Canvas, Rectangle: vg.Rectangle{
		Min: vg.Point{X: page.Min.X, Y: bottom},
		Max: vg.Point{X: page.Max.X, Y: top},
	}}
	return page, area
}

// houseKey returns an empty key in the house style.
func houseKey() *Key {
	return &Key{
		Text:   sans(keySize, textColor, false),
		Swatch: vg.Point{X: vg.Points(16), Y: vg.Points(9)},
	}
}

// pngCanvas writes a vgimg canvas as PNG with encodePNG.
type pngCanvas struct {
	*vgimg.Canvas
}

// WriteTo implements io.WriterTo.
func (c pngCanvas) WriteTo(w io.Writer) (int64, error) {
	cw := &countWriter{w: w}
	err := encodePNG(cw, c.Image())
	return cw.n, err
}

// countWriter counts the bytes written through it.
type countWriter struct {
	w io.Writer
	n int64
}

func (c *countWriter) Write(b []byte) (int, error) {
	n, err := c.w.Write(b)
	c.n += int64(n)
	return n, err
}
