package main

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/chokepoint-sim/chokepoint/sim"
)

// row returns the row of a CSV whose named columns hold the values given.
func row(t *testing.T, rows [][]string, want map[string]string) []string {
	t.Helper()
	col := columns(rows[0])
next:
	for _, r := range rows[1:] {
		for k, v := range want {
			if r[col[k]] != v {
				continue next
			}
		}
		return r
	}
	require.FailNow(t, "no row", "%v", want)
	return nil
}

func float(t *testing.T, s string) float64 {
	t.Helper()
	v, err := strconv.ParseFloat(s, 64)
	require.NoError(t, err)
	return v
}

// Issue 16, acceptance 1: compare prints headline sentences with intervals
// and shares; headline.csv and diff.csv have explicit ratio and difference
// columns, the same with or without --samples; the ratio's quantiles are
// those of the per-run ratios of the paired runs.
func TestCompareHeadlineNumbers(t *testing.T) {
	tmp := t.TempDir()
	plain, withSamples := filepath.Join(tmp, "plain"), filepath.Join(tmp, "samples")
	code, stdout, stderr := cli(t, "compare", "current-policy", "no-controls", "--runs", "300", "--seed", "1", "--no-charts", "--out", plain)
	require.Equal(t, 0, code, stderr)
	code, _, stderr = cli(t, "compare", "current-policy", "no-controls", "--runs", "300", "--seed", "1", "--no-charts", "--samples", "--out", withSamples)
	require.Equal(t, 0, code, stderr)

	// The printed sentences: a median ratio with its interval and a share.
	assert.Contains(t, stdout, "In short (2030Q4")
	assert.Regexp(t, `By 2030Q4, “No controls after September 2022” leaves China's AI compute stock at [0-9.]+ times \(90% interval [0-9.]+–[0-9.]+\) its level under “Current policy”; higher in [0-9]+% of runs\.`, stdout)
	assert.Regexp(t, `leaves the frontier gap [0-9.]+ months lower \(90% interval −[0-9.]+ to [−+][0-9.]+ months\) than under “Current policy”; lower in [0-9]+% of runs\.`, stdout)

	for _, name := range []string{"diff.csv", "headline.csv"} {
		a, err := os.ReadFile(filepath.Join(plain, name))
		require.NoError(t, err)
		b, err := os.ReadFile(filepath.Join(withSamples, name))
		require.NoError(t, err)
		assert.Equal(t, string(a), string(b), "%s differs with --samples", name)
	}
	diff := readCSV(t, filepath.Join(plain, "diff.csv"))
	for _, c := range []string{"diff_mean", "diff_p05", "diff_p50", "diff_p95", "ratio_runs", "ratio_p05", "ratio_p50", "ratio_p95", "share_higher", "share_changed"} {
		assert.Contains(t, diff[0], c)
	}
	// The ratio's quantiles are those of the per-run ratios in samples.csv.
	samples := readCSV(t, filepath.Join(withSamples, "samples.csv"))
	scol := columns(samples[0])
	value := map[string][]float64{}
	for _, r := range samples[1:] {
		if r[scol["period"]] == "2030Q4" {
			value[r[scol["scenario"]]] = append(value[r[scol["scenario"]]], float(t, r[scol["compute_stock_h100e"]]))
		}
	}
	require.Len(t, value["no-controls"], 300)
	var ratios, diffs []float64
	for i, b := range value["current-policy"] {
		ratios = append(ratios, value["no-controls"][i]/b)
		diffs = append(diffs, value["no-controls"][i]-b)
	}
	rs, ds := sim.Summarize(ratios), sim.Summarize(diffs)
	d := row(t, diff, map[string]string{"output": "compute_stock_h100e", "period": "2030Q4"})
	dcol := columns(diff[0])
	assert.Equal(t, rs.P50(), float(t, d[dcol["ratio_p50"]]))
	assert.Equal(t, rs.P05(), float(t, d[dcol["ratio_p05"]]))
	assert.Equal(t, ds.P95(), float(t, d[dcol["diff_p95"]]))

	head := readCSV(t, filepath.Join(plain, "headline.csv"))
	hcol := columns(head[0])
	// Every output at the fourth quarters of 2025, 2027, 2030 and 2035.
	assert.Len(t, head, 1+modelOutputs()*4)
	h := row(t, head, map[string]string{"output": "compute_stock_h100e", "period": "2030Q4"})
	assert.Equal(t, "ratio", h[hcol["measure"]], "a positive output (Log in the registry) is told as a ratio")
	assert.Equal(t, rs.P50(), float(t, h[hcol["p50"]]))
	assert.Equal(t, rs.P95(), float(t, h[hcol["p95"]]))
	assert.Equal(t, d[dcol["share_higher"]], h[hcol["share_higher"]])
	g := row(t, head, map[string]string{"output": "frontier_gap_months", "period": "2030Q4"})
	assert.Equal(t, "difference", g[hcol["measure"]], "months can be negative: a difference")
	assert.Contains(t, stdout, g[hcol["sentence"]])
}

// An uncertain event (probability 0.5) that is all that tells two
// scenarios apart changes half the runs; the headline gives the figure for
// those runs too, instead of a median ratio of 1 "higher in 0% of runs".
func TestHeadlineOfAnUncertainEvent(t *testing.T) {
	tmp := t.TempDir()
	maybe := filepath.Join(tmp, "maybe.toml")
	require.NoError(t, os.WriteFile(maybe, []byte(`id = "maybe"
title = "Maybe the 2022 rule"
extends = "no-controls"

[[events]]
id = "maybe-2022-tpp"
lever = "export.tpp_threshold"
value = 4800
effective = "2022-10"
probability = 0.5
note = "the October 2022 chip rule, in half the runs"
source = "test"
`), 0o644))
	dir := filepath.Join(tmp, "cmp")
	code, stdout, stderr := cli(t, "compare", "no-controls", maybe, "--runs", "400", "--seed", "3", "--no-charts", "--out", dir)
	require.Equal(t, 0, code, stderr)
	head := readCSV(t, filepath.Join(dir, "headline.csv"))
	hcol := columns(head[0])
	h := row(t, head, map[string]string{"output": "compute_stock_h100e", "period": "2030Q4"})
	// Half the runs, ± 0.1 (the binomial sd of 400 runs is 0.025).
	changed := float(t, h[hcol["share_changed"]])
	assert.InDelta(t, 0.5, changed, 0.1)
	// Where the rule fired, China has less compute in every run.
	assert.Less(t, float(t, h[hcol["changed_p95"]]), 1.0)
	assert.Equal(t, "0", h[hcol["changed_share_higher"]])
	sentence := h[hcol["sentence"]]
	assert.Contains(t, sentence, "In the "+strconv.Itoa(int(100*changed+0.5))+"% of runs in which the two differ, it is ")
	assert.Contains(t, sentence, "lower in 100% of those runs")
	assert.True(t, strings.Contains(stdout, sentence), "printed")
}
