package models

import (
	"testing"

	"github.com/chokepoint-sim/chokepoint/sim"
	"github.com/stretchr/testify/require"
)

// The volume cap limits what ships after China's own block, not the orders
// China then refuses (MODEL.md, "Model v2: money and channels"). In
// current-policy from 2026 every legal chip is licensed or excepted, so all
// legal imports count against the cap. A cap set each quarter just above
// what ships with no cap at all must then not bind: legal imports are the
// same. Applying the cap before the block would cut them to (1 − block) of
// that in the quarters where China's block is on. The induced responses are
// off (the sign property's setting): restriction pressure reads the cap
// against the orders buyers would place with all their legal money, so a
// cap that does not bind on what ships can still move the smuggling
// network's and investment's responses to pressure.
func TestVolumeCapLimitsWhatShipsAfterChinasBlock(t *testing.T) {
	sc := loadBuiltin(t, "current-policy")
	levers, pend := scheduleOf(sc)
	T := propSpan.Len()
	from := propSpan.Index(sim.NewPeriod(2026, 1))
	uncapped := setLever(levers, "export.china_volume_cap", noCap)
	blockOn := 0
	r := China{}.NewRunner(propSpan)
	a := make([]float64, len(Registry.Outputs)*T)
	b := make([]float64, len(Registry.Outputs)*T)
	res := runBatch(t, 200, sc) // 200 default draws: enough runs for a per-quarter identity
	P := len(Registry.Params)
	bi, _ := Registry.LeverIndex("china.import_block")
	ci, _ := Registry.LeverIndex("export.china_volume_cap")
	for run := 0; run < 200; run++ {
		params := append([]float64(nil), res.Scenarios[0].Params[run*P:(run+1)*P]...)
		responsesOff(params)
		runCase(r, params, uncapped, pend, a)
		capped := append([][]float64(nil), uncapped...)
		capped[ci] = make([]float64, T)
		for t0 := range T {
			capped[ci][t0] = noCap
			if t0 >= from {
				// 1e-6 above what shipped uncapped: the cap is not reached.
				capped[ci][t0] = a[oLegalImports*T+t0]*(1+1e-6) + 1e-6
			}
		}
		runCase(r, params, capped, pend, b)
		for t0 := from; t0 < T; t0++ {
			if uncapped[bi][t0] > 0 {
				blockOn++
			}
			i := oLegalImports*T + t0
			// 1e-9 relative: the cap's price found by bisection.
			require.InDelta(t, a[i], b[i], 1e-9*a[i]+1e-9, "run %d quarter %d (block %v): a cap above what ships bound", run, t0, uncapped[bi][t0])
		}
	}
	require.Positive(t, blockOn, "current-policy has China's block on from 2026")
}
