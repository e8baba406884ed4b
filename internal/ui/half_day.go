package ui

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"

	"rsc.io/qr"

	"parcours/internal/apply"
	"parcours/internal/attendance"
	"parcours/internal/httpx"
	"parcours/internal/i18n"
	"parcours/internal/model"
	"parcours/internal/policy"
	"parcours/internal/schedule"
	"parcours/internal/validator"
)

// A half-day's attendance sheet, for the cohort's trainers and managers: the learners with
// their signatures, the trainer's marks (one small form per learner, which the page's script
// queues while offline), the countersignature that locks it, and afterwards the manager's
// corrections. The signing screen shows the rotating QR code learners scan.

// sheetAccess loads the half-day of the URL for its cohort's trainers and managers; anyone
// else gets 404. manager tells whether the caller manages the cohort.
func (h *Handler) sheetAccess(w http.ResponseWriter, r *http.Request) (sh *attendance.Sheet, manager bool, ok bool) {
	sh, err := attendance.LoadSheet(r.Context(), h.Store, r.PathValue("id"))
	if err != nil {
		h.fail(w, r, err)
		return nil, false, false
	}
	p, c := httpx.Principal(r), sh.Cohort
	if !policy.ScopeOf(p, policy.TakeAttendance).CoversCohort(c.Cohort.ID, c.Cohort.RegionCode, c.Programme.CarrierID) || sh.Day.Cancelled {
		h.ErrorPage(w, r, http.StatusNotFound)
		return nil, false, false
	}
	manager = policy.ScopeOf(p, policy.ManageCalendar).Covers(c.Cohort.RegionCode, c.Programme.CarrierID)
	return sh, manager, true
}

func sheetPath(sh *attendance.Sheet) string { return "/demi-journees/" + sh.HalfDay.ID }

// sheetPage is the half-day's sheet.
type sheetPage struct {
	Sh        *attendance.Sheet
	C         *schedule.Cohort
	Manager   bool
	Locked    bool
	Started   bool
	Counts    map[model.AttendanceStatus]int
	Signed    int
	Unmarked  int
	Statuses  []option
	Open      string // the learner whose form has errors
	In        attendance.MarkInput
	Why       string
	Countered string // who countersigned
}

func (h *Handler) renderSheet(w http.ResponseWriter, r *http.Request, status int, sh *attendance.Sheet, manager bool,
	errs validator.Errors, in attendance.MarkInput, why string) {
	d := sheetPage{Sh: sh, C: sh.Cohort, Manager: manager, Locked: sh.HalfDay.Countersigned(),
		Started: !h.Store.Clock.Now().Before(sh.HalfDay.StartsAt), Open: in.EnrolmentID, In: in, Why: why}
	d.Counts, d.Signed = sh.Counts()
	d.Unmarked = d.Counts[model.AttendanceNotMarked]
	for _, s := range model.AttendanceStatuses {
		d.Statuses = append(d.Statuses, option{string(s), i18n.T("attendance.status." + string(s))})
	}
	if d.Locked {
		d.Countered = sh.Cohort.TrainerName(sh.HalfDay.CountersignedBy)
		if d.Countered == "" {
			if acc, err := h.Store.Account(r.Context(), sh.HalfDay.CountersignedBy); err == nil {
				d.Countered = acc.DisplayName
			}
		}
	}
	title := i18n.T("sheet.title", schedule.DayDate(sh.Day), schedule.PartName(sh.HalfDay.Part))
	pg := h.page(w, r, "half_day", title, d)
	pg.Nav, pg.Errors = "training", errs
	h.render(w, r, status, pg)
}

// HalfDayShow shows the sheet.
func (h *Handler) HalfDayShow(w http.ResponseWriter, r *http.Request) {
	sh, manager, ok := h.sheetAccess(w, r)
	if !ok {
		return
	}
	h.renderSheet(w, r, http.StatusOK, sh, manager, nil, attendance.MarkInput{}, "")
}

