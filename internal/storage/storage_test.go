package storage_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"parcours/internal/clock"
	"parcours/internal/model"
	"parcours/internal/storage"
	"parcours/internal/testkit"
)

var ctx = context.Background()

func cpts(name, dep, finess string) *model.Structure {
	region := map[string]string{"44": "52", "49": "52", "85": "52", "13": "93", "06": "93"}[dep]
	return &model.Structure{Kind: model.KindCPTS, Name: name, FINESS: finess, RegionCode: region,
		DepartementCode: dep, Commune: "Commune", SizeBand: model.SizeT2, Stage: model.StageActive}
}

func TestMigrateIsIdempotentAndSchemaIsCurrent(t *testing.T) {
	testkit.Each(t, func(t *testing.T, s *storage.Store) {
		applied, err := s.Migrate(ctx)
		if err != nil || len(applied) != 0 {
			t.Fatalf("second migrate applied %v, err %v", applied, err)
		}
		if err := s.CheckSchema(ctx); err != nil {
			t.Fatal(err)
		}
		v, _ := s.SchemaVersion(ctx)
		if v != storage.LatestVersion() || v < 1 {
			t.Fatalf("version %d, latest %d", v, storage.LatestVersion())
		}
	})
}

func TestEmptyDatabaseIsReportedOutdated(t *testing.T) {
	s, err := storage.Open(ctx, "sqlite:"+t.TempDir()+"/empty.db", clock.System{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	var out *storage.ErrSchemaOutdated
	if err := s.CheckSchema(ctx); !errors.As(err, &out) || out.Have != 0 {
		t.Fatalf("CheckSchema on an empty database = %v", err)
	}
}

func TestSentinelErrorsAreTheSameOnBothDatabases(t *testing.T) {
	testkit.Each(t, func(t *testing.T, s *storage.Store) {
		if _, err := s.Structure(ctx, "nope"); !errors.Is(err, storage.ErrNotFound) {
			t.Errorf("missing structure: %v", err)
		}
		if err := s.UpdateStructure(ctx, &model.Structure{ID: "nope"}); !errors.Is(err, storage.ErrNotFound) {
			t.Errorf("update missing structure: %v", err)
		}
		if err := s.CreateStructure(ctx, cpts("A", "44", "440000289")); err != nil {
			t.Fatal(err)
		}
		err := s.CreateStructure(ctx, cpts("B", "44", "440000289"))
		var dup *storage.DuplicateError
		if !errors.Is(err, storage.ErrAlreadyExists) || !errors.As(err, &dup) || dup.Key != "structures.finess" {
			t.Errorf("duplicate FINESS: %v (%#v)", err, dup)
		}
		m := &model.Membership{PersonID: "nobody", StructureID: "nothing", Role: model.RoleMembre}
		if err := s.CreateMembership(ctx, m); !errors.Is(err, storage.ErrReferenced) {
			t.Errorf("membership of nobody: %v", err)
		}
	})
}

func TestInstantsRoundTripToTheMicrosecondAndSortCorrectly(t *testing.T) {
	testkit.Each(t, func(t *testing.T, s *storage.Store) {
		paris, _ := time.LoadLocation("Europe/Paris")
		// 10:00:00.5 sorts after 10:00:00.123456 and before 10:00:01; written from another zone.
		times := []time.Time{
			time.Date(2026, 3, 29, 10, 0, 1, 0, paris),
			time.Date(2026, 3, 29, 10, 0, 0, 123456789, paris),
			time.Date(2026, 3, 29, 10, 0, 0, 500000000, paris),
		}
		for i, at := range times {
			s.Clock = clock.NewManual(at)
			if err := s.Audit(ctx, storage.AuditEntry{Action: "test", SubjectType: "t", SubjectID: "x",
				Details: map[string]any{"i": i}}); err != nil {
				t.Fatal(err)
			}
		}
		trail, err := s.AuditTrail(ctx, "t", "x", 0)
		if err != nil || len(trail) != 3 {
			t.Fatalf("%v %v", trail, err)
		}
		wantOrder := []int{0, 2, 1} // newest first
		for k, e := range trail {
			i := wantOrder[k]
			want := times[i].UTC().Truncate(time.Microsecond)
			if !e.At.Equal(want) || e.At.Location() != time.UTC {
				t.Errorf("entry %d at %v, want %v (UTC)", k, e.At, want)
			}
			if got := fmt.Sprint(e.Details["i"]); got != fmt.Sprint(i) {
				t.Errorf("entry %d details %v", k, e.Details)
			}
		}
	})
}

func TestStructuresFilterSearchAndPage(t *testing.T) {
	testkit.Each(t, func(t *testing.T, s *storage.Store) {
		for _, st := range []*model.Structure{
			cpts("CPTS Île de Nantes", "44", "440000289"),
			cpts("CPTS Estuaire", "44", ""),
			cpts("CPTS Saumurois", "49", ""),
			cpts("CPTS Marseille Nord", "13", "130786049"),
			{Kind: model.KindMSP, Name: "MSP des Olonnes", RegionCode: "52", DepartementCode: "85", Commune: "Les Sables-d'Olonne", Postcode: "85100"},
		} {
			if err := s.CreateStructure(ctx, st); err != nil {
				t.Fatal(err)
			}
		}
		cases := []struct {
			name   string
			filter storage.StructureFilter
			want   []string
			total  int
		}{
			{"all by folded name", storage.StructureFilter{}, []string{"CPTS Estuaire", "CPTS Île de Nantes", "CPTS Marseille Nord", "CPTS Saumurois", "MSP des Olonnes"}, 5},
			{"scope to one région", storage.StructureFilter{Regions: []string{"93"}}, []string{"CPTS Marseille Nord"}, 1},
			{"empty scope sees nothing", storage.StructureFilter{Regions: []string{}}, nil, 0},
			{"département", storage.StructureFilter{DepartementCode: "44"}, []string{"CPTS Estuaire", "CPTS Île de Nantes"}, 2},
			{"kind", storage.StructureFilter{Kinds: []model.StructureKind{model.KindMSP}}, []string{"MSP des Olonnes"}, 1},
			{"search without accent", storage.StructureFilter{Query: "ile de"}, []string{"CPTS Île de Nantes"}, 1},
			{"search by commune", storage.StructureFilter{Query: "sables"}, []string{"MSP des Olonnes"}, 1},
			{"search by FINESS", storage.StructureFilter{Query: "130 786 049"}, []string{"CPTS Marseille Nord"}, 1},
			{"wildcards are literal", storage.StructureFilter{Query: "%"}, nil, 0},
			{"page 2 of 2", storage.StructureFilter{Limit: 3, Offset: 3}, []string{"CPTS Saumurois", "MSP des Olonnes"}, 5},
		}
		for _, tc := range cases {
			list, total, err := s.Structures(ctx, tc.filter)
			if err != nil {
				t.Fatalf("%s: %v", tc.name, err)
			}
			var names []string
			for _, st := range list {
				names = append(names, st.Name)
			}
			if fmt.Sprint(names) != fmt.Sprint(tc.want) || total != tc.total {
				t.Errorf("%s: got %v (total %d), want %v (total %d)", tc.name, names, total, tc.want, tc.total)
			}
		}
		found, err := s.StructureByKey(ctx, "", "", "")
		if !errors.Is(err, storage.ErrNotFound) {
			t.Errorf("no key: %v %v", found, err)
		}
		if st, err := s.StructureByKey(ctx, "440000289", "", ""); err != nil || st.Name != "CPTS Île de Nantes" {
			t.Errorf("by FINESS: %v %v", st.Name, err)
		}
	})
}

func TestPeopleMembershipsAndRegionScope(t *testing.T) {
	testkit.Each(t, func(t *testing.T, s *storage.Store) {
		nantes, marseille := cpts("CPTS Nantes", "44", ""), cpts("CPTS Marseille", "13", "")
		for _, st := range []*model.Structure{nantes, marseille} {
			if err := s.CreateStructure(ctx, st); err != nil {
				t.Fatal(err)
			}
		}
		anne := &model.Person{FirstName: "Anne", LastName: "Élie", Email: "Anne.Elie@Example.fr", Profession: model.ProfInfirmier}
		paul := &model.Person{FirstName: "Paul", LastName: "Durand", Profession: model.ProfMedecin}
		for _, p := range []*model.Person{anne, paul} {
			if err := s.CreatePerson(ctx, p); err != nil {
				t.Fatal(err)
			}
		}
		if got, _ := s.Person(ctx, anne.ID); got.Email != "anne.elie@example.fr" {
			t.Errorf("e-mail kept as %q", got.Email)
		}
		for _, m := range []*model.Membership{
			{PersonID: anne.ID, StructureID: nantes.ID, Role: model.RoleTresorier},
			{PersonID: paul.ID, StructureID: marseille.ID, Role: model.RolePresident},
		} {
			if err := s.CreateMembership(ctx, m); err != nil {
				t.Fatal(err)
			}
		}
		again := &model.Membership{PersonID: anne.ID, StructureID: nantes.ID, Role: model.RoleTresorier}
		if err := s.CreateMembership(ctx, again); !errors.Is(err, storage.ErrAlreadyExists) {
			t.Errorf("same role twice: %v", err)
		}
		members, err := s.Members(ctx, nantes.ID)
		if err != nil || len(members) != 1 || members[0].Person.FullName() != "Anne ÉLIE" || members[0].Status != model.MembershipConfirmed {
			t.Fatalf("members %+v %v", members, err)
		}
		aff, err := s.Affiliations(ctx, paul.ID)
		if err != nil || len(aff) != 1 || aff[0].Structure.Name != "CPTS Marseille" {
			t.Fatalf("affiliations %+v %v", aff, err)
		}
		people, total, err := s.People(ctx, storage.PersonFilter{Regions: []string{"52"}})
		if err != nil || total != 1 || people[0].ID != anne.ID {
			t.Errorf("people of région 52: %v (%d) %v", people, total, err)
		}
		people, _, _ = s.People(ctx, storage.PersonFilter{Query: "elie"})
		if len(people) != 1 {
			t.Errorf("search without accent: %v", people)
		}
		if err := s.DeleteStructure(ctx, nantes.ID); err != nil {
			t.Fatal(err)
		}
		if aff, _ := s.Affiliations(ctx, anne.ID); len(aff) != 0 {
			t.Errorf("memberships survive their structure: %v", aff)
		}
	})
}

func TestSessionsExpireAndResetLinksWorkOnce(t *testing.T) {
	testkit.Each(t, func(t *testing.T, s *storage.Store) {
		clk := clock.NewManual(time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC))
		s.Clock = clk
		a := &model.Account{Email: "Admin@Example.fr", DisplayName: "Admin"}
		if err := s.CreateAccount(ctx, a); err != nil {
			t.Fatal(err)
		}
		if _, err := s.AccountByEmail(ctx, " ADMIN@example.FR "); err != nil {
			t.Fatalf("lookup by e-mail ignores case: %v", err)
		}
		if err := s.CreateAccount(ctx, &model.Account{Email: "admin@example.fr"}); !errors.Is(err, storage.ErrAlreadyExists) {
			t.Errorf("second account with the same e-mail: %v", err)
		}
		now := clk.Now()
		if err := s.CreateSession(ctx, storage.Session{ID: "h1", AccountID: a.ID, CreatedAt: now, LastSeenAt: now, ExpiresAt: now.Add(time.Hour)}); err != nil {
			t.Fatal(err)
		}
		if _, acc, err := s.SessionAccount(ctx, "h1"); err != nil || acc.ID != a.ID {
			t.Fatalf("live session: %v", err)
		}
		clk.Advance(time.Hour)
		if _, _, err := s.SessionAccount(ctx, "h1"); !errors.Is(err, storage.ErrNotFound) {
			t.Errorf("expired session still works: %v", err)
		}
		if err := s.CreatePasswordReset(ctx, "r1", a.ID, clk.Now().Add(time.Hour)); err != nil {
			t.Fatal(err)
		}
		if got, err := s.UsePasswordReset(ctx, "r1"); err != nil || got != a.ID {
			t.Fatalf("first use: %q %v", got, err)
		}
		if _, err := s.UsePasswordReset(ctx, "r1"); !errors.Is(err, storage.ErrNotFound) {
			t.Errorf("second use: %v", err)
		}
		s.CreatePasswordReset(ctx, "r2", a.ID, clk.Now().Add(time.Hour))
		clk.Advance(2 * time.Hour)
		if _, err := s.UsePasswordReset(ctx, "r2"); !errors.Is(err, storage.ErrNotFound) {
			t.Errorf("expired link: %v", err)
		}
		for i := 0; i < 3; i++ {
			s.RecordLoginAttempt(ctx, fmt.Sprint("a", i), "admin@example.fr", "10.0.0.1", false)
		}
		s.RecordLoginAttempt(ctx, "a9", "other@example.fr", "10.0.0.1", true)
		byEmail, byIP, err := s.FailedLogins(ctx, "admin@example.fr", "10.0.0.2", clk.Now().Add(-time.Minute))
		if err != nil || byEmail != 3 || byIP != 0 {
			t.Errorf("failed logins %d %d %v", byEmail, byIP, err)
		}
		if n, err := s.DeleteExpired(ctx, clk.Now().Add(time.Minute)); err != nil || n < 5 {
			t.Errorf("cleanup removed %d rows: %v", n, err)
		}
	})
}

// Two workers claiming the outbox at once never get the same message.
func TestOutboxClaimsAreExclusive(t *testing.T) {
	testkit.Each(t, func(t *testing.T, s *storage.Store) {
		for i := 0; i < 40; i++ {
			ok, err := s.Enqueue(ctx, &storage.OutboxMessage{To: "x@example.fr", Subject: fmt.Sprint(i), TextBody: "t", HTMLBody: "h"})
			if err != nil || !ok {
				t.Fatal(err)
			}
		}
		if ok, _ := s.Enqueue(ctx, &storage.OutboxMessage{DedupeKey: "k", To: "x@example.fr", Subject: "once"}); !ok {
			t.Fatal("first keyed message refused")
		}
		if ok, err := s.Enqueue(ctx, &storage.OutboxMessage{DedupeKey: "k", To: "x@example.fr", Subject: "twice"}); ok || err != nil {
			t.Fatalf("keyed message enqueued twice (%v)", err)
		}
		var mu sync.Mutex
		seen := map[string]string{}
		var wg sync.WaitGroup
		for w := 0; w < 4; w++ {
			wg.Add(1)
			go func(worker string) {
				defer wg.Done()
				for {
					msgs, err := s.ClaimMessages(ctx, worker, 3, time.Minute)
					if err != nil {
						t.Error(err)
						return
					}
					if len(msgs) == 0 {
						return
					}
					for _, m := range msgs {
						mu.Lock()
						if prev, dup := seen[m.ID]; dup {
							t.Errorf("message %s claimed by %s and %s", m.ID, prev, worker)
						}
						seen[m.ID] = worker
						mu.Unlock()
						if err := s.MarkSent(ctx, m.ID, worker); err != nil {
							t.Error(err)
						}
					}
				}
			}(fmt.Sprint("w", w))
		}
		wg.Wait()
		counts, _ := s.OutboxCounts(ctx)
		if len(seen) != 41 || counts["sent"] != 41 || counts["pending"] != 0 {
			t.Errorf("claimed %d, counts %v", len(seen), counts)
		}
	})
}

func TestOutboxRetryAndLeaseExpiry(t *testing.T) {
	testkit.Each(t, func(t *testing.T, s *storage.Store) {
		clk := clock.NewManual(time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC))
		s.Clock = clk
		s.Enqueue(ctx, &storage.OutboxMessage{To: "x@example.fr", Subject: "s"})
		msgs, _ := s.ClaimMessages(ctx, "w1", 10, time.Minute)
		if len(msgs) != 1 {
			t.Fatalf("claimed %d", len(msgs))
		}
		if again, _ := s.ClaimMessages(ctx, "w2", 10, time.Minute); len(again) != 0 {
			t.Fatal("a claimed message was claimed again within its lease")
		}
		clk.Advance(2 * time.Minute) // w1 died: the lease ran out
		msgs, _ = s.ClaimMessages(ctx, "w2", 10, time.Minute)
		if len(msgs) != 1 {
			t.Fatal("message of a dead worker never retried")
		}
		if err := s.MarkSent(ctx, msgs[0].ID, "w1"); !errors.Is(err, storage.ErrNotFound) {
			t.Errorf("the dead worker could still mark it: %v", err)
		}
		if err := s.MarkFailed(ctx, msgs[0].ID, "w2", "550 mailbox unavailable", clk.Now().Add(5*time.Minute), false); err != nil {
			t.Fatal(err)
		}
		if m, _ := s.ClaimMessages(ctx, "w2", 10, time.Minute); len(m) != 0 {
			t.Error("retried before its backoff")
		}
		clk.Advance(5 * time.Minute)
		m, _ := s.ClaimMessages(ctx, "w2", 10, time.Minute)
		if len(m) != 1 || m[0].Attempts != 1 || m[0].LastError != "550 mailbox unavailable" {
			t.Fatalf("after backoff: %+v", m)
		}
	})
}

