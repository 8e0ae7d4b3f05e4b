package chart

import (
	"math"
	"strconv"
	"strings"

	"gonum.org/v1/plot"
)

// minus is the typographic minus sign; a hyphen is too short next to digits.
const minus = "\u2212"

// shortScale holds the suffixes of the short scale (thousand, million,
// billion, trillion) that newspapers use for big numbers.
var shortScale = []struct {
	base   float64
	suffix string
}{
	{1e12, "T"},
	{1e9, "B"},
	{1e6, "M"},
	{1e3, "k"},
}

// FormatTick formats v as an axis label a general reader can read:
// 0, 0.25, 250k, 1.5M, 2B, 3T; beyond 999T, and below 0.001, as a power
// of ten (10²⁴, 2.5×10⁻⁵; FormatPowerOf). Non-finite values give "".
func FormatTick(v float64) string {
	switch {
	case math.IsNaN(v) || math.IsInf(v, 0):
		return ""
	case v == 0:
		return "0"
	case v < 0:
		return minus + FormatTick(-v)
	}
	// Round first, so that 999,999.9 is "1M" and not "1000k".
	v = roundSig(v, 4)
	if v >= 1e15 || v < 1e-3 {
		return FormatPowerOf(v)
	}
	for _, s := range shortScale {
		if v >= s.base {
			return trimFloat(v/s.base) + s.suffix
		}
	}
	return trimFloat(v)
}

// sciParts splits a positive v, rounded to four significant figures, into
// a mantissa in [1, 10) and a power of ten.
func sciParts(v float64) (mant float64, exp int) {
	v = roundSig(v, 4)
	exp = int(math.Floor(math.Log10(v)))
	mant = roundSig(v/math.Pow10(exp), 4)
	if mant >= 10 { // Log10 of an exact power of ten can fall just short.
		mant /= 10
		exp++
	}
	return mant, exp
}

// FormatSci formats v in scientific notation without a plus sign or leading
// zeros in the exponent: 1e24, 2.5e24, 1e-5. Non-finite values give "".
func FormatSci(v float64) string {
	switch {
	case math.IsNaN(v) || math.IsInf(v, 0):
		return ""
	case v == 0:
		return "0"
	case v < 0:
		return minus + FormatSci(-v)
	}
	mant, exp := sciParts(v)
	return trimFloat(mant) + "e" + strings.Replace(strconv.Itoa(exp), "-", minus, 1)
}

// roundSig rounds v to n significant digits.
func roundSig(v float64, n int) float64 {
	r, err := strconv.ParseFloat(strconv.FormatFloat(v, 'g', n, 64), 64)
	if err != nil {
		return v
	}
	return r
}

// trimFloat formats v with as few digits as still give v back after roundSig.
func trimFloat(v float64) string {
	return strconv.FormatFloat(roundSig(v, 4), 'f', -1, 64)
}

// niceSteps are the multiples of a power of ten that make tick steps easy to
// read (Heckbert, "Nice numbers for graph labels", Graphics Gems, 1990, with
// 2.5 added as newspapers do for 0, 250k, 500k, 750k).
var niceSteps = []float64{1, 2, 2.5, 5}

// maxIntervals is the most intervals between labelled ticks on the y axis;
// more crowd a 4.5-inch-high chart.
const maxIntervals = 6

// niceRange returns the smallest range [lo, hi] of whole multiples of a nice
// step that covers [min, max] in at most maxIntervals steps. It is total:
// any two float64 values give a finite range with lo < hi, after
// axisBounds has made them drawable.
func niceRange(min, max float64) (lo, hi, step float64) {
	min, max = axisBounds(min, max)
	// eps keeps float fuzz from adding an interval: 6.0000000001 steps is 6.
	const eps = 1e-9
	mag := math.Pow10(int(math.Floor(math.Log10((max - min) / maxIntervals))))
	// Each round multiplies the step by ten; the second already covers
	// the range (a step of at least a sixth of it fits in six intervals
	// plus the two partial ones at the ends, and 2 × mag more than halves
	// that), so four rounds are plenty.
	for range 4 {
		for _, s := range niceSteps {
			step = s * mag
			lo = math.Floor(min/step+eps) * step
			hi = math.Ceil(max/step-eps) * step
			if math.Round((hi-lo)/step) <= maxIntervals && hi > lo {
				return lo + 0, hi + 0, step // + 0 turns -0 into 0
			}
		}
		mag *= 10
	}
	return min, max, (max - min) / maxIntervals
}

