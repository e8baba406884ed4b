package server_test

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"parcours/internal/apptest"
	"parcours/internal/directory"
	"parcours/internal/i18n"
	"parcours/internal/model"
	"parcours/internal/policy"
	"parcours/internal/selection"
)

// committeeManagePath is the committee page of the selection's call.
func committeeManagePath(s *apptest.Selection) string { return "/appels/" + s.View.Call.ID + "/comite" }

// committeeManageLogged reports whether the audit log has action about a subject.
func committeeManageLogged(t *testing.T, app *apptest.App, subjectType, subjectID, action string) bool {
	t.Helper()
	trail, err := app.Store.AuditTrail(context.Background(), subjectType, subjectID, 0)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range trail {
		if e.Action == action {
			return true
		}
	}
	return false
}

// committeeManagePost posts a form of the committee page and wants a redirect back to it;
// it returns the page that follows, with its flash message.
func committeeManagePost(t *testing.T, c *apptest.Client, s *apptest.Selection, path string, form url.Values) string {
	t.Helper()
	res := c.Post(committeeManagePath(s)+path, form)
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != committeeManagePath(s) {
		t.Fatalf("POST %s: %d → %q\n%s", path, res.StatusCode, res.Header.Get("Location"), res.Body)
	}
	page := c.Get(committeeManagePath(s))
	if page.StatusCode != http.StatusOK {
		t.Fatalf("the committee page: %d", page.StatusCode)
	}
	return page.Body
}

// committeeManageReviewers lists the members holding a review of each application.
func committeeManageReviewers(b *selection.Board) map[string][]string {
	out := map[string][]string{}
	for _, r := range b.Reviews {
		out[r.ApplicationID] = append(out[r.ApplicationID], r.MemberID)
	}
	return out
}

// The manager sees the call, the members with their roles and the chair, the grid, and
// the elected member kept from CPTS A's two applications without anyone declaring it.
func TestCommitteeManagePageShowsMembersRolesAndConflicts(t *testing.T) {
	app := apptest.New(t)
	s := app.NewSelection()
	res := app.As(model.RoleManager).Get(committeeManagePath(s))
	if res.StatusCode != http.StatusOK {
		t.Fatalf("committee page: %d\n%s", res.StatusCode, res.Body)
	}
	reviewBodyHas(t, "the committee page", res.Body, s.View.Programme.Title, s.View.Cohort.Label,
		`href="/appels/`+s.View.Call.ID+`/candidatures"`, `href="/appels/`+s.View.Call.ID+`/composition"`,
		"Inès Formatrice", "Jules Formateur", "Paul Élu", "Rose Observatrice", "elu.urps@example.fr",
		"formateur ou formatrice", "élu ou élue", "observateur ou observatrice (ARS)",
		s.Chair.Name+` <span class="badge">préside le comité</span>`,
		"Expérience de la gouvernance", "Projet pour la CPTS", "Motivation",
		// Nothing is distributed yet: each application lacks its two reviewers.
		"6 candidatures n&#39;ont pas tous leurs évaluateurs", "Il manque 2 évaluateurs : répartissez les évaluations.")
	for _, i := range []int{0, 1} {
		row := `<tr><th scope="row">Paul Élu</th><td>` + s.Candidates[i].Name[:strings.Index(s.Candidates[i].Name, " ")] + " CANDIDAT</td><td>CPTS A</td>\n" +
			"<td>Membre de la structure du candidat</td></tr>"
		if !strings.Contains(res.Body, row) {
			t.Errorf("no automatic conflict row for candidate %d:\n%s", i, row)
		}
	}
	if n := strings.Count(res.Body, `<tr><th scope="row">Paul Élu</th>`); n != 2 {
		t.Errorf("the elected member is in %d conflicts, want 2 (CPTS A's applications only)", n)
	}
	// Only reviewing members other than the chair can be named chair; the observer does not score.
	if strings.Contains(res.Body, "/membres/"+s.Observer.ID+"/president") || strings.Contains(res.Body, "/membres/"+s.Chair.ID+"/president") {
		t.Error("the observer or the chair is offered the chair")
	}
	if !strings.Contains(res.Body, "/membres/"+s.Elected.ID+"/president") {
		t.Error("the elected member cannot be named chair")
	}
}

