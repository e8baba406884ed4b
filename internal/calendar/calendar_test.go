package calendar

import (
	"encoding/json"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"parcours/internal/holidays"
)

// d reads an ISO date, for short tables.
func d(s string) Date {
	date, err := ParseDate(s)
	if err != nil {
		panic(err)
	}
	return date
}

func dates(s string) []Date {
	var out []Date
	for _, f := range strings.Fields(s) {
		out = append(out, d(f))
	}
	return out
}

func weekday(w time.Weekday) *time.Weekday { return &w }

func TestDate(t *testing.T) {
	tests := []struct {
		name string
		got  Date
		want string
	}{
		{"normalised like time.Date", NewDate(2027, time.April, 31), "2027-05-01"},
		{"of an instant, in its own location", DateOf(time.Date(2027, 2, 4, 23, 30, 0, 0, time.FixedZone("Paris", 3600))), "2027-02-04"},
		{"days added across a year", d("2027-12-30").AddDays(3), "2028-01-02"},
		{"days removed", d("2028-03-01").AddDays(-1), "2028-02-29"},
		{"zero prints empty", Date{}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.got.String() != tt.want {
				t.Errorf("got %s, want %s", tt.got, tt.want)
			}
		})
	}
	if (Date{2027, time.February, 30}).Valid() || (Date{}).Valid() || !d("2028-02-29").Valid() {
		t.Error("Valid accepts 30 February or the zero date, or refuses 29 February 2028")
	}
	if !d("2027-02-04").Before(d("2027-02-05")) || !d("2028-01-01").After(d("2027-12-31")) || d("2027-02-04").Compare(d("2027-02-04")) != 0 {
		t.Error("Before, After or Compare disagree with the calendar")
	}
	if _, err := ParseDate("04/02/2027"); err == nil {
		t.Error("ParseDate accepted a French-style date")
	}

	type doc struct{ Day, None Date }
	b, err := json.Marshal(doc{Day: d("2027-05-17")})
	if err != nil || string(b) != `{"Day":"2027-05-17","None":""}` {
		t.Fatalf("json = %s, %v", b, err)
	}
	var back doc
	if err := json.Unmarshal(b, &back); err != nil || back.Day != d("2027-05-17") || !back.None.IsZero() {
		t.Errorf("json round trip = %+v, %v", back, err)
	}
}

// The calendar: the PACA diploma's 39 days over 16 months, on the first Thursday of
// each month from Thursday 4 February 2027, weekends and holidays skipped.
func TestGenerateDiplomaOver16Months(t *testing.T) {
	got, err := Generate(Pattern{
		Start: d("2027-02-04"), Weekday: weekday(time.Thursday),
		DaysPerMonth: 2, Months: 16, Total: 39,
		SkipWeekends: true, SkipHolidays: true, Departement: "13",
	})
	if err != nil {
		t.Fatal(err)
	}
	// Seven months of three days (39 − 2×16), then nine of two. In May 2027 the first Thursday
	// is Ascension (6 May): the block becomes Friday, Monday, Tuesday.
	want := dates(`
		2027-02-04 2027-02-05 2027-02-08
		2027-03-04 2027-03-05 2027-03-08
		2027-04-01 2027-04-02 2027-04-05
		2027-05-07 2027-05-10 2027-05-11
		2027-06-03 2027-06-04 2027-06-07
		2027-07-01 2027-07-02 2027-07-05
		2027-08-05 2027-08-06 2027-08-09
		2027-09-02 2027-09-03
		2027-10-07 2027-10-08
		2027-11-04 2027-11-05
		2027-12-02 2027-12-03
		2028-01-06 2028-01-07
		2028-02-03 2028-02-04
		2028-03-02 2028-03-03
		2028-04-06 2028-04-07
		2028-05-04 2028-05-05`)
	if !slices.Equal(got, want) {
		t.Errorf("Generate =\n%v\nwant\n%v", got, want)
	}
	if len(got) != 39 || got[len(got)-1].After(d("2028-05-31")) {
		t.Errorf("%d days ending %s, want 39 ending within 16 months (May 2028)", len(got), got[len(got)-1])
	}
	if w := Check(got, d("2027-02-01"), d("2028-05-31"), "13"); len(w) != 0 {
		t.Errorf("the generated calendar has warnings: %v", w)
	}
}

