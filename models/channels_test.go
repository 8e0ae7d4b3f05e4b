package models

import (
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/require"
)

// The part of the domestic stock credited to induced investment
// (stock_domestic_induced_h100e) lies in [0, stock_domestic_h100e] in every
// quarter of 2,000 random cases (parameters across the registry's bounds,
// random lever schedules), and is exactly 0 when the investment response
// to pressure and state money's effect are 0. It is positive somewhere
// when they are not, so the test fails if the credit is dropped.
func TestInducedDomesticStock(t *testing.T) {
	rng := rand.New(rand.NewPCG(13, 5))
	r := China{}.NewRunner(propSpan)
	T := propSpan.Len()
	out := make([]float64, len(Registry.Outputs)*T)
	pend := noPending()
	eps, _ := Registry.ParamIndex("substitution.elasticity")
	kappa, _ := Registry.ParamIndex("substitution.state_money_effect")
	positive := 0
	for c := 0; c < 2000; c++ {
		params, levers := randomCase(rng)
		off := c%2 == 0
		if off {
			params[eps], params[kappa] = 0, 0
		}
		runCase(r, params, levers, pend, out)
		for q := 0; q < T; q++ {
			ind, dom := out[oStockDomInduced*T+q], out[oStockDomestic*T+q]
			require.GreaterOrEqual(t, ind, 0.0, "case %d quarter %d", c, q)
			// the credited share ε·R/M is below 1, so the credited stock
			// is below the domestic stock, to rounding
			require.LessOrEqual(t, ind, dom*(1+1e-12), "case %d quarter %d", c, q)
			if off {
				require.Zero(t, ind, "case %d quarter %d: induced credit with ε = κ = 0", c, q)
			} else if ind > 0 {
				positive++
			}
		}
	}
	require.Positive(t, positive)
}
