package chart

import (
	"bytes"
	"image/color"
	"io"
	"math"
	"os"
	"path/filepath"
	"slices"

	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// CheckRow is one calibration observation against the model.
type CheckRow struct {
	Label string // short, e.g. "Huawei Ascend packages, 2024"
	Unit  string // e.g. "packages"

	Low, Central, High float64 // the observed range (Low <= Central <= High, all > 0)
	P05, P50, P95      float64 // the model's 90% interval and median of the same quantity
}

// Backtest describes a calibration chart: one row per observation, with
// the observed range and the model's 90% interval drawn as ratios to the
// observed central value on a shared logarithmic axis, so a reader sees at
// a glance where the model runs high or low, and by how much.
type Backtest struct {
	Title    string // e.g. "How the model compares with what happened"
	Subtitle string // e.g. "Model ÷ observed value, 2023–2025"
	Source   string // bottom line, as for Fan
	Rows     []CheckRow
}

// Vermillion is Okabe & Ito's vermillion, the palette's warning colour,
// used to flag observations that fall outside the model's interval.
var Vermillion = color.RGBA{R: 0xD5, G: 0x5E, B: 0x00, A: 0xFF}

// Colours of the backtest chart.
var (
	observedColor   = color.Gray{Y: 0xD2} // the observed range: light, behind the model
	centralColor    = color.Gray{Y: 0x55} // the tick at the observed central value
	medianRingColor = color.White         // keeps the median dot off the blue bar
)

// Write draws b and writes it to path; the format follows the extension
// (.png, .svg, .pdf). width and height are in inches: 8 wide when width is
// zero, and as tall as the rows need when height is zero. dpi is for PNG
// (200 when zero). Nothing is written if drawing fails.
func (b *Backtest) Write(path string, width, height float64, dpi int) error {
	var buf bytes.Buffer
	if err := b.Render(&buf, filepath.Ext(path), width, height, dpi); err != nil {
		return err
	}
	return os.WriteFile(path, buf.Bytes(), 0o644)
}

// Render draws b and writes it to w in format ("png", "svg" or "pdf", with
// or without a leading dot); width, height and dpi as for Write.
func (b *Backtest) Render(w io.Writer, format string, width, height float64, dpi int) error {
	width, height = b.Size(width, height)
	return render(w, format, width, height, dpi, b.draw)
}

// Size implements Chart: 8 inches wide unless told otherwise, and as
// tall as the rows need.
func (b *Backtest) Size(width, height float64) (float64, float64) {
	if width == 0 {
		width = DefaultWidth
	}
	if height == 0 && CheckSize(width, 0, 0) == nil {
		height = float64(b.naturalHeight(vg.Length(width)*vg.Inch) / vg.Inch)
	}
	return width, height
}

// Measures of the backtest chart, in points.
const (
	btLabelGap  = 12   // label column to the data area
	btMarkerW   = 9    // the gutter for a miss marker, left of the labels
	btRowPad    = 8    // least space between the text blocks of two rows
	btRowMin    = 20   // least row height at the natural size
	btRowTight  = 12   // least row height when squeezed; below it text is dropped
	btLabelMax  = 0.4  // the label column's largest share of the page width
	btHintGap   = 5    // the direction hints to the first row
	btTickLen   = 4    // axis ticks
	btTickGap   = 3    // tick to tick label
	btTitleGap  = 4    // tick labels to the axis title
	btArrowLen  = 11   // direction-hint arrows
	btArrowHead = 3    // arrow heads, half their height
	btMaxLines  = 2    // lines of a row label before it is shortened
	ratioCap    = 1e6  // the axis never runs past 1/ratioCap–ratioCap
	btCapHeight = 0.72 // cap height of Liberation Sans, in ems
)

// Type of the backtest chart.
var (
	btLabel = sans(tickSize, textColor, false)
	btMiss  = sans(tickSize, Vermillion, false)
	btSub   = sans(sourceSize, noteColor, false)
	btHint  = sans(eventSize, tickColor, false)
	btTick  = sans(tickSize, tickColor, false)
)

// btRow is a CheckRow as drawn: ratios to the central value, with what
// cannot be drawn marked so.
type btRow struct {
	CheckRow
	ok      bool       // the central value is positive, so ratios exist
	obs     [2]float64 // observed range; NaN ends fall back to 1
	model   [2]float64 // model interval, when modelOK
	modelOK bool
	// fromZero: the model interval starts at 0 (some runs give none of
	// the quantity); its bar runs from the axis's left end.
	fromZero bool
	median   float64 // model median, when medianOK
	medianOK bool
	miss     bool // the central value lies outside the model interval
}

// ratio returns v / c, or NaN when v is not a positive finite number.
func ratio(v, c float64) float64 {
	if !finite(v) || !(v > 0) {
		return math.NaN()
	}
	r := v / c
	if !finite(r) || !(r > 0) {
		return math.NaN()
	}
	return r
}

// prepare turns r into ratios to its central value. An observed end that is
// not a positive number falls back to the central value; a model interval
// with such an end is not drawn, nor is such a median, except that a model
// interval starting at exactly 0 is drawn from the axis's left end.
func prepare(r CheckRow) btRow {
	q := btRow{CheckRow: r}
	c := r.Central
	if !finite(c) || !(c > 0) {
		return q
	}
	q.ok = true
	lo, hi := ratio(r.Low, c), ratio(r.High, c)
	if math.IsNaN(lo) {
		lo = 1
	}
	if math.IsNaN(hi) {
		hi = 1
	}
	q.obs = [2]float64{math.Min(lo, hi), math.Max(lo, hi)}
	p05, p95 := ratio(r.P05, c), ratio(r.P95, c)
	if r.P05 == 0 && !math.IsNaN(p95) {
		q.fromZero = true
		p05 = 0
	}
	if !math.IsNaN(p05) && !math.IsNaN(p95) {
		q.model = [2]float64{math.Min(p05, p95), math.Max(p05, p95)}
		q.modelOK = true
		q.miss = q.model[0] > 1 || q.model[1] < 1
	}
	q.median = ratio(r.P50, c)
	q.medianOK = !math.IsNaN(q.median)
	return q
}

// values returns the ratios q draws.
func (q *btRow) values() []float64 {
	if !q.ok {
		return nil
	}
	vs := []float64{q.obs[0], q.obs[1]}
	if q.modelOK {
		if !q.fromZero {
			vs = append(vs, q.model[0])
		}
		vs = append(vs, q.model[1])
	}
	if q.medianOK {
		vs = append(vs, q.median)
	}
	return vs
}

// ratioRange returns the x-axis range for rows: values of the 1, 3, 10, 30
// sequence (0.1, 0.3, 3, 10, ...) that cover every bar and dot, at least
// 0.3 to 3, and roughly balanced about 1: neither side spans less than half
// as many decades as the other, so 1 stays near the middle. Ratios beyond
// 1/ratioCap and ratioCap are left off the axis (their bars are cut at its
// ends).
func ratioRange(rows []CheckRow) (lo, hi float64) {
	lo, hi = 1, 1
	for _, r := range rows {
		q := prepare(r)
		for _, v := range q.values() {
			lo, hi = math.Min(lo, v), math.Max(hi, v)
		}
	}
	lo, hi = math.Max(lo, 1/ratioCap), math.Min(hi, ratioCap)
	left, right := -math.Log10(lo), math.Log10(hi) // decades either side of 1
	left, right = math.Max(left, -math.Log10(0.3)), math.Max(right, math.Log10(3))
	// Rounding out one side can unbalance the other; a few rounds settle it
	// (each side only grows, to the next of finitely many steps).
	for range 4 {
		left, right = math.Max(left, right/2), math.Max(right, left/2)
		lo, hi = niceDown(math.Pow(10, -left)), niceUp(math.Pow(10, right))
		left, right = -math.Log10(lo), math.Log10(hi)
		if left >= right/2-ratioEps && right >= left/2-ratioEps {
			break
		}
	}
	return lo, hi
}

// ratioEps absorbs float fuzz in comparisons with tick values: 3 × 10⁻¹ is
// 0.30000000000000004.
const ratioEps = 1e-9

// niceUp returns the least of 1, 3, 10, 30, ... times a power of ten that
// is at least v > 0 (v kept within the ends of a log axis).
func niceUp(v float64) float64 { return niceUpOf(logBound(v), steps13) }

// niceDown returns the greatest of 1, 3, 10, 30, ... times a power of ten
// that is at most v > 0 (v kept within the ends of a log axis).
func niceDown(v float64) float64 { return niceDownOf(logBound(v), steps13) }

// steps13 are the multiples of a power of ten the backtest axis stops at.
var steps13 = []float64{1, 3}

// ratioTick is a tick of the ratio axis; minor ticks have no label.
type ratioTick struct {
	v     float64
	label string
}

// ratioTicks returns the ticks of a logarithmic axis from lo to hi that is
// width long, labelled as densely as the labels leave room between them:
// 1, 2, 3 and 5 times powers of ten on an axis of less than two decades;
// else 1 and 3 times; else the powers of ten (every second, third, ...
// decade if need be, always including 1). 1 and 3 times powers of ten that
// go unlabelled are left as minor ticks.
func ratioTicks(lo, hi float64, width vg.Length, sty text.Style) []ratioTick {
	if !(lo > 0) || !(hi > lo) || width <= 0 {
		return nil
	}
	a := ratioAxis{lo: lo, hi: hi, width: width, sty: sty}
	var labelled []float64
	switch {
	case math.Log10(hi/lo) < 2 && a.fits(a.values(1, 2, 3, 5)):
		labelled = a.values(1, 2, 3, 5)
	case a.fits(a.values(1, 3)):
		labelled = a.values(1, 3)
	default:
		labelled = a.sparsePowers()
	}
	all := append(a.values(1, 3), labelled...)
	slices.Sort(all)
	all = slices.CompactFunc(all, func(a, b float64) bool { return math.Abs(a-b) <= a*ratioEps })
	ticks := make([]ratioTick, 0, len(all))
	for _, v := range all {
		t := ratioTick{v: v}
		for _, l := range labelled {
			if math.Abs(v-l) <= v*ratioEps {
				t.label = FormatTick(v)
			}
		}
		ticks = append(ticks, t)
	}
	return ticks
}

// ratioAxis is a logarithmic axis from lo to hi, width long, labelled in
// sty.
type ratioAxis struct {
	lo, hi float64
	width  vg.Length
	sty    text.Style
}

// pos returns where v is along the axis.
func (a *ratioAxis) pos(v float64) vg.Length {
	return vg.Length(math.Log10(v/a.lo)/math.Log10(a.hi/a.lo)) * a.width
}

// values returns m times powers of ten in [lo, hi], in order.
func (a *ratioAxis) values(ms ...float64) []float64 {
	var vs []float64
	for d := math.Floor(math.Log10(a.lo)) - 1; d <= math.Ceil(math.Log10(a.hi))+1; d++ {
		for _, m := range ms {
			if v := m * math.Pow(10, d); v >= a.lo*(1-ratioEps) && v <= a.hi*(1+ratioEps) {
				vs = append(vs, v)
			}
		}
	}
	return vs
}

// fits reports whether labels at vs leave a gap between neighbours.
func (a *ratioAxis) fits(vs []float64) bool {
	const gap = 8 // points
	for i := 1; i < len(vs); i++ {
		l, r := FormatTick(vs[i-1]), FormatTick(vs[i])
		if a.pos(vs[i])-a.pos(vs[i-1]) < (a.sty.Width(l)+a.sty.Width(r))/2+gap {
			return false
		}
	}
	return true
}

// sparsePowers returns the powers of ten of every decade, or every
// second, third, ... (always 1 among them), the densest whose labels fit.
func (a *ratioAxis) sparsePowers() []float64 {
	powers := a.values(1)
	var labelled []float64
	for every := 1; every <= len(powers); every++ {
		labelled = labelled[:0]
		for _, v := range powers {
			if int(math.Round(math.Log10(v)))%every == 0 {
				labelled = append(labelled, v)
			}
		}
		if a.fits(labelled) {
			break
		}
	}
	return labelled
}

// btLayout is where the parts of a backtest chart go, in canvas units.
type btLayout struct {
	page                 draw.Canvas
	keys                 []*Key
	keyTop               vg.Length // top of the first key line
	hintBaseline         vg.Length
	rowsTop, rowsBottom  vg.Length
	labelX, labelW       vg.Length // the label column
	plotMin, plotMax     vg.Length // the data area, left to right
	lo, hi               float64   // the axis range
	ticks                []ratioTick
	tickBaseline         vg.Length
	axisTitleBaseline    vg.Length
	rows                 []btRow
	lines                [][]string // row labels as set
	subs                 []string   // the line under each label
	heights              []vg.Length
	barObs, barModel, rd vg.Length // bar heights and the median dot's radius
}

const axisTitle = "Model ÷ observed central value (log scale)"

// keyFor returns the chart's key; the miss entry only when a row misses.
func (b *Backtest) keyFor(rows []btRow, barObs, barModel, rd vg.Length) *Key {
	k := &Key{
		Text:   sans(keySize, textColor, false),
		Swatch: vg.Point{X: vg.Points(16), Y: vg.Points(9)},
		Entries: []KeyEntry{
			{"observed range", thumb(func(c *draw.Canvas) {
				drawBar(c, c.Min.X, c.Max.X, c.Center().Y, min(barObs, c.Size().Y), observedColor)
				mid := c.Center()
				c.StrokeLine2(draw.LineStyle{Color: centralColor, Width: vg.Points(1)},
					mid.X, mid.Y-min(barObs, c.Size().Y)/2, mid.X, mid.Y+min(barObs, c.Size().Y)/2)
			})},
			{"model 90% interval", thumb(func(c *draw.Canvas) {
				drawBar(c, c.Min.X, c.Max.X, c.Center().Y, barModel, Blue)
			})},
			{"model median", thumb(func(c *draw.Canvas) {
				drawDot(c, c.Center(), rd)
			})},
		},
	}
	for _, q := range rows {
		if q.miss {
			k.Entries = append(k.Entries, KeyEntry{"observed value outside the model's interval", thumb(func(c *draw.Canvas) {
				drawMarker(c, c.Center())
			})})
			break
		}
	}
	return k
}

// thumb turns a function into a plot.Thumbnailer.
type thumb func(c *draw.Canvas)

func (t thumb) Thumbnail(c *draw.Canvas) { t(c) }

// subLine is the small line under a row label, as it fits width: the
// observed value with its unit and range; without the range if that does
// not fit; shortened if that still does not.
func subLine(r CheckRow, width vg.Length) string {
	if !finite(r.Central) || !(r.Central > 0) {
		return ellipsize(btSub, "no usable observed value", width)
	}
	s := "observed " + FormatTick(r.Central)
	if r.Unit != "" {
		s += " " + r.Unit
	}
	lo, hi := r.Low, r.High
	if finite(lo) && finite(hi) && lo > 0 && hi > 0 && (lo != r.Central || hi != r.Central) {
		full := s + " (" + FormatTick(math.Min(lo, hi)) + "–" + FormatTick(math.Max(lo, hi)) + ")"
		if btSub.Width(full) <= width {
			return full
		}
	}
	return ellipsize(btSub, s, width)
}

// fixed is the height of everything but the rows on a page width wide
// (margins excluded), and the key lines. The key's thumbnails show the bars
// at their size in rows of the least natural height.
func (b *Backtest) fixed(width vg.Length, rows []btRow) (vg.Length, []*Key) {
	barObs, barModel, rd := barSizes(btRowMin + btRowPad)
	keys := b.keyFor(rows, barObs, barModel, rd).Split(width)
	h := headingHeight(width, b.Title, b.Subtitle)
	for _, k := range keys {
		h += k.Height()
	}
	if len(keys) > 0 {
		h += gapPlot
	}
	h += lineHeight(btHint) + btHintGap
	h += btTickLen + btTickGap + lineHeight(btTick) + btTitleGap + lineHeight(btTick)
	h += sourceHeight(width, b.Source)
	return h, keys
}

// barSizes returns the heights of the observed and model bars and the
// median dot's radius for rows of height rowH.
func barSizes(rowH vg.Length) (obs, model, dot vg.Length) {
	obs = min(max(rowH*0.36, 5), 11)
	model = max(obs*0.4, 2.5)
	return obs, model, model/2 + 1.2
}

// labelColumn returns the x and width of the label column (the marker
// gutter included in neither) on a page width wide.
func labelColumn(page draw.Canvas, rows []btRow) (x, w vg.Length) {
	x = page.Min.X
	gutter := false
	for _, q := range rows {
		w = max(w, btLabel.Width(q.Label), btSub.Width(subLine(q.CheckRow, vg.Length(math.Inf(1)))))
		gutter = gutter || q.miss
	}
	if gutter {
		x += btMarkerW
	}
	return x, min(w, page.Size().X*btLabelMax-(x-page.Min.X))
}

// rowText sets each row's label and sub-line for a column w wide with at
// most n label lines.
func rowText(rows []btRow, w vg.Length, n int, sub bool) (lines [][]string, subs []string) {
	for _, q := range rows {
		lines = append(lines, wrapLines(btLabel, q.Label, w, n))
		s := ""
		if sub {
			s = subLine(q.CheckRow, w)
		}
		subs = append(subs, s)
	}
	return lines, subs
}

// textHeight is the height of a row's text block: label lines and the
// sub-line.
func textHeight(lines []string, sub string) vg.Length {
	h := vg.Length(len(lines)) * lineHeight(btLabel)
	if sub != "" {
		h += lineHeight(btSub)
	}
	return h
}

// naturalHeight is the height in points that rows of their natural size
// give on a page width points wide.
func (b *Backtest) naturalHeight(width vg.Length) vg.Length {
	page := draw.Canvas{Rectangle: vg.Rectangle{Max: vg.Point{X: width, Y: 1}}}
	page = draw.Crop(page, marginLeft, -marginRight, 0, 0)
	rows := b.prepared()
	h, _ := b.fixed(page.Size().X, rows)
	_, w := labelColumn(page, rows)
	lines, subs := rowText(rows, w, btMaxLines, true)
	for i := range rows {
		h += max(textHeight(lines[i], subs[i])+btRowPad, btRowMin)
	}
	return h + marginTop + marginBottom
}

// prepared returns b's rows as drawn.
func (b *Backtest) prepared() []btRow {
	rows := make([]btRow, len(b.Rows))
	for i, r := range b.Rows {
		rows[i] = prepare(r)
	}
	return rows
}

// layout places the chart's parts on c.
func (b *Backtest) layout(c draw.Canvas) btLayout {
	page := draw.Crop(c, marginLeft, -marginRight, marginBottom, -marginTop)
	L := btLayout{page: page, rows: b.prepared()}
	width := page.Size().X
	_, L.keys = b.fixed(width, L.rows)

	top := page.Max.Y - headingHeight(width, b.Title, b.Subtitle)
	L.keyTop = top
	for _, k := range L.keys {
		top -= k.Height()
	}
	if len(L.keys) > 0 {
		top -= gapPlot
	}
	L.hintBaseline = top - btHint.FontExtents().Ascent
	top -= lineHeight(btHint) + btHintGap
	L.rowsTop = top

	bottom := page.Min.Y + sourceHeight(width, b.Source)
	L.axisTitleBaseline = bottom + btTick.FontExtents().Descent
	bottom += lineHeight(btTick) + btTitleGap
	L.tickBaseline = bottom + btTick.FontExtents().Descent
	bottom += lineHeight(btTick) + btTickGap + btTickLen
	L.rowsBottom = bottom

	L.labelX, L.labelW = labelColumn(page, L.rows)
	L.setRows(L.rowsTop - L.rowsBottom)

	L.lo, L.hi = ratioRange(b.Rows)
	L.plotMin = L.labelX + L.labelW + btLabelGap
	// The last tick label, centred on the end of the axis, may run half
	// way into the right margin.
	L.plotMax = page.Max.X - btTick.Width(FormatTick(L.hi))/2 + marginRight/2
	L.ticks = ratioTicks(L.lo, L.hi, L.plotMax-L.plotMin, btTick)
	return L
}

// setRows sets the rows' text and heights to fill avail: with labels of up
// to btMaxLines lines and sub-lines if they fit; else one-line labels with
// sub-lines; else one-line labels alone; else rows of equal height, with
// one-line labels while rows are at least btRowTight high and none below.
func (L *btLayout) setRows(avail vg.Length) {
	n := len(L.rows)
	L.heights = make([]vg.Length, n)
	fitted := false
	for _, try := range []struct {
		lines int
		sub   bool
	}{{btMaxLines, true}, {1, true}, {1, false}} {
		L.lines, L.subs = rowText(L.rows, L.labelW, try.lines, try.sub)
		var need vg.Length
		for i := range L.rows {
			L.heights[i] = max(textHeight(L.lines[i], L.subs[i])+btRowPad, btRowMin)
			need += L.heights[i]
		}
		if need <= avail*(1+1e-6) {
			extra := (avail - need) / vg.Length(max(n, 1)) // share any spare height
			for i := range L.heights {
				L.heights[i] += extra
			}
			fitted = true
			break
		}
	}
	if !fitted {
		h := max(avail, 0) / vg.Length(n) // n > 0: no rows always fit
		lines := 1
		if h < btRowTight {
			lines = 0
		}
		L.lines, L.subs = rowText(L.rows, L.labelW, lines, false)
		for i := range L.heights {
			L.heights[i] = h
		}
	}
	minH := vg.Length(btRowMin)
	if n > 0 {
		minH = slices.Min(L.heights)
	}
	L.barObs, L.barModel, L.rd = barSizes(minH)
}

// x maps a ratio to the canvas, clamping to the axis.
func (L *btLayout) x(v float64) vg.Length {
	v = math.Min(math.Max(v, L.lo), L.hi)
	f := math.Log(v/L.lo) / math.Log(L.hi/L.lo)
	return L.plotMin + vg.Length(f)*(L.plotMax-L.plotMin)
}

// draw lays out the page: title, subtitle and key at the top left, the
// rows, the axis, and the source line at the bottom.
func (b *Backtest) draw(c draw.Canvas) {
	c.SetColor(color.White)
	c.Fill(c.Rectangle.Path())

	L := b.layout(c)
	heading(c, L.page, b.Title, b.Subtitle)
	top := L.keyTop
	for _, k := range L.keys {
		kh := k.Height()
		k.Draw(c, L.page.Min.X, top-kh+(kh-k.Text.FontExtents().Height)/2+k.Text.FontExtents().Descent)
		top -= kh
	}
	sourceLine(c, L.page, b.Source)
	if L.rowsTop-L.rowsBottom <= 0 || L.plotMax <= L.plotMin {
		return // no room for a chart at this size; the captions are drawn
	}

	// Grid and the reference line, under the bars.
	grid := draw.LineStyle{Color: gridColor, Width: vg.Points(0.5)}
	axis := draw.LineStyle{Color: axisColor, Width: vg.Points(0.75)}
	one := L.x(1)
	for _, t := range L.ticks {
		if t.label != "" && math.Abs(t.v-1) > ratioEps {
			x := L.x(t.v)
			c.StrokeLine2(grid, x, L.rowsBottom, x, L.rowsTop)
		}
	}
	c.StrokeLine2(draw.LineStyle{Color: axisColor, Width: vg.Points(0.9)}, one, L.rowsBottom, one, L.rowsTop+btHintGap/2)

	// Axis along the bottom.
	c.StrokeLine2(axis, L.plotMin, L.rowsBottom, L.plotMax, L.rowsBottom)
	tickStyle := draw.LineStyle{Color: axisColor, Width: vg.Points(0.5)}
	for _, t := range L.ticks {
		x := L.x(t.v)
		length := vg.Length(btTickLen)
		if t.label == "" {
			length /= 2
		}
		c.StrokeLine2(tickStyle, x, L.rowsBottom, x, L.rowsBottom-length)
		if t.label != "" {
			fillLine(c, btTick, x-btTick.Width(t.label)/2, L.tickBaseline, t.label)
		}
	}
	title := axisTitle
	tw := btTick.Width(title)
	fillLine(c, btTick, min(max((L.plotMin+L.plotMax-tw)/2, L.plotMin), L.plotMax-tw), L.axisTitleBaseline, title)

	L.drawHints(c, one)

	y := L.rowsTop
	for i, q := range L.rows {
		h := L.heights[i]
		mid := y - h/2
		L.drawRow(c, q, L.lines[i], L.subs[i], mid)
		y -= h
	}
}

// drawHints labels the two sides of the reference line above the rows:
// "← model lower" and "model higher →", in longer or shorter words as the
// room allows, or not at all.
func (L *btLayout) drawHints(c draw.Canvas, one vg.Length) {
	const gap = 5 // points between a hint and the reference line
	arrow := vg.Length(btArrowLen + 3)
	for _, words := range [][2]string{
		{"model lower than observed", "model higher than observed"},
		{"model lower", "model higher"},
	} {
		lw, rw := btHint.Width(words[0])+arrow, btHint.Width(words[1])+arrow
		if one-gap-lw < L.plotMin-btLabelGap/2 || one+gap+rw > L.page.Max.X {
			continue
		}
		sty := draw.LineStyle{Color: tickColor, Width: vg.Points(0.75)}
		ay := L.hintBaseline + btHint.Font.Size*btCapHeight*0.45
		// Left: arrow pointing left, then the words, ending at the line.
		x := one - gap - lw
		drawArrow(c, sty, x+btArrowLen, x, ay)
		fillLine(c, btHint, x+arrow, L.hintBaseline, words[0])
		// Right: the words, then an arrow pointing right.
		x = one + gap
		fillLine(c, btHint, x, L.hintBaseline, words[1])
		x += btHint.Width(words[1]) + 3
		drawArrow(c, sty, x, x+btArrowLen, ay)
		return
	}
}

// drawArrow draws a horizontal arrow from x0 to x1 at y, its head at x1.
func drawArrow(c draw.Canvas, sty draw.LineStyle, x0, x1, y vg.Length) {
	dir := vg.Length(1)
	if x1 < x0 {
		dir = -1
	}
	c.StrokeLine2(sty, x0, y, x1-dir*btArrowHead, y)
	c.FillPolygon(sty.Color, []vg.Point{
		{X: x1, Y: y},
		{X: x1 - dir*btArrowHead*1.8, Y: y + btArrowHead},
		{X: x1 - dir*btArrowHead*1.8, Y: y - btArrowHead},
	})
}

// drawRow draws one row centred on mid: label, sub-line, bars and dot.
func (L *btLayout) drawRow(c draw.Canvas, q btRow, lines []string, sub string, mid vg.Length) {
	// The text block: label lines, then the sub-line, centred on mid from
	// the cap height of its first line to the baseline of its last.
	sty := btLabel
	if q.miss {
		sty = btMiss
	}
	type line struct {
		sty text.Style
		txt string
	}
	var block []line
	for _, l := range lines {
		block = append(block, line{sty, l})
	}
	if sub != "" {
		block = append(block, line{btSub, sub})
	}
	if len(block) > 0 {
		capH := block[0].sty.Font.Size * btCapHeight
		span := capH
		for _, l := range block[1:] {
			span += lineHeight(l.sty)
		}
		baseline := mid + span/2 - capH
		if q.miss {
			drawMarker(&c, vg.Point{X: L.page.Min.X + btMarkerW/2 - 1, Y: baseline + capH/2})
		}
		for i, l := range block {
			if i > 0 {
				baseline -= lineHeight(l.sty)
			}
			fillLine(c, l.sty, L.labelX, baseline, l.txt)
		}
	} else if q.miss {
		drawMarker(&c, vg.Point{X: L.page.Min.X + btMarkerW/2 - 1, Y: mid})
	}

	one := L.x(1)
	if !q.ok {
		fillLine(c, btSub, one+6, mid-btSub.Font.Size*btCapHeight/2, "no usable observed value")
		return
	}
	drawBar(&c, L.x(q.obs[0]), L.x(q.obs[1]), mid, L.barObs, observedColor)
	c.StrokeLine2(draw.LineStyle{Color: centralColor, Width: vg.Points(1)}, one, mid-L.barObs/2, one, mid+L.barObs/2)
	if q.modelOK {
		drawBar(&c, L.x(q.model[0]), L.x(q.model[1]), mid, L.barModel, Blue)
	}
	if q.medianOK && q.median >= L.lo*(1-ratioEps) && q.median <= L.hi*(1+ratioEps) {
		drawDot(&c, vg.Point{X: L.x(q.median), Y: mid}, L.rd)
	}
	if !q.modelOK && !q.medianOK {
		note := "no model value"
		x := L.x(q.obs[1]) + 6
		if x+btSub.Width(note) > L.plotMax {
			x = L.x(q.obs[0]) - 6 - btSub.Width(note)
		}
		fillLine(c, btSub, x, mid-btSub.Font.Size*btCapHeight/2, note)
	}
}

// drawBar fills a horizontal bar from x0 to x1 (at least a hairline wide),
// h high, centred on y.
func drawBar(c *draw.Canvas, x0, x1, y, h vg.Length, clr color.Color) {
	if x1-x0 < 1 {
		m := (x0 + x1) / 2
		x0, x1 = m-0.5, m+0.5
	}
	c.SetColor(clr)
	c.Fill(vg.Rectangle{Min: vg.Point{X: x0, Y: y - h/2}, Max: vg.Point{X: x1, Y: y + h/2}}.Path())
}

// drawDot draws the model median: a dark blue dot in a white ring.
func drawDot(c *draw.Canvas, pt vg.Point, r vg.Length) {
	c.DrawGlyph(draw.GlyphStyle{Color: medianRingColor, Radius: r + 1, Shape: draw.CircleGlyph{}}, pt)
	c.DrawGlyph(draw.GlyphStyle{Color: MedianColor, Radius: r, Shape: draw.CircleGlyph{}}, pt)
}

// drawMarker draws the flag of a missed observation: a small vermillion
// triangle pointing right, at the label.
func drawMarker(c *draw.Canvas, pt vg.Point) {
	const w, h = 5, 3.2 // points: length, half height
	c.FillPolygon(Vermillion, []vg.Point{
		{X: pt.X + w/2, Y: pt.Y},
		{X: pt.X - w/2, Y: pt.Y + h},
		{X: pt.X - w/2, Y: pt.Y - h},
	})
}
