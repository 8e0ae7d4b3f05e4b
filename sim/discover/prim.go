package discover

import (
	"errors"
	"fmt"
	"github.com/chokepoint-sim/chokepoint/sim"
	"math"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"
)

// Config holds PRIM's settings; a zero field takes its default.
type Config struct {
	// PeelAlpha is the share of the box's points one peel removes, taken
	// at a quantile of one dimension (default 0.05, the EMA Workbench's).
	PeelAlpha float64
	// PasteAlpha is the share of the candidates beside the box one paste
	// adds (default 0.05).
	PasteAlpha float64
	// MassMin is the least share of all points a box may hold (default
	// 0.05): peeling stops before a box smaller than it.
	MassMin float64
	// Significance is the level above which a restriction's quasi-p-value
	// drops it from the chosen box (default 0.05).
	Significance float64
}

func (c Config) withDefaults() Config {
	def := func(v *float64, d float64) {
		if *v == 0 {
			*v = d
		}
	}
	def(&c.PeelAlpha, 0.05)
	def(&c.PasteAlpha, 0.05)
	def(&c.MassMin, 0.05)
	def(&c.Significance, 0.05)
	return c
}

// Data is the table PRIM searches: column j of X holds dimension j's value
// in every row, and Y says whether each row is a case of interest.
type Data struct {
	Names []string
	X     [][]float64 // X[j][i]: dimension j of row i
	Y     []bool
}

// Limit bounds one dimension of a box: a row is inside when Lo <= x <= Hi.
type Limit struct{ Lo, Hi float64 }

// Box is a box with what it holds.
type Box struct {
	Limits []Limit // one per dimension
	// N rows lie in the box, K of them cases of interest.
	N, K int
	// Coverage is the share of all cases of interest in the box, Density
	// the share of the box's rows that are cases of interest, Mass the
	// share of all rows in the box.
	Coverage, Density, Mass float64
	// Restricted lists the dimensions whose limits are narrower than the
	// data's range, in order.
	Restricted []int
}

// Result is what Find found.
type Result struct {
	Rows, Interest int     // all rows, and the cases of interest among them
	Prior          []Limit // each dimension's range in the data
	// Trajectory is the peeling trajectory: the whole data first, then
	// the box after each peel.
	Trajectory []Box
	// Chosen is the step of the trajectory chosen: the one with the best
	// balance of coverage and density, their harmonic mean (the F1 score of
	// information retrieval, coverage being recall and density precision);
	// the earliest step wins ties. Density alone keeps rising as peeling
	// chases label noise into ever smaller boxes; the harmonic mean stops
	// where peeling starts to cut into the cases of interest.
	Chosen int
	// Box is the chosen step with the restrictions whose quasi-p-value is
	// at least Config.Significance removed one by one, least significant
	// first, then pasted, then checked again the same way.
	Box Box
	// PValues[d] is the quasi-p-value of Box's restriction of dimension d,
	// NaN for an unrestricted dimension.
	PValues []float64
	// Dropped lists the dimensions removed as not significant, in order.
	Dropped []int
	// Effective is the number of independent rows the significance check
	// counts. It is Rows when no two rows of X are the same. Rows that
	// repeat one draw (a posterior ensemble resamples its draws) are a
	// cluster, worth n/deff rows with Kish's design effect deff = 1 +
	// (m̃ − 1)ρ, ρ the intraclass correlation of Y within clusters
	// (sim.EffectiveSize): repeats whose Y never differs count once, so
	// they cannot make a restriction look significant, while repeats whose
	// Y differs (the model draws events per run) count as the new
	// evidence they are.
	Effective float64
}

// Find runs PRIM on d: peeling from the whole data to the least mass,
// the choice of a step, pasting, and the significance check.
func Find(d *Data, cfg Config) (*Result, error) {
	cfg = cfg.withDefaults()
	if err := d.check(); err != nil {
		return nil, err
	}
	s := newSearch(d, cfg)
	s.peel()
	s.res.Chosen = chooseStep(s.res.Trajectory)
	// Restrictions that peeling added by chance are dropped before pasting,
	// so that they do not hold back a paste, and again after it.
	first, _, dropped := s.prune(slices.Clone(s.res.Trajectory[s.res.Chosen].Limits))
	var again []int
	s.res.Box, s.res.PValues, again = s.prune(s.paste(first.Limits))
	s.res.Dropped = append(dropped, again...)
	return s.res, nil
}

func (d *Data) check() error {
	if len(d.X) == 0 {
		return errors.New("discover: no dimension")
	}
	if len(d.Names) != len(d.X) {
		return fmt.Errorf("discover: %d names for %d dimensions", len(d.Names), len(d.X))
	}
	for j, col := range d.X {
		if len(col) != len(d.Y) {
			return fmt.Errorf("discover: dimension %s has %d rows, Y %d", d.Names[j], len(col), len(d.Y))
		}
		for i, v := range col {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				return fmt.Errorf("discover: dimension %s, row %d: %v is not a finite number", d.Names[j], i, v)
			}
		}
	}
	if len(d.Y) == 0 {
		return errors.New("discover: no rows")
	}
	return nil
}

