package sim

import (
	"context"
	"fmt"
	"math"
	"runtime"
	"sort"
	"sync"
	"sync/atomic"

	"github.com/chokepoint-sim/chokepoint/sim/dist"
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
	// Discard keeps neither the runs' values nor summaries of them: the
	// caller sees the runs through Observe alone (calibration keeps a few
	// numbers a run, not its outputs).
	Discard bool
	// Ensemble, when set, gives each run its parameters from a row of a
	// posterior ensemble instead of the scenarios' distributions, except
	// the parameters a scenario fixes to one value.
	Ensemble *Ensemble
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
	// RatioSketches[s-1][c] summarises scenario s divided by scenario 0
	// over the runs in which that is a number of at least 0; its sketch
	// holds the ratios other than 1 (CellSketch.addRatio).
	RatioSketches [][]CellSketch
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
	br, err := b.prepare()
	if err != nil {
		return nil, err
	}
	workers := b.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	workers = max(1, min(workers, br.n))
	// Each worker summarises its own runs in sketch mode; the summaries
	// are merged exactly at the end.
	local := make([]*workerAgg, workers)
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			bw := br.newWorker()
			local[w] = bw.agg
			bw.work(ctx.Done())
			if bw.agg != nil {
				bw.agg.flush()
			}
		}(w)
	}
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if !br.res.Exact && !b.Discard {
		if err := br.mergeWorkers(local); err != nil {
			return nil, err
		}
	}
	return br.res, nil
}

// batchRun is a batch under way: what its workers share.
type batchRun struct {
	b          *Batch
	reg        *Registry
	res        *Result
	plans      []*plan
	sampler    Sampler
	keyHashes  []uint64
	n, P, C, T int // runs held, parameters, cells, quarters
	nDiff      int // paired differences summarised as the runs go
	// Runs are handed out in chunks of consecutive indices so that workers
	// stay busy; which worker runs which chunk never affects the numbers.
	next, done atomic.Int64
	progressMu sync.Mutex
}

// prepare checks the batch, lays out its result and prepares its
// scenarios and sampler.
func (b *Batch) prepare() (*batchRun, error) {
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
	br := &batchRun{b: b, reg: reg, n: hi - b.Lo, P: len(reg.Params), C: len(reg.Outputs) * T, T: T}
	limit := int64(ExactLimit)
	if b.ExactLimit > 0 {
		limit = b.ExactLimit
	}
	br.res = &Result{Registry: reg, Span: b.Span, Seed: b.Seed, Runs: b.Runs, Lo: b.Lo, Hi: hi,
		Exact: !b.Discard && int64(b.Runs)*int64(len(b.Scenarios))*int64(br.C) <= limit}
	if !br.res.Exact && b.Lo%ChunkRuns != 0 {
		return nil, fmt.Errorf("sim: a batch summarised by sketches must start on a multiple of %d runs, not %d", ChunkRuns, b.Lo)
	}
	if err := br.planScenarios(); err != nil {
		return nil, err
	}
	if b.Ensemble != nil && b.Ensemble.P != br.P {
		return nil, fmt.Errorf("sim: the ensemble has %d parameters, the model %d", b.Ensemble.P, br.P)
	}
	br.sampler = b.Sampler
	if br.sampler == nil {
		br.sampler = MonteCarlo{}
	}
	if err := br.sampler.Prepare(reg, b.Seed, b.Runs); err != nil {
		return nil, err
	}
	br.keyHashes = make([]uint64, br.P)
	for p := range reg.Params {
		br.keyHashes[p] = KeyHash("param:" + reg.Params[p].Key)
	}
	if b.Diffs && !br.res.Exact {
		br.nDiff = len(b.Scenarios) - 1
	}
	return br, nil
}

// planScenarios prepares each scenario's plan and, in exact mode, the
// room for every run's values.
func (br *batchRun) planScenarios() error {
	n, P, C := br.n, br.P, br.C
	br.plans = make([]*plan, len(br.b.Scenarios))
	for i, sc := range br.b.Scenarios {
		if len(sc.Params) != P {
			return fmt.Errorf("sim: scenario %s has %d parameters, the model %d", sc.Name, len(sc.Params), P)
		}
		br.plans[i] = newPlan(br.reg, sc, br.b.Span)
		sr := &ScenarioResult{Scenario: sc}
		if br.res.Exact {
			sr.Params = make([]float64, n*P)
			sr.Values = make([]float64, n*C)
			sr.Fired = make([]float64, n*len(sc.Events))
		}
		br.res.Scenarios = append(br.res.Scenarios, sr)
	}
	return nil
}

