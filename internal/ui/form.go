package ui

import (
	"net/http"
	"net/url"
	"strings"
	"unicode"

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

// safeNext keeps a post-login destination on this site: a path of its own, never
// "//evil.example", nor what a browser would read as one ("/\\evil", "/\t/evil").
func safeNext(next string) string {
	if !strings.HasPrefix(next, "/") || strings.ContainsAny(next, "\\") || strings.ContainsFunc(next, unicode.IsControl) {
		return "/"
	}
	u, err := url.Parse(next)
	if err != nil || u.Scheme != "" || u.Host != "" || u.User != nil || strings.HasPrefix(u.Path, "//") {
		return "/"
	}
	return u.RequestURI()
}

// formValue reads a trimmed form field.
func formValue(r *http.Request, name string) string { return strings.TrimSpace(r.PostFormValue(name)) }
