package dist

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/BurntSushi/toml"
	"github.com/stretchr/testify/require"
)

// fuzzKeys are the table keys FuzzParse may set, bit i of its mask
// setting fuzzKeys[i].
var fuzzKeys = []string{"mean", "sd", "p5", "p95", "mu", "sigma", "min", "mode", "max",
	"alpha", "beta", "values", "weights", "clip"}

// fuzzTable builds a decoded inline table: dist = name, and each key whose
// bit is set in mask, numbers taken in turn from nums. Bit 14 puts s in
// place of the first number (a wrong type); bit 15 makes values and weights
// two long instead of three.
func fuzzTable(name string, nums [5]float64, s string, mask uint16) map[string]any {
	m := map[string]any{"dist": name}
	k := 0
	next := func() any {
		x := nums[k%len(nums)]
		k++
		if k == 1 && mask&(1<<14) != 0 {
			return s
		}
		return x
	}
	for i, key := range fuzzKeys {
		if mask&(1<<i) == 0 {
			continue
		}
		switch key {
		case "values", "weights":
			arr := []any{next(), next()}
			if mask&(1<<15) == 0 {
				arr = append(arr, next())
			}
			m[key] = arr
		case "clip":
			m[key] = []any{next(), next()}
		default:
			m[key] = next()
		}
	}
	return m
}

// FuzzParse feeds Parse strings and small tables, and ParseText the
// strings. It must never panic, and whatever it accepts must have finite,
// ordered quantiles inside its support and write itself back as TOML that
// parses to the same thing.
func FuzzParse(f *testing.F) {
	f.Add("5 to 14", "normal", 0.0, 1.0, 0.0, 0.0, 0.0, uint16(0b11))
	f.Add("-2 to 6", "lognormal", 5.0, 14.0, 0.0, 0.0, 0.0, uint16(0b1100))
	f.Add("0.7", "lognormal", 1.0, 0.5, 0.0, 0.0, 0.0, uint16(0b110000))
	f.Add("1e-300 to 1e300", "uniform", 2.0, 12.0, 0.0, 0.0, 0.0, uint16(1<<6|1<<8))
	f.Add("x to 3", "triangular", 0.0, 0.25, 1.0, 0.0, 0.0, uint16(1<<6|1<<7|1<<8))
	f.Add("9 to 3", "pert", 1.0, 2.0, 5.0, 1.0, 4.0, uint16(1<<6|1<<7|1<<8|1<<13))
	f.Add("", "beta", 2.0, 5.0, 0.0, 0.0, 0.0, uint16(1<<9|1<<10))
	f.Add("inf", "beta", 0.2, 0.6, 0.0, 0.0, 0.0, uint16(0b1100))
	f.Add("5 to", "discrete", 3.0, 1.0, 2.0, 1.0, 1.0, uint16(1<<11|1<<12))
	f.Add("abc", "normal", 0.0, 1.0, 0.0, -1.0, 1.0, uint16(1<<0|1<<1|1<<13))
	f.Add("x", "normal", 0.0, 1.0, 0.0, 0.0, 0.0, uint16(1<<0|1<<1|1<<14))
	f.Add("0x1p-3 to 1_0", "gamma", 0.0, 0.0, 0.0, 0.0, 0.0, uint16(0))
	f.Fuzz(func(t *testing.T, s, name string, a, b, c, d, e float64, mask uint16) {
		checkFuzzDist(t, s)
		checkFuzzDist(t, fuzzTable(name, [5]float64{a, b, c, d, e}, s, mask))
		checkFuzzText(t, s)
	})
}

func checkFuzzDist(t *testing.T, in any) {
	// Parse must not hang: a panic in the timer's goroutine crashes the
	// worker, and the fuzzer keeps the input.
	watchdog := time.AfterFunc(20*time.Second, func() { panic(fmt.Sprintf("Parse(%#v) is taking too long", in)) })
	defer watchdog.Stop()
	d, err := Parse(in)
	checkFuzzResult(t, in, d, err)
}

// checkFuzzText feeds ParseText s as a registry default or a --set value
// would come.
func checkFuzzText(t *testing.T, s string) {
	watchdog := time.AfterFunc(20*time.Second, func() { panic(fmt.Sprintf("ParseText(%q) is taking too long", s)) })
	defer watchdog.Stop()
	d, err := ParseText(s)
	checkFuzzResult(t, s, d, err)
}

// checkFuzzResult checks what Parse or ParseText made of in: one short
// line of error, or a distribution with finite, ordered quantiles that
// writes itself back as TOML that parses to the same thing.
func checkFuzzResult(t *testing.T, in any, d Dist, err error) {
	if err != nil {
		require.Nil(t, d, "%#v returned both a distribution and an error", in)
		msg := err.Error()
		require.Truef(t, msg != "" && len(msg) <= 300 && !strings.Contains(msg, "\n"), "%#v: error %q", in, msg)
		return
	}
	ps := []float64{0.01, 0.5, 0.99}
	checkQuantiles(t, d, ps)
	// Round trip through a real TOML decoder.
	text := d.String()
	var doc map[string]any
	_, err = toml.Decode("x = "+text, &doc)
	require.NoError(t, err, "%#v: String() = %s is not TOML", in, text)
	back, err := Parse(doc["x"])
	require.NoError(t, err, "%#v: String() = %s does not parse back", in, text)
	require.Equal(t, text, back.String(), "%#v: String() reads back differently", in)
	for _, p := range ps {
		require.Equal(t, d.Quantile(p), back.Quantile(p), "%s: Quantile(%g) after the round trip", text, p)
	}
}
