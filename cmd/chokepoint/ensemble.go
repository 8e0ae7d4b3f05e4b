package main

import (
	"path/filepath"

	"github.com/spf13/cobra"

	"github.com/chokepoint-sim/chokepoint/output"
	"github.com/chokepoint-sim/chokepoint/sim"
)

// ensembleFlag is --ensemble DIR: a posterior ensemble from calibrate that
// the runs take their parameters from.
type ensembleFlag struct {
	dir  string
	info *output.EnsembleInfo // set by load
}

func (e *ensembleFlag) register(c *cobra.Command) {
	c.Flags().StringVar(&e.dir, "ensemble", "",
		"take each run's parameters from a posterior ensemble (a folder written by chokepoint calibrate) instead of the scenario's distributions; parameters the scenario fixes keep their value")
}

// load reads the ensemble, if one was named, into b; sampler is the
// --sampler given (a sampling design does not apply to posterior draws).
func (e *ensembleFlag) load(b *sim.Batch, sampler string) error {
	if e.dir == "" {
		return nil
	}
	if sampler != "" && sampler != "mc" {
		return usagef("--sampler %s: with --ensemble each run takes a posterior draw; a sampling design does not apply", sampler)
	}
	ens, err := e.read(b.Model.Registry())
	b.Ensemble = ens
	return err
}

// read reads the ensemble named by the flag (nil when none is).
func (e *ensembleFlag) read(reg *sim.Registry) (*sim.Ensemble, error) {
	if e.dir == "" {
		return nil, nil
	}
	ens, hash, err := output.ReadPosterior(filepath.Join(e.dir, output.PosteriorName), reg)
	if err != nil {
		return nil, err
	}
	e.info = &output.EnsembleInfo{Path: e.dir, SHA256: hash, Draws: ens.Rows()}
	if m, err := output.LoadManifest(filepath.Join(e.dir, output.ManifestName)); err == nil && m.Calibration != nil {
		e.info.ESS = m.Calibration.ESS
	}
	return ens, nil
}

// sameEnsemble reports whether two manifests' ensembles are the same.
func sameEnsemble(a, b *output.EnsembleInfo) bool {
	if a == nil || b == nil {
		return a == b
	}
	return a.SHA256 == b.SHA256 && a.Draws == b.Draws
}
