package sensitivity

import (
	"errors"
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/chokepoint-sim/chokepoint/sim"
)

// A design too small for its method is bad input, refused before any run,
// instead of a panic from the design's constructor.
func TestRunsRefusesTooSmallDesigns(t *testing.T) {
	const k = 5 // parameters analysed
	for _, c := range []struct {
		m    Method
		size int
		want string
	}{
		// PRCC needs k+3 runs for positive degrees of freedom (prcc.go).
		{MethodPRCC, k + 2, "prcc needs more runs than parameters: at least 8 for 5 parameters, found 7"},
		// Sobol's bootstrap and variance need two base samples (sobol.go checkNK).
		{MethodSobol, 1, "sobol needs at least 2 base samples N, found 1"},
		{MethodSobol, 0, "sobol needs at least 2 base samples N, found 0"},
		// Morris's sigma needs two trajectories (morris.go NewMorrisDesign).
		{MethodMorris, 1, "morris needs at least 2 trajectories, found 1"},
		{MethodMorris, -4, "morris needs at least 2 trajectories, found -4"},
		{Method("fast"), 100, `unknown method "fast" (expected prcc, sobol or morris)`},
	} {
		_, err := c.m.Runs(c.size, k)
		require.Error(t, err, "%s %d", c.m, c.size)
		var ie *sim.InputError
		assert.True(t, errors.As(err, &ie), "%s %d: not an input error", c.m, c.size)
		assert.EqualError(t, err, c.want)
	}
	_, err := MethodSobol.Runs(2, maxSaltelliK+1)
	assert.EqualError(t, err, "sobol takes at most 3271 parameters, found 3272") // maxSaltelliK
}

// The runs of each design: PRCC its size, Saltelli N·(k+2) (N rows of A, of
// B and of each of the k mixed matrices), Morris r·(k+1) (k+1 points a
// trajectory); a size too large to count saturates.
func TestRunsCountsTheDesign(t *testing.T) {
	for _, c := range []struct {
		m          Method
		size, k, n int
	}{
		{MethodPRCC, 1000, 61, 1000},
		{MethodSobol, 512, 61, 512 * 63},
		{MethodMorris, 40, 61, 40 * 62},
		{MethodSobol, math.MaxInt / 2, 61, math.MaxInt},
	} {
		n, err := c.m.Runs(c.size, c.k)
		require.NoError(t, err)
		assert.Equal(t, c.n, n, "%s %d", c.m, c.size)
	}
	// The count is that of the design Analyze builds.
	d := NewSaltelliDesign(8, 3, 1)
	n, _ := MethodSobol.Runs(8, 3)
	assert.Len(t, d.Points(), n)
	md := NewMorrisDesign(8, 3, 4, 1)
	n, _ = MethodMorris.Runs(8, 3)
	assert.Len(t, md.Points, n)
}
