package main

import (
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/chokepoint-sim/chokepoint/output"
	"github.com/chokepoint-sim/chokepoint/scenarios"
	"github.com/chokepoint-sim/chokepoint/sim"
	"github.com/chokepoint-sim/chokepoint/sim/discover"
	"github.com/chokepoint-sim/chokepoint/sim/dist"
)

// discoverFlags are the flags of the discover command.
type discoverFlags struct {
	batchFlags
	draw                   drawFlags
	outKey, at, where, out string
	noCharts, quiet        bool
	ens                    ensembleFlag
}

// discoverRuns is discover's default --runs: PRIM needs more runs than a
// summary, the cases of interest being a fraction of them.
const discoverRuns = 5000

func newDiscoverCmd() *cobra.Command {
	var f discoverFlags
	c := &cobra.Command{
		Use:   "discover SCENARIO [OTHER] --output NAME --where COND",
		Short: "Scenario discovery (PRIM): which assumptions lead to a case of interest",
		Long: `Run SCENARIO (and OTHER, with the same draws) and find, with PRIM (the
Patient Rule Induction Method), the ranges of the sampled parameters and
structural switches in which the runs of interest concentrate.

With one scenario the case of interest is a condition on --output at --at:
--where '> 5e6', '< 12', '>= 0.5'. With two, a condition on the paired
difference OTHER − SCENARIO ('diff > 0': the runs in which OTHER gives the
higher value) or on their ratio OTHER ÷ SCENARIO ('ratio > 1.1').

Prints the box chosen in plain words with each restriction's quasi-p-value,
and writes to --out: discover.csv (the peeling trajectory and the box),
charts/discover-trajectory.png, charts/discover-box.png and manifest.json.
See docs/analysis.md for how to read them.

With --ensemble the runs take posterior draws (chokepoint calibrate); runs
that repeat a draw count once in the significance check. With --shard i/n
each shard writes its runs' parameters and cases (discover-rows.csv), and
chokepoint merge runs PRIM over them all: the same box as one machine.`,
		Example: "  chokepoint discover " + scenarios.Default + " escalation-2025 --output " + featuredExample() + " --at 2030Q4 --where 'diff > 0'",
		Args:    cobra.RangeArgs(1, 2),
		RunE: func(cmd *cobra.Command, args []string) error {
			p, err := f.plan(cmd, args)
			if err != nil {
				return err
			}
			return f.discover(cmd, p)
		},
	}
	f.register(c)
	f.ens.register(c)
	c.Flags().StringVar(&f.outKey, "output", "", "the output the condition is on, e.g. "+featuredExample())
	c.Flags().StringVar(&f.at, "at", "", "the quarter the condition is on (default 2030Q4)")
	c.Flags().StringVar(&f.where, "where", "", "the case of interest: '> 5e6' with one scenario; 'diff > 0' or 'ratio > 1.1' with two")
	c.Flags().StringVar(&f.out, "out", "out-discover", "results folder")
	c.Flags().BoolVar(&f.noCharts, "no-charts", false, "write tables only")
	c.Flags().BoolVar(&f.quiet, "quiet", false, "print nothing on success")
	f.draw.register(c)
	return c
}

// condition is a parsed --where: the paired difference or ratio (with two
// scenarios) or the value (with one) compared with a number.
type condition struct {
	of   string // "value", "diff" or "ratio"
	op   string // ">", ">=", "<" or "<="
	than float64
}

