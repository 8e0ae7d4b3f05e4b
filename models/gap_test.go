package models

import (
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/require"
)

// A faster US frontier path never narrows the gap in months (MODEL.md,
// "Model v2: frontier", the gap walked back along the US path). Both runs
// share every draw but us.compute_growth, which raises the US path after
// its 2024Q3 anchor; the check holds where China's effective compute is
// above the US level at the anchor (the gap in months shorter than the time
// since 2024Q3), since before the anchor a steeper path is a lower one.
// Converting the gap at the path's growth rate fails this once the fleet
// bound binds: the gap in orders of magnitude is then the same in both runs
// and the faster path converts it into fewer months.
func TestFasterUSPathNeverNarrowsGapMonths(t *testing.T) {
	rng := rand.New(rand.NewPCG(17, 18))
	g, _ := Registry.ParamIndex("us.compute_growth")
	r := China{}.NewRunner(propSpan)
	T := propSpan.Len()
	a, b := make([]float64, len(Registry.Outputs)*T), make([]float64, len(Registry.Outputs)*T)
	pend := noPending()
	periods := propSpan.Periods()
	cases := propertyCases(t) / 5
	for c := 0; c < cases; c++ {
		params, levers := randomCase(rng)
		runCase(r, params, levers, pend, a)
		hi := params[g] + rng.Float64()*(Registry.Params[g].Max-params[g])
		faster := append([]float64(nil), params...)
		faster[g] = hi
		runCase(r, faster, levers, pend, b)
		for t0 := 0; t0 < T; t0++ {
			sinceAnchor := 12 * (periods[t0].Decimal() - usAnchorYear)
			i := oGapMonths*T + t0
			if sinceAnchor <= 0 || a[i] >= sinceAnchor {
				continue
			}
			// 1e-9 month: rounding of the log-linear interpolation.
			require.GreaterOrEqual(t, b[i], a[i]-1e-9,
				"case %d at %s: US growth %g gives a gap of %g months, the faster %g only %g", c, periods[t0], params[g], a[i], hi, b[i])
		}
	}
}