// An open call without submitted applications says so instead of showing empty tables.
func TestCommitteeManageEmptyWhileTheCallIsOpen(t *testing.T) {
	app := apptest.New(t)
	res := app.As(model.RoleManager).Get("/appels/" + app.Fixture.Call.ID + "/comite")
	if res.StatusCode != http.StatusOK {
		t.Fatalf("committee page: %d\n%s", res.StatusCode, res.Body)
	}
	reviewBodyHas(t, "the empty committee page", res.Body, "aucune candidature éligible n&#39;est encore déposée",
		"Le comité n&#39;a pas encore de membre.", "Personne ne préside le comité", "La grille n&#39;a pas encore de critère")
	reviewBodyLacks(t, "the empty committee page", res.Body, "Évaluateurs de chaque candidature", "/comite/repartition",
		"/comite/conflits", "/comite/affectations")
}

var committeeManageInviteLink = regexp.MustCompile(`http://[^\s]+/mot-de-passe/nouveau\?jeton=[A-Za-z0-9_-]+`)

// Adding someone without an account makes one, puts them on the committee with the
// committee_member role and e-mails them a link to choose a password.
func TestCommitteeManageAddMemberInvites(t *testing.T) {
	app := apptest.New(t)
	s := app.NewSelection()
	c := app.As(model.RoleManager)
	page := committeeManagePost(t, c, s, "/membres", url.Values{"email": {" Lea.Durand@Example.fr "},
		"display_name": {"Léa Durand"}, "role": {"elected"}})
	reviewBodyHas(t, "the page after adding", page, "Le membre est ajouté au comité", "Léa Durand", "lea.durand@example.fr")
	b := app.Board(s)
	var added model.CommitteeMember
	for _, m := range b.Members {
		if m.Email == "lea.durand@example.fr" {
			added = m
		}
	}
	if added.ID == "" || added.Role != model.CommitteeElected || added.Chair || !added.Active() {
		t.Fatalf("member: %+v", added)
	}
	if !committeeManageLogged(t, app, "committee", b.Committee.ID, "committee.member_add") {
		t.Error("no audit entry for the new member")
	}
	var invitation string
	for _, m := range app.DeliverMail() {
		if m.To == "lea.durand@example.fr" {
			invitation = m.Text
		}
	}
	link := committeeManageInviteLink.FindString(invitation)
	if link == "" || !strings.Contains(invitation, "Léa Durand") || !strings.Contains(invitation, s.View.Programme.Title) {
		t.Fatalf("invitation:\n%s", invitation)
	}
	u, _ := url.Parse(link)
	if res := app.NewClient().Get(u.RequestURI()); res.StatusCode != http.StatusOK || !strings.Contains(res.Body, "Choisir un nouveau mot de passe") {
		t.Errorf("the invitation's link: %d", res.StatusCode)
	}
	grants, err := app.Store.Grants(context.Background(), added.AccountID)
	if err != nil || len(grants) != 1 || grants[0].Role != model.RoleCommitteeMember || grants[0].Scope != b.Committee.ID {
		t.Errorf("grants of the new member: %+v %v", grants, err)
	}
}

// A form with errors comes back with the French message next to the field, 422, and what
// was typed; nothing is added.
func TestCommitteeManageAddMemberErrors(t *testing.T) {
	app := apptest.New(t)
	s := app.NewSelection()
	c := app.As(model.RoleManager)
	before := len(app.Board(s).Members)
	cases := []struct {
		name  string
		form  url.Values
		field string
		want  string
	}{
		{"bad e-mail", url.Values{"email": {"lea.durand@"}, "display_name": {"Léa Durand"}, "role": {"trainer"}},
			"email", i18n.T("validation.email")},
		{"no role", url.Values{"email": {"lea@example.fr"}, "display_name": {"Léa Durand"}}, "role", i18n.T("validation.choose")},
		{"observer chairing", url.Values{"email": {"lea@example.fr"}, "display_name": {"Léa Durand"}, "role": {"observer"}, "chair": {"1"}},
			"chair", i18n.T("committee.observer_chair")},
		{"already a member", url.Values{"email": {"formatrice@example.fr"}, "display_name": {"Léa Durand"}, "role": {"trainer"}},
			"email", i18n.T("committee.already_member")},
	}
	for _, tc := range cases {
		res := c.Post(committeeManagePath(s)+"/membres", tc.form)
		if res.StatusCode != http.StatusUnprocessableEntity {
			t.Errorf("%s: %d", tc.name, res.StatusCode)
			continue
		}
		reviewBodyHas(t, tc.name, res.Body, `<small class="field-error" id="e-`+tc.field+`">`+htmlText(tc.want)+`</small>`,
			`id="f-`+tc.field+`"`, `value="Léa Durand"`, `value="`+tc.form.Get("email")+`"`)
	}
	if after := len(app.Board(s).Members); after != before {
		t.Errorf("%d members after refused forms, want %d", after, before)
	}
}

