package main

import (
	"math"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// ranks returns average ranks of xs.
func ranks(xs []float64) []float64 {
	idx := make([]int, len(xs))
	for i := range idx {
		idx[i] = i
	}
	sort.Slice(idx, func(a, b int) bool { return xs[idx[a]] < xs[idx[b]] })
	r := make([]float64, len(xs))
	for i := 0; i < len(idx); {
		j := i
		for j+1 < len(idx) && xs[idx[j+1]] == xs[idx[i]] {
			j++
		}
		for k := i; k <= j; k++ {
			r[idx[k]] = float64(i+j)/2 + 1
		}
		i = j + 1
	}
	return r
}

func spearman(a, b []float64) float64 {
	ra, rb := ranks(a), ranks(b)
	n := float64(len(a))
	var ma, mb float64
	for i := range ra {
		ma += ra[i] / n
		mb += rb[i] / n
	}
	var sab, saa, sbb float64
	for i := range ra {
		sab += (ra[i] - ma) * (rb[i] - mb)
		saa += (ra[i] - ma) * (ra[i] - ma)
		sbb += (rb[i] - mb) * (rb[i] - mb)
	}
	return sab / math.Sqrt(saa*sbb)
}

// A [[correlations]] table in a scenario makes the drawn parameters
// rank-correlated as asked, in the model's real batch.
func TestScenarioCorrelationsReachTheDraws(t *testing.T) {
	tmp := t.TempDir()
	sc := filepath.Join(tmp, "corr.toml")
	require.NoError(t, os.WriteFile(sc, []byte(`id = "corr"
title = "Budget and capacity grow together"
extends = "current-policy"

[[correlations]]
params = ["demand.budget_growth", "fab.capacity_growth"]
rank = 0.7
`), 0o644))
	out := filepath.Join(tmp, "res")
	code, _, stderr := cli(t, "run", sc, "--runs", "4000", "--no-charts", "--quiet", "--out", out)
	require.Equal(t, 0, code, stderr)
	rows := readCSV(t, filepath.Join(out, "params.csv"))
	a, b := slices.Index(rows[0], "demand.budget_growth"), slices.Index(rows[0], "fab.capacity_growth")
	var xa, xb []float64
	for _, r := range rows[1:] {
		va, _ := strconv.ParseFloat(r[a], 64)
		vb, _ := strconv.ParseFloat(r[b], 64)
		xa, xb = append(xa, va), append(xb, vb)
	}
	// 0.7 asked; the sampling sd of Spearman's rho at n = 4000 is ~0.008.
	assert.InDelta(t, 0.7, spearman(xa, xb), 0.03)
}
