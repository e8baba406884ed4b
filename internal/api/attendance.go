package api

import (
	"errors"
	"math"
	"net/http"
	"strconv"
	"strings"

	"parcours/internal/attendance"
	"parcours/internal/httpx"
	"parcours/internal/i18n"
	"parcours/internal/model"
	"parcours/internal/policy"
	"parcours/internal/schedule"
	"parcours/internal/storage"
	"parcours/internal/validator"
)

// Attendance, with the same policy as the pages: a cohort's report and its half-days'
// sheets, marks and countersignatures for those who take its attendance (its managers and
// trainers); after the countersignature, corrections by its managers only; signatures by
// its learners. Anyone else gets 404.

type recordJSON struct {
	Status      *string `json:"status"`
	LateMinutes int     `json:"late_minutes"`
	Reason      *string `json:"reason"`
	SignedAt    *string `json:"signed_at"`
	MarkedAt    *string `json:"marked_at"`
}

func recordOut(a model.Attendance) recordJSON {
	return recordJSON{Status: optional(string(a.Status)), LateMinutes: a.LateMinutes, Reason: optional(a.Reason),
		SignedAt: optionalInstant(a.SignedAt), MarkedAt: optionalInstant(a.MarkedAt)}
}

// attendanceRecordJSON is what is recorded for a learner at a half-day.
type attendanceRecordJSON struct {
	HalfDayID   string `json:"half_day_id"`
	EnrolmentID string `json:"enrolment_id"`
	recordJSON
}

type learnerRateJSON struct {
	EnrolmentID    string  `json:"enrolment_id"`
	Name           string  `json:"name"`
	Structure      string  `json:"structure"`
	Active         bool    `json:"active"`
	Attended       int     `json:"attended"`
	Held           int     `json:"held"`
	RatePercent    float64 `json:"rate_percent"`
	UnderThreshold bool    `json:"under_threshold"`
}

type cohortAttendanceJSON struct {
	CohortID  string                 `json:"cohort_id"`
	Threshold int                    `json:"threshold"`
	Learners  []learnerRateJSON      `json:"learners"`
	Records   []attendanceRecordJSON `json:"records"`
}

// lineJSON is a learner's line on a sheet.
type lineJSON struct {
	EnrolmentID string `json:"enrolment_id"`
	Name        string `json:"name"`
	Structure   string `json:"structure"`
	Active      bool   `json:"active"`
	recordJSON
}

// sheetJSON is a half-day with its day, its countersignature and its learners' lines.
type sheetJSON struct {
	halfDayJSON
	CountersignedBy *string    `json:"countersigned_by"`
	CohortID        string     `json:"cohort_id"`
	DayID           string     `json:"day_id"`
	Date            string     `json:"date"`
	Cancelled       bool       `json:"cancelled"`
	TimeZone        string     `json:"time_zone"`
	Lines           []lineJSON `json:"lines"`
}

// markJSON is a mark as sent: correction_reason is required after the countersignature.
type markJSON struct {
	Status           string `json:"status"`
	LateMinutes      int    `json:"late_minutes"`
	Reason           string `json:"reason"`
	CorrectionReason string `json:"correction_reason"`
}

func lineOut(l attendance.Line) lineJSON {
	e := l.Learner
	return lineJSON{EnrolmentID: e.ID, Name: e.Name(), Structure: e.StructureName, Active: e.Active(), recordJSON: recordOut(l.Record)}
}

func sheetOut(sh *attendance.Sheet) sheetJSON {
	c := sh.Cohort
	out := sheetJSON{halfDayJSON: halfDayOut(c, sh.HalfDay), CountersignedBy: optional(sh.HalfDay.CountersignedBy),
		CohortID: c.Cohort.ID, DayID: sh.Day.ID, Date: sh.Day.Date, Cancelled: sh.Day.Cancelled, TimeZone: c.Loc.String(),
		Lines: []lineJSON{}}
	for _, l := range sh.Lines {
		out.Lines = append(out.Lines, lineOut(l))
	}
	return out
}

// conflict answers 409: the half-day's state refuses the operation, and data.half_day says
// why with a stable code.
func conflict(w http.ResponseWriter, code, message string) {
	httpx.WriteError(w, http.StatusConflict, message, map[string]httpx.FieldError{"half_day": {Code: code, Message: message}})
}

// sheetFor reads the sheet of the URL's half-day for those who take its attendance; any
// other is 404.
func (h *Handler) sheetFor(w http.ResponseWriter, r *http.Request) (*attendance.Sheet, bool) {
	sh, err := attendance.LoadSheet(r.Context(), h.Store, r.PathValue("id"))
	if err == nil && !covers(r, policy.TakeAttendance, sh.Cohort) {
		err = storage.ErrNotFound
	}
	if err != nil {
		h.fail(w, r, err)
		return nil, false
	}
	return sh, true
}

// CohortAttendance returns a cohort's attendance: each learner's rate over the half-days
// held (countersigned) against the programme's threshold, and every record.
func (h *Handler) CohortAttendance(w http.ResponseWriter, r *http.Request) {
	c, ok := h.cohortFor(w, r, func(c *schedule.Cohort) bool { return covers(r, policy.TakeAttendance, c) })
	if !ok {
		return
	}
	report, err := attendance.LoadReport(r.Context(), h.Store, c)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	out := cohortAttendanceJSON{CohortID: c.Cohort.ID, Threshold: report.Threshold, Learners: []learnerRateJSON{},
		Records: []attendanceRecordJSON{}}
	for _, l := range report.Learners {
		e := l.Learner
		out.Learners = append(out.Learners, learnerRateJSON{EnrolmentID: e.ID, Name: e.Name(), Structure: e.StructureName,
			Active: e.Active(), Attended: l.Attended, Held: l.Held, RatePercent: math.Round(l.Percent()*10) / 10,
			UnderThreshold: l.Under})
	}
	for _, d := range c.Days {
		for _, hd := range d.HalfDays {
			for _, e := range c.Learners {
				if a, ok := report.Record(hd.ID, e.ID); ok {
					out.Records = append(out.Records, attendanceRecordJSON{HalfDayID: hd.ID, EnrolmentID: e.ID, recordJSON: recordOut(a)})
				}
			}
		}
	}
	httpx.WriteJSON(w, http.StatusOK, out)
}

