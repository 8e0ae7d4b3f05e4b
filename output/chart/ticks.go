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
// 0, 0.25, 250k, 1.5M, 2B, 3T; beyond 999T, and below 0.001, in scientific
// notation (1e24, 2.5e-5). Non-finite values give "".
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
		return FormatSci(v)
	}
	for _, s := range shortScale {
		if v >= s.base {
			return trimFloat(v/s.base) + s.suffix
		}
	}
	return trimFloat(v)
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
	v = roundSig(v, 4)
	exp := int(math.Floor(math.Log10(v)))
	mant := roundSig(v/math.Pow10(exp), 4)
	if mant >= 10 { // Log10 of an exact power of ten can fall just short.
		mant /= 10
		exp++
	}
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
// step that covers [min, max] in at most maxIntervals steps.
func niceRange(min, max float64) (lo, hi, step float64) {
	if !(max > min) {
		panic("chart: niceRange needs max > min")
	}
	// eps keeps float fuzz from adding an interval: 6.0000000001 steps is 6.
	const eps = 1e-9
	mag := math.Pow10(int(math.Floor(math.Log10((max - min) / maxIntervals))))
	for {
		for _, s := range niceSteps {
			step = s * mag
			lo = math.Floor(min/step+eps) * step
			hi = math.Ceil(max/step-eps) * step
			if math.Round((hi-lo)/step) <= maxIntervals {
				return lo + 0, hi + 0, step // + 0 turns -0 into 0
			}
		}
		mag *= 10
	}
}

// LinearTicks marks a linear axis at whole multiples of Step, labelled with
// FormatTick. A zero Step is chosen from the range.
type LinearTicks struct {
	Step float64
}

var _ plot.Ticker = LinearTicks{}

// Ticks implements plot.Ticker.
func (t LinearTicks) Ticks(min, max float64) []plot.Tick {
	if !(max > min) {
		return nil
	}
	step := t.Step
	if !(step > 0) {
		_, _, step = niceRange(min, max)
	}
	// Values are computed from integers, never accumulated, so 0.1+0.2
	// drift cannot reach the labels.
	const eps = 1e-9
	var ticks []plot.Tick
	for i := math.Ceil(min/step - eps); i*step <= max+eps*step; i++ {
		v := i * step
		if math.Abs(v) < eps*step {
			v = 0 // not -0
		}
		ticks = append(ticks, plot.Tick{Value: v, Label: FormatTick(v)})
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
		format = FormatSci
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

// logRange returns the powers of ten that enclose [min, max], min > 0; at
// least one decade apart.
func logRange(min, max float64) (lo, hi float64) {
	dlo := math.Floor(math.Log10(min) + 1e-9)
	dhi := math.Ceil(math.Log10(max) - 1e-9)
	if dhi <= dlo {
		dhi = dlo + 1
	}
	return math.Pow(10, dlo), math.Pow(10, dhi)
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
	if !(max >= min) || math.IsInf(min, 0) || math.IsInf(max, 0) {
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
// that is at least v > 0.
func niceUp125(v float64) float64 {
	for d := math.Floor(math.Log10(v)) - 1; ; d++ {
		for _, m := range steps125 {
			if c := m * math.Pow(10, d); c >= v*(1-1e-9) {
				return c
			}
		}
	}
}

// niceDown125 returns the greatest of 1, 2, 5, 10, ... times a power of
// ten that is at most v > 0.
func niceDown125(v float64) float64 {
	for d := math.Ceil(math.Log10(v)) + 1; ; d-- {
		for i := len(steps125) - 1; i >= 0; i-- {
			if c := steps125[i] * math.Pow(10, d); c <= v*(1+1e-9) {
				return c
			}
		}
	}
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
	dense := math.Log10(max/min) < 3
	const eps = 1e-9
	var ticks []plot.Tick
	for d := math.Floor(math.Log10(min)) - 1; d <= math.Ceil(math.Log10(max)); d++ {
		for _, m := range steps125 {
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