func TestGenerate(t *testing.T) {
	tests := []struct {
		name string
		p    Pattern
		want string
	}{
		{
			name: "same day of the month, the last day of shorter months",
			p:    Pattern{Start: d("2027-01-31"), DaysPerMonth: 1, Total: 4},
			want: "2027-01-31 2027-02-28 2027-03-31 2027-04-30",
		},
		{
			name: "without skipping, weekends stay",
			p:    Pattern{Start: d("2027-02-05"), DaysPerMonth: 2, Total: 2},
			want: "2027-02-05 2027-02-06",
		},
		{
			name: "a Friday–Saturday block skipping weekends becomes Friday–Monday",
			p:    Pattern{Start: d("2027-02-05"), DaysPerMonth: 2, Total: 2, SkipWeekends: true},
			want: "2027-02-05 2027-02-08",
		},
		{
			name: "the weekday's first occurrence on or after the start, then the same rank",
			p:    Pattern{Start: d("2027-02-01"), Weekday: weekday(time.Thursday), DaysPerMonth: 2, Total: 6},
			want: "2027-02-04 2027-02-05 2027-03-04 2027-03-05 2027-04-01 2027-04-02",
		},
		{
			name: "the second Tuesday of each month",
			p:    Pattern{Start: d("2027-02-09"), Weekday: weekday(time.Tuesday), DaysPerMonth: 1, Total: 3},
			want: "2027-02-09 2027-03-09 2027-04-13",
		},
		{
			name: "a fifth Friday becomes the month's last Friday",
			p:    Pattern{Start: d("2027-01-29"), Weekday: weekday(time.Friday), DaysPerMonth: 1, Total: 3},
			want: "2027-01-29 2027-02-26 2027-03-26",
		},
		{
			name: "the last block is cut at Total",
			p:    Pattern{Start: d("2027-02-04"), DaysPerMonth: 2, Total: 3},
			want: "2027-02-04 2027-02-05 2027-03-04",
		},
		{
			name: "Months larger than needed: the calendar ends earlier",
			p:    Pattern{Start: d("2027-02-04"), DaysPerMonth: 2, Months: 12, Total: 4},
			want: "2027-02-04 2027-02-05 2027-03-04 2027-03-05",
		},
		{
			name: "Months: the first months get one day more",
			p:    Pattern{Start: d("2027-02-04"), DaysPerMonth: 1, Months: 3, Total: 5},
			want: "2027-02-04 2027-02-05 2027-03-04 2027-03-05 2027-04-04",
		},
		{
			name: "national holidays: Good Friday is worked, Easter Monday is skipped",
			p:    Pattern{Start: d("2027-03-25"), DaysPerMonth: 3, Total: 3, SkipWeekends: true, SkipHolidays: true, Departement: "13"},
			want: "2027-03-25 2027-03-26 2027-03-30",
		},
		{
			name: "Moselle: Good Friday is skipped too",
			p:    Pattern{Start: d("2027-03-25"), DaysPerMonth: 3, Total: 3, SkipWeekends: true, SkipHolidays: true, Departement: "57"},
			want: "2027-03-25 2027-03-30 2027-03-31",
		},
		{
			name: "holidays skipped but not weekends",
			p:    Pattern{Start: d("2027-05-16"), DaysPerMonth: 2, Total: 2, SkipHolidays: true},
			want: "2027-05-16 2027-05-18",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Generate(tt.p)
			if err != nil {
				t.Fatal(err)
			}
			if want := dates(tt.want); !slices.Equal(got, want) {
				t.Errorf("Generate = %v, want %v", got, want)
			}
		})
	}
}

