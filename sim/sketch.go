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

var sketchMapping = func() mapping.IndexMapping {
	// The cubically interpolated mapping keeps the accuracy guarantee
	// without a logarithm per value (about twice as fast to add).
	m, err := mapping.NewCubicallyInterpolatedMapping(SketchAccuracy)
	if err != nil {
		panic(err)
	}
	return m
}()

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
	// The sketch holds finite values; the exact sums still see the rest.
	if !math.IsNaN(v) && !math.IsInf(v, 0) {
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

// DecodeCellSketch reads a state written by Encode, returning the rest of b.
func DecodeCellSketch(b []byte) (*CellSketch, []byte, error) {
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
	for _, e := range []*ExactSum{&c.Sum, &c.SumSq} {
		n := rd()
		if err != nil || n < 0 || n > 64 {
			return nil, nil, fmt.Errorf("sim: bad sketch state")
		}
		ps := make([]float64, n)
		for i := range ps {
			ps[i] = rf()
		}
		e.SetPartials(ps, rf())
	}
	n := rd()
	if err != nil || n < 0 || int64(len(b)) < n {
		return nil, nil, fmt.Errorf("sim: bad sketch state")
	}
	if n > 0 {
		sk, err := ddsketch.DecodeDDSketch(b[:n], store.DenseStoreConstructor, sketchMapping)
		if err != nil {
			return nil, nil, fmt.Errorf("sim: bad sketch state: %w", err)
		}
		c.Sketch = sk
	}
	return c, b[n:], nil
}
