// Package output writes a batch's results: manifest.json, summary.csv,
// params.csv and charts, into a results folder that appears whole or not at
// all. It reads sim's result types and never the model.
package output
