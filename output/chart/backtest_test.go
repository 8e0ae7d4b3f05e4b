package chart

import (
	"bytes"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
)

// check builds a row from an observed range and the model's 5th, 50th and
// 95th percentiles given as multiples of the observed central value, which
// is what the chart draws.
func check(label, unit string, low, central, high, m05, m50, m95 float64) CheckRow {
	return CheckRow{Label: label, Unit: unit, Low: low, Central: central, High: high,
		P05: m05 * central, P50: m50 * central, P95: m95 * central}
}

// testRows are thirteen rows like the calibration set: the observed ranges
// are those of models/data/calibration.csv (row ids in the comments); the
// model multiples are made up to give the brief's cases.
func testRows() []CheckRow {
	return []CheckRow{
		check("A800/H800 bought in 2023", "H100e", 60000, 200000, 400000, 0.55, 0.95, 1.65),                      // a800-h800-2023; model 0.5–2 around it, the brief's usual case
		check("H20 shipped in 2024", "H100e", 100000, 150000, 200000, 0.6, 1.07, 1.9),                            // h20-2024; usual case
		check("Chips smuggled into China in 2024 (H100-class)", "H100e", 10000, 140000, 400000, 0.45, 0.86, 1.8), // smuggled-2024; observed range 0.07–2.9, wide
		check("Huawei Ascend packages made in 2024", "packages", 200000, 300000, 550000, 5, 10, 20),              // ascend-2024; the brief's miss: model 5–20 times too high
		check("Ascend yield, early 2024", "", 0.15, 0.2, 0.3, 0.6, 1.1, 1.75),                                    // yield-2024q1; usual case
		check("Ascend yield, Feb 2025", "", 0.2, 0.4, 0.5, 0.62, 0.95, 1.4),                                      // yield-2025q1; usual case
		check("HBM stacks held entering 2025", "stacks", 1e7, 1.3e7, 1.6e7, 0.5, 0.85, 1.5),                      // hbm-2025; usual case
		check("SMIC 7nm-class capacity, end 2024", "wafers a month", 15000, 25000, 35000, 0.72, 1.08, 1.6),       // smic-7nm-2024; usual case
		check("China's largest training run, late 2024 (DeepSeek-V3, Qwen2.5-72B; Epoch's top Chinese model)", "FLOP",
			3.3e24, 1e25, 3e25, 0.4, 0.9, 2.2), // largest-run-2024: a label too long for one line
		check("Growth of China's largest run over 2024", "× a year", 2, 3, 4.5, 0.6, 0.87, 1.27), // cn-run-growth; usual case
		check("US largest training run, 2024Q3", "FLOP", 3.8e25, 6e25, 1.5e26, 0.5, 0.83, 1.5),   // us-run-2024; usual case
		check("Growth of the US frontier run", "× a year", 4, 4.5, 5, 0.55, 0.73, 0.93),          // us-run-growth; a miss low: model 0.55–0.93
		check("US installed AI compute, early 2025", "H100e", 3e6, 4e6, 5e6, 0.65, 0.97, 1.45),   // us-stock-2025; usual case
	}
}

func testBacktest() *Backtest {
	return &Backtest{
		Title:    "How the model compares with what happened",
		Subtitle: "Model's 90% interval and median for 13 observed quantities, as a multiple of the observed central value",
		Source:   "chokepoint v0.1.0 · current-policy · 1,000 runs · seed 7 · observations: FT, SemiAnalysis, CNAS, Epoch AI",
		Rows:     testRows(),
	}
}

func TestBacktestWriteFormats(t *testing.T) {
	dir := t.TempDir()
	b := testBacktest()
	for _, ext := range []string{".png", ".svg", ".pdf"} {
		path := filepath.Join(dir, "backtest"+ext)
		err := b.Write(path, 0, 0, 0)
		require.NoError(t, err, "Write(%s): %v", path, err) // zeros: the defaults
		data, err := os.ReadFile(path)
		require.NoError(t, err)
		// 16 bytes: enough to see the header
		assert.True(t, magic(ext, data), "%s does not start as a %s file: %q", path, ext, data[:min(len(data), 16)])
	}
}

