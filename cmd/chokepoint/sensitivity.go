package main

import (
	"fmt"
	"io"
	"math"
	"sort"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/chokepoint-sim/chokepoint/output"
	"github.com/chokepoint-sim/chokepoint/scenarios"
	"github.com/chokepoint-sim/chokepoint/sim"
	"github.com/chokepoint-sim/chokepoint/sim/sensitivity"
)

// sensitivityFlags are the flags of the sensitivity command.
type sensitivityFlags struct {
	batchFlags
	draw                    drawFlags
	method, outKey, at, out string
	boot                    int
	noCharts, quiet         bool
	ens                     ensembleFlag
}

func newSensitivityCmd() *cobra.Command {
	var f sensitivityFlags
	c := &cobra.Command{
		Use:   "sensitivity SCENARIO --output NAME",
		Short: "Which uncertain assumptions drive an output: PRCC, Sobol or Morris",
		Long: `Rank the scenario's uncertain parameters by their influence on one output,
at every quarter: partial rank correlation (prcc, from an ordinary batch),
Sobol first-order and total indices (sobol: Saltelli design, Jansen
estimator, bootstrap 95% intervals) or Morris elementary effects (morris:
mu* and sigma). Writes sensitivity.csv (every parameter, every quarter) and
prints the ranking at --at (default 2030Q4).

--runs sets the design's size: runs for prcc (default 1000), base samples N
for sobol (default 512; the batch is N·(k+2) runs), trajectories for morris
(default 40; r·(k+1) runs), for k uncertain parameters. The batch is at
most 1000000 runs.`,
		Example: "  chokepoint sensitivity " + scenarios.Default + " --output " + featuredExample() + " --method sobol --at 2030Q4",
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			an, atPeriod, err := f.plan(cmd, args)
			if err != nil {
				return err
			}
			return f.analyse(cmd, an, atPeriod)
		},
	}
	f.register(c)
	f.ens.register(c)
	f.refuse(map[string]string{
		"shard":   "sensitivity runs its whole design in one process; it cannot be split into shards",
		"sampler": "sensitivity draws from its method's own design (prcc: Monte Carlo, sobol: Saltelli, morris: trajectories)",
	})
	c.Flags().StringVar(&f.method, "method", "prcc", "prcc, sobol or morris")
	c.Flags().StringVar(&f.outKey, "output", "", "the output to explain, e.g. "+featuredExample())
	c.Flags().StringVar(&f.at, "at", "", "the quarter to rank at (default 2030Q4); without it charts also show importance over time")
	c.Flags().IntVar(&f.boot, "boot", 200, "bootstrap resamples for Sobol intervals")
	c.Flags().StringVar(&f.out, "out", "out-sensitivity", "results folder")
	c.Flags().BoolVar(&f.noCharts, "no-charts", false, "write tables only")
	c.Flags().BoolVar(&f.quiet, "quiet", false, "print nothing on success")
	f.draw.register(c)
	return c
}

// maxBoot bounds --boot: each resample recomputes every index at every
// quarter.
const maxBoot = 10000

// plan checks every flag and the size of the design before any run, and
// returns the analysis and the quarter to rank at.
func (f *sensitivityFlags) plan(cmd *cobra.Command, args []string) (*sensitivity.Analysis, sim.Period, error) {
	m := sensitivity.Method(f.method)
	switch m {
	case sensitivity.MethodPRCC, sensitivity.MethodSobol, sensitivity.MethodMorris:
	default:
		return nil, 0, usagef("--method: expected prcc, sobol or morris, found %q", f.method)
	}
	if !cmd.Flags().Changed("runs") {
		f.runs = map[sensitivity.Method]int{sensitivity.MethodPRCC: 1000, sensitivity.MethodSobol: 512, sensitivity.MethodMorris: 40}[m]
	}
	o, err := f.output()
	if err != nil {
		return nil, 0, err
	}
	if f.boot < 0 || f.boot > maxBoot {
		return nil, 0, usagef("--boot: expected 0 to %d, found %d", maxBoot, f.boot)
	}
	if err := f.draw.check(1); err != nil {
		return nil, 0, err
	}
	b, err := f.prepare(args)
	if err != nil {
		return nil, 0, err
	}
	atPeriod, err := atFlag(f.at, b.Span)
	if err != nil {
		return nil, 0, err
	}
	if f.ens.dir != "" && m != sensitivity.MethodPRCC {
		return nil, 0, usagef("--ensemble: only prcc can use a posterior ensemble; %s's design moves one independent input at a time, and a posterior's parameters are correlated draws", m)
	}
	ens, err := f.ens.read(b.Model.Registry())
	if err != nil {
		return nil, 0, err
	}
	an := &sensitivity.Analysis{Model: b.Model, Scenario: b.Scenarios[0], Span: b.Span, Output: o, Method: m,
		Size: f.runs, Seed: f.seed, Workers: f.workers, Boot: f.boot, Ensemble: ens}
	if err := checkDesign(an); err != nil {
		return nil, 0, err
	}
	return an, atPeriod, checkOutDir(f.out)
}

// output reads --output.
func (f *sensitivityFlags) output() (int, error) { return outputFlag(f.outKey) }

// outputFlag reads the --output of a verb that analyses one output.
func outputFlag(key string) (int, error) {
	if key == "" {
		return 0, usagef("--output: required; one of %v", registry().OutputKeys())
	}
	o, ok := registry().OutputIndex(key)
	if !ok {
		msg := fmt.Sprintf("--output: unknown output %q", key)
		if s := sim.Suggest(key, registry().OutputKeys()); s != "" {
			msg += fmt.Sprintf(" (did you mean %q?)", s)
		}
		return 0, usagef("%s", msg)
	}
	return o, nil
}

