package browsertest

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"testing"

	"parcours/internal/apptest"
	"parcours/internal/directory"
	"parcours/internal/model"
	"parcours/internal/policy"
	"parcours/internal/selection"
)

var offerLink = regexp.MustCompile(`https?://\S+/offres/[0-9a-z]{26}`)

// Buttons of the selection's pages.
const (
	addMemberButton  = "main form[action$='/comite/membres'] button[type=submit]"
	distributeButton = "main form[action$='/comite/repartition'] button[type=submit]"
	gridButton       = "main form[action$='/comite/grille'] button[type=submit]"
	closeButton      = "main form[action$='/cloture'] button[type=submit]"
	sendOffersButton = "main form[action$='/composition'] button[type=submit]"
	acceptButton     = "main form[action$='/reponse'] input[value=accept] ~ button[type=submit]"
	declineButton    = "main form[action$='/reponse'] input[value=decline] ~ button[type=submit]"
	reviewSubmit     = "main button[name=action][value=submit]"
)

// reviewOf is the review a member was assigned of candidate i's application.
func reviewOf(t *testing.T, app *apptest.App, s *apptest.Selection, member model.CommitteeMember) (model.Review, int) {
	t.Helper()
	for _, r := range app.Board(s).Reviews {
		if r.MemberID != member.ID {
			continue
		}
		for i, c := range s.Candidates {
			if c.Application.ID == r.ApplicationID {
				return r, i
			}
		}
	}
	t.Fatalf("%s has no review assigned", member.Name)
	return model.Review{}, 0
}

// score ticks level on every criterion of the review form.
func (b *tab) score(grid []model.Criterion, level int) {
	b.t.Helper()
	for _, c := range grid {
		b.tick(fmt.Sprintf("main input[type=radio][name='criterion-%s'][value='%d']", c.ID, level))
	}
}

// submitTheRest has every review not yet submitted submitted with level levels[i] on each
// criterion of candidate i's application: the committee members who do not take part in
// the browser test.
func submitTheRest(t *testing.T, app *apptest.App, s *apptest.Selection, levels []int) {
	t.Helper()
	b := app.Board(s)
	for _, r := range b.Reviews {
		if r.Status == model.ReviewSubmitted {
			continue
		}
		level := 0
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
		if errs, err := selection.SaveReview(context.Background(), app.Store, member, b, r, scores, "", true); err != nil || errs.Any() {
			t.Fatal(errs, err)
		}
	}
}

// offerLinkFor is the link of the last offer e-mailed to a candidate.
func offerLinkFor(t *testing.T, app *apptest.App, email string) string {
	t.Helper()
	link := ""
	for _, m := range app.DeliverMail() {
		if strings.Contains(m.To, email) {
			if l := offerLink.FindString(m.Text); l != "" {
				link = strings.TrimPrefix(l, app.HTTP.URL)
			}
		}
	}
	if link == "" {
		t.Fatalf("no offer e-mailed to %s", email)
	}
	return link
}

// TestCommitteeComposesTheCohort is the selection in a browser: the manager distributes the
// reviews; a trainer scores an application on the grid and submits; once the others have,
// the chair closes the review; the manager sends the offers; the first candidate accepts
// from the e-mailed link; another declines, and the seat goes at once to the next one, who
// finds the offer on their applications page.
func TestCommitteeComposesTheCohort(t *testing.T) {
	t.Parallel()
	needChromium(t)
	app := apptest.New(t)
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("server log:\n%s", app.Logs())
		}
	})
	s := app.NewSelection()
	call := "/appels/" + s.View.Call.ID
	levels := []int{5, 4, 3, 2, 1, 0} // candidate i scores levels[i] × 20

	manager := newTab(t, app.HTTP.URL)
	manager.signIn(app, app.Fixture.Accounts[model.RoleManager].ID)
	manager.open(call+"/comite", 200)
	manager.click(distributeButton, 200)
	manager.wantText("main .flash", "réparties")

	// A trainer scores their first application and submits it.
	trainer := manager.another()
	trainer.signIn(app, s.Trainers[0].AccountID)
	trainer.open("/comites", 200)
	trainer.click(`//main//a[contains(@href, "/comites/")]`, 200)
	trainer.wantPage("reviewer_committee")
	review, i := reviewOf(t, app, s, s.Trainers[0])
	trainer.click(fmt.Sprintf("main a[href$='/candidatures/%s']", review.ApplicationID), 200)
	trainer.wantPage("reviewer_evaluation")
	trainer.wantText("main h1", strings.Fields(s.Candidates[i].Name)[0])
	trainer.score(s.Grid, levels[i])
	trainer.typeIn("#f-comment", "Un projet précis, porté par le bureau.")
	trainer.click(reviewSubmit, 200)
	trainer.wantPage("reviewer_evaluation")
	trainer.wantText("main", fmt.Sprintf("%d,00 / 100", levels[i]*20))
	if r, _ := reviewOf(t, app, s, s.Trainers[0]); r.Status != model.ReviewSubmitted || r.Total != levels[i]*2000 {
		t.Fatalf("the trainer's review: %s, total %d", r.Status, r.Total)
	}

	// The others submit theirs; the chair closes the review.
	submitTheRest(t, app, s, levels)
	chair := manager.another()
	chair.signIn(app, s.Chair.AccountID)
	chair.open("/comites/"+app.Board(s).Committee.ID+"/classement", 200)
	chair.tick("#f-confirm")
	chair.click(closeButton, 200)
	chair.wantText("main", "close")

	// The manager sends the offers: three seats, three CPTS.
	manager.open(call+"/composition", 200)
	manager.tick("#f-confirm")
	manager.click(sendOffersButton, 200)
	manager.wantPage("composition")
	if offers, _ := app.Store.Offers(context.Background(), s.View.Call.ID); len(offers) != 3 {
		t.Fatalf("%d offers sent, want 3", len(offers))
	}

	// The best candidate accepts from the e-mail's link.
	first := manager.another()
	first.signIn(app, s.Candidates[0].AccountID)
	first.open(offerLinkFor(t, app, s.Candidates[0].Email), 200)
	first.wantPage("offer_show")
	first.click(acceptButton, 200)
	first.wantText("main", "Vous avez accepté la place")

	// Candidate 2 (CPTS B) declines; the seat goes at once to candidate 4 (CPTS D, tier 1),
	// ahead of candidate 1, CPTS A's second.
	decliner := manager.another()
	decliner.signIn(app, s.Candidates[2].AccountID)
	decliner.open(offerLinkFor(t, app, s.Candidates[2].Email), 200)
	decliner.tick("#f-confirm")
	decliner.click(declineButton, 200)
	decliner.wantText("main", "Vous avez renoncé à la place")
	next := manager.another()
	next.signIn(app, s.Candidates[4].AccountID)
	next.open(offerLinkFor(t, app, s.Candidates[4].Email), 200)
	next.wantPage("offer_show")
	next.wantText("main", s.View.Cohort.Label)
	next.open("/candidatures", 200)
	next.wantText("main", "Place proposée")
}

