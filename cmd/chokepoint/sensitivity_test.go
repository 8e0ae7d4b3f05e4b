package main

import (
	"path/filepath"
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
