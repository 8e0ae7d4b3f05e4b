package output

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"

	"github.com/chokepoint-sim/chokepoint/sim"
	"github.com/chokepoint-sim/chokepoint/sim/discover"
)

// DiscoverRowsName is a discover shard's table: each of its runs' sampled
// parameters and whether the run is a case of interest, which merge joins
// and hands to PRIM.
const DiscoverRowsName = "discover-rows.csv"

// WriteDiscoverRows writes the rows of d, the runs lo, lo+1, … in order:
// columns run, case (1 or 0), then one per dimension, named by d.Names.
// Values are written with the fewest digits that read back exactly.
func WriteDiscoverRows(w io.Writer, lo int, d *discover.Data) error {
	cw := newCSV(w)
	if err := cw.Write(append([]string{"run", "case"}, d.Names...)); err != nil {
		return err
	}
	row := make([]string, 2+len(d.X))
	for i, y := range d.Y {
		row[0], row[1] = strconv.Itoa(lo+i), "0"
		if y {
			row[1] = "1"
		}
		for j, col := range d.X {
			row[2+j] = strconv.FormatFloat(col[i], 'g', -1, 64)
		}
		if err := cw.Write(row); err != nil {
			return err
		}
	}
	return cw.Flush()
}

// ReadDiscoverRows reads a discover shard's table, as untrusted input: its
// columns must be run, case and names in order, its runs lo to hi-1 in
// order, every case 0 or 1 and every value a finite number. path is only
// for messages.
func ReadDiscoverRows(r io.Reader, path string, names []string, lo, hi int) (*discover.Data, error) {
	cr := csv.NewReader(io.LimitReader(r, MaxStateBytes))
	cr.ReuseRecord = true
	head, err := cr.Read()
	if err != nil {
		return nil, sim.BadInputf("%s: line 1: %v", path, err)
	}
	if want := append([]string{"run", "case"}, names...); !slices.Equal(head, want) {
		return nil, sim.BadInputf("%s: line 1: expected the columns run, case and the %d parameters of its manifest.json", path, len(names))
	}
	n := hi - lo
	d := &discover.Data{Names: names, X: make([][]float64, len(names)), Y: make([]bool, n)}
	for j := range d.X {
		d.X[j] = make([]float64, n)
	}
	for i := 0; i < n; i++ {
		line := i + 2
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			return nil, sim.BadInputf("%s: %d rows, expected %d (runs %d to %d)", path, i, n, lo, hi-1)
		}
		if err != nil {
			return nil, sim.BadInputf("%s: line %d: %v", path, line, err)
		}
		if rec[0] != strconv.Itoa(lo+i) {
			return nil, sim.BadInputf("%s: line %d, column run: expected %d, found %q", path, line, lo+i, rec[0])
		}
		switch rec[1] {
		case "1":
			d.Y[i] = true
		case "0":
		default:
			return nil, sim.BadInputf("%s: line %d, column case: expected 0 or 1, found %q", path, line, rec[1])
		}
		for j := range d.X {
			v, err := strconv.ParseFloat(rec[2+j], 64)
			if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
				return nil, sim.BadInputf("%s: line %d, column %s: expected a finite number, found %q", path, line, names[j], rec[2+j])
			}
			d.X[j][i] = v
		}
	}
	if _, err := cr.Read(); !errors.Is(err, io.EOF) {
		return nil, sim.BadInputf("%s: more than the %d rows of runs %d to %d", path, n, lo, hi-1)
	}
	return d, nil
}

// AppendDiscoverRows appends the rows of b to a (the runs after a's).
func AppendDiscoverRows(a, b *discover.Data) error {
	if !slices.Equal(a.Names, b.Names) {
		return fmt.Errorf("discover rows: different parameters")
	}
	for j := range a.X {
		a.X[j] = append(a.X[j], b.X[j]...)
	}
	a.Y = append(a.Y, b.Y...)
	return nil
}
