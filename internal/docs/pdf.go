package docs

import (
	"bytes"
	"embed"
	"fmt"
	"strings"

	"github.com/go-pdf/fpdf"
)

// DejaVu Sans, vendored with its licence (fonts/LICENSE): a UTF-8 TrueType font, because
// the PDF core fonts cannot write œ, Œ, ’ or the non-breaking spaces of French typography.
//
//go:embed fonts/DejaVuSans.ttf fonts/DejaVuSans-Bold.ttf
var fonts embed.FS

const (
	family     = "DejaVu"
	margin     = 18.0 // left, right and top margins, mm
	bottom     = 22.0 // room kept for the footer, mm
	bodySize   = 9.5  // points
	smallSize  = 7.5
	lineHeight = 4.6 // mm, for bodySize
	cellPad    = 1.2 // vertical padding inside table cells, mm
)

// page is a PDF being written: fpdf plus the few layout helpers the documents share.
type page struct {
	f        *fpdf.Fpdf
	width    float64 // usable width between the margins
	limit    float64 // lowest y before the footer
	running  string  // short title repeated at the top of continuation pages
	tableHdr func()  // redraws the current table's header after a page break
}

// newPage starts an A4 portrait document with the footer every document carries:
// operator, generation date and "Page n sur N".
func newPage(st Stamp, title, running string) (*page, error) {
	if st.At.IsZero() {
		return nil, ErrNoGenerationTime
	}
	regular, err := fonts.ReadFile("fonts/DejaVuSans.ttf")
	if err != nil {
		return nil, err
	}
	bold, err := fonts.ReadFile("fonts/DejaVuSans-Bold.ttf")
	if err != nil {
		return nil, err
	}
	f := fpdf.New("P", "mm", "A4", "")
	// Fixed dates and sorted catalogues: the same data gives the same bytes. fpdf writes no
	// trailer /ID for an unencrypted file, so nothing else varies between runs.
	f.SetCreationDate(st.At)
	f.SetModificationDate(st.At)
	f.SetCatalogSort(true)
	f.SetTitle(title, true)
	f.SetAuthor(st.Operator, true)
	f.SetCreator(st.Operator, true)
	f.SetLang("fr-FR")
	f.AddUTF8FontFromBytes(family, "", regular)
	f.AddUTF8FontFromBytes(family, "B", bold)
	f.SetMargins(margin, margin, margin)
	f.SetAutoPageBreak(true, bottom)
	f.AliasNbPages("{nb}")

	w, h := f.GetPageSize()
	p := &page{f: f, width: w - 2*margin, limit: h - bottom, running: running}
	f.SetHeaderFunc(func() {
		if f.PageNo() == 1 || p.running == "" {
			return
		}
		f.SetFont(family, "", smallSize)
		f.SetTextColor(90, 90, 90)
		f.CellFormat(p.width, 4, p.running, "", 1, "L", false, 0, "")
		f.SetTextColor(0, 0, 0)
		f.Ln(3)
	})
	f.SetFooterFunc(func() {
		f.SetY(-bottom + 6)
		f.SetDrawColor(160, 160, 160)
		f.Line(margin, f.GetY(), margin+p.width, f.GetY())
		f.SetFont(family, "", smallSize)
		f.SetTextColor(90, 90, 90)
		pageNo := fmt.Sprintf(wPageOf, f.PageNo())
		numberW := 30.0
		y := f.GetY() + 1.5
		for i, line := range p.wrap(footerText(st), p.width-numberW) {
			f.SetXY(margin, y+float64(i)*3.6)
			f.CellFormat(p.width-numberW, 3.6, line, "", 0, "L", false, 0, "")
		}
		f.SetXY(margin+p.width-numberW, y)
		f.CellFormat(numberW, 3.6, pageNo, "", 0, "R", false, 0, "")
		f.SetTextColor(0, 0, 0)
		f.SetDrawColor(0, 0, 0)
	})
	f.AddPage()
	if st.Operator != "" {
		f.SetFont(family, "B", bodySize)
		p.lines(p.wrap(st.Operator, p.width), lineHeight, "L")
		f.Ln(2)
	}
	return p, nil
}

