package sim

import (
	"errors"
	"fmt"
	"maps"
	"math"
	"slices"
	"sort"
	"strconv"
	"strings"
)

// Scenario files write a distribution in one of these forms (see ParseDist):
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
//
// Every table may also carry clip = [lo, hi]: each quantile is clamped into
// [lo, hi], so the mass beyond a bound piles up at that bound (clamping, not
// truncation: the rest of the distribution is unchanged). lo may be -inf and
// hi inf for a one-sided clip.
//
// Every Dist returned by ParseDist is immutable and safe for concurrent use,
// and its Quantile is finite for every p in (0, 1): parameters whose
// quantiles would overflow float64 are rejected.

// distNames lists the table forms, in the order error messages give them.
var distNames = []string{"normal", "lognormal", "uniform", "triangular", "pert", "beta", "discrete"}

// distKeys lists the keys each table form takes besides dist and clip.
var distKeys = map[string][]string{
	"normal":     {"mean", "sd", "p5", "p95"},
	"lognormal":  {"p5", "p95", "mu", "sigma"},
	"uniform":    {"min", "max"},
	"triangular": {"min", "mode", "max"},
	"pert":       {"min", "mode", "max"},
	"beta":       {"alpha", "beta", "p5", "p95"},
	"discrete":   {"values", "weights"},
}

const (
	// distPLo and distPHi are the smallest and largest float64 in (0, 1).
	// Quantile is monotone, so a distribution whose quantiles are finite at
	// both is finite everywhere in (0, 1).
	distPLo = math.SmallestNonzeroFloat64
	distPHi = 1 - 0x1p-53

	// betaMaxParam bounds alpha and beta (and alpha + beta of a fitted
	// beta): beyond it a beta is, to any useful precision, a normal, and the
	// continued fraction of the incomplete beta function slows down.
	betaMaxParam = 1e6
	// betaFitMinK is the smallest concentration alpha + beta the p5/p95 fit
	// tries; below it the 5th percentile underflows float64.
	betaFitMinK = 1e-4
	// betaFitTol is the relative accuracy to which a fitted beta must
	// reproduce its p5 and p95.
	betaFitTol = 1e-6
)

// distZ95 is the standard normal 95th percentile, 1.6448536269514722: a
// 90% interval [p5, p95] is mean -/+ distZ95 sd.
var distZ95 = distNormQuantile(0.95)

// ParseDist reads a distribution as a TOML decoder delivers it: a number
// (float64 or int64) or a numeric string for a fixed value, a string "a to b"
// for a 90% interval, or an inline table (map[string]any) with a dist key.
// Errors say what was expected and what was found, without a location: the
// caller adds where the value came from.
func ParseDist(v any) (Dist, error) {
	if x, ok := distNumber(v); ok {
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return nil, fmt.Errorf("a fixed value must be finite, found %s", distNum(x))
		}
		return FixedDist{v: x}, nil
	}
	switch x := v.(type) {
	case string:
		return parseDistString(x)
	case map[string]any:
		return parseDistTable(x)
	}
	return nil, fmt.Errorf(`expected a number, an "a to b" string or a distribution table, found %s`, distDescribe(v))
}

// parseDistString reads "0.7" or "a to b".
func parseDistString(s string) (Dist, error) {
	fields := strings.Fields(s)
	isInterval := false
	for _, f := range fields {
		if f == "to" {
			isInterval = true
		}
	}
	if !isInterval {
		if len(fields) == 1 {
			if x, err := strconv.ParseFloat(fields[0], 64); err == nil && !math.IsNaN(x) && !math.IsInf(x, 0) {
				return FixedDist{v: x}, nil
			}
		}
		return nil, fmt.Errorf(`expected a number or "a to b", found string %s`, distQuote(s))
	}
	if len(fields) != 3 || fields[1] != "to" {
		return nil, fmt.Errorf(`"a to b" form: %s: expected a number, "to" and a number`, distQuote(s))
	}
	var ab [2]float64
	for i, f := range []string{fields[0], fields[2]} {
		x, err := strconv.ParseFloat(f, 64)
		if err != nil && !math.IsInf(x, 0) {
			return nil, fmt.Errorf(`"a to b" form: %s: %s is not a number`, distQuote(s), distQuote(f))
		}
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return nil, fmt.Errorf(`"a to b" form: %s: %s is not a finite number`, distQuote(s), distQuote(f))
		}
		ab[i] = x
	}
	a, b := ab[0], ab[1]
	if !(a < b) {
		return nil, fmt.Errorf(`"a to b" form: %s: lower bound must be below upper bound`, distQuote(s))
	}
	text := strconv.Quote(distNum(a) + " to " + distNum(b))
	var d Dist
	if a > 0 {
		d = lognormalDistFromPercentiles(a, b, text)
	} else {
		d = normalDistFromPercentiles(a, b, text)
	}
	if err := distCheckFinite(d); err != nil {
		return nil, fmt.Errorf(`"a to b" form: %s: %v`, distQuote(s), err)
	}
	return d, nil
}

// distTable is one inline table being read as a distribution named name.
type distTable struct {
	name string
	m    map[string]any
}

func (t *distTable) has(key string) bool { _, ok := t.m[key]; return ok }

func (t *distTable) errorf(format string, args ...any) error {
	return fmt.Errorf(t.name+": "+format, args...)
}

// num reads a finite number under key; ok is false when the key is absent.
func (t *distTable) num(key string) (x float64, ok bool, err error) {
	v, present := t.m[key]
	if !present {
		return 0, false, nil
	}
	x, isNum := distNumber(v)
	if !isNum {
		return 0, false, t.errorf("%s must be a number, found %s", key, distDescribe(v))
	}
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return 0, false, t.errorf("%s must be finite, found %s", key, distNum(x))
	}
	return x, true, nil
}

// nums reads every key in keys that is present, in order.
func (t *distTable) nums(keys ...string) (map[string]float64, error) {
	out := map[string]float64{}
	for _, k := range keys {
		x, ok, err := t.num(k)
		if err != nil {
			return nil, err
		}
		if ok {
			out[k] = x
		}
	}
	return out, nil
}

