package main

import (
	"fmt"
	"io"
	"strings"
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
params.csv, diff.csv (the distributions of OTHER − BASE and OTHER ÷ BASE,
run by run, and the shares of runs in which OTHER is higher and differs),
headline.csv (for every output at the fourth quarter of 2025, 2027, 2030
and 2035: the median ratio, for an output that is always positive, or
difference, with its 90% interval and the share of runs higher, and a
sentence that says it), channels.csv (the difference of China's compute
stock split by channel), manifest.json and charts.

It prints the headline outputs' ratios or differences, the sentences for
2030Q4 (or the last quarter), and the channel split at 2027Q4,
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
	c.Flags().StringVar(&regret, "regret", "", "also write regret.csv (each scenario's share of runs in which it is best, its median and 90th-percentile regret) "+
		"and regret-runs.csv (each run's best scenario, metrics and regrets); "+
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
	hs := output.Headlines(output.FromResult(version, res, sums, diffs), headlineQuarters(res.Span))
	if err := writeCSV(dir.Path(output.HeadlineName), func(w io.Writer) error { return output.WriteHeadline(w, hs) }); err != nil {
		return err
	}
	if opts.regret != nil {
		if err := opts.regret.write(dir, res, opts); err != nil {
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
	data := output.FromResult(version, res, sums, diffs).WithMarks(milestones())
	if opts.samples {
		data.WithSamples(res)
	}
	return output.DrawCharts(dir.Path("charts"), output.ChartSpec{DrawOpts: opts.draw, Kinds: []string{output.KindDiff},
		Outputs: chartOutputs(), Events: opts.events}, data)
}

// printDiffs prints, for each scenario against the base, the median paired
// ratio (outputs on a log scale) or difference of the headline outputs with
// its 90% interval and the share of runs in which the scenario is higher,
// then the headline sentences at the key quarter.
func printDiffs(w io.Writer, res *sim.Result, sums []sim.Summary, diffs []sim.Diff) {
	T := res.Span.Len()
	data := output.FromResult(version, res, sums, diffs)
	key := keyQuarter(res.Span)
	for i, d := range diffs {
		if i > 0 {
			fmt.Fprintln(w)
		}
		fmt.Fprintf(w, "%s against %s, run by run: ratio (×) for outputs that are always positive, else difference\n(median [5%%, 95%%], share of runs higher)\n", d.Other.Name, d.Base.Name)
		headlineTable(w, res, func(o, t int) string {
			c := o*T + t
			if res.Registry.Outputs[o].Log && d.Ratio[c].N > 0 {
				st := d.Ratio[c]
				return fmt.Sprintf("×%s [×%s, ×%s] %.0f%%", short(st.P50()), short(st.P05()), short(st.P95()), 100*d.ShareHigher[c])
			}
			st := d.Stats[c]
			return fmt.Sprintf("%s [%s, %s] %.0f%%", signed(st.P50()), signed(st.P05()), signed(st.P95()), 100*d.ShareHigher[c])
		})
		fmt.Fprintf(w, "\nIn short (%s; every output and year in %s):\n", key, output.HeadlineName)
		for _, k := range res.Registry.Featured(sim.Headline) {
			for _, h := range output.Headlines(data, []sim.Period{key}) {
				if h.Scenario == d.Other.Name && h.Output == k {
					fmt.Fprintln(w, "- "+h.Sentence)
				}
			}
		}
	}
}

// headlineQuarters are the quarters of headline.csv: the fourth quarters
// of headlineYears within span, else the span's last quarter.
func headlineQuarters(span sim.Span) []sim.Period {
	var ps []sim.Period
	for _, y := range headlineYears {
		if p := sim.NewPeriod(y, 4); span.Index(p) >= 0 && span.Index(p) < span.Len() {
			ps = append(ps, p)
		}
	}
	if len(ps) == 0 {
		ps = append(ps, span.End)
	}
	return ps
}

// keyQuarter is the quarter a comparison's sentences speak of: 2030Q4
// when the span holds it, else its last quarter.
func keyQuarter(span sim.Span) sim.Period {
	if p := sim.NewPeriod(2030, 4); span.Index(p) >= 0 && span.Index(p) < span.Len() {
		return p
	}
	return span.End
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
		printAcross(w, reg, res.Span, ts, splits)
	}
}

// printAcross says, for an output that cuts across the parts (the
// inference buyers' purchases), in which quarters it carried at least half
// of the total's median change, and why it can (the output's subtitle).
func printAcross(w io.Writer, reg *sim.Registry, span sim.Span, ts []int, splits [][]sim.ChannelRow) {
	byKey := map[string][]string{}
	var keys []string
	for i, t := range ts {
		if k := sim.AcrossCarries(splits[i]); k != "" {
			if byKey[k] == nil {
				keys = append(keys, k)
			}
			byKey[k] = append(byKey[k], (span.Start + sim.Period(t)).String())
		}
	}
	for _, k := range keys {
		o, _ := reg.OutputIndex(k)
		out := &reg.Outputs[o]
		what, why := "", ""
		if out.Phrase != "" {
			what = " (" + out.Phrase + ")"
		}
		if out.Subtitle != "" {
			why = ": " + out.Subtitle
		}
		qs := byKey[k]
		when := qs[len(qs)-1]
		if len(qs) > 1 {
			when = strings.Join(qs[:len(qs)-1], ", ") + " and " + when
		}
		fmt.Fprintf(w, "In %s, at least half of the total's median change is %s%s%s.\n", when, k, what, why)
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
	case sim.RoleAcross:
		return "  of the total, " + r.Key
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
