package storage

import (
	"context"
	"database/sql"
	"strings"

	"parcours/internal/id"
	"parcours/internal/model"
)

const accountColumns = `a.id, a.email, a.display_name, a.password_hash, a.person_id, a.email_verified_at, a.disabled_at,
	a.created_at, a.updated_at`

func scanAccount(row interface{ Scan(...any) error }) (model.Account, error) {
	var a model.Account
	var person sql.NullString
	var verified, disabled sql.NullTime
	err := row.Scan(&a.ID, &a.Email, &a.DisplayName, &a.PasswordHash, &person, &verified, &disabled, &a.CreatedAt, &a.UpdatedAt)
	a.PersonID, a.EmailVerifiedAt, a.DisabledAt = person.String, utc(verified), utc(disabled)
	a.CreatedAt, a.UpdatedAt = a.CreatedAt.UTC(), a.UpdatedAt.UTC()
	return a, mapErr(err)
}

// CreateAccount stores a new account; its e-mail is kept in lower case and must be unique.
func (s *Store) CreateAccount(ctx context.Context, a *model.Account) error {
	now := s.now()
	a.ID, a.CreatedAt, a.UpdatedAt = id.New(), now, now
	a.Email = strings.ToLower(strings.TrimSpace(a.Email))
	_, err := s.exec(ctx, `INSERT INTO accounts (id, email, display_name, password_hash, person_id, email_verified_at,
		disabled_at, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
		a.ID, a.Email, a.DisplayName, a.PasswordHash, nullString(a.PersonID), nullTime(a.EmailVerifiedAt),
		nullTime(a.DisabledAt), now, now)
	return err
}

// Account returns one account by id.
func (s *Store) Account(ctx context.Context, id string) (model.Account, error) {
	return scanAccount(s.r.QueryRowContext(ctx, `SELECT `+accountColumns+` FROM accounts a WHERE a.id = $1`, id))
}

// AccountByEmail finds an account by e-mail, whatever its case.
func (s *Store) AccountByEmail(ctx context.Context, email string) (model.Account, error) {
	return scanAccount(s.r.QueryRowContext(ctx, `SELECT `+accountColumns+` FROM accounts a WHERE a.email = $1`,
		strings.ToLower(strings.TrimSpace(email))))
}

// Accounts lists every account by e-mail.
func (s *Store) Accounts(ctx context.Context) ([]model.Account, error) {
	return s.accounts(ctx, "")
}

func (s *Store) accounts(ctx context.Context, where string, args ...any) ([]model.Account, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT `+accountColumns+` FROM accounts a `+where+` ORDER BY a.email`, args...)
	if err != nil {
		return nil, mapErr(err)
	}
	defer rows.Close()
	var out []model.Account
	for rows.Next() {
		a, err := scanAccount(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	return out, rows.Err()
}

// SetPasswordHash replaces an account's password and ends its sessions, so that a reset
// password locks out whoever knew the old one.
func (s *Store) SetPasswordHash(ctx context.Context, accountID, hash string) error {
	return s.InTx(ctx, func(tx *Store) error {
		if err := tx.execOne(ctx, `UPDATE accounts SET password_hash = $2, updated_at = $3 WHERE id = $1`,
			accountID, hash, tx.now()); err != nil {
			return err
		}
		_, err := tx.exec(ctx, `DELETE FROM sessions WHERE account_id = $1`, accountID)
		return err
	})
}

// LinkAccountPerson names the person an account belongs to.
func (s *Store) LinkAccountPerson(ctx context.Context, accountID, personID string) error {
	return s.execOne(ctx, `UPDATE accounts SET person_id = $2, updated_at = $3 WHERE id = $1`, accountID, personID, s.now())
}

// MarkEmailVerified records that the account's owner proved they read its mailbox.
func (s *Store) MarkEmailVerified(ctx context.Context, accountID string) error {
	now := s.now()
	return s.execOne(ctx, `UPDATE accounts SET email_verified_at = coalesce(email_verified_at, $2), updated_at = $2
		WHERE id = $1`, accountID, now)
}

// Grant gives an account a role in a scope; granting it twice is ErrAlreadyExists.
func (s *Store) Grant(ctx context.Context, g *model.Grant) error {
	g.ID, g.CreatedAt = id.New(), s.now()
	_, err := s.exec(ctx, `INSERT INTO grants (id, account_id, role, scope, created_at) VALUES ($1, $2, $3, $4, $5)`,
		g.ID, g.AccountID, g.Role, g.Scope, g.CreatedAt)
	return err
}

// Revoke removes a grant.
func (s *Store) Revoke(ctx context.Context, accountID string, role model.Role, scope string) error {
	return s.execOne(ctx, `DELETE FROM grants WHERE account_id = $1 AND role = $2 AND scope = $3`, accountID, role, scope)
}

// Grants lists an account's grants.
func (s *Store) Grants(ctx context.Context, accountID string) ([]model.Grant, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT id, account_id, role, scope, created_at FROM grants
		WHERE account_id = $1 ORDER BY role, scope`, accountID)
	if err != nil {
		return nil, mapErr(err)
	}
	defer rows.Close()
	var out []model.Grant
	for rows.Next() {
		var g model.Grant
		if err := rows.Scan(&g.ID, &g.AccountID, &g.Role, &g.Scope, &g.CreatedAt); err != nil {
			return nil, err
		}
		g.CreatedAt = g.CreatedAt.UTC()
		out = append(out, g)
	}
	return out, rows.Err()
}
