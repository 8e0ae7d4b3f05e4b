package sim

import (
	"context"
	"fmt"
	"math"
	"runtime"
	"sort"
	"sync"
	"sync/atomic"
)

// Batch is a Monte Carlo batch: every scenario runs the same run indices
// with the same parameter streams.
type Batch struct {
	Model     Model
	Scenarios []*Scenario
	// Span is the quarters simulated; all scenarios share it.
	Span Span
	// Runs is the number of runs in the whole batch; Lo and Hi select the
	// slice [Lo, Hi) of run indices this batch computes (a shard). Hi == 0
	// means Runs.
	Runs   int
	Lo, Hi int
	Seed   uint64
	// Workers is the number of goroutines; 0 means all cores.
	Workers int
	// Sampler turns (run, parameter) into a uniform; nil means plain Monte
	// Carlo from the seeded streams.
	Sampler Sampler
	// Progress, when set, is called now and then with the number of runs
	// done so far (from any goroutine, never concurrently).
	Progress func(done int)
	// Diffs asks for paired differences of every scenario against the
	// first; in sketch mode they must be summarised as the runs go.
	Diffs bool
	// ExactLimit overrides the package's ExactLimit when positive (tests).
	ExactLimit int64
	// Observe, when set, sees every run's drawn parameters and outputs
	// (laid out as in ScenarioResult) as soon as they are computed, from
	// any worker goroutine: for callers that need per-run values of a
	// batch too large to keep.
	Observe func(run, scenario int, params, values []float64)
}

// Result holds the raw outcome of a batch.
type Result struct {
	Registry *Registry
	Span     Span
	Seed     uint64
	Runs     int // the whole batch's run count
	Lo, Hi   int // the run indices held here
	// Scenarios, in the order given.
	Scenarios []*ScenarioResult
	// Exact is true when every run's values are held (Values, Params and
	// Fired are filled); otherwise each cell is summarised as the runs go
	// (Sketches, and DiffSketches when the batch asked for Diffs).
	Exact bool
	// Sketches[s][c] summarises cell c of scenario s in sketch mode.
	Sketches [][]CellSketch
	// DiffSketches[s-1][c] summarises scenario s minus scenario 0.
	DiffSketches [][]CellSketch
}

// ScenarioResult holds one scenario's runs, run-major.
type ScenarioResult struct {
	Scenario *Scenario
	// Params[r*P+p] is parameter p drawn in run Lo+r.
	Params []float64
	// Values[r*C+c] is cell c = o*T+t of run Lo+r.
	Values []float64
	// Fired[r*E+e] records whether event e happened in run Lo+r (1) or not
	// (0); events with a delay record 1 + the delay in quarters.
	Fired []float64
}

// Cells is the number of (output, period) cells of a run.
func (r *Result) Cells() int { return len(r.Registry.Outputs) * r.Span.Len() }

// N is the number of runs held.
func (r *Result) N() int { return r.Hi - r.Lo }

// Column copies the values of cell c over all held runs into dst.
func (s *ScenarioResult) Column(c, cells int, dst []float64) []float64 {
	n := len(s.Values) / cells
	dst = dst[:0]
	for r := 0; r < n; r++ {
		dst = append(dst, s.Values[r*cells+c])
	}
	return dst
}

