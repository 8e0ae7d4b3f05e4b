package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"runtime/debug"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/chokepoint-sim/chokepoint/models"
	"github.com/chokepoint-sim/chokepoint/output"
	"github.com/chokepoint-sim/chokepoint/sim"
	calib "github.com/chokepoint-sim/chokepoint/sim/calibrate"
)

// likelihoodText is the likelihood as the manifest records it (docs/MODEL.md,
// "Calibration: the constrained ensemble").
const likelihoodText = "independent observations; each low-high a 90% interval of a two-piece normal with its mode at the central value, on the log scale when low > 0"

// calibrateFlags are calibrate's flags besides the batch's.
type calibrateFlags struct {
	batchFlags
	draw            drawFlags
	out, holdout    string
	draws           int
	noCharts, quiet bool
	holdoutFrom     sim.Period
	used            []bool
	terms           []calib.Term
}

// maxDraws bounds --draws.
const maxDraws = 1_000_000

// calibrateRuns is calibrate's default --runs: the weights of current-policy
// keep an effective sample size of about 0.34% of the runs (1,353 of
// 400,000 at seed 1; 756 of 200,000), and the posterior is meant to rest on
// at least 1,000.
const calibrateRuns = 400000

// minESS is the effective sample size below which calibrate warns that the
// posterior rests on too few runs: at 146 (40,000 runs) only 3 of 20
// induced correlations and formulation weights within 0.1 came back with
// another seed.
const minESS = 1000

// chartPanels is the number of parameters the marginals chart shows.
const chartPanels = 9

func newCalibrateCmd() *cobra.Command {
	var cf calibrateFlags
	c := &cobra.Command{
		Use:   "calibrate [SCENARIO]",
		Short: "Weigh a prior ensemble by the observations and write the posterior ensemble",
		Long: `Draw a prior ensemble of the scenario (default current-policy), score every
run against the calibration observations (docs/MODEL.md, "Calibration") and write to
--out: weights.csv (each run's log-likelihood and weight), posterior.csv
(draws resampled by weight, for run --ensemble), calibration.csv (effective
sample size; each observation's and parameter's prior and posterior median
and 90% interval; structural formulations' weights; correlations the data
induce), manifest.json and charts/marginals.png. --holdout-from PERIOD
calibrates on the observations ending before PERIOD and scores the rest.`,
		Example: `  chokepoint calibrate
  chokepoint calibrate --holdout-from 2024Q1 --out out-holdout
  chokepoint calibrate --runs 1000000 --shard 0/4 --out shard0   (then chokepoint merge)`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error { return cf.run(cmd, args) },
	}
	cf.register(c)
	c.Flags().Lookup("runs").DefValue = strconv.Itoa(calibrateRuns)
	_ = c.Flags().Set("runs", strconv.Itoa(calibrateRuns))
	c.Flags().StringVar(&cf.out, "out", "out-calibrate", "results folder")
	c.Flags().StringVar(&cf.holdout, "holdout-from", "", "calibrate on the observations ending before this quarter (e.g. 2024Q1) and score the rest")
	c.Flags().IntVar(&cf.draws, "draws", 10000, "size of the resampled posterior (rows of posterior.csv)")
	c.Flags().BoolVar(&cf.noCharts, "no-charts", false, "write tables only")
	c.Flags().BoolVar(&cf.quiet, "quiet", false, "print nothing on success")
	cf.draw.register(c)
	return c
}

// checkObservations splits the observations into used and held out and
// checks that the batch's span holds them all.
func (cf *calibrateFlags) checkObservations(span sim.Span) error {
	obs := models.Calibration
	for i := range obs {
		if o := &obs[i]; o.From < span.Start || o.To > span.End {
			return usagef("--from/--to: the span %s-%s leaves out observation %s (%s-%s); calibration needs every observation",
				span.Start, span.End, o.ID, o.From, o.To)
		}
	}
	cf.used = make([]bool, len(obs))
	nUsed := 0
	for i := range obs {
		cf.used[i] = cf.holdout == "" || obs[i].To < cf.holdoutFrom
		if cf.used[i] {
			nUsed++
		}
	}
	switch {
	case nUsed == 0:
		return usagef("--holdout-from %s: every observation ends at or after it, none is left to calibrate on (they end %s to %s)",
			cf.holdout, firstEnd(obs), lastEnd(obs))
	case cf.holdout != "" && nUsed == len(obs):
		return usagef("--holdout-from %s: every observation ends before it, none is left to score (they end %s to %s)",
			cf.holdout, firstEnd(obs), lastEnd(obs))
	}
	terms, err := calib.Terms(obs)
	if err != nil {
		return err
	}
	cf.terms = terms
	return nil
}

