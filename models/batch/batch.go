package batch

import (
	"context"
	"fmt"

	"github.com/chokepoint-sim/chokepoint/models"
	"github.com/chokepoint-sim/chokepoint/scenarios"
	"github.com/chokepoint-sim/chokepoint/sim"
)

// Options say how large a batch is and how it is drawn; the zero value is
// the command line's defaults.
type Options struct {
	// Runs is the number of runs; 0 means 1000, as `chokepoint run`.
	Runs int
	// Seed picks the random streams: runs with the same seed draw the
	// same parameters. The command line's default is 1; 0 is a seed like
	// any other, so write 1 to get `chokepoint run`'s numbers.
	Seed uint64
	// Workers is the number of goroutines; 0 means all cores. It never
	// changes a number.
	Workers int
	// Sampler is "mc" (plain Monte Carlo, also ""), "lhs" (Latin
	// hypercube) or "qmc" (scrambled Halton), as --sampler.
	Sampler string
	// From and To narrow or widen the span ("2022Q1"); empty: the first
	// scenario's span.
	From, To string
}

// DefaultRuns is the size of a batch when Options.Runs is 0.
const DefaultRuns = 1000

// Builtins lists the built-in scenarios' names.
func Builtins() []string { return scenarios.Names() }

// Load reads a scenario: a built-in name ("current-policy") or the path of
// a .toml file, with --set style overrides ("export.tpp_threshold=1600")
// applied in order. A mistake in the file or an override is a
// *scenarios.Error naming the file, line and key.
func Load(nameOrPath string, sets ...string) (*sim.Scenario, error) {
	l := &scenarios.Loader{Registry: models.Registry}
	sc, err := l.Load(nameOrPath)
	if err != nil || len(sets) == 0 {
		return sc, err
	}
	return l.Override(sc, sets)
}

// Result is a finished batch: every scenario's summaries and, up to
// sim.ExactLimit values (runs × scenarios × cells), every run's values.
type Result struct {
	// Raw is the engine's result: drawn parameters and values run by run
	// (Raw.Exact), laid out as sim.ScenarioResult says.
	Raw *sim.Result
	// Summaries holds each scenario's mean, sd and quantiles of every
	// output at every quarter, in the order the scenarios were given:
	// the numbers summary.csv holds.
	Summaries []sim.Summary
}

// Run runs one batch of the reference model over the scenarios: the same
// runs, with the same parameter draws, in each. It stops with ctx's error
// when ctx ends.
func Run(ctx context.Context, o Options, scs ...*sim.Scenario) (*Result, error) {
	if len(scs) == 0 {
		return nil, fmt.Errorf("batch: no scenario to run")
	}
	b, err := o.batch(scs)
	if err != nil {
		return nil, err
	}
	res, err := b.Run(ctx)
	if err != nil {
		return nil, err
	}
	return &Result{Raw: res, Summaries: res.Summaries(o.Workers)}, nil
}

// batch checks the options and builds the engine's batch.
func (o Options) batch(scs []*sim.Scenario) (*sim.Batch, error) {
	runs := o.Runs
	if runs == 0 {
		runs = DefaultRuns
	}
	if runs < 0 {
		return nil, fmt.Errorf("batch: Runs must be positive, found %d", runs)
	}
	b := &sim.Batch{Model: models.China{}, Scenarios: scs, Span: scs[0].Span, Runs: runs, Hi: runs,
		Seed: o.Seed, Workers: o.Workers}
	switch o.Sampler {
	case "", "mc":
	case "lhs":
		b.Sampler = &sim.LatinHypercube{}
	case "qmc":
		b.Sampler = &sim.Halton{}
	default:
		return nil, fmt.Errorf("batch: Sampler must be mc, lhs or qmc, found %q", o.Sampler)
	}
	var err error
	if o.From != "" {
		if b.Span.Start, err = sim.ParsePeriod(o.From); err != nil {
			return nil, fmt.Errorf("batch: From: %w", err)
		}
	}
	if o.To != "" {
		if b.Span.End, err = sim.ParsePeriod(o.To); err != nil {
			return nil, fmt.Errorf("batch: To: %w", err)
		}
	}
	if b.Span.End < b.Span.Start {
		return nil, fmt.Errorf("batch: To %s is before From %s", b.Span.End, b.Span.Start)
	}
	return b, nil
}

// Summary returns the summary of one output of one scenario at one
// quarter: the row of summary.csv with that scenario, output and period.
func (r *Result) Summary(scenario, output, period string) (sim.Stats, error) {
	s, c, err := r.cell(scenario, output, period)
	if err != nil {
		return sim.Stats{}, err
	}
	return r.Summaries[s].Stats[c], nil
}

// Samples returns every run's value of one output of one scenario at one
// quarter, in run order: the column of samples.csv. A batch too large to
// keep every run (beyond sim.ExactLimit) has only summaries.
func (r *Result) Samples(scenario, output, period string) ([]float64, error) {
	s, c, err := r.cell(scenario, output, period)
	if err != nil {
		return nil, err
	}
	if !r.Raw.Exact {
		return nil, fmt.Errorf("batch: %d runs are summarised as they go; only summaries are kept", r.Raw.Runs)
	}
	return r.Raw.Scenarios[s].Column(c, r.Raw.Cells(), nil), nil
}

// Params returns every run's draw of one parameter in one scenario, in run
// order: the column of params.csv.
func (r *Result) Params(scenario, param string) ([]float64, error) {
	s, err := r.scenario(scenario)
	if err != nil {
		return nil, err
	}
	p, ok := r.Raw.Registry.ParamIndex(param)
	if !ok {
		return nil, fmt.Errorf("batch: unknown parameter %q%s", param, didYouMean(param, r.Raw.Registry.ParamKeys()))
	}
	if !r.Raw.Exact {
		return nil, fmt.Errorf("batch: %d runs are summarised as they go; only summaries are kept", r.Raw.Runs)
	}
	P := len(r.Raw.Registry.Params)
	ps := r.Raw.Scenarios[s].Params
	out := make([]float64, 0, len(ps)/P)
	for i := p; i < len(ps); i += P {
		out = append(out, ps[i])
	}
	return out, nil
}

// scenario finds a scenario by name.
func (r *Result) scenario(name string) (int, error) {
	var names []string
	for i, sr := range r.Raw.Scenarios {
		if sr.Scenario.Name == name {
			return i, nil
		}
		names = append(names, sr.Scenario.Name)
	}
	return 0, fmt.Errorf("batch: no scenario %q in this batch (it ran %v)", name, names)
}

// cell finds a scenario and the cell of an output at a quarter.
func (r *Result) cell(scenario, output, period string) (s, c int, err error) {
	if s, err = r.scenario(scenario); err != nil {
		return 0, 0, err
	}
	reg := r.Raw.Registry
	o, ok := reg.OutputIndex(output)
	if !ok {
		return 0, 0, fmt.Errorf("batch: unknown output %q%s", output, didYouMean(output, reg.OutputKeys()))
	}
	p, err := sim.ParsePeriod(period)
	if err != nil {
		return 0, 0, fmt.Errorf("batch: %w", err)
	}
	span := r.Raw.Span
	if p < span.Start || p > span.End {
		return 0, 0, fmt.Errorf("batch: %s is outside the span %s-%s", p, span.Start, span.End)
	}
	return s, o*span.Len() + span.Index(p), nil
}

// didYouMean is " (did you mean "x"?)" when a key is close to s, else "".
func didYouMean(s string, keys []string) string {
	if k := sim.Suggest(s, keys); k != "" {
		return fmt.Sprintf(" (did you mean %q?)", k)
	}
	return ""
}
