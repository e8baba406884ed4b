package storage

import (
	"context"
	"database/sql"
	"time"

	"parcours/internal/id"
	"parcours/internal/model"
)

// APIToken is a personal token for the JSON API; only its SHA-256 is stored.
type APIToken struct {
	ID         string
	AccountID  string
	Name       string
	TokenHash  string
	CreatedAt  time.Time
	LastUsedAt time.Time
	RevokedAt  time.Time
}

// CreateAPIToken stores a token.
func (s *Store) CreateAPIToken(ctx context.Context, t *APIToken) error {
	t.ID, t.CreatedAt = id.New(), s.now()
	_, err := s.exec(ctx, `INSERT INTO api_tokens (id, account_id, name, token_hash, created_at) VALUES ($1, $2, $3, $4, $5)`,
		t.ID, t.AccountID, t.Name, t.TokenHash, t.CreatedAt)
	return err
}

// APITokens lists an account's tokens, newest first.
func (s *Store) APITokens(ctx context.Context, accountID string) ([]APIToken, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT id, account_id, name, token_hash, created_at, last_used_at, revoked_at
		FROM api_tokens WHERE account_id = $1 ORDER BY created_at DESC, id DESC`, accountID)
	if err != nil {
		return nil, mapErr(err)
	}
	defer rows.Close()
	var out []APIToken
	for rows.Next() {
		var t APIToken
		var used, revoked sql.NullTime
		if err := rows.Scan(&t.ID, &t.AccountID, &t.Name, &t.TokenHash, &t.CreatedAt, &used, &revoked); err != nil {
			return nil, err
		}
		t.CreatedAt, t.LastUsedAt, t.RevokedAt = t.CreatedAt.UTC(), utc(used), utc(revoked)
		out = append(out, t)
	}
	return out, rows.Err()
}

// RevokeAPIToken revokes one of an account's tokens.
func (s *Store) RevokeAPIToken(ctx context.Context, accountID, tokenID string) error {
	return s.execOne(ctx, `UPDATE api_tokens SET revoked_at = $3 WHERE id = $1 AND account_id = $2 AND revoked_at IS NULL`,
		tokenID, accountID, s.now())
}

// APITokenAccount returns the account of a live token and notes its use (at most once a minute).
func (s *Store) APITokenAccount(ctx context.Context, tokenHash string) (model.Account, error) {
	var tokID string
	var used sql.NullTime
	row := s.r.QueryRowContext(ctx, `SELECT t.id, t.last_used_at, `+accountColumns+` FROM api_tokens t
		JOIN accounts a ON a.id = t.account_id
		WHERE t.token_hash = $1 AND t.revoked_at IS NULL AND a.disabled_at IS NULL`, tokenHash)
	a, err := scanAccount(prefixScanner{row, []any{&tokID, &used}})
	if err != nil {
		return a, err
	}
	if now := s.now(); !used.Valid || now.Sub(used.Time) > time.Minute {
		_, err = s.exec(ctx, `UPDATE api_tokens SET last_used_at = $2 WHERE id = $1`, tokID, now)
	}
	return a, err
}
