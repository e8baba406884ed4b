package server_test

import (
	"bytes"
	"mime/multipart"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"parcours/internal/apptest"
	"parcours/internal/clock"
	"parcours/internal/model"
)

var pdfBytes = []byte("%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n%%EOF\n")

// postApplication sends the application form as a browser does (multipart, with a file).
func postApplication(t *testing.T, app *apptest.App, c *apptest.Client, id string, fields map[string]string, file []byte) *apptest.Response {
	t.Helper()
	var body bytes.Buffer
	w := multipart.NewWriter(&body)
	w.WriteField("csrf_token", c.CSRF())
	for k, v := range fields {
		w.WriteField(k, v)
	}
	if file != nil {
		part, _ := w.CreateFormFile("q-"+app.Fixture.Questions[1].ID, "mon-cv.pdf")
		part.Write(file)
	}
	w.Close()
	req, _ := http.NewRequest(http.MethodPost, app.URL("/candidatures/"+id), &body)
	req.Header.Set("Content-Type", w.FormDataContentType())
	return c.Do(req)
}

func completeForm(app *apptest.App, action string) map[string]string {
	f := app.Fixture
	return map[string]string{"action": action, "choice": "s:" + f.CPTSPdl.ID, "role": "tresorier", "profession": "infirmier",
		"q-" + f.Questions[0].ID: "Je veux aider notre CPTS à structurer sa gouvernance.",
		"consent_processing":     "1", "consent_retention": "1"}
}

var verifyLink = regexp.MustCompile(`http://[^\s]+/inscription/verification\?jeton=[A-Za-z0-9_-]+(&suivant=[^\s]+)?`)

