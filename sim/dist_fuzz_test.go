package sim

import (
	"fmt"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/BurntSushi/toml"
)

// fuzzKeys are the table keys FuzzParseDist may set, bit i of its mask
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

// FuzzParseDist feeds ParseDist strings and small tables. It must never
// panic, and whatever it accepts must have finite, ordered quantiles inside
// its support and write itself back as TOML that parses to the same thing.
func FuzzParseDist(f *testing.F) {
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
	})
}

func checkFuzzDist(t *testing.T, in any) {
	// ParseDist must not hang: a panic in the timer's goroutine crashes the
	// worker, and the fuzzer keeps the input.
	watchdog := time.AfterFunc(20*time.Second, func() { panic(fmt.Sprintf("ParseDist(%#v) is taking too long", in)) })
	defer watchdog.Stop()
	dist, err := ParseDist(in)
	if err != nil {
		if dist != nil {
			t.Fatalf("ParseDist(%#v) returned both %v and an error", in, dist)
		}
		if msg := err.Error(); msg == "" || len(msg) > 300 || strings.Contains(msg, "\n") {
			t.Fatalf("ParseDist(%#v): error %q", in, msg)
		}
		return
	}
	ps := []float64{0.01, 0.5, 0.99}
	checkQuantiles(t, dist, ps)
	if m := DistMean(dist); math.IsNaN(m) {
		t.Fatalf("%s: DistMean is NaN", dist)
	}
	// Round trip through a real TOML decoder.
	text := dist.String()
	var doc map[string]any
	if _, err := toml.Decode("x = "+text, &doc); err != nil {
		t.Fatalf("%#v: String() = %s is not TOML: %v", in, text, err)
	}
	back, err := ParseDist(doc["x"])
	if err != nil {
		t.Fatalf("%#v: String() = %s does not parse back: %v", in, text, err)
	}
	if back.String() != text {
		t.Fatalf("%#v: String() = %s reads back as %s", in, text, back)
	}
	for _, p := range ps {
		if q0, q1 := dist.Quantile(p), back.Quantile(p); q0 != q1 {
			t.Fatalf("%s: Quantile(%g) = %g, after the round trip %g", text, p, q0, q1)
		}
	}
}
