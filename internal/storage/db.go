// Package storage keeps Parcours' state in SQLite (embedded, the default) or PostgreSQL
// (several servers on one database), with the same SQL text, the same behaviour and the same
// sentinel errors on both. One file per noun; every method takes a context.
package storage

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" driver
	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"

	"parcours/internal/clock"
)

// Dialect names the database behind a Store.
type Dialect string

const (
	SQLite   Dialect = "sqlite"
	Postgres Dialect = "postgres"
)

var (
	// ErrNotFound: no row matches.
	ErrNotFound = errors.New("not found")
	// ErrAlreadyExists: a unique key is taken. Use errors.As with *DuplicateError for the column.
	ErrAlreadyExists = errors.New("already exists")
	// ErrReferenced: a foreign key does not hold (a missing parent, or a child still pointing).
	ErrReferenced = errors.New("referenced record missing or still in use")
)

// DuplicateError says which column's unique key was taken, as "table.column".
type DuplicateError struct{ Key string }

func (e *DuplicateError) Error() string        { return e.Key + " already exists" }
func (e *DuplicateError) Is(target error) bool { return target == ErrAlreadyExists }

// querier is what *sql.DB and *sql.Tx have in common.
type querier interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// Store is the one storage type. Inside InTx, r and w are the same transaction.
type Store struct {
	dialect Dialect
	readDB  *sql.DB // SQLite: a pool of read-only connections
	writeDB *sql.DB // SQLite: one connection, so writers queue instead of failing "database is locked"
	r, w    querier
	inTx    bool
	Clock   clock.Clock
}

// Open connects to the database named by url ("sqlite:PATH" or "postgres://…"). It does not
// migrate; see Migrate and CheckSchema.
func Open(ctx context.Context, url string, clk clock.Clock) (*Store, error) {
	s := &Store{Clock: clk}
	switch {
	case strings.HasPrefix(url, "sqlite:"):
		path := strings.TrimPrefix(url, "sqlite:")
		s.dialect = SQLite
		var err error
		if s.writeDB, err = sql.Open("sqlite", sqliteDSN(path, false)); err != nil {
			return nil, err
		}
		s.writeDB.SetMaxOpenConns(1)
		s.writeDB.SetConnMaxIdleTime(0)
		if s.readDB, err = sql.Open("sqlite", sqliteDSN(path, true)); err != nil {
			return nil, err
		}
		s.readDB.SetMaxOpenConns(8)
	case strings.HasPrefix(url, "postgres://"), strings.HasPrefix(url, "postgresql://"):
		s.dialect = Postgres
		db, err := sql.Open("pgx", url)
		if err != nil {
			return nil, err
		}
		db.SetMaxOpenConns(20)
		db.SetMaxIdleConns(10)
		db.SetConnMaxIdleTime(5 * time.Minute)
		s.readDB, s.writeDB = db, db
	default:
		return nil, fmt.Errorf("unsupported database URL (want sqlite:PATH or postgres://…)")
	}
	s.r, s.w = s.readDB, s.writeDB
	if err := s.Ping(ctx); err != nil {
		s.Close()
		return nil, fmt.Errorf("connect to %s database: %w", s.dialect, err)
	}
	return s, nil
}

// sqliteDSN: busy_timeout first (it must apply before the other pragmas take locks), WAL,
// foreign keys, FULL sync so that an acknowledged submission survives a power loss, times
// written in SQLite's sortable text form, and BEGIN IMMEDIATE for writers so a read-then-write
// transaction never fails with SQLITE_BUSY halfway.
func sqliteDSN(path string, readOnly bool) string {
	q := url.Values{}
	q.Add("_pragma", "busy_timeout(10000)")
	q.Add("_pragma", "journal_mode(WAL)")
	q.Add("_pragma", "foreign_keys(1)")
	q.Add("_pragma", "synchronous(FULL)")
	if readOnly {
		q.Add("_pragma", "query_only(1)")
	} else {
		q.Set("_txlock", "immediate")
	}
	q.Set("_time_format", "sqlite")
	return "file:" + path + "?" + q.Encode()
}

// Dialect tells which database is behind the store.
func (s *Store) Dialect() Dialect { return s.dialect }

