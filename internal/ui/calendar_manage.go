package ui

import (
	"errors"
	"net/http"
	"strings"

	"parcours/internal/calendar"
	"parcours/internal/httpx"
	"parcours/internal/i18n"
	"parcours/internal/model"
	"parcours/internal/policy"
	"parcours/internal/schedule"
	"parcours/internal/validator"
)

// The manager's calendar of a cohort: its days with their warnings and the totals per
// module against the plan, the pattern that lays out an empty calendar, the trainers, the
// convocations and the cohort's calendar address.

// loadCalendar loads the cohort of the URL for its managers; others get 404.
func (h *Handler) loadCalendar(w http.ResponseWriter, r *http.Request, cohortID string) (*schedule.Cohort, bool) {
	c, err := schedule.Load(r.Context(), h.Store, cohortID)
	if err != nil {
		h.fail(w, r, err)
		return nil, false
	}
	if !policy.ScopeOf(httpx.Principal(r), policy.ManageCalendar).Covers(c.Cohort.RegionCode, c.Programme.CarrierID) {
		h.ErrorPage(w, r, http.StatusNotFound)
		return nil, false
	}
	return c, true
}

func calendarPath(c *schedule.Cohort) string { return "/promotions/" + c.Cohort.ID + "/calendrier" }

// calendarPage is the manager's calendar.
type calendarPage struct {
	C        *schedule.Cohort
	Warnings map[string][]string // date → sentences
	AllWarn  []string
	Totals   []schedule.Total
	Generate schedule.GenerateInput
	Weekdays []option
	Trainer  struct{ Email, Name string }
	FeedURL  string
	Convoked int
	Zone     string
}

// warningText is a calendar warning as the manager reads it.
func warningText(w calendar.Warning) string {
	switch w.Kind {
	case calendar.WarningHoliday:
		return i18n.T("calendar.warning.holiday", w.Holiday)
	case calendar.WarningWeekend:
		return i18n.T("calendar.warning.weekend")
	case calendar.WarningOutsidePeriod:
		return i18n.T("calendar.warning.outside")
	}
	return i18n.T("calendar.warning.duplicate")
}

func (h *Handler) renderCalendar(w http.ResponseWriter, r *http.Request, status int, c *schedule.Cohort, errs validator.Errors,
	edit func(*calendarPage)) {
	d := &calendarPage{C: c, Warnings: map[string][]string{}, Totals: c.Totals(), Generate: c.NewGenerateInput(),
		Zone: i18n.ZoneName(c.Loc)}
	for _, warn := range c.Warnings() {
		text := warningText(warn)
		d.Warnings[warn.Date.String()] = append(d.Warnings[warn.Date.String()], text)
		d.AllWarn = append(d.AllWarn, i18n.LongDate(warn.Date.Time())+" : "+text)
	}
	d.Weekdays = []option{{"", i18n.T("calendar.generate.same_day")}}
	for _, wd := range []string{"1", "2", "3", "4", "5", "6", "0"} {
		d.Weekdays = append(d.Weekdays, option{wd, i18n.T("date.weekday." + wd)})
	}
	for _, e := range c.Active() {
		if !e.ConvokedAt.IsZero() {
			d.Convoked++
		}
	}
	_, token, err := schedule.Feed(r.Context(), h.Store, model.FeedCohort, c.Cohort.ID, httpx.Principal(r).AccountID)
	if err != nil {
		h.serverError(w, r, err)
		return
	}
	d.FeedURL = schedule.FeedURL(h.mailing(), token)
	if edit != nil {
		edit(d)
	}
	pg := h.page(w, r, "calendar_manage", i18n.T("calendar.title", c.Cohort.Label), d)
	pg.Nav, pg.Errors = "programmes", errs
	h.render(w, r, status, pg)
}

// CalendarManage shows the cohort's calendar to its managers.
func (h *Handler) CalendarManage(w http.ResponseWriter, r *http.Request) {
	c, ok := h.loadCalendar(w, r, r.PathValue("id"))
	if !ok {
		return
	}
	h.renderCalendar(w, r, http.StatusOK, c, nil, nil)
}

