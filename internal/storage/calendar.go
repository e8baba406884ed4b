package storage

import (
	"context"
	"database/sql"
	"sort"
	"time"

	"parcours/internal/id"
	"parcours/internal/model"
)

// Enrolments.

const enrolmentColumns = `e.id, e.cohort_id, e.application_id, e.account_id, e.enrolled_at, e.left_at, e.convoked_at,
	coalesce(p.id, ''), coalesce(p.first_name, ''), coalesce(p.last_name, ''), ac.email,
	coalesce(st.name, ap.declared_name)`

const enrolmentJoins = ` FROM enrolments e JOIN applications ap ON ap.id = e.application_id
	JOIN accounts ac ON ac.id = e.account_id LEFT JOIN people p ON p.id = ap.person_id
	LEFT JOIN structures st ON st.id = ap.structure_id`

func enrolmentFields(e *model.Enrolment) fields {
	var left, convoked sql.NullTime
	return fields{[]any{&e.ID, &e.CohortID, &e.ApplicationID, &e.AccountID, &e.EnrolledAt, &left, &convoked, &e.PersonID,
		&e.FirstName, &e.LastName, &e.Email, &e.StructureName}, func() {
		e.EnrolledAt, e.LeftAt, e.ConvokedAt = e.EnrolledAt.UTC(), utc(left), utc(convoked)
	}}
}