// DESIGN.md: output files are byte-identical for the same inputs.
func TestBacktestDeterministic(t *testing.T) {
	b := testBacktest()
	for _, format := range []string{"png", "svg", "pdf"} {
		var x, y bytes.Buffer
		err := b.Render(&x, format, 0, 0, 0)
		require.NoError(t, err) // zeros: the defaults
		require.NoError(t, b.Render(&y, format, 0, 0, 0))
		assert.Equal(t, y.Bytes(), x.Bytes(), "%s: two renders of the same chart differ", format)
	}
}

// A zero height is the rows' natural height: the same picture as asking
// for that height, and taller with more rows.
func TestBacktestAutoHeight(t *testing.T) {
	b := testBacktest()
	const dpi = 72 // one pixel a point
	var auto, explicit bytes.Buffer
	require.NoError(t, b.Render(&auto, "png", 0, 0, dpi))
	natural := float64(b.naturalHeight(DefaultWidth*vg.Inch) / vg.Inch)
	require.NoError(t, b.Render(&explicit, "png", DefaultWidth, natural, dpi))
	assert.Equal(t, explicit.Bytes(), auto.Bytes(), "height 0 differs from the natural height given explicitly")
	_, h13 := pngSize(t, auto.Bytes())

	few := testBacktest()
	few.Rows = few.Rows[:3] // any fewer rows
	var buf bytes.Buffer
	require.NoError(t, few.Render(&buf, "png", 0, 0, dpi))
	_, h3 := pngSize(t, buf.Bytes())
	assert.False(t, h3 >= h13, "3 rows are %d px high, 13 rows %d px", h3, h13) // h3, h13: the heights of 3 and 13 rows
	// Thirteen rows of label and sub-line need more than the 4.5 inches of
	// a Fan.
	assert.False(t, float64(h13) <= DefaultHeight*dpi, "13 rows at natural height are only %d px high", h13)
}

func TestBacktestRenderBadInput(t *testing.T) {
	b := testBacktest()
	var buf bytes.Buffer
	for _, tc := range []struct {
		name          string
		format        string
		width, height float64
		dpi           int
	}{
		{"format", "gif", 0, 0, 0},          // not one of png, svg, pdf
		{"width", "png", -1, 0, 0},          // negative inches
		{"height", "png", 0, math.NaN(), 0}, // not a number
		{"dpi", "png", 0, 0, -72},           // negative resolution
	} {
		err := b.Render(&buf, tc.format, tc.width, tc.height, tc.dpi)
		if assert.Error(t, err, "%s: Render succeeded, want an error", tc.name) {
			assert.True(t, strings.HasPrefix(err.Error(), "chart: "), "%s: error %q lacks the package prefix", tc.name, err)
		}
	}
	path := filepath.Join(t.TempDir(), "chart.gif")
	err := b.Write(path, 0, 0, 0)
	require.Error(t, err, "wrote a .gif")
	_, err = os.Stat(path)
	assert.True(t, os.IsNotExist(err), "a failed Write left %s behind", path)
}

