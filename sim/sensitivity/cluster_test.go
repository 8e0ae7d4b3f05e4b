package sensitivity

import (
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/assert"
)

// Runs that repeat a parameter row with the same output add no evidence:
// 100 draws repeated 10 times give the PRCCs and p-values of the 100 draws
// (duplicating every row scales the ranks affinely, so the correlations do
// not change), not the far smaller p-values 1,000 independent runs would.
func TestPRCCClusteredCountsRepeatsOnce(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 3))
	var x, xr [][]float64
	var y, yr []float64
	for i := 0; i < 100; i++ {
		row := []float64{rng.Float64(), rng.Float64(), rng.Float64()}
		v := 0.3*row[0] + rng.Float64() // a weak effect of input 0
		x, y = append(x, row), append(y, v)
		for r := 0; r < 10; r++ {
			xr, yr = append(xr, row), append(yr, v)
		}
	}
	coef, p := PRCC(x, y)
	coefR, pR, nEff := PRCCClustered(xr, yr)
	assert.InDelta(t, 100, nEff, 1e-9)
	_, pNaive := PRCC(xr, yr)
	for j := range coef {
		assert.InDelta(t, coef[j], coefR[j], 1e-9, "input %d", j)
		assert.InDelta(t, p[j], pR[j], 1e-9, "input %d", j)
	}
	assert.Less(t, pNaive[0], p[0]/10, "counted as 1,000 runs the effect looks far surer")
}
