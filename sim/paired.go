package sim

import (
	"runtime"
	"sync"
)

// Diff summarises, for every (output, period) cell, the paired difference
// other − base over the same runs, which share every parameter draw.
type Diff struct {
	Base, Other *Scenario
	Stats       []Stats   // Stats[o*T+t] of the per-run differences
	ShareHigher []float64 // share of runs in which other > base
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
		out = append(out, Diff{Base: r.Scenarios[base].Scenario, Other: r.Scenarios[s].Scenario,
			Stats: make([]Stats, C), ShareHigher: make([]float64, C)})
	}
	jobs := make(chan diffJob)
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			diff := make([]float64, r.N())
			for j := range jobs {
				r.diffCells(out[j.d], r.Scenarios[base].Values, r.Scenarios[j.s].Values, j.c0, j.c1, diff)
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
		df := Diff{Base: r.Scenarios[0].Scenario, Other: r.Scenarios[d+1].Scenario,
			Stats: make([]Stats, C), ShareHigher: make([]float64, C)}
		for c := range cells {
			df.Stats[c] = cells[c].Stats()
			df.ShareHigher[c] = float64(cells[c].Higher) / float64(max(1, cells[c].N))
		}
		out = append(out, df)
	}
	return out
}

// diffJob is the cells [c0, c1) of difference d, of scenario s.
type diffJob struct{ d, s, c0, c1 int }

// diffCells summarises other − base in cells [c0, c1) into df, with diff
// (one value per run) as scratch.
func (r *Result) diffCells(df Diff, bv, ov []float64, c0, c1 int, diff []float64) {
	C, n := r.Cells(), r.N()
	for c := c0; c < c1; c++ {
		higher := 0
		for run := 0; run < n; run++ {
			d := ov[run*C+c] - bv[run*C+c]
			diff[run] = d
			if d > 0 {
				higher++
			}
		}
		df.ShareHigher[c] = float64(higher) / float64(n)
		df.Stats[c] = Summarize(diff)
	}
}
