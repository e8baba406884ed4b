package storage

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"time"

	"parcours/internal/id"
)

// File is an uploaded file, kept in the database so that every instance serves it.
type File struct {
	ID          string
	Name        string
	ContentType string
	Size        int64
	SHA256      string
	Data        []byte
	AccountID   string
	CreatedAt   time.Time
}

// CreateFile stores a file and its checksum.
func (s *Store) CreateFile(ctx context.Context, f *File) error {
	sum := sha256.Sum256(f.Data)
	f.ID, f.CreatedAt, f.Size, f.SHA256 = id.New(), s.now(), int64(len(f.Data)), hex.EncodeToString(sum[:])
	_, err := s.exec(ctx, `INSERT INTO files (id, name, content_type, size, sha256, data, account_id, created_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`, f.ID, f.Name, f.ContentType, f.Size, f.SHA256, f.Data,
		nullString(f.AccountID), f.CreatedAt)
	return err
}

// File returns a file with its content.
func (s *Store) File(ctx context.Context, fileID string) (File, error) {
	var f File
	var account *string
	err := s.r.QueryRowContext(ctx, `SELECT id, name, content_type, size, sha256, data, account_id, created_at
		FROM files WHERE id = $1`, fileID).Scan(&f.ID, &f.Name, &f.ContentType, &f.Size, &f.SHA256, &f.Data, &account, &f.CreatedAt)
	if account != nil {
		f.AccountID = *account
	}
	f.CreatedAt = f.CreatedAt.UTC()
	return f, mapErr(err)
}
