package batch_test

import (
	"context"
	"fmt"
	"log"
	"sort"

	"gonum.org/v1/gonum/stat"

	"github.com/chokepoint-sim/chokepoint/models/batch"
	"github.com/chokepoint-sim/chokepoint/sim"
)

// Load a built-in scenario and look at what it is.
func ExampleLoad() {
	sc, err := batch.Load("current-policy")
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(sc.Name, "-", sc.Title)
	fmt.Println("span:", sc.Span.Start, "to", sc.Span.End)
	// Output:
	// current-policy - Current policy
	// span: 2020Q1 to 2035Q4
}

// A mistake in an override is located and suggests the key meant.
func ExampleLoad_override() {
	_, err := batch.Load("current-policy", "export.tpp_treshold=1600")
	fmt.Println(err)
	// Output:
	// --set export.tpp_treshold: unknown parameter or lever (did you mean "export.tpp_threshold"?)
}

// Run a batch and read a summary: the median and 90% interval of China's
// compute stock at the end of 2030, as summary.csv has them.
func ExampleRun() {
	sc, err := batch.Load("current-policy")
	if err != nil {
		log.Fatal(err)
	}
	res, err := batch.Run(context.Background(), batch.Options{Runs: 200, Seed: 1}, sc)
	if err != nil {
		log.Fatal(err)
	}
	st, err := res.Summary("current-policy", "compute_stock_h100e", "2030Q4")
	if err != nil {
		log.Fatal(err)
	}
	short := func(v float64) string { return sim.FormatShort(v, sim.TableStyle) }
	fmt.Printf("%d runs: median %s H100e, 90%% interval %s to %s\n", st.N, short(st.P50()), short(st.P05()), short(st.P95()))
	// Output:
	// 200 runs: median 4.93M H100e, 90% interval 2.47M to 10.2M
}

// Paired scenarios: the same runs with the same draws in each, so the
// difference run by run is the effect of the policy alone.
func ExampleResult_Samples() {
	cp, err := batch.Load("current-policy")
	if err != nil {
		log.Fatal(err)
	}
	nc, err := batch.Load("no-controls")
	if err != nil {
		log.Fatal(err)
	}
	res, err := batch.Run(context.Background(), batch.Options{Runs: 200, Seed: 1}, nc, cp)
	if err != nil {
		log.Fatal(err)
	}
	with, err := res.Samples("current-policy", "compute_stock_h100e", "2030Q4")
	if err != nil {
		log.Fatal(err)
	}
	without, err := res.Samples("no-controls", "compute_stock_h100e", "2030Q4")
	if err != nil {
		log.Fatal(err)
	}
	lower := 0
	ratio := make([]float64, len(with))
	for i := range with {
		if with[i] < without[i] {
			lower++
		}
		ratio[i] = with[i] / without[i]
	}
	sort.Float64s(ratio)
	fmt.Printf("less compute under current policy in %d of %d runs; median ratio %.2f\n",
		lower, len(with), stat.Quantile(0.5, stat.Empirical, ratio, nil))
	// Output:
	// less compute under current policy in 200 of 200 runs; median ratio 0.32
}

// Every run's parameter draws, as params.csv holds them: the same in every
// scenario of the batch.
func ExampleResult_Params() {
	sc, err := batch.Load("current-policy", "fab.yield_ceiling=0.7")
	if err != nil {
		log.Fatal(err)
	}
	res, err := batch.Run(context.Background(), batch.Options{Runs: 3, Seed: 1}, sc)
	if err != nil {
		log.Fatal(err)
	}
	fixed, err := res.Params("current-policy", "fab.yield_ceiling")
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(fixed)
	// Output:
	// [0.7 0.7 0.7]
}
