package models

import (
	"fmt"
	"math"
	"math/rand/v2"
	"sort"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/chokepoint-sim/chokepoint/sim"
)

// Unit tests and the hand trace of the domestic supply (docs/MODEL.md,
// "Model v2: domestic supply").

// The generation choice: over 10,000 random ramps, delays, yields,
// penalties and quarters, the shares of the AI wafers sum to 1, no
// generation has wafers before its launch or beyond its ramp cap, and with
// neither HBM nor money scarce (no ban, unlimited money) no generation is
// left below its cap while one that makes fewer training H100e per wafer
// has wafers.
func TestGenerationChoice(t *testing.T) {
	rng := rand.New(rand.NewPCG(13, 93))
	for range 10000 {
		// Registry bounds of each parameter drawn.
		pp := p{genRamp: 0.25 + 4.75*rng.Float64(), roadmapDelay: 12 * rng.Float64(), diesPerWafer: 10 + 190*rng.Float64(),
			n5Throughput: 0.9 * rng.Float64(), n5Yield: 0.9 * rng.Float64(), genYieldPenalty: 0.9 * rng.Float64(),
			genMaturity: 0.1 + 4.9*rng.Float64(), packagingYield: rng.Float64(),
			// training buyers: dies chosen by training H100e (genValue)
			trainingWeight: 1}
		pp.hbmStackYield, pp.hbmDraw = rng.Float64(), rng.Float64()
		var s state
		s.init(&pp, 2020)
		s.yield = rng.Float64()
		s.hbmCXMT, s.hbmStock = 1e5*rng.Float64(), 1e5*rng.Float64()
		// One quarter's levers at their defaults, foreign HBM barred or not,
		// and money from scarce to unlimited.
		var lev [][]float64
		for _, l := range Registry.Levers {
			lev = append(lev, []float64{l.Default})
		}
		ban := rng.IntN(2) == 0
		if ban {
			lev[leverIdx.hbmBan][0] = 1
		}
		q := quarter{year: 2019 + 17*rng.Float64(), lev: lev}
		money := math.Inf(1)
		if rng.IntN(2) == 0 {
			money = 1e9 * rng.Float64()
		}
		s.makeDies(&q, 1e4, money)
		sum := 0.0
		perWafer := func(g int) float64 {
			return s.goodDiesPerWafer(&q, g) / roadmap[g].Dies * s.genH100e(g)
		}
		for g := range roadmap {
			sum += s.share[g]
			require.GreaterOrEqual(t, s.share[g], 0.0)
			require.LessOrEqual(t, s.share[g], s.rampCap(&q, g)+1e-12, "%s beyond its ramp", roadmap[g].Name)
			if g > 0 && q.year < s.launch[g]-1e-9 {
				require.Zero(t, s.share[g], "%s before its launch", roadmap[g].Name)
			}
		}
		require.InDelta(t, 1, sum, 1e-9)
		if ban || !math.IsInf(money, 1) {
			continue
		}
		for g := range roadmap {
			for h := range roadmap {
				if perWafer(g) > perWafer(h)*(1+1e-9) && s.share[h] > 1e-12 {
					require.InDelta(t, s.rampCap(&q, g), s.share[g], 1e-9, "%s below its cap while %s, worse per wafer, has wafers",
						roadmap[g].Name, roadmap[h].Name)
				}
			}
		}
	}
}

// Announced launches slip by the run's delay; past ones do not.
func TestRoadmapDelayAppliesToAnnouncedGenerations(t *testing.T) {
	pp := p{roadmapDelay: 4}
	var s state
	s.init(&pp, 2020)
	for g, gen := range roadmap {
		want := gen.Available.Decimal()
		if gen.slips {
			want++
		}
		require.InDelta(t, want, s.launch[g], 1e-12, gen.Name)
	}
	// Huawei Connect 2025-09-18 announced these four.
	for _, n := range []string{"Ascend 950PR", "Ascend 950DT", "Ascend 960", "Ascend 970"} {
		g := slicesIndex(n)
		require.True(t, roadmap[g].slips, n)
		// Dense BF16 = FP8 / 2 and TPP = 16 × dense 16-bit TFLOPS (chips.csv).
		require.InDelta(t, 16*roadmap[g].BF16TFLOPS, roadmap[g].TPP, 1e-9, n)
	}
	require.True(t, roadmap[slicesIndex("Ascend 960")].fiveNm)
	require.False(t, roadmap[slicesIndex("Ascend 910C")].fiveNm)
}

func slicesIndex(name string) int {
	for g := range roadmap {
		if roadmap[g].Name == name {
			return g
		}
	}
	panic("no generation " + name)
}

// The CXMT listing slows CXMT's ramp and leaves Huawei's own HBM alone.
func TestCXMTListingSlowsOnlyCXMT(t *testing.T) {
	pp := p{hbmDomStart: 2025, hbmHwStart: 2026, hbmDomInitial: 1e5, hbmHwInitial: 2e5, hbmDomGrowth: 0.8,
		hbmDomCeiling: 1e7, cxmtCut: 0.5}
	L := len(Registry.Levers)
	lev := make([][]float64, L)
	for i := range lev {
		lev[i] = []float64{Registry.Levers[i].Default}
	}
	run := func(listed float64) (cxmt, hw float64) {
		lev[leverIdx.cxmtListed][0] = listed
		var s state
		s.p, s.invest = &pp, 1
		for y := 2025.0; y < 2030; y += dt {
			s.domesticHBMRamp(&quarter{year: y, lev: lev})
		}
		return s.hbmCXMT, s.hbmHuawei
	}
	c0, h0 := run(0)
	c1, h1 := run(1)
	require.Less(t, c1, c0, "the listing slows CXMT")
	require.Greater(t, h1, h0*0.999, "Huawei's stacks grow at least as fast (more room under the shared ceiling)")
}

