package attendance

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"unicode/utf8"

	"parcours/internal/apply"
	"parcours/internal/directory"
	"parcours/internal/i18n"
	"parcours/internal/mail"
	"parcours/internal/model"
	"parcours/internal/schedule"
	"parcours/internal/storage"
	"parcours/internal/validator"
)

// Sheet is one half-day's attendance: the cohort's learners with what is recorded for each.
type Sheet struct {
	Cohort  *schedule.Cohort
	Day     model.CohortDay
	HalfDay model.HalfDay
	Lines   []Line
}

// Line is a learner's line on a sheet; an unmarked learner has Record.Status "".
type Line struct {
	Learner model.Enrolment
	Record  model.Attendance
}

// LoadSheet reads a half-day's sheet: the active learners, and those who left with a record.
func LoadSheet(ctx context.Context, s *storage.Store, halfDayID string) (*Sheet, error) {
	day, err := s.DayOfHalfDay(ctx, halfDayID)
	if err != nil {
		return nil, err
	}
	c, err := schedule.Load(ctx, s, day.CohortID)
	if err != nil {
		return nil, err
	}
	return sheetOf(ctx, s, c, halfDayID)
}

func sheetOf(ctx context.Context, s *storage.Store, c *schedule.Cohort, halfDayID string) (*Sheet, error) {
	day, h, ok := c.HalfDay(halfDayID)
	if !ok {
		return nil, storage.ErrNotFound
	}
	records, err := s.AttendanceOfHalfDay(ctx, halfDayID)
	if err != nil {
		return nil, err
	}
	byLearner := map[string]model.Attendance{}
	for _, a := range records {
		byLearner[a.EnrolmentID] = a
	}
	sh := &Sheet{Cohort: c, Day: day, HalfDay: h}
	for _, e := range c.Learners {
		a, recorded := byLearner[e.ID]
		if e.Active() || recorded {
			sh.Lines = append(sh.Lines, Line{Learner: e, Record: a})
		}
	}
	return sh, nil
}

// Line returns a learner's line.
func (sh *Sheet) Line(enrolmentID string) (Line, bool) {
	for _, l := range sh.Lines {
		if l.Learner.ID == enrolmentID {
			return l, true
		}
	}
	return Line{}, false
}

// Counts is how many learners have each status ("" for unmarked) and how many signed.
func (sh *Sheet) Counts() (byStatus map[model.AttendanceStatus]int, signed int) {
	byStatus = map[model.AttendanceStatus]int{}
	for _, l := range sh.Lines {
		byStatus[l.Record.Status]++
		if l.Record.Signed() {
			signed++
		}
	}
	return byStatus, signed
}

// MarkInput is a mark as typed: a status, minutes late, a justification with its file.
type MarkInput struct {
	EnrolmentID string
	Status      string
	LateMinutes string
	Reason      string
	File        *apply.Upload // a justification (PDF, JPEG, PNG); nil or empty: keep the one recorded
}

// Errors of marks.
var (
	ErrLocked    = errors.New("attendance: the half-day is countersigned")
	ErrNotLocked = errors.New("attendance: the half-day is not countersigned yet")
)

// field names the form fields of a learner's mark.
func field(enrolmentID, name string) string { return name + "-" + enrolmentID }

// recordOf checks a mark and returns the record to store (keeping the learner's signature).
func (sh *Sheet) recordOf(in MarkInput) (model.Attendance, *storage.File, validator.Errors) {
	var errs validator.Errors
	line, ok := sh.Line(in.EnrolmentID)
	if !ok {
		errs.Add(field(in.EnrolmentID, "status"), "invalid", i18n.T("validation.choose"))
		return model.Attendance{}, nil, errs
	}
	a := line.Record
	a.HalfDayID, a.EnrolmentID = sh.HalfDay.ID, in.EnrolmentID
	a.Status = model.AttendanceStatus(in.Status)
	a.LateMinutes, a.Reason = 0, ""
	if !a.Status.Valid() {
		errs.Add(field(in.EnrolmentID, "status"), "required", i18n.T("attendance.status_required"))
	}
	if a.Status == model.Late {
		n, err := strconv.Atoi(strings.TrimSpace(in.LateMinutes))
		if err != nil || n < 1 || n > sh.HalfDay.Minutes() {
			errs.Add(field(in.EnrolmentID, "late"), "invalid", i18n.T("attendance.late_invalid", sh.HalfDay.Minutes()))
		}
		a.LateMinutes = n
	}
	var file *storage.File
	if a.Status == model.AbsentJustified {
		a.Reason = strings.Join(strings.Fields(in.Reason), " ")
		if a.Reason == "" {
			errs.Add(field(in.EnrolmentID, "reason"), "required", i18n.T("attendance.reason_required"))
		} else if utf8.RuneCountInString(a.Reason) > 300 {
			errs.Add(field(in.EnrolmentID, "reason"), "too_long", i18n.T("validation.too_long", 300))
		}
		if in.File != nil && len(in.File.Data) > 0 {
			f, code, message := apply.FileOf(*in.File)
			if f == nil {
				errs.Add(field(in.EnrolmentID, "file"), code, message)
			}
			file = f
		}
	} else {
		a.FileID = ""
	}
	return a, file, errs
}

