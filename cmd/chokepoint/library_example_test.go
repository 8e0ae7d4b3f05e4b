package main

import (
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"os"
	"path/filepath"
	"strconv"

	"github.com/chokepoint-sim/chokepoint/models/batch"
	"github.com/chokepoint-sim/chokepoint/sim"
)

// The library gives the command line's numbers (issue 16, acceptance 7):
// a batch run through package batch and `chokepoint run` with the same
// scenario, runs and seed agree on the median of China's compute stock at
// the end of 2030 to the last bit.
func Example_libraryMatchesSummaryCSV() {
	sc, err := batch.Load("current-policy")
	if err != nil {
		panic(err)
	}
	res, err := batch.Run(context.Background(), batch.Options{Runs: 200, Seed: 7}, sc)
	if err != nil {
		panic(err)
	}
	st, err := res.Summary("current-policy", "compute_stock_h100e", "2030Q4")
	if err != nil {
		panic(err)
	}

	tmp, err := os.MkdirTemp("", "library-example")
	if err != nil {
		panic(err)
	}
	defer os.RemoveAll(tmp)
	out := filepath.Join(tmp, "out")
	var stdout, stderr bytes.Buffer
	args := []string{"run", "current-policy", "--runs", "200", "--seed", "7", "--no-charts", "--quiet", "--out", out}
	if code := run(context.Background(), args, &stdout, &stderr); code != 0 {
		panic(stderr.String())
	}
	cli := summaryP50(filepath.Join(out, "summary.csv"), "current-policy", "compute_stock_h100e", "2030Q4")

	short := func(v float64) string { return sim.FormatShort(v, sim.TableStyle) }
	fmt.Println("library:     ", short(st.P50()))
	fmt.Println("summary.csv: ", short(cli))
	fmt.Println("same number: ", cli == st.P50())
	// Output:
	// library:      5.42M
	// summary.csv:  5.42M
	// same number:  true
}

// summaryP50 reads the p50 of one row of a summary.csv.
func summaryP50(path, scenario, output, period string) float64 {
	f, err := os.Open(path)
	if err != nil {
		panic(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		panic(err)
	}
	col := map[string]int{}
	for i, h := range rows[0] {
		col[h] = i
	}
	for _, r := range rows[1:] {
		if r[col["scenario"]] == scenario && r[col["output"]] == output && r[col["period"]] == period {
			v, err := strconv.ParseFloat(r[col["p50"]], 64)
			if err != nil {
				panic(err)
			}
			return v
		}
	}
	panic("no row " + scenario + " " + output + " " + period)
}
