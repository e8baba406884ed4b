package storage_test

import (
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"parcours/internal/clock"
	"parcours/internal/model"
	"parcours/internal/policy"
	"parcours/internal/storage"
	"parcours/internal/testkit"
)

// callWorld is a training organisation, the AMG programme, a Pays de la Loire cohort and its
// call, and two CPTS.
type callWorld struct {
	org, cpts1, cpts2 model.Structure
	programme         model.Programme
	cohort            model.Cohort
	call              model.Call
}

func newCallWorld(t *testing.T, s *storage.Store) *callWorld {
	t.Helper()
	w := &callWorld{
		org:   model.Structure{Kind: model.KindTraining, Name: "EHESP", RegionCode: "53", DepartementCode: "35", Ref: "EHESP"},
		cpts1: *cpts("CPTS Estuaire", "44", ""), cpts2: *cpts("CPTS Saumurois", "49", ""),
	}
	w.cpts1.Ref, w.cpts2.Ref = "C1", "C2"
	for _, st := range []*model.Structure{&w.org, &w.cpts1, &w.cpts2} {
		if err := s.CreateStructure(ctx, st); err != nil {
			t.Fatal(err)
		}
	}
	w.programme = model.Programme{Code: "AMG", Title: "Accompagnement des membres de la gouvernance des CPTS", CarrierID: w.org.ID,
		AudienceGovernance: true, TargetKinds: []model.StructureKind{model.KindCPTS}, DurationMonths: 6, Days: 8,
		Certification: model.CertificationNone, PartnerIDs: []string{w.cpts1.ID}}
	if err := s.CreateProgramme(ctx, &w.programme); err != nil {
		t.Fatal(err)
	}
	w.cohort = model.Cohort{ProgrammeID: w.programme.ID, RegionCode: "52", Label: "Promotion 2027 — Pays de la Loire",
		Capacity: 15, OrgCap: 1, StartsOn: "2027-01-11", EndsOn: "2027-06-30"}
	if err := s.CreateCohort(ctx, &w.cohort); err != nil {
		t.Fatal(err)
	}
	paris, _ := time.LoadLocation("Europe/Paris")
	w.call = model.Call{CohortID: w.cohort.ID, Published: true, Kinds: []model.StructureKind{model.KindCPTS}, RegionCode: "52",
		Role: model.RequireGovernance, MustBeAttached: true,
		OpensAt:  time.Date(2026, 11, 2, 9, 0, 0, 0, paris),
		ClosesAt: time.Date(2026, 12, 4, 17, 0, 0, 123456789, paris)}
	if err := s.CreateCall(ctx, &w.call); err != nil {
		t.Fatal(err)
	}
	return w
}

func TestProgrammesCohortsCallsAndQuestions(t *testing.T) {
	testkit.Each(t, func(t *testing.T, s *storage.Store) {
		w := newCallWorld(t, s)
		p, err := s.Programme(ctx, w.programme.ID)
		if err != nil || p.Code != "AMG" || fmt.Sprint(p.TargetKinds) != "[cpts]" || fmt.Sprint(p.PartnerIDs) != "["+w.cpts1.ID+"]" {
			t.Fatalf("programme %+v %v", p, err)
		}
		if dup := (model.Programme{Code: "AMG", Title: "x", CarrierID: w.org.ID, Certification: "none"}); !errors.Is(s.CreateProgramme(ctx, &dup), storage.ErrAlreadyExists) {
			t.Error("two programmes with one code")
		}
		if err := s.SaveModules(ctx, p.ID, []model.Module{{Title: "Piloter", Hours: 14}, {Title: "Financer", Hours: 7}}); err != nil {
			t.Fatal(err)
		}
		if mods, _ := s.Modules(ctx, p.ID); len(mods) != 2 || mods[1].Title != "Financer" || mods[1].Position != 2 {
			t.Errorf("modules %+v", mods)
		}
		s.SetDeployment(ctx, model.Deployment{ProgrammeID: p.ID, RegionCode: "52", Status: model.DeploymentLaunched, Since: "2026-09-01"})
		s.SetDeployment(ctx, model.Deployment{ProgrammeID: p.ID, RegionCode: "52", Status: model.DeploymentObserving})
		if deps, _ := s.Deployments(ctx, p.ID); len(deps) != 1 || deps[0].Status != model.DeploymentObserving {
			t.Errorf("deployments %+v", deps)
		}
		// Instants keep their microseconds and come back in UTC.
		c, err := s.Call(ctx, w.call.ID)
		if err != nil || !c.ClosesAt.Equal(w.call.ClosesAt.Truncate(time.Microsecond)) || c.ClosesAt.Location() != time.UTC ||
			c.Role != model.RequireGovernance || !c.MustBeAttached {
			t.Fatalf("call %+v %v", c, err)
		}
		// A manager sees their organisation's calls; a viewer of 52 the calls of 52; others nothing.
		for _, tc := range []struct {
			name  string
			scope policy.Scope
			want  int
		}{
			{"everywhere", policy.Scope{Everywhere: true}, 1},
			{"the carrier", policy.Scope{Organisations: []string{w.org.ID}}, 1},
			{"the région", policy.Scope{Regions: []string{"52"}}, 1},
			{"another région", policy.Scope{Regions: []string{"93"}}, 0},
			{"nothing", policy.Scope{}, 0},
		} {
			views, err := s.CallViews(ctx, storage.CallFilter{Scope: tc.scope})
			if err != nil || len(views) != tc.want {
				t.Errorf("%s: %d calls (%v)", tc.name, len(views), err)
			}
		}
		open, _ := s.CallViews(ctx, storage.CallFilter{Scope: policy.Scope{Everywhere: true}, OpenAt: w.call.ClosesAt.Add(-time.Second)})
		closed, _ := s.CallViews(ctx, storage.CallFilter{Scope: policy.Scope{Everywhere: true}, OpenAt: w.call.ClosesAt})
		if len(open) != 1 || len(closed) != 0 || open[0].Programme.Code != "AMG" || open[0].Cohort.Capacity != 15 {
			t.Errorf("open a second before closing: %d; at closing: %d", len(open), len(closed))
		}
		for _, label := range []string{"Motivation", "CV", "Disponibilité"} {
			q := &model.Question{CallID: c.ID, Kind: model.QuestionLongText, Label: label, Required: true, MaxLength: 2000}
			if err := s.AddQuestion(ctx, q); err != nil {
				t.Fatal(err)
			}
		}
		qs, _ := s.Questions(ctx, c.ID)
		if err := s.MoveQuestion(ctx, qs[2].ID, true); err != nil {
			t.Fatal(err)
		}
		s.MoveQuestion(ctx, qs[0].ID, true) // already first: nothing happens
		qs, _ = s.Questions(ctx, c.ID)
		if qs[0].Label != "Motivation" || qs[1].Label != "Disponibilité" || qs[2].Label != "CV" {
			t.Errorf("order after moving: %s, %s, %s", qs[0].Label, qs[1].Label, qs[2].Label)
		}
	})
}

