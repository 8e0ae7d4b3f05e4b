package main

import (
	"math"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A tightening that raises China's compute with the induced responses on:
// the H20/H200 exceptions removed from 2026Q1, with the investment
// response to pressure at the top of its prior's range (substitution
// elasticity 5). By 2035 the domestic stock's gain outweighs the legal
// stock's loss in most runs, and the printed split says the change came
// through domestic chips, most of it credited to induced investment.
func TestCompareChannelsNameTheBackfire(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "cmp")
	code, stdout, stderr := cli(t, "compare", "current-policy", "testdata/no-exceptions-2026.toml",
		"--set", "substitution.elasticity=5", "--set", "structure.substitution=0", "--runs", "200", "--no-charts", "--out", dir)
	require.Equal(t, 0, code, stderr)
	ch := registry().Channels
	require.NotNil(t, ch)
	domestic := ch.Parts[len(ch.Parts)-1]
	require.Equal(t, "stock_domestic_h100e", domestic) // the part the backfire must come through
	_, split, ok := strings.Cut(stdout, "by channel")
	require.True(t, ok, "compare prints no channel split:\n%s", stdout)
	lines := strings.Split(split, "\n")
	row := func(prefix string) []string {
		for _, l := range lines {
			if strings.HasPrefix(strings.TrimSpace(l), prefix) {
				return strings.Fields(l)
			}
		}
		require.Failf(t, "no row", "%q in\n%s", prefix, split)
		return nil
	}
	total := row(ch.Total)
	last := total[len(total)-2] // the last quarter's median; then its share
	require.True(t, strings.HasPrefix(last, "+"), "the tightening should raise the stock by 2035Q4 here: %v", total)
	main := row("carried mostly by")
	assert.Equal(t, domestic, main[len(main)-1], "the split names the wrong channel:\n%s", split)
	induced := row("of which " + ch.Within[domestic])
	assert.True(t, strings.HasPrefix(induced[len(induced)-2], "+"), "induced investment's part should rise: %v", induced)
	assert.Contains(t, split, "need not add up")
}

// The parts of the split add up to the total run by run (samples.csv, the
// raw runs behind channels.csv): the 2020 fleet, which belongs to no
// channel, is the same in both runs of a pair and cancels. So the means in
// channels.csv add up as well.
func TestCompareChannelsAddUp(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "cmp")
	code, _, stderr := cli(t, "compare", "current-policy", "testdata/no-exceptions-2026.toml",
		"--runs", "100", "--no-charts", "--samples", "--quiet", "--out", dir)
	require.Equal(t, 0, code, stderr)
	ch := registry().Channels
	rows := readCSV(t, filepath.Join(dir, "samples.csv"))
	col := map[string]int{}
	for i, h := range rows[0] {
		col[h] = i
	}
	// run, period → the base's row
	base := map[[2]string][]string{}
	for _, r := range rows[1:] {
		if r[0] == "current-policy" {
			base[[2]string{r[1], r[2]}] = r
		}
	}
	f := func(r []string, k string) float64 {
		x, err := strconv.ParseFloat(r[col[k]], 64)
		require.NoError(t, err)
		return x
	}
	checked := 0
	for _, r := range rows[1:] {
		if r[0] == "current-policy" {
			continue
		}
		b := base[[2]string{r[1], r[2]}]
		require.NotNil(t, b)
		total := f(r, ch.Total) - f(b, ch.Total)
		sum := 0.0
		for _, p := range ch.Parts {
			sum += f(r, p) - f(b, p)
		}
		// rounding of sums of ~1e6-1e8 H100e, each carried to 17 digits
		require.InDelta(t, total, sum, 1e-9*math.Max(1, f(b, ch.Total)), "run %s %s", r[1], r[2])
		checked++
	}
	require.Equal(t, 100*64, checked)
	// channels.csv: the parts' means add up to the total's mean.
	means := map[string]map[string]float64{}
	for _, r := range readCSV(t, filepath.Join(dir, "channels.csv"))[1:] {
		if means[r[2]] == nil {
			means[r[2]] = map[string]float64{}
		}
		m, err := strconv.ParseFloat(r[7], 64)
		require.NoError(t, err)
		means[r[2]][r[3]] = m
	}
	require.Len(t, means, 3) // 2027Q4, 2030Q4 and the last quarter, 2035Q4
	for per, m := range means {
		sum := 0.0
		for _, p := range ch.Parts {
			sum += m[p]
		}
		assert.InDelta(t, m[ch.Total], sum, 1e-6*math.Max(1, math.Abs(m[ch.Total])), per)
	}
}

// docs/MODEL.md, "The sign property and the pool mix": a licence threshold
// of 1,000 TPP from 2026Q2 catches the RTX Pro 6000D while the H200 stays
// excepted; China's inference buyers move to the H200 and the stock rises
// (+260k H100e at 2030Q4 in the median of 1,000 runs, +157k of it their
// purchases). compare shows the inference buyers' row across the parts and
// says that it carried the rise; against escalation-2025, whose stock
// falls, it says nothing of the kind.
func TestCompareChannelsNameTheInferenceBuyers(t *testing.T) {
	ch := registry().Channels
	require.Equal(t, []string{"stock_inference_pool_h100e"}, ch.Across)
	code, stdout, stderr := cli(t, "compare", "current-policy", "testdata/tpp-1000-2026.toml",
		"--runs", "400", "--no-charts", "--out", filepath.Join(t.TempDir(), "cmp"))
	require.Equal(t, 0, code, stderr)
	_, split, ok := strings.Cut(stdout, "by channel")
	require.True(t, ok, stdout)
	assert.Contains(t, split, "  of the total, "+ch.Across[0])
	assert.Contains(t, split, "2030Q4")
	assert.Regexp(t, `In [^\n]*2030Q4[^\n]*, at least half of the total's median change is `+ch.Across[0]+` \(`, split)
	code, stdout, stderr = cli(t, "compare", "current-policy", "escalation-2025",
		"--runs", "200", "--no-charts", "--out", filepath.Join(t.TempDir(), "cmp2"))
	require.Equal(t, 0, code, stderr)
	assert.NotContains(t, stdout, "at least half of the total's median change")
}
