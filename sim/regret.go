package sim

import (
	"math"
	"slices"
	"strconv"
	"strings"

	"gonum.org/v1/gonum/stat"
)

// Metric is what a regret table ranks scenarios by: a weighted sum of
// outputs at given quarters, higher better. A metric for which lower is
// better is written with a minus sign ("-compute_stock_h100e@2030Q4").
type Metric struct {
	Text  string // as the user wrote it
	Terms []MetricTerm
}

// MetricTerm is one term of a metric: Weight × output Output at Period,
// or, Cumulative, × its sum over the span's quarters up to Period (a
// derived cumulative output, as the registry declares it).
type MetricTerm struct {
	Weight     float64
	Output     int
	Period     Period
	Cumulative bool
}

// ParseMetric reads a metric: terms "[W*]OUTPUT@PERIOD" joined by + or -,
// such as "frontier_gap_months@2030Q4 - 1e-10*foregone_us_revenue_cumulative_usd@2030Q4".
// Every output must be the registry's and every quarter within span.
func (r *Registry) ParseMetric(s string, span Span) (Metric, error) {
	m := Metric{Text: s}
	const form = "expected terms [WEIGHT*]OUTPUT@PERIOD joined by + or -, e.g. 'OUTPUT@2030Q4' (higher better) or '-OUTPUT@2030Q4' (lower better)"
	if strings.TrimSpace(s) == "" {
		return m, BadInputf("--regret: %s, found nothing", form)
	}
	for _, tm := range splitTerms(s) {
		t, err := r.parseTerm(strings.TrimSpace(tm.text), span, form)
		if err != nil {
			return m, err
		}
		t.Weight *= tm.sign
		m.Terms = append(m.Terms, t)
	}
	return m, nil
}

// signedTerm is a term of a metric with the sign before it.
type signedTerm struct {
	sign float64
	text string
}

// splitTerms splits s at the + and - that join terms; a sign in a number's
// exponent (1e-10) joins nothing.
func splitTerms(s string) []signedTerm {
	var out []signedTerm
	cur := signedTerm{sign: 1}
	for i := 0; i < len(s); i++ {
		c := s[i]
		inExponent := i >= 2 && (s[i-1] == 'e' || s[i-1] == 'E') && strings.ContainsRune("0123456789.", rune(s[i-2])) &&
			!strings.Contains(cur.text, "@")
		if (c == '+' || c == '-') && !inExponent {
			if strings.TrimSpace(cur.text) != "" {
				out = append(out, cur)
				cur = signedTerm{sign: 1}
			}
			if c == '-' {
				cur.sign = -cur.sign
			}
			continue
		}
		cur.text += string(c)
	}
	return append(out, cur)
}

// parseTerm reads one "[W*]OUTPUT@PERIOD".
func (r *Registry) parseTerm(term string, span Span, form string) (MetricTerm, error) {
	t := MetricTerm{Weight: 1}
	if i := strings.Index(term, "*"); i >= 0 {
		w, err := strconv.ParseFloat(strings.TrimSpace(term[:i]), 64)
		if err != nil || math.IsNaN(w) || math.IsInf(w, 0) {
			return t, BadInputf("--regret: weight %q: expected a finite number", strings.TrimSpace(term[:i]))
		}
		t.Weight, term = w, strings.TrimSpace(term[i+1:])
	}
	name, at, ok := strings.Cut(term, "@")
	if !ok {
		return t, BadInputf("--regret: term %q: %s", term, form)
	}
	name = strings.TrimSpace(name)
	o, found := r.OutputIndex(name)
	for _, d := range r.Derived {
		if !found && d.Key == name && d.Derived.Kind == Cumulative {
			o, found = r.OutputIndex(d.Derived.Of)
			t.Cumulative = true
		}
	}
	if !found {
		keys := r.OutputKeys()
		for _, d := range r.Derived {
			keys = append(keys, d.Key)
		}
		msg := "--regret: unknown output " + strconv.Quote(name)
		if sug := Suggest(name, keys); sug != "" {
			msg += " (did you mean " + strconv.Quote(sug) + "?)"
		}
		return t, BadInputf("%s", msg)
	}
	p, err := ParsePeriod(strings.TrimSpace(at))
	if err != nil {
		return t, BadInputf("--regret: term %q: %v", term, err)
	}
	if p < span.Start || p > span.End {
		return t, BadInputf("--regret: term %q: %s is outside the span %s-%s", term, p, span.Start, span.End)
	}
	t.Output, t.Period = o, p
	return t, nil
}

// Value is the metric of one run whose cells (laid out o*T+t over span)
// are vals.
func (m Metric) Value(vals []float64, span Span) float64 {
	T := span.Len()
	v := 0.0
	for _, t := range m.Terms {
		end := t.Output*T + span.Index(t.Period)
		start := end
		if t.Cumulative {
			start = t.Output * T
		}
		var sum ExactSum
		for c := start; c <= end; c++ {
			sum.Add(vals[c])
		}
		v += t.Weight * sum.Value()
	}
	return v
}

// RegretStats is one scenario's row of a regret table.
type RegretStats struct {
	// BestShare is the share of runs in which the scenario has the highest
	// metric (ties go to the scenario given first).
	BestShare float64
	// Regret in a run is the best metric of that run minus the scenario's:
	// its median, 90th percentile and mean over the runs.
	P50, P90, Mean float64
}

// Regret computes the regret table from metric[s][i], the metric of
// scenario s in run i (the same runs, the same draws, for every scenario).
// Quantiles are gonum's empirical quantiles (stat.Empirical).
func Regret(metric [][]float64) []RegretStats {
	if len(metric) == 0 {
		return nil
	}
	n := len(metric[0])
	out := make([]RegretStats, len(metric))
	if n == 0 {
		return out
	}
	regret := make([][]float64, len(metric))
	for s := range regret {
		regret[s] = make([]float64, n)
	}
	for i := 0; i < n; i++ {
		best := 0
		for s := range metric {
			if metric[s][i] > metric[best][i] {
				best = s
			}
		}
		out[best].BestShare++
		for s := range metric {
			regret[s][i] = metric[best][i] - metric[s][i]
		}
	}
	for s := range out {
		out[s].BestShare /= float64(n)
		var sum ExactSum
		for _, v := range regret[s] {
			sum.Add(v)
		}
		out[s].Mean = sum.Value() / float64(n)
		slices.Sort(regret[s])
		out[s].P50 = stat.Quantile(0.5, stat.Empirical, regret[s], nil)
		out[s].P90 = stat.Quantile(0.9, stat.Empirical, regret[s], nil)
	}
	return out
}
