package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// backtest refuses --shard (it used to run a slice and write a manifest
// claiming every run), a span without observations and more runs than it
// can keep, all before any run.
func TestBacktestRefusesBeforeRunning(t *testing.T) {
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"--shard", "1/2"}, "--shard: backtest needs the whole batch; it cannot be split into shards"},
		// The observations of models/calibration.csv fall in 2023Q1-2025Q1.
		{[]string{"--from", "2030Q1"}, "--from/--to: the span 2030Q1-2035Q4 holds none of the calibration observations, which fall in 2023Q1-2025Q1"},
		// sim.ExactLimit values / (model outputs · 64 quarters) runs.
		{[]string{"--runs", strconv.Itoa(keptRuns() + 1)}, fmt.Sprintf("--runs: backtest keeps every run's values: at most %d runs of 1 scenario(s) over 64 quarters, found %d", keptRuns(), keptRuns()+1)},
	} {
		dir := filepath.Join(t.TempDir(), "bt")
		code, stdout, stderr := cliStopped(t, append([]string{"backtest", "--out", dir}, c.args...)...)
		assert.Equal(t, 2, code, c.args)
		assert.Empty(t, stdout)
		assert.Equal(t, "chokepoint: "+c.want+"\n", stderr)
		assert.NoDirExists(t, dir)
	}
	_, help, _ := cli(t, "backtest", "--help")
	assert.NotContains(t, help, "--shard")
}

// The manifest records the sampler the backtest ran with.
func TestBacktestRecordsSampler(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "bt")
	code, _, stderr := cli(t, "backtest", "--runs", "100", "--sampler", "lhs", "--quiet", "--out", dir)
	require.Equal(t, 0, code, stderr)
	b, err := os.ReadFile(filepath.Join(dir, "manifest.json"))
	require.NoError(t, err)
	var m struct {
		Sampler string `json:"sampler"`
	}
	require.NoError(t, json.Unmarshal(b, &m))
	assert.Equal(t, "lhs", m.Sampler)
}