// axisBounds makes [min, max] a range an axis can show: NaN counts as 0,
// so does a value nearer zero than axisTiny; each end is kept within
// ±axisLimit; the ends are put in order; and a range too narrow for labels
// to tell its ends apart (under a billionth of its magnitude, equal ends
// included) is widened about its middle by half its magnitude, or made
// 0 to 1 when all is 0. The result has min < max, both finite, and a
// width that is a normal float64 well above axisTiny.
func axisBounds(min, max float64) (float64, float64) {
	clamp := func(v float64) float64 {
		if math.IsNaN(v) || math.Abs(v) < axisTiny {
			return 0
		}
		return math.Max(-axisLimit, math.Min(axisLimit, v))
	}
	min, max = clamp(min), clamp(max)
	if max < min {
		min, max = max, min
	}
	c := math.Max(math.Abs(min), math.Abs(max))
	switch {
	case c == 0:
		return 0, 1
	case max-min > 1e-9*c:
		return min, max
	}
	mid := min/2 + max/2
	return mid - c/2, mid + c/2
}

// LinearTicks marks a linear axis at whole multiples of Step, labelled with
// FormatTick; with Exp, labelled in units of 10^Exp (the axis label says
// "×10²⁷"). A zero Step is chosen from the range.
type LinearTicks struct {
	Step float64
	Exp  int
}

var _ plot.Ticker = LinearTicks{}

// Ticks implements plot.Ticker. At most maxTicks ticks: a Step too small
// for the range (or for the precision of its multiples) gives way to the
// nice step of the range.
func (t LinearTicks) Ticks(min, max float64) []plot.Tick {
	if !(max > min) {
		return nil
	}
	// eps absorbs float fuzz at the ends of the range.
	const eps = 1e-9
	// Multiples are counted in float64, exact below 2^52.
	const exact = 1 << 52
	span := func(step float64) (first, n float64) {
		first = math.Ceil(min/step - eps)
		n = math.Floor(max/step+eps) - first + 1
		if !(n <= maxTicks) || !(math.Abs(first)+n < exact) {
			return 0, -1
		}
		return first, n
	}
	step := t.Step
	first, n := -1.0, -1.0
	if step > 0 && !math.IsInf(step, 0) {
		first, n = span(step)
	}
	if n < 0 {
		var lo, hi float64
		lo, hi, step = niceRange(min, max)
		min, max = math.Max(min, lo), math.Min(max, hi)
		if first, n = span(step); n < 0 {
			return nil
		}
	}
	// Values are computed from integers, never accumulated, so 0.1+0.2
	// drift cannot reach the labels.
	var ticks []plot.Tick
	for k := 0.0; k < n; k++ {
		v := (first + k) * step
		if math.Abs(v) < eps*step {
			v = 0 // not -0
		}
		ticks = append(ticks, plot.Tick{Value: v, Label: FormatTick(v / math.Pow10(t.Exp))})
	}
	return ticks
}

// LogTicks marks a logarithmic axis at powers of ten. When the range spans
// more than maxIntervals decades only every second (third, ...) decade is
// labelled; when it spans less than two, 2 and 5 times powers of ten are
// labelled too. Labels use FormatTick (100k, 1M) unless some label would need
// scientific notation, in which case all do (1e24, 1e25), so an axis never
// mixes "1T" with "1e15".
type LogTicks struct{}

var _ plot.Ticker = LogTicks{}

// Ticks implements plot.Ticker.
func (LogTicks) Ticks(min, max float64) []plot.Tick {
	if !(min > 0) || !(max > min) || math.IsInf(max, 0) {
		return nil
	}
	min, max = math.Max(min, axisTiny), math.Min(max, axisLimit)
	if !(max > min) {
		return nil
	}
	lo := int(math.Floor(math.Log10(min) + 1e-9))
	hi := int(math.Ceil(math.Log10(max) - 1e-9))
	decades := hi - lo
	every := 1
	if decades > maxIntervals {
		every = (decades + maxIntervals - 1) / maxIntervals
	}
	mults := []float64{1}
	if decades < 2 {
		mults = []float64{1, 2, 5}
	}
	format := FormatTick
	if max >= 1e15 || min < 1e-3 {
		format = FormatPowerOf
	}
	const eps = 1e-9
	var ticks []plot.Tick
	for d := lo; d <= hi; d++ {
		for _, m := range mults {
			v := m * math.Pow10(d)
			if v < min*(1-eps) || v > max*(1+eps) {
				continue
			}
			t := plot.Tick{Value: v}
			if m != 1 || (d-lo)%every == 0 {
				t.Label = format(v)
			}
			ticks = append(ticks, t)
		}
	}
	return ticks
}

