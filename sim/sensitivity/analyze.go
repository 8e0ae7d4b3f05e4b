package sensitivity

import (
	"context"
	"math"

	"github.com/chokepoint-sim/chokepoint/sim"
	"github.com/chokepoint-sim/chokepoint/sim/dist"
)

// Method names a global sensitivity method.
type Method string

// The methods Analyze knows.
const (
	MethodPRCC   Method = "prcc"
	MethodSobol  Method = "sobol"
	MethodMorris Method = "morris"
)

// Analysis asks which parameters drive one output of one scenario.
type Analysis struct {
	Model    sim.Model
	Scenario *sim.Scenario
	Span     sim.Span
	Output   int // registry index of the output
	Method   Method
	// Size is the number of runs for PRCC, the number of base samples N
	// for Sobol (the batch is N·(k+2) runs), and the number of
	// trajectories r for Morris (r·(k+1) runs).
	Size    int
	Seed    uint64
	Workers int
	// Boot is the number of bootstrap resamples for Sobol intervals.
	Boot int
	// Params restricts the analysis to these registry indices (nil: every
	// parameter the scenario leaves uncertain).
	Params []int
	// Ensemble, when set, gives each run of a PRCC batch its parameters
	// from a posterior ensemble (sim.Batch.Ensemble). Sobol and Morris
	// refuse it: their designs vary one independent input at a time, and
	// a posterior's parameters are neither independent nor free to move.
	Ensemble *sim.Ensemble
	Progress func(done, total int)
}

// Index is one parameter's importance at one period.
type Index struct {
	Param  int // registry index
	Period int // index into the span
	// Measure: "prcc", "s1", "st", "mu_star", "mu" or "sigma".
	Measure string
	Value   float64
	Lo, Hi  float64 // 95% interval where the method gives one, else NaN
	P       float64 // p-value (PRCC), else NaN
}

// Result holds every index of an analysis, and the number of model runs.
type Result struct {
	Analysis *Analysis
	Params   []int
	Runs     int
	Indices  []Index
	// Effective[t] is the number of independent runs the p-values at
	// period t count, with a posterior ensemble (PRCCClustered); nil
	// without one (every run counts).
	Effective []float64
}

// Uncertain returns the registry indices the analysis varies: Params, or
// else every parameter the scenario leaves uncertain. It is an
// *sim.InputError when there are none.
func (a *Analysis) Uncertain() ([]int, error) {
	params := a.Params
	if params == nil {
		for p := range a.Model.Registry().Params {
			if !isFixed(a.Scenario.Params[p]) {
				params = append(params, p)
			}
		}
	}
	if len(params) == 0 {
		return nil, sim.BadInputf("scenario %s fixes every parameter: nothing to analyse", a.Scenario.Name)
	}
	return params, nil
}

// Runs returns the number of model runs the method's design makes from
// size for k parameters: size runs for PRCC, size·(k+2) for Sobol (N base
// samples) and size·(k+1) for Morris (r trajectories), saturating at
// math.MaxInt. It is an *sim.InputError when size is too small for the
// method to estimate its indices.
func (m Method) Runs(size, k int) (int, error) {
	mult, least := 1, 2
	switch m {
	case MethodPRCC:
		least = k + 3
		if size < least {
			return 0, sim.BadInputf("prcc needs more runs than parameters: at least %d for %d parameters, found %d", least, k, size)
		}
	case MethodSobol:
		mult = k + 2
		if k > maxSaltelliK {
			return 0, sim.BadInputf("sobol takes at most %d parameters, found %d", maxSaltelliK, k)
		}
		if size < least {
			return 0, sim.BadInputf("sobol needs at least %d base samples N, found %d", least, size)
		}
	case MethodMorris:
		mult = k + 1
		if size < least {
			return 0, sim.BadInputf("morris needs at least %d trajectories, found %d", least, size)
		}
	default:
		return 0, sim.BadInputf("unknown method %q (expected prcc, sobol or morris)", m)
	}
	if size > math.MaxInt/mult {
		return math.MaxInt, nil
	}
	return size * mult, nil
}

// Analyze runs the design of the method and computes the indices at every
// period of the span. A scenario with nothing uncertain, or a design too
// small for the method, is an *sim.InputError, found before any run.
func Analyze(ctx context.Context, a *Analysis) (*Result, error) {
	params, err := a.Uncertain()
	if err != nil {
		return nil, err
	}
	k := len(params)
	if _, err := a.Method.Runs(a.Size, k); err != nil {
		return nil, err
	}
	if a.Ensemble != nil {
		if err := a.checkEnsemble(params); err != nil {
			return nil, err
		}
	}
	T := a.Span.Len()
	res := &Result{Analysis: a, Params: params}
	sampler, morris := a.design(params)
	res.Runs = a.Size
	if d, ok := sampler.(sim.Design); ok {
		res.Runs = len(d.Points)
	}

	// Keep the chosen output over time, and the uniforms, of every run.
	y := make([][]float64, T)
	for t := range y {
		y[t] = make([]float64, res.Runs)
	}
	var x [][]float64
	if a.Method == MethodPRCC {
		x = make([][]float64, res.Runs)
	}
	b := &sim.Batch{Model: a.Model, Scenarios: []*sim.Scenario{a.Scenario}, Span: a.Span, Runs: res.Runs,
		Seed: a.Seed, Workers: a.Workers, Sampler: sampler, Ensemble: a.Ensemble,
		Observe: func(run, _ int, pv, vals []float64) {
			for t := 0; t < T; t++ {
				y[t][run] = vals[a.Output*T+t]
			}
			if x != nil {
				row := make([]float64, k)
				for j, p := range params {
					row[j] = pv[p]
				}
				x[run] = row
			}
		}}
	if a.Progress != nil {
		b.Progress = func(done int) { a.Progress(done, res.Runs) }
	}
	if _, err := b.Run(ctx); err != nil {
		return nil, err
	}

	for t := 0; t < T; t++ {
		if a.Ensemble == nil {
			res.Indices = a.indicesAt(res.Indices, params, t, x, y[t], morris)
			continue
		}
		coef, p, nEff := PRCCClustered(x, y[t])
		res.Effective = append(res.Effective, nEff)
		for j := range params {
			res.Indices = append(res.Indices, Index{Param: params[j], Period: t, Measure: "prcc", Value: coef[j],
				Lo: math.NaN(), Hi: math.NaN(), P: p[j]})
		}
	}
	return res, nil
}

