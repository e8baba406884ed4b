package selection_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"parcours/internal/clock"
	"parcours/internal/compose"
	"parcours/internal/directory"
	"parcours/internal/mail"
	"parcours/internal/model"
	"parcours/internal/policy"
	"parcours/internal/selection"
	"parcours/internal/storage"
	"parcours/internal/testkit"
)

var ctx = context.Background()

var mailing = mail.Site{BaseURL: "https://parcours.test", Brand: "Parcours"}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// world is the PACA coordinator diploma's call, closed, with applications from several
// structures, and a committee of four trainers and three elected members.
type world struct {
	s       *storage.Store
	clk     *clock.Manual
	view    storage.CallView
	orgs    []model.Structure   // CPTS A, B, C, D, E
	apps    []model.Application // by name below
	members []model.CommitteeMember
	manager directory.Actor
}

// newWorld: applications a1, a2 (structure A), b1 (B), c1 (C), d1 (D), e1 (E); scores are
// given later by reviews or set through the board.
func newWorld(t *testing.T, s *storage.Store, capacity, perOrg int) *world {
	t.Helper()
	w := &world{s: s, clk: clock.NewManual(time.Date(2027, 3, 25, 9, 0, 0, 0, time.UTC))}
	s.Clock = w.clk
	org := model.Structure{Kind: model.KindTraining, Name: "Institut", RegionCode: "93", DepartementCode: "13", Ref: "OF"}
	must(t, s.CreateStructure(ctx, &org))
	for _, name := range []string{"A", "B", "C", "D", "E"} {
		st := model.Structure{Kind: model.KindCPTS, Name: "CPTS " + name, RegionCode: "93", DepartementCode: "13", Ref: name,
			Stage: model.StageActive}
		must(t, s.CreateStructure(ctx, &st))
		w.orgs = append(w.orgs, st)
	}
	w.view.Programme = model.Programme{Code: "DCSEC", Title: "Diplôme de coordinateur", CarrierID: org.ID, Certification: "none"}
	must(t, s.CreateProgramme(ctx, &w.view.Programme))
	w.view.Cohort = model.Cohort{ProgrammeID: w.view.Programme.ID, RegionCode: "93", Label: "Promotion 2027", Capacity: capacity,
		OrgCap: perOrg, StartsOn: "2027-05-01", EndsOn: "2028-08-31"}
	must(t, s.CreateCohort(ctx, &w.view.Cohort))
	w.view.Call = model.Call{CohortID: w.view.Cohort.ID, Published: true, OpensAt: w.clk.Now().Add(-60 * 24 * time.Hour),
		ClosesAt: w.clk.Now().Add(-24 * time.Hour), MustBeAttached: true}
	must(t, s.CreateCall(ctx, &w.view.Call))
	w.view.Call, _ = s.Call(ctx, w.view.Call.ID)
	structures := []int{0, 0, 1, 2, 3, 4}
	for i, k := range structures {
		acc := model.Account{Email: fmt.Sprintf("cand%d@example.fr", i), DisplayName: fmt.Sprintf("Candidat %d", i)}
		must(t, s.CreateAccount(ctx, &acc))
		p := model.Person{FirstName: "Candidat", LastName: fmt.Sprint(i), Email: acc.Email, Profession: model.ProfInfirmier}
		must(t, s.CreatePerson(ctx, &p))
		a := model.Application{CallID: w.view.Call.ID, AccountID: acc.ID, PersonID: p.ID}
		must(t, s.CreateApplication(ctx, &a))
		a.StructureID, a.Role, a.Eligible = w.orgs[k].ID, model.RoleCoordinateur, true
		must(t, s.SaveApplication(ctx, &a))
		w.clk.Advance(time.Minute) // submission order: a1 first
		must(t, s.SubmitApplication(ctx, &a, "DCSEC-93", ""))
		w.apps = append(w.apps, a)
	}
	w.manager = directory.Actor{Principal: &policy.Principal{AccountID: "manager"}, Via: "test"}
	return w
}

