package attendance_test

import (
	"bytes"
	"context"
	"errors"
	"os/exec"
	"strings"
	"testing"
	"time"

	"parcours/internal/apply"
	"parcours/internal/apptest"
	"parcours/internal/attendance"
	"parcours/internal/clock"
	"parcours/internal/model"
	"parcours/internal/schedule"
	"parcours/internal/storage"
	"parcours/internal/testkit"
)

// world is a training cohort with two days laid out (4 and 5 February 2027, Marseille,
// 09:00–12:30 and 13:30–17:00, 08:00 UTC in winter) and a clock on the first morning.
type world struct {
	app *apptest.App
	tr  *apptest.Training
	clk *clock.Manual
	ctx context.Context
}

var firstMorning = time.Date(2027, 2, 4, 8, 0, 0, 0, time.UTC) // 09:00 in Marseille

func newWorld(t *testing.T) *world {
	t.Helper()
	app := apptest.New(t)
	w := &world{app: app, tr: app.NewTraining(), clk: clock.NewManual(firstMorning.Add(-24 * time.Hour)), ctx: context.Background()}
	app.Store.Clock = w.clk
	c := w.cohort(t)
	for _, date := range []string{"2027-02-04", "2027-02-05"} {
		in := c.NewDayInput()
		in.Date, in.ModuleID, in.Trainers = date, w.tr.Modules[0].ID, []string{app.Fixture.Accounts[model.RoleTrainer].ID}
		if _, errs, err := schedule.SaveDay(w.ctx, app.Store, app.Manager(), app.Mailing(), c, "", in); err != nil || errs.Any() {
			t.Fatal(errs, err)
		}
		c = w.cohort(t)
	}
	w.clk.Set(firstMorning)
	return w
}

