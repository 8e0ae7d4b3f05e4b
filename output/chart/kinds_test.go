package chart

import (
	"bytes"
	"flag"
	"image"
	"image/png"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// update rewrites the golden files under testdata: go test ./output/chart -update
var update = flag.Bool("update", false, "rewrite the golden SVG files in testdata")

// pngDir, when set, is where the tests leave a PNG of every chart kind to
// look at: CHART_PNG_DIR=/tmp/charts go test ./output/chart -run Golden
var pngDir = os.Getenv("CHART_PNG_DIR")

const testSource = "chokepoint v0.1.0 · current-policy, no-controls, biden-full · 1,000 runs · seed 7 · shaded: 90% of runs"

// scaled returns a band like synthetic(growth) times k, with its spread
// times s.
func scaled(name string, k, s float64) Band {
	b := synthetic(func(t, z float64) float64 { return k * 2e5 * math.Exp(t*math.Log(25)+z*0.45*s*t) })
	b.Scenario = name
	return b
}

func testCompare() *Compare {
	return &Compare{
		Title:    "China's installed AI compute",
		Subtitle: "H100-equivalents (training basis): median and 90% of runs, by scenario",
		Unit:     "H100e",
		Log:      true,
		Series: []Band{
			scaled("Current policy", 1, 1),
			scaled("No controls after September 2022", 1.8, 0.8),
			scaled("Biden rules, fully kept", 0.7, 1.2),
		},
		Events: briefEvents,
		Source: testSource,
	}
}

func testDiff() *Diff {
	b := synthetic(func(t, z float64) float64 {
		// A loss that opens after the 2022 rules and narrows as domestic
		// chips come in: −1.5M at its deepest, with a wide spread.
		return -1.5e6*math.Sin(math.Pi*t)*math.Exp(-z*0.4) + 2e5*z*t
	})
	return &Diff{
		Title:    "What the controls change in China's installed AI compute",
		Subtitle: "H100e: current policy minus no controls, run by run (same draws)",
		Unit:     "H100e",
		Band:     b,
		Color:    PaletteColor(0),
		Events:   briefEvents,
		Source:   "chokepoint v0.1.0 · current-policy − no-controls · 1,000 runs · seed 7 · shaded: 50% and 90% of runs",
	}
}

// walks returns n random walks over 64 quarters, lognormal around growth,
// from a seeded source.
func walks(n int) (x []float64, runs [][]float64, median []float64) {
	rnd := rand.New(rand.NewPCG(7, 7))
	b := synthetic(growth)
	for range n {
		r := make([]float64, len(b.X))
		z := 0.0
		for i := range r {
			z += rnd.NormFloat64() * 0.07
			r[i] = b.P50[i] * math.Exp(z)
		}
		runs = append(runs, r)
	}
	return b.X, runs, b.P50
}

func testSpaghetti() *Spaghetti {
	x, runs, med := walks(20)
	return &Spaghetti{
		Title:    "China's installed AI compute: 20 runs",
		Subtitle: "H100e, current-policy scenario: each line is one run of the model",
		Unit:     "H100e",
		Log:      true,
		X:        x,
		Runs:     runs,
		Median:   med,
		Events:   briefEvents,
		Source:   "chokepoint v0.1.0 · current-policy · 20 of 1,000 runs drawn · seed 7",
	}
}

// lognormal returns n seeded lognormal values with median m and sigma s.
func lognormal(seed uint64, n int, m, s float64) []float64 {
	rnd := rand.New(rand.NewPCG(seed, seed))
	v := make([]float64, n)
	for i := range v {
		v[i] = m * math.Exp(s*rnd.NormFloat64())
	}
	return v
}

func testDistribution() *Distribution {
	return &Distribution{
		Title:    "China's installed AI compute at the end of 2030",
		Subtitle: "H100e, log scale · 2030Q4: how the runs spread, by scenario",
		Log:      true,
		Samples: []Sample{
			{Label: "Current policy", Values: lognormal(1, 1000, 5.9e6, 0.65)},
			{Label: "No controls after September 2022", Values: lognormal(2, 1000, 1.2e7, 0.5)},
			{Label: "Biden rules, fully kept", Values: lognormal(3, 1000, 4.1e6, 0.8)},
		},
		Source: testSource,
	}
}

func testTornado() *Tornado {
	return &Tornado{
		Title:    "What drives China's installed AI compute in 2030",
		Subtitle: "Partial rank correlation of each assumption with the output in 2030Q4, current-policy scenario",
		Unit:     "partial rank correlation",
		Bars: []TornadoBar{
			{Label: "demand.budget_2020_usd", Value: 0.31, Lo: 0.26, Hi: 0.36},
			{Label: "fab.yield_ceiling", Value: 0.62, Lo: 0.58, Hi: 0.66},
			{Label: "smuggling.scale", Value: 0.12, Lo: 0.06, Hi: 0.18},
			{Label: "efficiency.halving_months", Value: -0.05, Lo: -0.11, Hi: 0.01},
			{Label: "fab.capacity_growth: the yearly growth of advanced-node capacity at full tool access", Value: 0.48, Lo: 0.43, Hi: 0.53},
			{Label: "substitution.elasticity", Value: -0.27, Lo: -0.32, Hi: -0.21},
			{Label: "hbm.surge_multiple", Value: 0.02, Lo: -0.04, Hi: 0.08},
		},
		Source: "chokepoint v0.1.0 · current-policy · 1,000 runs · seed 7 · whiskers: 95% bootstrap interval",
	}
}

// kinds returns one chart of every kind, by name.
func kinds() map[string]Chart {
	return map[string]Chart{
		"fan":          testFan(),
		"compare":      testCompare(),
		"diff":         testDiff(),
		"spaghetti":    testSpaghetti(),
		"distribution": testDistribution(),
		"tornado":      testTornado(),
		"backtest":     testBacktest(),
	}
}

// Golden tests: the SVG of every chart kind is byte for byte what was
// checked in (SVG, since raster output differs between architectures).
func TestGolden(t *testing.T) {
	for name, c := range kinds() {
		t.Run(name, func(t *testing.T) {
			var buf bytes.Buffer
			require.NoError(t, c.Render(&buf, "svg", 0, 0, 0))
			got := buf.Bytes()
			path := filepath.Join("testdata", name+".svg")
			if *update {
				require.NoError(t, os.MkdirAll("testdata", 0o755))
				require.NoError(t, os.WriteFile(path, got, 0o644))
			}
			want, err := os.ReadFile(path)
			require.NoError(t, err, "%v (run go test ./output/chart -update)", err)
			assert.Equal(t, want, got, "%s differs from the golden file; look at the chart and, if it is right, run go test ./output/chart -update", path)
			if pngDir != "" {
				require.NoError(t, c.Write(filepath.Join(pngDir, name+".png"), 0, 0, 0))
			}
		})
	}
}

// Every kind writes PNG, SVG and PDF, each byte-identical from one render
// to the next.
func TestKindsFormats(t *testing.T) {
	for name, c := range kinds() {
		for _, format := range []string{"png", "svg", "pdf", SVGInline} {
			var a, b bytes.Buffer
			err := c.Render(&a, format, 6, 4, 50)
			require.NoError(t, err, "%s %s: %v", name, format, err) // small, to keep the test fast
			require.NoError(t, c.Render(&b, format, 6, 4, 50))
			assert.Equal(t, b.Bytes(), a.Bytes(), "%s %s: two renders differ", name, format)
			ext := "." + format
			if format == SVGInline {
				ext = ".svg"
			}
			assert.True(t, magic(ext, a.Bytes()), "%s %s: does not start as one: %q", name, format, a.Bytes()[:min(a.Len(), 16)])
		}
	}
}

// An SVG file names its fonts with fallbacks of the same metrics and
// embeds none (vgsvg's whole font files were 1.1 MB a chart); an inline
// SVG has no XML declaration either (not allowed inside HTML).
func TestSVGInline(t *testing.T) {
	var full, inline bytes.Buffer
	c := testCompare()
	require.NoError(t, c.Render(&full, "svg", 0, 0, 0))
	require.NoError(t, c.Render(&inline, SVGInline, 0, 0, 0))
	s := inline.String()
	assert.True(t, strings.HasPrefix(s, "<svg"), "inline SVG starts %q", s[:min(len(s), 80)])
	assert.NotContains(t, s, "@font-face", "inline SVG starts %q", s[:min(len(s), 80)])
	assert.NotContains(t, s, "<?xml", "inline SVG starts %q", s[:min(len(s), 80)])
	assert.NotContains(t, full.String(), "@font-face")
	assert.Contains(t, full.String(), "font-family:'Liberation Sans',Arial,Helvetica,sans-serif;")
	assert.NotContains(t, full.String(), "font-family:Liberation Sans;", "every text falls back")
}

func TestSpaghettiLimit(t *testing.T) {
	x, runs, _ := walks(MaxSpaghetti + 1)
	s := &Spaghetti{X: x, Runs: runs}
	var buf bytes.Buffer
	err := s.Render(&buf, "svg", 0, 0, 0)
	assert.ErrorContains(t, err, "at most 50", "51 runs: got %v, want an error", err)
}

func TestTornadoSorted(t *testing.T) {
	nan := math.NaN()
	tn := &Tornado{Bars: []TornadoBar{{Label: "a", Value: 0.1, Lo: 0, Hi: 0}, {Label: "b", Value: -0.5, Lo: 0, Hi: 0}, {Label: "c", Value: nan}, {Label: "d", Value: 0.3, Lo: 0, Hi: 0}, {Label: "e", Value: -0.1, Lo: 0, Hi: 0}}}
	var got []string
	for _, b := range tn.sorted() {
		got = append(got, b.Label)
	}
	// |−0.5| > 0.3 > |0.1| = |−0.1| (kept in order) > NaN
	assert.Equal(t, "bdaec", strings.Join(got, ""), "order %q, want bdaec", got)
}

// Bad numbers in any kind must neither crash nor stop the chart.
func TestKindsBadNumbers(t *testing.T) {
	nan, inf := math.NaN(), math.Inf(1)
	bad := Band{Scenario: "bad", X: []float64{2020, 2020.25, 2020.5}, P05: []float64{nan, 1, -1},
		P25: []float64{nan, 2, inf}, P50: []float64{nan, 3, 0}, P75: []float64{nan, 4, 1}, P95: []float64{nan, 5, 2}}
	for name, c := range map[string]Chart{
		"compare log":    &Compare{Log: true, Series: []Band{bad, bad}},
		"compare panels": &Compare{Log: true, Series: []Band{bad, bad, bad, bad}},
		"compare none":   &Compare{},
		"diff":           &Diff{Band: bad},
		"spaghetti":      &Spaghetti{Log: true, X: bad.X, Runs: [][]float64{bad.P05, bad.P25}, Median: bad.P50},
		"distribution":   &Distribution{Log: true, Samples: []Sample{{Label: "a", Values: []float64{nan, -1, 0, inf}}, {Label: "b", Values: nil}, {Label: "c", Values: []float64{5, 5, 5}}}},
		"dist linear":    &Distribution{Samples: []Sample{{Label: "c", Values: []float64{0, 0, 0}}}},
		"dist none":      &Distribution{},
		"tornado":        &Tornado{Bars: []TornadoBar{{Label: "a", Value: nan, Lo: nan, Hi: 1}, {Label: "b", Value: inf}, {Label: "c", Value: 0, Lo: 0, Hi: 0}}},
		"tornado none":   &Tornado{},
		"trajectory": &Trajectory{Steps: []TrajectoryStep{{nan, 0.5, 1}, {1, inf, 2}, {0, 0, 0}, {1, 1, 3}}, Chosen: 7,
			Overall: nan, Box: TrajectoryStep{Coverage: nan}},
		"trajectory none": &Trajectory{Chosen: -1},
		"box": &BoxChart{Rows: []BoxRow{{Label: "a", PriorLo: 1, PriorHi: 1, Lo: nan, Hi: inf},
			{Label: "b", PriorLo: 0, PriorHi: 1, Lo: -5, Hi: 5}}},
		"box none": &BoxChart{},
	} {
		var buf bytes.Buffer
		err := c.Render(&buf, "png", 4, 2.5, 50)
		assert.NoError(t, err, "%s: %v", name, err)
	}
}

func TestDistributionBins(t *testing.T) {
	d := &Distribution{Samples: []Sample{{Label: "a", Values: []float64{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10}}}}
	ps := d.panels()
	edges := d.binEdges(ps)
	count(ps, edges)
	total := 0
	for _, k := range ps[0].counts {
		total += k
	}
	assert.Equal(t, 11, total, "%d values binned, want 11", total)
	assert.False(t, edges[0] != 0 || edges[len(edges)-1] != 10, "edges %g to %g, want 0 to 10", edges[0], edges[len(edges)-1])
}

// encodePNG writes a PNG that image/png reads back pixel for pixel.
func TestEncodePNG(t *testing.T) {
	img := image.NewRGBA(image.Rect(0, 0, 37, 23)) // odd sizes, to catch row arithmetic
	rnd := rand.New(rand.NewPCG(1, 1))
	for i := range img.Pix {
		img.Pix[i] = uint8(rnd.IntN(256))
	}
	for i := 3; i < len(img.Pix); i += 4 {
		img.Pix[i] = 0xFF // opaque, as charts are
	}
	var buf bytes.Buffer
	require.NoError(t, encodePNG(&buf, img))
	back, err := png.Decode(&buf)
	require.NoError(t, err)
	require.Equal(t, img.Bounds(), back.Bounds(), "bounds %v, want %v", back.Bounds(), img.Bounds())
	for y := range 23 {
		for x := range 37 {
			r0, g0, b0, _ := img.At(x, y).RGBA()
			r1, g1, b1, _ := back.At(x, y).RGBA()
			require.Equal(t, r1, r0, "pixel (%d, %d) is %v, want %v", x, y, back.At(x, y), img.At(x, y))
			require.Equal(t, g1, g0, "pixel (%d, %d) is %v, want %v", x, y, back.At(x, y), img.At(x, y))
			require.Equal(t, b1, b0, "pixel (%d, %d) is %v, want %v", x, y, back.At(x, y), img.At(x, y))
		}
	}
}

func TestFormatPercent(t *testing.T) {
	for _, tc := range []struct {
		v      float64
		points bool
		want   string
	}{
		{0.25, false, "25%"},
		{1, false, "100%"},
		{0.125, false, "12.5%"},
		{0, false, "0%"},
		{0.1, true, "+10 pts"},
		{-0.05, true, "−5 pts"},
		{0, true, "0 pts"},
	} {
		got := FormatPercent(tc.v, tc.points)
		assert.Equal(t, tc.want, got, "FormatPercent(%g, %v) = %q, want %q", tc.v, tc.points, got, tc.want)
	}
}

func TestRatioAxisTicks(t *testing.T) {
	lo, hi := niceDown125(0.7), niceUp125(6.3)
	assert.Equal(t, 0.5, lo, "0.7 to 6.3 rounds out to %g to %g, want 0.5 to 10", lo, hi)
	assert.Equal(t, 10.0, hi, "0.7 to 6.3 rounds out to %g to %g, want 0.5 to 10", lo, hi)
	var got []string
	for _, tk := range (RatioTicks{}).Ticks(0.5, 10) {
		got = append(got, tk.Label)
	}
	assert.Equal(t, "0.5 1 2 5 10", strings.Join(got, " "), "ticks %q", got)
}

// More than three scenarios on one comparison are small multiples: a
// panel each under its title, on one scale, the first scenario's median
// in every other panel; three or fewer stay overlaid.
func TestCompareSmallMultiples(t *testing.T) {
	c := testCompare()
	c.Series = append(c.Series, scaled("Escalation of 2025", 0.5, 1.1))
	var buf bytes.Buffer
	require.NoError(t, c.Render(&buf, "svg", 0, 0, 0))
	svg := buf.String()
	for _, b := range c.Series {
		assert.Contains(t, svg, ">"+b.Scenario+"</text>", "a panel title")
	}
	assert.Contains(t, svg, ">Current policy, median, for reference</text>")
	// 4.5 inches and 2 more for the second row of panels: 6.5 × 72 points.
	assert.Contains(t, svg, `height="468pt"`)
	// The reference line: the first median, thin and grey, in the three
	// other panels (and the key).
	assert.Equal(t, 3+1, strings.Count(svg, "stroke:#707070\"")) // 1 point, the SVG default width

	buf.Reset()
	require.NoError(t, testCompare().Render(&buf, "svg", 0, 0, 0))
	assert.NotContains(t, buf.String(), "for reference", "three scenarios stay overlaid")
}
