package sim

import (
	"bufio"
	"encoding/binary"
	"fmt"
	"io"
	"math"
	"slices"
)

// stateMagic starts a saved batch state (a shard's partial result).
const stateMagic = "chokepoint-state-v1\n"

// ScenarioKey identifies a scenario in a saved state: its name and the hash
// of its resolved content, which shards of one batch must share.
type ScenarioKey struct{ Name, Hash string }

// SavedState is a batch state read back from disk: the result and the
// scenario keys it was computed for. Scenario pointers in the result hold
// only Name and Hash until the caller restores them.
type SavedState struct {
	Result *Result
	Keys   []ScenarioKey
}

// WriteState saves r — a whole batch or one shard of it — so that MergeStates
// can join shards into exactly the result one machine would have computed.
func (r *Result) WriteState(w io.Writer) error {
	bw := bufio.NewWriterSize(w, 1<<20)
	var b []byte
	b = append(b, stateMagic...)
	for _, v := range []int64{int64(r.Runs), int64(r.Lo), int64(r.Hi), int64(r.Span.Start), int64(r.Span.End),
		int64(len(r.Registry.Params)), int64(len(r.Registry.Outputs)), int64(len(r.Scenarios)), int64(len(r.DiffSketches))} {
		b = appendInt(b, v)
	}
	b = binary.LittleEndian.AppendUint64(b, r.Seed)
	if r.Exact {
		b = append(b, 1)
	} else {
		b = append(b, 0)
	}
	for _, sr := range r.Scenarios {
		b = appendString(b, sr.Scenario.Name)
		b = appendString(b, sr.Scenario.Hash)
		b = appendInt(b, int64(len(sr.Scenario.Events)))
	}
	if _, err := bw.Write(b); err != nil {
		return err
	}
	if r.Exact {
		for _, sr := range r.Scenarios {
			for _, xs := range [][]float64{sr.Params, sr.Values, sr.Fired} {
				if err := writeFloats(bw, xs); err != nil {
					return err
				}
			}
		}
	} else {
		for _, group := range [][][]CellSketch{r.Sketches, r.DiffSketches} {
			for _, cells := range group {
				for c := range cells {
					b = cells[c].Encode(b[:0])
					if _, err := bw.Write(appendInt(nil, int64(len(b)))); err != nil {
						return err
					}
					if _, err := bw.Write(b); err != nil {
						return err
					}
				}
			}
		}
	}
	return bw.Flush()
}

func appendString(b []byte, s string) []byte {
	b = appendInt(b, int64(len(s)))
	return append(b, s...)
}

func writeFloats(w io.Writer, xs []float64) error {
	buf := make([]byte, 0, 8*min(len(xs), 1<<16))
	for i, x := range xs {
		buf = binary.LittleEndian.AppendUint64(buf, math.Float64bits(x))
		if len(buf) == cap(buf) || i == len(xs)-1 {
			if _, err := w.Write(buf); err != nil {
				return err
			}
			buf = buf[:0]
		}
	}
	return nil
}

// ReadState reads a state written by WriteState for a model with registry
// reg.
func ReadState(r io.Reader, reg *Registry) (*SavedState, error) {
	br := bufio.NewReaderSize(r, 1<<20)
	magic := make([]byte, len(stateMagic))
	if _, err := io.ReadFull(br, magic); err != nil || string(magic) != stateMagic {
		return nil, fmt.Errorf("not a chokepoint state file")
	}
	bad := func(what string) error { return fmt.Errorf("corrupt state file (%s)", what) }
	var err error
	varint := func() int64 {
		if err != nil {
			return 0
		}
		var v int64
		v, err = binary.ReadVarint(br)
		return v
	}
	h := make([]int64, 9)
	for i := range h {
		h[i] = varint()
	}
	if err != nil {
		return nil, bad("header")
	}
	runs, lo, hi, start, end, P, O, S, D := h[0], h[1], h[2], h[3], h[4], h[5], h[6], h[7], h[8]
	if int(P) != len(reg.Params) || int(O) != len(reg.Outputs) {
		return nil, fmt.Errorf("state file was written by a model with %d parameters and %d outputs, this one has %d and %d",
			P, O, len(reg.Params), len(reg.Outputs))
	}
	if runs < 1 || lo < 0 || hi < lo || hi > runs || end < start || end-start > 4000 || S < 1 || S > 1000 || D < 0 || D >= S {
		return nil, bad("header values")
	}
	var seedb [9]byte
	if _, err := io.ReadFull(br, seedb[:]); err != nil {
		return nil, bad("seed")
	}
	res := &Result{Registry: reg, Runs: int(runs), Lo: int(lo), Hi: int(hi),
		Span: Span{Period(start), Period(end)}, Seed: binary.LittleEndian.Uint64(seedb[:8]), Exact: seedb[8] == 1}
	str := func() string {
		n := varint()
		if err != nil || n < 0 || n > 1<<16 {
			err = bad("name")
			return ""
		}
		b := make([]byte, n)
		if _, e := io.ReadFull(br, b); e != nil {
			err = bad("name")
		}
		return string(b)
	}
	st := &SavedState{Result: res}
	events := make([]int, S)
	for s := range events {
		k := ScenarioKey{Name: str(), Hash: str()}
		events[s] = int(varint())
		st.Keys = append(st.Keys, k)
		res.Scenarios = append(res.Scenarios, &ScenarioResult{Scenario: &Scenario{Name: k.Name, Hash: k.Hash}})
	}
	if err != nil {
		return nil, err
	}
	n, C := res.N(), res.Cells()
	if res.Exact {
		for s, sr := range res.Scenarios {
			if events[s] < 0 || events[s] > 1<<16 {
				return nil, bad("events")
			}
			sizes := []int{n * int(P), n * C, n * events[s]}
			for k, dst := range []*[]float64{&sr.Params, &sr.Values, &sr.Fired} {
				size := sizes[k]
				xs := make([]float64, size)
				buf := make([]byte, 8*min(size, 1<<16))
				for i := 0; i < size; {
					m := min(size-i, len(buf)/8)
					if _, err := io.ReadFull(br, buf[:8*m]); err != nil {
						return nil, bad("values")
					}
					for j := 0; j < m; j++ {
						xs[i+j] = math.Float64frombits(binary.LittleEndian.Uint64(buf[8*j:]))
					}
					i += m
				}
				*dst = xs
			}
		}
	} else {
		read := func() ([]CellSketch, error) {
			cells := make([]CellSketch, C)
			for c := range cells {
				size := varint()
				if err != nil || size < 0 || size > 1<<26 {
					return nil, bad("sketch")
				}
				b := make([]byte, size)
				if _, e := io.ReadFull(br, b); e != nil {
					return nil, bad("sketch")
				}
				cs, rest, e := DecodeCellSketch(b)
				if e != nil || len(rest) != 0 {
					return nil, bad("sketch")
				}
				cells[c] = *cs
			}
			return cells, nil
		}
		for s := int64(0); s < S; s++ {
			cells, e := read()
			if e != nil {
				return nil, e
			}
			res.Sketches = append(res.Sketches, cells)
		}
		for d := int64(0); d < D; d++ {
			cells, e := read()
			if e != nil {
				return nil, e
			}
			res.DiffSketches = append(res.DiffSketches, cells)
		}
	}
	if _, e := br.ReadByte(); e != io.EOF {
		return nil, bad("trailing data")
	}
	return st, nil
}

