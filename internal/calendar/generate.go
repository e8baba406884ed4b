package calendar

import (
	"errors"
	"time"

	"parcours/internal/holidays"
)

// MaxDaysPerMonth bounds a month's block. It also keeps blocks apart: eleven working days
// (a block plus the extra day of Pattern.Months) span under 20 calendar days even around
// Christmas, and two block starts are at least 28 days apart, so blocks never overlap.
const MaxDaysPerMonth = 10

// MaxTotal bounds the days one pattern lays out; a diploma has 39.
const MaxTotal = 366

// Errors of Generate, one per field, so that a form can say which field to correct.
var (
	ErrStart        = errors.New("calendar: the start date is missing or invalid")
	ErrWeekday      = errors.New("calendar: the weekday is invalid")
	ErrTotal        = errors.New("calendar: the number of days must be between 1 and 366")
	ErrDaysPerMonth = errors.New("calendar: the days per month must be between 1 and 10")
	ErrMonths       = errors.New("calendar: the days do not fit in the months, even with one more day in some months")
)

// Pattern describes a calendar laid out month after month: a block of consecutive days in
// each month until Total days are laid out.
//
// Where a month's block starts:
//   - Weekday nil: on the same day of the month as Start (the month's last day when it is
//     shorter, e.g. 31 → 30 April).
//   - Weekday set: the first block starts on the first such weekday on or after Start, and every
//     later block on the same occurrence of that weekday in its month — Thursday 4 February
//     2027 is the first Thursday of February, so each block starts on the month's first
//     Thursday. A fifth occurrence becomes the month's last one.
//
// A block is DaysPerMonth consecutive days. With SkipWeekends or SkipHolidays, it is the first
// DaysPerMonth working days from the block's start: a Saturday, Sunday or public holiday of
// Departement is replaced by the next working day after the block (Thursday–Friday blocks
// whose Thursday is Ascension become Friday–Monday).
//
// With Months > 0 the blocks start within Months months: the first Total − DaysPerMonth×Months
// months get one day more. {DaysPerMonth: 2, Months: 16, Total: 39} gives 7 months of 3 days,
// then 9 months of 2. When Total is smaller, the calendar simply ends earlier. A block pushed
// by skipped days may end in the next month.
type Pattern struct {
	Start        Date
	Weekday      *time.Weekday // optional
	DaysPerMonth int           // 1 to MaxDaysPerMonth
	Months       int           // optional upper bound on the months with a block
	Total        int           // days to lay out, 1 to MaxTotal
	SkipWeekends bool
	SkipHolidays bool
	Departement  string // INSEE code, for Alsace-Moselle's and overseas holidays; "" for the national list
}

// Generate lays out the days of p in date order, or says which field of p is wrong.
func Generate(p Pattern) ([]Date, error) {
	if err := p.validate(); err != nil {
		return nil, err
	}
	first := p.Start
	if p.Weekday != nil {
		for first.Weekday() != *p.Weekday {
			first = first.AddDays(1)
		}
	}
	rank := (first.Day-1)/7 + 1 // which occurrence of its weekday first is in its month
	days := make([]Date, 0, p.Total)
	for month := 0; len(days) < p.Total; month++ {
		n := min(p.daysInMonth(month), p.Total-len(days))
		for d := p.blockStart(first, rank, month); n > 0; d = d.AddDays(1) {
			if p.skips(d) {
				continue
			}
			days = append(days, d)
			n--
		}
	}
	return days, nil
}

func (p Pattern) validate() error {
	switch {
	case !p.Start.Valid():
		return ErrStart
	case p.Weekday != nil && (*p.Weekday < time.Sunday || *p.Weekday > time.Saturday):
		return ErrWeekday
	case p.Total < 1 || p.Total > MaxTotal:
		return ErrTotal
	case p.DaysPerMonth < 1 || p.DaysPerMonth > MaxDaysPerMonth:
		return ErrDaysPerMonth
	case p.Months < 0 || p.Months > 0 && p.Total > (p.DaysPerMonth+1)*p.Months:
		return ErrMonths
	}
	return nil
}

// daysInMonth is the size of the block of the month-th month (0 for the first).
func (p Pattern) daysInMonth(month int) int {
	if p.Months > 0 && month < p.Total-p.DaysPerMonth*p.Months {
		return p.DaysPerMonth + 1
	}
	return p.DaysPerMonth
}

// blockStart is the day the block of the month-th month after first's starts on.
func (p Pattern) blockStart(first Date, rank, month int) Date {
	m := NewDate(first.Year, first.Month+time.Month(month), 1)
	if p.Weekday == nil {
		return NewDate(m.Year, m.Month, min(first.Day, daysIn(m.Year, m.Month)))
	}
	d := m.AddDays((int(*p.Weekday)-int(m.Weekday())+7)%7 + 7*(rank-1))
	if d.Month != m.Month { // no fifth occurrence this month: take the last one
		d = d.AddDays(-7)
	}
	return d
}

func (p Pattern) skips(d Date) bool {
	if p.SkipWeekends && weekend(d) {
		return true
	}
	if p.SkipHolidays {
		if _, ok := holidays.Is(d.Time(), p.Departement); ok {
			return true
		}
	}
	return false
}

func weekend(d Date) bool {
	wd := d.Weekday()
	return wd == time.Saturday || wd == time.Sunday
}
