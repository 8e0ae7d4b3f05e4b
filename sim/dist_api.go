package sim

import (
	"github.com/chokepoint-sim/chokepoint/sim/dist"
	"gonum.org/v1/gonum/mathext"
	"gonum.org/v1/gonum/stat/distuv"
)

// Dist is a probability distribution.
//
// Deprecated: use dist.Dist.
type Dist = dist.Dist

// ParseDist reads a distribution as a TOML decoder delivers it.
//
// Deprecated: use dist.Parse.
func ParseDist(v any) (Dist, error) { return dist.Parse(v) }

// ParseDistText reads a distribution written as scenario-file text.
//
// Deprecated: use dist.ParseText.
func ParseDistText(s string) (Dist, error) { return dist.ParseText(s) }

// distNormQuantile is the standard normal quantile.
func distNormQuantile(p float64) float64 { return mathext.NormalQuantile(p) }

// distNormCDF is the standard normal CDF.
func distNormCDF(x float64) float64 { return distuv.UnitNormal.CDF(x) }
