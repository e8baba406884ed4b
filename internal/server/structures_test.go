package server_test

import (
	"bytes"
	"context"
	"mime/multipart"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"parcours/internal/apptest"
	"parcours/internal/model"
	"parcours/internal/storage"
)

var ctx = context.Background()

func structureForm(name, finess, dep string) url.Values {
	return url.Values{"kind": {"cpts"}, "name": {name}, "finess": {finess}, "departement": {dep},
		"commune": {"Angers"}, "postcode": {"49000"}, "stage": {"projet_sante"}, "size_band": {"t2"}}
}

// A malformed FINESS re-renders the form with the message next to the field, keeps what was
// typed, and writes nothing.
func TestStructureFormRejectsBadInput(t *testing.T) {
	app := apptest.New(t)
	c := app.As(model.RoleAdmin)
	res := c.Post("/structures", structureForm("CPTS Loire Layon", "490000001", "49"))
	if res.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("status %d", res.StatusCode)
	}
	for _, want := range []string{`id="e-finess"`, `aria-invalid="true"`, "la clé de contrôle ne correspond pas",
		`value="CPTS Loire Layon"`, `href="#f-finess"`, "Le formulaire contient 1 erreur"} {
		if !strings.Contains(res.Body, want) {
			t.Errorf("the re-rendered form lacks %q", want)
		}
	}
	if _, total, _ := app.Store.Structures(ctx, storage.StructureFilter{Query: "Loire Layon"}); total != 0 {
		t.Error("an invalid structure was written")
	}
	// A FINESS of another département, a stage on an MSP, a missing name: one message each.
	f := structureForm("", "440000289", "49")
	f.Set("kind", "msp")
	res = c.Post("/structures", f)
	for _, field := range []string{"name", "finess", "stage", "size_band"} {
		if !strings.Contains(res.Body, `id="e-`+field+`"`) {
			t.Errorf("no error next to %s", field)
		}
	}
}

func TestStructureCreateEditDelete(t *testing.T) {
	app := apptest.New(t)
	c := app.As(model.RoleAdmin)
	f := structureForm("CPTS Loire Layon", "490000007", "49")
	res := c.Post("/structures", f)
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("create: %d\n%s", res.StatusCode, res.Body)
	}
	path := res.Header.Get("Location")
	page := c.Get(path)
	for _, want := range []string{"CPTS Loire Layon", "Projet de santé", "Maine-et-Loire (49)", "Pays de la Loire", "La structure est enregistrée."} {
		if !strings.Contains(page.Body, want) {
			t.Errorf("structure page lacks %q", want)
		}
	}
	// The same FINESS twice is refused next to the field.
	res = c.Post("/structures", structureForm("Doublon", "490000007", "49"))
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(res.Body, "Une autre structure a déjà ce numéro FINESS") {
		t.Errorf("duplicate FINESS: %d", res.StatusCode)
	}
	f.Set("stage", "aci_signe")
	if res := c.Post(path, f); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("update: %d", res.StatusCode)
	}
	if page := c.Get(path); !strings.Contains(page.Body, "ACI signé") {
		t.Error("update not shown")
	}
	if res := c.Post(path+"/supprimer", nil); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("delete: %d", res.StatusCode)
	}
	if res := c.Get(path); res.StatusCode != http.StatusNotFound {
		t.Errorf("deleted structure: %d", res.StatusCode)
	}
	id := strings.TrimPrefix(path, "/structures/")
	trail, _ := app.Store.AuditTrail(ctx, "structure", id, 0)
	var actions []string
	for _, e := range trail {
		actions = append(actions, e.Action)
	}
	if strings.Join(actions, ",") != "structure.delete,structure.update,structure.create" {
		t.Errorf("audit trail %v", actions)
	}
}

