// Package schedule runs a cohort's calendar: its training days and half-days, its trainers,
// the convocations e-mailed to learners with the calendar attached, and the secret calendar
// addresses (feeds) that phones subscribe to. The pure rules (patterns, warnings, totals)
// are in package calendar; the iCalendar writing in package ical.
package schedule

import (
	"context"
	"errors"
	"slices"
	"time"

	"parcours/internal/calendar"
	"parcours/internal/model"
	"parcours/internal/storage"
	"parcours/internal/territory"
)

// Cohort is a cohort with what its calendar pages need, read at once.
type Cohort struct {
	Programme   model.Programme
	Cohort      model.Cohort
	Carrier     model.Structure // the training organisation
	Modules     []model.Module
	Loc         *time.Location // the région's zone: times are typed and shown in it
	Departement string         // for holidays: the département of the cohort's place, when known
	Days        []model.CohortDay
	Learners    []model.Enrolment // those who left included
	Trainers    []model.Account
}

// Load reads a cohort's calendar.
func Load(ctx context.Context, s *storage.Store, cohortID string) (*Cohort, error) {
	co, err := s.Cohort(ctx, cohortID)
	if err != nil {
		return nil, err
	}
	c := &Cohort{Cohort: co, Loc: time.UTC}
	if c.Programme, err = s.Programme(ctx, co.ProgrammeID); err != nil {
		return nil, err
	}
	if c.Carrier, err = s.Structure(ctx, c.Programme.CarrierID); err != nil {
		return nil, err
	}
	if c.Modules, err = s.Modules(ctx, co.ProgrammeID); err != nil {
		return nil, err
	}
	if c.Days, err = s.Days(ctx, cohortID); err != nil {
		return nil, err
	}
	if c.Learners, err = s.Enrolments(ctx, cohortID); err != nil {
		return nil, err
	}
	if c.Trainers, err = s.Trainers(ctx, cohortID); err != nil {
		return nil, err
	}
	if r, ok := territory.RegionByCode(co.RegionCode); ok {
		c.Loc = r.Location()
	}
	c.Departement = departementOf(co)
	return c, nil
}

// departementOf finds the département whose holidays apply: the one of the first postcode
// in the cohort's places, else the région's only one (overseas), else none (national list).
func departementOf(co model.Cohort) string {
	for _, word := range postcodes(co.Places) {
		if d, ok := territory.DepartementOfPostcode(word); ok {
			return d
		}
	}
	if ds := territory.DepartementsOf(co.RegionCode); len(ds) == 1 {
		return ds[0].Code
	}
	return ""
}

// postcodes returns the five-digit words of s.
func postcodes(s string) []string {
	var out []string
	run := 0
	for i := 0; i <= len(s); i++ {
		if i < len(s) && s[i] >= '0' && s[i] <= '9' {
			run++
			continue
		}
		if run == 5 {
			out = append(out, s[i-5:i])
		}
		run = 0
	}
	return out
}

// Active lists the learners still in the cohort.
func (c *Cohort) Active() []model.Enrolment {
	var out []model.Enrolment
	for _, e := range c.Learners {
		if e.Active() {
			out = append(out, e)
		}
	}
	return out
}

// Learner returns a learner of the cohort by enrolment id.
func (c *Cohort) Learner(enrolmentID string) (model.Enrolment, bool) {
	for _, e := range c.Learners {
		if e.ID == enrolmentID {
			return e, true
		}
	}
	return model.Enrolment{}, false
}

// LearnerOf returns the account's enrolment in the cohort, if they are still a learner.
func (c *Cohort) LearnerOf(accountID string) (model.Enrolment, bool) {
	for _, e := range c.Learners {
		if e.AccountID == accountID && e.Active() {
			return e, true
		}
	}
	return model.Enrolment{}, false
}

// Day returns a day of the cohort.
func (c *Cohort) Day(dayID string) (model.CohortDay, bool) {
	for _, d := range c.Days {
		if d.ID == dayID {
			return d, true
		}
	}
	return model.CohortDay{}, false
}

// HalfDay returns a half-day of the cohort with its day.
func (c *Cohort) HalfDay(halfDayID string) (model.CohortDay, model.HalfDay, bool) {
	for _, d := range c.Days {
		for _, h := range d.HalfDays {
			if h.ID == halfDayID {
				return d, h, true
			}
		}
	}
	return model.CohortDay{}, model.HalfDay{}, false
}

