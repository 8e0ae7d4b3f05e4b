package dist

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/chokepoint-sim/chokepoint/sim/suggest"
)

// Scenario files write a distribution in one of these forms (see Parse):
//
//	0.7                                         fixed value (also the string "0.7")
//	"5 to 14"                                   90% interval: lognormal when both
//	                                            ends are > 0, else normal
//	{dist = "normal", mean = 0, sd = 1}         or {dist = "normal", p5 = , p95 = }
//	{dist = "lognormal", p5 = 5, p95 = 14}      or {dist = "lognormal", mu = , sigma = }
//	{dist = "uniform", min = 0, max = 1}
//	{dist = "triangular", min = 1, mode = 2, max = 5}
//	{dist = "pert", min = 1, mode = 2, max = 5}
//	{dist = "beta", alpha = 2, beta = 5}        or {dist = "beta", p5 = , p95 = }
//	{dist = "discrete", values = [1, 2, 3], weights = [1, 1, 2]}
//	{dist = "mixture", components = ["5 to 14", {dist = "uniform", min = 0, max = 1}], weights = [2, 1]}
//
// A mixture's components may take any of these forms, a mixture too; its
// weights (equal when absent) are normalised to sum to 1.
//
// Every table may also carry clip = [lo, hi]: each quantile is clamped into
// [lo, hi], so the mass beyond a bound piles up at that bound (clamping, not
// truncation: the rest of the distribution is unchanged). lo may be -inf and
// hi inf for a one-sided clip.
//
// Every Dist returned by Parse is immutable and safe for concurrent use,
// and its Quantile is finite for every p in (0, 1): parameters whose
// quantiles would overflow float64 are rejected.

// names lists the table forms, in the order error messages give them.
var names = []string{"normal", "lognormal", "uniform", "triangular", "pert", "beta", "discrete", "mixture"}

// keys lists the keys each table form takes besides dist and clip.
var keys = map[string][]string{
	"normal":     {"mean", "sd", "p5", "p95"},
	"lognormal":  {"p5", "p95", "mu", "sigma"},
	"uniform":    {"min", "max"},
	"triangular": {"min", "mode", "max"},
	"pert":       {"min", "mode", "max"},
	"beta":       {"alpha", "beta", "p5", "p95"},
	"discrete":   {"values", "weights"},
	"mixture":    {"components", "weights"},
}

const (
	// pLo and pHi are the smallest and largest float64 in (0, 1).
	// Quantile is monotone, so a distribution whose quantiles are finite at
	// both is finite everywhere in (0, 1).
	pLo = math.SmallestNonzeroFloat64
	pHi = 1 - 0x1p-53
)

// z95 is the standard normal 95th percentile, 1.6448536269514722: a 90%
// interval [p5, p95] is mean -/+ z95 sd.
var z95 = normQuantile(0.95)

// Parse reads a distribution as a TOML decoder delivers it: a number
// (float64 or int64) or a numeric string for a fixed value, a string "a to b"
// for a 90% interval, or an inline table (map[string]any) with a dist key.
// Errors say what was expected and what was found, without a location: the
// caller adds where the value came from.
func Parse(v any) (Dist, error) {
	if x, ok := number(v); ok {
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return nil, fmt.Errorf("a fixed value must be finite, found %s", fmtNum(x))
		}
		return Fixed{v: x}, nil
	}
	switch x := v.(type) {
	case string:
		return parseString(x)
	case map[string]any:
		return parseTable(x)
	}
	return nil, fmt.Errorf(`expected a number, an "a to b" string or a distribution table, found %s`, describe(v))
}