// badRows hold every kind of number the chart cannot draw as given. The
// ordinary numbers among them (1, 2, 3, ...) are arbitrary small values in
// order; what matters is which are NaN, zero, negative, infinite or
// reversed.
func badRows() []CheckRow {
	nan, inf := math.NaN(), math.Inf(1)
	return []CheckRow{
		{Label: "central NaN", Low: 1, Central: nan, High: 2, P05: 1, P50: 2, P95: 3},
		{Label: "central zero", Low: 0, Central: 0, High: 0, P05: 1, P50: 2, P95: 3},
		{Label: "central negative", Low: -2, Central: -1, High: 1, P05: 1, P50: 2, P95: 3},
		{Label: "central infinite", Low: 1, Central: inf, High: inf, P05: 1, P50: 2, P95: 3},
		{Label: "low zero, high NaN", Low: 0, Central: 5, High: nan, P05: 4, P50: 5, P95: 6},
		{Label: "model NaN", Low: 1, Central: 2, High: 3, P05: nan, P50: nan, P95: nan},
		{Label: "model zero and negative", Low: 1, Central: 2, High: 3, P05: 0, P50: -1, P95: 0},
		{Label: "model half missing", Low: 1, Central: 2, High: 3, P05: nan, P50: 2, P95: 3},
		{Label: "reversed", Low: 3, Central: 2, High: 1, P05: 3, P50: 2, P95: 1},
		{Label: "overflowing ratio", Low: 1e-300, Central: 1e-300, High: 1e-300, P05: 1e300, P50: 1e300, P95: 1e300}, // 1e300/1e-300 overflows to +Inf
		{Label: "far beyond the cap", Low: 1, Central: 1, High: 1, P05: 1e9, P50: 1e10, P95: 1e11},                   // 1e9: past ratioCap
		{Label: "", Low: 1, Central: 1, High: 1, P05: 1, P50: 1, P95: 1},                                             // no label, all equal
	}
}

// Bad numbers must neither crash nor stop the chart.
func TestBacktestBadNumbers(t *testing.T) {
	for _, tc := range []struct {
		name string
		rows []CheckRow
	}{
		{"bad", badRows()},
		{"empty", nil},
		{"one bad", badRows()[:1]},
	} {
		for _, format := range []string{"png", "svg", "pdf"} {
			for _, size := range [][2]float64{
				{0, 0},    // natural size
				{4, 2.5},  // inches: smaller than the rows need
				{1, 0.6},  // inches: the captions alone overflow
				{0.1, 10}, // inches: a sliver
			} {
				b := &Backtest{Title: "Bad numbers", Rows: tc.rows}
				var buf bytes.Buffer
				err := b.Render(&buf, format, size[0], size[1], 50) // 50 dpi: small, to keep the test fast
				if assert.NoError(t, err, "%s %s %v", tc.name, format, size) {
					assert.True(t, magic("."+format, buf.Bytes()), "%s %s %v: not a %s file", tc.name, format, size, format)
				}
			}
		}
	}
	lo, hi := ratioRange(badRows())
	assert.False(t, !(lo >= 1/ratioCap && hi <= ratioCap), "range of bad rows %g–%g runs past the cap", lo, hi)
	lo, hi = ratioRange(badRows()[:4])                                                                          // the rows without a usable central value
	assert.False(t, math.Abs(lo/0.3-1) > 1e-9 || hi != 3, "range of undrawable rows %g–%g, want 0.3–3", lo, hi) // the least range, as nothing is drawn; 1e-9: float fuzz of 3 × 10⁻¹
}

func TestPrepare(t *testing.T) {
	nan := math.NaN()
	for _, tc := range []struct {
		name    string
		row     CheckRow
		ok      bool
		obs     [2]float64
		modelOK bool
		miss    bool
	}{
		// Central 100 throughout: ratios are the values in hundredths.
		{"inside", CheckRow{Low: 50, Central: 100, High: 200, P05: 60, P50: 90, P95: 150}, true, [2]float64{0.5, 2}, true, false},
		{"high", CheckRow{Low: 50, Central: 100, High: 200, P05: 150, P50: 300, P95: 600}, true, [2]float64{0.5, 2}, true, true},
		{"low", CheckRow{Low: 50, Central: 100, High: 200, P05: 20, P50: 40, P95: 80}, true, [2]float64{0.5, 2}, true, true},
		{"on the edge", CheckRow{Low: 50, Central: 100, High: 200, P05: 100, P50: 150, P95: 200}, true, [2]float64{0.5, 2}, true, false}, // the interval is closed
		{"NaN ends", CheckRow{Low: nan, Central: 100, High: -1, P05: nan, P50: 90, P95: 150}, true, [2]float64{1, 1}, false, false},      // ends fall back to the central value
		{"reversed", CheckRow{Low: 200, Central: 100, High: 50, P05: 150, P50: 100, P95: 60}, true, [2]float64{0.5, 2}, true, false},
		{"no central", CheckRow{Low: 50, Central: 0, High: 200, P05: 60, P50: 90, P95: 150}, false, [2]float64{}, false, false},
	} {
		q := prepare(tc.row)
		assert.Equal(t, tc.ok, q.ok, "%s: ok", tc.name)
		assert.Equal(t, tc.obs, q.obs, "%s: obs", tc.name)
		assert.Equal(t, tc.modelOK, q.modelOK, "%s: modelOK", tc.name)
		assert.Equal(t, tc.miss, q.miss, "%s: miss", tc.name)
	}
}

