package ical_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os/exec"
	"testing"
	"time"

	"parcours/internal/ical"
	"parcours/internal/testkit"
)

// These tests read the documents back with ical.js (testdata/read.mjs), a parser written
// independently of this package, and check that it sees the instants and texts we meant.

// parsed is an event as ical.js reads it.
type parsed struct {
	UID         string `json:"uid"`
	Sequence    int    `json:"sequence"`
	Summary     string `json:"summary"`
	Location    string `json:"location"`
	Description string `json:"description"`
	Status      string `json:"status"`
	Start       int64  `json:"start"` // UTC epoch milliseconds
	End         int64  `json:"end"`
	StartZone   string `json:"startZone"` // the zone ical.js resolved the time in
	EndZone     string `json:"endZone"`
}

// readWithICALJS returns the events of doc as ical.js reads them, by UID.
func readWithICALJS(t *testing.T, doc []byte) map[string]parsed {
	t.Helper()
	node, err := exec.LookPath("node")
	if err != nil {
		testkit.Missing(t, "node", "apt-get install nodejs")
	}
	cmd := exec.Command(node, "testdata/read.mjs")
	cmd.Stdin = bytes.NewReader(doc)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("ical.js could not read the document: %v\n%s\n%s", err, stderr.Bytes(), doc)
	}
	var got struct{ Events []parsed }
	if err := json.Unmarshal(out, &got); err != nil {
		t.Fatalf("read.mjs printed %q: %v", out, err)
	}
	byUID := make(map[string]parsed, len(got.Events))
	for _, p := range got.Events {
		byUID[p.UID] = p
	}
	if len(byUID) != len(got.Events) {
		t.Errorf("ical.js read %d events under %d UIDs", len(got.Events), len(byUID))
	}
	return byUID
}

// checkRead writes c, reads it with ical.js, compares every event to what was meant and
// returns what ical.js read.
func checkRead(t *testing.T, c ical.Calendar) map[string]parsed {
	t.Helper()
	doc, err := c.Bytes()
	if err != nil {
		t.Fatal(err)
	}
	got := readWithICALJS(t, doc)
	if len(got) != len(c.Events) {
		t.Errorf("ical.js read %d events, want %d", len(got), len(c.Events))
	}
	for _, e := range c.Events {
		p, ok := got[e.UID]
		if !ok {
			t.Errorf("%s: not read", e.UID)
			continue
		}
		status := "CONFIRMED"
		if e.Cancelled {
			status = "CANCELLED"
		}
		want := parsed{
			UID: e.UID, Sequence: e.Sequence, Summary: e.Summary, Location: e.Location,
			Description: e.Description, Status: status,
			Start: e.Start.UnixMilli(), End: e.End.UnixMilli(),
			StartZone: p.StartZone, EndZone: p.EndZone,
		}
		if p != want {
			t.Errorf("%s: ical.js read\n%s\nwant\n%s", e.UID, describe(p), describe(want))
		}
		// A time whose TZID found no VTIMEZONE is floating: ical.js would take it as UTC.
		if z := c.Zone.String(); p.StartZone != z && p.StartZone != "UTC" || p.EndZone != z && p.EndZone != "UTC" {
			t.Errorf("%s: times read in zones %q and %q, want %s (or UTC)", e.UID, p.StartZone, p.EndZone, z)
		}
	}
	return got
}

func describe(p parsed) string {
	return fmt.Sprintf("%+v\nstart %s, end %s", p,
		time.UnixMilli(p.Start).UTC().Format(time.RFC3339), time.UnixMilli(p.End).UTC().Format(time.RFC3339))
}

