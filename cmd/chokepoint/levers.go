package main

import (
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/chokepoint-sim/chokepoint/output"
	"github.com/chokepoint-sim/chokepoint/scenarios"
	"github.com/chokepoint-sim/chokepoint/sim"
)

// leverTableDates are the quarters the lever table reports.
var leverTableDates = []sim.Period{sim.NewPeriod(2027, 4), sim.NewPeriod(2030, 4)}

// leversDocCommand regenerates the lever table of docs/MODEL.md, from the
// repository's root.
const leversDocCommand = "go run ./cmd/chokepoint levers --runs 2000 --seed 1 --doc docs/MODEL.md"

// leversBegin and leversEnd enclose the generated lever table in a
// Markdown file.
const (
	leversBegin = "<!-- BEGIN levers (generated: " + leversDocCommand + ") -->\n"
	leversEnd   = "<!-- END levers -->"
)

// leversFlags are the flags of the levers command.
type leversFlags struct {
	runs, workers   int
	seed            uint64
	base, from, out string
	format, doc     string
	quiet           bool
}

func newLeversCmd() *cobra.Command {
	var f leversFlags
	c := &cobra.Command{
		Use:   "levers",
		Short: "The lever table: each lever's strong setting against a base, on paired runs",
		Long: `For every lever, set its strong setting (declared in the model's registry)
from --from on, against --base, on paired runs (run i of both draws
alike), and report the median paired change of the lever table's outputs
at 2027Q4 and 2030Q4 with the share of runs in which they are higher:
once with the induced responses as drawn and once with them at 0. Where
the base already holds the strong setting at --from, the row lifts the
rule instead and says so.

Without --out the table is printed (--format markdown or csv); with --out
it is written as levers.csv (and manifest.json) in a results folder; with
--doc FILE the Markdown table replaces what stands between FILE's lever
table markers. The model card's table is regenerated with:

  ` + leversDocCommand,
		Example: "  " + leversDocCommand + "\n  chokepoint levers --runs 400 --format csv\n  chokepoint levers --out out-levers",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return f.run(cmd)
		},
	}
	fl := c.Flags()
	fl.IntVar(&f.runs, "runs", 2000, "paired runs per lever and variant")
	fl.Uint64Var(&f.seed, "seed", 1, "random seed: the same seed gives the same numbers")
	fl.IntVar(&f.workers, "workers", 0, "worker goroutines (0: all cores); never changes the numbers")
	fl.StringVar(&f.base, "base", scenarios.Default, "the base scenario (built-in name or .toml path)")
	fl.StringVar(&f.from, "from", "2026Q1", "the quarter from which each lever is set")
	fl.StringVar(&f.out, "out", "", "results folder (default: print the table)")
	fl.StringVar(&f.format, "format", "markdown", "printed format: markdown or csv")
	fl.StringVar(&f.doc, "doc", "", "a Markdown file whose lever table (between its markers) is replaced")
	fl.BoolVar(&f.quiet, "quiet", false, "print nothing on success (with --out or --doc)")
	return c
}

// plan checks every flag before any run.
func (f *leversFlags) plan() (*sim.LeverTableRun, error) {
	if f.runs < 1 || f.runs > maxRuns {
		return nil, usagef("--runs: expected a whole number from 1 to %d, found %d", maxRuns, f.runs)
	}
	if most := maxWorkers(); f.workers < 0 || f.workers > most {
		return nil, usagef("--workers: expected 0 (all cores) to %d (4 per core, at least 16), found %d", most, f.workers)
	}
	if f.format != "markdown" && f.format != "csv" {
		return nil, usagef("--format: expected markdown or csv, found %q", f.format)
	}
	from, err := sim.ParsePeriod(f.from)
	if err != nil {
		return nil, usagef("--from: %v", err)
	}
	if f.out != "" && f.doc != "" {
		return nil, usagef("--out and --doc: give one")
	}
	if f.out != "" {
		if err := checkOutDir(f.out); err != nil {
			return nil, err
		}
	}
	if f.doc != "" {
		if _, _, err := readLeversDoc(f.doc); err != nil {
			return nil, err
		}
	}
	base, err := (&scenarios.Loader{Registry: registry()}).Load(f.base)
	if err != nil {
		return nil, err
	}
	last := leverTableDates[len(leverTableDates)-1]
	span := sim.Span{Start: base.Span.Start, End: last}
	if from < span.Start || from > leverTableDates[0] {
		return nil, usagef("--from %s: expected a quarter from the base's start (%s) to %s", from, span.Start, leverTableDates[0])
	}
	if span.Start > leverTableDates[0] {
		return nil, usagef("--base %s starts in %s, after %s", base.Name, span.Start, leverTableDates[0])
	}
	return &sim.LeverTableRun{Model: theModel, Base: base, Span: span, From: from, Dates: leverTableDates,
		Runs: f.runs, Seed: f.seed, Workers: f.workers}, nil
}

