package storage

import (
	"context"
	"time"
)

// CreateEmailVerification stores the hash of an e-mail verification link's token.
func (s *Store) CreateEmailVerification(ctx context.Context, tokenHash, accountID string, expires time.Time) error {
	_, err := s.exec(ctx, `INSERT INTO email_verifications (token_hash, account_id, created_at, expires_at)
		VALUES ($1, $2, $3, $4)`, tokenHash, accountID, s.now(), expires)
	return err
}

// UseEmailVerification consumes a link and marks its account's e-mail verified; it returns
// the account id. An unknown, used or expired link is ErrNotFound.
func (s *Store) UseEmailVerification(ctx context.Context, tokenHash string) (string, error) {
	var accountID string
	err := s.InTx(ctx, func(tx *Store) error {
		now := tx.now()
		if err := tx.w.QueryRowContext(ctx, `UPDATE email_verifications SET used_at = $2
			WHERE token_hash = $1 AND used_at IS NULL AND expires_at > $2 RETURNING account_id`, tokenHash, now).Scan(&accountID); err != nil {
			return mapErr(err)
		}
		return tx.MarkEmailVerified(ctx, accountID)
	})
	return accountID, err
}

// EmailVerificationsSince counts the links made for an account since a time.
func (s *Store) EmailVerificationsSince(ctx context.Context, accountID string, since time.Time) (int, error) {
	var n int
	err := s.r.QueryRowContext(ctx, `SELECT count(*) FROM email_verifications WHERE account_id = $1 AND created_at > $2`,
		accountID, since).Scan(&n)
	return n, mapErr(err)
}
