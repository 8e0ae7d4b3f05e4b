package chart

import (
	"bytes"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
)

// synthetic returns a Band over 2020Q1–2035Q4 (64 quarters) whose quantile
// at standard normal score z and time fraction t in [0, 1] is f(t, z).
func synthetic(f func(t, z float64) float64) Band {
	const quarters = 64 // 16 years, 2020 to 2035, four quarters each
	// Standard normal scores of the 5th, 25th, 50th, 75th and 95th
	// percentiles.
	const z05, z25, z75, z95 = -1.645, -0.674, 0.674, 1.645
	b := Band{Scenario: "current-policy"}
	for i := range quarters {
		t := float64(i) / (quarters - 1)
		b.X = append(b.X, 2020+0.25*float64(i)) // quarter starts, as Band.X is documented
		b.P05 = append(b.P05, f(t, z05))
		b.P25 = append(b.P25, f(t, z25))
		b.P50 = append(b.P50, f(t, 0))
		b.P75 = append(b.P75, f(t, z75))
		b.P95 = append(b.P95, f(t, z95))
	}
	return b
}

// growth is the brief's example: a median rising from 2e5 to 5e6 H100e
// (25 times) with a lognormal spread widening to sigma 0.45.
func growth(t, z float64) float64 { return 2e5 * math.Exp(t*math.Log(25)+z*0.45*t) }

// briefEvents are the policy dates of the brief.
var briefEvents = []Event{
	{2022.75, "Oct 2022 rules"},
	{2023.75, "Oct 2023 rules"},
	{2024.75, "HBM ban"},
	{2025.0, "Diffusion rule"},
}

func testFan() *Fan {
	return &Fan{
		Title:    "China's installed AI compute",
		Subtitle: "H100-equivalents (training basis), current-policy scenario",
		Unit:     "H100e",
		Band:     synthetic(growth),
		Events:   briefEvents,
		Source:   "chokepoint v0.1.0 · current-policy · 1,000 runs · seed 7 · shaded: 50% and 90% of runs",
	}
}

// magic reports whether data starts as a file of the format ext should.
func magic(ext string, data []byte) bool {
	switch ext {
	case ".png":
		return bytes.HasPrefix(data, []byte("\x89PNG\r\n\x1a\n")) // PNG signature, RFC 2083 §3.1
	case ".svg":
		return bytes.HasPrefix(data, []byte("<?xml")) || bytes.HasPrefix(data, []byte("<svg"))
	case ".pdf":
		return bytes.HasPrefix(data, []byte("%PDF-")) // PDF header, ISO 32000-1 §7.5.2
	}
	return false
}

func TestWriteFormats(t *testing.T) {
	dir := t.TempDir()
	f := testFan()
	for _, ext := range []string{".png", ".svg", ".pdf"} {
		path := filepath.Join(dir, "fan"+ext)
		require.NoError(t, f.Write(path, 0, 0, 0), "Write(%s)", path)
		data, err := os.ReadFile(path)
		require.NoError(t, err)
		assert.NotEqual(t, 0, len(data), "%s is empty", path)
		assert.True(t, magic(ext, data), "%s does not start as a %s file: %q", path, ext, data[:min(len(data), 16)])
	}
}

func TestWriteUpperCaseExtension(t *testing.T) {
	path := filepath.Join(t.TempDir(), "FAN.PNG")
	require.NoError(t, testFan().Write(path, 0, 0, 0))
	data, _ := os.ReadFile(path)
	assert.True(t, magic(".png", data), "FAN.PNG is not a PNG")
}

func TestPNGSize(t *testing.T) {
	// 4 × 2.5 inches at 100 dpi is 400 × 250 pixels.
	var buf bytes.Buffer
	require.NoError(t, testFan().Render(&buf, "png", 4, 2.5, 100))
	w, h := pngSize(t, buf.Bytes())
	assert.Equal(t, 400, w, "PNG is %d × %d pixels, want 400 × 250", w, h)
	assert.Equal(t, 250, h, "PNG is %d × %d pixels, want 400 × 250", w, h)
}

