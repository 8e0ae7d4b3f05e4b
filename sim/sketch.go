package sim

import (
	"fmt"
	"math"

	"github.com/DataDog/sketches-go/ddsketch"
	"github.com/DataDog/sketches-go/ddsketch/mapping"
	"github.com/DataDog/sketches-go/ddsketch/store"
)

// ExactLimit is how many values (runs × scenarios × cells) a batch keeps in
// memory to compute exact quantiles; above it, each cell is summarised by a
// mergeable quantile sketch and memory no longer grows with the runs. The
// choice depends only on the batch's size, never on how it is split.
const ExactLimit = 25_000_000

// SketchAccuracy is the relative accuracy of the sketch's quantiles: a
// returned quantile lies within 0.5% (relative) of a value whose rank is
// that of the quantile (DDSketch; Masson, Rim and Lee, "DDSketch: a fast
// and fully-mergeable quantile sketch with relative-error guarantees",
// VLDB 2019). Zero is kept exactly.
const SketchAccuracy = 0.005

// ChunkRuns is the unit of work and of summation: runs are summed in plain
// floating point within a chunk of this many consecutive run indices
// (aligned on multiples of it), and chunk totals are added exactly. Shards
// cover whole chunks, so every chunk's total is the same however a batch is
// split.
const ChunkRuns = 64

var cubicMapping = func() *mapping.CubicallyInterpolatedMapping {
	// The cubically interpolated mapping keeps the accuracy guarantee
	// without a logarithm per value (about twice as fast to add).
	m, err := mapping.NewCubicallyInterpolatedMapping(SketchAccuracy)
	if err != nil {
		panic(err)
	}
	return m
}()

var (
	sketchMapping mapping.IndexMapping = cubicMapping
	// The positive values the sketch indexes: add puts them straight
	// into the positive store, as DDSketch.Add would.
	minIndexable, maxIndexable = cubicMapping.MinIndexableValue(), cubicMapping.MaxIndexableValue()
)

func newSketch() *ddsketch.DDSketch {
	return ddsketch.NewDDSketch(sketchMapping, store.NewDenseStore(), store.NewDenseStore())
}

// CellSketch summarises one cell's values over runs in bounded memory.
type CellSketch struct {
	N          int64
	Sum, SumSq ExactSum
	Higher     int64 // values above zero (for paired differences)
	Sketch     *ddsketch.DDSketch
	// chunk partials, folded into Sum and SumSq at each chunk's end
	csum, csumsq float64
	pos          *store.DenseStore // Sketch's positive store, once add has looked
}

func (c *CellSketch) add(v float64) {
	c.N++
	c.csum += v
	c.csumsq += v * v
	if v > 0 {
		c.Higher++
	}
	if c.Sketch == nil {
		c.Sketch = newSketch()
	}
	if c.pos == nil {
		c.pos, _ = c.Sketch.GetPositiveValueStore().(*store.DenseStore)
	}
	// Most values are positive: they go to the positive store by the
	// concrete mapping, the steps of DDSketch.Add without its interface
	// calls (the sketches were a sixth of a large batch's time). The
	// sketch holds finite values; the exact sums still see the rest.
	switch {
	case v > minIndexable && v <= maxIndexable && c.pos != nil:
		c.pos.Add(cubicMapping.Index(v))
	case !math.IsNaN(v) && !math.IsInf(v, 0):
		_ = c.Sketch.Add(v)
	}
}

func (c *CellSketch) endChunk() {
	c.Sum.Add(c.csum)
	c.SumSq.Add(c.csumsq)
	c.csum, c.csumsq = 0, 0
}

// Merge adds o's runs into c; the result does not depend on merge order.
func (c *CellSketch) Merge(o *CellSketch) error {
	c.N += o.N
	c.Higher += o.Higher
	c.Sum.Merge(&o.Sum)
	c.SumSq.Merge(&o.SumSq)
	if o.Sketch == nil {
		return nil
	}
	if c.Sketch == nil {
		c.Sketch = newSketch()
	}
	return c.Sketch.MergeWith(o.Sketch)
}

// Stats returns the cell's summary: exact mean and sd, sketched quantiles.
func (c *CellSketch) Stats() Stats {
	s := Stats{N: int(c.N)}
	if c.N == 0 {
		s.Mean, s.SD = math.NaN(), math.NaN()
		for i := range s.Q {
			s.Q[i] = math.NaN()
		}
		return s
	}
	n := float64(c.N)
	sum := c.Sum.Value()
	s.Mean = sum / n
	if c.N > 1 {
		v := (c.SumSq.Value() - sum*sum/n) / (n - 1)
		s.SD = math.Sqrt(math.Max(0, v))
	}
	if c.Sketch == nil || c.Sketch.IsEmpty() {
		for i := range s.Q {
			s.Q[i] = math.NaN()
		}
		return s
	}
	for i, p := range Probs {
		q, err := c.Sketch.GetValueAtQuantile(p)
		if err != nil {
			q = math.NaN()
		}
		s.Q[i] = q
	}
	return s
}