// FormatPowerOf formats v as a power of ten, in superscript as print does:
// 10²⁴, 2×10²⁴, 10⁻⁵; non-finite values give "".
func FormatPowerOf(v float64) string {
	switch {
	case math.IsNaN(v) || math.IsInf(v, 0):
		return ""
	case v == 0:
		return "0"
	case v < 0:
		return minus + FormatPowerOf(-v)
	}
	mant, exp := sciParts(v)
	if mant == 1 {
		return Power10(exp)
	}
	return trimFloat(mant) + "×" + Power10(exp)
}

// superscript holds the superscript digits.
var superscript = []rune("⁰¹²³⁴⁵⁶⁷⁸⁹")

// Power10 writes 10 to the power exp with a superscript exponent: 10²⁷.
func Power10(exp int) string {
	var b strings.Builder
	b.WriteString("10")
	if exp < 0 {
		b.WriteRune('⁻')
		exp = -exp
	}
	for _, c := range strconv.Itoa(exp) {
		b.WriteRune(superscript[c-'0'])
	}
	return b.String()
}

// bigNames are the short-scale names of powers of ten past a trillion,
// which tick labels write as 10¹⁵, 10¹⁸, ...
var bigNames = map[int]string{15: "quadrillion", 18: "quintillion", 21: "sextillion", 24: "septillion",
	27: "octillion", 30: "nonillion", 33: "decillion"}

// PowerWords returns the words a reader needs for an axis whose values
// reach v, when its labels are powers of ten (past a quadrillion): "10²⁷ =
// 1 octillion", the named power at or below v; "" below 10¹⁵ or past the
// names.
func PowerWords(v float64) string {
	if !(v >= 1e15) || math.IsInf(v, 0) {
		return ""
	}
	e := int(math.Floor(math.Log10(v)+1e-9)) / 3 * 3
	if n, ok := bigNames[e]; ok {
		return Power10(e) + " = 1 " + n
	}
	return ""
}

// tightLogRange returns the range of a log axis that covers [min, max],
// min > 0, ending at the nearest of 1, 1.5, 2, 3, 5 and 7 times a power
// of ten beyond each end, so little of the axis is empty; it spans at
// least a factor of four, enough for two labelled ticks. Ends are kept
// within axisTiny and axisLimit (NaN counts as 1).
func tightLogRange(min, max float64) (lo, hi float64) {
	min, max = logBound(min), logBound(max)
	max = math.Max(min, max)
	lo, hi = niceDownOf(min, tightSteps), niceUpOf(max, tightSteps)
	if hi < 4*lo {
		lo, hi = niceDownOf(logBound(min/2), tightSteps), niceUpOf(logBound(max*2), tightSteps)
	}
	return lo, hi
}

// tightSteps are the multiples of a power of ten a log axis may end at.
var tightSteps = []float64{1, 1.5, 2, 3, 5, 7}

// logRange returns the powers of ten that enclose [min, max], min > 0; at
// least one decade apart. Ends are kept within axisTiny and axisLimit (NaN
// counts as 1), so the range is finite and positive for any input.
func logRange(min, max float64) (lo, hi float64) {
	min, max = logBound(min), logBound(max)
	max = math.Max(min, max)
	dlo := math.Floor(math.Log10(min) + 1e-9)
	dhi := math.Ceil(math.Log10(max) - 1e-9)
	if dhi <= dlo {
		dhi = dlo + 1
	}
	return math.Pow(10, dlo), math.Pow(10, dhi)
}

// logBound keeps v within the ends of a log axis; NaN counts as 1.
func logBound(v float64) float64 {
	if math.IsNaN(v) {
		return 1
	}
	return math.Max(axisTiny, math.Min(axisLimit, v))
}

// YearTicks marks a time axis in decimal years: a labelled tick every Step
// years (on multiples of Step, so 2020, 2022, ...), an unlabelled one every
// year between. A zero Step means 1.
type YearTicks struct {
	Step int
}

var _ plot.Ticker = YearTicks{}

// Ticks implements plot.Ticker.
func (t YearTicks) Ticks(min, max float64) []plot.Tick {
	// A time axis of more than maxTicks years, or reaching years an int
	// cannot hold, is not one chokepoint draws.
	if !(max >= min) || !(max-min <= maxTicks) || !(math.Abs(min) < 1e9) || !(math.Abs(max) < 1e9) {
		return nil
	}
	step := t.Step
	if step < 1 {
		step = 1
	}
	const eps = 1e-9
	var ticks []plot.Tick
	for y := math.Ceil(min - eps); y <= max+eps; y++ {
		tk := plot.Tick{Value: y}
		if int(y)%step == 0 {
			tk.Label = strconv.Itoa(int(y))
		}
		ticks = append(ticks, tk)
	}
	return ticks
}

// steps125 are the multiples of a power of ten a ratio axis stops at.
var steps125 = []float64{1, 2, 5}