// bytes closes the document and returns it.
func (p *page) bytes() ([]byte, error) {
	var buf bytes.Buffer
	if err := p.f.Output(&buf); err != nil {
		return nil, fmt.Errorf("docs: write PDF: %w", err)
	}
	return buf.Bytes(), nil
}

// title writes the document's title.
func (p *page) title(s string) {
	p.f.SetFont(family, "B", 15)
	p.lines(p.wrap(s, p.width), 7, "L")
	p.f.Ln(3)
}

// heading writes a section heading, kept on the same page as the first line under it.
func (p *page) heading(s string) {
	p.f.Ln(3)
	p.need(2 * lineHeight * 2)
	p.f.SetFont(family, "B", 10.5)
	p.lines(p.wrap(s, p.width), 5.5, "L")
	p.f.Ln(1)
}

// paragraph writes wrapped text in the body font.
func (p *page) paragraph(s string, bold bool) {
	style := ""
	if bold {
		style = "B"
	}
	p.f.SetFont(family, style, bodySize)
	p.lines(p.wrap(s, p.width), lineHeight+0.4, "L")
}

// fact is one "label: value" line of a header block; empty values are left out.
type fact struct{ label, value string }

// facts writes a block of labelled values, the labels in a bold column as wide as the
// longest label (between 42 mm and half the page), so that a label wraps only when it must.
func (p *page) facts(list []fact) {
	var shown []fact
	labelW := 42.0
	p.f.SetFont(family, "B", bodySize)
	for _, it := range list {
		if strings.TrimSpace(it.value) == "" {
			continue
		}
		shown = append(shown, it)
		labelW = max(labelW, p.f.GetStringWidth(label(it.label))+2*p.f.GetCellMargin()+4)
	}
	labelW = min(labelW, p.width/2)
	for _, it := range shown {
		p.f.SetFont(family, "", bodySize)
		values := p.wrap(it.value, p.width-labelW)
		p.f.SetFont(family, "B", bodySize)
		labels := p.wrap(label(it.label), labelW)
		n := max(len(values), len(labels))
		p.need(float64(n) * lineHeight)
		x, y := p.f.GetX(), p.f.GetY()
		p.lines(labels, lineHeight, "L")
		p.f.SetXY(x+labelW, y)
		p.f.SetFont(family, "", bodySize)
		for i, v := range values {
			p.f.SetXY(x+labelW, y+float64(i)*lineHeight)
			p.f.CellFormat(p.width-labelW, lineHeight, v, "", 0, "L", false, 0, "")
		}
		p.f.SetXY(x, y+float64(n)*lineHeight)
	}
}

// column is one column of a table: its heading and width as a share of the usable width.
type column struct {
	heading string
	share   float64
}

// table writes a table whose heading row is repeated at the top of every page it spans.
// Cells wrap their text (a long name grows its row, never overflows its cell), a row is not
// split across two pages (see row), and the heading row is never left alone at a page's foot.
func (p *page) table(cols []column, rows [][]string) {
	widths := make([]float64, len(cols))
	headings := make([]string, len(cols))
	var total float64
	for _, c := range cols {
		total += c.share
	}
	for i, c := range cols {
		widths[i] = p.width * c.share / total
		headings[i] = c.heading
	}
	p.tableHdr = func() { p.row(widths, headings, true) }
	defer func() { p.tableHdr = nil }()
	// The heading row stays on the same page as the first row.
	h, _ := p.cells(widths, headings, true)
	if len(rows) > 0 {
		first, _ := p.cells(widths, rows[0], false)
		h += first
	}
	p.need(h)
	p.tableHdr()
	for _, r := range rows {
		p.row(widths, r, false)
	}
}