// pngSize reads the width and height from a PNG's IHDR chunk, which follows
// the 8-byte signature and the chunk's 8-byte length and type (RFC 2083 §4.1.1).
func pngSize(t *testing.T, data []byte) (w, h int) {
	t.Helper()
	require.False(t, len(data) < 24, "PNG too short: %d bytes", len(data)) // signature 8 + length 4 + type 4 + width 4 + height 4
	be := func(b []byte) int { return int(b[0])<<24 | int(b[1])<<16 | int(b[2])<<8 | int(b[3]) }
	return be(data[16:20]), be(data[20:24])
}

// DESIGN.md: output files are byte-identical for the same inputs.
func TestWriteDeterministic(t *testing.T) {
	f := testFan()
	for _, format := range []string{"png", "svg", "pdf"} {
		var a, b bytes.Buffer
		require.NoError(t, f.Render(&a, format, 0, 0, 0))
		require.NoError(t, f.Render(&b, format, 0, 0, 0))
		assert.Equal(t, b.Bytes(), a.Bytes(), "%s: two renders of the same chart differ", format)
	}
}

func TestPDFDatesFixed(t *testing.T) {
	var buf bytes.Buffer
	require.NoError(t, testFan().Render(&buf, "pdf", 0, 0, 0))
	for _, key := range []string{"/CreationDate (D:19700101000000)", "/ModDate (D:19700101000000)"} {
		assert.Contains(t, buf.String(), key, "PDF lacks %q", key)
	}
}

func TestRenderBadInput(t *testing.T) {
	f := testFan()
	var buf bytes.Buffer
	for _, tc := range []struct {
		name          string
		format        string
		width, height float64
		dpi           int
	}{
		{"format", "gif", 0, 0, 0},          // not one of png, svg, pdf
		{"no format", "", 0, 0, 0},          // a path without an extension
		{"width", "png", -1, 0, 0},          // negative inches
		{"height", "png", 0, math.NaN(), 0}, // not a number
		{"dpi", "png", 0, 0, -72},           // negative resolution
	} {
		err := f.Render(&buf, tc.format, tc.width, tc.height, tc.dpi)
		if assert.Error(t, err, "%s: Render succeeded, want an error", tc.name) {
			assert.True(t, strings.HasPrefix(err.Error(), "chart: "), "%s: error %q lacks the package prefix", tc.name, err)
		}
	}

	short := testFan()
	short.Band.P75 = short.Band.P75[:10] // 10 of 64 values
	err := short.Write(filepath.Join(t.TempDir(), "short.png"), 0, 0, 0)
	assert.ErrorContains(t, err, "P75 has 10 values, X has 64", "mismatched lengths: got error %v", err)
}

func TestNothingWrittenOnError(t *testing.T) {
	path := filepath.Join(t.TempDir(), "chart.gif")
	err := testFan().Write(path, 0, 0, 0)
	require.Error(t, err, "wrote a .gif")
	_, err = os.Stat(path)
	assert.True(t, os.IsNotExist(err), "a failed Write left %s behind", path)
}

// Bad numbers in the band must neither crash nor stop the chart.
func TestBadNumbers(t *testing.T) {
	nan, inf := math.NaN(), math.Inf(1)
	gappy := func(t, z float64) float64 {
		switch i := int(math.Round(t * 63)); { // 63: the last of 64 quarter indices
		case i%10 == 3: // every tenth quarter missing
			return nan
		case i == 40: // one infinite quarter
			return inf
		case i == 50: // one negative quarter, undrawable on a log axis
			return -5
		}
		return 1e24 * math.Pow(10, 3*t+z*0.3*t) // 1e24 to 1e27 FLOP
	}
	allNaN := Band{X: []float64{2020, 2020.25}, P05: []float64{nan, nan}, P25: []float64{nan, nan},
		P50: []float64{nan, nan}, P75: []float64{nan, nan}, P95: []float64{nan, nan}}
	nanX := synthetic(growth)
	nanX.X[5], nanX.X[6] = nan, inf // quarters 5 and 6 undated

	for _, tc := range []struct {
		name string
		fan  Fan
	}{
		{"gaps linear", Fan{Unit: "FLOP", Band: synthetic(gappy), Events: briefEvents}},
		{"gaps log", Fan{Unit: "FLOP", Log: true, Band: synthetic(gappy), Events: briefEvents}},
		{"all NaN", Fan{Band: allNaN, Events: briefEvents}},
		{"all NaN log", Fan{Log: true, Band: allNaN}},
		{"all negative log", Fan{Log: true, Band: synthetic(func(t, z float64) float64 { return -1 - t })}},
		{"all equal", Fan{Band: synthetic(func(t, z float64) float64 { return 5e5 })}},                 // 5e5: any constant
		{"all equal log", Fan{Log: true, Band: synthetic(func(t, z float64) float64 { return 1e25 })}}, // an exact power of ten
		{"all zero", Fan{Band: synthetic(func(t, z float64) float64 { return 0 })}},
		{"NaN X", Fan{Band: nanX, Events: []Event{{nan, "undated"}, {2030, "dated"}}}},
		{"empty", Fan{}},
		{"one point", Fan{Band: Band{X: []float64{2025}, P05: []float64{1}, P25: []float64{2},
			P50: []float64{3}, P75: []float64{4}, P95: []float64{5}}}}, // five ordered quantiles
	} {
		t.Run(tc.name, func(t *testing.T) {
			var buf bytes.Buffer
			err := tc.fan.Render(&buf, "png", 4, 2.5, 50)
			require.NoError(t, err) // small, to keep the test fast
			assert.True(t, magic(".png", buf.Bytes()), "not a PNG")
		})
	}
}

