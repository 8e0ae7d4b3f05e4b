package main

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/chokepoint-sim/chokepoint/models"
	"github.com/chokepoint-sim/chokepoint/output"
	"github.com/chokepoint-sim/chokepoint/sim"
)

// stateName is the file of a shard's partial results that merge reads.
const stateName = "state.bin"

// parseShard reads --shard: "i/N", "auto" (Slurm job arrays) or "auto/N"
// (Kubernetes Indexed Jobs, whose index is JOB_COMPLETION_INDEX).
func parseShard(s string, getenv func(string) string) (i, n int, err error) {
	bad := func(format string, args ...any) (int, int, error) {
		return 0, 0, usagef("--shard: "+format, args...)
	}
	idx, count, hasCount := strings.Cut(s, "/")
	if hasCount {
		if n, err = strconv.Atoi(count); err != nil || n < 1 || n > 100000 {
			return bad("expected i/N with N a whole number from 1 to 100000, found %q", s)
		}
	}
	switch {
	case idx == "auto" && !hasCount:
		id, cnt := getenv("SLURM_ARRAY_TASK_ID"), getenv("SLURM_ARRAY_TASK_COUNT")
		if id == "" || cnt == "" {
			return bad("auto needs SLURM_ARRAY_TASK_ID and SLURM_ARRAY_TASK_COUNT (a Slurm job array), or use auto/N with JOB_COMPLETION_INDEX")
		}
		if i, err = strconv.Atoi(id); err != nil {
			return bad("SLURM_ARRAY_TASK_ID is %q, not a number", id)
		}
		if min := getenv("SLURM_ARRAY_TASK_MIN"); min != "" {
			m, err := strconv.Atoi(min)
			if err != nil {
				return bad("SLURM_ARRAY_TASK_MIN is %q, not a number", min)
			}
			i -= m
		}
		if n, err = strconv.Atoi(cnt); err != nil || n < 1 {
			return bad("SLURM_ARRAY_TASK_COUNT is %q, not a positive number", cnt)
		}
	case idx == "auto":
		id := getenv("JOB_COMPLETION_INDEX")
		if id == "" {
			return bad("auto/N needs JOB_COMPLETION_INDEX (a Kubernetes Indexed Job)")
		}
		if i, err = strconv.Atoi(id); err != nil {
			return bad("JOB_COMPLETION_INDEX is %q, not a number", id)
		}
	case hasCount:
		if i, err = strconv.Atoi(idx); err != nil {
			return bad("expected i/N with i a whole number, found %q", s)
		}
	default:
		return bad("expected i/N (e.g. 0/4), auto or auto/N, found %q", s)
	}
	if i < 0 || i >= n {
		return bad("shard index %d is outside 0 to %d", i, n-1)
	}
	return i, n, nil
}

func (f *batchFlags) shardLabel() string {
	if f.shard == "" {
		return ""
	}
	return fmt.Sprintf("%d/%d", f.shardIndex, f.shardCount)
}

// shardFolder is what merge reads of one shard folder.
type shardFolder struct {
	manifest *output.Manifest
	state    *sim.SavedState
	// events holds each scenario's event marks, from the shard's
	// events.json (nil for a shard written before shards kept one).
	events [][]output.EventMark
}

// readShard reads a shard folder's manifest, state and events, all as
// untrusted input (output.LoadManifest, output.OpenInput,
// output.ReadEvents): every fault is bad input.
func readShard(d string) (*shardFolder, error) {
	m, st, err := readShardState(d)
	if err != nil {
		return nil, err
	}
	names := make([]string, len(st.Keys))
	for i, k := range st.Keys {
		names[i] = k.Name
	}
	events, err := output.ReadEvents(filepath.Join(d, output.EventsName), names)
	if err != nil {
		return nil, usagef("%v", err)
	}
	return &shardFolder{manifest: m, state: st, events: events}, nil
}

