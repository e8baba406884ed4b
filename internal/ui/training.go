package ui

import (
	"errors"
	"html/template"
	"net/http"
	"strings"
	"time"

	"parcours/internal/attendance"
	"parcours/internal/httpx"
	"parcours/internal/i18n"
	"parcours/internal/model"
	"parcours/internal/schedule"
	"parcours/internal/storage"
)

// The learners' and trainers' pages: my calendar (with the half-day to sign now and the
// calendar address for the phone), my attendance and documents; the trainer's half-days.
// The signing page is where the QR code leads. The calendar feeds are public by their
// secret address.

// learnerCohort is one cohort of the caller as a learner.
type learnerCohort struct {
	C       *schedule.Cohort
	Me      model.Enrolment
	FeedURL string
	Rate    attendance.LearnerRate
	R       *attendance.Report
	Ended   bool
	Next    model.CohortDay // the next day not over yet; empty when none
}

// learnerCohorts loads the caller's cohorts as a learner (still enrolled).
func (h *Handler) learnerCohorts(r *http.Request, withReport bool) ([]learnerCohort, error) {
	p := httpx.Principal(r)
	enrolments, err := h.Store.EnrolmentsOfAccount(r.Context(), p.AccountID)
	if err != nil {
		return nil, err
	}
	var out []learnerCohort
	for _, e := range enrolments {
		if !e.Active() {
			continue
		}
		c, err := schedule.Load(r.Context(), h.Store, e.CohortID)
		if err != nil {
			return nil, err
		}
		lc := learnerCohort{C: c, Me: e}
		_, token, err := schedule.Feed(r.Context(), h.Store, model.FeedLearner, c.Cohort.ID, p.AccountID)
		if err != nil {
			return nil, err
		}
		lc.FeedURL = schedule.FeedURL(h.mailing(), token)
		for _, d := range c.Scheduled() {
			if last := d.HalfDays[len(d.HalfDays)-1]; last.EndsAt.After(h.Store.Clock.Now()) {
				lc.Next = d
				break
			}
		}
		if s := c.Scheduled(); len(s) > 0 {
			last := s[len(s)-1].HalfDays
			lc.Ended = len(last) > 0 && h.Store.Clock.Now().After(last[len(last)-1].EndsAt)
		}
		if withReport {
			if lc.R, err = attendance.LoadReport(r.Context(), h.Store, c); err != nil {
				return nil, err
			}
			lc.Rate, _ = lc.R.Learner(e.ID)
		}
		out = append(out, lc)
	}
	return out, nil
}

// Webcal is the feed's address for phone calendars (webcal://), which subscribe on a tap.
func (lc learnerCohort) Webcal() template.URL {
	_, rest, _ := strings.Cut(lc.FeedURL, "://")
	return template.URL("webcal://" + rest) // a scheme html/template does not know: built here from our own address
}

// learnerPage is "Mon parcours".
type learnerPage struct {
	Cohorts []learnerCohort
	Now     time.Time
	SignC   *schedule.Cohort
	SignDay model.CohortDay
	SignH   model.HalfDay
	CanSign bool
}

// LearnerCalendar shows the learner's cohorts: the half-day to sign now, the days, and the
// calendar address.
func (h *Handler) LearnerCalendar(w http.ResponseWriter, r *http.Request) {
	cohorts, err := h.learnerCohorts(r, false)
	if err != nil {
		h.serverError(w, r, err)
		return
	}
	d := learnerPage{Cohorts: cohorts, Now: h.Store.Clock.Now()}
	d.SignC, d.SignDay, d.SignH, d.CanSign, err = attendance.Signable(r.Context(), h.Store, h.Config.SigningMargin, httpx.Principal(r).AccountID)
	if err != nil {
		h.serverError(w, r, err)
		return
	}
	pg := h.page(w, r, "learner_calendar", i18n.T("learner.title"), d)
	pg.Nav = "training"
	h.render(w, r, http.StatusOK, pg)
}

// LearnerAttendance shows the learner's attendance and documents.
func (h *Handler) LearnerAttendance(w http.ResponseWriter, r *http.Request) {
	cohorts, err := h.learnerCohorts(r, true)
	if err != nil {
		h.serverError(w, r, err)
		return
	}
	pg := h.page(w, r, "learner_attendance", i18n.T("learner.attendance_title"), learnerPage{Cohorts: cohorts})
	pg.Nav = "training"
	h.render(w, r, http.StatusOK, pg)
}

