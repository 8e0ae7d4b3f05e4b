package main

import (
	"fmt"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestSensitivityWritesIndicesForEveryPeriod(t *testing.T) {
	for _, m := range []struct{ method, runs, measure string }{
		{"prcc", "300", "prcc"}, {"morris", "6", "mu_star"}, {"sobol", "32", "st"},
	} {
		t.Run(m.method, func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "s")
			code, stdout, stderr := cli(t, "sensitivity", "current-policy", "--output", "compute_stock_h100e",
				"--method", m.method, "--runs", m.runs, "--boot", "20", "--no-charts", "--out", dir)
			require.Equal(t, 0, code, stderr)
			assert.Contains(t, stdout, m.measure+" of compute_stock_h100e, current-policy scenario, at 2030Q4")
			rows := readCSV(t, filepath.Join(dir, "sensitivity.csv"))
			periods := map[string]bool{}
			for _, r := range rows[1:] {
				periods[r[3]] = true
			}
			assert.Len(t, periods, 64) // every quarter 2020Q1-2035Q4
		})
	}
}

func TestSensitivityBadInput(t *testing.T) {
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"--output", "compute_stok"}, `unknown output "compute_stok" (did you mean "compute_stock_h100e"?)`},
		{[]string{"--output", "fab_yield", "--method", "fast"}, `--method: expected prcc, sobol or morris, found "fast"`},
		{[]string{}, "--output: required"},
		{[]string{"--output", "fab_yield", "--at", "2040Q1"}, "--at 2040Q1 is outside the span 2020Q1-2035Q4"},
	} {
		out := filepath.Join(t.TempDir(), "s")
		code, _, stderr := cli(t, append([]string{"sensitivity", "current-policy", "--out", out}, c.args...)...)
		assert.Equal(t, 2, code)
		assert.Contains(t, stderr, c.want)
	}
}

// A design too small for its method is refused with the minimum, before
// any run, instead of a panic in the design's constructor.
func TestSensitivityTooSmallDesign(t *testing.T) {
	k := uncertainParams(t)
	for _, c := range []struct{ method, runs, want string }{
		// Sobol needs two base samples, Morris two trajectories, PRCC more
		// runs than parameters (k+3, k the uncertain parameters of
		// current-policy).
		{"sobol", "1", "--runs: sobol needs at least 2 base samples N, found 1"},
		{"morris", "1", "--runs: morris needs at least 2 trajectories, found 1"},
		{"prcc", "5", fmt.Sprintf("--runs: prcc needs more runs than parameters: at least %d for %d parameters, found 5", k+3, k)},
	} {
		dir := filepath.Join(t.TempDir(), "s")
		code, stdout, stderr := cli(t, "sensitivity", "current-policy", "--output", "fab_yield",
			"--method", c.method, "--runs", c.runs, "--out", dir)
		assert.Equal(t, 2, code, c.method)
		assert.Empty(t, stdout)
		assert.Equal(t, "chokepoint: "+c.want+"\n", stderr)
		assert.NoDirExists(t, dir)
	}
}

// The cap on runs applies to the runs the design makes, N·(k+2) for Sobol
// and r·(k+1) for Morris, and the message gives both; it is checked before
// any run.
func TestSensitivityRunsCapCountsTheDesign(t *testing.T) {
	k := uncertainParams(t)
	// The smallest sizes over the cap: N·(k+2) and r·(k+1) > 1000000.
	n, r := maxRuns/(k+2)+1, maxRuns/(k+1)+1
	for _, c := range []struct{ method, runs, want string }{
		{"sobol", strconv.Itoa(n), fmt.Sprintf("--runs: sobol makes N·(k+2) = %d·%d = %d runs for k = %d uncertain parameters; at most 1000000, so N at most %d",
			n, k+2, n*(k+2), k, n-1)},
		{"morris", strconv.Itoa(r), fmt.Sprintf("--runs: morris makes r·(k+1) = %d·%d = %d runs for k = %d uncertain parameters; at most 1000000, so r at most %d",
			r, k+1, r*(k+1), k, r-1)},
	} {
		dir := filepath.Join(t.TempDir(), "s")
		code, _, stderr := cliStopped(t, "sensitivity", "current-policy", "--output", "fab_yield",
			"--method", c.method, "--runs", c.runs, "--out", dir)
		assert.Equal(t, 2, code, c.method)
		assert.Equal(t, "chokepoint: "+c.want+"\n", stderr)
		assert.NoDirExists(t, dir)
	}
}

// An interrupted analysis says so and exits 130 like every other verb.
func TestSensitivityInterrupted(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "s")
	code, stdout, stderr := cliStopped(t, "sensitivity", "current-policy", "--output", "fab_yield",
		"--method", "morris", "--runs", "4", "--out", dir)
	assert.Equal(t, 130, code)
	assert.Empty(t, stdout)
	assert.Equal(t, "chokepoint: interrupted; nothing was written\n", stderr)
	assert.NoDirExists(t, dir)
}

// Batch flags sensitivity does not use are refused, not ignored, and not
// offered in its help.
func TestSensitivityRefusesUnusedFlags(t *testing.T) {
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"--shard", "0/2"}, "--shard: sensitivity runs its whole design in one process; it cannot be split into shards"},
		{[]string{"--sampler", "lhs"}, "--sampler: sensitivity draws from its method's own design"},
	} {
		dir := filepath.Join(t.TempDir(), "s")
		code, _, stderr := cliStopped(t, append([]string{"sensitivity", "current-policy", "--output", "fab_yield", "--out", dir}, c.args...)...)
		assert.Equal(t, 2, code, c.args)
		assert.Contains(t, stderr, c.want)
		assert.NoDirExists(t, dir)
	}
	_, help, _ := cli(t, "sensitivity", "--help")
	assert.Contains(t, help, "--runs")
	assert.NotContains(t, help, "--shard")
	assert.NotContains(t, help, "--sampler")
}