func TestGenerateRefusesImpossiblePatterns(t *testing.T) {
	ok := Pattern{Start: d("2027-02-04"), DaysPerMonth: 2, Total: 39}
	tests := []struct {
		name   string
		change func(*Pattern)
		want   error
	}{
		{"no start", func(p *Pattern) { p.Start = Date{} }, ErrStart},
		{"30 February", func(p *Pattern) { p.Start = Date{2027, time.February, 30} }, ErrStart},
		{"weekday out of range", func(p *Pattern) { p.Weekday = weekday(7) }, ErrWeekday},
		{"no days", func(p *Pattern) { p.Total = 0 }, ErrTotal},
		{"too many days", func(p *Pattern) { p.Total = MaxTotal + 1 }, ErrTotal},
		{"no days per month", func(p *Pattern) { p.DaysPerMonth = 0 }, ErrDaysPerMonth},
		{"too many days per month", func(p *Pattern) { p.DaysPerMonth = MaxDaysPerMonth + 1 }, ErrDaysPerMonth},
		{"negative months", func(p *Pattern) { p.Months = -1 }, ErrMonths},
		{"39 days cannot fit 12 months of 2 or 3 days", func(p *Pattern) { p.Months = 12 }, ErrMonths},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := ok
			tt.change(&p)
			days, err := Generate(p)
			if !errors.Is(err, tt.want) || days != nil {
				t.Errorf("Generate = %v, %v; want %v", days, err, tt.want)
			}
		})
	}
	if _, err := Generate(Pattern{Start: d("2027-02-04"), DaysPerMonth: 2, Months: 13, Total: 39}); err != nil {
		t.Errorf("13 months of 3 days hold 39 days: %v", err)
	}
}

// Whatever the start date, département and block size, a pattern that skips weekends and
// holidays lays out exactly Total days, in increasing order, none of them skipped, all after
// the start, the blocks starting within Months months.
func TestGenerateNeverLandsOnSkippedDays(t *testing.T) {
	departements := []string{"", "13", "57", "974"}
	start := d("2026-01-01")
	for i := range 3 * 366 {
		s := start.AddDays(i)
		p := Pattern{
			Start: s, DaysPerMonth: 1 + i%MaxDaysPerMonth, Total: 39,
			SkipWeekends: true, SkipHolidays: true, Departement: departements[i%len(departements)],
		}
		if i%2 == 0 {
			p.Weekday = weekday(time.Weekday(i / 2 % 7))
		}
		if i%3 == 0 {
			p.Months = (p.Total + p.DaysPerMonth) / (p.DaysPerMonth + 1) // as few months as allowed
		}
		days, err := Generate(p)
		if err != nil {
			t.Fatalf("%+v: %v", p, err)
		}
		if len(days) != p.Total {
			t.Fatalf("%+v: %d days, want %d", p, len(days), p.Total)
		}
		for j, day := range days {
			if day.Before(s) || j > 0 && !day.After(days[j-1]) {
				t.Fatalf("%+v: %s out of order in %v", p, day, days)
			}
			if wd := day.Weekday(); wd == time.Saturday || wd == time.Sunday {
				t.Fatalf("%+v: %s is a %s", p, day, wd)
			}
			if h, ok := holidays.Is(day.Time(), p.Departement); ok {
				t.Fatalf("%+v: %s is %s", p, day, h.Name)
			}
		}
		if p.Months > 0 {
			// The blocks start in Months months from the first day's; the last one, pushed
			// by skipped days, may end in the month after.
			limit := NewDate(days[0].Year, days[0].Month+time.Month(p.Months)+1, 0)
			if last := days[len(days)-1]; last.After(limit) {
				t.Fatalf("%+v: ends %s, after %s", p, last, limit)
			}
		}
	}
}