// search is PRIM under way.
type search struct {
	d       *Data
	cfg     Config
	res     *Result
	y       []bool
	scratch []float64
}

func newSearch(d *Data, cfg Config) *search {
	s := &search{d: d, cfg: cfg, y: d.Y, res: &Result{Rows: len(d.Y)}}
	for _, v := range d.Y {
		if v {
			s.res.Interest++
		}
	}
	s.res.Prior = make([]Limit, len(d.X))
	for j, col := range d.X {
		lo, hi := col[0], col[0]
		for _, v := range col {
			lo, hi = math.Min(lo, v), math.Max(hi, v)
		}
		s.res.Prior[j] = Limit{lo, hi}
	}
	s.scratch = make([]float64, len(d.Y))
	s.res.Effective = effectiveRows(d.X, d.Y)
	return s
}

// effectiveRows is the number of independent rows the significance
// check counts: rows with identical values of x are repeats of one draw,
// worth as much as the repeats of y allow (sim.EffectiveSize: Kish's
// design effect with the intraclass correlation of y within the repeats).
func effectiveRows(x [][]float64, y []bool) float64 {
	keys := make([]uint64, len(y))
	yf := make([]float64, len(y))
	for i := range keys {
		keys[i] = sim.RowKey(len(x), func(j int) float64 { return x[j][i] })
		if y[i] {
			yf[i] = 1
		}
	}
	return sim.EffectiveSize(keys, yf)
}

// box fills in what the rows idx inside limits lim hold.
func (s *search) box(lim []Limit, n, k int) Box {
	b := Box{Limits: lim, N: n, K: k, Mass: float64(n) / float64(s.res.Rows)}
	if s.res.Interest > 0 {
		b.Coverage = float64(k) / float64(s.res.Interest)
	}
	if n > 0 {
		b.Density = float64(k) / float64(n)
	}
	for j, l := range lim {
		if l.Lo > s.res.Prior[j].Lo || l.Hi < s.res.Prior[j].Hi {
			b.Restricted = append(b.Restricted, j)
		}
	}
	return b
}

// lenient1 is the EMA Workbench's default objective: the gain in density
// per row the box loses or gains.
func lenient1(nOld, kOld, nNew, kNew int) float64 {
	if nNew == 0 || nNew == nOld {
		return math.Inf(-1)
	}
	gain := float64(kNew)/float64(nNew) - float64(kOld)/float64(nOld)
	return gain / math.Abs(float64(nOld-nNew))
}

// move is one candidate peel or paste: dimension j's limit set to lim,
// leaving n rows in the box, k of interest.
type move struct {
	j    int
	lim  Limit
	n, k int
	obj  float64
	res  int // restricted dimensions after the move
}

// better reports whether a is a better move than b: the higher objective,
// then fewer restricted dimensions; the earlier candidate wins ties.
func better(a, b move) bool {
	if a.obj != b.obj {
		return a.obj > b.obj
	}
	return a.res < b.res
}

// restrictedAfter counts the restricted dimensions of lim with dimension
// j's limit replaced by l.
func (s *search) restrictedAfter(lim []Limit, j int, l Limit) int {
	n := 0
	for i, x := range lim {
		if i == j {
			x = l
		}
		if x.Lo > s.res.Prior[i].Lo || x.Hi < s.res.Prior[i].Hi {
			n++
		}
	}
	return n
}

// peel peels the whole data down to the least mass, recording each step.
// Each dimension keeps the rows of the box in ascending order of its values
// (ties by row), so that a quantile is a position and a peel's rows a
// prefix or suffix.
func (s *search) peel() {
	order := s.sortedColumns()
	in := make([]bool, s.res.Rows)
	k := 0
	for i := range in {
		in[i] = true
		if s.y[i] {
			k++
		}
	}
	n := s.res.Rows
	lim := slices.Clone(s.res.Prior)
	s.res.Trajectory = append(s.res.Trajectory, s.box(slices.Clone(lim), n, k))
	minRows := s.cfg.MassMin * float64(s.res.Rows)
	for {
		best, ok := s.bestPeel(order, lim, n, k)
		if !ok || best.obj <= 0 || float64(best.n) < minRows {
			return
		}
		col := s.d.X[best.j]
		for _, i := range order[best.j] {
			if v := col[i]; v < best.lim.Lo || v > best.lim.Hi {
				in[i] = false
			}
		}
		for j, o := range order {
			order[j] = slices.DeleteFunc(o, func(i int32) bool { return !in[i] })
		}
		n, k = best.n, best.k
		lim[best.j] = best.lim
		s.res.Trajectory = append(s.res.Trajectory, s.box(slices.Clone(lim), n, k))
	}
}

// sortedColumns returns, for each dimension, the rows in ascending order
// of its values, ties by row; the dimensions are sorted in parallel (the
// order does not depend on how).
func (s *search) sortedColumns() [][]int32 {
	order := make([][]int32, len(s.d.X))
	var wg sync.WaitGroup
	next := atomic.Int64{}
	for w := 0; w < runtime.GOMAXPROCS(0); w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var r radix
			for j := int(next.Add(1) - 1); j < len(order); j = int(next.Add(1) - 1) {
				order[j] = r.sort(s.d.X[j])
			}
		}()
	}
	wg.Wait()
	return order
}

