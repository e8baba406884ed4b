package server_test

import (
	"context"
	"fmt"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"parcours/internal/apptest"
	"parcours/internal/directory"
	"parcours/internal/model"
	"parcours/internal/policy"
	"parcours/internal/selection"
	"parcours/internal/storage"
)

// reviewerCase is the selection fixture with its reviews distributed: six applications, two
// reviewers each, the elected member never on candidates 0 and 1 (their CPTS).
type reviewerCase struct {
	t   *testing.T
	app *apptest.App
	s   *apptest.Selection
	id  string // the committee
}

func newReviewerCase(t *testing.T) *reviewerCase {
	t.Helper()
	app := apptest.New(t)
	s := app.NewSelection()
	if _, err := selection.Distribute(context.Background(), app.Store, app.Manager(), app.Board(s)); err != nil {
		t.Fatal(err)
	}
	return &reviewerCase{t: t, app: app, s: s, id: app.Board(s).Committee.ID}
}

// page is the path of the committee, or of one of its applications.
func (c *reviewerCase) page(rest ...string) string {
	return "/comites/" + c.id + strings.Join(rest, "")
}

func (c *reviewerCase) evaluation(i int) string {
	return c.page("/candidatures/", c.s.Candidates[i].Application.ID)
}

func (c *reviewerCase) as(m model.CommitteeMember) *apptest.Client {
	return c.app.AsAccount(m.AccountID)
}

// reviewers are the members assigned to candidate i's application.
func (c *reviewerCase) reviewers(i int) []model.CommitteeMember {
	c.t.Helper()
	b := c.app.Board(c.s)
	var out []model.CommitteeMember
	for _, r := range b.ReviewsOf(c.s.Candidates[i].Application.ID) {
		for _, m := range b.Members {
			if m.ID == r.MemberID {
				out = append(out, m)
			}
		}
	}
	if len(out) != 2 {
		c.t.Fatalf("candidate %d has %d reviewers", i, len(out))
	}
	return out
}

// assigned is the first candidate whose application is assigned to m.
func (c *reviewerCase) assigned(m model.CommitteeMember) int {
	c.t.Helper()
	b := c.app.Board(c.s)
	for i, cand := range c.s.Candidates {
		if _, ok := b.ReviewBy(m.ID, cand.Application.ID); ok {
			return i
		}
	}
	c.t.Fatalf("nothing assigned to %s", m.Name)
	return -1
}

// review is the form of a review: one level per criterion of the grid ("" leaves it out).
func (c *reviewerCase) review(action, comment string, levels ...string) url.Values {
	form := url.Values{"action": {action}, "comment": {comment}}
	for k, cr := range c.s.Grid {
		if levels[k] != "" {
			form.Set("criterion-"+cr.ID, levels[k])
		}
	}
	return form
}

// submit has m submit candidate i's review directly, with one level per criterion.
func (c *reviewerCase) submit(m model.CommitteeMember, i int, comment string, levels ...int) {
	c.t.Helper()
	b := c.app.Board(c.s)
	r, ok := b.ReviewBy(m.ID, c.s.Candidates[i].Application.ID)
	if !ok {
		c.t.Fatalf("%s does not review candidate %d", m.Name, i)
	}
	scores := map[string]string{}
	for k, cr := range b.Grid {
		scores[cr.ID] = fmt.Sprint(levels[k])
	}
	actor := directory.Actor{Principal: &policy.Principal{AccountID: m.AccountID}, Via: "test"}
	if errs, err := selection.SaveReview(context.Background(), c.app.Store, actor, b, r, scores, comment, true); err != nil || errs.Any() {
		c.t.Fatal(errs, err)
	}
}

// withFile gives candidate i's application an uploaded file answering a file question.
func (c *reviewerCase) withFile(i int) string {
	c.t.Helper()
	ctx, st := context.Background(), c.app.Store
	q := model.Question{CallID: c.s.View.Call.ID, Kind: model.QuestionFile, Label: "Curriculum vitae"}
	if err := st.AddQuestion(ctx, &q); err != nil {
		c.t.Fatal(err)
	}
	f := storage.File{Name: "cv.pdf", ContentType: "application/pdf", Data: []byte("%PDF-1.4\n%%EOF\n"),
		AccountID: c.s.Candidates[i].AccountID}
	if err := st.CreateFile(ctx, &f); err != nil {
		c.t.Fatal(err)
	}
	if err := st.SaveAnswer(ctx, model.Answer{ApplicationID: c.s.Candidates[i].Application.ID, QuestionID: q.ID,
		Value: f.Name, FileID: f.ID}); err != nil {
		c.t.Fatal(err)
	}
	return f.ID
}