func firstEnd(obs []sim.Observation) sim.Period {
	p := obs[0].To
	for _, o := range obs {
		p = min(p, o.To)
	}
	return p
}

func lastEnd(obs []sim.Observation) sim.Period {
	p := obs[0].To
	for _, o := range obs {
		p = max(p, o.To)
	}
	return p
}

// prepareCalibrate checks every flag and loads the prior scenario.
func (cf *calibrateFlags) prepareCalibrate(args []string) (*sim.Batch, error) {
	if cf.holdout != "" {
		p, err := sim.ParsePeriod(cf.holdout)
		if err != nil {
			return nil, usagef("--holdout-from: %v", err)
		}
		cf.holdoutFrom = p
	}
	if cf.draws < 1 || cf.draws > maxDraws {
		return nil, usagef("--draws: expected a whole number from 1 to %d, found %d", maxDraws, cf.draws)
	}
	if err := cf.draw.check(1); err != nil {
		return nil, err
	}
	b, err := cf.prepare(args)
	if err != nil {
		return nil, err
	}
	if err := cf.checkObservations(b.Span); err != nil {
		return nil, err
	}
	if err := checkOutDir(cf.out); err != nil {
		return nil, err
	}
	return b, nil
}

func (cf *calibrateFlags) run(cmd *cobra.Command, args []string) error {
	b, err := cf.prepareCalibrate(args)
	if err != nil {
		return err
	}
	started := time.Now()
	softMemoryLimit(b.Hi-b.Lo, len(registry().Params)+len(models.Calibration))
	p := newProgress(cmd.ErrOrStderr(), b.Hi-b.Lo, cf.quiet, "runs")
	b.Progress = p.update
	d, err := calib.Draw(cmd.Context(), b, models.Calibration)
	p.finish()
	if err != nil {
		return err
	}
	if cf.shard != "" {
		return cf.writeShard(cmd, b, d, started)
	}
	return cf.finish(cmd.Context(), cmd.OutOrStdout(), b.Scenarios[0], b.Span, d, started)
}

// softMemoryLimit sets the collector's soft limit (unless GOMEMLIMIT does)
// to what the draws of runs runs need, width numbers each, plus 256 MiB
// for the model's runs in flight and the diagnostics. Without it the heap
// grows to twice the draws before a collection (GOGC=100): 400,000 runs
// of current-policy peaked at ~1 GB, with it at 716 MB (docs/performance.md).
func softMemoryLimit(runs, width int) {
	if os.Getenv("GOMEMLIMIT") != "" {
		return
	}
	debug.SetMemoryLimit(int64(runs)*int64(width)*8 + 256<<20)
}

// info is the manifest's record of the calibration.
func (cf *calibrateFlags) info(ess float64) *output.CalibrationInfo {
	ci := &output.CalibrationInfo{Likelihood: likelihoodText, Draws: cf.draws, ESS: ess}
	for i, o := range models.Calibration {
		if cf.used[i] {
			ci.Used = append(ci.Used, o.ID)
		} else {
			ci.HeldOut = append(ci.HeldOut, o.ID)
		}
	}
	if cf.holdout != "" {
		ci.HoldoutFrom = cf.holdoutFrom.String()
	}
	return ci
}

// manifest describes a calibration folder (a shard's when d holds part of
// the runs).
func (cf *calibrateFlags) manifest(sc *sim.Scenario, span sim.Span, d *calib.Draws, ess float64, started, finished time.Time) *output.Manifest {
	res := &sim.Result{Registry: d.Registry, Span: span, Seed: d.Seed, Runs: d.Runs, Lo: d.Lo, Hi: d.Hi,
		Scenarios: []*sim.ScenarioResult{{Scenario: sc}}}
	m := output.NewManifest(version, res, cf.samplerName(), started, finished)
	m.Aggregation = "none: calibration keeps each run's parameters and measured observations"
	m.Command = []string{"calibrate"}
	m.Calibration = cf.info(ess)
	return m
}

func (cf *calibrateFlags) samplerName() string {
	if cf.sampler == "" {
		return "mc"
	}
	return cf.sampler
}