// atFlag reads the --at of a verb that analyses one quarter: 2030Q4 when
// empty; it must lie in span.
func atFlag(at string, span sim.Span) (sim.Period, error) {
	p := sim.NewPeriod(2030, 4)
	if at != "" {
		var err error
		if p, err = sim.ParsePeriod(at); err != nil {
			return 0, usagef("--at: %v", err)
		}
	}
	if p < span.Start || p > span.End {
		return 0, usagef("--at %s is outside the span %s-%s", p, span.Start, span.End)
	}
	return p, nil
}

// checkDesign refuses a design too small for its method or one that makes
// more than maxRuns model runs (the cap of --runs, applied to the runs the
// design makes rather than to its size).
func checkDesign(an *sensitivity.Analysis) error {
	params, err := an.Uncertain()
	if err != nil {
		return err
	}
	k := len(params)
	runs, err := an.Method.Runs(an.Size, k)
	if err != nil {
		return usagef("--runs: %v", err)
	}
	if runs <= maxRuns {
		return nil
	}
	switch an.Method {
	case sensitivity.MethodSobol:
		return usagef("--runs: sobol makes N·(k+2) = %d·%d = %d runs for k = %d uncertain parameters; at most %d, so N at most %d",
			an.Size, k+2, runs, k, maxRuns, maxRuns/(k+2))
	case sensitivity.MethodMorris:
		return usagef("--runs: morris makes r·(k+1) = %d·%d = %d runs for k = %d uncertain parameters; at most %d, so r at most %d",
			an.Size, k+1, runs, k, maxRuns, maxRuns/(k+1))
	}
	return usagef("--runs: expected a whole number from 1 to %d, found %d", maxRuns, an.Size)
}

// analyse runs the analysis and writes its folder.
func (f *sensitivityFlags) analyse(cmd *cobra.Command, an *sensitivity.Analysis, atPeriod sim.Period) error {
	ctx := cmd.Context()
	started := time.Now()
	r, err := sensitivity.Analyze(ctx, an)
	if err != nil {
		return err
	}
	finished := time.Now()
	dir, err := output.Begin(f.out)
	if err != nil {
		return err
	}
	span := an.Span
	err = writeCSV(dir.Path("sensitivity.csv"), func(w io.Writer) error {
		return output.WriteSensitivity(w, registry(), span, r)
	})
	if err == nil && !f.noCharts {
		err = output.SensitivityCharts(dir.Path("charts"), version, registry(), span, r, span.Index(atPeriod), f.at == "", f.draw.opts())
	}
	if err == nil {
		m := sensitivityManifest(an, r, started, finished)
		m.Ensemble = f.ens.info
		if f.ens.info != nil {
			m.Command = append(m.Command, "--ensemble", f.ens.dir)
		}
		err = output.WriteJSON(dir.Path(output.ManifestName), m)
	}
	if err := dir.Finish(ctx, err); err != nil {
		return err
	}
	if !f.quiet {
		printSensitivity(cmd.OutOrStdout(), r, span.Index(atPeriod), atPeriod)
		fmt.Fprintf(cmd.OutOrStdout(), "\n%d runs in %.2fs; wrote %s\n", r.Runs, finished.Sub(started).Seconds(), relPath(dir.Target))
	}
	return nil
}

func sensitivityManifest(an *sensitivity.Analysis, r *sensitivity.Result, started, finished time.Time) *output.Manifest {
	res := &sim.Result{Registry: registry(), Span: an.Span, Seed: an.Seed, Runs: r.Runs, Hi: r.Runs, Exact: true,
		Scenarios: []*sim.ScenarioResult{{Scenario: an.Scenario}}}
	m := output.NewManifest(version, res, string(r.Analysis.Method), started, finished)
	m.Command = []string{"sensitivity", an.Scenario.Name, "--output", registry().Outputs[r.Analysis.Output].Key,
		"--method", string(r.Analysis.Method)}
	return m
}

// printSensitivity prints the ten most influential parameters at period t.
func printSensitivity(w io.Writer, r *sensitivity.Result, t int, at sim.Period) {
	a := r.Analysis
	measure := a.Method.Headline()
	var rows []sensitivity.Index
	for _, ix := range r.Indices {
		if ix.Period == t && ix.Measure == measure {
			rows = append(rows, ix)
		}
	}
	sort.SliceStable(rows, func(i, j int) bool { return math.Abs(rows[i].Value) > math.Abs(rows[j].Value) })
	reg := registry()
	fmt.Fprintf(w, "%s of %s, %s scenario, at %s (%s; most influential first)\n", measure,
		reg.Outputs[a.Output].Key, a.Scenario.Name, at, a.Method)
	if r.Effective != nil {
		fmt.Fprintf(w, "the runs repeat posterior draws: the p-values in sensitivity.csv count them as %.0f independent runs at %s\n",
			r.Effective[t], at)
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "parameter\tvalue\t95% interval\tdescription")
	for i, ix := range rows {
		if i == 10 {
			break
		}
		ci := ""
		if !math.IsNaN(ix.Lo) {
			ci = fmt.Sprintf("[%.3f, %.3f]", ix.Lo, ix.Hi)
		}
		fmt.Fprintf(tw, "%s\t%.3g\t%s\t%s\n", reg.Params[ix.Param].Key, ix.Value, ci, reg.Params[ix.Param].Description)
	}
	tw.Flush()
}
