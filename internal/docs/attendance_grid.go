package docs

import (
	"fmt"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"
)

// AttendanceGrid is a cohort's attendance as a spreadsheet: one row per learner, one column
// per half-day, a short code in each cell (see gridCode) and the learner's rate at the end.
// Texts are French, formatted by the caller.
type AttendanceGrid struct {
	Stamp
	Programme string
	Cohort    string

	Columns []GridColumn // the half-days, in date order
	Rows    []GridRow    // in the order to print (usually by name)
}

// GridColumn is one half-day of the grid.
type GridColumn struct {
	Date    string // e.g. "jeu. 4 févr. 2027"
	HalfDay string // e.g. "matin"
	Module  string // e.g. "Pilotage de l’organisation"
}

// GridRow is one learner's line of the grid.
type GridRow struct {
	Learner   string // e.g. "Éléonore Lœuillet-Çelik"
	Structure string // optional
	Marks     []Mark // one per column, in the same order
	Rate      string // e.g. "87,5 %"
}

// The grid's layout: the title on row 1, the half-days' date, half-day and module on rows
// 2 to 4, the learners from row 5; the learner and structure columns come first.
const (
	gridHeaderRows = 4
	gridFirstMark  = 3 // column C
)

// XLSX renders the grid as a one-sheet workbook. The header rows and the learner column stay
// in view when scrolling. It fails when a row does not have one mark per column.
func (g AttendanceGrid) XLSX() ([]byte, error) {
	if g.At.IsZero() {
		return nil, ErrNoGenerationTime
	}
	for i, r := range g.Rows {
		if len(r.Marks) != len(g.Columns) {
			return nil, fmt.Errorf("docs: attendance grid row %d (%s) has %d marks for %d columns",
				i+1, r.Learner, len(r.Marks), len(g.Columns))
		}
	}

	f := excelize.NewFile()
	defer f.Close()
	// excelize writes its zip entries in sorted order and without timestamps, so the only
	// dates in the file are the document's own, set here from Stamp.At.
	at := g.At.UTC().Format(time.RFC3339)
	title := strings.Join(nonEmpty(gridTitle, g.Programme, g.Cohort), " — ")
	if err := f.SetDocProps(&excelize.DocProperties{
		Title:          title,
		Creator:        g.Operator,
		LastModifiedBy: g.Operator,
		Created:        at,
		Modified:       at,
		Language:       "fr-FR",
	}); err != nil {
		return nil, fmt.Errorf("docs: attendance grid: %w", err)
	}
	if err := f.SetSheetName(f.GetSheetName(0), gridSheet); err != nil {
		return nil, fmt.Errorf("docs: attendance grid: %w", err)
	}
	w := gridWriter{f: f}

	bold := w.style(&excelize.Style{Font: &excelize.Font{Bold: true}})
	heading := w.style(&excelize.Style{
		Font:      &excelize.Font{Bold: true},
		Fill:      excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"E8E8E8"}},
		Alignment: &excelize.Alignment{Horizontal: "center", Vertical: "center", WrapText: true},
		Border:    gridBorders,
	})
	text := w.style(&excelize.Style{
		Alignment: &excelize.Alignment{Vertical: "center", WrapText: true},
		Border:    gridBorders,
	})
	code := w.style(&excelize.Style{
		Alignment: &excelize.Alignment{Horizontal: "center", Vertical: "center"},
		Border:    gridBorders,
	})
	rate := w.style(&excelize.Style{
		Alignment: &excelize.Alignment{Horizontal: "right", Vertical: "center"},
		Border:    gridBorders,
	})

	last := gridFirstMark + len(g.Columns) // the rate's column
	w.set(1, 1, title, bold)
	for _, c := range []struct {
		col  int
		text string
	}{{1, wLearner}, {2, wStructure}, {last, gridRate}} {
		w.set(c.col, 2, c.text, 0)
		w.merge(c.col, 2, c.col, gridHeaderRows, heading)
	}
	for i, c := range g.Columns {
		col := gridFirstMark + i
		w.set(col, 2, c.Date, heading)
		w.set(col, 3, c.HalfDay, heading)
		w.set(col, 4, c.Module, heading)
	}
	for i, r := range g.Rows {
		row := gridHeaderRows + 1 + i
		w.set(1, row, r.Learner, text)
		w.set(2, row, r.Structure, text)
		for j, m := range r.Marks {
			w.set(gridFirstMark+j, row, gridCode(m), code)
		}
		w.set(last, row, r.Rate, rate)
	}

	row := gridHeaderRows + len(g.Rows) + 2 // one blank row under the table
	w.set(1, row, label(gridLegend), bold)
	for i, it := range gridLegendItems {
		w.set(1, row+1+i, it.code, 0)
		w.set(2, row+1+i, it.meaning, 0)
	}
	row += len(gridLegendItems) + 2
	w.set(1, row, footerText(g.Stamp), 0)

	w.width(1, 1, 30)
	w.width(2, 2, 26)
	if len(g.Columns) > 0 {
		w.width(gridFirstMark, last-1, 13)
	}
	w.width(last, last, 16)
	w.height(4, 45) // room for a module's name on three lines
	if w.err == nil {
		w.err = f.SetPanes(gridSheet, &excelize.Panes{
			Freeze:      true,
			XSplit:      1,
			YSplit:      gridHeaderRows,
			TopLeftCell: w.cell(2, gridHeaderRows+1),
			ActivePane:  "bottomRight",
		})
	}
	if w.err != nil {
		return nil, fmt.Errorf("docs: attendance grid: %w", w.err)
	}
	buf, err := f.WriteToBuffer()
	if err != nil {
		return nil, fmt.Errorf("docs: write XLSX: %w", err)
	}
	return buf.Bytes(), nil
}

