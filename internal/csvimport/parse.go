package csvimport

import (
	"bytes"
	"encoding/csv"
	"errors"
	"io"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"

	"parcours/internal/i18n"
	"parcours/internal/model"
)

// Canonical column names.
const (
	colType        = "type"
	colNom         = "nom"
	colFINESS      = "finess"
	colSIRET       = "siret"
	colRef         = "ref"
	colRegion      = "region"
	colDepartement = "departement"
	colCommune     = "commune"
	colPostcode    = "code_postal"
	colEmail       = "email"
	colTaille      = "taille"
	colPopulation  = "population"
	colStade       = "stade"
)

// ColumnNames lists the accepted columns in the order docs/IMPORT.md gives them.
var ColumnNames = []string{colType, colNom, colFINESS, colSIRET, colRef, colRegion, colDepartement,
	colCommune, colPostcode, colEmail, colTaille, colPopulation, colStade}

// columnByKey finds a canonical name from a header folded by headerKey.
var columnByKey = func() map[string]string {
	m := map[string]string{}
	for _, c := range ColumnNames {
		m[headerKey(c)] = c
	}
	return m
}()

// headerKey makes "Code postal", "code_postal" and "CODE-POSTAL" the same.
func headerKey(h string) string {
	return headerSeparators.Replace(model.Fold(h))
}

// Parse reads a CSV file of structures and checks every row. It does no I/O: Apply saves the
// result once it has no errors.
func Parse(data []byte) *Result {
	res := &Result{headers: map[string]string{}}
	p := &parser{res: res, index: map[string]int{}, firstLine: map[string]map[string]int{}}
	if reason := refuseFile(data); reason != "" {
		p.fail(0, "", "", reason)
		return res
	}
	text := ""
	text, res.Encoding = decode(data)
	res.Separator = detectSeparator(text)

	r := csv.NewReader(strings.NewReader(text))
	r.Comma = res.Separator
	header, err := r.Read()
	if err == io.EOF {
		p.fail(0, "", "", i18n.T("import.file.empty"))
		return res
	}
	if err != nil {
		p.csvError(err, nil)
		return res
	}
	if !p.readHeader(header) {
		return res
	}
	// One row per line, give or take: growing the slice row by row would copy it many times.
	res.Rows = make([]Row, 0, min(strings.Count(text, "\n"), MaxRows))

	records := 0
	for !p.full {
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			records++
			p.csvError(err, rec)
			continue
		}
		if blank(rec) {
			continue // Excel writes rows of empty cells below a table
		}
		records++
		if records > MaxRows {
			line, _ := r.FieldPos(0)
			p.fail(line, "", "", i18n.T("import.file.too_many_rows", i18n.Number(MaxRows)))
			break
		}
		p.row(r, rec)
	}
	if records == 0 {
		p.fail(0, "", "", i18n.T("import.file.header_only"))
	}
	return res
}

// refuseFile catches files that are not CSV text, whose content would otherwise read as nonsense.
func refuseFile(data []byte) string {
	switch {
	case len(bytes.TrimSpace(bytes.TrimPrefix(data, utf8BOM))) == 0:
		return i18n.T("import.file.empty")
	case len(data) > MaxBytes:
		return i18n.T("import.file.too_big", MaxBytes>>20)
	case bytes.HasPrefix(data, []byte("PK\x03\x04")), bytes.HasPrefix(data, []byte("\xD0\xCF\x11\xE0")):
		return i18n.T("import.file.excel")
	case bytes.HasPrefix(data, []byte("\xFF\xFE")), bytes.HasPrefix(data, []byte("\xFE\xFF")):
		return i18n.T("import.file.utf16")
	}
	return ""
}

var utf8BOM = []byte("\xEF\xBB\xBF")

// decode reads UTF-8 (with or without BOM), or else Windows-1252, Excel's default for French CSV.
func decode(data []byte) (text, encoding string) {
	data = bytes.TrimPrefix(data, utf8BOM)
	if utf8.Valid(data) {
		return string(data), "UTF-8"
	}
	out, err := charmap.Windows1252.NewDecoder().Bytes(data)
	if err != nil { // cannot happen: every byte has a meaning in Windows-1252
		return string(data), "UTF-8"
	}
	return string(out), "Windows-1252"
}