// form tells which of two parameter pairs a table uses: 1 for the first, 2
// for the second. It rejects a mix and a pair left incomplete.
func (t *distTable) form(a1, b1, a2, b2 string) (int, error) {
	has1 := t.has(a1) || t.has(b1)
	has2 := t.has(a2) || t.has(b2)
	switch {
	case has1 && has2:
		return 0, t.errorf("give either %s and %s, or %s and %s, not both", a1, b1, a2, b2)
	case has1 && t.has(a1) && t.has(b1):
		return 1, nil
	case has2 && t.has(a2) && t.has(b2):
		return 2, nil
	}
	return 0, t.errorf("needs %s and %s, or %s and %s", a1, b1, a2, b2)
}

func parseDistTable(m map[string]any) (Dist, error) {
	dv, ok := m["dist"]
	if !ok {
		msg := `a distribution table needs dist = "` + strings.Join(distNames, `" | "`) + `"`
		for _, k := range distSortedKeys(m) {
			if Suggest(k, []string{"dist"}) != "" {
				msg += fmt.Sprintf(` (found %q: did you mean "dist"?)`, k)
				break
			}
		}
		return nil, errors.New(msg)
	}
	name, ok := dv.(string)
	if !ok {
		return nil, fmt.Errorf(`dist must be a string such as "normal", found %s`, distDescribe(dv))
	}
	keys, ok := distKeys[name]
	if !ok {
		if s := Suggest(name, distNames); s != "" {
			return nil, fmt.Errorf("unknown distribution %s (did you mean %q?)", distQuote(name), s)
		}
		return nil, fmt.Errorf("unknown distribution %s (expected one of %s)",
			distQuote(name), strings.Join(distNames, ", "))
	}
	allowed := append(append([]string{"dist"}, keys...), "clip")
	for _, k := range distSortedKeys(m) {
		if !distContains(allowed, k) {
			if s := Suggest(k, allowed); s != "" {
				return nil, fmt.Errorf("unknown key %s in a %s distribution (did you mean %q?)", distQuote(k), name, s)
			}
			return nil, fmt.Errorf("unknown key %s in a %s distribution (expected %s)",
				distQuote(k), name, strings.Join(allowed[1:], ", "))
		}
	}
	t := &distTable{name: name, m: m}
	var d Dist
	var err error
	switch name {
	case "normal":
		d, err = t.normal()
	case "lognormal":
		d, err = t.lognormal()
	case "uniform":
		d, err = t.uniform()
	case "triangular", "pert":
		d, err = t.triangular()
	case "beta":
		d, err = t.beta()
	case "discrete":
		d, err = t.discrete()
	}
	if err != nil {
		return nil, err
	}
	if err := distCheckFinite(d); err != nil {
		return nil, t.errorf("%v", err)
	}
	if t.has("clip") {
		return t.clip(d)
	}
	return d, nil
}

func (t *distTable) normal() (Dist, error) {
	v, err := t.nums("mean", "sd", "p5", "p95")
	if err != nil {
		return nil, err
	}
	f, err := t.form("mean", "sd", "p5", "p95")
	if err != nil {
		return nil, err
	}
	if f == 1 {
		mean, sd := v["mean"], v["sd"]
		if sd < 0 {
			return nil, t.errorf("sd must be >= 0, found %s", distNum(sd))
		}
		return NormalDist{mean: mean, sd: sd,
			text: fmt.Sprintf(`{dist = "normal", mean = %s, sd = %s}`, distNum(mean), distNum(sd))}, nil
	}
	p5, p95 := v["p5"], v["p95"]
	if !(p5 < p95) {
		return nil, t.errorf("p5 must be below p95, found p5=%s p95=%s", distNum(p5), distNum(p95))
	}
	return normalDistFromPercentiles(p5, p95,
		fmt.Sprintf(`{dist = "normal", p5 = %s, p95 = %s}`, distNum(p5), distNum(p95))), nil
}

func (t *distTable) lognormal() (Dist, error) {
	v, err := t.nums("p5", "p95", "mu", "sigma")
	if err != nil {
		return nil, err
	}
	f, err := t.form("p5", "p95", "mu", "sigma")
	if err != nil {
		return nil, err
	}
	if f == 2 {
		mu, sigma := v["mu"], v["sigma"]
		if !(sigma > 0) {
			return nil, t.errorf("sigma must be > 0, found %s", distNum(sigma))
		}
		return LogNormalDist{mu: mu, sigma: sigma,
			text: fmt.Sprintf(`{dist = "lognormal", mu = %s, sigma = %s}`, distNum(mu), distNum(sigma))}, nil
	}
	p5, p95 := v["p5"], v["p95"]
	if !(p5 > 0) {
		return nil, t.errorf("p5 must be > 0, found %s", distNum(p5))
	}
	if !(p5 < p95) {
		return nil, t.errorf("p5 must be below p95, found p5=%s p95=%s", distNum(p5), distNum(p95))
	}
	return lognormalDistFromPercentiles(p5, p95,
		fmt.Sprintf(`{dist = "lognormal", p5 = %s, p95 = %s}`, distNum(p5), distNum(p95))), nil
}

func (t *distTable) uniform() (Dist, error) {
	v, err := t.nums("min", "max")
	if err != nil {
		return nil, err
	}
	if len(v) != 2 {
		return nil, t.errorf("needs min and max")
	}
	lo, hi := v["min"], v["max"]
	if !(lo < hi) {
		return nil, t.errorf("min must be below max, found min=%s max=%s", distNum(lo), distNum(hi))
	}
	if math.IsInf(hi-lo, 0) {
		return nil, t.errorf("max - min must be finite, found min=%s max=%s", distNum(lo), distNum(hi))
	}
	return UniformDist{min: lo, max: hi}, nil
}

// triangular reads a triangular or a PERT table.
func (t *distTable) triangular() (Dist, error) {
	v, err := t.nums("min", "mode", "max")
	if err != nil {
		return nil, err
	}
	if len(v) != 3 {
		return nil, t.errorf("needs min, mode and max")
	}
	lo, mode, hi := v["min"], v["mode"], v["max"]
	if !(lo < hi) {
		return nil, t.errorf("min must be below max, found min=%s max=%s", distNum(lo), distNum(hi))
	}
	if !(lo <= mode && mode <= hi) {
		return nil, t.errorf("mode must lie within [min, max], found min=%s mode=%s max=%s",
			distNum(lo), distNum(mode), distNum(hi))
	}
	if math.IsInf(hi-lo, 0) {
		return nil, t.errorf("max - min must be finite, found min=%s max=%s", distNum(lo), distNum(hi))
	}
	if t.name == "triangular" {
		return TriangularDist{min: lo, mode: mode, max: hi}, nil
	}
	w := hi - lo
	a := 1 + 4*((mode-lo)/w)
	b := 1 + 4*((hi-mode)/w)
	return PERTDist{min: lo, mode: mode, max: hi, b: newDistBeta(a, b)}, nil
}

