package ui

import (
	"net/http"
	"strings"

	"parcours/internal/attendance"
	"parcours/internal/i18n"
	"parcours/internal/model"
	"parcours/internal/schedule"
)

// The cohort's attendance for its managers: the grid of learners × half-days held, the
// rates with the learners under the threshold flagged, the rates per module, and the
// documents (grid as XLSX, each learner's summary and certificate as PDF).

// gridColumn is a half-day of the grid.
type gridColumn struct {
	Day     model.CohortDay
	HalfDay model.HalfDay
}

type gridPage struct {
	C         *schedule.Cohort
	R         *attendance.Report
	Columns   []gridColumn
	Threshold string
	Open      int // half-days started and not countersigned
}

// Code is a record as the grid shows it.
func (gridPage) Code(a model.Attendance, ok bool) string {
	if !ok {
		return ""
	}
	switch a.Status {
	case model.Present:
		return i18n.T("grid.code.present")
	case model.Late:
		return i18n.T("grid.code.late")
	case model.AbsentJustified:
		return i18n.T("grid.code.absent_justified")
	case model.AbsentUnjustified:
		return i18n.T("grid.code.absent_unjustified")
	}
	return ""
}

// AttendanceGrid shows the cohort's attendance.
func (h *Handler) AttendanceGrid(w http.ResponseWriter, r *http.Request) {
	c, ok := h.loadCalendar(w, r, r.PathValue("id"))
	if !ok {
		return
	}
	rep, err := attendance.LoadReport(r.Context(), h.Store, c)
	if err != nil {
		h.serverError(w, r, err)
		return
	}
	d := gridPage{C: c, R: rep, Threshold: i18n.Percent(float64(rep.Threshold))}
	now := h.Store.Clock.Now()
	for _, day := range c.Scheduled() {
		for _, hd := range day.HalfDays {
			if hd.StartsAt.After(now) {
				continue
			}
			d.Columns = append(d.Columns, gridColumn{day, hd})
			if !hd.Countersigned() {
				d.Open++
			}
		}
	}
	pg := h.page(w, r, "attendance_grid", i18n.T("grid.title", c.Cohort.Label), d)
	pg.Nav = "programmes"
	h.render(w, r, http.StatusOK, pg)
}

// AttendanceXLSX is the grid as a spreadsheet.
func (h *Handler) AttendanceXLSX(w http.ResponseWriter, r *http.Request) {
	c, ok := h.loadCalendar(w, r, r.PathValue("id"))
	if !ok {
		return
	}
	rep, err := attendance.LoadReport(r.Context(), h.Store, c)
	if err != nil {
		h.serverError(w, r, err)
		return
	}
	data, err := rep.Grid(attendance.Stamp(c, h.Config.BrandName, h.Store.Clock.Now()))
	if err != nil {
		h.serverError(w, r, err)
		return
	}
	download(w, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
		"assiduite-"+strings.ToLower(c.Programme.Code)+".xlsx", data)
}

// LearnerDocument sends a learner's summary (releve) or certificate (certificat) to the
// cohort's managers.
func (h *Handler) LearnerDocument(w http.ResponseWriter, r *http.Request) {
	c, ok := h.loadCalendar(w, r, r.PathValue("id"))
	if !ok {
		return
	}
	h.learnerDocument(w, r, c, r.PathValue("enrolment"), r.PathValue("doc"))
}

// learnerDocument renders one of a learner's documents.
func (h *Handler) learnerDocument(w http.ResponseWriter, r *http.Request, c *schedule.Cohort, enrolmentID, doc string) {
	e, ok := c.Learner(enrolmentID)
	if !ok {
		h.ErrorPage(w, r, http.StatusNotFound)
		return
	}
	rep, err := attendance.LoadReport(r.Context(), h.Store, c)
	if err != nil {
		h.serverError(w, r, err)
		return
	}
	stamp := attendance.Stamp(c, h.Config.BrandName, h.Store.Clock.Now())
	var pdf []byte
	switch doc {
	case "releve.pdf":
		pdf, err = rep.LearnerDocument(e.ID, stamp)
	case "certificat.pdf":
		pdf, err = rep.Certificate(e.ID, stamp)
	default:
		h.ErrorPage(w, r, http.StatusNotFound)
		return
	}
	if err != nil {
		h.serverError(w, r, err)
		return
	}
	name := strings.TrimSuffix(doc, ".pdf") + "-" + model.Slug(e.Name()) + ".pdf"
	download(w, "application/pdf", name, pdf)
}
