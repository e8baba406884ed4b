package ical_test

import (
	"bytes"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"parcours/internal/ical"
)

// stamp is the DTSTAMP of every test event: a fixed value, as the package asks.
var stamp = time.Date(2026, time.June, 1, 8, 0, 0, 0, time.UTC)

func zone(t testing.TB, name string) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation(name)
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

// event returns a valid event lasting d from start.
func event(uid string, start time.Time, d time.Duration) ical.Event {
	return ical.Event{UID: uid, Start: start, End: start.Add(d), Summary: "Atelier", Stamp: stamp}
}

func document(t testing.TB, c ical.Calendar) string {
	t.Helper()
	b, err := c.Bytes()
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// unfold joins folded lines and returns the logical content lines.
func unfold(doc string) []string {
	doc = strings.ReplaceAll(doc, "\r\n ", "")
	return strings.Split(strings.TrimSuffix(doc, "\r\n"), "\r\n")
}

// values returns the values of every content line named name (without parameters).
func values(doc, name string) []string {
	var out []string
	for _, l := range unfold(doc) {
		if v, ok := strings.CutPrefix(l, name+":"); ok {
			out = append(out, v)
		}
	}
	return out
}

func TestTextEscaping(t *testing.T) {
	paris := zone(t, "Europe/Paris")
	tests := []struct {
		name, in, want string
	}{
		{"plain", "Atelier CV", "Atelier CV"},
		{"comma", "CV, lettre", `CV\, lettre`},
		{"semicolon", "CV; lettre", `CV\; lettre`},
		{"backslash", `C:\dossier`, `C:\\dossier`},
		{"colon kept", "Salle : 3", "Salle : 3"},
		{"newline", "ligne 1\nligne 2", `ligne 1\nligne 2`},
		{"CRLF", "ligne 1\r\nligne 2", `ligne 1\nligne 2`},
		{"CR", "ligne 1\rligne 2", `ligne 1\nligne 2`},
		{"tab kept", "a\tb", "a\tb"},
		{"control characters dropped", "a\x00b\x07c\x1bd\x7fe", "abcde"},
		{"invalid UTF-8 replaced", "caf\xe9", "caf\uFFFD"},
		{"accents", "Église, œuvre ’s", `Église\, œuvre ’s`},
		{"all at once", "a,b;c\\d\ne", `a\,b\;c\\d\ne`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := event("a@parcours", time.Date(2026, 3, 2, 9, 0, 0, 0, paris), time.Hour)
			e.Summary, e.Location, e.Description = tt.in, tt.in, tt.in
			doc := document(t, ical.Calendar{Zone: paris, Name: tt.in, Events: []ical.Event{e}})
			for _, name := range []string{"SUMMARY", "LOCATION", "DESCRIPTION", "X-WR-CALNAME"} {
				if got := values(doc, name); len(got) != 1 || got[0] != tt.want {
					t.Errorf("%s = %q, want [%q]", name, got, tt.want)
				}
			}
		})
	}
}

// French text that folds in the middle of two- and three-octet characters and an emoji.
const longFrench = "Séance d’accompagnement : rédaction du curriculum vitæ, préparation à l’entretien " +
	"d’embauche, œuvre collective « élève → employé » 🎓 — réévaluation, récépissé, " +
	"déjà-vu, cœur, sœur, nœud, œil, ’’’’’’’’’’’’’’’’’’’’’’’’’’’’, éééééééééééééééééééééééééééééééé, " +
	"🎓🎓🎓🎓🎓🎓🎓🎓🎓🎓🎓🎓🎓🎓🎓🎓🎓🎓🎓🎓🎓🎓🎓🎓🎓 fin."

func TestFolding(t *testing.T) {
	paris := zone(t, "Europe/Paris")
	// Every offset of the text against the fold, so that each kind of character meets it.
	for shift := range 4 {
		e := event("a@parcours", time.Date(2026, 3, 2, 9, 0, 0, 0, paris), time.Hour)
		e.Summary = strings.Repeat("x", shift) + longFrench
		e.Description = strings.Repeat("y", shift) + longFrench + "\n" + longFrench
		doc := document(t, ical.Calendar{Zone: paris, Events: []ical.Event{e}})

		folded := 0
		for i, l := range strings.Split(strings.TrimSuffix(doc, "\r\n"), "\r\n") {
			if len(l) > 75 {
				t.Errorf("shift %d: line %d has %d octets: %q", shift, i+1, len(l), l)
			}
			if !utf8.ValidString(l) {
				t.Errorf("shift %d: line %d splits a UTF-8 sequence: %q", shift, i+1, l)
			}
			if strings.HasPrefix(l, " ") {
				folded++
			}
		}
		if folded < 10 {
			t.Errorf("shift %d: %d continuation lines, want the long values folded", shift, folded)
		}
		want := strings.ReplaceAll(strings.ReplaceAll(e.Summary, ",", `\,`), "\n", `\n`)
		if got := values(doc, "SUMMARY"); len(got) != 1 || got[0] != want {
			t.Errorf("shift %d: SUMMARY unfolds to %q, want %q", shift, got, want)
		}
		want = strings.ReplaceAll(strings.ReplaceAll(e.Description, ",", `\,`), "\n", `\n`)
		if got := values(doc, "DESCRIPTION"); len(got) != 1 || got[0] != want {
			t.Errorf("shift %d: DESCRIPTION unfolds to %q, want %q", shift, got, want)
		}
	}
}