// committee adds four trainers and three elected members; the first elected member belongs
// to CPTS A.
func (w *world) committee(t *testing.T) *selection.Board {
	t.Helper()
	b, err := selection.Load(ctx, w.s, w.view)
	must(t, err)
	for i := 0; i < 7; i++ {
		role := model.CommitteeTrainer
		if i >= 4 {
			role = model.CommitteeElected
		}
		errs, err := selection.AddMember(ctx, w.s, w.manager, mailing, b, selection.NewMember{
			Email: fmt.Sprintf("membre%d@example.fr", i), Name: fmt.Sprintf("Membre %d", i), Role: role, Chair: i == 0})
		if err != nil || errs.Any() {
			t.Fatal(errs, err)
		}
	}
	elected, _ := w.s.AccountByEmail(ctx, "membre4@example.fr")
	p := model.Person{FirstName: "Élu", LastName: "URPS", Email: elected.Email, Profession: model.ProfMedecin}
	must(t, w.s.CreatePerson(ctx, &p))
	must(t, w.s.LinkAccountPerson(ctx, elected.ID, p.ID))
	must(t, w.s.CreateMembership(ctx, &model.Membership{PersonID: p.ID, StructureID: w.orgs[0].ID, Role: model.RoleMembre}))
	grid := []model.Criterion{{Label: "Parcours", Weight: 2}, {Label: "Projet", Weight: 1}, {Label: "Motivation", Weight: 1}}
	b, _ = selection.Load(ctx, w.s, w.view)
	if errs, err := selection.SaveGrid(ctx, w.s, w.manager, b, grid); err != nil || errs.Any() {
		t.Fatal(errs, err)
	}
	b, err = selection.Load(ctx, w.s, w.view)
	must(t, err)
	w.members = b.Members
	return b
}

func (w *world) member(b *selection.Board, email string) model.CommitteeMember {
	for _, m := range b.Members {
		if m.Email == email {
			return m
		}
	}
	return model.CommitteeMember{}
}

