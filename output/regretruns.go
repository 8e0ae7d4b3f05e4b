package output

import (
	"io"
	"strconv"
)

// RegretRunsName is the per-run regret table of a comparison.
const RegretRunsName = "regret-runs.csv"

// WriteRegretRuns writes regret-runs.csv: one row per run, in run order,
// with the scenario that does best on the metric in that run, then each
// scenario's metric and its regret (the best's metric minus its own), in
// columns metric_NAME and regret_NAME. values[s][i] is scenario s's metric
// in run i; ties go to the first scenario, as in sim.Regret.
func WriteRegretRuns(w io.Writer, names []string, values [][]float64) error {
	cw := newCSV(w)
	head := []string{"run", "best"}
	for _, n := range names {
		head = append(head, "metric_"+n)
	}
	for _, n := range names {
		head = append(head, "regret_"+n)
	}
	if err := cw.Write(head); err != nil {
		return err
	}
	if len(values) == 0 {
		return cw.Flush()
	}
	row := make([]string, len(head))
	for i := range values[0] {
		best := 0
		for s := range values {
			if values[s][i] > values[best][i] {
				best = s
			}
		}
		row[0], row[1] = strconv.Itoa(i), names[best]
		for s := range values {
			row[2+s] = num(values[s][i])
			row[2+len(names)+s] = num(values[best][i] - values[s][i])
		}
		if err := cw.Write(row); err != nil {
			return err
		}
	}
	return cw.Flush()
}