// mergeWorkers joins the workers' sketches into the result.
func (br *batchRun) mergeWorkers(local []*workerAgg) error {
	total := newWorkerAgg(len(br.plans), br.nDiff, br.C, false)
	for _, a := range local {
		if a == nil {
			continue
		}
		if err := total.merge(a); err != nil {
			return err
		}
	}
	br.res.Sketches, br.res.DiffSketches, br.res.RatioSketches = total.cells, total.diffs, total.ratios
	return nil
}

// batchWorker is one goroutine's model runner and workspace.
type batchWorker struct {
	*batchRun
	runner      Runner
	in          *RunInput
	scratch     *leverScratch
	u           []float64
	uc          []float64 // u after a scenario's correlations
	corrScratch []float64 // Correlation.Apply's workspace
	// In sketch mode: the worker's summaries, and one run's values of
	// each scenario.
	agg                 *workerAgg
	params, vals, fired [][]float64
}

func (br *batchRun) newWorker() *batchWorker {
	P := br.P
	w := &batchWorker{
		batchRun:    br,
		runner:      br.b.Model.NewRunner(br.b.Span),
		in:          &RunInput{Span: br.b.Span, Params: make([]float64, P)},
		scratch:     newLeverScratch(len(br.reg.Levers), br.T),
		u:           make([]float64, P),
		uc:          make([]float64, P),
		corrScratch: make([]float64, P),
	}
	if !br.res.Exact {
		if !br.b.Discard {
			w.agg = newWorkerAgg(len(br.plans), br.nDiff, br.C, true)
		}
		for _, pl := range br.plans {
			w.params = append(w.params, make([]float64, P))
			w.vals = append(w.vals, make([]float64, br.C))
			w.fired = append(w.fired, make([]float64, len(pl.events)))
		}
	}
	return w
}

// work runs chunks of runs until none is left or ctxDone closes.
func (w *batchWorker) work(ctxDone <-chan struct{}) {
	for {
		select {
		case <-ctxDone:
			return
		default:
		}
		start := int(w.next.Add(ChunkRuns)) - ChunkRuns
		if start >= w.n {
			return
		}
		end := min(start+ChunkRuns, w.n)
		for r := start; r < end; r++ {
			w.runAll(r)
		}
		if w.agg != nil {
			w.agg.endChunk()
		}
		d := w.done.Add(int64(end - start))
		if w.b.Progress != nil {
			w.progressMu.Lock()
			w.b.Progress(int(d))
			w.progressMu.Unlock()
		}
	}
}

// runAll runs held run r (run index Lo+r) of every scenario, on the same
// uniforms.
func (w *batchWorker) runAll(r int) {
	run := w.b.Lo + r
	w.sampler.Uniforms(w.b.Seed, run, w.keyHashes, w.u)
	for si, pl := range w.plans {
		w.runOne(r, si, pl)
	}
	if w.agg != nil {
		w.agg.add(w.vals)
	}
}

// runOne runs held run r of scenario si, whose plan is pl.
func (w *batchWorker) runOne(r, si int, pl *plan) {
	P, C := w.P, w.C
	run := w.b.Lo + r
	var pv, vv, fv []float64
	if w.res.Exact {
		sr := w.res.Scenarios[si]
		pv, vv = sr.Params[r*P:(r+1)*P], sr.Values[r*C:(r+1)*C]
		fv = sr.Fired[r*len(pl.events) : (r+1)*len(pl.events)]
	} else {
		pv, vv, fv = w.params[si], w.vals[si], w.fired[si]
	}
	us := w.u
	if len(pl.corrs) > 0 {
		copy(w.uc, w.u)
		for _, c := range pl.corrs {
			c.Apply(w.uc, w.corrScratch)
		}
		us = w.uc
	}
	var row []float64
	if w.b.Ensemble != nil {
		row = w.b.Ensemble.Row(w.b.Seed, run)
	}
	for p := range pv {
		if row != nil && !pl.fixed[p] {
			pv[p] = row[p]
			continue
		}
		pv[p] = pl.draw(p, us[p])
	}
	copy(w.in.Params, pv)
	w.in.Levers, w.in.Pending = pl.levers(w.b.Seed, run, w.scratch, fv)
	w.runner.Run(w.in, vv)
	if w.b.Observe != nil {
		w.b.Observe(run, si, pv, vv)
	}
}

// workerAgg summarises runs as they come, in sketch mode. The runs of up
// to heldChunks chunks are held and added to the sketches a block of
// cellBlock cells at a time: the block's sketches then take hundreds of
// values while they are in cache, where adding run by run touches every
// cell's sketch once a run (a cache miss per value). Each cell still sees
// its values in run order within a chunk, and each chunk's partial sums
// are folded into the exact sums as before, so the summaries are the same.
type workerAgg struct {
	cells, diffs, ratios [][]CellSketch
	held                 [][]float64 // per scenario, [slot*C+cell]
	chunks               []int       // runs of each closed chunk held
	n                    int         // runs held, closed chunks and the open one
}