func TestConflictsAndAssignment(t *testing.T) {
	testkit.Each(t, func(t *testing.T, s *storage.Store) {
		w := newWorld(t, s, 3, 1)
		b := w.committee(t)
		elected := w.member(b, "membre4@example.fr")
		for _, a := range w.apps[:2] { // CPTS A's two applications
			if _, c := b.Conflict(elected.ID, a.ID); !c {
				t.Errorf("the elected member of CPTS A is not in conflict with %s", a.ID)
			}
		}
		if _, c := b.Conflict(elected.ID, w.apps[2].ID); c {
			t.Error("conflict with another structure's application")
		}
		report, err := selection.Distribute(ctx, s, w.manager, b)
		must(t, err)
		b, _ = selection.Load(ctx, s, w.view)
		loads := map[string]int{}
		for _, a := range w.apps {
			rs := b.ReviewsOf(a.ID)
			if len(rs) != 2 {
				t.Errorf("%s has %d reviewers", a.ID, len(rs))
			}
			for _, r := range rs {
				loads[r.MemberID]++
				if _, c := b.Conflict(r.MemberID, a.ID); c {
					t.Errorf("a conflicted member reviews %s", a.ID)
				}
			}
		}
		lo, hi := 99, 0
		for _, m := range b.Reviewers() {
			lo, hi = min(lo, loads[m.ID]), max(hi, loads[m.ID])
		}
		if hi-lo > 1 || report.MaxLoad-report.MinLoad > 1 {
			t.Errorf("loads from %d to %d (report %+v)", lo, hi, report)
		}
		// The conflicted member never sees those applications in the ranking.
		for _, r := range b.Ranking(elected.ID) {
			if r.Row.Application.StructureID == w.orgs[0].ID {
				t.Error("a conflicted member sees the application in the ranking")
			}
		}
		if len(b.Ranking(elected.ID)) != 4 || len(b.Ranking("")) != 6 {
			t.Errorf("rankings: %d for the member, %d for the manager", len(b.Ranking(elected.ID)), len(b.Ranking("")))
		}
		// A trainer declares a conflict: their review goes, someone else takes it over.
		var victim model.Review
		for _, r := range b.Reviews {
			if r.ApplicationID == w.apps[3].ID {
				victim = r
			}
		}
		errs, err := selection.DeclareConflict(ctx, s, w.manager, b, victim.MemberID, w.apps[3].ID, "ancien collègue")
		if err != nil || errs.Any() {
			t.Fatal(errs, err)
		}
		b, _ = selection.Load(ctx, s, w.view)
		if _, ok := b.ReviewBy(victim.MemberID, w.apps[3].ID); ok {
			t.Error("the conflicted member kept the review")
		}
		selection.Distribute(ctx, s, w.manager, b)
		b, _ = selection.Load(ctx, s, w.view)
		if rs := b.ReviewsOf(w.apps[3].ID); len(rs) != 2 {
			t.Errorf("after the conflict, %d reviewers", len(rs))
		}
		// A member leaves: their reviews go to others.
		leaver := w.member(b, "membre1@example.fr")
		if _, err := selection.RemoveMember(ctx, s, w.manager, b, leaver.ID); err != nil {
			t.Fatal(err)
		}
		b, _ = selection.Load(ctx, s, w.view)
		for _, r := range b.Reviews {
			if r.MemberID == leaver.ID {
				t.Error("the member who left still has a review")
			}
		}
		for _, a := range w.apps {
			if n := len(b.ReviewsOf(a.ID)); n != 2 {
				t.Errorf("after the departure, %s has %d reviewers", a.ID, n)
			}
		}
		trail, _ := s.AuditTrail(ctx, "committee", b.Committee.ID, 0)
		var actions []string
		for _, e := range trail {
			actions = append(actions, e.Action)
		}
		for _, want := range []string{"committee.member_add", "committee.grid", "committee.assign", "committee.member_remove"} {
			if !strings.Contains(strings.Join(actions, " "), want) {
				t.Errorf("audit lacks %s: %v", want, actions)
			}
		}
	})
}

// What happens to the committee around it: an application leaves the board after a manual
// assignment, a member comes back, the chair closes the review.
func TestCommitteeAroundItsBoard(t *testing.T) {
	testkit.Each(t, func(t *testing.T, s *storage.Store) {
		w := newWorld(t, s, 3, 1)
		b := w.committee(t)
		trainer := w.member(b, "membre1@example.fr")
		must(t, selection.AssignByHand(ctx, s, w.manager, b, trainer.ID, w.apps[5].ID, true))
		// The candidate withdraws: the board no longer holds the application; distributing
		// and removals work on what is left.
		must(t, s.WithdrawApplication(ctx, w.apps[5].ID))
		b, _ = selection.Load(ctx, s, w.view)
		if _, err := selection.Distribute(ctx, s, w.manager, b); err != nil {
			t.Fatalf("distribute after a withdrawal: %v", err)
		}
		b, _ = selection.Load(ctx, s, w.view)
		if _, err := selection.RemoveMember(ctx, s, w.manager, b, trainer.ID); err != nil {
			t.Fatalf("remove after a withdrawal: %v", err)
		}
		// The member comes back: the same member, active again, in the role given now.
		b, _ = selection.Load(ctx, s, w.view)
		errs, err := selection.AddMember(ctx, s, w.manager, mailing, b, selection.NewMember{Email: trainer.Email,
			Name: trainer.Name, Role: model.CommitteeElected})
		if err != nil || errs.Any() {
			t.Fatalf("back on the committee: %v %v", errs, err)
		}
		b, _ = selection.Load(ctx, s, w.view)
		back, ok := b.Member(trainer.AccountID)
		if !ok || back.ID != trainer.ID || back.Role != model.CommitteeElected {
			t.Errorf("the returning member: %+v (found %v), want member %s as elected", back, ok, trainer.ID)
		}
		// Closed: nothing is assigned any more, a departure moves no review.
		chair := directory.Actor{Principal: &policy.Principal{AccountID: w.member(b, "membre0@example.fr").AccountID}, Via: "test"}
		must(t, selection.CloseReview(ctx, s, chair, b))
		b, _ = selection.Load(ctx, s, w.view)
		if _, err := selection.Distribute(ctx, s, w.manager, b); !errors.Is(err, selection.ErrClosed) {
			t.Errorf("distribute after closing: %v, want ErrClosed", err)
		}
		if err := selection.AssignByHand(ctx, s, w.manager, b, back.ID, w.apps[2].ID, true); !errors.Is(err, selection.ErrClosed) {
			t.Errorf("assign after closing: %v, want ErrClosed", err)
		}
		before := len(b.Reviews)
		if _, err := selection.RemoveMember(ctx, s, w.manager, b, w.member(b, "membre2@example.fr").ID); err != nil {
			t.Fatal(err)
		}
		if b, _ = selection.Load(ctx, s, w.view); len(b.Reviews) != before {
			t.Errorf("a departure after closing moved reviews: %d → %d", before, len(b.Reviews))
		}
	})
}

