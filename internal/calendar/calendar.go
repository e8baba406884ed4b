// Package calendar holds the pure rules of a cohort's training calendar: laying out days from a
// monthly pattern (Generate), the warnings a manager must see before publishing it (Check), and
// the hours scheduled per module against the programme's plan (Totals). It does no I/O; the
// French public holidays come from package holidays.
//
// A training day is a civil date (Date): it has no time of day and no time zone, so the same
// day is the same on every server and in every région. Half-day times are local "HH:MM" clock
// readings; turning them into instants is the caller's business (package localtime).
package calendar

import (
	"fmt"
	"time"
)

// Date is a civil date. Its zero value means "no date". Two Dates are equal with == and a
// Date can key a map. Build one with NewDate, DateOf or ParseDate so that it is normalised.
type Date struct {
	Year  int
	Month time.Month
	Day   int
}

// NewDate returns the date of year, month and day, normalised like time.Date
// (31 April becomes 1 May).
func NewDate(year int, month time.Month, day int) Date {
	return DateOf(time.Date(year, month, day, 0, 0, 0, 0, time.UTC))
}

// DateOf returns the civil date of t as read in t's own location.
func DateOf(t time.Time) Date {
	y, m, d := t.Date()
	return Date{y, m, d}
}

// ParseDate reads an ISO date, "2027-02-04".
func ParseDate(s string) (Date, error) {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return Date{}, fmt.Errorf("calendar: date %q: want YYYY-MM-DD", s)
	}
	return DateOf(t), nil
}

// Time returns midnight UTC of d, the form package holidays uses.
func (d Date) Time() time.Time {
	return time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, time.UTC)
}

// String returns d as "2027-02-04", and the zero Date as "".
func (d Date) String() string {
	if d.IsZero() {
		return ""
	}
	return d.Time().Format(time.DateOnly)
}

// IsZero tells whether d is the zero Date.
func (d Date) IsZero() bool { return d == Date{} }

// Valid tells whether d is a real calendar date (not zero, not 30 February).
func (d Date) Valid() bool { return !d.IsZero() && NewDate(d.Year, d.Month, d.Day) == d }

// AddDays returns the date n days after d (before it when n < 0).
func (d Date) AddDays(n int) Date { return NewDate(d.Year, d.Month, d.Day+n) }

// Weekday returns the day of the week of d.
func (d Date) Weekday() time.Weekday { return d.Time().Weekday() }

// Compare returns -1, 0 or +1 as d is before, equal to or after e.
func (d Date) Compare(e Date) int { return d.Time().Compare(e.Time()) }

// Before tells whether d is before e.
func (d Date) Before(e Date) bool { return d.Compare(e) < 0 }

// After tells whether d is after e.
func (d Date) After(e Date) bool { return d.Compare(e) > 0 }

// MarshalText writes d as String does, so that JSON and forms carry ISO dates.
func (d Date) MarshalText() ([]byte, error) { return []byte(d.String()), nil }

// UnmarshalText reads an ISO date; "" gives the zero Date.
func (d *Date) UnmarshalText(b []byte) error {
	if len(b) == 0 {
		*d = Date{}
		return nil
	}
	parsed, err := ParseDate(string(b))
	if err != nil {
		return err
	}
	*d = parsed
	return nil
}

// daysIn returns the number of days of a month.
func daysIn(year int, month time.Month) int {
	return NewDate(year, month+1, 0).Day
}