// markInput reads a learner's mark form, its justification file included. The fields are
// named after the learner (late-ID…), as their ids are: one page holds every learner's form.
func markInput(r *http.Request) (attendance.MarkInput, error) {
	id := formValue(r, "enrolment")
	in := attendance.MarkInput{EnrolmentID: id, Status: formValue(r, "status"),
		LateMinutes: formValue(r, "late-"+id), Reason: formValue(r, "reason-"+id)}
	file, header, err := r.FormFile("file")
	if errors.Is(err, http.ErrMissingFile) || errors.Is(err, http.ErrNotMultipart) {
		return in, nil
	}
	if err != nil {
		return in, err
	}
	defer file.Close()
	data, err := io.ReadAll(io.LimitReader(file, apply.MaxFileSize+1))
	if err != nil {
		return in, err
	}
	in.File = &apply.Upload{Name: header.Filename, Data: data}
	return in, nil
}

// queued reports whether the request comes from the page's offline queue, which wants a
// status code rather than a page.
func queued(r *http.Request) bool { return r.Header.Get("X-Parcours-Queue") == "1" }

// HalfDayMark records one learner's mark (before the countersignature).
func (h *Handler) HalfDayMark(w http.ResponseWriter, r *http.Request) {
	sh, manager, ok := h.sheetAccess(w, r)
	if !ok {
		return
	}
	in, err := markInput(r)
	if err != nil {
		h.serverError(w, r, err)
		return
	}
	errs, err := attendance.Mark(r.Context(), h.Store, actor(r), sh, in)
	if errors.Is(err, attendance.ErrLocked) {
		if queued(r) {
			http.Error(w, i18n.T("flash.sheet_locked"), http.StatusConflict)
			return
		}
		redirect(w, r, sheetPath(sh), "flash.sheet_locked")
		return
	}
	if err != nil {
		h.fail(w, r, err)
		return
	}
	if errs.Any() {
		if queued(r) {
			http.Error(w, errs[0].Message, http.StatusUnprocessableEntity)
			return
		}
		h.renderSheet(w, r, http.StatusUnprocessableEntity, sh, manager, errs, in, "")
		return
	}
	if queued(r) {
		w.WriteHeader(http.StatusNoContent)
		return
	}
	redirect(w, r, sheetPath(sh)+"#l-"+in.EnrolmentID, "flash.mark_saved")
}

// HalfDayCorrect changes a mark after the countersignature: managers only, with a reason.
func (h *Handler) HalfDayCorrect(w http.ResponseWriter, r *http.Request) {
	sh, manager, ok := h.sheetAccess(w, r)
	if !ok {
		return
	}
	if !manager {
		h.ErrorPage(w, r, http.StatusForbidden)
		return
	}
	in, err := markInput(r)
	if err != nil {
		h.serverError(w, r, err)
		return
	}
	why := formValue(r, "why-"+in.EnrolmentID)
	errs, err := attendance.Correct(r.Context(), h.Store, actor(r), h.mailing(), sh, in, why)
	if errors.Is(err, attendance.ErrNotLocked) {
		redirect(w, r, sheetPath(sh), "")
		return
	}
	if err != nil {
		h.fail(w, r, err)
		return
	}
	if errs.Any() {
		h.renderSheet(w, r, http.StatusUnprocessableEntity, sh, manager, errs, in, why)
		return
	}
	redirect(w, r, sheetPath(sh)+"#l-"+in.EnrolmentID, "flash.mark_corrected")
}

// HalfDayCountersign closes the half-day.
func (h *Handler) HalfDayCountersign(w http.ResponseWriter, r *http.Request) {
	sh, _, ok := h.sheetAccess(w, r)
	if !ok {
		return
	}
	_, err := attendance.Countersign(r.Context(), h.Store, actor(r), h.mailing(), sh)
	switch {
	case errors.Is(err, attendance.ErrLocked):
		redirect(w, r, sheetPath(sh), "flash.sheet_locked")
	case errors.Is(err, attendance.ErrNotStarted):
		redirect(w, r, sheetPath(sh), "flash.sheet_not_started")
	case err != nil:
		h.fail(w, r, err)
	default:
		redirect(w, r, sheetPath(sh), "flash.sheet_countersigned")
	}
}