func TestReviewsScoresAndDisagreement(t *testing.T) {
	testkit.Each(t, func(t *testing.T, s *storage.Store) {
		w := newWorld(t, s, 3, 1)
		b := w.committee(t)
		selection.Distribute(ctx, s, w.manager, b)
		b, _ = selection.Load(ctx, s, w.view)
		rs := b.ReviewsOf(w.apps[2].ID)
		first, second := rs[0], rs[1]
		scores := func(a, b, c string) map[string]string {
			return map[string]string{w.gridID(t, 0): a, w.gridID(t, 1): b, w.gridID(t, 2): c}
		}
		actor := directory.Actor{Principal: &policy.Principal{AccountID: "m"}, Via: "test"}
		if errs, err := selection.SaveReview(ctx, s, actor, b, first, scores("5", "", ""), "à compléter", true); err != nil || len(errs) != 2 {
			t.Fatalf("submit with two criteria missing: %v %v", errs, err)
		}
		if errs, err := selection.SaveReview(ctx, s, actor, b, first, scores("5", "", "9"), "", false); err != nil || errs.For("criterion-"+w.gridID(t, 2)) == "" {
			t.Fatalf("a 9: %v %v", errs, err)
		}
		first.Status, _ = model.ReviewDraft, 0
		must(t, errOnly(selection.SaveReview(ctx, s, actor, b, first, scores("5", "4", "4"), "Très bon dossier", true)))
		b, _ = selection.Load(ctx, s, w.view)
		m1, _ := memberByID(b, first.MemberID)
		m2, _ := memberByID(b, second.MemberID)
		if !b.CanSeeReviews(m1, w.apps[2].ID) || b.CanSeeReviews(m2, w.apps[2].ID) {
			t.Error("others' reviews are seen once one's own is submitted, not before")
		}
		// (5·2 + 4 + 4) / (5·4) = 18/20 → 90.00
		if r, _ := b.ReviewBy(first.MemberID, w.apps[2].ID); r.Total != 9000 || r.Status != model.ReviewSubmitted {
			t.Errorf("total %d", r.Total)
		}
		must(t, errOnly(selection.SaveReview(ctx, s, actor, b, second, scores("2", "2", "1"), "", true)))
		b, _ = selection.Load(ctx, s, w.view)
		// (4 + 2 + 1)/20 = 35.00; mean of 90 and 35 = 62.50; 55 points apart: disagreement.
		sc := b.ScoreOf(w.apps[2].ID)
		if sc.Value != 6250 || sc.Submitted != 2 || !sc.Disagree {
			t.Errorf("score %+v", sc)
		}
		if r, _ := b.ReviewBy(first.MemberID, w.apps[2].ID); true {
			if _, err := selection.SaveReview(ctx, s, actor, b, r, scores("1", "1", "1"), "", true); !errors.Is(err, selection.ErrSubmitted) {
				t.Errorf("a submitted review changed: %v", err)
			}
		}
		// The chair reads the reviews of an application they have no review of, to lead the
		// deliberation; not those of one they still have to review.
		var chairMember model.CommitteeMember
		for _, m := range b.Members {
			if m.Chair {
				chairMember = m
			}
		}
		// (Once their own review of it is submitted, they read the others like any reviewer.)
		for _, a := range w.apps {
			r, assigned := b.ReviewBy(chairMember.ID, a.ID)
			want := !assigned || r.Status == model.ReviewSubmitted
			if _, c := b.Conflict(chairMember.ID, a.ID); !c && b.CanSeeReviews(chairMember, a.ID) != want {
				t.Errorf("the chair, assigned %v (review %s), sees the reviews of %s: %v", assigned, r.Status, a.ID, !want)
			}
		}
		// A reviewer who joins the applicant's structure after reviewing is in conflict: their
		// review counts for nothing.
		joiner, _ := memberByID(b, second.MemberID)
		acc, err := s.Account(ctx, joiner.AccountID)
		must(t, err)
		if acc.PersonID == "" {
			p := model.Person{FirstName: "Nouvel", LastName: "Adhérent", Email: joiner.Email, Profession: model.ProfInfirmier}
			must(t, s.CreatePerson(ctx, &p))
			must(t, s.LinkAccountPerson(ctx, joiner.AccountID, p.ID))
			acc.PersonID = p.ID
		}
		must(t, s.CreateMembership(ctx, &model.Membership{PersonID: acc.PersonID, StructureID: w.orgs[1].ID, Role: model.RoleMembre}))
		b, _ = selection.Load(ctx, s, w.view)
		if sc := b.ScoreOf(w.apps[2].ID); sc.Value != 9000 || sc.Submitted != 1 {
			t.Errorf("after the reviewer joined the structure, score %+v; want 90.00 from the other review alone", sc)
		}
		chair := directory.Actor{Principal: &policy.Principal{AccountID: b.Members[0].AccountID}, Via: "test"}
		must(t, selection.CloseReview(ctx, s, chair, b))
		b, _ = selection.Load(ctx, s, w.view)
		if _, err := selection.SaveReview(ctx, s, actor, b, b.ReviewsOf(w.apps[3].ID)[0], scores("1", "1", "1"), "", false); !errors.Is(err, selection.ErrClosed) {
			t.Errorf("a review after closing: %v", err)
		}
		if _, err := selection.DeclareConflict(ctx, s, actor, b, m1.ID, w.apps[3].ID, "découvert trop tard"); !errors.Is(err, selection.ErrClosed) {
			t.Errorf("a conflict declared after closing: %v", err)
		}
	})
}

