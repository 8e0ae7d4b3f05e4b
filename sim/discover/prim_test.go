package discover

import (
	"cmp"
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// synthetic returns n rows of dims uniform inputs on [0, 1] in which a row
// is of interest when it lies in the box b over the first len(b)
// dimensions, each label then flipped with probability noise.
func synthetic(n, dims int, b []Limit, noise float64, seed uint64) *Data {
	rng := rand.New(rand.NewPCG(seed, seed))
	d := &Data{X: make([][]float64, dims), Y: make([]bool, n)}
	for j := range d.X {
		d.Names = append(d.Names, string(rune('a'+j)))
		d.X[j] = make([]float64, n)
	}
	for i := 0; i < n; i++ {
		in := true
		for j := range d.X {
			v := rng.Float64()
			d.X[j][i] = v
			if j < len(b) && (v < b[j].Lo || v > b[j].Hi) {
				in = false
			}
		}
		if rng.Float64() < noise {
			in = !in
		}
		d.Y[i] = in
	}
	return d
}

// The first acceptance test: the case of interest is exactly a box
// in two of ten uniform inputs, plus label noise; PRIM must find both
// limits of both dimensions within 0.05 and restrict nothing else.
func TestFindRecoversKnownBox(t *testing.T) {
	truth := []Limit{{0.3, 0.8}, {0.2, 0.6}} // made up for the test
	for _, seed := range []uint64{1, 2, 3, 4, 5, 6} {
		// 10,000 rows: the box holds 20% of them, 2,000 rows; 5% of
		// labels flipped.
		d := synthetic(10000, 10, truth, 0.05, seed)
		r, err := Find(d, Config{})
		require.NoError(t, err)
		assert.Equal(t, []int{0, 1}, r.Box.Restricted, "seed %d: restricted dimensions", seed)
		for j, l := range truth {
			// 0.05: the acceptance tolerance of the issue
			assert.InDelta(t, l.Lo, r.Box.Limits[j].Lo, 0.05, "seed %d: dimension %d low limit", seed, j)
			assert.InDelta(t, l.Hi, r.Box.Limits[j].Hi, 0.05, "seed %d: dimension %d high limit", seed, j)
			assert.Less(t, r.PValues[j], 0.05, "seed %d: dimension %d is significant", seed, j)
		}
		// inside the true box 95% of rows are of interest (5% noise)
		assert.Greater(t, r.Box.Density, 0.85, "seed %d", seed)
		assert.Greater(t, r.Box.Coverage, 0.7, "seed %d", seed)
	}
}

// The trajectory starts from the whole data, density of the whole data,
// and each step is smaller than the last and no smaller than the least
// mass.
func TestTrajectoryShrinks(t *testing.T) {
	d := synthetic(4000, 5, []Limit{{0, 0.3}}, 0.1, 9)
	r, err := Find(d, Config{})
	require.NoError(t, err)
	require.NotEmpty(t, r.Trajectory)
	first := r.Trajectory[0]
	assert.Equal(t, 4000, first.N)
	assert.Empty(t, first.Restricted)
	assert.InDelta(t, float64(r.Interest)/4000, first.Density, 1e-12)
	assert.Equal(t, 1.0, first.Coverage)
	for s := 1; s < len(r.Trajectory); s++ {
		assert.Less(t, r.Trajectory[s].N, r.Trajectory[s-1].N, "step %d", s)
		assert.GreaterOrEqual(t, r.Trajectory[s].Mass, 0.05, "step %d", s)
	}
	// the one restriction that matters is the upper limit of dimension 0
	assert.Equal(t, []int{0}, r.Box.Restricted)
	assert.InDelta(t, 0.3, r.Box.Limits[0].Hi, 0.05)
}

// No structure: the labels are coin flips, so no restriction survives
// the significance check.
func TestFindNothingInNoise(t *testing.T) {
	d := synthetic(5000, 6, nil, 0.3, 4) // 30% flipped from "no": 30% of interest
	r, err := Find(d, Config{})
	require.NoError(t, err)
	assert.Empty(t, r.Box.Restricted)
}

// Discrete dimensions (a switch with levels 0, 1, 2) are peeled whole
// levels at a time.
func TestFindSwitch(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 5))
	n := 6000
	d := &Data{Names: []string{"switch", "u"}, X: [][]float64{make([]float64, n), make([]float64, n)}, Y: make([]bool, n)}
	for i := 0; i < n; i++ {
		d.X[0][i] = float64(rng.IntN(3))
		d.X[1][i] = rng.Float64()
		d.Y[i] = d.X[0][i] == 2 && rng.Float64() < 0.9 || rng.Float64() < 0.05
	}
	r, err := Find(d, Config{})
	require.NoError(t, err)
	assert.Equal(t, []int{0}, r.Box.Restricted)
	// the cut falls midway between levels 1 and 2
	assert.Equal(t, 1.5, r.Box.Limits[0].Lo)
	assert.Equal(t, 2.0, r.Box.Limits[0].Hi)
}

