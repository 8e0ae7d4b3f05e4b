//go:build race

package web

// raceDetector is on: the engine runs several times slower, so timing
// limits are reported but not asserted.
const raceDetector = true
