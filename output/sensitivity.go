package output

import (
	"io"

	"github.com/chokepoint-sim/chokepoint/sim"
	"github.com/chokepoint-sim/chokepoint/sim/sensitivity"
)

// SensitivityHeader is the column list of sensitivity.csv.
var SensitivityHeader = []string{"method", "scenario", "output", "period", "parameter", "measure", "value", "lo95", "hi95", "p_value", "runs"}

// WriteSensitivity writes sensitivity.csv: every index at every period.
func WriteSensitivity(w io.Writer, reg *sim.Registry, span sim.Span, r *sensitivity.Result) error {
	cw := newCSV(w)
	if err := cw.Write(SensitivityHeader); err != nil {
		return err
	}
	a := r.Analysis
	periods := span.Periods()
	runs := num(float64(r.Runs))
	for _, ix := range r.Indices {
		row := []string{string(a.Method), a.Scenario.Name, reg.Outputs[a.Output].Key, periods[ix.Period].String(),
			reg.Params[ix.Param].Key, ix.Measure, num(ix.Value), num(ix.Lo), num(ix.Hi), num(ix.P), runs}
		if err := cw.Write(row); err != nil {
			return err
		}
	}
	return cw.Flush()
}
