package server_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"parcours/internal/apptest"
	"parcours/internal/model"
)

// bodyHas reports each of wants missing from a page.
func bodyHas(t *testing.T, what string, res *apptest.Response, wants ...string) {
	t.Helper()
	for _, want := range wants {
		if !strings.Contains(res.Body, want) {
			t.Errorf("%s lacks %q", what, want)
		}
	}
}

// auditActions lists the audit log's actions about one subject.
func auditActions(t *testing.T, app *apptest.App, subjectType, subjectID string) []string {
	t.Helper()
	entries, err := app.Store.AuditTrail(ctx, subjectType, subjectID, 0)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, e := range entries {
		out = append(out, e.Action)
	}
	return out
}

func hasAction(actions []string, want string) bool {
	for _, a := range actions {
		if a == want {
			return true
		}
	}
	return false
}

func programmeForm(f *apptest.Fixture, code string) url.Values {
	return url.Values{"code": {code}, "title": {"Diplôme de coordinateur de structures d'exercice coordonné"},
		"description": {"Seize mois pour apprendre à coordonner une CPTS, une MSP ou un centre de santé."},
		"carrier":     {f.TrainingOrg.ID}, "audience": {"coordinator"}, "target_kinds": {"cpts", "msp", "cds"},
		"duration_months": {"16"}, "days": {"39"}, "certification": {"rncp"}, "rncp_level": {"7"}, "rncp_code": {""},
		"accessibility": {"Locaux accessibles ; adaptations sur demande auprès du référent handicap."},
		"contact_name":  {"Sophie Martin"}, "contact_email": {"diplome@example.fr"}, "contact_phone": {"04 91 00 00 00"}}
}

func TestProgrammeCreateWithErrorsThenValidThenEdit(t *testing.T) {
	app := apptest.New(t)
	f := app.Fixture
	c := app.As(model.RoleManager)

	list := c.Get("/programmes")
	if list.StatusCode != http.StatusOK {
		t.Fatalf("list: %d", list.StatusCode)
	}
	bodyHas(t, "the list", list, "AMG", f.Programme.Title, "Nouveau programme")
	if res := c.Get("/programmes/nouveau"); res.StatusCode != http.StatusOK {
		t.Fatalf("new form: %d\n%s", res.StatusCode, res.Body)
	}

	bad := programmeForm(f, "dc 7!")
	bad.Set("duration_months", "seize")
	bad.Del("audience")
	bad.Set("rncp_level", "9")
	res := c.Post("/programmes", bad)
	if res.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("invalid programme: %d", res.StatusCode)
	}
	bodyHas(t, "the re-rendered form", res, `id="e-code"`, `id="e-duration_months"`, `id="e-audience"`, `id="e-rncp_level"`,
		"Écrivez un nombre entier en chiffres", `value="seize"`, "Cochez au moins un public", `href="#f-audience"`)

	// A code already taken is refused next to the field; so is another organisation as carrier.
	taken := programmeForm(f, "amg")
	res = c.Post("/programmes", taken)
	if res.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("taken code: %d", res.StatusCode)
	}
	bodyHas(t, "the taken-code form", res, `id="e-code"`, "Un autre programme a déjà le code AMG")
	other := model.Structure{Kind: model.KindTraining, Name: "Université de Nantes", RegionCode: "52", DepartementCode: "44"}
	if err := app.Store.CreateStructure(ctx, &other); err != nil {
		t.Fatal(err)
	}
	foreign := programmeForm(f, "DC7")
	foreign.Set("carrier", other.ID)
	if res := c.Post("/programmes", foreign); res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(res.Body, `id="e-carrier"`) {
		t.Errorf("a carrier of another organisation: %d", res.StatusCode)
	}

	res = c.Post("/programmes", programmeForm(f, "dc7"))
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("create: %d\n%s", res.StatusCode, res.Body)
	}
	path := res.Header.Get("Location")
	page := c.Get(path)
	bodyHas(t, "the programme page", page, "Le programme est enregistré.", "DC7", "16 mois, 39 jours", "Certification RNCP",
		"niveau 7", "Coordinateurs et coordinatrices", "Centre de santé", "Sophie Martin")
	id := strings.TrimPrefix(path, "/programmes/")

	edit := c.Get(path + "/modifier")
	bodyHas(t, "the edit form", edit, `value="DC7"`, `value="16"`)
	form := programmeForm(f, "DC7")
	form.Set("certification", "none")
	form.Set("title", "Diplôme de coordinateur")
	if res := c.Post(path, form); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("update: %d\n%s", res.StatusCode, res.Body)
	}
	p, err := app.Store.Programme(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if p.Title != "Diplôme de coordinateur" || p.Certification != model.CertificationNone || p.RNCPLevel != 0 || p.DurationMonths != 16 {
		t.Errorf("stored programme: %+v", p)
	}
	actions := auditActions(t, app, "programme", id)
	if !hasAction(actions, "programme.create") || !hasAction(actions, "programme.update") {
		t.Errorf("audit: %v", actions)
	}
}

