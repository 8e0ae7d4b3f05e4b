package output

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/chokepoint-sim/chokepoint/sim"
)

// Bounds on what a results folder may describe, a good deal above what
// chokepoint writes: they bound the memory a reader needs.
const (
	maxScenarios = 1000
	maxOutputs   = 1000
	// maxQuarters is the longest span a scenario may have
	// (scenarios.MaxQuarters).
	maxQuarters = 400
	// maxRuns is the most runs a batch may have (run --runs).
	maxRuns = 1_000_000
	// maxCells bounds scenarios × outputs × quarters of a folder: 100
	// scenarios of 19 outputs over 400 quarters make 760,000 (a cell's
	// summary takes 80 bytes, as does each difference's).
	maxCells = 1 << 22
	// maxSensitivityRows bounds sensitivity.csv: 59 parameters × 400
	// quarters × 3 measures make 70,800.
	maxSensitivityRows = 1 << 20
	// maxText bounds a title, label, unit or version read back, in bytes.
	maxText = 1000
)

// keyPattern is the form of output and parameter keys (compute_stock_h100e,
// fab.yield_ceiling).
var keyPattern = regexp.MustCompile(`^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)*$`)

// checkKey reports whether s may be an output or parameter key.
func checkKey(s string) error {
	if len(s) > sim.MaxNameLen || !keyPattern.MatchString(s) {
		return fmt.Errorf("expected a key of lower-case letters, digits and _ in dotted parts (such as group.some_name), found %q", clip(s))
	}
	return nil
}

// checkText reports whether s may be shown as text: valid UTF-8 of at most
// maxText bytes, without control characters.
func checkText(s string) error {
	if len(s) > maxText {
		return fmt.Errorf("longer than %d bytes", maxText)
	}
	if !utf8.ValidString(s) || strings.IndexFunc(s, unicode.IsControl) >= 0 {
		return fmt.Errorf("expected text without control characters, found %q", clip(s))
	}
	return nil
}

// clip shortens s for a message.
func clip(s string) string {
	if len(s) > 80 {
		return s[:80] + "…"
	}
	return s
}

// jsonError locates a JSON decoding error in b: "FILE:LINE: ...".
func jsonError(path string, b []byte, err error) error {
	var off int64 = -1
	var se *json.SyntaxError
	var te *json.UnmarshalTypeError
	switch {
	case errors.As(err, &se):
		off = se.Offset
	case errors.As(err, &te):
		off = te.Offset
	}
	if off < 0 || off > int64(len(b)) {
		return sim.BadInputf("%s: %v", path, err)
	}
	return sim.BadInputf("%s:%d: %v", path, 1+bytes.Count(b[:off], []byte("\n")), err)
}

// LoadManifest reads and checks a results or shard folder's manifest.json:
// a regular file of at most MaxManifestBytes whose scenario names are
// scenario ids (sim.CheckName), output keys keys, and counts within the
// bounds above. Every fault is a sim.InputError; a missing file gives an
// error satisfying errors.Is(err, fs.ErrNotExist).
func LoadManifest(path string) (*Manifest, error) {
	b, err := ReadInput(path, MaxManifestBytes)
	if err != nil {
		return nil, err
	}
	var m Manifest
	if err := json.Unmarshal(b, &m); err != nil {
		return nil, jsonError(path, b, err)
	}
	if err := m.check(); err != nil {
		return nil, sim.BadInputf("%s: %v", path, err)
	}
	return &m, nil
}

// check checks what a manifest says before any of it is used.
func (m *Manifest) check() error {
	if len(m.Scenarios) < 1 || len(m.Scenarios) > maxScenarios {
		return fmt.Errorf("scenarios: expected 1 to %d, found %d", maxScenarios, len(m.Scenarios))
	}
	seen := map[string]bool{}
	for i, s := range m.Scenarios {
		if err := sim.CheckName(s.Name); err != nil {
			return fmt.Errorf("scenarios[%d].name: %v", i, err)
		}
		if seen[s.Name] {
			return fmt.Errorf("scenarios[%d].name: %q appears twice", i, s.Name)
		}
		seen[s.Name] = true
		if err := checkText(s.Title); err != nil {
			return fmt.Errorf("scenarios[%d].title: %v", i, err)
		}
		if !sim.ValidHash(s.SHA256) {
			return fmt.Errorf("scenarios[%d].sha256: expected 64 hex digits, found %q", i, clip(s.SHA256))
		}
	}
	if len(m.Outputs) > maxOutputs {
		return fmt.Errorf("outputs: expected at most %d, found %d", maxOutputs, len(m.Outputs))
	}
	seen = map[string]bool{}
	for i, k := range m.Outputs {
		if err := checkKey(k); err != nil {
			return fmt.Errorf("outputs[%d]: %v", i, err)
		}
		if seen[k] {
			return fmt.Errorf("outputs[%d]: %q appears twice", i, k)
		}
		seen[k] = true
	}
	if _, err := m.span(); err != nil {
		return err
	}
	if m.Runs < 1 || m.Runs > maxRuns || m.RunsFrom < 0 || m.RunsTo < m.RunsFrom || m.RunsTo > m.Runs {
		return fmt.Errorf("runs %d (runs_from %d, runs_to %d): expected 1 to %d runs, and 0 <= runs_from <= runs_to <= runs",
			m.Runs, m.RunsFrom, m.RunsTo, maxRuns)
	}
	for _, f := range []struct{ key, s string }{{"tool", m.Tool}, {"version", m.Version}, {"go_version", m.GoVersion},
		{"shard", m.Shard}, {"aggregation", m.Aggregation}, {"sampler", m.Sampler}} {
		if err := checkText(f.s); err != nil {
			return fmt.Errorf("%s: %v", f.key, err)
		}
	}
	if len(m.Command) > 64 {
		return fmt.Errorf("command: expected at most 64 words, found %d", len(m.Command))
	}
	for i, s := range m.Command {
		if err := checkText(s); err != nil {
			return fmt.Errorf("command[%d]: %v", i, err)
		}
	}
	return nil
}

// span returns the manifest's periods as a span of at most maxQuarters.
func (m *Manifest) span() (sim.Span, error) {
	var s sim.Span
	var err error
	if s.Start, err = sim.ParsePeriod(m.Periods.From); err != nil {
		return s, fmt.Errorf("periods.from: %v", err)
	}
	if s.End, err = sim.ParsePeriod(m.Periods.To); err != nil {
		return s, fmt.Errorf("periods.to: %v", err)
	}
	if s.End < s.Start || s.Len() > maxQuarters {
		return s, fmt.Errorf("periods: expected from %s to at most %d quarters later, found %s", s.Start, maxQuarters, s.End)
	}
	return s, nil
}