// CalendarGenerate lays out an empty calendar from the pattern form.
func (h *Handler) CalendarGenerate(w http.ResponseWriter, r *http.Request) {
	c, ok := h.loadCalendar(w, r, r.PathValue("id"))
	if !ok {
		return
	}
	in := schedule.GenerateInput{Start: formValue(r, "start"), Weekday: formValue(r, "weekday"),
		DaysPerMonth: formValue(r, "days_per_month"), Months: formValue(r, "months"),
		SkipWeekends: formValue(r, "skip_weekends") != "", SkipHolidays: formValue(r, "skip_holidays") != ""}
	_, errs, err := schedule.Generate(r.Context(), h.Store, actor(r), c, in)
	if errors.Is(err, schedule.ErrNotEmpty) {
		redirect(w, r, calendarPath(c), "flash.calendar_not_empty")
		return
	}
	if err != nil {
		h.fail(w, r, err)
		return
	}
	if errs.Any() {
		h.renderCalendar(w, r, http.StatusUnprocessableEntity, c, errs, func(d *calendarPage) { d.Generate = in })
		return
	}
	redirect(w, r, calendarPath(c), "flash.calendar_generated")
}

// CalendarConvocations e-mails the convocations: to the learners not convoked yet, or again
// to the one learner the form names.
func (h *Handler) CalendarConvocations(w http.ResponseWriter, r *http.Request) {
	c, ok := h.loadCalendar(w, r, r.PathValue("id"))
	if !ok {
		return
	}
	one := formValue(r, "enrolment")
	n, err := schedule.SendConvocations(r.Context(), h.Store, actor(r), h.mailing(), c, one)
	switch {
	case errors.Is(err, schedule.ErrNoDays):
		redirect(w, r, calendarPath(c), "flash.convocations_no_days")
	case err != nil:
		h.fail(w, r, err)
	case one != "":
		redirect(w, r, calendarPath(c)+"#convocations", "flash.convocation_resent")
	case n == 0:
		redirect(w, r, calendarPath(c)+"#convocations", "flash.convocations_none")
	default:
		redirect(w, r, calendarPath(c)+"#convocations", "flash.convocations_sent")
	}
}

// CalendarTrainerAdd makes a person a trainer of the cohort.
func (h *Handler) CalendarTrainerAdd(w http.ResponseWriter, r *http.Request) {
	c, ok := h.loadCalendar(w, r, r.PathValue("id"))
	if !ok {
		return
	}
	email, name := formValue(r, "email"), formValue(r, "display_name")
	errs, err := schedule.AddTrainer(r.Context(), h.Store, actor(r), h.mailing(), c, email, name)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	if errs.Any() {
		h.renderCalendar(w, r, http.StatusUnprocessableEntity, c, errs, func(d *calendarPage) { d.Trainer.Email, d.Trainer.Name = email, name })
		return
	}
	redirect(w, r, calendarPath(c)+"#formateurs", "flash.trainer_added")
}

// CalendarTrainerRemove ends a trainer's role in the cohort.
func (h *Handler) CalendarTrainerRemove(w http.ResponseWriter, r *http.Request) {
	c, ok := h.loadCalendar(w, r, r.PathValue("id"))
	if !ok {
		return
	}
	if err := schedule.RemoveTrainer(r.Context(), h.Store, actor(r), c, r.PathValue("account")); err != nil {
		h.fail(w, r, err)
		return
	}
	redirect(w, r, calendarPath(c)+"#formateurs", "flash.trainer_removed")
}

// dayForm is the form of a day.
type dayForm struct {
	C        *schedule.Cohort
	Day      model.CohortDay // empty for a new day
	In       schedule.DayInput
	Modules  []option
	Warnings []string
	Locked   bool // some half-day is countersigned: date and times stay
	Zone     string
}

func (h *Handler) renderDayForm(w http.ResponseWriter, r *http.Request, status int, c *schedule.Cohort, day model.CohortDay,
	in schedule.DayInput, errs validator.Errors) {
	d := dayForm{C: c, Day: day, In: in, Modules: []option{{"", i18n.T("calendar.day.no_module")}}, Zone: i18n.ZoneName(c.Loc)}
	for _, m := range c.Modules {
		d.Modules = append(d.Modules, option{m.ID, m.Title})
	}
	for _, warn := range c.WarningsOn(day.Date) {
		d.Warnings = append(d.Warnings, warningText(warn))
	}
	title := i18n.T("calendar.day.new_title")
	if day.ID != "" {
		title = i18n.T("calendar.day.edit_title", schedule.DayDate(day))
		for _, hd := range day.HalfDays {
			d.Locked = d.Locked || hd.Countersigned()
		}
	}
	pg := h.page(w, r, "day_form", title, d)
	pg.Nav, pg.Errors = "programmes", errs
	h.render(w, r, status, pg)
}

