//go:build race

package main

// publishRace is on: the engine runs several times slower, so the
// published page's timings are reported but not asserted.
const publishRace = true
