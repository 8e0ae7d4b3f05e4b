package main

import (
	"fmt"
	"io"
	"math"
	"sort"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/chokepoint-sim/chokepoint/models"
	"github.com/chokepoint-sim/chokepoint/output"
	"github.com/chokepoint-sim/chokepoint/sim"
	"github.com/chokepoint-sim/chokepoint/sim/sensitivity"
)

func newSensitivityCmd() *cobra.Command {
	var bf batchFlags
	var method, outKey, at, out string
	var boot int
	var noCharts, quiet bool
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
(default 40; r·(k+1) runs).`,
		Example: `  chokepoint sensitivity current-policy --output compute_stock_h100e --method sobol --at 2030Q4`,
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			m := sensitivity.Method(method)
			switch m {
			case sensitivity.MethodPRCC, sensitivity.MethodSobol, sensitivity.MethodMorris:
			default:
				return usagef("--method: expected prcc, sobol or morris, found %q", method)
			}
			if !cmd.Flags().Changed("runs") {
				bf.runs = map[sensitivity.Method]int{sensitivity.MethodPRCC: 1000, sensitivity.MethodSobol: 512, sensitivity.MethodMorris: 40}[m]
			}
			if outKey == "" {
				return usagef("--output: required; one of %v", models.Registry.OutputKeys())
			}
			o, ok := models.Registry.OutputIndex(outKey)
			if !ok {
				msg := fmt.Sprintf("--output: unknown output %q", outKey)
				if s := sim.Suggest(outKey, models.Registry.OutputKeys()); s != "" {
					msg += fmt.Sprintf(" (did you mean %q?)", s)
				}
				return usagef("%s", msg)
			}
			if boot < 0 || boot > 10000 {
				return usagef("--boot: expected 0 to 10000, found %d", boot)
			}
			b, err := bf.prepare(args)
			if err != nil {
				return err
			}
			atPeriod := sim.NewPeriod(2030, 4)
			if at != "" {
				if atPeriod, err = sim.ParsePeriod(at); err != nil {
					return usagef("--at: %v", err)
				}
			}
			if atPeriod < b.Span.Start || atPeriod > b.Span.End {
				return usagef("--at %s is outside the span %s-%s", atPeriod, b.Span.Start, b.Span.End)
			}
			if err := output.CheckTarget(out); err != nil {
				return usagef("--out %v", err)
			}
			started := time.Now()
			an := &sensitivity.Analysis{Model: b.Model, Scenario: b.Scenarios[0], Span: b.Span, Output: o, Method: m,
				Size: bf.runs, Seed: bf.seed, Workers: bf.workers, Boot: boot}
			r, err := sensitivity.Analyze(cmd.Context(), an)
			if err != nil {
				return usagef("sensitivity: %v", err)
			}
			finished := time.Now()
			dir, err := output.Begin(out)
			if err != nil {
				return err
			}
			err = writeCSV(dir.Path("sensitivity.csv"), func(w io.Writer) error {
				return output.WriteSensitivity(w, models.Registry, b.Span, r)
			})
			if err == nil && !noCharts {
				err = output.SensitivityCharts(dir.Path("charts"), version, models.Registry, b.Span, r, b.Span.Index(atPeriod), at == "")
			}
			if err == nil {
				err = output.WriteJSON(dir.Path(output.ManifestName), sensitivityManifest(b, r, started, finished))
			}
			if err == nil {
				err = cmd.Context().Err()
			}
			if err != nil {
				dir.Abort()
				return err
			}
			if err := dir.Commit(); err != nil {
				return err
			}
			if !quiet {
				printSensitivity(cmd.OutOrStdout(), r, b.Span.Index(atPeriod), atPeriod)
				fmt.Fprintf(cmd.OutOrStdout(), "\n%d runs in %.2fs; wrote %s\n", r.Runs, finished.Sub(started).Seconds(), relPath(dir.Target))
			}
			return nil
		},
	}
	bf.register(c)
	c.Flags().StringVar(&method, "method", "prcc", "prcc, sobol or morris")
	c.Flags().StringVar(&outKey, "output", "", "the output to explain, e.g. compute_stock_h100e")
	c.Flags().StringVar(&at, "at", "", "the quarter to rank at (default 2030Q4); without it charts also show importance over time")
	c.Flags().IntVar(&boot, "boot", 200, "bootstrap resamples for Sobol intervals")
	c.Flags().StringVar(&out, "out", "out-sensitivity", "results folder")
	c.Flags().BoolVar(&noCharts, "no-charts", false, "write tables only")
	c.Flags().BoolVar(&quiet, "quiet", false, "print nothing on success")
	return c
}

func sensitivityManifest(b *sim.Batch, r *sensitivity.Result, started, finished time.Time) *output.Manifest {
	res := &sim.Result{Registry: models.Registry, Span: b.Span, Seed: b.Seed, Runs: r.Runs, Hi: r.Runs, Exact: true,
		Scenarios: []*sim.ScenarioResult{{Scenario: b.Scenarios[0]}}}
	m := output.NewManifest(version, res, string(r.Analysis.Method), started, finished)
	m.Command = []string{"sensitivity", b.Scenarios[0].Name, "--output", models.Registry.Outputs[r.Analysis.Output].Key,
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
	reg := models.Registry
	fmt.Fprintf(w, "%s of %s, %s scenario, at %s (%s; most influential first)\n", measure,
		reg.Outputs[a.Output].Key, a.Scenario.Name, at, a.Method)
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
