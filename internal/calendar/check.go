package calendar

import (
	"maps"
	"slices"

	"parcours/internal/holidays"
)

// WarningKind says what is wrong with a day; it is a stable code from which the UI builds its
// sentence.
type WarningKind string

const (
	WarningHoliday       WarningKind = "holiday"        // a public holiday of the cohort's département
	WarningWeekend       WarningKind = "weekend"        // a Saturday or a Sunday
	WarningOutsidePeriod WarningKind = "outside_period" // before the cohort's start or after its end
	WarningDuplicate     WarningKind = "duplicate"      // the calendar holds this date more than once
)

// Warning is one thing a manager should look at before publishing a calendar. Warnings do not
// forbid anything: a cohort may choose to meet on a Saturday.
type Warning struct {
	Date    Date
	Kind    WarningKind
	Holiday string // the holiday's name as package holidays gives it, for WarningHoliday
}

// Check lists the warnings of a cohort's days, by date, then in the order of the kinds above;
// a date held twice is checked once and gets one WarningDuplicate. A zero periodStart or
// periodEnd leaves that side of the period open. departement is an INSEE code ("57" adds
// Alsace-Moselle's Good Friday and 26 December); "" checks the national holidays only.
func Check(days []Date, periodStart, periodEnd Date, departement string) []Warning {
	counts := make(map[Date]int, len(days))
	for _, d := range days {
		counts[d]++
	}
	var warnings []Warning
	for _, d := range slices.SortedFunc(maps.Keys(counts), Date.Compare) {
		if h, ok := holidays.Is(d.Time(), departement); ok {
			warnings = append(warnings, Warning{Date: d, Kind: WarningHoliday, Holiday: h.Name})
		}
		if weekend(d) {
			warnings = append(warnings, Warning{Date: d, Kind: WarningWeekend})
		}
		if !periodStart.IsZero() && d.Before(periodStart) || !periodEnd.IsZero() && d.After(periodEnd) {
			warnings = append(warnings, Warning{Date: d, Kind: WarningOutsidePeriod})
		}
		if counts[d] > 1 {
			warnings = append(warnings, Warning{Date: d, Kind: WarningDuplicate})
		}
	}
	return warnings
}