func (t *distTable) beta() (Dist, error) {
	v, err := t.nums("alpha", "beta", "p5", "p95")
	if err != nil {
		return nil, err
	}
	f, err := t.form("alpha", "beta", "p5", "p95")
	if err != nil {
		return nil, err
	}
	if f == 1 {
		a, b := v["alpha"], v["beta"]
		for _, k := range []string{"alpha", "beta"} {
			if !(v[k] > 0) {
				return nil, t.errorf("%s must be > 0, found %s", k, distNum(v[k]))
			}
			if v[k] > betaMaxParam {
				return nil, t.errorf("%s must be at most %s (use a normal for so narrow a distribution), found %s",
					k, distNum(betaMaxParam), distNum(v[k]))
			}
		}
		return BetaDist{b: newDistBeta(a, b),
			text: fmt.Sprintf(`{dist = "beta", alpha = %s, beta = %s}`, distNum(a), distNum(b))}, nil
	}
	p5, p95 := v["p5"], v["p95"]
	if !(p5 > 0 && p5 < 1 && p95 > 0 && p95 < 1) {
		return nil, t.errorf("p5 and p95 must lie strictly between 0 and 1, found p5=%s p95=%s", distNum(p5), distNum(p95))
	}
	if !(p5 < p95) {
		return nil, t.errorf("p5 must be below p95, found p5=%s p95=%s", distNum(p5), distNum(p95))
	}
	bf, err := distFitBeta(p5, p95)
	if err != nil {
		return nil, t.errorf("%v", err)
	}
	return BetaDist{b: bf, text: fmt.Sprintf(`{dist = "beta", p5 = %s, p95 = %s}`, distNum(p5), distNum(p95))}, nil
}

func (t *distTable) discrete() (Dist, error) {
	if !t.has("values") {
		return nil, t.errorf("needs values")
	}
	vals, err := t.numArray("values")
	if err != nil {
		return nil, err
	}
	if len(vals) == 0 {
		return nil, t.errorf("values must not be empty")
	}
	var wts []float64
	if t.has("weights") {
		if wts, err = t.numArray("weights"); err != nil {
			return nil, err
		}
		if len(wts) != len(vals) {
			return nil, t.errorf("values and weights must have the same length, found %d values and %d weights",
				len(vals), len(wts))
		}
		for i, w := range wts {
			if w < 0 {
				return nil, t.errorf("weights must be >= 0, found weights[%d]=%s", i, distNum(w))
			}
		}
	}
	var sb strings.Builder
	sb.WriteString(`{dist = "discrete", values = `)
	sb.WriteString(distArrayText(vals))
	if wts != nil {
		sb.WriteString(", weights = ")
		sb.WriteString(distArrayText(wts))
	}
	sb.WriteString("}")

	// Sort (value, weight) pairs by value so that Quantile is monotone, and
	// drop the weightless ones: they can never be drawn.
	type pair struct{ v, w float64 }
	ps := make([]pair, len(vals))
	maxW := 0.0
	for i, v := range vals {
		w := 1.0
		if wts != nil {
			w = wts[i]
		}
		ps[i] = pair{v, w}
		maxW = math.Max(maxW, w)
	}
	if maxW == 0 {
		return nil, t.errorf("weights must not all be zero")
	}
	sort.SliceStable(ps, func(i, j int) bool { return ps[i].v < ps[j].v })
	d := DiscreteDist{text: sb.String()}
	total := 0.0
	for _, p := range ps {
		if p.w > 0 {
			w := p.w / maxW // in (0, 1], so the sum cannot overflow
			total += w
			d.values = append(d.values, p.v)
			d.probs = append(d.probs, w)
			d.cum = append(d.cum, total)
		}
	}
	for i := range d.cum {
		d.probs[i] /= total
		d.cum[i] /= total
	}
	d.cum[len(d.cum)-1] = 1
	return d, nil
}

// numArray reads an array of finite numbers under key.
func (t *distTable) numArray(key string) ([]float64, error) {
	raw, ok := distArray(t.m[key])
	if !ok {
		return nil, t.errorf("%s must be an array of numbers, found %s", key, distDescribe(t.m[key]))
	}
	out := make([]float64, len(raw))
	for i, e := range raw {
		x, ok := distNumber(e)
		if !ok {
			return nil, t.errorf("%s[%d] must be a number, found %s", key, i, distDescribe(e))
		}
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return nil, t.errorf("%s[%d] must be finite, found %s", key, i, distNum(x))
		}
		out[i] = x
	}
	return out, nil
}

// clip wraps d in the table's clip = [lo, hi].
func (t *distTable) clip(d Dist) (Dist, error) {
	raw, ok := distArray(t.m["clip"])
	if !ok || len(raw) != 2 {
		return nil, t.errorf("clip must be [lo, hi], found %s", distDescribe(t.m["clip"]))
	}
	var b [2]float64
	for i, e := range raw {
		x, ok := distNumber(e)
		if !ok {
			return nil, t.errorf("clip[%d] must be a number, found %s", i, distDescribe(e))
		}
		if math.IsNaN(x) {
			return nil, t.errorf("clip[%d] must not be NaN", i)
		}
		b[i] = x
	}
	lo, hi := b[0], b[1]
	if !(lo < hi) {
		return nil, t.errorf("clip must have lo below hi, found clip = [%s, %s]", distNumTOML(lo), distNumTOML(hi))
	}
	slo, shi := d.Support()
	if lo > shi || hi < slo {
		return nil, t.errorf("clip = [%s, %s] does not overlap the range of the distribution, [%s, %s]",
			distNumTOML(lo), distNumTOML(hi), distNumTOML(slo), distNumTOML(shi))
	}
	return ClippedDist{d: d, lo: lo, hi: hi}, nil
}

// distCheckFinite rejects a distribution whose quantiles overflow float64
// somewhere in (0, 1).
func distCheckFinite(d Dist) error {
	for _, p := range []float64{distPLo, distPHi} {
		if q := d.Quantile(p); math.IsNaN(q) || math.IsInf(q, 0) {
			return errors.New("parameters too extreme: quantiles overflow float64")
		}
	}
	return nil
}

