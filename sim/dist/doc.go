// Package dist holds the probability distributions of scenario files: their types, the parser of their scenario syntax, and their fitting from percentiles.
package dist
