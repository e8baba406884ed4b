package server_test

import (
	"bytes"
	"context"
	"html"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"parcours/internal/apptest"
	"parcours/internal/clock"
	"parcours/internal/model"
	"parcours/internal/testkit"
)

// compositionStart is a Monday morning in Paris (CET): offers made then are answered by
// 23:59 on Monday 23 November.
var compositionStart = time.Date(2026, 11, 16, 9, 0, 0, 0, time.UTC)

// compositionDeadline is 23:59 in Paris on the 7th day after compositionStart.
var compositionDeadline = time.Date(2026, 11, 23, 22, 59, 0, 0, time.UTC)

// compositionLevels score the six candidates 100, 80, 60, 40, 20 and 0: with 3 seats and one
// per CPTS, Anne (CPTS A), Chloé (B) and David (C) get offers; Emma (D), Farid (E) and Bruno
// (CPTS A's second) wait in that order.
var compositionLevels = []int{5, 4, 3, 2, 1, 0}

// compositionSetup starts an instance on a manual clock with the selection's call scored.
func compositionSetup(t *testing.T) (*apptest.App, *apptest.Selection, *clock.Manual) {
	t.Helper()
	app := apptest.New(t)
	clk := clock.NewManual(compositionStart)
	app.Store.Clock = clk
	s := app.NewSelection()
	app.ScoreAll(s, compositionLevels)
	return app, s, clk
}

// compositionText is a page's text as a reader sees it (entities decoded).
func compositionText(res *apptest.Response) string { return html.UnescapeString(res.Body) }

// compositionOffer is the offer made to an application.
func compositionOffer(t *testing.T, app *apptest.App, applicationID string) model.Offer {
	t.Helper()
	o, err := app.Store.OfferOf(context.Background(), applicationID)
	if err != nil {
		t.Fatalf("offer of %s: %v", applicationID, err)
	}
	return o
}

// compositionHasOffer reports whether an application has an offer in status.
func compositionHasOffer(app *apptest.App, applicationID string, status model.OfferStatus) bool {
	o, err := app.Store.OfferOf(context.Background(), applicationID)
	return err == nil && o.Status == status
}

// compositionMails returns the messages to an address with a subject.
func compositionMails(app *apptest.App, to, subject string) []testkit.Received {
	var out []testkit.Received
	for _, m := range app.DeliverMail() {
		if strings.Contains(m.To, to) && m.Subject == subject {
			out = append(out, m)
		}
	}
	return out
}