// readShardState reads a shard folder's manifest and state.
func readShardState(d string) (*output.Manifest, *sim.SavedState, error) {
	m, err := output.LoadManifest(filepath.Join(d, output.ManifestName))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil, usagef("%s: not a shard folder (no manifest.json)", d)
	}
	if err != nil {
		return nil, nil, usagef("%s: not a shard folder (%v)", d, err)
	}
	if m.Shard == "" {
		return nil, nil, usagef("%s: not a shard folder (its manifest has no shard; it is a complete result)", d)
	}
	if len(m.Command) > 0 && m.Command[0] != "run" && m.Command[0] != "compare" {
		return nil, nil, usagef("%s: not a shard folder (written by %q; shards come from run or compare)", d, m.Command[0])
	}
	path := filepath.Join(d, stateName)
	f, err := output.OpenInput(path)
	if err != nil {
		return nil, nil, usagef("%s: not a shard folder (%v)", d, err)
	}
	defer f.Close()
	st, err := sim.ReadState(io.LimitReader(f, output.MaxStateBytes+1), models.Registry)
	if err != nil {
		return nil, nil, usagef("%s: %v", path, err)
	}
	if len(m.Scenarios) != len(st.Keys) {
		return nil, nil, usagef("%s: %d scenarios, its %s %d", path, len(st.Keys), output.ManifestName, len(m.Scenarios))
	}
	for i, k := range st.Keys {
		if m.Scenarios[i].Name != k.Name || m.Scenarios[i].SHA256 != k.Hash {
			return nil, nil, usagef("%s: scenario %d is %s, its %s says %s", path, i+1, k.Name, output.ManifestName, m.Scenarios[i].Name)
		}
	}
	return m, st, nil
}

// mergeShardParts reads the shard folders dirs and joins their states; it
// returns the result, the first shard's manifest, whose command and
// sampler every shard shares, and each shard's folder and runs.
func mergeShardParts(dirs []string) (*sim.Result, *output.Manifest, []output.ShardPart, error) {
	var states []*sim.SavedState
	var manifests []*output.Manifest
	var shards []*shardFolder
	var parts []output.ShardPart
	for _, d := range dirs {
		sf, err := readShard(d)
		if err != nil {
			return nil, nil, nil, err
		}
		states, manifests = append(states, sf.state), append(manifests, sf.manifest)
		shards = append(shards, sf)
		parts = append(parts, output.ShardPart{Dir: d, Lo: sf.state.Result.Lo, Hi: sf.state.Result.Hi})
	}
	res, err := sim.MergeStates(states)
	if err != nil {
		return nil, nil, nil, usagef("merge: %v", err)
	}
	first := manifests[0]
	for _, m := range manifests[1:] {
		if !slices.Equal(m.Command[:min(1, len(m.Command))], first.Command[:min(1, len(first.Command))]) || m.Sampler != first.Sampler ||
			!sameEnsemble(m.Ensemble, first.Ensemble) {
			return nil, nil, nil, usagef("merge: shards come from different commands, samplers or ensembles")
		}
	}
	// Titles come from the manifest; scenario identity from the state's
	// name and content hash, which every shard shares (readShard); events
	// from events.json.
	for i, sr := range res.Scenarios {
		sr.Scenario.Title = first.Scenarios[i].Title
		sr.Scenario.Structure = first.Scenarios[i].Structure
	}
	if err := restoreEvents(res, dirs, shards); err != nil {
		return nil, nil, nil, err
	}
	return res, first, parts, nil
}

// restoreEvents gives the merged scenarios the events every shard's
// events.json marks, so that merge writes the events.json and the chart
// marks of the unsharded run. Shards of one batch ran the same scenarios
// (same content hash), so their marks agree; a folder that disagrees was
// edited. Shards written before shards kept events.json give none.
func restoreEvents(res *sim.Result, dirs []string, shards []*shardFolder) error {
	for i, sr := range res.Scenarios {
		marks := shards[0].events[i]
		for k, sf := range shards[1:] {
			if !output.SameMarks(sf.events[i], marks) {
				return usagef("merge: %s and %s mark different events for scenario %s", dirs[0], dirs[k+1], sr.Scenario.Name)
			}
		}
		if marks != nil {
			sr.Scenario.Events = output.MarkedEvents(marks)
		}
	}
	return nil
}

