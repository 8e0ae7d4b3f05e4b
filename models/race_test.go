//go:build race

package models

// raceDetector is on: the model runs about ten times slower, so the
// property tests' case counts are cut (raceScale); `go test ./models/`
// without -race, which the README's test command runs first, checks the
// full counts.
const raceDetector = true
