package storage

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"errors"
)

// SettingOrInit returns a setting, storing value first if the setting is absent. Two
// instances starting at once agree on the first value written. A setting that exists is
// only read: signatures and calendar pages call it, and a write would queue them behind
// SQLite's one writer.
func (s *Store) SettingOrInit(ctx context.Context, key, value string) (string, error) {
	var v string
	err := s.r.QueryRowContext(ctx, `SELECT value FROM settings WHERE key = $1`, key).Scan(&v)
	if err = mapErr(err); !errors.Is(err, ErrNotFound) {
		return v, err
	}
	if _, err := s.exec(ctx, `INSERT INTO settings (key, value) VALUES ($1, $2) ON CONFLICT (key) DO NOTHING`, key, value); err != nil {
		return "", err
	}
	err = s.w.QueryRowContext(ctx, `SELECT value FROM settings WHERE key = $1`, key).Scan(&v)
	return v, mapErr(err)
}

// Secret returns a random key kept in the database under name, made on first use, so that
// every instance signs and checks alike (calendar addresses, signing QR codes).
func (s *Store) Secret(ctx context.Context, name string) ([]byte, error) {
	fresh := make([]byte, 32)
	rand.Read(fresh)
	v, err := s.SettingOrInit(ctx, "secret."+name, base64.RawURLEncoding.EncodeToString(fresh))
	if err != nil {
		return nil, err
	}
	return base64.RawURLEncoding.DecodeString(v)
}