// writeShard writes a shard's partial folder: its manifest and state.
func writeShard(dir *output.Folder, res *sim.Result, opts writeOpts, started, finished time.Time) error {
	f, err := os.Create(dir.Path(stateName))
	if err != nil {
		return err
	}
	if err := res.WriteState(f); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	// The state keeps numbers only: the scenarios' events go to
	// events.json, as in a complete folder, for merge to restore.
	if err := output.WriteEvents(dir.Path(output.EventsName), res, milestones()...); err != nil {
		return err
	}
	m := output.NewManifest(version, res, opts.samplerName(), started, finished)
	m.Shard = opts.shard
	m.Command = []string{opts.verb}
	m.Ensemble = opts.ensemble
	return output.WriteJSON(dir.Path(output.ManifestName), m)
}

func newMergeCmd() *cobra.Command {
	var out string
	var noCharts, quiet bool
	var df drawFlags
	c := &cobra.Command{
		Use:   "merge SHARD_DIR... --out DIR",
		Short: "Join shard folders (run --shard) into the results one machine would have written",
		Args:  cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := output.CheckTarget(out); err != nil {
				return usagef("--out %v", err)
			}
			if err := df.check(1); err != nil {
				return err
			}
			if isCalibrateShard(args[0]) {
				return mergeCalibrate(cmd.Context(), cmd.OutOrStdout(), args, out, df, noCharts, quiet)
			}
			if isDiscoverShard(args[0]) {
				return mergeDiscover(cmd, args, out, noCharts, quiet, df.opts())
			}
			return mergeRun(cmd, args, out, noCharts, quiet, df.opts())
		},
	}
	c.Flags().StringVar(&out, "out", "out", "results folder")
	c.Flags().BoolVar(&noCharts, "no-charts", false, "write tables only")
	c.Flags().BoolVar(&quiet, "quiet", false, "print nothing on success")
	df.register(c)
	return c
}

// mergeRun joins shard folders of run or compare into out: the per-run
// tables each shard holds (output.MergeRunTables), then the summaries,
// charts and manifest of the whole batch.
func mergeRun(cmd *cobra.Command, args []string, out string, noCharts, quiet bool, draw output.DrawOpts) error {
	started := time.Now()
	res, first, parts, err := mergeShardParts(args)
	if err != nil {
		return err
	}
	verb := "run"
	if len(first.Command) > 0 {
		verb = first.Command[0]
	}
	opts := writeOpts{charts: !noCharts, draw: draw, verb: verb, sampler: first.Sampler, ensemble: first.Ensemble}
	sums := res.Summaries(0)
	finished := time.Now()
	dir, err := output.Begin(out)
	if err != nil {
		return err
	}
	if opts.formats, err = mergeTables(dir, res, parts); err == nil {
		if verb == "compare" {
			err = writeCompare(dir, res, sums, res.PairedDiffs(0, 0), opts, started, finished)
		} else {
			err = writeResults(dir, res, sums, opts, started, finished)
		}
	}
	if err := dir.Finish(cmd.Context(), err); err != nil {
		return err
	}
	if !quiet {
		fmt.Fprintf(cmd.OutOrStdout(), "merged %d shards (%d runs); wrote %s\n", len(args), res.Runs, relPath(dir.Target))
	}
	return nil
}

// mergeTables writes the merged per-run tables and returns their data
// formats. Shards written before shards kept their own params.csv give it
// from their states, when these hold every run (exact).
func mergeTables(dir *output.Folder, res *sim.Result, parts []output.ShardPart) ([]string, error) {
	wrote, err := output.MergeRunTables(output.LayoutOf(version, res), parts, dir.Path)
	if err != nil {
		return nil, err
	}
	var formats []string
	for _, f := range []string{output.FormatCSV, output.FormatParquet} {
		for _, name := range wrote {
			if strings.HasSuffix(name, "."+f) && !slices.Contains(formats, f) {
				formats = append(formats, f)
			}
		}
	}
	if len(wrote) == 0 && res.Exact {
		err = writeCSV(dir.Path(output.ParamsCSV), func(w io.Writer) error { return output.WriteParams(w, res) })
	}
	return formats, err
}
