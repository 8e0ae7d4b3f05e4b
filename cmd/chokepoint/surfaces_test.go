package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/chokepoint-sim/chokepoint/sim/simtest"
)

// useModel runs the verbs on m until the test ends.
func useModel(t *testing.T, m *simtest.Model) {
	prev := theModel
	theModel = m
	t.Cleanup(func() { theModel = prev })
}

// A lever, parameter and output added to a model's registry appear in
// every verb without a change anywhere else: the made-up model's keys are
// known only to its registry (package simtest).
func TestNewLeverReachesEveryVerb(t *testing.T) {
	useModel(t, &simtest.Model{})
	dir := t.TempDir()
	path := filepath.Join(dir, "made-up.toml")
	require.NoError(t, os.WriteFile(path, []byte(simtest.Scenario), 0o644))

	t.Run("params", func(t *testing.T) {
		code, stdout, stderr := cli(t, "params")
		require.Equal(t, 0, code, stderr)
		assert.Contains(t, stdout, simtest.ParamKey)
		assert.Contains(t, stdout, simtest.LeverKey)
		code, stdout, stderr = cli(t, "params", "--markdown")
		require.Equal(t, 0, code, stderr)
		assert.Contains(t, stdout, simtest.LeverKey)
	})

	t.Run("scenarios explain", func(t *testing.T) {
		code, stdout, stderr := cli(t, "scenarios", "explain", path)
		require.Equal(t, 0, code, stderr)
		// The lever's plain words, and its "none" value, from the registry.
		assert.Contains(t, stdout, "from 2022Q1: "+simtest.LeverPhrase+" ("+simtest.LeverKey+") goes from none to 20 widgets")
	})

	t.Run("run", func(t *testing.T) {
		out := filepath.Join(dir, "out")
		code, stdout, stderr := cli(t, "run", path, "--runs", "40", "--out", out)
		require.Equal(t, 0, code, stderr)
		// The headline table shows the featured output.
		assert.Contains(t, stdout, simtest.OutputKey+" (units)")
		assert.FileExists(t, filepath.Join(out, "charts", "made-up-"+simtest.OutputKey+".png"))
		params, err := os.ReadFile(filepath.Join(out, "params.csv"))
		require.NoError(t, err)
		assert.Contains(t, string(params), simtest.ParamKey)
	})

	t.Run("sensitivity", func(t *testing.T) {
		out := filepath.Join(dir, "sens")
		code, stdout, stderr := cli(t, "sensitivity", path, "--output", simtest.OutputKey, "--runs", "60",
			"--at", "2030Q4", "--out", out, "--no-charts")
		require.Equal(t, 0, code, stderr)
		assert.Contains(t, stdout, "of "+simtest.OutputKey+", made-up scenario")
		// The new assumption drives the output (it multiplies it).
		lines := strings.Split(stdout, "\n")
		require.Greater(t, len(lines), 2, stdout)
		assert.Contains(t, stdout, simtest.ParamKey)
		csv, err := os.ReadFile(filepath.Join(out, "sensitivity.csv"))
		require.NoError(t, err)
		assert.Contains(t, string(csv), simtest.ParamKey)
	})

	t.Run("help names the model's outputs", func(t *testing.T) {
		code, stdout, stderr := cli(t, "sensitivity", "--help")
		require.Equal(t, 0, code, stderr)
		assert.Contains(t, stdout, "e.g. "+simtest.OutputKey)
	})
}
