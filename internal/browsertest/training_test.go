package browsertest

import (
	"bytes"
	"context"
	"encoding/base64"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"

	"parcours/internal/apptest"
	"parcours/internal/attendance"
	"parcours/internal/clock"
	"parcours/internal/model"
	"parcours/internal/schedule"
	"parcours/internal/testkit"
)

const (
	generateButton    = "main form[action$='/calendrier/generer'] button[type=submit]"
	dayButton         = "main form[action^='/journees/']:not([action$='/supprimer']) button[type=submit]"
	signButton        = "main form[action^='/emargement/'] button[type=submit]"
	countersignButton = "main form[action$='/contresignature'] button[type=submit]"
)

// training is the training cohort with its first two days laid out (4 and 5 February 2027)
// and the server's clock five minutes into the first morning.
type training struct {
	tr    *apptest.Training
	c     *schedule.Cohort
	first model.HalfDay
	clk   *clock.Manual
}

func newTraining(t *testing.T, app *apptest.App) *training {
	t.Helper()
	ctx := context.Background()
	tw := &training{tr: app.NewTraining(), clk: clock.NewManual(time.Date(2027, 1, 20, 9, 0, 0, 0, time.UTC))}
	app.Store.Clock = tw.clk
	t.Cleanup(func() { app.Store.Clock = clock.System{} })
	load := func() {
		var err error
		if tw.c, err = schedule.Load(ctx, app.Store, tw.tr.Cohort.ID); err != nil {
			t.Fatal(err)
		}
	}
	load()
	for _, date := range []string{"2027-02-04", "2027-02-05"} {
		in := tw.c.NewDayInput()
		in.Date, in.ModuleID, in.Trainers = date, tw.tr.Modules[0].ID, []string{app.Fixture.Accounts[model.RoleTrainer].ID}
		if _, errs, err := schedule.SaveDay(ctx, app.Store, app.Manager(), app.Mailing(), tw.c, "", in); err != nil || errs.Any() {
			t.Fatal(errs, err)
		}
		load()
	}
	tw.first = tw.c.Days[0].HalfDays[0]
	tw.clk.Set(tw.first.StartsAt.Add(5 * time.Minute))
	return tw
}

// qrLink is the address the trainer's QR code shows now, as a phone's camera reads it.
func qrLink(t *testing.T, app *apptest.App, halfDayID string) string {
	t.Helper()
	key, err := attendance.Key(context.Background(), app.Store)
	if err != nil {
		t.Fatal(err)
	}
	return "/emargement/" + halfDayID + "?t=" + attendance.QRToken(key, halfDayID, app.Store.Clock.Now())
}

// waitText waits until the element sel says want (a script updates it).
func (b *tab) waitText(sel, want string) {
	b.t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for {
		got, _ := chromedp.Run(b.ctx, chromedp.Evaluate[string](`(document.querySelector(`+"`"+sel+"`"+`) || {}).textContent || ""`))
		if strings.Contains(strings.Join(strings.Fields(got), " "), want) {
			return
		}
		if time.Now().After(deadline) {
			b.t.Fatalf("on %s: %s says %q, want it to contain %q", b.location(), sel, got, want)
		}
		time.Sleep(200 * time.Millisecond)
	}
}

// mark opens a learner's form on the sheet, chooses a status and sends it (the page's
// script sends it in the background: no page load).
func (b *tab) mark(enrolmentID, status string, fields map[string]string) {
	b.t.Helper()
	line := "#l-" + enrolmentID
	b.step("open the form of "+enrolmentID, chromedp.Click(chromedp.CSS(line+" summary")))
	b.step("choose "+status, chromedp.Click(chromedp.CSS("#f-status-"+enrolmentID+"-"+status)))
	for field, value := range fields {
		b.typeIn("#f-"+field+"-"+enrolmentID, value)
	}
	b.step("send the mark", chromedp.Click(chromedp.CSS(line+" form button[type=submit]")))
}