func TestJobsFilesAndSettings(t *testing.T) {
	testkit.Each(t, func(t *testing.T, s *storage.Store) {
		f := &storage.File{Name: "cpts.csv", ContentType: "text/csv", Data: []byte("nom;type\n")}
		if err := s.CreateFile(ctx, f); err != nil {
			t.Fatal(err)
		}
		got, err := s.File(ctx, f.ID)
		if err != nil || string(got.Data) != "nom;type\n" || got.Size != 9 || len(got.SHA256) != 64 {
			t.Fatalf("file %+v %v", got, err)
		}
		j := &storage.Job{Kind: "import.structures", Payload: `{"file":"` + f.ID + `"}`}
		if err := s.CreateJob(ctx, j); err != nil {
			t.Fatal(err)
		}
		claimed, err := s.ClaimJob(ctx, "w1", time.Minute)
		if err != nil || claimed.ID != j.ID || claimed.Status != "running" {
			t.Fatalf("claim %+v %v", claimed, err)
		}
		if _, err := s.ClaimJob(ctx, "w2", time.Minute); !errors.Is(err, storage.ErrNotFound) {
			t.Errorf("job claimed twice: %v", err)
		}
		if err := s.JobProgress(ctx, j.ID, "w1", 5, 10, time.Minute); err != nil {
			t.Fatal(err)
		}
		if err := s.FinishJob(ctx, j.ID, "w1", "done", `{"created":10}`); err != nil {
			t.Fatal(err)
		}
		done, _ := s.Job(ctx, j.ID)
		if done.Status != "done" || done.ProgressDone != 5 || done.Result != `{"created":10}` || done.FinishedAt.IsZero() {
			t.Errorf("finished job %+v", done)
		}
		v1, err := s.SettingOrInit(ctx, "secret", "first")
		v2, _ := s.SettingOrInit(ctx, "secret", "second")
		if err != nil || v1 != "first" || v2 != "first" {
			t.Errorf("setting %q %q %v", v1, v2, err)
		}
	})
}