func TestRatioRange(t *testing.T) {
	for _, tc := range []struct {
		name   string
		rows   []CheckRow
		lo, hi float64
	}{
		// Every value within 0.3–3: the least range.
		{"usual", testRows()[:3], 0.03, 10},                                                  // the smuggling row's observed low 10k/140k = 0.071 needs 0.03 (1.52 decades), which needs ≥ 0.76 right: 5.8, so 10
		{"narrow", []CheckRow{check("", "", 1, 1, 1, 0.5, 1, 2)}, 0.3, 3},                    // model 0.5–2, inside the least range
		{"miss high", []CheckRow{check("", "", 1, 1, 1, 5, 10, 20)}, 0.1, 30},                // 20 rounds up to 30; 1.48 decades right need ≥ 0.74 left, so 0.1
		{"wide observed", []CheckRow{check("", "", 0.1, 1, 3, 0.5, 1, 2)}, 0.1, 10},          // 1 decade left needs ≥ 0.5 right: 3.16, so 10
		{"low miss", []CheckRow{check("", "", 1, 1, 1, 0.01, 0.02, 0.05)}, 0.01, 10},         // 2 decades left need ≥ 1 right: 10
		{"just past 3", []CheckRow{check("", "", 1, 1, 1, 0.5, 1, 3.5)}, 0.3, 10},            // 3.5 rounds up to 10; 1 decade right needs ≥ 0.5 left, which 0.3 (0.52) gives
		{"exactly 0.3 and 3", []CheckRow{check("", "", 0.3, 1, 3, 0.3, 1, 3)}, 0.3, 3},       // on the least range's ends, which must not round out
		{"all", testRows(), 0.03, 30},                                                        // 0.071 needs 0.03, 20 needs 30
		{"capped", []CheckRow{check("", "", 1, 1, 1, 1e-9, 1, 1e9)}, 1 / ratioCap, ratioCap}, // 1e-9 and 1e9 lie past the cap
		{"one sided cap", []CheckRow{check("", "", 1, 1, 1, 0.5, 1, 1e9)}, 1e-3, ratioCap},   // 6 decades right need 3 left
		{"tiny bar", []CheckRow{check("", "", 0.999, 1, 1.001, 0.999, 1, 1.001)}, 0.3, 3},    // all but 1
		{"empty", nil, 0.3, 3}, // no rows: the least range
		{"median only", []CheckRow{check("", "", 1, 1, 1, math.NaN(), 40, math.NaN())}, 0.1, 100}, // a lone median of 40 still counts; 1.6 decades need 0.8 left
	} {
		lo, hi := ratioRange(tc.rows)
		assert.False(t, math.Abs(lo/tc.lo-1) > 1e-9 || math.Abs(hi/tc.hi-1) > 1e-9, "%s: range %g–%g, want %g–%g", tc.name, lo, hi, tc.lo, tc.hi) // float fuzz of 3 × 10^d
	}
}

