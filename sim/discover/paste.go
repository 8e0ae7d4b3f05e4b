package discover

import (
	"math"
	"slices"

	"gonum.org/v1/gonum/stat/distuv"
)

// outside is what a row's place relative to a box says: inside, outside
// on one restricted dimension only (its index), or outside on several.
const (
	inside  = -1
	several = -2
)

// place returns where row i lies relative to the restrictions res of lim.
func (s *search) place(i int, lim []Limit, res []int) int {
	where := inside
	for _, j := range res {
		if v := s.d.X[j][i]; v < lim[j].Lo || v > lim[j].Hi {
			if where != inside {
				return several
			}
			where = j
		}
	}
	return where
}

// count returns the rows in lim and the cases of interest among them.
func (s *search) count(lim []Limit) (n, k int) {
	res := s.box(lim, 0, 0).Restricted
	for i := range s.y {
		if s.place(i, lim, res) == inside {
			n++
			if s.y[i] {
				k++
			}
		}
	}
	return n, k
}

// paste widens lim, one restricted limit at a time, while that raises the
// box's density (Friedman and Fisher 1999, §8): each paste takes in the
// share PasteAlpha of the rows just beyond one limit that lie within every
// other.
func (s *search) paste(lim []Limit) []Limit {
	places := make([]int, s.res.Rows)
	for {
		res := s.box(lim, 0, 0).Restricted
		n, k := 0, 0
		for i := range places {
			places[i] = s.place(i, lim, res)
			if places[i] == inside {
				n++
				if s.y[i] {
					k++
				}
			}
		}
		var best move
		found := false
		for _, j := range res {
			for _, m := range s.pastes(places, lim, j) {
				m.n, m.k = n+m.n, k+m.k
				m.obj = lenient1(n, k, m.n, m.k)
				m.res = s.restrictedAfter(lim, j, m.lim)
				if !found || better(m, best) {
					best, found = m, true
				}
			}
		}
		if !found || best.obj <= 0 {
			return lim
		}
		lim[best.j] = best.lim
	}
}

// pastes returns the two pastes of restricted dimension j (lower first),
// with the rows and cases of interest each adds.
func (s *search) pastes(places []int, lim []Limit, j int) []move {
	col := s.d.X[j]
	var out []move
	for _, lower := range []bool{true, false} {
		v := s.scratch[:0]
		for i, p := range places {
			if p == j && (col[i] < lim[j].Lo) == lower {
				v = append(v, col[i])
			}
		}
		if len(v) == 0 {
			continue
		}
		l := lim[j]
		if lower {
			l.Lo = pasteCut(v, 1-s.cfg.PasteAlpha, s.res.Prior[j].Lo)
		} else {
			l.Hi = pasteCut(v, s.cfg.PasteAlpha, s.res.Prior[j].Hi)
		}
		add, addK := 0, 0
		for i, p := range places {
			if p == j && col[i] >= l.Lo && col[i] <= l.Hi {
				add++
				if s.y[i] {
					addK++
				}
			}
		}
		out = append(out, move{j: j, lim: l, n: add, k: addK})
	}
	return out
}

// pasteCut returns the new limit of a paste over the values v beyond it:
// midway between their q quantile a and the next distinct value further
// out, so that the share of v nearest the box comes in (q = 1-alpha below
// the box, alpha above it); the prior's end when no value lies beyond a.
func pasteCut(v []float64, q, prior float64) float64 {
	m := len(v)
	var a float64
	if q > 0.5 {
		a = selectKth(v, int(math.Ceil(float64(m-1)*q)))
	} else {
		a = selectKth(v, int(math.Floor(float64(m-1)*q)))
	}
	next, found := 0.0, false
	for _, x := range v {
		beyond := x < a
		if q < 0.5 {
			beyond = x > a
		}
		if beyond && (!found || math.Abs(x-a) < math.Abs(next-a)) {
			next, found = x, true
		}
	}
	if !found {
		return prior
	}
	return (a + next) / 2
}

// prune computes each restriction's quasi-p-value and drops, one at a time,
// the least significant while it is at least the significance level; it
// returns the box left, the p-values of its restrictions (NaN elsewhere)
// and the dimensions dropped.
func (s *search) prune(lim []Limit) (Box, []float64, []int) {
	var dropped []int
	for {
		n, k := s.count(lim)
		b := s.box(lim, n, k)
		pv := make([]float64, len(lim))
		for j := range pv {
			pv[j] = math.NaN()
		}
		worst := -1
		for _, j := range b.Restricted {
			pv[j] = s.quasiP(lim, j, n, k)
			if worst < 0 || pv[j] > pv[worst] {
				worst = j
			}
		}
		if worst < 0 || pv[worst] < s.cfg.Significance {
			return b, pv, dropped
		}
		lim = slices.Clone(lim)
		lim[worst] = s.res.Prior[worst]
		dropped = append(dropped, worst)
	}
}

// quasiP is the quasi-p-value of restriction j of the box lim holding n
// rows, k of interest (Bryant and Lempert 2010, §3.3; the EMA Workbench's
// one-sided binomial test): the chance of k or more cases of interest among
// n rows drawn from the box without that restriction, whose share of cases
// is p. A small value says the restriction picks out cases of interest
// beyond what chance would.
func (s *search) quasiP(lim []Limit, j, n, k int) float64 {
	wide := slices.Clone(lim)
	wide[j] = s.res.Prior[j]
	nj, kj := s.count(wide)
	if nj == 0 || n == 0 {
		return 1
	}
	p := float64(kj) / float64(nj)
	switch {
	case p >= 1:
		return 1
	case p <= 0:
		if k > 0 {
			return 0
		}
		return 1
	}
	// Repeated rows count once (Result.Effective): the counts are scaled
	// to the effective number of independent rows.
	if f := s.res.Effective / float64(s.res.Rows); f < 1 {
		n, k = max(1, int(math.Round(float64(n)*f))), int(math.Round(float64(k)*f))
		if k == 0 {
			return 1
		}
	}
	// Src is unused: only the distribution function is asked for.
	return distuv.Binomial{N: float64(n), P: p}.Survival(float64(k - 1))
}
