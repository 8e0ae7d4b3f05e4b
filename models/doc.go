// Package models holds chokepoint's reference model of Chinese AI capacity
// under export controls: one file per submodel of docs/MODEL.md, "Structure", the
// registry of its parameters, levers and outputs, and the chip catalogue.
//
// The registry (registry.go) is the one place that names the model's keys
// and says everything a surface shows of them: units, bounds, sources,
// labels and plain words, classroom sliders and "none" values, the order
// of lever groups, the outputs each surface features and the outputs
// derived from others. The CLI, scenarios explain, the report and the
// classroom page read it from there, so a lever, parameter or output added
// to the registry reaches them all.
package models