func (w *world) cohort(t *testing.T) *schedule.Cohort {
	t.Helper()
	c, err := schedule.Load(w.ctx, w.app.Store, w.tr.Cohort.ID)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// halfDay is the i-th half-day of the calendar (0: 4 February morning).
func (w *world) halfDay(t *testing.T, i int) model.HalfDay {
	t.Helper()
	c := w.cohort(t)
	return c.Days[i/2].HalfDays[i%2]
}

func (w *world) sheet(t *testing.T, halfDayID string) *attendance.Sheet {
	t.Helper()
	sh, err := attendance.LoadSheet(w.ctx, w.app.Store, halfDayID)
	if err != nil {
		t.Fatal(err)
	}
	return sh
}

func (w *world) key(t *testing.T) []byte {
	t.Helper()
	key, err := attendance.Key(w.ctx, w.app.Store)
	if err != nil {
		t.Fatal(err)
	}
	return key
}

func refusal(err error) string {
	var r *attendance.Refusal
	if errors.As(err, &r) {
		return r.Code
	}
	return ""
}

func TestSignatureRules(t *testing.T) {
	w := newWorld(t)
	morning := w.halfDay(t, 0)
	learner := w.tr.Learners[0]
	sign := func(accountID, halfDayID, qr string) error {
		return attendance.Sign(w.ctx, w.app.Store, attendance.DefaultMargin,
			attendance.Signature{HalfDayID: halfDayID, AccountID: accountID, IP: "192.0.2.10", QR: qr})
	}
	records := func() int {
		list, err := w.app.Store.AttendanceOfHalfDay(w.ctx, morning.ID)
		if err != nil {
			t.Fatal(err)
		}
		return len(list)
	}
	key := w.key(t)

	refused := []struct {
		name      string
		at        time.Time
		accountID string
		qr        func() string
		code      string
		message   string
	}{
		{"before the window opens", firstMorning.Add(-31 * time.Minute), learner.AccountID, nil, "too_early",
			"ouvre le 4 février 2027 à 8 h 30"},
		{"after the half-day ended", firstMorning.Add(210 * time.Minute), learner.AccountID, nil, "closed", "fermé depuis 12 h 30"},
		{"a learner of another cohort", firstMorning, w.tr.Outsider.AccountID, nil, "not_learner", "pas celle de votre promotion"},
		{"an account that is no learner", firstMorning, w.app.Fixture.Accounts[model.RoleManager].ID, nil, "not_learner", ""},
		{"a QR code photographed three minutes ago", firstMorning.Add(5 * time.Minute), learner.AccountID,
			func() string { return attendance.QRToken(key, morning.ID, firstMorning.Add(2*time.Minute)) }, "qr_expired", "a expiré"},
		{"the QR code of another half-day", firstMorning, learner.AccountID,
			func() string { return attendance.QRToken(key, w.halfDay(t, 1).ID, firstMorning) }, "qr_invalid", ""},
		{"a forged QR code", firstMorning, learner.AccountID, func() string { return "12345.forged" }, "qr_invalid", ""},
	}
	for _, tt := range refused {
		t.Run(tt.name, func(t *testing.T) {
			w.clk.Set(tt.at)
			qr := ""
			if tt.qr != nil {
				qr = tt.qr()
			}
			err := sign(tt.accountID, morning.ID, qr)
			var r *attendance.Refusal
			if !errors.As(err, &r) || r.Code != tt.code || !strings.Contains(r.Message, tt.message) || !errors.Is(err, attendance.ErrRefused) {
				t.Fatalf("Sign = %v (%+v), want %s saying %q", err, r, tt.code, tt.message)
			}
			if n := records(); n != 0 {
				t.Errorf("%d records after a refusal", n)
			}
		})
	}

	// In the window, from a QR code shown a minute ago: recorded with time, account, address.
	w.clk.Set(firstMorning.Add(4 * time.Minute))
	if err := sign(learner.AccountID, morning.ID, attendance.QRToken(key, morning.ID, firstMorning.Add(3*time.Minute))); err != nil {
		t.Fatal(err)
	}
	list, _ := w.app.Store.AttendanceOfHalfDay(w.ctx, morning.ID)
	if len(list) != 1 || list[0].Status != model.Present || !list[0].SignedAt.Equal(firstMorning.Add(4*time.Minute)) ||
		list[0].SignedBy != learner.AccountID || list[0].SignedIP != "192.0.2.10" || list[0].EnrolmentID != learner.Enrolment.ID {
		t.Fatalf("records = %+v", list)
	}
	// Twice: refused, saying when.
	w.clk.Advance(time.Minute)
	if err := sign(learner.AccountID, morning.ID, ""); refusal(err) != "already_signed" || !strings.Contains(err.(*attendance.Refusal).Message, "9 h 04") {
		t.Errorf("a second signature = %v", err)
	}
	// From the calendar page, in the margin before the start.
	w.clk.Set(firstMorning.Add(-10 * time.Minute))
	if err := sign(w.tr.Learners[1].AccountID, morning.ID, ""); err != nil {
		t.Errorf("signing ten minutes early: %v", err)
	}
	c, d, h, ok, err := attendance.Signable(w.ctx, w.app.Store, attendance.DefaultMargin, w.tr.Learners[2].AccountID)
	if err != nil || !ok || h.ID != morning.ID || d.Date != "2027-02-04" || c.Cohort.ID != w.tr.Cohort.ID {
		t.Errorf("Signable = %v %v %v", h.ID, ok, err)
	}
	if _, _, _, ok, _ := attendance.Signable(w.ctx, w.app.Store, attendance.DefaultMargin, learner.AccountID); ok {
		t.Error("a learner who signed is offered to sign again")
	}
	if n := records(); n != 2 {
		t.Errorf("%d records, want 2", n)
	}
}

func TestCountersignLocksTheHalfDayAndCorrectionsAreAudited(t *testing.T) {
	w := newWorld(t)
	morning := w.halfDay(t, 0)
	l := w.tr.Learners
	w.clk.Set(firstMorning.Add(2 * time.Minute))
	if err := attendance.Sign(w.ctx, w.app.Store, attendance.DefaultMargin, attendance.Signature{HalfDayID: morning.ID, AccountID: l[0].AccountID, IP: "192.0.2.1"}); err != nil {
		t.Fatal(err)
	}
	trainer := w.app.Trainer()
	sh := w.sheet(t, morning.ID)
	if errs, err := attendance.Mark(w.ctx, w.app.Store, trainer, sh, attendance.MarkInput{EnrolmentID: l[1].Enrolment.ID, Status: "late", LateMinutes: "12"}); err != nil || errs.Any() {
		t.Fatal(errs, err)
	}
	// Bad marks: a message next to the field, nothing written.
	for _, in := range []attendance.MarkInput{
		{EnrolmentID: l[2].Enrolment.ID, Status: "late", LateMinutes: "0"},
		{EnrolmentID: l[2].Enrolment.ID, Status: "late", LateMinutes: "500"},
		{EnrolmentID: l[2].Enrolment.ID, Status: "absent_justified"},
		{EnrolmentID: l[2].Enrolment.ID, Status: "absent_justified", Reason: "malade", File: &apply.Upload{Name: "x.exe", Data: []byte("MZ\x90\x00")}},
		{EnrolmentID: l[2].Enrolment.ID, Status: "here"},
		{EnrolmentID: w.tr.Outsider.Enrolment.ID, Status: "present"},
	} {
		if errs, err := attendance.Mark(w.ctx, w.app.Store, trainer, w.sheet(t, morning.ID), in); err != nil || !errs.Any() {
			t.Errorf("Mark(%+v) = %v, %v; want a message", in, errs, err)
		}
	}
	// The learner who signed keeps the signature when the trainer marks them late.
	if errs, err := attendance.Mark(w.ctx, w.app.Store, trainer, w.sheet(t, morning.ID), attendance.MarkInput{EnrolmentID: l[0].Enrolment.ID, Status: "late", LateMinutes: "5"}); err != nil || errs.Any() {
		t.Fatal(errs, err)
	}
	w.clk.Set(firstMorning.Add(3*time.Hour + 40*time.Minute))
	absent, err := attendance.Countersign(w.ctx, w.app.Store, trainer, w.app.Mailing(), w.sheet(t, morning.ID))
	if err != nil || absent != 1 {
		t.Fatalf("Countersign = %d, %v; want the unmarked learner absent", absent, err)
	}
	sh = w.sheet(t, morning.ID)
	counts, signed := sh.Counts()
	if !sh.HalfDay.Countersigned() || counts[model.Late] != 2 || counts[model.AbsentUnjustified] != 1 || signed != 1 {
		t.Fatalf("after countersigning: %v, %d signed", counts, signed)
	}
	// Locked: no learner signature, no trainer mark, no second countersignature.
	w.clk.Set(firstMorning.Add(3 * time.Hour))
	if err := attendance.Sign(w.ctx, w.app.Store, attendance.DefaultMargin, attendance.Signature{HalfDayID: morning.ID, AccountID: l[2].AccountID}); refusal(err) != "locked" {
		t.Errorf("a signature after countersigning = %v", err)
	}
	if _, err := attendance.Mark(w.ctx, w.app.Store, trainer, sh, attendance.MarkInput{EnrolmentID: l[2].Enrolment.ID, Status: "present"}); !errors.Is(err, attendance.ErrLocked) {
		t.Errorf("a mark after countersigning = %v", err)
	}
	if _, err := attendance.Countersign(w.ctx, w.app.Store, trainer, w.app.Mailing(), sh); !errors.Is(err, attendance.ErrLocked) {
		t.Errorf("a second countersignature = %v", err)
	}
	// The manager corrects with a reason (and a justification file); the audit keeps both marks.
	in := attendance.MarkInput{EnrolmentID: l[2].Enrolment.ID, Status: "absent_justified", Reason: "arrêt maladie",
		File: &apply.Upload{Name: "arret.pdf", Data: []byte("%PDF-1.4\n%âãÏÓ\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n")}}
	if errs, err := attendance.Correct(w.ctx, w.app.Store, w.app.Manager(), w.app.Mailing(), sh, in, ""); err != nil || errs.For("why-"+l[2].Enrolment.ID) == "" {
		t.Fatalf("a correction without reason = %v, %v", errs, err)
	}
	if errs, err := attendance.Correct(w.ctx, w.app.Store, w.app.Manager(), w.app.Mailing(), sh, in, "Arrêt reçu le lendemain"); err != nil || errs.Any() {
		t.Fatal(errs, err)
	}
	line, _ := w.sheet(t, morning.ID).Line(l[2].Enrolment.ID)
	if line.Record.Status != model.AbsentJustified || line.Record.Reason != "arrêt maladie" || line.Record.FileID == "" {
		t.Errorf("corrected record = %+v", line.Record)
	}
	trail, err := w.app.Store.AuditTrail(w.ctx, "half_day", morning.ID, 10)
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, e := range trail {
		if e.Action == "attendance.correct" && e.Details["before"] == "absent_unjustified" && e.Details["after"] == "absent_justified" &&
			e.Details["reason"] == "Arrêt reçu le lendemain" && e.AccountID == w.app.Fixture.Accounts[model.RoleManager].ID {
			found = true
		}
	}
	if !found {
		t.Errorf("no audited correction in %+v", trail)
	}
	// Before countersigning, corrections are marks.
	if _, err := attendance.Correct(w.ctx, w.app.Store, w.app.Manager(), w.app.Mailing(), w.sheet(t, w.halfDay(t, 1).ID), in, "raison valable"); !errors.Is(err, attendance.ErrNotLocked) {
		t.Errorf("a correction of an open half-day = %v", err)
	}
	// A half-day not started cannot be countersigned.
	if _, err := attendance.Countersign(w.ctx, w.app.Store, trainer, w.app.Mailing(), w.sheet(t, w.halfDay(t, 3).ID)); !errors.Is(err, attendance.ErrNotStarted) {
		t.Errorf("countersigning tomorrow's afternoon = %v", err)
	}
	// A day with attendance keeps its date.
	c := w.cohort(t)
	edit := c.InputOf(c.Days[0])
	edit.Date = "2027-02-11"
	if _, _, err := schedule.SaveDay(w.ctx, w.app.Store, w.app.Manager(), w.app.Mailing(), c, c.Days[0].ID, edit); !errors.Is(err, schedule.ErrLocked) {
		t.Errorf("moving a day with attendance = %v", err)
	}
	if err := schedule.DeleteDay(w.ctx, w.app.Store, w.app.Manager(), w.app.Mailing(), c, c.Days[0].ID); !errors.Is(err, schedule.ErrLocked) {
		t.Errorf("deleting a day with attendance = %v", err)
	}
}

func TestRatesAndOneAlertUnderTheThreshold(t *testing.T) {
	w := newWorld(t)
	l := w.tr.Learners
	trainer := w.app.Trainer()
	c := w.cohort(t)
	for _, date := range []string{"2027-02-08", "2027-02-09"} { // four days: eight half-days
		in := c.NewDayInput()
		in.Date = date
		if _, errs, err := schedule.SaveDay(w.ctx, w.app.Store, w.app.Manager(), w.app.Mailing(), c, "", in); err != nil || errs.Any() {
			t.Fatal(errs, err)
		}
		c = w.cohort(t)
	}
	seen := len(w.app.DeliverMail())
	alerts := func() []string {
		var names []string
		for _, m := range w.app.DeliverMail()[seen:] {
			if m.To != w.app.Fixture.Accounts[model.RoleManager].Email || !strings.Contains(m.Subject, "Assiduité sous le seuil") {
				t.Errorf("unexpected message to %s: %s", m.To, m.Subject)
			}
			for _, learner := range l {
				if strings.Contains(m.Text, learner.Name) {
					names = append(names, learner.Name)
				}
			}
			seen++
		}
		return names
	}
	// Learner 0 always there; learner 1 late once (counts as present), absent twice; learner
	// 2 absent from the first two.
	marks := [][3]string{
		{"present", "late", "absent_unjustified"},
		{"present", "present", "absent_unjustified"},
		{"present", "present", "present"},
		{"present", "absent_justified", "present"},
		{"present", "present", "present"},
		{"present", "present", "present"},
		{"present", "absent_unjustified", "present"},
		{"present", "present", "present"},
	}
	want := map[int][]string{ // alerts after the i-th half-day
		5: {l[2].Name}, // six held: 4 of 6 is 66,7 %, under 80 %; not before, however low
		6: {l[1].Name}, // 5 of 7
	}
	for i, row := range marks {
		h := w.halfDay(t, i)
		w.clk.Set(h.StartsAt.Add(time.Hour))
		for j, status := range row {
			in := attendance.MarkInput{EnrolmentID: l[j].Enrolment.ID, Status: status, LateMinutes: "20", Reason: "rendez-vous médical"}
			if errs, err := attendance.Mark(w.ctx, w.app.Store, trainer, w.sheet(t, h.ID), in); err != nil || errs.Any() {
				t.Fatal(errs, err)
			}
		}
		if _, err := attendance.Countersign(w.ctx, w.app.Store, trainer, w.app.Mailing(), w.sheet(t, h.ID)); err != nil {
			t.Fatal(err)
		}
		if got := alerts(); strings.Join(got, ",") != strings.Join(want[i], ",") {
			t.Errorf("alerts after half-day %d: %v, want %v", i+1, got, want[i])
		}
	}
	r, err := attendance.LoadReport(w.ctx, w.app.Store, w.cohort(t))
	if err != nil {
		t.Fatal(err)
	}
	rates := map[string]string{l[0].Name: "100\u00a0%", l[1].Name: "75\u00a0%", l[2].Name: "75\u00a0%"}
	for _, lr := range r.Learners {
		if lr.Rate.String() != rates[lr.Learner.Name()] || lr.Held != 8 {
			t.Errorf("%s: %s over %d", lr.Learner.Name(), lr.Rate, lr.Held)
		}
	}
	if under := r.Under(); len(under) != 2 {
		t.Errorf("under the threshold: %+v", under)
	}
	if r.Total.Attended != 20 || r.Total.Held != 24 || len(r.Modules) != 2 || r.Total.MinutesHeld != 24*210 {
		t.Errorf("cohort %+v, modules %+v", r.Total, r.Modules)
	}
	if _, err := attendance.LoadSheet(w.ctx, w.app.Store, "nope"); !errors.Is(err, storage.ErrNotFound) {
		t.Errorf("an unknown half-day = %v", err)
	}
}

// pdfText extracts a PDF's text with pdftotext (poppler-utils).
func pdfText(t *testing.T, pdf []byte) string {
	t.Helper()
	if _, err := exec.LookPath("pdftotext"); err != nil {
		testkit.Missing(t, "pdftotext", "apt-get install poppler-utils")
	}
	cmd := exec.Command("pdftotext", "-layout", "-enc", "UTF-8", "-", "-")
	cmd.Stdin = bytes.NewReader(pdf)
	out, err := cmd.Output()
	if err != nil {
		t.Fatal(err)
	}
	return strings.Join(strings.Fields(string(out)), " ")
}

func TestDocumentsFromTheRecords(t *testing.T) {
	w := newWorld(t)
	l := w.tr.Learners
	morning := w.halfDay(t, 0)
	w.clk.Set(firstMorning.Add(4 * time.Minute))
	if err := attendance.Sign(w.ctx, w.app.Store, attendance.DefaultMargin, attendance.Signature{HalfDayID: morning.ID, AccountID: l[0].AccountID}); err != nil {
		t.Fatal(err)
	}
	if errs, err := attendance.Mark(w.ctx, w.app.Store, w.app.Trainer(), w.sheet(t, morning.ID),
		attendance.MarkInput{EnrolmentID: l[1].Enrolment.ID, Status: "absent_justified", Reason: "arrêt maladie"}); err != nil || errs.Any() {
		t.Fatal(errs, err)
	}
	w.clk.Set(firstMorning.Add(3*time.Hour + 41*time.Minute))
	if _, err := attendance.Countersign(w.ctx, w.app.Store, w.app.Trainer(), w.app.Mailing(), w.sheet(t, morning.ID)); err != nil {
		t.Fatal(err)
	}
	c := w.cohort(t)
	stamp := attendance.Stamp(c, "Parcours — URPS ML PACA", w.clk.Now())
	sheet, err := w.sheet(t, morning.ID).Document(stamp)
	if err != nil {
		t.Fatal(err)
	}
	text := pdfText(t, sheet)
	for _, want := range []string{"Feuille d’émargement", "Accompagnement des membres de la gouvernance des CPTS",
		"Promotion 2027 — Provence-Alpes-Côte d’Azur", "jeudi 4 février 2027", "matin, 9 h 00 – 12 h 30", "Pilotage de l’organisation",
		"Maison régionale de la santé, 13001 Marseille", "Compte trainer", "Éléonore Lœuillet-Çelik", "Signé le 4 février 2027 à 9 h 04",
		"Gaëlle Rousseau", "Absent justifié : arrêt maladie", "Mathieu Ndiaye", "Absent non justifié",
		"Contresigné par Compte trainer le 4 février 2027 à 12 h 41"} {
		if !strings.Contains(text, want) {
			t.Errorf("the sheet lacks %q:\n%s", want, text)
		}
	}
	again, _ := w.sheet(t, morning.ID).Document(stamp)
	if !bytes.Equal(sheet, again) {
		t.Error("the same records gave two different sheets")
	}
	r, err := attendance.LoadReport(w.ctx, w.app.Store, c)
	if err != nil {
		t.Fatal(err)
	}
	summary, err := r.LearnerDocument(l[0].Enrolment.ID, stamp)
	if err != nil {
		t.Fatal(err)
	}
	text = pdfText(t, summary)
	for _, want := range []string{"Relevé d’assiduité", "Éléonore Lœuillet-Çelik", "jeudi 4 février 2027", "1 sur 1", "3,5 h sur 3,5 h", "100 %"} {
		if !strings.Contains(text, want) {
			t.Errorf("the summary lacks %q:\n%s", want, text)
		}
	}
	cert, err := r.Certificate(l[0].Enrolment.ID, stamp)
	if err != nil {
		t.Fatal(err)
	}
	text = pdfText(t, cert)
	for _, want := range []string{"CERTIFICAT DE RÉALISATION", "École des hautes études en santé publique", "Éléonore Lœuillet-Çelik",
		"Claire Morvan", "du 4 février 2027 au 5 février 2027", "3,5 h sur une durée prévue de 14 h", "Fait à Rennes, le 4 février 2027"} {
		if !strings.Contains(text, want) {
			t.Errorf("the certificate lacks %q:\n%s", want, text)
		}
	}
	if grid, err := r.Grid(stamp); err != nil || len(grid) == 0 {
		t.Errorf("grid: %d bytes, %v", len(grid), err)
	}
}
