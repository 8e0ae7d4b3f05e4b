package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"github.com/chokepoint-sim/chokepoint/models"
	"github.com/chokepoint-sim/chokepoint/output"
	"github.com/chokepoint-sim/chokepoint/output/chart"
	"github.com/chokepoint-sim/chokepoint/scenarios"
	"github.com/chokepoint-sim/chokepoint/sim"
)

// drawFlags are the flags of every verb that draws: the file formats, the
// size and the resolution of its charts. One helper, so that every verb
// says and checks them alike.
type drawFlags struct {
	formats       []string
	width, height float64
	dpi           int
}

func (f *drawFlags) register(c *cobra.Command) {
	fl := c.Flags()
	fl.StringSliceVar(&f.formats, "format", []string{"png"}, "chart file formats: png, svg, pdf; e.g. --format png,svg,pdf")
	fl.Float64Var(&f.width, "width", 0, "chart width in inches, 0.1 to 100 (default 8)")
	fl.Float64Var(&f.height, "height", 0, "chart height in inches, 0.1 to 100 (default 4.5, or as the chart's rows need)")
	fl.IntVar(&f.dpi, "dpi", chart.DefaultDPI, "resolution of PNG files, dots per inch (1 to 2400; a PNG has at most 100 million pixels)")
}

// opts returns the flags as output takes them.
func (f *drawFlags) opts() output.DrawOpts {
	return output.DrawOpts{Formats: f.formats, Width: f.width, Height: f.height, DPI: f.dpi}
}

// check reports flags that no data could make right: a format chokepoint
// does not write, a size or resolution outside the limits
// (chart.CheckSize), or a PNG of more than chart.MaxPixels at the size
// asked (the default height taken as that of a chart of panels panels,
// the tallest drawn from scenarios).
func (f *drawFlags) check(panels int) error {
	for _, s := range f.formats {
		switch strings.ToLower(strings.TrimSpace(s)) {
		case "png", "svg", "pdf":
		default:
			return usagef("--format: expected png, svg or pdf, found %q", s)
		}
	}
	for _, d := range []struct {
		name string
		v    float64
	}{{"width", f.width}, {"height", f.height}} {
		if err := chart.CheckSize(d.v, 0, 0); err != nil {
			return usagef("--%s: expected inches from %g to %d, found %g", d.name, chart.MinInches, chart.MaxInches, d.v)
		}
	}
	if err := chart.CheckSize(0, 0, f.dpi); err != nil || f.dpi == 0 {
		return usagef("--dpi: expected 1 to %d, found %d", chart.MaxDPI, f.dpi)
	}
	if !slices.ContainsFunc(f.formats, func(s string) bool { return strings.EqualFold(strings.TrimSpace(s), "png") }) {
		return nil
	}
	w, h := f.width, f.height
	if w == 0 {
		w = chart.DefaultWidth
	}
	if h == 0 {
		_, h = (&chart.Distribution{Samples: make([]chart.Sample, panels)}).Size(0, 0)
	}
	if err := chart.CheckRaster("png", w, h, f.dpi); err != nil {
		return usagef("--width, --height, --dpi: %s", strings.TrimPrefix(err.Error(), "chart: "))
	}
	return nil
}

// eventsFlag is --events of the verbs that draw charts over time: which
// policy dates they mark.
type eventsFlag []string

func (f *eventsFlag) register(c *cobra.Command) {
	c.Flags().StringSliceVar((*[]string)(f), "events", nil,
		"policy dates marked on charts over time: event ids (e.g. hbm-ban,h20-licence)"+milestoneHelp()+", 'all' or 'none' (default: the most important few, and the model's milestones on the charts of the outputs they turn)")
}

// check reports, before any run, an id of --events that no event of the
// scenarios has, or 'all' or 'none' beside others.
func (f eventsFlag) check(scs []*sim.Scenario) error {
	var ids []string
	for _, sc := range scs {
		for _, e := range sc.Events {
			ids = append(ids, e.ID)
		}
	}
	for _, m := range milestones() {
		ids = append(ids, m.ID)
	}
	for _, id := range f {
		if (id == output.EventsAll || id == output.EventsNone) && len(f) > 1 {
			return usagef("--events: 'all' and 'none' stand alone, found %s", strings.Join(f, ","))
		}
		if id == output.EventsAll || id == output.EventsNone || slices.Contains(ids, id) {
			continue
		}
		msg := fmt.Sprintf("--events %s: no event of these scenarios has that id", id)
		if s := sim.Suggest(id, ids); s != "" {
			msg += fmt.Sprintf(" (did you mean %q?)", s)
		}
		return usagef("%s", msg)
	}
	return nil
}

