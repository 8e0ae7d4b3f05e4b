package chart

import (
	"fmt"
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
	"gonum.org/v1/plot"
)

func TestFormatTick(t *testing.T) {
	for _, tc := range []struct {
		v    float64
		want string
	}{
		{0, "0"},                // zero has no unit
		{0.25, "0.25"},          // a fraction tick, from the brief
		{0.2, "0.2"},            // a 0.2-step fraction axis
		{0.1 + 0.2, "0.3"},      // float sum 0.30000000000000004 must not leak into a label
		{250000, "250k"},        // from the brief
		{1500000, "1.5M"},       // from the brief
		{2e9, "2B"},             // from the brief
		{3e12, "3T"},            // trillion, the last short-scale suffix
		{999, "999"},            // just below a thousand: no suffix
		{1000, "1k"},            // a thousand exactly
		{999999.9, "1M"},        // rounds to a million: not "1000k"
		{12.5e6, "12.5M"},       // a 2.5 step at ten million
		{-1500000, "−1.5M"},     // negative, with a typographic minus (U+2212)
		{1e15, "10¹⁵"},          // past the short scale: a power of ten
		{1e24, "10²⁴"},          // a training run in FLOP
		{2.5e25, "2.5×10²⁵"},    // a 2.5 mantissa
		{0.0005, "5×10⁻⁴"},      // below 0.001: a power of ten, minus in the exponent
		{math.NaN(), ""},        // not a number: no label
		{math.Inf(1), ""},       // infinite: no label
		{math.Inf(-1), ""},      // infinite: no label
		{1234567, "1.235M"},     // four significant digits at most
		{0.001, "0.001"},        // the smallest plain decimal
		{100e3, "100k"},         // a decade tick on a log axis of H100e
		{1e-300, "10⁻³⁰⁰"},      // tiny but positive: still a label
		{4.9999999e6, "5M"},     // float noise under a whole tick
		{-0.25, "−0.25"},        // a negative fraction
		{7.5e8, "750M"},         // a 2.5 step below a billion
		{1.25e6, "1.25M"},       // a 0.25M step
		{5e5, "500k"},           // half a million
		{2e-3, "0.002"},         // a small share
		{1e3 - 1e-9, "1k"},      // float noise under a thousand
		{999.94, "999.9"},       // four significant digits
		{999.96, "1k"},          // rounds up to a thousand
		{1e12 - 1, "1T"},        // rounds up to a trillion
		{1.5, "1.5"},            // plain
		{10, "10"},              // plain
		{123.456, "123.5"},      // four significant digits
		{1e-3 - 1e-12, "0.001"}, // rounds up to the smallest plain decimal
	} {
		got := FormatTick(tc.v)
		assert.Equal(t, tc.want, got, "FormatTick(%g) = %q, want %q", tc.v, got, tc.want)
	}
}

func TestFormatSci(t *testing.T) {
	for _, tc := range []struct {
		v    float64
		want string
	}{
		{1e24, "1e24"},      // a power of ten
		{1e25, "1e25"},      // Log10 of some powers of ten falls just short of the integer
		{2e24, "2e24"},      // a 1-2-5 tick
		{5e27, "5e27"},      // a 1-2-5 tick
		{1e-5, "1e−5"},      // negative exponent
		{-3e20, "−3e20"},    // negative mantissa
		{0, "0"},            // zero has no exponent
		{9.9999e23, "1e24"}, // rounds up into the next decade
	} {
		got := FormatSci(tc.v)
		assert.Equal(t, tc.want, got, "FormatSci(%g) = %q, want %q", tc.v, got, tc.want)
	}
}

// labelled returns the labelled ticks as "value=label" strings.
func labelled(ticks []plot.Tick) []string {
	var s []string
	for _, t := range ticks {
		if !t.IsMinor() {
			s = append(s, t.Label)
		}
	}
	return s
}

