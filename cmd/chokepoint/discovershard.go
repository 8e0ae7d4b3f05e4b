package main

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"time"

	"github.com/spf13/cobra"

	"github.com/chokepoint-sim/chokepoint/output"
	"github.com/chokepoint-sim/chokepoint/sim"
	"github.com/chokepoint-sim/chokepoint/sim/discover"
)

// writeShard writes a discover shard's folder: its runs' table and the
// manifest, for merge.
func (p *discoverPlan) writeShard(cmd *cobra.Command, f *discoverFlags, m *output.Manifest, data *discover.Data) error {
	m.Finished = time.Now()
	m.WallSec = m.Finished.Sub(m.Started).Seconds()
	target, err := writeFolder(cmd.Context(), f.out, func(dir *output.Folder) error {
		err := writeCSV(dir.Path(output.DiscoverRowsName), func(w io.Writer) error {
			return output.WriteDiscoverRows(w, p.b.Lo, data)
		})
		if err != nil {
			return err
		}
		return output.WriteJSON(dir.Path(output.ManifestName), m)
	})
	if err == nil && !f.quiet {
		fmt.Fprintf(cmd.OutOrStdout(), "shard %s: runs %d to %d of %d; wrote %s (join shards with chokepoint merge)\n",
			m.Shard, p.b.Lo, p.b.Hi-1, p.b.Runs, relPath(target))
	}
	return err
}

// isDiscoverShard reports whether dir holds a discover shard (merge hands
// it to mergeDiscover).
func isDiscoverShard(dir string) bool {
	_, err := os.Stat(filepath.Join(dir, output.DiscoverRowsName))
	return err == nil
}

// readDiscoverShard reads a discover shard's manifest, as untrusted input.
func readDiscoverShard(dir string) (*output.Manifest, error) {
	m, err := output.LoadManifest(filepath.Join(dir, output.ManifestName))
	if err != nil {
		return nil, usagef("%s: not a shard folder (%v)", dir, err)
	}
	if m.Shard == "" || len(m.Command) == 0 || m.Command[0] != "discover" || m.Discover == nil ||
		len(m.Scenarios) < 1 || len(m.Scenarios) > 2 || len(m.Discover.Params) == 0 {
		return nil, usagef("%s: not a discover shard folder (discover --shard writes one)", dir)
	}
	if m.RunsFrom < 0 || m.RunsTo <= m.RunsFrom || m.RunsTo > m.Runs || m.Runs > maxRuns {
		return nil, usagef("%s: runs %d to %d of %d: not a valid shard", filepath.Join(dir, output.ManifestName), m.RunsFrom, m.RunsTo, m.Runs)
	}
	return m, nil
}

// sameDiscovery reports whether two shards' manifests describe parts of one
// discovery: the same command, seed, runs, sampler, scenarios and
// ensemble.
func sameDiscovery(a, b *output.Manifest) bool {
	if !slices.Equal(a.Command, b.Command) || a.Seed != b.Seed || a.Runs != b.Runs || a.Sampler != b.Sampler ||
		!sameEnsemble(a.Ensemble, b.Ensemble) || !reflect.DeepEqual(a.Discover, b.Discover) || len(a.Scenarios) != len(b.Scenarios) {
		return false
	}
	for i := range a.Scenarios {
		if a.Scenarios[i].SHA256 != b.Scenarios[i].SHA256 {
			return false
		}
	}
	return true
}

// mergeDiscover joins discover shard folders, in run order, runs PRIM over
// every run and writes what one machine would have written.
func mergeDiscover(cmd *cobra.Command, dirs []string, out string, noCharts, quiet bool, draw output.DrawOpts) error {
	started := time.Now()
	type shard struct {
		dir string
		m   *output.Manifest
	}
	var shards []shard
	for _, dir := range dirs {
		m, err := readDiscoverShard(dir)
		if err != nil {
			return err
		}
		if len(shards) > 0 && !sameDiscovery(shards[0].m, m) {
			return usagef("merge: %s and %s are shards of different discoveries", shards[0].dir, dir)
		}
		shards = append(shards, shard{dir, m})
	}
	slices.SortFunc(shards, func(a, b shard) int { return a.m.RunsFrom - b.m.RunsFrom })
	next := 0
	for _, s := range shards {
		if s.m.RunsFrom != next {
			return usagef("merge: the shards cover runs up to %d, then %s starts at run %d: a shard is missing or repeated", next-1, s.dir, s.m.RunsFrom)
		}
		next = s.m.RunsTo
	}
	first := shards[0].m
	if next != first.Runs {
		return usagef("merge: the shards cover runs 0 to %d of %d: a shard is missing", next-1, first.Runs)
	}
	p, err := planFromManifest(first)
	if err != nil {
		return usagef("merge: %s: %v", shards[0].dir, err)
	}
	if err := checkOutDir(out); err != nil {
		return err
	}
	var data *discover.Data
	for _, s := range shards {
		d, err := readRows(s.dir, first.Discover.Params, s.m.RunsFrom, s.m.RunsTo)
		if err != nil {
			return err
		}
		if data == nil {
			data = d
		} else if err := output.AppendDiscoverRows(data, d); err != nil {
			return err
		}
	}
	m := *first
	m.Shard, m.RunsFrom, m.RunsTo, m.Started = "", 0, first.Runs, started
	return p.finish(cmd, out, noCharts, quiet, draw, &m, data)
}

// readRows reads one shard's discover-rows.csv.
func readRows(dir string, names []string, lo, hi int) (*discover.Data, error) {
	path := filepath.Join(dir, output.DiscoverRowsName)
	f, err := output.OpenInput(path)
	if err != nil {
		return nil, usagef("%s: %v", path, err)
	}
	defer f.Close()
	return output.ReadDiscoverRows(f, path, names, lo, hi)
}

// planFromManifest rebuilds what merge needs of a discover plan from a
// shard's manifest: the output, quarter and condition, the scenarios'
// names and the dimensions.
func planFromManifest(m *output.Manifest) (*discoverPlan, error) {
	di := m.Discover
	reg := registry()
	o, ok := reg.OutputIndex(di.Output)
	if !ok {
		return nil, fmt.Errorf("discover.output: unknown output %q", di.Output)
	}
	at, err := sim.ParsePeriod(di.At)
	if err != nil {
		return nil, fmt.Errorf("discover.at: %v", err)
	}
	cond, err := parseWhere(di.Where, len(m.Scenarios))
	if err != nil {
		return nil, err
	}
	p := &discoverPlan{output: o, at: at, cond: cond}
	for _, sc := range m.Scenarios {
		p.scenarios = append(p.scenarios, sc.Name)
	}
	for _, key := range di.Params {
		q, ok := reg.ParamIndex(key)
		if !ok {
			return nil, fmt.Errorf("discover.params: unknown parameter %q", key)
		}
		p.params, p.discrete = append(p.params, q), append(p.discrete, slices.Contains(di.Discrete, key))
	}
	p.caseText = p.caseWords()
	return p, nil
}
