package apply_test

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"parcours/internal/apply"
	"parcours/internal/clock"
	"parcours/internal/directory"
	"parcours/internal/localtime"
	"parcours/internal/mail"
	"parcours/internal/model"
	"parcours/internal/policy"
	"parcours/internal/storage"
	"parcours/internal/territory"
	"parcours/internal/testkit"
)

var ctx = context.Background()

var mailing = mail.Site{BaseURL: "https://parcours.test", Brand: "Parcours"}

// world is a call with its cohort in a région, and a candidate with a verified account.
type world struct {
	s         *storage.Store
	clk       *clock.Manual
	view      storage.CallView
	cpts, msp model.Structure
	account   model.Account
	actor     directory.Actor
	motiv, cv model.Question
}

// newWorld makes a call of région regionCode closing at the local date and hour given.
func newWorld(t *testing.T, s *storage.Store, regionCode, dep, closeDate, closeHour string) *world {
	t.Helper()
	reg, _ := territory.RegionByCode(regionCode)
	closes, err := localtime.Parse(closeDate, closeHour, reg.Location())
	if err != nil {
		t.Fatal(err)
	}
	w := &world{s: s, clk: clock.NewManual(closes.Add(-72 * time.Hour))}
	s.Clock = w.clk
	org := model.Structure{Kind: model.KindTraining, Name: "Organisme", RegionCode: "53", DepartementCode: "35", Ref: "OF"}
	w.cpts = model.Structure{Kind: model.KindCPTS, Name: "CPTS du Littoral", RegionCode: regionCode, DepartementCode: dep, Ref: "C", Stage: model.StageActive}
	w.msp = model.Structure{Kind: model.KindMSP, Name: "MSP des Olonnes", RegionCode: regionCode, DepartementCode: dep, Ref: "M"}
	for _, st := range []*model.Structure{&org, &w.cpts, &w.msp} {
		if err := s.CreateStructure(ctx, st); err != nil {
			t.Fatal(err)
		}
	}
	w.view.Programme = model.Programme{Code: "AMG", Title: "Gouvernance des CPTS", CarrierID: org.ID, Certification: "none",
		TargetKinds: []model.StructureKind{model.KindCPTS}}
	must(t, s.CreateProgramme(ctx, &w.view.Programme))
	w.view.Cohort = model.Cohort{ProgrammeID: w.view.Programme.ID, RegionCode: regionCode, Label: "Promotion", Capacity: 15, OrgCap: 1,
		StartsOn: "2027-01-01", EndsOn: "2027-06-30"}
	must(t, s.CreateCohort(ctx, &w.view.Cohort))
	w.view.Call = model.Call{CohortID: w.view.Cohort.ID, Published: true, OpensAt: closes.Add(-30 * 24 * time.Hour), ClosesAt: closes,
		Kinds: []model.StructureKind{model.KindCPTS}, RegionCode: regionCode, Role: model.RequireGovernance, MustBeAttached: true}
	must(t, s.CreateCall(ctx, &w.view.Call))
	w.motiv = model.Question{CallID: w.view.Call.ID, Kind: model.QuestionLongText, Label: "Motivation", Required: true, MinLength: 10, MaxLength: 300}
	w.cv = model.Question{CallID: w.view.Call.ID, Kind: model.QuestionFile, Label: "CV", Required: true}
	must(t, s.AddQuestion(ctx, &w.motiv))
	must(t, s.AddQuestion(ctx, &w.cv))
	w.account = model.Account{Email: "tresoriere@example.fr", DisplayName: "Gaëlle Le Goff", EmailVerifiedAt: w.clk.Now()}
	must(t, s.CreateAccount(ctx, &w.account))
	w.actor = directory.Actor{Principal: &policy.Principal{AccountID: w.account.ID}, IP: "192.0.2.9", Via: "test"}
	return w
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

var pdf = []byte("%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n%%EOF\n")

// complete is a draft that satisfies every rule and question of the world's call.
func (w *world) complete() apply.Draft {
	return apply.Draft{StructureID: w.cpts.ID, Role: model.RoleTresorier, Profession: model.ProfPharmacien,
		Answers:           map[string]string{w.motiv.ID: "Je souhaite structurer la gouvernance de notre CPTS."},
		Files:             map[string]apply.Upload{w.cv.ID: {Name: "cv.pdf", Data: pdf}},
		ConsentProcessing: true, ConsentRetention: true}
}

func (w *world) start(t *testing.T) model.Application {
	t.Helper()
	a, err := apply.Start(ctx, w.s, w.account, w.view)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

// The closing instant is typed in the région's local time; the server's clock decides: one
// second before it, a submission goes through; one second after, it is refused with the
// date and hour, in Paris and in La Réunion.
func TestDeadlineBySecond(t *testing.T) {
	for _, tc := range []struct {
		name, region, dep, zone string
	}{
		{"Paris", "52", "44", "heure de Paris"},
		{"La Réunion", "04", "974", "heure de La Réunion"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			testkit.Each(t, func(t *testing.T, s *storage.Store) {
				w := newWorld(t, s, tc.region, tc.dep, "2026-12-04", "17:00")
				if tc.region == "04" && w.view.Call.ClosesAt.Hour() != 13 {
					t.Fatalf("17:00 in La Réunion is %s UTC", w.view.Call.ClosesAt)
				}
				early, late := w.start(t), model.Application{}
				other := model.Account{Email: "autre@example.fr", DisplayName: "Autre Candidat", EmailVerifiedAt: w.clk.Now()}
				must(t, s.CreateAccount(ctx, &other))
				late, err := apply.Start(ctx, s, other, w.view)
				must(t, err)

				w.clk.Set(w.view.Call.ClosesAt.Add(-time.Second))
				errs, out, err := apply.Save(ctx, s, w.actor, mailing, w.view, &early, w.complete(), true)
				if err != nil || errs.Any() || !out.Submitted || early.Receipt == "" {
					t.Fatalf("one second before closing: %v %v %+v", errs, err, out)
				}
				w.clk.Set(w.view.Call.ClosesAt.Add(time.Second))
				_, _, err = apply.Save(ctx, s, w.actor, mailing, w.view, &late, w.complete(), true)
				var closed *apply.ClosedError
				if !errors.As(err, &closed) || !strings.Contains(err.Error(), "4 décembre 2026 à 17 h 00 ("+tc.zone+")") {
					t.Fatalf("one second after closing: %v", err)
				}
				if got, _ := s.Application(ctx, late.ID); got.Status != model.ApplicationDraft {
					t.Errorf("the late application became %s", got.Status)
				}
				// After closing, nothing changes: no edit, no withdrawal, no new application.
				if _, _, err := apply.Save(ctx, s, w.actor, mailing, w.view, &early, w.complete(), false); !errors.As(err, &closed) {
					t.Errorf("edit after closing: %v", err)
				}
				if err := apply.Withdraw(ctx, s, w.actor, w.view, early); !errors.As(err, &closed) {
					t.Errorf("withdrawal after closing: %v", err)
				}
			})
		})
	}
}

// Two submissions of one draft at once: one application, one receipt, one e-mail.
func TestConcurrentSubmissionsMakeOneApplication(t *testing.T) {
	testkit.Each(t, func(t *testing.T, s *storage.Store) {
		w := newWorld(t, s, "52", "44", "2026-12-04", "17:00")
		a := w.start(t)
		var wg sync.WaitGroup
		results := make(chan error, 2)
		for i := 0; i < 2; i++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				copy := a
				errs, out, err := apply.Save(ctx, s, w.actor, mailing, w.view, &copy, w.complete(), true)
				if err == nil && (errs.Any() || !out.Submitted) {
					err = errors.New("not submitted")
				}
				results <- err
			}()
		}
		wg.Wait()
		close(results)
		for err := range results {
			if err != nil {
				t.Fatal(err)
			}
		}
		rows, _ := s.Applications(ctx, storage.ApplicationFilter{Scope: policy.Scope{Everywhere: true}, CallID: w.view.Call.ID})
		counts, _ := s.OutboxCounts(ctx)
		if len(rows) != 1 || rows[0].Application.Receipt != "AMG-52-0001" || counts["pending"] != 1 {
			t.Errorf("%d applications, receipt %q, %d e-mails", len(rows), rows[0].Application.Receipt, counts["pending"])
		}
	})
}