func TestLineEndings(t *testing.T) {
	paris := zone(t, "Europe/Paris")
	e := event("a@parcours", time.Date(2026, 3, 2, 9, 0, 0, 0, paris), time.Hour)
	e.Description = "ligne 1\nligne 2\r\nligne 3\r" + longFrench
	doc := document(t, ical.Calendar{Zone: paris, Events: []ical.Event{e}})
	if !strings.HasSuffix(doc, "END:VCALENDAR\r\n") {
		t.Errorf("document does not end with END:VCALENDAR and CRLF: %q", doc[len(doc)-20:])
	}
	if n := strings.Count(doc, "\n"); n != strings.Count(doc, "\r\n") || n != strings.Count(doc, "\r") {
		t.Errorf("document has a CR or LF outside a CRLF pair:\n%q", doc)
	}
}

func TestEventsSortedByStartThenUID(t *testing.T) {
	paris := zone(t, "Europe/Paris")
	day := time.Date(2026, 3, 2, 9, 0, 0, 0, paris)
	events := []ical.Event{
		event("d@parcours", day.Add(4*time.Hour), time.Hour),
		event("c@parcours", day, 2*time.Hour),
		event("b@parcours", day.AddDate(0, 0, -1), time.Hour),
		event("a@parcours", day, time.Hour),
	}
	given := []string{"d@parcours", "c@parcours", "b@parcours", "a@parcours"}
	doc := document(t, ical.Calendar{Zone: paris, Events: events})
	got := values(doc, "UID")
	want := []string{"b@parcours", "a@parcours", "c@parcours", "d@parcours"}
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("UIDs in order %q, want %q", got, want)
	}
	for i, e := range events {
		if e.UID != given[i] {
			t.Fatalf("Bytes reordered the caller's events: %q at %d", e.UID, i)
		}
	}
}

func TestInvalidCalendars(t *testing.T) {
	paris := zone(t, "Europe/Paris")
	start := time.Date(2026, 3, 2, 9, 0, 0, 0, paris)
	valid := event("a@parcours", start, time.Hour)
	with := func(change func(*ical.Event)) []ical.Event {
		e := valid
		change(&e)
		return []ical.Event{e}
	}
	tests := []struct {
		name string
		cal  ical.Calendar
	}{
		{"no zone", ical.Calendar{Events: []ical.Event{valid}}},
		{"time.Local", ical.Calendar{Zone: time.Local, Events: []ical.Event{valid}}},
		{"no zone and no event", ical.Calendar{}},
		{"method REQUEST", ical.Calendar{Zone: paris, Method: "REQUEST", Events: []ical.Event{valid}}},
		{"method in lower case", ical.Calendar{Zone: paris, Method: "publish", Events: []ical.Event{valid}}},
		{"empty UID", ical.Calendar{Zone: paris, Events: with(func(e *ical.Event) { e.UID = "" })}},
		{"duplicate UID", ical.Calendar{Zone: paris, Events: []ical.Event{valid, event("a@parcours", start.Add(24*time.Hour), time.Hour)}}},
		{"no start", ical.Calendar{Zone: paris, Events: with(func(e *ical.Event) { e.Start = time.Time{} })}},
		{"no end", ical.Calendar{Zone: paris, Events: with(func(e *ical.Event) { e.End = time.Time{} })}},
		{"end before start", ical.Calendar{Zone: paris, Events: with(func(e *ical.Event) { e.End = e.Start.Add(-time.Minute) })}},
		{"end at start", ical.Calendar{Zone: paris, Events: with(func(e *ical.Event) { e.End = e.Start })}},
		{"zero stamp", ical.Calendar{Zone: paris, Events: with(func(e *ical.Event) { e.Stamp = time.Time{} })}},
		{"negative sequence", ical.Calendar{Zone: paris, Events: with(func(e *ical.Event) { e.Sequence = -1 })}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if b, err := tt.cal.Bytes(); err == nil {
				t.Fatalf("Bytes gave no error and %d octets", len(b))
			}
			var buf bytes.Buffer
			if err := tt.cal.Write(&buf); err == nil || buf.Len() != 0 {
				t.Errorf("Write: error %v, %d octets written; want an error and nothing", err, buf.Len())
			}
		})
	}
}

func TestContentType(t *testing.T) {
	feed := ical.Calendar{}
	if got, want := feed.ContentType(), "text/calendar; charset=utf-8"; got != want {
		t.Errorf("feed: %q, want %q", got, want)
	}
	attachment := ical.Calendar{Method: ical.MethodPublish}
	if got, want := attachment.ContentType(), "text/calendar; charset=utf-8; method=PUBLISH"; got != want {
		t.Errorf("attachment: %q, want %q", got, want)
	}
}

