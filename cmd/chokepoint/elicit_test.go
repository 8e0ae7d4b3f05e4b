package main

import (
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/chokepoint-sim/chokepoint/scenarios"
)

const elicitExample = "../../docs/examples/smuggling-ceiling.toml"

// elicit on the three-expert example writes its files, the same bytes
// each time; the pool.toml it writes, pasted into a scenario, is a valid
// distribution of the parameter whose quantiles are the pool's quantiles
// in elicit.csv.
func TestElicitExamplePastesIntoAScenario(t *testing.T) {
	tmp := t.TempDir()
	var outs []string
	for _, name := range []string{"a", "b"} {
		out := filepath.Join(tmp, name)
		code, stdout, stderr := cli(t, "elicit", elicitExample, "--out", out, "--format", "png,svg")
		require.Equal(t, 0, code, stderr)
		assert.Contains(t, stdout, "3 experts, linear opinion pool with equal weights")
		assert.Contains(t, stdout, "[params.\"smuggling.capacity_ceiling\"]")
		outs = append(outs, out)
	}
	for _, f := range []string{"manifest.json", "pool.toml", "elicit.csv", "charts/elicit.png", "charts/elicit.svg"} {
		a, err := os.ReadFile(filepath.Join(outs[0], f))
		require.NoError(t, err, f)
		b, err := os.ReadFile(filepath.Join(outs[1], f))
		require.NoError(t, err, f)
		assert.Positive(t, len(a), f)
		assert.True(t, slices.Equal(a, b), "%s differs between two identical runs", f)
	}

	pool, err := os.ReadFile(filepath.Join(outs[0], "pool.toml"))
	require.NoError(t, err)
	sc := filepath.Join(tmp, "pooled.toml")
	require.NoError(t, os.WriteFile(sc, append([]byte("id = \"pooled\"\ntitle = \"Pooled judgement\"\nextends = \"current-policy\"\n"), pool...), 0o644))
	loaded, err := (&scenarios.Loader{Registry: registry()}).Load(sc)
	require.NoError(t, err)
	i, ok := registry().ParamIndex("smuggling.capacity_ceiling")
	require.True(t, ok)
	d := loaded.Params[i]

	rows := readCSV(t, filepath.Join(outs[0], "elicit.csv"))
	last := rows[len(rows)-1]
	require.Equal(t, "pool", last[0])
	for j, h := range rows[0] {
		if len(h) != 3 || h[0] != 'p' {
			continue
		}
		pct, err := strconv.ParseFloat(h[1:], 64)
		require.NoError(t, err)
		want, err := strconv.ParseFloat(last[j], 64)
		require.NoError(t, err)
		// 1e-9: the pasted weights are written to 12 significant digits.
		assert.InDelta(t, want, d.Quantile(pct/100), 1e-9*want, "%s of the pasted pool", h)
	}
}

// Seed questions switch the weights to Cooke's classical model: the
// expert whose 90% intervals missed every answer gets (almost) none.
func TestElicitSeedsWeighByPerformance(t *testing.T) {
	out := filepath.Join(t.TempDir(), "res")
	code, stdout, stderr := cli(t, "elicit", "../../docs/examples/smuggling-ceiling-seeds.toml", "--out", out, "--quiet")
	require.Equal(t, 0, code, stderr)
	assert.Empty(t, stdout)
	rows := readCSV(t, filepath.Join(out, "elicit.csv"))
	weight := map[string]float64{}
	for _, r := range rows[1:] {
		w, err := strconv.ParseFloat(r[1], 64)
		require.NoError(t, err)
		weight[r[0]] = w
	}
	assert.Less(t, weight["Industry insider"], 0.01)
	assert.Greater(t, weight["Trade economist"], weight["Enforcement analyst"])
}