func TestProgrammeModulesAndBlocks(t *testing.T) {
	app := apptest.New(t)
	c := app.As(model.RoleManager)
	res := c.Post("/programmes", programmeForm(app.Fixture, "DC7"))
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("create: %d", res.StatusCode)
	}
	path := res.Header.Get("Location")
	id := strings.TrimPrefix(path, "/programmes/")

	page := c.Get(path + "/modules")
	if page.StatusCode != http.StatusOK {
		t.Fatalf("modules page: %d\n%s", page.StatusCode, page.Body)
	}
	bodyHas(t, "the modules page", page, `name="module-2-hours"`, `name="block-2-title"`, "Blocs de compétences")

	form := url.Values{"module_rows": {"4"}, "block_rows": {"3"},
		"module-0-title": {"Piloter l'organisation et ses partenariats"}, "module-0-themes": {"gouvernance, partenariats"}, "module-0-hours": {"35"},
		"module-1-title": {"Gestion financière et RH"}, "module-1-hours": {"dix"},
		"module-3-title": {"Communication"}, "module-3-hours": {"21"},
		"block-0-code": {"BC01"}, "block-0-title": {"Piloter une structure d'exercice coordonné"}}
	res = c.Post(path+"/modules", form)
	if res.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("bad hours: %d", res.StatusCode)
	}
	bodyHas(t, "the modules page with an error", res, `id="e-module-1-hours"`, `href="#f-module-1-hours"`, `value="dix"`,
		"Écrivez un nombre entier en chiffres")
	if ms, _ := app.Store.Modules(ctx, id); len(ms) != 0 {
		t.Errorf("modules saved despite the error: %d", len(ms))
	}

	form.Set("module-1-hours", "28")
	if res := c.Post(path+"/modules", form); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("save modules: %d\n%s", res.StatusCode, res.Body)
	}
	ms, err := app.Store.Modules(ctx, id)
	if err != nil || len(ms) != 3 || ms[2].Title != "Communication" || ms[1].Hours != 28 {
		t.Fatalf("modules: %+v %v", ms, err)
	}
	bs, err := app.Store.Blocks(ctx, id)
	if err != nil || len(bs) != 1 || bs[0].Code != "BC01" {
		t.Fatalf("blocks: %+v %v", bs, err)
	}
	bodyHas(t, "the programme page", c.Get(path), "Piloter l&#39;organisation et ses partenariats", ">84<", "BC01")
	if !hasAction(auditActions(t, app, "programme", id), "programme.modules") {
		t.Error("no audit entry for the modules")
	}
}

