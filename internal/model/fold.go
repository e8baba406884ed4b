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
	out := s
	if !isASCII(s) { // the transformer allocates: most names are plain ASCII
		t := transform.Chain(norm.NFD, runes.Remove(runes.In(unicode.Mn)), norm.NFC)
		var err error
		if out, _, err = transform.String(t, s); err != nil {
			out = s
		}
	}
	out = ligatures.Replace(out)
	return strings.ToLower(strings.Join(strings.Fields(out), " "))
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}

// ligatures are letters that no accent stripping turns into ASCII.
var ligatures = strings.NewReplacer("œ", "oe", "Œ", "oe", "æ", "ae", "Æ", "ae", "’", "'")
