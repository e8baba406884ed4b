package territory

import (
	"slices"
	"testing"
	"time"
)

func TestDataLoads(t *testing.T) {
	if _, err := parse(); err != nil {
		t.Fatalf("embedded data does not parse: %v", err)
	}
}

func TestCounts(t *testing.T) {
	if got := len(Regions()); got != 18 {
		t.Errorf("len(Regions()) = %d, want 18", got)
	}
	if got := len(Departements()); got != 101 {
		t.Errorf("len(Departements()) = %d, want 101", got)
	}
}

func TestDepartementsOf(t *testing.T) {
	tests := []struct {
		name   string
		region string
		want   []string
	}{
		{"Pays de la Loire", "52", []string{"44", "49", "53", "72", "85"}},
		{"Provence-Alpes-Côte d'Azur", "93", []string{"04", "05", "06", "13", "83", "84"}},
		{"Corse", "94", []string{"2A", "2B"}},
		{"Guadeloupe", "01", []string{"971"}},
		{"Mayotte", "06", []string{"976"}},
		{"unknown region", "99", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []string
			for _, d := range DepartementsOf(tt.region) {
				got = append(got, d.Code)
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("DepartementsOf(%q) = %v, want %v", tt.region, got, tt.want)
			}
			if tt.want == nil {
				return
			}
			r, ok := RegionByCode(tt.region)
			if !ok || r.Name != tt.name {
				t.Errorf("RegionByCode(%q) = %+v, %v, want name %q", tt.region, r, ok, tt.name)
			}
		})
	}
}

func TestTimeZones(t *testing.T) {
	tests := []struct {
		name, region, zone string
	}{
		{"Pays de la Loire", "52", "Europe/Paris"},
		{"Corse", "94", "Europe/Paris"},
		{"Guadeloupe", "01", "America/Guadeloupe"},
		{"Martinique", "02", "America/Martinique"},
		{"Guyane", "03", "America/Cayenne"},
		{"La Réunion", "04", "Indian/Reunion"},
		{"Mayotte", "06", "Indian/Mayotte"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, ok := RegionByCode(tt.region)
			if !ok {
				t.Fatalf("RegionByCode(%q) not found", tt.region)
			}
			if r.TimeZone != tt.zone {
				t.Errorf("TimeZone = %q, want %q", r.TimeZone, tt.zone)
			}
		})
	}
}

func TestLocationOffsets(t *testing.T) {
	tests := []struct {
		name, region string
		offset       time.Duration
	}{
		{"Paris in winter", "11", time.Hour},
		{"Guadeloupe", "01", -4 * time.Hour},
		{"La Réunion", "04", 4 * time.Hour},
	}
	instant := time.Date(2026, 1, 15, 12, 0, 0, 0, time.UTC)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, _ := RegionByCode(tt.region)
			_, secs := instant.In(r.Location()).Zone()
			if got := time.Duration(secs) * time.Second; got != tt.offset {
				t.Errorf("offset = %v, want %v", got, tt.offset)
			}
		})
	}
}

func TestEveryRegionIsUsable(t *testing.T) {
	for _, r := range Regions() {
		if r.Location() == time.UTC {
			t.Errorf("region %s (%s) has no usable time zone %q", r.Code, r.Name, r.TimeZone)
		}
		if len(DepartementsOf(r.Code)) == 0 {
			t.Errorf("region %s (%s) has no département", r.Code, r.Name)
		}
	}
	for _, d := range Departements() {
		if _, ok := RegionByCode(d.RegionCode); !ok {
			t.Errorf("département %s has unknown region %q", d.Code, d.RegionCode)
		}
	}
}