// gridBorders draws thin grey lines around the table's cells.
var gridBorders = []excelize.Border{
	{Type: "left", Color: "999999", Style: 1},
	{Type: "right", Color: "999999", Style: 1},
	{Type: "top", Color: "999999", Style: 1},
	{Type: "bottom", Color: "999999", Style: 1},
}

// gridWriter writes cells by column and row numbers and keeps the first error, so that the
// layout above reads as a list of cells.
type gridWriter struct {
	f   *excelize.File
	err error
}

func (w *gridWriter) cell(col, row int) string {
	name, err := excelize.CoordinatesToCellName(col, row)
	if err != nil && w.err == nil {
		w.err = err
	}
	return name
}

func (w *gridWriter) style(s *excelize.Style) int {
	id, err := w.f.NewStyle(s)
	if err != nil && w.err == nil {
		w.err = err
	}
	return id
}

// set writes a text cell, with a style unless style is 0. Texts are written as strings, so
// that a rate like "87,5 %" or a code is never read as a number or a date.
func (w *gridWriter) set(col, row int, value string, style int) {
	if w.err != nil {
		return
	}
	name := w.cell(col, row)
	if w.err == nil {
		w.err = w.f.SetCellStr(gridSheet, name, value)
	}
	if w.err == nil && style != 0 {
		w.err = w.f.SetCellStyle(gridSheet, name, name, style)
	}
}

// merge merges a range of cells and styles all of them, so that its borders are drawn.
func (w *gridWriter) merge(col1, row1, col2, row2 int, style int) {
	if w.err != nil {
		return
	}
	from, to := w.cell(col1, row1), w.cell(col2, row2)
	if w.err == nil {
		w.err = w.f.MergeCell(gridSheet, from, to)
	}
	if w.err == nil {
		w.err = w.f.SetCellStyle(gridSheet, from, to, style)
	}
}

func (w *gridWriter) width(col1, col2 int, width float64) {
	if w.err != nil {
		return
	}
	from, err := excelize.ColumnNumberToName(col1)
	if err != nil {
		w.err = err
		return
	}
	to, err := excelize.ColumnNumberToName(col2)
	if err != nil {
		w.err = err
		return
	}
	w.err = w.f.SetColWidth(gridSheet, from, to, width)
}

func (w *gridWriter) height(row int, height float64) {
	if w.err == nil {
		w.err = w.f.SetRowHeight(gridSheet, row, height)
	}
}
