// Package chart draws publishable charts of simulation results with gonum/plot.
//
// It takes plain structs (quantile bands, dated events, captions), not the
// engine's types, so that it can be used and tested on its own.
package chart
