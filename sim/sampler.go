package sim

import "fmt"

// Sampler turns a run index and a parameter into a uniform in (0, 1), from
// which the parameter's distribution gives a value by its quantile function.
type Sampler interface {
	// Prepare is called once per batch before any Uniforms call.
	Prepare(reg *Registry, seed uint64, runs int) error
	// Uniforms fills u[p] for every parameter p of run. keyHash[p] is the
	// hash of parameter p's stream key. It is called concurrently.
	Uniforms(seed uint64, run int, keyHash []uint64, u []float64)
}

// MonteCarlo draws every parameter independently from its own stream.
type MonteCarlo struct{}

// Prepare implements Sampler.
func (MonteCarlo) Prepare(*Registry, uint64, int) error { return nil }

// Uniforms implements Sampler.
func (MonteCarlo) Uniforms(seed uint64, run int, keyHash []uint64, u []float64) {
	for p, h := range keyHash {
		u[p] = Uniform(seed, run, h)
	}
}

// Design replays a fixed experimental design: run i takes row i of Points
// (one uniform per parameter, in registry order), as sensitivity analyses
// need (Saltelli, Morris). Points on the edges 0 and 1 are moved a hair
// inside, where every quantile function is finite.
type Design struct{ Points [][]float64 }

// Prepare implements Sampler.
func (d Design) Prepare(reg *Registry, _ uint64, runs int) error {
	if runs > len(d.Points) {
		return fmt.Errorf("sim: the design has %d points, the batch %d runs", len(d.Points), runs)
	}
	for i, row := range d.Points[:runs] {
		if len(row) != len(reg.Params) {
			return fmt.Errorf("sim: design point %d has %d coordinates, the model %d parameters", i, len(row), len(reg.Params))
		}
	}
	return nil
}

// Uniforms implements Sampler.
func (d Design) Uniforms(_ uint64, run int, _ []uint64, u []float64) {
	for p, x := range d.Points[run] {
		u[p] = clampUnit(x)
	}
}