// chartFlags are the flags that say which charts to draw and how.
type chartFlags struct {
	drawFlags
	events         eventsFlag
	kinds, outputs []string
	lines          int
	at             string
	wide           bool
}

func (f *chartFlags) register(c *cobra.Command) {
	f.drawFlags.register(c)
	f.events.register(c)
	fl := c.Flags()
	fl.StringSliceVar(&f.kinds, "kind", nil, "chart kinds: fan, compare, diff, spaghetti, distribution, tornado, importance (default: every kind the results allow)")
	fl.StringSliceVar(&f.outputs, "output", nil, "outputs to draw, e.g. "+featuredExample()+" (default: the headline outputs)")
	fl.StringVar(&f.at, "at", "", "quarter of distribution and tornado charts (default 2030Q4)")
	fl.IntVar(&f.lines, "lines", output.DefaultLines, "runs drawn in a spaghetti chart (at most 50)")
	fl.BoolVar(&f.wide, "wide", false, "also write each chart's data as NAME.csv: one row per quarter, one column per series (for Datawrapper or a spreadsheet)")
}

// spec checks the flags and returns the charts they ask for. Outputs
// default to the headline outputs of run (and those of a sensitivity
// analysis in data), so that chart redraws what run drew.
func (f *chartFlags) spec(data *output.ResultsData, from, to string) (output.ChartSpec, error) {
	s := output.ChartSpec{DrawOpts: f.opts(), Kinds: f.kinds, Outputs: f.outputs, Events: f.events,
		Lines: f.lines, Wide: f.wide}
	if err := f.check(len(data.Scenarios)); err != nil {
		return s, err
	}
	for _, p := range []struct {
		flag, v string
		to      *sim.Period
	}{{"at", f.at, &s.At}, {"from", from, &s.From}, {"to", to, &s.To}} {
		if p.v == "" {
			continue
		}
		q, err := sim.ParsePeriod(p.v)
		if err != nil {
			return s, usagef("--%s: %v", p.flag, err)
		}
		*p.to = q
	}
	if len(s.Outputs) == 0 {
		for _, k := range chartOutputs() {
			if _, ok := data.OutputIndex(k); ok {
				s.Outputs = append(s.Outputs, k)
			}
		}
		for _, r := range data.Sensitivity {
			if !slices.Contains(s.Outputs, r.Output) {
				s.Outputs = append(s.Outputs, r.Output)
			}
		}
	}
	// Checked here, before anything is drawn, to be reported as the
	// user's mistake.
	if err := s.Check(data); err != nil {
		return s, usagef("%v", err)
	}
	if charts, _ := output.Charts(s, data); len(charts) == 0 {
		return s, usagef("nothing to draw: these results hold no summary.csv, samples.csv, diff.csv or sensitivity.csv")
	}
	return s, nil
}

func newChartCmd() *cobra.Command {
	var bf batchFlags
	var cf chartFlags
	var out string
	var quiet bool
	c := &cobra.Command{
		Use:   "chart RESULTS_DIR | SCENARIO...",
		Short: "Draw publishable charts from a results folder, or from scenarios run now",
		Long: `Draw charts in the house style: a title, a subtitle with the unit, 50% and
90% of runs shaded, policy dates marked, and a source line with the version,
scenarios, runs and seed.

Given a results folder (from run, compare or sensitivity), redraw its charts
without running anything: the same data gives the same files, byte for byte,
into RESULTS_DIR/charts unless --out says otherwise.

Given scenarios (built-in names or .toml files), run them first (--runs,
--seed, ... as for run; the first is the base of the differences) and draw
into --out (default ./charts).

Kinds: fan (one scenario), compare (medians and 90% bands of several),
diff (paired difference against the base), spaghetti (single runs),
distribution (histograms at --at, one per scenario), tornado and importance
(from a sensitivity analysis). Spaghetti and distribution charts of a
results folder need its samples.csv (run --samples).`,
		Example: `  chokepoint chart out
  chokepoint chart out --kind compare,diff --output ` + featuredExample() + ` --format png,svg,pdf --wide
  chokepoint chart current-policy no-controls --runs 2000 --kind compare --format svg --out charts`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runChart(cmd, args, &bf, &cf, out, quiet)
		},
	}
	bf.register(c)
	cf.register(c)
	c.Flags().StringVar(&out, "out", "", "folder for the charts (default: RESULTS_DIR/charts, or ./charts)")
	c.Flags().BoolVar(&quiet, "quiet", false, "print nothing on success")
	return c
}

