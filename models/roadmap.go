package models

import (
	"bytes"
	_ "embed"
	"encoding/csv"
	"fmt"
	"slices"
)

// The domestic roadmap, docs/MODEL.md, "Model v2: domestic supply": for each domestic chip of the
// catalogue, the node class it is made on and whether its launch date is an
// announcement that may slip.

//go:embed data/domestic_roadmap.csv
var roadmapCSV []byte

// generation is one domestic chip as the production model uses it.
type generation struct {
	*Chip
	fiveNm bool // made on DUV-only 5nm-class capacity (multipatterning penalty)
	slips  bool // launch is an announced date: the run's roadmap delay applies
}

// maxGen bounds the packaging programme's columns (fixed-size state): two
// per domestic generation, its fresh dies and its dies in stock.
const maxGen = 16

// domesticRoadmap returns the domestic chips in launch order with their
// roadmap attributes; every domestic chip needs a roadmap row.
func domesticRoadmap(b []byte) ([]generation, error) {
	rows, err := csv.NewReader(bytes.NewReader(b)).ReadAll()
	if err != nil {
		return nil, err
	}
	byName := map[string][]string{}
	for _, r := range rows[1:] {
		if len(r) != 4 || r[3] == "" {
			return nil, fmt.Errorf("roadmap row %q: want chip, node_nm, slips and a source", r)
		}
		byName[r[0]] = r
	}
	var gs []generation
	for i := range Catalogue {
		c := &Catalogue[i]
		if !c.Domestic {
			continue
		}
		r, ok := byName[c.Name]
		if !ok {
			return nil, fmt.Errorf("domestic chip %s has no roadmap row", c.Name)
		}
		if r[1] != "7" && r[1] != "5" {
			return nil, fmt.Errorf("roadmap %s: node %q, want 7 or 5", c.Name, r[1])
		}
		gs = append(gs, generation{Chip: c, fiveNm: r[1] == "5", slips: r[2] == "yes"})
	}
	if len(gs) == 0 || 2*len(gs) > maxGen {
		return nil, fmt.Errorf("%d domestic generations, want 1 to %d", len(gs), maxGen/2)
	}
	slices.SortStableFunc(gs, func(a, b generation) int { return int(a.Available) - int(b.Available) })
	return gs, nil
}

var roadmap = func() []generation {
	gs, err := domesticRoadmap(roadmapCSV)
	if err != nil {
		panic("models: domestic roadmap: " + err.Error())
	}
	return gs
}()
