package ui

import (
	"bytes"
	"encoding/csv"
	"net/http"
	"strconv"
	"strings"
	"time"

	"parcours/internal/i18n"
	"parcours/internal/storage"
)

// compositionExport is the composition page's table as a spreadsheet: one row per candidate
// in the composition's order, French headers; figures are numbers, the answer deadline a
// wall-clock time of the région's zone (the column says which).
func (h *Handler) compositionExport(r *http.Request, v storage.CallView) (*exportTable, error) {
	_, _, rows, err := h.compositionTable(r, v)
	if err != nil {
		return nil, err
	}
	loc := regionLocation(v.Cohort.RegionCode)
	now := h.Store.Clock.Now().In(loc)
	t := &exportTable{DateCol: 12, Filename: i18n.T("composition.export.filename") + "-" + v.Programme.Code + "-" +
		v.Cohort.RegionCode + "-" + now.Format("2006-01-02")}
	t.Headers = []string{i18n.T("composition.col.position"), i18n.T("export.col.last_name"), i18n.T("export.col.first_name"),
		i18n.T("export.col.email"), i18n.T("export.col.structure"), i18n.T("export.col.declared"), i18n.T("composition.col.score"),
		i18n.T("composition.col.org_rank"), i18n.T("composition.col.tier"), i18n.T("composition.col.decision"),
		i18n.T("composition.col.offer"), i18n.T("composition.col.seat"), i18n.T("composition.col.deadline_zone", i18n.ZoneName(loc)),
		i18n.T("composition.col.why")}
	blank := func(n int) any { // 0 means "none" for positions, ranks and tiers
		if n == 0 {
			return ""
		}
		return n
	}
	for _, row := range rows {
		var score, offer, seat, deadline any = "", "", "", ""
		if row.Scored {
			score = float64(row.Score) / 100
		}
		if o := row.Offer; o != nil {
			offer, seat = offerStatusLabel(o.Status), o.Seat
			l := o.Deadline.In(loc)
			deadline = time.Date(l.Year(), l.Month(), l.Day(), l.Hour(), l.Minute(), 0, 0, time.UTC)
		}
		declared := i18n.T("export.no")
		if row.Declared {
			declared = i18n.T("export.yes")
		}
		last := row.Last
		if last == "" && row.First == "" {
			last = row.Name // no person any more: the account's e-mail
		}
		t.Rows = append(t.Rows, []any{blank(row.Position), last, row.First, row.Email, row.Structure, declared, score,
			blank(row.OrgRank), blank(row.Tier), row.DecisionText, offer, seat, deadline, row.Sentence})
	}
	return t, nil
}

// csvBytes writes the table as CallApplicationsCSV does, the way French Excel opens it:
// UTF-8 with a byte-order mark, semicolons, CRLF, dates as dd/mm/yyyy hh:mm, decimal commas,
// and no cell that a spreadsheet would run as a formula.
func (t *exportTable) csvBytes() ([]byte, error) {
	var buf bytes.Buffer
	buf.WriteString("\uFEFF")
	cw := csv.NewWriter(&buf)
	cw.Comma, cw.UseCRLF = ';', true
	cw.Write(t.Headers)
	for _, row := range t.Rows {
		record := make([]string, len(row))
		for i, c := range row {
			switch c := c.(type) {
			case time.Time:
				record[i] = c.Format("02/01/2006 15:04")
			case int:
				record[i] = strconv.Itoa(c)
			case float64:
				record[i] = strings.Replace(strconv.FormatFloat(c, 'f', 2, 64), ".", ",", 1)
			case string:
				record[i] = defuseFormula(c)
			}
		}
		cw.Write(record)
	}
	cw.Flush()
	return buf.Bytes(), cw.Error()
}

// CompositionCSV exports the composition as CSV.
func (h *Handler) CompositionCSV(w http.ResponseWriter, r *http.Request) {
	v, ok := h.loadCompositionCall(w, r, r.PathValue("id"))
	if !ok {
		return
	}
	t, err := h.compositionExport(r, v)
	var body []byte
	if err == nil {
		body, err = t.csvBytes()
	}
	if err != nil {
		h.serverError(w, r, err)
		return
	}
	sendExport(w, "text/csv; charset=utf-8", t.Filename+".csv", body)
}

// CompositionXLSX exports the composition as an Excel workbook.
func (h *Handler) CompositionXLSX(w http.ResponseWriter, r *http.Request) {
	v, ok := h.loadCompositionCall(w, r, r.PathValue("id"))
	if !ok {
		return
	}
	t, err := h.compositionExport(r, v)
	var body []byte
	if err == nil {
		body, err = t.xlsx()
	}
	if err != nil {
		h.serverError(w, r, err)
		return
	}
	sendExport(w, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", t.Filename+".xlsx", body)
}