// HalfDayAttendance returns a half-day's sheet.
func (h *Handler) HalfDayAttendance(w http.ResponseWriter, r *http.Request) {
	if sh, ok := h.sheetFor(w, r); ok {
		httpx.WriteJSON(w, http.StatusOK, sheetOut(sh))
	}
}

// markFields names a mark's errors as the API's fields: the sheet's form fields carry the
// learner ("late-<enrolment>").
var markFields = map[string]string{"status": "status", "late": "late_minutes", "reason": "reason", "why": "correction_reason"}

func markErrors(errs validator.Errors, enrolmentID string) validator.Errors {
	out := validator.Errors{}
	for _, e := range errs {
		name := strings.TrimSuffix(e.Field, "-"+enrolmentID)
		if field, ok := markFields[name]; ok {
			name = field
		}
		out.Add(name, e.Code, e.Message)
	}
	return out
}

// AttendanceMark sets a learner's mark: before the countersignature, as the pages' marks;
// after it, only the cohort's managers correct it, with a reason kept in the audit log.
func (h *Handler) AttendanceMark(w http.ResponseWriter, r *http.Request) {
	sh, ok := h.sheetFor(w, r)
	if !ok {
		return
	}
	enrolmentID := r.PathValue("enrolment")
	if _, ok := sh.Line(enrolmentID); !ok {
		notFound(w)
		return
	}
	var in markJSON
	if !decode(w, r, &in) {
		return
	}
	ctx := r.Context()
	mark := attendance.MarkInput{EnrolmentID: enrolmentID, Status: in.Status, LateMinutes: strconv.Itoa(in.LateMinutes), Reason: in.Reason}
	var errs validator.Errors
	var err error
	switch {
	case !sh.HalfDay.Countersigned():
		errs, err = attendance.Mark(ctx, h.Store, actor(r), sh, mark)
	case covers(r, policy.ManageCalendar, sh.Cohort):
		errs, err = attendance.Correct(ctx, h.Store, actor(r), h.Mailing, sh, mark, in.CorrectionReason)
	default:
		err = attendance.ErrLocked
	}
	if errors.Is(err, attendance.ErrLocked) {
		conflict(w, "locked", i18n.T("api.attendance.locked"))
		return
	}
	if err == nil && !errs.Any() {
		sh, err = attendance.LoadSheet(ctx, h.Store, sh.HalfDay.ID)
	}
	var out lineJSON
	if err == nil && !errs.Any() {
		line, _ := sh.Line(enrolmentID)
		out = lineOut(line)
	}
	h.respond(w, r, markErrors(errs, enrolmentID), err, http.StatusOK, out)
}

// Countersign closes a half-day that has started: the learners not marked are recorded
// absent, and the sheet is locked.
func (h *Handler) Countersign(w http.ResponseWriter, r *http.Request) {
	sh, ok := h.sheetFor(w, r)
	if !ok {
		return
	}
	ctx := r.Context()
	_, err := attendance.Countersign(ctx, h.Store, actor(r), h.Mailing, sh)
	switch {
	case errors.Is(err, attendance.ErrLocked):
		conflict(w, "locked", i18n.T("api.attendance.countersigned"))
		return
	case errors.Is(err, attendance.ErrNotStarted):
		conflict(w, "not_started", i18n.T("api.attendance.not_started", i18n.DateTime(sh.HalfDay.StartsAt, sh.Cohort.Loc)))
		return
	case err == nil:
		sh, err = attendance.LoadSheet(ctx, h.Store, sh.HalfDay.ID)
	}
	if err != nil {
		h.fail(w, r, err)
		return
	}
	httpx.WriteJSON(w, http.StatusOK, sheetOut(sh))
}

// Sign records the caller's own signature of a half-day of their cohort, within its window,
// from the QR code shown in the room or without one (from their calendar). A refusal is 409
// with the learner's sentence and its code; a half-day not of their cohort is 404.
func (h *Handler) Sign(w http.ResponseWriter, r *http.Request) {
	var in struct {
		QR string `json:"qr"`
	}
	if r.ContentLength != 0 && !decode(w, r, &in) {
		return
	}
	ctx, me, halfDayID := r.Context(), httpx.Principal(r).AccountID, r.PathValue("id")
	err := attendance.Sign(ctx, h.Store, h.SigningMargin,
		attendance.Signature{HalfDayID: halfDayID, AccountID: me, IP: httpx.ClientIP(r), QR: in.QR})
	var refusal *attendance.Refusal
	switch {
	case errors.As(err, &refusal) && refusal.Code == "not_learner":
		notFound(w)
		return
	case errors.As(err, &refusal):
		conflict(w, refusal.Code, refusal.Message)
		return
	}
	var sh *attendance.Sheet
	if err == nil {
		sh, err = attendance.LoadSheet(ctx, h.Store, halfDayID)
	}
	if err != nil {
		h.fail(w, r, err)
		return
	}
	e, _ := sh.Cohort.LearnerOf(me)
	line, _ := sh.Line(e.ID)
	httpx.WriteJSON(w, http.StatusOK, attendanceRecordJSON{HalfDayID: halfDayID, EnrolmentID: e.ID, recordJSON: recordOut(line.Record)})
}