// checkProb panics unless p is a probability.
func checkProb(p float64) {
	if !(p >= 0 && p <= 1) {
		panic("sim: quantile probability out of range")
	}
}

// FixedDist is a constant.
type FixedDist struct{ v float64 }

// Quantile returns the constant.
func (d FixedDist) Quantile(p float64) float64 { checkProb(p); return d.v }

// Support returns the constant twice.
func (d FixedDist) Support() (lo, hi float64) { return d.v, d.v }

// String writes the constant as a TOML number.
func (d FixedDist) String() string { return distNum(d.v) }

// NormalDist is a normal distribution; a zero sd makes it a constant.
type NormalDist struct {
	mean, sd float64
	text     string
}

func normalDistFromPercentiles(p5, p95 float64, text string) NormalDist {
	// Halve before adding and subtracting so that nothing overflows.
	return NormalDist{mean: p5/2 + p95/2, sd: (p95/2 - p5/2) / distZ95, text: text}
}

// Quantile returns mean + sd z(p), z the standard normal quantile.
func (d NormalDist) Quantile(p float64) float64 {
	checkProb(p)
	if d.sd == 0 {
		return d.mean
	}
	return d.mean + d.sd*distNormQuantile(p)
}

// Support is the real line, or the mean alone when sd is zero.
func (d NormalDist) Support() (lo, hi float64) {
	if d.sd == 0 {
		return d.mean, d.mean
	}
	return math.Inf(-1), math.Inf(1)
}

func (d NormalDist) String() string { return d.text }

// LogNormalDist is the distribution of exp(X) with X normal (mu, sigma).
type LogNormalDist struct {
	mu, sigma float64
	text      string
}

func lognormalDistFromPercentiles(p5, p95 float64, text string) LogNormalDist {
	l5, l95 := distLog(p5), distLog(p95)
	return LogNormalDist{mu: (l5 + l95) / 2, sigma: (l95 - l5) / 2 / distZ95, text: text}
}

// Quantile returns exp(mu + sigma z(p)).
func (d LogNormalDist) Quantile(p float64) float64 {
	checkProb(p)
	if p == 0 {
		return 0
	}
	return math.Exp(d.mu + d.sigma*distNormQuantile(p))
}

// Support is [0, +Inf).
func (d LogNormalDist) Support() (lo, hi float64) { return 0, math.Inf(1) }

func (d LogNormalDist) String() string { return d.text }

// UniformDist is uniform on [min, max].
type UniformDist struct{ min, max float64 }

// Quantile returns min + p (max - min).
func (d UniformDist) Quantile(p float64) float64 {
	checkProb(p)
	if p == 1 {
		return d.max
	}
	return math.Min(d.min+p*(d.max-d.min), d.max)
}

// Support is [min, max].
func (d UniformDist) Support() (lo, hi float64) { return d.min, d.max }

func (d UniformDist) String() string {
	return fmt.Sprintf(`{dist = "uniform", min = %s, max = %s}`, distNum(d.min), distNum(d.max))
}

// TriangularDist has a density rising linearly from min to mode and falling
// linearly from mode to max.
type TriangularDist struct{ min, mode, max float64 }

// Quantile inverts the piecewise quadratic CDF.
func (d TriangularDist) Quantile(p float64) float64 {
	checkProb(p)
	switch p {
	case 0:
		return d.min
	case 1:
		return d.max
	}
	w := d.max - d.min
	left := (d.mode - d.min) / w // CDF at the mode
	if p < left {
		// Below the mode the result cannot exceed it; clamping keeps the
		// two branches in order despite rounding.
		return math.Min(d.min+w*math.Sqrt(p*left), d.mode)
	}
	right := (d.max - d.mode) / w
	return math.Max(d.max-w*math.Sqrt((1-p)*right), d.mode)
}

// Support is [min, max].
func (d TriangularDist) Support() (lo, hi float64) { return d.min, d.max }

func (d TriangularDist) String() string {
	return fmt.Sprintf(`{dist = "triangular", min = %s, mode = %s, max = %s}`,
		distNum(d.min), distNum(d.mode), distNum(d.max))
}

// PERTDist is a beta distribution scaled to [min, max] with
// alpha = 1 + 4 (mode - min) / (max - min) and
// beta = 1 + 4 (max - mode) / (max - min), so that its mean is
// (min + 4 mode + max) / 6.
type PERTDist struct {
	min, mode, max float64
	b              distBeta
}

// Quantile scales the beta quantile to [min, max].
func (d PERTDist) Quantile(p float64) float64 {
	checkProb(p)
	if p == 1 {
		return d.max
	}
	return math.Min(d.min+(d.max-d.min)*d.b.quantile(p), d.max)
}

// Support is [min, max].
func (d PERTDist) Support() (lo, hi float64) { return d.min, d.max }

func (d PERTDist) String() string {
	return fmt.Sprintf(`{dist = "pert", min = %s, mode = %s, max = %s}`,
		distNum(d.min), distNum(d.mode), distNum(d.max))
}

// BetaDist is a beta distribution on [0, 1].
type BetaDist struct {
	b    distBeta
	text string
}

// Quantile inverts the regularised incomplete beta function.
func (d BetaDist) Quantile(p float64) float64 { checkProb(p); return d.b.quantile(p) }

// Support is [0, 1].
func (d BetaDist) Support() (lo, hi float64) { return 0, 1 }

func (d BetaDist) String() string { return d.text }

// DiscreteDist takes finitely many values with given weights.
type DiscreteDist struct {
	values []float64 // sorted, each with a positive weight
	probs  []float64 // normalised weights
	cum    []float64 // cumulative probs; the last is exactly 1
	text   string
}

// Quantile returns the first value (in increasing order) whose cumulative
// weight reaches p.
func (d DiscreteDist) Quantile(p float64) float64 {
	checkProb(p)
	i := sort.SearchFloat64s(d.cum, p)
	if i >= len(d.values) || p == 1 {
		// A last weight tiny beside the total can leave an earlier
		// cumulative weight rounded to 1; p = 1 still gets the largest value.
		i = len(d.values) - 1
	}
	return d.values[i]
}

// Support is the smallest and the largest value with a positive weight.
func (d DiscreteDist) Support() (lo, hi float64) { return d.values[0], d.values[len(d.values)-1] }

