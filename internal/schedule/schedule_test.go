package schedule_test

import (
	"context"
	"errors"
	"regexp"
	"strings"
	"testing"
	"time"

	"parcours/internal/apptest"
	"parcours/internal/calendar"
	"parcours/internal/clock"
	"parcours/internal/model"
	"parcours/internal/schedule"
	"parcours/internal/storage"
	"parcours/internal/testkit"
)

func load(t *testing.T, app *apptest.App, cohortID string) *schedule.Cohort {
	t.Helper()
	c, err := schedule.Load(context.Background(), app.Store, cohortID)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// diploma makes the fixture's programme the PACA diploma: 39 days over 16 months.
func diploma(t *testing.T, app *apptest.App) {
	t.Helper()
	p := app.Fixture.Programme
	p.Days, p.DurationMonths = 39, 16
	if err := app.Store.UpdateProgramme(context.Background(), &p); err != nil {
		t.Fatal(err)
	}
}

func TestGenerateTheDiplomaAndWarnOnWhitMonday(t *testing.T) {
	app := apptest.New(t)
	ctx := context.Background()
	tr := app.NewTraining()
	diploma(t, app)
	c := load(t, app, tr.Cohort.ID)

	in := c.NewGenerateInput()
	in.Start, in.Weekday = "2027-02-04", "4" // the first Thursday of each month
	if in.Months != "16" || in.DaysPerMonth != "2" || !in.SkipHolidays {
		t.Fatalf("the form starts with %+v, want 2 days a month over the programme's 16 months", in)
	}
	n, errs, err := schedule.Generate(ctx, app.Store, app.Manager(), c, in)
	if err != nil || errs.Any() || n != 39 {
		t.Fatalf("Generate = %d, %v, %v", n, errs, err)
	}
	c = load(t, app, tr.Cohort.ID)
	if len(c.Days) != 39 || c.Days[0].Date != "2027-02-04" || c.Days[38].Date != "2028-05-05" {
		t.Fatalf("%d days from %s to %s", len(c.Days), c.Days[0].Date, c.Days[len(c.Days)-1].Date)
	}
	if w := c.Warnings(); len(w) != 0 {
		t.Errorf("a generated calendar skipping holidays has warnings: %v", w)
	}
	// Times are the région's: 09:00 in Marseille is 08:00 UTC in winter, 07:00 in summer.
	first, may := c.Days[0].HalfDays[0], c.Days[9].HalfDays[0]
	if got := first.StartsAt.UTC().Format("15:04"); got != "08:00" || len(c.Days[0].HalfDays) != 2 {
		t.Errorf("4 February starts at %s UTC with %d half-days", got, len(c.Days[0].HalfDays))
	}
	if got := may.StartsAt.UTC().Format("15:04"); got != "07:00" {
		t.Errorf("a May morning starts at %s UTC, want 07:00", got)
	}
	// Modules follow the plan: 28 hours are four days each.
	if c.Days[0].ModuleID != tr.Modules[0].ID || c.Days[3].ModuleID != tr.Modules[0].ID || c.Days[4].ModuleID != tr.Modules[1].ID ||
		c.Days[8].ModuleID != "" {
		t.Errorf("modules by day: %q %q %q %q", c.Days[0].ModuleID, c.Days[3].ModuleID, c.Days[4].ModuleID, c.Days[8].ModuleID)
	}
	totals := c.Totals()
	if len(totals) != 3 || totals[0].ScheduledMinutes != 28*60 || totals[0].PlannedMinutes != 28*60 || totals[2].HalfDays != 62 {
		t.Errorf("totals = %+v", totals)
	}

	if _, _, err := schedule.Generate(ctx, app.Store, app.Manager(), c, in); !errors.Is(err, schedule.ErrNotEmpty) {
		t.Errorf("a second generation = %v, want ErrNotEmpty", err)
	}

	// The manager moves the 11 May 2027 day to Whit Monday: a warning, not a refusal.
	day := c.Days[11]
	edit := c.InputOf(day)
	edit.Date = "2027-05-17"
	if _, errs, err := schedule.SaveDay(ctx, app.Store, app.Manager(), app.Mailing(), c, day.ID, edit); err != nil || errs.Any() {
		t.Fatal(errs, err)
	}
	c = load(t, app, tr.Cohort.ID)
	want := []calendar.Warning{{Date: calendar.NewDate(2027, time.May, 17), Kind: calendar.WarningHoliday, Holiday: "Lundi de Pentecôte"}}
	if got := c.Warnings(); len(got) != 1 || got[0] != want[0] {
		t.Errorf("warnings = %v, want %v", got, want)
	}
	moved, _ := c.Day(day.ID)
	if moved.Sequence != 1 || moved.HalfDays[0].ID != day.HalfDays[0].ID {
		t.Errorf("the moved day has sequence %d and half-day %s (was %s)", moved.Sequence, moved.HalfDays[0].ID, day.HalfDays[0].ID)
	}
}

func TestDayFormRefusesWhatCannotBeRight(t *testing.T) {
	app := apptest.New(t)
	ctx := context.Background()
	tr := app.NewTraining()
	c := load(t, app, tr.Cohort.ID)
	ok := c.NewDayInput()
	ok.Date = "2027-03-04"
	if _, errs, err := schedule.SaveDay(ctx, app.Store, app.Manager(), app.Mailing(), c, "", ok); err != nil || errs.Any() {
		t.Fatal(errs, err)
	}
	c = load(t, app, tr.Cohort.ID)
	tests := []struct {
		name   string
		change func(*schedule.DayInput)
		field  string
	}{
		{"no date", func(in *schedule.DayInput) { in.Date = "" }, "date"},
		{"30 February", func(in *schedule.DayInput) { in.Date = "2027-02-30" }, "date"},
		{"a date taken", func(in *schedule.DayInput) { in.Date = "2027-03-04" }, "date"},
		{"no place nor link", func(in *schedule.DayInput) { in.Place = "" }, "place"},
		{"a link that is not https", func(in *schedule.DayInput) { in.VideoURL = "http://visio.example.fr/amg" }, "video_url"},
		{"a morning ending before it starts", func(in *schedule.DayInput) { in.MorningEnd = "08:00" }, "morning"},
		{"an afternoon before the morning ends", func(in *schedule.DayInput) { in.AfternoonStart = "12:00" }, "afternoon"},
		{"a time in the spring clock change", func(in *schedule.DayInput) {
			in.Date, in.MorningStart, in.MorningEnd = "2027-03-28", "02:30", "05:00"
		}, "morning"},
		{"no half-day", func(in *schedule.DayInput) {
			in.MorningStart, in.MorningEnd, in.AfternoonStart, in.AfternoonEnd = "", "", "", ""
		}, "morning"},
		{"someone who is not a trainer of the cohort", func(in *schedule.DayInput) {
			in.Trainers = []string{app.Fixture.Accounts[model.RoleManager].ID}
		}, "trainers"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := ok
			in.Date = "2027-04-01"
			tt.change(&in)
			_, errs, err := schedule.SaveDay(ctx, app.Store, app.Manager(), app.Mailing(), c, "", in)
			if err != nil || errs.For(tt.field) == "" {
				t.Fatalf("SaveDay = %v, %v; want a message for %s", errs, err, tt.field)
			}
		})
	}
	if c = load(t, app, tr.Cohort.ID); len(c.Days) != 1 {
		t.Errorf("%d days stored, want the first only", len(c.Days))
	}
}