func errOnly(errs any, err error) error {
	if err != nil {
		return err
	}
	if e, ok := errs.(interface{ Any() bool }); ok && e.Any() {
		return fmt.Errorf("%v", errs)
	}
	return nil
}

func memberByID(b *selection.Board, id string) (model.CommitteeMember, bool) {
	for _, m := range b.Members {
		if m.ID == id {
			return m, true
		}
	}
	return model.CommitteeMember{}, false
}

func (w *world) gridID(t *testing.T, i int) string {
	b, err := selection.Load(ctx, w.s, w.view)
	must(t, err)
	return b.Grid[i].ID
}

// score gives an application a score through two submitted reviews of equal totals.
func (w *world) score(t *testing.T, b *selection.Board, appIndex int, all string) {
	t.Helper()
	actor := directory.Actor{Principal: &policy.Principal{AccountID: "m"}, Via: "test"}
	for _, r := range b.ReviewsOf(w.apps[appIndex].ID) {
		scores := map[string]string{}
		for _, c := range b.Grid {
			scores[c.ID] = all
		}
		must(t, errOnly(selection.SaveReview(ctx, w.s, actor, b, r, scores, "", true)))
	}
}

// decisions maps each application index to its decision in a plan.
func (w *world) decisions(p *selection.Plan) string {
	var out []string
	for i, a := range w.apps {
		for _, r := range p.Results {
			if r.ID == a.ID {
				out = append(out, fmt.Sprintf("%d:%s", i, r.Decision))
			}
		}
	}
	return strings.Join(out, " ")
}

