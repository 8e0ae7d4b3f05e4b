package chart

import (
	"bytes"
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gonum.org/v1/plot"
)

// extremes are values that data read from a tampered folder (or a model
// pushed to its bounds) can hold: zero, the smallest subnormal, values
// near the ends of float64, and the non-finite ones.
var extremes = []float64{
	0, math.Copysign(0, -1), 5e-324, -5e-324, math.SmallestNonzeroFloat64 * 1e10, 1e-300,
	1, -1, 1e300, 1e308, -1e308, math.MaxFloat64, -math.MaxFloat64,
	math.Inf(1), math.Inf(-1), math.NaN(),
}

// patterns are the shapes of data every chart must draw without a panic
// or a hang: all zero, all equal (at every extreme), one run, partly zero
// and mixtures of extremes.
func patterns() map[string]func(n int) []float64 {
	ps := map[string]func(n int) []float64{
		"partly zero": func(n int) []float64 {
			v := make([]float64, n)
			for i := range v {
				if i%2 == 1 {
					v[i] = float64(i) * 1e6
				}
			}
			return v
		},
		"mixed extremes": func(n int) []float64 {
			v := make([]float64, n)
			for i := range v {
				v[i] = extremes[i%len(extremes)]
			}
			return v
		},
		"tiny and huge": func(n int) []float64 {
			v := make([]float64, n)
			for i := range v {
				v[i] = 5e-324
				if i%2 == 1 {
					v[i] = 1e308
				}
			}
			return v
		},
		"near equal": func(n int) []float64 {
			v := make([]float64, n)
			for i := range v {
				v[i] = 1e7 + float64(i)*1e-9 // a spread far below the label precision
			}
			return v
		},
	}
	for _, x := range extremes {
		ps[fmt.Sprintf("all %g", x)] = func(n int) []float64 {
			v := make([]float64, n)
			for i := range v {
				v[i] = x
			}
			return v
		}
	}
	return ps
}

// bandOf returns a band whose every quantile is vals over len(vals) quarters.
func bandOf(vals []float64) Band {
	b := Band{Scenario: "s"}
	for i := range vals {
		b.X = append(b.X, 2020+0.25*float64(i))
	}
	b.P05, b.P25, b.P50, b.P75, b.P95 = vals, vals, vals, vals, vals
	return b
}

// everyKind builds one chart of every kind from vals, on a log axis and
// on a linear one.
func everyKind(vals []float64) map[string]Chart {
	b := bandOf(vals)
	cs := map[string]Chart{}
	for _, log := range []bool{true, false} {
		sfx := fmt.Sprintf(" log=%v", log)
		cs["fan"+sfx] = &Fan{Log: log, Band: b, Events: briefEvents}
		cs["compare"+sfx] = &Compare{Log: log, Series: []Band{b, b}, Events: briefEvents}
		cs["compare panels"+sfx] = &Compare{Log: log, Series: []Band{b, b, b, b, b}, Events: briefEvents}
		cs["importance"+sfx] = &Compare{Log: log, NoBands: true, Series: []Band{b}}
		cs["diff"+sfx] = &Diff{Band: b, Ratio: log, Events: briefEvents}
		cs["spaghetti"+sfx] = &Spaghetti{Log: log, X: b.X, Runs: [][]float64{vals, vals}, Median: vals}
		cs["distribution"+sfx] = &Distribution{Log: log, Samples: []Sample{{Label: "a", Values: vals}, {Label: "b", Values: vals}}}
		cs["distribution percent"+sfx] = &Distribution{Log: log, Percent: true, Samples: []Sample{{Label: "a", Values: vals}}}
		cs["share"+sfx] = &Fan{Log: log, Unit: "fraction", Band: b}
		cs["share diff"+sfx] = &Diff{Unit: "fraction", Band: b, Ratio: log}
	}
	var bars []TornadoBar
	var rows []CheckRow
	for i, v := range vals {
		bars = append(bars, TornadoBar{Label: fmt.Sprint(i), Value: v, Lo: v / 2, Hi: v})
		rows = append(rows, CheckRow{Label: fmt.Sprint(i), Low: v, Central: v, High: v, P05: v, P50: v, P95: v})
	}
	cs["tornado"] = &Tornado{Bars: bars}
	cs["backtest"] = &Backtest{Rows: rows}
	ps := make([]float64, len(vals))
	for i := range ps {
		ps[i] = float64(i+1) / float64(len(vals))
	}
	curve := CDFCurve{Label: "a", X: vals, P: ps, QX: vals, QP: ps}
	cs["elicitation"] = &Elicitation{Experts: []CDFCurve{curve, curve}, Pool: curve}
	return cs
}