// detectSeparator counts semicolons and commas outside quotes on the header line; French Excel
// writes ';', most other tools ','.
func detectSeparator(text string) rune {
	semicolons, commas, quoted := 0, 0, false
scan:
	for _, c := range text {
		switch {
		case c == '"':
			quoted = !quoted
		case quoted:
		case c == '\n':
			break scan
		case c == ';':
			semicolons++
		case c == ',':
			commas++
		}
	}
	if commas > semicolons {
		return ','
	}
	return ';'
}

type parser struct {
	res       *Result
	full      bool                      // MaxErrors reached: stop reading
	index     map[string]int            // canonical column → field index
	unnamed   []int                     // fields whose header is empty
	width     int                       // fields in the header
	firstLine map[string]map[string]int // column → identifier → line where it first appeared
}

// fail records an error, up to MaxErrors followed by a note.
func (p *parser) fail(line int, column, value, reason string) {
	if p.full {
		return
	}
	if len(p.res.Errors) == MaxErrors {
		p.res.Errors = append(p.res.Errors, RowError{Reason: i18n.T("import.file.too_many_errors", i18n.Number(MaxErrors))})
		p.full = true
		return
	}
	p.res.Errors = append(p.res.Errors, RowError{Line: line, Column: column, Value: value, Reason: reason})
}

// readHeader maps the header's names to columns; false when the header is wrong, since every
// row would then be read wrongly.
func (p *parser) readHeader(header []string) bool {
	p.width = len(header)
	for i, h := range header {
		h = clean(h)
		if h == "" {
			p.unnamed = append(p.unnamed, i)
			continue
		}
		name, ok := columnByKey[headerKey(h)]
		if !ok {
			p.fail(1, h, "", i18n.T("import.header.unknown", h, strings.Join(ColumnNames, ", ")))
			continue
		}
		if j, dup := p.index[name]; dup {
			p.fail(1, h, "", i18n.T("import.header.twice", name, j+1, i+1))
			continue
		}
		p.index[name] = i
		p.res.Columns = append(p.res.Columns, name)
		p.res.headers[name] = h
	}
	for _, name := range []string{colType, colNom} {
		if _, ok := p.index[name]; !ok {
			p.fail(1, name, "", i18n.T("import.header.required"))
		}
	}
	_, dep := p.index[colDepartement]
	_, postcode := p.index[colPostcode]
	if !dep && !postcode {
		p.fail(1, colDepartement, "", i18n.T("import.header.place"))
	}
	return len(p.res.Errors) == 0
}

// csvError reports a line the CSV reader could not split into the header's columns.
func (p *parser) csvError(err error, rec []string) {
	var pe *csv.ParseError
	if !errors.As(err, &pe) {
		p.fail(0, "", "", i18n.T("import.file.unreadable"))
		return
	}
	switch {
	case errors.Is(pe.Err, csv.ErrFieldCount):
		p.fail(pe.StartLine, "", "", i18n.T("import.line.field_count", len(rec), p.width, p.res.Separator))
	case errors.Is(pe.Err, csv.ErrBareQuote):
		p.fail(pe.Line, "", "", i18n.T("import.line.bare_quote"))
	case errors.Is(pe.Err, csv.ErrQuote) && pe.Line != pe.StartLine:
		p.fail(pe.StartLine, "", "", i18n.T("import.line.quote_not_closed"))
	case errors.Is(pe.Err, csv.ErrQuote):
		p.fail(pe.Line, "", "", i18n.T("import.line.quote"))
	default:
		p.fail(pe.Line, "", "", i18n.T("import.line.unreadable"))
	}
}

// clean trims a value and turns its runs of spaces, tabs, line breaks and non-breaking spaces
// into one space: no column of this file holds text on several lines.
func clean(v string) string { return strings.Join(strings.Fields(v), " ") }

func blank(rec []string) bool {
	for _, v := range rec {
		if clean(v) != "" {
			return false
		}
	}
	return true
}

var headerSeparators = strings.NewReplacer(" ", "", "_", "", "-", "")