// Run executes the batch. It stops early with ctx's error when ctx ends.
func (b *Batch) Run(ctx context.Context) (*Result, error) {
	reg := b.Model.Registry()
	hi := b.Hi
	if hi == 0 {
		hi = b.Runs
	}
	if b.Runs <= 0 || b.Lo < 0 || b.Lo > hi || hi > b.Runs {
		return nil, fmt.Errorf("sim: bad run range [%d, %d) of %d", b.Lo, hi, b.Runs)
	}
	if len(b.Scenarios) == 0 {
		return nil, fmt.Errorf("sim: no scenario to run")
	}
	T := b.Span.Len()
	if T <= 0 {
		return nil, fmt.Errorf("sim: empty span")
	}
	P, C := len(reg.Params), len(reg.Outputs)*T
	n := hi - b.Lo
	limit := int64(ExactLimit)
	if b.ExactLimit > 0 {
		limit = b.ExactLimit
	}
	res := &Result{Registry: reg, Span: b.Span, Seed: b.Seed, Runs: b.Runs, Lo: b.Lo, Hi: hi,
		Exact: int64(b.Runs)*int64(len(b.Scenarios))*int64(C) <= limit}
	if !res.Exact && b.Lo%ChunkRuns != 0 {
		return nil, fmt.Errorf("sim: a batch summarised by sketches must start on a multiple of %d runs, not %d", ChunkRuns, b.Lo)
	}
	plans := make([]*plan, len(b.Scenarios))
	for i, sc := range b.Scenarios {
		if len(sc.Params) != P {
			return nil, fmt.Errorf("sim: scenario %s has %d parameters, the model %d", sc.Name, len(sc.Params), P)
		}
		plans[i] = newPlan(reg, sc, b.Span)
		sr := &ScenarioResult{Scenario: sc}
		if res.Exact {
			sr.Params = make([]float64, n*P)
			sr.Values = make([]float64, n*C)
			sr.Fired = make([]float64, n*len(sc.Events))
		}
		res.Scenarios = append(res.Scenarios, sr)
	}
	sampler := b.Sampler
	if sampler == nil {
		sampler = MonteCarlo{}
	}
	if err := sampler.Prepare(reg, b.Seed, b.Runs); err != nil {
		return nil, err
	}
	keyHashes := make([]uint64, P)
	for p := range reg.Params {
		keyHashes[p] = KeyHash("param:" + reg.Params[p].Key)
	}

	workers := b.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	workers = max(1, min(workers, n))
	nDiff := 0
	if b.Diffs && !res.Exact {
		nDiff = len(b.Scenarios) - 1
	}
	// Each worker summarises its own runs in sketch mode; the summaries
	// are merged exactly at the end.
	local := make([]*workerAgg, workers)
	// Runs are handed out in chunks of consecutive indices so that workers
	// stay busy; which worker runs which chunk never affects the numbers.
	var next, done atomic.Int64
	var progressMu sync.Mutex
	var wg sync.WaitGroup
	ctxDone := ctx.Done()
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			runner := b.Model.NewRunner(b.Span)
			in := &RunInput{Span: b.Span, Params: make([]float64, P)}
			scratch := newLeverScratch(len(reg.Levers), T)
			u := make([]float64, P)
			uc := make([]float64, P)          // u after a scenario's correlations
			corrScratch := make([]float64, P) // Correlation.Apply's workspace
			var agg *workerAgg
			var params, vals, fired [][]float64
			if !res.Exact {
				agg = newWorkerAgg(len(plans), nDiff, C)
				local[w] = agg
				for _, pl := range plans {
					params = append(params, make([]float64, P))
					vals = append(vals, make([]float64, C))
					fired = append(fired, make([]float64, len(pl.events)))
				}
			}
			for {
				select {
				case <-ctxDone:
					return
				default:
				}
				start := int(next.Add(ChunkRuns)) - ChunkRuns
				if start >= n {
					return
				}
				end := min(start+ChunkRuns, n)
				for r := start; r < end; r++ {
					run := b.Lo + r
					sampler.Uniforms(b.Seed, run, keyHashes, u)
					for si, pl := range plans {
						sr := res.Scenarios[si]
						var pv, vv, fv []float64
						if res.Exact {
							pv, vv = sr.Params[r*P:(r+1)*P], sr.Values[r*C:(r+1)*C]
							fv = sr.Fired[r*len(pl.events) : (r+1)*len(pl.events)]
						} else {
							pv, vv, fv = params[si], vals[si], fired[si]
						}
						us := u
						if len(pl.corrs) > 0 {
							copy(uc, u)
							for _, c := range pl.corrs {
								c.Apply(uc, corrScratch)
							}
							us = uc
						}
						for p := range pv {
							pv[p] = pl.draw(p, us[p])
						}
						copy(in.Params, pv)
						in.Levers, in.Pending = pl.levers(b.Seed, run, scratch, fv)
						runner.Run(in, vv)
						if b.Observe != nil {
							b.Observe(run, si, pv, vv)
						}
					}
					if agg != nil {
						agg.add(vals)
					}
				}
				if agg != nil {
					agg.endChunk()
				}
				d := done.Add(int64(end - start))
				if b.Progress != nil {
					progressMu.Lock()
					b.Progress(int(d))
					progressMu.Unlock()
				}
			}
		}(w)
	}
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if !res.Exact {
		total := newWorkerAgg(len(plans), nDiff, C)
		for _, a := range local {
			if a == nil {
				continue
			}
			if err := total.merge(a); err != nil {
				return nil, err
			}
		}
		res.Sketches, res.DiffSketches = total.cells, total.diffs
	}
	return res, nil
}

// workerAgg summarises runs as they come, in sketch mode.
type workerAgg struct {
	cells, diffs [][]CellSketch
}

func newWorkerAgg(scenarios, diffs, C int) *workerAgg {
	a := &workerAgg{}
	for s := 0; s < scenarios; s++ {
		a.cells = append(a.cells, make([]CellSketch, C))
	}
	for d := 0; d < diffs; d++ {
		a.diffs = append(a.diffs, make([]CellSketch, C))
	}
	return a
}

func (a *workerAgg) add(vals [][]float64) {
	for s, vs := range vals {
		cs := a.cells[s]
		for c, v := range vs {
			cs[c].add(v)
		}
	}
	for d, ds := range a.diffs {
		base, other := vals[0], vals[d+1]
		for c := range ds {
			ds[c].add(other[c] - base[c])
		}
	}
}

