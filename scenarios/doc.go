// Package scenarios reads scenario files: the TOML format that sets a
// model's parameters and dates its policy events, the built-in library of
// such files, and the loader that resolves, validates and compiles them
// into a sim.Scenario. Every mistake in a file comes back as an *Error that
// names the file, line, key and what was expected.
package scenarios
