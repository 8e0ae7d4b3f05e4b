package output

import (
	"io"
	"strconv"

	"github.com/chokepoint-sim/chokepoint/sim"
)

// BacktestHeader is the column list of backtest.csv.
var BacktestHeader = []string{"id", "observation", "output", "from", "to", "aggregate", "unit",
	"observed_low", "observed_central", "observed_high", "model_p05", "model_p50", "model_p95",
	"covered", "overlap", "source"}

// WriteBacktest writes backtest.csv: each observation beside the model's
// median and 90% interval of the same quantity.
func WriteBacktest(w io.Writer, checks []sim.Check) error {
	cw := newCSV(w)
	if err := cw.Write(BacktestHeader); err != nil {
		return err
	}
	for _, c := range checks {
		row := []string{c.ID, c.Text, c.Output, c.From.String(), c.To.String(), c.Aggregate, c.Unit,
			num(c.Low), num(c.Central), num(c.High), num(c.Model.P05()), num(c.Model.P50()), num(c.Model.P95()),
			strconv.FormatBool(c.Covered), strconv.FormatBool(c.Overlap), c.Source}
		if err := cw.Write(row); err != nil {
			return err
		}
	}
	return cw.Flush()
}
