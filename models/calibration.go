package models

import (
	"bytes"
	_ "embed"
	"encoding/csv"
	"fmt"
	"strconv"

	"github.com/chokepoint-sim/chokepoint/sim"
)

//go:embed data/calibration.csv
var calibrationCSV []byte

// Calibration is the embedded list of observations of docs/MODEL.md, "Calibration",
// each with its source.
var Calibration = mustReadCalibration(calibrationCSV)

func mustReadCalibration(b []byte) []sim.Observation {
	obs, err := readCalibration(b)
	if err != nil {
		panic("models: calibration data: " + err.Error())
	}
	return obs
}

func readCalibration(b []byte) ([]sim.Observation, error) {
	rows, err := csv.NewReader(bytes.NewReader(b)).ReadAll()
	if err != nil {
		return nil, err
	}
	var out []sim.Observation
	for i, r := range rows[1:] {
		line := i + 2
		if len(r) != 11 {
			return nil, fmt.Errorf("line %d: %d fields, want 11", line, len(r))
		}
		o := sim.Observation{ID: r[0], Text: r[1], Output: r[2], Aggregate: r[5], Unit: r[9], Source: r[10]}
		if _, ok := Registry.OutputIndex(o.Output); !ok {
			return nil, fmt.Errorf("line %d: no output %q", line, o.Output)
		}
		if o.From, err = sim.ParsePeriod(r[3]); err != nil {
			return nil, fmt.Errorf("line %d: %v", line, err)
		}
		if o.To, err = sim.ParsePeriod(r[4]); err != nil {
			return nil, fmt.Errorf("line %d: %v", line, err)
		}
		for j, dst := range []*float64{&o.Low, &o.Central, &o.High} {
			if *dst, err = strconv.ParseFloat(r[6+j], 64); err != nil {
				return nil, fmt.Errorf("line %d: %v", line, err)
			}
		}
		switch {
		case o.Aggregate != "sum" && o.Aggregate != "value" && o.Aggregate != "ratio":
			return nil, fmt.Errorf("line %d: aggregate %q, want sum, value or ratio", line, o.Aggregate)
		case !(o.Low <= o.Central && o.Central <= o.High):
			return nil, fmt.Errorf("line %d: want low <= central <= high", line)
		case o.To < o.From:
			return nil, fmt.Errorf("line %d: to before from", line)
		case o.Source == "" || o.Text == "" || o.Unit == "":
			return nil, fmt.Errorf("line %d: %s needs a description, unit and source", line, o.ID)
		}
		out = append(out, o)
	}
	return out, nil
}
