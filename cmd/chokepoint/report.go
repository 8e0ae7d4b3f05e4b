package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/chokepoint-sim/chokepoint/models"
	"github.com/chokepoint-sim/chokepoint/output"
	"github.com/chokepoint-sim/chokepoint/output/report"
	"github.com/chokepoint-sim/chokepoint/scenarios"
	"github.com/chokepoint-sim/chokepoint/sim"
)

func newReportCmd() *cobra.Command {
	var bf batchFlags
	var ens ensembleFlag
	var events eventsFlag
	var out string
	var quiet, force bool
	c := &cobra.Command{
		Use:   "report SCENARIO...",
		Short: "Run scenarios and write one self-contained HTML report",
		Long: `Run the scenarios (the first is the base of the comparison) and write one
HTML file that shows everything: the question, the headline sentences and
numbers (median ratio or difference, run by run, with 90% intervals and the
share of runs higher), the costs to US vendors, comparison and difference
charts, what each scenario changes in plain words, the calibration against
2020-2025 observations, the limitations, every assumption with its source,
each scenario's resolved text with its SHA-256 and the manifest, and the
command that reproduces the file.

The file loads nothing from the network (charts are inline SVG, no scripts
or web fonts), so it can be mailed, archived or opened offline, and the same
command writes the same bytes. It replaces --out only when that is a report
chokepoint wrote, unless --force is given.`,
		Example: `  chokepoint report current-policy no-controls escalation-2025 --runs 2000 --seed 7 --out report.html`,
		Args:    cobra.ArbitraryArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) == 0 {
				args = []string{scenarios.Default}
			}
			b, err := bf.prepare(args)
			if err != nil {
				return err
			}
			// The calibration keeps the default scenario's values, in
			// this batch or in one of its own.
			if err := checkKept(&sim.Batch{Model: b.Model, Scenarios: b.Scenarios[:1], Span: b.Span, Runs: b.Runs}, "a report's calibration"); err != nil {
				return err
			}
			if err := checkReportOut(out, force); err != nil {
				return err
			}
			if err := events.check(b.Scenarios); err != nil {
				return err
			}
			if err := ens.load(b, bf.sampler); err != nil {
				return err
			}
			res, err := b.Run(cmd.Context())
			if err != nil {
				return err
			}
			var diffs []sim.Diff
			if len(res.Scenarios) > 1 {
				diffs = res.PairedDiffs(0, b.Workers)
			}
			in := reportInput(cmd, &bf, b, res, diffs, args)
			in.Events = events
			if in.Manifest, err = reportManifest(res, bf.sampler, ens.info); err != nil {
				return err
			}
			if in.Failure, err = failureSection(b, res, diffs); err != nil {
				return err
			}
			if err := calibrate(cmd, &bf, b, res, &in); err != nil {
				return err
			}
			r, err := report.Build(in)
			if err != nil {
				return err
			}
			var buf bytes.Buffer
			if err := report.Write(&buf, r); err != nil {
				return err
			}
			if err := writeAtomic(out, buf.Bytes()); err != nil {
				return err
			}
			if !quiet {
				fmt.Fprintf(cmd.OutOrStdout(), "wrote %s (%.1f MB)\n", relPath(out), float64(buf.Len())/1e6)
			}
			return nil
		},
	}
	bf.register(c)
	ens.register(c)
	events.register(c)
	bf.refuse(map[string]string{"shard": "a report needs the whole batch; it cannot be split into shards"})
	c.Flags().StringVar(&out, "out", "report.html", "the HTML file to write")
	c.Flags().BoolVar(&quiet, "quiet", false, "print nothing on success")
	c.Flags().BoolVar(&force, "force", false, "replace --out even if it is not a report chokepoint wrote")
	return c
}

// reportInput gathers what the report shows of a finished batch: its data,
// the scenarios and their plain-words explanation, and the command that
// reproduces the file.
func reportInput(cmd *cobra.Command, bf *batchFlags, b *sim.Batch, res *sim.Result, diffs []sim.Diff, args []string) report.Input {
	in := report.Input{
		Data:      output.FromResult(version, res, res.Summaries(b.Workers), diffs).WithSamples(res).WithMarks(milestones()),
		Registry:  registry(),
		Scenarios: b.Scenarios,
		Outputs:   registry().Featured(sim.Report),
		Costs:     registry().Featured(sim.ReportCost),
		Years:     headlineYears,
		Command:   reportCommand(cmd.Flags(), args),
	}
	for _, sc := range b.Scenarios {
		in.Resolved = append(in.Resolved, scenarios.Resolved(registry(), sc))
	}
	loader := &scenarios.Loader{Registry: registry()}
	argOf := map[string]string{}
	for i, sc := range b.Scenarios {
		argOf[sc.Name] = args[i]
	}
	in.Explain = func(name string) (string, error) {
		text, err := loader.Explain(argOf[name])
		if err == nil && len(bf.sets) > 0 {
			text += "  and, set on the command line: " + strings.Join(bf.sets, ", ") + "\n"
		}
		return text, err
	}
	return in
}

// reportManifest is the manifest a results folder of the report's batch
// would hold, as indented JSON, without its clock times (started,
// finished, wall_seconds), so that the same command writes the same
// report.
func reportManifest(res *sim.Result, sampler string, ens *output.EnsembleInfo) (string, error) {
	m := output.NewManifest(version, res, sampler, time.Time{}, time.Time{})
	m.Ensemble = ens
	b, err := json.Marshal(m)
	if err != nil {
		return "", err
	}
	var fields map[string]json.RawMessage
	if err := json.Unmarshal(b, &fields); err != nil {
		return "", err
	}
	for _, k := range []string{"started", "finished", "wall_seconds"} {
		delete(fields, k)
	}
	// A map marshals with sorted keys: stable, if not the manifest's order.
	out, err := json.MarshalIndent(fields, "", "  ")
	return string(out), err
}