// The x range covers every bar and dot, is at least 0.3–3, and neither side
// of 1 spans less than half the decades of the other.
func TestRatioRangeCovers(t *testing.T) {
	rows := append(testRows(), badRows()...)
	// Model intervals from a hundredth to a hundred times, in every
	// combination of a few steps (0.01 ... 100 by factors of ten to the 0.4).
	for i := -5; i <= 5; i++ {
		for j := i; j <= 5; j++ {
			rows = append(rows, check("", "", 0.8, 1, 1.25, math.Pow(10, 0.4*float64(i)), 1, math.Pow(10, 0.4*float64(j))))
		}
	}
	for n := 1; n <= len(rows); n++ {
		lo, hi := ratioRange(rows[:n])
		require.False(t, lo > 0.3*(1+1e-9) || hi < 3*(1-1e-9), "%d rows: range %g–%g narrower than 0.3–3", n, lo, hi) // the least range, with float fuzz
		left, right := -math.Log10(lo), math.Log10(hi)
		assert.False(t, left < right/2-1e-9 || right < left/2-1e-9, "%d rows: range %g–%g lopsided", n, lo, hi) // half, as ratioRange promises; 1e-9: float fuzz
		for _, r := range rows[:n] {
			q := prepare(r)
			for _, v := range q.values() {
				v = math.Min(math.Max(v, 1/ratioCap), ratioCap) // beyond the cap bars are cut
				// 1e-9: float fuzz of 3 × 10^d
				assert.True(t, v >= lo*(1-1e-9) && v <= hi*(1+1e-9), "%d rows: %q value %g outside %g–%g", n, r.Label, v, lo, hi)
			}
		}
	}
}

func TestNice(t *testing.T) {
	for _, tc := range []struct{ v, up, down float64 }{
		{1, 1, 1},         // on the sequence
		{0.3, 0.3, 0.3},   // on the sequence, inexact in binary
		{2, 3, 1},         // between 1 and 3
		{3.01, 10, 3},     // just past 3
		{0.07, 0.1, 0.03}, // the smuggling row's 10k/140k, roughly
		{20, 30, 10},      // the brief's miss
		{1e6, 1e6, 1e6},   // ratioCap
	} {
		got := niceUp(tc.v)
		assert.False(t, math.Abs(got/tc.up-1) > 1e-9, "niceUp(%g) = %g, want %g", tc.v, got, tc.up) // float fuzz of 3 × 10^d
		got = niceDown(tc.v)
		assert.False(t, math.Abs(got/tc.down-1) > 1e-9, "niceDown(%g) = %g, want %g", tc.v, got, tc.down) // as above
	}
}

func labels(ticks []ratioTick) []string {
	var ls []string
	for _, t := range ticks {
		if t.label != "" {
			ls = append(ls, t.label)
		}
	}
	return ls
}

func TestRatioTicks(t *testing.T) {
	sty := btTick
	// 400 pt: about the data area of an 8-inch chart, room for every label.
	got := strings.Join(labels(ratioTicks(0.1, 30, 400, sty)), " ")
	assert.Equal(t, "0.1 0.3 1 3 10 30", got, "wide: %s", got)
	// 400 pt for the least range, 0.3–3: one decade, room for 2 and 5 too.
	got = strings.Join(labels(ratioTicks(0.3, 3, 400, sty)), " ")
	assert.Equal(t, "0.3 0.5 1 2 3", got, "least range: %s", got)
	// 80 pt: 2.5 decades at 32 pt each leave 15 pt between 1 and 3, less
	// than a label and its gap.
	got = strings.Join(labels(ratioTicks(0.1, 30, 80, sty)), " ")
	assert.Equal(t, "0.1 1 10", got, "narrow: %s", got)
	// 12 decades in 200 pt: every other decade, 1 among them.
	got = strings.Join(labels(ratioTicks(1e-6, 1e6, 200, sty)), " ")
	assert.Equal(t, "10⁻⁶ 10⁻⁴ 0.01 1 100 10k 1M", got, "many decades: %s", got) // FormatTick: below 0.001 a power of ten
	// Neighbouring labels never touch, at any width from 40 to 600 pt (a
	// thumbnail's data area to a wide page's), in steps of 10 pt.
	for w := vg.Length(40); w <= 600; w += 10 {
		for _, r := range [][2]float64{{0.3, 3}, {0.03, 30}, {1e-3, 1e6}} { // the least, the brief's, and a capped range
			ticks := ratioTicks(r[0], r[1], w, sty)
			var prevEnd vg.Length = -1e9 // no label yet
			for _, tk := range ticks {
				if tk.label == "" {
					continue
				}
				x := vg.Length(math.Log(tk.v/r[0])/math.Log(r[1]/r[0])) * w
				half := sty.Width(tk.label) / 2
				assert.False(t, x-half < prevEnd, "%g–%g in %.0f pt: %q touches the label before", r[0], r[1], w.Points(), tk.label)
				prevEnd = x + half
			}
			assert.Contains(t, " "+strings.Join(labels(ticks), " ")+" ", " 1 ", "%g–%g in %.0f pt: 1 not labelled", r[0], r[1], w.Points())
		}
	}
}

