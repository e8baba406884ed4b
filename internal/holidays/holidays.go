// Package holidays computes French public holidays (jours fériés) so that
// sessions are not planned on them, including local ones for Alsace-Moselle
// and the overseas départements.
//
// The current rules are applied to every year, including years before they
// were enacted (8 May since 1981, abolition days since 1983).
package holidays

import (
	"slices"
	"strings"
	"time"
)

// Holiday is one public holiday.
type Holiday struct {
	Date time.Time // midnight UTC of the civil date
	Name string    // French name, e.g. "Lundi de Pâques"
}

// Easter returns Easter Sunday of a Gregorian year (anonymous Gregorian
// computus, a.k.a. Meeus/Jones/Butcher), at midnight UTC.
func Easter(year int) time.Time {
	a := year % 19
	b, c := year/100, year%100
	d, e := b/4, b%4
	f := (b + 8) / 25
	g := (b - f + 1) / 3
	h := (19*a + b - d - g + 15) % 30
	i, k := c/4, c%4
	l := (32 + 2*e + 2*i - h - k) % 7
	m := (a + 11*h + 22*l) / 451
	month := (h + l - 7*m + 114) / 31
	day := (h+l-7*m+114)%31 + 1
	return civil(year, time.Month(month), day)
}

// abolition holds each overseas département's day commemorating the abolition of slavery.
var abolition = map[string]struct {
	month time.Month
	day   int
}{
	"971": {time.May, 27},
	"972": {time.May, 22},
	"973": {time.June, 10},
	"974": {time.December, 20},
	"976": {time.April, 27},
}

// ForYear lists the holidays of a year in date order; an empty département gives the national list only.
func ForYear(year int, departement string) []Holiday {
	easter := Easter(year)
	days := []Holiday{
		{civil(year, time.January, 1), "Jour de l'an"},
		{easter.AddDate(0, 0, 1), "Lundi de Pâques"},
		{civil(year, time.May, 1), "Fête du Travail"},
		{civil(year, time.May, 8), "Victoire 1945"},
		{easter.AddDate(0, 0, 39), "Ascension"},
		{easter.AddDate(0, 0, 50), "Lundi de Pentecôte"},
		{civil(year, time.July, 14), "Fête nationale"},
		{civil(year, time.August, 15), "Assomption"},
		{civil(year, time.November, 1), "Toussaint"},
		{civil(year, time.November, 11), "Armistice 1918"},
		{civil(year, time.December, 25), "Noël"},
	}
	switch dep := strings.ToUpper(strings.TrimSpace(departement)); dep {
	case "57", "67", "68": // Alsace-Moselle keeps its local law.
		days = append(days,
			Holiday{easter.AddDate(0, 0, -2), "Vendredi saint"},
			Holiday{civil(year, time.December, 26), "Saint-Étienne"},
		)
	default:
		if a, ok := abolition[dep]; ok {
			days = append(days, Holiday{civil(year, a.month, a.day), "Abolition de l'esclavage"})
		}
	}
	slices.SortStableFunc(days, func(a, b Holiday) int { return a.Date.Compare(b.Date) })
	return days
}

// Is tells whether the civil date of t, read in t's own location, is a holiday.
func Is(t time.Time, departement string) (Holiday, bool) {
	y, m, d := t.Date()
	day := civil(y, m, d)
	for _, h := range ForYear(y, departement) {
		if h.Date.Equal(day) {
			return h, true
		}
	}
	return Holiday{}, false
}

func civil(year int, month time.Month, day int) time.Time {
	return time.Date(year, month, day, 0, 0, 0, 0, time.UTC)
}