// shown is how the pages name candidate i.
func (c *reviewerCase) shown(i int) string {
	first, last, _ := strings.Cut(c.s.Candidates[i].Name, " ")
	return model.Person{FirstName: first, LastName: last}.FullName()
}

// requestID is the part of an error page that differs from one request to the next.
var requestID = regexp.MustCompile(`<p class="hint">[^<]*</p>`)

// The elected member sits on CPTS A's board: candidates 0 and 1 do not exist for them — not
// on the committee's page, nor in the ranking, nor by their address or their files, which
// answer exactly as an unknown application does.
func TestReviewerConflictedMemberSeesNothing(t *testing.T) {
	c := newReviewerCase(t)
	file := c.withFile(0)
	c.app.ScoreAll(c.s, []int{5, 4, 3, 2, 1, 0})
	elected := c.as(c.s.Elected)
	unknown := elected.Get(c.page("/candidatures/unknown-application"))
	if unknown.StatusCode != http.StatusNotFound {
		t.Fatalf("unknown application: %d", unknown.StatusCode)
	}
	for _, i := range []int{0, 1} {
		res := elected.Get(c.evaluation(i))
		if res.StatusCode != http.StatusNotFound || requestID.ReplaceAllString(res.Body, "") != requestID.ReplaceAllString(unknown.Body, "") {
			t.Errorf("candidate %d: %d, or a page unlike an unknown application's", i, res.StatusCode)
		}
		for _, path := range []string{c.evaluation(i), c.evaluation(i) + "/conflit"} {
			if res := elected.Post(path, c.review("draft", "", "3", "3", "3")); res.StatusCode != http.StatusNotFound {
				t.Errorf("POST %s: %d", path, res.StatusCode)
			}
		}
	}
	if res := elected.Get("/fichiers/" + file); res.StatusCode != http.StatusNotFound {
		t.Errorf("the conflicted member downloads the file: %d", res.StatusCode)
	}
	for _, path := range []string{c.page(), c.page("/classement"), "/comites"} {
		res := elected.Get(path)
		if res.StatusCode != http.StatusOK {
			t.Fatalf("GET %s: %d", path, res.StatusCode)
		}
		body := html.UnescapeString(res.Body)
		for _, hidden := range []string{c.shown(0), c.shown(1), "CPTS A ("} {
			if strings.Contains(body, hidden) {
				t.Errorf("GET %s shows %q", path, hidden)
			}
		}
	}
	// The ranking they read is numbered over the four applications they may see.
	ranking := elected.Get(c.page("/classement")).Body
	if n := strings.Count(ranking, `<th scope="row">`); n != 4 {
		t.Errorf("the elected member's ranking has %d rows, want 4", n)
	}
	if !strings.Contains(html.UnescapeString(ranking), c.shown(2)) {
		t.Error("the ranking misses candidate 2")
	}

	// The file goes to those who may read candidate 0's application, and to them only.
	for _, m := range c.reviewers(0) {
		if res := c.as(m).Get("/fichiers/" + file); res.StatusCode != http.StatusOK || res.Body != "%PDF-1.4\n%%EOF\n" {
			t.Errorf("%s, who reviews candidate 0, downloads: %d", m.Name, res.StatusCode)
		}
	}
	for _, m := range append([]model.CommitteeMember{c.s.Chair, c.s.Observer}, c.s.Trainers...) {
		reviews := false
		for _, r := range c.reviewers(0) {
			reviews = reviews || r.ID == m.ID
		}
		want := http.StatusNotFound
		if reviews || m.Chair || m.Role == model.CommitteeObserver {
			want = http.StatusOK
		}
		if res := c.as(m).Get("/fichiers/" + file); res.StatusCode != want {
			t.Errorf("%s downloads candidate 0's file: %d, want %d", m.Name, res.StatusCode, want)
		}
	}
}

