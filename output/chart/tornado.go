package chart

import (
	"image/color"
	"io"
	"math"
	"sort"

	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// TornadoBar is one input's effect on an output.
type TornadoBar struct {
	Label string  // e.g. "fab.yield_ceiling" or "Fab yield ceiling"
	Value float64 // the effect: a correlation, an index, a change
	// Lo and Hi bound an interval around Value (a confidence interval),
	// drawn as a whisker; leave both zero, or either NaN, for none.
	Lo, Hi float64
	// Text is written after the bar (or its whisker) in place of Value's
	// number, e.g. "median 1.7, 90th percentile 5.3" where the whisker's
	// end would otherwise read as Value.
	Text string
}

// label is what is written after the bar: Text, or Value's number.
func (b TornadoBar) label() string {
	if b.Text != "" {
		return b.Text
	}
	return valueLabel(b.Value)
}

// hasInterval reports whether b has a whisker to draw.
func (b TornadoBar) hasInterval() bool {
	return finite(b.Lo) && finite(b.Hi) && !(b.Lo == 0 && b.Hi == 0) && b.Lo != b.Hi
}

// Tornado describes a sensitivity chart: one horizontal bar per input,
// largest effect at the top, positive effects to the right of zero in
// blue and negative ones to the left in vermillion.
type Tornado struct {
	Title    string // e.g. "What drives China's installed AI compute in 2030"
	Subtitle string // e.g. "Partial rank correlation with the output, 2030Q4, current-policy"
	Unit     string // x-axis title, e.g. "partial rank correlation"
	// Interval names the whiskers in the key; "95% interval" when empty.
	Interval string
	Bars     []TornadoBar
	Source   string
}

var _ Chart = (*Tornado)(nil)

// Measures of the tornado chart, in points.
const (
	tnRowMin   = 17  // least row height at the natural size
	tnRowPad   = 6   // least space between the labels of two rows
	tnLabelGap = 10  // label column to the data area
	tnLabelMax = 0.4 // the label column's largest share of the page width
	tnValueGap = 4   // bar end (or whisker) to its value label
	tnTickLen  = 4
	tnTickGap  = 3
	tnTitleGap = 4
)

// Write draws t and writes it to path; the format follows the extension.
// width and height are in inches: 8 wide when width is zero, and as tall
// as the bars need when height is zero.
func (t *Tornado) Write(path string, width, height float64, dpi int) error {
	return writeFile(path, func(w io.Writer, format string) error { return t.Render(w, format, width, height, dpi) })
}

// Render draws t and writes it to w in format; sizes as for Write.
func (t *Tornado) Render(w io.Writer, format string, width, height float64, dpi int) error {
	width, height = t.Size(width, height)
	return render(w, format, width, height, dpi, t.draw)
}

// Size implements Chart: 8 inches wide unless told otherwise, and as
// tall as the bars need.
func (t *Tornado) Size(width, height float64) (float64, float64) {
	if width == 0 {
		width = DefaultWidth
	}
	if height == 0 && CheckSize(width, 0, 0) == nil {
		height = float64(t.naturalHeight(vg.Length(width)*vg.Inch) / vg.Inch)
	}
	return width, height
}

// sorted returns the bars largest |Value| first; bars without a finite
// value go last. Equal effects keep their order.
func (t *Tornado) sorted() []TornadoBar {
	bars := append([]TornadoBar(nil), t.Bars...)
	sort.SliceStable(bars, func(i, j int) bool {
		a, b := bars[i].Value, bars[j].Value
		if !finite(b) {
			return finite(a)
		}
		return finite(a) && math.Abs(a) > math.Abs(b)
	})
	return bars
}

// Type of the tornado chart.
var (
	tnLabel = sans(tickSize, textColor, false)
	tnValue = sans(eventSize, tickColor, false)
	tnTick  = sans(tickSize, tickColor, false)
)

// key returns the chart's key: the signs that occur, and the whisker.
func (t *Tornado) key() *Key {
	k := houseKey()
	pos, neg, iv := false, false, false
	for _, b := range t.Bars {
		pos = pos || b.Value > 0
		neg = neg || b.Value < 0
		iv = iv || b.hasInterval()
	}
	if pos && neg {
		k.Entries = append(k.Entries,
			KeyEntry{"positive", &Area{Color: Blue}},
			KeyEntry{"negative", &Area{Color: Vermillion}})
	}
	if iv {
		label := t.Interval
		if label == "" {
			label = "95% interval"
		}
		k.Entries = append(k.Entries, KeyEntry{label, thumb(func(c *draw.Canvas) {
			drawWhisker(c, c.Min.X+1, c.Max.X-1, c.Center().Y, c.Size().Y*0.7)
		})})
	}
	return k
}

// tnLayout is where the parts of a tornado chart go.
type tnLayout struct {
	page, area           draw.Canvas
	bars                 []TornadoBar
	labelX, labelW       vg.Length
	plotMin, plotMax     vg.Length
	lo, hi, step         float64
	rowsTop, rowsBottom  vg.Length
	tickBaseline, titleB vg.Length
	lines                [][]string
}

// axisRange returns the nice range covering zero, every value and every
// whisker.
func (t *Tornado) axisRange() (lo, hi, step float64) {
	lo, hi = 0, 0
	for _, b := range t.Bars {
		for _, v := range []float64{b.Value, b.Lo, b.Hi} {
			if finite(v) {
				lo, hi = math.Min(lo, v), math.Max(hi, v)
			}
		}
	}
	if lo == hi {
		hi = 1
	}
	return niceRange(lo, hi)
}

// bottomHeight is the height under the rows: ticks, labels, axis title.
func (t *Tornado) bottomHeight() vg.Length {
	h := vg.Length(tnTickLen + tnTickGap + lineHeight(tnTick))
	if t.Unit != "" {
		h += tnTitleGap + lineHeight(tnTick)
	}
	return h
}

// naturalHeight is the height in points that rows of their natural size
// give on a page width points wide.
func (t *Tornado) naturalHeight(width vg.Length) vg.Length {
	pageW := width - marginLeft - marginRight
	h := headingHeight(pageW, t.Title, t.Subtitle) + sourceHeight(pageW, t.Source) + t.bottomHeight()
	k := t.key()
	if len(k.Entries) > 0 {
		for _, kk := range k.Split(pageW) {
			h += kk.Height()
		}
		h += gapPlot
	}
	labelW := t.labelWidth(pageW)
	for _, b := range t.Bars {
		lines := wrapLines(tnLabel, b.Label, labelW, 2)
		h += max(vg.Length(len(lines))*lineHeight(tnLabel)+tnRowPad, tnRowMin)
	}
	return h + marginTop + marginBottom
}

// labelWidth is the label column's width on a page pageW wide.
func (t *Tornado) labelWidth(pageW vg.Length) vg.Length {
	var w vg.Length
	for _, b := range t.Bars {
		w = max(w, tnLabel.Width(b.Label))
	}
	return min(w, pageW*tnLabelMax)
}

func (t *Tornado) layout(c draw.Canvas) (tnLayout, bool) {
	page, area := frame(c, t.Title, t.Subtitle, t.key(), t.Source)
	L := tnLayout{page: page, area: area, bars: t.sorted()}
	if area.Size().Y <= 0 || len(L.bars) == 0 {
		return L, false
	}
	L.labelX = page.Min.X
	L.labelW = t.labelWidth(page.Size().X)
	L.plotMin = L.labelX + L.labelW + tnLabelGap
	L.lo, L.hi, L.step = t.axisRange()
	// Room at either end for the value labels of the longest bars.
	var room vg.Length
	for _, b := range L.bars {
		room = max(room, tnValue.Width(b.label())+tnValueGap)
	}
	L.plotMax = page.Max.X - room
	if L.lo < 0 {
		L.plotMin += room
	}
	L.rowsTop = area.Max.Y
	L.rowsBottom = area.Min.Y + t.bottomHeight()
	L.tickBaseline = L.rowsBottom - tnTickLen - tnTickGap - tnTick.FontExtents().Ascent
	L.titleB = L.tickBaseline - tnTick.FontExtents().Descent - tnTitleGap - tnTick.FontExtents().Ascent
	for _, b := range L.bars {
		L.lines = append(L.lines, wrapLines(tnLabel, b.Label, L.labelW, 2))
	}
	return L, L.plotMax > L.plotMin && L.rowsTop > L.rowsBottom
}

// x maps a value to the canvas.
func (L *tnLayout) x(v float64) vg.Length {
	// A value beyond the axis (which stops at ±axisLimit) is cut just
	// past its end.
	f := max(-0.01, min(1.01, (v-L.lo)/(L.hi-L.lo)))
	return L.plotMin + vg.Length(f)*(L.plotMax-L.plotMin)
}

func (t *Tornado) draw(c draw.Canvas) {
	L, ok := t.layout(c)
	if !ok {
		return
	}
	grid := draw.LineStyle{Color: gridColor, Width: vg.Points(0.5)}
	axis := draw.LineStyle{Color: axisColor, Width: vg.Points(0.75)}
	ticks := LinearTicks{Step: L.step}.Ticks(L.lo, L.hi)
	for _, tk := range ticks {
		x := L.x(tk.Value)
		if tk.Value != 0 {
			c.StrokeLine2(grid, x, L.rowsBottom, x, L.rowsTop)
		}
		c.StrokeLine2(draw.LineStyle{Color: axisColor, Width: vg.Points(0.5)}, x, L.rowsBottom, x, L.rowsBottom-tnTickLen)
		fillLine(c, tnTick, x-tnTick.Width(tk.Label)/2, L.tickBaseline, tk.Label)
	}
	c.StrokeLine2(axis, L.plotMin, L.rowsBottom, L.plotMax, L.rowsBottom)
	if t.Unit != "" {
		tw := tnTick.Width(t.Unit)
		fillLine(c, tnTick, min(max((L.plotMin+L.plotMax-tw)/2, L.plotMin), L.plotMax-tw), L.titleB, t.Unit)
	}

	rowH := (L.rowsTop - L.rowsBottom) / vg.Length(len(L.bars))
	barH := min(max(rowH*0.55, 3), 14)
	zero := L.x(0)
	for i, b := range L.bars {
		mid := L.rowsTop - (vg.Length(i)+0.5)*rowH
		// Label lines, centred on the row.
		lines := L.lines[i]
		if rowH < lineHeight(tnLabel) {
			lines = nil // no room for text
		} else if vg.Length(len(lines))*lineHeight(tnLabel) > rowH {
			lines = wrapLines(tnLabel, b.Label, L.labelW, 1)
		}
		capH := tnLabel.Font.Size * btCapHeight
		span := capH + vg.Length(max(len(lines)-1, 0))*lineHeight(tnLabel)
		baseline := mid + span/2 - capH
		for _, l := range lines {
			fillLine(c, tnLabel, L.labelX, baseline, l)
			baseline -= lineHeight(tnLabel)
		}
		if !finite(b.Value) {
			fillLine(c, tnValue, zero+tnValueGap, mid-tnValue.Font.Size*btCapHeight/2, "no value")
			continue
		}
		var clr color.Color = Blue
		if b.Value < 0 {
			clr = Vermillion
		}
		xv := L.x(b.Value)
		drawBar(&c, min(zero, xv), max(zero, xv), mid, barH, clr)
		end := xv
		if b.hasInterval() {
			lo, hi := L.x(math.Min(b.Lo, b.Hi)), L.x(math.Max(b.Lo, b.Hi))
			drawWhisker(&c, lo, hi, mid, barH*0.8)
			if b.Value >= 0 {
				end = max(end, hi)
			} else {
				end = min(end, lo)
			}
		}
		label := b.label()
		by := mid - tnValue.Font.Size*btCapHeight/2
		if b.Value >= 0 {
			fillLine(c, tnValue, end+tnValueGap, by, label)
		} else {
			fillLine(c, tnValue, end-tnValueGap-tnValue.Width(label), by, label)
		}
	}
	// The zero line, over the bars' ends.
	c.StrokeLine2(draw.LineStyle{Color: axisColor, Width: vg.Points(0.9)}, zero, L.rowsBottom, zero, L.rowsTop)
}

// drawWhisker draws an interval from x0 to x1 at y with end caps h high.
func drawWhisker(c *draw.Canvas, x0, x1, y, h vg.Length) {
	sty := draw.LineStyle{Color: inkColor, Width: vg.Points(0.9)}
	c.StrokeLine2(sty, x0, y, x1, y)
	c.StrokeLine2(sty, x0, y-h/2, x0, y+h/2)
	c.StrokeLine2(sty, x1, y-h/2, x1, y+h/2)
}

// valueLabel writes an effect to two significant figures: 0.62, −0.035,
// 1.2k.
func valueLabel(v float64) string {
	if !finite(v) {
		return ""
	}
	return FormatTick(roundSig(v, 2))
}
