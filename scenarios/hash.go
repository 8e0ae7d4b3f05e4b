package scenarios

import (
	"crypto/sha256"
	"encoding/hex"
	"math"
	"strconv"
	"strings"

	"github.com/chokepoint-sim/chokepoint/sim"
	"github.com/chokepoint-sim/chokepoint/sim/dist"
)

// hash returns the hex SHA-256 of the compiled scenario's resolved text
// (Resolved), so that two files meaning the same thing (whatever their
// spelling, key order, comments or extends chain) hash alike and any
// change of meaning changes the hash.
func hash(reg *sim.Registry, sc *sim.Scenario) string {
	sum := sha256.Sum256([]byte(Resolved(reg, sc)))
	return hex.EncodeToString(sum[:])
}

// Resolved returns the compiled scenario as a TOML document: one line per
// fact, strings quoted and numbers printed exactly; every parameter in
// registry order under its key (defaults included, so a registry that
// gains a parameter changes every scenario's text, as it should: the
// resolved scenario changed), then every event and correlation. Its
// SHA-256 is the scenario's hash (sc.Hash, the manifest's "sha256"), so a
// report can carry the text and a reader can check it. Lever values are
// the engine's numbers (a set of chips is its code), and the document
// names no parent: it is what ran, not a file to edit.
func Resolved(reg *sim.Registry, sc *sim.Scenario) string {
	var b strings.Builder
	line := func(fields ...string) {
		b.WriteString(strings.Join(fields, " "))
		b.WriteByte('\n')
	}
	q := tomlString
	num := tomlNumber
	line("# chokepoint resolved scenario, format 2; its SHA-256 is the scenario's hash")
	line("id", "=", q(sc.Name))
	line("title", "=", q(sc.Title))
	line("description", "=", q(sc.Description))
	line("\n[time]")
	line("start", "=", q(sc.Span.Start.String()))
	line("end", "=", q(sc.Span.End.String()))
	line("\n[params]")
	for i, d := range sc.Params {
		key := strconv.Itoa(i)
		if i < len(reg.Params) {
			key = reg.Params[i].Key
		}
		line(q(key), "=", distValue(d))
	}
	for _, e := range sc.Events {
		lever := strconv.Itoa(e.Lever)
		if e.Lever >= 0 && e.Lever < len(reg.Levers) {
			lever = reg.Levers[e.Lever].Key
		}
		line("\n[[events]]")
		line("id", "=", q(e.ID))
		line("lever", "=", q(lever))
		line("value", "=", num(e.Value))
		line("effective", "=", q(e.Effective.String()))
		line("announced", "=", q(e.Announced.String()))
		line("probability", "=", num(e.Probability))
		if e.Delay != nil {
			line("delay", "=", distValue(e.Delay))
		}
		line("label", "=", q(e.Label))
		line("note", "=", q(e.Note))
		line("source", "=", q(e.Source))
	}
	for _, c := range sc.Correlations {
		var keys []string
		for _, p := range c.Params {
			keys = append(keys, q(reg.Params[p].Key))
		}
		var rows []string
		for _, row := range c.Spearman {
			var cells []string
			for _, x := range row {
				cells = append(cells, num(x))
			}
			rows = append(rows, "["+strings.Join(cells, ", ")+"]")
		}
		line("\n[[correlations]]")
		line("params", "=", "["+strings.Join(keys, ", ")+"]")
		line("matrix", "=", "["+strings.Join(rows, ", ")+"]")
	}
	return b.String()
}

// distValue writes a distribution as a TOML value: its scenario syntax
// (a number, a quoted "a to b" or an inline table), or "none".
func distValue(d dist.Dist) string {
	if d == nil {
		return `"none"`
	}
	return d.String()
}

// tomlString quotes s as a TOML basic string. Scenario text holds no
// control character but tabs and line breaks (the loader refuses the
// rest), which Go's quoting writes as TOML does (\t, \n); Go writes other
// non-printable runes as \uXXXX or \UXXXXXXXX, as TOML does.
func tomlString(s string) string { return strconv.QuoteToGraphic(s) }

// tomlNumber writes v exactly, as TOML reads it: 4800, 0.5, 1e+06; inf
// and nan as TOML spells them.
func tomlNumber(v float64) string {
	switch {
	case math.IsInf(v, 1):
		return "inf"
	case math.IsInf(v, -1):
		return "-inf"
	case math.IsNaN(v):
		return "nan"
	}
	return strconv.FormatFloat(v, 'g', -1, 64)
}
