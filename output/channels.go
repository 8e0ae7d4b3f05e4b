package output

import (
	"io"
	"strconv"

	"github.com/chokepoint-sim/chokepoint/sim"
)

// ChannelsName is the channel split's file in a results folder.
const ChannelsName = "channels.csv"

// ChannelsHeader is the column list of channels.csv.
var ChannelsHeader = []string{"scenario", "base", "period", "output", "role", "of", "unit",
	"mean", "p05", "p50", "p95", "share_higher", "runs"}

// WriteChannels writes channels.csv: for each scenario against the base
// and each quarter given (indices into span), the paired difference of
// the registry's channel total, of each part (which add up to the total
// run by run, so their means add up to its mean; their medians need not),
// what a part contains, and the outputs shown beside.
func WriteChannels(w io.Writer, reg *sim.Registry, span sim.Span, diffs []sim.Diff, quarters []int) error {
	cw := newCSV(w)
	if err := cw.Write(ChannelsHeader); err != nil {
		return err
	}
	T := span.Len()
	for _, d := range diffs {
		for _, t := range quarters {
			for _, r := range reg.ChannelSplit(d, T, t) {
				o, _ := reg.OutputIndex(r.Key)
				st := r.Stats
				rec := []string{d.Other.Name, d.Base.Name, (span.Start + sim.Period(t)).String(), r.Key, string(r.Role), r.Of,
					reg.Outputs[o].Unit, num(st.Mean), num(st.P05()), num(st.P50()), num(st.P95()), num(r.ShareHigher), strconv.Itoa(st.N)}
				if err := cw.Write(rec); err != nil {
					return err
				}
			}
		}
	}
	return cw.Flush()
}