// parseWhere reads --where for a discovery over scenarios scenarios.
func parseWhere(s string, scenarios int) (condition, error) {
	const form = "expected a comparison such as '> 5e6' (one scenario) or 'diff > 0', 'ratio > 1.1' (two)"
	fields := strings.Fields(s)
	c := condition{of: "value"}
	if len(fields) > 0 && (fields[0] == "diff" || fields[0] == "ratio") {
		c.of, fields = fields[0], fields[1:]
	}
	// '>5e6' as one word: split the operator off
	if len(fields) == 1 {
		op := strings.TrimRight(fields[0][:min(2, len(fields[0]))], "0123456789.+-eE")
		fields = []string{op, strings.TrimPrefix(fields[0], op)}
	}
	if len(fields) != 2 {
		return c, usagef("--where %q: %s", s, form)
	}
	switch fields[0] {
	case ">", ">=", "<", "<=":
		c.op = fields[0]
	default:
		return c, usagef("--where %q: %s; found the operator %q (expected >, >=, < or <=)", s, form, fields[0])
	}
	v, err := strconv.ParseFloat(fields[1], 64)
	if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
		return c, usagef("--where %q: expected a finite number after %s, found %q", s, c.op, fields[1])
	}
	c.than = v
	switch {
	case scenarios == 2 && c.of == "value":
		return c, usagef("--where %q: with two scenarios the condition is on their paired difference or ratio: 'diff %s %s' or 'ratio %s %s'",
			s, c.op, fields[1], c.op, fields[1])
	case scenarios == 1 && c.of != "value":
		return c, usagef("--where %q: %s needs two scenarios (SCENARIO OTHER); with one, write the condition on the output: '%s %s'",
			s, c.of, c.op, fields[1])
	}
	return c, nil
}

// holds reports whether v meets the condition; NaN meets none.
func (c condition) holds(v float64) bool {
	switch c.op {
	case ">":
		return v > c.than
	case ">=":
		return v >= c.than
	case "<":
		return v < c.than
	}
	return v <= c.than
}

// String writes the condition as the user would.
func (c condition) String() string {
	if c.of == "value" {
		return fmt.Sprintf("%s %s", c.op, strconv.FormatFloat(c.than, 'g', -1, 64))
	}
	return fmt.Sprintf("%s %s %s", c.of, c.op, strconv.FormatFloat(c.than, 'g', -1, 64))
}

// discoverPlan is a checked discover command, ready to run.
type discoverPlan struct {
	b      *sim.Batch // nil when merging shards
	output int
	at     sim.Period
	cond   condition
	params []int // the sampled parameters, registry indices
	// discrete[j] says params[j] is drawn from a discrete distribution (a
	// switch: its box is written as levels).
	discrete []bool
	// caseText says which runs are the cases of interest (caseWords).
	caseText  string
	scenarios []string // the scenarios' names
}

// plan checks every flag before any run.
func (f *discoverFlags) plan(cmd *cobra.Command, args []string) (*discoverPlan, error) {
	if !cmd.Flags().Changed("runs") {
		f.runs = discoverRuns
	}
	o, err := outputFlag(f.outKey)
	if err != nil {
		return nil, err
	}
	if err := f.draw.check(1); err != nil {
		return nil, err
	}
	if f.where == "" {
		return nil, usagef("--where: required; e.g. '> 5e6' with one scenario, 'diff > 0' with two")
	}
	cond, err := parseWhere(f.where, len(args))
	if err != nil {
		return nil, err
	}
	b, err := f.prepare(args)
	if err != nil {
		return nil, err
	}
	at, err := atFlag(f.at, b.Span)
	if err != nil {
		return nil, err
	}
	if err := f.ens.load(b, f.sampler); err != nil {
		return nil, err
	}
	p := &discoverPlan{b: b, output: o, at: at, cond: cond}
	for q, d := range b.Scenarios[0].Params {
		if lo, hi := d.Support(); lo != hi {
			_, isDiscrete := d.(dist.Discrete)
			p.params, p.discrete = append(p.params, q), append(p.discrete, isDiscrete)
		}
	}
	if len(p.params) == 0 {
		return nil, usagef("scenario %s fixes every parameter: nothing to discover", b.Scenarios[0].Name)
	}
	if f.runs < 20 {
		return nil, usagef("--runs: PRIM needs at least 20 runs, found %d", f.runs)
	}
	for _, sc := range b.Scenarios {
		p.scenarios = append(p.scenarios, sc.Name)
	}
	p.caseText = p.caseWords()
	return p, checkOutDir(f.out)
}

