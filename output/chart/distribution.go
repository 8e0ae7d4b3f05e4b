package chart

import (
	"image/color"
	"io"
	"math"
	"slices"
	"strconv"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// Sample is one scenario's values of an output at one date, one per run.
type Sample struct {
	Label  string // e.g. "Current policy"
	Values []float64
	// Color is the scenario's colour; nil means the i-th of Palette.
	Color color.Color
}

// colorOf returns the colour of series i: its own, or Palette's i-th.
func colorOf(c color.Color, i int) color.Color {
	if c == nil {
		return PaletteColor(i)
	}
	return c
}

// Distribution describes histograms of an output at one date, one panel
// per scenario, stacked over a shared x axis so that their positions and
// spreads compare at a glance. Bars in the middle 50% and 90% of runs are
// shaded as the bands of a fan chart, and the median is drawn.
type Distribution struct {
	Title    string // e.g. "China's installed AI compute at the end of 2030"
	Subtitle string
	Unit     string // x-axis title; may be empty (the subtitle gives the unit)
	Log      bool   // bins and axis on a logarithmic scale
	Percent  bool   // the values are shares (0 to 1), written in percent
	Samples  []Sample
	Source   string
}

var _ Chart = (*Distribution)(nil)

// Write draws d and writes it to path; the format follows the extension.
// width and height are in inches: 8 wide when width is zero, and 4.5 high
// (more for more than three panels) when height is zero.
func (d *Distribution) Write(path string, width, height float64, dpi int) error {
	return writeFile(path, func(w io.Writer, format string) error { return d.Render(w, format, width, height, dpi) })
}

// Render draws d and writes it to w in format; sizes as for Write.
func (d *Distribution) Render(w io.Writer, format string, width, height float64, dpi int) error {
	width, height = d.Size(width, height)
	return render(w, format, width, height, dpi, d.draw)
}

// Size implements Chart: 8 inches wide and 4.5 high unless told
// otherwise, higher for more than three panels.
func (d *Distribution) Size(width, height float64) (float64, float64) {
	return defaultSize(width, height, math.Max(DefaultHeight, 2+0.85*float64(len(d.Samples))))
}

// distPanel is one sample as drawn.
type distPanel struct {
	Sample
	vals                    []float64 // drawable values, sorted
	dropped                 int       // values left out (not finite, or not positive on a log axis)
	nonPositive             int       // of those, finite values of 0 or less on a log axis
	offScale                int       // and other finite values beyond what an axis shows
	p05, p25, p50, p75, p95 float64
	counts                  []int
	median, inner, outer    color.Color
	tail                    color.Color
}

// quantile returns the p-quantile of sorted by linear interpolation between
// order statistics (Hyndman and Fan's type 7, as sim.Quantile).
func quantile(sorted []float64, p float64) float64 {
	n := len(sorted)
	if n == 0 {
		return math.NaN()
	}
	h := float64(n-1) * p
	lo := int(math.Floor(h))
	if lo >= n-1 {
		return sorted[n-1]
	}
	return sorted[lo] + (h-float64(lo))*(sorted[lo+1]-sorted[lo])
}

// binCount is the number of bins for n values: the Rice rule (2 n^⅓; Lane,
// Online Statistics Education, ch. 2) times 1.5, which reads better at the
// width of a web column, kept between 10 and 60.
func binCount(n int) int {
	return min(60, max(10, int(math.Round(3*math.Cbrt(float64(n))))))
}

// panels prepares the samples: drawable values, quantiles, colours: each
// sample's own, else the Palette's in order.
func (d *Distribution) panels() []distPanel {
	ps := make([]distPanel, len(d.Samples))
	for i, s := range d.Samples {
		q := distPanel{Sample: s}
		for _, v := range s.Values {
			if onAxis(v, d.Log) {
				q.vals = append(q.vals, v)
				continue
			}
			q.dropped++
			switch {
			case d.Log && finite(v) && v <= 0:
				q.nonPositive++
			case finite(v):
				q.offScale++
			}
		}
		slices.Sort(q.vals)
		q.p05, q.p25, q.p50 = quantile(q.vals, 0.05), quantile(q.vals, 0.25), quantile(q.vals, 0.5)
		q.p75, q.p95 = quantile(q.vals, 0.75), quantile(q.vals, 0.95)
		clr := colorOf(s.Color, i)
		q.median, q.inner, q.outer = shades(clr)
		q.tail = mix(clr, color.White, 0.93)
		ps[i] = q
	}
	return ps
}

// binEdges returns the edges of equal bins (equal in log10 on a log axis)
// covering every drawable value of ps.
func (d *Distribution) binEdges(ps []distPanel) []float64 {
	lo, hi := math.Inf(1), math.Inf(-1)
	n := 0
	for _, q := range ps {
		if len(q.vals) > 0 {
			lo, hi = math.Min(lo, q.vals[0]), math.Max(hi, q.vals[len(q.vals)-1])
			n = max(n, len(q.vals))
		}
	}
	if math.IsInf(lo, 0) {
		return nil
	}
	f, inv := func(v float64) float64 { return v }, func(v float64) float64 { return v }
	if d.Log {
		f, inv = math.Log10, func(v float64) float64 { return math.Pow(10, v) }
	}
	a, b := f(lo), f(hi)
	if c := math.Max(math.Abs(a), math.Abs(b)); b-a <= 1e-9*c {
		// One value (or values too close to tell apart): a bin's width
		// either side, at least a thousandth of the value.
		h := math.Max(0.5, 1e-3*c)
		a, b = a-h, b+h
		if !d.Log && lo >= 0 && a < 0 {
			a, b = 0, 2*b // a count stays at or above zero
		}
	}
	k := binCount(n)
	edges := make([]float64, k+1)
	for i := range edges {
		edges[i] = inv(a + (b-a)*float64(i)/float64(k))
	}
	edges[0], edges[k] = math.Min(edges[0], lo), math.Max(edges[k], hi) // no value lost to rounding
	return edges
}

// count fills each panel's counts over edges; none without edges.
func count(ps []distPanel, edges []float64) {
	k := len(edges) - 1
	if k < 1 {
		for i := range ps {
			ps[i].counts = nil
		}
		return
	}
	for i := range ps {
		ps[i].counts = make([]int, k)
		for _, v := range ps[i].vals {
			j, _ := slices.BinarySearch(edges, v)
			// BinarySearch gives the first edge >= v: the bin is the one
			// below it, except at the lowest edge.
			j = min(max(j-1, 0), k-1)
			if edges[j+1] == v && j+1 < k {
				j++ // a value on an inner edge goes to the bin above it
			}
			ps[i].counts[j]++
		}
	}
}

// Histogram returns the bins d draws (len(shares[i]) + 1 edges) and, for
// each sample, the share of its drawable values in each bin.
func (d *Distribution) Histogram() (edges []float64, shares [][]float64) {
	ps := d.panels()
	edges = d.binEdges(ps)
	if edges == nil {
		return nil, make([][]float64, len(ps))
	}
	count(ps, edges)
	for _, q := range ps {
		s := make([]float64, len(q.counts))
		for j, k := range q.counts {
			if len(q.vals) > 0 {
				s[j] = float64(k) / float64(len(q.vals))
			}
		}
		shares = append(shares, s)
	}
	return edges, shares
}

// Measures of the distribution chart, in points.
const (
	distLabelGap = 3 // panel label to its bars
	distPanelGap = 8 // between panels
)

func (d *Distribution) draw(c draw.Canvas) {
	ps := d.panels()
	key := houseKey()
	var m, in, out color.Color = MedianColor, InnerColor, OuterColor
	if len(ps) == 1 {
		m, in, out = ps[0].median, ps[0].inner, ps[0].outer
	} else if len(ps) > 1 {
		// The panels have colours of their own; the key shows the shading
		// in grey.
		m, in, out = color.Gray{Y: 0x40}, color.Gray{Y: 0xA6}, color.Gray{Y: 0xD9}
	}
	key.Entries = []KeyEntry{
		{"median", &Line{LineStyle: draw.LineStyle{Color: m, Width: vg.Points(2)}}},
		{"50% of runs", &Area{Color: in}},
		{"90% of runs", &Area{Color: out}},
	}
	_, area := frame(c, d.Title, d.Subtitle, key, d.Source)
	if area.Size().Y <= 0 || len(ps) == 0 {
		return
	}
	edges := d.binEdges(ps)
	count(ps, edges)

	p, _ := xAxisPlot(d.Unit)
	p.Y.LineStyle.Width = 0
	p.Y.Tick.Length = 0
	p.Y.Tick.Marker = plot.ConstantTicks(nil)
	p.Y.Padding = 0
	p.Y.Min, p.Y.Max = 0, 1
	if edges == nil {
		// Nothing to draw: no scale to show; each panel says why.
		p.X.Min, p.X.Max = 0, 1
		p.X.Tick.Marker = plot.ConstantTicks(nil)
	} else if d.Log {
		p.X.Scale = plot.LogScale{}
		p.X.Min, p.X.Max = tightLogRange(edges[0], edges[len(edges)-1])
		p.X.Tick.Marker = LogTicks{}
	} else {
		var step float64
		p.X.Min, p.X.Max, step = niceRange(edges[0], edges[len(edges)-1])
		p.X.Tick.Marker = LinearTicks{Step: step}
		if d.Percent {
			p.X.Tick.Marker = PercentTicks{Step: step}
		}
	}
	p.Add(&VGrid{LineStyle: draw.LineStyle{Color: gridColor, Width: vg.Points(0.5)}})
	p.Add(&distPlotter{panels: ps, edges: edges, percent: d.Percent})
	// The labels at the ends of the axis are centred on them: keep them
	// on the page.
	ticks := p.X.Tick.Marker.Ticks(p.X.Min, p.X.Max)
	var left, right vg.Length
	for _, t := range ticks {
		if t.Label == "" {
			continue
		}
		w := p.X.Tick.Label.Width(t.Label) / 2
		if t.Value <= p.X.Min*(1+1e-9) || t.Value == p.X.Min {
			left = w
		}
		if t.Value >= p.X.Max*(1-1e-9) || t.Value == p.X.Max {
			right = max(w-marginRight/2, 0)
		}
	}
	area.Min.X += left
	area.Max.X -= right
	p.Draw(area)
}

// distPlotter draws the panels of a Distribution in the data area.
type distPlotter struct {
	panels  []distPanel
	edges   []float64
	percent bool
}

// Plot implements plot.Plotter.
func (dp *distPlotter) Plot(c draw.Canvas, p *plot.Plot) {
	tx, _ := transforms(&c, p)
	_, log := p.X.Scale.(plot.LogScale)
	n := len(dp.panels)
	lh := lineHeight(sans(keySize, inkColor, true))
	stripH := (c.Size().Y - distPanelGap*vg.Length(n-1)) / vg.Length(n)
	barMax := stripH - lh - distLabelGap
	most := 0.0 // the highest bar of all, as a share of its panel's runs
	for _, q := range dp.panels {
		for _, k := range q.counts {
			if len(q.vals) > 0 {
				most = math.Max(most, float64(k)/float64(len(q.vals)))
			}
		}
	}
	for i, q := range dp.panels {
		top := c.Max.Y - vg.Length(i)*(stripH+distPanelGap)
		base := top - stripH
		dp.label(c, &q, top)
		if barMax > 0 && most > 0 {
			dp.bars(c, &q, tx, log, base, barMax, most)
		}
		// Each panel's baseline; the last is the x axis itself.
		if i < n-1 {
			c.StrokeLine2(draw.LineStyle{Color: axisColor, Width: vg.Points(0.5)}, c.Min.X, base, c.Max.X, base)
		}
	}
}

// label draws a panel's label line at top: the scenario, then its median
// and 90% interval.
func (dp *distPlotter) label(c draw.Canvas, q *distPanel, top vg.Length) {
	label := sans(keySize, inkColor, true)
	stats := sans(keySize, textColor, false)
	lh := lineHeight(label)
	x := c.Min.X
	baseline := top - label.FontExtents().Ascent
	txt := ellipsize(label, q.Label, c.Size().X*0.6)
	sum := ellipsize(stats, q.summary(dp.percent), c.Max.X-x-label.Width(txt)-6)
	// A white ground keeps the label clear of the grid.
	ground := vg.Rectangle{
		Min: vg.Point{X: x, Y: top - lh},
		Max: vg.Point{X: x + label.Width(txt) + 6 + stats.Width(sum) + 2, Y: top},
	}
	c.SetColor(color.White)
	c.Fill(ground.Path())
	fillLine(c, label, x, baseline, txt)
	x += label.Width(txt) + 6
	fillLine(c, stats, x, baseline, sum)
}

// bars draws a panel's bars from base, the highest (a share most of its
// panel's runs) barMax high, shaded as the bands of a fan chart, and its
// median.
func (dp *distPlotter) bars(c draw.Canvas, q *distPanel, tx func(float64) vg.Length, log bool, base, barMax vg.Length, most float64) {
	for j, k := range q.counts {
		if k == 0 {
			continue
		}
		lo, hi := dp.edges[j], dp.edges[j+1]
		mid := (lo + hi) / 2
		if log {
			mid = math.Sqrt(lo * hi)
		}
		clr := q.tail
		switch {
		case mid >= q.p25 && mid <= q.p75:
			clr = q.inner
		case mid >= q.p05 && mid <= q.p95:
			clr = q.outer
		}
		h := barMax * vg.Length(float64(k)/float64(len(q.vals))/most)
		x0, x1 := tx(lo), tx(hi)
		if x1-x0 > 1.5 {
			x1 -= 0.5 // a hairline of white between bars
		}
		c.SetColor(clr)
		c.Fill(vg.Rectangle{Min: vg.Point{X: x0, Y: base}, Max: vg.Point{X: x1, Y: base + h}}.Path())
	}
	if finite(q.p50) {
		xm := tx(q.p50)
		c.StrokeLine2(draw.LineStyle{Color: q.median, Width: vg.Points(2)}, xm, base, xm, base+barMax)
	}
}

// summary is the text after a panel's label: median and 90% interval.
func (q *distPanel) summary(percent bool) string {
	if len(q.vals) == 0 {
		switch {
		case q.nonPositive > 0:
			return "no positive values to draw on a log scale"
		case q.offScale > 0:
			return "no values within what a scale can show (1e-300 to 1e300)"
		}
		return "no values to draw"
	}
	f := func(v float64) string { return FormatTick(roundSig(v, 3)) }
	if percent {
		f = func(v float64) string { return FormatPercent(v, false) }
	}
	s := "median " + f(q.p50) + ", 90% of runs " + f(q.p05) + "–" + f(q.p95)
	if q.dropped > 0 {
		s += " (" + strconv.Itoa(q.dropped) + " runs not shown)"
	}
	return s
}

// VGrid draws thin vertical lines across the data area at the labelled
// ticks of the x axis.
type VGrid struct {
	draw.LineStyle
}

var _ plot.Plotter = (*VGrid)(nil)

// Plot implements plot.Plotter.
func (g *VGrid) Plot(c draw.Canvas, p *plot.Plot) {
	tx, _ := p.Transforms(&c)
	for _, t := range p.X.Tick.Marker.Ticks(p.X.Min, p.X.Max) {
		if t.IsMinor() || t.Value < p.X.Min || t.Value > p.X.Max {
			continue
		}
		x := tx(t.Value)
		c.StrokeLine2(g.LineStyle, x, c.Min.Y, x, c.Max.Y)
	}
}

// xAxisPlot is a transparent plot whose x axis is drawn in the house style
// (axis line, outward ticks, labels below) with the unit as its label, and
// the tick label style it used, for the y axis to share.
func xAxisPlot(unit string) (*plot.Plot, draw.TextStyle) {
	p := plot.New()
	p.BackgroundColor = nil
	tick := sans(tickSize, tickColor, false)
	p.X.LineStyle = draw.LineStyle{Color: axisColor, Width: vg.Points(0.75)}
	p.X.Tick.LineStyle = draw.LineStyle{Color: axisColor, Width: vg.Points(0.5)}
	p.X.Tick.Length = vg.Points(5)
	p.X.Tick.Label = tick
	p.X.Tick.Label.XAlign, p.X.Tick.Label.YAlign = draw.XCenter, draw.YTop
	p.X.Label.Text = unit
	p.X.Label.TextStyle = tick
	p.X.Label.TextStyle.XAlign, p.X.Label.TextStyle.YAlign = draw.XCenter, draw.YTop
	p.X.Label.Padding = vg.Points(1)
	p.X.Padding = 0
	return p, tick
}
