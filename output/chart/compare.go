package chart

import (
	"fmt"
	"image/color"
	"io"
	"math"
	"slices"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// Compare describes a chart of one output under several scenarios: each
// scenario's median over time with the middle 90% of its runs shaded, in a
// colour of its own (Palette, in order).
type Compare struct {
	Title    string // e.g. "China's installed AI compute"
	Subtitle string // e.g. "H100-equivalents: median and 90% of runs"
	Unit     string // y-axis label
	Log      bool   // logarithmic y axis
	// Series holds one band per scenario, all over the same X; P25 and P75
	// are not drawn. Band.Scenario labels the series in the key.
	Series []Band
	// Colors are the series' colours, each scenario's own so that it keeps
	// it from chart to chart; nil (or a nil entry) means the i-th of
	// Palette.
	Colors []color.Color
	// NoBands draws the medians alone, for series without a spread (an
	// index over time); P05 and P95 may then be nil.
	NoBands bool
	Events  []Event // may be empty
	Source  string
}

var _ Chart = (*Compare)(nil)

// compareBandOpacity is the opacity of each 90% band: light enough that
// two overlapping bands still show both colours and the lines on top.
const compareBandOpacity = 0.12

// Write draws c and writes it to path; the format follows the extension.
// Sizes as for Fan.Write.
func (c *Compare) Write(path string, width, height float64, dpi int) error {
	return writeFile(path, func(w io.Writer, format string) error { return c.Render(w, format, width, height, dpi) })
}

// Render draws c and writes it to w in format; sizes as for Fan.Render.
func (c *Compare) Render(w io.Writer, format string, width, height float64, dpi int) error {
	for _, b := range c.Series {
		qs := [][]float64{b.P50}
		if !c.NoBands {
			qs = append(qs, b.P05, b.P95)
		}
		if err := checkBand(b, qs...); err != nil {
			return err
		}
	}
	width, height = c.Size(width, height)
	return render(w, format, width, height, dpi, c.draw)
}

// Size implements Chart: 8 × 4.5 inches unless told otherwise; small
// multiples (more than maxOverlaid scenarios) 2 inches taller a row of
// panels past the first.
func (c *Compare) Size(width, height float64) (float64, float64) {
	_, rows := c.grid()
	return defaultSize(width, height, DefaultHeight+2*float64(max(rows-1, 0)))
}

// maxOverlaid is the most scenarios one comparison overlays; more are
// drawn as small multiples, one panel each on a shared scale, overlaid
// bands of four or more being mud.
const maxOverlaid = 3

// grid returns the columns and rows of c's panels: none when its series
// are overlaid.
func (c *Compare) grid() (cols, rows int) {
	n := len(c.Series)
	if c.NoBands || n <= maxOverlaid {
		return 0, 0
	}
	cols = 2
	if n > 4 {
		cols = 3
	}
	return cols, (n + cols - 1) / cols
}

// checkBand reports quantile slices whose length differs from b.X's.
func checkBand(b Band, qs ...[]float64) error {
	for _, q := range qs {
		if len(q) != len(b.X) {
			return fmt.Errorf("chart: band %q has %d values, X has %d", b.Scenario, len(q), len(b.X))
		}
	}
	return nil
}

func (c *Compare) draw(cv draw.Canvas) {
	if cols, _ := c.grid(); cols > 0 {
		c.drawPanels(cv)
		return
	}
	var (
		bands []plot.Plotter
		lines []plot.Plotter
		key   = houseKey()
		s     = &timeSeries{Unit: c.Unit, Log: c.Log, Events: c.Events}
	)
	key.Swatch.X = vg.Points(20)
	for i, b := range c.Series {
		clr := c.color(i)
		line := &Line{X: b.X, Y: b.P50, LineStyle: draw.LineStyle{Color: clr, Width: vg.Points(2)}}
		lines = append(lines, line)
		if len(s.X) == 0 {
			s.X, s.Start = b.X, b.Start
		}
		s.Ys = append(s.Ys, b.P50)
		if c.NoBands {
			key.Entries = append(key.Entries, KeyEntry{b.Scenario, line})
			continue
		}
		lo, hi := unshared(c.Series[:i], b)
		band := &Area{X: b.X, Lo: lo, Hi: hi, Color: translucent(clr, compareBandOpacity)}
		bands = append(bands, band)
		key.Entries = append(key.Entries, KeyEntry{b.Scenario, bandAndLine{band, line}})
		s.Ys = append(s.Ys, b.P05, b.P95)
	}
	_, area := frame(cv, c.Title, c.Subtitle, key, c.Source)
	if area.Size().Y <= 0 || len(c.Series) == 0 {
		return
	}
	// The first scenario's line goes on top: the others depart from it,
	// and where they coincide its colour shows.
	slices.Reverse(lines)
	p := s.newPlot(area, append(bands, lines...)...)
	p.Draw(area)
}

// Measures of small multiples, in points.
const (
	panelGapX  = 14 // between two columns
	panelGapY  = 8  // between two rows
	panelTitle = 3  // a panel's title to its chart
)

// drawPanels draws c as small multiples: each scenario in a panel of its
// own with its median and 90% band, all on the same y scale, and the first
// scenario's median as a thin grey line in the others to read them
// against.
func (c *Compare) drawPanels(cv draw.Canvas) {
	cols, rows := c.grid()
	base := c.Series[0]
	ref := draw.LineStyle{Color: color.Gray{Y: 0x70}, Width: vg.Points(1)}
	key := houseKey()
	key.Swatch.X = vg.Points(20)
	key.Entries = []KeyEntry{
		{"median and 90% of runs", bandAndLine{&Area{Color: translucent(color.Gray{Y: 0x40}, 0.2)},
			&Line{LineStyle: draw.LineStyle{Color: color.Gray{Y: 0x40}, Width: vg.Points(2)}}}},
		{base.Scenario + ", median, for reference", &Line{LineStyle: ref}},
	}
	_, area := frame(cv, c.Title, c.Subtitle, key, c.Source)
	if area.Size().Y <= 0 {
		return
	}
	// Every panel fitted to all series, so that all share one scale.
	all := &timeSeries{Unit: c.Unit, Log: c.Log, X: base.X, Start: base.Start}
	for _, b := range c.Series {
		all.Ys = append(all.Ys, b.P50, b.P05, b.P95)
	}
	title := sans(keySize, inkColor, true)
	th := lineHeight(title)
	w := (area.Size().X - panelGapX*vg.Length(cols-1)) / vg.Length(cols)
	h := (area.Size().Y - panelGapY*vg.Length(rows-1)) / vg.Length(rows)
	for i, b := range c.Series {
		col, row := i%cols, i/cols
		x0 := area.Min.X + vg.Length(col)*(w+panelGapX)
		y1 := area.Max.Y - vg.Length(row)*(h+panelGapY)
		clr := c.color(i)
		sty := sans(keySize, mix(clr, color.Black, 0.15), true)
		fillLine(cv, sty, x0, y1-th+title.FontExtents().Descent, fitText(sty, b.Scenario, w))
		panel := draw.Canvas{Canvas: cv.Canvas, Rectangle: vg.Rectangle{
			Min: vg.Point{X: x0, Y: y1 - h}, Max: vg.Point{X: x0 + w, Y: y1 - th - panelTitle}}}
		if panel.Size().Y <= 0 {
			continue
		}
		ps := []plot.Plotter{
			&Area{X: b.X, Lo: b.P05, Hi: b.P95, Color: translucent(clr, 0.25)},
		}
		if i > 0 {
			ps = append(ps, &Line{X: base.X, Y: base.P50, LineStyle: ref})
		}
		ps = append(ps, &Line{X: b.X, Y: b.P50, LineStyle: draw.LineStyle{Color: clr, Width: vg.Points(2)}})
		s := *all
		s.Unit = ""
		if col == 0 {
			s.Unit = c.Unit
		}
		p := s.newPlot(panel, ps...)
		p.Draw(panel)
	}
}

// color returns the colour of series i.
func (c *Compare) color(i int) color.Color {
	if i < len(c.Colors) {
		return colorOf(c.Colors[i], i)
	}
	return PaletteColor(i)
}

// unshared returns b's 90% band with NaN (no band) where one of before
// has the very same band, as scenarios that share their history do, but
// for the points next to where they part, which join the two. Translucent
// bands stacked on one another would otherwise darken into a colour of
// their own where the scenarios agree.
func unshared(before []Band, b Band) (lo, hi []float64) {
	n := len(b.X)
	same := make([]bool, n)
	for t := range n {
		for _, a := range before {
			if t < len(a.P05) && t < len(a.P95) && a.P05[t] == b.P05[t] && a.P95[t] == b.P95[t] {
				same[t] = true
				break
			}
		}
	}
	lo, hi = slices.Clone(b.P05), slices.Clone(b.P95)
	for t := range n {
		if same[t] && (t == 0 || same[t-1]) && (t == n-1 || same[t+1]) {
			lo[t], hi[t] = math.NaN(), math.NaN()
		}
	}
	return lo, hi
}

// bandAndLine is a key thumbnail: a band with its median across it.
type bandAndLine struct {
	band *Area
	line *Line
}

func (t bandAndLine) Thumbnail(c *draw.Canvas) {
	t.band.Thumbnail(c)
	t.line.Thumbnail(c)
}

// Diff describes a chart of a paired difference over time: for each date,
// the median over runs of (scenario − base), run by run, with the middle
// 50% and 90% of runs shaded, read against a zero line.
type Diff struct {
	Title    string // e.g. "What the controls did to China's installed AI compute"
	Subtitle string // e.g. "H100e: current policy minus no controls, run by run"
	Unit     string // y-axis label
	Band     Band   // quantiles of the difference
	// Ratio: Band holds ratios, scenario ÷ base run by run, drawn on a
	// logarithmic axis and read against 1 (for outputs that span orders
	// of magnitude, where a difference is all tail).
	Ratio bool
	// Color is the scenario's colour (its Palette colour in the matching
	// Compare chart); nil means Blue.
	Color  color.Color
	Events []Event
	Source string
}

var _ Chart = (*Diff)(nil)

// Write draws d and writes it to path; as Fan.Write.
func (d *Diff) Write(path string, width, height float64, dpi int) error {
	return writeFile(path, func(w io.Writer, format string) error { return d.Render(w, format, width, height, dpi) })
}

// Render draws d and writes it to w in format; as Fan.Render.
func (d *Diff) Render(w io.Writer, format string, width, height float64, dpi int) error {
	b := d.Band
	if err := checkBand(b, b.P05, b.P25, b.P50, b.P75, b.P95); err != nil {
		return err
	}
	width, height = d.Size(width, height)
	return render(w, format, width, height, dpi, d.draw)
}

// Size implements Chart: 8 × 4.5 inches unless told otherwise.
func (d *Diff) Size(width, height float64) (float64, float64) {
	return defaultSize(width, height, DefaultHeight)
}

func (d *Diff) draw(c draw.Canvas) {
	clr := d.Color
	if clr == nil {
		clr = Blue
	}
	m, in, out := shades(clr)
	inner, outer, median := bandPlotters(d.Band, m, in, out)
	key := houseKey()
	mid := "median difference"
	if d.Ratio {
		mid = "median ratio"
	}
	key.Entries = []KeyEntry{
		{mid, median},
		{"50% of runs", inner},
		{"90% of runs", outer},
	}
	_, area := frame(c, d.Title, d.Subtitle, key, d.Source)
	if area.Size().Y <= 0 {
		return
	}
	b := d.Band
	s := &timeSeries{X: b.X, Start: b.Start, Ys: [][]float64{b.P05, b.P25, b.P50, b.P75, b.P95},
		Unit: d.Unit, Log: d.Ratio, Zero: true, Events: d.Events}
	p := s.newPlot(area, outer, inner, median)
	p.Draw(area)
}

// MaxSpaghetti is the most runs a Spaghetti chart draws: beyond it the
// lines become a smear that a fan chart shows better.
const MaxSpaghetti = 50

// Spaghetti describes a chart of a few individual runs of one scenario
// over time, thin lines under the median of all runs, to show that single
// runs wander more than the median does.
type Spaghetti struct {
	Title    string
	Subtitle string
	Unit     string
	Log      bool
	X        []float64   // as Band.X: the end of each quarter
	Start    float64     // as Band.Start: where the x axis begins
	Runs     [][]float64 // at most MaxSpaghetti, each as long as X
	Median   []float64   // the median of all runs; nil to leave it out
	// Color is the scenario's colour; nil means Blue.
	Color  color.Color
	Events []Event
	Source string
}

var _ Chart = (*Spaghetti)(nil)

// Write draws s and writes it to path; as Fan.Write.
func (s *Spaghetti) Write(path string, width, height float64, dpi int) error {
	return writeFile(path, func(w io.Writer, format string) error { return s.Render(w, format, width, height, dpi) })
}

// Render draws s and writes it to w in format; as Fan.Render.
func (s *Spaghetti) Render(w io.Writer, format string, width, height float64, dpi int) error {
	if len(s.Runs) > MaxSpaghetti {
		return fmt.Errorf("chart: spaghetti of %d runs: at most %d", len(s.Runs), MaxSpaghetti)
	}
	for i, r := range s.Runs {
		if len(r) != len(s.X) {
			return fmt.Errorf("chart: spaghetti run %d has %d values, X has %d", i, len(r), len(s.X))
		}
	}
	if s.Median != nil && len(s.Median) != len(s.X) {
		return fmt.Errorf("chart: spaghetti median has %d values, X has %d", len(s.Median), len(s.X))
	}
	width, height = s.Size(width, height)
	return render(w, format, width, height, dpi, s.draw)
}

// Size implements Chart: 8 × 4.5 inches unless told otherwise.
func (s *Spaghetti) Size(width, height float64) (float64, float64) {
	return defaultSize(width, height, DefaultHeight)
}

func (s *Spaghetti) draw(c draw.Canvas) {
	clr := s.Color
	if clr == nil {
		clr = Blue
	}
	dark := mix(clr, color.Black, 0.15)
	thin := draw.LineStyle{Color: mix(clr, color.White, 0.45), Width: vg.Points(0.7)}
	ts := &timeSeries{X: s.X, Start: s.Start, Unit: s.Unit, Log: s.Log, Events: s.Events}
	var ps []plot.Plotter
	key := houseKey()
	for i, r := range s.Runs {
		l := &Line{X: s.X, Y: r, LineStyle: thin}
		ps = append(ps, l)
		ts.Ys = append(ts.Ys, r)
		if i == 0 {
			key.Entries = append(key.Entries, KeyEntry{"one run", l})
		}
	}
	if s.Median != nil {
		m := &Line{X: s.X, Y: s.Median, LineStyle: draw.LineStyle{Color: dark, Width: vg.Points(2.2)}}
		ps = append(ps, m)
		ts.Ys = append(ts.Ys, s.Median)
		key.Entries = append(key.Entries, KeyEntry{"median of all runs", m})
	}
	_, area := frame(c, s.Title, s.Subtitle, key, s.Source)
	if area.Size().Y <= 0 {
		return
	}
	p := ts.newPlot(area, ps...)
	p.Draw(area)
}