// HalfDayPDF is the signed attendance sheet as a PDF.
func (h *Handler) HalfDayPDF(w http.ResponseWriter, r *http.Request) {
	sh, _, ok := h.sheetAccess(w, r)
	if !ok {
		return
	}
	pdf, err := sh.Document(attendance.Stamp(sh.Cohort, h.Config.BrandName, h.Store.Clock.Now()))
	if err != nil {
		h.serverError(w, r, err)
		return
	}
	name := fmt.Sprintf("emargement-%s-%s.pdf", sh.Day.Date, map[model.HalfDayPart]string{model.Morning: "matin", model.Afternoon: "apres-midi"}[sh.HalfDay.Part])
	download(w, "application/pdf", name, pdf)
}

// download sends a generated file as an attachment.
func download(w http.ResponseWriter, contentType, name string, data []byte) {
	w.Header().Set("Content-Type", contentType)
	w.Header().Set("Content-Disposition", `attachment; filename="`+name+`"`)
	w.Header().Set("Cache-Control", "no-store")
	w.Write(data)
}

// signingPage is the screen the trainer shows in the room.
type signingPage struct {
	Sh     *attendance.Sheet
	C      *schedule.Cohort
	QR     qrImage
	Link   string
	Signed int
	Total  int
	Open   bool // within the signing window
}

// HalfDaySigning shows the QR code learners scan to sign; it changes every QRPeriod, and the
// page's script fetches the next one (a link does it without script).
func (h *Handler) HalfDaySigning(w http.ResponseWriter, r *http.Request) {
	sh, _, ok := h.sheetAccess(w, r)
	if !ok {
		return
	}
	key, err := attendance.Key(r.Context(), h.Store)
	if err != nil {
		h.serverError(w, r, err)
		return
	}
	now := h.Store.Clock.Now()
	link := h.mailing().BaseURL + "/emargement/" + sh.HalfDay.ID + "?t=" + attendance.QRToken(key, sh.HalfDay.ID, now)
	img, err := qrOf(link)
	if err != nil {
		h.serverError(w, r, err)
		return
	}
	from, to := attendance.Window(sh.HalfDay, h.Config.SigningMargin)
	d := signingPage{Sh: sh, C: sh.Cohort, QR: img, Total: len(sh.Lines),
		Open: !now.Before(from) && now.Before(to) && !sh.HalfDay.Countersigned()}
	_, d.Signed = sh.Counts()
	pg := h.page(w, r, "signing_screen", i18n.T("signing.title", schedule.DayDate(sh.Day), schedule.PartName(sh.HalfDay.Part)), d)
	pg.Nav = "training"
	h.render(w, r, http.StatusOK, pg)
}

// qrImage is a QR code drawn as SVG squares, inline in the page (no image request, no
// inline style for the Content-Security-Policy to refuse).
type qrImage struct {
	Size    int
	Modules []qrModule
}

type qrModule struct{ X, Y int }

func qrOf(text string) (qrImage, error) {
	code, err := qr.Encode(text, qr.M)
	if err != nil {
		return qrImage{}, err
	}
	const quiet = 4
	img := qrImage{Size: code.Size + 2*quiet}
	for y := 0; y < code.Size; y++ {
		for x := 0; x < code.Size; x++ {
			if code.Black(x, y) {
				img.Modules = append(img.Modules, qrModule{x + quiet, y + quiet})
			}
		}
	}
	return img, nil
}

// Path is the QR code as one SVG path, shorter than a rect per module.
func (q qrImage) Path() string {
	var b strings.Builder
	for _, m := range q.Modules {
		fmt.Fprintf(&b, "M%d %dh1v1h-1z", m.X, m.Y)
	}
	return b.String()
}