// LearnerDocumentOwn sends one of the caller's own documents; the certificate once the
// cohort's last half-day has ended.
func (h *Handler) LearnerDocumentOwn(w http.ResponseWriter, r *http.Request) {
	cohorts, err := h.learnerCohorts(r, false)
	if err != nil {
		h.serverError(w, r, err)
		return
	}
	for _, lc := range cohorts {
		if lc.C.Cohort.ID == r.PathValue("id") {
			if r.PathValue("doc") == "certificat.pdf" && !lc.Ended {
				h.ErrorPage(w, r, http.StatusNotFound)
				return
			}
			h.learnerDocument(w, r, lc.C, lc.Me.ID, r.PathValue("doc"))
			return
		}
	}
	h.ErrorPage(w, r, http.StatusNotFound)
}

// FeedRenew gives one of the caller's calendar feeds a new address; the old one stops.
func (h *Handler) FeedRenew(w http.ResponseWriter, r *http.Request) {
	p := httpx.Principal(r)
	feeds, err := h.Store.FeedsOfAccount(r.Context(), p.AccountID)
	if err != nil {
		h.serverError(w, r, err)
		return
	}
	kind, cohortID := model.FeedKind(formValue(r, "kind")), formValue(r, "cohort")
	for _, f := range feeds {
		if f.Kind == kind && f.CohortID == cohortID {
			if _, _, err := schedule.RenewFeed(r.Context(), h.Store, f.ID, p.AccountID); err != nil {
				h.fail(w, r, err)
				return
			}
		}
	}
	back := "/mon-parcours#abonnement"
	if kind == model.FeedTrainer {
		back = "/formateur#abonnement"
	} else if kind == model.FeedCohort {
		back = "/promotions/" + cohortID + "/calendrier"
	}
	redirect(w, r, back, "flash.feed_renewed")
}

