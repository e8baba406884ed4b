package localtime

import (
	"errors"
	"strings"
	"testing"
	"time"
)

func zone(t *testing.T, name string) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation(name)
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

func TestInstant(t *testing.T) {
	cases := []struct {
		name         string
		zone         string
		y            int
		m            time.Month
		d, hour, min int
		want         string // RFC 3339, UTC
		nonexistent  bool
		invalid      string // the ParseError part
	}{
		{name: "Paris winter", zone: "Europe/Paris", y: 2026, m: time.January, d: 15, hour: 9, min: 30, want: "2026-01-15T08:30:00Z"},
		{name: "Paris summer", zone: "Europe/Paris", y: 2026, m: time.June, d: 30, hour: 17, want: "2026-06-30T15:00:00Z"},
		{name: "Paris spring gap", zone: "Europe/Paris", y: 2026, m: time.March, d: 29, hour: 2, min: 30, nonexistent: true},
		{name: "Paris spring gap start", zone: "Europe/Paris", y: 2026, m: time.March, d: 29, hour: 2, nonexistent: true},
		{name: "Paris just before the gap", zone: "Europe/Paris", y: 2026, m: time.March, d: 29, hour: 1, min: 59, want: "2026-03-29T00:59:00Z"},
		{name: "Paris end of the gap", zone: "Europe/Paris", y: 2026, m: time.March, d: 29, hour: 3, want: "2026-03-29T01:00:00Z"},
		{name: "Paris autumn overlap takes the earlier (CEST)", zone: "Europe/Paris", y: 2026, m: time.October, d: 25, hour: 2, min: 30, want: "2026-10-25T00:30:00Z"},
		{name: "Paris autumn overlap start", zone: "Europe/Paris", y: 2026, m: time.October, d: 25, hour: 2, want: "2026-10-25T00:00:00Z"},
		{name: "Paris after the overlap", zone: "Europe/Paris", y: 2026, m: time.October, d: 25, hour: 3, want: "2026-10-25T02:00:00Z"},
		{name: "Paris midnight", zone: "Europe/Paris", y: 2026, m: time.December, d: 31, want: "2026-12-30T23:00:00Z"},
		{name: "Réunion, UTC+4 without DST", zone: "Indian/Reunion", y: 2026, m: time.June, d: 30, hour: 17, want: "2026-06-30T13:00:00Z"},
		{name: "Réunion on Paris' gap day", zone: "Indian/Reunion", y: 2026, m: time.March, d: 29, hour: 2, min: 30, want: "2026-03-28T22:30:00Z"},
		{name: "Guyane, UTC-3", zone: "America/Cayenne", y: 2026, m: time.March, d: 15, hour: 17, want: "2026-03-15T20:00:00Z"},
		{name: "Guadeloupe, UTC-4", zone: "America/Guadeloupe", y: 2026, m: time.November, d: 2, hour: 23, min: 15, want: "2026-11-03T03:15:00Z"},
		{name: "Mayotte, UTC+3", zone: "Indian/Mayotte", y: 2026, m: time.October, d: 25, hour: 2, min: 30, want: "2026-10-24T23:30:00Z"},
		{name: "30 February", zone: "Europe/Paris", y: 2026, m: time.February, d: 30, hour: 17, invalid: PartDate},
		{name: "month 13", zone: "Europe/Paris", y: 2026, m: 13, d: 1, invalid: PartDate},
		{name: "hour 25", zone: "Europe/Paris", y: 2026, m: time.March, d: 15, hour: 25, invalid: PartClock},
		{name: "hour 24", zone: "Europe/Paris", y: 2026, m: time.March, d: 15, hour: 24, invalid: PartClock},
		{name: "minute 60", zone: "Europe/Paris", y: 2026, m: time.March, d: 15, hour: 10, min: 60, invalid: PartClock},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := Instant(c.y, c.m, c.d, c.hour, c.min, zone(t, c.zone))
			checkResult(t, got, err, c.want, c.nonexistent, c.invalid)
		})
	}
}

func checkResult(t *testing.T, got time.Time, err error, want string, nonexistent bool, invalid string) {
	t.Helper()
	var pe *ParseError
	switch {
	case nonexistent:
		if !errors.Is(err, ErrNonexistent) {
			t.Fatalf("got %v, %v; want ErrNonexistent", got, err)
		}
	case invalid != "":
		if !errors.As(err, &pe) || pe.Part != invalid {
			t.Fatalf("got %v, %v; want a ParseError on the %s", got, err, invalid)
		}
	case err != nil:
		t.Fatalf("unexpected error: %v", err)
	default:
		if got.Location() != time.UTC {
			t.Errorf("location %v, want UTC", got.Location())
		}
		if s := got.Format(time.RFC3339Nano); s != want {
			t.Errorf("got %s, want %s", s, want)
		}
	}
}

