package schedule

import (
	"context"
	"errors"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"parcours/internal/calendar"
	"parcours/internal/directory"
	"parcours/internal/i18n"
	"parcours/internal/localtime"
	"parcours/internal/mail"
	"parcours/internal/model"
	"parcours/internal/storage"
	"parcours/internal/validator"
)

// The usual times of a training day, offered in forms and used by Generate.
const (
	MorningStart   = "09:00"
	MorningEnd     = "12:30"
	AfternoonStart = "13:30"
	AfternoonEnd   = "17:00"
)

// DayInput is a day as the manager types it: times are local "HH:MM" clock readings; a
// half-day whose two times are empty is not held.
type DayInput struct {
	Date                         string // YYYY-MM-DD
	ModuleID                     string
	Place, VideoURL, Notes       string
	Trainers                     []string // account ids of the cohort's trainers
	MorningStart, MorningEnd     string
	AfternoonStart, AfternoonEnd string
}

// NewDayInput is the form of a new day: the usual times and the cohort's place.
func (c *Cohort) NewDayInput() DayInput {
	return DayInput{Place: c.Cohort.Places, MorningStart: MorningStart, MorningEnd: MorningEnd,
		AfternoonStart: AfternoonStart, AfternoonEnd: AfternoonEnd}
}

// InputOf is the form of an existing day.
func (c *Cohort) InputOf(d model.CohortDay) DayInput {
	in := DayInput{Date: d.Date, ModuleID: d.ModuleID, Place: d.Place, VideoURL: d.VideoURL, Notes: d.Notes,
		Trainers: slices.Clone(d.Trainers)}
	for _, h := range d.HalfDays {
		start, end := h.StartsAt.In(c.Loc).Format("15:04"), h.EndsAt.In(c.Loc).Format("15:04")
		if h.Part == model.Morning {
			in.MorningStart, in.MorningEnd = start, end
		} else {
			in.AfternoonStart, in.AfternoonEnd = start, end
		}
	}
	return in
}

// dayOf checks a typed day and turns it into the day to store (with its half-days as
// instants). Problems come back as errs, keyed by form field.
func (c *Cohort) dayOf(in DayInput, dayID string) (model.CohortDay, validator.Errors) {
	var errs validator.Errors
	d := model.CohortDay{ID: dayID, CohortID: c.Cohort.ID, ModuleID: in.ModuleID, Place: strings.TrimSpace(in.Place),
		VideoURL: strings.TrimSpace(in.VideoURL), Notes: strings.TrimSpace(in.Notes)}
	date, err := calendar.ParseDate(strings.TrimSpace(in.Date))
	switch {
	case strings.TrimSpace(in.Date) == "":
		errs.Add("date", "required", i18n.T("validation.required"))
	case err != nil || !date.Valid():
		errs.Add("date", "invalid", i18n.T("schedule.date_invalid"))
	default:
		d.Date = date.String()
		for _, other := range c.Days {
			if other.Date == d.Date && other.ID != dayID {
				errs.Add("date", "taken", i18n.T("schedule.date_taken"))
			}
		}
	}
	if d.ModuleID != "" && !slices.ContainsFunc(c.Modules, func(m model.Module) bool { return m.ID == d.ModuleID }) {
		errs.Add("module", "invalid", i18n.T("validation.choose"))
	}
	if d.Place == "" && d.VideoURL == "" {
		errs.Add("place", "required", i18n.T("schedule.place_required"))
	}
	if utf8.RuneCountInString(d.Place) > 300 {
		errs.Add("place", "too_long", i18n.T("validation.too_long", 300))
	}
	if d.VideoURL != "" {
		if u, err := url.Parse(d.VideoURL); err != nil || u.Scheme != "https" || u.Host == "" || len(d.VideoURL) > 500 {
			errs.Add("video_url", "invalid", i18n.T("schedule.video_invalid"))
		}
	}
	if utf8.RuneCountInString(d.Notes) > 2000 {
		errs.Add("notes", "too_long", i18n.T("validation.too_long", 2000))
	}
	for _, t := range in.Trainers {
		if !c.IsTrainer(t) {
			errs.Add("trainers", "invalid", i18n.T("validation.choose"))
			break
		}
		if !slices.Contains(d.Trainers, t) {
			d.Trainers = append(d.Trainers, t)
		}
	}
	parts := []struct {
		part       model.HalfDayPart
		field      string
		start, end string
	}{
		{model.Morning, "morning", in.MorningStart, in.MorningEnd},
		{model.Afternoon, "afternoon", in.AfternoonStart, in.AfternoonEnd},
	}
	for _, p := range parts {
		start, end := strings.TrimSpace(p.start), strings.TrimSpace(p.end)
		if start == "" && end == "" {
			continue
		}
		if _, err := calendar.Minutes(start, end); err != nil {
			if errors.Is(err, calendar.ErrEndNotAfterStart) {
				errs.Add(p.field, "order", i18n.T("schedule.end_before_start"))
			} else {
				errs.Add(p.field, "invalid", i18n.T("schedule.times_invalid"))
			}
			continue
		}
		if d.Date == "" {
			continue
		}
		from, err1 := localtime.Parse(d.Date, start, c.Loc)
		to, err2 := localtime.Parse(d.Date, end, c.Loc)
		if err := errors.Join(err1, err2); err != nil {
			errs.Add(p.field, "invalid", err.Error())
			continue
		}
		d.HalfDays = append(d.HalfDays, model.HalfDay{Part: p.part, StartsAt: from, EndsAt: to})
	}
	if len(d.HalfDays) == 2 && !d.HalfDays[1].StartsAt.After(d.HalfDays[0].EndsAt) && !errs.Any() {
		errs.Add("afternoon", "order", i18n.T("schedule.afternoon_after_morning"))
	}
	if len(d.HalfDays) == 0 && errs.For("morning") == "" && errs.For("afternoon") == "" {
		errs.Add("morning", "required", i18n.T("schedule.half_day_required"))
	}
	return d, errs
}