func TestProgrammeDeployment(t *testing.T) {
	app := apptest.New(t)
	c := app.As(model.RoleAdmin)
	path := "/programmes/" + app.Fixture.Programme.ID
	page := c.Get(path + "/deploiement")
	if page.StatusCode != http.StatusOK {
		t.Fatalf("deployment page: %d\n%s", page.StatusCode, page.Body)
	}
	bodyHas(t, "the deployment page", page, "Pays de la Loire", `name="deployment-52-status"`, "La Réunion")

	form := url.Values{"deployment-52-status": {"launched"}, "deployment-52-since": {"2026-01-15"},
		"deployment-93-status": {"observing"}, "deployment-84-since": {"2026-02-01"}}
	if res := c.Post(path+"/deploiement", form); res.StatusCode != http.StatusUnprocessableEntity ||
		!strings.Contains(res.Body, `id="e-deployment-84-since"`) {
		t.Errorf("a date without a status: %d", res.StatusCode)
	}
	form.Del("deployment-84-since")
	if res := c.Post(path+"/deploiement", form); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("save: %d\n%s", res.StatusCode, res.Body)
	}
	ds, err := app.Store.Deployments(ctx, app.Fixture.Programme.ID)
	if err != nil || len(ds) != 2 {
		t.Fatalf("deployments: %+v %v", ds, err)
	}
	bodyHas(t, "the programme page", c.Get(path), "Lancé", "15 janvier 2026", "En observation")
	// A status once given is not taken back to none.
	form.Set("deployment-93-status", "")
	if res := c.Post(path+"/deploiement", form); res.StatusCode != http.StatusUnprocessableEntity {
		t.Errorf("removing a status: %d", res.StatusCode)
	}
	if !hasAction(auditActions(t, app, "programme", app.Fixture.Programme.ID), "programme.deployment") {
		t.Error("no audit entry for the deployment")
	}
}

func cohortForm(region, start, end string) url.Values {
	return url.Values{"region": {region}, "label": {""}, "capacity": {"15"}, "org_cap": {"1"}, "org_max": {""},
		"starts_on": {start}, "ends_on": {end}, "places": {"Nantes"}}
}

// createCohort makes a cohort of the fixture programme through the pages; it returns its path.
func createCohort(t *testing.T, c *apptest.Client, app *apptest.App, region string) string {
	t.Helper()
	res := c.Post("/programmes/"+app.Fixture.Programme.ID+"/promotions", cohortForm(region, "2027-09-06", "2028-12-15"))
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("create cohort: %d\n%s", res.StatusCode, res.Body)
	}
	return res.Header.Get("Location")
}

func TestCohortForm(t *testing.T) {
	app := apptest.New(t)
	c := app.As(model.RoleManager)
	base := "/programmes/" + app.Fixture.Programme.ID
	if res := c.Get(base + "/promotions/nouvelle?region=52"); res.StatusCode != http.StatusOK || !strings.Contains(res.Body, "Promotion 20") {
		t.Fatalf("new cohort form: %d", res.StatusCode)
	}
	bad := cohortForm("52", "2027-09-06", "2027-09-01")
	bad.Set("org_max", "0")
	bad.Set("capacity", "0")
	res := c.Post(base+"/promotions", bad)
	if res.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("end before start: %d", res.StatusCode)
	}
	bodyHas(t, "the cohort form", res, `id="e-ends_on"`, "La fin doit venir après le début", `id="e-capacity"`)

	path := createCohort(t, c, app, "52")
	page := c.Get(path)
	bodyHas(t, "the cohort page", page, "La promotion est enregistrée.", "Promotion 2027 — Pays de la Loire", "15 places",
		"6 septembre 2027", "Nouvel appel")
	id := strings.TrimPrefix(path, "/promotions/")

	edit := cohortForm("52", "2027-09-06", "2028-12-15")
	edit.Set("label", "Session 2 — Pays de la Loire")
	edit.Set("org_max", "1")
	edit.Set("org_cap", "2")
	if res := c.Post(path, edit); res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(res.Body, `id="e-org_max"`) {
		t.Errorf("a maximum below the cap: %d", res.StatusCode)
	}
	edit.Set("org_max", "3")
	if res := c.Post(path, edit); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("update: %d\n%s", res.StatusCode, res.Body)
	}
	co, err := app.Store.Cohort(ctx, id)
	if err != nil || co.Label != "Session 2 — Pays de la Loire" || co.OrgCap != 2 || co.OrgMax != 3 {
		t.Errorf("stored cohort: %+v %v", co, err)
	}
	actions := auditActions(t, app, "cohort", id)
	if !hasAction(actions, "cohort.create") || !hasAction(actions, "cohort.update") {
		t.Errorf("audit: %v", actions)
	}
}

func callForm(opensDate, closesDate, closesTime string) url.Values {
	return url.Values{"opens_date": {opensDate}, "opens_time": {"09:00"}, "closes_date": {closesDate}, "closes_time": {closesTime},
		"published": {"1"}, "kinds": {"cpts"}, "region": {"52"}, "role": {"governance"}, "must_be_attached": {"1"},
		"intro":              {"Appel aux membres de la gouvernance des CPTS."},
		"consent_processing": {"J'accepte le traitement de mes données."}, "consent_retention": {"J'accepte leur conservation."}}
}