func TestApplicationsOnePerPersonAndReceipts(t *testing.T) {
	testkit.Each(t, func(t *testing.T, s *storage.Store) {
		w := newCallWorld(t, s)
		var apps []*model.Application
		for i := 0; i < 3; i++ {
			acc := &model.Account{Email: fmt.Sprintf("c%d@example.fr", i), DisplayName: "C"}
			if err := s.CreateAccount(ctx, acc); err != nil {
				t.Fatal(err)
			}
			a := &model.Application{CallID: w.call.ID, AccountID: acc.ID}
			if err := s.CreateApplication(ctx, a); err != nil {
				t.Fatal(err)
			}
			if again := (&model.Application{CallID: w.call.ID, AccountID: acc.ID}); !errors.Is(s.CreateApplication(ctx, again), storage.ErrAlreadyExists) {
				t.Fatal("two applications of one person to one call")
			}
			apps = append(apps, a)
		}
		apps[0].StructureID, apps[0].Role, apps[0].Eligible = w.cpts1.ID, model.RoleTresorier, true
		apps[1].StructureID, apps[1].Role, apps[1].Eligible = w.cpts1.ID, model.RolePresident, true
		apps[2].DeclaredName, apps[2].DeclaredKind, apps[2].DeclaredDepartement = "CPTS Nouvelle", model.KindCPTS, "85"
		apps[2].Reasons = []string{"Le stade n'est pas connu."}
		for _, a := range apps {
			if err := s.SaveApplication(ctx, a); err != nil {
				t.Fatal(err)
			}
		}
		// Two concurrent submissions of one draft: one receipt, one submission.
		var wg sync.WaitGroup
		errs := make(chan error, 2)
		for i := 0; i < 2; i++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				a := *apps[0]
				errs <- s.SubmitApplication(ctx, &a, "AMG-52", "")
			}()
		}
		wg.Wait()
		close(errs)
		var ok, notFound int
		for err := range errs {
			switch {
			case err == nil:
				ok++
			case errors.Is(err, storage.ErrNotFound):
				notFound++
			default:
				t.Fatal(err)
			}
		}
		if ok != 1 || notFound != 1 {
			t.Fatalf("concurrent submissions: %d went through, %d refused", ok, notFound)
		}
		if err := s.SubmitApplication(ctx, apps[1], "AMG-52", ""); err != nil {
			t.Fatal(err)
		}
		first, _ := s.Application(ctx, apps[0].ID)
		if first.Status != model.ApplicationSubmitted || first.SubmittedAt.IsZero() || first.Receipt != "AMG-52-0001" {
			t.Errorf("submitted %+v", first)
		}
		if apps[1].Receipt != "AMG-52-0002" { // the refused submission rolled its number back: no gap
			t.Errorf("receipts are numbered in order: %s", apps[1].Receipt)
		}
		// The session repeated: its call's receipts run on, so that a receipt names one application.
		again := model.Call{CohortID: w.cohort.ID, Published: true, RegionCode: "52", OpensAt: w.call.ClosesAt,
			ClosesAt: w.call.ClosesAt.Add(30 * 24 * time.Hour)}
		if err := s.CreateCall(ctx, &again); err != nil {
			t.Fatal(err)
		}
		next := &model.Application{CallID: again.ID, AccountID: apps[0].AccountID}
		if err := s.CreateApplication(ctx, next); err != nil {
			t.Fatal(err)
		}
		if err := s.SubmitApplication(ctx, next, "AMG-52", ""); err != nil || next.Receipt != "AMG-52-0003" {
			t.Errorf("the repeated session's first receipt: %q, %v; want AMG-52-0003", next.Receipt, err)
		}
		got, _ := s.Application(ctx, apps[2].ID)
		if !got.Declared() || fmt.Sprint(got.Reasons) != "[Le stade n'est pas connu.]" {
			t.Errorf("declared application %+v", got)
		}
		if err := s.OverrideEligibility(ctx, apps[1].ID, model.OverrideIneligible, "Déjà formé en 2025", "mgr"); err != nil {
			t.Fatal(err)
		}
		stats, err := s.CallStats(ctx, []string{w.call.ID})
		st := stats[w.call.ID]
		if err != nil || st.Submitted != 2 || st.Drafts != 1 || st.Eligible != 1 || st.CPTS != 1 || st.RegionCPTS != 2 {
			t.Errorf("stats %+v %v", st, err)
		}
		rows, _ := s.Applications(ctx, storage.ApplicationFilter{Scope: policy.Scope{Everywhere: true}, CallID: w.call.ID, Eligibility: "eligible"})
		if len(rows) != 1 || rows[0].Structure.Name != "CPTS Estuaire" || rows[0].Email != "c0@example.fr" {
			t.Errorf("eligible rows %+v", rows)
		}
		rows, _ = s.Applications(ctx, storage.ApplicationFilter{Scope: policy.Scope{Everywhere: true}, Departement: "85"})
		if len(rows) != 1 || rows[0].Application.ID != apps[2].ID {
			t.Errorf("declared département filter: %d", len(rows))
		}
		if err := s.WithdrawApplication(ctx, apps[1].ID); err != nil {
			t.Fatal(err)
		}
		if err := s.WithdrawApplication(ctx, apps[1].ID); !errors.Is(err, storage.ErrNotFound) {
			t.Errorf("withdrawn twice: %v", err)
		}
	})
}

