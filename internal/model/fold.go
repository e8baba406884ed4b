package model

import (
	"strings"
	"unicode"

	"golang.org/x/text/runes"
	"golang.org/x/text/transform"
	"golang.org/x/text/unicode/norm"
)

// Fold lowers a text and strips its accents, so that "Île-d'Yeu" sorts at I and a search for
// "ile" finds it; stored beside names as their sort and search key.
func Fold(s string) string {
	t := transform.Chain(norm.NFD, runes.Remove(runes.In(unicode.Mn)), norm.NFC)
	out, _, err := transform.String(t, s)
	if err != nil {
		out = s
	}
	out = strings.NewReplacer("œ", "oe", "Œ", "oe", "æ", "ae", "Æ", "ae", "’", "'").Replace(out)
	return strings.ToLower(strings.Join(strings.Fields(out), " "))
}