func TestSameInputSameBytes(t *testing.T) {
	paris := zone(t, "Europe/Paris")
	day := time.Date(2026, 10, 24, 9, 0, 0, 0, paris)
	var events []ical.Event
	for i, uid := range []string{"c@parcours", "a@parcours", "b@parcours"} {
		e := event(uid, day.AddDate(0, 0, i), time.Hour)
		e.Description = longFrench
		events = append(events, e)
	}
	reversed := []ical.Event{events[2], events[1], events[0]}
	first := document(t, ical.Calendar{Name: "Cohorte", Zone: paris, Events: events})
	again := document(t, ical.Calendar{Name: "Cohorte", Zone: zone(t, "Europe/Paris"), Events: reversed})
	if first != again {
		t.Errorf("same calendar, different bytes:\n%s\n---\n%s", first, again)
	}
	var w bytes.Buffer
	if err := (ical.Calendar{Name: "Cohorte", Zone: paris, Events: events}).Write(&w); err != nil || w.String() != first {
		t.Errorf("Write differs from Bytes (error %v)", err)
	}
}

func TestStatus(t *testing.T) {
	paris := zone(t, "Europe/Paris")
	start := time.Date(2026, 3, 2, 9, 0, 0, 0, paris)
	kept := event("a@parcours", start, time.Hour)
	cancelled := event("b@parcours", start.Add(time.Hour), time.Hour)
	cancelled.Cancelled = true
	doc := document(t, ical.Calendar{Zone: paris, Events: []ical.Event{cancelled, kept}})
	if got := values(doc, "STATUS"); len(got) != 2 || got[0] != "CONFIRMED" || got[1] != "CANCELLED" {
		t.Errorf("STATUS values %q, want [CONFIRMED CANCELLED]", got)
	}
}

func TestNoEvents(t *testing.T) {
	tests := []struct {
		name string
		cal  ical.Calendar
		want string
	}{
		{"feed", ical.Calendar{Name: "Cohorte 2026, Cayenne", Zone: zone(t, "America/Cayenne")},
			"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Parcours//Parcours//FR\r\nCALSCALE:GREGORIAN\r\n" +
				"X-WR-CALNAME:Cohorte 2026\\, Cayenne\r\nX-WR-TIMEZONE:America/Cayenne\r\nEND:VCALENDAR\r\n"},
		{"attachment", ical.Calendar{Zone: time.UTC, Method: ical.MethodPublish},
			"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Parcours//Parcours//FR\r\nCALSCALE:GREGORIAN\r\n" +
				"METHOD:PUBLISH\r\nX-WR-TIMEZONE:UTC\r\nEND:VCALENDAR\r\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := document(t, tt.cal); got != tt.want {
				t.Errorf("got\n%q\nwant\n%q", got, tt.want)
			}
		})
	}
}

func TestDateTimes(t *testing.T) {
	paris := zone(t, "Europe/Paris")
	tests := []struct {
		name       string
		start, end time.Time
		want       []string // DTSTART and DTEND lines
	}{
		{"winter", time.Date(2026, 1, 12, 9, 0, 0, 0, paris), time.Date(2026, 1, 12, 12, 30, 0, 0, paris),
			[]string{"DTSTART;TZID=Europe/Paris:20260112T090000", "DTEND;TZID=Europe/Paris:20260112T123000"}},
		{"given in another zone", time.Date(2026, 7, 6, 7, 0, 0, 0, time.UTC), time.Date(2026, 7, 6, 10, 30, 59, 999, time.UTC),
			[]string{"DTSTART;TZID=Europe/Paris:20260706T090000", "DTEND;TZID=Europe/Paris:20260706T123059"}},
		{"October repeated hour, first and second time", time.Date(2026, 10, 25, 0, 30, 0, 0, time.UTC), time.Date(2026, 10, 25, 1, 30, 0, 0, time.UTC),
			[]string{"DTSTART:20261025T003000Z", "DTEND:20261025T013000Z"}},
		{"around the repeated hour", time.Date(2026, 10, 25, 1, 59, 59, 0, paris), time.Date(2026, 10, 25, 3, 0, 0, 0, paris),
			[]string{"DTSTART;TZID=Europe/Paris:20261025T015959", "DTEND;TZID=Europe/Paris:20261025T030000"}},
		{"across the March gap", time.Date(2026, 3, 29, 1, 30, 0, 0, paris), time.Date(2026, 3, 29, 3, 30, 0, 0, paris),
			[]string{"DTSTART;TZID=Europe/Paris:20260329T013000", "DTEND;TZID=Europe/Paris:20260329T033000"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := ical.Event{UID: "a@parcours", Start: tt.start, End: tt.end, Stamp: stamp}
			doc := document(t, ical.Calendar{Zone: paris, Events: []ical.Event{e}})
			var got []string
			_, vevent, _ := strings.Cut(doc, "BEGIN:VEVENT") // past the VTIMEZONE's own DTSTARTs
			for _, l := range unfold(vevent) {
				if strings.HasPrefix(l, "DTSTART") || strings.HasPrefix(l, "DTEND") {
					got = append(got, l)
				}
			}
			if strings.Join(got, "\n") != strings.Join(tt.want, "\n") {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}
