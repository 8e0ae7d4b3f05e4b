package sim

import (
	"fmt"
	"strconv"
	"strings"
)

// Period is a calendar quarter. Its value counts quarters from year 0, so
// that consecutive quarters differ by one and periods compare with < and >.
type Period int32

// NewPeriod returns the period for quarter q (1–4) of year.
func NewPeriod(year, quarter int) Period {
	if quarter < 1 || quarter > 4 {
		panic("sim: quarter out of range")
	}
	return Period(year*4 + quarter - 1)
}

// Year returns the calendar year of p.
func (p Period) Year() int { return int(p) / 4 }

// Quarter returns the quarter of the year of p, from 1 to 4.
func (p Period) Quarter() int { return int(p)%4 + 1 }

// String formats p as "2025Q3".
func (p Period) String() string { return fmt.Sprintf("%dQ%d", p.Year(), p.Quarter()) }

// Decimal returns the year at the start of p as a decimal: 2025Q3 is 2025.5.
func (p Period) Decimal() float64 { return float64(p.Year()) + float64(p.Quarter()-1)/4 }

// MarshalText implements encoding.TextMarshaler.
func (p Period) MarshalText() ([]byte, error) { return []byte(p.String()), nil }

// UnmarshalText implements encoding.TextUnmarshaler with ParsePeriod.
func (p *Period) UnmarshalText(b []byte) error {
	q, err := ParsePeriod(string(b))
	if err != nil {
		return err
	}
	*p = q
	return nil
}

// minYear and maxYear bound the years a period may name; outside them a
// typo (20250Q1) is more likely than intent.
const (
	minYear = 1900
	maxYear = 2200
)

// ParsePeriod reads a quarter written as "2025Q3" (or "2025q3").
func ParsePeriod(s string) (Period, error) {
	y, rest, ok := strings.Cut(strings.ToUpper(strings.TrimSpace(s)), "Q")
	if !ok || len(y) != 4 || len(rest) != 1 {
		return 0, fmt.Errorf("period %q: expected a quarter such as 2025Q3", s)
	}
	year, err := strconv.Atoi(y)
	if err != nil || year < minYear || year > maxYear {
		return 0, fmt.Errorf("period %q: year must be a number from %d to %d", s, minYear, maxYear)
	}
	q := int(rest[0] - '0')
	if q < 1 || q > 4 {
		return 0, fmt.Errorf("period %q: quarter must be 1 to 4", s)
	}
	return NewPeriod(year, q), nil
}

// ParseWhen reads a date as a period: a quarter ("2025Q3"), a month
// ("2025-10") or a day ("2025-10-07"), each meaning the quarter that holds it.
func ParseWhen(s string) (Period, error) {
	t := strings.TrimSpace(s)
	if strings.ContainsAny(t, "Qq") {
		return ParsePeriod(t)
	}
	parts := strings.Split(t, "-")
	if len(parts) < 2 || len(parts) > 3 || len(parts[0]) != 4 {
		return 0, fmt.Errorf("date %q: expected 2025Q3, 2025-10 or 2025-10-07", s)
	}
	year, err := strconv.Atoi(parts[0])
	if err != nil || year < minYear || year > maxYear {
		return 0, fmt.Errorf("date %q: year must be a number from %d to %d", s, minYear, maxYear)
	}
	month, err := strconv.Atoi(parts[1])
	if err != nil || len(parts[1]) != 2 || month < 1 || month > 12 {
		return 0, fmt.Errorf("date %q: month must be 01 to 12", s)
	}
	if len(parts) == 3 {
		day, err := strconv.Atoi(parts[2])
		if err != nil || len(parts[2]) != 2 || day < 1 || day > daysIn(year, month) {
			return 0, fmt.Errorf("date %q: no such day", s)
		}
	}
	return NewPeriod(year, (month-1)/3+1), nil
}

func daysIn(year, month int) int {
	switch month {
	case 2:
		if year%4 == 0 && (year%100 != 0 || year%400 == 0) {
			return 29
		}
		return 28
	case 4, 6, 9, 11:
		return 30
	}
	return 31
}

// Span is an inclusive range of quarters.
type Span struct {
	Start, End Period
}

// Len is the number of quarters in s.
func (s Span) Len() int { return int(s.End-s.Start) + 1 }

// Periods lists the quarters of s in order.
func (s Span) Periods() []Period {
	ps := make([]Period, s.Len())
	for i := range ps {
		ps[i] = s.Start + Period(i)
	}
	return ps
}

// Index returns the position of p in s, which may be negative or past the
// end when p lies outside it.
func (s Span) Index(p Period) int { return int(p - s.Start) }
