package attendance

import (
	"strconv"
	"strings"
	"time"

	"parcours/internal/docs"
	"parcours/internal/i18n"
	"parcours/internal/model"
	"parcours/internal/schedule"
)

// The documents are built from the stored records only: the same records and the same
// generation stamp give the same file.

// Stamp is the generation stamp of a document made at now for a cohort.
func Stamp(c *schedule.Cohort, operator string, now time.Time) docs.Stamp {
	return docs.Stamp{Operator: operator, Generated: i18n.DateTime(now, c.Loc), At: now}
}

func markOf(a model.Attendance) docs.Mark {
	m := docs.Mark{LateMinutes: a.LateMinutes, Reason: a.Reason}
	switch a.Status {
	case model.Present:
		m.Status = docs.Present
	case model.Late:
		m.Status = docs.Late
	case model.AbsentJustified:
		m.Status = docs.AbsentJustified
	case model.AbsentUnjustified:
		m.Status = docs.AbsentUnjustified
	}
	return m
}

func (sh *Sheet) accountName(accountID string) string {
	if n := sh.Cohort.TrainerName(accountID); n != "" {
		return n
	}
	return ""
}

// Document is the half-day's signed attendance sheet as a PDF.
func (sh *Sheet) Document(stamp docs.Stamp) ([]byte, error) {
	c := sh.Cohort
	d := docs.AttendanceSheet{
		Stamp: stamp, Programme: c.Programme.Title, Cohort: c.Cohort.Label, Date: schedule.DayDate(sh.Day),
		HalfDay: c.When(sh.HalfDay) + " (" + i18n.ZoneName(c.Loc) + ")", Module: c.ModuleTitle(sh.Day.ModuleID),
		Place: schedule.Where(sh.Day), Trainers: c.TrainerNames(sh.Day),
	}
	for _, l := range sh.Lines {
		line := docs.SheetLine{Name: l.Learner.Name(), Structure: l.Learner.StructureName, Mark: markOf(l.Record)}
		if l.Record.Signed() {
			line.SignedAt = i18n.DateTime(l.Record.SignedAt, c.Loc)
		}
		d.Learners = append(d.Learners, line)
	}
	if sh.HalfDay.Countersigned() {
		d.CountersignedBy = sh.accountName(sh.HalfDay.CountersignedBy)
		d.CountersignedAt = i18n.DateTime(sh.HalfDay.CountersignedAt, c.Loc)
	}
	return d.PDF()
}

// hours writes minutes as hours the French way: "49 h", "136,5 h".
func hours(minutes int) string {
	s := strconv.FormatFloat(float64(minutes)/60, 'f', -1, 64)
	if i := strings.IndexByte(s, '.'); i >= 0 && len(s) > i+2 {
		s = s[:i+2]
	}
	return strings.Replace(s, ".", ",", 1) + "\u00a0h"
}

// LearnerDocument is a learner's attendance summary as a PDF: every half-day held, the
// totals and the rate against the threshold.
func (r *Report) LearnerDocument(enrolmentID string, stamp docs.Stamp) ([]byte, error) {
	c := r.Cohort
	lr, _ := r.Learner(enrolmentID)
	e, _ := c.Learner(enrolmentID)
	d := docs.LearnerSummary{
		Stamp: stamp, Programme: c.Programme.Title, Cohort: c.Cohort.Label, Learner: e.Name(), Structure: e.StructureName,
		HalfDaysAttended: lr.Attended, HalfDaysHeld: lr.Held, HoursAttended: hours(lr.MinutesAttended),
		HoursHeld: hours(lr.MinutesHeld), Rate: lr.Rate.String(), Threshold: i18n.Percent(float64(r.Threshold)),
		ThresholdMet: !lr.Rate.Under(r.Threshold),
	}
	for _, day := range c.Scheduled() {
		for _, h := range day.HalfDays {
			a, ok := r.Record(h.ID, enrolmentID)
			if !ok || !h.Countersigned() {
				continue
			}
			line := docs.SummaryLine{Date: schedule.DayDate(day), HalfDay: c.When(h), Module: c.ModuleTitle(day.ModuleID), Mark: markOf(a)}
			if a.Signed() {
				line.SignedAt = i18n.DateTime(a.SignedAt, c.Loc)
			}
			d.HalfDays = append(d.HalfDays, line)
		}
	}
	return d.PDF()
}

// Certificate is a learner's certificate of completion (certificat de réalisation) as a
// PDF: hours attended out of the hours planned by the calendar, signed for the training
// organisation by the programme's contact.
func (r *Report) Certificate(enrolmentID string, stamp docs.Stamp) ([]byte, error) {
	c := r.Cohort
	lr, _ := r.Learner(enrolmentID)
	e, _ := c.Learner(enrolmentID)
	planned := 0
	for _, d := range c.Scheduled() {
		for _, h := range d.HalfDays {
			planned += h.Minutes()
		}
	}
	from, to := dateOf(c.Cohort.StartsOn), dateOf(c.Cohort.EndsOn)
	if s := c.Scheduled(); len(s) > 0 {
		from, to = dateOf(s[0].Date), dateOf(s[len(s)-1].Date)
	}
	d := docs.Certificate{
		Stamp: stamp, Organisation: docs.Organisation{Name: c.Carrier.Name, SIRET: c.Carrier.SIRET,
			Address: strings.TrimSpace(c.Carrier.Postcode + " " + c.Carrier.Commune)},
		Learner: e.Name(), Structure: e.StructureName, Programme: c.Programme.Title, From: from, To: to,
		HoursAttended: hours(lr.MinutesAttended), HoursPlanned: hours(planned),
		Place: c.Carrier.Commune, Date: i18n.Date(stamp.At.In(c.Loc)), Signatory: c.Programme.ContactName,
	}
	return d.PDF()
}

func dateOf(s string) string {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return s
	}
	return i18n.Date(t)
}

// Grid is the cohort's attendance grid (learners × half-days held or under way) as XLSX.
func (r *Report) Grid(stamp docs.Stamp) ([]byte, error) {
	c := r.Cohort
	g := docs.AttendanceGrid{Stamp: stamp, Programme: c.Programme.Title, Cohort: c.Cohort.Label}
	var halfDays []model.HalfDay
	for _, d := range c.Scheduled() {
		for _, h := range d.HalfDays {
			if !h.StartsAt.After(stamp.At) {
				halfDays = append(halfDays, h)
				g.Columns = append(g.Columns, docs.GridColumn{Date: schedule.DayDate(d), HalfDay: schedule.PartName(h.Part),
					Module: c.ModuleTitle(d.ModuleID)})
			}
		}
	}
	for _, lr := range r.Learners {
		row := docs.GridRow{Learner: lr.Learner.Name(), Structure: lr.Learner.StructureName, Rate: lr.Rate.String()}
		for _, h := range halfDays {
			a, _ := r.Record(h.ID, lr.Learner.ID)
			row.Marks = append(row.Marks, markOf(a))
		}
		g.Rows = append(g.Rows, row)
	}
	return g.XLSX()
}