// parseString reads "0.7" or "a to b".
func parseString(s string) (Dist, error) {
	fields := strings.Fields(s)
	if !containsWord(fields, "to") {
		if len(fields) == 1 {
			if x, err := strconv.ParseFloat(fields[0], 64); err == nil && !math.IsNaN(x) && !math.IsInf(x, 0) {
				return Fixed{v: x}, nil
			}
		}
		return nil, fmt.Errorf(`expected a number or "a to b", found string %s`, quote(s))
	}
	if len(fields) != 3 || fields[1] != "to" {
		return nil, fmt.Errorf(`"a to b" form: %s: expected a number, "to" and a number`, quote(s))
	}
	var ab [2]float64
	for i, f := range []string{fields[0], fields[2]} {
		x, err := strconv.ParseFloat(f, 64)
		if err != nil && !math.IsInf(x, 0) {
			return nil, fmt.Errorf(`"a to b" form: %s: %s is not a number`, quote(s), quote(f))
		}
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return nil, fmt.Errorf(`"a to b" form: %s: %s is not a finite number`, quote(s), quote(f))
		}
		ab[i] = x
	}
	a, b := ab[0], ab[1]
	if !(a < b) {
		return nil, fmt.Errorf(`"a to b" form: %s: lower bound must be below upper bound`, quote(s))
	}
	text := strconv.Quote(fmtNum(a) + " to " + fmtNum(b))
	var d Dist
	if a > 0 {
		d = lognormalFromPercentiles(a, b, text)
	} else {
		d = normalFromPercentiles(a, b, text)
	}
	if err := checkFinite(d); err != nil {
		return nil, fmt.Errorf(`"a to b" form: %s: %v`, quote(s), err)
	}
	return d, nil
}

func parseTable(m map[string]any) (Dist, error) {
	name, err := tableName(m)
	if err != nil {
		return nil, err
	}
	if err := checkKeys(m, name); err != nil {
		return nil, err
	}
	t := &table{name: name, m: m}
	d, err := t.read()
	if err != nil {
		return nil, err
	}
	if err := checkFinite(d); err != nil {
		return nil, t.errorf("%v", err)
	}
	if t.has("clip") {
		return t.clip(d)
	}
	return d, nil
}

// tableName returns the table's dist, one of names.
func tableName(m map[string]any) (string, error) {
	dv, ok := m["dist"]
	if !ok {
		msg := `a distribution table needs dist = "` + strings.Join(names, `" | "`) + `"`
		for _, k := range sortedKeys(m) {
			if suggest.Closest(k, []string{"dist"}) != "" {
				msg += fmt.Sprintf(` (found %q: did you mean "dist"?)`, k)
				break
			}
		}
		return "", errors.New(msg)
	}
	name, ok := dv.(string)
	if !ok {
		return "", fmt.Errorf(`dist must be a string such as "normal", found %s`, describe(dv))
	}
	if _, ok := keys[name]; !ok {
		if s := suggest.Closest(name, names); s != "" {
			return "", fmt.Errorf("unknown distribution %s (did you mean %q?)", quote(name), s)
		}
		return "", fmt.Errorf("unknown distribution %s (expected one of %s)", quote(name), strings.Join(names, ", "))
	}
	return name, nil
}

// checkKeys rejects a key that a table of distribution name does not take.
func checkKeys(m map[string]any, name string) error {
	allowed := append(append([]string{"dist"}, keys[name]...), "clip")
	for _, k := range sortedKeys(m) {
		if containsWord(allowed, k) {
			continue
		}
		if s := suggest.Closest(k, allowed); s != "" {
			return fmt.Errorf("unknown key %s in a %s distribution (did you mean %q?)", quote(k), name, s)
		}
		return fmt.Errorf("unknown key %s in a %s distribution (expected %s)",
			quote(k), name, strings.Join(allowed[1:], ", "))
	}
	return nil
}

// checkFinite rejects a distribution whose quantiles overflow float64
// somewhere in (0, 1).
func checkFinite(d Dist) error {
	for _, p := range []float64{pLo, pHi} {
		if q := d.Quantile(p); math.IsNaN(q) || math.IsInf(q, 0) {
			return errors.New("parameters too extreme: quantiles overflow float64")
		}
	}
	return nil
}
