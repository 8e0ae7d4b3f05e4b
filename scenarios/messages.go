package scenarios

import (
	"errors"
	"fmt"
	"maps"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/BurntSushi/toml"

	"github.com/chokepoint-sim/chokepoint/sim"
)

// describe names a TOML value's type and shows it, for "found ..." in
// messages.
func describe(v any) string {
	switch v := v.(type) {
	case string:
		if len(v) > 40 {
			v = v[:37] + "..."
		}
		return "string " + strconv.Quote(v)
	case int64:
		return "integer " + strconv.FormatInt(v, 10)
	case float64:
		return "number " + fmtNum(v)
	case bool:
		return "boolean " + strconv.FormatBool(v)
	case time.Time:
		if v.Hour() == 0 && v.Minute() == 0 && v.Second() == 0 && v.Nanosecond() == 0 {
			return "date " + v.Format("2006-01-02")
		}
		return "date-time " + v.Format(time.RFC3339)
	case []any, []map[string]any:
		return "an array"
	case map[string]any:
		return "a table"
	case nil:
		return "nothing"
	}
	return fmt.Sprintf("a %T", v)
}

// fmtNum prints a number in messages.
func fmtNum(v float64) string {
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

// fmtApprox prints a computed number (a percentile) to six significant
// digits, hiding rounding noise (-0.2000000000000002).
func fmtApprox(v float64) string {
	if math.IsInf(v, 0) || math.IsNaN(v) {
		return fmtNum(v)
	}
	return strconv.FormatFloat(v, 'g', 6, 64)
}

// suggest is the one "did you mean" of every surface (sim/suggest).
func suggest(s string, candidates []string) string { return sim.Suggest(s, candidates) }

func sortedKeys(m map[string]any) []string { return slices.Sorted(maps.Keys(m)) }

func contains(list []string, s string) bool { return slices.Contains(list, s) }

// syntaxError turns the TOML parser's error into an *Error.
func syntaxError(name string, src []byte, err error) *Error {
	var pe toml.ParseError
	if !errors.As(err, &pe) {
		return &Error{File: name, Msg: cleanMsg(err.Error())}
	}
	e := &Error{File: name, Line: pe.Position.Line, Col: pe.Position.Col, Msg: cleanMsg(pe.Message)}
	lines := strings.Split(string(src), "\n")
	if e.Line < 1 || e.Line > len(lines) {
		e.Line, e.Col = 0, 0
	} else if e.Col > len(lines[e.Line-1])+1 {
		// Some parser errors carry an offset from elsewhere; a column past
		// the end of the line would only mislead.
		e.Col = 0
	}
	// The parser's "last key" is the key in scope, which may be several lines
	// up; name it only when the error is on that key's own line.
	if pe.LastKey != "" && e.Line > 0 {
		{
			last := pe.LastKey
			if i := strings.LastIndexByte(last, '.'); i >= 0 {
				last = last[i+1:]
			}
			line := strings.TrimLeft(lines[e.Line-1], " \t")
			for _, q := range []string{"", `"`, `'`} {
				if strings.HasPrefix(line, q+last+q) {
					e.Key = pe.LastKey
					break
				}
			}
		}
	}
	return e
}

// cleanMsg makes a parser message one line without the "toml: " prefix.
func cleanMsg(s string) string {
	s = strings.TrimPrefix(s, "toml: ")
	s = strings.TrimSuffix(strings.Join(strings.Fields(s), " "), ".")
	if s == "" {
		return "invalid TOML"
	}
	return s
}