func (d DiscreteDist) String() string { return d.text }

// ClippedDist clamps the quantiles of a distribution into [lo, hi].
type ClippedDist struct {
	d      Dist
	lo, hi float64
}

// Quantile clamps the inner distribution's quantile into [lo, hi].
func (d ClippedDist) Quantile(p float64) float64 { return distClamp(d.d.Quantile(p), d.lo, d.hi) }

// Support is the inner support clamped into [lo, hi].
func (d ClippedDist) Support() (lo, hi float64) {
	lo, hi = d.d.Support()
	return distClamp(lo, d.lo, d.hi), distClamp(hi, d.lo, d.hi)
}

// String writes the inner table with a clip key added.
func (d ClippedDist) String() string {
	s := d.d.String()
	return strings.TrimSuffix(s, "}") + fmt.Sprintf(", clip = [%s, %s]}", distNumTOML(d.lo), distNumTOML(d.hi))
}

// Unwrap returns the distribution before clipping.
func (d ClippedDist) Unwrap() Dist { return d.d }

// Clip returns the bounds of the clip.
func (d ClippedDist) Clip() (lo, hi float64) { return d.lo, d.hi }

func distClamp(x, lo, hi float64) float64 { return math.Min(math.Max(x, lo), hi) }

// DistMean returns the mean of a distribution made by ParseDist, from
// closed forms (a clipped distribution's mean is that of the clamped value,
// also in closed form). It is +Inf for a lognormal whose mean overflows and
// NaN for a Dist of a type this package does not define.
func DistMean(d Dist) float64 {
	switch d := d.(type) {
	case FixedDist:
		return d.v
	case NormalDist:
		return d.mean
	case LogNormalDist:
		return math.Exp(d.mu + d.sigma*d.sigma/2)
	case UniformDist:
		return d.min/2 + d.max/2
	case TriangularDist:
		return d.min/3 + d.mode/3 + d.max/3
	case PERTDist:
		return math.Min(d.min+(d.max-d.min)*d.b.mean(), d.max)
	case BetaDist:
		return d.b.mean()
	case DiscreteDist:
		s := 0.0
		for i, v := range d.values {
			s += d.probs[i] * v
		}
		return s
	case ClippedDist:
		return distClampedMean(d.d, d.lo, d.hi)
	}
	return math.NaN()
}

// distClampedMean returns E[clamp(X, lo, hi)] for X distributed as d,
// lo < hi, [lo, hi] overlapping the support of d.
func distClampedMean(d Dist, lo, hi float64) float64 {
	switch d := d.(type) {
	case FixedDist:
		return distClamp(d.v, lo, hi)
	case NormalDist:
		if d.sd == 0 {
			return distClamp(d.mean, lo, hi)
		}
		// E[clamp(Z, a, b)] = a Φ(a) + b Q(b) + φ(a) - φ(b), Z standard
		// normal, Q = 1 - Φ.
		a, b := (lo-d.mean)/d.sd, (hi-d.mean)/d.sd
		ez := distTailTerm(a, distNormCDF(a)) + distTailTerm(b, distNormSurv(b)) + distNormPDF(a) - distNormPDF(b)
		return d.mean + d.sd*ez
	case LogNormalDist:
		// E[clamp(X, l, h)] = l F(l) + h S(h) + E[X; l < X < h], and the
		// partial expectation is exp(mu + sigma²/2) (Φ(b - sigma) - Φ(a - sigma)).
		l := math.Max(lo, 0)
		a := (distLog(l) - d.mu) / d.sigma
		b := (distLog(hi) - d.mu) / d.sigma
		m := distTailTerm(l, distNormCDF(a)) + distTailTerm(hi, distNormSurv(b))
		if diff := distNormDiff(a-d.sigma, b-d.sigma); diff > 0 {
			m += math.Exp(d.mu + d.sigma*d.sigma/2 + distLog(diff))
		}
		return m
	case UniformDist:
		// On [0, 1]: E[clamp(T, l, u)] = l + ∫_l^u (1 - t) dt.
		w := d.max - d.min
		l, u := distClamp((lo-d.min)/w, 0, 1), distClamp((hi-d.min)/w, 0, 1)
		return distClamp(d.min+w*(u-(u-l)*(u+l)/2), d.min, d.max)
	case TriangularDist:
		// On [0, 1] with mode c: E[clamp(T, l, u)] = l + ∫_l^u S(t) dt with
		// S(t) = 1 - t²/c below c and (1-t)²/(1-c) above.
		w := d.max - d.min
		c := (d.mode - d.min) / w
		l, u := distClamp((lo-d.min)/w, 0, 1), distClamp((hi-d.min)/w, 0, 1)
		m := l
		if l < c {
			x := math.Min(u, c)
			m += (x - l) - (x*x*x-l*l*l)/(3*c)
		}
		if u > c {
			y := math.Max(l, c)
			m += ((1-y)*(1-y)*(1-y) - (1-u)*(1-u)*(1-u)) / (3 * (1 - c))
		}
		return distClamp(d.min+w*m, d.min, d.max)
	case PERTDist:
		w := d.max - d.min
		l, u := distClamp((lo-d.min)/w, 0, 1), distClamp((hi-d.min)/w, 0, 1)
		return distClamp(d.min+w*d.b.clampedMean(l, u), d.min, d.max)
	case BetaDist:
		return d.b.clampedMean(distClamp(lo, 0, 1), distClamp(hi, 0, 1))
	case DiscreteDist:
		s := 0.0
		for i, v := range d.values {
			s += d.probs[i] * distClamp(v, lo, hi)
		}
		return s
	}
	return math.NaN()
}

// distTailTerm returns x·p, taken as 0 when x is infinite and p is 0.
func distTailTerm(x, p float64) float64 {
	if p == 0 {
		return 0
	}
	return x * p
}

// distNormCDF is the standard normal CDF Φ.
func distNormCDF(x float64) float64 { return math.Erfc(-x/math.Sqrt2) / 2 }

// distNormSurv is 1 - Φ(x), accurate in the upper tail.
func distNormSurv(x float64) float64 { return math.Erfc(x/math.Sqrt2) / 2 }

// distNormPDF is the standard normal density φ.
func distNormPDF(x float64) float64 { return math.Exp(-x*x/2) / math.Sqrt(2*math.Pi) }