// heldChunks is how many chunks a worker holds before adding them: at
// 30,000 runs of two scenarios (2,496 cells), holding 8 chunks halved the
// CPU time of compare (docs/performance.md), for 1.3 MB a scenario per
// chunk held. cellBlock is a cache line of doubles: the held values are
// read a line at a time.
const (
	heldChunks = 8
	heldRuns   = heldChunks * ChunkRuns
	cellBlock  = 8
)

// newWorkerAgg is a worker's summaries (hold: with room for the runs it
// holds) or, without, the total they are merged into.
func newWorkerAgg(scenarios, diffs, C int, hold bool) *workerAgg {
	a := &workerAgg{}
	for s := 0; s < scenarios; s++ {
		a.cells = append(a.cells, make([]CellSketch, C))
		if hold {
			a.held = append(a.held, make([]float64, C*heldRuns))
		}
	}
	for d := 0; d < diffs; d++ {
		a.diffs = append(a.diffs, make([]CellSketch, C))
		a.ratios = append(a.ratios, make([]CellSketch, C))
	}
	return a
}

// add holds one run's values of every scenario in the open chunk (at most
// ChunkRuns runs; endChunk closes it).
func (a *workerAgg) add(vals [][]float64) {
	for s, vs := range vals {
		copy(a.held[s][a.n*len(vs):], vs)
	}
	a.n++
}

// endChunk closes the open chunk; the held chunks are added once there
// are heldChunks of them (flush adds fewer, at the worker's end).
func (a *workerAgg) endChunk() {
	closed := 0
	for _, k := range a.chunks {
		closed += k
	}
	a.chunks = append(a.chunks, a.n-closed)
	if len(a.chunks) == heldChunks {
		a.flush()
	}
}

// flush adds the closed chunks held to the sketches, a block of cells at
// a time, folding each chunk's partial sums at its end. Every chunk must
// be closed.
func (a *workerAgg) flush() {
	for s, h := range a.held {
		a.addBlocks(func(c0, c1, r int) {
			row, cs := h[r*len(a.cells[s]):], a.cells[s]
			for c := c0; c < c1; c++ {
				cs[c].add(row[c])
			}
		}, a.cells[s])
	}
	for d, ds := range a.diffs {
		base, other, rs, C := a.held[0], a.held[d+1], a.ratios[d], len(ds)
		a.addBlocks(func(c0, c1, r int) {
			b, o := base[r*C:], other[r*C:]
			for c := c0; c < c1; c++ {
				ds[c].add(o[c] - b[c])
				if q, ok := ratioOf(o[c], b[c]); ok {
					rs[c].addRatio(q)
				}
			}
		}, ds, rs)
	}
	a.chunks, a.n = a.chunks[:0], 0
}

// addBlocks calls add(c0, c1, r) for every block of cells [c0, c1) and
// held run r, chunk by chunk, and at each chunk's end ends the sums of
// the block's cells in each of groups (the cells add filled).
func (a *workerAgg) addBlocks(add func(c0, c1, r int), groups ...[]CellSketch) {
	C := len(groups[0])
	for c0 := 0; c0 < C; c0 += cellBlock {
		c1 := min(c0+cellBlock, C)
		lo := 0
		for _, k := range a.chunks {
			for r := lo; r < lo+k; r++ {
				add(c0, c1, r)
			}
			for _, cs := range groups {
				for c := c0; c < c1; c++ {
					cs[c].endChunk()
				}
			}
			lo += k
		}
	}
}

func (a *workerAgg) merge(o *workerAgg) error {
	for g, group := range [][][]CellSketch{a.cells, a.diffs, a.ratios} {
		other := [][][]CellSketch{o.cells, o.diffs, o.ratios}[g]
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
	dists  []dist.Dist
	lo, hi []float64
	span   Span
	events []Event
	evHash []uint64
	corrs  []*Correlation
	// fixed[p] is true when the scenario fixes parameter p to one value.
	fixed []bool
	// fixed holds the lever schedule when no event is uncertain, shared by
	// every run.
	fixedLevers, fixedPending [][]float64
}

func newPlan(reg *Registry, sc *Scenario, span Span) *plan {
	pl := &plan{reg: reg, dists: sc.Params, span: span, events: sc.Events, corrs: sc.Correlations}
	for i, p := range reg.Params {
		pl.lo = append(pl.lo, p.Min)
		pl.hi = append(pl.hi, p.Max)
		lo, hi := sc.Params[i].Support()
		pl.fixed = append(pl.fixed, lo == hi)
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
