package main

import (
	"fmt"
	"io"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/chokepoint-sim/chokepoint/models"
	"github.com/chokepoint-sim/chokepoint/output"
	"github.com/chokepoint-sim/chokepoint/scenarios"
	"github.com/chokepoint-sim/chokepoint/sim"
)

func newBacktestCmd() *cobra.Command {
	var bf batchFlags
	var df drawFlags
	var out string
	var quiet bool
	c := &cobra.Command{
		Use:   "backtest",
		Short: "Compare the current-policy scenario with what was observed, 2020-2025",
		Long: `Run current-policy and print, for each calibration observation
(docs/MODEL.md, "Calibration"), the observed range beside the model's median
and 90% interval; write backtest.csv and charts/backtest.png to --out.`,
		RunE: func(cmd *cobra.Command, args []string) error {
			b, err := bf.prepare([]string{scenarios.Default})
			if err != nil {
				return err
			}
			if err := checkBacktest(b, out); err != nil {
				return err
			}
			if err := df.check(1); err != nil {
				return err
			}
			started := time.Now()
			res, err := b.Run(cmd.Context())
			if err != nil {
				return err
			}
			checks := res.Backtest(0, models.Calibration)
			finished := time.Now()
			dir, err := output.Begin(out)
			if err != nil {
				return err
			}
			if err := writeBacktest(dir, res, checks, bf.sampler, df.opts(), started, finished); err != nil {
				dir.Abort()
				return err
			}
			if err := dir.Commit(); err != nil {
				return err
			}
			if !quiet {
				printBacktest(cmd.OutOrStdout(), checks)
				fmt.Fprintf(cmd.OutOrStdout(), "wrote %s\n", relPath(dir.Target))
			}
			return nil
		},
	}
	bf.register(c)
	bf.refuse(map[string]string{"shard": "backtest needs the whole batch; it cannot be split into shards"})
	c.Flags().Lookup("runs").DefValue = "2000"
	_ = c.Flags().Set("runs", "2000")
	c.Flags().StringVar(&out, "out", "out-backtest", "results folder")
	c.Flags().BoolVar(&quiet, "quiet", false, "print nothing on success")
	df.register(c)
	return c
}

// checkBacktest checks, before any run, that the batch keeps the values
// the observations are measured on, that its span holds at least one
// observation, and the results folder.
func checkBacktest(b *sim.Batch, out string) error {
	if err := checkKept(b, "backtest"); err != nil {
		return err
	}
	first, last := models.Calibration[0].From, models.Calibration[0].To
	inside := false
	for _, o := range models.Calibration {
		first, last = min(first, o.From), max(last, o.To)
		inside = inside || (o.From >= b.Span.Start && o.To <= b.Span.End)
	}
	if !inside {
		return usagef("--from/--to: the span %s-%s holds none of the calibration observations, which fall in %s-%s",
			b.Span.Start, b.Span.End, first, last)
	}
	return checkOutDir(out)
}

func writeBacktest(dir *output.Folder, res *sim.Result, checks []sim.Check, sampler string, o output.DrawOpts, started, finished time.Time) error {
	if err := writeCSV(dir.Path("backtest.csv"), func(w io.Writer) error { return output.WriteBacktest(w, checks) }); err != nil {
		return err
	}
	if err := output.BacktestChart(dir.Path("charts"), version, res, checks, o); err != nil {
		return err
	}
	return output.WriteJSON(dir.Path(output.ManifestName), output.NewManifest(version, res, sampler, started, finished))
}

// printBacktest prints each observation beside the model and the coverage.
func printBacktest(w io.Writer, checks []sim.Check) {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "observation\twhen\tobserved [low, high]\tmodel median [5%, 95%]\tunit\t")
	covered := 0
	for _, c := range checks {
		when := c.From.String()
		if c.To != c.From {
			when += "-" + c.To.String()
		}
		mark := "inside"
		switch {
		case c.Covered:
			covered++
		case c.Overlap:
			mark = "overlaps"
		default:
			mark = "MISS"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s [%s, %s]\t%s [%s, %s]\t%s\t%s\n", c.ID, when,
			short(c.Central), short(c.Low), short(c.High),
			short(c.Model.P50()), short(c.Model.P05()), short(c.Model.P95()), c.Unit, mark)
	}
	tw.Flush()
	fmt.Fprintf(w, "\n%d of %d observations inside the model's 90%% interval\n", covered, len(checks))
}
