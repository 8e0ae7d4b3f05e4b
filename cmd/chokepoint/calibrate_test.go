package main

import (
	"context"
	"crypto/sha256"
	"encoding/csv"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/chokepoint-sim/chokepoint/models"
	"github.com/chokepoint-sim/chokepoint/output"
	"github.com/chokepoint-sim/chokepoint/scenarios"
	"github.com/chokepoint-sim/chokepoint/sim"
	calib "github.com/chokepoint-sim/chokepoint/sim/calibrate"
)

// calibrateFiles are the tables a calibration writes.
var calibrateFiles = []string{output.WeightsName, output.PosteriorName, output.CalibrationName}

// calibrated runs a small calibration into a fresh folder (640 runs: ten
// chunks, so two shards split them) and returns the folder.
func calibrated(t *testing.T, extra ...string) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "cal")
	args := append([]string{"calibrate", "--runs", "640", "--seed", "3", "--draws", "300", "--no-charts", "--quiet", "--out", dir}, extra...)
	code, _, stderr := cli(t, args...)
	require.Equal(t, 0, code, stderr)
	return dir
}

// The weights, the posterior and the diagnostics are byte for byte the
// same with one worker or two, and sharded in two then merged.
func TestCalibrateSameWhateverWorkersAndShards(t *testing.T) {
	one := calibrated(t, "--workers", "1")
	two := calibrated(t, "--workers", "2")
	base := t.TempDir()
	var shards []string
	for i := 0; i < 2; i++ {
		d := filepath.Join(base, fmt.Sprint("shard", i))
		code, stdout, stderr := cli(t, "calibrate", "--runs", "640", "--seed", "3", "--draws", "300", "--shard", fmt.Sprintf("%d/2", i),
			"--workers", fmt.Sprint(2-i), "--out", d)
		require.Equal(t, 0, code, stderr)
		assert.Contains(t, stdout, fmt.Sprintf("shard %d/2", i))
		shards = append(shards, d)
	}
	merged := filepath.Join(base, "merged")
	code, _, stderr := cli(t, "merge", "--no-charts", "--quiet", "--out", merged, shards[1], shards[0])
	require.Equal(t, 0, code, stderr)
	for _, f := range calibrateFiles {
		want := mustRead(t, filepath.Join(one, f))
		assert.Equal(t, want, mustRead(t, filepath.Join(two, f)), "%s: 1 vs 2 workers", f)
		assert.Equal(t, want, mustRead(t, filepath.Join(merged, f)), "%s: merged shards vs one run", f)
	}
}

// What calibrate writes and prints: every observation's prior and
// posterior intervals, the ESS, each formulation's weight, a manifest
// naming the observations used and held out.
func TestCalibrateWritesAndPrints(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "cal")
	code, stdout, stderr := cli(t, "calibrate", "--runs", "640", "--seed", "3", "--draws", "300", "--holdout-from", "2024Q1", "--out", dir)
	require.Equal(t, 0, code, stderr)
	assert.Contains(t, stdout, "effective sample size")
	// 640 runs keep far fewer than 1,000 effective runs: calibrate says so
	assert.Contains(t, stdout, "warning: an effective sample size below 1000")
	var used, held []string
	for _, o := range models.Calibration {
		assert.Contains(t, stdout, o.ID)
		if o.To < sim.NewPeriod(2024, 1) {
			used = append(used, o.ID)
		} else {
			held = append(held, o.ID)
		}
	}
	assert.Contains(t, stdout, "out-of-sample check")
	assert.Contains(t, stdout, "structural formulations")
	m, err := output.LoadManifest(filepath.Join(dir, output.ManifestName))
	require.NoError(t, err)
	require.NotNil(t, m.Calibration)
	assert.Equal(t, used, m.Calibration.Used)
	assert.Equal(t, held, m.Calibration.HeldOut)
	assert.Equal(t, "2024Q1", m.Calibration.HoldoutFrom)
	assert.Equal(t, 300, m.Calibration.Draws)

	rows := readCSV(t, filepath.Join(dir, output.CalibrationName))
	assert.Equal(t, output.CalibrationHeader, rows[0])
	kinds := map[string]int{}
	details := map[string][]string{}
	for _, r := range rows[1:] {
		kinds[r[0]]++
		details[r[0]] = append(details[r[0]], r[2])
		if r[0] == "observation" {
			detail := "used"
			if !slices.Contains(used, r[1]) {
				detail = "held out"
			}
			assert.Equal(t, detail, r[2], r[1])
		}
	}
	assert.Equal(t, len(models.Calibration), kinds["observation"])
	assert.Positive(t, kinds["parameter"])
	assert.Positive(t, kinds["structure"])
	// formulations by the names a scenario's [structure] table pins
	for _, level := range []string{"network", "share", "linear", "threshold", "fixed-lag", "catch-up"} {
		assert.Contains(t, details["structure"], level)
	}
	assert.FileExists(t, filepath.Join(dir, "charts", "marginals.png"))
	// posterior.csv: the requested number of draws, one column per
	// parameter after draw and run.
	post := readCSV(t, filepath.Join(dir, output.PosteriorName))
	assert.Len(t, post, 301)
	assert.Len(t, post[0], 2+len(models.Registry.Params))
}

