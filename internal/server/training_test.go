package server_test

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"parcours/internal/apptest"
	"parcours/internal/attendance"
	"parcours/internal/clock"
	"parcours/internal/model"
	"parcours/internal/schedule"
)

func wantStatus(t *testing.T, res *apptest.Response, status int, contains ...string) {
	t.Helper()
	if res.StatusCode != status {
		t.Fatalf("%s %s = %d, want %d:\n%s", res.Request.Method, res.Request.URL.Path, res.StatusCode, status, res.Body)
	}
	for _, c := range contains {
		if !strings.Contains(res.Body, c) {
			t.Errorf("%s lacks %q", res.Request.URL.Path, c)
		}
	}
}

// The manager lays out the calendar through the pages, the trainer takes attendance, the
// learner signs through the QR code's link, and the documents come out.
func TestCalendarAndAttendancePages(t *testing.T) {
	app := apptest.New(t)
	tr := app.NewTraining()
	ctx := context.Background()
	p := app.Fixture.Programme
	p.Days, p.DurationMonths = 39, 16
	if err := app.Store.UpdateProgramme(ctx, &p); err != nil {
		t.Fatal(err)
	}
	clk := clock.NewManual(time.Date(2027, 1, 10, 9, 0, 0, 0, time.UTC))
	app.Store.Clock = clk
	manager := app.As(model.RoleManager)
	base := "/promotions/" + tr.Cohort.ID

	wantStatus(t, manager.Get(base+"/calendrier"), http.StatusOK, "Générer le calendrier", "39 journées")
	// A bad pattern: the form again, the message next to the field.
	res := manager.Post(base+"/calendrier/generer", url.Values{"start": {"2027-02-04"}, "days_per_month": {"2"}, "months": {"12"}})
	wantStatus(t, res, http.StatusUnprocessableEntity, "ne tiennent pas dans ce nombre de mois", `id="e-months"`)
	res = manager.Post(base+"/calendrier/generer", url.Values{"start": {"2027-02-04"}, "weekday": {"4"}, "days_per_month": {"2"},
		"months": {"16"}, "skip_weekends": {"1"}, "skip_holidays": {"1"}})
	wantStatus(t, res, http.StatusSeeOther)
	res = manager.Get(base + "/calendrier")
	wantStatus(t, res, http.StatusOK, "39 sur 39", "jeudi 4 février 2027", "Pilotage de l’organisation", "Heures par module")

	// A day moved onto Whit Monday shows the warning.
	c, err := schedule.Load(ctx, app.Store, tr.Cohort.ID)
	if err != nil {
		t.Fatal(err)
	}
	day := c.Days[11]
	form := url.Values{"date": {"2027-05-17"}, "module": {day.ModuleID}, "place": {day.Place}, "morning_start": {"09:00"},
		"morning_end": {"12:30"}, "afternoon_start": {"13:30"}, "afternoon_end": {"17:00"}, "trainers": {app.Fixture.Accounts[model.RoleTrainer].ID}}
	wantStatus(t, manager.Post("/journees/"+day.ID, form), http.StatusSeeOther)
	wantStatus(t, manager.Get(base+"/calendrier"), http.StatusOK, "jour férié (Lundi de Pentecôte)")
	bad := url.Values{"date": {"2027-05-18"}, "place": {""}, "morning_start": {"09:00"}, "morning_end": {"08:00"}}
	wantStatus(t, manager.Post(base+"/journees", bad), http.StatusUnprocessableEntity, "Indiquez le lieu", "L&#39;heure de fin doit venir après")
	wantStatus(t, manager.Get("/journees/"+day.ID+"/modifier"), http.StatusOK, "Lundi de Pentecôte")

	// Convocations, then the learner's calendar with the feed address that serves the .ics.
	wantStatus(t, manager.Post(base+"/convocations", nil), http.StatusSeeOther)
	wantStatus(t, manager.Get(base+"/calendrier"), http.StatusOK, "3 apprenants convoqués sur 3")
	learner := app.AsAccount(tr.Learners[0].AccountID)
	res = learner.Get("/mon-parcours")
	wantStatus(t, res, http.StatusOK, "jeudi 4 février 2027", "webcal://")
	feed := regexp.MustCompile(`value="(http[^"]+\.ics)"`).FindStringSubmatch(res.Body)
	if feed == nil {
		t.Fatal("no feed address on the learner's page")
	}
	res = app.NewClient().Get(strings.TrimPrefix(feed[1], app.HTTP.URL))
	if res.StatusCode != http.StatusOK || !strings.HasPrefix(res.Header.Get("Content-Type"), "text/calendar") || !strings.Contains(res.Body, "BEGIN:VEVENT") {
		t.Fatalf("feed = %d %s", res.StatusCode, res.Header.Get("Content-Type"))
	}
	wantStatus(t, app.NewClient().Get("/calendrier/inconnu.ics"), http.StatusNotFound)

	// On the day: the trainer's screen shows the QR code; its link lets the learner sign.
	first := c.Days[0].HalfDays[0]
	clk.Set(first.StartsAt.Add(5 * time.Minute))
	trainer, learner, manager := app.As(model.RoleTrainer), app.AsAccount(tr.Learners[0].AccountID), app.As(model.RoleManager)
	wantStatus(t, trainer.Get("/formateur"), http.StatusOK, "jeudi 4 février 2027")
	res = trainer.Get("/demi-journees/" + first.ID + "/qr")
	wantStatus(t, res, http.StatusOK, "<svg", "0 signatures sur 3")
	if !strings.Contains(res.Body, "signing-refresh") {
		t.Error("the signing screen does not refresh itself")
	}
	key, _ := attendance.Key(ctx, app.Store)
	link := "/emargement/" + first.ID + "?t=" + attendance.QRToken(key, first.ID, clk.Now())
	wantStatus(t, learner.Get(link), http.StatusOK, "J&#39;émarge")
	// A photo of the code, used three minutes later by someone else's phone: refused.
	old := attendance.QRToken(key, first.ID, clk.Now().Add(-3*time.Minute))
	res = app.AsAccount(tr.Learners[1].AccountID).Post("/emargement/"+first.ID, url.Values{"t": {old}})
	wantStatus(t, res, http.StatusConflict, "a expiré")
	res = learner.Post("/emargement/"+first.ID, url.Values{"t": {attendance.QRToken(key, first.ID, clk.Now())}})
	wantStatus(t, res, http.StatusSeeOther)
	wantStatus(t, learner.Get(res.Header.Get("Location")), http.StatusOK, "Votre présence est enregistrée : émargé le 4 février 2027 à 9 h 05")
	wantStatus(t, learner.Post("/emargement/"+first.ID, nil), http.StatusConflict, "déjà émargé")
	// The learner of another cohort is told it is not theirs.
	wantStatus(t, app.AsAccount(tr.Outsider.AccountID).Get(link), http.StatusForbidden, "pas celle de votre promotion")

	// The trainer marks the others (a bad mark is shown next to the field), then countersigns.
	sheet := "/demi-journees/" + first.ID
	res = trainer.Post(sheet+"/marques", url.Values{"enrolment": {tr.Learners[1].Enrolment.ID}, "status": {"late"}, "late-" + tr.Learners[1].Enrolment.ID: {"0"}})
	wantStatus(t, res, http.StatusUnprocessableEntity, "Indiquez le retard en minutes")
	wantStatus(t, trainer.Post(sheet+"/marques", url.Values{"enrolment": {tr.Learners[1].Enrolment.ID}, "status": {"late"}, "late-" + tr.Learners[1].Enrolment.ID: {"15"}}), http.StatusSeeOther)
	// The offline queue's requests get a status code, not a page.
	req, _ := http.NewRequest(http.MethodPost, app.URL(sheet+"/marques"), strings.NewReader(url.Values{"csrf_token": {trainer.CSRF()},
		"enrolment": {tr.Learners[2].Enrolment.ID}, "status": {"absent_justified"}, "reason-" + tr.Learners[2].Enrolment.ID: {"arrêt maladie"}}.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("X-Parcours-Queue", "1")
	wantStatus(t, trainer.Do(req), http.StatusNoContent)
	clk.Set(first.EndsAt) // the fixture's sessions last an hour: log in again
	trainer, learner, manager = app.As(model.RoleTrainer), app.AsAccount(tr.Learners[0].AccountID), app.As(model.RoleManager)
	wantStatus(t, trainer.Post(sheet+"/contresignature", nil), http.StatusSeeOther)
	res = trainer.Get(sheet)
	wantStatus(t, res, http.StatusOK, "Contresignée par Compte trainer", "arrêt maladie", "émargé le 4 février 2027 à 9 h 05")
	if strings.Contains(res.Body, "/corrections") {
		t.Error("the trainer is offered corrections after countersigning")
	}
	wantStatus(t, trainer.Post(sheet+"/marques", url.Values{"enrolment": {tr.Learners[2].Enrolment.ID}, "status": {"present"}}), http.StatusSeeOther)
	wantStatus(t, trainer.Post(sheet+"/corrections", url.Values{"enrolment": {tr.Learners[2].Enrolment.ID}, "status": {"present"}, "why-" + tr.Learners[2].Enrolment.ID: {"erreur de saisie"}}), http.StatusForbidden)
	// The manager corrects, with a reason.
	res = manager.Post(sheet+"/corrections", url.Values{"enrolment": {tr.Learners[2].Enrolment.ID}, "status": {"present"}})
	wantStatus(t, res, http.StatusUnprocessableEntity, "pourquoi vous corrigez")
	wantStatus(t, manager.Post(sheet+"/corrections", url.Values{"enrolment": {tr.Learners[2].Enrolment.ID}, "status": {"present"}, "why-" + tr.Learners[2].Enrolment.ID: {"erreur de saisie"}}), http.StatusSeeOther)

	// Documents: the sheet as PDF, the grid as XLSX, a learner's summary and certificate.
	for path, typ := range map[string]string{
		sheet + "/feuille.pdf":   "application/pdf",
		base + "/assiduite.xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
		base + "/apprenants/" + tr.Learners[0].Enrolment.ID + "/releve.pdf":     "application/pdf",
		base + "/apprenants/" + tr.Learners[0].Enrolment.ID + "/certificat.pdf": "application/pdf",
	} {
		res := manager.Get(path)
		if res.StatusCode != http.StatusOK || res.Header.Get("Content-Type") != typ || len(res.Body) < 500 {
			t.Errorf("%s = %d %s, %d bytes", path, res.StatusCode, res.Header.Get("Content-Type"), len(res.Body))
		}
	}
	wantStatus(t, manager.Get(base+"/assiduite"), http.StatusOK, "Éléonore Lœuillet-Çelik", "100\u00a0%")
	wantStatus(t, learner.Get("/mon-parcours/assiduite"), http.StatusOK, "Assiduité : 100\u00a0%")
	wantStatus(t, learner.Get("/mon-parcours/"+tr.Cohort.ID+"/releve.pdf"), http.StatusOK)
	wantStatus(t, learner.Get("/mon-parcours/"+tr.Cohort.ID+"/certificat.pdf"), http.StatusNotFound) // before the end
	wantStatus(t, learner.Get("/mon-parcours/"+tr.Other.ID+"/releve.pdf"), http.StatusNotFound)

	// Others see nothing: the trainer of another cohort, a learner on the manager's pages.
	other := app.AsAccount(tr.Outsider.AccountID)
	wantStatus(t, other.Get(base+"/calendrier"), http.StatusForbidden)
	wantStatus(t, manager.Get("/demi-journees/unknown"), http.StatusNotFound)
}
