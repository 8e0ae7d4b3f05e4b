package main

import (
	"fmt"
	"io"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/chokepoint-sim/chokepoint/output"
	"github.com/chokepoint-sim/chokepoint/sim"
)

func newCompareCmd() *cobra.Command {
	var rf resultFlags
	var regret string
	c := &cobra.Command{
		Use:   "compare BASE OTHER...",
		Short: "Paired differences of scenarios against a base (same runs, same draws)",
		Long: `Run BASE and each OTHER scenario in one batch, in which run i of every
scenario uses the same parameter draws, and write to --out: summary.csv,
params.csv, diff.csv (the distribution of OTHER − BASE, run by run, and
the share of runs in which OTHER is higher), channels.csv (the difference
of China's compute stock split by channel), manifest.json and charts.

After the headline differences it prints the channel split at 2027Q4,
2030Q4 and the last quarter: through which channel (legal, smuggled,
domestic, and of domestic what induced investment made) the stock
changed, with rented cloud compute beside it (not part of the stock).`,
		Example: `  chokepoint compare current-policy escalation-2025 no-controls --runs 5000`,
		Args:    cobra.MinimumNArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			b, opts, err := rf.start(cmd, args, "compare")
			if err != nil {
				return err
			}
			if cmd.Flags().Changed("regret") {
				if rf.shard != "" {
					return usagef("--regret: needs every run in one process; it cannot be used with --shard")
				}
				if opts.regret, err = newRegretPlan(regret, b); err != nil {
					return err
				}
			}
			return runBatch(cmd.Context(), b, rf.out, opts, rf.quiet, cmd.OutOrStdout())
		},
	}
	rf.register(c)
	c.Flags().StringVar(&regret, "regret", "", "also write regret.csv: per run the best scenario on this metric and each one's regret; "+
		"METRIC is [WEIGHT*]OUTPUT@PERIOD terms joined by + or -, higher better (docs/analysis.md)")
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
	if opts.regret != nil {
		if err := opts.regret.write(dir, res, opts.charts); err != nil {
			return err
		}
	}
	if res.Registry.Channels != nil {
		if err := writeCSV(dir.Path(output.ChannelsName), func(w io.Writer) error {
			return output.WriteChannels(w, res.Registry, res.Span, diffs, channelQuarters(res.Span))
		}); err != nil {
			return err
		}
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

// channelYears are the years whose fourth quarter the channel split
// shows, with the span's last quarter.
var channelYears = []int{2027, 2030}

// channelQuarters are the quarters (indices into span) of the channel
// split: the fourth quarters of channelYears within the span, then its
// last quarter.
func channelQuarters(span sim.Span) []int {
	var ts []int
	for _, y := range channelYears {
		if t := span.Index(sim.NewPeriod(y, 4)); t >= 0 && t < span.Len()-1 {
			ts = append(ts, t)
		}
	}
	return append(ts, span.Len()-1)
}

// printChannels prints, for each scenario against the base, the channel
// split of the registry's total (the compute stock): the median paired
// difference of the total, of each part and what a part contains, and of
// the outputs beside it, with the share of runs higher, and the part that
// carried the total's change.
func printChannels(w io.Writer, res *sim.Result, diffs []sim.Diff) {
	reg := res.Registry
	if reg.Channels == nil {
		return
	}
	T := res.Span.Len()
	ts := channelQuarters(res.Span)
	for _, d := range diffs {
		fmt.Fprintf(w, "\n%s minus %s by channel (median, share of runs higher)\n", d.Other.Name, d.Base.Name)
		tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
		fmt.Fprint(tw, "channel")
		splits := make([][]sim.ChannelRow, len(ts))
		for i, t := range ts {
			fmt.Fprintf(tw, "\t%s", res.Span.Start+sim.Period(t))
			splits[i] = reg.ChannelSplit(d, T, t)
		}
		fmt.Fprintln(tw)
		for r, row := range splits[0] {
			fmt.Fprint(tw, channelLabel(row))
			for i := range ts {
				c := splits[i][r]
				fmt.Fprintf(tw, "\t%s %.0f%%", signed(c.Stats.P50()), 100*c.ShareHigher)
			}
			fmt.Fprintln(tw)
		}
		fmt.Fprint(tw, "carried mostly by")
		for i := range ts {
			main := sim.MainChannel(splits[i])
			if main == "" {
				main = "-"
			}
			fmt.Fprint(tw, "\t"+main)
		}
		fmt.Fprintln(tw)
		tw.Flush()
		fmt.Fprintln(w, "The parts add up to the total run by run; their medians need not add up to its median (their means, in channels.csv, do).")
	}
}

// channelLabel names a row of the channel split by its role.
func channelLabel(r sim.ChannelRow) string {
	switch r.Role {
	case sim.RoleTotal:
		return r.Key + " (total)"
	case sim.RolePart:
		return "  " + r.Key
	case sim.RoleWithin:
		return "    of which " + r.Key
	}
	return r.Key + " (beside: not in the stock)"
}

// signed prints a difference with its sign.
func signed(v float64) string {
	if v > 0 {
		return "+" + short(v)
	}
	return short(v)
}