func TestCheck(t *testing.T) {
	type w = Warning
	tests := []struct {
		name        string
		days        string
		from, to    string
		departement string
		want        []Warning
	}{
		{"an ordinary Tuesday", "2027-05-18", "", "", "13", nil},
		{"Easter Monday 2026", "2026-04-06", "", "", "13", []w{{d("2026-04-06"), WarningHoliday, "Lundi de Pâques"}}},
		{"Easter Monday 2027", "2027-03-29", "", "", "13", []w{{d("2027-03-29"), WarningHoliday, "Lundi de Pâques"}}},
		{"Easter Monday 2028", "2028-04-17", "", "", "13", []w{{d("2028-04-17"), WarningHoliday, "Lundi de Pâques"}}},
		{"Ascension 2026", "2026-05-14", "", "", "13", []w{{d("2026-05-14"), WarningHoliday, "Ascension"}}},
		{"Ascension 2027", "2027-05-06", "", "", "13", []w{{d("2027-05-06"), WarningHoliday, "Ascension"}}},
		{"Ascension 2028", "2028-05-25", "", "", "13", []w{{d("2028-05-25"), WarningHoliday, "Ascension"}}},
		{"Whit Monday 2026", "2026-05-25", "", "", "13", []w{{d("2026-05-25"), WarningHoliday, "Lundi de Pentecôte"}}},
		{"Whit Monday 2027", "2027-05-17", "", "", "13", []w{{d("2027-05-17"), WarningHoliday, "Lundi de Pentecôte"}}},
		{"Whit Monday 2028", "2028-06-05", "", "", "13", []w{{d("2028-06-05"), WarningHoliday, "Lundi de Pentecôte"}}},
		{"Good Friday is worked in Provence", "2027-03-26", "", "", "13", nil},
		{"Good Friday is a holiday in Moselle", "2027-03-26", "", "", "57", []w{{d("2027-03-26"), WarningHoliday, "Vendredi saint"}}},
		{"26 December in Bas-Rhin", "2028-12-26", "", "", "67", []w{{d("2028-12-26"), WarningHoliday, "Saint-Étienne"}}},
		{"a Saturday", "2027-02-06", "", "", "13", []w{{d("2027-02-06"), WarningWeekend, ""}}},
		{"a Sunday", "2027-02-07", "", "", "13", []w{{d("2027-02-07"), WarningWeekend, ""}}},
		{"a holiday on a Saturday is both", "2027-05-01", "", "", "13", []w{
			{d("2027-05-01"), WarningHoliday, "Fête du Travail"},
			{d("2027-05-01"), WarningWeekend, ""},
		}},
		{"the period's first and last days are inside", "2027-02-04 2028-05-31", "2027-02-04", "2028-05-31", "13", nil},
		{"before and after the period", "2027-02-03 2028-06-01", "2027-02-04", "2028-05-31", "13", []w{
			{d("2027-02-03"), WarningOutsidePeriod, ""},
			{d("2028-06-01"), WarningOutsidePeriod, ""},
		}},
		{"an open end", "2030-01-08", "2027-02-04", "", "13", nil},
		{"an open start", "2020-01-07", "", "2028-05-31", "13", nil},
		{"a date twice is checked once", "2027-05-17 2027-02-04 2027-05-17", "", "", "13", []w{
			{d("2027-05-17"), WarningHoliday, "Lundi de Pentecôte"},
			{d("2027-05-17"), WarningDuplicate, ""},
		}},
		{"by date whatever the input order", "2028-06-05 2027-02-06 2027-02-06 2026-05-25", "2027-01-01", "2028-05-31", "13", []w{
			{d("2026-05-25"), WarningHoliday, "Lundi de Pentecôte"},
			{d("2026-05-25"), WarningOutsidePeriod, ""},
			{d("2027-02-06"), WarningWeekend, ""},
			{d("2027-02-06"), WarningDuplicate, ""},
			{d("2028-06-05"), WarningHoliday, "Lundi de Pentecôte"},
			{d("2028-06-05"), WarningOutsidePeriod, ""},
		}},
		{"no days", "", "", "", "13", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var from, to Date
			if tt.from != "" {
				from = d(tt.from)
			}
			if tt.to != "" {
				to = d(tt.to)
			}
			if got := Check(dates(tt.days), from, to, tt.departement); !slices.Equal(got, tt.want) {
				t.Errorf("Check =\n%v\nwant\n%v", got, tt.want)
			}
		})
	}
}

