package sim

import (
	"math"
	"runtime"
	"sync"
)

// Probs are the quantiles every summary reports.
var Probs = [7]float64{0.05, 0.10, 0.25, 0.50, 0.75, 0.90, 0.95}

// Stats summarises one (scenario, output, period) cell over runs.
type Stats struct {
	N    int
	Mean float64
	SD   float64 // sample standard deviation (n−1); 0 for one run
	Q    [7]float64
}

// P05 … P95 name the quantiles of Probs.
func (s Stats) P05() float64 { return s.Q[0] }
func (s Stats) P10() float64 { return s.Q[1] }
func (s Stats) P25() float64 { return s.Q[2] }
func (s Stats) P50() float64 { return s.Q[3] }
func (s Stats) P75() float64 { return s.Q[4] }
func (s Stats) P90() float64 { return s.Q[5] }
func (s Stats) P95() float64 { return s.Q[6] }

// Summarize computes the Stats of data: mean and sample standard
// deviation summed in the order given (run order, so they never depend on
// scheduling), and the type-7 quantiles, exactly as sorting would give them.
func Summarize(data []float64) Stats {
	var z Summarizer
	return z.Summarize(data)
}

// Summarizer is Summarize with its scratch kept from one call to the next:
// summarising many columns in a row (the classroom server's cells), it
// allocates once instead of for every column. The zero value is ready.
type Summarizer struct{ rs radixScratch }

// Summarize is the package's Summarize, with z's scratch.
func (z *Summarizer) Summarize(data []float64) Stats {
	if len(data) == 0 {
		s := Stats{Mean: math.NaN(), SD: math.NaN()}
		for i := range s.Q {
			s.Q[i] = math.NaN()
		}
		return s
	}
	var sum float64
	for _, v := range data {
		sum += v
	}
	return z.rs.stats(data, sum)
}

// Summary is the aggregate of one scenario: Stats[o*T+t].
type Summary struct {
	Scenario *Scenario
	Stats    []Stats
}

// Summaries aggregates every scenario of r over its runs, using up to
// workers goroutines (0: all cores). The numbers do not depend on workers.
func (r *Result) Summaries(workers int) []Summary {
	C := r.Cells()
	out := make([]Summary, len(r.Scenarios))
	for s, sr := range r.Scenarios {
		out[s] = Summary{Scenario: sr.Scenario, Stats: make([]Stats, C)}
	}
	if !r.Exact {
		for s := range r.Scenarios {
			for c := range out[s].Stats {
				out[s].Stats[c] = r.Sketches[s][c].Stats()
			}
		}
		return out
	}
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	jobs := make(chan summaryJob)
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			sw := newSummaryWorker(r.N())
			for j := range jobs {
				sw.summarise(r, j, out[j.s].Stats)
			}
		}()
	}
	for s := range r.Scenarios {
		for c := 0; c < C; c += summaryStep {
			jobs <- summaryJob{s, c, min(c+summaryStep, C)}
		}
	}
	close(jobs)
	wg.Wait()
	return out
}

// summaryStep is the cells of one summary job. A job's cells are read
// together from each run: 128 cells are 1 KB of consecutive memory, which
// the processor prefetches well.
const summaryStep = 128

// summaryJob is the cells [c0, c1) of scenario s.
type summaryJob struct{ s, c0, c1 int }

// summaryWorker is one goroutine's workspace for Summaries.
type summaryWorker struct {
	cols [][]float64 // a job's columns, one value per run
	rs   radixScratch
	sums [summaryStep]float64
}

func newSummaryWorker(n int) *summaryWorker {
	sw := &summaryWorker{cols: make([][]float64, summaryStep)}
	for i := range sw.cols {
		sw.cols[i] = make([]float64, n)
	}
	return sw
}

// summarise fills stats[c0:c1] for job j. A job's cells are gathered in
// one pass over the runs: the values of neighbouring cells of a run share
// cache lines.
func (sw *summaryWorker) summarise(r *Result, j summaryJob, stats []Stats) {
	C, n := r.Cells(), r.N()
	vals := r.Scenarios[j.s].Values
	cols, sums := sw.cols, &sw.sums
	clear(sums[:])
	// Summing while gathering keeps run order, so the means are those of
	// Summarize.
	for run := 0; run < n; run++ {
		row := vals[run*C+j.c0 : run*C+j.c1]
		for i, v := range row {
			cols[i][run] = v
			sums[i] += v
		}
	}
	for i := 0; i < j.c1-j.c0; i++ {
		stats[j.c0+i] = sw.rs.stats(cols[i], sums[i])
	}
}