func TestDraftsClosingSoonAndAnswers(t *testing.T) {
	testkit.Each(t, func(t *testing.T, s *storage.Store) {
		w := newCallWorld(t, s)
		s.Clock = clock.NewManual(w.call.ClosesAt.Add(-47 * time.Hour))
		acc := &model.Account{Email: "d@example.fr", DisplayName: "D"}
		s.CreateAccount(ctx, acc)
		a := &model.Application{CallID: w.call.ID, AccountID: acc.ID}
		s.CreateApplication(ctx, a)
		now := s.Clock.Now()
		drafts, err := s.DraftsClosingBetween(ctx, now, now.Add(48*time.Hour))
		if err != nil || len(drafts) != 1 || drafts[0].Email != "d@example.fr" {
			t.Fatalf("drafts %+v %v", drafts, err)
		}
		if none, _ := s.DraftsClosingBetween(ctx, now, now.Add(time.Hour)); len(none) != 0 {
			t.Error("a call closing in 47 hours is not closing within the hour")
		}
		q := &model.Question{CallID: w.call.ID, Kind: model.QuestionFile, Label: "CV", Required: true}
		s.AddQuestion(ctx, q)
		f := &storage.File{Name: "cv.pdf", ContentType: "application/pdf", Data: []byte("%PDF-1.4")}
		s.CreateFile(ctx, f)
		s.SaveAnswer(ctx, model.Answer{ApplicationID: a.ID, QuestionID: q.ID, FileID: f.ID})
		s.SaveAnswer(ctx, model.Answer{ApplicationID: a.ID, QuestionID: q.ID, Value: "cv.pdf", FileID: f.ID})
		answers, _ := s.Answers(ctx, a.ID)
		if len(answers) != 1 || answers[q.ID].FileID != f.ID || answers[q.ID].Value != "cv.pdf" {
			t.Errorf("answers %+v", answers)
		}
		if err := s.CreateEmailVerification(ctx, "h1", acc.ID, now.Add(time.Hour)); err != nil {
			t.Fatal(err)
		}
		if got, err := s.UseEmailVerification(ctx, "h1"); err != nil || got != acc.ID {
			t.Fatalf("verify: %v", err)
		}
		if _, err := s.UseEmailVerification(ctx, "h1"); !errors.Is(err, storage.ErrNotFound) {
			t.Error("a verification link worked twice")
		}
		if verified, _ := s.Account(ctx, acc.ID); verified.EmailVerifiedAt.IsZero() {
			t.Error("not verified")
		}
	})
}
