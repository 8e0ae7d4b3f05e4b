package main

import (
	"context"
	"fmt"
	"io"
	"maps"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/chokepoint-sim/chokepoint/output"
	"github.com/chokepoint-sim/chokepoint/scenarios"
	"github.com/chokepoint-sim/chokepoint/sim"
)

// batchFlags are the flags shared by commands that run a batch.
type batchFlags struct {
	runs, workers int
	seed          uint64
	from, to      string
	sets          []string
	sampler       string
	shard         string
	// set by prepare when --shard is given
	shardIndex, shardCount int
	// refused names the batch flags the command does not take, with why
	refused map[string]string
	flags   *pflag.FlagSet
}

func (f *batchFlags) register(c *cobra.Command) {
	fl := c.Flags()
	f.flags = fl
	fl.IntVar(&f.runs, "runs", 1000, "number of Monte Carlo runs")
	fl.Uint64Var(&f.seed, "seed", 1, "random seed: the same seed gives the same numbers")
	fl.IntVar(&f.workers, "workers", 0, "worker goroutines (0: all cores); never changes the numbers")
	fl.StringVar(&f.from, "from", "", "first quarter simulated, e.g. 2020Q1 (default: the scenario's)")
	fl.StringVar(&f.to, "to", "", "last quarter simulated, e.g. 2035Q4 (default: the scenario's)")
	fl.StringArrayVar(&f.sets, "set", nil, "override a parameter or lever: key=value (repeatable)")
	fl.StringVar(&f.sampler, "sampler", "mc", "sampling design: mc (Monte Carlo), lhs (Latin hypercube) or qmc (scrambled Halton)")
	fl.StringVar(&f.shard, "shard", "", "run only shard i of N (i/N, i from 0), or 'auto' to take it from SLURM_ARRAY_TASK_ID/SLURM_ARRAY_TASK_COUNT, or 'auto/N' with JOB_COMPLETION_INDEX; join shards with 'chokepoint merge'")
}

// refuse hides batch flags the command does not take from its help, and
// makes prepare refuse them, saying why (flag name → reason), rather than
// accept and ignore them.
func (f *batchFlags) refuse(reasons map[string]string) {
	f.refused = reasons
	for name := range reasons {
		_ = f.flags.MarkHidden(name)
	}
}

// maxRuns bounds --runs: beyond it the raw values of one scenario no
// longer fit in this machine's memory.
const maxRuns = 1_000_000

// maxWorkers bounds --workers. Runs are bound by the processor, so workers
// beyond the cores this process may use add no speed, only memory: each
// keeps its own model state and, above the exact limit, its own sketch of
// every cell of every scenario, about 11 MB a scenario (30,000 runs of
// current-policy peak at 59 MB with 2 workers, 726 MB with 64). Four per
// core leave room for cores the runtime does not see; at least 16, so that
// a command written on a larger machine still runs on a laptop (the
// numbers never depend on workers).
func maxWorkers() int { return max(4*runtime.GOMAXPROCS(0), 16) }

// check checks the flags that need no scenario.
func (f *batchFlags) check() (sim.Sampler, error) {
	for _, name := range slices.Sorted(maps.Keys(f.refused)) {
		if f.flags.Changed(name) {
			return nil, usagef("--%s: %s", name, f.refused[name])
		}
	}
	if f.runs < 1 || f.runs > maxRuns {
		return nil, usagef("--runs: expected a whole number from 1 to %d, found %d", maxRuns, f.runs)
	}
	if most := maxWorkers(); f.workers < 0 || f.workers > most {
		return nil, usagef("--workers: expected 0 (all cores) to %d (4 per core, at least 16), found %d", most, f.workers)
	}
	switch f.sampler {
	case "mc":
		return nil, nil
	case "lhs":
		return &sim.LatinHypercube{}, nil
	case "qmc":
		return &sim.Halton{}, nil
	}
	return nil, usagef("--sampler: expected mc, lhs or qmc, found %q", f.sampler)
}