// plotFor lays f out on an 8 × 4.5 inch canvas as draw does, and returns
// the plot and its data area.
func plotFor(f *Fan) (*EventMarks, []eventPlace, draw.Canvas, func(float64) vg.Length, func(float64) vg.Length) {
	c := draw.New(vgimg.New(8*vg.Inch, 4.5*vg.Inch)) // DefaultWidth × DefaultHeight
	area := draw.Crop(c, 10, -16, 30, -80)           // about what the captions leave
	inner, outer, median := f.plotters()
	p := f.newPlot(area, inner, outer, median)
	dc := p.DataCanvas(area)
	marks := newEventMarks(f.Events)
	tx, ty := p.Transforms(&dc)
	return marks, marks.layout(dc, p), dc, tx, ty
}

func TestEventLabelsDoNotCollide(t *testing.T) {
	f := testFan()
	f.Events = append(f.Events, Event{2031, "Far away"}, Event{2035.5, "Near the edge"}) // 2035.5: inside 2035.75, the last quarter
	_, places, dc, _, _ := plotFor(f)
	require.Len(t, places, len(f.Events), "placed %d events, want %d", len(places), len(f.Events))
	for i, a := range places {
		assert.False(t, a.box.Min.X < dc.Min.X, "%q runs outside the data area", a.Label)
		assert.False(t, a.box.Max.X > dc.Max.X, "%q runs outside the data area", a.Label)
		for _, b := range places[i+1:] {
			assert.False(t, a.row == b.row && a.box.Min.X < b.box.Max.X && b.box.Min.X < a.box.Max.X, "%q and %q overlap in row %d", a.Label, b.Label, a.row)
		}
		// A line stops at the top of its own label, so a label that spans
		// another event's line must sit above that event's label.
		for _, b := range places {
			assert.False(t, b.x != a.x && a.box.Min.X <= b.x && b.x <= a.box.Max.X && b.row <= a.row, "line of %q (row %d) runs through label %q (row %d)", b.Label, b.row, a.Label, a.row)
		}
	}
	rows := map[string]int{}
	for _, q := range places {
		rows[q.Label] = q.row
	}
	// The four policy dates of 2022–2025 lie within a label's width of each
	// other at 8 inches, so they step down; one far away goes back to the top.
	for label, want := range map[string]int{"Oct 2022 rules": 0, "Oct 2023 rules": 1, "HBM ban": 2, "Diffusion rule": 3, "Far away": 0} {
		assert.Equal(t, want, rows[label], "%q in row %d, want %d", label, rows[label], want)
	}
	for _, q := range places {
		assert.False(t, q.Label == "Near the edge" && q.box.Max.X > q.x, "label at the right edge is not left of its line")
	}
}

