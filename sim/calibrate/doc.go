// Package calibrate weighs a prior ensemble of runs by how well each run
// reproduces a set of observations (importance weights from a documented
// likelihood), resamples a posterior ensemble from the weights, and says
// what the data narrowed: effective sample size, prior and posterior
// intervals of observations and parameters, induced correlations, the
// weight of each structural formulation, and out-of-sample scores.
package calibrate
