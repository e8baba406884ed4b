package apptest

import (
	"context"
	"fmt"
	"time"

	"parcours/internal/directory"
	"parcours/internal/mail"
	"parcours/internal/model"
	"parcours/internal/policy"
	"parcours/internal/selection"
	"parcours/internal/storage"
)

// Selection is a closed call of the fixture's AMG programme ready for its committee: a
// 3-seat Pays de la Loire cohort with one seat per CPTS, six submitted eligible applications
// from five CPTS (candidates 0 and 1 share CPTS A), and a committee of three trainers — the
// fixture's committee_member account is one of them and chairs —, an URPS elected member of
// CPTS A (so in conflict with candidates 0 and 1) and an ARS observer, with a scoring grid
// of three criteria. Nothing is assigned or scored yet.
type Selection struct {
	View       storage.CallView
	Structures []model.Structure // CPTS A … E
	Candidates []Candidate
	Chair      model.CommitteeMember // the fixture's committee_member account, a trainer
	Trainers   []model.CommitteeMember
	Elected    model.CommitteeMember
	Observer   model.CommitteeMember
	Grid       []model.Criterion
}

// Candidate is an applicant of the selection's call.
type Candidate struct {
	AccountID, Email, Name string
	Application            model.Application
	Structure              model.Structure
}

// Mailing is how the selection's e-mails are addressed in tests.
func (a *App) Mailing() mail.Site {
	return mail.Site{BaseURL: a.Config.BaseURL.String(), Brand: a.Config.BrandName}
}

// Manager is the fixture manager, as the selection package's actor.
func (a *App) Manager() directory.Actor {
	return directory.Actor{Principal: &policy.Principal{AccountID: a.Fixture.Accounts[model.RoleManager].ID}, Via: "test"}
}

