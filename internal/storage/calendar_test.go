package storage_test

import (
	"errors"
	"testing"
	"time"

	"parcours/internal/auth"
	"parcours/internal/model"
	"parcours/internal/storage"
	"parcours/internal/testkit"
)

// A cohort's learners, days, attendance and feeds, on both databases.
func TestCalendarAndAttendance(t *testing.T) {
	testkit.Each(t, func(t *testing.T, s *storage.Store) {
		w := newCallWorld(t, s)
		acc := &model.Account{Email: "learner@example.fr", DisplayName: "Léa"}
		trainer := &model.Account{Email: "trainer@example.fr", DisplayName: "Tom"}
		for _, a := range []*model.Account{acc, trainer} {
			if err := s.CreateAccount(ctx, a); err != nil {
				t.Fatal(err)
			}
		}
		p := model.Person{FirstName: "Léa", LastName: "Éluard", Email: acc.Email, Profession: model.ProfInfirmier}
		if err := s.CreatePerson(ctx, &p); err != nil {
			t.Fatal(err)
		}
		app := model.Application{CallID: w.call.ID, AccountID: acc.ID, PersonID: p.ID}
		if err := s.CreateApplication(ctx, &app); err != nil {
			t.Fatal(err)
		}
		app.StructureID = w.cpts1.ID
		if err := s.SaveApplication(ctx, &app); err != nil {
			t.Fatal(err)
		}
		for range 2 { // enrolling twice does nothing
			if err := s.Enrol(ctx, w.cohort.ID, app.ID, acc.ID); err != nil {
				t.Fatal(err)
			}
		}
		learners, err := s.Enrolments(ctx, w.cohort.ID)
		if err != nil || len(learners) != 1 || learners[0].Name() != "Léa Éluard" || learners[0].StructureName != "CPTS Estuaire" ||
			!learners[0].Active() {
			t.Fatalf("learners %+v %v", learners, err)
		}
		e := learners[0]

		paris, _ := time.LoadLocation("Europe/Paris")
		at := func(h, m int) time.Time { return time.Date(2027, 1, 14, h, m, 0, 0, paris) }
		day := model.CohortDay{CohortID: w.cohort.ID, Date: "2027-01-14", Place: "EHESP, Rennes", Trainers: []string{trainer.ID},
			HalfDays: []model.HalfDay{{Part: model.Morning, StartsAt: at(9, 0), EndsAt: at(12, 30)},
				{Part: model.Afternoon, StartsAt: at(14, 0), EndsAt: at(17, 30)}}}
		if err := s.SaveDay(ctx, &day, false); err != nil {
			t.Fatal(err)
		}
		morning := day.HalfDays[0].ID
		// The afternoon moves: the same half-days, the sequence told to learners goes up.
		day.HalfDays[1].StartsAt, day.HalfDays[1].EndsAt = at(13, 30), at(17, 0)
		day.Place = "EHESP, Nantes"
		if err := s.SaveDay(ctx, &day, true); err != nil {
			t.Fatal(err)
		}
		got, err := s.Day(ctx, day.ID)
		if err != nil || got.Sequence != 1 || got.Place != "EHESP, Nantes" || len(got.HalfDays) != 2 || got.HalfDays[0].ID != morning ||
			!got.HalfDays[1].StartsAt.Equal(at(13, 30)) || len(got.Trainers) != 1 || got.Trainers[0] != trainer.ID {
			t.Fatalf("day %+v %v", got, err)
		}
		if mine, _ := s.DaysOfTrainer(ctx, trainer.ID); len(mine) != 1 {
			t.Errorf("trainer's days: %d", len(mine))
		}
		if mine, _ := s.DaysOfAccount(ctx, acc.ID); len(mine) != 1 {
			t.Errorf("learner's days: %d", len(mine))
		}
		if d, err := s.DayOfHalfDay(ctx, morning); err != nil || d.ID != day.ID {
			t.Errorf("day of the morning: %v", err)
		}

		// Signing once; a trainer's mark keeps the signature; countersigning once.
		if err := s.Sign(ctx, morning, e.ID, acc.ID, "192.0.2.7"); err != nil {
			t.Fatal(err)
		}
		if err := s.Sign(ctx, morning, e.ID, acc.ID, "192.0.2.7"); !errors.Is(err, storage.ErrAlreadyExists) {
			t.Errorf("a second signature: %v", err)
		}
		if err := s.Mark(ctx, model.Attendance{HalfDayID: morning, EnrolmentID: e.ID, Status: model.Late, LateMinutes: 20,
			MarkedBy: trainer.ID}); err != nil {
			t.Fatal(err)
		}
		list, err := s.AttendanceOfHalfDay(ctx, morning)
		if err != nil || len(list) != 1 || list[0].Status != model.Late || list[0].LateMinutes != 20 || !list[0].Signed() ||
			list[0].SignedIP != "192.0.2.7" || list[0].MarkedBy != trainer.ID {
			t.Fatalf("attendance %+v %v", list, err)
		}
		if all, _ := s.AttendanceOfCohort(ctx, w.cohort.ID); len(all) != 1 {
			t.Errorf("cohort attendance: %d rows", len(all))
		}
		if err := s.Countersign(ctx, morning, trainer.ID); err != nil {
			t.Fatal(err)
		}
		if err := s.Countersign(ctx, morning, trainer.ID); !errors.Is(err, storage.ErrNotFound) {
			t.Errorf("a second countersignature: %v", err)
		}
		if err := s.LeaveCohort(ctx, app.ID); err != nil {
			t.Fatal(err)
		}
		if left, _ := s.Enrolments(ctx, e.CohortID); len(left) != 1 || left[0].ID != e.ID || left[0].Active() {
			t.Error("the learner who gave up is still active")
		}

		// Feeds: found by the token's hash until revoked.
		token, hash := auth.NewToken()
		f := model.CalendarFeed{TokenHash: hash, Kind: model.FeedLearner, CohortID: w.cohort.ID, AccountID: acc.ID}
		if err := s.CreateFeed(ctx, &f); err != nil {
			t.Fatal(err)
		}
		if found, err := s.FeedByToken(ctx, auth.HashToken(token)); err != nil || found.ID != f.ID {
			t.Fatalf("feed by token: %+v %v", found, err)
		}
		if err := s.RevokeFeed(ctx, f.ID, trainer.ID); !errors.Is(err, storage.ErrNotFound) {
			t.Errorf("someone else revoked the feed: %v", err)
		}
		if err := s.RevokeFeed(ctx, f.ID, acc.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := s.FeedByToken(ctx, hash); !errors.Is(err, storage.ErrNotFound) {
			t.Errorf("a revoked feed answers: %v", err)
		}
		if err := s.DeleteDay(ctx, day.ID); err != nil {
			t.Fatal(err)
		}
		if all, _ := s.AttendanceOfCohort(ctx, w.cohort.ID); len(all) != 0 {
			t.Error("the deleted day's attendance remains")
		}
	})
}