// layoutAt lays b out on a page width × height points, as draw does.
func layoutAt(b *Backtest, width, height vg.Length) btLayout {
	return b.layout(draw.New(vgimg.New(width, height)))
}

// checkLayoutRows checks that L's rows fill the space between the key and
// the axis, and that their text fits the label column and their row, with
// sub-lines under the labels when subs.
func checkLayoutRows(t *testing.T, name string, L btLayout, subs bool) {
	t.Helper()
	var sum vg.Length
	for i, h := range L.heights {
		sum += h
		th := textHeight(L.lines[i], L.subs[i])
		assert.LessOrEqual(t, th, h, "%s: row %d's text is %.1f pt high in a row of %.1f", name, i, th.Points(), h.Points())
		assert.Equal(t, subs, L.subs[i] != "", "%s: row %d sub-line %q", name, i, L.subs[i])
		assert.True(t, len(L.lines[i]) > 0 && len(L.lines[i]) <= btMaxLines, "%s: row %d has %d label lines", name, i, len(L.lines[i]))
		for _, l := range append(L.lines[i], L.subs[i]) {
			w := btLabel.Width(l)
			assert.LessOrEqual(t, w, L.labelW, "%s: %q is %.1f pt wide in a column of %.1f", name, l, w.Points(), L.labelW.Points())
		}
	}
	// 1e-6: float fuzz, in points
	assert.InDelta(t, float64(L.rowsTop-L.rowsBottom), float64(sum), 1e-6, "%s: rows take %.2f pt of %.2f", name, sum.Points(), (L.rowsTop - L.rowsBottom).Points())
}

// checkLayoutArea checks that L's data area lies between the label column
// and the page's edge, and holds every bar.
func checkLayoutArea(t *testing.T, name string, L btLayout) {
	t.Helper()
	assert.GreaterOrEqual(t, L.plotMin, L.labelX+L.labelW+btLabelGap, "%s: data area starts in the label column", name)
	assert.LessOrEqual(t, L.plotMax, L.page.Max.X+marginRight, "%s: data area runs off the page", name)
	for _, q := range L.rows {
		for _, v := range q.values() {
			x := L.x(v)
			assert.True(t, x >= L.plotMin && x <= L.plotMax, "%s: %q value %g at %.1f pt, outside %.1f–%.1f", name, q.Label, v, x.Points(), L.plotMin.Points(), L.plotMax.Points())
		}
	}
}

// Rows fill the space between the key and the axis, their text fits the
// label column and their row, and the bars stay in the data area.
func TestBacktestLayout(t *testing.T) {
	b := testBacktest()
	width := vg.Length(DefaultWidth) * vg.Inch
	for _, tc := range []struct {
		name   string
		height vg.Length
		subs   bool // sub-lines under the labels
	}{
		{"natural", b.naturalHeight(width), true},
		{"16:9", DefaultHeight * vg.Inch, false}, // too little room for the sub-lines
		{"tall", 12 * vg.Inch, true},             // inches: room to spare
	} {
		L := layoutAt(b, width, tc.height)
		checkLayoutRows(t, tc.name, L, tc.subs)
		checkLayoutArea(t, tc.name, L)
	}

	// The long label wraps to two lines and is cut short with an ellipsis.
	L := layoutAt(b, width, b.naturalHeight(width))
	long := L.lines[8] // testRows: the largest-run row
	require.Len(t, long, 2, "long label set as %q", long)
	assert.True(t, strings.HasSuffix(long[1], "…"), "long label set as %q", long)
}