// collect runs the batch keeping, of every run, the sampled parameters of
// the first scenario and the chosen output at the chosen quarter of each
// scenario; it returns the PRIM table.
func (p *discoverPlan) collect(cmd *cobra.Command, quiet bool) (*discover.Data, error) {
	b := p.b
	reg := b.Model.Registry()
	n, T, lo := b.Hi-b.Lo, b.Span.Len(), b.Lo
	cell := p.output*T + b.Span.Index(p.at)
	x := make([][]float64, len(p.params))
	for j := range x {
		x[j] = make([]float64, n)
	}
	ys := [2][]float64{make([]float64, n), make([]float64, n)}
	b.Observe = func(run, s int, pv, vals []float64) {
		r := run - lo
		ys[s][r] = vals[cell]
		if s == 0 {
			for j, q := range p.params {
				x[j][r] = pv[q]
			}
		}
	}
	// Only the observed values are needed: keep no run's values.
	b.ExactLimit = 1
	prog := newProgress(cmd.ErrOrStderr(), n, quiet, "runs")
	b.Progress = prog.update
	_, err := b.Run(cmd.Context())
	prog.finish()
	if err != nil {
		return nil, err
	}
	d := &discover.Data{X: x, Y: make([]bool, n)}
	for _, q := range p.params {
		d.Names = append(d.Names, reg.Params[q].Key)
	}
	for i := range d.Y {
		v := ys[0][i]
		switch p.cond.of {
		case "diff":
			v = ys[1][i] - ys[0][i]
		case "ratio":
			v = ys[1][i] / ys[0][i] // NaN or ±Inf where the base is 0
		}
		d.Y[i] = p.cond.holds(v)
	}
	return d, nil
}

// caseWords says in plain words which runs are the cases of interest.
func (p *discoverPlan) caseWords() string {
	scs := p.scenarios
	what := fmt.Sprintf("%s at %s", registry().Outputs[p.output].Key, p.at)
	switch p.cond.of {
	case "diff":
		return fmt.Sprintf("%s − %s, %s, %s", scs[1], scs[0], what, p.cond)
	case "ratio":
		return fmt.Sprintf("%s ÷ %s, %s, %s", scs[1], scs[0], what, p.cond)
	}
	return fmt.Sprintf("%s, %s %s", scs[0], what, p.cond)
}

// discover runs the batch and PRIM and writes the folder.
func (f *discoverFlags) discover(cmd *cobra.Command, p *discoverPlan) error {
	started := time.Now()
	data, err := p.collect(cmd, f.quiet)
	if err != nil {
		return err
	}
	m := p.manifest(f, started, time.Time{})
	if f.shard != "" {
		return p.writeShard(cmd, f, m, data)
	}
	return p.finish(cmd, f.out, f.noCharts, f.quiet, f.draw.opts(), m, data)
}

// finish runs PRIM over the runs' table and writes the folder: the end of
// an unsharded discover, and of merge over discover shards.
func (p *discoverPlan) finish(cmd *cobra.Command, out string, noCharts, quiet bool, draw output.DrawOpts, m *output.Manifest, data *discover.Data) error {
	r, err := discover.Find(data, discover.Config{})
	if err != nil {
		return err
	}
	m.Finished = time.Now()
	m.WallSec = m.Finished.Sub(m.Started).Seconds()
	d := &output.Discovery{Result: r, Params: data.Names, Case: p.caseText, Scenarios: strings.Join(p.scenarios, ", "),
		Version: version, Seed: m.Seed}
	for j, q := range p.params {
		var names []string
		if p.discrete[j] {
			names = registry().Params[q].Levels
		}
		d.Levels = append(d.Levels, names)
	}
	dir, err := output.Begin(out)
	if err != nil {
		return err
	}
	err = writeCSV(dir.Path(output.DiscoverName), func(w io.Writer) error { return output.WriteDiscover(w, d) })
	if err == nil && !noCharts {
		err = output.DiscoverCharts(dir.Path("charts"), d, draw)
	}
	if err == nil {
		err = output.WriteJSON(dir.Path(output.ManifestName), m)
	}
	if err := dir.Finish(cmd.Context(), err); err != nil {
		return err
	}
	if !quiet {
		w := cmd.OutOrStdout()
		p.print(w, d, data)
		fmt.Fprintf(w, "\n%d runs in %.2fs; wrote %s\n", r.Rows, m.WallSec, relPath(dir.Target))
	}
	return nil
}