// An assigned trainer saves a draft, comes back to it, then submits; the page then shows
// the total on 100 and the review no longer changes.
func TestReviewerDraftThenSubmit(t *testing.T) {
	c := newReviewerCase(t)
	trainer := c.s.Trainers[0]
	i := c.assigned(trainer)
	client := c.as(trainer)
	page := client.Get(c.evaluation(i))
	if page.StatusCode != http.StatusOK || !strings.Contains(page.Body, "Transmettre mon évaluation") ||
		!strings.Contains(page.Body, "Enregistrer le brouillon") || !strings.Contains(page.Body, "Excellente") {
		t.Fatalf("the form: %d\n%s", page.StatusCode, page.Body)
	}
	res := client.Post(c.evaluation(i), c.review("draft", "Première lecture.", "4", "", ""))
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != c.evaluation(i) {
		t.Fatalf("draft: %d %s\n%s", res.StatusCode, res.Header.Get("Location"), res.Body)
	}
	r, _ := c.app.Board(c.s).ReviewBy(trainer.ID, c.s.Candidates[i].Application.ID)
	if r.Status != model.ReviewDraft || r.Scores[c.s.Grid[0].ID] != 4 || r.Comment != "Première lecture." {
		t.Fatalf("the draft: %+v", r)
	}
	page = client.Get(c.evaluation(i))
	if !strings.Contains(page.Body, `value="4" checked`) || !strings.Contains(page.Body, "Première lecture.") {
		t.Error("the draft is not shown back")
	}
	if !strings.Contains(client.Get(c.page()).Body, "Brouillon") {
		t.Error("the committee page does not say the review is a draft")
	}
	res = client.Post(c.evaluation(i), c.review("submit", "Dossier solide.", "4", "3", "5"))
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("submit: %d\n%s", res.StatusCode, res.Body)
	}
	r, _ = c.app.Board(c.s).ReviewBy(trainer.ID, c.s.Candidates[i].Application.ID)
	// (2×4 + 3 + 5) / (5 × 4) = 80 %.
	if r.Status != model.ReviewSubmitted || r.Total != 8000 {
		t.Fatalf("the submitted review: %+v", r)
	}
	page = client.Get(c.evaluation(i))
	if !strings.Contains(page.Body, "80,00 / 100") || strings.Contains(page.Body, `name="action"`) {
		t.Error("the submitted review is not shown read-only with its total")
	}
	if res := client.Post(c.evaluation(i), c.review("draft", "Je change d'avis.", "0", "0", "0")); res.StatusCode != http.StatusConflict ||
		!strings.Contains(res.Body, "déjà transmis") {
		t.Errorf("a change after submission: %d", res.StatusCode)
	}
}

// Submitting with a criterion left out is refused next to that criterion, and keeps what
// was chosen and written.
func TestReviewerSubmitMissingCriterion(t *testing.T) {
	c := newReviewerCase(t)
	i := c.assigned(c.s.Chair)
	res := c.as(c.s.Chair).Post(c.evaluation(i), c.review("submit", "À revoir en séance.", "2", "", "5"))
	if res.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("%d", res.StatusCode)
	}
	missing := "criterion-" + c.s.Grid[1].ID
	for _, want := range []string{
		`id="e-` + missing + `"`, `href="#f-` + missing + `"`, html.EscapeString("Donnez une note de 0 à 5 à ce critère"),
		`name="criterion-` + c.s.Grid[0].ID + `" value="2" checked`, `name="criterion-` + c.s.Grid[2].ID + `" value="5" checked`,
		"À revoir en séance.",
	} {
		if !strings.Contains(res.Body, want) {
			t.Errorf("the page lacks %s", want)
		}
	}
	if r, _ := c.app.Board(c.s).ReviewBy(c.s.Chair.ID, c.s.Candidates[i].Application.ID); r.Status != model.ReviewAssigned {
		t.Errorf("the review became %s", r.Status)
	}
}

