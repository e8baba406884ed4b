package server_test

import (
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"parcours/internal/apptest"
	"parcours/internal/attendance"
	"parcours/internal/auth"
	"parcours/internal/clock"
	"parcours/internal/i18n"
	"parcours/internal/model"
	"parcours/internal/schedule"
	"parcours/internal/storage"
)

// The JSON API of cohort calendars and attendance, with the pages' policy: through the real
// server on a real database, every response checked against openapi.json (see call).

// trainingMorning is the first half-day of trainingAPI's calendar: 09:00 in Marseille.
var trainingMorning = time.Date(2027, 2, 4, 8, 0, 0, 0, time.UTC)

// trainingAPI is apptest's training cohort with two days laid out — 4 February 2027,
// 09:00–12:30 and 13:30–17:00, first module, the fixture's trainer; 5 February, a remote
// morning without a module — a clock the day before, and a token for each caller.
type trainingAPI struct {
	app  *apptest.App
	tr   *apptest.Training
	clk  *clock.Manual
	days []model.CohortDay

	admin, manager, trainer    string
	learners                   []string // the cohort's three learners
	outsider                   string   // the learner of the other cohort
	otherManager, otherTrainer string   // of another organisation, of the other cohort
	partner, viewer, candidate string   // fixture roles with no part in the cohort
	trainerID, trainerName     string
	enrolments                 []string // the learners' enrolment ids
}

func newTrainingAPI(t *testing.T) *trainingAPI {
	t.Helper()
	app := apptest.New(t)
	w := &trainingAPI{app: app, tr: app.NewTraining(), clk: clock.NewManual(trainingMorning.Add(-24 * time.Hour))}
	app.Store.Clock = w.clk
	f := app.Fixture
	w.trainerID, w.trainerName = f.Accounts[model.RoleTrainer].ID, "Compte trainer"
	days := []func(in *schedule.DayInput){
		func(in *schedule.DayInput) {
			in.Date, in.ModuleID, in.Trainers = "2027-02-04", w.tr.Modules[0].ID, []string{w.trainerID}
		},
		func(in *schedule.DayInput) {
			in.Date, in.Place, in.VideoURL, in.Notes = "2027-02-05", "", "https://visio.example.fr/amg", "Classe virtuelle"
			in.AfternoonStart, in.AfternoonEnd = "", ""
		},
	}
	for _, edit := range days {
		c := w.cohort(t, w.tr.Cohort.ID)
		in := c.NewDayInput()
		edit(&in)
		if _, errs, err := schedule.SaveDay(ctx, app.Store, app.Manager(), app.Mailing(), c, "", in); err != nil || errs.Any() {
			t.Fatal(errs, err)
		}
	}
	w.days = w.cohort(t, w.tr.Cohort.ID).Days

	tokens := tokensFor(app)
	w.admin, w.manager, w.trainer = tokens[model.RoleAdmin], tokens[model.RoleManager], tokens[model.RoleTrainer]
	w.partner, w.viewer, w.candidate = tokens[model.RolePartner], tokens[model.RoleRegionalViewer], tokens[model.RoleCandidate]
	for _, l := range w.tr.Learners {
		w.learners = append(w.learners, accountToken(t, app, l.AccountID))
		w.enrolments = append(w.enrolments, l.Enrolment.ID)
	}
	w.outsider = accountToken(t, app, w.tr.Outsider.AccountID)
	w.otherManager = otherManager(t, app)
	other := model.Account{Email: "formatrice.nantes@example.fr", DisplayName: "Formatrice Nantes", PasswordHash: "-"}
	if err := app.Store.CreateAccount(ctx, &other); err != nil {
		t.Fatal(err)
	}
	w.otherTrainer = apiTokenFor(t, app, other.ID, model.RoleTrainer, w.tr.Other.ID)
	return w
}