func TestParse(t *testing.T) {
	cases := []struct {
		name, date, clock string
		zone              string
		want              string
		nonexistent       bool
		invalid           string
	}{
		{name: "ISO date, colon", date: "2026-03-15", clock: "17:00", want: "2026-03-15T16:00:00Z"},
		{name: "h and minutes", date: "2026-03-15", clock: "17h00", want: "2026-03-15T16:00:00Z"},
		{name: "h alone", date: "2026-03-15", clock: "17h", want: "2026-03-15T16:00:00Z"},
		{name: "upper-case H with spaces", date: " 2026-03-15 ", clock: " 17 H 30 ", want: "2026-03-15T16:30:00Z"},
		{name: "one-digit hour", date: "2026-03-15", clock: "9:05", want: "2026-03-15T08:05:00Z"},
		{name: "hour alone", date: "2026-03-15", clock: "9", want: "2026-03-15T08:00:00Z"},
		{name: "French date", date: "15/03/2026", clock: "9h05", want: "2026-03-15T08:05:00Z"},
		{name: "French date, one-digit day", date: "5/3/2026", clock: "0:00", want: "2026-03-04T23:00:00Z"},
		{name: "other zone", date: "2026-06-30", clock: "17:00", zone: "Indian/Reunion", want: "2026-06-30T13:00:00Z"},
		{name: "gap", date: "2026-03-29", clock: "2h30", nonexistent: true},
		{name: "30 February", date: "2026-02-30", clock: "17:00", invalid: PartDate},
		{name: "date in another order", date: "15-03-2026", clock: "17:00", invalid: PartDate},
		{name: "date with letters", date: "15 mars 2026", clock: "17:00", invalid: PartDate},
		{name: "empty date", date: "", clock: "17:00", invalid: PartDate},
		{name: "hour 25", date: "2026-03-15", clock: "25:00", invalid: PartClock},
		{name: "one-digit minutes", date: "2026-03-15", clock: "9:5", invalid: PartClock},
		{name: "seconds", date: "2026-03-15", clock: "9:05:00", invalid: PartClock},
		{name: "am/pm", date: "2026-03-15", clock: "5pm", invalid: PartClock},
		{name: "empty clock", date: "2026-03-15", clock: "", invalid: PartClock},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			name := c.zone
			if name == "" {
				name = "Europe/Paris"
			}
			got, err := Parse(c.date, c.clock, zone(t, name))
			checkResult(t, got, err, c.want, c.nonexistent, c.invalid)
		})
	}
}

func TestMessages(t *testing.T) {
	paris := zone(t, "Europe/Paris")
	_, err := Instant(2026, time.March, 29, 2, 30, paris)
	var ne *NonexistentError
	if !errors.As(err, &ne) {
		t.Fatalf("got %v, want a *NonexistentError", err)
	}
	if want := time.Date(2026, time.March, 29, 1, 0, 0, 0, time.UTC); !ne.Jump.Equal(want) {
		t.Errorf("Jump = %v, want %v", ne.Jump, want)
	}
	cases := []struct {
		name string
		err  error
		want []string
	}{
		{"gap", err, []string{"29 mars 2026", "2 h 30", "heure de Paris", "de 2 h 00 à 3 h 00", "par exemple 3 h 00"}},
		{"bad date", &ParseError{Part: PartDate, Input: "2026-02-30"}, []string{"« 2026-02-30 » n'est pas une date valide"}},
		{"no date", &ParseError{Part: PartDate}, []string{"Indiquez la date"}},
		{"bad clock", &ParseError{Part: PartClock, Input: "25:00"}, []string{"« 25:00 » n'est pas une heure valide"}},
		{"no clock", &ParseError{Part: PartClock}, []string{"Indiquez l'heure"}},
		{"sentinel", ErrNonexistent, []string{"passage à l'heure d'été"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			msg := c.err.Error()
			for _, w := range c.want {
				if !strings.Contains(msg, w) {
					t.Errorf("%q lacks %q", msg, w)
				}
			}
			if strings.Contains(msg, "«localtime.") {
				t.Errorf("missing catalogue key: %q", msg)
			}
		})
	}
}

func TestParseQuotesWhatWasTyped(t *testing.T) {
	_, err := Parse("30/02/2026", "17:00", zone(t, "Europe/Paris"))
	var pe *ParseError
	if !errors.As(err, &pe) || pe.Input != "30/02/2026" {
		t.Fatalf("got %#v", err)
	}
}