// writeShard writes a shard's folder: its draws and manifest, for merge.
func (cf *calibrateFlags) writeShard(cmd *cobra.Command, b *sim.Batch, d *calib.Draws, started time.Time) error {
	m := cf.manifest(b.Scenarios[0], b.Span, d, 0, started, time.Now())
	m.Shard = cf.shardLabel()
	target, err := writeFolder(cmd.Context(), cf.out, func(dir *output.Folder) error {
		if err := writeCSV(dir.Path(output.DrawsName), d.Write); err != nil {
			return err
		}
		return output.WriteJSON(dir.Path(output.ManifestName), m)
	})
	if err == nil && !cf.quiet {
		fmt.Fprintf(cmd.OutOrStdout(), "shard %s: runs %d to %d of %d; wrote %s (join shards with chokepoint merge)\n",
			m.Shard, d.Lo, d.Hi-1, d.Runs, relPath(target))
	}
	return err
}

// writeFolder begins the results folder out, fills it and commits it; on
// an error, or when ctx has ended, it leaves nothing.
func writeFolder(ctx context.Context, out string, fill func(*output.Folder) error) (string, error) {
	dir, err := output.Begin(out)
	if err != nil {
		return "", err
	}
	err = fill(dir)
	if err := dir.Finish(ctx, err); err != nil {
		return "", err
	}
	return dir.Target, nil
}

// finish weighs the whole ensemble's draws and writes the calibration
// folder.
func (cf *calibrateFlags) finish(ctx context.Context, stdout io.Writer, sc *sim.Scenario, span sim.Span, d *calib.Draws, started time.Time) error {
	post, err := calib.Weigh(d, cf.terms, cf.used)
	if errors.Is(err, calib.ErrNoWeight) {
		return fmt.Errorf("%v; the prior (%s) is too far from the data: widen its distributions", err, sc.Name)
	}
	if err != nil {
		return err
	}
	rows := calib.Resample(post.Weights, cf.draws, d.Seed)
	opt := calib.DefaultOptions
	opt.Workers = cf.workers
	rep := calib.Diagnose(d, cf.terms, post, opt)
	finished := time.Now()
	target, err := writeFolder(ctx, cf.out, func(dir *output.Folder) error {
		return cf.write(dir, sc, span, d, post, rows, rep, started, finished)
	})
	if err != nil {
		return err
	}
	if !cf.quiet {
		printCalibration(stdout, sc.Name, d, post, rep, cf.holdout != "")
		fmt.Fprintf(stdout, "\n%d runs weighed, %d posterior draws in %.2fs; wrote %s\n", d.Runs, cf.draws,
			finished.Sub(started).Seconds(), relPath(target))
	}
	return nil
}

func (cf *calibrateFlags) write(dir *output.Folder, sc *sim.Scenario, span sim.Span, d *calib.Draws, post *calib.Posterior,
	rows []int, rep *calib.Report, started, finished time.Time) error {
	for _, f := range []struct {
		name string
		fill func(io.Writer) error
	}{
		{output.WeightsName, func(w io.Writer) error { return output.WriteWeights(w, d, post) }},
		{output.PosteriorName, func(w io.Writer) error { return output.WritePosterior(w, d, rows) }},
		{output.CalibrationName, func(w io.Writer) error { return output.WriteCalibration(w, rep) }},
	} {
		if err := writeCSV(dir.Path(f.name), f.fill); err != nil {
			return err
		}
	}
	if !cf.noCharts {
		if err := output.MarginalsChart(dir.Path(output.ChartsDir), version, sc.Name, d, post, rep, chartPanels, cf.draw.opts()); err != nil {
			return err
		}
	}
	return output.WriteJSON(dir.Path(output.ManifestName), cf.manifest(sc, span, d, post.ESS, started, finished))
}