// runChart draws the charts of a results folder, or of scenarios run now.
// What no data can make right, and where the charts go, are checked
// before anything is read or run.
func runChart(cmd *cobra.Command, args []string, bf *batchFlags, cf *chartFlags, out string, quiet bool) error {
	dir, isDir := resultsDir(args)
	if err := cf.check(len(args)); err != nil {
		return err
	}
	if out == "" {
		out = "charts"
		if isDir {
			out = filepath.Join(dir, "charts")
		}
	}
	if err := output.CheckChartDir(out); err != nil {
		return err
	}
	var data *output.ResultsData
	var err error
	if isDir {
		data, err = readChartData(dir)
	} else {
		data, err = runChartData(cmd.Context(), bf, args)
	}
	if err != nil {
		return err
	}
	// --from and --to set the span of scenarios run now; of a results
	// folder, the quarters drawn.
	from, to := "", ""
	if isDir {
		from, to = bf.from, bf.to
	}
	spec, err := cf.spec(data, from, to)
	if err != nil {
		return err
	}
	if err := output.DrawChartsContext(cmd.Context(), out, spec, data); err != nil {
		return err
	}
	if !quiet {
		charts, _ := output.Charts(spec, data)
		perChart := len(dedupe(spec.Formats))
		if spec.Wide {
			perChart++ // NAME.csv beside each chart
		}
		fmt.Fprintf(cmd.OutOrStdout(), "wrote %s (%d files) to %s\n", plural(len(charts), "chart"),
			len(charts)*perChart, relPath(out))
	}
	return nil
}

// readChartData reads a results folder for charts; a shard's folder,
// which holds part of the runs, is refused.
func readChartData(dir string) (*output.ResultsData, error) {
	if shard := shardOf(dir); shard != "" {
		return nil, usagef("%s: a shard folder (shard %s of a batch) holds part of the runs; merge the shards first "+
			"(chokepoint merge SHARD_DIR... --out DIR), then chart the merged folder", dir, shard)
	}
	data, err := output.ReadResults(dir, models.Registry)
	if err != nil {
		if errors.Is(err, output.ErrNoResults) {
			return nil, usagef("%v", err)
		}
		return nil, err
	}
	builtinEvents(data)
	return data, nil
}

// runChartData runs the scenarios args names, keeping every run's values.
func runChartData(ctx context.Context, bf *batchFlags, args []string) (*output.ResultsData, error) {
	if bf.shard != "" {
		return nil, usagef("--shard: charts need the whole batch; run the shards, merge them, then chart the merged folder")
	}
	b, err := bf.prepare(args)
	if err != nil {
		return nil, err
	}
	res, err := b.Run(ctx)
	if err != nil {
		return nil, err
	}
	var diffs []sim.Diff
	if len(res.Scenarios) > 1 {
		diffs = res.PairedDiffs(0, b.Workers)
	}
	return output.FromResult(version, res, res.Summaries(b.Workers), diffs).WithSamples(res).WithMarks(milestones()), nil
}

// builtinEvents gives the scenarios of a results folder without
// events.json (written before it existed) the events of the built-in
// scenario of the same name, when it is the very scenario that ran: same
// resolved content, by its SHA-256 in manifest.json.
func builtinEvents(data *output.ResultsData) {
	loader := &scenarios.Loader{Registry: models.Registry}
	for i := range data.Scenarios {
		s := &data.Scenarios[i]
		if s.Events != nil || s.Hash == "" || !slices.Contains(scenarios.Names(), s.Name) {
			continue
		}
		if sc, err := loader.Load(s.Name); err == nil && sc.Hash == s.Hash {
			s.Events = output.EventMarks(models.Registry, sc)
		}
	}
}

// shardOf returns the shard ("i/N") of the results folder dir, or "" when
// it is not a shard's (or its manifest.json is not a small regular file,
// which reading the folder reports).
func shardOf(dir string) string {
	path := filepath.Join(dir, output.ManifestName)
	fi, err := os.Lstat(path)
	if err != nil || !fi.Mode().IsRegular() || fi.Size() > 1<<20 {
		return ""
	}
	m, err := output.ReadManifest(path)
	if err != nil {
		return ""
	}
	return m.Shard
}

// resultsDir reports whether args name one results folder (a folder with
// a manifest.json), and which.
func resultsDir(args []string) (string, bool) {
	if len(args) != 1 {
		return "", false
	}
	fi, err := os.Stat(args[0])
	if err != nil || !fi.IsDir() {
		return "", false
	}
	return args[0], true
}

// dedupe returns the distinct values of xs.
func dedupe(xs []string) []string {
	var out []string
	for _, x := range xs {
		if !slices.Contains(out, x) {
			out = append(out, x)
		}
	}
	return out
}

// plural writes n things: "1 chart", "20 charts".
func plural(n int, thing string) string {
	if n == 1 {
		return "1 " + thing
	}
	return strconv.Itoa(n) + " " + thing + "s"
}