func (w *trainingAPI) cohort(t *testing.T, id string) *schedule.Cohort {
	t.Helper()
	c, err := schedule.Load(ctx, w.app.Store, id)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// records is what the database holds for a half-day.
func (w *trainingAPI) records(t *testing.T, halfDayID string) []model.Attendance {
	t.Helper()
	list, err := w.app.Store.AttendanceOfHalfDay(ctx, halfDayID)
	if err != nil {
		t.Fatal(err)
	}
	return list
}

// accountToken makes an API token for an account as it is.
func accountToken(t *testing.T, app *apptest.App, accountID string) string {
	t.Helper()
	token, hash := auth.NewToken()
	if err := app.Store.CreateAPIToken(ctx, &storage.APIToken{AccountID: accountID, Name: "test", TokenHash: hash}); err != nil {
		t.Fatal(err)
	}
	return token
}

// The calendar and attendance shapes, as far as these tests read them.
type (
	halfDayOut struct {
		ID              string  `json:"id"`
		Part            string  `json:"part"`
		StartsAt        string  `json:"starts_at"`
		LocalStart      string  `json:"local_start"`
		LocalEnd        string  `json:"local_end"`
		CountersignedAt *string `json:"countersigned_at"`
	}
	dayOut struct {
		ID, Date    string
		Module      *struct{ ID, Title string }
		Place       string
		VideoURL    *string `json:"video_url"`
		Notes       string
		Trainers    []struct{ ID, Name string }
		HalfDays    []halfDayOut `json:"half_days"`
		CohortID    string       `json:"cohort_id"`
		CohortLabel string       `json:"cohort_label"`
		TimeZone    string       `json:"time_zone"`
		Role        string
	}
	recordOut struct {
		EnrolmentID string  `json:"enrolment_id"`
		Status      *string `json:"status"`
		LateMinutes int     `json:"late_minutes"`
		Reason      *string `json:"reason"`
		SignedAt    *string `json:"signed_at"`
		MarkedAt    *string `json:"marked_at"`
	}
	sheetOut struct {
		halfDayOut
		CountersignedBy *string `json:"countersigned_by"`
		Lines           []recordOut
	}
	learnerRateOut struct {
		EnrolmentID    string `json:"enrolment_id"`
		Attended, Held int
		RatePercent    float64 `json:"rate_percent"`
		UnderThreshold bool    `json:"under_threshold"`
	}
	reportOut struct {
		Threshold int
		Learners  []learnerRateOut
		Records   []recordOut
	}
)

// lineOf is a learner's line among lines (learners come in name order).
func lineOf(t *testing.T, lines []recordOut, enrolmentID string) recordOut {
	t.Helper()
	i := slices.IndexFunc(lines, func(l recordOut) bool { return l.EnrolmentID == enrolmentID })
	if i < 0 {
		t.Fatalf("no line for %s in %+v", enrolmentID, lines)
	}
	return lines[i]
}

func status(s *string) string {
	if s == nil {
		return "null"
	}
	return *s
}

// wantConflict checks a 409 says why in data.half_day, with the message as its sentence.
func wantConflict(t *testing.T, res *apptest.Response, code, message string) {
	t.Helper()
	e := decodeBody[apiError](t, res)
	if got := e.Data["half_day"]; got.Code != code || e.Message != message || got.Message != message {
		t.Errorf("%s %s: want %s %q\n%s", res.Request.Method, res.Request.URL.Path, code, message, res.Body)
	}
}

// A cohort's days: for its managers, its trainers and its learners; nobody else finds it.
func TestAPICohortDays(t *testing.T) {
	w := newTrainingAPI(t)
	path := "/api/v1/cohorts/" + w.tr.Cohort.ID + "/days"
	for name, token := range map[string]string{"admin": w.admin, "manager": w.manager, "trainer": w.trainer, "learner": w.learners[0]} {
		res := call(t, w.app, "GET", path, token, "", http.StatusOK)
		got := decodeBody[struct {
			CohortID string `json:"cohort_id"`
			TimeZone string `json:"time_zone"`
			Items    []dayOut
			Total    int
		}](t, res)
		if got.CohortID != w.tr.Cohort.ID || got.TimeZone != "Europe/Paris" || got.Total != 2 || len(got.Items) != 2 {
			t.Fatalf("%s: %s", name, res.Body)
		}
		first, second := got.Items[0], got.Items[1]
		if first.Date != "2027-02-04" || first.Module == nil || first.Module.Title != w.tr.Modules[0].Title ||
			len(first.Trainers) != 1 || first.Trainers[0].ID != w.trainerID || first.Trainers[0].Name != w.trainerName ||
			first.VideoURL != nil || !strings.Contains(first.Place, "Marseille") || len(first.HalfDays) != 2 {
			t.Errorf("%s: first day: %+v", name, first)
		} else if am, pm := first.HalfDays[0], first.HalfDays[1]; am.Part != "am" || am.StartsAt != "2027-02-04T08:00:00Z" ||
			am.LocalStart != "09:00" || am.LocalEnd != "12:30" || am.CountersignedAt != nil || pm.Part != "pm" ||
			pm.LocalStart != "13:30" || pm.LocalEnd != "17:00" {
			t.Errorf("%s: first day's half-days: %+v", name, first.HalfDays)
		}
		if second.Date != "2027-02-05" || second.Module != nil || second.VideoURL == nil || second.Place != "" ||
			second.Notes != "Classe virtuelle" || len(second.HalfDays) != 1 || len(second.Trainers) != 0 {
			t.Errorf("%s: second day: %+v", name, second)
		}
	}
	res := call(t, w.app, "GET", path+"?limit=1&offset=1", w.manager, "", http.StatusOK)
	if got := decodeBody[page[dayOut]](t, res); got.Total != 2 || len(got.Items) != 1 || got.Items[0].Date != "2027-02-05" {
		t.Errorf("second page: %s", res.Body)
	}
	res = call(t, w.app, "GET", path+"?limit=500", w.manager, "", http.StatusBadRequest)
	wantField(t, res, "limit", "invalid")

	// Another organisation's manager, another cohort's trainer and learner, the other roles,
	// a learner who left: the cohort does not exist for them.
	if err := w.app.Store.LeaveCohort(ctx, w.tr.Learners[2].Enrolment.ApplicationID); err != nil {
		t.Fatal(err)
	}
	for _, token := range []string{w.otherManager, w.otherTrainer, w.outsider, w.learners[2], w.partner, w.viewer, w.candidate} {
		call(t, w.app, "GET", path, token, "", http.StatusNotFound)
	}
	call(t, w.app, "GET", "/api/v1/cohorts/inconnue/days", w.admin, "", http.StatusNotFound)
	call(t, w.app, "GET", path, "", "", http.StatusUnauthorized)
}

// The caller's days: as a learner still enrolled, as a trainer still of the cohort.
func TestAPIMyDays(t *testing.T) {
	w := newTrainingAPI(t)
	cases := []struct {
		name, token, role string
		days              int
	}{
		{"learner", w.learners[0], "learner", 2},
		{"trainer", w.trainer, "trainer", 1}, // the remote morning has no trainer
		{"learner of another cohort without days", w.outsider, "", 0},
		{"manager", w.manager, "", 0},
	}
	for _, tc := range cases {
		res := call(t, w.app, "GET", "/api/v1/me/days", tc.token, "", http.StatusOK)
		got := decodeBody[page[dayOut]](t, res)
		if got.Total != tc.days || len(got.Items) != tc.days {
			t.Errorf("%s: %s", tc.name, res.Body)
			continue
		}
		for _, d := range got.Items {
			if d.Role != tc.role || d.CohortID != w.tr.Cohort.ID || d.CohortLabel != w.tr.Cohort.Label || d.TimeZone != "Europe/Paris" {
				t.Errorf("%s: %+v", tc.name, d)
			}
		}
	}
	res := call(t, w.app, "GET", "/api/v1/me/days?limit=1&offset=1", w.learners[0], "", http.StatusOK)
	if got := decodeBody[page[dayOut]](t, res); got.Total != 2 || len(got.Items) != 1 || got.Items[0].Date != "2027-02-05" {
		t.Errorf("second page: %s", res.Body)
	}

	// A trainer who is no longer one of the cohort, a learner who left: their days are gone.
	if err := w.app.Store.Revoke(ctx, w.trainerID, model.RoleTrainer, w.tr.Cohort.ID); err != nil {
		t.Fatal(err)
	}
	if err := w.app.Store.LeaveCohort(ctx, w.tr.Learners[0].Enrolment.ApplicationID); err != nil {
		t.Fatal(err)
	}
	for _, token := range []string{w.trainer, w.learners[0]} {
		res := call(t, w.app, "GET", "/api/v1/me/days", token, "", http.StatusOK)
		if got := decodeBody[page[dayOut]](t, res); got.Total != 0 {
			t.Errorf("days of someone no longer in the cohort: %s", res.Body)
		}
	}
	call(t, w.app, "GET", "/api/v1/me/days", "", "", http.StatusUnauthorized)
}

// The trainer marks and countersigns; then only the manager corrects, with a reason, audited;
// the report gives the rates; nobody outside the cohort reaches any of it.
func TestAPIAttendanceSheet(t *testing.T) {
	w := newTrainingAPI(t)
	morning := w.days[0].HalfDays[0]
	sheet := "/api/v1/half-days/" + morning.ID + "/attendance"
	mark := func(i int) string { return sheet + "/" + w.enrolments[i] }
	countersign := "/api/v1/half-days/" + morning.ID + "/countersignature"
	report := "/api/v1/cohorts/" + w.tr.Cohort.ID + "/attendance"

	for _, token := range []string{w.trainer, w.manager, w.admin} {
		res := call(t, w.app, "GET", sheet, token, "", http.StatusOK)
		got := decodeBody[sheetOut](t, res)
		if got.ID != morning.ID || got.LocalStart != "09:00" || got.CountersignedAt != nil || len(got.Lines) != 3 ||
			lineOf(t, got.Lines, w.enrolments[0]).Status != nil {
			t.Errorf("sheet: %s", res.Body)
		}
	}
	// Outside the cohort: 404; learners and other roles may not take attendance at all.
	for _, token := range []string{w.otherManager, w.otherTrainer} {
		call(t, w.app, "GET", sheet, token, "", http.StatusNotFound)
		call(t, w.app, "PUT", mark(0), token, `{"status": "present"}`, http.StatusNotFound)
		call(t, w.app, "POST", countersign, token, "", http.StatusNotFound)
		call(t, w.app, "GET", report, token, "", http.StatusNotFound)
	}
	for _, token := range []string{w.learners[0], w.outsider, w.partner} {
		call(t, w.app, "GET", sheet, token, "", http.StatusForbidden)
		call(t, w.app, "PUT", mark(0), token, `{"status": "present"}`, http.StatusForbidden)
	}
	call(t, w.app, "GET", "/api/v1/half-days/inconnue/attendance", w.trainer, "", http.StatusNotFound)
	call(t, w.app, "PUT", sheet+"/"+w.tr.Outsider.Enrolment.ID, w.trainer, `{"status": "present"}`, http.StatusNotFound)

	// Bad input: the API's field names, nothing written.
	bad := []struct{ body, field, code string }{
		{`{"status": "late", "late_minutes": 0}`, "late_minutes", "invalid"},
		{`{"status": "late", "late_minutes": 211}`, "late_minutes", "invalid"}, // the morning lasts 210 minutes
		{`{"status": "absent_justified", "reason": "  "}`, "reason", "required"},
		{`{"status": "peut-être"}`, "status", "required"},
		{`{}`, "status", "required"},
	}
	for _, tc := range bad {
		res := call(t, w.app, "PUT", mark(0), w.trainer, tc.body, http.StatusUnprocessableEntity)
		wantField(t, res, tc.field, tc.code)
	}
	call(t, w.app, "PUT", mark(0), w.trainer, `{"status": "present", "note": "?"}`, http.StatusBadRequest)
	call(t, w.app, "PUT", mark(0), w.trainer, `{"status": "late", "late_minutes": "20"}`, http.StatusBadRequest)
	if got := w.records(t, morning.ID); len(got) != 0 {
		t.Fatalf("refused marks wrote %+v", got)
	}

	// Marks before the countersignature.
	res := call(t, w.app, "PUT", mark(0), w.trainer, `{"status": "present"}`, http.StatusOK)
	if got := decodeBody[recordOut](t, res); status(got.Status) != "present" || got.MarkedAt == nil || got.SignedAt != nil {
		t.Errorf("present: %s", res.Body)
	}
	res = call(t, w.app, "PUT", mark(1), w.manager, `{"status": "late", "late_minutes": 20}`, http.StatusOK)
	if got := decodeBody[recordOut](t, res); status(got.Status) != "late" || got.LateMinutes != 20 {
		t.Errorf("late: %s", res.Body)
	}

	// Countersigned once started: the learner not marked is absent, and the sheet is locked.
	loc, _ := time.LoadLocation("Europe/Paris")
	res = call(t, w.app, "POST", countersign, w.trainer, "", http.StatusConflict)
	wantConflict(t, res, "not_started", i18n.T("api.attendance.not_started", i18n.DateTime(morning.StartsAt, loc)))
	w.clk.Set(trainingMorning.Add(4 * time.Hour))
	res = call(t, w.app, "POST", countersign, w.trainer, "", http.StatusOK)
	got := decodeBody[sheetOut](t, res)
	if got.CountersignedAt == nil || status(got.CountersignedBy) != w.trainerID || len(got.Lines) != 3 ||
		status(lineOf(t, got.Lines, w.enrolments[2]).Status) != "absent_unjustified" {
		t.Errorf("countersigned: %s", res.Body)
	}
	res = call(t, w.app, "POST", countersign, w.manager, "", http.StatusConflict)
	wantConflict(t, res, "locked", i18n.T("api.attendance.countersigned"))
	// One half-day held is fewer than attendance.MinHeld: the absent learner is not flagged,
	// and the managers are not told yet (the alert is tested in internal/attendance).
	alerted := false
	msgs, err := w.app.Store.OutboxMessages(ctx, 100)
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range msgs {
		alerted = alerted || m.To == w.app.Fixture.Accounts[model.RoleManager].Email &&
			strings.Contains(m.TextBody, w.app.Config.BaseURL.String()+"/promotions/"+w.tr.Cohort.ID+"/assiduite")
	}
	if alerted {
		t.Error("an attendance alert after a single half-day")
	}

	// The trainer may no longer change it; the manager corrects, with a reason.
	res = call(t, w.app, "PUT", mark(2), w.trainer, `{"status": "present"}`, http.StatusConflict)
	wantConflict(t, res, "locked", i18n.T("api.attendance.locked"))
	res = call(t, w.app, "PUT", mark(2), w.manager, `{"status": "absent_justified", "reason": "Arrêt maladie"}`, http.StatusUnprocessableEntity)
	wantField(t, res, "correction_reason", "required")
	res = call(t, w.app, "GET", sheet, w.trainer, "", http.StatusOK)
	if got := lineOf(t, decodeBody[sheetOut](t, res).Lines, w.enrolments[2]); status(got.Status) != "absent_unjustified" {
		t.Errorf("a refused change wrote: %+v", got)
	}
	res = call(t, w.app, "PUT", mark(2), w.manager,
		`{"status": "absent_justified", "reason": "Arrêt maladie", "correction_reason": "Arrêt reçu le lendemain"}`, http.StatusOK)
	if got := decodeBody[recordOut](t, res); status(got.Status) != "absent_justified" || status(got.Reason) != "Arrêt maladie" {
		t.Errorf("correction: %s", res.Body)
	}
	trail, err := w.app.Store.AuditTrail(ctx, "half_day", morning.ID, 0)
	if err != nil {
		t.Fatal(err)
	}
	i := slices.IndexFunc(trail, func(e storage.AuditEntry) bool { return e.Action == "attendance.correct" })
	if i < 0 {
		t.Fatalf("no audited correction in %+v", trail)
	}
	if e := trail[i]; e.AccountID != w.app.Fixture.Accounts[model.RoleManager].ID || e.Details["via"] != "api" ||
		e.Details["reason"] != "Arrêt reçu le lendemain" || e.Details["before"] != "absent_unjustified" || e.Details["after"] != "absent_justified" {
		t.Errorf("audit entry: %+v", e)
	}

	// The report: rates over the half-day held, the absent learner under the threshold.
	res = call(t, w.app, "GET", report, w.trainer, "", http.StatusOK)
	r := decodeBody[reportOut](t, res)
	if r.Threshold != model.DefaultAttendanceThreshold || len(r.Learners) != 3 || len(r.Records) != 3 {
		t.Fatalf("report: %s", res.Body)
	}
	for i, want := range []struct {
		attended int
		rate     float64
		under    bool
	}{{1, 100, false}, {1, 100, false}, {0, 0, false}} {
		j := slices.IndexFunc(r.Learners, func(l learnerRateOut) bool { return l.EnrolmentID == w.enrolments[i] })
		if j < 0 {
			t.Fatalf("learner %d not in the report: %s", i, res.Body)
		}
		if l := r.Learners[j]; l.Attended != want.attended || l.Held != 1 || l.RatePercent != want.rate || l.UnderThreshold != want.under {
			t.Errorf("learner %d: %+v", i, l)
		}
	}
	if rec := lineOf(t, r.Records, w.enrolments[1]); status(rec.Status) != "late" || rec.LateMinutes != 20 {
		t.Errorf("record: %+v", rec)
	}
}

// A learner signs their own half-day within its window, once; every refusal is a 409 with
// the learner's sentence and its code, and records nothing.
func TestAPISignature(t *testing.T) {
	w := newTrainingAPI(t)
	morning := w.days[0].HalfDays[0]
	sign := "/api/v1/half-days/" + morning.ID + "/signature"
	loc, _ := time.LoadLocation("Europe/Paris")

	w.clk.Set(trainingMorning.Add(-2 * time.Hour))
	res := call(t, w.app, "POST", sign, w.learners[0], "", http.StatusConflict)
	opens := morning.StartsAt.Add(-w.app.Config.SigningMargin)
	wantConflict(t, res, "too_early", i18n.T("attendance.refused.too_early", i18n.DateTime(opens, loc)))
	if got := w.records(t, morning.ID); len(got) != 0 {
		t.Fatalf("a refused signature wrote %+v", got)
	}

	// Within the window: from the calendar (no body), then with the QR code shown.
	w.clk.Set(trainingMorning.Add(10 * time.Minute))
	res = call(t, w.app, "POST", sign, w.learners[0], "", http.StatusOK)
	if got := decodeBody[recordOut](t, res); got.EnrolmentID != w.enrolments[0] || status(got.Status) != "present" ||
		status(got.SignedAt) != "2027-02-04T08:10:00Z" {
		t.Errorf("signature: %s", res.Body)
	}
	res = call(t, w.app, "POST", sign, w.learners[0], "", http.StatusConflict)
	wantConflict(t, res, "already_signed", i18n.T("attendance.refused.already_signed", i18n.Clock(w.clk.Now(), loc)))
	key, err := attendance.Key(ctx, w.app.Store)
	if err != nil {
		t.Fatal(err)
	}
	res = call(t, w.app, "POST", sign, w.learners[1], `{"qr": "1.faux"}`, http.StatusConflict)
	wantConflict(t, res, "qr_invalid", i18n.T("attendance.refused.qr_invalid"))
	call(t, w.app, "POST", sign, w.learners[1], `{"code": "x"}`, http.StatusBadRequest)
	call(t, w.app, "POST", sign, w.learners[1], jsonOf(map[string]string{"qr": attendance.QRToken(key, morning.ID, w.clk.Now())}), http.StatusOK)

	// Not their cohort, or no such half-day: 404; roles that do not attend: 403.
	call(t, w.app, "POST", sign, w.outsider, "", http.StatusNotFound)
	call(t, w.app, "POST", "/api/v1/half-days/inconnue/signature", w.learners[2], "", http.StatusNotFound)
	call(t, w.app, "POST", sign, w.candidate, "", http.StatusNotFound) // a candidate of no cohort
	for _, token := range []string{w.manager, w.trainer, w.admin} {
		call(t, w.app, "POST", sign, token, "", http.StatusForbidden)
	}
	call(t, w.app, "POST", sign, "", "", http.StatusUnauthorized)

	// After the half-day: closed.
	w.clk.Set(trainingMorning.Add(5 * time.Hour))
	res = call(t, w.app, "POST", sign, w.learners[2], "", http.StatusConflict)
	wantConflict(t, res, "closed", i18n.T("attendance.refused.closed", i18n.Clock(morning.EndsAt, loc)))

	got := w.records(t, morning.ID)
	if len(got) != 2 {
		t.Fatalf("records: %+v", got)
	}
	for _, a := range got {
		if !a.Signed() || a.SignedIP != "127.0.0.1" || a.EnrolmentID == w.enrolments[2] {
			t.Errorf("record: %+v", a)
		}
	}
}