// What a candidate is told, rule by rule, before they can submit.
func TestEligibilityIsShownAndBlocksSubmission(t *testing.T) {
	testkit.Each(t, func(t *testing.T, s *storage.Store) {
		w := newWorld(t, s, "52", "44", "2026-12-04", "17:00")
		a := w.start(t)
		d := w.complete()
		d.StructureID, d.Role = w.msp.ID, model.RoleMembre // an MSP, and a plain member
		errs, out, err := apply.Save(ctx, s, w.actor, mailing, w.view, &a, d, true)
		if err != nil || errs.For("eligibility") == "" || out.Submitted {
			t.Fatalf("ineligible submission: %v %v %+v", errs, err, out)
		}
		reasons := strings.Join(a.Reasons, " | ")
		for _, want := range []string{"MSP des Olonnes", "CPTS", "membre"} {
			if !strings.Contains(reasons, want) {
				t.Errorf("reasons %q lack %q", reasons, want)
			}
		}
		stored, _ := s.Application(ctx, a.ID)
		if stored.Status != model.ApplicationDraft || stored.Eligible || len(stored.Reasons) != 2 || stored.StructureID != w.msp.ID {
			t.Errorf("the draft keeps what was typed and its verdict: %+v", stored)
		}
		// A structure not yet listed: the stage cannot be known, the manager will check.
		w.view.Call.MinStage = model.StageProjetSante
		d = w.complete()
		d.StructureID, d.DeclaredName, d.DeclaredKind, d.DeclaredDepartement = "", "CPTS Sud Loire", model.KindCPTS, "44"
		errs, out, err = apply.Save(ctx, s, w.actor, mailing, w.view, &a, d, true)
		if err != nil || errs.Any() || !out.Submitted || !a.NeedsReview || !a.Declared() {
			t.Errorf("declared structure: %v %v %+v", errs, err, a)
		}
	})
}

