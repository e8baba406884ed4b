package ui

import (
	"bytes"
	"encoding/csv"
	"mime"
	"net/http"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"

	"parcours/internal/i18n"
	"parcours/internal/model"
	"parcours/internal/storage"
	"parcours/internal/territory"
)

// exportTable is a call's applications as a table: French headers, one row per application.
// The submission instant is a wall-clock time of the région's zone (UTC-located, as
// spreadsheets have no zones); every other cell is text.
type exportTable struct {
	Headers  []string
	Rows     [][]any
	DateCol  int    // the column of the submission instant
	Filename string // without extension: candidatures-AMG-52-2026-11-23
}

// applicationsTable reads the applications of the call that the URL's filters keep.
func (h *Handler) applicationsTable(r *http.Request, v storage.CallView) (*exportTable, error) {
	ctx := r.Context()
	rows, err := h.reviewRows(r, reviewFilterOf(r.URL.Query()).applicationFilter(v.Call.ID))
	if err != nil {
		return nil, err
	}
	questions, err := h.Store.Questions(ctx, v.Call.ID)
	if err != nil {
		return nil, err
	}
	answers, err := h.Store.AnswersOfCall(ctx, v.Call.ID)
	if err != nil {
		return nil, err
	}
	loc := time.UTC
	if reg, ok := territory.RegionByCode(v.Cohort.RegionCode); ok {
		loc = reg.Location()
	}
	now := h.Store.Clock.Now().In(loc)
	t := &exportTable{DateCol: 2, Filename: i18n.T("export.filename") + "-" + v.Programme.Code + "-" + v.Cohort.RegionCode + "-" + now.Format("2006-01-02")}
	t.Headers = []string{i18n.T("export.col.receipt"), i18n.T("export.col.status"), i18n.T("export.col.submitted_at", i18n.ZoneName(loc)),
		i18n.T("export.col.last_name"), i18n.T("export.col.first_name"), i18n.T("export.col.email"), i18n.T("export.col.profession"),
		i18n.T("export.col.structure"), i18n.T("export.col.kind"), i18n.T("export.col.finess"), i18n.T("export.col.departement"),
		i18n.T("export.col.region"), i18n.T("export.col.declared"), i18n.T("export.col.role"), i18n.T("export.col.role_confirmed"),
		i18n.T("export.col.eligible"), i18n.T("export.col.reasons"), i18n.T("export.col.decision"), i18n.T("export.col.reason")}
	for _, q := range questions {
		t.Headers = append(t.Headers, q.Label)
	}
	yesNo := func(b bool) string {
		if b {
			return i18n.T("export.yes")
		}
		return i18n.T("export.no")
	}
	for _, row := range rows {
		a := row.Application
		var submitted any = ""
		if !a.SubmittedAt.IsZero() {
			l := a.SubmittedAt.In(loc)
			submitted = time.Date(l.Year(), l.Month(), l.Day(), l.Hour(), l.Minute(), l.Second(), 0, time.UTC)
		}
		kind, dep, region := "", "", ""
		if row.StructureKind != "" {
			kind = i18n.T("structure.kind." + string(row.StructureKind))
		}
		if row.DepartementCode != "" {
			dep = departementName(row.DepartementCode)
			region = regionName(reviewRegionOf(row.DepartementCode))
		}
		role, confirmed := "", ""
		if a.Role != "" {
			role = i18n.T("member.role." + string(a.Role))
			confirmed = yesNo(row.RoleConfirmed())
		}
		eligible := i18n.T("export.yes")
		switch row.Eligibility {
		case eligibilityNo:
			eligible = i18n.T("export.no")
		case eligibilityReview:
			eligible = i18n.T("export.review")
		}
		decision := ""
		switch a.Override {
		case model.OverrideEligible:
			decision = i18n.T("export.decision.eligible")
		case model.OverrideIneligible:
			decision = i18n.T("export.decision.ineligible")
		}
		profession := ""
		if a.Profession != "" {
			profession = i18n.T("person.profession." + string(a.Profession))
		}
		cells := []any{a.Receipt, i18n.T("application.status." + string(a.Status)), submitted, row.Person.LastName,
			row.Person.FirstName, row.Email, profession, row.StructureName, kind, row.Structure.FINESS, dep, region,
			yesNo(row.Declared()), role, confirmed, eligible, strings.Join(a.Reasons, " ; "), decision, a.OverrideReason}
		for _, q := range questions {
			cells = append(cells, answers[a.ID][q.ID].Value) // a file answer's value is the file's name
		}
		t.Rows = append(t.Rows, cells)
	}
	return t, nil
}

