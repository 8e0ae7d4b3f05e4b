package output

import (
	"fmt"
	"unicode"
	"unicode/utf8"

	"github.com/chokepoint-sim/chokepoint/output/chart"
	"github.com/chokepoint-sim/chokepoint/sim"
	"github.com/chokepoint-sim/chokepoint/sim/sensitivity"
)

// titleOf capitalises an output's description for a chart title.
func titleOf(o sim.Output) string {
	d := o.Description
	if d == "" {
		return o.Key
	}
	r, n := utf8.DecodeRuneInString(d)
	return string(unicode.ToUpper(r)) + d[n:]
}

// BacktestChart draws charts/backtest.png: each observation's range beside
// the model's 90% interval, both relative to the observed central value.
func BacktestChart(dir, version string, res *sim.Result, checks []sim.Check, o DrawOpts) error {
	// The checks are of the batch's first scenario.
	name := res.Scenarios[0].Scenario.Name
	b := chart.Backtest{
		Title:    "How the model reproduces what was observed",
		Subtitle: name + " scenario, 2020-2025: model ÷ observed central value (1 = exact)",
		Source: fmt.Sprintf("chokepoint %s · %s · %d runs · seed %d · grey: observed range; blue: model 90%% interval",
			version, name, res.Runs, res.Seed),
	}
	for _, c := range checks {
		b.Rows = append(b.Rows, chart.CheckRow{Label: c.Text, Unit: c.Unit, Low: c.Low, Central: c.Central, High: c.High,
			P05: c.Model.P05(), P50: c.Model.P50(), P95: c.Model.P95()})
	}
	return WriteCharts(dir, o, NamedChart{Name: "backtest", Chart: &b})
}

// SensitivityCharts draws the tornado chart at period t and, when asked,
// how the leading parameters' importance changes over time.
func SensitivityCharts(dir, version string, reg *sim.Registry, span sim.Span, r *sensitivity.Result, t int, overTime bool, o DrawOpts) error {
	spec := ChartSpec{DrawOpts: o, Kinds: []string{KindTornado}, At: span.Start + sim.Period(t)}
	if overTime {
		spec.Kinds = append(spec.Kinds, KindImportance)
	}
	return DrawCharts(dir, spec, FromSensitivity(version, reg, span, r))
}
