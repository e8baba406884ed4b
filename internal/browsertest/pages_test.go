package browsertest

import (
	"maps"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"parcours/internal/apptest"
	"parcours/internal/model"
	"parcours/internal/ui"
)

var resetLink = regexp.MustCompile(`https?://\S+/mot-de-passe/nouveau\?jeton=[A-Za-z0-9_-]+`)

// The buttons of the pages' forms, by the form's action.
const (
	loginButton   = "main form[action='/connexion'] button[type=submit]"
	forgotButton  = "main form[action='/mot-de-passe/oubli'] button[type=submit]"
	resetButton   = "main form[action='/mot-de-passe/nouveau'] button[type=submit]"
	searchButton  = "main search form button[type=submit]"
	importButton  = "main form[action='/structures/import'] button[type=submit]"
	accountButton = "main form[action='/admin/comptes'] button[type=submit]"
	grantButton   = "main form[action$='/roles'] button[type=submit]"
	tokenButton   = "main form[action='/compte/jetons'] button[type=submit]"
)

// TestEveryPageIsAccessible visits every page template, in its usual states and with its
// validation errors, and runs axe-core (WCAG 2.1 A and AA, best practices) on each. A page
// template that no visit shows fails the test, so a new page comes with its visit. Each visit
// has a tab of its own (and opens more when several people take part), with its own login, on
// one server; the visits run in order and each leaves the fixture usable by the next. (Running
// them in parallel tabs saves nothing on two cores: axe-core keeps the browser busy.)
func TestEveryPageIsAccessible(t *testing.T) {
	t.Parallel()
	needChromium(t)
	app := apptest.New(t)
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("server log:\n%s", app.Logs())
		}
	})
	visits := []struct {
		name  string
		visit func(t *testing.T, app *apptest.App, b *tab)
	}{
		{"sans compte et candidat", visitAnonymousPages},
		{"structures et personnes", visitStructurePages},
		{"import et administration", visitAdminPages},
		{"programmes, promotions et appels", visitProgrammePages},
		{"appels, inscription, candidature et suivi", visitCallPages},
		{"comité, composition et propositions", visitSelectionPages},
		{"calendrier, émargement et assiduité", visitTrainingPages},
	}
	seen := map[string]bool{}
	for _, v := range visits {
		t.Run(v.name, func(t *testing.T) {
			b := newTab(t, app.HTTP.URL)
			defer maps.Copy(seen, b.seen)
			v.visit(t, app, b)
		})
	}
	if t.Failed() {
		return // a visit stopped early: its missing pages would only add noise
	}
	for _, name := range ui.PageNames() {
		if !seen[name] {
			t.Errorf("page template %s.html is never shown by this test: add a visit for it", name)
		}
	}
	for name := range seen {
		if !slices.Contains(ui.PageNames(), name) {
			t.Errorf("page %s was checked but is not in ui.PageNames()", name)
		}
	}
}

// visitAnonymousPages: errors, logging in, choosing a new password; then a candidate, who
// sees a short menu, a home page without counts and a refusal.
func visitAnonymousPages(t *testing.T, app *apptest.App, b *tab) {
	admin := app.Fixture.Accounts[model.RoleAdmin]
	b.open("/nulle-part", 404)
	b.check("error")
	b.open("/connexion", 200)
	b.check("login")
	b.typeIn("#f-email", admin.Email)
	b.typeIn("#f-password", "pas-le-bon-mot-de-passe")
	b.click(loginButton, 401)
	b.check("login")
	b.wantText(".error-summary", "incorrect")

	b.open("/mot-de-passe/oubli", 200)
	b.check("password_forgot")
	b.click(forgotButton, 422)
	b.check("password_forgot")
	b.typeIn("#f-email", admin.Email)
	b.click(forgotButton, 200)
	b.check("login") // with the flash message
	b.wantText("main .flash", "Si un compte existe")

	var link string
	for _, m := range app.DeliverMail() {
		if strings.Contains(m.To, admin.Email) {
			link = resetLink.FindString(m.Text)
		}
	}
	if link == "" {
		t.Fatalf("no reset link in the mail sent to %s", admin.Email)
	}
	b.open(strings.TrimPrefix(link, app.HTTP.URL), 200)
	b.check("password_reset")
	b.typeIn("#f-password", "court")
	b.typeIn("#f-confirm", "autre")
	b.click(resetButton, 422)
	b.check("password_reset")
	b.open("/mot-de-passe/nouveau?jeton=perime", 200)
	b.check("password_reset") // the link is not valid

	b.login(app.Fixture.Accounts[model.RoleCandidate].Email, apptest.Password)
	b.check("home")
	b.open("/admin/comptes", 403)
	b.check("error")
}