// medianInput is one run of a scenario at every parameter's median, with
// its events applied as the batch would apply those that are certain.
func medianInput(t *testing.T, sc *sim.Scenario) *sim.RunInput {
	t.Helper()
	T := sc.Span.Len()
	in := &sim.RunInput{Span: sc.Span}
	for i, d := range sc.Params {
		prm := Registry.Params[i]
		in.Params = append(in.Params, math.Min(math.Max(d.Quantile(0.5), prm.Min), prm.Max))
	}
	for _, l := range Registry.Levers {
		lv, pd := make([]float64, T), make([]float64, T)
		for t := range lv {
			lv[t], pd[t] = l.Default, math.NaN()
		}
		in.Levers, in.Pending = append(in.Levers, lv), append(in.Pending, pd)
	}
	evs := append([]sim.Event(nil), sc.Events...)
	sort.SliceStable(evs, func(a, b int) bool { return evs[a].Effective < evs[b].Effective })
	for _, e := range evs {
		if e.Probability < 0.5 {
			continue
		}
		eff := e.Effective
		if e.Delay != nil {
			eff += sim.Period(math.Round(e.Delay.Quantile(0.5)))
		}
		from := max(0, sc.Span.Index(eff))
		for t := from; t < T; t++ {
			in.Levers[e.Lever][t] = e.Value
		}
		for t := max(0, sc.Span.Index(e.Announced)); t < min(from, T); t++ {
			if math.IsNaN(in.Pending[e.Lever][t]) {
				in.Pending[e.Lever][t] = e.Value
			}
		}
	}
	return in
}

// traceRow is what the hand trace reads of one quarter.
type traceRow struct {
	capacity, yield, hbmStock, drawn, domHBM, packages, output float64
	byGen                                                      []float64 // H100e per generation
}

func traceRun(in *sim.RunInput, at []sim.Period) map[sim.Period]traceRow {
	r := newRunner(in.Span)
	for i, v := range in.Params {
		*r.ptrs[i] = v
	}
	var s state
	s.init(&r.p, r.decimal[0])
	rows := map[sim.Period]traceRow{}
	for t, per := range in.Span.Periods() {
		q := quarter{t: t, year: r.decimal[t], lev: in.Levers, pend: in.Pending}
		r.step(&s, &q)
		if !containsPeriod(at, per) {
			continue
		}
		row := traceRow{capacity: s.capacity, yield: s.yield, hbmStock: s.hbmStock, drawn: s.hbmDrawn,
			domHBM: s.hbmDomUsed, packages: s.packages, output: s.domH100e}
		for g, gen := range roadmap {
			// each package at its dies' fabrication factor
			row.byGen = append(row.byGen, s.genPackages[g]*gen.TrainingH100e()*s.packFactor[g])
		}
		rows[per] = row
	}
	return rows
}

func containsPeriod(ps []sim.Period, p sim.Period) bool {
	for _, x := range ps {
		if x == p {
			return true
		}
	}
	return false
}

// The hand trace of docs/MODEL.md ("Model v2: domestic supply"): the
// median run of current-policy at 2024Q4, 2026Q4 and 2030Q4, and the same
// run with every equipment lever strong from 2026Q2. Per-generation output
// sums to the total, and the strong levers lower capacity, yield and output
// in 2030Q4 against current-policy, and stop capacity growth: 2026Q4 to
// 2030Q4 it grows less than a tenth as much as under current-policy (run
// with -v to print the table).
func TestSupplyTraceMedianRun(t *testing.T) {
	at := []sim.Period{sim.NewPeriod(2024, 4), sim.NewPeriod(2026, 4), sim.NewPeriod(2030, 4)}
	base := loadScenario(t, "current-policy")
	strong := withEvents(base, "strong", sim.NewPeriod(2026, 2), equipmentPackage)
	a, b := traceRun(medianInput(t, base), at), traceRun(medianInput(t, strong), at)
	var sb strings.Builder
	for _, c := range []struct {
		name string
		rows map[sim.Period]traceRow
	}{{"current-policy", a}, {"equipment package from 2026Q2", b}} {
		fmt.Fprintf(&sb, "\n%s\n", c.name)
		for _, per := range at {
			row := c.rows[per]
			fmt.Fprintf(&sb, "%s capacity %.0f wpm, yield %.3f, HBM stock %.3g, drawn %.3g, domestic HBM %.3g, packages %.3g, output %.3g H100e:",
				per, row.capacity, row.yield, row.hbmStock, row.drawn, row.domHBM, row.packages, row.output)
			sum := 0.0
			for g, v := range row.byGen {
				sum += v
				if v > 0 {
					fmt.Fprintf(&sb, " %s %.3g", strings.TrimPrefix(roadmap[g].Name, "Ascend "), v)
				}
			}
			sb.WriteString("\n")
			require.InDelta(t, row.output, sum, 1e-9*(1+row.output), "per-generation output sums to the total")
			require.Positive(t, row.output, "%s %s", c.name, per)
		}
	}
	t.Log(sb.String())
	end := sim.NewPeriod(2030, 4)
	mid := sim.NewPeriod(2026, 4)
	require.Less(t, b[end].capacity-b[mid].capacity, 0.1*(a[end].capacity-a[mid].capacity), "the package stops capacity growth")
	require.Less(t, b[end].capacity, a[end].capacity)
	require.Less(t, b[end].yield, a[end].yield)
	require.Less(t, b[end].output, a[end].output)
}