func TestLogTicks(t *testing.T) {
	for _, tc := range []struct {
		name     string
		min, max float64
		want     []string
	}{
		// The FLOP chart of the brief: four decades, one label each, all
		// powers of ten as print writes them (drawn with raised digits).
		{"flop", 1e24, 1e28, []string{"10²⁴", "10²⁵", "10²⁶", "10²⁷", "10²⁸"}},
		// H100e on a log axis: short-scale words read better than 1e5.
		{"h100e", 1e4, 1e7, []string{"10k", "100k", "1M", "10M"}},
		// One decade: 2 and 5 times powers of ten are labelled too.
		{"narrow", 1e24, 1e25, []string{"10²⁴", "2×10²⁴", "5×10²⁴", "10²⁵"}},
		// Twelve decades (1e14 to 1e26) exceed maxIntervals (6): every
		// second decade is labelled.
		{"wide", 1e14, 1e26, []string{"10¹⁴", "10¹⁶", "10¹⁸", "10²⁰", "10²²", "10²⁴", "10²⁶"}},
	} {
		got := labelled(LogTicks{}.Ticks(tc.min, tc.max))
		assert.Equal(t, fmt.Sprint(tc.want), fmt.Sprint(got), "%s: LogTicks(%g, %g) labels %q, want %q", tc.name, tc.min, tc.max, got, tc.want)
	}
	// A range that is not positive has no log ticks (and no panic).
	got := (LogTicks{}).Ticks(-1, 10)
	assert.Nil(t, got, "LogTicks(-1, 10) = %v, want nil", got) // -1: not drawable on a log axis
}

func TestNiceRange(t *testing.T) {
	for _, tc := range []struct {
		min, max     float64
		lo, hi, step float64
		labels       []string
	}{
		// The H100e chart of the brief: 0 to a 90% high of about 10.5M.
		{0, 10.5e6, 0, 12e6, 2e6, []string{"0", "2M", "4M", "6M", "8M", "10M", "12M"}},
		// A median rising from 2e5 to 5e6 (the brief), with zero included.
		{0, 5e6, 0, 5e6, 1e6, []string{"0", "1M", "2M", "3M", "4M", "5M"}},
		// A 2.5 step: 0 to 1.4M.
		{0, 1.4e6, 0, 1.5e6, 250e3, []string{"0", "250k", "500k", "750k", "1M", "1.25M", "1.5M"}},
		// A fraction from 0 to 0.93: 0.2 steps to 1.
		{0, 0.93, 0, 1, 0.2, []string{"0", "0.2", "0.4", "0.6", "0.8", "1"}},
		// Negative values, a difference between scenarios: 500k steps make
		// 6 intervals, within maxIntervals.
		{-2.8e6, 0, -3e6, 0, 500e3, []string{"−3M", "−2.5M", "−2M", "−1.5M", "−1M", "−500k", "0"}},
	} {
		lo, hi, step := niceRange(tc.min, tc.max)
		assert.False(t, lo != tc.lo || hi != tc.hi || math.Abs(step-tc.step) > 1e-12*tc.step, "niceRange(%g, %g) = %g, %g, %g; want %g, %g, %g", tc.min, tc.max, lo, hi, step, tc.lo, tc.hi, tc.step) // 1e-12: float noise in the step
		got := labelled(LinearTicks{Step: step}.Ticks(lo, hi))
		assert.Equal(t, fmt.Sprint(tc.labels), fmt.Sprint(got), "LinearTicks over [%g, %g] labels %q, want %q", lo, hi, got, tc.labels)
	}
}

func TestYearTicks(t *testing.T) {
	// 2020Q1 to 2035Q4, labelled every second year as at 8 inches wide.
	ticks := YearTicks{Step: 2}.Ticks(2020, 2035.75)
	n := len(ticks)
	assert.Equal(t, 16, n, "got %d ticks, want 16", n) // a tick each year, 2020 to 2035
	want := []string{"2020", "2022", "2024", "2026", "2028", "2030", "2032", "2034"}
	got := labelled(ticks)
	assert.Equal(t, fmt.Sprint(want), fmt.Sprint(got), "labels %q, want %q", got, want)
}

func ExampleFormatTick() {
	for _, v := range []float64{0, 0.25, 250e3, 1.5e6, 2e9, 1e25} {
		fmt.Println(FormatTick(v))
	}
	// Output:
	// 0
	// 0.25
	// 250k
	// 1.5M
	// 2B
	// 10²⁵
}
