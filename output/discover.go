package output

import (
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"

	"github.com/chokepoint-sim/chokepoint/output/chart"
	"github.com/chokepoint-sim/chokepoint/sim"
	"github.com/chokepoint-sim/chokepoint/sim/discover"
)

// DiscoverName is the table of a scenario discovery.
const DiscoverName = "discover.csv"

// Discovery is a scenario discovery (PRIM) with what its table and charts
// say of it.
type Discovery struct {
	Result *discover.Result
	Params []string // the dimensions' parameter keys, in the result's order
	// Case says in plain words which runs are the cases of interest, e.g.
	// "escalation-2025 − current-policy, compute_stock_h100e at 2030Q4, diff > 0".
	Case      string
	Scenarios string // e.g. "current-policy, escalation-2025"
	Version   string
	Seed      uint64
	// Levels[j] names the levels of dimension j, a switch drawn as the
	// values 0, 1, … ("network", "share"); nil for a continuous input.
	Levels [][]string
}

// levelsIn returns the names of the levels of dimension j inside [lo, hi],
// joined by " or ", or "" when j has no named levels.
func (d *Discovery) levelsIn(j int, lo, hi float64) string {
	if j >= len(d.Levels) || d.Levels[j] == nil {
		return ""
	}
	var in []string
	for v, name := range d.Levels[j] {
		if float64(v) >= lo && float64(v) <= hi {
			in = append(in, name)
		}
	}
	return strings.Join(in, " or ")
}

// DiscoverHeader is the column list of discover.csv. Each row is one
// restricted parameter of one box: every step of the peeling trajectory
// (row "trajectory", the first step, restricting nothing, has one row with
// no parameter) and the box chosen (row "box", after pasting and the
// significance check, with each restriction's quasi-p-value).
var DiscoverHeader = []string{"row", "step", "coverage", "density", "mass", "runs_in_box", "cases_in_box",
	"restricted", "parameter", "lo", "hi", "prior_lo", "prior_hi", "quasi_p", "runs", "cases"}

// WriteDiscover writes discover.csv.
func WriteDiscover(w io.Writer, d *Discovery) error {
	cw := newCSV(w)
	if err := cw.Write(DiscoverHeader); err != nil {
		return err
	}
	r := d.Result
	write := func(kind string, step int, b discover.Box, pv []float64) error {
		head := []string{kind, strconv.Itoa(step), num(b.Coverage), num(b.Density), num(b.Mass),
			strconv.Itoa(b.N), strconv.Itoa(b.K), strconv.Itoa(len(b.Restricted))}
		tail := []string{strconv.Itoa(r.Rows), strconv.Itoa(r.Interest)}
		if len(b.Restricted) == 0 {
			return cw.Write(append(append(head, "", "", "", "", "", ""), tail...))
		}
		for _, j := range b.Restricted {
			p := ""
			if pv != nil {
				p = num(pv[j])
			}
			row := append(append([]string(nil), head...), d.Params[j], num(b.Limits[j].Lo), num(b.Limits[j].Hi),
				num(r.Prior[j].Lo), num(r.Prior[j].Hi), p)
			if err := cw.Write(append(row, tail...)); err != nil {
				return err
			}
		}
		return nil
	}
	for s, b := range r.Trajectory {
		if err := write("trajectory", s, b, nil); err != nil {
			return err
		}
	}
	if err := write("box", r.Chosen, r.Box, r.PValues); err != nil {
		return err
	}
	return cw.Flush()
}

// Names of the discovery charts in the charts folder, without extension.
const (
	TrajectoryChart = "discover-trajectory"
	BoxChartName    = "discover-box"
)

// DiscoverCharts draws the trajectory chart and the box chart into dir.
func DiscoverCharts(dir string, d *Discovery, o DrawOpts) error {
	r := d.Result
	src := source("chokepoint "+d.Version, d.Scenarios, thousands(r.Rows)+" runs", "seed "+strconv.FormatUint(d.Seed, 10))
	share := 0.0
	if r.Rows > 0 {
		share = float64(r.Interest) / float64(r.Rows)
	}
	tr := &chart.Trajectory{
		Title:    "Where the cases of interest concentrate, step by step",
		Subtitle: fmt.Sprintf("Peeling trajectory (PRIM) for %s: %s of runs overall", d.Case, percent(share)),
		Source:   src, Chosen: r.Chosen, Overall: share,
		Box: chart.TrajectoryStep{Coverage: r.Box.Coverage, Density: r.Box.Density, Restricted: len(r.Box.Restricted)},
	}
	for _, b := range r.Trajectory {
		tr.Steps = append(tr.Steps, chart.TrajectoryStep{Coverage: b.Coverage, Density: b.Density, Restricted: len(b.Restricted)})
	}
	return WriteCharts(dir, o, NamedChart{Name: TrajectoryChart, Chart: tr}, NamedChart{Name: BoxChartName, Chart: BoxChartOf(d)})
}

// BoxChartOf returns the box chart of d: each restricted parameter's range
// in the box within its range over all runs.
func BoxChartOf(d *Discovery) *chart.BoxChart {
	r := d.Result
	share := 0.0
	if r.Rows > 0 {
		share = float64(r.Interest) / float64(r.Rows)
	}
	bc := &chart.BoxChart{
		Title: "The box: which assumptions the cases of interest share",
		Subtitle: fmt.Sprintf("%s: %s of the cases lie in the box, %s of its runs are cases (%s overall)",
			d.Case, percent(r.Box.Coverage), percent(r.Box.Density), percent(share)),
		Source: source("chokepoint "+d.Version, d.Scenarios, thousands(r.Rows)+" runs", "seed "+strconv.FormatUint(d.Seed, 10)),
	}
	for _, j := range r.Box.Restricted {
		row := chart.BoxRow{
			Label: d.Params[j], Note: "quasi-p " + PValue(r.PValues[j]),
			PriorLo: r.Prior[j].Lo, PriorHi: r.Prior[j].Hi, Lo: r.Box.Limits[j].Lo, Hi: r.Box.Limits[j].Hi,
			PriorLoText: short(r.Prior[j].Lo), PriorHiText: short(r.Prior[j].Hi),
			LoText: short(r.Box.Limits[j].Lo), HiText: short(r.Box.Limits[j].Hi),
		}
		if in := d.levelsIn(j, row.Lo, row.Hi); in != "" {
			// a switch: its ends are its first and last levels, and the
			// box is the levels it keeps, not a cut at a half-way value
			row.PriorLoText = d.levelsIn(j, row.PriorLo, row.PriorLo)
			row.PriorHiText = d.levelsIn(j, row.PriorHi, row.PriorHi)
			row.LoText, row.HiText = "", ""
			row.Note += " · in the box: " + in
		}
		bc.Rows = append(bc.Rows, row)
	}
	return bc
}

// PValue writes a quasi-p-value for a reader: "< 0.001" below it, else
// two significant figures.
func PValue(p float64) string {
	switch {
	case math.IsNaN(p):
		return "-"
	case p < 0.001:
		return "< 0.001"
	}
	return "= " + strconv.FormatFloat(p, 'g', 2, 64)
}

func percent(f float64) string { return strconv.Itoa(int(math.Round(100*f))) + "%" }

func short(v float64) string { return sim.FormatShort(v, sim.TableStyle) }
