package scenarios

import (
	"crypto/sha256"
	"encoding/hex"
	"strconv"
	"strings"

	"github.com/chokepoint-sim/chokepoint/sim"
	"github.com/chokepoint-sim/chokepoint/sim/dist"
)

// hash returns the hex SHA-256 of a canonical text of the compiled
// scenario: one line per fact, strings quoted and numbers printed exactly,
// so that two files meaning the same thing (whatever their spelling, key
// order, comments or extends chain) hash alike and any change of meaning
// changes the hash. Parameters appear in registry order under their keys,
// so a registry that gains a parameter changes every hash, as it should:
// the resolved scenario changed.
func hash(reg *sim.Registry, sc *sim.Scenario) string {
	var b strings.Builder
	line := func(fields ...string) {
		b.WriteString(strings.Join(fields, " "))
		b.WriteByte('\n')
	}
	q := strconv.Quote
	num := func(v float64) string { return strconv.FormatFloat(v, 'g', -1, 64) }
	distStr := func(d dist.Dist) string {
		if d == nil {
			return "none"
		}
		return q(d.String())
	}
	line("chokepoint-scenario", "1")
	line("id", q(sc.Name))
	line("title", q(sc.Title))
	line("description", q(sc.Description))
	line("span", sc.Span.Start.String(), sc.Span.End.String())
	for i, d := range sc.Params {
		key := strconv.Itoa(i)
		if i < len(reg.Params) {
			key = reg.Params[i].Key
		}
		line("param", q(key), distStr(d))
	}
	for _, e := range sc.Events {
		lever := strconv.Itoa(e.Lever)
		if e.Lever >= 0 && e.Lever < len(reg.Levers) {
			lever = reg.Levers[e.Lever].Key
		}
		line("event", q(e.ID), "lever="+q(lever), "value="+num(e.Value),
			"effective="+e.Effective.String(), "announced="+e.Announced.String(),
			"probability="+num(e.Probability), "delay="+distStr(e.Delay),
			"label="+q(e.Label), "note="+q(e.Note), "source="+q(e.Source))
	}
	for _, c := range sc.Correlations {
		var keys []string
		for _, p := range c.Params {
			keys = append(keys, q(reg.Params[p].Key))
		}
		var cells []string
		for _, row := range c.Spearman {
			for _, x := range row {
				cells = append(cells, num(x))
			}
		}
		line("correlation", strings.Join(keys, ","), strings.Join(cells, ","))
	}
	sum := sha256.Sum256([]byte(b.String()))
	return hex.EncodeToString(sum[:])
}
