package output

import (
	"encoding/json"
	"fmt"
	"os"
	"runtime"
	"time"

	"github.com/chokepoint-sim/chokepoint/sim"
)

// ToolName is a manifest's "tool": with a version, it marks a folder as
// chokepoint's, one that a later run may replace (CheckTarget). Every
// manifest chokepoint has written carries both.
const ToolName = "chokepoint"

// Manifest describes how a results folder was made.
type Manifest struct {
	Tool      string   `json:"tool"`
	Version   string   `json:"version"`
	GoVersion string   `json:"go_version"`
	Command   []string `json:"command,omitempty"`
	Seed      uint64   `json:"seed"`
	Runs      int      `json:"runs"`
	RunsFrom  int      `json:"runs_from"`
	RunsTo    int      `json:"runs_to"`
	// Shard is "i/N" for a partial results folder written by run --shard;
	// chokepoint merge joins such folders.
	Shard string `json:"shard,omitempty"`
	// Aggregation is "exact" (every run's values kept) or "sketch" (a
	// quantile sketch per cell, relative accuracy SketchAccuracy).
	Aggregation string         `json:"aggregation"`
	Sampler     string         `json:"sampler"`
	Scenarios   []ScenarioInfo `json:"scenarios"`
	Periods     PeriodInfo     `json:"periods"`
	Outputs     []string       `json:"outputs"`
	// Ensemble is the posterior the runs drew their parameters from
	// (--ensemble); absent: the scenarios' own distributions.
	Ensemble *EnsembleInfo `json:"ensemble,omitempty"`
	// Calibration describes a folder written by calibrate.
	Calibration *CalibrationInfo `json:"calibration,omitempty"`
	// Discover describes a folder written by discover (merge joins
	// discover shards by it).
	Discover *DiscoverInfo `json:"discover,omitempty"`
	Started  time.Time     `json:"started"`
	Finished time.Time     `json:"finished"`
	WallSec  float64       `json:"wall_seconds"`
}

// EnsembleInfo names a posterior ensemble: the posterior.csv read, its
// SHA-256 and its number of draws.
type EnsembleInfo struct {
	Path   string `json:"path"`
	SHA256 string `json:"sha256"`
	Draws  int    `json:"draws"`
	// ESS is the effective sample size of the calibration that wrote the
	// ensemble (from its manifest.json; absent when the folder has none):
	// the draws repeat runs, and carry about this many runs' information.
	ESS float64 `json:"effective_sample_size,omitempty"`
}

// CalibrationInfo is what calibrate did: the observations in the
// likelihood and those held out (from HoldoutFrom on), the likelihood, the
// size of the resampled posterior and its effective sample size.
type CalibrationInfo struct {
	Likelihood  string   `json:"likelihood"`
	Used        []string `json:"observations_used"`
	HeldOut     []string `json:"observations_held_out,omitempty"`
	HoldoutFrom string   `json:"holdout_from,omitempty"`
	Draws       int      `json:"posterior_draws"`
	ESS         float64  `json:"effective_sample_size,omitempty"`
}

// DiscoverInfo is what a discovery looked for: the output, quarter and
// condition, the cases in words, and the dimensions PRIM searched (the
// sampled parameters, in order; Discrete lists the switches among them).
type DiscoverInfo struct {
	Output   string   `json:"output"`
	At       string   `json:"at"`
	Where    string   `json:"where"`
	Case     string   `json:"case"`
	Params   []string `json:"params"`
	Discrete []string `json:"discrete,omitempty"`
}

// ScenarioInfo names a scenario and the hash of its resolved content.
type ScenarioInfo struct {
	Name   string `json:"name"`
	Title  string `json:"title"`
	SHA256 string `json:"sha256"`
	// Structure names the formulation of each structural switch the
	// scenario pins (fixes at one level), by switch key; switches drawn per
	// run are not listed.
	Structure map[string]string `json:"structure,omitempty"`
}

// PeriodInfo is the simulated span.
type PeriodInfo struct {
	From  string `json:"from"`
	To    string `json:"to"`
	Count int    `json:"count"`
}

// NewManifest fills a manifest from a result.
func NewManifest(version string, res *sim.Result, sampler string, started, finished time.Time) *Manifest {
	agg := "exact"
	if !res.Exact {
		agg = fmt.Sprintf("sketch (DDSketch, relative accuracy %g)", sim.SketchAccuracy)
	}
	m := &Manifest{Tool: ToolName, Version: version, GoVersion: runtime.Version(), Aggregation: agg,
		Seed: res.Seed, Runs: res.Runs, RunsFrom: res.Lo, RunsTo: res.Hi, Sampler: sampler,
		Periods:  PeriodInfo{From: res.Span.Start.String(), To: res.Span.End.String(), Count: res.Span.Len()},
		Outputs:  res.Registry.OutputKeys(),
		Started:  started.UTC().Round(time.Millisecond),
		Finished: finished.UTC().Round(time.Millisecond),
		WallSec:  finished.Sub(started).Round(time.Millisecond).Seconds()}
	for _, s := range res.Scenarios {
		m.Scenarios = append(m.Scenarios, ScenarioInfo{Name: s.Scenario.Name, Title: s.Scenario.Title, SHA256: s.Scenario.Hash,
			Structure: pinned(res.Registry, s.Scenario)})
	}
	return m
}

// pinned maps each structural switch that sc fixes to its formulation's
// name, or is nil when sc fixes none.
func pinned(reg *sim.Registry, sc *sim.Scenario) map[string]string {
	if sc.Structure != nil {
		return sc.Structure
	}
	var out map[string]string
	for i := range reg.Params {
		p := &reg.Params[i]
		if i >= len(sc.Params) || sc.Params[i] == nil {
			continue
		}
		if name := p.Pinned(sc.Params[i]); name != "" {
			if out == nil {
				out = map[string]string{}
			}
			out[p.Key] = name
		}
	}
	return out
}

// WriteJSON writes v as indented JSON to path.
func WriteJSON(path string, v any) error {
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(path, append(b, '\n'), 0o644)
}

// ReadManifest reads a results folder's manifest.json.
func ReadManifest(path string) (*Manifest, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var m Manifest
	if err := json.Unmarshal(b, &m); err != nil {
		return nil, fmt.Errorf("%s: %v", path, err)
	}
	return &m, nil
}
