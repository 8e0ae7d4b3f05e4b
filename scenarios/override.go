package scenarios

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/BurntSushi/toml"

	"github.com/chokepoint-sim/chokepoint/sim"
	"github.com/chokepoint-sim/chokepoint/sim/dist"
)

// Override applies `--set key=value` strings to a compiled scenario and
// returns the result, leaving sc as it was. A parameter key takes what a
// scenario file takes: a number, "a to b" (quoted or not) or a distribution
// table such as {dist="uniform", min=1, max=2}; a lever key takes a number, true/false (on/off, 1/0) or a
// comma-separated list of items, and then holds that value over the whole
// span: the lever's scenario events are dropped for an event "set:KEY"
// effective at the span's start. Later sets of one key win. The result's
// Hash is the SHA-256 of its resolved text (Resolved).
func (l *Loader) Override(sc *sim.Scenario, sets []string) (*sim.Scenario, error) {
	out, err := l.OverrideUnhashed(sc, sets)
	if err != nil {
		return nil, err
	}
	out.Hash = hash(l.Registry, out)
	return out, nil
}

// OverrideUnhashed is Override for a scenario nothing records (the
// classroom page's settings, answered and forgotten): its Hash is empty,
// which saves writing out the resolved text and hashing it on every
// request, a few milliseconds in the WebAssembly build.
func (l *Loader) OverrideUnhashed(sc *sim.Scenario, sets []string) (*sim.Scenario, error) {
	if l.Registry == nil {
		return nil, errors.New("scenarios: Loader has no Registry")
	}
	if sc == nil {
		return nil, errors.New("scenarios: Override of a nil scenario")
	}
	reg := l.Registry
	out := *sc
	out.Params = append([]dist.Dist(nil), sc.Params...)
	out.Events = append([]sim.Event(nil), sc.Events...)
	for _, s := range sets {
		// A --set may come from a web request as well as a command line;
		// it is echoed in messages and kept in the event's note.
		if msg := checkLine(s); msg != "" {
			return nil, &Error{Key: "--set", Msg: msg}
		}
		key, val, ok := strings.Cut(s, "=")
		key, val = strings.TrimSpace(key), strings.TrimSpace(val)
		if !ok || key == "" {
			return nil, &Error{Key: "--set", Msg: fmt.Sprintf("expected key=value, found %q", s)}
		}
		fail := func(format string, args ...any) error {
			return &Error{Key: "--set " + key, Msg: fmt.Sprintf(format, args...)}
		}
		if i, ok := reg.ParamIndex(key); ok {
			if i >= len(out.Params) {
				return nil, fail("the scenario was compiled for another registry")
			}
			d, err := setValue(&reg.Params[i], val)
			if err != nil {
				return nil, fail("%v", err)
			}
			if msg := checkBounds(&reg.Params[i], d); msg != "" {
				return nil, fail("%s", msg)
			}
			out.Params[i] = d
			continue
		}
		i, ok := reg.LeverIndex(key)
		if !ok {
			all := append(reg.ParamKeys(), reg.LeverKeys()...)
			if sug := suggest(key, all); sug != "" {
				return nil, fail("unknown parameter or lever (did you mean %q?)", sug)
			}
			return nil, fail("unknown parameter or lever (`chokepoint params` lists them)")
		}
		lever := &reg.Levers[i]
		x, err := parseLeverValue(lever, val)
		if err != nil {
			return nil, fail("%v", err)
		}
		out.Events = append(withoutLever(out.Events, i), sim.Event{
			ID:          "set:" + key,
			Lever:       i,
			Value:       x,
			Effective:   out.Span.Start,
			Announced:   out.Span.Start,
			Probability: 1,
			Note:        "--set " + key + "=" + val,
		})
	}
	sortEvents(out.Events)
	out.Hash = ""
	return &out, nil
}

// setValue reads the value of parameter p after --set key=: a
// distribution, or for a structural switch also a formulation by name
// (--set structure.smuggling=network).
func setValue(p *sim.Param, val string) (dist.Dist, error) {
	if level := p.Level(val); level >= 0 {
		return dist.Parse(float64(level))
	}
	d, err := parseDistValue(val)
	if err != nil && len(p.Levels) > 0 {
		return nil, fmt.Errorf("expected a formulation, one of %s, or a number or distribution; %v", strings.Join(p.Levels, ", "), err)
	}
	return d, err
}

// parseDistValue reads a parameter's value as written after --set key=. A
// value that starts as TOML does (an inline table or a quoted string) is
// decoded as the right-hand side of one TOML key and goes to the same
// parser as a scenario file's value; anything else is a bare number or
// "a to b", as before.
func parseDistValue(s string) (dist.Dist, error) {
	if !strings.HasPrefix(s, "{") && !strings.HasPrefix(s, `"`) {
		return dist.Parse(s)
	}
	var doc map[string]any
	if _, err := toml.Decode("v = "+s, &doc); err != nil || len(doc) != 1 {
		return nil, fmt.Errorf("expected a TOML inline table or string such as "+
			`{dist="uniform", min=1, max=2} or "1 to 2", found %s (%s)`, s, tomlReason(err))
	}
	return dist.Parse(doc["v"])
}

// tomlReason is the TOML decoder's complaint without its position, which
// counts from the "v = " parseDistValue adds.
func tomlReason(err error) string {
	var pe toml.ParseError
	if errors.As(err, &pe) {
		return pe.Message
	}
	if err != nil {
		return err.Error()
	}
	return "more than one key"
}

// parseLeverValue reads a lever's value as written on the command line.
func parseLeverValue(lever *sim.Lever, s string) (float64, error) {
	switch lever.Kind {
	case sim.LeverSwitch:
		switch strings.ToLower(s) {
		case "true", "on", "1", "yes":
			return 1, nil
		case "false", "off", "0", "no":
			return 0, nil
		}
		return 0, fmt.Errorf("expected true or false for switch lever %s, found %q", lever.Key, s)
	case sim.LeverSet:
		var names []string
		for _, n := range strings.Split(s, ",") {
			if n = strings.TrimSpace(n); n != "" {
				names = append(names, n)
			}
		}
		return lever.SetMask(names)
	}
	x, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsNaN(x) {
		return 0, fmt.Errorf("expected a number for lever %s, found %q", lever.Key, s)
	}
	if x < lever.Min || x > lever.Max {
		return 0, fmt.Errorf("%s is outside lever %s's bounds [%s, %s]", fmtNum(x), lever.Key, fmtNum(lever.Min), fmtNum(lever.Max))
	}
	return x, nil
}

// withoutLever returns the events not on lever i, in a new slice.
func withoutLever(evs []sim.Event, i int) []sim.Event {
	kept := evs[:0:0]
	for _, e := range evs {
		if e.Lever != i {
			kept = append(kept, e)
		}
	}
	return kept
}