// mailbox returns the messages delivered since its last call.
func mailbox(app *apptest.App) func() []testkit.Received {
	seen := 0
	return func() []testkit.Received {
		all := app.DeliverMail()
		fresh := all[seen:]
		seen = len(all)
		return fresh
	}
}

var uidPattern = regexp.MustCompile(`UID:(\S+)`)

func uids(ics string) []string {
	var out []string
	for _, m := range uidPattern.FindAllStringSubmatch(strings.ReplaceAll(ics, "\r\n ", ""), -1) {
		out = append(out, m[1])
	}
	return out
}

func TestConvocationsOnceThenUpdatesWithTheSameUIDs(t *testing.T) {
	app := apptest.New(t)
	ctx := context.Background()
	tr := app.NewTraining()
	clk := clock.NewManual(time.Date(2027, 1, 10, 9, 0, 0, 0, time.UTC))
	app.Store.Clock = clk
	c := load(t, app, tr.Cohort.ID)
	if _, err := schedule.SendConvocations(ctx, app.Store, app.Manager(), app.Mailing(), c, ""); !errors.Is(err, schedule.ErrNoDays) {
		t.Fatalf("convocations without days = %v", err)
	}
	for _, date := range []string{"2027-02-04", "2027-02-05"} {
		in := c.NewDayInput()
		in.Date, in.ModuleID, in.Trainers = date, tr.Modules[0].ID, []string{app.Fixture.Accounts[model.RoleTrainer].ID}
		if _, errs, err := schedule.SaveDay(ctx, app.Store, app.Manager(), app.Mailing(), c, "", in); err != nil || errs.Any() {
			t.Fatal(errs, err)
		}
		c = load(t, app, tr.Cohort.ID)
	}
	newMail := mailbox(app)
	newMail() // the fixture's earlier messages

	n, err := schedule.SendConvocations(ctx, app.Store, app.Manager(), app.Mailing(), c, "")
	if err != nil || n != 3 {
		t.Fatalf("SendConvocations = %d, %v", n, err)
	}
	c = load(t, app, tr.Cohort.ID)
	if n, err := schedule.SendConvocations(ctx, app.Store, app.Manager(), app.Mailing(), c, ""); err != nil || n != 0 {
		t.Errorf("a second sending = %d, %v; want nobody", n, err)
	}
	got := newMail()
	if len(got) != 3 {
		t.Fatalf("%d messages, want 3", len(got))
	}
	msg := got[0]
	if len(msg.Attachments) != 1 || !strings.HasSuffix(msg.Attachments[0].Name, ".ics") ||
		!strings.Contains(msg.Attachments[0].ContentType, "text/calendar") {
		t.Fatalf("attachments = %+v", msg.Attachments)
	}
	ics := string(msg.Attachments[0].Data)
	for _, want := range []string{"METHOD:PUBLISH", "BEGIN:VTIMEZONE", "TZID:Europe/Paris", "DTSTART;TZID=Europe/Paris:20270204T090000",
		"SEQUENCE:0", "Pilotage de l’organisation (matin)"} {
		if !strings.Contains(strings.ReplaceAll(ics, "\r\n ", ""), want) {
			t.Errorf("the calendar lacks %q:\n%s", want, ics)
		}
	}
	for _, want := range []string{"jeudi 4 février 2027", "matin, 9 h 00 – 12 h 30", "Locaux accessibles", "Claire Morvan"} {
		if !strings.Contains(msg.Text, want) {
			t.Errorf("the convocation lacks %q:\n%s", want, msg.Text)
		}
	}
	before := uids(ics)
	if len(before) != 4 {
		t.Fatalf("UIDs = %v, want one per half-day", before)
	}

	// Resent on demand to one learner.
	if n, err := schedule.SendConvocations(ctx, app.Store, app.Manager(), app.Mailing(), c, tr.Learners[1].Enrolment.ID); err != nil || n != 1 {
		t.Fatalf("resend = %d, %v", n, err)
	}
	if got := newMail(); len(got) != 1 || got[0].To != tr.Learners[1].Email {
		t.Fatalf("resend delivered %d messages", len(got))
	}

	// The second day moves to another place: one update each, the same UIDs, sequence 1.
	day := c.Days[1]
	in := c.InputOf(day)
	in.Place = "Hôtel de région, 27 place Jules-Guesde, 13002 Marseille"
	if _, errs, err := schedule.SaveDay(ctx, app.Store, app.Manager(), app.Mailing(), c, day.ID, in); err != nil || errs.Any() {
		t.Fatal(errs, err)
	}
	got = newMail()
	if len(got) != 3 || !strings.Contains(got[0].Text, "Hôtel de région") || !strings.Contains(got[0].Subject, "Changement") {
		t.Fatalf("%d updates: %+v", len(got), got)
	}
	after := string(got[0].Attachments[0].Data)
	if a := uids(after); strings.Join(a, " ") != strings.Join(before, " ") || !strings.Contains(after, "SEQUENCE:1") {
		t.Errorf("UIDs before %v, after %v; sequence 1 in:\n%s", before, a, after)
	}
	// A change of notes only tells nobody.
	c = load(t, app, tr.Cohort.ID)
	in = c.InputOf(c.Days[1])
	in.Notes = "Apporter le projet de santé de votre CPTS."
	if _, errs, err := schedule.SaveDay(ctx, app.Store, app.Manager(), app.Mailing(), c, day.ID, in); err != nil || errs.Any() {
		t.Fatal(errs, err)
	}
	if got := newMail(); len(got) != 0 {
		t.Errorf("a change of notes sent %d messages", len(got))
	}

	// Removing a day after the convocations cancels it in everyone's calendar.
	c = load(t, app, tr.Cohort.ID)
	if err := schedule.DeleteDay(ctx, app.Store, app.Manager(), app.Mailing(), c, day.ID); err != nil {
		t.Fatal(err)
	}
	got = newMail()
	if len(got) != 3 || !strings.Contains(got[0].Text, "annulée") || !strings.Contains(string(got[0].Attachments[0].Data), "STATUS:CANCELLED") {
		t.Fatalf("cancellation: %d messages", len(got))
	}
	c = load(t, app, tr.Cohort.ID)
	if len(c.Scheduled()) != 1 || len(c.Days) != 2 {
		t.Errorf("%d scheduled of %d days, want the cancelled one kept", len(c.Scheduled()), len(c.Days))
	}
}