// Mark records a trainer's (or manager's) mark before the half-day is countersigned (a
// cancelled day takes none: ErrLocked).
func Mark(ctx context.Context, s *storage.Store, actor directory.Actor, sh *Sheet, in MarkInput) (validator.Errors, error) {
	if sh.HalfDay.Countersigned() || sh.Day.Cancelled {
		return nil, ErrLocked
	}
	a, file, errs := sh.recordOf(in)
	if errs.Any() {
		return errs, nil
	}
	a.MarkedBy = actor.Principal.AccountID
	return nil, s.InTx(ctx, func(tx *storage.Store) error {
		// Read again inside the transaction: a countersignature may have just landed.
		if err := tx.Unlocked(ctx, sh.HalfDay.ID); errors.Is(err, storage.ErrNotFound) {
			return ErrLocked
		} else if err != nil {
			return err
		}
		if file != nil {
			file.AccountID = actor.Principal.AccountID
			if err := tx.CreateFile(ctx, file); err != nil {
				return err
			}
			a.FileID = file.ID
		}
		return tx.Mark(ctx, a)
	})
}

// Correct changes a mark after the countersignature: the manager's, with a reason, kept in
// the audit log with the mark before and after.
func Correct(ctx context.Context, s *storage.Store, actor directory.Actor, m mail.Site, sh *Sheet, in MarkInput, why string) (validator.Errors, error) {
	if !sh.HalfDay.Countersigned() {
		return nil, ErrNotLocked
	}
	a, file, errs := sh.recordOf(in)
	why = strings.Join(strings.Fields(why), " ")
	if utf8.RuneCountInString(why) < 5 {
		errs.Add(field(in.EnrolmentID, "why"), "required", i18n.T("attendance.correction_reason"))
	}
	if errs.Any() {
		return errs, nil
	}
	before, _ := sh.Line(in.EnrolmentID)
	a.MarkedBy = actor.Principal.AccountID
	return nil, s.InTx(ctx, func(tx *storage.Store) error {
		if file != nil {
			file.AccountID = actor.Principal.AccountID
			if err := tx.CreateFile(ctx, file); err != nil {
				return err
			}
			a.FileID = file.ID
		}
		if err := tx.Mark(ctx, a); err != nil {
			return err
		}
		if err := actor.Audit(ctx, tx, "attendance.correct", "half_day", sh.HalfDay.ID, map[string]any{
			"learner": in.EnrolmentID, "reason": why,
			"before": string(before.Record.Status), "before_late": before.Record.LateMinutes, "before_reason": before.Record.Reason,
			"after": string(a.Status), "after_late": a.LateMinutes, "after_reason": a.Reason,
		}); err != nil {
			return err
		}
		return alerts(ctx, tx, m, sh.Cohort)
	})
}

// Countersign closes the half-day: the learners not marked are recorded absent without
// justification, the trainer's countersignature locks the sheet, and the managers are told
// of any learner who falls under the threshold. It returns how many were marked absent.
func Countersign(ctx context.Context, s *storage.Store, actor directory.Actor, m mail.Site, sh *Sheet) (int, error) {
	if sh.HalfDay.Countersigned() {
		return 0, ErrLocked
	}
	if s.Clock.Now().Before(sh.HalfDay.StartsAt) {
		return 0, ErrNotStarted
	}
	absent := 0
	err := s.InTx(ctx, func(tx *storage.Store) error {
		records, err := tx.AttendanceOfHalfDay(ctx, sh.HalfDay.ID)
		if err != nil {
			return err
		}
		marked := map[string]bool{}
		for _, a := range records {
			marked[a.EnrolmentID] = true
		}
		for _, l := range sh.Lines {
			if marked[l.Learner.ID] || !l.Learner.Active() {
				continue
			}
			if err := tx.Mark(ctx, model.Attendance{HalfDayID: sh.HalfDay.ID, EnrolmentID: l.Learner.ID,
				Status: model.AbsentUnjustified, MarkedBy: actor.Principal.AccountID}); err != nil {
				return err
			}
			absent++
		}
		if err := tx.Countersign(ctx, sh.HalfDay.ID, actor.Principal.AccountID); errors.Is(err, storage.ErrNotFound) {
			return ErrLocked
		} else if err != nil {
			return err
		}
		if err := actor.Audit(ctx, tx, "attendance.countersign", "half_day", sh.HalfDay.ID, map[string]any{"absent": absent}); err != nil {
			return err
		}
		return alerts(ctx, tx, m, sh.Cohort)
	})
	return absent, err
}

// ErrNotStarted: a half-day is countersigned once it has started.
var ErrNotStarted = errors.New("attendance: the half-day has not started")
