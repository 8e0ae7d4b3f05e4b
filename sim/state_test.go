package sim

import (
	"bytes"
	"encoding/binary"
	"errors"
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	enc "github.com/DataDog/sketches-go/ddsketch/encoding"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// stateHeader is the fixed part of a state file, as WriteState lays it out,
// so that tests can write any header, legal or not.
type stateHeader struct {
	runs, lo, hi, start, end, P, O, S, D int64
	exact                                byte
	keys                                 []ScenarioKey
	events                               []int64
}

func (h stateHeader) bytes() []byte {
	b := []byte(stateMagic)
	for _, v := range []int64{h.runs, h.lo, h.hi, h.start, h.end, h.P, h.O, h.S, h.D} {
		b = binary.AppendVarint(b, v)
	}
	b = binary.LittleEndian.AppendUint64(b, 1) // seed
	b = append(b, h.exact)
	for i, k := range h.keys {
		b = appendString(b, k.Name)
		b = appendString(b, k.Hash)
		b = binary.AppendVarint(b, h.events[i])
	}
	return b
}

// toyHeader is a legal header for the toy model (2 parameters, 2 outputs)
// over 2020Q1-2020Q4: one scenario "a", runs 0-63 of 64.
func toyHeader(exact bool) stateHeader {
	h := stateHeader{runs: 64, lo: 0, hi: 64, start: int64(NewPeriod(2020, 1)), end: int64(NewPeriod(2020, 4)),
		P: 2, O: 2, S: 1, keys: []ScenarioKey{{Name: "a"}}, events: []int64{0}}
	if exact {
		h.exact = 1
	}
	return h
}

// cell encodes a sketch cell of n runs whose sketch is sk (raw DDSketch
// encoding), with its length prefix as in a state file.
func cell(n int64, sk []byte) []byte {
	var b []byte
	b = appendInt(b, n)
	b = appendInt(b, 0) // higher
	for range 2 {       // Sum and SumSq: no partials, special 0
		b = appendInt(b, 0)
		b = appendFloat(b, 0)
	}
	b = appendInt(b, int64(len(sk)))
	b = append(b, sk...)
	return append(appendInt(nil, int64(len(b))), b...)
}

// positiveBins is a DDSketch encoding of a positive store holding count at
// each index.
func positiveBins(count float64, indexes ...int64) []byte {
	var b []byte
	enc.EncodeFlag(&b, enc.NewFlag(enc.FlagTypePositiveStore, enc.BinEncodingIndexDeltasAndCounts))
	enc.EncodeUvarint64(&b, uint64(len(indexes)))
	prev := int64(0)
	for _, i := range indexes {
		enc.EncodeVarint64(&b, i-prev)
		enc.EncodeVarfloat64(&b, count)
		prev = i
	}
	return b
}

// sketchState is a sketch-mode state of toyHeader whose first cell is
// first and every other cell a legal one of 64 runs, all zero.
func sketchState(first []byte) []byte {
	b := append(toyHeader(false).bytes(), first...)
	var zero []byte
	enc.EncodeFlag(&zero, enc.FlagZeroCountVarFloat)
	enc.EncodeVarfloat64(&zero, 64)
	for range 2*4 - 1 { // 2 outputs × 4 quarters
		b = append(b, cell(64, zero)...)
	}
	return b
}

func requireCorrupt(t *testing.T, b []byte, want string) {
	t.Helper()
	_, err := ReadState(bytes.NewReader(b), newToy().reg)
	require.Error(t, err)
	var ie *InputError
	assert.True(t, errors.As(err, &ie), "%v is bad input (exit 2)", err)
	assert.Contains(t, err.Error(), "corrupt state file")
	assert.Contains(t, err.Error(), want)
}

// The helpers above write what WriteState writes: a legal sketch state
// built by hand reads back.
func TestHandMadeStateReads(t *testing.T) {
	var zero []byte
	enc.EncodeFlag(&zero, enc.FlagZeroCountVarFloat)
	enc.EncodeVarfloat64(&zero, 64)
	st, err := ReadState(bytes.NewReader(sketchState(cell(64, zero))), newToy().reg)
	require.NoError(t, err)
	assert.Equal(t, 0.0, st.Result.Summaries(0)[0].Stats[0].Q[3], "64 zeros have median 0")
}

// Names become file names (NAME-output.png): a state file's names obey the
// scenario-id rule, as names in scenario files do.
func TestReadStateRefusesHostileNames(t *testing.T) {
	m := newToy()
	for _, name := range []string{"../../outside/PWNED", "", "A", "a/b", "a\x00", strings.Repeat("a", MaxNameLen+1)} {
		res := runToy(t, Batch{Model: m, Scenarios: []*Scenario{toyScenario(m, "a")}, Span: Span{NewPeriod(2020, 1), NewPeriod(2020, 4)}, Runs: 10, Seed: 1})
		res.Scenarios[0].Scenario = &Scenario{Name: name}
		var buf bytes.Buffer
		require.NoError(t, res.WriteState(&buf))
		requireCorrupt(t, buf.Bytes(), "name")
	}
	h := toyHeader(true)
	h.S, h.keys, h.events = 2, []ScenarioKey{{Name: "a"}, {Name: "a"}}, []int64{0, 0}
	requireCorrupt(t, h.bytes(), "name")
	h = toyHeader(true)
	h.keys[0].Hash = "not-hex"
	requireCorrupt(t, h.bytes(), "hash")
}

// Lengths and counts in a header are checked before anything is allocated
// from them: none of these may panic or allocate what the file cannot hold.
func TestReadStateBoundsLengths(t *testing.T) {
	for _, c := range []struct {
		name string
		edit func(*stateHeader)
		want string
	}{
		// 2^40 runs × 2 parameters: 16 TiB of parameters claimed by a header of 60 bytes.
		{"runs", func(h *stateHeader) { h.runs, h.hi = 1<<40, 1<<40 }, "header"},
		// 2^20 runs × 2^16 events: 512 GiB of event flags, read only as far as the file goes.
		{"events", func(h *stateHeader) { h.runs, h.hi, h.events[0] = 1<<20, 1<<20, 1<<16 }, "values"},
		{"negative events", func(h *stateHeader) { h.events[0] = -1 }, "events"},
		{"exact byte", func(h *stateHeader) { h.exact = 7 }, "mode"},
		{"period", func(h *stateHeader) { h.start, h.end = math.MinInt64, math.MinInt64+3 }, "header"},
	} {
		h := toyHeader(true)
		c.edit(&h)
		t.Run(c.name, func(t *testing.T) { requireCorrupt(t, h.bytes(), c.want) })
	}
	// A legal header with its values cut short.
	requireCorrupt(t, append(toyHeader(true).bytes(), 0, 0, 0), "values")
}

// A sketch cell of 32 bytes claiming bins at 0 and 2^40 would make a dense
// store of 2^40 counts (8.8 TB); bins lie where a float64 can map to.
func TestReadStateBoundsSketchBins(t *testing.T) {
	requireCorrupt(t, sketchState(cell(64, positiveBins(32, 0, 1<<40))), "sketch")
	requireCorrupt(t, sketchState(cell(64, positiveBins(32, -1<<40, 0))), "sketch")
	// Counts are whole, not negative, and no more than the cell's runs.
	requireCorrupt(t, sketchState(cell(64, positiveBins(-1, 5))), "sketch")
	requireCorrupt(t, sketchState(cell(64, positiveBins(0.5, 5))), "sketch")
	requireCorrupt(t, sketchState(cell(64, positiveBins(65, 5))), "sketch")
	// Every cell of a shard holds each of its runs once.
	requireCorrupt(t, sketchState(cell(63, positiveBins(1, 5))), "sketch")
	// A length prefix larger than the file.
	requireCorrupt(t, append(toyHeader(false).bytes(), appendInt(nil, 1<<25)...), "sketch")
}

// The sketch bins a legal state holds read back whatever their spread: the
// least and greatest values the sketch tracks, in one cell.
func TestReadStateKeepsWideSketches(t *testing.T) {
	m := newToy()
	res := runToy(t, Batch{Model: m, Scenarios: []*Scenario{toyScenario(m, "a")}, Span: Span{NewPeriod(2020, 1), NewPeriod(2020, 4)},
		Runs: 64, Seed: 1, ExactLimit: 1})
	require.False(t, res.Exact)
	sk := newSketch()
	for _, v := range []float64{math.SmallestNonzeroFloat64, sketchMapping.MinIndexableValue(), -1e-300, 1, 1e300, sketchMapping.MaxIndexableValue()} {
		require.NoError(t, sk.Add(v))
	}
	res.Sketches[0][0] = CellSketch{N: 64, Sketch: sk}
	st := saveLoad(t, res)
	got := st.Result.Sketches[0][0]
	assert.Equal(t, sk.GetCount(), got.Sketch.GetCount())
	for _, q := range []float64{0, 0.5, 1} {
		want, _ := sk.GetValueAtQuantile(q)
		v, err := got.Sketch.GetValueAtQuantile(q)
		require.NoError(t, err)
		assert.Equal(t, want, v, "quantile %v", q)
	}
}

// CellSketch.add puts positive values straight into the sketch's positive
// store; the sketch must be the one DDSketch.Add builds, byte for byte,
// for every kind of value (negative, zero, below and above the indexable
// range, NaN, infinities), including after a merge and a decode.
func TestCellSketchAddIsDDSketchAdd(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	vals := []float64{0, math.Copysign(0, -1), minIndexable / 2, minIndexable, maxIndexable, maxIndexable * 2,
		math.NaN(), math.Inf(1), math.Inf(-1), -minIndexable / 2, -5e300}
	for range 20000 {
		v := math.Exp(r.NormFloat64() * 10)
		if r.IntN(4) == 0 {
			v = -v
		}
		vals = append(vals, v)
	}
	var c, merged CellSketch
	ref := newSketch()
	for i, v := range vals {
		c.add(v)
		_ = ref.Add(v) // errors for the unindexable: the sketch skips them
		if i == len(vals)/2 {
			// A sketch that came from a merge (its store not yet looked up) takes the rest.
			require.NoError(t, merged.Merge(&c))
			c = merged
		}
	}
	var got, want []byte
	c.Sketch.Encode(&got, true)
	ref.Encode(&want, true)
	assert.Equal(t, want, got)
	assert.Equal(t, ref.GetCount(), c.Sketch.GetCount())
}