// instant parses an RFC 3339 time, so that the tables state each instant with its offset.
func instant(t *testing.T, s string) time.Time {
	t.Helper()
	v, err := time.Parse(time.RFC3339, s)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func TestICALJSReadsParisAcrossClockChanges(t *testing.T) {
	t.Parallel()
	// Each pair is a start and an end with the offset in force, checked against Go's zone
	// data below so that the table cannot drift from it.
	tests := []struct {
		name, start, end string
	}{
		{"2026 winter", "2026-01-12T09:00:00+01:00", "2026-01-12T12:30:00+01:00"},
		{"2026 summer", "2026-07-06T13:30:00+02:00", "2026-07-06T17:00:00+02:00"},
		{"2026 Saturday before spring change", "2026-03-28T13:30:00+01:00", "2026-03-28T17:00:00+01:00"},
		{"2026 spring change, before", "2026-03-29T00:30:00+01:00", "2026-03-29T01:30:00+01:00"},
		{"2026 spring change, across", "2026-03-29T01:30:00+01:00", "2026-03-29T03:30:00+02:00"},
		{"2026 spring change, after", "2026-03-29T03:00:00+02:00", "2026-03-29T04:00:00+02:00"},
		{"2026 morning after spring change", "2026-03-30T09:00:00+02:00", "2026-03-30T12:30:00+02:00"},
		{"2026 Saturday before autumn change", "2026-10-24T13:30:00+02:00", "2026-10-24T17:00:00+02:00"},
		{"2026 autumn change, before", "2026-10-25T01:00:00+02:00", "2026-10-25T02:00:00+02:00"},
		{"2026 autumn change, repeated hour", "2026-10-25T02:30:00+02:00", "2026-10-25T02:30:00+01:00"},
		{"2026 autumn change, across", "2026-10-25T01:30:00+02:00", "2026-10-25T03:30:00+01:00"},
		{"2026 autumn change, after", "2026-10-25T03:00:00+01:00", "2026-10-25T04:00:00+01:00"},
		{"2026 morning after autumn change", "2026-10-26T09:00:00+01:00", "2026-10-26T12:30:00+01:00"},
		{"2027 winter", "2027-02-15T09:00:00+01:00", "2027-02-15T12:30:00+01:00"},
		{"2027 spring change, across", "2027-03-28T01:30:00+01:00", "2027-03-28T03:30:00+02:00"},
		{"2027 morning after spring change", "2027-03-29T09:00:00+02:00", "2027-03-29T12:30:00+02:00"},
		{"2027 summer", "2027-08-23T13:30:00+02:00", "2027-08-23T17:00:00+02:00"},
		{"2027 autumn change, repeated hour", "2027-10-31T02:30:00+02:00", "2027-10-31T02:30:00+01:00"},
		{"2027 morning after autumn change", "2027-11-01T09:00:00+01:00", "2027-11-01T12:30:00+01:00"},
		{"2028 spring change, after", "2028-03-26T03:00:00+02:00", "2028-03-26T04:00:00+02:00"},
		{"2028 morning after spring change", "2028-03-27T09:00:00+02:00", "2028-03-27T12:30:00+02:00"},
		{"2028 autumn change, repeated hour", "2028-10-29T02:30:00+02:00", "2028-10-29T02:30:00+01:00"},
		{"2028 morning after autumn change", "2028-10-30T09:00:00+01:00", "2028-10-30T12:30:00+01:00"},
		{"2028 last evening", "2028-12-31T22:00:00+01:00", "2029-01-01T01:00:00+01:00"},
	}
	paris := zone(t, "Europe/Paris")
	c := ical.Calendar{Name: "Paris", Zone: paris}
	for i, tt := range tests {
		start, end := instant(t, tt.start), instant(t, tt.end)
		for _, v := range []time.Time{start, end} {
			if _, off := v.In(paris).Zone(); off != offsetOf(v) {
				t.Fatalf("%s: %s is not Paris time", tt.name, v.Format(time.RFC3339))
			}
		}
		c.Events = append(c.Events, ical.Event{UID: fmt.Sprintf("paris-%02d@parcours", i), Sequence: i % 3,
			Start: start, End: end, Summary: tt.name, Stamp: stamp})
	}
	doc, err := c.Bytes()
	if err != nil {
		t.Fatal(err)
	}
	// The repeated hour is the one place written in UTC; everything else names the zone.
	if !bytes.Contains(doc, []byte("DTSTART:20261025T003000Z\r\nDTEND:20261025T013000Z\r\n")) {
		t.Errorf("the event in the repeated hour is not written in UTC:\n%s", doc)
	}
	checkRead(t, c)
}

func offsetOf(t time.Time) int {
	_, off := t.Zone()
	return off
}

// cohortDays returns n weekdays spread over 16 months from October 2026 to January 2028.
func cohortDays(loc *time.Location, n int) []time.Time {
	first := time.Date(2026, time.October, 5, 0, 0, 0, 0, loc)
	var days []time.Time
	for i := range n {
		d := first.AddDate(0, 0, 12*i)
		switch d.Weekday() {
		case time.Saturday:
			d = d.AddDate(0, 0, 2)
		case time.Sunday:
			d = d.AddDate(0, 0, 1)
		}
		days = append(days, d)
	}
	return days
}

func TestICALJSReadsCohort(t *testing.T) {
	t.Parallel()
	paris := zone(t, "Europe/Paris")
	days := cohortDays(paris, 39)
	if first, last := days[0], days[len(days)-1]; first.Format("2006-01") != "2026-10" || last.Format("2006-01") != "2028-01" {
		t.Fatalf("cohort runs from %s to %s, want October 2026 to January 2028", first, last)
	}
	c := ical.Calendar{Name: "Cohorte Paris 2026-2028", Zone: paris, Method: ical.MethodPublish}
	for _, d := range days {
		for _, half := range []struct{ name, from, to string }{{"matin", "09:00", "12:30"}, {"après-midi", "13:30", "17:00"}} {
			start, end := at(t, d, half.from, paris), at(t, d, half.to, paris)
			c.Events = append(c.Events, ical.Event{UID: fmt.Sprintf("cohorte-%s-%s@parcours", d.Format("20060102"), half.from),
				Start: start, End: end, Summary: "Formation, " + half.name, Location: "Salle 2; bâtiment B", Stamp: stamp})
		}
	}
	if len(c.Events) != 78 {
		t.Fatalf("%d half-days, want 78", len(c.Events))
	}
	checkRead(t, c)
}

// at returns the instant at which the clock in loc shows hhmm ("15:04") on the given day.
func at(t *testing.T, day time.Time, hhmm string, loc *time.Location) time.Time {
	t.Helper()
	clock, err := time.Parse("15:04", hhmm)
	if err != nil {
		t.Fatal(err)
	}
	y, m, d := day.Date()
	return time.Date(y, m, d, clock.Hour(), clock.Minute(), 0, 0, loc)
}

func TestICALJSReadsZonesWithoutDaylightSaving(t *testing.T) {
	t.Parallel()
	for _, name := range []string{"America/Cayenne", "Indian/Reunion", "Pacific/Noumea", "America/Martinique"} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			loc := zone(t, name)
			c := ical.Calendar{Zone: loc}
			// Winter and summer of the metropole, and times whose UTC date is another day.
			for i, day := range []time.Time{time.Date(2026, 1, 12, 0, 0, 0, 0, loc), time.Date(2026, 7, 6, 0, 0, 0, 0, loc),
				time.Date(2027, 3, 29, 0, 0, 0, 0, loc), time.Date(2027, 10, 31, 0, 0, 0, 0, loc)} {
				for j, span := range [][2]string{{"00:30", "02:00"}, {"09:00", "12:30"}, {"13:30", "17:00"}, {"22:00", "23:30"}} {
					c.Events = append(c.Events, ical.Event{UID: fmt.Sprintf("%d-%d@parcours", i, j),
						Start: at(t, day, span[0], loc), End: at(t, day, span[1], loc), Summary: name, Stamp: stamp})
				}
			}
			checkRead(t, c)
		})
	}
}