// manifest describes the discovery (a shard's runs when sharded).
func (p *discoverPlan) manifest(f *discoverFlags, started, finished time.Time) *output.Manifest {
	b := p.b
	res := &sim.Result{Registry: b.Model.Registry(), Span: b.Span, Seed: b.Seed, Runs: b.Runs, Lo: b.Lo, Hi: b.Hi, Exact: true}
	cmdline := []string{"discover"}
	for _, sc := range b.Scenarios {
		res.Scenarios = append(res.Scenarios, &sim.ScenarioResult{Scenario: sc})
		cmdline = append(cmdline, sc.Name)
	}
	m := output.NewManifest(version, res, f.sampler, started, finished)
	m.Command = append(cmdline, "--output", b.Model.Registry().Outputs[p.output].Key, "--at", p.at.String(), "--where", p.cond.String())
	if f.ens.info != nil {
		m.Command = append(m.Command, "--ensemble", f.ens.dir)
	}
	m.Ensemble = f.ens.info
	m.Shard = f.shardLabel()
	m.Discover = &output.DiscoverInfo{Output: registry().Outputs[p.output].Key, At: p.at.String(), Where: p.cond.String(), Case: p.caseText}
	for j, q := range p.params {
		m.Discover.Params = append(m.Discover.Params, registry().Params[q].Key)
		if p.discrete[j] {
			m.Discover.Discrete = append(m.Discover.Discrete, registry().Params[q].Key)
		}
	}
	return m
}

// print writes the box in plain words, its restrictions with their
// quasi-p-values, and what was dropped.
func (p *discoverPlan) print(w io.Writer, d *output.Discovery, data *discover.Data) {
	r := d.Result
	fmt.Fprintf(w, "Cases of interest: %s\n", d.Case)
	fmt.Fprintf(w, "  %d of %d runs (%s)\n", r.Interest, r.Rows, pct(r.Interest, r.Rows))
	if r.Effective < float64(r.Rows) {
		fmt.Fprintf(w, "  runs repeat draws (a posterior ensemble): the significance check counts them as %.0f independent draws\n", r.Effective)
	}
	fmt.Fprintln(w)
	sentence, ok := p.sentence(r, data)
	fmt.Fprintln(w, sentence)
	if !ok {
		return
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "\nparameter\tin the box\tover all runs\tquasi-p")
	for _, j := range r.Box.Restricted {
		fmt.Fprintf(tw, "%s\t%s to %s\t%s to %s\t%s\n", d.Params[j], short(r.Box.Limits[j].Lo), short(r.Box.Limits[j].Hi),
			short(r.Prior[j].Lo), short(r.Prior[j].Hi), output.PValue(r.PValues[j]))
	}
	tw.Flush()
	fmt.Fprintf(w, "Peeling step %d of %d (the best balance of coverage and density), pasted", r.Chosen, len(r.Trajectory)-1)
	if len(r.Dropped) > 0 {
		var dropped []string
		for _, j := range r.Dropped {
			dropped = append(dropped, d.Params[j])
		}
		if len(dropped) > maxDroppedNames {
			dropped = append(dropped[:maxDroppedNames], fmt.Sprintf("and %d more", len(dropped)-maxDroppedNames))
		}
		fmt.Fprintf(w, "; %d restriction(s) dropped as not significant: %s", len(r.Dropped), strings.Join(dropped, ", "))
	}
	fmt.Fprintln(w, ".\nA box describes the model's runs, not causes in the world (docs/analysis.md).")
}

