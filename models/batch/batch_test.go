package batch

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Workers never change a number; a narrower span keeps the draws.
func TestRunSameWhateverWorkers(t *testing.T) {
	sc, err := Load("current-policy")
	require.NoError(t, err)
	one, err := Run(context.Background(), Options{Runs: 50, Seed: 3, Workers: 1}, sc)
	require.NoError(t, err)
	four, err := Run(context.Background(), Options{Runs: 50, Seed: 3, Workers: 4}, sc)
	require.NoError(t, err)
	assert.Equal(t, one.Summaries[0].Stats, four.Summaries[0].Stats)
	assert.Equal(t, one.Raw.Scenarios[0].Values, four.Raw.Scenarios[0].Values)

	short, err := Run(context.Background(), Options{Runs: 50, Seed: 3, From: "2020Q1", To: "2026Q4"}, sc)
	require.NoError(t, err)
	assert.Equal(t, 28, short.Raw.Span.Len()) // 7 years of 4 quarters
	a, err := one.Params("current-policy", "fab.yield_ceiling")
	require.NoError(t, err)
	b, err := short.Params("current-policy", "fab.yield_ceiling")
	require.NoError(t, err)
	assert.Equal(t, a, b)
	assert.Len(t, a, 50)
}

// Every mistake says what was expected.
func TestBadRequests(t *testing.T) {
	sc, err := Load("current-policy")
	require.NoError(t, err)
	_, err = Run(context.Background(), Options{})
	assert.EqualError(t, err, "batch: no scenario to run")
	_, err = Run(context.Background(), Options{Runs: -1}, sc)
	assert.EqualError(t, err, "batch: Runs must be positive, found -1")
	_, err = Run(context.Background(), Options{Runs: 5, Sampler: "sobol"}, sc)
	assert.EqualError(t, err, `batch: Sampler must be mc, lhs or qmc, found "sobol"`)
	_, err = Run(context.Background(), Options{Runs: 5, From: "2030Q1", To: "2025Q1"}, sc)
	assert.EqualError(t, err, "batch: To 2025Q1 is before From 2030Q1")

	res, err := Run(context.Background(), Options{Runs: 5}, sc)
	require.NoError(t, err)
	_, err = res.Summary("no-controls", "compute_stock_h100e", "2030Q4")
	assert.EqualError(t, err, `batch: no scenario "no-controls" in this batch (it ran [current-policy])`)
	_, err = res.Summary("current-policy", "compute_stock", "2030Q4")
	assert.EqualError(t, err, `batch: unknown output "compute_stock" (did you mean "compute_stock_h100e"?)`)
	_, err = res.Summary("current-policy", "compute_stock_h100e", "2040Q1")
	assert.EqualError(t, err, "batch: 2040Q1 is outside the span 2020Q1-2035Q4")
	_, err = res.Samples("current-policy", "compute_stock_h100e", "2030Q5")
	assert.Error(t, err)
	_, err = res.Params("current-policy", "fab.yield_celing")
	assert.EqualError(t, err, `batch: unknown parameter "fab.yield_celing" (did you mean "fab.yield_ceiling"?)`)
	_, err = Load("curent-policy")
	assert.EqualError(t, err, `unknown scenario "curent-policy" (did you mean "current-policy"?)`)
}