// distNormDiff returns Φ(b) - Φ(a) for a <= b, from the tail that keeps it
// accurate.
func distNormDiff(a, b float64) float64 {
	if a > 0 {
		return distNormSurv(a) - distNormSurv(b)
	}
	return distNormCDF(b) - distNormCDF(a)
}

// distNormQuantile is the standard normal quantile, by algorithm AS 241
// (M. J. Wichura, "The percentage points of the normal distribution",
// Applied Statistics 37, 1988), accurate to about 1e-16 down to the
// smallest subnormal p. Unlike math.Erfcinv(2p), which computes 1 - 2p, it
// keeps the precision of tiny p. p = 0 and 1 give -Inf and +Inf.
func distNormQuantile(p float64) float64 {
	if p <= 0 {
		return math.Inf(-1)
	}
	if p >= 1 {
		return math.Inf(1)
	}
	q := p - 0.5
	if math.Abs(q) <= 0.425 {
		r := 0.180625 - q*q
		return q * distPoly(distASA[:], r) / distPoly(distASB[:], r)
	}
	r := p
	if q > 0 {
		r = 1 - p // exact for p >= 0.5
	}
	r = math.Sqrt(-distLog(r))
	var z float64
	if r <= 5 {
		r -= 1.6
		z = distPoly(distASC[:], r) / distPoly(distASD[:], r)
	} else {
		r -= 5
		z = distPoly(distASE[:], r) / distPoly(distASF[:], r)
	}
	if q < 0 {
		return -z
	}
	return z
}

// distPoly evaluates c[0] + c[1] x + ... by Horner's rule.
func distPoly(c []float64, x float64) float64 {
	s := 0.0
	for i := len(c) - 1; i >= 0; i-- {
		s = s*x + c[i]
	}
	return s
}

// Coefficients of AS 241 (PPND16), lowest order first.
var (
	distASA = [8]float64{3.387132872796366608, 133.14166789178437745, 1971.5909503065514427, 13731.693765509461125,
		45921.953931549871457, 67265.770927008700853, 33430.575583588128105, 2509.0809287301226727}
	distASB = [8]float64{1, 42.313330701600911252, 687.1870074920579083, 5394.1960214247511077,
		21213.794301586595867, 39307.89580009271061, 28729.085735721942674, 5226.495278852854561}
	distASC = [8]float64{1.42343711074968357734, 4.6303378461565452959, 5.7694972214606914055, 3.64784832476320460504,
		1.27045825245236838258, 0.24178072517745061177, 0.0227238449892691845833, 7.7454501427834140764e-4}
	distASD = [8]float64{1, 2.05319162663775882187, 1.6763848301838038494, 0.68976733498510000455,
		0.14810397642748007459, 0.0151986665636164571966, 5.475938084995344946e-4, 1.05075007164441684324e-9}
	distASE = [8]float64{6.6579046435011037772, 5.4637849111641143699, 1.7848265399172913358, 0.29656057182850489123,
		0.026532189526576123093, 0.0012426609473880784386, 2.71155556874348757815e-5, 2.01033439929228813265e-7}
	distASF = [8]float64{1, 0.59983220655588793769, 0.13692988092273580531, 0.0148753612908506148525,
		7.868691311456132591e-4, 1.8463183175100546818e-5, 1.4215117583164458887e-7, 2.04426310338993978564e-15}
)

// distBeta evaluates a beta(a, b) distribution on [0, 1].
type distBeta struct {
	a, b  float64
	lbeta float64 // ln B(a, b)
}

func newDistBeta(a, b float64) distBeta { return distBeta{a: a, b: b, lbeta: distLbeta(a, b)} }

// distLbeta returns ln B(a, b).
func distLbeta(a, b float64) float64 {
	return distLgamma(a) + distLgamma(b) - distLgamma(a+b)
}

func (f distBeta) mean() float64 { return f.a / (f.a + f.b) }

// eval returns the CDF F(x) = I_x(a, b), the survival S(x) = 1 - F(x), each
// computed from the tail where it is small so that both keep relative
// precision, and the density at x.
func (f distBeta) eval(x float64) (cdf, surv, pdf float64) {
	if x <= 0 {
		return 0, 1, math.NaN()
	}
	if x >= 1 {
		return 1, 0, math.NaN()
	}
	lx, l1x := distLog(x), math.Log1p(-x)
	lf := f.a*lx + f.b*l1x - f.lbeta // ln x^a (1-x)^b / B(a, b)
	e := math.Exp(lf)
	pdf = e / x / (1 - x)
	// The continued fraction converges fast for x below (a+1)/(a+b+2)
	// (Numerical Recipes, 3rd ed., section 6.4); above it, use the symmetry
	// I_x(a, b) = 1 - I_{1-x}(b, a).
	if x < (f.a+1)/(f.a+f.b+2) {
		cdf = e * distBetaCF(x, f.a, f.b) / f.a
		cdf = math.Min(cdf, 1)
		return cdf, 1 - cdf, pdf
	}
	surv = e * distBetaCF(1-x, f.b, f.a) / f.b
	surv = math.Min(surv, 1)
	return 1 - surv, surv, pdf
}

// distBetaCF evaluates the continued fraction for I_x(a, b) by the modified
// Lentz method (Numerical Recipes, 3rd ed., betacf).
func distBetaCF(x, a, b float64) float64 {
	const (
		maxIter = 200000
		eps     = 1e-15
		tiny    = 1e-300
	)
	qab, qap, qam := a+b, a+1, a-1
	c := 1.0
	d := 1 - qab*x/qap
	if math.Abs(d) < tiny {
		d = tiny
	}
	d = 1 / d
	h := d
	for m := 1; m <= maxIter; m++ {
		fm := float64(m)
		m2 := 2 * fm
		aa := fm * (b - fm) * x / ((qam + m2) * (a + m2))
		d = 1 + aa*d
		if math.Abs(d) < tiny {
			d = tiny
		}
		c = 1 + aa/c
		if math.Abs(c) < tiny {
			c = tiny
		}
		d = 1 / d
		h *= d * c
		aa = -(a + fm) * (qab + fm) * x / ((a + m2) * (qap + m2))
		d = 1 + aa*d
		if math.Abs(d) < tiny {
			d = tiny
		}
		c = 1 + aa/c
		if math.Abs(c) < tiny {
			c = tiny
		}
		d = 1 / d
		del := d * c
		h *= del
		if math.Abs(del-1) < eps {
			break
		}
	}
	return h
}