// A new candidate finds the call, signs up, confirms their address, applies with a file, gets
// a receipt, and the confirmation e-mail arrives.
func TestCandidateJourney(t *testing.T) {
	app := apptest.New(t)
	f := app.Fixture
	c := app.NewClient()
	call := c.Get("/appels/" + f.Call.ID)
	for _, want := range []string{f.Programme.Title, "heure de Paris", "CPTS", "Pays de la Loire", "mobilité réduite",
		"amg@example.fr", `href="/inscription?suivant=/appels/` + f.Call.ID + `"`} {
		if !strings.Contains(call.Body, want) {
			t.Errorf("the public call page lacks %q", want)
		}
	}
	res := c.Post("/inscription", url.Values{"first_name": {"Gaëlle"}, "last_name": {""}, "email": {"gaelle@example"},
		"password": {"court"}, "confirm": {"court"}, "next": {"/appels/" + f.Call.ID}})
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(res.Body, `id="e-last_name"`) ||
		!strings.Contains(res.Body, `id="e-email"`) || !strings.Contains(res.Body, `id="e-password"`) || !strings.Contains(res.Body, `value="Gaëlle"`) {
		t.Fatalf("sign-up with errors: %d", res.StatusCode)
	}
	pw := "une phrase de passe solide"
	res = c.Post("/inscription", url.Values{"first_name": {"Gaëlle"}, "last_name": {"Le Goff"}, "email": {"gaelle.legoff@example.fr"},
		"password": {pw}, "confirm": {pw}, "next": {"/appels/" + f.Call.ID}})
	if res.StatusCode != http.StatusOK || !strings.Contains(res.Body, "gaelle.legoff@example.fr") {
		t.Fatalf("sign-up: %d", res.StatusCode)
	}
	msgs := app.DeliverMail()
	link := verifyLink.FindString(msgs[len(msgs)-1].Text)
	if link == "" {
		t.Fatalf("no verification link in %q", msgs[len(msgs)-1].Text)
	}
	u, _ := url.Parse(link)
	res = c.Get(u.RequestURI())
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/appels/"+f.Call.ID {
		t.Fatalf("verification: %d %s", res.StatusCode, res.Header.Get("Location"))
	}
	res = c.Post("/appels/"+f.Call.ID+"/candidater", nil)
	if res.StatusCode != http.StatusSeeOther || !strings.HasPrefix(res.Header.Get("Location"), "/candidatures/") {
		t.Fatalf("start: %d %s", res.StatusCode, res.Body)
	}
	appURL := res.Header.Get("Location")
	id := strings.TrimPrefix(appURL, "/candidatures/")
	form := c.Get(appURL)
	if form.StatusCode != http.StatusOK || !strings.Contains(form.Body, "Brouillon") || !strings.Contains(form.Body, "Vos motivations") {
		t.Fatalf("form: %d", form.StatusCode)
	}
	// Search the directory, keep what was typed.
	fields := map[string]string{"action": "search", "q": "estuaire", "q-" + f.Questions[0].ID: "Un début de réponse."}
	res = postApplication(t, app, c, id, fields, nil)
	if res.StatusCode != http.StatusOK || !strings.Contains(res.Body, `value="s:`+f.CPTSPdl.ID+`"`) || !strings.Contains(res.Body, "Un début de réponse.") {
		t.Fatalf("search: %d", res.StatusCode)
	}
	// Not yet a governance role: told why, not submitted.
	bad := completeForm(app, "submit")
	bad["role"] = "membre"
	res = postApplication(t, app, c, id, bad, pdfBytes)
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(res.Body, "membre") || !strings.Contains(res.Body, "gouvernance") {
		t.Fatalf("plain member: %d", res.StatusCode)
	}
	res = postApplication(t, app, c, id, completeForm(app, "save"), pdfBytes)
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != appURL {
		t.Fatalf("draft: %d", res.StatusCode)
	}
	if page := c.Get(appURL); !strings.Contains(page.Body, "mon-cv.pdf") || !strings.Contains(page.Body, "Votre brouillon est enregistré") {
		t.Error("the draft page does not show the saved file")
	}
	res = postApplication(t, app, c, id, completeForm(app, "submit"), nil)
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != appURL+"/recu" {
		t.Fatalf("submit: %d\n%s", res.StatusCode, res.Body)
	}
	receipt := c.Get(appURL + "/recu")
	m := regexp.MustCompile(`AMG-52-\d{4}`).FindString(receipt.Body)
	if m == "" || !strings.Contains(receipt.Body, "gaelle.legoff@example.fr") {
		t.Fatalf("receipt page: %s", receipt.Body)
	}
	msgs = app.DeliverMail()
	last := msgs[len(msgs)-1]
	if last.To != "gaelle.legoff@example.fr" || last.Subject != "Votre candidature est déposée" || !strings.Contains(last.Text, m) {
		t.Errorf("confirmation: %s %q", last.To, last.Subject)
	}
	// The declared role waits for the manager's confirmation.
	a, _ := app.Store.Application(ctx, id)
	ms, _ := app.Store.Membership(ctx, a.MembershipID)
	if ms.Status != model.MembershipPending || ms.Role != model.RoleTresorier || ms.StructureID != f.CPTSPdl.ID {
		t.Errorf("pending membership %+v", ms)
	}
	if list := c.Get("/candidatures"); !strings.Contains(list.Body, m) || !strings.Contains(list.Body, "Déposée") {
		t.Error("my applications list")
	}
}

// An address that has an account already gets a password link, and the page says the same.
func TestSignupWithAKnownAddress(t *testing.T) {
	app := apptest.New(t)
	known := app.Fixture.Accounts[model.RoleManager].Email
	pw := "une phrase de passe solide"
	res := app.NewClient().Post("/inscription", url.Values{"first_name": {"A"}, "last_name": {"B"}, "email": {known},
		"password": {pw}, "confirm": {pw}})
	if res.StatusCode != http.StatusOK || !strings.Contains(res.Body, "Consultez votre messagerie") {
		t.Fatalf("%d", res.StatusCode)
	}
	msgs := app.DeliverMail()
	if len(msgs) != 1 || msgs[0].Subject != "Choisir un nouveau mot de passe" {
		t.Errorf("mail %+v", msgs)
	}
	if acc, _ := app.Store.AccountByEmail(ctx, known); acc.PasswordHash == "" {
		t.Error("the known account changed")
	}
}

