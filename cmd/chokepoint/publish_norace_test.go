//go:build !race

package main

// publishRace is off: the published page's timing bound is asserted.
const publishRace = false
