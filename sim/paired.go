package sim

import (
	"math"
	"runtime"
	"sync"
)

// Diff summarises, for every (output, period) cell, the paired difference
// other − base and the paired ratio other ÷ base over the same runs, which
// share every parameter draw.
type Diff struct {
	Base, Other *Scenario
	Stats       []Stats   // Stats[o*T+t] of the per-run differences
	ShareHigher []float64 // share of runs in which other > base
	// Ratio[c] summarises other ÷ base over the runs in which that is a
	// number of at least 0 (base above 0, other at least 0): all runs for
	// an output that is always positive. Ratio[c].N counts those runs.
	Ratio []Stats
	// ShareChanged is the share of runs in which other ≠ base. Below 1
	// when the scenarios differ only by uncertain events: in the other
	// runs the two are the same run for run.
	ShareChanged []float64
	// Changed and ChangedRatio summarise the difference and the ratio over
	// the runs in which other ≠ base only.
	Changed, ChangedRatio []Stats
}

// newDiff lays out the Diff of other against base for C cells.
func newDiff(base, other *Scenario, C int) Diff {
	return Diff{Base: base, Other: other, Stats: make([]Stats, C), ShareHigher: make([]float64, C),
		Ratio: make([]Stats, C), ShareChanged: make([]float64, C), Changed: make([]Stats, C), ChangedRatio: make([]Stats, C)}
}

// PairedDiffs returns the paired differences of every scenario but base
// against base, using up to workers goroutines (0: all cores). In sketch
// mode only base 0 is available, and only when the batch asked for Diffs.
func (r *Result) PairedDiffs(base int, workers int) []Diff {
	if !r.Exact {
		return r.sketchDiffs()
	}
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	C := r.Cells()
	var out []Diff
	for s := range r.Scenarios {
		if s == base {
			continue
		}
		out = append(out, newDiff(r.Scenarios[base].Scenario, r.Scenarios[s].Scenario, C))
	}
	jobs := make(chan diffJob)
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			sc := newDiffScratch(r.N())
			for j := range jobs {
				r.diffCells(out[j.d], r.Scenarios[base].Values, r.Scenarios[j.s].Values, j.c0, j.c1, sc)
			}
		}()
	}
	d := 0
	for s := range r.Scenarios {
		if s == base {
			continue
		}
		for c := 0; c < C; c += 16 {
			jobs <- diffJob{d, s, c, min(c+16, C)}
		}
		d++
	}
	close(jobs)
	wg.Wait()
	return out
}

// sketchDiffs returns the differences against the first scenario that
// sketch mode summarised as the runs went (Batch.Diffs).
func (r *Result) sketchDiffs() []Diff {
	C := r.Cells()
	var out []Diff
	for d, cells := range r.DiffSketches {
		df := newDiff(r.Scenarios[0].Scenario, r.Scenarios[d+1].Scenario, C)
		for c := range cells {
			df.Stats[c] = cells[c].Stats()
			df.ShareHigher[c] = float64(cells[c].Higher) / float64(max(1, cells[c].N))
			df.Changed[c] = cells[c].nonZeroStats()
			df.ShareChanged[c] = float64(df.Changed[c].N) / float64(max(1, cells[c].N))
			if d < len(r.RatioSketches) {
				rc := &r.RatioSketches[d][c]
				df.Ratio[c], df.ChangedRatio[c] = rc.ratioStats(), rc.changedRatioStats()
			}
		}
		out = append(out, df)
	}
	return out
}

// diffJob is the cells [c0, c1) of difference d, of scenario s.
type diffJob struct{ d, s, c0, c1 int }

// diffScratch holds one cell's per-run differences and ratios, over all
// runs and over the runs that changed.
type diffScratch struct{ diff, ratio, cdiff, cratio []float64 }

func newDiffScratch(n int) *diffScratch {
	return &diffScratch{make([]float64, n), make([]float64, n), make([]float64, n), make([]float64, n)}
}

// diffCells summarises other − base and other ÷ base in cells [c0, c1)
// into df.
func (r *Result) diffCells(df Diff, bv, ov []float64, c0, c1 int, sc *diffScratch) {
	C, n := r.Cells(), r.N()
	for c := c0; c < c1; c++ {
		higher := 0
		diff, ratio, cdiff, cratio := sc.diff[:0], sc.ratio[:0], sc.cdiff[:0], sc.cratio[:0]
		for run := 0; run < n; run++ {
			b, o := bv[run*C+c], ov[run*C+c]
			d := o - b
			diff = append(diff, d)
			if d > 0 {
				higher++
			}
			changed := d != 0 && !math.IsNaN(d)
			if changed {
				cdiff = append(cdiff, d)
			}
			if q, ok := ratioOf(o, b); ok {
				ratio = append(ratio, q)
				if changed {
					cratio = append(cratio, q)
				}
			}
		}
		df.ShareHigher[c] = float64(higher) / float64(n)
		df.ShareChanged[c] = float64(len(cdiff)) / float64(n)
		df.Stats[c] = Summarize(diff)
		df.Ratio[c] = Summarize(ratio)
		df.Changed[c] = Summarize(cdiff)
		df.ChangedRatio[c] = Summarize(cratio)
	}
}
