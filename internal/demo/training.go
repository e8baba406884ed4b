package demo

import (
	"context"
	"fmt"
	"math/rand/v2"
	"time"

	"parcours/internal/attendance"
	"parcours/internal/directory"
	"parcours/internal/holidays"
	"parcours/internal/model"
	"parcours/internal/schedule"
	"parcours/internal/territory"
)

// The PACA diploma's pilot cohort, under way: it started eight months before the day Seed
// runs, with fifteen coordinators of the région. Its 39 days are laid out over 16 months
// (two or three days at the start of each month, weekends and holidays skipped; one day of
// next spring was moved onto Whit Monday, which the calendar flags; one day is a virtual
// class), the convocations went out, and every half-day held so far was signed by the
// learners on the trainer's QR code, marked and countersigned — but the last one, which the
// trainer has still to countersign. A few learners were late or absent; one, often absent,
// is under the programme's 80 % and the manager was told.

const pilotLabel = "Promotion pilote — Provence-Alpes-Côte d'Azur"

// absentOften is the learner (by rank) under the threshold.
const absentOften = 3

var absenceReasons = []string{"arrêt maladie", "enfant malade", "garde de nuit de la maison de santé", "obsèques d'un proche",
	"réunion de l'ARS imposée par l'employeur"}

func (sd *seeder) training(ctx context.Context, sum *Summary) error {
	rnd := rand.New(rand.NewPCG(2026, 13)) // its own draws: the data above stays the same
	view := sd.calls[codeDCSEC]
	p := view.Programme
	r, _ := territory.RegionByCode("93")
	loc := r.Location()
	now := sd.seedNow.In(loc)
	start := time.Date(now.Year(), now.Month()-8, 1, 0, 0, 0, 0, loc)
	co := model.Cohort{ProgrammeID: p.ID, RegionCode: "93", Label: pilotLabel, Capacity: 15, OrgCap: 2, OrgMax: 3,
		StartsOn: start.Format(time.DateOnly), EndsOn: start.AddDate(0, 16, -1).Format(time.DateOnly),
		Places: "Institut méditerranéen de formation en santé, 12 rue Saint-Pierre, 13005 Marseille"}
	sd.clock.Set(start.AddDate(0, -5, 0))
	if err := sd.tx.CreateCohort(ctx, &co); err != nil {
		return fmt.Errorf("demo: pilot cohort: %w", err)
	}
	call := view.Call
	call.ID, call.CohortID = "", co.ID
	call.OpensAt, call.ClosesAt = start.AddDate(0, -4, 0), start.AddDate(0, -3, 0)
	call.Intro = "Promotion pilote du diplôme : quinze coordinateurs de la région, de " + co.StartsOn[:7] + " à " + co.EndsOn[:7] + "."
	if err := sd.tx.CreateCall(ctx, &call); err != nil {
		return fmt.Errorf("demo: pilot call: %w", err)
	}
	manager, err := sd.manager(ctx, "gestion.formation@"+EmailDomain)
	if err != nil {
		return err
	}

	// The fifteen learners: coordinators of the région's care structures, two at most per
	// structure, chosen by the pilot's committee (its offers, all accepted).
	sd.clock.Set(call.ClosesAt.Add(20 * 24 * time.Hour))
	run := &model.Composition{CallID: call.ID, RunBy: manager.Principal.AccountID, Capacity: co.Capacity, PerOrg: co.OrgCap,
		MaxPerOrg: co.OrgMax, MinScore: -1, Input: "[]", Output: "[]", Offers: co.Capacity}
	if err := sd.tx.CreateComposition(ctx, run); err != nil {
		return err
	}
	var learners []model.Enrolment
	perStructure := map[string]int{}
	for _, st := range sd.order {
		if st.RegionCode != "93" || !st.Kind.IsCare() || perStructure[st.ID] >= 1 || len(learners) == co.Capacity {
			continue
		}
		for _, tm := range sd.team[st.ID] {
			if tm.role != model.RoleCoordinateur || len(learners) == co.Capacity {
				continue
			}
			e, err := sd.pilotLearner(ctx, call, run, st, tm.person, len(learners)+1)
			if err != nil {
				return err
			}
			learners = append(learners, e)
			perStructure[st.ID]++
		}
	}
	if len(learners) < co.Capacity {
		return fmt.Errorf("demo: only %d coordinators in PACA for the pilot cohort", len(learners))
	}
	sum.Learner, sum.Calls, sum.Applications = learners[0].Email, sum.Calls+1, sum.Applications+len(learners)

	// The calendar, its trainers and the convocations, a month before the start.
	sd.clock.Set(start.AddDate(0, -1, 0))
	c, err := schedule.Load(ctx, sd.tx, co.ID)
	if err != nil {
		return err
	}
	m := sd.mailing
	for _, tr := range []struct{ email, name string }{{"formateur@" + EmailDomain, "Nadia Haddad"}, {"julien.arnaud@" + EmailDomain, "Julien Arnaud"}} {
		if errs, err := schedule.AddTrainer(ctx, sd.tx, manager, m, c, tr.email, tr.name); err != nil || errs.Any() {
			return fmt.Errorf("demo: trainer %s: %v %w", tr.email, errs, err)
		}
	}
	if c, err = schedule.Load(ctx, sd.tx, co.ID); err != nil {
		return err
	}
	in := c.NewGenerateInput()
	in.Weekday = "4" // the first Thursday of each month
	if _, errs, err := schedule.Generate(ctx, sd.tx, manager, c, in); err != nil || errs.Any() {
		return fmt.Errorf("demo: pilot calendar: %v %w", errs, err)
	}
	if c, err = schedule.Load(ctx, sd.tx, co.ID); err != nil {
		return err
	}
	if err := sd.pilotEdits(ctx, manager, c); err != nil {
		return err
	}
	if c, err = schedule.Load(ctx, sd.tx, co.ID); err != nil {
		return err
	}
	if _, err := schedule.SendConvocations(ctx, sd.tx, manager, m, c, ""); err != nil {
		return err
	}
	if c, err = schedule.Load(ctx, sd.tx, co.ID); err != nil {
		return err
	}

	// The half-days held.
	trainer, err := sd.manager(ctx, "formateur@"+EmailDomain)
	if err != nil {
		return err
	}
	trainer.Via = "web"
	var held []model.HalfDay
	for _, d := range c.Scheduled() {
		for _, h := range d.HalfDays {
			if h.EndsAt.Before(sd.seedNow) {
				held = append(held, h)
			}
		}
	}
	for i, h := range held {
		if err := sd.holdHalfDay(ctx, rnd, trainer, c, h, learners, i); err != nil {
			return err
		}
		if i == len(held)-1 { // the last one waits for the trainer's countersignature
			break
		}
		sd.clock.Set(h.EndsAt.Add(time.Duration(2+rnd.IntN(20)) * time.Minute))
		sh, err := attendance.LoadSheet(ctx, sd.tx, h.ID)
		if err != nil {
			return err
		}
		if _, err := attendance.Countersign(ctx, sd.tx, trainer, m, sh); err != nil {
			return fmt.Errorf("demo: countersign %s: %w", h.StartsAt, err)
		}
	}
	if c, err = schedule.Load(ctx, sd.tx, co.ID); err != nil { // with the countersignatures
		return err
	}
	r2, err := attendance.LoadReport(ctx, sd.tx, c)
	if err != nil {
		return err
	}
	if under := r2.Under(); len(under) > 0 {
		sum.UnderThreshold = under[0].Learner.Name()
	}
	sd.clock.Set(sd.seedNow)
	return nil
}

