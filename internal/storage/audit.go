package storage

import (
	"context"
	"database/sql"
	"encoding/json"
	"time"

	"parcours/internal/id"
)

// AuditEntry is one recorded decision or change: who, when, what, on what.
type AuditEntry struct {
	ID          string
	At          time.Time
	AccountID   string
	Action      string // e.g. "structure.create", "import.structures", "grant.add"
	SubjectType string
	SubjectID   string
	Details     map[string]any
	IP          string
}

// Audit appends an entry to the audit log.
func (s *Store) Audit(ctx context.Context, e AuditEntry) error {
	details := ""
	if len(e.Details) > 0 {
		b, err := json.Marshal(e.Details)
		if err != nil {
			return err
		}
		details = string(b)
	}
	_, err := s.exec(ctx, `INSERT INTO audit_log (id, at, account_id, action, subject_type, subject_id, details, ip)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`, id.New(), s.now(), nullString(e.AccountID), e.Action,
		e.SubjectType, e.SubjectID, details, e.IP)
	return err
}

// AuditTrail lists the entries about one subject, newest first.
func (s *Store) AuditTrail(ctx context.Context, subjectType, subjectID string, limit int) ([]AuditEntry, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT id, at, account_id, action, subject_type, subject_id, details, ip
		FROM audit_log WHERE subject_type = $1 AND subject_id = $2 ORDER BY at DESC, id DESC`+limitOffset(limit, 0),
		subjectType, subjectID)
	if err != nil {
		return nil, mapErr(err)
	}
	defer rows.Close()
	var out []AuditEntry
	for rows.Next() {
		var e AuditEntry
		var account sql.NullString
		var details string
		if err := rows.Scan(&e.ID, &e.At, &account, &e.Action, &e.SubjectType, &e.SubjectID, &details, &e.IP); err != nil {
			return nil, err
		}
		e.AccountID, e.At = account.String, e.At.UTC()
		if details != "" {
			json.Unmarshal([]byte(details), &e.Details)
		}
		out = append(out, e)
	}
	return out, rows.Err()
}
