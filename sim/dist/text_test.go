package dist

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestParseText reads the forms the registry and --set write: TOML values,
// and the bare "a to b" of registry defaults.
func TestParseText(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"0.7", "0.7"},
		{" 5 ", "5"},
		{"1_000", "1000"}, // TOML's digit separator
		{"5 to 14", `"5 to 14"`},
		{`"5 to 14"`, `"5 to 14"`},
		{`'5 to 14'`, `"5 to 14"`}, // a TOML literal string
		{`{dist = "uniform", min = 1, max = 2}`, `{dist = "uniform", min = 1, max = 2}`},
		{`{ dist = "discrete", values = [1, 2, 3], weights = [1, 1, 2] }`,
			`{dist = "discrete", values = [1, 2, 3], weights = [1, 1, 2]}`},
		{`{dist = "normal", "mean" = 0, sd = 1, clip = [-inf, 2]}`, `{dist = "normal", mean = 0, sd = 1, clip = [-inf, 2]}`},
		{`{dist = "normal", mean = 0, sd = 1} # a comment`, `{dist = "normal", mean = 0, sd = 1}`},
	} {
		d, err := ParseText(c.in)
		if assert.NoError(t, err, "ParseText(%q)", c.in) {
			assert.Equal(t, c.want, d.String(), "ParseText(%q)", c.in)
		}
	}
}

// TestParseTextRejects checks that text which is not one TOML value is
// refused with the decoder's own words.
func TestParseTextRejects(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		// An array without commas is not TOML (the hand-written reader
		// this replaced took it as [1, 2]).
		{`{dist = "discrete", values = [1 2]}`,
			`"{dist = \"discrete\", values = [1 2]}" is not a TOML value: expected a comma (',') or array terminator (']'), but got '2'`},
		{`{dist = "uniform", min = 1 max = 2}`,
			`"{dist = \"uniform\", min = 1 max = 2}" is not a TOML value: expected a comma or an inline table terminator '}', but got 'm' instead`},
		{`{dist = "uniform", min = 1, min = 2}`,
			`"{dist = \"uniform\", min = 1, min = 2}" is not a TOML value: Key 'min' has already been defined.`},
		{`"5 to 14`, `"\"5 to 14" is not a TOML value: unexpected EOF; expected '"'`},
		{"[1, 2]", `expected a number, an "a to b" string or a distribution table, found an array of 2 values`},
		// A second key smuggled in after a newline is not one value.
		{"1\nw = 2", `"1\nw = 2" is not a single TOML value`},
		{"abc", `expected a number or "a to b", found string "abc"`},
		{"", `expected a number or "a to b", found string ""`},
		{"inf", `a fixed value must be finite, found +Inf`},
		{`{dist = "uniform", min = 2, max = 1}`, `uniform: min must be below max, found min=2 max=1`},
	} {
		d, err := ParseText(c.in)
		require.Error(t, err, "ParseText(%q) = %v", c.in, d)
		assert.Equal(t, c.want, err.Error(), "ParseText(%q)", c.in)
		assert.Nil(t, d)
	}
}