func TestUploadsAreCheckedFromTheirContent(t *testing.T) {
	testkit.Each(t, func(t *testing.T, s *storage.Store) {
		w := newWorld(t, s, "52", "44", "2026-12-04", "17:00")
		a := w.start(t)
		elf := append([]byte("\x7fELF\x02\x01\x01\x00"), bytes.Repeat([]byte{0}, 200)...)
		cases := []struct {
			name string
			up   apply.Upload
			want string
		}{
			{"renamed executable", apply.Upload{Name: "cv.pdf", Data: elf}, "ni un PDF"},
			{"too big", apply.Upload{Name: "cv.pdf", Data: append(append([]byte{}, pdf...), make([]byte, apply.MaxFileSize)...)}, "5 Mo"},
		}
		for _, tc := range cases {
			d := w.complete()
			d.Files = map[string]apply.Upload{w.cv.ID: tc.up}
			errs, out, err := apply.Save(ctx, s, w.actor, mailing, w.view, &a, d, false)
			if err != nil || out.Submitted || !strings.Contains(errs.For("q-"+w.cv.ID), tc.want) {
				t.Errorf("%s: %v %v", tc.name, errs, err)
			}
			if answers, _ := s.Answers(ctx, a.ID); answers[w.cv.ID].FileID != "" {
				t.Errorf("%s: a refused file was stored", tc.name)
			}
		}
		// The other answers of that draft were kept.
		if answers, _ := s.Answers(ctx, a.ID); answers[w.motiv.ID].Value == "" {
			t.Error("a refused file lost the other answers")
		}
		d := w.complete()
		d.Files = map[string]apply.Upload{w.cv.ID: {Name: `C:\Users\gaelle\CV "final".png`, Data: pngHeader()}}
		if errs, _, err := apply.Save(ctx, s, w.actor, mailing, w.view, &a, d, false); err != nil || errs.Any() {
			t.Fatalf("a PNG: %v %v", errs, err)
		}
		answers, _ := s.Answers(ctx, a.ID)
		f, err := s.File(ctx, answers[w.cv.ID].FileID)
		if err != nil || f.ContentType != "image/png" || f.Name != "CV final.png" || len(f.SHA256) != 64 {
			t.Errorf("stored file %q %q %v", f.Name, f.ContentType, err)
		}
	})
}

