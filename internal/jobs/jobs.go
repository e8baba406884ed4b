// Package jobs runs background work that any server instance may pick up: a job is claimed
// in the database (with a lease, so a dead instance's job is taken over), its progress is
// stored for the page that follows it, and its result kept as JSON. It also queues the
// reminders that fall due and sweeps expired sessions and old login attempts.
package jobs

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"parcours/internal/apply"
	"parcours/internal/csvimport"
	"parcours/internal/mail"
	"parcours/internal/selection"
	"parcours/internal/storage"
)

// KindImportStructures imports (or only checks) a CSV file of structures.
const KindImportStructures = "import.structures"

// ImportPayload says which uploaded file to import and how.
type ImportPayload struct {
	FileID    string `json:"file_id"`
	FileName  string `json:"file_name"`
	DryRun    bool   `json:"dry_run"`
	AccountID string `json:"account_id"`
	IP        string `json:"ip"`
}

// ImportResult is what an import job found or did.
type ImportResult struct {
	Encoding  string               `json:"encoding"`
	Separator string               `json:"separator"`
	Rows      int                  `json:"rows"`
	Created   int                  `json:"created"`
	Updated   int                  `json:"updated"`
	Unchanged int                  `json:"unchanged"`
	Errors    []csvimport.RowError `json:"errors"`
	Warnings  []csvimport.RowError `json:"warnings"`
	Failed    bool                 `json:"failed"` // an internal error: the log has the detail
}

// Runner claims and runs jobs, and queues the reminders that fall due.
type Runner struct {
	Store   *storage.Store
	Logger  *slog.Logger
	ID      string
	Poll    time.Duration
	Mailing mail.Site // where the e-mails' links lead
}

const lease = 2 * time.Minute

// Run works until ctx ends; the job under way is finished first.
func (r *Runner) Run(ctx context.Context) {
	poll := r.Poll
	if poll <= 0 {
		poll = time.Second
	}
	t := time.NewTicker(poll)
	defer t.Stop()
	lastSweep := time.Time{}
	for {
		for {
			ran, err := r.RunOnce(ctx)
			if err != nil && ctx.Err() == nil {
				r.Logger.Error("jobs", "error", err)
			}
			if !ran || ctx.Err() != nil {
				break
			}
		}
		r.Due(ctx)
		if time.Since(lastSweep) > 10*time.Minute {
			lastSweep = time.Now()
			if n, err := r.Store.DeleteExpired(ctx, r.Store.Clock.Now().Add(-24*time.Hour)); err != nil && ctx.Err() == nil {
				r.Logger.Error("sweep", "error", err)
			} else if n > 0 {
				r.Logger.Info("sweep", "deleted", n)
			}
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// Due does what falls due by the clock: the reminders of unsubmitted drafts, and the
// offers' lapses, the seats they free and the reminders of their deadlines.
func (r *Runner) Due(ctx context.Context) {
	if _, err := apply.SendReminders(ctx, r.Store, r.Mailing); err != nil && ctx.Err() == nil {
		r.Logger.Error("reminders", "error", err)
	}
	lapsed, offered, err := selection.Sweep(ctx, r.Store, r.Mailing)
	switch {
	case err != nil && ctx.Err() == nil:
		r.Logger.Error("offers", "error", err)
	case lapsed+offered > 0:
		r.Logger.Info("offers", "lapsed", lapsed, "offered", offered)
	}
}

// RunOnce runs one due job, if any, and reports whether it ran one.
func (r *Runner) RunOnce(ctx context.Context) (bool, error) {
	j, err := r.Store.ClaimJob(ctx, r.ID, lease)
	if errors.Is(err, storage.ErrNotFound) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	ctx = context.WithoutCancel(ctx) // a claimed job runs to its end, even during shutdown
	status, result := r.run(ctx, j)
	b, err := json.Marshal(result)
	if err != nil {
		return true, err
	}
	return true, r.Store.FinishJob(ctx, j.ID, r.ID, status, string(b))
}

// maxAttempts: a job claimed this many times (its workers died, or it crashes them) is given up.
const maxAttempts = 3

// run runs one job. A panic fails the job instead of taking the instance down, and with it,
// once the lease runs out, every other instance in turn.
func (r *Runner) run(ctx context.Context, j storage.Job) (status string, result any) {
	failed := map[string]bool{"failed": true}
	defer func() {
		if v := recover(); v != nil {
			r.Logger.Error("job panicked", "job", j.ID, "kind", j.Kind, "panic", fmt.Sprint(v))
			status, result = "failed", failed
		}
	}()
	if j.Attempts > maxAttempts {
		r.Logger.Error("job given up", "job", j.ID, "kind", j.Kind, "attempts", j.Attempts)
		return "failed", failed
	}
	switch j.Kind {
	case KindImportStructures:
		res := r.importStructures(ctx, j)
		if res.Failed {
			return "failed", res
		}
		return "done", res
	}
	r.Logger.Error("unknown job kind", "job", j.ID, "kind", j.Kind)
	return "failed", failed
}

func (r *Runner) importStructures(ctx context.Context, j storage.Job) ImportResult {
	var p ImportPayload
	if err := json.Unmarshal([]byte(j.Payload), &p); err != nil {
		r.Logger.Error("import payload", "job", j.ID, "error", err)
		return ImportResult{Failed: true}
	}
	f, err := r.Store.File(ctx, p.FileID)
	if err != nil {
		r.Logger.Error("import file", "job", j.ID, "error", err)
		return ImportResult{Failed: true}
	}
	parsed := csvimport.Parse(f.Data)
	out := ImportResult{Encoding: parsed.Encoding, Separator: string(parsed.Separator), Rows: len(parsed.Rows),
		Errors: parsed.Errors, Warnings: parsed.Warnings}
	if !parsed.OK() {
		return out
	}
	opt := csvimport.Options{DryRun: p.DryRun, AccountID: p.AccountID, IP: p.IP}
	// Progress is reported from inside the import's transaction. On PostgreSQL another
	// connection stores it for the page that follows the job; SQLite has one writer, held by
	// that transaction, so there the page shows "en cours" until the end (a few seconds).
	if r.Store.Dialect() == storage.Postgres {
		opt.Progress = func(done, total int) {
			if err := r.Store.JobProgress(ctx, j.ID, r.ID, done, total, lease); err != nil {
				r.Logger.Warn("import progress", "job", j.ID, "error", err)
			}
		}
	}
	report, err := csvimport.Apply(ctx, r.Store, parsed, opt)
	out.Created, out.Updated, out.Unchanged, out.Errors = report.Created, report.Updated, report.Unchanged, report.Errors
	if err != nil && !errors.Is(err, csvimport.ErrRefused) {
		r.Logger.Error("import", "job", j.ID, "error", err)
		out.Failed = true
	}
	return out
}
