package dist

import (
	"fmt"
	"maps"
	"math"
	"slices"
	"strconv"
	"strings"
)

// number reads a TOML number (float64 or int64) or a Go int.
func number(v any) (float64, bool) {
	switch x := v.(type) {
	case float64:
		return x, true
	case int64:
		return float64(x), true
	case int:
		return float64(x), true
	}
	return 0, false
}

// array reads a TOML array.
func array(v any) ([]any, bool) {
	switch x := v.(type) {
	case []any:
		return x, true
	case []float64:
		return anySlice(x), true
	case []int64:
		return anySlice(x), true
	}
	return nil, false
}

func anySlice[T any](xs []T) []any {
	out := make([]any, len(xs))
	for i, e := range xs {
		out[i] = e
	}
	return out
}

// describe names a decoded TOML value for an error message.
func describe(v any) string {
	if x, ok := number(v); ok {
		return "number " + fmtNum(x)
	}
	switch x := v.(type) {
	case nil:
		return "nothing"
	case string:
		return "string " + quote(x)
	case bool:
		return fmt.Sprintf("bool %t", x)
	case map[string]any:
		return "a table"
	}
	if a, ok := array(v); ok {
		return fmt.Sprintf("an array of %d values", len(a))
	}
	return fmt.Sprintf("a value of type %T", v)
}

// quote quotes a string from the input for an error message, cut short (to
// at most 60 bytes of quoted text) if long.
func quote(s string) string {
	const max = 60
	if q := strconv.Quote(s); len(q) <= max {
		return q
	}
	keep := 0 // the longest prefix, ending at a rune boundary, that fits
	for i := range s {
		if len(strconv.Quote(s[:i])) > max-3 {
			break
		}
		keep = i
	}
	return strconv.Quote(s[:keep]) + "..."
}

// fmtNum writes x with the fewest digits that read back to the same
// float64: 0.7, 5, 1e+06.
func fmtNum(x float64) string {
	if x == 0 {
		return "0" // not "-0", which TOML reads as the integer 0
	}
	return strconv.FormatFloat(x, 'g', -1, 64)
}

// fmtNumTOML is fmtNum with TOML's spelling of infinities.
func fmtNumTOML(x float64) string {
	switch {
	case math.IsInf(x, 1):
		return "inf"
	case math.IsInf(x, -1):
		return "-inf"
	}
	return fmtNum(x)
}

func fmtArray(xs []float64) string {
	s := make([]string, len(xs))
	for i, x := range xs {
		s[i] = fmtNum(x)
	}
	return "[" + strings.Join(s, ", ") + "]"
}

func sortedKeys(m map[string]any) []string { return slices.Sorted(maps.Keys(m)) }

func containsWord(xs []string, s string) bool { return slices.Contains(xs, s) }

// logSub is math.Log, correct also for subnormal x: on amd64 math.Log (an
// assembly routine) treats a subnormal as if it were normal, so that
// math.Log(5e-324) is -709.09 instead of -744.44.
func logSub(x float64) float64 {
	if x > 0 && x < 0x1p-1022 {
		return math.Log(x*0x1p64) - 64*math.Ln2
	}
	return math.Log(x)
}