// sendExport answers a file to download, never kept by a shared cache.
func sendExport(w http.ResponseWriter, contentType, filename string, body []byte) {
	w.Header().Set("Content-Type", contentType)
	w.Header().Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": filename}))
	w.Header().Set("Cache-Control", "private, no-store")
	w.Write(body)
}

// CallApplicationsCSV exports the filtered applications as CSV the way French Excel opens
// it: UTF-8 with a byte-order mark, semicolons, RFC 4180 quoting.
func (h *Handler) CallApplicationsCSV(w http.ResponseWriter, r *http.Request) {
	v, ok := h.loadReviewCall(w, r)
	if !ok {
		return
	}
	t, err := h.applicationsTable(r, v)
	if err != nil {
		h.serverError(w, r, err)
		return
	}
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
			case string:
				record[i] = defuseFormula(c)
			}
		}
		cw.Write(record)
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		h.serverError(w, r, err)
		return
	}
	sendExport(w, "text/csv; charset=utf-8", t.Filename+".csv", buf.Bytes())
}

// defuseFormula keeps a spreadsheet from running a candidate's answer as a formula: a text
// cell that starts like one gets a leading apostrophe (OWASP's advice on CSV injection).
func defuseFormula(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}

// CallApplicationsXLSX exports the filtered applications as an Excel workbook: one sheet,
// a bold header row that stays in view, columns wide enough to read.
func (h *Handler) CallApplicationsXLSX(w http.ResponseWriter, r *http.Request) {
	v, ok := h.loadReviewCall(w, r)
	if !ok {
		return
	}
	t, err := h.applicationsTable(r, v)
	if err != nil {
		h.serverError(w, r, err)
		return
	}
	body, err := t.xlsx()
	if err != nil {
		h.serverError(w, r, err)
		return
	}
	sendExport(w, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", t.Filename+".xlsx", body)
}

func (t *exportTable) xlsx() ([]byte, error) {
	f := excelize.NewFile()
	defer f.Close()
	sheet := i18n.T("export.sheet")
	if err := f.SetSheetName("Sheet1", sheet); err != nil {
		return nil, err
	}
	bold, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}, Alignment: &excelize.Alignment{Vertical: "top", WrapText: true}})
	if err != nil {
		return nil, err
	}
	dateFormat := "dd/mm/yyyy hh:mm"
	dated, err := f.NewStyle(&excelize.Style{CustomNumFmt: &dateFormat})
	if err != nil {
		return nil, err
	}
	if err := f.SetSheetRow(sheet, "A1", &t.Headers); err != nil {
		return nil, err
	}
	widths := make([]int, len(t.Headers))
	for i, h := range t.Headers {
		widths[i] = utf8.RuneCountInString(h)
	}
	for n, row := range t.Rows {
		cell, _ := excelize.CoordinatesToCellName(1, n+2)
		if err := f.SetSheetRow(sheet, cell, &row); err != nil {
			return nil, err
		}
		for i, c := range row {
			if s, ok := c.(string); ok {
				widths[i] = max(widths[i], utf8.RuneCountInString(s))
			} else {
				widths[i] = max(widths[i], 16)
			}
		}
	}
	last, _ := excelize.ColumnNumberToName(len(t.Headers))
	if err := f.SetCellStyle(sheet, "A1", last+"1", bold); err != nil {
		return nil, err
	}
	if len(t.Rows) > 0 {
		col, _ := excelize.ColumnNumberToName(t.DateCol + 1)
		if err := f.SetCellStyle(sheet, col+"2", col+strconv.Itoa(len(t.Rows)+1), dated); err != nil {
			return nil, err
		}
	}
	for i, wd := range widths {
		col, _ := excelize.ColumnNumberToName(i + 1)
		if err := f.SetColWidth(sheet, col, col, float64(min(max(wd, 8), 60)+2)); err != nil {
			return nil, err
		}
	}
	if err := f.SetPanes(sheet, &excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}