// printCalibration prints the ESS, every observation's prior and posterior
// intervals, the parameters narrowed most, the formulations' weights, the
// induced correlations and, with a holdout, the out-of-sample scores.
func printCalibration(w io.Writer, scenario string, d *calib.Draws, post *calib.Posterior, rep *calib.Report, holdout bool) {
	fmt.Fprintf(w, "%s: %d prior runs, effective sample size %.0f (%.2f%% of the runs)\n", scenario, rep.Runs, rep.ESS, 100*rep.ESS/float64(rep.Runs))
	if rep.ESS < minESS {
		fmt.Fprintf(w, "warning: an effective sample size below %d leaves the posterior's tails, its correlations and the\n"+
			"formulations' weights to chance (another seed moves them); draw more runs (--runs, default %d)\n", minESS, calibrateRuns)
	}
	fmt.Fprintln(w)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "observation\tused\tobserved [low, high]\tprior median [5%, 95%]\t\tposterior median [5%, 95%]\t\tunit\tESS alone\tESS without")
	for _, o := range rep.Observations {
		used := "yes"
		if !o.Used {
			used = "held out"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s [%s, %s]\t%s\t%s\t%s\t%s\t%s\t%.0f\t%.0f\n", o.Obs.ID, used, short(o.Obs.Central), short(o.Obs.Low), short(o.Obs.High),
			ivText(o.Prior), inside(o.PriorInside), ivText(o.Post), inside(o.PostInside), o.Obs.Unit, o.ESSAlone, o.ESSWithout)
	}
	tw.Flush()
	printParams(w, rep)
	printStructure(w, rep)
	if len(rep.Correlations) > 0 {
		fmt.Fprintf(w, "\ncorrelations the data induce (weighted posterior |r| >= %.1f; prior r beside)\n", calib.DefaultOptions.MinCorrelation)
		tw = tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
		for _, c := range rep.Correlations[:min(8, len(rep.Correlations))] {
			fmt.Fprintf(tw, "%s\t%s\t%+.2f\t(prior %+.2f)\n", c.A, c.B, c.Post, c.Prior)
		}
		tw.Flush()
	}
	if holdout {
		printHoldout(w, rep)
	}
	ruled := []string{}
	for k, n := range post.Ruled {
		if n > 0 {
			ruled = append(ruled, fmt.Sprintf("%s %d", d.Obs[k].ID, n))
		}
	}
	if len(ruled) > 0 {
		fmt.Fprintf(w, "\nruns given no weight by an observation: %s\n", strings.Join(ruled, ", "))
	}
}

func ivText(iv calib.Interval) string {
	return fmt.Sprintf("%s [%s, %s]", short(iv.P50), short(iv.P05), short(iv.P95))
}

func inside(ok bool) string {
	if ok {
		return "inside"
	}
	return "MISS"
}

// printParams prints the parameters the data narrowed most.
func printParams(w io.Writer, rep *calib.Report) {
	fmt.Fprintln(w, "\nparameters the data narrowed most (posterior 90% width / prior's)")
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "parameter\tprior median [5%, 95%]\tposterior median [5%, 95%]\tnarrowing")
	for _, p := range rep.Params[:min(10, len(rep.Params))] {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%.2f\n", p.Key, ivText(p.Prior), ivText(p.Post), p.Narrowing)
	}
	tw.Flush()
}

// printStructure prints each structural formulation's weights.
func printStructure(w io.Writer, rep *calib.Report) {
	if len(rep.Structure) == 0 {
		return
	}
	fmt.Fprintln(w, "\nstructural formulations (share of prior runs -> posterior weight)")
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	for _, f := range rep.Structure {
		fmt.Fprintf(tw, "%s = %s\t%.3f\t->\t%.3f\n", f.Key, f.Name(), f.Prior, f.Post)
	}
	tw.Flush()
}

// printHoldout prints the out-of-sample check: coverage of the held-out
// observations by the prior's and the posterior's 90% intervals, and
// their CRPS.
func printHoldout(w io.Writer, rep *calib.Report) {
	fmt.Fprintln(w, "\nout-of-sample check (held-out observations; CRPS on the log scale for positive quantities, lower is better)")
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "observation\tprior 90%\tposterior 90%\tprior CRPS\tposterior CRPS")
	n, inPrior, inPost := 0, 0, 0
	var crpsPrior, crpsPost float64
	for _, o := range rep.Observations {
		if o.Used {
			continue
		}
		n++
		if o.PriorInside {
			inPrior++
		}
		if o.PostInside {
			inPost++
		}
		crpsPrior += o.PriorCRPS
		crpsPost += o.PostCRPS
		fmt.Fprintf(tw, "%s\t%s\t%s\t%.3f\t%.3f\n", o.Obs.ID, inside(o.PriorInside), inside(o.PostInside), o.PriorCRPS, o.PostCRPS)
	}
	fmt.Fprintf(tw, "all %d\t%d of %d inside\t%d of %d inside\t%.3f (mean)\t%.3f (mean)\n", n, inPrior, n, inPost, n,
		crpsPrior/float64(n), crpsPost/float64(n))
	tw.Flush()
	if crpsPrior > 0 && !math.IsNaN(crpsPost) {
		fmt.Fprintf(w, "posterior CRPS skill over the prior: %+.0f%%\n", 100*(1-crpsPost/crpsPrior))
	}
}