// Encode appends c's state to b.
func (c *CellSketch) Encode(b []byte) []byte {
	b = appendInt(b, c.N)
	b = appendInt(b, c.Higher)
	for _, e := range []*ExactSum{&c.Sum, &c.SumSq} {
		ps, sp := e.Partials()
		b = appendInt(b, int64(len(ps)))
		for _, p := range ps {
			b = appendFloat(b, p)
		}
		b = appendFloat(b, sp)
	}
	var sk []byte
	if c.Sketch != nil {
		c.Sketch.Encode(&sk, true)
	}
	b = appendInt(b, int64(len(sk)))
	return append(b, sk...)
}

// sketchLo and sketchHi bound the bin indexes of a sketch: those a finite
// value can map to. Values nearer zero are counted as zero; larger ones
// are never added.
var (
	sketchLo = sketchMapping.Index(sketchMapping.MinIndexableValue())
	sketchHi = sketchMapping.Index(sketchMapping.MaxIndexableValue())
)

// decodeCellSketch reads a cell written by Encode, returning the rest of b.
// The cell must hold runs runs (every run adds one value to every cell),
// or at most runs when some are not counted (a ratio cell's: ratioOf);
// bins counts the dense bins decoded so far, within maxStateBins.
func decodeCellSketch(b []byte, runs int64, atMost bool, bins *int64) (*CellSketch, []byte, error) {
	bad := fmt.Errorf("sim: bad sketch state")
	c := &CellSketch{}
	var err error
	rd := func() int64 {
		var v int64
		if err == nil {
			v, b, err = readInt(b)
		}
		return v
	}
	rf := func() float64 {
		var v float64
		if err == nil {
			v, b, err = readFloat(b)
		}
		return v
	}
	c.N, c.Higher = rd(), rd()
	if err != nil || c.N > runs || (c.N != runs && !atMost) || c.N < 0 || c.Higher < 0 || c.Higher > c.N {
		return nil, nil, bad
	}
	for _, e := range []*ExactSum{&c.Sum, &c.SumSq} {
		n := rd()
		if err != nil || n < 0 || n > 64 {
			return nil, nil, bad
		}
		ps := make([]float64, n)
		for i := range ps {
			if ps[i] = rf(); math.IsNaN(ps[i]) || math.IsInf(ps[i], 0) {
				return nil, nil, bad // infinities and NaNs are kept apart, in special
			}
		}
		special := rf()
		if special != 0 && !math.IsNaN(special) && !math.IsInf(special, 0) {
			return nil, nil, bad
		}
		e.SetPartials(ps, special)
	}
	n := rd()
	if err != nil || n < 0 || int64(len(b)) < n {
		return nil, nil, bad
	}
	if n > 0 {
		if c.Sketch, err = decodeSketch(b[:n], c.N, bins); err != nil {
			return nil, nil, fmt.Errorf("sim: bad sketch state: %w", err)
		}
	}
	return c, b[n:], nil
}

// decodeSketch reads a DDSketch encoding into a sparse store first, which
// takes memory only for the bins the bytes hold, checks its bins and
// counts, and only then spreads it into the dense stores a cell uses.
func decodeSketch(b []byte, runs int64, bins *int64) (*ddsketch.DDSketch, error) {
	sparse, err := ddsketch.DecodeDDSketch(b, store.SparseStoreConstructor, sketchMapping)
	if err != nil {
		return nil, err
	}
	whole := func(x float64) bool { return x >= 0 && x <= float64(runs) && x == math.Trunc(x) }
	total := sparse.GetZeroCount()
	if !whole(total) {
		return nil, fmt.Errorf("zero count %v", total)
	}
	for _, st := range []store.Store{sparse.GetPositiveValueStore(), sparse.GetNegativeValueStore()} {
		if st.IsEmpty() {
			continue
		}
		lo, _ := st.MinIndex()
		hi, _ := st.MaxIndex()
		if lo < sketchLo || hi > sketchHi {
			return nil, fmt.Errorf("bins %d to %d outside %d to %d", lo, hi, sketchLo, sketchHi)
		}
		if *bins += int64(hi-lo) + 1; *bins > maxStateBins {
			return nil, fmt.Errorf("more than %d sketch bins in one state", maxStateBins)
		}
		ok := true
		st.ForEach(func(_ int, count float64) bool {
			total += count
			ok = whole(count) && whole(total)
			return !ok
		})
		if !ok {
			return nil, fmt.Errorf("bin counts are not whole numbers of at most %d runs in all", runs)
		}
	}
	sk := newSketch()
	if err := sk.MergeWith(sparse); err != nil {
		return nil, err
	}
	return sk, nil
}
