package apptest

import (
	"context"
	"fmt"

	"parcours/internal/directory"
	"parcours/internal/model"
	"parcours/internal/policy"
	"parcours/internal/storage"
)

// Training is a cohort under way: the fixture's AMG programme given two modules and a PACA
// cohort (February 2027 – May 2028, Marseille) with three learners, whose trainer is the
// fixture's trainer account. Another cohort has the fixture's candidate as its learner.
// No day is laid out yet.
type Training struct {
	Cohort   model.Cohort
	Other    model.Cohort
	Modules  []model.Module
	Learners []Learner
	Outsider Learner // the learner of the other cohort
}

// Learner is a learner of a training cohort.
type Learner struct {
	AccountID, Email, Name string
	Enrolment              model.Enrolment
}

// Trainer is the fixture's trainer account, as an actor.
func (a *App) Trainer() directory.Actor {
	return directory.Actor{Principal: &policy.Principal{AccountID: a.Fixture.Accounts[model.RoleTrainer].ID}, Via: "test"}
}

// NewTraining makes the training cohort and its learners.
func (a *App) NewTraining() *Training {
	a.T.Helper()
	ctx := context.Background()
	f := a.Fixture
	tr := &Training{}
	err := a.Store.InTx(ctx, func(tx *storage.Store) error {
		tr.Modules = []model.Module{
			{Title: "Pilotage de l’organisation", Themes: "Gouvernance, projet de santé", Hours: 28},
			{Title: "Conduite du changement", Themes: "Animation, coopération", Hours: 28},
		}
		if err := tx.SaveModules(ctx, f.Programme.ID, tr.Modules); err != nil {
			return err
		}
		modules, err := tx.Modules(ctx, f.Programme.ID)
		if err != nil {
			return err
		}
		tr.Modules = modules
		tr.Cohort = model.Cohort{ProgrammeID: f.Programme.ID, RegionCode: "93", Label: "Promotion 2027 — Provence-Alpes-Côte d’Azur",
			Capacity: 15, OrgCap: 1, StartsOn: "2027-02-01", EndsOn: "2028-05-31", Places: "Maison régionale de la santé, 13001 Marseille"}
		tr.Other = model.Cohort{ProgrammeID: f.Programme.ID, RegionCode: "52", Label: "Promotion 2027 — Pays de la Loire (bis)",
			Capacity: 15, OrgCap: 1, StartsOn: "2027-02-01", EndsOn: "2027-12-31", Places: "44000 Nantes"}
		for _, c := range []*model.Cohort{&tr.Cohort, &tr.Other} {
			if err := tx.CreateCohort(ctx, c); err != nil {
				return err
			}
		}
		if err := tx.Grant(ctx, &model.Grant{AccountID: f.Accounts[model.RoleTrainer].ID, Role: model.RoleTrainer, Scope: tr.Cohort.ID}); err != nil {
			return err
		}
		people := [][2]string{{"Éléonore", "Lœuillet-Çelik"}, {"Gaëlle", "Rousseau"}, {"Mathieu", "Ndiaye"}}
		for i, p := range people {
			l, err := learner(ctx, tx, tr.Cohort, fmt.Sprintf("apprenant%d@example.fr", i), p[0], p[1])
			if err != nil {
				return err
			}
			tr.Learners = append(tr.Learners, l)
		}
		tr.Outsider, err = learner(ctx, tx, tr.Other, "autre.promotion@example.fr", "Inès", "Autre")
		return err
	})
	if err != nil {
		a.T.Fatal(err)
	}
	return tr
}

// learner makes an account, a person, an accepted application and the enrolment.
func learner(ctx context.Context, tx *storage.Store, c model.Cohort, email, first, last string) (Learner, error) {
	now := tx.Clock.Now()
	acc := model.Account{Email: email, DisplayName: first + " " + last, EmailVerifiedAt: now}
	if err := tx.CreateAccount(ctx, &acc); err != nil {
		return Learner{}, err
	}
	if err := tx.Grant(ctx, &model.Grant{AccountID: acc.ID, Role: model.RoleCandidate}); err != nil {
		return Learner{}, err
	}
	p := model.Person{FirstName: first, LastName: last, Email: email, Profession: model.ProfInfirmier}
	if err := tx.CreatePerson(ctx, &p); err != nil {
		return Learner{}, err
	}
	call := model.Call{CohortID: c.ID, OpensAt: now.AddDate(0, -3, 0), ClosesAt: now.AddDate(0, -2, 0)}
	calls, err := tx.CallViews(ctx, storage.CallFilter{Scope: policy.Scope{Everywhere: true}, CohortID: c.ID, WithDrafts: true})
	if err != nil {
		return Learner{}, err
	}
	if len(calls) > 0 {
		call = calls[0].Call
	} else if err := tx.CreateCall(ctx, &call); err != nil {
		return Learner{}, err
	}
	app := model.Application{CallID: call.ID, AccountID: acc.ID, PersonID: p.ID}
	if err := tx.CreateApplication(ctx, &app); err != nil {
		return Learner{}, err
	}
	if err := tx.Enrol(ctx, c.ID, app.ID, acc.ID); err != nil {
		return Learner{}, err
	}
	list, err := tx.EnrolmentsOfAccount(ctx, acc.ID)
	if err != nil {
		return Learner{}, err
	}
	return Learner{AccountID: acc.ID, Email: email, Name: first + " " + last, Enrolment: list[0]}, nil
}
