package storage

import (
	"context"
	"database/sql"
	"time"

	"parcours/internal/id"
)

// Job is background work that any instance may pick up (an import, later an export).
type Job struct {
	ID            string
	Kind          string
	Status        string // queued, running, done, failed
	Payload       string // JSON
	Result        string // JSON
	ProgressDone  int
	ProgressTotal int
	Attempts      int
	AccountID     string
	CreatedAt     time.Time
	FinishedAt    time.Time
}

const jobColumns = `id, kind, status, payload, result, progress_done, progress_total, attempts, account_id, created_at, finished_at`

func scanJob(row interface{ Scan(...any) error }) (Job, error) {
	var j Job
	var account sql.NullString
	var finished sql.NullTime
	err := row.Scan(&j.ID, &j.Kind, &j.Status, &j.Payload, &j.Result, &j.ProgressDone, &j.ProgressTotal, &j.Attempts,
		&account, &j.CreatedAt, &finished)
	j.AccountID, j.FinishedAt, j.CreatedAt = account.String, utc(finished), j.CreatedAt.UTC()
	return j, mapErr(err)
}

// CreateJob queues a job.
func (s *Store) CreateJob(ctx context.Context, j *Job) error {
	j.ID, j.Status, j.CreatedAt = id.New(), "queued", s.now()
	_, err := s.exec(ctx, `INSERT INTO jobs (id, kind, status, payload, account_id, created_at) VALUES ($1, $2, $3, $4, $5, $6)`,
		j.ID, j.Kind, j.Status, j.Payload, nullString(j.AccountID), j.CreatedAt)
	return err
}

// Job returns one job.
func (s *Store) Job(ctx context.Context, jobID string) (Job, error) {
	return scanJob(s.r.QueryRowContext(ctx, `SELECT `+jobColumns+` FROM jobs WHERE id = $1`, jobID))
}

// ClaimJob takes the oldest queued job — or a running one whose worker's lease ran out — for
// worker. It returns ErrNotFound when there is none.
func (s *Store) ClaimJob(ctx context.Context, worker string, lease time.Duration) (Job, error) {
	var j Job
	err := s.InTx(ctx, func(tx *Store) error {
		now := tx.now()
		var err error
		j, err = scanJob(tx.w.QueryRowContext(ctx, `UPDATE jobs SET status = 'running', claimed_by = $1,
			claimed_until = $2, attempts = attempts + 1
			WHERE id = (SELECT id FROM jobs WHERE status = 'queued' OR (status = 'running' AND claimed_until <= $3)
				ORDER BY created_at, id LIMIT 1`+tx.skipLocked()+`)
			RETURNING `+jobColumns, worker, now.Add(lease), now))
		return err
	})
	return j, err
}

// JobProgress records how far a job has gone and extends its lease.
func (s *Store) JobProgress(ctx context.Context, jobID, worker string, done, total int, lease time.Duration) error {
	return s.execOne(ctx, `UPDATE jobs SET progress_done = $3, progress_total = $4, claimed_until = $5
		WHERE id = $1 AND claimed_by = $2 AND status = 'running'`, jobID, worker, done, total, s.now().Add(lease))
}

// FinishJob records a job's end (status done or failed) with its JSON result.
func (s *Store) FinishJob(ctx context.Context, jobID, worker, status, result string) error {
	return s.execOne(ctx, `UPDATE jobs SET status = $3, result = $4, finished_at = $5, claimed_until = NULL
		WHERE id = $1 AND claimed_by = $2 AND status = 'running'`, jobID, worker, status, result, s.now())
}
