// Package models holds chokepoint's reference model of Chinese AI capacity
// under export controls: one file per submodel of MODEL.md section 4, the
// registry of its parameters, levers and outputs, and the chip catalogue.
package models
