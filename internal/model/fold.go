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

// Slug turns a name into a file name or an e-mail local part: "CPTS Cœur du Var" →
// "cpts-coeur-du-var".
func Slug(s string) string {
	var b strings.Builder
	dash := false
	for _, r := range Fold(s) {
		switch {
		case r >= 'a' && r <= 'z' || r >= '0' && r <= '9':
			b.WriteRune(r)
			dash = false
		case r == '\'':
			// "L'Île" → "lile", "d'Aix" → "daix"
		default:
			if !dash && b.Len() > 0 {
				b.WriteByte('-')
				dash = true
			}
		}
	}
	return strings.TrimSuffix(b.String(), "-")
}