// niceUp125 returns the least of 1, 2, 5, 10, 20, ... times a power of ten
// that is at least v > 0 (v kept within the ends of a log axis).
func niceUp125(v float64) float64 { return niceUpOf(logBound(v), steps125) }

// niceDown125 returns the greatest of 1, 2, 5, 10, ... times a power of
// ten that is at most v > 0 (v kept within the ends of a log axis).
func niceDown125(v float64) float64 { return niceDownOf(logBound(v), steps125) }

// niceUpOf returns the least of ms (ascending, from 1 to under 10) times
// a power of ten that is at least v, for v in [axisTiny, axisLimit]: one
// of the three decades from the one below v's is it.
func niceUpOf(v float64, ms []float64) float64 {
	d0 := math.Floor(math.Log10(v)) - 1
	for d := d0; d <= d0+2; d++ {
		for _, m := range ms {
			if c := m * math.Pow(10, d); c >= v*(1-1e-9) {
				return c
			}
		}
	}
	return v
}

// niceDownOf returns the greatest of ms times a power of ten that is at
// most v, for v in [axisTiny, axisLimit]; as niceUpOf.
func niceDownOf(v float64, ms []float64) float64 {
	d0 := math.Ceil(math.Log10(v)) + 1
	for d := d0; d >= d0-2; d-- {
		for i := len(ms) - 1; i >= 0; i-- {
			if c := ms[i] * math.Pow(10, d); c <= v*(1+1e-9) {
				return c
			}
		}
	}
	return v
}

// RatioTicks marks a logarithmic axis of ratios: 1, 2 and 5 times powers
// of ten when it spans less than three decades (0.5, 1, 2, 5), else the
// powers of ten, with minor ticks at 2 and 5 times them.
type RatioTicks struct{}

var _ plot.Ticker = RatioTicks{}

// Ticks implements plot.Ticker.
func (RatioTicks) Ticks(min, max float64) []plot.Tick {
	if !(min > 0) || !(max > min) || math.IsInf(max, 0) {
		return nil
	}
	min, max = math.Max(min, axisTiny), math.Min(max, axisLimit)
	if !(max > min) {
		return nil
	}
	dense := math.Log10(max/min) < 3
	ms := steps125
	if math.Log10(max/min) > 3*maxIntervals {
		ms = ms[:1] // minor ticks would merge into a smear
	}
	const eps = 1e-9
	var ticks []plot.Tick
	for d := math.Floor(math.Log10(min)) - 1; d <= math.Ceil(math.Log10(max)); d++ {
		for _, m := range ms {
			v := m * math.Pow(10, d)
			if v < min*(1-eps) || v > max*(1+eps) {
				continue
			}
			t := plot.Tick{Value: v}
			if dense || m == 1 {
				t.Label = FormatTick(v)
			}
			ticks = append(ticks, t)
		}
	}
	return ticks
}

// PercentTicks marks a linear axis of shares (0 to 1) in percent: 0%, 25%,
// 50%; or, with Points, a difference of shares in percentage points
// ("+10 pts"). Ticks above Max, when it is positive, are left out: a
// share's axis stops at 100% even when room is made above it for labels.
type PercentTicks struct {
	Step   float64
	Points bool
	Max    float64
}

var _ plot.Ticker = PercentTicks{}

// Ticks implements plot.Ticker.
func (t PercentTicks) Ticks(min, max float64) []plot.Tick {
	var ticks []plot.Tick
	for _, tk := range (LinearTicks{Step: t.Step}).Ticks(min, max) {
		if t.Max > 0 && tk.Value > t.Max*(1+1e-9) {
			continue
		}
		tk.Label = FormatPercent(tk.Value, t.Points)
		ticks = append(ticks, tk)
	}
	return ticks
}

// FormatPercent writes a share as a percentage (0.25 gives "25%") or, with
// points, a difference of shares in percentage points ("+10 pts").
func FormatPercent(v float64, points bool) string {
	if !finite(v) {
		return ""
	}
	s := FormatTick(roundSig(100*v, 3))
	if !points {
		return s + "%"
	}
	if v > 0 {
		s = "+" + s
	}
	return s + " pts"
}

// Limits of an axis. Data read from a tampered folder, or a model pushed
// to its bounds, can hold any float64; an axis covers at most ±axisLimit
// (a log axis axisTiny to axisLimit), so that its range, its steps and
// its ticks stay finite, and values beyond are drawn cut at its end.
const (
	axisLimit = 1e300
	axisTiny  = 1e-300
	// maxTicks bounds the ticks of any axis; a 600-decade log axis has
	// 601.
	maxTicks = 2048
)