// mergeCalibrate joins calibrate shard folders and writes what one machine
// would have written.
func mergeCalibrate(ctx context.Context, stdout io.Writer, dirs []string, out string, df drawFlags, noCharts, quiet bool) error {
	started := time.Now()
	var parts []*calib.Draws
	var first *output.Manifest
	for _, dir := range dirs {
		m, d, err := readCalibrateShard(dir)
		if err != nil {
			return err
		}
		if first == nil {
			first = m
		} else if m.Seed != first.Seed || m.Runs != first.Runs || m.Sampler != first.Sampler ||
			m.Scenarios[0].Name != first.Scenarios[0].Name || m.Scenarios[0].SHA256 != first.Scenarios[0].SHA256 || !sameCalibration(m.Calibration, first.Calibration) {
			return usagef("merge: %s and %s are shards of different calibrations", dirs[0], dir)
		}
		parts = append(parts, d)
	}
	d, err := calib.Join(parts)
	if err != nil {
		return usagef("merge: %v", err)
	}
	cf := &calibrateFlags{draw: df, out: out, noCharts: noCharts, quiet: quiet, draws: first.Calibration.Draws}
	cf.sampler = first.Sampler
	if h := first.Calibration.HoldoutFrom; h != "" {
		cf.holdout = h
		if cf.holdoutFrom, err = sim.ParsePeriod(h); err != nil {
			return usagef("merge: %s: holdout_from: %v", dirs[0], err)
		}
	}
	span := sim.Span{}
	if span.Start, err = sim.ParsePeriod(first.Periods.From); err == nil {
		span.End, err = sim.ParsePeriod(first.Periods.To)
	}
	if err != nil {
		return usagef("merge: %s: periods: %v", dirs[0], err)
	}
	if err := cf.checkObservations(span); err != nil {
		return err
	}
	if err := checkOutDir(out); err != nil {
		return err
	}
	sc := &sim.Scenario{Name: first.Scenarios[0].Name, Title: first.Scenarios[0].Title, Hash: first.Scenarios[0].SHA256}
	return cf.finish(ctx, stdout, sc, span, d, started)
}

func sameCalibration(a, b *output.CalibrationInfo) bool {
	return a != nil && b != nil && a.Draws == b.Draws && a.HoldoutFrom == b.HoldoutFrom
}

// readCalibrateShard reads a calibrate shard folder, as untrusted input.
func readCalibrateShard(dir string) (*output.Manifest, *calib.Draws, error) {
	m, err := output.LoadManifest(filepath.Join(dir, output.ManifestName))
	if err != nil {
		return nil, nil, usagef("%s: not a shard folder (%v)", dir, err)
	}
	if m.Shard == "" || len(m.Command) == 0 || m.Command[0] != "calibrate" || m.Calibration == nil || len(m.Scenarios) != 1 {
		return nil, nil, usagef("%s: not a calibrate shard folder (calibrate --shard writes one)", dir)
	}
	if n := m.Calibration.Draws; n < 1 || n > maxDraws {
		return nil, nil, usagef("%s: calibration.posterior_draws: expected 1 to %d, found %d", filepath.Join(dir, output.ManifestName), maxDraws, n)
	}
	path := filepath.Join(dir, output.DrawsName)
	f, err := output.OpenInput(path)
	if err != nil {
		return nil, nil, usagef("%s: not a calibrate shard folder (%v)", dir, err)
	}
	defer f.Close()
	d, err := calib.ReadDraws(io.LimitReader(f, output.MaxStateBytes+1), models.Registry, models.Calibration)
	if err != nil {
		return nil, nil, usagef("%s: %v", path, err)
	}
	if d.Seed != m.Seed || d.Runs != m.Runs || d.Lo != m.RunsFrom || d.Hi != m.RunsTo {
		return nil, nil, usagef("%s: runs %d to %d of %d, seed %d; its %s says otherwise", path, d.Lo, d.Hi, d.Runs, d.Seed, output.ManifestName)
	}
	return m, d, nil
}

// isCalibrateShard reports whether dir holds a calibrate shard (merge
// hands it to mergeCalibrate).
func isCalibrateShard(dir string) bool {
	_, err := os.Stat(filepath.Join(dir, output.DrawsName))
	return err == nil
}