// checkEnsemble refuses a posterior ensemble for Sobol and Morris, whose
// designs move one independent input at a time, and one with too few
// distinct rows for PRCC to tell the inputs apart: the ranks of k inputs
// over fewer than k+3 distinct rows are collinear, and a PRCC over them is
// an artefact of the inputs' order.
func (a *Analysis) checkEnsemble(params []int) error {
	if a.Method != MethodPRCC {
		return sim.BadInputf("%s cannot use a posterior ensemble: its design moves one independent input at a time, and a posterior's parameters are correlated draws; use prcc", a.Method)
	}
	e := a.Ensemble
	distinct := map[uint64]bool{}
	for r := 0; r < e.Rows(); r++ {
		row := e.Values[r*e.P : (r+1)*e.P]
		distinct[sim.RowKey(len(params), func(j int) float64 { return row[params[j]] })] = true
	}
	if k := len(params); len(distinct) < k+3 {
		return sim.BadInputf("the posterior ensemble has %d distinct rows for %d uncertain parameters: PRCC needs at least %d (calibrate with more runs)",
			len(distinct), k, k+3)
	}
	return nil
}

// design returns the sampler of the method's design over the analysed
// params, and the Morris design for Morris.
func (a *Analysis) design(params []int) (sim.Sampler, *MorrisDesign) {
	P, k := len(a.Model.Registry().Params), len(params)
	// Unanalysed parameters sit at their median: a design sets only the k
	// analysed coordinates.
	embed := func(design [][]float64) sim.Design {
		pts := make([][]float64, len(design))
		for i, row := range design {
			full := make([]float64, P)
			for p := range full {
				full[p] = 0.5
			}
			for j, p := range params {
				full[p] = row[j]
			}
			pts[i] = full
		}
		return sim.Design{Points: pts}
	}
	switch a.Method {
	case MethodSobol:
		return embed(NewSaltelliDesign(a.Size, k, a.Seed).Points()), nil
	case MethodMorris:
		morris := NewMorrisDesign(a.Size, k, 4, a.Seed)
		// The grid includes 0 and 1; it is laid over each parameter's 5th
		// to 95th percentile, so elementary effects compare plausible
		// values rather than the distributions' extreme tails.
		grid := make([][]float64, len(morris.Points))
		for i, row := range morris.Points {
			grid[i] = make([]float64, k)
			for j, u := range row {
				grid[i][j] = 0.05 + 0.9*u
			}
		}
		return embed(grid), morris
	}
	return sim.MonteCarlo{}, nil
}

// indicesAt appends the indices of every analysed parameter at period t to
// out, from the inputs x (PRCC) and the output yt of every run.
func (a *Analysis) indicesAt(out []Index, params []int, t int, x [][]float64, yt []float64, morris *MorrisDesign) []Index {
	nan := math.NaN()
	switch a.Method {
	case MethodPRCC:
		coef, p := PRCC(x, yt)
		for j := range params {
			out = append(out, Index{Param: params[j], Period: t, Measure: "prcc", Value: coef[j], Lo: nan, Hi: nan, P: p[j]})
		}
	case MethodSobol:
		s := SobolIndices(yt, a.Size, len(params), a.Boot, a.Seed+uint64(t))
		for j := range params {
			out = append(out,
				Index{Param: params[j], Period: t, Measure: "s1", Value: s.S1[j], Lo: s.S1Lo[j], Hi: s.S1Hi[j], P: nan},
				Index{Param: params[j], Period: t, Measure: "st", Value: s.ST[j], Lo: s.STLo[j], Hi: s.STHi[j], P: nan})
		}
	case MethodMorris:
		muStar, m, sigma := morris.Indices(yt)
		for j := range params {
			out = append(out,
				Index{Param: params[j], Period: t, Measure: "mu_star", Value: muStar[j], Lo: nan, Hi: nan, P: nan},
				Index{Param: params[j], Period: t, Measure: "mu", Value: m[j], Lo: nan, Hi: nan, P: nan},
				Index{Param: params[j], Period: t, Measure: "sigma", Value: sigma[j], Lo: nan, Hi: nan, P: nan})
		}
	}
	return out
}

// isFixed reports whether a distribution has a single value.
func isFixed(d dist.Dist) bool {
	lo, hi := d.Support()
	return lo == hi
}

// Headline is the measure a tornado chart shows for the method.
func (m Method) Headline() string {
	switch m {
	case MethodSobol:
		return "st"
	case MethodMorris:
		return "mu_star"
	}
	return "prcc"
}