// Acceptance 3: run --ensemble gives the same bytes for the same seed
// with one worker or two, and sharded then merged; every run's parameters
// are a row of the posterior, except those the scenario fixes; the
// manifest names the ensemble and the hash of its posterior.csv.
func TestRunEnsembleReproducible(t *testing.T) {
	ens := calibrated(t)
	fixed := models.Registry.Params[0]
	set := fmt.Sprintf("%s=%g", fixed.Key, fixed.Min)
	args := []string{"run", "--runs", "200", "--seed", "9", "--no-charts", "--quiet", "--ensemble", ens, "--set", set}
	base := t.TempDir()
	outs := map[string]string{}
	for _, w := range []string{"1", "2"} {
		outs[w] = filepath.Join(base, "w"+w)
		code, _, stderr := cli(t, append(args, "--workers", w, "--out", outs[w])...)
		require.Equal(t, 0, code, stderr)
	}
	var shards []string
	for i := 0; i < 2; i++ {
		d := filepath.Join(base, fmt.Sprint("s", i))
		code, _, stderr := cli(t, append(args, "--shard", fmt.Sprintf("%d/2", i), "--out", d)...)
		require.Equal(t, 0, code, stderr)
		shards = append(shards, d)
	}
	merged := filepath.Join(base, "merged")
	code, _, stderr := cli(t, append([]string{"merge", "--no-charts", "--quiet", "--out", merged}, shards...)...)
	require.Equal(t, 0, code, stderr)
	for _, f := range []string{"summary.csv", "params.csv"} {
		want := mustRead(t, filepath.Join(outs["1"], f))
		assert.Equal(t, want, mustRead(t, filepath.Join(outs["2"], f)), f)
		assert.Equal(t, want, mustRead(t, filepath.Join(merged, f)), f)
	}

	// Each run's parameters are a posterior row, but for the one fixed.
	postRows := readCSV(t, filepath.Join(ens, output.PosteriorName))
	rowsSeen := map[string]bool{}
	for _, r := range postRows[1:] {
		rowsSeen[strings.Join(r[3:], ",")] = true
	}
	params := readCSV(t, filepath.Join(outs["1"], "params.csv"))
	col := slices.Index(params[0], fixed.Key)
	require.Positive(t, col)
	for _, r := range params[1:] {
		assert.Equal(t, fmt.Sprint(fixed.Min), r[col], "the --set value overrides the posterior")
		assert.True(t, rowsSeen[strings.Join(r[col+1:], ",")], "run %s: parameters not a posterior row", r[1])
	}

	for _, d := range []string{outs["1"], merged} {
		m, err := output.LoadManifest(filepath.Join(d, output.ManifestName))
		require.NoError(t, err)
		require.NotNil(t, m.Ensemble, d)
		sum := sha256.Sum256([]byte(mustRead(t, filepath.Join(ens, output.PosteriorName))))
		assert.Equal(t, hex.EncodeToString(sum[:]), m.Ensemble.SHA256)
		assert.Equal(t, ens, m.Ensemble.Path)
		assert.Equal(t, 300, m.Ensemble.Draws)
		assert.Positive(t, m.Ensemble.ESS, "the calibration's effective sample size travels with the ensemble")
	}
}

