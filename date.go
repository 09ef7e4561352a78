package civicgrid

import (
	"fmt"
	"time"
)

// Date is a civil date in the city's time zone. The zero Date is "no date"
// and renders as the empty string.
type Date struct {
	Year  int
	Month time.Month
	Day   int
}

// DateOf returns the civil date of t in t's location.
func DateOf(t time.Time) Date {
	y, m, d := t.Date()
	return Date{y, m, d}
}

// ParseDate parses a date written as 2026-01-01. It returns an Invalid error
// for any other form and for dates that do not exist (2026-02-30).
func ParseDate(s string) (Date, error) {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return Date{}, Errorf(Invalid, "date %q is not a date written like 2026-01-01", s)
	}
	return DateOf(t), nil
}

// String renders d as 2026-01-01, or "" for the zero Date.
func (d Date) String() string {
	if d.IsZero() {
		return ""
	}
	return fmt.Sprintf("%04d-%02d-%02d", d.Year, int(d.Month), d.Day)
}

// IsZero reports whether d is the zero Date.
func (d Date) IsZero() bool { return d == Date{} }

// MarshalText renders d as String does, so that a Date is a JSON string and
// can be a JSON map key.
func (d Date) MarshalText() ([]byte, error) { return []byte(d.String()), nil }

// UnmarshalText parses text as ParseDate does; empty text is the zero Date.
func (d *Date) UnmarshalText(text []byte) error {
	if len(text) == 0 {
		*d = Date{}
		return nil
	}
	v, err := ParseDate(string(text))
	if err != nil {
		return err
	}
	*d = v
	return nil
}

// AddDays returns the date n days after d (before d when n is negative).
func (d Date) AddDays(n int) Date { return dateOfDay(d.day() + n) }

// Weekday returns the day of the week of d.
func (d Date) Weekday() time.Weekday { return time.Weekday(floorMod(d.day()+4, 7)) }

// Before reports whether d is an earlier date than o.
func (d Date) Before(o Date) bool {
	if d.Year != o.Year {
		return d.Year < o.Year
	}
	if d.Month != o.Month {
		return d.Month < o.Month
	}
	return d.Day < o.Day
}

// At returns the instant min minutes after midnight of d in loc.
func (d Date) At(min int, loc *time.Location) time.Time {
	return time.Date(d.Year, d.Month, d.Day, 0, min, 0, 0, loc)
}

// valid reports whether d names a date that exists.
func (d Date) valid() bool { return dateOfDay(d.day()) == d }

// day returns the number of days from 1970-01-01 to d (the proleptic
// Gregorian calendar; Howard Hinnant's days_from_civil).
func (d Date) day() int {
	y, m := d.Year, int(d.Month)
	if m <= 2 {
		y--
	}
	era := floorDiv(y, 400)
	yoe := y - era*400
	mp := (m + 9) % 12 // March is 0
	doy := (153*mp+2)/5 + d.Day - 1
	doe := yoe*365 + yoe/4 - yoe/100 + doy
	return era*146097 + doe - 719468
}

// dateOfDay is the inverse of Date.day (Hinnant's civil_from_days).
func dateOfDay(n int) Date {
	n += 719468
	era := floorDiv(n, 146097)
	doe := n - era*146097
	yoe := (doe - doe/1460 + doe/36524 - doe/146096) / 365
	doy := doe - (365*yoe + yoe/4 - yoe/100)
	mp := (5*doy + 2) / 153
	d := doy - (153*mp+2)/5 + 1
	m := (mp+2)%12 + 1
	y := yoe + era*400
	if m <= 2 {
		y++
	}
	return Date{y, time.Month(m), d}
}
