// Package batch is chokepoint's entry point for Go programs: load a
// scenario (a built-in name or a .toml file), run a Monte Carlo batch of
// the reference model on it, and read the summaries and every run's
// values, with the same numbers as the command line.
//
//	sc, err := batch.Load("current-policy")
//	res, err := batch.Run(ctx, batch.Options{Runs: 1000, Seed: 1}, sc)
//	st, err := res.Summary("current-policy", "compute_stock_h100e", "2030Q4")
//	fmt.Println(st.P50()) // the p50 of that row of `chokepoint run`'s summary.csv
//
// Run i of a batch depends only on the seed, i and the scenario, so the
// same Options give the same numbers whatever Workers is, and the numbers
// of `chokepoint run --runs 1000 --seed 1`. The package is a thin layer
// over sim (the engine: sim.Batch, sim.Result), scenarios (the loader) and
// models (the model); Result.Raw and Result.Summaries give the engine's
// own types for anything it does not wrap. docs/library.md walks through
// it.
package batch
