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
const stateMagic = "chokepoint-state-v2\n"

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
	} else if err := r.writeSketches(bw); err != nil {
		return err
	}
	return bw.Flush()
}

// writeSketches writes each cell's sketch, with its length before it.
func (r *Result) writeSketches(w io.Writer) error {
	var b []byte
	for _, group := range [][][]CellSketch{r.Sketches, r.DiffSketches, r.RatioSketches} {
		for _, cells := range group {
			for c := range cells {
				b = cells[c].Encode(b[:0])
				if _, err := w.Write(appendInt(nil, int64(len(b)))); err != nil {
					return err
				}
				if _, err := w.Write(b); err != nil {
					return err
				}
			}
		}
	}
	return nil
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

// Bounds on what a state file may claim, checked before anything is
// allocated from it. A shard never holds more than these: run takes at most
// a million runs and 400 quarters, and keeps every value only while runs ×
// scenarios × cells stay within ExactLimit.
const (
	maxStateRuns      = 1 << 30 // runs of a batch
	maxStateScenarios = 1000
	maxStateEvents    = 1 << 16 // events of one scenario
	maxStateSpan      = 4000    // quarters
	maxSketchBytes    = 1 << 26 // one cell's sketch
	// maxStateBins bounds the bins of all the dense sketch stores a state
	// file decodes into (8 bytes each: 512 MiB). A store's bins span the
	// indexes its values map to: a typical cell spans a few hundred, and no
	// store more than sketchLo to sketchHi (about 143,000).
	maxStateBins = 1 << 26
)

// corrupt reports a state file that breaks its format: bad input.
func corrupt(what string) error { return BadInputf("corrupt state file (%s)", what) }

// stateReader reads a state file, keeping the first error.
type stateReader struct {
	br   *bufio.Reader
	err  error
	bins int64 // dense sketch bins decoded so far
}

func (sr *stateReader) varint(what string) int64 {
	if sr.err != nil {
		return 0
	}
	v, err := binary.ReadVarint(sr.br)
	if err != nil {
		sr.err = corrupt(what)
	}
	return v
}

// bytes reads n bytes, growing the buffer as they arrive: a length the
// file does not hold allocates no more than the file does.
func (sr *stateReader) bytes(n int64, what string) []byte {
	if sr.err != nil {
		return nil
	}
	b, err := io.ReadAll(io.LimitReader(sr.br, n))
	if err != nil || int64(len(b)) != n {
		sr.err = corrupt(what)
	}
	return b
}

func (sr *stateReader) str(what string, limit int64) string {
	n := sr.varint(what)
	if sr.err == nil && (n < 0 || n > limit) {
		sr.err = corrupt(what)
	}
	return string(sr.bytes(n, what))
}

// floats reads size float64 values, growing the slice as they arrive.
func (sr *stateReader) floats(size int64) []float64 {
	xs := make([]float64, 0, min(size, 1<<16))
	var buf [8 << 10]byte
	for sr.err == nil && int64(len(xs)) < size {
		m := min(size-int64(len(xs)), int64(len(buf)/8))
		if _, err := io.ReadFull(sr.br, buf[:8*m]); err != nil {
			sr.err = corrupt("values")
			break
		}
		for j := int64(0); j < m; j++ {
			xs = append(xs, math.Float64frombits(binary.LittleEndian.Uint64(buf[8*j:])))
		}
	}
	return xs
}

// stateHead is the fixed part of a state file.
type stateHead struct {
	runs, lo, hi, start, end, P, O, S, D int64
}

func (h *stateHead) check(reg *Registry) error {
	if int(h.P) != len(reg.Params) || int(h.O) != len(reg.Outputs) {
		return BadInputf("state file was written by a model with %d parameters and %d outputs, this one has %d and %d",
			h.P, h.O, len(reg.Params), len(reg.Outputs))
	}
	first, last := int64(NewPeriod(minYear, 1)), int64(NewPeriod(maxYear, 4))
	switch {
	case h.runs < 1 || h.runs > maxStateRuns || h.lo < 0 || h.hi < h.lo || h.hi > h.runs:
		return corrupt("header: runs")
	case h.start < first || h.end > last || h.end < h.start || h.end-h.start >= maxStateSpan:
		return corrupt("header: periods")
	case h.S < 1 || h.S > maxStateScenarios || h.D < 0 || h.D >= h.S:
		return corrupt("header: scenarios")
	}
	return nil
}

// ReadState reads a state written by WriteState for a model with registry
// reg. Whatever the file holds, it allocates no more than the file's size
// (and the bounds above) warrant; every fault is an InputError.
func ReadState(r io.Reader, reg *Registry) (*SavedState, error) {
	sr := &stateReader{br: bufio.NewReaderSize(r, 1<<20)}
	magic := make([]byte, len(stateMagic))
	if _, err := io.ReadFull(sr.br, magic); err != nil || string(magic) != stateMagic {
		return nil, BadInputf("not a chokepoint state file")
	}
	var h stateHead
	for _, v := range []*int64{&h.runs, &h.lo, &h.hi, &h.start, &h.end, &h.P, &h.O, &h.S, &h.D} {
		*v = sr.varint("header")
	}
	if sr.err != nil {
		return nil, sr.err
	}
	if err := h.check(reg); err != nil {
		return nil, err
	}
	var seedb [9]byte
	if _, err := io.ReadFull(sr.br, seedb[:]); err != nil {
		return nil, corrupt("seed")
	}
	if seedb[8] > 1 {
		return nil, corrupt("aggregation mode")
	}
	res := &Result{Registry: reg, Runs: int(h.runs), Lo: int(h.lo), Hi: int(h.hi),
		Span: Span{Period(h.start), Period(h.end)}, Seed: binary.LittleEndian.Uint64(seedb[:8]), Exact: seedb[8] == 1}
	st, events, err := sr.keys(res, int(h.S))
	if err != nil {
		return nil, err
	}
	if res.Exact {
		err = sr.exact(res, events)
	} else {
		err = sr.sketches(res, int(h.S), int(h.D))
		if err == nil {
			err = sr.ratioSketches(res, int(h.D))
		}
	}
	if err != nil {
		return nil, err
	}
	if _, e := sr.br.ReadByte(); e != io.EOF {
		return nil, corrupt("trailing data")
	}
	return st, nil
}

// keys reads each scenario's name, hash and number of events. Names
// become file names, so they follow the scenario-id rule (CheckName).
func (sr *stateReader) keys(res *Result, S int) (*SavedState, []int64, error) {
	st := &SavedState{Result: res}
	events := make([]int64, S)
	seen := map[string]bool{}
	for s := range events {
		k := ScenarioKey{Name: sr.str("name", MaxNameLen), Hash: sr.str("hash", 64)}
		events[s] = sr.varint("events")
		if sr.err != nil {
			return nil, nil, sr.err
		}
		if err := CheckName(k.Name); err != nil || seen[k.Name] {
			return nil, nil, corrupt(fmt.Sprintf("scenario name %q", k.Name))
		}
		if !ValidHash(k.Hash) {
			return nil, nil, corrupt(fmt.Sprintf("scenario hash %q", k.Hash))
		}
		if events[s] < 0 || events[s] > maxStateEvents {
			return nil, nil, corrupt("events")
		}
		seen[k.Name] = true
		st.Keys = append(st.Keys, k)
		res.Scenarios = append(res.Scenarios, &ScenarioResult{Scenario: &Scenario{Name: k.Name, Hash: k.Hash}})
	}
	return st, events, nil
}

// exact reads every run's parameters, values and event flags. A batch
// keeps them only while runs × scenarios × cells stay within ExactLimit,
// and the flags of at most maxStateEvents events.
func (sr *stateReader) exact(res *Result, events []int64) error {
	n, P, C, S := int64(res.N()), int64(len(res.Registry.Params)), int64(res.Cells()), int64(len(res.Scenarios))
	if int64(res.Runs)*S*C > ExactLimit {
		return corrupt("header: too many values for exact mode")
	}
	for s, sc := range res.Scenarios {
		sc.Params = sr.floats(n * P)
		sc.Values = sr.floats(n * C)
		sc.Fired = sr.floats(n * events[s])
	}
	return sr.err
}

// ratioSketches reads the D ratio groups after the differences': their
// cells count at most the runs (ratioOf).
func (sr *stateReader) ratioSketches(res *Result, D int) error {
	for g := 0; g < D; g++ {
		cells, err := sr.group(res, true)
		if err != nil {
			return err
		}
		res.RatioSketches = append(res.RatioSketches, cells)
	}
	return nil
}

// sketches reads each cell's sketch: S scenarios', then D differences'.
func (sr *stateReader) sketches(res *Result, S, D int) error {
	for g := 0; g < S+D; g++ {
		cells, err := sr.group(res, false)
		if err != nil {
			return err
		}
		if g < S {
			res.Sketches = append(res.Sketches, cells)
		} else {
			res.DiffSketches = append(res.DiffSketches, cells)
		}
	}
	return nil
}

// group reads one group's cells, each holding every run (or at most
// every run: atMost).
func (sr *stateReader) group(res *Result, atMost bool) ([]CellSketch, error) {
	C, n := res.Cells(), int64(res.N())
	cells := make([]CellSketch, 0, min(C, 1<<10)) // grown as cells arrive
	for c := 0; c < C; c++ {
		size := sr.varint("sketch")
		if sr.err == nil && (size < 0 || size > maxSketchBytes) {
			return nil, corrupt("sketch size")
		}
		b := sr.bytes(size, "sketch")
		if sr.err != nil {
			return nil, sr.err
		}
		cs, rest, err := decodeCellSketch(b, n, atMost, &sr.bins)
		if err != nil || len(rest) != 0 {
			return nil, corrupt(fmt.Sprintf("sketch of cell %d", c))
		}
		cells = append(cells, *cs)
	}
	return cells, nil
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
	if err := checkShards(sorted); err != nil {
		return nil, err
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
		var err error
		if out.Sketches, err = mergeSketches(sorted, func(r *Result) [][]CellSketch { return r.Sketches }); err != nil {
			return nil, err
		}
		if out.DiffSketches, err = mergeSketches(sorted, func(r *Result) [][]CellSketch { return r.DiffSketches }); err != nil {
			return nil, err
		}
		if out.RatioSketches, err = mergeSketches(sorted, func(r *Result) [][]CellSketch { return r.RatioSketches }); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// mergeSketches merges the cells of each group get returns, shard by shard.
func mergeSketches(sorted []*SavedState, get func(*Result) [][]CellSketch) ([][]CellSketch, error) {
	first := sorted[0].Result
	C := first.Cells()
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

// checkShards checks that shards, sorted by their first run, are parts of
// one batch that cover its runs exactly once.
func checkShards(sorted []*SavedState) error {
	first := sorted[0].Result
	for _, st := range sorted[1:] {
		r := st.Result
		switch {
		case r.Runs != first.Runs:
			return fmt.Errorf("shards disagree on the number of runs (%d and %d)", first.Runs, r.Runs)
		case r.Seed != first.Seed:
			return fmt.Errorf("shards disagree on the seed (%d and %d)", first.Seed, r.Seed)
		case r.Span != first.Span:
			return fmt.Errorf("shards disagree on the span")
		case r.Exact != first.Exact:
			return fmt.Errorf("shards disagree on the aggregation mode")
		case !slices.Equal(st.Keys, sorted[0].Keys):
			return fmt.Errorf("shards ran different scenarios (or different versions of them): %v and %v", sorted[0].Keys, st.Keys)
		case len(r.DiffSketches) != len(first.DiffSketches):
			return fmt.Errorf("shards disagree on paired differences")
		}
	}
	at := 0
	for _, st := range sorted {
		r := st.Result
		if r.Lo != at {
			if r.Lo < at {
				return fmt.Errorf("shards overlap: runs %d-%d are covered twice", r.Lo, at-1)
			}
			return fmt.Errorf("runs %d-%d are missing: a shard is absent", at, r.Lo-1)
		}
		at = r.Hi
	}
	if at != first.Runs {
		return fmt.Errorf("runs %d-%d are missing: a shard is absent", at, first.Runs-1)
	}
	return nil
}

// ShardRange returns the runs [lo, hi) that shard i of n covers in a batch
// of runs: whole chunks of consecutive runs, spread as evenly as possible,
// so that sums and sketches are the same however the batch is split.
func ShardRange(i, n, runs int) (lo, hi int) {
	chunks := (runs + ChunkRuns - 1) / ChunkRuns
	a, b := i*chunks/n, (i+1)*chunks/n
	return min(a*ChunkRuns, runs), min(b*ChunkRuns, runs)
}
