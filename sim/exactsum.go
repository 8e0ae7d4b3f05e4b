package sim

import "math"

// ExactSum accumulates float64 values without rounding error, so that its
// result is the same whatever order the values came in — what makes means
// independent of how a batch was split over workers and shards. It keeps a
// nonoverlapping expansion of partial sums (Shewchuk, "Adaptive precision
// floating-point arithmetic and fast robust geometric predicates", Discrete
// Comput. Geom. 18, 1997) and rounds once, correctly, at the end (the
// method of Python's math.fsum).
type ExactSum struct {
	partials []float64
	special  float64 // sum of infinities and NaNs, which expansions cannot hold
}

// Add adds x exactly.
func (s *ExactSum) Add(x float64) {
	if math.IsInf(x, 0) || math.IsNaN(x) {
		s.special += x
		return
	}
	i := 0
	for _, y := range s.partials {
		if math.Abs(x) < math.Abs(y) {
			x, y = y, x
		}
		hi := x + y
		lo := y - (hi - x)
		if lo != 0 {
			s.partials[i] = lo
			i++
		}
		x = hi
	}
	s.partials = append(s.partials[:i], x)
}

// Merge adds every value o has accumulated.
func (s *ExactSum) Merge(o *ExactSum) {
	for _, p := range o.partials {
		s.Add(p)
	}
	s.special += o.special
}

// Value returns the correctly rounded sum.
func (s *ExactSum) Value() float64 {
	if s.special != 0 || math.IsNaN(s.special) {
		return s.special
	}
	n := len(s.partials)
	if n == 0 {
		return 0
	}
	hi := s.partials[n-1]
	lo := 0.0
	i := n - 1
	for i > 0 {
		x := hi
		y := s.partials[i-1]
		i--
		hi = x + y
		yr := hi - x
		lo = y - yr
		if lo != 0 {
			break
		}
	}
	// Round half-even across the remaining partials, as fsum does.
	if i > 0 && ((lo < 0 && s.partials[i-1] < 0) || (lo > 0 && s.partials[i-1] > 0)) {
		y := lo * 2
		x := hi + y
		if y == x-hi {
			hi = x
		}
	}
	return hi
}

// Partials returns the expansion, for serialising: the canonical one of
// the sum, so that equal sums serialise alike whatever order their values
// came in (a shard's state file is then the same bytes whatever the
// number of workers). Many expansions hold the same sum; the canonical one
// is the greedy one, from the top: the correctly rounded sum, then the
// correctly rounded rest, and so on, in increasing magnitude as Add keeps
// them.
func (s *ExactSum) Partials() (partials []float64, special float64) {
	rest := ExactSum{partials: append([]float64(nil), s.partials...)}
	for {
		v := rest.Value()
		if v == 0 {
			break // a nonzero sum of float64s is at least 2^-1074: it rounds to a nonzero
		}
		partials = append(partials, v)
		rest.Add(-v)
	}
	for i, j := 0, len(partials)-1; i < j; i, j = i+1, j-1 {
		partials[i], partials[j] = partials[j], partials[i]
	}
	return partials, s.special
}

// SetPartials restores an expansion saved with Partials.
func (s *ExactSum) SetPartials(partials []float64, special float64) {
	s.partials = append(s.partials[:0], partials...)
	s.special = special
}
