package holidays

import (
	"slices"
	"testing"
	"time"
)

func date(s string) time.Time {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(err)
	}
	return t
}

func TestEaster(t *testing.T) {
	tests := []struct {
		name string
		year int
		want string
	}{
		{"2024", 2024, "2024-03-31"},
		{"2025", 2025, "2025-04-20"},
		{"2026", 2026, "2026-04-05"},
		{"2027", 2027, "2027-03-28"},
		{"2000, century leap year", 2000, "2000-04-23"},
		{"2038, latest possible date", 2038, "2038-04-25"},
		{"1818, earliest possible date", 1818, "1818-03-22"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Easter(tt.year); !got.Equal(date(tt.want)) || got.Location() != time.UTC {
				t.Errorf("Easter(%d) = %v, want %s UTC", tt.year, got, tt.want)
			}
		})
	}
}

func TestMovableHolidays(t *testing.T) {
	tests := []struct {
		name, holiday, want string
	}{
		{"Whit Monday 2024", "Lundi de Pentecôte", "2024-05-20"},
		{"Whit Monday 2025", "Lundi de Pentecôte", "2025-06-09"},
		{"Whit Monday 2026", "Lundi de Pentecôte", "2026-05-25"},
		{"Whit Monday 2027", "Lundi de Pentecôte", "2027-05-17"},
		{"Ascension 2024", "Ascension", "2024-05-09"},
		{"Ascension 2025", "Ascension", "2025-05-29"},
		{"Ascension 2026", "Ascension", "2026-05-14"},
		{"Easter Monday 2026", "Lundi de Pâques", "2026-04-06"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			want := date(tt.want)
			for _, h := range ForYear(want.Year(), "") {
				if h.Name == tt.holiday {
					if !h.Date.Equal(want) {
						t.Errorf("%s = %s, want %s", tt.holiday, h.Date.Format(time.DateOnly), tt.want)
					}
					return
				}
			}
			t.Errorf("%s missing from ForYear(%d)", tt.holiday, want.Year())
		})
	}
}

func TestForYear(t *testing.T) {
	tests := []struct {
		name        string
		departement string
		count       int
		extra       []string // names beyond the national list
	}{
		{"national", "", 11, nil},
		{"Loire-Atlantique", "44", 11, nil},
		{"Bas-Rhin", "67", 13, []string{"Vendredi saint", "Saint-Étienne"}},
		{"Moselle", "57", 13, []string{"Vendredi saint", "Saint-Étienne"}},
		{"La Réunion", "974", 12, []string{"Abolition de l'esclavage"}},
		{"Mayotte", "976", 12, []string{"Abolition de l'esclavage"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			days := ForYear(2026, tt.departement)
			if len(days) != tt.count {
				t.Errorf("len = %d, want %d: %v", len(days), tt.count, days)
			}
			if !slices.IsSortedFunc(days, func(a, b Holiday) int { return a.Date.Compare(b.Date) }) {
				t.Errorf("not sorted by date: %v", days)
			}
			for _, name := range tt.extra {
				if !slices.ContainsFunc(days, func(h Holiday) bool { return h.Name == name }) {
					t.Errorf("missing %q", name)
				}
			}
		})
	}
}

func TestIs(t *testing.T) {
	paris, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name        string
		when        time.Time
		departement string
		want        string // "" when not a holiday
	}{
		{"Christmas late evening in Paris", time.Date(2026, 12, 25, 23, 30, 0, 0, paris), "", "Noël"},
		{"Christmas Eve", time.Date(2026, 12, 24, 12, 0, 0, 0, paris), "", ""},
		{"Saint Stephen in Strasbourg", time.Date(2026, 12, 26, 9, 0, 0, 0, paris), "67", "Saint-Étienne"},
		{"Saint Stephen in Nantes", time.Date(2026, 12, 26, 9, 0, 0, 0, paris), "44", ""},
		{"Good Friday 2026 in Metz", date("2026-04-03"), "57", "Vendredi saint"},
		{"Good Friday 2026 nationally", date("2026-04-03"), "", ""},
		{"abolition in Guadeloupe", date("2026-05-27"), "971", "Abolition de l'esclavage"},
		{"abolition in Martinique", date("2026-05-22"), "972", "Abolition de l'esclavage"},
		{"abolition in Guyane", date("2026-06-10"), "973", "Abolition de l'esclavage"},
		{"abolition in La Réunion", date("2026-12-20"), "974", "Abolition de l'esclavage"},
		{"abolition in Mayotte", date("2026-04-27"), "976", "Abolition de l'esclavage"},
		{"Martinique date elsewhere", date("2026-05-22"), "971", ""},
		{"Easter Sunday is not listed", date("2026-04-05"), "", ""},
		{"Bastille Day", date("2027-07-14"), "", "Fête nationale"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h, ok := Is(tt.when, tt.departement)
			if ok != (tt.want != "") || h.Name != tt.want {
				t.Errorf("Is(%v, %q) = %q, %v, want %q", tt.when, tt.departement, h.Name, ok, tt.want)
			}
		})
	}
}