// visitSelectionPages: the manager builds the committee (an error, the grid with an error)
// and distributes; a reviewer's committees, an application refused for a missing score, the
// ranking still locked; the chair's ranking and closing; the manager's composition and the
// offers; a candidate's offer, accepted; a waitlisted candidate's place.
func visitSelectionPages(t *testing.T, app *apptest.App, b *tab) {
	s := app.NewSelection()
	call := "/appels/" + s.View.Call.ID
	b.signIn(app, app.Fixture.Accounts[model.RoleManager].ID)
	b.open(call+"/comite", 200)
	b.check("committee_manage")
	b.typeIn("#f-email", "lea@")
	b.typeIn("#f-display_name", "Léa Martin")
	b.click(addMemberButton, 422)
	b.check("committee_manage")
	b.click(distributeButton, 200)
	b.check("committee_manage")
	b.open(call+"/comite/grille", 200)
	b.check("committee_grid")
	b.set("#f-criterion-0-weight", "0")
	b.click(gridButton, 422)
	b.check("committee_grid")

	r := b.another()
	r.signIn(app, s.Trainers[0].AccountID)
	r.open("/comites", 200)
	r.check("reviewer_committees")
	committee := "/comites/" + app.Board(s).Committee.ID
	r.open(committee, 200)
	r.check("reviewer_committee")
	review, _ := reviewOf(t, app, s, s.Trainers[0])
	r.open(committee+"/candidatures/"+review.ApplicationID, 200)
	r.check("reviewer_evaluation")
	r.tick(fmt.Sprintf("main input[type=radio][name='criterion-%s'][value='4']", s.Grid[0].ID))
	r.click(reviewSubmit, 422) // two criteria without a score
	r.check("reviewer_evaluation")
	r.open(committee+"/classement", 200)
	r.check("reviewer_ranking") // locked until their reviews are in

	submitTheRest(t, app, s, []int{5, 4, 3, 2, 1, 0})
	c := b.another()
	c.signIn(app, s.Chair.AccountID)
	c.open(committee+"/classement", 200)
	c.check("reviewer_ranking")
	c.click(closeButton, 422) // not confirmed
	c.check("reviewer_ranking")
	o := b.another()
	o.signIn(app, s.Observer.AccountID)
	o.open(committee+"/candidatures/"+review.ApplicationID, 200)
	o.check("reviewer_evaluation") // read-only, with the reviews

	b.open(call+"/composition", 200)
	b.check("composition")
	b.click(sendOffersButton, 422) // not confirmed
	b.check("composition")
	b.tick("#f-confirm")
	b.click(sendOffersButton, 200)
	b.check("composition")

	cand := b.another()
	cand.signIn(app, s.Candidates[0].AccountID)
	cand.open(offerLinkFor(t, app, s.Candidates[0].Email), 200)
	cand.check("offer_show")
	cand.click(acceptButton, 200)
	cand.check("offer_show") // accepted, with the give-up form
	w := b.another()
	w.signIn(app, s.Candidates[1].AccountID)
	w.open("/candidatures", 200)
	w.check("application_list")
	w.open("/candidatures/"+s.Candidates[1].Application.ID, 200)
	w.check("application_view")
	w.wantText("main", "liste d'attente")
	b.open(call+"/composition", 200)
	b.check("composition") // the accepted seat, with its withdrawal form
}