// renderWithin renders c as a small PNG and fails if it panics or takes
// longer than limit (a loop that does not end).
func renderWithin(t *testing.T, name string, c Chart, limit time.Duration) {
	t.Helper()
	done := make(chan any, 1)
	go func() {
		defer func() { done <- recover() }()
		var buf bytes.Buffer
		if err := c.Render(&buf, "png", 3, 2, 30); err != nil {
			done <- err
		}
	}()
	select {
	case r := <-done:
		assert.Nil(t, r, "%s: %v", name, r)
	case <-time.After(limit):
		require.FailNow(t, fmt.Sprintf("%s: still drawing after %v", name, limit))
	}
}

// Every chart kind draws every pattern of data, on log and linear axes,
// with one run (one quarter, one bar), a few and many, without a panic or
// a hang.
func TestEveryKindDrawsExtremeData(t *testing.T) {
	for name, pat := range patterns() {
		for _, n := range []int{1, 2, 17} { // one run; two; more than there are extremes
			for kind, c := range everyKind(pat(n)) {
				renderWithin(t, fmt.Sprintf("%s, %s, n=%d", kind, name, n), c, 20*time.Second)
			}
		}
	}
}

// niceRange and the tickers are total: for any two float64 values,
// including subnormals, ±MaxFloat64, infinities, NaN and equal bounds,
// they return in bounded steps with a finite, ordered range and finite,
// ordered, bounded ticks.
func TestTicksTotal(t *testing.T) {
	rnd := rand.New(rand.NewPCG(11, 11))
	var pairs [][2]float64
	for _, a := range extremes {
		for _, b := range extremes {
			pairs = append(pairs, [2]float64{a, b})
		}
	}
	for range 2500 {
		// Random bits cover every exponent, subnormals included.
		a := math.Float64frombits(rnd.Uint64())
		b := math.Float64frombits(rnd.Uint64())
		pairs = append(pairs, [2]float64{a, b}, [2]float64{a, math.Nextafter(a, math.Inf(1))},
			[2]float64{a, a * (1 + 1e-12)}, [2]float64{a, -a})
	}
	for _, p := range pairs {
		lo, hi, step := niceRange(p[0], p[1])
		where := fmt.Sprintf("niceRange(%g, %g) = %g, %g, %g", p[0], p[1], lo, hi, step)
		require.True(t, finite(lo) && finite(hi) && finite(step), where)
		require.True(t, lo < hi && step > 0, where)
		require.LessOrEqual(t, (hi-lo)/step, float64(maxIntervals)+1e-6, where)
		if finite(p[0]) && finite(p[1]) && p[0] < p[1] && math.Abs(p[0]) <= axisLimit && math.Abs(p[1]) <= axisLimit &&
			p[1]-p[0] > 1e-9*math.Max(math.Abs(p[0]), math.Abs(p[1])) {
			// Values nearer zero than axisTiny count as zero; eps in
			// niceRange lets an end sit a billionth of a step inside.
			tol := axisTiny + 1e-8*step
			require.True(t, lo <= p[0]+tol && hi >= p[1]-tol, "covers: "+where)
		}
		for name, tk := range map[string]interface {
			Ticks(min, max float64) []float64
		}{
			"linear":  linearTicker{LinearTicks{}},
			"stepped": linearTicker{LinearTicks{Step: step}},
			"tiny":    linearTicker{LinearTicks{Step: 5e-324}},
			"log":     logTicker{},
			"ratio":   ratioTicker{},
			"year":    yearTicker{},
			"percent": percentTicker{},
		} {
			ticks := tk.Ticks(p[0], p[1])
			require.LessOrEqual(t, len(ticks), maxTicks, "%s ticks of %g, %g", name, p[0], p[1])
			for i, v := range ticks {
				require.True(t, finite(v), "%s tick %g of %g, %g", name, v, p[0], p[1])
				if i > 0 {
					require.Greater(t, v, ticks[i-1], "%s ticks of %g, %g in order", name, p[0], p[1])
				}
			}
		}
		for _, v := range p {
			if v > 0 {
				up, down := niceUp125(v), niceDown125(v)
				assert.True(t, finite(up) && up > 0 && finite(down) && down > 0, "niceUp125/niceDown125(%g) = %g, %g", v, up, down)
				up, down = niceUp(v), niceDown(v)
				assert.True(t, finite(up) && up > 0 && finite(down) && down > 0, "niceUp/niceDown(%g) = %g, %g", v, up, down)
			}
		}
		lo, hi = logRange(p[0], p[1])
		require.True(t, lo > 0 && hi > lo && finite(hi), "logRange(%g, %g) = %g, %g", p[0], p[1], lo, hi)
	}
}