func TestParseClock(t *testing.T) {
	tests := []struct {
		in      string
		want    int
		wantErr bool
	}{
		{"00:00", 0, false},
		{"09:00", 540, false},
		{"13:30", 810, false},
		{"23:59", 1439, false},
		{"24:00", 0, true},
		{"12:60", 0, true},
		{"9:00", 0, true},
		{"09h00", 0, true},
		{"09:00:00", 0, true},
		{"-1:00", 0, true},
		{"", 0, true},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := ParseClock(tt.in)
			if got != tt.want || (err != nil) != tt.wantErr || err != nil && !errors.Is(err, ErrClock) {
				t.Errorf("ParseClock(%q) = %d, %v", tt.in, got, err)
			}
		})
	}
}

func TestMinutes(t *testing.T) {
	tests := []struct {
		start, end string
		want       int
		err        error
	}{
		{"09:00", "12:30", 210, nil},
		{"13:30", "17:00", 210, nil},
		{"08:45", "09:00", 15, nil},
		{"14:00", "14:00", 0, ErrEndNotAfterStart},
		{"17:00", "13:30", 0, ErrEndNotAfterStart},
		{"9:00", "12:00", 0, ErrClock},
		{"09:00", "", 0, ErrClock},
	}
	for _, tt := range tests {
		t.Run(tt.start+"-"+tt.end, func(t *testing.T) {
			got, err := Minutes(tt.start, tt.end)
			if got != tt.want || !errors.Is(err, tt.err) || (err == nil) != (tt.err == nil) {
				t.Errorf("Minutes = %d, %v; want %d, %v", got, err, tt.want, tt.err)
			}
		})
	}
}

func TestTotals(t *testing.T) {
	planned := []PlannedModule{
		{ID: "m1", Minutes: 7 * 60},
		{ID: "m2", Minutes: 14 * 60},
		{ID: "m3", Minutes: 3 * 60},
		{ID: "m2", Minutes: 60}, // a second line of the plan for m2 adds up
	}
	morning := func(id string) ScheduledHalfDay { return ScheduledHalfDay{id, "09:00", "12:30"} }
	afternoon := func(id string) ScheduledHalfDay { return ScheduledHalfDay{id, "13:30", "17:00"} }
	scheduled := []ScheduledHalfDay{
		morning("m2"), afternoon("m2"),
		morning("m1"), afternoon(NoModule),
		morning("extra"),
		{"m2", "14:00", "16:15"},
		morning(NoModule),
	}
	want := []ModuleTotal{
		{ID: "m1", PlannedMinutes: 420, ScheduledMinutes: 210, HalfDays: 1},
		{ID: "m2", PlannedMinutes: 900, ScheduledMinutes: 210 + 210 + 135, HalfDays: 3},
		{ID: "m3", PlannedMinutes: 180},
		{ID: "extra", ScheduledMinutes: 210, HalfDays: 1},
		{ID: NoModule, ScheduledMinutes: 420, HalfDays: 2},
	}
	got, err := Totals(planned, scheduled)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(got, want) {
		t.Errorf("Totals =\n%+v\nwant\n%+v", got, want)
	}
	if days := got[1].Days(); days != 1.5 {
		t.Errorf("three half-days = %v days, want 1.5", days)
	}

	t.Run("no line for half-days without module when there are none", func(t *testing.T) {
		got, err := Totals(planned[:1], []ScheduledHalfDay{morning("m1"), afternoon("m1")})
		want := []ModuleTotal{{ID: "m1", PlannedMinutes: 420, ScheduledMinutes: 420, HalfDays: 2}}
		if err != nil || !slices.Equal(got, want) {
			t.Errorf("Totals = %+v, %v; want %+v", got, err, want)
		}
	})
	t.Run("a half-day ending before it starts is refused with its index", func(t *testing.T) {
		got, err := Totals(planned, []ScheduledHalfDay{morning("m1"), {"m1", "17:00", "13:30"}})
		if got != nil || !errors.Is(err, ErrEndNotAfterStart) || !strings.Contains(err.Error(), "half-day 1") {
			t.Errorf("Totals = %+v, %v", got, err)
		}
	})
}