// Three seats, one per CPTS: the best of A, then B and C; A's second and D, E wait. A decline
// gives the seat to the next at once; a lapse, at the next sweep; CPTS A, having lost its
// only seat, competes again at tier 1.
func TestOffersDeclineLapseAndWaitlist(t *testing.T) {
	testkit.Each(t, func(t *testing.T, s *storage.Store) {
		w := newWorld(t, s, 3, 1)
		b := w.committee(t)
		selection.Distribute(ctx, s, w.manager, b)
		b, _ = selection.Load(ctx, s, w.view)
		for i, grade := range []string{"5", "4", "3", "3", "2", "1"} { // a1 5, a2 4, b1 3, c1 3, d1 2, e1 1
			w.score(t, b, i, grade)
		}
		plan, n, err := selection.SendOffers(ctx, s, w.manager, mailing, w.view)
		must(t, err)
		if n != 3 || w.decisions(plan) != "0:offered 1:waitlisted 2:offered 3:offered 4:waitlisted 5:waitlisted" {
			t.Fatalf("%d offers: %s", n, w.decisions(plan))
		}
		if _, again, _ := selection.SendOffers(ctx, s, w.manager, mailing, w.view); again != 0 {
			t.Errorf("a second run made %d offers", again)
		}
		offers, _ := s.Offers(ctx, w.view.Call.ID)
		deadline := time.Date(2027, 4, 1, 21, 59, 0, 0, time.UTC) // 23:59 in Marseille (CEST) on the 7th day
		if len(offers) != 3 || !offers[0].Deadline.Equal(deadline) || offers[0].Seat != 1 || offers[2].Seat != 3 {
			t.Errorf("offers %+v", offers)
		}
		// b1 declines: its seat goes at once to the next: a2 is tier 2, d1 tier 1 → d1.
		var b1Offer model.Offer
		for _, o := range offers {
			if o.ApplicationID == w.apps[2].ID {
				b1Offer = o
			}
		}
		candidate := directory.Actor{Principal: &policy.Principal{AccountID: w.apps[2].AccountID}, Via: "test"}
		must(t, selection.Answer(ctx, s, candidate, mailing, w.view, b1Offer, false))
		if err := selection.Answer(ctx, s, candidate, mailing, w.view, b1Offer, true); !errors.Is(err, selection.ErrAnswered) {
			t.Errorf("answering twice: %v", err)
		}
		if learners, _ := s.Enrolments(ctx, w.view.Cohort.ID); len(learners) != 0 {
			t.Errorf("a decline enrolled %d learners", len(learners))
		}
		b, _ = selection.Load(ctx, s, w.view)
		plan, _ = selection.Compute(ctx, s, b)
		if got := w.decisions(plan); got != "0:offered 1:waitlisted 2:declined 3:offered 4:offered 5:waitlisted" {
			t.Fatalf("after the decline: %s", got)
		}
		// a1 accepts; d1 lets its offer lapse; CPTS A competes for the seat with its second
		// candidate at tier 2 against e1 at tier 1: e1 gets it.
		for _, o := range mustOffers(t, s, w.view.Call.ID) {
			if o.ApplicationID == w.apps[0].ID {
				must(t, selection.Answer(ctx, s, candidate, mailing, w.view, o, true))
			}
		}
		if learners, _ := s.Enrolments(ctx, w.view.Cohort.ID); len(learners) != 1 || learners[0].ApplicationID != w.apps[0].ID {
			t.Errorf("after a1 accepted, learners %+v", learners)
		}
		w.clk.Set(deadline.Add(time.Second))
		lapsed, offered, err := selection.Sweep(ctx, s, mailing)
		must(t, err)
		if lapsed != 2 || offered != 2 { // c1's and d1's offers lapsed; a2 and e1 get the seats
			t.Errorf("sweep: %d lapsed, %d offered", lapsed, offered)
		}
		b, _ = selection.Load(ctx, s, w.view)
		plan, _ = selection.Compute(ctx, s, b)
		if got := w.decisions(plan); got != "0:accepted 1:offered 2:declined 3:declined 4:declined 5:offered" {
			t.Errorf("after the lapses: %s", got)
		}
		// The waitlist is empty; the accepted seat is withdrawn: nobody left to offer it to.
		trail, _ := s.AuditTrail(ctx, "application", w.apps[2].ID, 0)
		if len(trail) == 0 || trail[0].Action != "offer.decline" {
			t.Errorf("audit of the decline: %+v", trail)
		}
		runs, _ := s.Compositions(ctx, w.view.Call.ID)
		if len(runs) != 3 || runs[0].RunBy != "worker" || !strings.Contains(runs[len(runs)-1].Input, w.apps[0].ID) {
			t.Errorf("%d composition runs recorded", len(runs))
		}
		// a1 gives up the accepted seat: no longer a learner of the cohort.
		for _, o := range mustOffers(t, s, w.view.Call.ID) {
			if o.ApplicationID == w.apps[0].ID && o.Status == model.OfferAccepted {
				must(t, selection.WithdrawSeat(ctx, s, candidate, mailing, w.view, o))
			}
		}
		if learners, _ := s.Enrolments(ctx, w.view.Cohort.ID); len(learners) != 1 || learners[0].Active() {
			t.Errorf("after giving up the seat, learners %+v", learners)
		}
	})
}