// htmlText is text as html/template writes it in an element.
func htmlText(s string) string { return strings.ReplaceAll(s, "'", "&#39;") }

// Distributing gives every application R = 2 reviewers, never the elected member on CPTS
// A's applications, never the observer, with loads differing by at most one.
func TestCommitteeManageDistribute(t *testing.T) {
	app := apptest.New(t)
	s := app.NewSelection()
	page := committeeManagePost(t, app.As(model.RoleManager), s, "/repartition", nil)
	reviewBodyHas(t, "the page after distributing", page, "Les évaluations sont réparties : chaque candidature a ses évaluateurs.",
		"Toutes les candidatures ont leurs évaluateurs.", "Charge des évaluateurs : de 3 à 3 candidatures chacun.")
	b := app.Board(s)
	byApp := committeeManageReviewers(b)
	loads := map[string]int{}
	for i, cand := range s.Candidates {
		members := byApp[cand.Application.ID]
		if len(members) != 2 {
			t.Errorf("candidate %d has %d reviewers, want 2", i, len(members))
		}
		for _, m := range members {
			loads[m]++
			if m == s.Observer.ID {
				t.Errorf("the observer reviews candidate %d", i)
			}
			if m == s.Elected.ID && i < 2 {
				t.Errorf("the elected member of CPTS A reviews candidate %d of CPTS A", i)
			}
		}
	}
	lo, hi := len(s.Candidates), 0
	for _, m := range b.Reviewers() {
		lo, hi = min(lo, loads[m.ID]), max(hi, loads[m.ID])
	}
	if hi-lo > 1 {
		t.Errorf("loads from %d to %d: %v", lo, hi, loads)
	}
	if !committeeManageLogged(t, app, "committee", b.Committee.ID, "committee.assign") {
		t.Error("no audit entry for the distribution")
	}
	// Each application lists its reviewers with the state of their review.
	if strings.Count(page, " — à commencer</li>") != 12 {
		t.Errorf("want 12 reviews to start on the page, got %d", strings.Count(page, " — à commencer</li>"))
	}
}

// Once the chair closed the review, the assignments no longer change: the forms are gone and
// a forged one changes nothing.
func TestCommitteeManageClosed(t *testing.T) {
	app := apptest.New(t)
	s := app.NewSelection()
	app.ScoreAll(s, []int{5, 4, 3, 2, 1, 0})
	chair := directory.Actor{Principal: &policy.Principal{AccountID: s.Chair.AccountID}, Via: "test"}
	if err := selection.CloseReview(context.Background(), app.Store, chair, app.Board(s)); err != nil {
		t.Fatal(err)
	}
	before := len(app.Board(s).Reviews)
	c := app.As(model.RoleManager)
	page := c.Get(committeeManagePath(s)).Body
	if strings.Contains(page, `action="`+committeeManagePath(s)+`/repartition"`) || strings.Contains(page, `/affectations"`) {
		t.Error("the closed committee still offers to distribute or assign")
	}
	page = committeeManagePost(t, c, s, "/repartition", nil)
	reviewBodyHas(t, "the closed committee", page, "L&#39;évaluation est close : les affectations ne changent plus.")
	committeeManagePost(t, c, s, "/affectations", url.Values{"assign_member": {s.Trainers[0].ID},
		"assign_application": {s.Candidates[2].Application.ID}, "assign_action": {"remove"}})
	if after := len(app.Board(s).Reviews); after != before {
		t.Errorf("reviews %d → %d after closing", before, after)
	}
}

