package models

import (
	"bytes"
	_ "embed"
	"encoding/csv"
	"fmt"
	"strconv"

	"github.com/chokepoint-sim/chokepoint/sim"
)

// H100 reference figures that define the two H100-equivalent bases.
const (
	h100DenseBF16TFLOPS = 989  // NVIDIA H100 SXM datasheet, dense BF16
	h100MemTBs          = 3.35 // NVIDIA H100 SXM datasheet, HBM3 bandwidth
	h100FLOPs           = h100DenseBF16TFLOPS * 1e12
)

//go:embed data/chips.csv
var chipsCSV []byte

// Chip is one row of the accelerator catalogue.
type Chip struct {
	Name      string
	Vendor    string
	Domestic  bool
	Available sim.Period
	// LastAvailable is the last quarter the chip is sold (end of life);
	// zero when it is still sold.
	LastAvailable   sim.Period
	BF16TFLOPS      float64
	TPP             float64 // BIS total processing performance = dense 16-bit TFLOPS × 16
	PD              float64 // TPP per mm² of die; 0 when not published
	MemTBs          float64
	InterconnectGBs float64
	HBMStacks       float64
	Dies            float64
	PriceUSD        float64
	Source          string
}

// OnSale reports whether the chip is sold in quarter p.
func (c *Chip) OnSale(p sim.Period) bool {
	return c.Available <= p && (c.LastAvailable == 0 || p <= c.LastAvailable)
}

// TrainingH100e is the chip's throughput in H100s (training basis).
func (c *Chip) TrainingH100e() float64 { return c.BF16TFLOPS / h100DenseBF16TFLOPS }

// InferenceH100e is the chip's memory bandwidth in H100s (inference basis).
func (c *Chip) InferenceH100e() float64 { return c.MemTBs / h100MemTBs }

// Catalogue is the embedded chip catalogue, in file order.
var Catalogue = mustReadCatalogue(chipsCSV)

func mustReadCatalogue(b []byte) []Chip {
	cs, err := readCatalogue(b)
	if err != nil {
		panic("models: chip catalogue: " + err.Error())
	}
	return cs
}

func readCatalogue(b []byte) ([]Chip, error) {
	rows, err := csv.NewReader(bytes.NewReader(b)).ReadAll()
	if err != nil {
		return nil, err
	}
	var out []Chip
	for i, r := range rows[1:] {
		line := i + 2
		if len(r) != 14 {
			return nil, fmt.Errorf("line %d: %d fields, want 14", line, len(r))
		}
		num := func(col int) float64 {
			if r[col] == "" && err == nil {
				return 0
			}
			v, e := strconv.ParseFloat(r[col], 64)
			if e != nil && err == nil {
				err = fmt.Errorf("line %d column %s: %v", line, rows[0][col], e)
			}
			return v
		}
		p, e := sim.ParsePeriod(r[3])
		if e != nil {
			return nil, fmt.Errorf("line %d: %v", line, e)
		}
		var last sim.Period
		if r[4] != "" {
			if last, e = sim.ParsePeriod(r[4]); e != nil {
				return nil, fmt.Errorf("line %d: %v", line, e)
			}
		}
		c := Chip{Name: r[0], Vendor: r[1], Domestic: r[2] == "domestic", Available: p, LastAvailable: last,
			BF16TFLOPS: num(5), TPP: num(6), PD: num(7), MemTBs: num(8), InterconnectGBs: num(9),
			HBMStacks: num(10), Dies: num(11), PriceUSD: num(12), Source: r[13]}
		if err != nil {
			return nil, err
		}
		if r[2] != "domestic" && r[2] != "foreign" {
			return nil, fmt.Errorf("line %d: origin %q, want domestic or foreign", line, r[2])
		}
		if c.BF16TFLOPS <= 0 || c.MemTBs <= 0 || c.PriceUSD <= 0 || c.Dies < 1 || c.Source == "" {
			return nil, fmt.Errorf("line %d: %s needs positive TFLOPS, bandwidth, price, dies and a source", line, c.Name)
		}
		out = append(out, c)
	}
	return out, nil
}

// ForeignChipNames lists the foreign chips, the items of set levers.
func ForeignChipNames() []string {
	var ns []string
	for _, c := range Catalogue {
		if !c.Domestic {
			ns = append(ns, c.Name)
		}
	}
	return ns
}

// chipNamed returns the catalogue chip of that name; it panics when none
// exists, since names in code are fixed.
func chipNamed(name string) *Chip {
	for i := range Catalogue {
		if Catalogue[i].Name == name {
			return &Catalogue[i]
		}
	}
	panic("models: no chip " + name)
}