// Nobody reads or changes someone else's application, through any page.
func TestApplicationsArePrivate(t *testing.T) {
	app := apptest.New(t)
	f := app.Fixture
	owner := app.As(model.RoleCandidate)
	if res := postApplication(t, app, owner, f.Application.ID, completeForm(app, "save"), pdfBytes); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("owner save: %d", res.StatusCode)
	}
	answers, _ := app.Store.Answers(ctx, f.Application.ID)
	fileID := answers[f.Questions[1].ID].FileID
	if fileID == "" {
		t.Fatal("no file stored")
	}
	if res := owner.Get("/fichiers/" + fileID); res.StatusCode != http.StatusOK || !bytes.Equal([]byte(res.Body), pdfBytes) ||
		res.Header.Get("Content-Type") != "application/pdf" {
		t.Errorf("owner download: %d %q", res.StatusCode, res.Header.Get("Content-Type"))
	}
	other := &model.Account{Email: "autre.candidat@example.fr", DisplayName: "Autre", EmailVerifiedAt: app.Store.Clock.Now()}
	if err := app.Store.CreateAccount(ctx, other); err != nil {
		t.Fatal(err)
	}
	app.Store.Grant(ctx, &model.Grant{AccountID: other.ID, Role: model.RoleCandidate})
	c := app.AsAccount(other.ID)
	base := "/candidatures/" + f.Application.ID
	for _, path := range []string{base, base + "/recu", base + "/retrait", "/fichiers/" + fileID} {
		if res := c.Get(path); res.StatusCode != http.StatusNotFound {
			t.Errorf("GET %s by another candidate: %d", path, res.StatusCode)
		}
	}
	if res := postApplication(t, app, c, f.Application.ID, completeForm(app, "submit"), nil); res.StatusCode != http.StatusNotFound {
		t.Errorf("POST by another candidate: %d", res.StatusCode)
	}
	if res := c.Post(base+"/retrait", nil); res.StatusCode != http.StatusNotFound {
		t.Errorf("withdrawal by another candidate: %d", res.StatusCode)
	}
	if a, _ := app.Store.Application(ctx, f.Application.ID); a.Status != model.ApplicationDraft {
		t.Errorf("the application became %s", a.Status)
	}
	// A regional viewer follows figures, not files.
	if res := app.As(model.RoleRegionalViewer).Get("/fichiers/" + fileID); res.StatusCode != http.StatusNotFound {
		t.Errorf("viewer download: %d", res.StatusCode)
	}
	if res := app.As(model.RoleManager).Get("/fichiers/" + fileID); res.StatusCode != http.StatusOK {
		t.Errorf("the call's manager download: %d", res.StatusCode)
	}
}

// After the closing instant, by the server's clock, the application is read-only and a
// submission is refused with the closing date and hour.
func TestSubmissionAfterClosing(t *testing.T) {
	app := apptest.New(t)
	f := app.Fixture
	clk := clock.NewManual(f.Call.ClosesAt.Add(time.Second))
	app.Store.Clock = clk
	c := app.As(model.RoleCandidate)
	res := postApplication(t, app, c, f.Application.ID, completeForm(app, "submit"), nil)
	if res.StatusCode != http.StatusConflict || !strings.Contains(res.Body, "Cet appel est clos depuis le") ||
		!strings.Contains(res.Body, "(heure de Paris)") || strings.Contains(res.Body, `name="action"`) {
		t.Fatalf("late submission: %d", res.StatusCode)
	}
	if page := c.Get("/candidatures/" + f.Application.ID); strings.Contains(page.Body, "<form method=\"post\" action=\"/candidatures/") {
		t.Error("the closed application still shows its form")
	}
	if a, _ := app.Store.Application(ctx, f.Application.ID); a.Status != model.ApplicationDraft {
		t.Errorf("status %s", a.Status)
	}
}
