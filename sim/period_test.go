package sim

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestPeriodRoundTrip(t *testing.T) {
	for _, s := range []string{"2020Q1", "2025Q3", "2035Q4", "1999Q2"} {
		p, err := ParsePeriod(s)
		require.NoError(t, err, s)
		assert.Equal(t, s, p.String())
	}
	p := NewPeriod(2025, 3)
	assert.Equal(t, 2025, p.Year())
	assert.Equal(t, 3, p.Quarter())
	assert.Equal(t, 2025.5, p.Decimal()) // Q3 starts half-way through the year
	assert.Equal(t, NewPeriod(2026, 1), NewPeriod(2025, 4)+1, "quarters are consecutive across years")
}

func TestParsePeriodErrors(t *testing.T) {
	for s, want := range map[string]string{
		"2025Q5":  `period "2025Q5": quarter must be 1 to 4`,
		"2025Q0":  `period "2025Q0": quarter must be 1 to 4`,
		"2025":    `period "2025": expected a quarter such as 2025Q3`,
		"25Q1":    `period "25Q1": expected a quarter such as 2025Q3`,
		"abcdQ1":  `period "abcdQ1": year must be a number from 1900 to 2200`,
		"3000Q1":  `period "3000Q1": year must be a number from 1900 to 2200`,
		"":        `period "": expected a quarter such as 2025Q3`,
		"2025Q12": `period "2025Q12": expected a quarter such as 2025Q3`,
	} {
		_, err := ParsePeriod(s)
		require.Error(t, err, s)
		assert.Equal(t, want, err.Error())
	}
}

func TestParseWhen(t *testing.T) {
	for s, want := range map[string]Period{
		"2022-10-07": NewPeriod(2022, 4), // October is in Q4
		"2023-01":    NewPeriod(2023, 1),
		"2024-06-30": NewPeriod(2024, 2),
		"2024-07-01": NewPeriod(2024, 3),
		"2025Q2":     NewPeriod(2025, 2),
		"2024-02-29": NewPeriod(2024, 1), // leap day
	} {
		p, err := ParseWhen(s)
		require.NoError(t, err, s)
		assert.Equal(t, want, p, s)
	}
	for _, s := range []string{"2023-02-29", "2023-13", "2023-00-10", "2023-1-5", "yesterday", "2023-04-31"} {
		_, err := ParseWhen(s)
		assert.Error(t, err, s)
	}
}

func FuzzParseWhen(f *testing.F) {
	for _, s := range []string{"2025Q3", "2022-10-07", "2023-01", "x", "2025q9", "-1-1"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		p, err := ParseWhen(s)
		if err != nil {
			return
		}
		require.True(t, p.Year() >= minYear && p.Year() <= maxYear && p.Quarter() >= 1 && p.Quarter() <= 4,
			"%q parsed to out-of-range %v", s, p)
		// Whatever was accepted names a quarter that prints and reads back.
		q, err := ParsePeriod(p.String())
		require.NoError(t, err, "%q → %v does not read back", s, p)
		require.Equal(t, p, q, "%q → %v does not round-trip", s, p)
	})
}