// Ping checks that the database answers.
func (s *Store) Ping(ctx context.Context) error {
	if err := s.readDB.PingContext(ctx); err != nil {
		return err
	}
	return s.writeDB.PingContext(ctx)
}

// Close releases the connections.
func (s *Store) Close() error {
	err := s.writeDB.Close()
	if s.readDB != s.writeDB {
		err = errors.Join(err, s.readDB.Close())
	}
	return err
}

// InTx runs fn in one transaction on the writer: everything fn does through tx commits
// together or not at all. Nested calls join the outer transaction.
func (s *Store) InTx(ctx context.Context, fn func(tx *Store) error) error {
	if s.inTx {
		return fn(s)
	}
	sqlTx, err := s.writeDB.BeginTx(ctx, nil)
	if err != nil {
		return mapErr(err)
	}
	tx := *s
	tx.r, tx.w, tx.inTx = sqlTx, sqlTx, true
	if err := fn(&tx); err != nil {
		sqlTx.Rollback()
		return err
	}
	return mapErr(sqlTx.Commit())
}

// now is the store's current instant, in UTC to the microsecond.
func (s *Store) now() time.Time { return s.Clock.Now().UTC().Truncate(time.Microsecond) }

// skipLocked makes a claiming SELECT skip rows another transaction holds (PostgreSQL). SQLite
// has one writer at a time, so there is nothing to skip.
func (s *Store) skipLocked() string {
	if s.dialect == Postgres {
		return " FOR UPDATE SKIP LOCKED"
	}
	return ""
}

// exec runs a statement on the writer and maps driver errors to the sentinels.
func (s *Store) exec(ctx context.Context, query string, args ...any) (sql.Result, error) {
	res, err := s.w.ExecContext(ctx, query, args...)
	return res, mapErr(err)
}

// execOne runs a statement that must touch exactly one row; none is ErrNotFound.
func (s *Store) execOne(ctx context.Context, query string, args ...any) error {
	res, err := s.exec(ctx, query, args...)
	if err != nil {
		return err
	}
	n, err := res.RowsAffected()
	if err != nil {
		return err
	}
	if n == 0 {
		return ErrNotFound
	}
	return nil
}

// mapErr turns each driver's "no rows", unique and foreign-key errors into the shared sentinels.
func mapErr(err error) error {
	if err == nil {
		return nil
	}
	if errors.Is(err, sql.ErrNoRows) {
		return ErrNotFound
	}
	var se *sqlite.Error
	if errors.As(err, &se) {
		switch se.Code() {
		case sqlite3.SQLITE_CONSTRAINT_UNIQUE, sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY:
			// "UNIQUE constraint failed: structures.finess" (several columns: "t.a, t.b")
			msg := se.Error()
			key := msg[strings.LastIndex(msg, ": ")+2:]
			key = strings.TrimSuffix(key, ")")
			return &DuplicateError{Key: strings.TrimSpace(strings.SplitN(key, " (", 2)[0])}
		case sqlite3.SQLITE_CONSTRAINT_FOREIGNKEY:
			return fmt.Errorf("%w: %v", ErrReferenced, err)
		}
	}
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		switch pe.Code {
		case "23505": // unique_violation; Detail: "Key (finess)=(440000000) already exists."
			cols := pe.Detail
			if i, j := strings.Index(cols, "("), strings.Index(cols, ")"); i >= 0 && j > i {
				cols = cols[i+1 : j]
			}
			parts := strings.Split(cols, ", ")
			for i := range parts {
				parts[i] = pe.TableName + "." + parts[i]
			}
			return &DuplicateError{Key: strings.Join(parts, ", ")}
		case "23503": // foreign_key_violation
			return fmt.Errorf("%w: %v", ErrReferenced, err)
		}
	}
	return err
}

// nullString stores "" as NULL, for optional unique columns (FINESS, SIRET, e-mail…).
func nullString(s string) sql.NullString { return sql.NullString{String: s, Valid: s != ""} }

// nullTime stores the zero time as NULL.
func nullTime(t time.Time) sql.NullTime {
	if t.IsZero() {
		return sql.NullTime{}
	}
	return sql.NullTime{Time: t.UTC().Truncate(time.Microsecond), Valid: true}
}

// utc normalises a time read back from either driver.
func utc(t sql.NullTime) time.Time {
	if !t.Valid {
		return time.Time{}
	}
	return t.Time.UTC()
}