// A région's staff never see another région's structures or people.
func TestRegionScope(t *testing.T) {
	app := apptest.New(t)
	f := app.Fixture
	viewer := app.As(model.RoleRegionalViewer) // 52
	partner := app.As(model.RolePartner)       // 93

	list := viewer.Get("/structures")
	if !strings.Contains(list.Body, f.CPTSPdl.Name) || strings.Contains(list.Body, f.CPTSPaca.Name) {
		t.Error("the viewer of 52 must see the 52 CPTS only")
	}
	if res := viewer.Get("/structures/" + f.CPTSPaca.ID); res.StatusCode != http.StatusNotFound {
		t.Errorf("viewer of 52 on a 93 structure: %d", res.StatusCode)
	}
	if res := viewer.Get("/structures?region=93"); strings.Contains(res.Body, f.CPTSPaca.Name) {
		t.Error("a région filter opened another région")
	}
	if res := partner.Get("/personnes/" + f.PersonPdl.ID); res.StatusCode != http.StatusNotFound {
		t.Errorf("partner of 93 on a 52 person: %d", res.StatusCode)
	}
	if res := partner.Get("/personnes"); strings.Contains(res.Body, f.PersonPdl.LastName) || !strings.Contains(res.Body, f.PersonPaca.FirstName) {
		t.Error("people list not scoped")
	}
	// The partner writes in 93 only.
	res := partner.Post("/structures", structureForm("CPTS hors région", "", "44"))
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(res.Body, `id="e-departement"`) {
		t.Errorf("partner creating in 44: %d", res.StatusCode)
	}
	form := url.Values{"kind": {"cpts"}, "name": {"CPTS Aix Nord"}, "departement": {"13"}, "ref": {"PACA-02"}, "stage": {"emergence"}}
	if res := partner.Post("/structures", form); res.StatusCode != http.StatusSeeOther {
		t.Errorf("partner creating in 13: %d\n%s", res.StatusCode, res.Body)
	}
	if res := partner.Post("/structures/"+f.CPTSPdl.ID, form); res.StatusCode != http.StatusNotFound {
		t.Errorf("partner editing a 52 structure: %d", res.StatusCode)
	}
	// The viewer sees the members of 52 but cannot add any.
	if page := viewer.Get("/structures/" + f.CPTSPdl.ID); !strings.Contains(page.Body, "Hélène LEFÈVRE") || strings.Contains(page.Body, "/membres/nouveau") {
		t.Error("viewer: members shown without the add button")
	}
	// A manager reads every région's structures but no people.
	manager := app.As(model.RoleManager)
	if page := manager.Get("/structures/" + f.CPTSPaca.ID); page.StatusCode != http.StatusOK || strings.Contains(page.Body, f.PersonPaca.FirstName) {
		t.Errorf("manager: %d, members shown: %v", page.StatusCode, strings.Contains(page.Body, f.PersonPaca.FirstName))
	}
}

func TestMembersAddedAndRemoved(t *testing.T) {
	app := apptest.New(t)
	f := app.Fixture
	c := app.As(model.RolePartner) // 93
	st := "/structures/" + f.CPTSPaca.ID
	// Create a new person from the structure: they join it with the chosen role.
	form := url.Values{"structure": {f.CPTSPaca.ID}, "first_name": {"Léa"}, "last_name": {"Martin"}, "profession": {"dieteticien"},
		"email": {"lea.martin@example.fr"}, "rpps": {"12345"}, "role": {""}}
	res := c.Post("/personnes", form)
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(res.Body, `id="e-rpps"`) || !strings.Contains(res.Body, `id="e-role"`) {
		t.Fatalf("bad RPPS and no role: %d", res.StatusCode)
	}
	form.Set("rpps", "")
	form.Set("role", "secretaire")
	if res := c.Post("/personnes", form); res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != st {
		t.Fatalf("create member: %d %s\n%s", res.StatusCode, res.Header.Get("Location"), res.Body)
	}
	members, _ := app.Store.Members(ctx, f.CPTSPaca.ID)
	if len(members) != 2 {
		t.Fatalf("members %+v", members)
	}
	// Find an existing person and give them a second role.
	search := c.Get(st + "/membres/nouveau?q=benali")
	if !strings.Contains(search.Body, "Karim BENALI") {
		t.Fatal("search did not find the person")
	}
	res = c.Post(st+"/membres", url.Values{"person_id": {f.PersonPaca.ID}, "role": {"tresorier"}})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("add role: %d", res.StatusCode)
	}
	res = c.Post(st+"/membres", url.Values{"person_id": {f.PersonPaca.ID}, "role": {"tresorier"}})
	if res.StatusCode != http.StatusUnprocessableEntity {
		t.Errorf("same role twice: %d", res.StatusCode)
	}
	// A person of another région cannot be attached by id: it would open them to the partner.
	res = c.Post(st+"/membres", url.Values{"person_id": {f.PersonPdl.ID}, "role": {"membre"}})
	if res.StatusCode != http.StatusUnprocessableEntity {
		t.Errorf("attaching a person of 52: %d", res.StatusCode)
	}
	members, _ = app.Store.Members(ctx, f.CPTSPaca.ID)
	if len(members) != 3 {
		t.Fatalf("members after adding a role: %d", len(members))
	}
	if res := c.Post(st+"/membres/"+members[0].ID+"/supprimer", nil); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("remove: %d", res.StatusCode)
	}
	// A membership of another structure cannot be removed through this one.
	if res := c.Post(st+"/membres/"+f.MembershipPdl.ID+"/supprimer", nil); res.StatusCode != http.StatusNotFound {
		t.Errorf("removing another structure's member: %d", res.StatusCode)
	}
}