func TestCallFormLocalTimes(t *testing.T) {
	app := apptest.New(t)
	c := app.As(model.RoleManager)
	cohort := app.Fixture.Cohort

	page := c.Get("/promotions/" + cohort.ID + "/appels/nouveau")
	if page.StatusCode != http.StatusOK {
		t.Fatalf("new call form: %d\n%s", page.StatusCode, page.Body)
	}
	// The programme's audience (governance only) and the cohort's région are the defaults.
	bodyHas(t, "the new call form", page, "heure de Paris", `<option value="governance" selected>`,
		`<option value="52" selected>`, "membre de la gouvernance")

	// 28 March 2027, 02:30 does not exist in Paris: the clocks jump from 2:00 to 3:00.
	res := c.Post("/promotions/"+cohort.ID+"/appels", callForm("2027-03-01", "2027-03-28", "02:30"))
	if res.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("nonexistent time: %d", res.StatusCode)
	}
	bodyHas(t, "the call form", res, `id="e-closes_time"`, "n&#39;existe pas", `value="2027-03-28"`)

	// Closing before opening.
	res = c.Post("/promotions/"+cohort.ID+"/appels", callForm("2027-03-01", "2027-02-01", "17:00"))
	bodyHas(t, "the call form", res, `id="e-closes_date"`)

	// The preview button shows the rules as candidates will read them, and saves nothing.
	preview := callForm("2027-01-04", "2027-01-15", "17:00")
	preview.Set("preview", "1")
	preview.Set("role", "coordinator")
	res = c.Post("/promotions/"+cohort.ID+"/appels", preview)
	if res.StatusCode != http.StatusOK || !strings.Contains(res.Body, "coordinat") {
		t.Errorf("preview: %d", res.StatusCode)
	}

	// 17:00 in Paris in winter is 16:00 UTC.
	res = c.Post("/promotions/"+cohort.ID+"/appels", callForm("2027-01-04", "2027-01-15", "17:00"))
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("create call: %d\n%s", res.StatusCode, res.Body)
	}
	callID := strings.TrimSuffix(strings.TrimPrefix(res.Header.Get("Location"), "/appels/"), "/questions")
	call, err := app.Store.Call(ctx, callID)
	if err != nil {
		t.Fatal(err)
	}
	if want := time.Date(2027, 1, 15, 16, 0, 0, 0, time.UTC); !call.ClosesAt.Equal(want) {
		t.Errorf("closes at %v, want %v", call.ClosesAt, want)
	}
	if want := time.Date(2027, 1, 4, 8, 0, 0, 0, time.UTC); !call.OpensAt.Equal(want) {
		t.Errorf("opens at %v, want %v", call.OpensAt, want)
	}
	edit := c.Get("/appels/" + callID + "/modifier")
	bodyHas(t, "the edit form", edit, `value="2027-01-15"`, `value="17:00"`, "Ce que liront les candidats")
	bodyHas(t, "the cohort page", c.Get("/promotions/"+cohort.ID), "15 janvier 2027 à 17 h 00 (heure de Paris)")

	form := callForm("2027-01-04", "2027-01-20", "12:00")
	form.Del("published")
	if res := c.Post("/appels/"+callID, form); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("update call: %d\n%s", res.StatusCode, res.Body)
	}
	if call, _ = app.Store.Call(ctx, callID); call.Published || !call.ClosesAt.Equal(time.Date(2027, 1, 20, 11, 0, 0, 0, time.UTC)) {
		t.Errorf("updated call: %+v", call)
	}
	actions := auditActions(t, app, "call", callID)
	if !hasAction(actions, "call.create") || !hasAction(actions, "call.update") {
		t.Errorf("audit: %v", actions)
	}
}

