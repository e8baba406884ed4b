// Package csvimport reads a CSV file of structures (CPTS, MSP, centres de santé, ESP, partners)
// and saves it in one transaction. Parse is pure and reports every problem of the file with its
// line, column and a French sentence saying what to fix; Apply refuses a file with any problem,
// so an import is all or nothing. The format is described for users in docs/IMPORT.md.
//
// A row's values are checked by validator.Structure, as a form's are; this package keeps what
// is the file's own: its encoding and header, the labels its cells may use, the population that
// gives a CPTS its size, and the keys that find a structure again. The sentences are in the
// catalogue under import.* keys.
package csvimport

import (
	"parcours/internal/i18n"
	"parcours/internal/model"
)

// Limits that keep one upload from holding the server.
const (
	MaxBytes  = 32 << 20 // callers should cut the upload there (http.MaxBytesReader); Parse refuses more
	MaxRows   = 50000    // data rows, header excluded
	MaxErrors = 1000     // errors listed before a final note says there are more
)

// Result is what Parse read from a file.
type Result struct {
	Encoding  string   // "UTF-8" or "Windows-1252"
	Separator rune     // ';' or ','
	Columns   []string // canonical names of the file's columns, in file order
	Rows      []Row    // the rows without errors
	Errors    []RowError
	Warnings  []RowError // things to check that do not stop the import

	headers map[string]string // canonical name → header as written in the file
}

// OK reports whether the file can be imported.
func (r *Result) OK() bool { return r != nil && len(r.Errors) == 0 }

// Row is one structure read from the file, without an id yet.
type Row struct {
	Line      int // physical line where the row starts; the header is line 1
	Structure model.Structure
}

// RowError is one problem of the file. Line 0 means the whole file; Column is the header as
// written in the file, empty when the problem is the row's.
type RowError struct {
	Line   int
	Column string
	Value  string
	Reason string // a French sentence that says what to do
}

// String formats the problem for a terminal: « ligne 4, colonne finess (« 4400 ») : … ».
func (e RowError) String() string {
	where := i18n.T("import.where.file")
	if e.Line > 0 {
		where = i18n.T("import.where.line", e.Line)
	}
	if e.Column != "" {
		where = i18n.T("import.where.column", where, e.Column)
	}
	if e.Value != "" {
		where = i18n.T("import.where.value", where, e.Value)
	}
	return i18n.T("import.where.reason", where, e.Reason)
}

// has reports whether the file has the column (canonical name).
func (r *Result) has(name string) bool {
	for _, c := range r.Columns {
		if c == name {
			return true
		}
	}
	return false
}

// header gives a column's name as the file writes it, for error messages.
func (r *Result) header(name string) string {
	if h, ok := r.headers[name]; ok {
		return h
	}
	return name
}
