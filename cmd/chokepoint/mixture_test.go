package main

import (
	"bytes"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/chokepoint-sim/chokepoint/sim/dist"
)

// ksStatistic is the one-sample Kolmogorov–Smirnov statistic of xs against
// the CDF F: the largest distance between the sample's empirical CDF and
// F. (gonum's stat.KolmogorovSmirnov compares two samples; against a known
// CDF the statistic is this one loop.)
func ksStatistic(xs []float64, F func(float64) float64) float64 {
	s := slices.Sorted(slices.Values(xs))
	n := float64(len(s))
	d := 0.0
	for i, x := range s {
		f := F(x)
		d = math.Max(d, math.Max(float64(i+1)/n-f, f-float64(i)/n))
	}
	return d
}

// A mixture in a scenario file samples each component in its weight's
// share, and within each component follows that component's distribution:
// the draws of two well-separated components are told apart by value, and
// each group passes a Kolmogorov–Smirnov test against its component, under
// each sampler.
func TestMixtureSamplesEachComponentInItsShare(t *testing.T) {
	tmp := t.TempDir()
	sc := filepath.Join(tmp, "mix.toml")
	low := `{dist = "lognormal", p5 = 1000, p95 = 2000}`
	high := `{dist = "uniform", min = 10000, max = 20000}`
	require.NoError(t, os.WriteFile(sc, []byte(`id = "mix"
title = "Two views of the 2020 capacity"
extends = "current-policy"

[params]
"fab.capacity_2020_wpm" = {dist = "mixture", components = [`+low+`, `+high+`], weights = [2, 1]}
`), 0o644))
	lowD, err := dist.ParseText(low)
	require.NoError(t, err)
	highD, err := dist.ParseText(high)
	require.NoError(t, err)
	for _, c := range []struct {
		sampler string
		runs    int
	}{{"mc", 1200}, {"qmc", 600}, {"lhs", 600}} {
		t.Run(c.sampler, func(t *testing.T) {
			out := filepath.Join(tmp, c.sampler)
			code, _, stderr := cli(t, "run", sc, "--runs", strconv.Itoa(c.runs), "--sampler", c.sampler,
				"--no-charts", "--quiet", "--out", out)
			require.Equal(t, 0, code, stderr)
			rows := readCSV(t, filepath.Join(out, "params.csv"))
			col := slices.Index(rows[0], "fab.capacity_2020_wpm")
			require.Positive(t, col)
			var lows, highs []float64
			for _, r := range rows[1:] {
				x, err := strconv.ParseFloat(r[col], 64)
				require.NoError(t, err)
				// The lognormal's mass above 5000 and the uniform's below
				// 10000 are both nil (5000 is 9 sigma above the lognormal's
				// median), so the value says the component.
				switch {
				case x < 5000:
					lows = append(lows, x)
				case x >= 10000 && x <= 20000:
					highs = append(highs, x)
				default:
					t.Fatalf("draw %g belongs to neither component", x)
				}
			}
			n := float64(c.runs)
			// Weight 2 of 3; the binomial sd of the count is sqrt(n 2/3 1/3)
			// (16 at 1,200 runs): allow 4 sd. (Latin hypercube and Halton
			// points stratify the uniform, so their counts come closer.)
			assert.InDelta(t, 2.0/3*n, float64(len(lows)), 4*math.Sqrt(n*2/9), "draws from the first component")
			// 1.95/sqrt(m) is the Kolmogorov distribution's 0.1% critical
			// value (Massey 1951, Table 1): a sound sampler fails it once in
			// a thousand seeds, and this seed is fixed.
			for _, g := range []struct {
				name string
				xs   []float64
				d    dist.Dist
			}{{"lognormal", lows, lowD}, {"uniform", highs, highD}} {
				D := ksStatistic(g.xs, func(x float64) float64 { return dist.CDF(g.d, x) })
				assert.Less(t, D, 1.95/math.Sqrt(float64(len(g.xs))), "KS against the %s component", g.name)
			}
			if c.sampler != "qmc" {
				return
			}
			// One worker draws the same mixture values, byte for byte.
			one := filepath.Join(tmp, c.sampler+"-1")
			code, _, stderr = cli(t, "run", sc, "--runs", strconv.Itoa(c.runs), "--sampler", c.sampler,
				"--workers", "1", "--no-charts", "--quiet", "--out", one)
			require.Equal(t, 0, code, stderr)
			a, err := os.ReadFile(filepath.Join(out, "params.csv"))
			require.NoError(t, err)
			b, err := os.ReadFile(filepath.Join(one, "params.csv"))
			require.NoError(t, err)
			assert.True(t, bytes.Equal(a, b), "params.csv depends on the number of workers")
		})
	}
}
