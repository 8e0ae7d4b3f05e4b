// Package sensitivity provides global sensitivity analysis on the unit
// hypercube: partial rank correlation (PRCC), Sobol' indices from a Saltelli
// design, and Morris elementary effects.
//
// Every design lives on [0,1]^k; the caller maps each uniform coordinate to a
// parameter value through that parameter's quantile function, runs the model
// at each design point and hands the outputs back in the same row order.
// Randomness comes only from the seed passed in: the same seed gives the same
// design and the same bootstrap intervals, bit for bit.
//
// The package uses only the standard library, so it can sit under sim
// without adding a dependency.
package sensitivity