// compositionAudited reports whether the audit log has action about a subject.
func compositionAudited(t *testing.T, app *apptest.App, subjectType, subjectID, action string) bool {
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

// compositionOtherManager is a programme manager of another training organisation.
func compositionOtherManager(t *testing.T, app *apptest.App) *apptest.Client {
	t.Helper()
	ctx := context.Background()
	org := model.Structure{Kind: model.KindTraining, Name: "Institut régional de formation", Ref: "IRF-COMPO", RegionCode: "93",
		DepartementCode: "13", Commune: "Marseille", Postcode: "13001"}
	if err := app.Store.CreateStructure(ctx, &org); err != nil {
		t.Fatal(err)
	}
	acc := model.Account{Email: "gestion.irf@example.fr", DisplayName: "Gestionnaire IRF", PasswordHash: "-"}
	if err := app.Store.CreateAccount(ctx, &acc); err != nil {
		t.Fatal(err)
	}
	if err := app.Store.Grant(ctx, &model.Grant{AccountID: acc.ID, Role: model.RoleManager, Scope: org.ID}); err != nil {
		t.Fatal(err)
	}
	return app.AsAccount(acc.ID)
}

// compositionDeclared adds a submitted, eligible application whose CPTS the candidate
// declared as not yet listed.
func compositionDeclared(t *testing.T, app *apptest.App, s *apptest.Selection, first, declared string) model.Application {
	t.Helper()
	ctx, st := context.Background(), app.Store
	email := strings.ToLower(first) + ".declaree@example.fr"
	acc := model.Account{Email: email, DisplayName: first + " Déclarée", PasswordHash: "-", EmailVerifiedAt: st.Clock.Now()}
	if err := st.CreateAccount(ctx, &acc); err != nil {
		t.Fatal(err)
	}
	p := model.Person{FirstName: first, LastName: "Déclarée", Email: email, Profession: model.ProfInfirmier}
	if err := st.CreatePerson(ctx, &p); err != nil {
		t.Fatal(err)
	}
	a := model.Application{CallID: s.View.Call.ID, AccountID: acc.ID, PersonID: p.ID}
	if err := st.CreateApplication(ctx, &a); err != nil {
		t.Fatal(err)
	}
	a.DeclaredName, a.DeclaredKind, a.DeclaredDepartement, a.DeclaredCommune = declared, model.KindCPTS, "44", "Clisson"
	a.Role, a.Profession, a.Eligible = model.RolePresident, model.ProfInfirmier, true
	if err := st.SaveApplication(ctx, &a); err != nil {
		t.Fatal(err)
	}
	if err := st.SubmitApplication(ctx, &a, "AMG-52", ""); err != nil {
		t.Fatal(err)
	}
	return a
}

// The manager reads the six candidates in the composition's order, each with the rule that
// decides; the export has the same rows; nobody outside the programme's organisation sees it.
func TestCompositionPageExplainsEveryCandidate(t *testing.T) {
	app, s, _ := compositionSetup(t)
	call := s.View.Call.ID
	manager := app.As(model.RoleManager)
	res := manager.Get("/appels/" + call + "/composition")
	page := compositionText(res)
	if res.StatusCode != http.StatusOK {
		t.Fatalf("composition page: %d\n%s", res.StatusCode, res.Body)
	}
	// Offers first (three CPTS), then the waitlist, Bruno last behind CPTS A's better candidate.
	order := []string{"Anne CANDIDAT", "Chloé CANDIDAT", "David CANDIDAT", "Emma CANDIDAT", "Farid CANDIDAT", "Bruno CANDIDAT"}
	last := -1
	for _, name := range order {
		i := strings.Index(page, ">"+name+"</a>")
		if i < 0 || i < last {
			t.Fatalf("%s missing or out of order in the table:\n%s", name, page)
		}
		last = i
	}
	for _, want := range []string{
		"Retenu(e) : rang 1 dans sa CPTS, palier 1, place 1 sur 3.",
		"Retenu(e) : rang 1 dans sa CPTS, palier 1, place 3 sur 3.",
		"Liste d'attente, position 1 : les 3 places sont prises ou proposées à des candidat(e)s placé(e)s avant (rang 1 dans sa CPTS, palier 1).",
		"Liste d'attente, position 3 : sa CPTS a déjà un(e) candidat(e) retenu(e) (rang 2 dans sa CPTS, palier 2).",
		"La composition ci-dessus fait 3 nouvelles propositions",
		"Le comité n'a pas encore clos l'évaluation",
		"80,00", "100,00",
	} {
		if !strings.Contains(page, want) {
			t.Errorf("the page does not say %q", want)
		}
	}
	if n := strings.Count(page, "Retenu(e), proposition à envoyer"); n != 3 {
		t.Errorf("%d offers to make, want 3", n)
	}
	if strings.Contains(page, "«") {
		t.Errorf("a catalogue key is missing: %s", page[strings.Index(page, "«"):][:80])
	}

	// CSV: the French header, one row per candidate, the same sentences.
	res = manager.Get("/appels/" + call + "/composition.csv")
	if res.StatusCode != http.StatusOK || !strings.HasPrefix(res.Header.Get("Content-Type"), "text/csv") ||
		!strings.Contains(res.Header.Get("Content-Disposition"), "composition-") {
		t.Fatalf("CSV: %d %s %s", res.StatusCode, res.Header.Get("Content-Type"), res.Header.Get("Content-Disposition"))
	}
	lines := strings.Split(strings.TrimRight(res.Body, "\r\n"), "\r\n")
	header := "\uFEFFPosition;Nom;Prénom;E-mail;Structure;Structure déclarée;Note sur 100;Rang dans la structure;Palier;Décision;" +
		"Proposition;Place;Réponse attendue avant (heure de Paris);Explication"
	if len(lines) != 7 || lines[0] != header {
		t.Fatalf("CSV: %d lines, header %q", len(lines), lines[0])
	}
	if lines[6] != "3;Candidat;Bruno;candidat1@example.fr;CPTS A;non;80,00;2;2;Liste d'attente;;;;"+
		"Liste d'attente, position 3 : sa CPTS a déjà un(e) candidat(e) retenu(e) (rang 2 dans sa CPTS, palier 2)." {
		t.Errorf("Bruno's row: %q", lines[6])
	}
	res = manager.Get("/appels/" + call + "/composition.xlsx")
	f, err := excelize.OpenReader(bytes.NewReader([]byte(res.Body)))
	if err != nil {
		t.Fatalf("XLSX: %d %v", res.StatusCode, err)
	}
	rows, _ := f.GetRows(f.GetSheetName(0))
	if len(rows) != 7 || rows[0][0] != "Position" || rows[1][1] != "Candidat" || rows[1][2] != "Anne" {
		t.Errorf("XLSX rows: %v", rows)
	}

	// Another organisation's manager: the call does not exist for them. Committee members and
	// candidates may not compose at all.
	other := compositionOtherManager(t, app)
	for _, path := range []string{"/appels/" + call + "/composition", "/appels/" + call + "/composition.csv",
		"/appels/" + call + "/composition.xlsx"} {
		if res := other.Get(path); res.StatusCode != http.StatusNotFound || strings.Contains(res.Body, "Anne") {
			t.Errorf("another organisation's manager, %s: %d", path, res.StatusCode)
		}
	}
	if res := other.Post("/appels/"+call+"/composition", url.Values{"confirm": {"1"}}); res.StatusCode != http.StatusNotFound {
		t.Errorf("another organisation's manager sends: %d", res.StatusCode)
	}
	for _, role := range []model.Role{model.RoleCommitteeMember, model.RoleCandidate} {
		if res := app.As(role).Get("/appels/" + call + "/composition"); res.StatusCode != http.StatusForbidden {
			t.Errorf("%s: %d", role, res.StatusCode)
		}
	}
	if offers, _ := app.Store.Offers(context.Background(), call); len(offers) != 0 {
		t.Errorf("%d offers made by reading", len(offers))
	}
}

// A structure declared by a candidate blocks sending until the manager matches it to the
// directory; an administrator may also create it from the declaration.
func TestCompositionDeclaredStructureBlocksSending(t *testing.T) {
	app, s, _ := compositionSetup(t)
	ctx, call := context.Background(), s.View.Call.ID
	declared := compositionDeclared(t, app, s, "Gaëlle", "CPTS du Vignoble nantais") // not reviewed: it scores 0
	manager := app.As(model.RoleManager)

	page := compositionText(manager.Get("/appels/" + call + "/composition"))
	for _, want := range []string{"Structures à rattacher", "CPTS du Vignoble nantais", "Gaëlle DÉCLARÉE",
		"les propositions ne peuvent pas partir avant", "demandez à un administrateur"} {
		if !strings.Contains(page, want) {
			t.Errorf("the page does not say %q", want)
		}
	}
	if strings.Contains(page, `action="/appels/`+call+`/composition"`) {
		t.Error("the send form is offered while a structure is to resolve")
	}
	res := manager.Post("/appels/"+call+"/composition", url.Values{"confirm": {"1"}})
	if res.StatusCode != http.StatusConflict || !strings.Contains(compositionText(res), "rattachez-la avant que les places ne soient proposées") {
		t.Fatalf("send with a declared structure: %d", res.StatusCode)
	}
	if offers, _ := app.Store.Offers(ctx, call); len(offers) != 0 {
		t.Fatalf("%d offers sent with a declared structure", len(offers))
	}

	// A manager matches; creating is for those who keep the directory.
	path := "/gestion/candidatures/" + declared.ID + "/structure"
	if res := manager.Post(path, url.Values{"action": {"match"}}); res.StatusCode != http.StatusUnprocessableEntity ||
		!strings.Contains(compositionText(res), "Choisissez la structure de l'annuaire") {
		t.Errorf("no structure chosen: %d", res.StatusCode)
	}
	if res := manager.Post(path, url.Values{"action": {"create"}, "stage": {"active"}}); res.StatusCode != http.StatusForbidden {
		t.Errorf("a manager creates a structure: %d", res.StatusCode)
	}
	if res := compositionOtherManager(t, app).Post(path, url.Values{"action": {"match"}, "structure": {s.Structures[1].ID}}); res.StatusCode != http.StatusNotFound {
		t.Errorf("another organisation's manager resolves: %d", res.StatusCode)
	}
	res = manager.Post(path, url.Values{"action": {"match"}, "structure": {s.Structures[1].ID}})
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/appels/"+call+"/composition" {
		t.Fatalf("match: %d %s", res.StatusCode, res.Header.Get("Location"))
	}
	if a, _ := app.Store.Application(ctx, declared.ID); a.StructureID != s.Structures[1].ID {
		t.Errorf("resolved to %q", a.StructureID)
	}
	if !compositionAudited(t, app, "application", declared.ID, "application.resolve_structure") {
		t.Error("the resolution is not in the audit log")
	}

	// An administrator creates the next one from the declaration (a CPTS needs its stage).
	second := compositionDeclared(t, app, s, "Hugo", "CPTS Sèvre et Maine")
	admin := app.As(model.RoleAdmin)
	path = "/gestion/candidatures/" + second.ID + "/structure"
	if page := compositionText(admin.Get("/appels/" + call + "/composition")); !strings.Contains(page, "Créer la structure et la rattacher") {
		t.Error("the administrator is not offered to create the structure")
	}
	if res := admin.Post(path, url.Values{"action": {"create"}}); res.StatusCode != http.StatusUnprocessableEntity {
		t.Errorf("create without a stage: %d", res.StatusCode)
	}
	if res := admin.Post(path, url.Values{"action": {"create"}, "stage": {"projet_sante"}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("create: %d\n%s", res.StatusCode, res.Body)
	}
	a, _ := app.Store.Application(ctx, second.ID)
	created, err := app.Store.Structure(ctx, a.StructureID)
	if err != nil || created.Name != "CPTS Sèvre et Maine" || created.DepartementCode != "44" || created.RegionCode != "52" ||
		created.Stage != model.StageProjetSante {
		t.Errorf("created %+v, %v", created, err)
	}

	// Nothing left to resolve: the offers go.
	if res := manager.Post("/appels/"+call+"/composition", url.Values{"confirm": {"1"}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("send once resolved: %d\n%s", res.StatusCode, res.Body)
	}
	if offers, _ := app.Store.Offers(ctx, call); len(offers) != 3 {
		t.Errorf("%d offers, want 3", len(offers))
	}
}

// Offers go out once, by e-mail, with a deadline at 23:59 in Paris on the 7th day; candidates
// accept, decline (confirmed), give up; a declined, lapsed or freed seat goes to the next one.
func TestOfferAnswersAndWaitlist(t *testing.T) {
	app, s, clk := compositionSetup(t)
	ctx, call := context.Background(), s.View.Call.ID
	c := s.Candidates // 0 Anne (A), 1 Bruno (A), 2 Chloé (B), 3 David (C), 4 Emma (D), 5 Farid (E)
	manager := app.As(model.RoleManager)
	send := "/appels/" + call + "/composition"
	if res := manager.Post(send, nil); res.StatusCode != http.StatusUnprocessableEntity ||
		!strings.Contains(compositionText(res), "Cochez la case pour confirmer l'envoi") {
		t.Fatalf("send without confirmation: %d", res.StatusCode)
	}
	res := manager.Post(send, url.Values{"confirm": {"1"}})
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != send+"#envoi" {
		t.Fatalf("send: %d %s", res.StatusCode, res.Header.Get("Location"))
	}
	offers, _ := app.Store.Offers(ctx, call)
	if len(offers) != 3 {
		t.Fatalf("%d offers, want 3", len(offers))
	}
	for _, i := range []int{0, 2, 3} {
		o := compositionOffer(t, app, c[i].Application.ID)
		if !o.Deadline.Equal(compositionDeadline) {
			t.Errorf("%s: deadline %s", c[i].Name, o.Deadline)
		}
		mails := compositionMails(app, c[i].Email, "Une place vous est proposée")
		if len(mails) != 1 || !strings.Contains(mails[0].Text, app.URL("/offres/"+o.ID)) ||
			!strings.Contains(mails[0].Text, "23 novembre 2026 à 23 h 59 (heure de Paris)") {
			t.Errorf("%s's e-mail: %+v", c[i].Name, mails)
		}
	}
	if res := manager.Post(send, url.Values{"confirm": {"1"}}); res.StatusCode != http.StatusSeeOther {
		t.Errorf("second send: %d", res.StatusCode)
	}
	if offers, _ := app.Store.Offers(ctx, call); len(offers) != 3 {
		t.Errorf("a second send made %d offers in all", len(offers))
	}
	if page := compositionText(manager.Get(send)); !strings.Contains(page, "3 propositions.") ||
		!strings.Contains(page, "Aucune nouvelle proposition à envoyer") {
		t.Error("the page does not tell the last run nor that nothing is left to send")
	}

	// Bruno waits: his place and why, nobody else's name or score.
	bruno := app.AsAccount(c[1].AccountID)
	page := compositionText(bruno.Get("/candidatures/" + c[1].Application.ID))
	if !strings.Contains(page, "Votre CPTS a déjà un(e) candidat(e) retenu(e) ; vous êtes en position 3 de la liste d'attente") ||
		!strings.Contains(page, "80,00") {
		t.Errorf("Bruno's page does not give his place:\n%s", page)
	}
	for _, other := range []string{"Anne", "Chloé", "David", "Emma", "Farid", "100,00", "60,00", "40,00"} {
		if strings.Contains(page, other) {
			t.Errorf("Bruno's page shows %q", other)
		}
	}
	if list := compositionText(bruno.Get("/candidatures")); !strings.Contains(list, "position 3 sur la liste d'attente") {
		t.Error("Bruno's list does not give his position")
	}

	// Someone else's offer does not exist for a candidate.
	annes := compositionOffer(t, app, c[0].Application.ID)
	missing := bruno.Get("/offres/unknown-offer")
	for _, res := range []*apptest.Response{bruno.Get("/offres/" + annes.ID),
		bruno.Post("/offres/"+annes.ID+"/reponse", url.Values{"decision": {"accept"}})} {
		if res.StatusCode != http.StatusNotFound || res.StatusCode != missing.StatusCode || strings.Contains(res.Body, "Anne") {
			t.Errorf("Bruno on Anne's offer: %d", res.StatusCode)
		}
	}

	// Anne accepts.
	anne := app.AsAccount(c[0].AccountID)
	if page := compositionText(anne.Get("/offres/" + annes.ID)); !strings.Contains(page, "Répondez avant le 23 novembre 2026 à 23 h 59 (heure de Paris)") {
		t.Errorf("Anne's offer page:\n%s", page)
	}
	res = anne.Post("/offres/"+annes.ID+"/reponse", url.Values{"decision": {"accept"}})
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/offres/"+annes.ID {
		t.Fatalf("accept: %d", res.StatusCode)
	}
	if page := compositionText(anne.Get("/offres/" + annes.ID)); !strings.Contains(page, "Vous avez accepté la place") ||
		!strings.Contains(page, "Vous avez accepté cette place le") || !strings.Contains(page, "Me désister") {
		t.Errorf("Anne's page after accepting:\n%s", page)
	}
	if !compositionAudited(t, app, "application", c[0].Application.ID, "offer.accept") {
		t.Error("the acceptance is not in the audit log")
	}
	if res := anne.Post("/offres/"+annes.ID+"/reponse", url.Values{"decision": {"decline"}, "confirm": {"1"}}); res.StatusCode != http.StatusConflict ||
		!strings.Contains(compositionText(res), "Cette proposition n'est plus ouverte") {
		t.Errorf("answering twice: %d", res.StatusCode)
	}

	// Chloé declines: only once confirmed; Emma, first on the waitlist, is offered the seat at once.
	chloe := app.AsAccount(c[2].AccountID)
	chloes := compositionOffer(t, app, c[2].Application.ID)
	if res := chloe.Post("/offres/"+chloes.ID+"/reponse", url.Values{"decision": {"decline"}}); res.StatusCode != http.StatusUnprocessableEntity ||
		!strings.Contains(compositionText(res), "Cochez la case pour confirmer que vous renoncez") {
		t.Errorf("decline without confirmation: %d", res.StatusCode)
	}
	if !compositionHasOffer(app, c[2].Application.ID, model.OfferPending) {
		t.Fatal("an unconfirmed decline was recorded")
	}
	if res := chloe.Post("/offres/"+chloes.ID+"/reponse", url.Values{"decision": {"decline"}, "confirm": {"1"}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("decline: %d", res.StatusCode)
	}
	if !compositionHasOffer(app, c[4].Application.ID, model.OfferPending) || len(compositionMails(app, c[4].Email, "Une place vous est proposée")) != 1 {
		t.Error("Emma was not offered Chloé's seat at once")
	}
	if page := compositionText(chloe.Get("/candidatures/" + c[2].Application.ID)); !strings.Contains(page, "Vous avez renoncé à la place proposée.") {
		t.Error("Chloé's page does not say she declined")
	}

	// Anne gives up her accepted seat: CPTS A lost its only seat, so Bruno competes again at
	// tier 1 and, with the best score left, gets it.
	if res := anne.Post("/offres/"+annes.ID+"/desistement", nil); res.StatusCode != http.StatusUnprocessableEntity {
		t.Errorf("give up without confirmation: %d", res.StatusCode)
	}
	if res := anne.Post("/offres/"+annes.ID+"/desistement", url.Values{"confirm": {"1"}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("give up: %d", res.StatusCode)
	}
	if !compositionHasOffer(app, c[0].Application.ID, model.OfferWithdrawn) || !compositionHasOffer(app, c[1].Application.ID, model.OfferPending) ||
		len(compositionMails(app, c[1].Email, "Une place vous est proposée")) != 1 {
		t.Error("Anne's freed seat did not go to Bruno")
	}

	// David, Emma and Bruno let their offers lapse: Farid, the last one waiting, gets a seat.
	clk.Set(compositionDeadline.Add(time.Second))
	app.RunJobs()
	for _, i := range []int{1, 3, 4} {
		if !compositionHasOffer(app, c[i].Application.ID, model.OfferLapsed) {
			t.Errorf("%s's offer did not lapse", c[i].Name)
		}
	}
	if !compositionHasOffer(app, c[5].Application.ID, model.OfferPending) || len(compositionMails(app, c[5].Email, "Une place vous est proposée")) != 1 {
		t.Fatal("Farid was not offered a lapsed seat")
	}
	david := app.AsAccount(c[3].AccountID)
	if page := compositionText(david.Get("/offres/" + compositionOffer(t, app, c[3].Application.ID).ID)); !strings.Contains(page, "Vous n'avez pas répondu avant le 23 novembre 2026 à 23 h 59") {
		t.Error("David's offer page does not say it lapsed")
	}

	// Farid accepts; the manager withdraws his seat, once confirmed.
	farid := app.AsAccount(c[5].AccountID)
	farids := compositionOffer(t, app, c[5].Application.ID)
	if res := farid.Post("/offres/"+farids.ID+"/reponse", url.Values{"decision": {"accept"}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("Farid accepts: %d", res.StatusCode)
	}
	manager = app.As(model.RoleManager) // the clock moved: a new session
	withdraw := "/gestion/offres/" + farids.ID + "/retirer"
	if page := compositionText(manager.Get(send)); !strings.Contains(page, `action="`+withdraw+`"`) {
		t.Error("no withdraw form for the accepted seat")
	}
	if res := manager.Post(withdraw, nil); res.StatusCode != http.StatusUnprocessableEntity ||
		!strings.Contains(compositionText(res), "Cochez la case pour confirmer le retrait") {
		t.Errorf("withdraw without confirmation: %d", res.StatusCode)
	}
	if res := compositionOtherManager(t, app).Post(withdraw, url.Values{"confirm": {"1"}}); res.StatusCode != http.StatusNotFound {
		t.Errorf("another organisation's manager withdraws: %d", res.StatusCode)
	}
	if res := manager.Post(withdraw, url.Values{"confirm": {"1"}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("withdraw: %d", res.StatusCode)
	}
	if !compositionHasOffer(app, c[5].Application.ID, model.OfferWithdrawn) ||
		!compositionAudited(t, app, "application", c[5].Application.ID, "offer.withdraw") {
		t.Error("the manager's withdrawal is not recorded")
	}
	if res := manager.Post(withdraw, url.Values{"confirm": {"1"}}); res.StatusCode != http.StatusConflict {
		t.Errorf("withdrawing twice: %d", res.StatusCode)
	}
}

// The minimum score: 0–100 with a decimal comma or point, recorded with who changed it, and
// applied by the next composition.
func TestCompositionMinScore(t *testing.T) {
	app, s, _ := compositionSetup(t)
	ctx, call := context.Background(), s.View.Call.ID
	manager := app.As(model.RoleManager)
	settings := "/appels/" + call + "/composition/reglages"
	for _, bad := range []struct{ min, days, field string }{
		{"101", "7", "min_score"}, {"-5", "7", "min_score"}, {"50,555", "7", "min_score"}, {"cinquante", "7", "min_score"},
		{"50", "0", "offer_days"}, {"50", "", "offer_days"}, {"50", "90", "offer_days"},
	} {
		res := manager.Post(settings, url.Values{"min_score": {bad.min}, "offer_days": {bad.days}})
		if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(res.Body, `id="e-`+bad.field+`"`) ||
			!strings.Contains(res.Body, `value="`+bad.min+`"`) {
			t.Errorf("min %q, days %q: %d", bad.min, bad.days, res.StatusCode)
		}
	}
	for _, good := range []struct {
		typed string
		want  int
	}{{"57.25", 5725}, {"", -1}, {"0", -1}, {"100", 10000}, {" 50,5 ", 5050}} {
		if res := manager.Post(settings, url.Values{"min_score": {good.typed}, "offer_days": {"10"}}); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("min %q: %d\n%s", good.typed, res.StatusCode, res.Body)
		}
		c, _ := app.Store.Call(ctx, call)
		if c.MinScore != good.want || c.OfferDays != 10 {
			t.Errorf("min %q: stored %d, %d days", good.typed, c.MinScore, c.OfferDays)
		}
	}
	if !compositionAudited(t, app, "call", call, "call.composition_settings") {
		t.Error("the settings are not in the audit log")
	}

	// 50,50: David (40), Emma (20) and Farid (0) are not retained; Bruno takes the third seat.
	page := compositionText(manager.Get("/appels/" + call + "/composition"))
	for _, want := range []string{"50,50 sur 100", "Non retenu(e) : note de 40,00, inférieure à la note minimale de 50,50.",
		"Retenu(e) : rang 2 dans sa CPTS, palier 2, place 3 sur 3."} {
		if !strings.Contains(page, want) {
			t.Errorf("the page does not say %q", want)
		}
	}
	if res := manager.Post("/appels/"+call+"/composition", url.Values{"confirm": {"1"}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("send: %d", res.StatusCode)
	}
	bruno := compositionOffer(t, app, s.Candidates[1].Application.ID)
	if want := time.Date(2026, 11, 26, 22, 59, 0, 0, time.UTC); !bruno.Deadline.Equal(want) { // the 10th day
		t.Errorf("deadline %s, want %s", bruno.Deadline, want)
	}
	runs, err := app.Store.Compositions(ctx, call)
	if err != nil || len(runs) != 1 || runs[0].MinScore != 5050 || runs[0].Offers != 3 {
		t.Errorf("runs %+v, %v", runs, err)
	}
	david := app.AsAccount(s.Candidates[3].AccountID)
	if page := compositionText(david.Get("/candidatures/" + s.Candidates[3].Application.ID)); !strings.Contains(page,
		"Vous n'êtes pas retenu(e) : votre note, 40,00, est inférieure à la note minimale de 50,50 fixée pour cet appel.") {
		t.Errorf("David's page:\n%s", page)
	}
}
