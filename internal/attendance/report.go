package attendance

import (
	"context"

	"parcours/internal/i18n"
	"parcours/internal/mail"
	"parcours/internal/model"
	"parcours/internal/schedule"
	"parcours/internal/storage"
)

// Rate is attendance over held half-days: a half-day is held once countersigned, and it
// counts for a learner who has a record of it (those who joined later or left earlier are
// not counted absent from the half-days before or after). Late counts as present.
type Rate struct {
	Attended, Held               int
	MinutesAttended, MinutesHeld int
}

func (r *Rate) add(h model.HalfDay, a model.Attendance) {
	r.Held++
	r.MinutesHeld += h.Minutes()
	if a.Status.Attended() {
		r.Attended++
		r.MinutesAttended += h.Minutes()
	}
}

// Percent is the rate in percent, 100 when nothing is held yet.
func (r Rate) Percent() float64 {
	if r.Held == 0 {
		return 100
	}
	return 100 * float64(r.Attended) / float64(r.Held)
}

// MinHeld is how many half-days must be held for a learner before a rate under the
// threshold flags them: one absence among the first half-days says nothing yet.
const MinHeld = 6

// Under reports whether the rate is under a threshold in percent, once MinHeld half-days
// are held.
func (r Rate) Under(threshold int) bool { return r.Held >= MinHeld && r.Percent() < float64(threshold) }

// String writes the rate the French way: "87,5 %".
func (r Rate) String() string { return i18n.Percent(r.Percent()) }

// LearnerRate is a learner's line of the report.
type LearnerRate struct {
	Learner model.Enrolment
	Rate
	Under bool // under the programme's threshold
}

// ModuleRate is a module's line of the report, all learners together.
type ModuleRate struct {
	ModuleID, Title string
	Rate
}

// Report is a cohort's attendance: every record, and the rates per learner, per module
// and for the cohort.
type Report struct {
	Cohort    *schedule.Cohort
	Threshold int
	Records   map[string]map[string]model.Attendance // half-day id → enrolment id → record
	Learners  []LearnerRate
	Modules   []ModuleRate
	Total     Rate
}

// LoadReport reads a cohort's attendance.
func LoadReport(ctx context.Context, s *storage.Store, c *schedule.Cohort) (*Report, error) {
	records, err := s.AttendanceOfCohort(ctx, c.Cohort.ID)
	if err != nil {
		return nil, err
	}
	r := &Report{Cohort: c, Threshold: c.Programme.Threshold(), Records: map[string]map[string]model.Attendance{}}
	for _, a := range records {
		if r.Records[a.HalfDayID] == nil {
			r.Records[a.HalfDayID] = map[string]model.Attendance{}
		}
		r.Records[a.HalfDayID][a.EnrolmentID] = a
	}
	byLearner := map[string]*Rate{}
	modules := map[string]*ModuleRate{}
	var order []string
	for _, d := range c.Scheduled() {
		for _, h := range d.HalfDays {
			if !h.Countersigned() {
				continue
			}
			mr, ok := modules[d.ModuleID]
			if !ok {
				mr = &ModuleRate{ModuleID: d.ModuleID, Title: c.ModuleTitle(d.ModuleID)}
				modules[d.ModuleID] = mr
				order = append(order, d.ModuleID)
			}
			for enrolmentID, a := range r.Records[h.ID] {
				if byLearner[enrolmentID] == nil {
					byLearner[enrolmentID] = &Rate{}
				}
				byLearner[enrolmentID].add(h, a)
				mr.add(h, a)
				r.Total.add(h, a)
			}
		}
	}
	for _, e := range c.Learners {
		rate := Rate{}
		if p := byLearner[e.ID]; p != nil {
			rate = *p
		}
		if !e.Active() && rate.Held == 0 {
			continue
		}
		r.Learners = append(r.Learners, LearnerRate{Learner: e, Rate: rate, Under: e.Active() && rate.Under(r.Threshold)})
	}
	for _, m := range c.Modules { // the plan's order, then half-days without a module
		if mr, ok := modules[m.ID]; ok {
			r.Modules = append(r.Modules, *mr)
		}
	}
	for _, id := range order {
		if !planned(c.Modules, id) {
			r.Modules = append(r.Modules, *modules[id])
		}
	}
	return r, nil
}

func planned(modules []model.Module, id string) bool {
	for _, m := range modules {
		if m.ID == id {
			return true
		}
	}
	return false
}

// Learner returns a learner's line.
func (r *Report) Learner(enrolmentID string) (LearnerRate, bool) {
	for _, l := range r.Learners {
		if l.Learner.ID == enrolmentID {
			return l, true
		}
	}
	return LearnerRate{}, false
}

// Under lists the active learners under the threshold.
func (r *Report) Under() []LearnerRate {
	var out []LearnerRate
	for _, l := range r.Learners {
		if l.Under {
			out = append(out, l)
		}
	}
	return out
}

// Record returns what is recorded for a learner at a half-day.
func (r *Report) Record(halfDayID, enrolmentID string) (model.Attendance, bool) {
	a, ok := r.Records[halfDayID][enrolmentID]
	return a, ok
}

// alerts e-mails the programme's managers about each learner under the threshold: once
// per learner and manager, whoever triggers it (outbox dedupe).
func alerts(ctx context.Context, tx *storage.Store, m mail.Site, c *schedule.Cohort) error {
	days, err := tx.Days(ctx, c.Cohort.ID) // with the countersignature just written
	if err != nil {
		return err
	}
	now := *c
	now.Days = days
	r, err := LoadReport(ctx, tx, &now)
	if err != nil {
		return err
	}
	under := r.Under()
	if len(under) == 0 {
		return nil
	}
	managers, err := tx.Managers(ctx, c.Programme.CarrierID)
	if err != nil {
		return err
	}
	for _, l := range under {
		for _, acc := range managers {
			data := map[string]any{"Brand": m.Brand, "Name": acc.DisplayName, "Learner": l.Learner.Name(),
				"Structure": l.Learner.StructureName, "Programme": c.Programme.Title, "Cohort": c.Cohort.Label,
				"Rate": l.Rate.String(), "Threshold": i18n.Percent(float64(r.Threshold)), "Attended": l.Attended, "Held": l.Held,
				"Link": m.BaseURL + "/promotions/" + c.Cohort.ID + "/assiduite"}
			if err := mail.Queue(ctx, tx, acc.Email, "attendance_alert", data, "attendance-alert:"+l.Learner.ID+":"+acc.ID); err != nil {
				return err
			}
		}
	}
	return nil
}
