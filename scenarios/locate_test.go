package scenarios

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestLocate(t *testing.T) {
	src := "\ufeffid = \"x\" # comment with key = 1\n" + // 1
		`description = """` + "\n" + // 2
		`[params]` + "\n" + // 3: inside the string
		`not = "a key"` + "\n" + // 4: inside the string
		`"""` + "\n" + // 5
		`lit = '''` + "\n" + // 6
		`[[events]]'''` + "\n" + // 7
		`[params]` + "\n" + // 8
		`  "fab.yield_ceiling" = "0.5 to 0.8"` + "\n" + // 9
		`demand . budget_growth = { dist = "normal", mean = 0.2,` + "\n" + // 10
		`  sd = 0.1 }` + "\n" + // 11
		`[params.efficiency]` + "\n" + // 12
		`halving_months = 3` + "\n" + // 13
		`[[events]]` + "\n" + // 14
		`lever = "export.fee"` + "\n" + // 15
		`when = 1979-05-27 07:32:00 # a date-time with a space` + "\n" + // 16
		`[events.delay]` + "\n" + // 17
		`dist = "uniform"` + "\n" + // 18
		`[[ events ]]` + "\n" + // 19
		`value = [` + "\n" + // 20
		`  "H20", # ]` + "\n" + // 21
		`  "H2O",` + "\n" + // 22
		`]` + "\n" + // 23
		`'quoted key' = "s\"]"` + "\n" + // 24
		`[time]` + "\n" + // 25
		`start = "2020Q1"` + "\n" + // 26
		`[other]` + "\n" + // 27
		`list = [{ a = 1 }, { a = 2,` + "\n" + // 28
		`  b = 3 }]` + "\n" // 29
	got, deep := locate([]byte(src))
	require.Equal(t, 0, deep.Line, "too deep at %v", deep)
	want := map[string]pos{
		"id":                               {1, 1},
		"description":                      {2, 1},
		"lit":                              {6, 1},
		"params":                           {8, 1},
		"params.fab.yield_ceiling":         {9, 3},
		"params.demand.budget_growth":      {10, 1},
		"params.demand.budget_growth.dist": {10, 28},
		"params.demand.budget_growth.sd":   {11, 3},
		"params.efficiency":                {12, 1},
		"params.efficiency.halving_months": {13, 1},
		"events[0]":                        {14, 1},
		"events[0].lever":                  {15, 1},
		"events[0].when":                   {16, 1},
		"events[0].delay":                  {17, 1},
		"events[0].delay.dist":             {18, 1},
		"events[1]":                        {19, 1},
		"events[1].value":                  {20, 1},
		"events[1].value[0]":               {21, 3},
		"events[1].value[1]":               {22, 3},
		"events[1].quoted key":             {24, 1},
		"time":                             {25, 1},
		"time.start":                       {26, 1},
		"other.list[0].a":                  {28, 11},
		"other.list[1]":                    {28, 20},
		"other.list[1].b":                  {29, 3},
	}
	for k, w := range want {
		g := got.at(k)
		assert.Equal(t, []pos{w}, g, k)
	}
	twice, _ := locate([]byte("[params]\n\"fab.x\" = 1\nfab . x = 2\n"))
	g := twice.at("params.fab.x")
	assert.Equal(t, []pos{{2, 1}, {3, 1}}, g, "two spellings of params.fab.x at lines 2 and 3")
	for _, k := range []string{"not", "params.not", "events[2]", "events[0].value"} {
		assert.Nil(t, got.at(k), "found %s, which is not a key", k)
	}
}

// The scanner must stop and not panic on text the TOML parser would reject.
func TestLocateJunk(t *testing.T) {
	for _, s := range []string{"", "[", "[[", "a", "a =", `a = "`, `a = """`, "a = [", "a = {", "a = {b", "\"", "'", "[a.", "a.\"b", "= 1", "\\", "a = [1, {", "a = 1979-05-27 "} {
		locate([]byte(s))
	}
}

// FuzzLocate: the scanner must end on any bytes, TOML or not, and only
// report lines that exist.
func FuzzLocate(f *testing.F) {
	addSeeds(f)
	f.Fuzz(func(t *testing.T, src []byte) {
		lines := 1 + strings.Count(string(src), "\n")
		got, deep := locate(src)
		all := []pos{}
		if deep.Line != 0 {
			all = append(all, deep)
		}
		var walk func(n *node)
		walk = func(n *node) {
			all = append(all, n.at...)
			for _, c := range n.items {
				walk(c)
			}
		}
		walk(got.root)
		for _, n := range got.kids {
			walk(n)
		}
		for _, p := range all {
			require.False(t, p.Line < 1, "position %v in a file of %d lines", p, lines)
			require.False(t, p.Line > lines, "position %v in a file of %d lines", p, lines)
			require.False(t, p.Col < 1, "position %v in a file of %d lines", p, lines)
		}
	})
}

func TestSuggest(t *testing.T) {
	keys := []string{"id", "title", "description", "extends", "time", "params", "events"}
	params := []string{"fab.yield_ceiling", "fab.yield_half_wafers", "efficiency.halving_months"}
	for _, c := range []struct {
		s    string
		list []string
		want string
	}{
		{"titel", keys, "title"},
		{"tile", keys, "time"}, // one edit from both: sim.Suggest's choice stands
		{"event", keys, "events"},
		{"yield_ceiling", params, "fab.yield_ceiling"},
		{"fab.yeild_ceiling", params, "fab.yield_ceiling"},
		{"zzzzzz", keys, ""},
	} {
		got := suggest(c.s, c.list)
		assert.Equal(t, c.want, got, "suggest(%q) = %q, want %q", c.s, got, c.want)
	}
}
