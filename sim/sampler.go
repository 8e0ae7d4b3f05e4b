package sim

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
