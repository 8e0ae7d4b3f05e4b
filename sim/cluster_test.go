package sim

import (
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/assert"
)

// clustered returns g clusters of m runs each: the runs of a cluster share
// a key, and y is the cluster's own value plus, with weight within, a
// value drawn per run.
func clustered(g, m int, within float64, seed uint64) ([]uint64, []float64) {
	rng := rand.New(rand.NewPCG(seed, 1))
	var keys []uint64
	var y []float64
	for c := 0; c < g; c++ {
		base := rng.NormFloat64()
		for r := 0; r < m; r++ {
			keys = append(keys, uint64(c))
			y = append(y, base+within*rng.NormFloat64())
		}
	}
	return keys, y
}

// The effective size runs between the number of clusters (a repeat adds
// nothing) and the number of runs (each repeat is new evidence), as the
// within-cluster variation grows; with no repeats it is the number of runs.
func TestEffectiveSize(t *testing.T) {
	keys, y := clustered(50, 20, 0, 1)
	assert.InDelta(t, 50, EffectiveSize(keys, y), 1e-9, "identical repeats count once")
	keys, y = clustered(50, 20, 1e6, 2)
	assert.InDelta(t, 1000, EffectiveSize(keys, y), 60, "repeats that differ as much as clusters count fully")
	keys, y = clustered(50, 20, 1, 3)
	// ρ = 1/(1+1) = 0.5 by construction: deff = 1 + 19·0.5 = 10.5, so
	// about 1000/10.5 = 95 (sampling error in ρ of about ±0.1)
	assert.InDelta(t, 95, EffectiveSize(keys, y), 30)
	distinct := []uint64{1, 2, 3, 4}
	assert.Equal(t, 4.0, EffectiveSize(distinct, []float64{1, 1, 2, 2}))
	// unequal clusters, identical repeats: Kish's (Σm)²/Σm², 10²/(8²+1+1) here
	keys = []uint64{7, 7, 7, 7, 7, 7, 7, 7, 8, 9}
	y = []float64{1, 1, 1, 1, 1, 1, 1, 1, 0, 1}
	assert.InDelta(t, 100.0/66, EffectiveSize(keys, y), 1e-12)
}