func mustOffers(t *testing.T, s *storage.Store, callID string) []model.Offer {
	os, err := s.Offers(ctx, callID)
	must(t, err)
	return os
}

// Reminders 48 h and 24 h before an offer's deadline, once each.
func TestOfferReminders(t *testing.T) {
	testkit.Each(t, func(t *testing.T, s *storage.Store) {
		w := newWorld(t, s, 1, 1)
		b := w.committee(t)
		selection.Distribute(ctx, s, w.manager, b)
		b, _ = selection.Load(ctx, s, w.view)
		w.score(t, b, 0, "5")
		_, n, err := selection.SendOffers(ctx, s, w.manager, mailing, w.view)
		if err != nil || n != 1 {
			t.Fatal(n, err)
		}
		deadline := mustOffers(t, s, w.view.Call.ID)[0].Deadline
		before, _ := s.OutboxCounts(ctx)
		for _, at := range []time.Duration{47 * time.Hour, 46 * time.Hour, 23 * time.Hour, 22 * time.Hour} {
			w.clk.Set(deadline.Add(-at))
			if _, _, err := selection.Sweep(ctx, s, mailing); err != nil {
				t.Fatal(err)
			}
		}
		after, _ := s.OutboxCounts(ctx)
		if after["pending"]-before["pending"] != 2 {
			t.Errorf("%d reminders, want 2", after["pending"]-before["pending"])
		}
	})
}