// CalendarFeed serves a calendar by its secret address, to calendar apps (no login).
func (h *Handler) CalendarFeed(w http.ResponseWriter, r *http.Request) {
	token, ok := strings.CutSuffix(r.PathValue("file"), ".ics")
	if !ok {
		h.ErrorPage(w, r, http.StatusNotFound)
		return
	}
	doc, err := schedule.FeedDocument(r.Context(), h.Store, h.mailing(), token)
	if err != nil {
		if errors.Is(err, storage.ErrNotFound) {
			http.Error(w, i18n.T("feed.not_found"), http.StatusNotFound)
			return
		}
		h.serverError(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "text/calendar; charset=utf-8")
	w.Header().Set("Cache-Control", "private, max-age=300")
	w.Write(doc)
}

// trainerPage is the trainer's half-days.
type trainerPage struct {
	Rows    []trainerRow
	FeedURL string
	Webcal  template.URL
}

type trainerRow struct {
	C    *schedule.Cohort
	Day  model.CohortDay
	Half model.HalfDay
	Past bool
}

// TrainerHome lists the half-days the caller teaches: today's and the next first, then the
// past ones still to countersign, then those closed.
func (h *Handler) TrainerHome(w http.ResponseWriter, r *http.Request) {
	p := httpx.Principal(r)
	days, err := h.Store.DaysOfTrainer(r.Context(), p.AccountID)
	if err != nil {
		h.serverError(w, r, err)
		return
	}
	now := h.Store.Clock.Now()
	cohorts := map[string]*schedule.Cohort{}
	var d trainerPage
	for _, day := range days {
		c, ok := cohorts[day.CohortID]
		if !ok {
			if c, err = schedule.Load(r.Context(), h.Store, day.CohortID); err != nil {
				h.serverError(w, r, err)
				return
			}
			cohorts[day.CohortID] = c
		}
		if !c.IsTrainer(p.AccountID) || day.Cancelled {
			continue
		}
		for _, hd := range day.HalfDays {
			d.Rows = append(d.Rows, trainerRow{C: c, Day: day, Half: hd, Past: !hd.EndsAt.After(now)})
		}
	}
	_, token, err := schedule.Feed(r.Context(), h.Store, model.FeedTrainer, "", p.AccountID)
	if err != nil {
		h.serverError(w, r, err)
		return
	}
	d.FeedURL = schedule.FeedURL(h.mailing(), token)
	d.Webcal = learnerCohort{FeedURL: d.FeedURL}.Webcal()
	pg := h.page(w, r, "trainer_home", i18n.T("trainer.title"), d)
	pg.Nav = "training"
	h.render(w, r, http.StatusOK, pg)
}

// signPage is where a learner signs a half-day.
type signPage struct {
	C       *schedule.Cohort
	Day     model.CohortDay
	Half    model.HalfDay
	Token   string
	Refusal string
	Signed  time.Time
}

// loadSignable loads the half-day of the URL for a learner of its cohort; others get 404
// on the page (the signature itself says why it is refused).
func (h *Handler) loadSignable(w http.ResponseWriter, r *http.Request) (signPage, bool) {
	day, err := h.Store.DayOfHalfDay(r.Context(), r.PathValue("id"))
	if err != nil {
		h.fail(w, r, err)
		return signPage{}, false
	}
	c, err := schedule.Load(r.Context(), h.Store, day.CohortID)
	if err != nil {
		h.serverError(w, r, err)
		return signPage{}, false
	}
	_, hd, _ := c.HalfDay(r.PathValue("id"))
	return signPage{C: c, Day: day, Half: hd}, true
}

func (h *Handler) renderSign(w http.ResponseWriter, r *http.Request, status int, d signPage) {
	pg := h.page(w, r, "sign", i18n.T("sign.title", schedule.DayDate(d.Day), schedule.PartName(d.Half.Part)), d)
	pg.Nav = "training"
	h.render(w, r, status, pg)
}

// SignShow is where the QR code leads: the half-day, and the button to sign it.
func (h *Handler) SignShow(w http.ResponseWriter, r *http.Request) {
	d, ok := h.loadSignable(w, r)
	if !ok {
		return
	}
	d.Token = r.URL.Query().Get("t")
	if _, learner := d.C.LearnerOf(httpx.Principal(r).AccountID); !learner {
		d.Refusal = i18n.T("attendance.refused.not_learner")
		h.renderSign(w, r, http.StatusForbidden, d)
		return
	}
	h.renderSign(w, r, http.StatusOK, d)
}

// Sign records the learner's signature, or says why it is refused.
func (h *Handler) Sign(w http.ResponseWriter, r *http.Request) {
	d, ok := h.loadSignable(w, r)
	if !ok {
		return
	}
	d.Token = formValue(r, "t")
	err := attendance.Sign(r.Context(), h.Store, h.Config.SigningMargin, attendance.Signature{HalfDayID: d.Half.ID,
		AccountID: httpx.Principal(r).AccountID, IP: httpx.ClientIP(r), QR: d.Token})
	var refusal *attendance.Refusal
	switch {
	case errors.As(err, &refusal):
		d.Refusal = refusal.Message
		status := http.StatusConflict
		if refusal.Code == "not_learner" {
			status = http.StatusForbidden
		}
		h.renderSign(w, r, status, d)
	case err != nil:
		h.serverError(w, r, err)
	default:
		redirect(w, r, "/emargement/"+d.Half.ID+"/fait", "")
	}
}

// SignDone confirms the signature with its time.
func (h *Handler) SignDone(w http.ResponseWriter, r *http.Request) {
	d, ok := h.loadSignable(w, r)
	if !ok {
		return
	}
	me, learner := d.C.LearnerOf(httpx.Principal(r).AccountID)
	if !learner {
		h.ErrorPage(w, r, http.StatusNotFound)
		return
	}
	records, err := h.Store.AttendanceOfHalfDay(r.Context(), d.Half.ID)
	if err != nil {
		h.serverError(w, r, err)
		return
	}
	for _, a := range records {
		if a.EnrolmentID == me.ID && a.Signed() {
			d.Signed = a.SignedAt
		}
	}
	if d.Signed.IsZero() {
		http.Redirect(w, r, "/emargement/"+d.Half.ID, http.StatusSeeOther)
		return
	}
	h.renderSign(w, r, http.StatusOK, d)
}