// A reviewer reads the other review of an application only once theirs is submitted; before,
// the ranking is closed to them too.
func TestReviewerOthersReviewsAfterSubmit(t *testing.T) {
	c := newReviewerCase(t)
	i := 2
	pair := c.reviewers(i)
	first, second := pair[0], pair[1]
	if second.Chair {
		first, second = second, first // the chair reads the ranking at any time
	}
	c.submit(first, i, "Un projet de territoire très construit.", 5, 5, 5)
	client := c.as(second)
	page := client.Get(c.evaluation(i))
	if page.StatusCode != http.StatusOK || strings.Contains(page.Body, "Un projet de territoire très construit.") ||
		strings.Contains(page.Body, "100,00") {
		t.Fatal("the other review shows before submitting one's own")
	}
	if !strings.Contains(page.Body, "après avoir transmis la vôtre") {
		t.Error("the page does not say when the others' reviews come")
	}
	ranking := client.Get(c.page("/classement"))
	if ranking.StatusCode != http.StatusOK || !strings.Contains(ranking.Body, "Le classement vous sera ouvert") ||
		strings.Contains(html.UnescapeString(ranking.Body), c.shown(i)) {
		t.Errorf("the ranking before finishing one's reviews: %d", ranking.StatusCode)
	}
	if res := client.Post(c.evaluation(i), c.review("submit", "Bien.", "3", "3", "3")); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("submit: %d", res.StatusCode)
	}
	page = client.Get(c.evaluation(i))
	for _, want := range []string{"Un projet de territoire très construit.", "100,00 / 100", html.EscapeString(first.Name), "80,00 / 100"} {
		if !strings.Contains(page.Body, want) {
			t.Errorf("after submitting, the page lacks %q", want)
		}
	}
}

// An observer reads every application and its reviews but never gets a form; a review
// posted anyway is refused.
func TestReviewerObserver(t *testing.T) {
	c := newReviewerCase(t)
	observer := c.as(c.s.Observer)
	list := html.UnescapeString(observer.Get(c.page()).Body)
	for i := range c.s.Candidates {
		if !strings.Contains(list, c.shown(i)) {
			t.Errorf("the observer's list misses %s", c.shown(i))
		}
	}
	page := observer.Get(c.evaluation(0))
	if page.StatusCode != http.StatusOK || !strings.Contains(html.UnescapeString(page.Body), c.shown(0)) {
		t.Fatalf("the observer reads the application: %d", page.StatusCode)
	}
	if strings.Contains(page.Body, `name="action"`) || strings.Contains(page.Body, `name="criterion-`) {
		t.Error("the observer gets a review form")
	}
	if res := observer.Post(c.evaluation(0), c.review("submit", "", "5", "5", "5")); res.StatusCode != http.StatusForbidden {
		t.Errorf("the observer's review: %d", res.StatusCode)
	}
	for _, r := range c.app.Board(c.s).Reviews {
		if r.MemberID == c.s.Observer.ID || r.Status != model.ReviewAssigned {
			t.Errorf("a review changed: %+v", r)
		}
	}
	if res := observer.Post(c.page("/cloture"), url.Values{"confirm": {"1"}}); res.StatusCode != http.StatusForbidden {
		t.Errorf("the observer closes: %d", res.StatusCode)
	}
}

// A member of another committee knows nothing of this one.
func TestReviewerOtherCommitteeMember(t *testing.T) {
	c := newReviewerCase(t)
	ctx := context.Background()
	v, err := c.app.Store.CallView(ctx, c.app.Fixture.Call.ID)
	if err != nil {
		t.Fatal(err)
	}
	other, err := selection.Load(ctx, c.app.Store, v)
	if err != nil {
		t.Fatal(err)
	}
	if errs, err := selection.AddMember(ctx, c.app.Store, c.app.Manager(), c.app.Mailing(), other,
		selection.NewMember{Email: "autre.comite@example.fr", Name: "Odile Autrecomité", Role: model.CommitteeTrainer, Chair: true}); err != nil || errs.Any() {
		t.Fatal(errs, err)
	}
	acc, err := c.app.Store.AccountByEmail(ctx, "autre.comite@example.fr")
	if err != nil {
		t.Fatal(err)
	}
	client := c.app.AsAccount(acc.ID)
	for _, path := range []string{c.page(), c.evaluation(2), c.page("/classement")} {
		if res := client.Get(path); res.StatusCode != http.StatusNotFound {
			t.Errorf("GET %s: %d", path, res.StatusCode)
		}
	}
	for _, path := range []string{c.evaluation(2), c.evaluation(2) + "/conflit", c.page("/cloture")} {
		if res := client.Post(path, url.Values{"confirm": {"1"}, "reason": {"Aucune raison."}}); res.StatusCode != http.StatusNotFound {
			t.Errorf("POST %s: %d", path, res.StatusCode)
		}
	}
	list := client.Get("/comites").Body
	if !strings.Contains(list, "/comites/"+other.Committee.ID) || strings.Contains(list, c.id) {
		t.Error("the list of committees is not the member's own")
	}
	// Their own committee has no grid yet: the page says so.
	if res := client.Get("/comites/" + other.Committee.ID); res.StatusCode != http.StatusOK ||
		!strings.Contains(res.Body, "n&#39;a pas encore fixé la grille") {
		t.Errorf("a committee without a grid: %d", res.StatusCode)
	}
}

