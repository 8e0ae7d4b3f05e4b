package scenarios

import (
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/chokepoint-sim/chokepoint/sim/elicit"
)

const elicitSeedFile = `parameter = "efficiency.halving_months"

[[seeds]]
id = "q1"
answer = 10

[[seeds]]
id = "q2"
answer = 3

[[experts]]
name = "A"
p5 = 4
p50 = 8
p95 = 20
[experts.seeds]
q1 = {p5 = 5, p50 = 9, p95 = 15}
q2 = {p5 = 1, p50 = 2, p95 = 6}

[[experts]]
name = "B"
p10 = 6
"p50" = 9
p90 = 13
[experts.seeds]
q1 = {p5 = 11, p50 = 12, p95 = 13}
q2 = {p5 = 2.5, p50 = 3.5, p95 = 4}
`

// An elicitation file reads into the experts' quantiles in probability
// order, the seed answers and judgements, and the parameter's bounds.
func TestLoadElicitation(t *testing.T) {
	path := filepath.Join(t.TempDir(), "e.toml")
	require.NoError(t, os.WriteFile(path, []byte(elicitSeedFile), 0o644))
	el, err := testLoader().LoadElicitation(path)
	require.NoError(t, err)
	assert.Equal(t, "efficiency.halving_months", el.Param.Key)
	assert.Equal(t, []string{"A", "B"}, el.Experts)
	assert.Equal(t, []string{"q1", "q2"}, el.Seeds)
	in := el.Input
	assert.Equal(t, []float64{10, 3}, in.Answers)
	assert.Equal(t, [2]float64{1, 120}, [2]float64{in.Min, in.Max})
	assert.Equal(t, -1.0, in.Cutoff, "no cut-off given: chosen")
	assert.Equal(t, elicit.Judgement{Probs: []float64{0.1, 0.5, 0.9}, Values: []float64{6, 9, 13}}, in.Experts[1].Target)
	assert.Equal(t, elicit.Judgement{Probs: []float64{0.05, 0.5, 0.95}, Values: []float64{1, 2, 6}}, in.Experts[0].Seeds[1])
	assert.False(t, in.Given)
}

// FuzzLoadElicitation feeds arbitrary bytes to the elicitation loader: it
// returns a checked file or one *Error, never panics, and what it accepts
// pools without error into a CDF that rises.
func FuzzLoadElicitation(f *testing.F) {
	f.Add([]byte(elicitSeedFile))
	f.Add([]byte("parameter = \"fab.yield_ceiling\"\n[[experts]]\nname = \"A\"\np5 = 0\np95 = 1\nweight = 0\n[[experts]]\nname = \"B\"\np1 = 0.2\n\"p99.9\" = 0.3\nweight = 2\n"))
	f.Add([]byte("parameter = \"fab.yield_ceiling\"\ncutoff = 0.5\n"))
	dir := f.TempDir()
	l := testLoader()
	f.Fuzz(func(t *testing.T, src []byte) {
		path := filepath.Join(dir, "f.toml")
		require.NoError(t, os.WriteFile(path, src, 0o644))
		el, err := l.LoadElicitation(path)
		if err != nil {
			var e *Error
			require.True(t, errors.As(err, &e), "%T: %v", err, err)
			return
		}
		require.NotEmpty(t, el.Experts)
		r, err := elicit.Pool(el.Input)
		if err != nil {
			return // a problem of the data as a whole, reported as such
		}
		prev := 0.0
		for _, p := range []float64{0.01, 0.05, 0.5, 0.95, 0.99} {
			q := r.Quantile(p)
			require.GreaterOrEqual(t, q, prev-1e-12*max(1, prev))
			require.True(t, q >= el.Input.Min && q <= el.Input.Max, "quantile %g outside the bounds", q)
			prev = q
		}
	})
}