// pilotLearner makes a coordinator a learner of the pilot cohort: their account, their
// application (submitted, eligible), the seat offered and accepted.
func (sd *seeder) pilotLearner(ctx context.Context, call model.Call, run *model.Composition, st *model.Structure, person *model.Person, seat int) (model.Enrolment, error) {
	acc, err := sd.tx.AccountByEmail(ctx, person.Email)
	if err != nil {
		who := &applicant{person: person, structure: st}
		if err := sd.applicantAccount(ctx, who); err != nil {
			return model.Enrolment{}, err
		}
		acc = who.account
	}
	app := model.Application{CallID: call.ID, AccountID: acc.ID, PersonID: person.ID}
	if err := sd.tx.CreateApplication(ctx, &app); err != nil {
		return model.Enrolment{}, fmt.Errorf("demo: pilot application of %s: %w", person.Email, err)
	}
	app.StructureID, app.Role, app.Profession, app.Eligible = st.ID, model.RoleCoordinateur, person.Profession, true
	if err := sd.tx.SaveApplication(ctx, &app); err != nil {
		return model.Enrolment{}, err
	}
	if err := sd.tx.SubmitApplication(ctx, &app, "DCSEC-93", ""); err != nil {
		return model.Enrolment{}, err
	}
	o := &model.Offer{CallID: call.ID, ApplicationID: app.ID, Seat: seat, CompositionID: run.ID,
		Deadline: sd.clock.Now().Add(8 * 24 * time.Hour)}
	if err := sd.tx.CreateOffer(ctx, o); err != nil {
		return model.Enrolment{}, err
	}
	if err := sd.tx.AnswerOffer(ctx, o.ID, model.OfferPending, model.OfferAccepted); err != nil {
		return model.Enrolment{}, err
	}
	if err := sd.tx.Enrol(ctx, call.CohortID, app.ID, acc.ID); err != nil {
		return model.Enrolment{}, err
	}
	list, err := sd.tx.EnrolmentsOfAccount(ctx, acc.ID)
	if err != nil {
		return model.Enrolment{}, err
	}
	for _, e := range list {
		if e.ApplicationID == app.ID {
			return e, nil
		}
	}
	return model.Enrolment{}, fmt.Errorf("demo: %s not enrolled", person.Email)
}