// A conflicted member cannot be given the application by hand; others can, and a manual
// assignment stays through the next distribution.
func TestCommitteeManageManualAssignment(t *testing.T) {
	app := apptest.New(t)
	s := app.NewSelection()
	c := app.As(model.RoleManager)
	anne := s.Candidates[0].Application.ID
	res := c.Post(committeeManagePath(s)+"/affectations", url.Values{"assign_member": {s.Elected.ID},
		"assign_application": {anne}, "assign_action": {"add"}})
	if res.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("conflicted member: %d", res.StatusCode)
	}
	reviewBodyHas(t, "the refused assignment", res.Body,
		`<small class="field-error" id="e-assign_member">Ce membre est en conflit d&#39;intérêts avec cette candidature : il ne peut pas l&#39;évaluer.</small>`,
		`<option value="`+s.Elected.ID+`" selected>`, `<option value="`+anne+`" selected>`)
	if _, ok := app.Board(s).ReviewBy(s.Elected.ID, anne); ok {
		t.Fatal("the conflicted member was given the application")
	}
	for name, form := range map[string]url.Values{
		"the observer":          {"assign_member": {s.Observer.ID}, "assign_application": {anne}, "assign_action": {"add"}},
		"no application":        {"assign_member": {s.Trainers[0].ID}, "assign_application": {""}, "assign_action": {"add"}},
		"another call's":        {"assign_member": {s.Trainers[0].ID}, "assign_application": {app.Fixture.Application.ID}, "assign_action": {"add"}},
		"nothing to take back":  {"assign_member": {s.Trainers[0].ID}, "assign_application": {anne}, "assign_action": {"remove"}},
		"no action":             {"assign_member": {s.Trainers[0].ID}, "assign_application": {anne}},
		"a member who is not":   {"assign_member": {"01ZZZZZZZZZZZZZZZZZZZZZZZZ"}, "assign_application": {anne}, "assign_action": {"add"}},
		"an unknown action":     {"assign_member": {s.Trainers[0].ID}, "assign_application": {anne}, "assign_action": {"swap"}},
		"the conflicted remove": {"assign_member": {s.Elected.ID}, "assign_application": {anne}, "assign_action": {"remove"}},
	} {
		if res := c.Post(committeeManagePath(s)+"/affectations", form); res.StatusCode != http.StatusUnprocessableEntity {
			t.Errorf("%s: %d", name, res.StatusCode)
		}
	}
	if len(app.Board(s).Reviews) != 0 {
		t.Fatal("a refused form assigned something")
	}
	page := committeeManagePost(t, c, s, "/affectations", url.Values{"assign_member": {s.Trainers[0].ID},
		"assign_application": {anne}, "assign_action": {"add"}})
	reviewBodyHas(t, "the page after assigning", page, "La candidature est attribuée à ce membre.",
		s.Trainers[0].Name+` — à commencer <span class="badge">attribuée à la main</span>`)
	if r, ok := app.Board(s).ReviewBy(s.Trainers[0].ID, anne); !ok || !r.Manual {
		t.Fatalf("manual review: %+v %v", r, ok)
	}
	if !committeeManageLogged(t, app, "application", anne, "committee.assign_manual") {
		t.Error("no audit entry for the manual assignment")
	}
	committeeManagePost(t, c, s, "/repartition", nil)
	if _, ok := app.Board(s).ReviewBy(s.Trainers[0].ID, anne); !ok {
		t.Error("the distribution took the manual assignment back")
	}
	page = committeeManagePost(t, c, s, "/affectations", url.Values{"assign_member": {s.Trainers[0].ID},
		"assign_application": {anne}, "assign_action": {"remove"}})
	reviewBodyHas(t, "the page after taking back", page, "La candidature est retirée à ce membre.", "Il manque 1 évaluateur")
	if _, ok := app.Board(s).ReviewBy(s.Trainers[0].ID, anne); ok {
		t.Error("the application was not taken back")
	}
	if !committeeManageLogged(t, app, "application", anne, "committee.unassign_manual") {
		t.Error("no audit entry for taking the application back")
	}
}

