// Package i18n holds the text users read. Every French sentence of the interface, the
// e-mails and the import reports lives in the catalogue fr/*.json (one file per area) under a
// namespaced key ("structure.list.title"); code and templates name keys, never sentences. A
// test fails when a used key is missing, a key is unused or two files define the same key.
package i18n

import (
	"embed"
	"encoding/json"
	"fmt"
	"io/fs"
	"math"
	"strconv"
	"strings"
	"time"
)

//go:embed fr/*.json
var frFS embed.FS

var catalogue = func() map[string]string {
	m, err := load(frFS, "fr")
	if err != nil {
		panic("i18n: " + err.Error())
	}
	return m
}()

// load merges the catalogue files of a language; a key defined twice is an error.
func load(fsys fs.FS, dir string) (map[string]string, error) {
	files, err := fs.Glob(fsys, dir+"/*.json")
	if err != nil || len(files) == 0 {
		return nil, fmt.Errorf("no catalogue files in %s", dir)
	}
	m := map[string]string{}
	for _, f := range files {
		raw, err := fs.ReadFile(fsys, f)
		if err != nil {
			return nil, err
		}
		part := map[string]string{}
		if err := json.Unmarshal(raw, &part); err != nil {
			return nil, fmt.Errorf("%s: %w", f, err)
		}
		for k, v := range part {
			if _, dup := m[k]; dup {
				return nil, fmt.Errorf("%s: key %q is already defined in another file", f, k)
			}
			m[k] = v
		}
	}
	return m, nil
}

// Has reports whether the catalogue has key.
func Has(key string) bool { _, ok := catalogue[key]; return ok }

// Keys lists every key of the catalogue.
func Keys() []string {
	out := make([]string, 0, len(catalogue))
	for k := range catalogue {
		out = append(out, k)
	}
	return out
}

// T returns the text of key, formatted with args (fmt verbs). A missing key shows as
// «key» so that it is visible on the page; the catalogue test keeps that from shipping.
func T(key string, args ...any) string {
	s, ok := catalogue[key]
	if !ok {
		return "«" + key + "»"
	}
	if len(args) > 0 {
		return fmt.Sprintf(s, args...)
	}
	return s
}

// N returns the singular (key.one) or plural (key.other) text for n, French-style: 0 and 1
// take the singular. n is the first formatting argument.
func N(key string, n int, args ...any) string {
	form := ".other"
	if n == 0 || n == 1 || n == -1 {
		form = ".one"
	}
	return T(key+form, append([]any{n}, args...)...)
}

// Date writes a civil date the French way: "23 novembre 2026".
func Date(t time.Time) string {
	return fmt.Sprintf("%d %s %d", t.Day(), T(fmt.Sprintf("date.month.%d", int(t.Month()))), t.Year())
}

// LongDate writes a civil date with its weekday: "lundi 23 novembre 2026".
func LongDate(t time.Time) string {
	return T("date.long", T(fmt.Sprintf("date.weekday.%d", int(t.Weekday()))), Date(t))
}

// Clock writes the time of an instant in loc: "9 h 05".
func Clock(t time.Time, loc *time.Location) string {
	t = t.In(loc)
	return T("date.clock", t.Hour(), t.Minute())
}

// DateTime writes an instant in loc: "23 novembre 2026 à 14 h 05".
func DateTime(t time.Time, loc *time.Location) string {
	t = t.In(loc)
	return T("date.datetime", Date(t), t.Hour(), t.Minute())
}

// DateTimeZone is DateTime followed by the zone's name: "… (heure de Paris)".
func DateTimeZone(t time.Time, loc *time.Location) string {
	return DateTime(t, loc) + " (" + ZoneName(loc) + ")"
}

// ZoneName names a time zone for users: "heure de Paris", "heure de La Réunion".
func ZoneName(loc *time.Location) string {
	key := "date.zone." + strings.ReplaceAll(loc.String(), "/", "_")
	if Has(key) {
		return T(key)
	}
	return loc.String()
}

// Percent writes a percentage with at most one decimal, the French way: "87,5 %", "80 %".
func Percent(p float64) string {
	s := strconv.FormatFloat(math.Round(p*10)/10, 'f', -1, 64)
	return strings.Replace(s, ".", ",", 1) + "\u00a0%"
}

// Number writes an integer with French thousands separators (narrow no-break space).
func Number(n int) string {
	s := fmt.Sprint(n)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteString("\u202f")
		}
		b.WriteRune(c)
	}
	if neg {
		return "-" + b.String()
	}
	return b.String()
}