// setOffline cuts the tab's network, or gives it back.
func (b *tab) setOffline(offline bool) {
	b.t.Helper()
	conditions := []*network.Conditions{}
	if offline {
		conditions = append(conditions, &network.Conditions{Offline: true, DownloadThroughput: -1, UploadThroughput: -1})
	}
	ctx := b.ctx
	if _, err := chromedp.Call(ctx, network.Enable, network.EnableParams{}); err != nil {
		b.t.Fatal(err)
	}
	if _, err := chromedp.Call(ctx, network.EmulateNetworkConditionsByRule,
		network.EmulateNetworkConditionsByRuleParams{MatchedNetworkConditions: conditions}); err != nil {
		b.t.Fatalf("emulate the network: %v", err)
	}
	if _, err := chromedp.Call(ctx, network.OverrideNetworkState,
		network.OverrideNetworkStateParams{Offline: offline, DownloadThroughput: -1, UploadThroughput: -1}); err != nil {
		b.t.Fatalf("override navigator.onLine: %v", err)
	}
}

// fetchFile downloads path with the tab's session and returns its bytes.
func (b *tab) fetchFile(path string) []byte {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, 15*time.Second)
	defer cancel()
	js := `fetch(` + "`" + path + "`" + `, {credentials: "same-origin"}).then(r => r.arrayBuffer()).then(buf => {
		let s = ""; new Uint8Array(buf).forEach(c => s += String.fromCharCode(c)); return btoa(s); })`
	out, err := chromedp.Run(ctx, chromedp.Evaluate[string](js, chromedp.EvalAwaitPromise))
	if err != nil {
		b.t.Fatalf("download %s: %v", path, err)
	}
	data, err := base64.StdEncoding.DecodeString(out)
	if err != nil {
		b.t.Fatal(err)
	}
	return data
}

// TestLearnerSignsTrainerCountersignsManagerDownloads is the attendance journey: a learner
// signs from the QR code's page, the trainer marks the others (one while the network is
// cut: kept, shown as not saved, sent when it returns) and countersigns, and the manager
// downloads the signed sheet.
func TestLearnerSignsTrainerCountersignsManagerDownloads(t *testing.T) {
	t.Parallel()
	needChromium(t)
	app := apptest.New(t)
	tw := newTraining(t, app)
	ctx := context.Background()
	l := tw.tr.Learners
	sheet := "/demi-journees/" + tw.first.ID

	learner := newTab(t, app.HTTP.URL)
	learner.signIn(app, l[0].AccountID)
	learner.open(qrLink(t, app, tw.first.ID), 200)
	learner.wantPage("sign")
	learner.click(signButton, 200)
	learner.wantText("main [role=status]", "Votre présence est enregistrée : émargé le 4 février 2027 à 9 h 05")

	trainer := newTab(t, app.HTTP.URL)
	trainer.signIn(app, app.Fixture.Accounts[model.RoleTrainer].ID)
	trainer.open(sheet, 200)
	trainer.wantText("#l-"+l[0].Enrolment.ID, "émargé le 4 février 2027 à 9 h 05")
	trainer.mark(l[1].Enrolment.ID, "late", map[string]string{"late": "10"})
	trainer.waitText("#l-"+l[1].Enrolment.ID+" [data-state]", "Enregistré : En retard")

	// The Wi-Fi drops: the mark waits in the browser, and says so.
	trainer.setOffline(true)
	trainer.mark(l[2].Enrolment.ID, "absent_justified", map[string]string{"reason": "rendez-vous médical"})
	trainer.waitText("#l-"+l[2].Enrolment.ID+" [data-state]", "Non enregistré, en attente du réseau")
	trainer.waitText("#queue-status", "1 présence n'est pas encore enregistrée")
	time.Sleep(time.Second)
	records, err := app.Store.AttendanceOfHalfDay(ctx, tw.first.ID)
	if err != nil || len(records) != 2 {
		t.Fatalf("offline, the server has %d records (%v), want 2", len(records), err)
	}
	// It comes back: the mark leaves on its own.
	trainer.setOffline(false)
	trainer.waitText("#l-"+l[2].Enrolment.ID+" [data-state]", "Enregistré : Absent justifié")
	records, _ = app.Store.AttendanceOfHalfDay(ctx, tw.first.ID)
	if len(records) != 3 {
		t.Fatalf("back online, the server has %d records, want 3", len(records))
	}

	tw.clk.Set(tw.first.EndsAt.Add(-5 * time.Minute))
	trainer.signIn(app, app.Fixture.Accounts[model.RoleTrainer].ID) // the fixture's sessions last an hour
	trainer.open(sheet, 200)
	trainer.click(countersignButton, 200)
	trainer.wantText("main", "Contresignée par Compte trainer le 4 février 2027 à 12 h 25")

	manager := newTab(t, app.HTTP.URL)
	manager.signIn(app, app.Fixture.Accounts[model.RoleManager].ID)
	manager.open(sheet, 200)
	manager.wantText("main .page-head", "Feuille d'émargement (PDF)")
	pdf := manager.fetchFile(sheet + "/feuille.pdf")
	if !bytes.HasPrefix(pdf, []byte("%PDF-")) {
		t.Fatalf("the sheet is not a PDF: %.40q", pdf)
	}
	if _, err := exec.LookPath("pdftotext"); err != nil {
		testkit.Missing(t, "pdftotext", "apt-get install poppler-utils")
	}
	cmd := exec.Command("pdftotext", "-layout", "-", "-")
	cmd.Stdin = bytes.NewReader(pdf)
	out, err := cmd.Output()
	if err != nil {
		t.Fatal(err)
	}
	text := strings.Join(strings.Fields(string(out)), " ")
	for _, want := range []string{"Feuille d’émargement", "Éléonore Lœuillet-Çelik", "Signé le 4 février 2027 à 9 h 05",
		"En retard (10 min)", "Absent justifié : rendez-vous", "médical", "Contresigné par Compte trainer le 4 février 2027 à 12 h 25"} {
		if !strings.Contains(text, want) {
			t.Errorf("the downloaded sheet lacks %q:\n%s", want, text)
		}
	}
}

