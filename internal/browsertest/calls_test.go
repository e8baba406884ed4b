package browsertest

import (
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"parcours/internal/apptest"
	"parcours/internal/model"
)

var receiptNumber = regexp.MustCompile(`AMG-52-\d{4}`)

// Buttons and fields of the call and application pages.
const (
	signupButton   = "main form[action='/inscription'] button[type=submit]"
	searchStruct   = "main button[name=action][value=search]"
	submitButton   = "main button[name=action][value=submit]"
	withdrawButton = "main form[action$='/retrait'] button[type=submit]"
	overrideButton = "main form[action$='/eligibilite'] button[type=submit]"
)

// pdf is the smallest file the upload check takes for a PDF: it is read from its content.
const pdf = "%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n%%EOF\n"

// visitCallPages: the public calls and signing up, by someone without an account who then
// logs in before confirming their address; the fixture candidate's draft, searched, refused,
// then submitted with a file; the call's manager reviewing it, the regional viewer of 52
// following the call; then the candidate withdrawing it.
func visitCallPages(t *testing.T, app *apptest.App, b *tab) {
	f := app.Fixture
	call := "/appels/" + f.Call.ID

	b.open("/appels", 200)
	b.check("call_list")
	b.click("main a[href='"+call+"']", 200)
	b.check("call_show") // anonymous: sign up or log in
	b.click(named("Créer un compte"), 200)
	b.check("signup")
	b.typeIn("#f-first_name", "Gaëlle")
	b.typeIn("#f-email", "gaelle@example")
	b.typeIn("#f-password", "court")
	b.click(signupButton, 422)
	b.check("signup")
	b.wantText(".error-summary", "erreurs")
	pw := "une phrase de passe solide"
	b.typeIn("#f-last_name", "Le Goff")
	b.set("#f-email", "gaelle.legoff@example.fr")
	b.typeIn("#f-password", pw)
	b.typeIn("#f-confirm", pw)
	b.click(signupButton, 200)
	b.check("signup_sent")
	b.wantText("main", "gaelle.legoff@example.fr")
	b.open("/inscription/verification?jeton=perime", 410)
	b.check("signup_sent") // the link is not valid

	// Logged in before confirming the address: told so, and refused at « Candidater ».
	b.login("gaelle.legoff@example.fr", pw)
	b.open("/candidatures", 200)
	b.check("application_list")
	b.wantText("main .warning", "pas encore confirmée")
	b.open(call, 200)
	b.check("call_show")
	b.click(named("Candidater"), 409)
	b.check("call_show")
	b.wantText("main .error-summary", "Confirmez d'abord votre adresse")

	// The fixture candidate takes up their draft.
	c := b.another()
	c.signIn(app, f.Accounts[model.RoleCandidate].ID)
	c.open(call, 200)
	c.check("call_show") // logged in, with a draft to take up
	c.click(named("Reprendre ma candidature"), 200)
	c.check("application_form")
	c.wantText("main .application-status", "Brouillon")
	c.typeIn("#f-q", "estuaire")
	c.click(searchStruct, 200)
	c.check("application_form") // with the structures found
	c.wantText("main fieldset.results", f.CPTSPdl.Name)
	c.step("pick the structure found", chromedp.Click(chromedp.CSS("main fieldset.results input[value='s:"+f.CPTSPdl.ID+"']")))
	c.set("#f-role", string(model.RoleMembre)) // not a governance role, and no motivation
	c.click(submitButton, 422)
	c.check("application_form")
	c.wantText("main .eligibility", "gouvernance")
	c.wantText("main .error-summary", "conditions de l'appel")

	cv := filepath.Join(t.TempDir(), "cv-helene.pdf")
	writeFile(t, cv, pdf)
	c.set("#f-role", string(model.RoleTresorier))
	c.typeIn("#f-q-"+f.Questions[0].ID, "Je veux aider notre CPTS à structurer sa gouvernance.")
	c.step("attach the CV", chromedp.SetUploadFiles(chromedp.CSS("#f-q-"+f.Questions[1].ID), []string{cv}))
	c.tick("#f-consent_processing")
	c.tick("#f-consent_retention")
	c.click(submitButton, 200)
	c.check("application_receipt")
	receipt := receiptNumber.FindString(c.text("main .receipt"))
	if receipt == "" {
		t.Fatalf("no receipt number on the receipt page: %q", c.text("main"))
	}
	c.click("main a[href='/candidatures']", 200)
	c.check("application_list") // with the application
	c.wantText("main table", receipt)

	// The call's manager reviews it; an override needs a reason.
	m := b.another()
	m.signIn(app, f.Accounts[model.RoleManager].ID)
	m.open(call+"/candidatures", 200)
	m.check("review_list")
	m.wantText("main table", "Hélène")
	m.click("main table a[href^='/gestion/candidatures/']", 200)
	m.check("review_show")
	m.wantText("main", "cv-helene.pdf")
	m.step("choose a decision", chromedp.Click(chromedp.CSS("main input[name=decision][value=ineligible]")))
	m.click(overrideButton, 422) // and no reason
	m.check("review_show")
	m.wantText("main .error-summary", "erreur")
	m.open(call+"/candidatures?statut=submitted&eligibilite=ineligible", 200)
	m.check("review_list") // nothing found

	// The regional viewer of Pays de la Loire follows the call's figures.
	v := b.another()
	v.signIn(app, f.Accounts[model.RoleRegionalViewer].ID)
	v.open("/suivi/appels", 200)
	v.check("follow_calls")
	v.wantText("main", f.Programme.Title)

	// The candidate withdraws; the application is then read-only.
	c.open("/candidatures/"+f.Application.ID+"/retrait", 200)
	c.check("application_withdraw")
	c.click(withdrawButton, 200)
	c.wantPage("application_list")
	c.wantText("main .flash", "retirée")
	c.open("/candidatures/"+f.Application.ID, 200)
	c.check("application_view")
	c.wantText("main", "Candidature retirée")
	if got := c.text("main dl"); !strings.Contains(got, "cv-helene.pdf") {
		t.Errorf("the withdrawn application does not list its file: %q", got)
	}
}