// Two instances polling at once never run the same job.
func TestJobClaimsAreExclusive(t *testing.T) {
	testkit.Each(t, func(t *testing.T, s *storage.Store) {
		for i := 0; i < 20; i++ {
			if err := s.CreateJob(ctx, &storage.Job{Kind: "k", Payload: "{}"}); err != nil {
				t.Fatal(err)
			}
		}
		var mu sync.Mutex
		seen := map[string]bool{}
		var wg sync.WaitGroup
		for w := 0; w < 3; w++ {
			wg.Add(1)
			go func(worker string) {
				defer wg.Done()
				for {
					j, err := s.ClaimJob(ctx, worker, time.Minute)
					if errors.Is(err, storage.ErrNotFound) {
						return
					}
					if err != nil {
						t.Error(err)
						return
					}
					mu.Lock()
					if seen[j.ID] {
						t.Errorf("job %s claimed twice", j.ID)
					}
					seen[j.ID] = true
					mu.Unlock()
					if err := s.FinishJob(ctx, j.ID, worker, "done", "{}"); err != nil {
						t.Error(err)
					}
				}
			}(fmt.Sprint("w", w))
		}
		wg.Wait()
		if len(seen) != 20 {
			t.Errorf("ran %d of 20 jobs", len(seen))
		}
	})
}