// compare --ensemble pairs the scenarios on the same posterior rows: every
// parameter a scenario does not fix is equal in run i of both.
func TestCompareEnsemblePaired(t *testing.T) {
	ens := calibrated(t)
	out := filepath.Join(t.TempDir(), "cmp")
	code, _, stderr := cli(t, "compare", "current-policy", "no-controls", "--runs", "100", "--no-charts", "--quiet", "--ensemble", ens, "--out", out)
	require.Equal(t, 0, code, stderr)
	var m struct {
		Ensemble *output.EnsembleInfo `json:"ensemble"`
	}
	require.NoError(t, json.Unmarshal([]byte(mustRead(t, filepath.Join(out, output.ManifestName))), &m))
	require.NotNil(t, m.Ensemble)
	rows := readCSV(t, filepath.Join(out, "params.csv"))
	byRun := map[string][]string{}
	for _, r := range rows[1:] {
		if prev, ok := byRun[r[1]]; ok {
			assert.Equal(t, prev[2:], r[2:], "run %s", r[1])
		}
		byRun[r[1]] = r
	}
	assert.Len(t, byRun, 100)
}

// BenchmarkCalibrate measures the whole calibration of the real model per
// run: drawing the prior, weighing, resampling and the diagnostics
// (go test -bench Calibrate -benchtime 20000x ./cmd/chokepoint/).
func BenchmarkCalibrate(b *testing.B) {
	loader := &scenarios.Loader{Registry: models.Registry}
	sc, err := loader.Load(scenarios.Default)
	require.NoError(b, err)
	terms, err := calib.Terms(models.Calibration)
	require.NoError(b, err)
	used := make([]bool, len(terms))
	for i := range used {
		used[i] = true
	}
	b.ReportAllocs()
	bt := &sim.Batch{Model: theModel, Scenarios: []*sim.Scenario{sc}, Span: sc.Span, Runs: b.N, Seed: 1}
	d, err := calib.Draw(context.Background(), bt, models.Calibration)
	require.NoError(b, err)
	post, err := calib.Weigh(d, terms, used)
	require.NoError(b, err)
	calib.Resample(post.Weights, 10000, 1)
	calib.Diagnose(d, terms, post, calib.DefaultOptions)
}

// report --ensemble runs its scenarios and its calibration check on the
// posterior, and its reproducing command names the ensemble.
func TestReportEnsemble(t *testing.T) {
	ens := calibrated(t)
	out := filepath.Join(t.TempDir(), "r.html")
	code, _, stderr := cli(t, "report", "--runs", "100", "--quiet", "--ensemble", ens, "--out", out)
	require.Equal(t, 0, code, stderr)
	assert.Contains(t, mustRead(t, out), "--ensemble "+ens)
}

// merge refuses calibrate shards that do not belong together, and a
// damaged draws.bin, with one message and exit 2, writing nothing.
func TestMergeCalibrateRefuses(t *testing.T) {
	base := t.TempDir()
	shard := func(name, seed, which string) string {
		d := filepath.Join(base, name)
		code, _, stderr := cli(t, "calibrate", "--runs", "128", "--seed", seed, "--shard", which, "--quiet", "--out", d)
		require.Equal(t, 0, code, stderr)
		return d
	}
	a, b := shard("a", "1", "0/2"), shard("b", "2", "1/2")
	out := filepath.Join(base, "out")
	code, _, stderr := cli(t, "merge", "--out", out, a, b)
	assert.Equal(t, 2, code)
	assert.Contains(t, stderr, "shards of different calibrations")
	assert.Equal(t, 1, strings.Count(stderr, "\n"))

	c := shard("c", "1", "1/2")
	draws := filepath.Join(c, output.DrawsName)
	full := mustRead(t, draws)
	require.NoError(t, os.WriteFile(draws, []byte(full[:len(full)-5]), 0o644))
	code, _, stderr = cli(t, "merge", "--out", out, a, c)
	assert.Equal(t, 2, code)
	assert.Contains(t, stderr, "truncated")
	assert.Equal(t, 1, strings.Count(stderr, "\n"))
	assert.NoDirExists(t, out)
}