func (s *Store) enrolments(ctx context.Context, where string, args ...any) ([]model.Enrolment, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT `+enrolmentColumns+enrolmentJoins+` `+where+
		` ORDER BY coalesce(p.last_name, ac.email), coalesce(p.first_name, ''), e.id`, args...)
	if err != nil {
		return nil, mapErr(err)
	}
	defer rows.Close()
	var out []model.Enrolment
	for rows.Next() {
		var e model.Enrolment
		if err := scanFields(rows, enrolmentFields(&e)); err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	return out, rows.Err()
}

// Enrol makes the application's candidate a learner of the cohort; enrolling twice does
// nothing.
func (s *Store) Enrol(ctx context.Context, cohortID, applicationID, accountID string) error {
	_, err := s.exec(ctx, `INSERT INTO enrolments (id, cohort_id, application_id, account_id, enrolled_at)
		VALUES ($1, $2, $3, $4, $5) ON CONFLICT (application_id) DO NOTHING`, id.New(), cohortID, applicationID, accountID, s.now())
	return err
}

// LeaveCohort records that the learner of an application gave up their seat.
func (s *Store) LeaveCohort(ctx context.Context, applicationID string) error {
	_, err := s.exec(ctx, `UPDATE enrolments SET left_at = $2 WHERE application_id = $1 AND left_at IS NULL`, applicationID, s.now())
	return err
}

// Convoked records that a learner's convocation was sent.
func (s *Store) Convoked(ctx context.Context, enrolmentID string) error {
	return s.execOne(ctx, `UPDATE enrolments SET convoked_at = $2 WHERE id = $1`, enrolmentID, s.now())
}

// Enrolments lists a cohort's learners, those who left included, by name.
func (s *Store) Enrolments(ctx context.Context, cohortID string) ([]model.Enrolment, error) {
	return s.enrolments(ctx, `WHERE e.cohort_id = $1`, cohortID)
}

// EnrolmentsOfAccount lists the cohorts an account is a learner of.
func (s *Store) EnrolmentsOfAccount(ctx context.Context, accountID string) ([]model.Enrolment, error) {
	return s.enrolments(ctx, `WHERE e.account_id = $1`, accountID)
}

// Days and half-days.

// SaveDay creates or replaces a day with its half-days and trainers. A half-day keeps its
// id (and its attendance) when it is kept; bump adds one to the day's sequence, for a change
// learners are told about.
func (s *Store) SaveDay(ctx context.Context, d *model.CohortDay, bump bool) error {
	return s.InTx(ctx, func(tx *Store) error {
		now := tx.now()
		if d.ID == "" {
			d.ID, d.CreatedAt, d.UpdatedAt = id.New(), now, now
			if _, err := tx.exec(ctx, `INSERT INTO cohort_days (id, cohort_id, day, module_id, place, video_url, notes, sequence,
				cancelled, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, 0, $8, $9, $9)`, d.ID, d.CohortID, d.Date,
				d.ModuleID, d.Place, d.VideoURL, d.Notes, d.Cancelled, now); err != nil {
				return err
			}
		} else {
			if bump {
				d.Sequence++
			}
			d.UpdatedAt = now
			if err := tx.execOne(ctx, `UPDATE cohort_days SET day = $2, module_id = $3, place = $4, video_url = $5, notes = $6,
				sequence = $7, cancelled = $8, updated_at = $9 WHERE id = $1`, d.ID, d.Date, d.ModuleID, d.Place, d.VideoURL, d.Notes,
				d.Sequence, d.Cancelled, now); err != nil {
				return err
			}
		}
		if _, err := tx.exec(ctx, `DELETE FROM day_trainers WHERE day_id = $1`, d.ID); err != nil {
			return err
		}
		for _, t := range d.Trainers {
			if _, err := tx.exec(ctx, `INSERT INTO day_trainers (day_id, account_id) VALUES ($1, $2)
				ON CONFLICT (day_id, account_id) DO NOTHING`, d.ID, t); err != nil {
				return err
			}
		}
		keep := map[model.HalfDayPart]bool{}
		for i := range d.HalfDays {
			h := &d.HalfDays[i]
			h.DayID, keep[h.Part] = d.ID, true
			h.StartsAt, h.EndsAt = h.StartsAt.UTC().Truncate(time.Microsecond), h.EndsAt.UTC().Truncate(time.Microsecond)
			if _, err := tx.exec(ctx, `INSERT INTO half_days (id, day_id, part, starts_at, ends_at) VALUES ($1, $2, $3, $4, $5)
				ON CONFLICT (day_id, part) DO UPDATE SET starts_at = excluded.starts_at, ends_at = excluded.ends_at`,
				id.New(), d.ID, h.Part, h.StartsAt, h.EndsAt); err != nil {
				return err
			}
			if err := tx.r.QueryRowContext(ctx, `SELECT id FROM half_days WHERE day_id = $1 AND part = $2`, d.ID, h.Part).Scan(&h.ID); err != nil {
				return mapErr(err)
			}
		}
		for _, part := range []model.HalfDayPart{model.Morning, model.Afternoon} {
			if !keep[part] {
				if _, err := tx.exec(ctx, `DELETE FROM half_days WHERE day_id = $1 AND part = $2`, d.ID, part); err != nil {
					return err
				}
			}
		}
		return nil
	})
}

// DeleteDay removes a day with its half-days (and their attendance).
func (s *Store) DeleteDay(ctx context.Context, dayID string) error {
	return s.execOne(ctx, `DELETE FROM cohort_days WHERE id = $1`, dayID)
}

// Days lists a cohort's days in order, with their half-days and trainers.
func (s *Store) Days(ctx context.Context, cohortID string) ([]model.CohortDay, error) {
	return s.days(ctx, `WHERE d.cohort_id = $1`, cohortID)
}

// Day returns one day.
func (s *Store) Day(ctx context.Context, dayID string) (model.CohortDay, error) {
	list, err := s.days(ctx, `WHERE d.id = $1`, dayID)
	if err != nil {
		return model.CohortDay{}, err
	}
	if len(list) == 0 {
		return model.CohortDay{}, ErrNotFound
	}
	return list[0], nil
}

// DayOfHalfDay returns the day a half-day belongs to.
func (s *Store) DayOfHalfDay(ctx context.Context, halfDayID string) (model.CohortDay, error) {
	list, err := s.days(ctx, `WHERE d.id = (SELECT day_id FROM half_days WHERE id = $1)`, halfDayID)
	if err != nil {
		return model.CohortDay{}, err
	}
	if len(list) == 0 {
		return model.CohortDay{}, ErrNotFound
	}
	return list[0], nil
}

// DaysOfTrainer lists the days an account teaches, across cohorts.
func (s *Store) DaysOfTrainer(ctx context.Context, accountID string) ([]model.CohortDay, error) {
	return s.days(ctx, `WHERE d.id IN (SELECT day_id FROM day_trainers WHERE account_id = $1)`, accountID)
}

// DaysOfAccount lists the days of the cohorts an account is a learner of (still enrolled).
func (s *Store) DaysOfAccount(ctx context.Context, accountID string) ([]model.CohortDay, error) {
	return s.days(ctx, `WHERE d.cohort_id IN (SELECT cohort_id FROM enrolments WHERE account_id = $1 AND left_at IS NULL)`, accountID)
}

func (s *Store) days(ctx context.Context, where string, args ...any) ([]model.CohortDay, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT d.id, d.cohort_id, d.day, d.module_id, d.place, d.video_url, d.notes, d.sequence,
		d.cancelled, d.created_at, d.updated_at FROM cohort_days d `+where+` ORDER BY d.day, d.id`, args...)
	if err != nil {
		return nil, mapErr(err)
	}
	var out []model.CohortDay
	index := map[string]int{}
	for rows.Next() {
		var d model.CohortDay
		if err := rows.Scan(&d.ID, &d.CohortID, &d.Date, &d.ModuleID, &d.Place, &d.VideoURL, &d.Notes, &d.Sequence,
			&d.Cancelled, &d.CreatedAt, &d.UpdatedAt); err != nil {
			rows.Close()
			return nil, mapErr(err)
		}
		d.CreatedAt, d.UpdatedAt = d.CreatedAt.UTC(), d.UpdatedAt.UTC()
		index[d.ID] = len(out)
		out = append(out, d)
	}
	rows.Close()
	if err := rows.Err(); err != nil || len(out) == 0 {
		return out, err
	}
	sub := `SELECT d.id FROM cohort_days d ` + where
	hrows, err := s.r.QueryContext(ctx, `SELECT id, day_id, part, starts_at, ends_at, countersigned_at, countersigned_by
		FROM half_days WHERE day_id IN (`+sub+`) ORDER BY starts_at, part`, args...)
	if err != nil {
		return nil, mapErr(err)
	}
	for hrows.Next() {
		var h model.HalfDay
		var counter sql.NullTime
		if err := hrows.Scan(&h.ID, &h.DayID, &h.Part, &h.StartsAt, &h.EndsAt, &counter, &h.CountersignedBy); err != nil {
			hrows.Close()
			return nil, mapErr(err)
		}
		h.StartsAt, h.EndsAt, h.CountersignedAt = h.StartsAt.UTC(), h.EndsAt.UTC(), utc(counter)
		d := &out[index[h.DayID]]
		d.HalfDays = append(d.HalfDays, h)
	}
	hrows.Close()
	if err := hrows.Err(); err != nil {
		return nil, err
	}
	trows, err := s.r.QueryContext(ctx, `SELECT day_id, account_id FROM day_trainers WHERE day_id IN (`+sub+`)
		ORDER BY account_id`, args...)
	if err != nil {
		return nil, mapErr(err)
	}
	defer trows.Close()
	for trows.Next() {
		var dayID, account string
		if err := trows.Scan(&dayID, &account); err != nil {
			return nil, mapErr(err)
		}
		d := &out[index[dayID]]
		d.Trainers = append(d.Trainers, account)
	}
	for i := range out {
		sort.Slice(out[i].HalfDays, func(a, b int) bool { return out[i].HalfDays[a].Part < out[i].HalfDays[b].Part })
	}
	return out, trows.Err()
}