// A cohort in La Réunion (région 04, UTC+4 all year): 17:00 there is 13:00 UTC.
func TestCallFormInLaReunion(t *testing.T) {
	app := apptest.New(t)
	c := app.As(model.RoleManager)
	cohortPath := createCohort(t, c, app, "04")
	page := c.Get(cohortPath + "/appels/nouveau")
	bodyHas(t, "the new call form", page, "heure de La Réunion")
	form := callForm("2027-06-01", "2027-06-30", "17:00")
	form.Set("region", "04")
	res := c.Post(cohortPath+"/appels", form)
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("create call: %d\n%s", res.StatusCode, res.Body)
	}
	callID := strings.TrimSuffix(strings.TrimPrefix(res.Header.Get("Location"), "/appels/"), "/questions")
	call, err := app.Store.Call(ctx, callID)
	if err != nil {
		t.Fatal(err)
	}
	if want := time.Date(2027, 6, 30, 13, 0, 0, 0, time.UTC); !call.ClosesAt.Equal(want) {
		t.Errorf("closes at %v, want %v", call.ClosesAt, want)
	}
	bodyHas(t, "the cohort page", c.Get(cohortPath), "30 juin 2027 à 17 h 00 (heure de La Réunion)")
}

func TestQuestionsAddEditMoveDelete(t *testing.T) {
	app := apptest.New(t)
	f := app.Fixture
	c := app.As(model.RoleManager)
	path := "/appels/" + f.Call.ID + "/questions"
	page := c.Get(path)
	if page.StatusCode != http.StatusOK {
		t.Fatalf("questions page: %d\n%s", page.StatusCode, page.Body)
	}
	// The fixture's call has a draft: the page says changes reach a candidate.
	bodyHas(t, "the questions page", page, "Vos motivations", "Votre CV", "Texte long", "au moins 20 caractères",
		"Cet appel a déjà 1 candidature", "Supprimer « Votre CV » et ses réponses")

	res := c.Post(path, url.Values{"kind": {"choice"}, "label": {"Votre fonction"}, "choices": {"Président\n\n"}})
	if res.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("one choice: %d", res.StatusCode)
	}
	bodyHas(t, "the questions page", res, `id="e-choices"`, "au moins deux choix")
	res = c.Post(path, url.Values{"kind": {"long_text"}, "label": {"Projet"}, "min_length": {"50"}, "max_length": {"10"}})
	bodyHas(t, "the questions page", res, `id="e-max_length"`)

	res = c.Post(path, url.Values{"kind": {"choice"}, "label": {"Votre fonction"}, "required": {"1"},
		"choices": {"Président\r\nTrésorier\r\nSecrétaire"}})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("add: %d\n%s", res.StatusCode, res.Body)
	}
	qs, err := app.Store.Questions(ctx, f.Call.ID)
	if err != nil || len(qs) != 3 || qs[2].Label != "Votre fonction" || len(qs[2].Choices) != 3 || !qs[2].Required {
		t.Fatalf("questions: %+v %v", qs, err)
	}
	added := qs[2]

	if res := c.Get("/questions/" + added.ID + "/modifier"); res.StatusCode != http.StatusOK || !strings.Contains(res.Body, "Trésorier") {
		t.Fatalf("edit form: %d", res.StatusCode)
	}
	if res := c.Post("/questions/"+added.ID, url.Values{"kind": {"yes_no"}, "label": {"Êtes-vous élu au bureau ?"},
		"choices": {"a\nb"}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("update: %d\n%s", res.StatusCode, res.Body)
	}
	if q, _ := app.Store.Question(ctx, added.ID); q.Kind != model.QuestionYesNo || q.Choices != nil || q.Required {
		t.Errorf("updated question: %+v", q)
	}

	if res := c.Post("/questions/"+added.ID+"/deplacer", url.Values{"dir": {"up"}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("move: %d", res.StatusCode)
	}
	if res := c.Post("/questions/"+added.ID+"/deplacer", url.Values{"dir": {"sideways"}}); res.StatusCode != http.StatusBadRequest {
		t.Errorf("a bad direction: %d", res.StatusCode)
	}
	qs, _ = app.Store.Questions(ctx, f.Call.ID)
	if len(qs) != 3 || qs[1].ID != added.ID {
		t.Errorf("order after moving up: %v", qs)
	}

	if res := c.Post("/questions/"+f.Questions[1].ID+"/supprimer", nil); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("delete: %d", res.StatusCode)
	}
	if qs, _ = app.Store.Questions(ctx, f.Call.ID); len(qs) != 2 {
		t.Errorf("after delete: %d questions", len(qs))
	}
	for action, id := range map[string]string{"question.create": added.ID, "question.update": added.ID,
		"question.move": added.ID, "question.delete": f.Questions[1].ID} {
		if !hasAction(auditActions(t, app, "question", id), action) {
			t.Errorf("no audit entry %s", action)
		}
	}
}

