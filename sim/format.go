package sim

import (
	"math"
	"strconv"
	"strings"
)

// NumberStyle says how FormatShort writes a number for people. Every
// surface (tables on a terminal, sentences, the report, the page) writes
// numbers through FormatShort with one of the styles below; the classroom
// page's script mirrors PageStyle.
type NumberStyle struct {
	// Sig is the number of significant figures kept.
	Sig int
	// Decimals is the most decimals written (negative: no limit); 0.00776
	// months is no news.
	Decimals int
	// SuffixFrom is the smallest magnitude written with a k, M, B or T
	// suffix (+Inf: never).
	SuffixFrom float64
	// SciFrom is the smallest magnitude written in scientific notation to
	// SciSig figures (0: never).
	SciFrom float64
	SciSig  int
	// Minus is the minus sign ("" means "-").
	Minus string
	// NotFinite is written for NaN and ±Inf ("": Go's NaN, +Inf, -Inf).
	NotFinite string
}

// The styles of the surfaces.
var (
	// TableStyle is for tables printed on a terminal: 1.35M, 0.729,
	// 5.4e+25.
	TableStyle = NumberStyle{Sig: 3, Decimals: -1, SuffixFrom: 1e3, SciFrom: 1e15, SciSig: 2}
	// SentenceStyle is for lever values in plain sentences: 4800, 50k,
	// 17.5B.
	SentenceStyle = NumberStyle{Sig: 6, Decimals: -1, SuffixFrom: 1e4}
	// ReportStyle is for the HTML report: 1.35M, 0.73, 5.43e+25, −514k.
	ReportStyle = NumberStyle{Sig: 3, Decimals: 2, SuffixFrom: 1e3, SciFrom: 1e15, SciSig: 3, Minus: "\u2212", NotFinite: "–"}
	// PageStyle is the classroom page's (its script's short()): 1.35M,
	// 0.73, no scientific notation.
	PageStyle = NumberStyle{Sig: 3, Decimals: 2, SuffixFrom: 1e3, NotFinite: "–"}
	// ExactStyle writes six significant figures and no suffix, as %.6g
	// does: registry bounds and values in messages.
	ExactStyle = NumberStyle{Sig: 6, Decimals: -1, SuffixFrom: math.Inf(1), SciFrom: 1e6, SciSig: 6}
)

// shortScale are the suffixes of the short scale, largest first.
var shortScale = []struct {
	base   float64
	suffix string
}{{1e12, "T"}, {1e9, "B"}, {1e6, "M"}, {1e3, "k"}}

// FormatShort writes v in style st. The number is rounded before its
// suffix is chosen, so 999,960 reads "1M", not "1000k".
func FormatShort(v float64, st NumberStyle) string {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		if st.NotFinite != "" {
			return st.NotFinite
		}
		return strconv.FormatFloat(v, 'g', -1, 64)
	}
	s := formatMagnitude(math.Abs(v), st)
	if v < 0 && strings.Trim(s, "0.") != "" {
		minus := st.Minus
		if minus == "" {
			minus = "-"
		}
		return minus + s
	}
	return s
}

func formatMagnitude(a float64, st NumberStyle) string {
	if st.SciFrom > 0 && a >= st.SciFrom {
		return strconv.FormatFloat(a, 'g', st.SciSig, 64)
	}
	if st.Decimals < 0 && a != 0 && a < 1e-4 {
		// Go's %g switches to scientific notation here too.
		return strconv.FormatFloat(a, 'g', st.Sig, 64)
	}
	// The suffix is chosen on the rounded number; the digits are rounded
	// once, from a itself.
	r := roundSig(a, st.Sig)
	for _, s := range shortScale {
		if r >= s.base && r >= st.SuffixFrom {
			return fixed(roundSig(a/s.base, st.Sig), st.Decimals) + s.suffix
		}
	}
	return fixed(r, st.Decimals)
}

// fixed writes x in as few digits as give it back, at most dec decimals
// (dec < 0: no limit).
func fixed(x float64, dec int) string {
	if dec >= 0 {
		p := math.Pow10(dec)
		x = math.Round(x*p) / p
	}
	return strconv.FormatFloat(x, 'f', -1, 64)
}

// roundSig rounds x to n significant figures.
func roundSig(x float64, n int) float64 {
	r, err := strconv.ParseFloat(strconv.FormatFloat(x, 'g', n, 64), 64)
	if err != nil {
		return x
	}
	return r
}
