package main

import (
	"os"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/chokepoint-sim/chokepoint/output"
)

// pinSmuggling writes a scenario, id "pinned", that extends current-policy
// and sets the smuggling switch by the given TOML lines.
func pinSmuggling(t *testing.T, dir, name, body string) string {
	t.Helper()
	path := filepath.Join(dir, name+".toml")
	require.NoError(t, os.WriteFile(path, []byte(`id = "pinned"
title = "Smuggling pinned"
extends = "current-policy"
`+body), 0o644))
	return path
}

// medianAt reads the median of output at period from a summary.csv.
func medianAt(t *testing.T, dir, out, period string) float64 {
	t.Helper()
	rows := readCSV(t, filepath.Join(dir, "summary.csv"))
	col := map[string]int{}
	for i, h := range rows[0] {
		col[h] = i
	}
	for _, r := range rows[1:] {
		if r[col["output"]] == out && r[col["period"]] == period {
			v, err := strconv.ParseFloat(r[col["p50"]], 64)
			require.NoError(t, err)
			return v
		}
	}
	t.Fatalf("no %s at %s", out, period)
	return 0
}

// Pinning a structural formulation by name in a scenario changes the
// result, means exactly what fixing the switch's number means, and is
// recorded by name in the manifest.
func TestStructurePinChangesResultAndIsRecorded(t *testing.T) {
	tmp := t.TempDir()
	res := map[string]string{}
	for name, body := range map[string]string{
		"network":         "[structure]\nsmuggling = \"network\"\n",
		"share":           "[structure]\nsmuggling = \"share\"\n",
		"share-by-number": "[params]\n\"structure.smuggling\" = 1\n",
	} {
		out := filepath.Join(tmp, "out-"+name)
		code, _, stderr := cli(t, "run", pinSmuggling(t, tmp, name, body), "--runs", "200", "--no-charts", "--quiet", "--out", out)
		require.Equal(t, 0, code, stderr)
		res[name] = out
	}
	// The two formulations smuggle different amounts: a finite network
	// against a share of the blocked demand (docs/MODEL.md, "Structural alternatives").
	net := medianAt(t, res["network"], "smuggled_h100e", "2030Q4")
	share := medianAt(t, res["share"], "smuggled_h100e", "2030Q4")
	assert.NotEqual(t, net, share, "the pin changes the median of smuggled chips in 2030")

	// [structure] smuggling = "share" is [params] structure.smuggling = 1.
	a, err := os.ReadFile(filepath.Join(res["share"], "summary.csv"))
	require.NoError(t, err)
	b, err := os.ReadFile(filepath.Join(res["share-by-number"], "summary.csv"))
	require.NoError(t, err)
	assert.Equal(t, string(b), string(a))

	for name, want := range map[string]string{"network": "network", "share": "share", "share-by-number": "share"} {
		m, err := output.ReadManifest(filepath.Join(res[name], "manifest.json"))
		require.NoError(t, err)
		require.Len(t, m.Scenarios, 1)
		assert.Equal(t, map[string]string{"structure.smuggling": want}, m.Scenarios[0].Structure, name)
	}
	// Shards record the pin, and so does the folder merged from them.
	var shards []string
	for i := range 2 {
		dir := filepath.Join(tmp, "shard"+strconv.Itoa(i))
		code, _, stderr := cli(t, "run", filepath.Join(tmp, "network.toml"), "--runs", "128", "--shard", strconv.Itoa(i)+"/2",
			"--no-charts", "--quiet", "--out", dir)
		require.Equal(t, 0, code, stderr)
		shards = append(shards, dir)
	}
	merged := filepath.Join(tmp, "merged")
	code, _, stderr := cli(t, append(append([]string{"merge"}, shards...), "--out", merged, "--no-charts")...)
	require.Equal(t, 0, code, stderr)
	m, err := output.ReadManifest(filepath.Join(merged, "manifest.json"))
	require.NoError(t, err)
	assert.Equal(t, map[string]string{"structure.smuggling": "network"}, m.Scenarios[0].Structure, "merged")

	// explain and params name the formulations.
	code, stdout, stderr := cli(t, "scenarios", "explain", filepath.Join(tmp, "share.toml"))
	require.Equal(t, 0, code, stderr)
	assert.Contains(t, stdout, "parameter structure.smuggling: network (0) 66.7%, share (1) 33.3% → 1 (share)")
	code, stdout, stderr = cli(t, "params", "structure.substitution")
	require.Equal(t, 0, code, stderr)
	assert.Contains(t, stdout, "linear (0) 60%, threshold (1) 30%, none (2) 10%")

	// The default draws the switch per run: nothing pinned, nothing listed.
	out := filepath.Join(tmp, "default")
	code, _, stderr = cli(t, "run", "--runs", "20", "--no-charts", "--quiet", "--out", out)
	require.Equal(t, 0, code, stderr)
	m, err = output.ReadManifest(filepath.Join(out, "manifest.json"))
	require.NoError(t, err)
	assert.Empty(t, m.Scenarios[0].Structure)
}
