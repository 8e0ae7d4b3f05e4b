// Package elicit pools experts' quantiles for one quantity into one
// distribution: a piecewise-linear CDF fitted to each expert's quantiles,
// a weighted linear opinion pool, and Cooke's classical model for weights
// from seed questions.
package elicit
