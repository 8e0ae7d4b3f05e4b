// Package discover finds the region of input space where a case of interest
// concentrates: the Patient Rule Induction Method (PRIM) of Friedman and
// Fisher (1999), as used for scenario discovery by Bryant and Lempert
// (2010), with peeling, pasting, the peeling trajectory and quasi-p-values
// for each restricted dimension. It knows nothing of models: it takes a
// table of inputs and a yes/no answer per row.
package discover