// NewSelection makes the selection's call, applications and committee.
func (a *App) NewSelection() *Selection {
	a.T.Helper()
	ctx := context.Background()
	s := &Selection{}
	f := a.Fixture
	now := a.Store.Clock.Now()
	err := a.Store.InTx(ctx, func(tx *storage.Store) error {
		cohort := model.Cohort{ProgrammeID: f.Programme.ID, RegionCode: "52", Label: "Promotion 2026 — Pays de la Loire",
			Capacity: 3, OrgCap: 1, StartsOn: "2026-09-07", EndsOn: "2027-02-26", Places: "Nantes"}
		if err := tx.CreateCohort(ctx, &cohort); err != nil {
			return err
		}
		call := model.Call{CohortID: cohort.ID, Published: true, OpensAt: now.Add(-30 * 24 * time.Hour), ClosesAt: now.Add(-time.Hour),
			Kinds: []model.StructureKind{model.KindCPTS}, RegionCode: "52", Role: model.RequireGovernance, MustBeAttached: true,
			Intro: "Formation des membres de la gouvernance des CPTS, première session."}
		if err := tx.CreateCall(ctx, &call); err != nil {
			return err
		}
		for i, d := range []string{"44", "49", "53", "72", "85"} {
			st := model.Structure{Kind: model.KindCPTS, Name: "CPTS " + string(rune('A'+i)), RegionCode: "52", DepartementCode: d,
				Ref: fmt.Sprintf("SEL-%c", 'A'+i), Stage: model.StageActive}
			if err := tx.CreateStructure(ctx, &st); err != nil {
				return err
			}
			s.Structures = append(s.Structures, st)
		}
		first := []string{"Anne", "Bruno", "Chloé", "David", "Emma", "Farid"}
		for i, k := range []int{0, 0, 1, 2, 3, 4} {
			c := Candidate{Email: fmt.Sprintf("candidat%d@example.fr", i), Name: first[i] + " Candidat", Structure: s.Structures[k]}
			acc := model.Account{Email: c.Email, DisplayName: c.Name, EmailVerifiedAt: now}
			if err := tx.CreateAccount(ctx, &acc); err != nil {
				return err
			}
			if err := tx.Grant(ctx, &model.Grant{AccountID: acc.ID, Role: model.RoleCandidate}); err != nil {
				return err
			}
			p := model.Person{FirstName: first[i], LastName: "Candidat", Email: c.Email, Profession: model.ProfInfirmier}
			if err := tx.CreatePerson(ctx, &p); err != nil {
				return err
			}
			if err := tx.LinkAccountPerson(ctx, acc.ID, p.ID); err != nil {
				return err
			}
			app := model.Application{CallID: call.ID, AccountID: acc.ID, PersonID: p.ID}
			if err := tx.CreateApplication(ctx, &app); err != nil {
				return err
			}
			app.StructureID, app.Role, app.Profession, app.Eligible = c.Structure.ID, model.RolePresident, model.ProfInfirmier, true
			if err := tx.SaveApplication(ctx, &app); err != nil {
				return err
			}
			if err := tx.SubmitApplication(ctx, &app, "AMG-52", ""); err != nil {
				return err
			}
			c.AccountID, c.Application = acc.ID, app
			s.Candidates = append(s.Candidates, c)
		}
		return nil
	})
	if err != nil {
		a.T.Fatal(err)
	}
	if s.View, err = a.Store.CallView(ctx, s.Candidates[0].Application.CallID); err != nil {
		a.T.Fatal(err)
	}
	b := a.Board(s)
	members := []selection.NewMember{
		{Email: f.Accounts[model.RoleCommitteeMember].Email, Name: "Compte committee_member", Role: model.CommitteeTrainer, Chair: true},
		{Email: "formatrice@example.fr", Name: "Inès Formatrice", Role: model.CommitteeTrainer},
		{Email: "formateur@example.fr", Name: "Jules Formateur", Role: model.CommitteeTrainer},
		{Email: "elu.urps@example.fr", Name: "Paul Élu", Role: model.CommitteeElected},
		{Email: "observatrice.ars@example.fr", Name: "Rose Observatrice", Role: model.CommitteeObserver},
	}
	for _, m := range members {
		if errs, err := selection.AddMember(ctx, a.Store, a.Manager(), a.Mailing(), b, m); err != nil || errs.Any() {
			a.T.Fatal(errs, err)
		}
	}
	// The elected member sits on CPTS A's board.
	elected, err := a.Store.AccountByEmail(ctx, "elu.urps@example.fr")
	if err != nil {
		a.T.Fatal(err)
	}
	p := model.Person{FirstName: "Paul", LastName: "Élu", Email: elected.Email, Profession: model.ProfMedecin}
	if err := a.Store.CreatePerson(ctx, &p); err != nil {
		a.T.Fatal(err)
	}
	if err := a.Store.LinkAccountPerson(ctx, elected.ID, p.ID); err != nil {
		a.T.Fatal(err)
	}
	if err := a.Store.CreateMembership(ctx, &model.Membership{PersonID: p.ID, StructureID: s.Structures[0].ID, Role: model.RoleVicePresident}); err != nil {
		a.T.Fatal(err)
	}
	grid := []model.Criterion{
		{Label: "Expérience de la gouvernance", Weight: 2, Levels: []string{"Aucune", "Très faible", "Faible", "Moyenne", "Bonne", "Excellente"}},
		{Label: "Projet pour la CPTS", Weight: 1},
		{Label: "Motivation", Weight: 1},
	}
	if errs, err := selection.SaveGrid(ctx, a.Store, a.Manager(), a.Board(s), grid); err != nil || errs.Any() {
		a.T.Fatal(errs, err)
	}
	b = a.Board(s)
	s.Grid = b.Grid
	for _, m := range b.Members {
		switch {
		case m.Chair:
			s.Chair = m
		case m.Role == model.CommitteeTrainer:
			s.Trainers = append(s.Trainers, m)
		case m.Role == model.CommitteeElected:
			s.Elected = m
		case m.Role == model.CommitteeObserver:
			s.Observer = m
		}
	}
	return s
}

// Board reads the selection's committee as it is now.
func (a *App) Board(s *Selection) *selection.Board {
	a.T.Helper()
	b, err := selection.Load(context.Background(), a.Store, s.View)
	if err != nil {
		a.T.Fatal(err)
	}
	return b
}

// ScoreAll distributes the applications and has every assigned reviewer submit the same
// level on every criterion of candidate i's application: levels[i] (0–5), so that candidate
// i scores levels[i] × 20 points.
func (a *App) ScoreAll(s *Selection, levels []int) {
	a.T.Helper()
	ctx := context.Background()
	if _, err := selection.Distribute(ctx, a.Store, a.Manager(), a.Board(s)); err != nil {
		a.T.Fatal(err)
	}
	b := a.Board(s)
	for _, r := range b.Reviews {
		level := -1
		for i, c := range s.Candidates {
			if c.Application.ID == r.ApplicationID {
				level = levels[i]
			}
		}
		scores := map[string]string{}
		for _, c := range b.Grid {
			scores[c.ID] = fmt.Sprint(level)
		}
		member := directory.Actor{Principal: &policy.Principal{AccountID: r.MemberID}, Via: "test"}
		if errs, err := selection.SaveReview(ctx, a.Store, member, b, r, scores, "Avis du comité.", true); err != nil || errs.Any() {
			a.T.Fatal(errs, err)
		}
	}
}