// The tickers, as the values of their ticks.
type (
	linearTicker  struct{ LinearTicks }
	logTicker     struct{}
	ratioTicker   struct{}
	yearTicker    struct{}
	percentTicker struct{}
)

func values[T interface {
	Ticks(a, b float64) []plot.Tick
}](t T, a, b float64) []float64 {
	var vs []float64
	for _, tk := range t.Ticks(a, b) {
		vs = append(vs, tk.Value)
	}
	return vs
}

func (l linearTicker) Ticks(a, b float64) []float64 { return values(l.LinearTicks, a, b) }
func (logTicker) Ticks(a, b float64) []float64      { return values(LogTicks{}, a, b) }
func (ratioTicker) Ticks(a, b float64) []float64    { return values(RatioTicks{}, a, b) }
func (yearTicker) Ticks(a, b float64) []float64     { return values(YearTicks{}, a, b) }
func (percentTicker) Ticks(a, b float64) []float64  { return values(PercentTicks{}, a, b) }

// A log chart of values that are all 0 (a fab with no yield, the issue's
// case) says so where the data would be, and so does each panel of a
// distribution chart; other empty charts say why they are empty.
func TestEmptyChartsSayWhy(t *testing.T) {
	zeros := make([]float64, 8)
	for name, tc := range map[string]struct {
		ys   []float64
		log  bool
		want string
	}{
		"all zero, log":      {zeros, true, noteNonPositive},
		"negative, log":      {[]float64{-1, 0, math.NaN()}, true, noteNonPositive},
		"subnormal, log":     {[]float64{5e-324, 1e-310}, true, noteOffScale},
		"beyond the axis":    {[]float64{1e308, -1e308}, false, noteOffScale},
		"not a number":       {[]float64{math.NaN(), math.Inf(1)}, false, noteNoValues},
		"all zero, linear":   {zeros, false, ""},
		"partly zero, log":   {[]float64{0, 3}, true, ""},
		"one positive value": {[]float64{7}, true, ""},
	} {
		n := (&timeSeries{Ys: [][]float64{tc.ys}, Log: tc.log}).emptyNote()
		if tc.want == "" {
			assert.Nil(t, n, name)
		} else if assert.NotNil(t, n, name) {
			assert.Equal(t, tc.want, n.Text, name)
		}
	}

	var svg bytes.Buffer
	require.NoError(t, (&Fan{Log: true, Band: bandOf(zeros)}).Render(&svg, "svg", 0, 0, 0))
	assert.Contains(t, svg.String(), noteNonPositive)

	d := &Distribution{Log: true, Samples: []Sample{{Label: "a", Values: zeros}, {Label: "b", Values: []float64{math.NaN()}}}}
	ps := d.panels()
	assert.Equal(t, "no positive values to draw on a log scale", ps[0].summary(false))
	assert.Equal(t, "no values to draw", ps[1].summary(false))
	edges, shares := d.Histogram()
	assert.Nil(t, edges)
	assert.Len(t, shares, 2)
}