// pilotEdits are the manager's changes after the generation: the first future day of a
// month with a Whit Monday is moved onto it (Parcours flags it), and a day of the autumn
// becomes a virtual class.
func (sd *seeder) pilotEdits(ctx context.Context, manager directory.Actor, c *schedule.Cohort) error {
	moved, remote := false, false
	for _, d := range c.Days {
		date, err := time.Parse(time.DateOnly, d.Date)
		if err != nil || !date.After(sd.seedNow) {
			continue
		}
		in := c.InputOf(d)
		switch {
		case !moved && (date.Month() == time.May || date.Month() == time.June):
			whit := holidays.Easter(date.Year()).AddDate(0, 0, 50)
			if whit.Month() != date.Month() || !whit.After(date) || hasDay(c, whit.Format(time.DateOnly)) {
				continue
			}
			in.Date, moved = whit.Format(time.DateOnly), true
		case !remote && date.Month() >= time.September:
			in.Place, in.VideoURL, remote = "", "https://visio.imfs-demo.fr/dcsec-pilote", true
		default:
			continue
		}
		if _, errs, err := schedule.SaveDay(ctx, sd.tx, manager, sd.mailing, c, d.ID, in); err != nil || errs.Any() {
			return fmt.Errorf("demo: edit the day of %s: %v %w", d.Date, errs, err)
		}
	}
	return nil
}

// hasDay reports whether the calendar has a day on date.
func hasDay(c *schedule.Cohort, date string) bool {
	for _, d := range c.Days {
		if d.Date == date {
			return true
		}
	}
	return false
}

// holdHalfDay records a half-day held: most learners sign on the QR code around the start;
// the trainer marks the late ones and the absent ones.
func (sd *seeder) holdHalfDay(ctx context.Context, rnd *rand.Rand, trainer directory.Actor, c *schedule.Cohort, h model.HalfDay,
	learners []model.Enrolment, index int) error {
	type mark struct {
		e      model.Enrolment
		status model.AttendanceStatus
		late   int
		reason string
	}
	var signed []model.Enrolment
	var marks []mark
	for i, e := range learners {
		roll := rnd.IntN(100)
		switch {
		case i == absentOften && (index%3 == 1 || index%5 == 4):
			if index%2 == 0 {
				marks = append(marks, mark{e: e, status: model.AbsentJustified, reason: absenceReasons[index%len(absenceReasons)]})
			} else {
				marks = append(marks, mark{e: e, status: model.AbsentUnjustified})
			}
		case index < 10 && roll < 8: // the first sessions: everyone there, a few late
			marks = append(marks, mark{e: e, status: model.Late, late: 10 + rnd.IntN(35)})
		case index < 10:
			signed = append(signed, e)
		case roll < 2:
			marks = append(marks, mark{e: e, status: model.AbsentJustified, reason: absenceReasons[rnd.IntN(len(absenceReasons))]})
		case roll < 3:
			marks = append(marks, mark{e: e, status: model.AbsentUnjustified})
		case roll < 8:
			marks = append(marks, mark{e: e, status: model.Late, late: 10 + rnd.IntN(35)})
		default:
			signed = append(signed, e)
		}
	}
	// The signatures are written as attendance.Sign writes them once its checks pass (they
	// would: each learner signs their own half-day in its window, once); calling it ~650
	// times would read the cohort again for each and slow the demo's start.
	at := h.StartsAt.Add(-12 * time.Minute)
	for _, e := range signed {
		at = at.Add(time.Duration(20+rnd.IntN(70)) * time.Second)
		sd.clock.Set(at)
		if err := sd.tx.Sign(ctx, h.ID, e.ID, e.AccountID, fmt.Sprintf("192.0.2.%d", 10+rnd.IntN(200))); err != nil {
			return fmt.Errorf("demo: %s signs %s: %w", e.Email, h.StartsAt, err)
		}
	}
	sd.clock.Set(h.StartsAt.Add(50 * time.Minute))
	sh, err := attendance.LoadSheet(ctx, sd.tx, h.ID)
	if err != nil {
		return err
	}
	for _, mk := range marks {
		in := attendance.MarkInput{EnrolmentID: mk.e.ID, Status: string(mk.status), LateMinutes: fmt.Sprint(mk.late), Reason: mk.reason}
		if errs, err := attendance.Mark(ctx, sd.tx, trainer, sh, in); err != nil || errs.Any() {
			return fmt.Errorf("demo: mark %s on %s: %v %w", mk.e.Email, h.StartsAt, errs, err)
		}
	}
	return nil
}
