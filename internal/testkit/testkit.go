// Package testkit opens real databases for tests — SQLite always, PostgreSQL when
// PARCOURS_TEST_POSTGRES_URL is set — and decides what a test does when a tool it needs is
// missing: skip with a message naming the tool, or fail when PARCOURS_CI=1.
package testkit

import (
	"bytes"
	"context"
	"database/sql"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"parcours/internal/clock"
	"parcours/internal/id"
	"parcours/internal/storage"
)

// Missing skips the test because tool is not available, or fails it in CI.
func Missing(t testing.TB, tool, why string) {
	t.Helper()
	if os.Getenv("PARCOURS_CI") == "1" {
		t.Fatalf("%s is required in CI (PARCOURS_CI=1): %s", tool, why)
	}
	t.Skipf("SKIP: needs %s — %s", tool, why)
}

// SQLite returns a migrated store on a fresh SQLite file in the test's temporary folder.
func SQLite(t testing.TB) *storage.Store {
	t.Helper()
	return open(t, "sqlite:"+filepath.Join(t.TempDir(), "parcours.db"))
}

// Postgres returns a migrated store in a fresh schema of the PostgreSQL database named by
// PARCOURS_TEST_POSTGRES_URL, dropped when the test ends.
func Postgres(t testing.TB) *storage.Store {
	t.Helper()
	return PostgresInstances(t, 1)[0]
}

// PostgresInstances returns n stores on one fresh schema: n server instances sharing a
// database, for tests of what two instances must not do twice.
func PostgresInstances(t testing.TB, n int) []*storage.Store {
	t.Helper()
	base := os.Getenv("PARCOURS_TEST_POSTGRES_URL")
	if base == "" {
		Missing(t, "PostgreSQL", "set PARCOURS_TEST_POSTGRES_URL=postgres://…/test to run this test on PostgreSQL")
	}
	schema := "t_" + id.New()
	admin, err := sql.Open("pgx", base)
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close()
	if _, err := admin.Exec(`CREATE SCHEMA ` + schema); err != nil {
		Missing(t, "PostgreSQL", fmt.Sprintf("cannot create a schema at %s: %v", redact(base), err))
	}
	t.Cleanup(func() {
		db, err := sql.Open("pgx", base)
		if err == nil {
			db.Exec(`DROP SCHEMA ` + schema + ` CASCADE`)
			db.Close()
		}
	})
	u, err := url.Parse(base)
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	stores := []*storage.Store{open(t, u.String())}
	for i := 1; i < n; i++ {
		s, err := storage.Open(context.Background(), u.String(), clock.System{})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { s.Close() })
		stores = append(stores, s)
	}
	return stores
}

// Each runs fn once per database: SQLite, then PostgreSQL (skipped, or failed in CI, when
// PARCOURS_TEST_POSTGRES_URL is not set).
func Each(t *testing.T, fn func(t *testing.T, s *storage.Store)) {
	t.Run("sqlite", func(t *testing.T) { fn(t, SQLite(t)) })
	t.Run("postgres", func(t *testing.T) { fn(t, Postgres(t)) })
}

// Open returns the database PARCOURS_TEST_DATABASE names: "postgres", or SQLite by default.
// The HTTP suites use it, so that CI can run them again on PostgreSQL.
func Open(t testing.TB) *storage.Store {
	t.Helper()
	switch db := os.Getenv("PARCOURS_TEST_DATABASE"); db {
	case "", "sqlite":
		return SQLite(t)
	case "postgres":
		return Postgres(t)
	default:
		t.Fatalf("PARCOURS_TEST_DATABASE=%q: want sqlite or postgres", db)
		return nil
	}
}

func open(t testing.TB, url string) *storage.Store {
	t.Helper()
	ctx := context.Background()
	s, err := storage.Open(ctx, url, clock.System{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	if _, err := s.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	return s
}

func redact(u string) string {
	if p, err := url.Parse(u); err == nil && p.User != nil {
		p.User = url.User(p.User.Username())
		return p.String()
	}
	return strings.SplitN(u, "?", 2)[0]
}

// Buffer collects what goroutines write (a server's log, a command's output) while a test
// reads it.
type Buffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (w *Buffer) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.b.Write(p)
}

// String is what was written so far.
func (w *Buffer) String() string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.b.String()
}