// Morocco suspends daylight saving time for Ramadan, which moves each year: its changes
// cannot be written as a yearly rule and are listed as RDATEs.
func TestICALJSReadsZoneWithoutYearlyRule(t *testing.T) {
	t.Parallel()
	casablanca := zone(t, "Africa/Casablanca")
	c := ical.Calendar{Zone: casablanca}
	for day := time.Date(2026, 1, 1, 0, 0, 0, 0, casablanca); day.Year() < 2028; day = day.AddDate(0, 0, 1) {
		// The first of each month, and each day the clock changes.
		if day.Day() != 1 && offsetOf(day) == offsetOf(day.Add(24*time.Hour-time.Second)) {
			continue
		}
		// 02:30 falls in the hour skipped or repeated by the changes; an hour long, so that
		// it never ends before it starts when it falls in a skipped hour.
		for _, from := range []string{"02:30", "09:00"} {
			c.Events = append(c.Events, event(day.Format("20060102-")+from+"@parcours", at(t, day, from, casablanca), time.Hour))
		}
	}
	doc, err := c.Bytes()
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(doc, []byte("\r\nRDATE:")) || bytes.Contains(doc, []byte("\r\nRRULE:")) {
		t.Errorf("Casablanca's changes are not written as RDATEs:\n%s", doc)
	}
	checkRead(t, c)
}