// The key explains the miss marker only when some row misses.
func TestBacktestKey(t *testing.T) {
	hasMiss := func(rows []CheckRow) bool {
		b := &Backtest{Rows: rows}
		_, keys := b.fixed(1000, b.prepared()) // 1000 pt: one line
		for _, k := range keys {
			for _, e := range k.Entries {
				if strings.Contains(e.Label, "outside") {
					return true
				}
			}
		}
		return false
	}
	assert.True(t, hasMiss(testRows()), "no miss entry with misses")
	assert.False(t, hasMiss(testRows()[:3]), "miss entry without misses") // the first three rows are inside
	// A narrow page breaks the key into lines of whole entries.
	b := testBacktest()
	keys := b.keyFor(b.prepared(), 9, 3.6, 3).Split(150) // 9, 3.6, 3: bar sizes, any; 150 pt: about two short entries
	n := 0
	for _, k := range keys {
		n += len(k.Entries)
		if len(k.Entries) > 1 {
			var w vg.Length
			for i, e := range k.Entries {
				if i > 0 {
					w += keyEntryGap
				}
				w += k.entryWidth(e)
			}
			assert.False(t, w > 150, "key line of %d entries is %.0f pt wide", len(k.Entries), w.Points()) // the width asked for
		}
	}
	assert.False(t, len(keys) < 2 || n != 4, "split into %d lines of %d entries", len(keys), n) // four entries: observed, model, median, miss
}

func TestWrapLines(t *testing.T) {
	sty := btLabel
	txt := "China's largest training run, late 2024 (DeepSeek-V3, Qwen2.5-72B; Epoch's top Chinese model)"
	const width = 150                      // points: a few words a line
	lines := wrapLines(sty, txt, width, 2) // 2: btMaxLines, as rows use
	require.Len(t, lines, 2, "two lines: %q", lines)
	require.True(t, strings.HasSuffix(lines[1], "…"), "two lines: %q", lines)
	for _, l := range lines {
		assert.False(t, sty.Width(l) > width, "%q is wider than %d pt", l, width)
	}
	// 2: as above; a short label stays on one line
	assert.Equal(t, []string{"Short"}, wrapLines(sty, "Short", width, 2), "short")
	// 40 pt: narrower than the word; 2 lines allowed, 1 used: a single word.
	got := wrapLines(sty, "Supercalifragilisticexpialidocious", 40, 2)
	require.Len(t, got, 1, "long word: %q", got)
	assert.True(t, strings.HasSuffix(got[0], "…"), "long word: %q", got)
	assert.Empty(t, ellipsize(sty, "anything", 0), "no room at all")
}

// Fan's layout helpers moved into shared functions; the heights they report
// must match what they draw.
func TestHeadingHeights(t *testing.T) {
	c := draw.New(vgimg.New(4*vg.Inch, 6*vg.Inch)) // inches: any page taller than the text
	page := draw.Crop(c, marginLeft, -marginRight, marginBottom, -marginTop)
	title, sub, src := "A title long enough to wrap on a narrow page", "A subtitle that wraps as well on this page", testFan().Source
	// 1e-9 pt: float fuzz; the two add the same lengths.
	got, want := page.Max.Y-heading(c, page, title, sub), headingHeight(page.Size().X, title, sub)
	assert.False(t, math.Abs(float64(got-want)) > 1e-9, "heading takes %.2f pt, headingHeight says %.2f", got.Points(), want.Points())
	got, want = sourceLine(c, page, src)-page.Min.Y, sourceHeight(page.Size().X, src)
	assert.False(t, math.Abs(float64(got-want)) > 1e-9, "source takes %.2f pt, sourceHeight says %.2f", got.Points(), want.Points()) // as above
}