// prepare checks the flags and loads the scenarios into a batch.
func (f *batchFlags) prepare(names []string) (*sim.Batch, error) {
	sampler, err := f.check()
	if err != nil {
		return nil, err
	}
	if len(names) == 0 {
		names = []string{scenarios.Default}
	}
	loader := &scenarios.Loader{Registry: registry()}
	var scs []*sim.Scenario
	seen := map[string]string{}
	for _, n := range names {
		sc, err := loader.Load(n)
		if err != nil {
			return nil, err
		}
		if len(f.sets) > 0 {
			if sc, err = loader.Override(sc, f.sets); err != nil {
				return nil, err
			}
		}
		if prev, dup := seen[sc.Name]; dup {
			return nil, usagef("scenario %q is given twice (%s and %s)", sc.Name, prev, n)
		}
		seen[sc.Name] = n
		scs = append(scs, sc)
	}
	span := scs[0].Span
	for _, sc := range scs[1:] {
		if sc.Span != span && f.from == "" && f.to == "" {
			return nil, usagef("scenarios %s (%s-%s) and %s (%s-%s) cover different spans; set --from and --to",
				scs[0].Name, span.Start, span.End, sc.Name, sc.Span.Start, sc.Span.End)
		}
	}
	if f.from != "" {
		if span.Start, err = sim.ParsePeriod(f.from); err != nil {
			return nil, usagef("--from: %v", err)
		}
	}
	if f.to != "" {
		if span.End, err = sim.ParsePeriod(f.to); err != nil {
			return nil, usagef("--to: %v", err)
		}
	}
	if span.End < span.Start {
		return nil, usagef("--to %s is before --from %s", span.End, span.Start)
	}
	if span.Len() > 400 {
		return nil, usagef("span %s-%s is %d quarters; at most 400", span.Start, span.End, span.Len())
	}
	b := &sim.Batch{Model: theModel, Scenarios: scs, Span: span, Runs: f.runs, Hi: f.runs,
		Seed: f.seed, Workers: f.workers, Sampler: sampler}
	if f.shard != "" {
		i, n, err := parseShard(f.shard, os.Getenv)
		if err != nil {
			return nil, err
		}
		if chunks := (f.runs + sim.ChunkRuns - 1) / sim.ChunkRuns; n > chunks {
			return nil, usagef("--shard %s: %d runs make %d chunk(s) of %d; split them into at most %d shard(s)",
				f.shard, f.runs, chunks, sim.ChunkRuns, chunks)
		}
		b.Lo, b.Hi = sim.ShardRange(i, n, f.runs)
		f.shardIndex, f.shardCount = i, n
	}
	return b, nil
}

// checkOutDir checks, before any work, the results folder given to --out:
// a folder chokepoint may replace whole.
func checkOutDir(dir string) error {
	if dir == "" {
		return usagef(`--out: expected a folder, found ""`)
	}
	if err := output.CheckTarget(dir); err != nil {
		return usagef("--out %v", err)
	}
	return nil
}

// checkKept refuses a batch too large to keep every run's values (above
// sim.ExactLimit values a batch keeps summaries only), for a verb whose
// results need them.
func checkKept(b *sim.Batch, verb string) error {
	cells := int64(len(b.Model.Registry().Outputs)) * int64(b.Span.Len())
	most := sim.ExactLimit / (int64(len(b.Scenarios)) * cells)
	if int64(b.Runs) > most {
		return usagef("--runs: %s keeps every run's values: at most %d runs of %d scenario(s) over %d quarters, found %d",
			verb, most, len(b.Scenarios), b.Span.Len(), b.Runs)
	}
	return nil
}

// resultFlags are the flags of commands that write a results folder, with
// the batch flags they extend.
type resultFlags struct {
	batchFlags
	draw                     drawFlags
	events                   eventsFlag
	ensemble                 ensembleFlag
	out                      string
	noCharts, quiet, samples bool
	dataFormat               string
}

func (f *resultFlags) register(c *cobra.Command) {
	f.batchFlags.register(c)
	c.Flags().StringVar(&f.out, "out", "out", "results folder (replaced whole when the run succeeds)")
	c.Flags().BoolVar(&f.noCharts, "no-charts", false, "write tables only")
	c.Flags().BoolVar(&f.quiet, "quiet", false, "print nothing on success")
	c.Flags().BoolVar(&f.samples, "samples", false, "also write samples.csv (or .parquet): every run's outputs, streamed to disk at any --runs")
	c.Flags().StringVar(&f.dataFormat, "data-format", output.FormatCSV, "format of params, samples and summary: csv, parquet or csv,parquet (summary.csv is always written; docs/data-format.md)")
	f.ensemble.register(c)
	f.draw.register(c)
	f.events.register(c)
}

// start checks the flags, prepares the batch of the scenarios named by args
// and hooks a progress bar to it, for the command verb.
func (f *resultFlags) start(cmd *cobra.Command, args []string, verb string) (*sim.Batch, writeOpts, error) {
	b, err := f.prepare(args)
	if err != nil {
		return nil, writeOpts{}, err
	}
	if err := checkOutDir(f.out); err != nil {
		return nil, writeOpts{}, err
	}
	if err := f.draw.check(len(b.Scenarios)); err != nil {
		return nil, writeOpts{}, err
	}
	if err := f.events.check(b.Scenarios); err != nil {
		return nil, writeOpts{}, err
	}
	if err := f.ensemble.load(b, f.sampler); err != nil {
		return nil, writeOpts{}, err
	}
	b.Diffs = verb == "compare"
	formats, err := parseDataFormat(f.dataFormat)
	if err != nil {
		return nil, writeOpts{}, err
	}
	p := newProgress(cmd.ErrOrStderr(), b.Hi-b.Lo, f.quiet, "runs")
	b.Progress = p.update
	return b, writeOpts{charts: !f.noCharts, draw: f.draw.opts(), events: f.events, samples: f.samples, verb: verb, formats: formats,
		shard: f.shardLabel(), sampler: f.sampler, progress: p, ensemble: f.ensemble.info}, nil
}