func (f *leversFlags) run(cmd *cobra.Command) error {
	q, err := f.plan()
	if err != nil {
		return err
	}
	p := newProgress(cmd.ErrOrStderr(), 0, f.quiet, "runs")
	q.Progress = func(done, total int) {
		p.mu.Lock()
		p.total = total
		p.mu.Unlock()
		p.update(done)
	}
	started := time.Now()
	t, err := sim.RunLeverTable(cmd.Context(), q)
	p.finish()
	if err != nil {
		return err
	}
	if f.doc != "" {
		return f.writeDoc(cmd, t)
	}
	if f.out == "" {
		if f.format == "csv" {
			return output.WriteLeverTableCSV(cmd.OutOrStdout(), t)
		}
		return output.WriteLeverTableMarkdown(cmd.OutOrStdout(), t)
	}
	finished := time.Now()
	dir, err := output.Begin(f.out)
	if err != nil {
		return err
	}
	err = writeCSV(dir.Path(output.LeversName), func(w io.Writer) error { return output.WriteLeverTableCSV(w, t) })
	if err == nil {
		err = output.WriteJSON(dir.Path(output.ManifestName), leversManifest(q, started, finished))
	}
	if err := dir.Finish(cmd.Context(), err); err != nil {
		return err
	}
	if !f.quiet {
		fmt.Fprintf(cmd.OutOrStdout(), "lever table of %d levers, %d paired runs each, in %.2fs; wrote %s\n",
			len(t.Rows), t.Runs, finished.Sub(started).Seconds(), relPath(dir.Target))
	}
	return nil
}

func leversManifest(q *sim.LeverTableRun, started, finished time.Time) *output.Manifest {
	res := &sim.Result{Registry: registry(), Span: q.Span, Seed: q.Seed, Runs: q.Runs, Hi: q.Runs, Exact: true,
		Scenarios: []*sim.ScenarioResult{{Scenario: q.Base}}}
	m := output.NewManifest(version, res, "mc", started, finished)
	m.Command = []string{"levers", "--base", q.Base.Name, "--from", q.From.String()}
	return m
}

// readLeversDoc reads a Markdown file and returns the text before and
// after its generated lever table.
func readLeversDoc(path string) (before, after string, err error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return "", "", usagef("--doc: %v", err)
	}
	doc := string(b)
	i, j := strings.Index(doc, leversBegin), strings.Index(doc, leversEnd)
	if i < 0 || j < i {
		return "", "", usagef("--doc %s: no lever table markers (%q ... %q)", path, strings.TrimSpace(leversBegin), leversEnd)
	}
	return doc[:i+len(leversBegin)], doc[j:], nil
}

// writeDoc replaces the lever table of --doc with t.
func (f *leversFlags) writeDoc(cmd *cobra.Command, t *sim.LeverTableResult) error {
	before, after, err := readLeversDoc(f.doc)
	if err != nil {
		return err
	}
	var b strings.Builder
	if err := output.WriteLeverTableMarkdown(&b, t); err != nil {
		return err
	}
	if err := os.WriteFile(f.doc, []byte(before+b.String()+after), 0o644); err != nil {
		return err
	}
	if !f.quiet {
		fmt.Fprintf(cmd.OutOrStdout(), "lever table of %d levers, %d paired runs each; rewrote %s\n", len(t.Rows), t.Runs, f.doc)
	}
	return nil
}
