package selection

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"parcours/internal/assign"
	"parcours/internal/auth"
	"parcours/internal/directory"
	"parcours/internal/i18n"
	"parcours/internal/mail"
	"parcours/internal/model"
	"parcours/internal/storage"
	"parcours/internal/validator"
)

// NewMember is what the manager types to put someone on the committee.
type NewMember struct {
	Email string
	Name  string
	Role  model.CommitteeRole
	Chair bool
}

// AddMember puts a person on the committee: their account (made, with an e-mailed link to
// choose a password, when they have none), the committee_member role scoped to this
// committee, and an e-mail telling them. There is one chair: naming one unseats the other.
func AddMember(ctx context.Context, s *storage.Store, actor directory.Actor, m mail.Site, b *Board, in NewMember) (validator.Errors, error) {
	acc := model.Account{Email: in.Email, DisplayName: in.Name}
	errs := validator.Account(&acc)
	if !in.Role.Valid() {
		errs.Add("role", "required", i18n.T("validation.choose"))
	}
	if in.Chair && in.Role == model.CommitteeObserver {
		errs.Add("chair", "invalid", i18n.T("committee.observer_chair"))
	}
	if errs.Any() {
		return errs, nil
	}
	err := s.InTx(ctx, func(tx *storage.Store) error {
		acc, invite, err := auth.EnsureAccount(ctx, tx, acc, m.BaseURL)
		if err != nil {
			return err
		}
		member := &model.CommitteeMember{CommitteeID: b.Committee.ID, AccountID: acc.ID, Role: in.Role, Chair: in.Chair}
		for _, m := range b.Members {
			if m.AccountID == acc.ID && !m.Active() { // back on the committee: the same member, reviews and all
				member = &m
				member.Role, member.Chair, member.LeftAt = in.Role, in.Chair, time.Time{}
			}
		}
		if member.ID != "" {
			if err := tx.UpdateMember(ctx, member); err != nil {
				return err
			}
		} else if err := tx.AddMember(ctx, member); err != nil {
			return err
		}
		if err := tx.Grant(ctx, &model.Grant{AccountID: acc.ID, Role: model.RoleCommitteeMember, Scope: b.Committee.ID}); err != nil &&
			!errors.Is(err, storage.ErrAlreadyExists) {
			return err
		}
		if in.Chair {
			if err := unseatChairs(ctx, tx, b, member.ID); err != nil {
				return err
			}
		}
		if err := actor.Audit(ctx, tx, "committee.member_add", "committee", b.Committee.ID,
			map[string]any{"member": member.ID, "account": acc.ID, "role": string(in.Role), "chair": in.Chair}); err != nil {
			return err
		}
		data := map[string]any{"Brand": m.Brand, "Name": acc.DisplayName, "Programme": b.View.Programme.Title,
			"Cohort": b.View.Cohort.Label, "Role": i18n.T("committee.role." + string(in.Role)),
			"Link": m.BaseURL + "/comites/" + b.Committee.ID, "Invite": invite}
		return mail.Queue(ctx, tx, acc.Email, "committee_invitation", data, "")
	})
	if errors.Is(err, storage.ErrAlreadyExists) {
		errs.Add("email", "taken", i18n.T("committee.already_member"))
		return errs, nil
	}
	return errs, err
}

func unseatChairs(ctx context.Context, tx *storage.Store, b *Board, keep string) error {
	for _, other := range b.Members {
		if other.Chair && other.ID != keep {
			other.Chair = false
			if err := tx.UpdateMember(ctx, &other); err != nil {
				return err
			}
		}
	}
	return nil
}