// A committee member who sits on no committee yet is told so.
func TestReviewerNoCommittee(t *testing.T) {
	app := apptest.New(t)
	res := app.As(model.RoleCommitteeMember).Get("/comites")
	if res.StatusCode != http.StatusOK || !strings.Contains(res.Body, "Vous ne siégez dans aucun comité") {
		t.Errorf("%d", res.StatusCode)
	}
}

// A member who declares a conflict no longer sees the application; the declaration and its
// reason are in the audit log.
func TestReviewerDeclaresConflict(t *testing.T) {
	c := newReviewerCase(t)
	trainer := c.s.Trainers[1]
	i := c.assigned(trainer)
	client := c.as(trainer)
	res := client.Post(c.evaluation(i)+"/conflit", url.Values{"reason": {" "}})
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(res.Body, `id="e-reason"`) {
		t.Fatalf("a conflict without reason: %d", res.StatusCode)
	}
	reason := "Je travaille avec cette personne."
	res = client.Post(c.evaluation(i)+"/conflit", url.Values{"reason": {reason}})
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != c.page() {
		t.Fatalf("declaration: %d %s", res.StatusCode, res.Header.Get("Location"))
	}
	name := c.shown(i)
	if strings.Contains(html.UnescapeString(client.Get(c.page()).Body), name) {
		t.Error("the application is still on the member's list")
	}
	if res := client.Get(c.evaluation(i)); res.StatusCode != http.StatusNotFound {
		t.Errorf("the application after the declaration: %d", res.StatusCode)
	}
	trail, err := c.app.Store.AuditTrail(context.Background(), "application", c.s.Candidates[i].Application.ID, 10)
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, e := range trail {
		found = found || (e.Action == "committee.conflict" && e.AccountID == trainer.AccountID &&
			e.Details["member"] == trainer.ID && e.Details["reason"] == reason)
	}
	if !found {
		t.Errorf("no audit entry for the conflict: %+v", trail)
	}
}