// Removing a member gives their reviews not yet submitted to the others; their submitted
// review stays, and they are listed among the former members.
func TestCommitteeManageRemoveMember(t *testing.T) {
	app := apptest.New(t)
	s := app.NewSelection()
	c := app.As(model.RoleManager)
	committeeManagePost(t, c, s, "/repartition", nil)
	leaving := s.Trainers[0]
	b := app.Board(s)
	var held []string
	var done model.Review
	for _, r := range b.Reviews {
		if r.MemberID == leaving.ID {
			held = append(held, r.ApplicationID)
			done = r
		}
	}
	if len(held) != 3 {
		t.Fatalf("the leaving member holds %d applications, want 3", len(held))
	}
	scores := map[string]string{}
	for _, cr := range b.Grid {
		scores[cr.ID] = "4"
	}
	member := directory.Actor{Principal: &policy.Principal{AccountID: leaving.AccountID}, Via: "test"}
	if errs, err := selection.SaveReview(context.Background(), app.Store, member, b, done, scores, "Solide.", true); err != nil || errs.Any() {
		t.Fatal(errs, err)
	}
	page := committeeManagePost(t, c, s, "/membres/"+leaving.ID+"/retirer", nil)
	reviewBodyHas(t, "the page after removing", page, "Le membre est retiré du comité ; ses évaluations non transmises sont confiées aux autres membres.",
		"Anciens membres", "Toutes les candidatures ont leurs évaluateurs.",
		leaving.Name+` — transmise <span class="badge pending">a quitté le comité</span>`)
	b = app.Board(s)
	for _, m := range b.Members {
		if m.ID == leaving.ID && m.Active() {
			t.Error("the member is still active")
		}
	}
	byApp := committeeManageReviewers(b)
	for i, cand := range s.Candidates {
		members := byApp[cand.Application.ID]
		if len(members) != 2 {
			t.Errorf("candidate %d has %d reviewers after the removal, want 2", i, len(members))
		}
		for _, m := range members {
			if m == leaving.ID && cand.Application.ID != done.ApplicationID {
				t.Errorf("candidate %d is still with the member who left", i)
			}
		}
	}
	if r, ok := b.ReviewBy(leaving.ID, done.ApplicationID); !ok || r.Status != model.ReviewSubmitted {
		t.Error("the submitted review of the member who left is gone")
	}
	if !committeeManageLogged(t, app, "committee", b.Committee.ID, "committee.member_remove") {
		t.Error("no audit entry for the removal")
	}
	// A member who left, or one of no committee, answers 404.
	for _, id := range []string{leaving.ID, "01ZZZZZZZZZZZZZZZZZZZZZZZZ"} {
		if res := c.Post(committeeManagePath(s)+"/membres/"+id+"/retirer", nil); res.StatusCode != http.StatusNotFound {
			t.Errorf("removing %s again: %d", id, res.StatusCode)
		}
	}
}

// The chair is a reviewing member; naming one unseats the other.
func TestCommitteeManageChair(t *testing.T) {
	app := apptest.New(t)
	s := app.NewSelection()
	c := app.As(model.RoleManager)
	page := committeeManagePost(t, c, s, "/membres/"+s.Elected.ID+"/president", nil)
	reviewBodyHas(t, "the page after naming the chair", page, "La présidence du comité est attribuée.",
		`Paul Élu <span class="badge">préside le comité</span>`)
	for _, m := range app.Board(s).Members {
		if m.Chair != (m.ID == s.Elected.ID) {
			t.Errorf("%s chair = %v", m.Name, m.Chair)
		}
	}
	if res := c.Post(committeeManagePath(s)+"/membres/"+s.Observer.ID+"/president", nil); res.StatusCode != http.StatusNotFound {
		t.Errorf("the observer as chair: %d", res.StatusCode)
	}
	if !committeeManageLogged(t, app, "committee", app.Board(s).Committee.ID, "committee.chair") {
		t.Error("no audit entry for the chair")
	}
}

