package browsertest

import (
	"testing"

	"parcours/internal/apptest"
	"parcours/internal/model"
)

// visitProgrammePages: a manager's programmes, modules, deployment, cohorts, calls and
// questions, each form also with its errors. Nothing is saved: every form is refused or
// only previewed, so the other visits find the fixture as it was.
func visitProgrammePages(t *testing.T, app *apptest.App, b *tab) {
	f := app.Fixture
	b.signIn(app, f.Accounts[model.RoleManager].ID)
	p := "/programmes/" + f.Programme.ID

	b.open("/programmes", 200)
	b.check("programme_list")
	b.open("/programmes/nouveau", 200)
	b.check("programme_form")
	b.typeIn("#f-code", "x")
	b.click("main form[action='/programmes'] button[type=submit]", 422)
	b.check("programme_form")
	b.wantText(".error-summary", "erreur")
	b.open(p+"/modifier", 200)
	b.check("programme_form")
	b.open(p, 200)
	b.check("programme_show")
	b.wantText("main h1", f.Programme.Title)

	b.open(p+"/modules", 200)
	b.check("programme_modules")
	b.typeIn("#f-module-0-title", "Piloter la structure")
	b.typeIn("#f-module-0-hours", "dix")
	b.click("main form[action$='/modules'] button[type=submit]", 422)
	b.check("programme_modules")
	b.open(p+"/deploiement", 200)
	b.check("programme_deployment")
	b.set("#f-deployment-52-since", "2026-01-15") // a date without a status
	b.click("main form[action$='/deploiement'] button[type=submit]", 422)
	b.check("programme_deployment")

	b.open(p+"/promotions/nouvelle?region=52", 200)
	b.check("cohort_form")
	b.set("#f-capacity", "0")
	b.click("main form[action$='/promotions'] button[type=submit]", 422)
	b.check("cohort_form")
	b.open("/promotions/"+f.Cohort.ID, 200)
	b.check("cohort_show")
	b.open("/promotions/"+f.Cohort.ID+"/modifier", 200)
	b.check("cohort_form")

	b.open("/promotions/"+f.Cohort.ID+"/appels/nouveau", 200)
	b.check("call_form")
	b.set("#f-closes_date", "2027-03-28") // 02:30 does not exist in Paris that night
	b.set("#f-closes_time", "02:30")
	b.click("main form[action$='/appels'] button[type=submit]:not([name])", 422)
	b.check("call_form")
	b.open("/appels/"+f.Call.ID+"/modifier", 200)
	b.check("call_form")
	b.click("main form button[name=preview]", 200)
	b.check("call_form") // the rules as candidates will read them

	b.open("/appels/"+f.Call.ID+"/questions", 200)
	b.check("question_list")
	b.set("#f-kind", "choice")
	b.typeIn("#f-label", "Votre fonction") // and no choices
	b.click("main form[action$='/questions'] button[type=submit]", 422)
	b.check("question_list")
	b.wantText(".error-summary", "choix")
	b.open("/questions/"+f.Questions[0].ID+"/modifier", 200)
	b.check("question_list")
}