// SetChair names the committee's chair (a reviewing member).
func SetChair(ctx context.Context, s *storage.Store, actor directory.Actor, b *Board, memberID string) error {
	var m model.CommitteeMember
	for _, x := range b.Members {
		if x.ID == memberID && x.Active() && x.Role.Reviews() {
			m = x
		}
	}
	if m.ID == "" {
		return storage.ErrNotFound
	}
	return s.InTx(ctx, func(tx *storage.Store) error {
		m.Chair = true
		if err := tx.UpdateMember(ctx, &m); err != nil {
			return err
		}
		if err := unseatChairs(ctx, tx, b, m.ID); err != nil {
			return err
		}
		return actor.Audit(ctx, tx, "committee.chair", "committee", b.Committee.ID, map[string]any{"member": m.ID})
	})
}

// RemoveMember takes a member off the committee. Their reviews not yet submitted go to the
// others, keeping every other assignment and balancing the loads; submitted ones stay.
func RemoveMember(ctx context.Context, s *storage.Store, actor directory.Actor, b *Board, memberID string) (assign.Report, error) {
	var leaving model.CommitteeMember
	for _, m := range b.Members {
		if m.ID == memberID && m.Active() {
			leaving = m
		}
	}
	if leaving.ID == "" {
		return assign.Report{}, storage.ErrNotFound
	}
	closed := !b.Committee.ClosedAt.IsZero()
	p := b.problem()
	current := assign.Assignment{}
	for _, r := range b.Reviews {
		if _, c := b.Conflict(r.MemberID, r.ApplicationID); c || !b.onBoard(r.ApplicationID) {
			continue
		}
		current[r.ApplicationID] = append(current[r.ApplicationID], r.MemberID)
		if r.MemberID == memberID && r.Status == model.ReviewSubmitted {
			p.Fixed[r.ApplicationID] = append(p.Fixed[r.ApplicationID], r.MemberID)
		}
	}
	p.Reviewers = without(p.Reviewers, memberID)
	var next assign.Assignment
	var report assign.Report
	if !closed { // once the review is closed, nobody takes over a review
		var err error
		if next, report, err = assign.Reassign(p, current, memberID); err != nil {
			return report, err
		}
	}
	return report, s.InTx(ctx, func(tx *storage.Store) error {
		leaving.LeftAt, leaving.Chair = tx.Clock.Now(), false
		if err := tx.UpdateMember(ctx, &leaving); err != nil {
			return err
		}
		if err := tx.Revoke(ctx, leaving.AccountID, model.RoleCommitteeMember, b.Committee.ID); err != nil && !errors.Is(err, storage.ErrNotFound) {
			return err
		}
		if !closed {
			if err := apply(ctx, tx, b, next); err != nil {
				return err
			}
		}
		return actor.Audit(ctx, tx, "committee.member_remove", "committee", b.Committee.ID,
			map[string]any{"member": memberID, "reassigned": !closed})
	})
}

func without(list []string, x string) []string {
	var out []string
	for _, v := range list {
		if v != x {
			out = append(out, v)
		}
	}
	return out
}

// problem is the assignment problem of the board: reviewers, applications, conflicts, and the
// reviews that must stay (manual ones, and those started or submitted).
func (b *Board) problem() assign.Problem {
	p := assign.Problem{R: b.Committee.ReviewersPerApplication, Conflicts: map[string]map[string]bool{},
		Fixed: map[string][]string{}}
	for _, m := range b.Reviewers() {
		p.Reviewers = append(p.Reviewers, m.ID)
		p.Conflicts[m.ID] = map[string]bool{}
		for appID := range b.conflicts[m.ID] {
			p.Conflicts[m.ID][appID] = true
		}
	}
	active := map[string]bool{}
	for _, m := range b.Reviewers() {
		active[m.ID] = true
	}
	for _, a := range b.Applications {
		p.Applications = append(p.Applications, a.Application.ID)
	}
	for _, r := range b.Reviews {
		if _, c := b.Conflict(r.MemberID, r.ApplicationID); c || !b.onBoard(r.ApplicationID) {
			continue // a conflict found after the review began: apply takes it back
		}
		if active[r.MemberID] && (r.Manual || r.Status != model.ReviewAssigned) {
			p.Fixed[r.ApplicationID] = append(p.Fixed[r.ApplicationID], r.MemberID)
		}
	}
	return p
}

