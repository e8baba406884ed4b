// Package territory lists the current French regions and départements
// (INSEE codes, names, time zones) from an embedded, pinned copy of the
// Code officiel géographique; see data/SOURCE.md.
package territory

import (
	"cmp"
	"embed"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
	_ "time/tzdata" // Location must work on hosts without /usr/share/zoneinfo.
)

//go:embed data/regions.json data/departements.json
var files embed.FS

// Region is a current French region.
type Region struct {
	Code     string // INSEE code, e.g. "52"
	Name     string // e.g. "Pays de la Loire"
	TimeZone string // IANA zone, e.g. "Europe/Paris"
	ChefLieu string // INSEE code of the chef-lieu commune, e.g. "44109"
}

// Departement is a current French département.
type Departement struct {
	Code       string // INSEE code: "44", "2A", "971"
	Name       string // e.g. "Loire-Atlantique"
	RegionCode string // e.g. "52"
	ChefLieu   string // INSEE code of the chef-lieu commune
}

// timeZones is kept here because the source data has no time zones.
var timeZones = map[string]string{
	"01": "America/Guadeloupe",
	"02": "America/Martinique",
	"03": "America/Cayenne",
	"04": "Indian/Reunion",
	"06": "Indian/Mayotte",
}

const mainlandZone = "Europe/Paris"

type catalogue struct {
	regions      []Region // sorted by name
	departements []Departement
	regionByCode map[string]Region
	depByCode    map[string]Departement
	locations    map[string]*time.Location // by zone name
}

// load parses the embedded files once; broken embedded data is a programming error.
var load = sync.OnceValue(func() *catalogue {
	c, err := parse()
	if err != nil {
		panic("territory: " + err.Error())
	}
	return c
})

func parse() (*catalogue, error) {
	var rawRegions []struct {
		Code     string `json:"code"`
		Nom      string `json:"nom"`
		ChefLieu string `json:"chefLieu"`
	}
	var rawDeps []struct {
		Code     string `json:"code"`
		Nom      string `json:"nom"`
		Region   string `json:"region"`
		ChefLieu string `json:"chefLieu"`
	}
	if err := readJSON("data/regions.json", &rawRegions); err != nil {
		return nil, err
	}
	if err := readJSON("data/departements.json", &rawDeps); err != nil {
		return nil, err
	}

	c := &catalogue{
		regionByCode: map[string]Region{},
		depByCode:    map[string]Departement{},
		locations:    map[string]*time.Location{},
	}
	for _, r := range rawRegions {
		zone := cmp.Or(timeZones[r.Code], mainlandZone)
		if _, ok := c.locations[zone]; !ok {
			loc, err := time.LoadLocation(zone)
			if err != nil {
				return nil, fmt.Errorf("region %s: %w", r.Code, err)
			}
			c.locations[zone] = loc
		}
		region := Region{Code: r.Code, Name: r.Nom, TimeZone: zone, ChefLieu: r.ChefLieu}
		c.regions = append(c.regions, region)
		c.regionByCode[r.Code] = region
	}
	for _, d := range rawDeps {
		if _, ok := c.regionByCode[d.Region]; !ok {
			return nil, fmt.Errorf("département %s: unknown region %q", d.Code, d.Region)
		}
		dep := Departement{Code: d.Code, Name: d.Nom, RegionCode: d.Region, ChefLieu: d.ChefLieu}
		c.departements = append(c.departements, dep)
		c.depByCode[d.Code] = dep
	}
	slices.SortFunc(c.regions, func(a, b Region) int {
		return cmp.Or(cmp.Compare(foldName(a.Name), foldName(b.Name)), cmp.Compare(a.Name, b.Name))
	})
	slices.SortFunc(c.departements, func(a, b Departement) int { return compareCodes(a.Code, b.Code) })
	return c, nil
}

func readJSON(name string, v any) error {
	b, err := files.ReadFile(name)
	if err != nil {
		return err
	}
	if err := json.Unmarshal(b, v); err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	return nil
}

// Regions returns the 18 regions sorted by name, ignoring accents as French readers expect.
func Regions() []Region {
	return slices.Clone(load().regions)
}

// RegionByCode finds a region by its INSEE code ("52").
func RegionByCode(code string) (Region, bool) {
	r, ok := load().regionByCode[strings.TrimSpace(code)]
	return r, ok
}

// Departements returns the 101 départements in code order (2A and 2B between 19 and 21).
func Departements() []Departement {
	return slices.Clone(load().departements)
}

// DepartementByCode finds a département by its INSEE code ("44", "2A", "971").
func DepartementByCode(code string) (Departement, bool) {
	d, ok := load().depByCode[strings.ToUpper(strings.TrimSpace(code))]
	return d, ok
}

// DepartementsOf returns a region's départements in code order, or nil for an unknown region.
func DepartementsOf(regionCode string) []Departement {
	regionCode = strings.TrimSpace(regionCode)
	var out []Departement
	for _, d := range load().departements {
		if d.RegionCode == regionCode {
			out = append(out, d)
		}
	}
	return out
}

// Location returns the region's time zone so that session times show in local time.
// It falls back to UTC only for a hand-made Region with an unknown zone name;
// every Region this package returns has a valid one.
func (r Region) Location() *time.Location {
	if loc, ok := load().locations[r.TimeZone]; ok {
		return loc
	}
	loc, err := time.LoadLocation(r.TimeZone)
	if err != nil {
		return time.UTC
	}
	return loc
}

// DepartementOfPostcode gives the département a postcode belongs to, for pre-filling forms.
// It reads the postcode's leading digits, so the rare postcodes that straddle a
// border get the département of their number. Saint-Barthélemy (97133) and
// Saint-Martin (97150) are collectivités, not départements, and give false.
func DepartementOfPostcode(postcode string) (string, bool) {
	p := strings.ReplaceAll(strings.TrimSpace(postcode), " ", "")
	if len(p) != 5 || strings.Trim(p, "0123456789") != "" {
		return "", false
	}
	var code string
	switch {
	case p[:2] == "20": // Corsica: 200xx-201xx Corse-du-Sud, 202xx-206xx Haute-Corse.
		switch p[2] {
		case '0', '1':
			code = "2A"
		case '2', '3', '4', '5', '6':
			code = "2B"
		default:
			return "", false
		}
	case p == "97133" || p == "97150":
		return "", false
	case p[:2] == "97":
		code = p[:3]
	default:
		code = p[:2]
	}
	if _, ok := load().depByCode[code]; !ok {
		return "", false
	}
	return code, true
}

// compareCodes orders département codes numerically, with 2A and 2B taking the place of 20.
func compareCodes(a, b string) int {
	na, sa := codeKey(a)
	nb, sb := codeKey(b)
	return cmp.Or(cmp.Compare(na, nb), cmp.Compare(sa, sb))
}

func codeKey(code string) (int, string) {
	if code == "2A" || code == "2B" {
		return 20, code[1:]
	}
	n, err := strconv.Atoi(code)
	if err != nil {
		return 1 << 30, code // unknown shapes go last
	}
	return n, ""
}

// accents maps accented letters to their base so "Île-de-France" sorts at I.
var accents = strings.NewReplacer(
	"à", "a", "â", "a", "ä", "a",
	"ç", "c",
	"é", "e", "è", "e", "ê", "e", "ë", "e",
	"î", "i", "ï", "i",
	"ô", "o", "ö", "o",
	"ù", "u", "û", "u", "ü", "u",
	"ÿ", "y",
	"œ", "oe", "æ", "ae",
)

func foldName(s string) string {
	return accents.Replace(strings.ToLower(s))
}