// Labels sit above the data: where the data peak under the labels, the y axis
// is raised to make room.
func TestEventLabelsClearData(t *testing.T) {
	for _, log := range []bool{false, true} {
		f := testFan()
		f.Log = log
		// A hump peaking at 1.1M H100e in 2024–2025, right under the labels.
		f.Band = synthetic(func(t, z float64) float64 {
			return (1e6*math.Exp(-math.Pow((t-0.3)/0.25, 2)) + 1e5) * math.Exp(z*0.2*t)
		})
		_, places, _, tx, ty := plotFor(f)
		b := f.Band
		for _, q := range places {
			for i, x := range b.X {
				if tx(x) < q.box.Min.X || tx(x) > q.box.Max.X {
					continue
				}
				y := ty(b.P95[i])
				assert.False(t, y > q.box.Min.Y, "log=%v: %q at %.1f pt over data at %.1f pt (x=%g)", log, q.Label, q.box.Min.Y.Points(), y.Points(), x)
			}
		}
	}
}

func TestToCP1252(t *testing.T) {
	for in, want := range map[string]string{
		"1,000 runs · seed 7": "1,000 runs \xb7 seed 7", // middle dot: Latin-1 0xB7
		"−1M":                 "\x961M",                 // minus: en dash 0x96, the nearest
		"2025–2030 “rules”":   "2025\x962030 \x93rules\x94",
		"中国":                  "??", // not in Windows-1252
	} {
		got := toCP1252(in)
		assert.Equal(t, want, got, "toCP1252(%q) = %q, want %q", in, got, want)
	}
}

func TestFonts(t *testing.T) {
	semi := font.Font{Typeface: "Liberation", Variant: "Sans", Weight: weightSemiBold}
	require.True(t, fonts.Has(semi), "semi-bold Liberation Sans missing from the font cache")
	bold := fonts.Lookup(font.Font{Typeface: "Liberation", Variant: "Sans", Weight: weightBold}, 10)
	got := fonts.Lookup(semi, 10)
	assert.Equal(t, bold.Face, got.Face, "semi-bold is not drawn with the bold face")
}

func TestWrap(t *testing.T) {
	sty := sans(10, inkColor, false)
	txt := "chokepoint v0.1.0 · current-policy · 1,000 runs · seed 7"
	got := wrap(sty, txt, 1000)
	assert.Len(t, got, 1, "wide: %q", got) // 1000 pt: far wider than the line
	lines := wrap(sty, txt, 100)           // 100 pt: a few words a line
	require.False(t, len(lines) < 2, "narrow: %q", lines)
	assert.Equal(t, txt, strings.Join(lines, " "), "wrapping lost text: %q", lines)
	for _, l := range lines {
		w := sty.Width(l)
		assert.False(t, w > 100 && strings.Contains(l, " "), "line %q is %.0f pt wide", l, w.Points())
	}
}

// A chart too small for its captions still renders, without a panic.
func TestTinySize(t *testing.T) {
	for _, size := range [][2]float64{
		{1, 0.6},  // inches: the captions alone overflow
		{2, 1.5},  // inches: a thumbnail
		{0.1, 10}, // inches: a sliver
	} {
		var buf bytes.Buffer
		err := testFan().Render(&buf, "png", size[0], size[1], 72)
		assert.NoError(t, err, "%g × %g in: %v", size[0], size[1], err) // 72 dpi: one pixel a point
	}
}

// Issue 16: values plotted at the end of their quarters (2020.25 onward)
// still get an axis from the start of the first quarter, Band.Start, so
// that the first year is labelled and the first quarter has its width.
func TestAxisStartsAtBandStart(t *testing.T) {
	f := testFan()
	for i := range f.Band.X {
		f.Band.X[i] += 0.25
	}
	c := draw.New(vgimg.New(8*vg.Inch, 4.5*vg.Inch))
	area := draw.Crop(c, 10, -16, 30, -80)
	inner, outer, median := f.plotters()
	p := f.newPlot(area, inner, outer, median)
	assert.Equal(t, f.Band.X[0], p.X.Min, "without Start the axis starts at the first value")

	f.Band.Start = f.Band.X[0] - 0.25
	p = f.newPlot(area, inner, outer, median)
	assert.Equal(t, f.Band.Start, p.X.Min, "the axis starts where the first quarter starts")
	assert.Equal(t, f.Band.X[len(f.Band.X)-1], p.X.Max)
	var labels []string
	for _, tk := range p.X.Tick.Marker.Ticks(p.X.Min, p.X.Max) {
		if tk.Label != "" {
			labels = append(labels, tk.Label)
		}
	}
	require.NotEmpty(t, labels)
	assert.Equal(t, strconv.Itoa(int(f.Band.Start)), labels[0], "the first year is labelled: %v", labels)
}