// apply writes an assignment: new pairs are assigned, pairs no longer in it are taken back
// (unless their review was started or is manual).
func apply(ctx context.Context, tx *storage.Store, b *Board, next assign.Assignment) error {
	want := map[[2]string]bool{}
	for appID, members := range next {
		for _, m := range members {
			want[[2]string{m, appID}] = true
		}
	}
	for _, r := range b.Reviews {
		if !b.onBoard(r.ApplicationID) {
			continue // withdrawn or judged ineligible since: its reviews stay as they are
		}
		key := [2]string{r.MemberID, r.ApplicationID}
		if _, c := b.Conflict(r.MemberID, r.ApplicationID); c {
			// Conflicts win over everything: the review goes, even a submitted one.
			if err := tx.DeleteReview(ctx, r.MemberID, r.ApplicationID); err != nil && !errors.Is(err, storage.ErrNotFound) {
				return err
			}
			continue
		}
		if want[key] {
			delete(want, key)
			continue
		}
		if r.Status == model.ReviewAssigned && !r.Manual {
			if err := tx.Unassign(ctx, r.MemberID, r.ApplicationID); err != nil && !errors.Is(err, storage.ErrNotFound) {
				return err
			}
		}
	}
	for key := range want {
		if err := tx.Assign(ctx, key[0], key[1], false); err != nil {
			return err
		}
	}
	return nil
}

// Distribute assigns the reviews: R reviewers per application, none in conflict, the loads as
// even as the conflicts allow (internal/assign); manual and started reviews stay.
func Distribute(ctx context.Context, s *storage.Store, actor directory.Actor, b *Board) (assign.Report, error) {
	if !b.Committee.ClosedAt.IsZero() {
		return assign.Report{}, ErrClosed
	}
	next, report, err := assign.Solve(b.problem())
	if err != nil {
		return report, err
	}
	return report, s.InTx(ctx, func(tx *storage.Store) error {
		if err := apply(ctx, tx, b, next); err != nil {
			return err
		}
		return actor.Audit(ctx, tx, "committee.assign", "committee", b.Committee.ID,
			map[string]any{"applications": len(b.Applications), "reviewers": len(b.Reviewers()),
				"min_load": report.MinLoad, "max_load": report.MaxLoad, "short": len(report.Short)})
	})
}

// AssignByHand gives a member an application (kept by later distributions), or takes it back.
func AssignByHand(ctx context.Context, s *storage.Store, actor directory.Actor, b *Board, memberID, applicationID string, add bool) error {
	if !b.Committee.ClosedAt.IsZero() {
		return ErrClosed
	}
	if _, c := b.Conflict(memberID, applicationID); c && add {
		return ErrConflicted
	}
	return s.InTx(ctx, func(tx *storage.Store) error {
		var err error
		action := "committee.assign_manual"
		if add {
			err = tx.Assign(ctx, memberID, applicationID, true)
		} else {
			action, err = "committee.unassign_manual", tx.Unassign(ctx, memberID, applicationID)
		}
		if err != nil {
			return err
		}
		return actor.Audit(ctx, tx, action, "application", applicationID, map[string]any{"member": memberID})
	})
}

// ErrConflicted: the member is in conflict with the application.
var ErrConflicted = errors.New("member in conflict with the application")

