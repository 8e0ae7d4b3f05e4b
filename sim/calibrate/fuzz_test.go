package calibrate

import (
	"bytes"
	"context"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/chokepoint-sim/chokepoint/sim/simtest"
)

// FuzzReadDraws: whatever the bytes, ReadDraws returns draws or an error;
// it never panics, and what it accepts writes back to the same bytes.
func FuzzReadDraws(f *testing.F) {
	m := simtest.Model{}
	obs := noisyObs(rand.New(rand.NewPCG(1, 1)), 1, 0.2, 2)
	d, err := Draw(context.Background(), batch(m, 3, 1), obs)
	require.NoError(f, err)
	var buf bytes.Buffer
	require.NoError(f, d.Write(&buf))
	f.Add(buf.Bytes())
	f.Add([]byte(drawsMagic + `{"runs": 1000000000, "lo": 0, "hi": 99999999}` + "\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		got, err := ReadDraws(bytes.NewReader(data), m.Registry(), obs)
		if err != nil {
			return
		}
		var out bytes.Buffer
		require.NoError(t, got.Write(&out))
		// JSON may be respaced; the numbers after the header may not.
		require.Equal(t, got.N()*(got.P()+got.K())*8, out.Len()-bytes.IndexByte(out.Bytes()[len(drawsMagic):], '\n')-len(drawsMagic)-1)
	})
}
