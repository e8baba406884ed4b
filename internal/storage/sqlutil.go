package storage

import (
	"strconv"
	"strings"
)

func itoa(n int) string { return strconv.Itoa(n) }

// limitOffset pages a query; a limit of 0 means no limit.
func limitOffset(limit, offset int) string {
	s := ""
	if limit > 0 {
		s = " LIMIT " + itoa(limit)
	}
	if offset > 0 {
		s += " OFFSET " + itoa(offset)
	}
	return s
}

// escapeLike protects a user's text from being read as LIKE wildcards.
func escapeLike(s string) string {
	return likeEscaper.Replace(s)
}

// prefixScanner scans the leading columns of a joined row into prefix, and hands the rest to
// the scanner of the joined noun.
type prefixScanner struct {
	row    interface{ Scan(...any) error }
	prefix []any
}

func (p prefixScanner) Scan(dest ...any) error { return p.row.Scan(append(p.prefix, dest...)...) }

var likeEscaper = strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)

// scanner is what *sql.Row and *sql.Rows have in common.
type scanner interface{ Scan(...any) error }

// fields are the destinations of a noun's columns, and what to do once they are filled
// (split lists, times in UTC).
type fields struct {
	dest []any
	done func()
}

// scanFields scans one row into the fields of one or several nouns (a join).
func scanFields(row scanner, parts ...fields) error {
	var dest []any
	for _, p := range parts {
		dest = append(dest, p.dest...)
	}
	if err := row.Scan(dest...); err != nil {
		return mapErr(err)
	}
	for _, p := range parts {
		p.done()
	}
	return nil
}