// DeclareConflict records a conflict declared by the member or the manager, with its reason,
// while the review is open. The member's review of that application, if any, is withdrawn: a
// conflicted member never sees the application again, nor counts in its score.
func DeclareConflict(ctx context.Context, s *storage.Store, actor directory.Actor, b *Board, memberID, applicationID, reason string) (validator.Errors, error) {
	if !b.Committee.ClosedAt.IsZero() {
		return nil, ErrClosed // the scores are final: a review may no longer go
	}
	var errs validator.Errors
	reason = strings.TrimSpace(reason)
	if utf8.RuneCountInString(reason) < 5 {
		errs.Add("reason", "required", i18n.T("committee.conflict_reason"))
		return errs, nil
	}
	return nil, s.InTx(ctx, func(tx *storage.Store) error {
		if err := tx.DeclareConflict(ctx, model.Conflict{MemberID: memberID, ApplicationID: applicationID, Reason: reason,
			DeclaredBy: actor.Principal.AccountID}); err != nil {
			return err
		}
		if _, ok := b.ReviewBy(memberID, applicationID); ok {
			if err := tx.DeleteReview(ctx, memberID, applicationID); err != nil {
				return err
			}
		}
		return actor.Audit(ctx, tx, "committee.conflict", "application", applicationID,
			map[string]any{"member": memberID, "reason": reason})
	})
}

// SaveSettings saves R and the disagreement gap.
func SaveSettings(ctx context.Context, s *storage.Store, actor directory.Actor, b *Board, r, gap int) (validator.Errors, error) {
	var errs validator.Errors
	if r < 1 || r > 10 {
		errs.Add("reviewers", "invalid", i18n.T("committee.reviewers_invalid"))
	}
	if gap < 1 || gap > 100 {
		errs.Add("gap", "invalid", i18n.T("committee.gap_invalid"))
	}
	if errs.Any() {
		return errs, nil
	}
	c := b.Committee
	c.ReviewersPerApplication, c.DisagreementGap = r, gap
	return nil, s.InTx(ctx, func(tx *storage.Store) error {
		if err := tx.UpdateCommittee(ctx, &c); err != nil {
			return err
		}
		return actor.Audit(ctx, tx, "committee.settings", "committee", c.ID, map[string]any{"reviewers": r, "gap": gap})
	})
}

// SaveGrid replaces the scoring grid; a grid already used by a submitted review does not
// change (the scores would lose their meaning).
func SaveGrid(ctx context.Context, s *storage.Store, actor directory.Actor, b *Board, grid []model.Criterion) (validator.Errors, error) {
	var errs validator.Errors
	for _, r := range b.Reviews {
		if r.Status == model.ReviewSubmitted {
			errs.Add("grid", "locked", i18n.T("committee.grid_locked"))
			return errs, nil
		}
	}
	if len(grid) == 0 {
		errs.Add("grid", "required", i18n.T("committee.grid_empty"))
	}
	for i, c := range grid {
		switch n := utf8.RuneCountInString(strings.TrimSpace(c.Label)); {
		case n == 0:
			errs.Add(criterionField(i, "label"), "required", i18n.T("validation.required"))
		case n > 200:
			errs.Add(criterionField(i, "label"), "too_long", i18n.T("validation.too_long", 200))
		}
		for level, text := range c.Levels {
			if utf8.RuneCountInString(text) > 300 {
				errs.Add(criterionField(i, "level-"+strconv.Itoa(level)), "too_long", i18n.T("validation.too_long", 300))
			}
		}
		if c.Weight < 1 || c.Weight > 100 {
			errs.Add(criterionField(i, "weight"), "invalid", i18n.T("committee.weight_invalid"))
		}
	}
	if errs.Any() {
		return errs, nil
	}
	return nil, s.InTx(ctx, func(tx *storage.Store) error {
		if err := tx.SaveCriteria(ctx, b.Committee.ID, grid); err != nil {
			return err
		}
		return actor.Audit(ctx, tx, "committee.grid", "committee", b.Committee.ID, map[string]any{"criteria": len(grid)})
	})
}

// onBoard reports whether an application is among those the committee reviews (submitted and
// eligible); a review of one withdrawn or judged ineligible since is left as it was.
func (b *Board) onBoard(applicationID string) bool {
	for _, a := range b.Applications {
		if a.Application.ID == applicationID {
			return true
		}
	}
	return false
}

// criterionField is the form field of a grid line's input.
func criterionField(i int, name string) string { return "criterion-" + strconv.Itoa(i) + "-" + name }