// visitStructurePages: the administrator's home, régions, structures, members and people.
func visitStructurePages(t *testing.T, app *apptest.App, b *tab) {
	f := app.Fixture
	admin := f.Accounts[model.RoleAdmin]
	b.login(admin.Email, admin.Password)
	b.check("home")
	b.open("/nulle-part", 404)
	b.check("error")

	b.open("/regions", 200)
	b.check("region_list")
	b.open("/regions/52", 200)
	b.check("region_show")

	b.open("/structures", 200)
	b.check("structure_list")
	b.open("/structures?region=93&type=cpts&q=zzz", 200)
	b.check("structure_list") // nothing found
	b.open("/structures/"+f.CPTSPdl.ID, 200)
	b.check("structure_show")
	b.open("/structures/nouvelle", 200)
	b.check("structure_form")
	b.typeIn("#f-finess", "12345") // and no name
	b.click("main form[action='/structures'] button[type=submit]", 422)
	b.check("structure_form")
	b.wantText(".error-summary", "erreur")
	b.open("/structures/"+f.CPTSPdl.ID+"/modifier", 200)
	b.check("structure_form")
	b.open("/structures/"+f.CPTSPdl.ID+"/supprimer", 200)
	b.check("structure_delete")

	b.open("/structures/"+f.CPTSPdl.ID+"/membres/nouveau", 200)
	b.check("membership_form")
	b.typeIn("#f-q", f.PersonPaca.LastName)
	b.click(searchButton, 200)
	b.check("membership_form")
	b.wantText("main table", f.PersonPaca.FirstName)
	b.open("/structures/"+f.CPTSPdl.ID+"/membres/nouveau?q=personne-inconnue", 200)
	b.check("membership_form") // nobody found

	b.open("/personnes", 200)
	b.check("person_list")
	b.open("/personnes/"+f.PersonPdl.ID, 200)
	b.check("person_show")
	b.open("/personnes/nouvelle", 200)
	b.check("person_form")
	b.typeIn("#f-email", "pas-une-adresse")
	b.typeIn("#f-rpps", "123")
	b.click("main form[action='/personnes'] button[type=submit]", 422)
	b.check("person_form")
	b.open("/personnes/nouvelle?structure="+f.CPTSPdl.ID, 200)
	b.check("person_form") // with the role in the structure
}

// visitAdminPages: importing structures (the form, its error, a file checked, a file with
// errors), accounts and roles, the caller's own account and tokens, the outbox.
func visitAdminPages(t *testing.T, app *apptest.App, b *tab) {
	f := app.Fixture
	admin := f.Accounts[model.RoleAdmin]
	b.login(admin.Email, admin.Password)

	dir := t.TempDir()
	good := filepath.Join(dir, "structures.csv")
	bad := filepath.Join(dir, "erreurs.csv")
	writeFile(t, good, "type;nom;finess;departement;stade\n"+
		"CPTS;CPTS Saumur Val de Loire;490095130;49;projet de santé\n"+
		"MSP;MSP des Olonnes;850095191;85;\n")
	writeFile(t, bad, "type;nom;finess;departement;stade\n"+
		"CPTS;;12345;49;projet de santé\n"+
		"clinique;Clinique du Parc;;99;\n")
	b.open("/structures/import", 200)
	b.check("import_form")
	b.click(importButton, 422)
	b.check("import_form")
	b.step("choose a file", chromedp.SetUploadFiles(chromedp.CSS("#f-file"), []string{good}))
	b.click(importButton, 200)
	b.check("import_show") // queued: nothing runs the jobs until RunJobs
	app.RunJobs()
	// import-progress.js swaps the finished report into the page, with no reload.
	b.step("wait for the report to replace the progress", chromedp.WaitVisible(chromedp.CSS("#import-status:not([data-running]) .flash")))
	b.check("import_show")
	b.wantText("main .flash", "correctes")
	b.open("/structures/import", 200)
	b.step("choose a file", chromedp.SetUploadFiles(chromedp.CSS("#f-file"), []string{bad}))
	b.step("choose to import", chromedp.Click(chromedp.CSS("input[name=dry_run][value='0']")))
	b.click(importButton, 200)
	app.RunJobs()
	b.open(b.location(), 200)
	b.check("import_show")
	b.wantText("main .error-summary", "erreur")

	b.open("/admin/comptes", 200)
	b.check("account_list")
	b.open("/admin/comptes/nouveau", 200)
	b.check("account_form")
	b.typeIn("#f-email", "pas-une-adresse")
	b.click(accountButton, 422)
	b.check("account_form")
	b.open("/admin/comptes/"+f.Accounts[model.RoleRegionalViewer].ID, 200)
	b.check("account_show")
	b.click(grantButton, 422)
	b.check("account_show")

	b.open("/compte", 200)
	b.check("account_self")
	b.click(tokenButton, 422)
	b.check("account_self")
	b.typeIn("#f-name", "Tableur de suivi")
	b.click(tokenButton, 200)
	b.check("account_self") // the new token shown once, the list of tokens
	if token := b.text("#new-token"); len(token) < 20 {
		t.Errorf("the new token shown is %q", token)
	}
	b.open("/admin/courriels", 200)
	b.check("outbox_list")
}

func writeFile(t *testing.T, path, content string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
}