// Scheduled lists the days that are not cancelled.
func (c *Cohort) Scheduled() []model.CohortDay {
	var out []model.CohortDay
	for _, d := range c.Days {
		if !d.Cancelled {
			out = append(out, d)
		}
	}
	return out
}

// ModuleTitle names a module of the programme ("" for none; a removed one is said so).
func (c *Cohort) ModuleTitle(moduleID string) string {
	if moduleID == "" {
		return ""
	}
	for _, m := range c.Modules {
		if m.ID == moduleID {
			return m.Title
		}
	}
	return removedModule
}

// removedModule names a module the programme no longer has.
const removedModule = "?"

// TrainerName names a trainer of the cohort by account id.
func (c *Cohort) TrainerName(accountID string) string {
	for _, a := range c.Trainers {
		if a.ID == accountID {
			if a.DisplayName != "" {
				return a.DisplayName
			}
			return a.Email
		}
	}
	return ""
}

// TrainerNames names the trainers of a day.
func (c *Cohort) TrainerNames(d model.CohortDay) []string {
	var out []string
	for _, id := range d.Trainers {
		if n := c.TrainerName(id); n != "" {
			out = append(out, n)
		}
	}
	return out
}

// IsTrainer reports whether the account is a trainer of the cohort.
func (c *Cohort) IsTrainer(accountID string) bool {
	return slices.ContainsFunc(c.Trainers, func(a model.Account) bool { return a.ID == accountID })
}

// Warnings lists what the manager should look at: days on holidays or weekends, outside
// the cohort's period, twice the same date.
func (c *Cohort) Warnings() []calendar.Warning {
	var dates []calendar.Date
	for _, d := range c.Scheduled() {
		if date, err := calendar.ParseDate(d.Date); err == nil {
			dates = append(dates, date)
		}
	}
	from, _ := calendar.ParseDate(c.Cohort.StartsOn)
	to, _ := calendar.ParseDate(c.Cohort.EndsOn)
	return calendar.Check(dates, from, to, c.Departement)
}

// WarningsOn lists the warnings of one date.
func (c *Cohort) WarningsOn(date string) []calendar.Warning {
	var out []calendar.Warning
	for _, w := range c.Warnings() {
		if w.Date.String() == date {
			out = append(out, w)
		}
	}
	return out
}

// Total is a module's line of the plan against the calendar.
type Total struct {
	Title string // "" for the half-days without a module
	calendar.ModuleTotal
}

// Totals adds up the scheduled hours per module against the programme's plan.
func (c *Cohort) Totals() []Total {
	planned := make([]calendar.PlannedModule, len(c.Modules))
	for i, m := range c.Modules {
		planned[i] = calendar.PlannedModule{ID: m.ID, Minutes: m.Hours * 60}
	}
	var scheduled []calendar.ScheduledHalfDay
	for _, d := range c.Scheduled() {
		for _, h := range d.HalfDays {
			scheduled = append(scheduled, calendar.ScheduledHalfDay{ModuleID: d.ModuleID,
				Start: h.StartsAt.In(c.Loc).Format("15:04"), End: h.EndsAt.In(c.Loc).Format("15:04")})
		}
	}
	lines, err := calendar.Totals(planned, scheduled)
	if err != nil { // stored half-days always end after they start
		return nil
	}
	out := make([]Total, len(lines))
	for i, l := range lines {
		out[i] = Total{Title: c.ModuleTitle(l.ID), ModuleTotal: l}
	}
	return out
}

// ScheduledDays is the number of days laid out (not cancelled), against Programme.Days.
func (c *Cohort) ScheduledDays() int { return len(c.Scheduled()) }

// Convoked reports whether some learner has had the convocation: changes are then sent.
func (c *Cohort) Convoked() bool {
	return slices.ContainsFunc(c.Learners, func(e model.Enrolment) bool { return e.Active() && !e.ConvokedAt.IsZero() })
}

// Errors of the calendar's operations.
var (
	ErrLocked   = errors.New("schedule: a half-day of this day is countersigned or has attendance")
	ErrNoDays   = errors.New("schedule: the cohort has no days")
	ErrNotEmpty = errors.New("schedule: the cohort has days already")
)