// recorded reports whether a half-day is countersigned or has attendance, which pins it.
func recorded(ctx context.Context, s *storage.Store, h model.HalfDay) (bool, error) {
	if h.Countersigned() {
		return true, nil
	}
	list, err := s.AttendanceOfHalfDay(ctx, h.ID)
	return len(list) > 0, err
}

// SaveDay creates a day (dayID "") or changes one. A day whose half-days have attendance
// keeps its date and times (ErrLocked). A change of date, times or place raises the day's
// sequence; once convocations are out, learners are e-mailed the new or changed day with
// their updated calendar.
func SaveDay(ctx context.Context, s *storage.Store, actor directory.Actor, m mail.Site, c *Cohort, dayID string,
	in DayInput) (model.CohortDay, validator.Errors, error) {
	d, errs := c.dayOf(in, dayID)
	if errs.Any() {
		return d, errs, nil
	}
	var old model.CohortDay
	if dayID != "" {
		var ok bool
		if old, ok = c.Day(dayID); !ok || old.Cancelled {
			return d, nil, storage.ErrNotFound
		}
		d.Sequence, d.CreatedAt = old.Sequence, old.CreatedAt
		for _, h := range old.HalfDays {
			locked, err := recorded(ctx, s, h)
			if err != nil {
				return d, nil, err
			}
			if locked && !sameHalfDay(h, d.HalfDays) {
				return d, nil, ErrLocked
			}
		}
	}
	bump := dayID != "" && changed(old, d)
	err := s.InTx(ctx, func(tx *storage.Store) error {
		if err := tx.SaveDay(ctx, &d, bump); err != nil {
			return err
		}
		action := "day.create"
		if dayID != "" {
			action = "day.update"
		}
		if err := actor.Audit(ctx, tx, action, "cohort", c.Cohort.ID, map[string]any{"day": d.ID, "date": d.Date,
			"sequence": d.Sequence}); err != nil {
			return err
		}
		if (bump || dayID == "") && c.Convoked() {
			return c.notifyChange(ctx, tx, m, d, old)
		}
		return nil
	})
	if errors.Is(err, storage.ErrAlreadyExists) {
		errs.Add("date", "taken", i18n.T("schedule.date_taken"))
		return d, errs, nil
	}
	return d, nil, err
}

// sameHalfDay reports whether h is kept, with the same times, among the half-days.
func sameHalfDay(h model.HalfDay, list []model.HalfDay) bool {
	return slices.ContainsFunc(list, func(n model.HalfDay) bool {
		return n.Part == h.Part && n.StartsAt.Equal(h.StartsAt) && n.EndsAt.Equal(h.EndsAt)
	})
}

// changed reports whether learners must be told of the change from old to d.
func changed(old, d model.CohortDay) bool {
	if old.Date != d.Date || old.Place != d.Place || old.VideoURL != d.VideoURL || len(old.HalfDays) != len(d.HalfDays) {
		return true
	}
	for _, h := range old.HalfDays {
		if !sameHalfDay(h, d.HalfDays) {
			return true
		}
	}
	return false
}

// DeleteDay removes a day without attendance. Once convocations are out, the day is kept as
// cancelled instead, so that the calendars that hold it remove it, and learners are told.
func DeleteDay(ctx context.Context, s *storage.Store, actor directory.Actor, m mail.Site, c *Cohort, dayID string) error {
	d, ok := c.Day(dayID)
	if !ok || d.Cancelled {
		return storage.ErrNotFound
	}
	for _, h := range d.HalfDays {
		locked, err := recorded(ctx, s, h)
		if err != nil {
			return err
		}
		if locked {
			return ErrLocked
		}
	}
	return s.InTx(ctx, func(tx *storage.Store) error {
		if err := actor.Audit(ctx, tx, "day.delete", "cohort", c.Cohort.ID, map[string]any{"day": d.ID, "date": d.Date}); err != nil {
			return err
		}
		if !c.Convoked() {
			return tx.DeleteDay(ctx, d.ID)
		}
		old := d
		d.Cancelled = true
		if err := tx.SaveDay(ctx, &d, true); err != nil {
			return err
		}
		return c.notifyChange(ctx, tx, m, d, old)
	})
}