// The manager declares a conflict with its reason: the member's review of that application
// goes, and the conflict is listed with the reason.
func TestCommitteeManageDeclareConflict(t *testing.T) {
	app := apptest.New(t)
	s := app.NewSelection()
	c := app.As(model.RoleManager)
	chloe := s.Candidates[2].Application.ID
	if err := selection.AssignByHand(context.Background(), app.Store, app.Manager(), app.Board(s), s.Trainers[1].ID, chloe, true); err != nil {
		t.Fatal(err)
	}
	form := url.Values{"conflict_member": {s.Trainers[1].ID}, "conflict_application": {chloe}, "reason": {" ok "}}
	res := c.Post(committeeManagePath(s)+"/conflits", form)
	if res.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("short reason: %d", res.StatusCode)
	}
	reviewBodyHas(t, "the refused conflict", res.Body, `id="e-reason">`+htmlText(i18n.T("committee.conflict_reason")), "> ok </textarea>",
		`<option value="`+chloe+`" selected>`)
	form.Set("reason", "Ancienne collègue de la candidate.")
	page := committeeManagePost(t, c, s, "/conflits", form)
	reviewBodyHas(t, "the page after the conflict", page, "Le conflit d&#39;intérêts est enregistré",
		`<tr><th scope="row">`+s.Trainers[1].Name+`</th><td>Chloé CANDIDAT</td><td>CPTS B</td>`+"\n"+`<td>Déclaré : Ancienne collègue de la candidate.</td></tr>`)
	b := app.Board(s)
	if _, ok := b.ReviewBy(s.Trainers[1].ID, chloe); ok {
		t.Error("the conflicted member keeps their review")
	}
	if reason, ok := b.Conflict(s.Trainers[1].ID, chloe); !ok || reason != "Ancienne collègue de la candidate." {
		t.Errorf("conflict: %q %v", reason, ok)
	}
	if !committeeManageLogged(t, app, "application", chloe, "committee.conflict") {
		t.Error("no audit entry for the conflict")
	}
	// The same conflict twice, an automatic one, or a member of no committee are refused.
	for name, f := range map[string]url.Values{
		"twice":     {"conflict_member": {s.Trainers[1].ID}, "conflict_application": {chloe}, "reason": {"Encore une fois."}},
		"automatic": {"conflict_member": {s.Elected.ID}, "conflict_application": {s.Candidates[0].Application.ID}, "reason": {"Même CPTS."}},
		"no member": {"conflict_member": {""}, "conflict_application": {chloe}, "reason": {"Une raison."}},
		"another call's application": {"conflict_member": {s.Trainers[0].ID}, "conflict_application": {app.Fixture.Application.ID},
			"reason": {"Une raison."}},
	} {
		if res := c.Post(committeeManagePath(s)+"/conflits", f); res.StatusCode != http.StatusUnprocessableEntity {
			t.Errorf("%s: %d", name, res.StatusCode)
		}
	}
}

// Settings save and validate, keeping what was typed.
func TestCommitteeManageSettings(t *testing.T) {
	app := apptest.New(t)
	s := app.NewSelection()
	c := app.As(model.RoleManager)
	res := c.Post(committeeManagePath(s)+"/reglages", url.Values{"reviewers": {"0"}, "gap": {"beaucoup"}})
	if res.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("bad settings: %d", res.StatusCode)
	}
	reviewBodyHas(t, "the refused settings", res.Body, `id="e-reviewers">`+htmlText(i18n.T("committee.reviewers_invalid")),
		`id="e-gap">`+htmlText(i18n.T("committee.gap_invalid")), `value="0"`, `value="beaucoup"`)
	page := committeeManagePost(t, c, s, "/reglages", url.Values{"reviewers": {"3"}, "gap": {"30"}})
	reviewBodyHas(t, "the page after the settings", page, "Les réglages sont enregistrés.", `name="reviewers" type="number" value="3"`,
		`name="gap" type="number" value="30"`, "Il manque 3 évaluateurs")
	b := app.Board(s)
	if b.Committee.ReviewersPerApplication != 3 || b.Committee.DisagreementGap != 30 {
		t.Errorf("committee: %+v", b.Committee)
	}
	if !committeeManageLogged(t, app, "committee", b.Committee.ID, "committee.settings") {
		t.Error("no audit entry for the settings")
	}
}