// radix sorts a column's rows by value with a least-significant-digit radix
// sort on the values' bits made to order as unsigned integers; being
// stable, it leaves equal values in row order. It is several times faster
// than a comparison sort on the columns PRIM sorts (100,000 rows).
type radix struct {
	keys, keys2 []uint64
	rows2       []int32
}

func (r *radix) sort(col []float64) []int32 {
	n := len(col)
	r.keys, r.keys2 = slices.Grow(r.keys[:0], n)[:n], slices.Grow(r.keys2[:0], n)[:n]
	r.rows2 = slices.Grow(r.rows2[:0], n)[:n]
	rows := make([]int32, n)
	for i, v := range col {
		b := math.Float64bits(v + 0) // +0 folds -0 into 0
		if b>>63 == 1 {
			b = ^b
		} else {
			b |= 1 << 63
		}
		r.keys[i], rows[i] = b, int32(i)
	}
	keys, keys2, rows2 := r.keys, r.keys2, r.rows2
	var count [1 << 16]int
	for shift := uint(0); shift < 64; shift += 16 {
		clear(count[:])
		for _, k := range keys {
			count[(k>>shift)&0xFFFF]++
		}
		sum := 0
		for d, c := range count {
			count[d] = sum
			sum += c
		}
		for i, k := range keys {
			d := (k >> shift) & 0xFFFF
			keys2[count[d]], rows2[count[d]] = k, rows[i]
			count[d]++
		}
		keys, keys2, rows, rows2 = keys2, keys, rows2, rows
	}
	// four passes: the result is back in the slices it started in
	r.rows2 = rows2
	return rows
}

// bestPeel returns the best peel of the box whose rows, in each
// dimension's order, are order.
func (s *search) bestPeel(order [][]int32, lim []Limit, n, k int) (move, bool) {
	var best move
	found := false
	for j := range s.d.X {
		for _, m := range s.peels(order[j], lim, k, j) {
			m.obj = lenient1(n, k, m.n, m.k)
			m.res = s.restrictedAfter(lim, j, m.lim)
			if !found || better(m, best) {
				best, found = m, true
			}
		}
	}
	return best, found
}

// peels returns the two peels of dimension j (lower first), from the box's
// rows in ascending order of j: each removes the rows at or beyond a
// quantile of the box's values, the cut falling midway between that value
// and the next distinct one inward, as the EMA Workbench's get_quantile
// does, so that ties (a switch's levels) are removed whole or not at all.
func (s *search) peels(rows []int32, lim []Limit, k, j int) []move {
	n := len(rows)
	if n < 2 {
		return nil
	}
	col := s.d.X[j]
	alpha := s.cfg.PeelAlpha
	var out []move
	// lower: remove every row with a value <= the alpha quantile a
	kLo := int(math.Floor(float64(n-1) * alpha))
	a := col[rows[kLo]]
	p := kLo + 1
	for p < n && col[rows[p]] == a {
		p++
	}
	if p < n {
		out = append(out, move{j: j, lim: Limit{(a + col[rows[p]]) / 2, lim[j].Hi}, n: n - p, k: k - s.positives(rows[:p])})
	}
	// upper: remove every row with a value >= the (1 - alpha) quantile b
	kHi := int(math.Ceil(float64(n-1) * (1 - alpha)))
	b := col[rows[kHi]]
	q := kHi - 1
	for q >= 0 && col[rows[q]] == b {
		q--
	}
	if q >= 0 {
		out = append(out, move{j: j, lim: Limit{lim[j].Lo, (b + col[rows[q]]) / 2}, n: q + 1, k: k - s.positives(rows[q+1:])})
	}
	return out
}

// positives counts the cases of interest among rows.
func (s *search) positives(rows []int32) int {
	c := 0
	for _, i := range rows {
		if s.y[i] {
			c++
		}
	}
	return c
}

// selectKth partially orders v so that v[k] is its k-th smallest value
// (from 0) and returns it (Hoare's selection, middle pivot, deterministic).
func selectKth(v []float64, k int) float64 {
	lo, hi := 0, len(v)-1
	for lo < hi {
		p := v[lo+(hi-lo)/2]
		i, j := lo, hi
		for i <= j {
			for v[i] < p {
				i++
			}
			for v[j] > p {
				j--
			}
			if i <= j {
				v[i], v[j] = v[j], v[i]
				i++
				j--
			}
		}
		switch {
		case k <= j:
			hi = j
		case k >= i:
			lo = i
		default:
			return v[k]
		}
	}
	return v[k]
}

// chooseStep returns the step with the highest harmonic mean of coverage
// and density (see Result.Chosen).
func chooseStep(traj []Box) int {
	best, bestF := 0, -1.0
	for s, b := range traj {
		f := 0.0
		if b.Coverage+b.Density > 0 {
			f = 2 * b.Coverage * b.Density / (b.Coverage + b.Density)
		}
		if f > bestF {
			best, bestF = s, f
		}
	}
	return best
}