// GenerateInput is the pattern form: the first day, an optional weekday, days per month,
// months, and whether to skip weekends and holidays. Numbers are as typed.
type GenerateInput struct {
	Start        string
	Weekday      string // "" or 0 (Sunday) to 6
	DaysPerMonth string
	Months       string // "" for no bound
	SkipWeekends bool
	SkipHolidays bool
}

// NewGenerateInput is the form's start: two days a month over the programme's months, from
// the cohort's start, weekends and holidays skipped.
func (c *Cohort) NewGenerateInput() GenerateInput {
	in := GenerateInput{Start: c.Cohort.StartsOn, DaysPerMonth: "2", SkipWeekends: true, SkipHolidays: true}
	if c.Programme.DurationMonths > 0 {
		in.Months = strconv.Itoa(c.Programme.DurationMonths)
	}
	return in
}

// Generate lays out the programme's days on an empty calendar from a pattern, with the usual
// times, the cohort's place and trainers, and the programme's modules in order, each for as
// many days as its hours fill.
func Generate(ctx context.Context, s *storage.Store, actor directory.Actor, c *Cohort, in GenerateInput) (int, validator.Errors, error) {
	var errs validator.Errors
	if len(c.Days) > 0 {
		return 0, nil, ErrNotEmpty
	}
	if c.Programme.Days <= 0 {
		errs.Add("start", "invalid", i18n.T("schedule.programme_days_missing"))
		return 0, errs, nil
	}
	p := calendar.Pattern{Total: c.Programme.Days, SkipWeekends: in.SkipWeekends, SkipHolidays: in.SkipHolidays,
		Departement: c.Departement}
	var err error
	if p.Start, err = calendar.ParseDate(strings.TrimSpace(in.Start)); err != nil {
		p.Start = calendar.Date{}
	}
	if in.Weekday != "" {
		w, err := strconv.Atoi(in.Weekday)
		if err != nil {
			w = -1
		}
		wd := time.Weekday(w)
		p.Weekday = &wd
	}
	p.DaysPerMonth, _ = strconv.Atoi(strings.TrimSpace(in.DaysPerMonth))
	if strings.TrimSpace(in.Months) != "" {
		if p.Months, err = strconv.Atoi(strings.TrimSpace(in.Months)); err != nil {
			p.Months = -1
		}
	}
	dates, err := calendar.Generate(p)
	switch {
	case errors.Is(err, calendar.ErrStart):
		errs.Add("start", "invalid", i18n.T("schedule.date_invalid"))
	case errors.Is(err, calendar.ErrWeekday):
		errs.Add("weekday", "invalid", i18n.T("validation.choose"))
	case errors.Is(err, calendar.ErrDaysPerMonth):
		errs.Add("days_per_month", "invalid", i18n.T("schedule.days_per_month_invalid", calendar.MaxDaysPerMonth))
	case errors.Is(err, calendar.ErrMonths):
		errs.Add("months", "invalid", i18n.T("schedule.months_too_few", c.Programme.Days))
	case errors.Is(err, calendar.ErrTotal):
		errs.Add("start", "invalid", i18n.T("schedule.programme_days_missing"))
	case err != nil:
		return 0, nil, err
	}
	if errs.Any() {
		return 0, errs, nil
	}
	modules := moduleSequence(c.Modules, len(dates))
	days := make([]model.CohortDay, len(dates))
	for i, date := range dates {
		in := c.NewDayInput()
		in.Date, in.ModuleID = date.String(), modules[i]
		for _, t := range c.Trainers {
			in.Trainers = append(in.Trainers, t.ID)
		}
		d, errs := c.dayOf(in, "")
		if errs.Any() { // a time in a clock change: say which day
			errs.Add("start", "invalid", i18n.T("schedule.generate_day_invalid", i18n.Date(date.Time())))
			return 0, errs, nil
		}
		days[i] = d
	}
	err = s.InTx(ctx, func(tx *storage.Store) error {
		for i := range days {
			if err := tx.SaveDay(ctx, &days[i], false); err != nil {
				return err
			}
		}
		return actor.Audit(ctx, tx, "day.generate", "cohort", c.Cohort.ID, map[string]any{"days": len(days),
			"from": dates[0].String(), "to": dates[len(dates)-1].String()})
	})
	return len(days), nil, err
}

// dayMinutes is what a usual day holds: two half-days of three hours and a half.
const dayMinutes = 7 * 60

// moduleSequence gives each of n days a module: the plan's modules in order, each for as
// many days as its hours fill, then none.
func moduleSequence(modules []model.Module, n int) []string {
	out := make([]string, n)
	i, left := 0, 0
	if len(modules) > 0 {
		left = modules[0].Hours * 60
	}
	for day := range out {
		for i < len(modules) && left <= 0 {
			i++
			if i < len(modules) {
				left = modules[i].Hours * 60
			}
		}
		if i == len(modules) {
			break
		}
		out[day] = modules[i].ID
		left -= dayMinutes
	}
	return out
}