// Only the chair closes, after confirming; then nothing changes and the pages say who
// closed and when.
func TestReviewerOnlyChairCloses(t *testing.T) {
	c := newReviewerCase(t)
	trainer := c.s.Trainers[0]
	i := c.assigned(trainer)
	if res := c.as(trainer).Post(c.page("/cloture"), url.Values{"confirm": {"1"}}); res.StatusCode != http.StatusForbidden {
		t.Errorf("a trainer closes: %d", res.StatusCode)
	}
	chair := c.as(c.s.Chair)
	ranking := chair.Get(c.page("/classement"))
	if !strings.Contains(ranking.Body, "Clore l&#39;évaluation") || !strings.Contains(ranking.Body, "12 évaluations ne sont pas transmises") {
		t.Errorf("the chair's closing form or its warning is missing\n%s", ranking.Body)
	}
	if res := chair.Post(c.page("/cloture"), nil); res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(res.Body, `id="e-confirm"`) {
		t.Errorf("closing without confirming: %d", res.StatusCode)
	}
	if !c.app.Board(c.s).Committee.ClosedAt.IsZero() {
		t.Fatal("closed without confirmation")
	}
	if res := chair.Post(c.page("/cloture"), url.Values{"confirm": {"1"}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("closing: %d", res.StatusCode)
	}
	if b := c.app.Board(c.s); b.Committee.ClosedAt.IsZero() || b.Committee.ClosedBy != c.s.Chair.AccountID {
		t.Fatalf("the committee: %+v", b.Committee)
	}
	client := c.as(trainer)
	if res := client.Post(c.evaluation(i), c.review("draft", "", "1", "1", "1")); res.StatusCode != http.StatusConflict ||
		!strings.Contains(res.Body, "clos l&#39;évaluation") {
		t.Errorf("a save after closing: %d", res.StatusCode)
	}
	if res := client.Post(c.evaluation(i)+"/conflit", url.Values{"reason": {"Une raison valable."}}); res.StatusCode != http.StatusConflict {
		t.Errorf("a conflict declared after closing: %d", res.StatusCode)
	}
	page := client.Get(c.evaluation(i))
	if strings.Contains(page.Body, `name="action"`) || strings.Contains(page.Body, `name="reason"`) ||
		!strings.Contains(page.Body, "Évaluation close le") || !strings.Contains(page.Body, html.EscapeString(c.s.Chair.Name)) {
		t.Error("the page after closing is not read-only, or does not say who closed")
	}
	if res := chair.Post(c.page("/cloture"), url.Values{"confirm": {"1"}}); res.StatusCode != http.StatusConflict {
		t.Errorf("closing twice: %d", res.StatusCode)
	}
}

// The score is the mean of the submitted reviews with two decimals, and two reviews further
// apart than the gap are flagged, in words.
func TestReviewerScoreAndDisagreement(t *testing.T) {
	c := newReviewerCase(t)
	// Candidate 2: 100 and 45 points (2×2 + 3 + 2 = 9 of 20): a mean of 72.50, 55 points apart.
	split := c.reviewers(2)
	c.submit(split[0], 2, "Excellent.", 5, 5, 5)
	c.submit(split[1], 2, "Réservé.", 2, 3, 2)
	// Candidate 3: 80 and 75 points, within the 25-point gap.
	near := c.reviewers(3)
	c.submit(near[0], 3, "Bien.", 4, 4, 4)
	c.submit(near[1], 3, "Bien aussi.", 4, 3, 4)
	ranking := c.as(c.s.Observer).Get(c.page("/classement"))
	if ranking.StatusCode != http.StatusOK {
		t.Fatalf("%d", ranking.StatusCode)
	}
	first, second := reviewerRow(ranking.Body, c.shown(3)), reviewerRow(ranking.Body, c.shown(2))
	for _, want := range []string{"<td class=\"num\">1</td>", "77,50", "75,00 à 80,00", "Non"} {
		if !strings.Contains(first, want) {
			t.Errorf("candidate 3's row lacks %q: %s", want, first)
		}
	}
	for _, want := range []string{"<td class=\"num\">2</td>", "72,50", "45,00 à 100,00", "Écart à discuter", "2 transmise(s) sur 2"} {
		if !strings.Contains(second, want) {
			t.Errorf("candidate 2's row lacks %q: %s", want, second)
		}
	}
	if strings.Contains(first, "Écart à discuter") {
		t.Error("candidate 3 is flagged")
	}
	page := c.as(c.s.Observer).Get(c.evaluation(2)).Body
	if !strings.Contains(page, "72,50 / 100") || !strings.Contains(page, "plus de 25 points") {
		t.Error("the application's page does not show its score and the disagreement")
	}
	// The chair, who has reviews of their own still to write, reads those apart, without figures.
	chair := c.as(c.s.Chair).Get(c.page("/classement")).Body
	b, mine := c.app.Board(c.s), -1
	for i, cand := range c.s.Candidates {
		if r, ok := b.ReviewBy(c.s.Chair.ID, cand.Application.ID); ok && r.Status != model.ReviewSubmitted && mine < 0 {
			mine = i
		}
	}
	if row := reviewerRow(chair, c.shown(mine)); row != "" {
		t.Errorf("the chair's unsubmitted review is ranked: %s", row)
	}
	if !strings.Contains(html.UnescapeString(chair), c.shown(mine)) {
		t.Error("the chair's reviews to write are not listed")
	}
}

// reviewerRow is the table row of the ranking that names a candidate, or "".
func reviewerRow(body, name string) string {
	for _, row := range strings.Split(body, "<tr>") {
		if end := strings.Index(row, "</tr>"); end >= 0 && strings.Contains(html.UnescapeString(row[:end]), name) {
			return row[:end]
		}
	}
	return ""
}