func TestFeedsAreSecretRevocableAndFollowRights(t *testing.T) {
	app := apptest.New(t)
	ctx := context.Background()
	tr := app.NewTraining()
	c := load(t, app, tr.Cohort.ID)
	in := c.NewDayInput()
	in.Date, in.Trainers = "2027-02-04", []string{app.Fixture.Accounts[model.RoleTrainer].ID}
	d, errs, err := schedule.SaveDay(ctx, app.Store, app.Manager(), app.Mailing(), c, "", in)
	if err != nil || errs.Any() {
		t.Fatal(errs, err)
	}
	m := app.Mailing()
	learner := tr.Learners[0]
	f, token, err := schedule.Feed(ctx, app.Store, model.FeedLearner, tr.Cohort.ID, learner.AccountID)
	if err != nil {
		t.Fatal(err)
	}
	again, token2, err := schedule.Feed(ctx, app.Store, model.FeedLearner, tr.Cohort.ID, learner.AccountID)
	if err != nil || again.ID != f.ID || token2 != token {
		t.Fatalf("a second call gives feed %s %q, want the same address", again.ID, token2)
	}
	doc, err := schedule.FeedDocument(ctx, app.Store, m, token)
	if err != nil || !strings.Contains(string(doc), "UID:"+d.HalfDays[0].ID+"@") || strings.Contains(string(doc), "METHOD:") {
		t.Fatalf("the learner's feed = %v:\n%s", err, doc)
	}
	for _, bad := range []string{"", "nothing", f.ID + ".forged", token + "x"} {
		if _, err := schedule.FeedDocument(ctx, app.Store, m, bad); !errors.Is(err, storage.ErrNotFound) {
			t.Errorf("token %q = %v, want not found", bad, err)
		}
	}
	_, renewed, err := schedule.RenewFeed(ctx, app.Store, f.ID, learner.AccountID)
	if err != nil || renewed == token {
		t.Fatal(err)
	}
	if _, err := schedule.FeedDocument(ctx, app.Store, m, token); !errors.Is(err, storage.ErrNotFound) {
		t.Errorf("the revoked address still serves: %v", err)
	}
	if _, err := schedule.FeedDocument(ctx, app.Store, m, renewed); err != nil {
		t.Errorf("the new address: %v", err)
	}
	// Another account cannot renew someone's feed.
	if _, _, err := schedule.RenewFeed(ctx, app.Store, f.ID, tr.Learners[1].AccountID); !errors.Is(err, storage.ErrNotFound) {
		t.Errorf("renewing another's feed = %v", err)
	}

	// The trainer's feed lists the days they teach; once removed from the cohort, none.
	_, trainerToken, err := schedule.Feed(ctx, app.Store, model.FeedTrainer, "", app.Fixture.Accounts[model.RoleTrainer].ID)
	if err != nil {
		t.Fatal(err)
	}
	if doc, err := schedule.FeedDocument(ctx, app.Store, m, trainerToken); err != nil || len(uids(string(doc))) != 2 {
		t.Fatalf("the trainer's feed = %v:\n%s", err, doc)
	}
	if err := schedule.RemoveTrainer(ctx, app.Store, app.Manager(), c, app.Fixture.Accounts[model.RoleTrainer].ID); err != nil {
		t.Fatal(err)
	}
	if doc, err := schedule.FeedDocument(ctx, app.Store, m, trainerToken); err != nil || len(uids(string(doc))) != 0 {
		t.Errorf("a removed trainer's feed = %v:\n%s", err, doc)
	}

	// A learner who gave up their seat loses their feed.
	if err := app.Store.LeaveCohort(ctx, learner.Enrolment.ApplicationID); err != nil {
		t.Fatal(err)
	}
	if _, err := schedule.FeedDocument(ctx, app.Store, m, renewed); !errors.Is(err, storage.ErrNotFound) {
		t.Errorf("a former learner's feed = %v", err)
	}
}