// cells sets the font of a table row and wraps its cells; it returns the row's height and
// its lines, cell by cell.
func (p *page) cells(widths []float64, cells []string, heading bool) (float64, [][]string) {
	style := ""
	if heading {
		style = "B"
	}
	p.f.SetFont(family, style, bodySize)
	wrapped := make([][]string, len(widths))
	n := 1
	for i := range widths {
		var text string
		if i < len(cells) {
			text = cells[i]
		}
		wrapped[i] = p.wrap(text, widths[i])
		n = max(n, len(wrapped[i]))
	}
	return float64(n)*lineHeight + 2*cellPad, wrapped
}

// row writes one table row, first moving to a new page (with the heading row again) when
// the row would run into the footer. A row taller than a whole page (some fifty lines in a
// cell) would run over the footer rather than be scattered over many pages; names and
// statuses never come near that.
func (p *page) row(widths []float64, cells []string, heading bool) {
	h, wrapped := p.cells(widths, cells, heading)
	if p.f.GetY()+h > p.limit {
		p.f.AddPage()
		if !heading && p.tableHdr != nil {
			p.tableHdr()
			p.f.SetFont(family, "", bodySize)
		}
	}
	p.f.SetAutoPageBreak(false, bottom)
	defer p.f.SetAutoPageBreak(true, bottom)
	x, y := margin, p.f.GetY()
	p.f.SetDrawColor(150, 150, 150)
	if heading {
		p.f.SetFillColor(232, 232, 232)
	}
	for i, w := range widths {
		rectStyle := "D"
		if heading {
			rectStyle = "FD"
		}
		p.f.Rect(x, y, w, h, rectStyle)
		for j, line := range wrapped[i] {
			p.f.SetXY(x, y+cellPad+float64(j)*lineHeight)
			p.f.CellFormat(w, lineHeight, line, "", 0, "L", false, 0, "")
		}
		x += w
	}
	p.f.SetDrawColor(0, 0, 0)
	p.f.SetXY(margin, y+h)
}

// need moves to a new page unless h millimetres are left above the footer.
func (p *page) need(h float64) {
	if p.f.GetY()+h > p.limit {
		p.f.AddPage()
	}
}

// lines writes already wrapped lines, one under the other, from the left margin.
func (p *page) lines(lines []string, h float64, align string) {
	x := p.f.GetX()
	for _, l := range lines {
		p.f.SetX(x)
		p.f.CellFormat(p.width-(x-margin), h, l, "", 1, align, false, 0, "")
	}
}

// wrap splits s into lines that fit width millimetres in the current font, inside a cell's
// margins. Lines break after a space or a hyphen (never at a non-breaking space, so « : »
// stays with its word); a word longer than a whole line is cut where it must. Explicit
// newlines are kept.
func (p *page) wrap(s string, width float64) []string {
	avail := width - 2*p.f.GetCellMargin()
	var out []string
	for _, para := range strings.Split(s, "\n") {
		line := ""
		for _, seg := range segments(para) {
			if line != "" && p.f.GetStringWidth(strings.TrimRight(line+seg, " ")) > avail {
				out = append(out, strings.TrimRight(line, " "))
				line = ""
			}
			line += seg
			// A single segment wider than the cell: cut it rune by rune.
			for p.f.GetStringWidth(strings.TrimRight(line, " ")) > avail {
				head, rest := p.cut(line, avail)
				out = append(out, head)
				line = rest
			}
		}
		out = append(out, strings.TrimRight(line, " "))
	}
	return out
}

// cut returns the longest prefix of s (at least one rune) that fits avail, and the rest.
func (p *page) cut(s string, avail float64) (string, string) {
	runes := []rune(s)
	n := 1
	for n < len(runes) && p.f.GetStringWidth(string(runes[:n+1])) <= avail {
		n++
	}
	return string(runes[:n]), string(runes[n:])
}

// segments splits s after each breaking space and after each hyphen that follows a letter.
func segments(s string) []string {
	var out []string
	start := 0
	runes := []rune(s)
	for i, r := range runes {
		if r == ' ' || (r == '-' && i > 0 && runes[i-1] != ' ' && i+1 < len(runes)) {
			out = append(out, string(runes[start:i+1]))
			start = i + 1
		}
	}
	if start < len(runes) {
		out = append(out, string(runes[start:]))
	}
	return out
}
