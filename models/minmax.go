package models

import "math"

// fmin and fmax are Go's min and max of two float64s, NaN and signed zeros
// included (TestMinMaxAreTheBuiltins): the model's hot loops call them
// because Go compiles the built-ins to a runtime call on WebAssembly, where
// they took a sixth of the model's time (docs/performance.md); the
// written-out branches inline there, and elsewhere these are the built-ins.
func fmin(x, y float64) float64 {
	if wasmMinMax {
		return minBranches(x, y)
	}
	return min(x, y)
}

func fmax(x, y float64) float64 {
	if wasmMinMax {
		return maxBranches(x, y)
	}
	return max(x, y)
}

func minBranches(x, y float64) float64 {
	if y != y || y < x {
		return y
	}
	if x != x || x < y || x != 0 {
		return x
	}
	if math.Signbit(y) { // both ±0: −0 if either is
		return y
	}
	return x
}

func maxBranches(x, y float64) float64 {
	if y != y || y > x {
		return y
	}
	if x != x || x > y || x != 0 {
		return x
	}
	if math.Signbit(y) { // both ±0: +0 if either is
		return x
	}
	return y
}
