package calibrate

import (
	"bytes"
	"context"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/chokepoint-sim/chokepoint/sim/simtest"
)

// Draws written by a shard read back the same; anything else read as
// draws is refused with a reason, never half-read.
func TestDrawsRoundTripAndBadInput(t *testing.T) {
	m := simtest.Model{}
	obs := noisyObs(rand.New(rand.NewPCG(5, 5)), 1, 0.2, 2)
	b := batch(m, 200, 4)
	b.Lo, b.Hi = 64, 200
	d, err := Draw(context.Background(), b, obs)
	require.NoError(t, err)
	var buf bytes.Buffer
	require.NoError(t, d.Write(&buf))
	got, err := ReadDraws(bytes.NewReader(buf.Bytes()), m.Registry(), obs)
	require.NoError(t, err)
	assert.Equal(t, d, got)

	whole := buf.Bytes()
	for _, c := range []struct {
		name, want string
		data       []byte
	}{
		{"empty", "not a file of calibration draws", nil},
		{"truncated", "truncated", whole[:len(whole)-3]},
		{"extra", "after the last run", append(bytes.Clone(whole), 0)},
	} {
		_, err := ReadDraws(bytes.NewReader(c.data), m.Registry(), obs)
		assert.ErrorContains(t, err, c.want, c.name)
	}
	_, err = ReadDraws(bytes.NewReader(whole), m.Registry(), obs[:1])
	assert.ErrorContains(t, err, "other observations")
	other := newSwitchModel()
	_, err = ReadDraws(bytes.NewReader(whole), other.Registry(), obs)
	assert.ErrorContains(t, err, "other parameters")

	// Join refuses a gap.
	_, err = Join([]*Draws{d})
	assert.ErrorContains(t, err, "runs 0 to 63 are missing")
}
