package dist

import (
	"fmt"
	"math"
	"sort"
	"strings"
)

// table is one inline table being read as a distribution named name.
type table struct {
	name string
	m    map[string]any
}

func (t *table) has(key string) bool { _, ok := t.m[key]; return ok }

func (t *table) errorf(format string, args ...any) error {
	return fmt.Errorf(t.name+": "+format, args...)
}

// read builds the distribution the table describes, before any clip.
func (t *table) read() (Dist, error) {
	switch t.name {
	case "normal":
		return t.normal()
	case "lognormal":
		return t.lognormal()
	case "uniform":
		return t.uniform()
	case "triangular", "pert":
		return t.triangular()
	case "beta":
		return t.beta()
	case "mixture":
		return t.mixture()
	}
	return t.discrete()
}

// num reads a finite number under key; ok is false when the key is absent.
func (t *table) num(key string) (x float64, ok bool, err error) {
	v, present := t.m[key]
	if !present {
		return 0, false, nil
	}
	x, isNum := number(v)
	if !isNum {
		return 0, false, t.errorf("%s must be a number, found %s", key, describe(v))
	}
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return 0, false, t.errorf("%s must be finite, found %s", key, fmtNum(x))
	}
	return x, true, nil
}

// nums reads every key in keys that is present, in order.
func (t *table) nums(keys ...string) (map[string]float64, error) {
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
func (t *table) form(a1, b1, a2, b2 string) (int, error) {
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

// pairs reads the numbers of a table that takes one of two parameter pairs,
// and which pair it uses.
func (t *table) pairs(a1, b1, a2, b2 string) (map[string]float64, int, error) {
	v, err := t.nums(a1, b1, a2, b2)
	if err != nil {
		return nil, 0, err
	}
	f, err := t.form(a1, b1, a2, b2)
	return v, f, err
}

func (t *table) normal() (Dist, error) {
	v, f, err := t.pairs("mean", "sd", "p5", "p95")
	if err != nil {
		return nil, err
	}
	if f == 1 {
		mean, sd := v["mean"], v["sd"]
		if sd < 0 {
			return nil, t.errorf("sd must be >= 0, found %s", fmtNum(sd))
		}
		return Normal{mean: mean, sd: sd,
			text: fmt.Sprintf(`{dist = "normal", mean = %s, sd = %s}`, fmtNum(mean), fmtNum(sd))}, nil
	}
	p5, p95 := v["p5"], v["p95"]
	if !(p5 < p95) {
		return nil, t.errorf("p5 must be below p95, found p5=%s p95=%s", fmtNum(p5), fmtNum(p95))
	}
	return normalFromPercentiles(p5, p95,
		fmt.Sprintf(`{dist = "normal", p5 = %s, p95 = %s}`, fmtNum(p5), fmtNum(p95))), nil
}

func (t *table) lognormal() (Dist, error) {
	v, f, err := t.pairs("p5", "p95", "mu", "sigma")
	if err != nil {
		return nil, err
	}
	if f == 2 {
		mu, sigma := v["mu"], v["sigma"]
		if !(sigma > 0) {
			return nil, t.errorf("sigma must be > 0, found %s", fmtNum(sigma))
		}
		return LogNormal{mu: mu, sigma: sigma,
			text: fmt.Sprintf(`{dist = "lognormal", mu = %s, sigma = %s}`, fmtNum(mu), fmtNum(sigma))}, nil
	}
	p5, p95 := v["p5"], v["p95"]
	if !(p5 > 0) {
		return nil, t.errorf("p5 must be > 0, found %s", fmtNum(p5))
	}
	if !(p5 < p95) {
		return nil, t.errorf("p5 must be below p95, found p5=%s p95=%s", fmtNum(p5), fmtNum(p95))
	}
	return lognormalFromPercentiles(p5, p95,
		fmt.Sprintf(`{dist = "lognormal", p5 = %s, p95 = %s}`, fmtNum(p5), fmtNum(p95))), nil
}

func (t *table) uniform() (Dist, error) {
	v, err := t.nums("min", "max")
	if err != nil {
		return nil, err
	}
	if len(v) != 2 {
		return nil, t.errorf("needs min and max")
	}
	lo, hi := v["min"], v["max"]
	if !(lo < hi) {
		return nil, t.errorf("min must be below max, found min=%s max=%s", fmtNum(lo), fmtNum(hi))
	}
	if math.IsInf(hi-lo, 0) {
		return nil, t.errorf("max - min must be finite, found min=%s max=%s", fmtNum(lo), fmtNum(hi))
	}
	return Uniform{min: lo, max: hi}, nil
}

// triangular reads a triangular or a PERT table.
func (t *table) triangular() (Dist, error) {
	v, err := t.nums("min", "mode", "max")
	if err != nil {
		return nil, err
	}
	if len(v) != 3 {
		return nil, t.errorf("needs min, mode and max")
	}
	lo, mode, hi := v["min"], v["mode"], v["max"]
	if !(lo < hi) {
		return nil, t.errorf("min must be below max, found min=%s max=%s", fmtNum(lo), fmtNum(hi))
	}
	if !(lo <= mode && mode <= hi) {
		return nil, t.errorf("mode must lie within [min, max], found min=%s mode=%s max=%s",
			fmtNum(lo), fmtNum(mode), fmtNum(hi))
	}
	if math.IsInf(hi-lo, 0) {
		return nil, t.errorf("max - min must be finite, found min=%s max=%s", fmtNum(lo), fmtNum(hi))
	}
	if t.name == "triangular" {
		return Triangular{min: lo, mode: mode, max: hi}, nil
	}
	w := hi - lo
	a := 1 + 4*((mode-lo)/w)
	b := 1 + 4*((hi-mode)/w)
	return PERT{min: lo, mode: mode, max: hi, b: betaFn{a: a, b: b}}, nil
}

func (t *table) beta() (Dist, error) {
	v, f, err := t.pairs("alpha", "beta", "p5", "p95")
	if err != nil {
		return nil, err
	}
	if f == 1 {
		return t.betaShape(v["alpha"], v["beta"])
	}
	p5, p95 := v["p5"], v["p95"]
	if !(p5 > 0 && p5 < 1 && p95 > 0 && p95 < 1) {
		return nil, t.errorf("p5 and p95 must lie strictly between 0 and 1, found p5=%s p95=%s", fmtNum(p5), fmtNum(p95))
	}
	if !(p5 < p95) {
		return nil, t.errorf("p5 must be below p95, found p5=%s p95=%s", fmtNum(p5), fmtNum(p95))
	}
	bf, err := fitBeta(p5, p95)
	if err != nil {
		return nil, t.errorf("%v", err)
	}
	return Beta{b: bf, text: fmt.Sprintf(`{dist = "beta", p5 = %s, p95 = %s}`, fmtNum(p5), fmtNum(p95))}, nil
}

// betaShape builds a beta from alpha and beta.
func (t *table) betaShape(a, b float64) (Dist, error) {
	for _, c := range []struct {
		k string
		x float64
	}{{"alpha", a}, {"beta", b}} {
		if !(c.x > 0) {
			return nil, t.errorf("%s must be > 0, found %s", c.k, fmtNum(c.x))
		}
		if c.x > betaMaxParam {
			return nil, t.errorf("%s must be at most %s (use a normal for so narrow a distribution), found %s",
				c.k, fmtNum(betaMaxParam), fmtNum(c.x))
		}
	}
	return Beta{b: betaFn{a: a, b: b},
		text: fmt.Sprintf(`{dist = "beta", alpha = %s, beta = %s}`, fmtNum(a), fmtNum(b))}, nil
}

func (t *table) discrete() (Dist, error) {
	vals, wts, err := t.discreteArrays()
	if err != nil {
		return nil, err
	}
	var sb strings.Builder
	sb.WriteString(`{dist = "discrete", values = `)
	sb.WriteString(fmtArray(vals))
	if wts != nil {
		sb.WriteString(", weights = ")
		sb.WriteString(fmtArray(wts))
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
	d := Discrete{text: sb.String()}
	total := 0.0
	for _, p := range ps {
		if p.w > 0 {
			total += p.w / maxW // in (0, 1], so the sum cannot overflow
			d.values = append(d.values, p.v)
			d.cum = append(d.cum, total)
		}
	}
	for i := range d.cum {
		d.cum[i] /= total
	}
	d.cum[len(d.cum)-1] = 1
	return d, nil
}

// discreteArrays reads and checks values and the optional weights.
func (t *table) discreteArrays() (vals, wts []float64, err error) {
	if !t.has("values") {
		return nil, nil, t.errorf("needs values")
	}
	if vals, err = t.numArray("values"); err != nil {
		return nil, nil, err
	}
	if len(vals) == 0 {
		return nil, nil, t.errorf("values must not be empty")
	}
	if !t.has("weights") {
		return vals, nil, nil
	}
	if wts, err = t.numArray("weights"); err != nil {
		return nil, nil, err
	}
	if len(wts) != len(vals) {
		return nil, nil, t.errorf("values and weights must have the same length, found %d values and %d weights",
			len(vals), len(wts))
	}
	for i, w := range wts {
		if w < 0 {
			return nil, nil, t.errorf("weights must be >= 0, found weights[%d]=%s", i, fmtNum(w))
		}
	}
	return vals, wts, nil
}

// numArray reads an array of finite numbers under key.
func (t *table) numArray(key string) ([]float64, error) {
	raw, ok := array(t.m[key])
	if !ok {
		return nil, t.errorf("%s must be an array of numbers, found %s", key, describe(t.m[key]))
	}
	out := make([]float64, len(raw))
	for i, e := range raw {
		x, ok := number(e)
		if !ok {
			return nil, t.errorf("%s[%d] must be a number, found %s", key, i, describe(e))
		}
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return nil, t.errorf("%s[%d] must be finite, found %s", key, i, fmtNum(x))
		}
		out[i] = x
	}
	return out, nil
}

// clip wraps d in the table's clip = [lo, hi].
func (t *table) clip(d Dist) (Dist, error) {
	raw, ok := array(t.m["clip"])
	if !ok || len(raw) != 2 {
		return nil, t.errorf("clip must be [lo, hi], found %s", describe(t.m["clip"]))
	}
	var b [2]float64
	for i, e := range raw {
		x, ok := number(e)
		if !ok {
			return nil, t.errorf("clip[%d] must be a number, found %s", i, describe(e))
		}
		if math.IsNaN(x) {
			return nil, t.errorf("clip[%d] must not be NaN", i)
		}
		b[i] = x
	}
	lo, hi := b[0], b[1]
	if !(lo < hi) {
		return nil, t.errorf("clip must have lo below hi, found clip = [%s, %s]", fmtNumTOML(lo), fmtNumTOML(hi))
	}
	slo, shi := d.Support()
	if lo > shi || hi < slo {
		return nil, t.errorf("clip = [%s, %s] does not overlap the range of the distribution, [%s, %s]",
			fmtNumTOML(lo), fmtNumTOML(hi), fmtNumTOML(slo), fmtNumTOML(shi))
	}
	return Clipped{d: d, lo: lo, hi: hi}, nil
}
