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

// minBranches is Go's min written out: a strict order decides; otherwise
// the two are equal (the bits OR'd give −0 from ±0, else either) or one is
// NaN (OR keeps a NaN's exponent and mantissa bits, so NaN).
func minBranches(x, y float64) float64 {
	if x < y {
		return x
	}
	if y < x {
		return y
	}
	return math.Float64frombits(math.Float64bits(x) | math.Float64bits(y))
}

// maxBranches is Go's max written out: a strict order decides; equal
// values give the bits AND'ed (+0 from ±0, else either); a NaN gives NaN.
func maxBranches(x, y float64) float64 {
	if x > y {
		return x
	}
	if y > x {
		return y
	}
	if x != x || y != y {
		return x + y
	}
	return math.Float64frombits(math.Float64bits(x) & math.Float64bits(y))
}
