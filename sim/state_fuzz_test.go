package sim

import (
	"bytes"
	"context"
	"testing"

	"github.com/stretchr/testify/require"
)

// FuzzReadState feeds ReadState whatever bytes: it returns a state whose
// names are scenario ids and that merges and summarises, or an InputError;
// it never panics, hangs or allocates more than the bounds allow. Seeds are
// real states of the toy model, exact and sketched, with differences.
func FuzzReadState(f *testing.F) {
	m := newToy()
	a, b := toyScenario(m, "a", Event{ID: "e", Lever: 0, Value: 5, Effective: NewPeriod(2021, 1), Announced: NewPeriod(2021, 1), Probability: 0.4}), toyScenario(m, "b")
	span := Span{NewPeriod(2020, 1), NewPeriod(2020, 4)}
	for _, batch := range []Batch{
		{Model: m, Scenarios: []*Scenario{a}, Span: span, Runs: 3, Seed: 1},
		{Model: m, Scenarios: []*Scenario{a, b}, Span: span, Runs: 100, Lo: 64, Hi: 100, Seed: 2, Diffs: true},
		{Model: m, Scenarios: []*Scenario{a, b}, Span: span, Runs: 64, Seed: 3, Diffs: true, ExactLimit: 1},
	} {
		res, err := batch.Run(context.Background())
		if err != nil {
			f.Fatal(err)
		}
		var buf bytes.Buffer
		if err := res.WriteState(&buf); err != nil {
			f.Fatal(err)
		}
		f.Add(buf.Bytes())
	}
	f.Add(sketchState(cell(64, positiveBins(32, 0, 1<<40))))
	f.Fuzz(func(t *testing.T, data []byte) {
		st, err := ReadState(bytes.NewReader(data), m.reg)
		if err != nil {
			var ie *InputError
			require.ErrorAs(t, err, &ie, "%v is not an InputError", err)
			return
		}
		for _, k := range st.Keys {
			require.NoError(t, CheckName(k.Name), "name %q read back", k.Name)
		}
		if st.Result.Lo != 0 || st.Result.Hi != st.Result.Runs {
			return // a part: MergeStates needs the rest
		}
		res, err := MergeStates([]*SavedState{st})
		require.NoError(t, err)
		res.Summaries(1)
		res.PairedDiffs(0, 1)
	})
}
