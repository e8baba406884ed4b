package selection

import (
	"context"
	"errors"
	"strings"
	"unicode/utf8"

	"parcours/internal/directory"
	"parcours/internal/i18n"
	"parcours/internal/model"
	"parcours/internal/storage"
	"parcours/internal/validator"
)

var (
	// ErrClosed: the chair closed the review; nothing changes any more.
	ErrClosed = errors.New("review closed")
	// ErrSubmitted: a submitted review does not change.
	ErrSubmitted = errors.New("review submitted")
)

// SaveReview saves a member's scores (0 to 5 per criterion) and comment, as a draft, or
// submitted when submit is set: then every criterion needs a score, and the review no
// longer changes.
func SaveReview(ctx context.Context, s *storage.Store, actor directory.Actor, b *Board, r model.Review,
	scores map[string]string, comment string, submit bool) (validator.Errors, error) {
	if !b.Committee.ClosedAt.IsZero() {
		return nil, ErrClosed
	}
	if r.Status == model.ReviewSubmitted {
		return nil, ErrSubmitted
	}
	var errs validator.Errors
	r.Scores = map[string]int{}
	for _, c := range b.Grid {
		v := strings.TrimSpace(scores[c.ID])
		if v == "" {
			if submit {
				errs.Add("criterion-"+c.ID, "required", i18n.T("review.score_required"))
			}
			continue
		}
		if len(v) != 1 || v[0] < '0' || v[0] > '5' {
			errs.Add("criterion-"+c.ID, "invalid", i18n.T("review.score_invalid"))
			continue
		}
		r.Scores[c.ID] = int(v[0] - '0')
	}
	r.Comment = strings.TrimSpace(comment)
	if utf8.RuneCountInString(r.Comment) > 5000 {
		errs.Add("comment", "too_long", i18n.T("validation.too_long", 5000))
	}
	if submit && len(b.Grid) == 0 {
		errs.Add("grid", "required", i18n.T("committee.grid_empty"))
	}
	if errs.Any() {
		return errs, nil
	}
	r.Total = model.WeightedTotal(b.Grid, r.Scores)
	r.Status = model.ReviewDraft
	if submit {
		r.Status = model.ReviewSubmitted
	}
	return nil, s.InTx(ctx, func(tx *storage.Store) error {
		if err := tx.SaveReview(ctx, &r); err != nil {
			return err
		}
		if !submit {
			return nil
		}
		return actor.Audit(ctx, tx, "review.submit", "application", r.ApplicationID,
			map[string]any{"review": r.ID, "member": r.MemberID, "total": r.Total})
	})
}

// CloseReview is the chair's: the scores are final and the composition may use them.
func CloseReview(ctx context.Context, s *storage.Store, actor directory.Actor, b *Board) error {
	if !b.Committee.ClosedAt.IsZero() {
		return ErrClosed
	}
	c := b.Committee
	c.ClosedAt, c.ClosedBy = s.Clock.Now(), actor.Principal.AccountID
	return s.InTx(ctx, func(tx *storage.Store) error {
		if err := tx.UpdateCommittee(ctx, &c); err != nil {
			return err
		}
		pending := 0
		for _, r := range b.Reviews {
			if r.Status != model.ReviewSubmitted {
				pending++
			}
		}
		return actor.Audit(ctx, tx, "committee.close", "committee", c.ID, map[string]any{"pending_reviews": pending})
	})
}

// CanSeeReviews tells whether a member may read the other reviews of an application: once
// their own is submitted; observers, who do not review, and the chair, who leads the
// deliberation, when they have no review of it to give. Never in conflict.
func (b *Board) CanSeeReviews(m model.CommitteeMember, applicationID string) bool {
	if _, c := b.Conflict(m.ID, applicationID); c {
		return false
	}
	r, ok := b.ReviewBy(m.ID, applicationID)
	if !m.Role.Reviews() || m.Chair && !ok {
		return true
	}
	return ok && r.Status == model.ReviewSubmitted
}