// generatorMark opens the generator meta tag of every report chokepoint
// writes (output/report's template), near the top of the file.
const generatorMark = `<meta name="generator" content="chokepoint `

// checkReportOut checks, before any run, the file given to --out: it must
// name a file, in a folder that exists or can be made, and replace only a
// report chokepoint wrote, unless force.
func checkReportOut(path string, force bool) error {
	if path == "" {
		return usagef(`--out: expected an HTML file name, found ""`)
	}
	fi, err := os.Stat(path)
	switch {
	case errors.Is(err, os.ErrNotExist):
		return checkParent(path)
	case err != nil:
		if perr := checkParent(path); perr != nil {
			return perr
		}
		return usagef("--out %v", err)
	case fi.IsDir():
		return usagef("--out %s: is a folder; name the HTML file to write, e.g. %s", path, filepath.Join(path, "report.html"))
	case !fi.Mode().IsRegular():
		return usagef("--out %s: exists and is not a regular file", path)
	case force:
		return nil
	}
	mine, err := isReport(path)
	if err != nil {
		return usagef("--out %v", err)
	}
	if !mine {
		return usagef("--out %s: exists and is not a chokepoint report; choose another --out or add --force to replace it", path)
	}
	return nil
}

// checkParent checks that the nearest existing folder above path is a
// folder, so that the report's folder can be made.
func checkParent(path string) error {
	for dir := filepath.Dir(path); ; dir = filepath.Dir(dir) {
		// Stat fails on a missing folder, and below a file.
		if fi, err := os.Stat(dir); err == nil {
			if !fi.IsDir() {
				return usagef("--out %s: %s is not a folder", path, dir)
			}
			return nil
		}
		if dir == filepath.Dir(dir) {
			return nil
		}
	}
}

// isReport reports whether the file at path is an HTML report chokepoint
// wrote: its first 4 KB (the head) carry chokepoint's generator mark.
func isReport(path string) (bool, error) {
	f, err := os.Open(path)
	if err != nil {
		return false, err
	}
	defer f.Close()
	head := make([]byte, 4096)
	n, err := io.ReadFull(f, head)
	if err != nil && !errors.Is(err, io.ErrUnexpectedEOF) && !errors.Is(err, io.EOF) {
		return false, err
	}
	return bytes.HasPrefix(head[:n], []byte("<!DOCTYPE html>")) && bytes.Contains(head[:n], []byte(generatorMark)), nil
}

// calibrate fills in's calibration: the backtest of the default scenario,
// from this batch when it ran that scenario and kept every run's values,
// else from a batch of its own with the same runs, seed and span.
func calibrate(cmd *cobra.Command, bf *batchFlags, b *sim.Batch, res *sim.Result, in *report.Input) error {
	in.CheckScenario = scenarios.Default
	for i, sc := range b.Scenarios {
		if sc.Name == in.CheckScenario && res.Exact {
			in.Checks, in.CheckRuns = res.Backtest(i, models.Calibration), res.N()
			return nil
		}
	}
	cb, err := bf.prepare([]string{in.CheckScenario})
	if err != nil {
		return err
	}
	cb.Span, cb.Ensemble = b.Span, b.Ensemble
	cres, err := cb.Run(cmd.Context())
	if err != nil {
		return err
	}
	in.Checks, in.CheckRuns = cres.Backtest(0, models.Calibration), cres.N()
	return nil
}

// reportCommand is the command line that writes the same report: the
// scenarios, then every flag that changes the numbers or the file, with
// the runs and seed always spelt out.
func reportCommand(fl *pflag.FlagSet, args []string) string {
	parts := []string{"chokepoint", "report"}
	for _, a := range args {
		parts = append(parts, shellQuote(a))
	}
	for _, name := range []string{"runs", "seed", "from", "to", "sampler", "set", "ensemble", "out"} {
		f := fl.Lookup(name)
		if f == nil || (!f.Changed && name != "runs" && name != "seed" && name != "out") {
			continue
		}
		values := []string{f.Value.String()}
		if sv, ok := f.Value.(pflag.SliceValue); ok {
			values = sv.GetSlice()
		}
		for _, v := range values {
			parts = append(parts, "--"+name, shellQuote(v))
		}
	}
	return strings.Join(parts, " ")
}

// shellSafe matches words a POSIX shell takes as they are.
var shellSafe = regexp.MustCompile(`^[A-Za-z0-9_./:=,+@%-]+$`)

// shellQuote quotes s for a POSIX shell when it needs it.
func shellQuote(s string) string {
	if shellSafe.MatchString(s) {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// writeAtomic writes data to path through a temporary file in the same
// folder, so an interrupted write leaves the old file whole.
func writeAtomic(path string, data []byte) error {
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	f, err := os.CreateTemp(dir, "."+filepath.Base(path)+".partial-")
	if err != nil {
		return err
	}
	tmp := f.Name()
	_, err = f.Write(data)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Chmod(tmp, 0o644)
	}
	if err == nil {
		err = os.Rename(tmp, path)
	}
	if err != nil {
		_ = os.Remove(tmp)
		return err
	}
	return nil
}
