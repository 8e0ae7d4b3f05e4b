package main

import (
	"fmt"
	"io"
	"time"

	"github.com/spf13/cobra"

	"github.com/chokepoint-sim/chokepoint/output"
	"github.com/chokepoint-sim/chokepoint/sim"
)

func newCompareCmd() *cobra.Command {
	var rf resultFlags
	c := &cobra.Command{
		Use:   "compare BASE OTHER...",
		Short: "Paired differences of scenarios against a base (same runs, same draws)",
		Long: `Run BASE and each OTHER scenario in one batch, in which run i of every
scenario uses the same parameter draws, and write to --out: summary.csv,
params.csv, diff.csv (the distribution of OTHER − BASE, run by run, and
the share of runs in which OTHER is higher), manifest.json and charts.`,
		Example: `  chokepoint compare current-policy escalation-2025 no-controls --runs 5000`,
		Args:    cobra.MinimumNArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			b, opts, err := rf.start(cmd, args, "compare")
			if err != nil {
				return err
			}
			return runBatch(cmd.Context(), b, rf.out, opts, rf.quiet, cmd.OutOrStdout())
		},
	}
	rf.register(c)
	return c
}

// writeCompare writes a comparison: the batch's results and diff.csv.
func writeCompare(dir *output.Folder, res *sim.Result, sums []sim.Summary, diffs []sim.Diff, opts writeOpts, started, finished time.Time) error {
	if err := writeResults(dir, res, sums, opts, started, finished); err != nil {
		return err
	}
	if err := writeCSV(dir.Path("diff.csv"), func(w io.Writer) error {
		return output.WriteDiff(w, res.Registry, res.Span, diffs)
	}); err != nil {
		return err
	}
	if !opts.charts {
		return nil
	}
	data := output.FromResult(version, res, sums, diffs)
	if opts.samples {
		data.WithSamples(res)
	}
	return output.DrawCharts(dir.Path("charts"), output.ChartSpec{Kinds: []string{output.KindDiff}, Outputs: chartOutputs()}, data)
}

// printDiffs prints, for each scenario against the base, the median paired
// difference of the headline outputs with its 90% interval and the share of
// runs in which the scenario is higher.
func printDiffs(w io.Writer, res *sim.Result, diffs []sim.Diff) {
	T := res.Span.Len()
	for i, d := range diffs {
		if i > 0 {
			fmt.Fprintln(w)
		}
		fmt.Fprintf(w, "%s minus %s, run by run (median [5%%, 95%%], share of runs higher)\n", d.Other.Name, d.Base.Name)
		headlineTable(w, res, func(o, t int) string {
			st := d.Stats[o*T+t]
			return fmt.Sprintf("%s [%s, %s] %.0f%%", signed(st.P50()), signed(st.P05()), signed(st.P95()), 100*d.ShareHigher[o*T+t])
		})
	}
}

// signed prints a difference with its sign.
func signed(v float64) string {
	if v > 0 {
		return "+" + short(v)
	}
	return short(v)
}