// dayInput reads the day form.
func dayInput(r *http.Request) schedule.DayInput {
	r.ParseForm()
	return schedule.DayInput{Date: formValue(r, "date"), ModuleID: formValue(r, "module"), Place: formValue(r, "place"),
		VideoURL: formValue(r, "video_url"), Notes: r.PostFormValue("notes"), Trainers: r.PostForm["trainers"],
		MorningStart: formValue(r, "morning_start"), MorningEnd: formValue(r, "morning_end"),
		AfternoonStart: formValue(r, "afternoon_start"), AfternoonEnd: formValue(r, "afternoon_end")}
}

// DayNew shows the form of a new day.
func (h *Handler) DayNew(w http.ResponseWriter, r *http.Request) {
	c, ok := h.loadCalendar(w, r, r.PathValue("id"))
	if !ok {
		return
	}
	in := c.NewDayInput()
	in.Date = r.URL.Query().Get("date")
	h.renderDayForm(w, r, http.StatusOK, c, model.CohortDay{}, in, nil)
}

// DayCreate adds a day.
func (h *Handler) DayCreate(w http.ResponseWriter, r *http.Request) {
	c, ok := h.loadCalendar(w, r, r.PathValue("id"))
	if !ok {
		return
	}
	h.saveDay(w, r, c, model.CohortDay{})
}

// loadDay loads the day of the URL with its cohort, for its managers.
func (h *Handler) loadDay(w http.ResponseWriter, r *http.Request) (*schedule.Cohort, model.CohortDay, bool) {
	day, err := h.Store.Day(r.Context(), r.PathValue("id"))
	if err != nil {
		h.fail(w, r, err)
		return nil, day, false
	}
	c, ok := h.loadCalendar(w, r, day.CohortID)
	if ok && day.Cancelled {
		h.ErrorPage(w, r, http.StatusNotFound)
		return nil, day, false
	}
	return c, day, ok
}

// DayEdit shows a day's form.
func (h *Handler) DayEdit(w http.ResponseWriter, r *http.Request) {
	c, day, ok := h.loadDay(w, r)
	if !ok {
		return
	}
	h.renderDayForm(w, r, http.StatusOK, c, day, c.InputOf(day), nil)
}

// DayUpdate saves a day's form.
func (h *Handler) DayUpdate(w http.ResponseWriter, r *http.Request) {
	c, day, ok := h.loadDay(w, r)
	if !ok {
		return
	}
	h.saveDay(w, r, c, day)
}

func (h *Handler) saveDay(w http.ResponseWriter, r *http.Request, c *schedule.Cohort, day model.CohortDay) {
	in := dayInput(r)
	saved, errs, err := schedule.SaveDay(r.Context(), h.Store, actor(r), h.mailing(), c, day.ID, in)
	if errors.Is(err, schedule.ErrLocked) {
		errs.Add("date", "locked", i18n.T("calendar.day.locked"))
		err = nil
	}
	if err != nil {
		h.fail(w, r, err)
		return
	}
	if errs.Any() {
		h.renderDayForm(w, r, http.StatusUnprocessableEntity, c, day, in, errs)
		return
	}
	flash := "flash.day_saved"
	if c.Convoked() && (day.ID == "" || strings.TrimSpace(in.Date) != day.Date || saved.Sequence != day.Sequence) {
		flash = "flash.day_saved_learners_told"
	}
	redirect(w, r, calendarPath(c)+"#j-"+saved.Date, flash)
}

// DayDelete removes a day, or cancels it once convocations are out.
func (h *Handler) DayDelete(w http.ResponseWriter, r *http.Request) {
	c, day, ok := h.loadDay(w, r)
	if !ok {
		return
	}
	err := schedule.DeleteDay(r.Context(), h.Store, actor(r), h.mailing(), c, day.ID)
	if errors.Is(err, schedule.ErrLocked) {
		redirect(w, r, calendarPath(c), "flash.day_locked")
		return
	}
	if err != nil {
		h.fail(w, r, err)
		return
	}
	redirect(w, r, calendarPath(c), "flash.day_deleted")
}

// hoursText writes minutes as hours: "28 h", "3 h 30".
func hoursText(minutes int) string {
	if minutes%60 == 0 {
		return i18n.T("calendar.hours", minutes/60)
	}
	return i18n.T("calendar.hours_minutes", minutes/60, minutes%60)
}
