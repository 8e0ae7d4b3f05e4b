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
	X        []float64 // decimal years at the end of each quarter, where its value holds: 2020.25 (2020Q1), 2020.5, ...
	// Start is the decimal year where the x axis begins: the start of the
	// first X's quarter (2020.0), so that an axis of quarters ending
	// 2020.25 to 2036.0 spans 2020 to 2036. Zero: at the first X.
	Start float64

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
	// Color is the scenario's colour, so that it keeps it from chart to
	// chart; nil means Blue.
	Color  color.Color
	Events []Event // may be empty
	Source string  // bottom line, e.g. "chokepoint v0.1.0 · current-policy · 1,000 runs · seed 7"
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
	width, height = f.Size(width, height)
	return render(w, format, width, height, dpi, f.draw)
}

// Size implements Chart: 8 × 4.5 inches unless told otherwise.
func (f *Fan) Size(width, height float64) (float64, float64) {
	return defaultSize(width, height, DefaultHeight)
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
	if err := CheckRaster(format, width, height, dpi); err != nil {
		return err
	}
	wl, hl := vg.Length(width)*vg.Inch, vg.Length(height)*vg.Inch

	var (
		canvas vg.CanvasWriterTo
		fix    func([]byte) []byte // applied to the whole file, if set
	)
	switch formatName(format) {
	case "png":
		canvas = pngCanvas{vgimg.NewWith(vgimg.UseWH(wl, hl), vgimg.UseDPI(dpi))}
	case "svg":
		// Fonts are named, not embedded: vgsvg embeds whole font files,
		// 1.1 MB a chart. Arial and Helvetica, which nearly every machine
		// has, have the metrics of Liberation Sans, so text set for one
		// fills the same width in the others.
		canvas, fix = vgsvg.NewWith(vgsvg.UseWH(wl, hl)), referenceFonts
	case SVGInline:
		canvas, fix = vgsvg.NewWith(vgsvg.UseWH(wl, hl)), inlineSVG
	case "pdf":
		canvas, fix = pdfCanvas{vgpdf.New(wl, hl)}, pdfFixDates
	default:
		return fmt.Errorf("chart: format %q: want png, svg or pdf", format)
	}

	paint(draw.New(canvas))

	if fix == nil {
		_, err := canvas.WriteTo(w)
		return err
	}
	var buf bytes.Buffer
	if _, err := canvas.WriteTo(&buf); err != nil {
		return err
	}
	_, err := w.Write(fix(buf.Bytes()))
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
	inner, outer, median := f.plotters()
	key := houseKey()
	key.Entries = []KeyEntry{
		{"median", median},
		{"50% of runs", inner},
		{"90% of runs", outer},
	}
	_, area := frame(c, f.Title, f.Subtitle, key, f.Source)
	if area.Size().Y <= 0 {
		return // no room for a chart at this size; the captions are drawn
	}
	p := f.newPlot(area, inner, outer, median)
	p.Draw(area)
}

// plotters returns the two bands and the median line in the house style.
func (f *Fan) plotters() (inner, outer *Area, median *Line) {
	if f.Color == nil {
		return bandPlotters(f.Band, MedianColor, InnerColor, OuterColor)
	}
	m, in, out := shades(f.Color)
	return bandPlotters(f.Band, m, in, out)
}

// bandPlotters returns the 50% and 90% bands of b and its median line in
// the given colours.
func bandPlotters(b Band, medianColor, innerColor, outerColor color.Color) (inner, outer *Area, median *Line) {
	outer = &Area{X: b.X, Lo: b.P05, Hi: b.P95, Color: outerColor}
	inner = &Area{X: b.X, Lo: b.P25, Hi: b.P75, Color: innerColor}
	median = &Line{X: b.X, Y: b.P50, LineStyle: draw.LineStyle{Color: medianColor, Width: vg.Points(2)}}
	return inner, outer, median
}

// series returns what f's axes are fitted to.
func (f *Fan) series() *timeSeries {
	b := f.Band
	return &timeSeries{X: b.X, Start: b.Start, Ys: [][]float64{b.P05, b.P25, b.P50, b.P75, b.P95},
		Unit: f.Unit, Log: f.Log, Events: f.Events}
}

// newPlot builds the chart proper and sets its axes to fit area.
func (f *Fan) newPlot(area draw.Canvas, inner, outer *Area, median *Line) *plot.Plot {
	return f.series().newPlot(area, outer, inner, median)
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

func isFraction(unit string) bool {
	switch strings.ToLower(strings.TrimSpace(unit)) {
	case "fraction", "share", "proportion":
		return true
	}
	return false
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