// drawsEnsemble writes an ensemble folder whose posterior.csv holds the
// parameters of runs prior runs of current-policy (every row distinct),
// for analyses that need more distinct rows than a small calibration keeps.
func drawsEnsemble(t *testing.T, runs int) string {
	t.Helper()
	src := filepath.Join(t.TempDir(), "prior")
	code, _, stderr := cli(t, "run", "--runs", strconv.Itoa(runs), "--seed", "5", "--no-charts", "--quiet", "--out", src)
	require.Equal(t, 0, code, stderr)
	rows := readCSV(t, filepath.Join(src, "params.csv"))
	rows[0][0] = "draw"
	for i := range rows[1:] {
		rows[i+1][0] = strconv.Itoa(i)
	}
	dir := filepath.Join(t.TempDir(), "ens")
	require.NoError(t, os.MkdirAll(dir, 0o755))
	var b strings.Builder
	require.NoError(t, csv.NewWriter(&b).WriteAll(rows))
	require.NoError(t, os.WriteFile(filepath.Join(dir, output.PosteriorName), []byte(b.String()), 0o644))
	return dir
}

// sensitivity --ensemble ranks the parameters over an ensemble's rows: its
// PRCC table differs from the prior's for the same seed (the runs take
// the ensemble's rows), is the same with one worker or two, and the
// manifest names the ensemble; the printout says how many independent runs
// the p-values count. It refuses an ensemble with fewer distinct rows than
// the parameters need, and Sobol and Morris refuse any (exit 2, nothing
// written): their designs move one independent input at a time, which a
// posterior's correlated draws cannot.
func TestSensitivityEnsemble(t *testing.T) {
	ens := drawsEnsemble(t, 300) // 300 distinct rows for ~100 parameters
	base := t.TempDir()
	sens := func(name string, extra ...string) string {
		d := filepath.Join(base, name)
		args := append([]string{"sensitivity", "current-policy", "--output", "compute_stock_h100e", "--runs", "200", "--seed", "4",
			"--no-charts", "--quiet", "--out", d}, extra...)
		code, _, stderr := cli(t, args...)
		require.Equal(t, 0, code, stderr)
		return d
	}
	prior := sens("prior")
	code, stdout, stderr := cli(t, "sensitivity", "current-policy", "--output", "compute_stock_h100e", "--runs", "200", "--seed", "4",
		"--no-charts", "--ensemble", ens, "--out", filepath.Join(base, "printed"))
	require.Equal(t, 0, code, stderr)
	assert.Regexp(t, `count them as \d+ independent runs at 2030Q4`, stdout)
	one := sens("one", "--ensemble", ens, "--workers", "1")
	two := sens("two", "--ensemble", ens, "--workers", "2")
	table := mustRead(t, filepath.Join(one, "sensitivity.csv"))
	assert.Equal(t, table, mustRead(t, filepath.Join(two, "sensitivity.csv")))
	assert.NotEqual(t, mustRead(t, filepath.Join(prior, "sensitivity.csv")), table)
	m, err := output.LoadManifest(filepath.Join(one, output.ManifestName))
	require.NoError(t, err)
	require.NotNil(t, m.Ensemble)
	assert.Equal(t, ens, m.Ensemble.Path)
	assert.Contains(t, strings.Join(m.Command, " "), "--ensemble "+ens)

	few := calibrated(t) // 640 runs resampled to 300 draws: a few dozen distinct rows
	out := filepath.Join(base, "few")
	code, _, stderr = cli(t, "sensitivity", "current-policy", "--output", "compute_stock_h100e", "--ensemble", few, "--out", out)
	assert.Equal(t, 2, code)
	assert.Contains(t, stderr, "distinct rows for")
	assert.NoDirExists(t, out)
	for _, method := range []string{"sobol", "morris"} {
		out := filepath.Join(base, method)
		code, _, stderr := cli(t, "sensitivity", "current-policy", "--output", "compute_stock_h100e", "--method", method,
			"--ensemble", ens, "--out", out)
		assert.Equal(t, 2, code, method)
		assert.Contains(t, stderr, "only prcc can use a posterior ensemble", method)
		assert.NoDirExists(t, out)
	}
}