func newRunCmd() *cobra.Command {
	var rf resultFlags
	c := &cobra.Command{
		Use:   "run [SCENARIO...]",
		Short: "Run a Monte Carlo batch and write a results folder",
		Long: `Run one or more scenarios (built-in names or .toml paths; default
current-policy) and write to --out: manifest.json, summary.csv, params.csv
and charts/<scenario>-<output>.png.`,
		Example: `  chokepoint run
  chokepoint run current-policy no-controls --runs 5000 --seed 7 --out results
  chokepoint run my-scenario.toml --set substitution.elasticity=0`,
		Args: cobra.ArbitraryArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			b, opts, err := rf.start(cmd, args, "run")
			if err != nil {
				return err
			}
			return runBatch(cmd.Context(), b, rf.out, opts, rf.quiet, cmd.OutOrStdout())
		},
	}
	rf.register(c)
	return c
}

func runBatch(ctx context.Context, b *sim.Batch, out string, opts writeOpts, quiet bool, stdout io.Writer) error {
	started := time.Now()
	dir, err := output.Begin(out)
	if err != nil {
		return err
	}
	res, err := runStreaming(ctx, b, dir, opts)
	if err != nil {
		dir.Abort()
		return err
	}
	var sums []sim.Summary
	var diffs []sim.Diff
	finished := time.Now()
	switch {
	case opts.shard != "":
		err = writeShard(dir, res, opts, started, finished)
	case opts.verb == "compare":
		sums, diffs = res.Summaries(b.Workers), res.PairedDiffs(0, b.Workers)
		finished = time.Now()
		err = writeCompare(dir, res, sums, diffs, opts, started, finished)
	default:
		sums = res.Summaries(b.Workers)
		finished = time.Now()
		err = writeResults(dir, res, sums, opts, started, finished)
	}
	if err := dir.Finish(ctx, err); err != nil {
		return err
	}
	if quiet {
		return nil
	}
	took := finished.Sub(started).Seconds()
	switch {
	case opts.shard != "":
		fmt.Fprintf(stdout, "shard %s: runs %d to %d of %d in %.2fs; wrote %s (join shards with chokepoint merge)\n",
			opts.shard, res.Lo, res.Hi-1, res.Runs, took, relPath(dir.Target))
	case opts.verb == "compare":
		printDiffs(stdout, res, sums, diffs)
		printChannels(stdout, res, diffs)
		if opts.regret != nil {
			opts.regret.print(stdout, res)
		}
		fmt.Fprintf(stdout, "\n%d runs of %d scenarios in %.2fs; wrote %s\n", res.N(), len(res.Scenarios), took, relPath(dir.Target))
	default:
		printHeadline(stdout, res, sums)
		fmt.Fprintf(stdout, "\n%d runs in %.2fs; wrote %s\n", res.N(), took, relPath(dir.Target))
	}
	return nil
}

// runStreaming runs the batch while its per-run tables (params, and
// samples when asked, in each data format) stream into dir in run order.
func runStreaming(ctx context.Context, b *sim.Batch, dir *output.Folder, opts writeOpts) (*sim.Result, error) {
	l := output.TableLayout{Registry: b.Model.Registry(), Span: b.Span, Runs: b.Runs, Lo: b.Lo, Hi: b.Hi, Version: version}
	if l.Hi == 0 {
		l.Hi = b.Runs
	}
	for _, sc := range b.Scenarios {
		l.Scenarios = append(l.Scenarios, sc.Name)
	}
	tables, err := output.OpenRunTables(l, dir.Path, opts.dataFormats(), opts.samples)
	if err != nil {
		return nil, err
	}
	bb := *b
	if prev := b.Observe; prev != nil {
		bb.Observe = func(run, s int, params, values []float64) {
			prev(run, s, params, values)
			tables.Observe(run, s, params, values)
		}
	} else {
		bb.Observe = tables.Observe
	}
	res, err := bb.Run(ctx)
	if opts.progress != nil {
		opts.progress.finish()
	}
	if cerr := tables.Close(err == nil); err == nil {
		err = cerr
	}
	return res, err
}