func TestFindRefusesBadData(t *testing.T) {
	_, err := Find(&Data{}, Config{})
	assert.Error(t, err)
	_, err = Find(&Data{Names: []string{"a"}, X: [][]float64{{1, math.NaN()}}, Y: []bool{true, false}}, Config{})
	assert.ErrorContains(t, err, "row 1")
}

func BenchmarkFind(b *testing.B) {
	// 100,000 runs of ~100 sampled parameters: the size the performance
	// target names
	d := synthetic(100000, 100, []Limit{{0.3, 0.8}, {0.2, 0.6}}, 0.05, 1)
	b.ResetTimer()
	for b.Loop() {
		if _, err := Find(d, Config{}); err != nil {
			b.Fatal(err)
		}
	}
}

// The radix sort orders like a stable comparison sort, negative numbers,
// zeros of both signs and ties included.
func TestRadixOrder(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 7))
	col := make([]float64, 3000)
	for i := range col {
		col[i] = math.Round(rng.NormFloat64()*10) / 4 // many ties, both signs
	}
	col[5], col[6] = math.Copysign(0, -1), 0
	want := make([]int32, len(col))
	for i := range want {
		want[i] = int32(i)
	}
	slices.SortStableFunc(want, func(a, b int32) int { return cmp.Compare(col[a], col[b]) })
	var r radix
	assert.Equal(t, want, r.sort(col))
}

// repeated returns d with each row repeated times times (rows of one draw
// next to each other, as a posterior ensemble's runs repeat its draws).
func repeated(d *Data, times int) *Data {
	out := &Data{Names: d.Names, X: make([][]float64, len(d.X))}
	for i := range d.Y {
		for r := 0; r < times; r++ {
			for j := range d.X {
				out.X[j] = append(out.X[j], d.X[j][i])
			}
			out.Y = append(out.Y, d.Y[i])
		}
	}
	return out
}

// Rows that repeat one draw count once in the significance check: 60
// coin-flip rows repeated 200 times hold no more evidence than 60, so no
// restriction survives, and the effective number of rows is 60. Counted
// as 12,000 independent rows, chance patterns among the 60 pass the test
// (a restriction in each of these seeds without the correction).
func TestRepeatedRowsCountOnce(t *testing.T) {
	for _, seed := range []uint64{1, 2, 3, 4} {
		d := repeated(synthetic(60, 6, nil, 0.3, seed), 200)
		r, err := Find(d, Config{})
		require.NoError(t, err)
		assert.InDelta(t, 60, r.Effective, 1e-9, "seed %d", seed)
		assert.Empty(t, r.Box.Restricted, "seed %d: a restriction from repeats of chance", seed)
	}
	truth := []Limit{{0.3, 0.8}, {0.2, 0.6}} // as in TestFindRecoversKnownBox
	d := repeated(synthetic(3000, 10, truth, 0.05, 7), 4)
	r, err := Find(d, Config{})
	require.NoError(t, err)
	assert.Equal(t, []int{0, 1}, r.Box.Restricted)
	assert.InDelta(t, 3000, r.Effective, 1e-9)
}

// Repeats of a draw whose label the model draws afresh in each run (an
// event drawn per run) are new evidence: with 200 draws repeated 20 times
// and each repeat's label flipped independently with probability 0.2,
// the effective number of rows is well above the 200 draws, and the box
// of the first two inputs is found.
func TestRepeatsWithOwnLabelsCount(t *testing.T) {
	truth := []Limit{{0.3, 0.8}, {0.2, 0.6}} // as in TestFindRecoversKnownBox
	base := synthetic(200, 6, truth, 0, 11)
	d := repeated(base, 20)
	rng := rand.New(rand.NewPCG(12, 12))
	for i := range d.Y {
		if rng.Float64() < 0.2 {
			d.Y[i] = !d.Y[i]
		}
	}
	r, err := Find(d, Config{})
	require.NoError(t, err)
	assert.Greater(t, r.Effective, 400.0, "more than the draws: each repeat's label is its own")
	assert.Less(t, r.Effective, 4000.0, "less than the runs: the repeats share their inputs")
	assert.Equal(t, []int{0, 1}, r.Box.Restricted)
}
