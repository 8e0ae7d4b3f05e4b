// Package sim is chokepoint's simulation engine: quarterly time, parameter
// registries and distributions, seeded per-parameter random streams, the
// Monte Carlo batch runner and its aggregation. It knows nothing of chips or
// China: a model plugs in through the Model interface.
package sim
