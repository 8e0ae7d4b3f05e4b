package output

import (
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/chokepoint-sim/chokepoint/sim"
)

// HeadlineName is the file of quotable comparisons a compare writes.
const HeadlineName = "headline.csv"

// Headline is one quotable comparison of a scenario against the base for
// one output at one quarter: the median of the paired ratio (an output
// the registry puts on a log scale, which is positive) or of the paired
// difference (any other) with its 90% interval, the shares of runs higher
// and lower, and the same over the runs in which the two differ.
type Headline struct {
	Scenario, Base string // names
	Output, Unit   string
	Period         sim.Period
	// Measure is "ratio" (scenario ÷ base, run by run) or "difference"
	// (scenario − base).
	Measure       string
	Stats         sim.Stats // of the measure over all runs
	ShareHigher   float64   // runs in which the scenario is higher
	ShareLower    float64
	ShareChanged  float64   // runs in which the two differ at all
	Changed       sim.Stats // of the measure over the changed runs (N = 0: unknown or none)
	ChangedHigher float64   // share of the changed runs in which the scenario is higher
	// Sentence says it all in words a reader can quote.
	Sentence string
}

// Ratio and Difference name a headline's measure.
const (
	Ratio      = "ratio"
	Difference = "difference"
)

// changedShown is the share of changed runs below which a headline also
// gives the figure over the changed runs alone: when a tenth of the runs
// or more are the same in both scenarios (an uncertain event that does
// not always fire), the figure over all runs understates what happens
// when it does.
const changedShown = 0.9

// Headlines returns a headline for every difference of d, every output
// and every period of periods within d's span, in that order.
func Headlines(d *ResultsData, periods []sim.Period) []Headline {
	var hs []Headline
	for i := range d.Diffs {
		for o := range d.Outputs {
			for _, p := range periods {
				if t := d.Span.Index(p); t >= 0 && t < d.T() {
					hs = append(hs, d.headline(i, o, t))
				}
			}
		}
	}
	return hs
}

// headline builds the headline of difference i, output o, period t.
func (d *ResultsData) headline(i, o, t int) Headline {
	df := &d.Diffs[i]
	out := d.Outputs[o]
	c := o*d.T() + t
	h := Headline{Scenario: df.Other, Base: df.Base, Output: out.Key, Unit: out.Unit, Period: d.Span.Start + sim.Period(t),
		Measure: Difference, Stats: df.Stats[c], ShareHigher: df.ShareHigher[c], ShareChanged: df.ShareChanged[c],
		Changed: sim.Stats{N: 0}, ChangedHigher: math.NaN()}
	h.ShareLower = math.Max(0, h.ShareChanged-h.ShareHigher)
	if out.Log && df.Ratio != nil && df.Ratio[c].N > 0 {
		h.Measure, h.Stats = Ratio, df.Ratio[c]
	}
	changed := df.Changed
	if h.Measure == Ratio {
		changed = df.ChangedRatio
	}
	if changed != nil && h.ShareChanged > 0 {
		h.Changed = changed[c]
		h.ChangedHigher = h.ShareHigher / h.ShareChanged
	}
	h.Sentence = d.sentence(h, out)
	return h
}

// sentence words h: "By 2030Q4, “Current policy” leaves China's AI
// compute stock at 45% (90% interval 11–91%) of its level under “No
// controls”; lower in 98% of runs."
func (d *ResultsData) sentence(h Headline, out sim.Output) string {
	other, base := d.title(h.Scenario), d.title(h.Base)
	var b strings.Builder
	fmt.Fprintf(&b, "By %s, “%s” leaves %s ", h.Period, other, subject(out))
	if h.Measure == Ratio {
		fmt.Fprintf(&b, "at %s its level under “%s”", ratioWords(h.Stats), base)
	} else {
		fmt.Fprintf(&b, "%s than under “%s”", diffWords(h.Stats, out.Unit), base)
	}
	b.WriteString("; " + shareWords(h.Stats.P50(), h.Measure, h.ShareHigher, h.ShareLower, "runs"))
	if same := 1 - h.ShareChanged; same >= 0.005 {
		fmt.Fprintf(&b, ", the same in %s", sharePercent(same))
	}
	b.WriteString(".")
	if h.ShareChanged > 0 && h.ShareChanged < changedShown && h.Changed.N > 0 {
		fmt.Fprintf(&b, " In the %s of runs in which the two differ, it is ", sharePercent(h.ShareChanged))
		if h.Measure == Ratio {
			b.WriteString("at " + ratioWords(h.Changed) + " that level")
		} else {
			b.WriteString(diffWords(h.Changed, out.Unit))
		}
		b.WriteString("; " + shareWords(h.Changed.P50(), h.Measure, h.ChangedHigher, 1-h.ChangedHigher, "those runs") + ".")
	}
	return b.String()
}

// title is a scenario's title, else its name.
func (d *ResultsData) title(name string) string {
	if i, ok := d.ScenarioIndex(name); ok && d.Scenarios[i].Title != "" {
		return d.Scenarios[i].Title
	}
	return name
}

