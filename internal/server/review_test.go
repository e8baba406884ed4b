package server_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"html"
	"mime"
	"mime/multipart"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"parcours/internal/apptest"
	"parcours/internal/model"
)

// reviewMotivation is the fixture candidate's answer to the first question.
const reviewMotivation = "Je veux aider notre CPTS à structurer sa gouvernance ; « bureau », \"conseil\"."

// reviewSubmit submits the fixture candidate's application through the candidate's form
// (multipart, with a CV), declaring role in the Pays de la Loire CPTS.
func reviewSubmit(t *testing.T, app *apptest.App, role model.MemberRole) model.Application {
	t.Helper()
	f := app.Fixture
	c := app.As(model.RoleCandidate)
	var body bytes.Buffer
	w := multipart.NewWriter(&body)
	for k, v := range map[string]string{"csrf_token": c.CSRF(), "action": "submit", "choice": "s:" + f.CPTSPdl.ID,
		"role": string(role), "profession": "infirmier", "q-" + f.Questions[0].ID: reviewMotivation,
		"consent_processing": "1", "consent_retention": "1"} {
		w.WriteField(k, v)
	}
	part, _ := w.CreateFormFile("q-"+f.Questions[1].ID, "cv-helene.pdf")
	part.Write([]byte("%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n%%EOF\n"))
	w.Close()
	req, _ := http.NewRequest(http.MethodPost, app.URL("/candidatures/"+f.Application.ID), &body)
	req.Header.Set("Content-Type", w.FormDataContentType())
	if res := c.Do(req); res.StatusCode != http.StatusSeeOther || !strings.HasSuffix(res.Header.Get("Location"), "/recu") {
		t.Fatalf("submit: %d %s\n%s", res.StatusCode, res.Header.Get("Location"), res.Body)
	}
	a, err := app.Store.Application(context.Background(), f.Application.ID)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

// reviewApplicant is an application made directly in the database.
type reviewApplicant struct {
	First, Last, Email     string
	Structure              *model.Structure
	Declared, DeclaredDept string
	Role                   model.MemberRole
	Status                 model.ApplicationStatus
	Eligible, NeedsReview  bool
	Reasons                []string
	Motivation             string
}

func reviewAdd(t *testing.T, app *apptest.App, x reviewApplicant) model.Application {
	t.Helper()
	bg, s := context.Background(), app.Store
	acc := model.Account{Email: x.Email, DisplayName: x.First + " " + x.Last, PasswordHash: "-", EmailVerifiedAt: s.Clock.Now()}
	p := model.Person{FirstName: x.First, LastName: x.Last, Email: x.Email, Profession: model.ProfMedecin}
	if err := s.CreatePerson(bg, &p); err != nil {
		t.Fatal(err)
	}
	acc.PersonID = p.ID
	if err := s.CreateAccount(bg, &acc); err != nil {
		t.Fatal(err)
	}
	a := model.Application{CallID: app.Fixture.Call.ID, AccountID: acc.ID, PersonID: p.ID, Role: x.Role, Profession: model.ProfMedecin}
	if err := s.CreateApplication(bg, &a); err != nil {
		t.Fatal(err)
	}
	if x.Structure != nil {
		a.StructureID = x.Structure.ID
	} else if x.Declared != "" {
		a.DeclaredName, a.DeclaredKind, a.DeclaredDepartement, a.DeclaredCommune = x.Declared, model.KindCPTS, x.DeclaredDept, "Angers"
	}
	a.Eligible, a.NeedsReview, a.Reasons = x.Eligible, x.NeedsReview, x.Reasons
	if err := s.SaveApplication(bg, &a); err != nil {
		t.Fatal(err)
	}
	if err := s.SaveAnswer(bg, model.Answer{ApplicationID: a.ID, QuestionID: app.Fixture.Questions[0].ID, Value: x.Motivation}); err != nil {
		t.Fatal(err)
	}
	if x.Status == model.ApplicationSubmitted || x.Status == model.ApplicationWithdrawn {
		membership := ""
		if x.Structure != nil && x.Role != "" {
			var err error
			if membership, err = s.EnsureMembership(bg, &model.Membership{PersonID: p.ID, StructureID: x.Structure.ID, Role: x.Role,
				Status: model.MembershipPending}); err != nil {
				t.Fatal(err)
			}
		}
		if err := s.SubmitApplication(bg, &a, "AMG-52", membership); err != nil {
			t.Fatal(err)
		}
	}
	if x.Status == model.ApplicationWithdrawn {
		if err := s.WithdrawApplication(bg, a.ID); err != nil {
			t.Fatal(err)
		}
	}
	return a
}

// reviewWorld is a call with applications of every kind: two from the same CPTS, one from
// a structure the candidate declared, an ineligible MSP, a draft and a withdrawn one.
func reviewWorld(t *testing.T, app *apptest.App) (helene, paul, declared, msp, draft model.Application) {
	t.Helper()
	bg := context.Background()
	vendee := model.Structure{Kind: model.KindCPTS, Name: "CPTS Vendée Littoral", Ref: "CPTS-85", RegionCode: "52",
		DepartementCode: "85", Commune: "Les Sables-d'Olonne", Postcode: "85100", Stage: model.StageActive}
	maison := model.Structure{Kind: model.KindMSP, Name: "MSP du Mans Sud", Ref: "MSP-72", RegionCode: "52",
		DepartementCode: "72", Commune: "Le Mans", Postcode: "72000"}
	for _, st := range []*model.Structure{&vendee, &maison} {
		if err := app.Store.CreateStructure(bg, st); err != nil {
			t.Fatal(err)
		}
	}
	f := app.Fixture
	helene = reviewSubmit(t, app, model.RoleTresorier)
	paul = reviewAdd(t, app, reviewApplicant{First: "Paul", Last: "Martin", Email: "paul.martin@example.fr", Structure: &f.CPTSPdl,
		Role: model.RolePresident, Status: model.ApplicationSubmitted, Eligible: true, Motivation: "=HYPERLINK(\"http://mal.example\")"})
	declared = reviewAdd(t, app, reviewApplicant{First: "Inès", Last: "Roux", Email: "ines.roux@example.fr", Declared: "CPTS du Layon",
		DeclaredDept: "49", Role: model.RoleSecretaire, Status: model.ApplicationSubmitted, Eligible: true, NeedsReview: true,
		Motivation: "Notre CPTS naît à peine."})
	msp = reviewAdd(t, app, reviewApplicant{First: "Marc", Last: "Petit", Email: "marc.petit@example.fr", Structure: &maison,
		Role: model.RoleCoordinateur, Status: model.ApplicationSubmitted, Reasons: []string{"Cet appel est ouvert aux CPTS."},
		Motivation: "Je coordonne une MSP."})
	draft = reviewAdd(t, app, reviewApplicant{First: "Zoé", Last: "Brouillon", Email: "zoe@example.fr", Structure: &vendee,
		Role: model.RolePresident, Status: model.ApplicationDraft, Eligible: true})
	reviewAdd(t, app, reviewApplicant{First: "Yann", Last: "Retrait", Email: "yann@example.fr", Structure: &vendee,
		Role: model.RoleTresorier, Status: model.ApplicationWithdrawn, Eligible: true})
	return helene, paul, declared, msp, draft
}

// reviewLogged reports whether the audit log has action about the application.
func reviewLogged(t *testing.T, app *apptest.App, applicationID, action string) bool {
	t.Helper()
	trail, err := app.Store.AuditTrail(context.Background(), "application", applicationID, 0)
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

func reviewBodyHas(t *testing.T, what, body string, wants ...string) {
	t.Helper()
	for _, want := range wants {
		if !strings.Contains(body, want) {
			t.Errorf("%s lacks %q", what, want)
		}
	}
}

func reviewBodyLacks(t *testing.T, what, body string, unwanted ...string) {
	t.Helper()
	for _, u := range unwanted {
		if strings.Contains(body, u) {
			t.Errorf("%s shows %q", what, u)
		}
	}
}

// The manager sees the call's figures, the submitted applications by default, narrows them
// by status, eligibility, structure and département, and sees which CPTS sent two people.
func TestReviewListFiltersAndCounts(t *testing.T) {
	app := apptest.New(t)
	f := app.Fixture
	helene, paul, _, _, _ := reviewWorld(t, app)
	c := app.As(model.RoleManager)
	base := "/appels/" + f.Call.ID + "/candidatures"
	res := c.Get(base)
	if res.StatusCode != http.StatusOK {
		t.Fatalf("list: %d\n%s", res.StatusCode, res.Body)
	}
	reviewBodyHas(t, "the list", res.Body, f.Programme.Title, f.Cohort.Label, "heure de Paris", "4 candidatures",
		"Hélène LEFÈVRE", "candidate@example.fr", "Paul MARTIN", "Inès ROUX", "Marc PETIT",
		helene.Receipt, "CPTS du Layon", "à rattacher", "Trésorier", "Infirmier", "Non éligible", "À vérifier",
		"1 CPTS sur 2 de la région", `href="/gestion/candidatures/`+paul.ID+`"`,
		// The counts: the Pays de la Loire CPTS sent two people.
		`<a href="/structures/`+f.CPTSPdl.ID+`">CPTS Estuaire et Sillon</a> (44)</th>`+"\n"+`<td class="num"><strong>2</strong></td>`,
		"Loire-Atlantique (44)", "Maine-et-Loire (49)", "Sarthe (72)",
		base+".csv?statut=submitted", base+".xlsx?statut=submitted")
	reviewBodyLacks(t, "the list of submitted applications", res.Body, "Zoé", "Yann")
	if !strings.Contains(res.Body, "<dt>Candidatures déposées</dt><dd class=\"num\">4</dd>") ||
		!strings.Contains(res.Body, "<dt>Brouillons</dt><dd class=\"num\">1</dd>") ||
		!strings.Contains(res.Body, "<dt>Candidatures retirées</dt><dd class=\"num\">1</dd>") ||
		!strings.Contains(res.Body, "<dt>Candidatures déposées éligibles</dt><dd class=\"num\">3</dd>") ||
		!strings.Contains(res.Body, "<dt>Structures distinctes</dt><dd class=\"num\">2</dd>") {
		t.Error("the call's figures are wrong")
	}
	for _, tc := range []struct {
		name, query string
		want, not   []string
	}{
		{"drafts", "statut=draft", []string{"Zoé BROUILLON", "1 candidature"}, []string{"Hélène", "Paul"}},
		{"withdrawn", "statut=withdrawn", []string{"Yann RETRAIT"}, []string{"Hélène"}},
		{"all", "statut=tous", []string{"6 candidatures", "Zoé", "Yann", "Hélène"}, nil},
		{"ineligible", "eligibilite=ineligible", []string{"Marc PETIT", "1 candidature"}, []string{"Hélène", "Paul"}},
		{"to check", "eligibilite=review", []string{"Inès ROUX"}, []string{"Hélène", "Marc"}},
		{"eligible", "eligibilite=eligible", []string{"Hélène", "Paul", "Inès", "3 candidatures"}, []string{"Marc PETIT"}},
		{"structure", "structure=" + f.CPTSPdl.ID, []string{"Hélène", "Paul", "2 candidatures"}, []string{"Inès ROUX", "Marc PETIT"}},
		{"declared", "structure=declaree", []string{"Inès ROUX", "1 candidature"}, []string{"Paul MARTIN"}},
		{"département", "departement=49", []string{"Inès ROUX"}, []string{"Paul MARTIN", "Marc PETIT"}},
		{"département of a listed structure", "departement=72", []string{"Marc PETIT"}, []string{"Inès ROUX"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res := c.Get(base + "?" + tc.query)
			if res.StatusCode != http.StatusOK {
				t.Fatalf("%d", res.StatusCode)
			}
			// The table only: the counts below name every structure.
			table := res.Body[strings.Index(res.Body, `role="status"`):strings.Index(res.Body, `id="counts-title"`)]
			reviewBodyHas(t, tc.query, table, tc.want...)
			reviewBodyLacks(t, tc.query, table, tc.not...)
		})
	}
}

// The exports carry the list's filters, one row per application, French headers and the
// answers as columns; the CSV is what French Excel opens, the XLSX has one bold frozen header.
func TestExportCSVAndXLSX(t *testing.T) {
	app := apptest.New(t)
	f := app.Fixture
	helene, _, _, _, _ := reviewWorld(t, app)
	c := app.As(model.RoleManager)
	base := "/appels/" + f.Call.ID + "/candidatures"
	paris, _ := time.LoadLocation("Europe/Paris")
	day := app.Store.Clock.Now().In(paris).Format("2006-01-02")
	submitted := helene.SubmittedAt.In(paris).Format("02/01/2006 15:04")
	wantHeaders := []string{"Numéro de dépôt", "État", "Déposée le (heure de Paris)", "Nom", "Prénom", "E-mail", "Profession",
		"Structure", "Type", "FINESS", "Département", "Région", "Structure déclarée", "Rôle", "Rôle confirmé", "Éligible",
		"Règles non remplies", "Décision du gestionnaire", "Motif", "Vos motivations", "Votre CV"}
	wantHelene := []string{helene.Receipt, "Déposée", submitted, "Lefèvre", "Hélène", "candidate@example.fr", "Infirmier",
		"CPTS Estuaire et Sillon", "CPTS", "440000289", "Loire-Atlantique (44)", "Pays de la Loire", "non", "Trésorier", "oui",
		"oui", "", "", "", reviewMotivation, "cv-helene.pdf"}
	checkHeaders := func(res *apptest.Response, ext string) {
		t.Helper()
		if res.StatusCode != http.StatusOK {
			t.Fatalf("%s: %d\n%s", ext, res.StatusCode, res.Body)
		}
		_, params, err := mime.ParseMediaType(res.Header.Get("Content-Disposition"))
		if err != nil || params["filename"] != "candidatures-AMG-52-"+day+"."+ext {
			t.Errorf("%s: Content-Disposition %q", ext, res.Header.Get("Content-Disposition"))
		}
		if cc := res.Header.Get("Cache-Control"); cc != "private, no-store" {
			t.Errorf("%s: Cache-Control %q", ext, cc)
		}
	}
	rowOf := func(rows [][]string, receipt string) []string {
		for _, r := range rows {
			if len(r) > 0 && r[0] == receipt {
				return r
			}
		}
		t.Fatalf("no row for %s in %q", receipt, rows)
		return nil
	}
	equal := func(what string, got, want []string) {
		t.Helper()
		for len(got) < len(want) { // a spreadsheet drops the empty cells at the end of a row
			got = append(got, "")
		}
		if strings.Join(got, "|") != strings.Join(want, "|") {
			t.Errorf("%s:\n got %q\nwant %q", what, got, want)
		}
	}

	// CSV: byte-order mark, semicolons, quotes as RFC 4180 has them.
	res := c.Get(base + ".csv?statut=submitted")
	checkHeaders(res, "csv")
	if ct := res.Header.Get("Content-Type"); ct != "text/csv; charset=utf-8" {
		t.Errorf("CSV Content-Type %q", ct)
	}
	if !strings.HasPrefix(res.Body, "\uFEFF") {
		t.Fatal("the CSV has no byte-order mark")
	}
	r := csv.NewReader(strings.NewReader(strings.TrimPrefix(res.Body, "\uFEFF")))
	r.Comma = ';'
	rows, err := r.ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 5 {
		t.Fatalf("the CSV has %d rows, want a header and 4 applications", len(rows))
	}
	equal("CSV headers", rows[0], wantHeaders)
	equal("CSV row", rowOf(rows, helene.Receipt), wantHelene)
	if !strings.Contains(res.Body, `"Je veux aider notre CPTS à structurer sa gouvernance ; « bureau », ""conseil""."`) {
		t.Error("the CSV does not quote as RFC 4180 does")
	}
	if !strings.Contains(res.Body, `'=HYPERLINK`) {
		t.Error("a formula in an answer is not defused in the CSV")
	}
	// The filters apply.
	res = c.Get(base + ".csv?statut=submitted&eligibilite=ineligible")
	r = csv.NewReader(strings.NewReader(strings.TrimPrefix(res.Body, "\uFEFF")))
	r.Comma = ';'
	if rows, err := r.ReadAll(); err != nil || len(rows) != 2 || rows[1][3] != "Petit" || rows[1][15] != "non" ||
		rows[1][16] != "Cet appel est ouvert aux CPTS." {
		t.Errorf("filtered CSV: %q %v", rows, err)
	}

	// XLSX.
	res = c.Get(base + ".xlsx?statut=submitted")
	checkHeaders(res, "xlsx")
	book, err := excelize.OpenReader(strings.NewReader(res.Body))
	if err != nil {
		t.Fatal(err)
	}
	defer book.Close()
	if sheets := book.GetSheetList(); len(sheets) != 1 || sheets[0] != "Candidatures" {
		t.Fatalf("sheets %q", sheets)
	}
	xrows, err := book.GetRows("Candidatures")
	if err != nil {
		t.Fatal(err)
	}
	if len(xrows) != 5 {
		t.Fatalf("the XLSX has %d rows", len(xrows))
	}
	equal("XLSX headers", xrows[0], wantHeaders)
	equal("XLSX row", rowOf(xrows, helene.Receipt), wantHelene)
	if panes, err := book.GetPanes("Candidatures"); err != nil || !panes.Freeze || panes.YSplit != 1 {
		t.Errorf("the header row is not frozen: %+v %v", panes, err)
	}
	style, _ := book.GetCellStyle("Candidatures", "A1")
	if s, err := book.GetStyle(style); err != nil || s.Font == nil || !s.Font.Bold {
		t.Error("the header row is not bold")
	}
	if w, _ := book.GetColWidth("Candidatures", "T"); w < 20 {
		t.Errorf("the motivation column is %v wide", w)
	}
	if v, _ := book.GetCellValue("Candidatures", "A1", excelize.Options{RawCellValue: true}); v != "Numéro de dépôt" {
		t.Errorf("A1 = %q", v)
	}
}

// An override needs a written reason; with one, the list shows the decision and the audit log
// keeps it. Confirming the declared role turns the membership confirmed.
func TestReviewOverrideAndConfirmRole(t *testing.T) {
	app := apptest.New(t)
	f := app.Fixture
	bg := context.Background()
	a := reviewSubmit(t, app, model.RolePresident) // Hélène is trésorière; président is new: pending
	if a.MembershipID == "" {
		t.Fatal("the submission recorded no membership")
	}
	c := app.As(model.RoleManager)
	path := "/gestion/candidatures/" + a.ID
	res := c.Get(path)
	if res.StatusCode != http.StatusOK {
		t.Fatalf("detail: %d\n%s", res.StatusCode, res.Body)
	}
	reviewBodyHas(t, "the detail", res.Body, "Hélène LEFÈVRE", "candidate@example.fr", "Infirmier",
		`href="/structures/`+f.CPTSPdl.ID+`"`, "Président", "en attente de confirmation", "Confirmer le rôle déclaré",
		"Vos motivations", "cv-helene.pdf", `href="/fichiers/`, a.Receipt, "donné le", "Remplie",
		"Rôle dans la structure", "Dépôt", "heure de Paris", `action="/gestion/candidatures/`+a.ID+`/eligibilite"`)

	// Without a reason: 422, the message next to the field, nothing changed.
	res = c.Post(path+"/eligibilite", url.Values{"decision": {"ineligible"}, "reason": {"  "}})
	if res.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("override without reason: %d", res.StatusCode)
	}
	reviewBodyHas(t, "the refused override", res.Body, `id="e-reason"`, `href="#f-reason"`, `aria-invalid="true"`, `value="ineligible" checked`)
	res = c.Post(path+"/eligibilite", url.Values{"reason": {"Une raison assez longue."}})
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(res.Body, `id="e-decision"`) ||
		!strings.Contains(res.Body, "Une raison assez longue.") {
		t.Errorf("override without decision: %d", res.StatusCode)
	}
	if got, _ := app.Store.Application(bg, a.ID); got.Override != model.OverrideNone {
		t.Fatalf("a refused override was stored: %q", got.Override)
	}
	if reviewLogged(t, app, a.ID, "application.override") {
		t.Fatal("a refused override was logged")
	}

	// With a reason.
	reason := "La présidence n'est pas confirmée par le bureau de la CPTS."
	res = c.Post(path+"/eligibilite", url.Values{"decision": {"ineligible"}, "reason": {reason}})
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != path {
		t.Fatalf("override: %d %s", res.StatusCode, res.Header.Get("Location"))
	}
	got, _ := app.Store.Application(bg, a.ID)
	if got.Override != model.OverrideIneligible || got.OverrideReason != reason || got.OverrideBy != app.Fixture.Accounts[model.RoleManager].ID {
		t.Errorf("override stored as %q %q %q", got.Override, got.OverrideReason, got.OverrideBy)
	}
	trail, _ := app.Store.AuditTrail(bg, "application", a.ID, 0)
	if len(trail) == 0 || trail[0].Action != "application.override" || trail[0].Details["reason"] != reason ||
		trail[0].Details["decision"] != "ineligible" || trail[0].AccountID != app.Fixture.Accounts[model.RoleManager].ID {
		t.Errorf("audit log: %+v", trail)
	}
	page := c.Get(path)
	reviewBodyHas(t, "the detail after the override", page.Body, "La décision sur l&#39;éligibilité est enregistrée",
		html.EscapeString(reason), "Compte manager", "Décision sur l&#39;éligibilité")
	list := c.Get("/appels/" + f.Call.ID + "/candidatures?eligibilite=ineligible")
	reviewBodyHas(t, "the list of ineligible applications", list.Body, "Hélène LEFÈVRE", "Non éligible", "décision du gestionnaire")

	// Back to the rules.
	if res := c.Post(path+"/eligibilite", url.Values{"decision": {"rules"}, "reason": {"Le bureau a confirmé la présidence."}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("back to the rules: %d", res.StatusCode)
	}
	if got, _ := app.Store.Application(bg, a.ID); got.Override != model.OverrideNone || !got.IsEligible() {
		t.Errorf("back to the rules: %q", got.Override)
	}

	// Confirming the role.
	res = c.Post(path+"/role", nil)
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != path {
		t.Fatalf("confirm role: %d", res.StatusCode)
	}
	m, err := app.Store.Membership(bg, a.MembershipID)
	if err != nil || m.Status != model.MembershipConfirmed || m.Role != model.RolePresident {
		t.Errorf("membership after confirmation: %+v %v", m, err)
	}
	if !reviewLogged(t, app, a.ID, "membership.confirm") {
		t.Error("the confirmation is not in the audit log")
	}
	page = c.Get(path)
	reviewBodyHas(t, "the detail after confirmation", page.Body, "Le rôle déclaré est confirmé.", "Président — confirmé")
	reviewBodyLacks(t, "the detail after confirmation", page.Body, "Confirmer le rôle déclaré")
}

// A manager of another training organisation gets 404 on every page of the call's
// applications; ARS staff, partners and candidates are refused by the policy.
func TestReviewPagesAreScoped(t *testing.T) {
	app := apptest.New(t)
	f := app.Fixture
	bg := context.Background()
	a := reviewSubmit(t, app, model.RolePresident)
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
	pages := []struct{ method, path string }{
		{http.MethodGet, "/appels/" + f.Call.ID + "/candidatures"},
		{http.MethodGet, "/appels/" + f.Call.ID + "/candidatures.csv"},
		{http.MethodGet, "/appels/" + f.Call.ID + "/candidatures.xlsx"},
		{http.MethodGet, "/gestion/candidatures/" + a.ID},
		{http.MethodPost, "/gestion/candidatures/" + a.ID + "/eligibilite"},
		{http.MethodPost, "/gestion/candidatures/" + a.ID + "/role"},
	}
	clients := []struct {
		who    string
		c      *apptest.Client
		status int
	}{
		{"a manager of another organisation", app.AsAccount(acc.ID), http.StatusNotFound},
		{"the regional viewer", app.As(model.RoleRegionalViewer), http.StatusForbidden},
		{"a partner", app.As(model.RolePartner), http.StatusForbidden},
		{"the candidate", app.As(model.RoleCandidate), http.StatusForbidden},
	}
	for _, cl := range clients {
		for _, p := range pages {
			var res *apptest.Response
			if p.method == http.MethodGet {
				res = cl.c.Get(p.path)
			} else {
				res = cl.c.Post(p.path, url.Values{"decision": {"eligible"}, "reason": {"Une raison assez longue."}})
			}
			if res.StatusCode != cl.status {
				t.Errorf("%s: %s %s = %d, want %d", cl.who, p.method, p.path, res.StatusCode, cl.status)
			}
			if strings.Contains(res.Body, "Hélène") || strings.Contains(res.Body, "candidate@example.fr") {
				t.Errorf("%s: %s %s shows the candidate", cl.who, p.method, p.path)
			}
		}
	}
	got, _ := app.Store.Application(bg, a.ID)
	m, _ := app.Store.Membership(bg, a.MembershipID)
	if got.Override != model.OverrideNone || m.Status != model.MembershipPending {
		t.Error("someone outside the call's scope changed the application")
	}
	// The admin reads every call's applications.
	if res := app.As(model.RoleAdmin).Get("/gestion/candidatures/" + a.ID); res.StatusCode != http.StatusOK {
		t.Errorf("admin: %d", res.StatusCode)
	}
}

// Those who follow the calls see the figures of their région's calls, never a name; the
// partner of PACA sees nothing of Pays de la Loire.
func TestFollowCalls(t *testing.T) {
	app := apptest.New(t)
	f := app.Fixture
	reviewWorld(t, app)
	names := []string{"Hélène", "Lefèvre", "LEFÈVRE", "candidate@example.fr", "Paul", "MARTIN", "Inès", "Marc", "PETIT", "Zoé",
		"Yann", "CPTS du Layon", "CPTS Estuaire et Sillon", "MSP du Mans Sud", "AMG-52-"}

	viewer := app.As(model.RoleRegionalViewer).Get("/suivi/appels")
	if viewer.StatusCode != http.StatusOK {
		t.Fatalf("regional viewer: %d\n%s", viewer.StatusCode, viewer.Body)
	}
	reviewBodyHas(t, "the regional viewer's page", viewer.Body, `<h2 id="region-52">Pays de la Loire</h2>`, f.Programme.Title, f.Cohort.Label,
		"heure de Paris", "Ouvert", `<td class="num">4</td>`, `<td class="num">3</td>`, "1 CPTS sur 2")
	reviewBodyLacks(t, "the regional viewer's page", viewer.Body, append(names, "/candidatures\"")...)

	partner := app.As(model.RolePartner).Get("/suivi/appels")
	if partner.StatusCode != http.StatusOK {
		t.Fatalf("partner: %d", partner.StatusCode)
	}
	reviewBodyHas(t, "the PACA partner's page", partner.Body, "Aucun appel publié ne relève de votre périmètre.")
	reviewBodyLacks(t, "the PACA partner's page", partner.Body, append(names, f.Programme.Title, f.Cohort.Label, `id="region-52"`)...)

	manager := app.As(model.RoleManager).Get("/suivi/appels")
	reviewBodyHas(t, "the manager's page", manager.Body, f.Programme.Title, `href="/appels/`+f.Call.ID+`/candidatures"`)
	reviewBodyLacks(t, "the manager's page", manager.Body, names...)

	if res := app.As(model.RoleCandidate).Get("/suivi/appels"); res.StatusCode != http.StatusForbidden {
		t.Errorf("candidate: %d", res.StatusCode)
	}
}