// Countersign records the trainer's countersignature of a half-day, which locks it; a
// half-day countersigned already is ErrNotFound.
func (s *Store) Countersign(ctx context.Context, halfDayID, accountID string) error {
	return s.execOne(ctx, `UPDATE half_days SET countersigned_at = $2, countersigned_by = $3
		WHERE id = $1 AND countersigned_at IS NULL`, halfDayID, s.now(), accountID)
}

// Attendance.

const attendanceColumns = `half_day_id, enrolment_id, status, late_minutes, reason, coalesce(file_id, ''), signed_at,
	signed_by, signed_ip, marked_by, marked_at`

func scanAttendance(row scanner) (model.Attendance, error) {
	var a model.Attendance
	var signed, marked sql.NullTime
	err := row.Scan(&a.HalfDayID, &a.EnrolmentID, &a.Status, &a.LateMinutes, &a.Reason, &a.FileID, &signed, &a.SignedBy,
		&a.SignedIP, &a.MarkedBy, &marked)
	a.SignedAt, a.MarkedAt = utc(signed), utc(marked)
	return a, mapErr(err)
}

func (s *Store) attendance(ctx context.Context, where string, args ...any) ([]model.Attendance, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT `+attendanceColumns+` FROM attendance `+where+
		` ORDER BY half_day_id, enrolment_id`, args...)
	if err != nil {
		return nil, mapErr(err)
	}
	defer rows.Close()
	var out []model.Attendance
	for rows.Next() {
		a, err := scanAttendance(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	return out, rows.Err()
}

// AttendanceOfHalfDay lists what is recorded for a half-day.
func (s *Store) AttendanceOfHalfDay(ctx context.Context, halfDayID string) ([]model.Attendance, error) {
	return s.attendance(ctx, `WHERE half_day_id = $1`, halfDayID)
}

// AttendanceOfCohort lists what is recorded for all the half-days of a cohort.
func (s *Store) AttendanceOfCohort(ctx context.Context, cohortID string) ([]model.Attendance, error) {
	return s.attendance(ctx, `WHERE half_day_id IN (SELECT h.id FROM half_days h JOIN cohort_days d ON d.id = h.day_id
		WHERE d.cohort_id = $1)`, cohortID)
}

// Sign records a learner's own signature of a half-day, as present: only once, and only
// while nothing is recorded for them (a second signature is ErrAlreadyExists).
func (s *Store) Sign(ctx context.Context, halfDayID, enrolmentID, accountID, ip string) error {
	now := s.now()
	res, err := s.exec(ctx, `INSERT INTO attendance (half_day_id, enrolment_id, status, signed_at, signed_by, signed_ip)
		VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (half_day_id, enrolment_id) DO NOTHING`,
		halfDayID, enrolmentID, model.Present, now, accountID, ip)
	if err != nil {
		return err
	}
	if n, err := res.RowsAffected(); err != nil {
		return err
	} else if n == 0 {
		return ErrAlreadyExists
	}
	return nil
}

// Mark sets a learner's status for a half-day (the trainer's or the manager's), keeping the
// learner's signature if they signed.
func (s *Store) Mark(ctx context.Context, a model.Attendance) error {
	_, err := s.exec(ctx, `INSERT INTO attendance (half_day_id, enrolment_id, status, late_minutes, reason, file_id, marked_by,
		marked_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
		ON CONFLICT (half_day_id, enrolment_id) DO UPDATE SET status = excluded.status, late_minutes = excluded.late_minutes,
		reason = excluded.reason, file_id = excluded.file_id, marked_by = excluded.marked_by, marked_at = excluded.marked_at`,
		a.HalfDayID, a.EnrolmentID, a.Status, a.LateMinutes, a.Reason, nullString(a.FileID), a.MarkedBy, s.now())
	return err
}

// Calendar feeds.

// CreateFeed stores a feed (with the id it has, if any); its token's hash is the secret part.
func (s *Store) CreateFeed(ctx context.Context, f *model.CalendarFeed) error {
	if f.ID == "" {
		f.ID = id.New()
	}
	f.CreatedAt = s.now()
	_, err := s.exec(ctx, `INSERT INTO calendar_feeds (id, token_hash, kind, cohort_id, account_id, created_at)
		VALUES ($1, $2, $3, $4, $5, $6)`, f.ID, f.TokenHash, f.Kind, nullString(f.CohortID), f.AccountID, f.CreatedAt)
	return err
}

const feedColumns = `id, token_hash, kind, coalesce(cohort_id, ''), account_id, created_at, revoked_at`

func scanFeed(row scanner) (model.CalendarFeed, error) {
	var f model.CalendarFeed
	var revoked sql.NullTime
	err := row.Scan(&f.ID, &f.TokenHash, &f.Kind, &f.CohortID, &f.AccountID, &f.CreatedAt, &revoked)
	f.CreatedAt, f.RevokedAt = f.CreatedAt.UTC(), utc(revoked)
	return f, mapErr(err)
}

// FeedByToken finds a feed that is not revoked by its token's hash.
func (s *Store) FeedByToken(ctx context.Context, tokenHash string) (model.CalendarFeed, error) {
	return scanFeed(s.r.QueryRowContext(ctx, `SELECT `+feedColumns+` FROM calendar_feeds
		WHERE token_hash = $1 AND revoked_at IS NULL`, tokenHash))
}

// FeedsOfAccount lists an account's feeds that are not revoked.
func (s *Store) FeedsOfAccount(ctx context.Context, accountID string) ([]model.CalendarFeed, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT `+feedColumns+` FROM calendar_feeds WHERE account_id = $1 AND revoked_at IS NULL
		ORDER BY created_at, id`, accountID)
	if err != nil {
		return nil, mapErr(err)
	}
	defer rows.Close()
	var out []model.CalendarFeed
	for rows.Next() {
		f, err := scanFeed(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, f)
	}
	return out, rows.Err()
}