// The grid editor saves the criteria typed (an emptied label drops a criterion, the empty
// rows add one), refuses a weight of 0, and turns read-only once a review is submitted.
func TestCommitteeManageGrid(t *testing.T) {
	app := apptest.New(t)
	s := app.NewSelection()
	c := app.As(model.RoleManager)
	path := committeeManagePath(s) + "/grille"
	res := c.Get(path)
	if res.StatusCode != http.StatusOK {
		t.Fatalf("grid editor: %d\n%s", res.StatusCode, res.Body)
	}
	reviewBodyHas(t, "the grid editor", res.Body, `name="criterion-0-label" type="text" value="Expérience de la gouvernance"`,
		`name="criterion-0-weight" type="number" value="2"`, `name="criterion-0-level-5" type="text" value="Excellente"`,
		`name="criterion-2-label" type="text" value="Motivation"`, `name="criterion-4-label" type="text" value=""`,
		"<legend>Nouveau critère</legend>")
	if strings.Contains(res.Body, "criterion-5-label") {
		t.Error("more than two empty rows")
	}
	g := s.Grid
	form := url.Values{
		"criterion-0-id": {g[0].ID}, "criterion-0-label": {"Expérience de la gouvernance"}, "criterion-0-weight": {"3"},
		"criterion-0-level-0": {"Aucune"}, "criterion-0-level-5": {"Excellente"},
		"criterion-1-id": {g[1].ID}, "criterion-1-label": {"  "}, "criterion-1-weight": {"1"}, // dropped
		"criterion-2-id": {g[2].ID}, "criterion-2-label": {"Motivation"}, "criterion-2-weight": {"1"},
		"criterion-3-id": {""}, "criterion-3-label": {"Disponibilité"}, "criterion-3-weight": {"0"},
		"criterion-4-id": {""}, "criterion-4-label": {""}, "criterion-4-weight": {""},
	}
	res = c.Post(path, form)
	if res.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("weight 0: %d", res.StatusCode)
	}
	// The dropped row is gone, so the new criterion is the third one of the grid.
	reviewBodyHas(t, "the refused grid", res.Body, `<small class="field-error" id="e-criterion-2-weight">Un poids entre 1 et 100.</small>`,
		`name="criterion-2-label" type="text" value="Disponibilité"`, `name="criterion-0-weight" type="number" value="3"`,
		`href="#f-criterion-2-weight"`)
	if got := app.Board(s).Grid; len(got) != 3 || got[0].Weight != 2 {
		t.Fatalf("the refused grid was saved: %+v", got)
	}
	form.Set("criterion-3-weight", "2")
	form.Set("criterion-3-level-5", "Toutes les journées\nbloquées")
	page := c.Post(path, form)
	if page.StatusCode != http.StatusSeeOther || page.Header.Get("Location") != committeeManagePath(s) {
		t.Fatalf("grid: %d\n%s", page.StatusCode, page.Body)
	}
	got := app.Board(s).Grid
	if len(got) != 3 || got[0].ID != g[0].ID || got[0].Weight != 3 || got[1].ID != g[2].ID || got[2].Label != "Disponibilité" ||
		got[2].Weight != 2 || len(got[2].Levels) != 6 || got[2].Levels[5] != "Toutes les journées bloquées" || got[2].Levels[0] != "" {
		t.Fatalf("saved grid: %+v", got)
	}
	if !committeeManageLogged(t, app, "committee", app.Board(s).Committee.ID, "committee.grid") {
		t.Error("no audit entry for the grid")
	}
	// Once a review is submitted, the grid shows read-only and does not change.
	app.ScoreAll(s, []int{5, 4, 3, 2, 1, 0})
	res = c.Get(path)
	reviewBodyHas(t, "the locked grid", res.Body, htmlText(i18n.T("committee.grid_locked")), "<h2 id=\"criterion-2\">Disponibilité</h2>",
		"<li>Toutes les journées bloquées</li>")
	reviewBodyLacks(t, "the locked grid", res.Body, `action="`+path+`"`, `name="criterion-0-label"`)
	form.Set("criterion-0-weight", "9")
	if res := c.Post(path, form); res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(res.Body, htmlText(i18n.T("committee.grid_locked"))) {
		t.Errorf("changing a locked grid: %d", res.StatusCode)
	}
	if app.Board(s).Grid[0].Weight != 3 {
		t.Error("the locked grid changed")
	}
	if res := c.Get(committeeManagePath(s)); !strings.Contains(res.Body, "Voir la grille et la description des niveaux") {
		t.Error("the committee page does not say the grid is locked")
	}
}