// Two server instances sweeping one PostgreSQL database at the same moment never offer a
// seat twice nor a candidate twice: the unique keys decide.
func TestTwoInstancesNeverDoubleOffer(t *testing.T) {
	instances := testkit.PostgresInstances(t, 2)
	w := newWorld(t, instances[0], 3, 1)
	instances[1].Clock = w.clk
	b := w.committee(t)
	selection.Distribute(ctx, instances[0], w.manager, b)
	b, _ = selection.Load(ctx, instances[0], w.view)
	for i := range w.apps {
		w.score(t, b, i, fmt.Sprint(5-i%5))
	}
	// A first offer, declined by SQL behind the application's back, leaves a free seat and a
	// call with offers: both instances' sweeps want to fill it.
	for round := 0; round < 5; round++ {
		var wg sync.WaitGroup
		errs := make(chan error, 2)
		for _, s := range instances {
			wg.Add(1)
			go func(s *storage.Store) {
				defer wg.Done()
				_, _, err := selection.SendOffers(ctx, s, directory.Actor{Via: "worker"}, mailing, w.view)
				if errors.Is(err, storage.ErrAlreadyExists) {
					err = nil // the other instance got there first
				}
				errs <- err
			}(s)
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			must(t, err)
		}
		offers := mustOffers(t, instances[0], w.view.Call.ID)
		held, seats, apps := 0, map[int]bool{}, map[string]bool{}
		for _, o := range offers {
			if apps[o.ApplicationID] {
				t.Fatalf("round %d: a candidate has two offers", round)
			}
			apps[o.ApplicationID] = true
			if o.Status == model.OfferPending || o.Status == model.OfferAccepted {
				held++
				if seats[o.Seat] {
					t.Fatalf("round %d: seat %d given twice", round, o.Seat)
				}
				seats[o.Seat] = true
			}
		}
		if held != 3 {
			t.Fatalf("round %d: %d seats held, want 3", round, held)
		}
		// Free one seat for the next round.
		for _, o := range offers {
			if o.Status == model.OfferPending {
				must(t, instances[0].AnswerOffer(ctx, o.ID, model.OfferPending, model.OfferDeclined))
				break
			}
		}
		if len(offers) == len(w.apps) {
			break // everyone had an offer
		}
	}
	_ = compose.StatusActive
}

// A candidate declines while a declared structure waits to be resolved: the seat cannot go
// to the next candidate yet, but the answer stands; once the manager has resolved the
// structure, the sweep offers the seat.
func TestDeclineWhileAStructureIsUnresolved(t *testing.T) {
	testkit.Each(t, func(t *testing.T, s *storage.Store) {
		w := newWorld(t, s, 3, 1)
		b := w.committee(t)
		selection.Distribute(ctx, s, w.manager, b)
		b, _ = selection.Load(ctx, s, w.view)
		for i, grade := range []string{"5", "4", "3", "3", "2", "1"} {
			w.score(t, b, i, grade)
		}
		_, n, err := selection.SendOffers(ctx, s, w.manager, mailing, w.view)
		if err != nil || n != 3 {
			t.Fatalf("%d offers, %v", n, err)
		}
		// A late application, from a CPTS its candidate declared, judged eligible.
		acc := model.Account{Email: "tardif@example.fr", DisplayName: "Tardif"}
		must(t, s.CreateAccount(ctx, &acc))
		late := model.Application{CallID: w.view.Call.ID, AccountID: acc.ID}
		must(t, s.CreateApplication(ctx, &late))
		late.DeclaredName, late.DeclaredKind, late.DeclaredDepartement = "CPTS Nouvelle", model.KindCPTS, "13"
		late.Role, late.Eligible = model.RoleCoordinateur, true
		must(t, s.SaveApplication(ctx, &late))
		must(t, s.SubmitApplication(ctx, &late, "DCSEC-93", ""))

		offers := mustOffers(t, s, w.view.Call.ID)
		decliner := offers[1]
		candidate := directory.Actor{Principal: &policy.Principal{AccountID: "c"}, Via: "test"}
		if err := selection.Answer(ctx, s, candidate, mailing, w.view, decliner, false); err != nil {
			t.Fatalf("the decline: %v", err)
		}
		if o, _ := s.Offer(ctx, decliner.ID); o.Status != model.OfferDeclined {
			t.Errorf("the declined offer is %s", o.Status)
		}
		if got := len(mustOffers(t, s, w.view.Call.ID)); got != 3 {
			t.Errorf("%d offers after the decline, want 3: no refill while a structure is unresolved", got)
		}
		late, _ = s.Application(ctx, late.ID)
		must(t, selection.ResolveStructure(ctx, s, w.manager, late, w.orgs[4].ID))
		if _, offered, err := selection.Sweep(ctx, s, mailing); err != nil || offered != 1 {
			t.Errorf("the sweep after resolving: %d offered, %v; want 1", offered, err)
		}
	})
}
