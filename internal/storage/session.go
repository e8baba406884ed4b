package storage

import (
	"context"
	"time"

	"parcours/internal/model"
)

// Session is a login kept on the server; the cookie holds a token whose SHA-256 is the ID.
type Session struct {
	ID         string
	AccountID  string
	CreatedAt  time.Time
	LastSeenAt time.Time
	ExpiresAt  time.Time
	IP         string
	UserAgent  string
}

// CreateSession stores a session.
func (s *Store) CreateSession(ctx context.Context, ss Session) error {
	_, err := s.exec(ctx, `INSERT INTO sessions (id, account_id, created_at, last_seen_at, expires_at, ip, user_agent)
		VALUES ($1, $2, $3, $4, $5, $6, $7)`, ss.ID, ss.AccountID, ss.CreatedAt, ss.LastSeenAt, ss.ExpiresAt, ss.IP, ss.UserAgent)
	return err
}

// SessionAccount returns a live session and its account; an expired session, or one whose
// account is disabled, is ErrNotFound.
func (s *Store) SessionAccount(ctx context.Context, sessionID string) (Session, model.Account, error) {
	var ss Session
	row := s.r.QueryRowContext(ctx, `SELECT se.id, se.account_id, se.created_at, se.last_seen_at, se.expires_at, se.ip,
		se.user_agent, `+accountColumns+` FROM sessions se JOIN accounts a ON a.id = se.account_id
		WHERE se.id = $1 AND se.expires_at > $2 AND a.disabled_at IS NULL`, sessionID, s.now())
	a, err := scanAccount(prefixScanner{row, []any{&ss.ID, &ss.AccountID, &ss.CreatedAt, &ss.LastSeenAt, &ss.ExpiresAt, &ss.IP, &ss.UserAgent}})
	ss.CreatedAt, ss.LastSeenAt, ss.ExpiresAt = ss.CreatedAt.UTC(), ss.LastSeenAt.UTC(), ss.ExpiresAt.UTC()
	return ss, a, err
}

// TouchSession extends a session's life after activity.
func (s *Store) TouchSession(ctx context.Context, sessionID string, seen, expires time.Time) error {
	return s.execOne(ctx, `UPDATE sessions SET last_seen_at = $2, expires_at = $3 WHERE id = $1`, sessionID, seen, expires)
}

// DeleteSession ends a session (logout).
func (s *Store) DeleteSession(ctx context.Context, sessionID string) error {
	_, err := s.exec(ctx, `DELETE FROM sessions WHERE id = $1`, sessionID)
	return err
}

// DeleteExpired removes expired sessions, used reset links and old login attempts; it
// returns how many rows went.
func (s *Store) DeleteExpired(ctx context.Context, attemptsOlderThan time.Time) (int64, error) {
	var total int64
	now := s.now()
	for _, q := range []struct {
		sql string
		arg time.Time
	}{
		{`DELETE FROM sessions WHERE expires_at <= $1`, now},
		{`DELETE FROM password_resets WHERE expires_at <= $1`, now},
		{`DELETE FROM login_attempts WHERE at < $1`, attemptsOlderThan},
	} {
		res, err := s.exec(ctx, q.sql, q.arg)
		if err != nil {
			return total, err
		}
		n, _ := res.RowsAffected()
		total += n
	}
	return total, nil
}

// CreatePasswordReset stores a reset link's token hash.
func (s *Store) CreatePasswordReset(ctx context.Context, tokenHash, accountID string, expires time.Time) error {
	_, err := s.exec(ctx, `INSERT INTO password_resets (token_hash, account_id, created_at, expires_at)
		VALUES ($1, $2, $3, $4)`, tokenHash, accountID, s.now(), expires)
	return err
}

// UsePasswordReset consumes a reset link and returns its account id; an unknown, used or
// expired link is ErrNotFound. Once used, a link never works again.
func (s *Store) UsePasswordReset(ctx context.Context, tokenHash string) (string, error) {
	var accountID string
	err := s.InTx(ctx, func(tx *Store) error {
		now := tx.now()
		err := tx.w.QueryRowContext(ctx, `UPDATE password_resets SET used_at = $2
			WHERE token_hash = $1 AND used_at IS NULL AND expires_at > $2 RETURNING account_id`,
			tokenHash, now).Scan(&accountID)
		return mapErr(err)
	})
	return accountID, err
}

// PasswordResetsSince counts the links made for an account since a time.
func (s *Store) PasswordResetsSince(ctx context.Context, accountID string, since time.Time) (int, error) {
	var n int
	err := s.r.QueryRowContext(ctx, `SELECT count(*) FROM password_resets WHERE account_id = $1 AND created_at > $2`,
		accountID, since).Scan(&n)
	return n, mapErr(err)
}

// DeletePasswordResets removes an account's links: once a password is chosen, the others
// must not work.
func (s *Store) DeletePasswordResets(ctx context.Context, accountID string) error {
	_, err := s.exec(ctx, `DELETE FROM password_resets WHERE account_id = $1`, accountID)
	return err
}

// PasswordResetValid tells whether a reset link can still be used, without using it.
func (s *Store) PasswordResetValid(ctx context.Context, tokenHash string) bool {
	var n int
	err := s.r.QueryRowContext(ctx, `SELECT count(*) FROM password_resets WHERE token_hash = $1 AND used_at IS NULL
		AND expires_at > $2`, tokenHash, s.now()).Scan(&n)
	return err == nil && n == 1
}

// RecordLoginAttempt notes a login attempt, for throttling.
func (s *Store) RecordLoginAttempt(ctx context.Context, idv, email, ip string, ok bool) error {
	_, err := s.exec(ctx, `INSERT INTO login_attempts (id, email, ip, at, succeeded) VALUES ($1, $2, $3, $4, $5)`,
		idv, email, ip, s.now(), ok)
	return err
}

// LoginSucceeded marks a recorded attempt as a success: it no longer counts against the limits.
func (s *Store) LoginSucceeded(ctx context.Context, attemptID string) error {
	return s.execOne(ctx, `UPDATE login_attempts SET succeeded = $2 WHERE id = $1`, attemptID, true)
}

// FailedLogins counts failed attempts since a time, for an e-mail and for an address.
func (s *Store) FailedLogins(ctx context.Context, email, ip string, since time.Time) (byEmail, byIP int, err error) {
	err = s.r.QueryRowContext(ctx, `SELECT
		coalesce(sum(CASE WHEN email = $1 THEN 1 ELSE 0 END), 0),
		coalesce(sum(CASE WHEN ip = $2 THEN 1 ELSE 0 END), 0)
		FROM login_attempts WHERE at > $3 AND succeeded = $4 AND (email = $1 OR ip = $2)`,
		email, ip, since, false).Scan(&byEmail, &byIP)
	return byEmail, byIP, mapErr(err)
}
