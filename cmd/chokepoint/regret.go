package main

import (
	"fmt"
	"io"
	"math"
	"text/tabwriter"

	"github.com/chokepoint-sim/chokepoint/output"
	"github.com/chokepoint-sim/chokepoint/sim"
)

// regretPlan is compare's --regret: the metric, and each run's value of it
// in each scenario, filled as the batch runs.
type regretPlan struct {
	metric sim.Metric
	values [][]float64 // values[s][run-lo]
	stats  []sim.RegretStats
}

// newRegretPlan reads --regret and hooks the plan to b.
func newRegretPlan(spec string, b *sim.Batch) (*regretPlan, error) {
	m, err := b.Model.Registry().ParseMetric(spec, b.Span)
	if err != nil {
		return nil, err
	}
	rp := &regretPlan{metric: m, values: make([][]float64, len(b.Scenarios))}
	lo, hi := b.Lo, b.Hi
	for s := range rp.values {
		rp.values[s] = make([]float64, hi-lo)
	}
	span := b.Span
	b.Observe = func(run, s int, _, vals []float64) { rp.values[s][run-lo] = m.Value(vals, span) }
	return rp, nil
}

// write computes the table and writes regret.csv and, with charts, its chart.
func (rp *regretPlan) write(dir *output.Folder, res *sim.Result, opts writeOpts) error {
	rp.stats = sim.Regret(rp.values)
	names := scenarioNames(res)
	if err := writeCSV(dir.Path(output.RegretName), func(w io.Writer) error {
		return output.WriteRegret(w, names, rp.metric.Text, res.N(), rp.stats)
	}); err != nil {
		return err
	}
	if err := writeCSV(dir.Path(output.RegretRunsName), func(w io.Writer) error {
		return output.WriteRegretRuns(w, names, rp.values)
	}); err != nil {
		return err
	}
	if !opts.charts {
		return nil
	}
	return output.DrawRegret(dir.Path("charts"), version, res.Seed, names, rp.metric.Text, metricUnit(res.Registry, rp.metric),
		res.N(), rp.stats, opts.draw)
}

// print writes the regret table.
func (rp *regretPlan) print(w io.Writer, res *sim.Result) {
	fmt.Fprintf(w, "\nRegret on %s (higher is better; regret: the run's best minus the scenario's)\n", rp.metric.Text)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "scenario\tbest in\tmedian regret\t90th percentile")
	for i, n := range scenarioNames(res) {
		st := rp.stats[i]
		fmt.Fprintf(tw, "%s\t%.0f%%\t%s\t%s\n", n, 100*st.BestShare, short(st.P50), short(st.P90))
	}
	tw.Flush()
}

func scenarioNames(res *sim.Result) []string {
	var names []string
	for _, s := range res.Scenarios {
		names = append(names, s.Scenario.Name)
	}
	return names
}

// metricUnit is the unit of a regret metric, for its chart's axis: its
// output's unit (a cumulative output's own), times the weight when one
// is given; a sum of terms in different units has the metric's own
// ("units of the metric").
func metricUnit(reg *sim.Registry, m sim.Metric) string {
	units := map[string]bool{}
	var unit string
	for _, t := range m.Terms {
		o := reg.Outputs[t.Output]
		u := o.Unit
		if t.Cumulative {
			for _, d := range reg.Derived {
				if d.Derived.Kind == sim.Cumulative && d.Derived.Of == o.Key {
					u = d.Unit
				}
			}
		}
		if w := math.Abs(t.Weight); w != 1 {
			u = sim.FormatShort(w, sim.TableStyle) + " × " + u
		}
		units[u], unit = true, u
	}
	if len(units) != 1 {
		return "units of the metric"
	}
	return unit
}
