package storage

import (
	"context"
	"database/sql"
	"time"

	"parcours/internal/id"
)

// OutboxMessage is an e-mail waiting to be sent, or sent.
type OutboxMessage struct {
	ID            string
	DedupeKey     string // non-empty: the message is enqueued at most once
	To            string
	Subject       string
	TextBody      string
	HTMLBody      string
	Status        string // pending, sent, failed
	Attempts      int
	NextAttemptAt time.Time
	LastError     string
	CreatedAt     time.Time
	SentAt        time.Time
	// One optional attachment.
	AttachmentName string
	AttachmentType string
	Attachment     []byte
}

const outboxColumns = `id, dedupe_key, to_addr, subject, text_body, html_body, status, attempts, next_attempt_at,
	last_error, created_at, sent_at, attachment_name, attachment_type, attachment`

func scanOutbox(row interface{ Scan(...any) error }) (OutboxMessage, error) {
	var m OutboxMessage
	var key sql.NullString
	var sent sql.NullTime
	err := row.Scan(&m.ID, &key, &m.To, &m.Subject, &m.TextBody, &m.HTMLBody, &m.Status, &m.Attempts,
		&m.NextAttemptAt, &m.LastError, &m.CreatedAt, &sent, &m.AttachmentName, &m.AttachmentType, &m.Attachment)
	m.DedupeKey, m.SentAt = key.String, utc(sent)
	m.NextAttemptAt, m.CreatedAt = m.NextAttemptAt.UTC(), m.CreatedAt.UTC()
	return m, mapErr(err)
}

// Enqueue adds a message to the outbox, due at once. A message whose DedupeKey is already in
// the outbox is not added again: Enqueue then returns false.
func (s *Store) Enqueue(ctx context.Context, m *OutboxMessage) (bool, error) {
	now := s.now()
	m.ID, m.Status, m.CreatedAt, m.NextAttemptAt = id.New(), "pending", now, now
	res, err := s.exec(ctx, `INSERT INTO outbox (id, dedupe_key, to_addr, subject, text_body, html_body, status,
		next_attempt_at, created_at, attachment_name, attachment_type, attachment)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) ON CONFLICT (dedupe_key) DO NOTHING`,
		m.ID, nullString(m.DedupeKey), m.To, m.Subject, m.TextBody, m.HTMLBody, m.Status, now, now,
		m.AttachmentName, m.AttachmentType, m.Attachment)
	if err != nil {
		return false, err
	}
	n, err := res.RowsAffected()
	return n == 1, err
}

// ClaimMessages takes up to limit due messages for worker until lease runs out. A message
// claimed by a worker that died is claimable again once its lease has passed.
func (s *Store) ClaimMessages(ctx context.Context, worker string, limit int, lease time.Duration) ([]OutboxMessage, error) {
	var out []OutboxMessage
	err := s.InTx(ctx, func(tx *Store) error {
		now := tx.now()
		rows, err := tx.w.QueryContext(ctx, `UPDATE outbox SET claimed_by = $1, claimed_until = $2
			WHERE id IN (SELECT id FROM outbox WHERE status = 'pending' AND next_attempt_at <= $3
				AND (claimed_until IS NULL OR claimed_until <= $3)
				ORDER BY next_attempt_at, id LIMIT $4`+tx.skipLocked()+`)
			RETURNING `+outboxColumns, worker, now.Add(lease), now, limit)
		if err != nil {
			return mapErr(err)
		}
		defer rows.Close()
		for rows.Next() {
			m, err := scanOutbox(rows)
			if err != nil {
				return err
			}
			out = append(out, m)
		}
		return rows.Err()
	})
	return out, err
}

// MarkSent records that worker sent the message.
func (s *Store) MarkSent(ctx context.Context, msgID, worker string) error {
	now := s.now()
	return s.execOne(ctx, `UPDATE outbox SET status = 'sent', sent_at = $3, attempts = attempts + 1,
		claimed_until = NULL, last_error = '' WHERE id = $1 AND claimed_by = $2 AND status = 'pending'`, msgID, worker, now)
}

// MarkFailed records a failed attempt; the message is tried again at next, or given up when
// final.
func (s *Store) MarkFailed(ctx context.Context, msgID, worker, reason string, next time.Time, final bool) error {
	status := "pending"
	if final {
		status = "failed"
	}
	return s.execOne(ctx, `UPDATE outbox SET status = $3, attempts = attempts + 1, last_error = $4,
		next_attempt_at = $5, claimed_until = NULL WHERE id = $1 AND claimed_by = $2 AND status = 'pending'`,
		msgID, worker, status, reason, next.UTC().Truncate(time.Microsecond))
}

// OutboxMessages lists the newest messages, for the operators' page and tests.
func (s *Store) OutboxMessages(ctx context.Context, limit int) ([]OutboxMessage, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT `+outboxColumns+` FROM outbox ORDER BY created_at DESC, id DESC`+
		limitOffset(limit, 0))
	if err != nil {
		return nil, mapErr(err)
	}
	defer rows.Close()
	var out []OutboxMessage
	for rows.Next() {
		m, err := scanOutbox(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, m)
	}
	return out, rows.Err()
}

// OutboxCounts counts messages by status.
func (s *Store) OutboxCounts(ctx context.Context) (map[string]int, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT status, count(*) FROM outbox GROUP BY status`)
	if err != nil {
		return nil, mapErr(err)
	}
	defer rows.Close()
	out := map[string]int{"pending": 0, "sent": 0, "failed": 0}
	for rows.Next() {
		var st string
		var n int
		if err := rows.Scan(&st, &n); err != nil {
			return nil, err
		}
		out[st] = n
	}
	return out, rows.Err()
}
