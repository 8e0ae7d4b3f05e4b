package output

import (
	"fmt"
	"io"
	"strconv"

	"github.com/chokepoint-sim/chokepoint/output/chart"
	"github.com/chokepoint-sim/chokepoint/sim"
)

// RegretName is the regret table of a comparison.
const RegretName = "regret.csv"

// RegretChart is the name of the regret chart in the charts folder,
// without extension.
const RegretChart = "regret"

// RegretHeader is the column list of regret.csv: one row per scenario.
var RegretHeader = []string{"scenario", "metric", "runs", "best_share", "regret_p50", "regret_p90", "regret_mean"}

// WriteRegret writes regret.csv.
func WriteRegret(w io.Writer, names []string, metric string, runs int, rows []sim.RegretStats) error {
	cw := newCSV(w)
	if err := cw.Write(RegretHeader); err != nil {
		return err
	}
	for i, r := range rows {
		if err := cw.Write([]string{names[i], metric, strconv.Itoa(runs), num(r.BestShare), num(r.P50), num(r.P90), num(r.Mean)}); err != nil {
			return err
		}
	}
	return cw.Flush()
}

// DrawRegret draws the regret chart into dir: each scenario's median
// regret as a bar, with a whisker to the 90th percentile, on an axis in
// the metric's unit.
func DrawRegret(dir, version string, seed uint64, names []string, metric, unit string, runs int, rows []sim.RegretStats, o DrawOpts) error {
	t := &chart.Tornado{
		Title:    "Which scenario holds up across the runs",
		Subtitle: fmt.Sprintf("Regret on %s (higher is better): the best scenario's value in the same run minus this one's", metric),
		Unit:     "regret in " + unit + ": median (bar) to 90th percentile (whisker end)",
		Interval: "median to 90th percentile",
		Source:   source("chokepoint "+version, thousands(runs)+" paired runs", "seed "+strconv.FormatUint(seed, 10)),
	}
	for i, r := range rows {
		t.Bars = append(t.Bars, chart.TornadoBar{Label: fmt.Sprintf("%s (best in %s of runs)", names[i], percent(r.BestShare)),
			Value: r.P50, Lo: r.P50, Hi: r.P90, Text: "median " + short(r.P50) + ", 90th " + short(r.P90)})
	}
	return WriteCharts(dir, o, NamedChart{Name: RegretChart, Chart: t})
}
