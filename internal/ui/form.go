package ui

import (
	"net/http"
	"strings"

	"parcours/internal/i18n"
)

// option is one choice of a select.
type option struct{ Value, Label string }

// options builds the choices of a closed vocabulary, labelled from the catalogue under prefix;
// a non-empty blankKey adds a first empty choice labelled with that key.
func options[T ~string](prefix string, values []T, blankKey string) []option {
	var out []option
	if blankKey != "" {
		out = append(out, option{"", i18n.T(blankKey)})
	}
	for _, v := range values {
		if v == "" {
			continue
		}
		out = append(out, option{string(v), i18n.T(prefix + "." + string(v))})
	}
	return out
}

// safeNext keeps a post-login destination on this site: a path, not "//evil.example".
func safeNext(next string) string {
	if !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") || strings.HasPrefix(next, "/\\") {
		return "/"
	}
	return next
}

// formValue reads a trimmed form field.
func formValue(r *http.Request, name string) string { return strings.TrimSpace(r.PostFormValue(name)) }