// sentence says the box in plain words, or why there is none (false).
func (p *discoverPlan) sentence(r *discover.Result, data *discover.Data) (string, bool) {
	switch {
	case r.Interest == 0 || r.Interest == r.Rows:
		return "No box: every run or none is a case of interest, so no assumption tells them apart.", false
	case r.Interest < minCases:
		more := "more runs (--runs) may find one."
		if r.Effective < float64(r.Rows) {
			more = "the runs repeat posterior draws, so more runs add little: a calibration with more runs\n" +
				"(chokepoint calibrate --runs) gives the posterior more distinct draws."
		}
		return fmt.Sprintf("No box: %d case(s) of interest are too few to tell a pattern from chance (PRIM needs at least %d);\n%s",
			r.Interest, minCases, more), false
	case len(r.Box.Restricted) == 0:
		return "No box: no range of the sampled assumptions holds the cases of interest more densely than all runs do\n" +
			"beyond what chance would give (each restriction's quasi-p-value at least 0.05).", false
	}
	return fmt.Sprintf("%s: %s of the cases of interest lie here, and %s of the runs here are cases, against %s overall.",
		p.boxWords(r, data), pct(r.Box.K, r.Interest), pct(r.Box.K, r.Box.N), pct(r.Interest, r.Rows)), true
}

// boxWords writes the box's restrictions in plain words: "key above a",
// "key below b", "key from a to b"; a switch by its levels.
func (p *discoverPlan) boxWords(r *discover.Result, data *discover.Data) string {
	reg := registry()
	var parts []string
	for _, j := range r.Box.Restricted {
		q := p.params[j]
		key, unit := reg.Params[q].Key, unitWords(reg.Params[q].Unit)
		l, prior := r.Box.Limits[j], r.Prior[j]
		if levels := p.levels(j, data.X[j], l); levels != "" {
			parts = append(parts, fmt.Sprintf("%s %s", key, levels))
			continue
		}
		switch {
		case l.Lo > prior.Lo && l.Hi < prior.Hi:
			parts = append(parts, fmt.Sprintf("%s from %s to %s%s", key, short(l.Lo), short(l.Hi), unit))
		case l.Lo > prior.Lo:
			parts = append(parts, fmt.Sprintf("%s above %s%s", key, short(l.Lo), unit))
		default:
			parts = append(parts, fmt.Sprintf("%s below %s%s", key, short(l.Hi), unit))
		}
	}
	return strings.Join(parts, " and ")
}

// levels returns "= share" or "in {linear, threshold}" for the levels of
// discrete dimension j drawn within l (col holds its draws; a level by
// the name a scenario's [structure] table pins, else by its value), or ""
// for a continuous one.
func (p *discoverPlan) levels(j int, col []float64, l discover.Limit) string {
	if !p.discrete[j] {
		return ""
	}
	var vs []float64
	for _, v := range col {
		if v >= l.Lo && v <= l.Hi && !slices.Contains(vs, v) {
			vs = append(vs, v)
		}
	}
	slices.Sort(vs)
	param := &registry().Params[p.params[j]]
	var in []string
	for _, v := range vs {
		name := param.LevelName(v)
		if name == "" {
			name = sim.FormatNumber(v)
		}
		in = append(in, name)
	}
	if len(in) == 1 {
		return "= " + in[0]
	}
	return "in {" + strings.Join(in, ", ") + "}"
}

// unitWords is a unit as written after a number, none for units that are
// not read as such.
func unitWords(u string) string {
	if slices.Contains([]string{"", "1", "fraction", "formulation", "on/off"}, u) {
		return ""
	}
	return " " + u
}

// maxDroppedNames is the most dropped restrictions named after a box.
const maxDroppedNames = 5

// minCases is the fewest cases of interest discover reports a box for:
// with fewer, a restriction that holds most of them is as likely chance.
const minCases = 20

// pct writes k/n as a percentage: whole, or to two significant figures
// below 10%, so that a rare case does not read as none and "3.3% against
// 1.3%" does not read as "3% against 1%".
func pct(k, n int) string {
	if n == 0 {
		return "-"
	}
	v := 100 * float64(k) / float64(n)
	if v > 0 && v < 10 {
		return strconv.FormatFloat(v, 'g', 2, 64) + "%"
	}
	return fmt.Sprintf("%.0f%%", v)
}