// visitTrainingPages shows the calendar and attendance pages to axe-core: the manager's
// calendar (empty with its pattern form, with an error, laid out), a day's form (with an
// error), the attendance grid; the learner's calendar, signing page and attendance; the
// trainer's half-days, sheet and QR screen.
func visitTrainingPages(t *testing.T, app *apptest.App, b *tab) {
	tw := newTraining(t, app)
	tr := tw.tr
	// An empty cohort shows the pattern form.
	empty := tr.Other
	b.signIn(app, app.Fixture.Accounts[model.RoleManager].ID)
	b.open("/promotions/"+empty.ID+"/calendrier", 200)
	b.check("calendar_manage")
	b.set("#f-months", "1")
	b.click(generateButton, 422)
	b.check("calendar_manage")
	b.set("#f-months", "")
	b.click(generateButton, 200)
	b.check("calendar_manage")
	b.open("/promotions/"+tr.Cohort.ID+"/calendrier", 200)
	b.check("calendar_manage")
	b.open("/journees/"+tw.c.Days[1].ID+"/modifier", 200)
	b.check("day_form")
	b.typeIn("#f-video_url", "http://visio.example.fr/amg") // not https
	b.click(dayButton, 422)
	b.check("day_form")

	l := b.another()
	l.signIn(app, tr.Learners[0].AccountID)
	l.open("/mon-parcours", 200)
	l.check("learner_calendar")
	l.open(qrLink(t, app, tw.first.ID), 200)
	l.check("sign")
	l.click(signButton, 200)
	l.check("sign")
	l.click("//main//a[contains(., 'Ma formation')]", 200)
	l.wantPage("learner_calendar")

	tr2 := b.another()
	tr2.signIn(app, app.Fixture.Accounts[model.RoleTrainer].ID)
	tr2.open("/formateur", 200)
	tr2.check("trainer_home")
	tr2.open("/demi-journees/"+tw.first.ID+"/qr", 200)
	tr2.check("signing_screen")
	tr2.open("/demi-journees/"+tw.first.ID, 200)
	tr2.check("half_day")
	tw.clk.Set(tw.first.EndsAt)
	tr2.signIn(app, app.Fixture.Accounts[model.RoleTrainer].ID)
	tr2.click(countersignButton, 200)
	tr2.check("half_day")

	b.signIn(app, app.Fixture.Accounts[model.RoleManager].ID)
	b.open("/demi-journees/"+tw.first.ID, 200)
	b.check("half_day") // with the correction forms
	b.open("/promotions/"+tr.Cohort.ID+"/assiduite", 200)
	b.check("attendance_grid")
	l.signIn(app, tr.Learners[0].AccountID)
	l.open("/mon-parcours/assiduite", 200)
	l.check("learner_attendance")
}