// A manager of another training organisation finds none of this programme's pages.
func TestProgrammePagesOfAnotherOrganisation(t *testing.T) {
	app := apptest.New(t)
	f := app.Fixture
	org := model.Structure{Kind: model.KindTraining, Name: "Université d'Aix-Marseille", RegionCode: "93", DepartementCode: "13"}
	if err := app.Store.CreateStructure(ctx, &org); err != nil {
		t.Fatal(err)
	}
	acc := model.Account{Email: "autre.gestionnaire@example.fr", DisplayName: "Autre gestionnaire", PasswordHash: "unused",
		EmailVerifiedAt: time.Now()}
	if err := app.Store.CreateAccount(ctx, &acc); err != nil {
		t.Fatal(err)
	}
	if err := app.Store.Grant(ctx, &model.Grant{AccountID: acc.ID, Role: model.RoleManager, Scope: org.ID}); err != nil {
		t.Fatal(err)
	}
	c := app.AsAccount(acc.ID)

	if res := c.Get("/programmes"); res.StatusCode != http.StatusOK || strings.Contains(res.Body, f.Programme.Title) {
		t.Errorf("the list shows another organisation's programme (%d)", res.StatusCode)
	}
	p, cohort, call, q := f.Programme.ID, f.Cohort.ID, f.Call.ID, f.Questions[0].ID
	for _, path := range []string{"/programmes/" + p, "/programmes/" + p + "/modifier", "/programmes/" + p + "/modules",
		"/programmes/" + p + "/deploiement", "/programmes/" + p + "/promotions/nouvelle", "/promotions/" + cohort,
		"/promotions/" + cohort + "/modifier", "/promotions/" + cohort + "/appels/nouveau", "/appels/" + call + "/modifier",
		"/appels/" + call + "/questions", "/questions/" + q + "/modifier"} {
		if res := c.Get(path); res.StatusCode != http.StatusNotFound {
			t.Errorf("GET %s: %d, want 404", path, res.StatusCode)
		}
	}
	posts := map[string]url.Values{
		"/programmes/" + p:                  programmeForm(f, "AMG"),
		"/programmes/" + p + "/modules":     {"module_rows": {"1"}, "module-0-title": {"X"}, "module-0-hours": {"1"}},
		"/programmes/" + p + "/deploiement": {"deployment-52-status": {"launched"}},
		"/programmes/" + p + "/promotions":  cohortForm("52", "2027-09-06", "2028-12-15"),
		"/promotions/" + cohort:             cohortForm("52", "2027-09-06", "2028-12-15"),
		"/promotions/" + cohort + "/appels": callForm("2027-01-04", "2027-01-15", "17:00"),
		"/appels/" + call:                   callForm("2027-01-04", "2027-01-15", "17:00"),
		"/appels/" + call + "/questions":    {"kind": {"short_text"}, "label": {"X"}},
		"/questions/" + q:                   {"kind": {"short_text"}, "label": {"X"}},
		"/questions/" + q + "/deplacer":     {"dir": {"down"}},
		"/questions/" + q + "/supprimer":    nil,
	}
	for path, form := range posts {
		if res := c.Post(path, form); res.StatusCode != http.StatusNotFound {
			t.Errorf("POST %s: %d, want 404", path, res.StatusCode)
		}
	}
	// Nothing changed: the question is still there, the programme keeps its title.
	if _, err := app.Store.Question(ctx, q); err != nil {
		t.Errorf("the question: %v", err)
	}
	if got, _ := app.Store.Programme(ctx, p); got.Title != f.Programme.Title {
		t.Errorf("the programme was changed: %q", got.Title)
	}
	// Its own manager, and the admin, reach the same pages.
	for _, role := range []model.Role{model.RoleManager, model.RoleAdmin} {
		if res := app.As(role).Get("/programmes/" + p); res.StatusCode != http.StatusOK {
			t.Errorf("%s: %d", role, res.StatusCode)
		}
	}
}