// parseDataFormat reads --data-format: csv, parquet or both, comma-separated.
func parseDataFormat(s string) ([]string, error) {
	var formats []string
	for _, f := range strings.Split(s, ",") {
		f = strings.TrimSpace(f)
		if f != output.FormatCSV && f != output.FormatParquet {
			return nil, usagef("--data-format: expected csv, parquet or csv,parquet, found %q", s)
		}
		if !slices.Contains(formats, f) {
			formats = append(formats, f)
		}
	}
	return formats, nil
}

// writeOpts says what a batch writes besides its tables.
type writeOpts struct {
	charts, samples bool
	verb            string // "run" or "compare"
	shard           string // "i/N" for a shard's partial folder
	sampler         string
	progress        *progress
	formats         []string        // data formats of params, samples and summary (nil: csv)
	regret          *regretPlan     // compare --regret
	draw            output.DrawOpts // --format, --width, --height, --dpi
	events          []string        // --events
	ensemble        *output.EnsembleInfo
}

// writeResults writes what every batch leaves besides its per-run tables
// (written as it runs, or by merge): summary.csv (and summary.parquet),
// charts unless told not to, and manifest.json.
func writeResults(dir *output.Folder, res *sim.Result, sums []sim.Summary, o writeOpts, started, finished time.Time) error {
	if err := writeCSV(dir.Path("summary.csv"), func(w io.Writer) error {
		return output.WriteSummary(w, res.Registry, res.Span, sums)
	}); err != nil {
		return err
	}
	if slices.Contains(o.dataFormats(), output.FormatParquet) {
		if err := output.WriteSummaryParquet(dir.Path(output.SummaryParquet), version, res.Registry, res.Span, sums); err != nil {
			return err
		}
	}
	if err := output.WriteEvents(dir.Path(output.EventsName), res, milestones()...); err != nil {
		return err
	}
	if o.charts {
		data := output.FromResult(version, res, sums, nil).WithMarks(milestones())
		if o.samples {
			data.WithSamples(res)
		}
		if err := output.DrawCharts(dir.Path("charts"), output.ChartSpec{DrawOpts: o.draw, Outputs: chartOutputs(), Events: o.events}, data); err != nil {
			return err
		}
	}
	m := output.NewManifest(version, res, o.samplerName(), started, finished)
	m.Ensemble = o.ensemble
	return output.WriteJSON(dir.Path(output.ManifestName), m)
}

// dataFormats are the formats of the tables, csv unless told otherwise.
func (o writeOpts) dataFormats() []string {
	if len(o.formats) == 0 {
		return []string{output.FormatCSV}
	}
	return o.formats
}

func (o writeOpts) samplerName() string {
	if o.sampler == "" {
		return "mc"
	}
	return o.sampler
}

func writeCSV(path string, fill func(io.Writer) error) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if err := fill(f); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

func relPath(p string) string {
	if wd, err := os.Getwd(); err == nil {
		if r, err := filepath.Rel(wd, p); err == nil && !strings.HasPrefix(r, "..") {
			return r
		}
	}
	return p
}

// headlineYears are the years of the table printed after a run; its
// outputs are the registry's featured in the headline (sim.Headline).
var headlineYears = []int{2025, 2027, 2030, 2035}

// headlineTable prints the headline outputs at the fourth quarter of the
// headline years, one cell per (output, quarter) from cell(o, t).
func headlineTable(w io.Writer, res *sim.Result, cell func(o, t int) string) {
	reg := res.Registry
	T := res.Span.Len()
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprint(tw, "output")
	var cols []int
	for _, y := range headlineYears {
		if t := res.Span.Index(sim.NewPeriod(y, 4)); t >= 0 && t < T {
			cols = append(cols, t)
			fmt.Fprintf(tw, "\t%dQ4", y)
		}
	}
	fmt.Fprintln(tw)
	for _, k := range reg.Featured(sim.Headline) {
		o, _ := reg.OutputIndex(k)
		fmt.Fprintf(tw, "%s (%s)", k, reg.Outputs[o].Unit)
		for _, t := range cols {
			fmt.Fprint(tw, "\t"+cell(o, t))
		}
		fmt.Fprintln(tw)
	}
	tw.Flush()
}

// printHeadline prints, for each scenario, the median and 90% interval of
// the headline outputs at the fourth quarter of a few years.
func printHeadline(w io.Writer, res *sim.Result, sums []sim.Summary) {
	T := res.Span.Len()
	for _, s := range sums {
		fmt.Fprintf(w, "%s: %s (median [5%%, 95%%])\n", s.Scenario.Name, s.Scenario.Title)
		headlineTable(w, res, func(o, t int) string {
			st := s.Stats[o*T+t]
			return fmt.Sprintf("%s [%s, %s]", short(st.P50()), short(st.P05()), short(st.P95()))
		})
	}
}

// short prints a number in a terminal table: three significant figures
// and a suffix (sim.TableStyle).
func short(v float64) string { return sim.FormatShort(v, sim.TableStyle) }
