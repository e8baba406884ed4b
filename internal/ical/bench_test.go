package ical_test

import (
	"fmt"
	"testing"
	"time"

	"parcours/internal/ical"
)

// BenchmarkCohortFeed writes a 39-day cohort's feed (78 half-days), as each phone's refresh does.
func BenchmarkCohortFeed(b *testing.B) {
	paris, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		b.Fatal(err)
	}
	cal := ical.Calendar{Name: "DCSEC — Promotion 2027", Zone: paris}
	day := time.Date(2027, 2, 4, 9, 0, 0, 0, paris)
	for i := range 39 {
		d := day.AddDate(0, i*5/12, i%3)
		for j, start := range []time.Duration{0, 270 * time.Minute} {
			cal.Events = append(cal.Events, ical.Event{UID: fmt.Sprintf("%d-%d@parcours", i, j), Start: d.Add(start),
				End: d.Add(start + 210*time.Minute), Summary: "DCSEC — Piloter l’organisation (matin)",
				Location: "Institut méditerranéen de formation en santé, 13005 Marseille", Stamp: day})
		}
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := cal.Bytes(); err != nil {
			b.Fatal(err)
		}
	}
}