// subject names an output inside a sentence: its phrase from the
// registry ("the frontier gap"), else its label or description with the
// first letter lowercased unless it starts a name, else its key.
func subject(out sim.Output) string {
	if out.Phrase != "" {
		return out.Phrase
	}
	what := out.Label
	if what == "" {
		what = out.Description
	}
	if what == "" {
		return out.Key
	}
	return lowerFirst(what)
}

// ratioWords words a ratio's median and 90% interval: "45% (90% interval
// 11–91%) of", or in times from a median of 2 on: "2.3 times (90%
// interval 1.5–4.1)".
func ratioWords(st sim.Stats) string {
	if st.P50() >= 2 {
		return fmt.Sprintf("%s times (90%% interval %s–%s)", sig2(st.P50()), sig2(st.P05()), sig2(st.P95()))
	}
	return fmt.Sprintf("%s (90%% interval %s–%s) of", sharePercent(st.P50()), strings.TrimSuffix(sharePercent(st.P05()), "%"), sharePercent(st.P95()))
}

// diffWords words a difference's median and 90% interval: "14 months
// higher (90% interval −3 to +30 months)". A fraction is told in
// percentage points.
func diffWords(st sim.Stats, unit string) string {
	scale, u := 1.0, " "+unit
	if unit == "fraction" {
		scale, u = 100, " percentage points"
	}
	m := st.P50() * scale
	dir := "higher"
	switch {
	case m < 0:
		dir = "lower"
	case m == 0:
		return fmt.Sprintf("no higher or lower at the median (90%% interval %s to %s%s)", signedSig2(st.P05()*scale), signedSig2(st.P95()*scale), u)
	}
	return fmt.Sprintf("%s%s %s (90%% interval %s to %s%s)", sig2(math.Abs(m)), u, dir, signedSig2(st.P05()*scale), signedSig2(st.P95()*scale), u)
}

// shareWords says in what share of runs the scenario is higher or lower,
// the side the median falls on first: "lower in 98% of runs".
func shareWords(median float64, measure string, higher, lower float64, runs string) string {
	centre := 0.0
	if measure == Ratio {
		centre = 1
	}
	if median < centre || (median == centre && lower > higher) {
		return fmt.Sprintf("lower in %s of %s", sharePercent(lower), runs)
	}
	return fmt.Sprintf("higher in %s of %s", sharePercent(higher), runs)
}

// sharePercent words a share as a percentage of two significant digits at
// most, whole from 10% up: 0.4512 → "45%", 0.0934 → "9.3%", 1 → "100%".
func sharePercent(v float64) string {
	if math.IsNaN(v) {
		return "n/a"
	}
	p := 100 * v
	if math.Abs(p) >= 10 || p == 0 {
		return strconv.FormatFloat(math.Round(p), 'f', -1, 64) + "%"
	}
	return sig2(p) + "%"
}

// sig2 words v with two significant digits: 0.45, 12, 4.6M, 3.6e+27.
func sig2(v float64) string {
	if math.IsNaN(v) {
		return "n/a"
	}
	return sim.FormatShort(v, sim.NumberStyle{Sig: 2, Decimals: -1, SuffixFrom: 1e3, SciFrom: 1e15, SciSig: 2, Minus: "−"})
}

// signedSig2 is sig2 with a sign in front ("+3", "−3", "0").
func signedSig2(v float64) string {
	if v > 0 {
		return "+" + sig2(v)
	}
	return sig2(v)
}

// lowerFirst lowercases the first letter of s when its first word is an
// ordinary word ("Frontier gap" → "frontier gap"), not a name ("China's
// AI compute stock", "US …").
func lowerFirst(s string) string {
	first, _, _ := strings.Cut(s, " ")
	r, n := utf8.DecodeRuneInString(first)
	if n == 0 || !unicode.IsUpper(r) || strings.ContainsAny(first, "'’") || strings.IndexFunc(first[n:], unicode.IsUpper) >= 0 {
		return s
	}
	return string(unicode.ToLower(r)) + s[n:]
}

// HeadlineHeader is the column list of headline.csv.
var HeadlineHeader = []string{"scenario", "base", "output", "unit", "period", "measure",
	"p05", "p50", "p95", "share_higher", "share_lower", "share_changed",
	"changed_p05", "changed_p50", "changed_p95", "changed_share_higher", "sentence"}

// WriteHeadline writes headline.csv: one row per headline, the sentence
// last. The changed_ columns are the measure over the runs in which the
// two scenarios differ (NaN when none does).
func WriteHeadline(w io.Writer, hs []Headline) error {
	cw := newCSV(w)
	if err := cw.Write(HeadlineHeader); err != nil {
		return err
	}
	for _, h := range hs {
		ch := h.Changed
		if ch.N == 0 {
			ch = sim.Summarize(nil)
		}
		row := []string{h.Scenario, h.Base, h.Output, h.Unit, h.Period.String(), h.Measure,
			num(h.Stats.P05()), num(h.Stats.P50()), num(h.Stats.P95()),
			num(h.ShareHigher), num(h.ShareLower), num(h.ShareChanged),
			num(ch.P05()), num(ch.P50()), num(ch.P95()), num(h.ChangedHigher), h.Sentence}
		if err := cw.Write(row); err != nil {
			return err
		}
	}
	return cw.Flush()
}