// The upload page stores the file, a job checks it (any instance may run it), the page shows
// every bad line; a valid file is checked, then imported on confirmation.
func TestImportThroughTheUploadPage(t *testing.T) {
	app := apptest.New(t)
	c := app.As(model.RoleAdmin)
	bad := "type;nom;finess;departement;stade\nCPTS;CPTS Bocage;490000001;49;active\nMSP;;;85;\n"
	res := upload(t, c, app, bad, "1")
	if res.StatusCode != http.StatusSeeOther || !strings.HasPrefix(res.Header.Get("Location"), "/imports/") {
		t.Fatalf("upload: %d\n%s", res.StatusCode, res.Body)
	}
	job := res.Header.Get("Location")
	// A queued import's page offers a button that reloads it, and a script that updates it in
	// place; never a timed reload of the whole page (WCAG 2.2.1).
	if page := c.Get(job); strings.Contains(page.Body, `http-equiv="refresh"`) || !strings.Contains(page.Body, `href="`+job+`"`) ||
		!strings.Contains(page.Body, "/static/import-progress.js") {
		t.Error("a queued import's page must offer a reload button and the progress script")
	}
	app.RunJobs()
	page := c.Get(job)
	for _, want := range []string{"Le fichier contient 3 erreurs", "Rien n&#39;a été enregistré",
		"<td class=\"num\">2</td><td>finess</td><td>490000001</td><td>Numéro FINESS invalide",
		"<td class=\"num\">3</td><td>nom</td>", "<td class=\"num\">3</td><td></td><td></td><td>Sans FINESS, SIRET ni ref"} {
		if !strings.Contains(page.Body, want) {
			t.Errorf("report lacks %q", want)
		}
	}
	if strings.Contains(page.Body, "import-progress.js") || strings.Contains(page.Body, "data-running") {
		t.Error("a finished import's page still follows progress")
	}
	good := "type;nom;finess;ref;departement;stade\nCPTS;CPTS Bocage;490000007;;49;active\nMSP;MSP de Cholet;;MSP-CHOLET;49;\n"
	job = upload(t, c, app, good, "1").Header.Get("Location")
	app.RunJobs()
	page = c.Get(job)
	if !strings.Contains(page.Body, "2 structures créées") || !strings.Contains(page.Body, "Importer ce fichier") {
		t.Fatalf("dry run report:\n%s", page.Body)
	}
	if _, total, _ := app.Store.Structures(ctx, storage.StructureFilter{Query: "Bocage"}); total != 0 {
		t.Fatal("a dry run wrote structures")
	}
	res = c.Post(job+"/appliquer", nil)
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("apply: %d", res.StatusCode)
	}
	app.RunJobs()
	if page := c.Get(res.Header.Get("Location")); !strings.Contains(page.Body, "Import terminé") {
		t.Errorf("import report:\n%s", page.Body)
	}
	if _, total, _ := app.Store.Structures(ctx, storage.StructureFilter{Query: "Bocage"}); total != 1 {
		t.Error("the import did not write")
	}
	// Someone else's import is not found, even by another administrator.
	second := &model.Account{Email: "second.admin@example.fr", DisplayName: "Second admin"}
	if err := app.Store.CreateAccount(ctx, second); err != nil {
		t.Fatal(err)
	}
	app.Store.Grant(ctx, &model.Grant{AccountID: second.ID, Role: model.RoleAdmin})
	other := app.AsAccount(second.ID)
	if res := other.Get(job); res.StatusCode != http.StatusNotFound {
		t.Errorf("someone else's import: %d", res.StatusCode)
	}
}

func upload(t *testing.T, c *apptest.Client, app *apptest.App, csv, dryRun string) *apptest.Response {
	t.Helper()
	var body bytes.Buffer
	w := multipart.NewWriter(&body)
	w.WriteField("csrf_token", c.CSRF())
	w.WriteField("dry_run", dryRun)
	part, _ := w.CreateFormFile("file", "structures.csv")
	part.Write([]byte(csv))
	w.Close()
	req, _ := http.NewRequest(http.MethodPost, app.URL("/structures/import"), &body)
	req.Header.Set("Content-Type", w.FormDataContentType())
	return c.Do(req)
}

// An error about the role of a person in the search results is shown next to that row's
// select, and the summary's link leads there.
func TestMemberRoleErrorIsNextToItsSelect(t *testing.T) {
	app := apptest.New(t)
	f := app.Fixture
	c := app.As(model.RolePartner)
	res := c.Post("/structures/"+f.CPTSPaca.ID+"/membres", url.Values{"person_id": {f.PersonPaca.ID}, "role": {""}, "q": {"benali"}})
	if res.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("status %d", res.StatusCode)
	}
	for _, want := range []string{`href="#f-role"`, `id="f-role"`, `id="e-role"`, `aria-describedby="e-role"`} {
		if !strings.Contains(res.Body, want) {
			t.Errorf("the page lacks %s", want)
		}
	}
}