// quantile solves I_x(a, b) = p for x. For p > 1/2 it matches the survival
// function to 1 - p instead, which keeps relative precision in the upper
// tail. Either way g(x) = F(x) - p, or (1 - p) - S(x), rises with x, and the
// result is the smallest float64 x with g(x) >= 0, so that rounding cannot
// make Quantile decrease where the true quantile moves by an ulp or less.
//
// Method: Newton's method safeguarded by bisection (as rtsafe in Numerical
// Recipes). Every evaluation narrows a bracket [lo, hi] with g(lo) < 0 <=
// g(hi). The Newton step is taken on ln F against ln x below 1/2, and on
// ln S against ln(1 - x) above, where the tails of a beta are power laws
// that it solves in one step (Newton on x itself crawls there). A step that
// leaves the bracket, or is not half the one before, is replaced by the
// midpoint of the bit patterns of the bracket's ends, which halves the
// exponent range when the bracket spans many orders of magnitude. Once
// Newton has converged, distBetaFinish pins the crossing down to one ulp.
func (f distBeta) quantile(p float64) float64 {
	if p <= 0 {
		return 0
	}
	if p >= 1 {
		return 1
	}
	upper := p > 0.5
	q := 1 - p // exact when upper
	up := func(x float64) bool {
		cdf, surv, _ := f.eval(x)
		if upper {
			return surv <= q
		}
		return cdf >= p
	}
	lo, hi := 0.0, 1.0
	x := distClamp(f.guess(p), 0x1p-1022, 1-0x1p-53)
	lnp, lnq := distLog(p), distLog(q)
	dxOld := math.Inf(1)
	for range 300 {
		cdf, surv, pdf := f.eval(x)
		if (upper && surv <= q) || (!upper && cdf >= p) {
			hi = x
		} else {
			lo = x
		}
		if math.Float64bits(hi)-math.Float64bits(lo) <= 1 {
			return hi
		}
		var nx float64
		if x < 0.5 {
			nx = x * math.Exp(-(distLog(cdf)-lnp)*cdf/(x*pdf))
		} else {
			y := 1 - x
			nx = 1 - y*math.Exp(-(distLog(surv)-lnq)*surv/(y*pdf))
		}
		dx := math.Abs(nx - x)
		if nx >= lo && nx <= hi && dx <= 1e-9*math.Min(nx, 1-nx) {
			// Newton converges quadratically: the error left after a
			// step this small is below an ulp.
			return distBetaFinish(up, lo, hi, nx)
		}
		if nx > lo && nx < hi && dx <= dxOld/2 { // false for NaN steps
			dxOld = dx
		} else {
			nx = distBitsMid(lo, hi)
			dxOld = hi - lo
		}
		x = nx
	}
	return hi
}

// guess is a starting point for quantile, as in Numerical Recipes (3rd
// ed., invbetai): for a, b >= 1 the normal approximation of Abramowitz and
// Stegun 26.5.22, otherwise the power laws of the two tails, x^a/(a B) near
// 0 and (1-x)^b/(b B) near 1, with B approximated by their sum at the mean.
func (f distBeta) guess(p float64) float64 {
	a, b := f.a, f.b
	if a >= 1 && b >= 1 {
		y := -distNormQuantile(p)
		lambda := (y*y - 3) / 6
		h := 2 / (1/(2*a-1) + 1/(2*b-1))
		w := y*math.Sqrt(h+lambda)/h - (1/(2*b-1)-1/(2*a-1))*(lambda+5.0/6-2/(3*h))
		return a / (a + b*math.Exp(2*w))
	}
	lnA, lnB := distLog(a/(a+b)), distLog(b/(a+b))
	t := math.Exp(a*lnA) / a
	u := math.Exp(b*lnB) / b
	w := t + u
	if p < t/w {
		return math.Exp((distLog(a*w) + distLog(p)) / a)
	}
	return 1 - math.Exp((distLog(b*w)+distLog(1-p))/b)
}

// distBitsMid returns the float64 halfway between the bit patterns of lo and
// hi, 0 <= lo < hi.
func distBitsMid(lo, hi float64) float64 {
	a, b := math.Float64bits(lo), math.Float64bits(hi)
	return math.Float64frombits(a + (b-a)/2)
}

// distBetaFinish returns the smallest float64 in (lo, hi] at which up holds,
// given that it fails at lo and holds at hi, searching outward from x in
// [lo, hi], which is usually within an ulp or two of the answer.
func distBetaFinish(up func(float64) bool, lo, hi, x float64) float64 {
	bx := math.Float64bits(x)
	if up(x) {
		hi = x
		for step := uint64(1); ; step *= 2 { // search down
			if bx-math.Float64bits(lo) <= step {
				break
			}
			c := math.Float64frombits(bx - step)
			if !up(c) {
				lo = c
				break
			}
			hi = c
		}
	} else {
		lo = x
		for step := uint64(1); ; step *= 2 { // search up
			if math.Float64bits(hi)-bx <= step {
				break
			}
			c := math.Float64frombits(bx + step)
			if up(c) {
				hi = c
				break
			}
			lo = c
		}
	}
	for math.Float64bits(hi)-math.Float64bits(lo) > 1 {
		if m := distBitsMid(lo, hi); up(m) {
			hi = m
		} else {
			lo = m
		}
	}
	return hi
}

// clampedMean returns E[clamp(X, l, u)] for 0 <= l < u <= 1:
// l F(l) + u S(u) + E[X; l < X < u], with E[X; X < x] = a/(a+b) I_x(a+1, b).
func (f distBeta) clampedMean(l, u float64) float64 {
	g := distBeta{a: f.a + 1, b: f.b, lbeta: f.lbeta + distLog(f.a/(f.a+f.b))}
	fl, _, _ := f.eval(l)
	_, su, _ := f.eval(u)
	gl, _, _ := g.eval(l)
	gu, _, _ := g.eval(u)
	return l*fl + u*su + f.mean()*(gu-gl)
}