// RevokeFeed ends one of an account's feeds.
func (s *Store) RevokeFeed(ctx context.Context, feedID, accountID string) error {
	return s.execOne(ctx, `UPDATE calendar_feeds SET revoked_at = $3 WHERE id = $1 AND account_id = $2 AND revoked_at IS NULL`,
		feedID, accountID, s.now())
}

// Trainers lists the accounts that hold the trainer role for a cohort.
func (s *Store) Trainers(ctx context.Context, cohortID string) ([]model.Account, error) {
	return s.accountsWithGrant(ctx, model.RoleTrainer, cohortID)
}

// Managers lists the accounts that manage the programmes of a training organisation.
func (s *Store) Managers(ctx context.Context, organisationID string) ([]model.Account, error) {
	return s.accountsWithGrant(ctx, model.RoleManager, organisationID)
}

func (s *Store) accountsWithGrant(ctx context.Context, role model.Role, scope string) ([]model.Account, error) {
	return s.accounts(ctx, `WHERE id IN (SELECT account_id FROM grants WHERE role = $1 AND scope = $2)`, role, scope)
}

// UnassignTrainer takes a trainer off a cohort's days whose half-days are not countersigned.
func (s *Store) UnassignTrainer(ctx context.Context, cohortID, accountID string) error {
	_, err := s.exec(ctx, `DELETE FROM day_trainers WHERE account_id = $2 AND day_id IN (SELECT d.id FROM cohort_days d
		WHERE d.cohort_id = $1 AND NOT EXISTS (SELECT 1 FROM half_days h WHERE h.day_id = d.id AND h.countersigned_at IS NOT NULL))`,
		cohortID, accountID)
	return err
}

// Unlocked is ErrNotFound when the half-day is countersigned (or gone). Call it in the
// transaction that writes a mark, so that a countersignature that just landed wins.
func (s *Store) Unlocked(ctx context.Context, halfDayID string) error {
	var n int
	err := s.r.QueryRowContext(ctx, `SELECT count(*) FROM half_days WHERE id = $1 AND countersigned_at IS NULL`, halfDayID).Scan(&n)
	if err == nil && n == 0 {
		return ErrNotFound
	}
	return mapErr(err)
}

// CohortOfJustification returns the cohort whose attendance a justification file supports.
func (s *Store) CohortOfJustification(ctx context.Context, fileID string) (model.Cohort, error) {
	var cohortID string
	err := s.r.QueryRowContext(ctx, `SELECT d.cohort_id FROM attendance a JOIN half_days h ON h.id = a.half_day_id
		JOIN cohort_days d ON d.id = h.day_id WHERE a.file_id = $1 LIMIT 1`, fileID).Scan(&cohortID)
	if err != nil {
		return model.Cohort{}, mapErr(err)
	}
	return s.Cohort(ctx, cohortID)
}
