package sim

import "fmt"

// Ensemble is a posterior ensemble: a set of parameter draws (rows, one
// value per registry parameter) that a batch uses instead of the scenario's
// distributions. Run i takes the row picked by its own stream (seed, i),
// so a run's parameters never depend on workers or shards, and every
// scenario of a batch takes the same row in the same run (paired
// comparisons stay paired).
type Ensemble struct {
	// P is the number of parameters of a row; Values holds the rows one
	// after another, row r at Values[r*P:(r+1)*P].
	P      int
	Values []float64
}

// NewEnsemble checks the rows' layout.
func NewEnsemble(p int, values []float64) (*Ensemble, error) {
	if p <= 0 || len(values) == 0 || len(values)%p != 0 {
		return nil, fmt.Errorf("sim: an ensemble of %d values cannot hold rows of %d parameters", len(values), p)
	}
	return &Ensemble{P: p, Values: values}, nil
}

// Rows is the number of rows.
func (e *Ensemble) Rows() int { return len(e.Values) / e.P }

// ensembleKey names the stream that picks each run's row.
var ensembleKey = KeyHash("ensemble:row")

// RowIndex is the row run takes under seed: uniform over the rows.
func (e *Ensemble) RowIndex(seed uint64, run int) int {
	n := e.Rows()
	return min(int(Uniform(seed, run, ensembleKey)*float64(n)), n-1)
}

// Row returns the parameters of run under seed.
func (e *Ensemble) Row(seed uint64, run int) []float64 {
	r := e.RowIndex(seed, run)
	return e.Values[r*e.P : (r+1)*e.P]
}