func TestICALJSReadsTexts(t *testing.T) {
	t.Parallel()
	cayenne := zone(t, "America/Cayenne")
	start := time.Date(2026, 9, 14, 9, 0, 0, 0, cayenne)
	texts := []struct{ summary, location, description string }{
		{"Atelier « CV & lettre » : rédaction, relecture; entretien",
			"Salle 3, 12 rue de l’Église; 97300 Cayenne",
			"Apporter :\n- une pièce d’identité;\n- le CV, imprimé.\n\nDossier : C:\\Parcours\\CV\\"},
		{longFrench, longFrench, longFrench + "\n" + longFrench},
		{"Réunion ; bilan, œuvre, cœur — 🎓", "", "Ligne 1\nLigne 2\n"},
		{`\n n'est pas un saut de ligne, \, non plus`, `;;;,,,\\\`, "\n\n"},
		{"", "", ""},
	}
	c := ical.Calendar{Name: "Cohorte « Guyane », 2026; promo 1", Zone: cayenne}
	for i, x := range texts {
		e := event(fmt.Sprintf("texte-%d@parcours", i), start.AddDate(0, 0, i), 3*time.Hour)
		e.Summary, e.Location, e.Description = x.summary, x.location, x.description
		c.Events = append(c.Events, e)
	}
	cancelled := event("annule@parcours", start.AddDate(0, 1, 0), time.Hour)
	cancelled.Summary, cancelled.Cancelled = "Séance annulée, reportée", true
	c.Events = append(c.Events, cancelled)
	checkRead(t, c)
}

func TestICALJSReadsEditedEvent(t *testing.T) {
	t.Parallel()
	paris := zone(t, "Europe/Paris")
	first := event("seance-42@parcours", time.Date(2026, 3, 27, 9, 0, 0, 0, paris), 3*time.Hour+30*time.Minute)
	first.Location = "Salle 1"
	edited := first
	edited.Start = time.Date(2026, 3, 30, 13, 30, 0, 0, paris) // moved across the spring change
	edited.End = edited.Start.Add(3*time.Hour + 30*time.Minute)
	edited.Location = "Salle 4"
	edited.Sequence = first.Sequence + 1
	edited.Stamp = stamp.Add(48 * time.Hour)

	before := ical.Calendar{Zone: paris, Method: ical.MethodPublish, Events: []ical.Event{first}}
	after := ical.Calendar{Zone: paris, Method: ical.MethodPublish, Events: []ical.Event{edited}}
	checkRead(t, before)
	got := checkRead(t, after)[first.UID]
	if got.UID != first.UID || got.Sequence != 1 || got.Start != edited.Start.UnixMilli() || got.Location != "Salle 4" {
		t.Errorf("edited event read as %+v, want UID %s, sequence 1, the new time and place", got, first.UID)
	}
}