func TestRegionsOrder(t *testing.T) {
	var got []string
	for _, r := range Regions() {
		got = append(got, r.Name)
	}
	want := []string{
		"Auvergne-Rhône-Alpes", "Bourgogne-Franche-Comté", "Bretagne", "Centre-Val de Loire",
		"Corse", "Grand Est", "Guadeloupe", "Guyane", "Hauts-de-France", "Île-de-France",
		"La Réunion", "Martinique", "Mayotte", "Normandie", "Nouvelle-Aquitaine", "Occitanie",
		"Pays de la Loire", "Provence-Alpes-Côte d'Azur",
	}
	if !slices.Equal(got, want) {
		t.Errorf("Regions() order = %q,\nwant %q", got, want)
	}
}

func TestDepartementsOrder(t *testing.T) {
	deps := Departements()
	var codes []string
	for _, d := range deps {
		codes = append(codes, d.Code)
	}
	if i := slices.Index(codes, "2A"); i < 0 || codes[i-1] != "19" || codes[i+1] != "2B" || codes[i+2] != "21" {
		t.Errorf("2A/2B not between 19 and 21: %v", codes)
	}
	if first, last := codes[0], codes[len(codes)-1]; first != "01" || last != "976" {
		t.Errorf("first, last = %s, %s, want 01, 976", first, last)
	}
	if codes[95] != "95" || codes[96] != "971" {
		t.Errorf("codes[95:97] = %v, want [95 971]", codes[95:97])
	}
}

func TestDepartementByCode(t *testing.T) {
	tests := []struct {
		name, code, wantName, wantRegion string
		ok                               bool
	}{
		{"Loire-Atlantique", "44", "Loire-Atlantique", "52", true},
		{"Corse-du-Sud lower case", "2a", "Corse-du-Sud", "94", true},
		{"La Réunion", "974", "La Réunion", "04", true},
		{"Corsica before 1976", "20", "", "", false},
		{"Saint-Pierre-et-Miquelon is a collectivité", "975", "", "", false},
		{"empty", "", "", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d, ok := DepartementByCode(tt.code)
			if ok != tt.ok || d.Name != tt.wantName || d.RegionCode != tt.wantRegion {
				t.Errorf("DepartementByCode(%q) = %+v, %v", tt.code, d, ok)
			}
		})
	}
}

func TestDepartementOfPostcode(t *testing.T) {
	tests := []struct {
		name, postcode, want string
		ok                   bool
	}{
		{"Nantes", "44000", "44", true},
		{"Paris", "75001", "75", true},
		{"Bourg-en-Bresse", "01000", "01", true},
		{"Ajaccio", "20000", "2A", true},
		{"Porto-Vecchio", "20137", "2A", true},
		{"Bastia", "20200", "2B", true},
		{"Calvi", "20260", "2B", true},
		{"Corte", "20250", "2B", true},
		{"Île-Rousse", "20220", "2B", true},
		{"Haute-Corse upper range", "20620", "2B", true},
		{"Saint-Denis de La Réunion", "97400", "974", true},
		{"Mamoudzou", "97600", "976", true},
		{"Pointe-à-Pitre", "97110", "971", true},
		{"Cayenne", "97300", "973", true},
		{"with spaces", " 44 000 ", "44", true},
		{"Saint-Barthélemy", "97133", "", false},
		{"Saint-Martin", "97150", "", false},
		{"Saint-Pierre-et-Miquelon", "97500", "", false},
		{"Monaco", "98000", "", false},
		{"no Corsica above 206", "20700", "", false},
		{"département 00", "00100", "", false},
		{"too short", "4400", "", false},
		{"letters", "2A000", "", false},
		{"empty", "", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := DepartementOfPostcode(tt.postcode)
			if got != tt.want || ok != tt.ok {
				t.Errorf("DepartementOfPostcode(%q) = %q, %v, want %q, %v", tt.postcode, got, ok, tt.want, tt.ok)
			}
		})
	}
}

func TestRegionsReturnsCopy(t *testing.T) {
	Regions()[0].Name = "changed"
	if Regions()[0].Name == "changed" {
		t.Error("Regions() exposes the package's own slice")
	}
}