func (a *workerAgg) endChunk() {
	for _, group := range [][][]CellSketch{a.cells, a.diffs} {
		for _, cs := range group {
			for c := range cs {
				cs[c].endChunk()
			}
		}
	}
}

func (a *workerAgg) merge(o *workerAgg) error {
	for g, group := range [][][]CellSketch{a.cells, a.diffs} {
		other := [][][]CellSketch{o.cells, o.diffs}[g]
		for s := range group {
			for c := range group[s] {
				if err := group[s][c].Merge(&other[s][c]); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

// plan is a scenario prepared for fast runs.
type plan struct {
	reg    *Registry
	dists  []Dist
	lo, hi []float64
	span   Span
	events []Event
	evHash []uint64
	corrs  []*Correlation
	// fixed holds the lever schedule when no event is uncertain, shared by
	// every run.
	fixedLevers, fixedPending [][]float64
}

func newPlan(reg *Registry, sc *Scenario, span Span) *plan {
	pl := &plan{reg: reg, dists: sc.Params, span: span, events: sc.Events, corrs: sc.Correlations}
	for _, p := range reg.Params {
		pl.lo = append(pl.lo, p.Min)
		pl.hi = append(pl.hi, p.Max)
	}
	uncertain := false
	for i := range sc.Events {
		pl.evHash = append(pl.evHash, KeyHash("event:"+sc.Events[i].ID))
		uncertain = uncertain || sc.Events[i].Uncertain()
	}
	if !uncertain {
		s := newLeverScratch(len(reg.Levers), span.Len())
		fired := make([]float64, len(sc.Events))
		pl.fixedLevers, pl.fixedPending = pl.schedule(0, 0, s, fired)
	}
	return pl
}

// draw maps a uniform to parameter p's value, clamped to the registry's
// bounds so that no distribution's tail can push the model outside the
// domain its equations hold on.
func (pl *plan) draw(p int, u float64) float64 {
	v := pl.dists[p].Quantile(u)
	return math.Min(math.Max(v, pl.lo[p]), pl.hi[p])
}

type leverScratch struct {
	levers, pending [][]float64
	order           []int
	eff             []Period
}

func newLeverScratch(L, T int) *leverScratch {
	s := &leverScratch{levers: make([][]float64, L), pending: make([][]float64, L)}
	lv, pd := make([]float64, L*T), make([]float64, L*T)
	for l := 0; l < L; l++ {
		s.levers[l] = lv[l*T : (l+1)*T]
		s.pending[l] = pd[l*T : (l+1)*T]
	}
	return s
}

func (pl *plan) levers(seed uint64, run int, s *leverScratch, fired []float64) ([][]float64, [][]float64) {
	if pl.fixedLevers != nil {
		for i := range fired {
			fired[i] = 1
		}
		return pl.fixedLevers, pl.fixedPending
	}
	return pl.schedule(seed, run, s, fired)
}

// schedule resolves the events of one run into lever time series.
func (pl *plan) schedule(seed uint64, run int, s *leverScratch, fired []float64) ([][]float64, [][]float64) {
	T := pl.span.Len()
	for l := range pl.reg.Levers {
		def := pl.reg.Levers[l].Default
		for t := 0; t < T; t++ {
			s.levers[l][t] = def
			s.pending[l][t] = math.NaN()
		}
	}
	s.order = s.order[:0]
	s.eff = s.eff[:0]
	for i := range pl.events {
		e := &pl.events[i]
		eff := e.Effective
		fired[i] = 1
		if e.Probability < 1 && UniformN(seed, run, pl.evHash[i], 0) >= e.Probability {
			fired[i] = 0
			s.eff = append(s.eff, eff)
			continue
		}
		if e.Delay != nil {
			d := math.Round(e.Delay.Quantile(UniformN(seed, run, pl.evHash[i], 1)))
			d = math.Max(0, math.Min(d, 400))
			eff += Period(d)
			fired[i] = 1 + d
		}
		s.eff = append(s.eff, eff)
		s.order = append(s.order, i)
	}
	// Events apply in order of their (possibly delayed) effective quarter;
	// a stable sort keeps the file's order among events on one date.
	sort.SliceStable(s.order, func(a, b int) bool { return s.eff[s.order[a]] < s.eff[s.order[b]] })
	for _, i := range s.order {
		e := &pl.events[i]
		from := max(0, pl.span.Index(s.eff[i]))
		lv := s.levers[e.Lever]
		for t := from; t < T; t++ {
			lv[t] = e.Value
		}
		// The quarters between announcement and effect see the coming
		// value, unless an earlier-announced event already claimed them.
		pd := s.pending[e.Lever]
		for t := max(0, pl.span.Index(e.Announced)); t < min(from, T); t++ {
			if math.IsNaN(pd[t]) {
				pd[t] = e.Value
			}
		}
	}
	return s.levers, s.pending
}
