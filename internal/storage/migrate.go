package storage

import (
	"context"
	"embed"
	"fmt"
	"io/fs"
	"sort"
	"strconv"
	"strings"
)

//go:embed migrations/*.sql
var migrationFS embed.FS

// migration is one numbered file of migrations/, e.g. 0001_foundation.sql.
type migration struct {
	version int
	name    string
	sql     string
}

func migrations() []migration {
	entries, _ := fs.ReadDir(migrationFS, "migrations")
	var ms []migration
	for _, e := range entries {
		num, name, ok := strings.Cut(strings.TrimSuffix(e.Name(), ".sql"), "_")
		v, err := strconv.Atoi(num)
		if !ok || err != nil {
			panic("storage: migration file without a number: " + e.Name())
		}
		body, _ := migrationFS.ReadFile("migrations/" + e.Name())
		ms = append(ms, migration{version: v, name: name, sql: string(body)})
	}
	sort.Slice(ms, func(i, j int) bool { return ms[i].version < ms[j].version })
	for i, m := range ms {
		if m.version != i+1 {
			panic(fmt.Sprintf("storage: migrations must be numbered 1, 2, 3…; found %d at position %d", m.version, i+1))
		}
	}
	return ms
}

// LatestVersion is the schema version this binary expects.
func LatestVersion() int { return len(migrations()) }

// forDialect adapts the migrations' PostgreSQL column types to SQLite's names.
func (s *Store) forDialect(sql string) string {
	if s.dialect == SQLite {
		sql = strings.NewReplacer("TIMESTAMPTZ", "TIMESTAMP", "BYTEA", "BLOB").Replace(sql)
	}
	return sql
}

// SchemaVersion returns the version the database is at (0 when empty).
func (s *Store) SchemaVersion(ctx context.Context) (int, error) {
	var exists bool
	var q string
	if s.dialect == SQLite {
		q = `SELECT count(*) > 0 FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'`
	} else {
		q = `SELECT to_regclass('schema_migrations') IS NOT NULL`
	}
	if err := s.r.QueryRowContext(ctx, q).Scan(&exists); err != nil {
		return 0, err
	}
	if !exists {
		return 0, nil
	}
	var v int
	err := s.r.QueryRowContext(ctx, `SELECT coalesce(max(version), 0) FROM schema_migrations`).Scan(&v)
	return v, err
}

// Migrate applies the migrations the database lacks, all in one transaction (a failing one
// leaves the schema as it was), and returns the versions applied. On PostgreSQL an advisory
// lock keeps two instances from migrating at once.
func (s *Store) Migrate(ctx context.Context) ([]int, error) {
	var applied []int
	err := s.InTx(ctx, func(tx *Store) error {
		if s.dialect == Postgres {
			if _, err := tx.exec(ctx, `SELECT pg_advisory_xact_lock(7243001)`); err != nil {
				return err
			}
		}
		if _, err := tx.exec(ctx, tx.forDialect(`CREATE TABLE IF NOT EXISTS schema_migrations (
			version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TIMESTAMPTZ NOT NULL)`)); err != nil {
			return err
		}
		current, err := tx.SchemaVersion(ctx)
		if err != nil {
			return err
		}
		if current > LatestVersion() {
			return fmt.Errorf("database schema is at version %d, newer than this binary (%d): upgrade parcours", current, LatestVersion())
		}
		for _, m := range migrations()[current:] {
			if _, err := tx.exec(ctx, tx.forDialect(m.sql)); err != nil {
				return fmt.Errorf("migration %04d_%s: %w", m.version, m.name, err)
			}
			if _, err := tx.exec(ctx, `INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)`,
				m.version, m.name, tx.now()); err != nil {
				return err
			}
			applied = append(applied, m.version)
		}
		return nil
	})
	return applied, err
}

// ErrSchemaOutdated is returned by CheckSchema when migrations are pending.
type ErrSchemaOutdated struct{ Have, Want int }

func (e *ErrSchemaOutdated) Error() string {
	return fmt.Sprintf("database schema is at version %d, this binary needs %d: run `parcours migrate`", e.Have, e.Want)
}

// CheckSchema returns *ErrSchemaOutdated unless the database is at LatestVersion.
func (s *Store) CheckSchema(ctx context.Context) error {
	v, err := s.SchemaVersion(ctx)
	if err != nil {
		return err
	}
	if v != LatestVersion() {
		return &ErrSchemaOutdated{Have: v, Want: LatestVersion()}
	}
	return nil
}