// MergeStates joins shards of one batch into the result one machine would
// have computed. Shards may come in any order but must cover the batch's
// runs exactly once, and share its seed, span, scenarios and mode.
func MergeStates(states []*SavedState) (*Result, error) {
	if len(states) == 0 {
		return nil, fmt.Errorf("no shards to merge")
	}
	sorted := slices.Clone(states)
	slices.SortFunc(sorted, func(a, b *SavedState) int { return a.Result.Lo - b.Result.Lo })
	first := sorted[0].Result
	for _, st := range sorted[1:] {
		r := st.Result
		switch {
		case r.Runs != first.Runs:
			return nil, fmt.Errorf("shards disagree on the number of runs (%d and %d)", first.Runs, r.Runs)
		case r.Seed != first.Seed:
			return nil, fmt.Errorf("shards disagree on the seed (%d and %d)", first.Seed, r.Seed)
		case r.Span != first.Span:
			return nil, fmt.Errorf("shards disagree on the span")
		case r.Exact != first.Exact:
			return nil, fmt.Errorf("shards disagree on the aggregation mode")
		case !slices.Equal(st.Keys, sorted[0].Keys):
			return nil, fmt.Errorf("shards ran different scenarios (or different versions of them): %v and %v", sorted[0].Keys, st.Keys)
		case len(r.DiffSketches) != len(first.DiffSketches):
			return nil, fmt.Errorf("shards disagree on paired differences")
		}
	}
	at := 0
	for _, st := range sorted {
		r := st.Result
		if r.Lo != at {
			if r.Lo < at {
				return nil, fmt.Errorf("shards overlap: runs %d-%d are covered twice", r.Lo, at-1)
			}
			return nil, fmt.Errorf("runs %d-%d are missing: a shard is absent", at, r.Lo-1)
		}
		at = r.Hi
	}
	if at != first.Runs {
		return nil, fmt.Errorf("runs %d-%d are missing: a shard is absent", at, first.Runs-1)
	}
	out := &Result{Registry: first.Registry, Span: first.Span, Seed: first.Seed, Runs: first.Runs,
		Lo: 0, Hi: first.Runs, Exact: first.Exact}
	for s := range first.Scenarios {
		sr := &ScenarioResult{Scenario: first.Scenarios[s].Scenario}
		if first.Exact {
			for _, st := range sorted {
				o := st.Result.Scenarios[s]
				sr.Params = append(sr.Params, o.Params...)
				sr.Values = append(sr.Values, o.Values...)
				sr.Fired = append(sr.Fired, o.Fired...)
			}
		}
		out.Scenarios = append(out.Scenarios, sr)
	}
	if !first.Exact {
		C := first.Cells()
		merge := func(get func(*Result) [][]CellSketch) ([][]CellSketch, error) {
			var groups [][]CellSketch
			for g := range get(first) {
				cells := make([]CellSketch, C)
				for _, st := range sorted {
					src := get(st.Result)[g]
					for c := range cells {
						if err := cells[c].Merge(&src[c]); err != nil {
							return nil, err
						}
					}
				}
				groups = append(groups, cells)
			}
			return groups, nil
		}
		var err error
		if out.Sketches, err = merge(func(r *Result) [][]CellSketch { return r.Sketches }); err != nil {
			return nil, err
		}
		if out.DiffSketches, err = merge(func(r *Result) [][]CellSketch { return r.DiffSketches }); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// ShardRange returns the runs [lo, hi) that shard i of n covers in a batch
// of runs: whole chunks of consecutive runs, spread as evenly as possible,
// so that sums and sketches are the same however the batch is split.
func ShardRange(i, n, runs int) (lo, hi int) {
	chunks := (runs + ChunkRuns - 1) / ChunkRuns
	a, b := i*chunks/n, (i+1)*chunks/n
	return min(a*ChunkRuns, runs), min(b*ChunkRuns, runs)
}
