package output

import (
	"bytes"
	"encoding/csv"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/chokepoint-sim/chokepoint/sim"
)

// Text a spreadsheet would run as a formula (OWASP CSV injection) is
// neutralised with a leading quote; other text is untouched.
func TestCellNeutralisesFormulas(t *testing.T) {
	for in, want := range map[string]string{
		"=HYPERLINK(\"http://x\")": "'=HYPERLINK(\"http://x\")",
		"+1+1":                     "'+1+1",
		"-2+3":                     "'-2+3",
		"@SUM(A1)":                 "'@SUM(A1)",
		"\tcmd":                    "'\tcmd",
		"current-policy":           "current-policy",
		"":                         "",
	} {
		assert.Equal(t, want, Cell(in), in)
	}
}

// Titles and units with commas, quotes and newlines survive a round trip
// through a standard CSV reader, and formulas arrive neutralised.
func TestCSVRoundTrip(t *testing.T) {
	reg := sim.NewRegistry(nil, nil, []sim.Output{{Key: "x", Unit: "H100e, \"training\"\nbasis", Description: "d"}})
	span := sim.Span{Start: sim.NewPeriod(2020, 1), End: sim.NewPeriod(2020, 2)}
	sc := &sim.Scenario{Name: "=cmd|' /C calc'!A0", Title: "t"}
	sums := []sim.Summary{{Scenario: sc, Stats: make([]sim.Stats, 2)}}
	var buf bytes.Buffer
	require.NoError(t, WriteSummary(&buf, reg, span, sums))
	rows, err := csv.NewReader(&buf).ReadAll()
	require.NoError(t, err)
	require.Len(t, rows, 3)
	assert.Equal(t, "'=cmd|' /C calc'!A0", rows[1][0])
	assert.Equal(t, "H100e, \"training\"\nbasis", rows[1][2])
	assert.Equal(t, "2020Q2", rows[2][3])
}