func TestTrainersJoinAndLeaveTheCohort(t *testing.T) {
	app := apptest.New(t)
	ctx := context.Background()
	tr := app.NewTraining()
	c := load(t, app, tr.Cohort.ID)
	newMail := mailbox(app)
	newMail()
	if errs, err := schedule.AddTrainer(ctx, app.Store, app.Manager(), app.Mailing(), c, "nadia.formatrice@example.fr", "Nadia Formatrice"); err != nil || errs.Any() {
		t.Fatal(errs, err)
	}
	got := newMail()
	if len(got) != 1 || !strings.Contains(got[0].Text, "mot-de-passe/nouveau?jeton=") {
		t.Fatalf("invitation: %+v", got)
	}
	c = load(t, app, tr.Cohort.ID)
	if len(c.Trainers) != 2 {
		t.Fatalf("%d trainers", len(c.Trainers))
	}
	errs, err := schedule.AddTrainer(ctx, app.Store, app.Manager(), app.Mailing(), c, "nadia.formatrice@example.fr", "Nadia Formatrice")
	if err != nil || errs.For("email") == "" {
		t.Errorf("adding her twice = %v, %v", errs, err)
	}
	if errs, err := schedule.AddTrainer(ctx, app.Store, app.Manager(), app.Mailing(), c, "pas-une-adresse", ""); err != nil || errs.For("email") == "" {
		t.Errorf("a bad address = %v, %v", errs, err)
	}
}