// A manager of another training organisation gets the same 404 as for a call that does
// not exist, on every page and form, and changes nothing; ARS staff are refused.
func TestCommitteeManageIsScoped(t *testing.T) {
	app := apptest.New(t)
	s := app.NewSelection()
	bg := context.Background()
	other := model.Structure{Kind: model.KindTraining, Name: "Institut régional de formation", Ref: "IRF", RegionCode: "93",
		DepartementCode: "13", Commune: "Marseille", Postcode: "13001"}
	if err := app.Store.CreateStructure(bg, &other); err != nil {
		t.Fatal(err)
	}
	acc := model.Account{Email: "gestion@irf.example.fr", DisplayName: "Gestionnaire IRF", PasswordHash: "-", EmailVerifiedAt: app.Store.Clock.Now()}
	if err := app.Store.CreateAccount(bg, &acc); err != nil {
		t.Fatal(err)
	}
	if err := app.Store.Grant(bg, &model.Grant{AccountID: acc.ID, Role: model.RoleManager, Scope: other.ID}); err != nil {
		t.Fatal(err)
	}
	outsider := app.AsAccount(acc.ID)
	form := url.Values{"email": {"intrus@example.fr"}, "display_name": {"Intrus"}, "role": {"trainer"}, "reviewers": {"5"}, "gap": {"5"},
		"conflict_member": {s.Trainers[0].ID}, "conflict_application": {s.Candidates[2].Application.ID}, "reason": {"Une raison valable."},
		"assign_member": {s.Trainers[0].ID}, "assign_application": {s.Candidates[2].Application.ID}, "assign_action": {"add"},
		"criterion-0-label": {"Intrus"}, "criterion-0-weight": {"5"}}
	for _, base := range []string{committeeManagePath(s), "/appels/01ZZZZZZZZZZZZZZZZZZZZZZZZ/comite"} {
		for _, p := range []string{"", "/grille"} {
			res := outsider.Get(base + p)
			missing := app.As(model.RoleManager).Get("/appels/01ZZZZZZZZZZZZZZZZZZZZZZZZ/comite" + p)
			if res.StatusCode != http.StatusNotFound || missing.StatusCode != http.StatusNotFound {
				t.Errorf("GET %s%s: %d (unknown call: %d)", base, p, res.StatusCode, missing.StatusCode)
			}
			reviewBodyLacks(t, "the outsider's page", res.Body, "Anne", "Paul Élu", s.View.Cohort.Label)
		}
		for _, p := range []string{"/membres", "/membres/" + s.Trainers[0].ID + "/president", "/membres/" + s.Trainers[0].ID + "/retirer",
			"/conflits", "/reglages", "/grille", "/repartition", "/affectations"} {
			if res := outsider.Post(base+p, form); res.StatusCode != http.StatusNotFound {
				t.Errorf("POST %s%s: %d", base, p, res.StatusCode)
			}
		}
	}
	if res := app.As(model.RoleRegionalViewer).Get(committeeManagePath(s)); res.StatusCode != http.StatusForbidden {
		t.Errorf("regional viewer: %d", res.StatusCode)
	}
	b := app.Board(s)
	if len(b.Members) != 5 || len(b.Reviews) != 0 || b.Committee.ReviewersPerApplication != 2 || len(b.Grid) != 3 || b.Grid[0].Label == "Intrus" {
		t.Error("someone outside the programme's organisation changed the committee")
	}
	if _, c := b.Conflict(s.Trainers[0].ID, s.Candidates[2].Application.ID); c {
		t.Error("someone outside the programme's organisation declared a conflict")
	}
	// The admin manages every committee.
	if res := app.As(model.RoleAdmin).Get(committeeManagePath(s)); res.StatusCode != http.StatusOK {
		t.Errorf("admin: %d", res.StatusCode)
	}
}