// distFitBeta finds the beta distribution whose 5th and 95th percentiles are p5
// and p95, 0 < p5 < p95 < 1.
//
// Method: write alpha = m k and beta = (1-m) k, with mean m in (0, 1) and
// concentration k > 0. For a fixed k the mass below p5, F(p5), falls as m
// rises while the mass above p95, S(p95), rises, so exactly one m balances
// the two tails (F(p5) = S(p95)); it is found by bisection on logit(m).
// Along that balanced curve the tail mass F(p5) falls from 1/2 as k -> 0
// (two spikes at 0 and 1) towards 0 as k -> inf (a spike at m, inside
// [p5, p95]), so the k with F(p5) = 0.05 is found by bisection on ln k.
// Bisection takes some fifty steps in each loop but cannot diverge. The
// result is then checked by computing both percentiles with Quantile, and
// rejected unless each is within 1e-6 relative of its target (relative to
// the smaller of x and 1 - x, so the bound also holds near 1).
func distFitBeta(p5, p95 float64) (distBeta, error) {
	at := func(t, k float64) distBeta {
		// m = 1/(1+e^-t) and 1-m = 1/(1+e^t), each computed directly so
		// that neither loses precision near 0.
		return newDistBeta(k/(1+math.Exp(-t)), k/(1+math.Exp(t)))
	}
	balanced := func(k float64) distBeta {
		t := distBisect(-700, 700, func(t float64) bool {
			f := at(t, k)
			c5, _, _ := f.eval(p5)
			_, s95, _ := f.eval(p95)
			return c5 < s95 // t above the balance point
		})
		return at(t, k)
	}
	tail := func(lnk float64) float64 {
		c5, _, _ := balanced(math.Exp(lnk)).eval(p5)
		return c5
	}
	lnLo, lnHi := math.Log(betaFitMinK), math.Log(betaMaxParam)
	if tail(lnHi) > 0.05 {
		return distBeta{}, fmt.Errorf("p5=%s and p95=%s are too close together for a beta distribution "+
			"(alpha + beta would exceed %s); use a normal or a lognormal", distNum(p5), distNum(p95), distNum(betaMaxParam))
	}
	if tail(lnLo) < 0.05 {
		return distBeta{}, fmt.Errorf("p5=%s and p95=%s are too far apart for a beta distribution",
			distNum(p5), distNum(p95))
	}
	lnk := distBisect(lnLo, lnHi, func(lnk float64) bool { return tail(lnk) < 0.05 })
	f := balanced(math.Exp(lnk))
	for _, c := range [][2]float64{{0.05, p5}, {0.95, p95}} {
		got, want := f.quantile(c[0]), c[1]
		if !(math.Abs(got-want) <= betaFitTol*math.Min(want, 1-want)) {
			return distBeta{}, fmt.Errorf("cannot fit a beta distribution to p5=%s p95=%s "+
				"(the closest found has %g at the %g quantile)", distNum(p5), distNum(p95), got, c[0])
		}
	}
	return f, nil
}

// distBisect returns the point in [lo, hi] where above turns from false to true
// (above must be false at lo and true at hi, or the end nearest the turn is
// returned), to about 1e-14 relative.
func distBisect(lo, hi float64, above func(float64) bool) float64 {
	for range 200 {
		mid := lo/2 + hi/2
		if mid <= lo || mid >= hi || hi-lo <= 1e-14*math.Max(1, math.Abs(mid)) {
			return mid
		}
		if above(mid) {
			hi = mid
		} else {
			lo = mid
		}
	}
	return lo/2 + hi/2
}

// distNumber reads a TOML number (float64 or int64) or a Go int.
func distNumber(v any) (float64, bool) {
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

// distArray reads a TOML array.
func distArray(v any) ([]any, bool) {
	switch x := v.(type) {
	case []any:
		return x, true
	case []float64:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = e
		}
		return out, true
	case []int64:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = e
		}
		return out, true
	}
	return nil, false
}

// distDescribe names a decoded TOML value for an error message.
func distDescribe(v any) string {
	if x, ok := distNumber(v); ok {
		return "number " + distNum(x)
	}
	switch x := v.(type) {
	case nil:
		return "nothing"
	case string:
		return "string " + distQuote(x)
	case bool:
		return fmt.Sprintf("bool %t", x)
	case map[string]any:
		return "a table"
	}
	if a, ok := distArray(v); ok {
		return fmt.Sprintf("an array of %d values", len(a))
	}
	return fmt.Sprintf("a value of type %T", v)
}

// distQuote quotes a string from the input for an error message, cut short
// (to at most 60 bytes of quoted text) if long.
func distQuote(s string) string {
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

// distNum writes x with the fewest digits that read back to the same
// float64: 0.7, 5, 1e+06.
func distNum(x float64) string {
	if x == 0 {
		return "0" // not "-0", which TOML reads as the integer 0
	}
	return strconv.FormatFloat(x, 'g', -1, 64)
}

// distNumTOML is distNum with TOML's spelling of infinities.
func distNumTOML(x float64) string {
	switch {
	case math.IsInf(x, 1):
		return "inf"
	case math.IsInf(x, -1):
		return "-inf"
	}
	return distNum(x)
}

func distArrayText(xs []float64) string {
	s := make([]string, len(xs))
	for i, x := range xs {
		s[i] = distNum(x)
	}
	return "[" + strings.Join(s, ", ") + "]"
}

func distSortedKeys(m map[string]any) []string { return slices.Sorted(maps.Keys(m)) }

func distContains(xs []string, s string) bool { return slices.Contains(xs, s) }

// distLog is math.Log, correct also for subnormal x: on amd64 math.Log
// (an assembly routine) treats a subnormal as if it were normal, so that
// math.Log(5e-324) is -709.09 instead of -744.44.
func distLog(x float64) float64 {
	if x > 0 && x < 0x1p-1022 {
		return math.Log(x*0x1p64) - 64*math.Ln2
	}
	return math.Log(x)
}

// distLgamma is ln Γ(x) for x > 0. For tiny x, math.Lgamma returns
// -math.Log(x), wrong for subnormals (see distLog); ln Γ(x) = -ln x - γx +
// O(x²), and γx is below float64 precision there.
func distLgamma(x float64) float64 {
	if x < 0x1p-70 {
		return -distLog(x)
	}
	l, _ := math.Lgamma(x)
	return l
}

// RegIncBeta returns the regularised incomplete beta function I_x(a, b) for
// a, b > 0: the beta(a, b) distribution's CDF at x (clamped to [0, 1]).
func RegIncBeta(x, a, b float64) float64 {
	cdf, _, _ := newDistBeta(a, b).eval(x)
	return cdf
}