func pngHeader() []byte {
	return append([]byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"), bytes.Repeat([]byte{1}, 64)...)
}

// A submitted application changes only through a complete new submission; a refused one
// leaves the submitted version as it was.
func TestResubmissionAndWithdrawal(t *testing.T) {
	testkit.Each(t, func(t *testing.T, s *storage.Store) {
		w := newWorld(t, s, "52", "44", "2026-12-04", "17:00")
		a := w.start(t)
		if errs, _, err := apply.Save(ctx, s, w.actor, mailing, w.view, &a, w.complete(), true); err != nil || errs.Any() {
			t.Fatal(errs, err)
		}
		d := w.complete()
		d.Answers[w.motiv.ID] = "court"
		errs, _, err := apply.Save(ctx, s, w.actor, mailing, w.view, &a, d, false)
		if err != nil || errs.For("q-"+w.motiv.ID) == "" {
			t.Fatalf("too short a change: %v %v", errs, err)
		}
		answers, _ := s.Answers(ctx, a.ID)
		if !strings.HasPrefix(answers[w.motiv.ID].Value, "Je souhaite") {
			t.Error("a refused change replaced the submitted answer")
		}
		d.Answers[w.motiv.ID] = "Je souhaite structurer la gouvernance et le projet de santé."
		errs, out, err := apply.Save(ctx, s, w.actor, mailing, w.view, &a, d, false)
		if err != nil || errs.Any() || !out.Submitted || a.Receipt != "AMG-52-0001" {
			t.Fatalf("change: %v %v %+v", errs, err, a)
		}
		msgs, _ := s.OutboxMessages(ctx, 10)
		if len(msgs) != 2 || msgs[0].Subject != "Les modifications de votre candidature sont enregistrées" ||
			!strings.Contains(msgs[1].TextBody, "AMG-52-0001") {
			t.Errorf("e-mails: %+v", msgs)
		}
		if err := apply.Withdraw(ctx, s, w.actor, w.view, a); err != nil {
			t.Fatal(err)
		}
		a, _ = s.Application(ctx, a.ID)
		if _, _, err := apply.Save(ctx, s, w.actor, mailing, w.view, &a, w.complete(), true); !errors.Is(err, apply.ErrNotEditable) {
			t.Errorf("a withdrawn application changed: %v", err)
		}
		trail, _ := s.AuditTrail(ctx, "application", a.ID, 0)
		if len(trail) != 3 || trail[0].Action != "application.withdraw" || trail[2].Action != "application.submit" {
			t.Errorf("audit %+v", trail)
		}
	})
}

// An unverified account cannot start; a verified one gets the person with its e-mail.
func TestStartNeedsAVerifiedAddress(t *testing.T) {
	testkit.Each(t, func(t *testing.T, s *storage.Store) {
		w := newWorld(t, s, "52", "44", "2026-12-04", "17:00")
		unverified := model.Account{Email: "nouveau@example.fr", DisplayName: "Nouveau"}
		must(t, s.CreateAccount(ctx, &unverified))
		if _, err := apply.Start(ctx, s, unverified, w.view); !errors.Is(err, apply.ErrEmailNotVerified) {
			t.Errorf("unverified: %v", err)
		}
		known := model.Person{FirstName: "Gaëlle", LastName: "Le Goff", Email: "tresoriere@example.fr", Profession: model.ProfPharmacien}
		must(t, s.CreatePerson(ctx, &known))
		a := w.start(t)
		again := w.start(t)
		acc, _ := s.Account(ctx, w.account.ID)
		if a.PersonID != known.ID || acc.PersonID != known.ID || again.ID != a.ID || a.Profession != model.ProfPharmacien {
			t.Errorf("person %s (known %s), same application %v", a.PersonID, known.ID, again.ID == a.ID)
		}
	})
}

// Reminders go 48 hours and 2 hours before closing, once each, to drafts only.
func TestRemindersGoOnceEach(t *testing.T) {
	testkit.Each(t, func(t *testing.T, s *storage.Store) {
		w := newWorld(t, s, "52", "44", "2026-12-04", "17:00")
		w.start(t)
		closes := w.view.Call.ClosesAt
		steps := []struct {
			at   time.Duration // before closing
			want int           // reminders queued at that moment
		}{
			{49 * time.Hour, 0}, {47 * time.Hour, 1}, {46 * time.Hour, 0}, {3 * time.Hour, 0},
			{time.Hour, 1}, {30 * time.Minute, 0},
		}
		total := 0
		for _, st := range steps {
			w.clk.Set(closes.Add(-st.at))
			if _, err := apply.SendReminders(ctx, s, mailing); err != nil {
				t.Fatal(err)
			}
			counts, _ := s.OutboxCounts(ctx)
			if got := counts["pending"] - total; got != st.want {
				t.Errorf("%s before closing: %d reminders, want %d", st.at, got, st.want)
			}
			total = counts["pending"]
		}
		msgs, _ := s.OutboxMessages(ctx, 5)
		if len(msgs) != 2 || !strings.Contains(msgs[0].TextBody, "4 décembre 2026 à 17 h 00 (heure de Paris)") {
			t.Errorf("reminder: %+v", msgs)
		}
	})
}

// A manager overrides eligibility only with a written reason, which the audit log keeps.
func TestOverrideNeedsAReason(t *testing.T) {
	testkit.Each(t, func(t *testing.T, s *storage.Store) {
		w := newWorld(t, s, "52", "44", "2026-12-04", "17:00")
		a := w.start(t)
		manager := directory.Actor{Principal: &policy.Principal{AccountID: "manager"}, Via: "test"}
		if errs, err := apply.Override(ctx, s, manager, a, model.OverrideEligible, "ok"); err != nil || errs.For("reason") == "" {
			t.Errorf("short reason: %v %v", errs, err)
		}
		if errs, err := apply.Override(ctx, s, manager, a, model.OverrideEligible, "Trésorière confirmée par l'ARS le 2 décembre."); err != nil || errs.Any() {
			t.Fatal(errs, err)
		}
		got, _ := s.Application(ctx, a.ID)
		trail, _ := s.AuditTrail(ctx, "application", a.ID, 0)
		if !got.IsEligible() || got.OverrideBy != "manager" || len(trail) != 1 || trail[0].Details["reason"] == nil {
			t.Errorf("override %+v, audit %+v", got, trail)
		}
	})
}

// A candidate the directory knows starts from their structure and role: the one that best
// fits the call.
func TestStartFromTheDirectory(t *testing.T) {
	testkit.Each(t, func(t *testing.T, s *storage.Store) {
		w := newWorld(t, s, "52", "44", "2026-12-04", "17:00")
		p := model.Person{FirstName: "Gaëlle", LastName: "Le Goff", Email: w.account.Email, Profession: model.ProfPharmacien}
		must(t, s.CreatePerson(ctx, &p))
		must(t, s.CreateMembership(ctx, &model.Membership{PersonID: p.ID, StructureID: w.msp.ID, Role: model.RoleCoordinateur}))
		must(t, s.CreateMembership(ctx, &model.Membership{PersonID: p.ID, StructureID: w.cpts.ID, Role: model.RoleTresorier}))
		a := w.start(t)
		if a.StructureID != w.cpts.ID || a.Role != model.RoleTresorier || !a.Eligible {
			t.Errorf("started with %+v", a)
		}
	})
}
