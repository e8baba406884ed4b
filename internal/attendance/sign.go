// Package attendance records who attended each half-day of a cohort: the learners' own
// signatures (reached through the rotating QR code the trainer shows, or from their
// calendar), the trainer's marks and countersignature that locks the half-day, the
// manager's audited corrections, the attendance rates with the alert under the
// programme's threshold, and the documents built from the records (package docs).
package attendance

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"slices"
	"strconv"
	"strings"
	"time"

	"parcours/internal/i18n"
	"parcours/internal/model"
	"parcours/internal/schedule"
	"parcours/internal/storage"
	"parcours/internal/territory"
)

// DefaultMargin is how long before a half-day starts its signing opens.
const DefaultMargin = 30 * time.Minute

// QRPeriod is how often the signing QR code changes; a code is accepted for QRLifetime
// after it was shown, long enough to scan it and log in, too short to be passed on.
const (
	QRPeriod   = 30 * time.Second
	QRLifetime = 2 * time.Minute
)

// Refusal is why a signature is refused, with the sentence to show the learner.
type Refusal struct {
	Code    string // not_learner, too_early, closed, already_signed, qr_expired, qr_invalid, locked, cancelled
	Message string
}

func (r *Refusal) Error() string { return "attendance: signature refused: " + r.Code }

// Is makes errors.Is(err, ErrRefused) true for every refusal.
func (r *Refusal) Is(target error) bool { return target == ErrRefused }

// ErrRefused matches any *Refusal.
var ErrRefused = errors.New("attendance: signature refused")

func refuse(code string, args ...any) error {
	return &Refusal{Code: code, Message: i18n.T("attendance.refused."+code, args...)}
}

// Key is the key that signs the QR codes; every instance reads the same one from the database.
func Key(ctx context.Context, s *storage.Store) ([]byte, error) { return s.Secret(ctx, "signing-qr") }

// QRToken is the token of the QR code shown at t for a half-day.
func QRToken(key []byte, halfDayID string, t time.Time) string {
	period := strconv.FormatInt(t.Unix()/int64(QRPeriod/time.Second), 10)
	return period + "." + qrMAC(key, halfDayID, period)
}

func qrMAC(key []byte, halfDayID, period string) string {
	mac := hmac.New(sha256.New, key)
	mac.Write([]byte("signing-qr:" + halfDayID + ":" + period))
	return base64.RawURLEncoding.EncodeToString(mac.Sum(nil)[:18])
}

// checkQR tells whether token is a QR code of the half-day shown less than QRLifetime ago.
func checkQR(key []byte, halfDayID, token string, now time.Time) error {
	period, mac, ok := strings.Cut(token, ".")
	n, err := strconv.ParseInt(period, 10, 64)
	if !ok || err != nil || !hmac.Equal([]byte(mac), []byte(qrMAC(key, halfDayID, period))) {
		return refuse("qr_invalid")
	}
	shown := time.Unix(n*int64(QRPeriod/time.Second), 0)
	if now.Sub(shown) > QRLifetime || shown.After(now.Add(QRPeriod)) {
		return refuse("qr_expired")
	}
	return nil
}

// Window is when a half-day may be signed: from margin before it starts to its end.
func Window(h model.HalfDay, margin time.Duration) (from, to time.Time) {
	return h.StartsAt.Add(-margin), h.EndsAt
}

// Signature is a learner's signing of a half-day.
type Signature struct {
	HalfDayID string
	AccountID string
	IP        string
	QR        string // the QR code's token; "" when signing from the calendar page
}

// Sign records a learner's signature: only a learner of the half-day's cohort, only within
// its window, only once, never on a countersigned half-day, and, from a QR code, only with
// a code still valid. A refusal is a *Refusal saying why, and nothing is recorded.
func Sign(ctx context.Context, s *storage.Store, margin time.Duration, sig Signature) error {
	day, err := s.DayOfHalfDay(ctx, sig.HalfDayID)
	if errors.Is(err, storage.ErrNotFound) {
		return refuse("not_learner")
	} else if err != nil {
		return err
	}
	// Only what the checks need: a whole cohort's calendar is not read for each signature.
	var h model.HalfDay
	for _, x := range day.HalfDays {
		if x.ID == sig.HalfDayID {
			h = x
		}
	}
	co, err := s.Cohort(ctx, day.CohortID)
	if err != nil {
		return err
	}
	loc := time.UTC
	if r, ok := territory.RegionByCode(co.RegionCode); ok {
		loc = r.Location()
	}
	enrolments, err := s.EnrolmentsOfAccount(ctx, sig.AccountID)
	if err != nil {
		return err
	}
	i := slices.IndexFunc(enrolments, func(e model.Enrolment) bool { return e.CohortID == day.CohortID && e.Active() })
	if i < 0 {
		return refuse("not_learner")
	}
	learner := enrolments[i]
	now := s.Clock.Now()
	if sig.QR != "" {
		key, err := Key(ctx, s)
		if err != nil {
			return err
		}
		if err := checkQR(key, sig.HalfDayID, sig.QR, now); err != nil {
			return err
		}
	}
	from, to := Window(h, margin)
	switch {
	case day.Cancelled:
		return refuse("cancelled")
	case h.Countersigned():
		return refuse("locked")
	case now.Before(from):
		return refuse("too_early", i18n.DateTime(from, loc))
	case !now.Before(to):
		return refuse("closed", i18n.Clock(to, loc))
	}
	err = s.Sign(ctx, sig.HalfDayID, learner.ID, sig.AccountID, sig.IP)
	if errors.Is(err, storage.ErrAlreadyExists) {
		records, err := s.AttendanceOfHalfDay(ctx, sig.HalfDayID)
		if err != nil {
			return err
		}
		for _, a := range records {
			if a.EnrolmentID == learner.ID && a.Signed() {
				return refuse("already_signed", i18n.Clock(a.SignedAt, loc))
			}
		}
		return refuse("already_marked")
	}
	return err
}

// Signable returns the half-day an account may sign now in its cohorts, if any: the one
// whose window holds now and that it has not signed.
func Signable(ctx context.Context, s *storage.Store, margin time.Duration, accountID string) (*schedule.Cohort, model.CohortDay, model.HalfDay, bool, error) {
	enrolments, err := s.EnrolmentsOfAccount(ctx, accountID)
	if err != nil {
		return nil, model.CohortDay{}, model.HalfDay{}, false, err
	}
	now := s.Clock.Now()
	for _, e := range enrolments {
		if !e.Active() {
			continue
		}
		c, err := schedule.Load(ctx, s, e.CohortID)
		if err != nil {
			return nil, model.CohortDay{}, model.HalfDay{}, false, err
		}
		for _, d := range c.Scheduled() {
			for _, h := range d.HalfDays {
				from, to := Window(h, margin)
				if now.Before(from) || !now.Before(to) || h.Countersigned() {
					continue
				}
				records, err := s.AttendanceOfHalfDay(ctx, h.ID)
				if err != nil {
					return nil, model.CohortDay{}, model.HalfDay{}, false, err
				}
				done := false
				for _, a := range records {
					done = done || a.EnrolmentID == e.ID
				}
				if !done {
					return c, d, h, true, nil
				}
			}
		}
	}
	return nil, model.CohortDay{}, model.HalfDay{}, false, nil
}
