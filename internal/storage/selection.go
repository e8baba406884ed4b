package storage

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"strings"
	"time"

	"parcours/internal/id"
	"parcours/internal/model"
)

// CommitteeOfCall returns a call's committee, made with the defaults (2 reviewers per application,
// a 25-point disagreement gap) the first time it is asked for.
func (s *Store) CommitteeOfCall(ctx context.Context, callID string) (model.Committee, error) {
	c, err := s.committee(ctx, `WHERE call_id = $1`, callID)
	if !errors.Is(err, ErrNotFound) {
		return c, err
	}
	now := s.now()
	if _, err := s.exec(ctx, `INSERT INTO committees (id, call_id, reviewers_per_application, disagreement_gap, created_at, updated_at)
		VALUES ($1, $2, 2, 25, $3, $3) ON CONFLICT (call_id) DO NOTHING`, id.New(), callID, now); err != nil {
		return c, err
	}
	return s.committee(ctx, `WHERE call_id = $1`, callID)
}

// Committee returns one committee.
func (s *Store) Committee(ctx context.Context, committeeID string) (model.Committee, error) {
	return s.committee(ctx, `WHERE id = $1`, committeeID)
}

func (s *Store) committee(ctx context.Context, where, arg string) (model.Committee, error) {
	var c model.Committee
	var closed sql.NullTime
	err := s.w.QueryRowContext(ctx, `SELECT id, call_id, reviewers_per_application, disagreement_gap, closed_at, closed_by,
		created_at, updated_at FROM committees `+where, arg).Scan(&c.ID, &c.CallID, &c.ReviewersPerApplication,
		&c.DisagreementGap, &closed, &c.ClosedBy, &c.CreatedAt, &c.UpdatedAt)
	c.ClosedAt, c.CreatedAt, c.UpdatedAt = utc(closed), c.CreatedAt.UTC(), c.UpdatedAt.UTC()
	return c, mapErr(err)
}

// UpdateCommittee saves a committee's settings and closing.
func (s *Store) UpdateCommittee(ctx context.Context, c *model.Committee) error {
	c.UpdatedAt = s.now()
	return s.execOne(ctx, `UPDATE committees SET reviewers_per_application = $2, disagreement_gap = $3, closed_at = $4,
		closed_by = $5, updated_at = $6 WHERE id = $1`, c.ID, c.ReviewersPerApplication, c.DisagreementGap,
		nullTime(c.ClosedAt), c.ClosedBy, c.UpdatedAt)
}

const memberColumns = `cm.id, cm.committee_id, cm.account_id, cm.role, cm.chair, cm.created_at, cm.left_at,
	ac.display_name, ac.email, coalesce(ac.person_id, '')`

func memberFields(m *model.CommitteeMember) fields {
	var left sql.NullTime
	return fields{[]any{&m.ID, &m.CommitteeID, &m.AccountID, &m.Role, &m.Chair, &m.CreatedAt, &left, &m.Name, &m.Email,
		&m.PersonID}, func() { m.LeftAt, m.CreatedAt = utc(left), m.CreatedAt.UTC() }}
}

// AddMember puts an account on a committee; an account already there (even one that left)
// is ErrAlreadyExists.
func (s *Store) AddMember(ctx context.Context, m *model.CommitteeMember) error {
	m.ID, m.CreatedAt = id.New(), s.now()
	_, err := s.exec(ctx, `INSERT INTO committee_members (id, committee_id, account_id, role, chair, created_at)
		VALUES ($1, $2, $3, $4, $5, $6)`, m.ID, m.CommitteeID, m.AccountID, m.Role, m.Chair, m.CreatedAt)
	return err
}

// UpdateMember saves a member's role and chair; a member who left may come back (left zero).
func (s *Store) UpdateMember(ctx context.Context, m *model.CommitteeMember) error {
	return s.execOne(ctx, `UPDATE committee_members SET role = $2, chair = $3, left_at = $4 WHERE id = $1`,
		m.ID, m.Role, m.Chair, nullTime(m.LeftAt))
}

// CommitteeMembers lists a committee's members, chair first, then by name.
func (s *Store) CommitteeMembers(ctx context.Context, committeeID string) ([]model.CommitteeMember, error) {
	return s.members(ctx, `WHERE cm.committee_id = $1`, committeeID)
}

// CommitteeMember returns one committee member.
func (s *Store) CommitteeMember(ctx context.Context, memberID string) (model.CommitteeMember, error) {
	ms, err := s.members(ctx, `WHERE cm.id = $1`, memberID)
	if err == nil && len(ms) == 0 {
		err = ErrNotFound
	}
	if err != nil {
		return model.CommitteeMember{}, err
	}
	return ms[0], nil
}

// MembershipsOfAccount lists the committees an account sits on.
func (s *Store) MembershipsOfAccount(ctx context.Context, accountID string) ([]model.CommitteeMember, error) {
	return s.members(ctx, `WHERE cm.account_id = $1 AND cm.left_at IS NULL`, accountID)
}

func (s *Store) members(ctx context.Context, where, arg string) ([]model.CommitteeMember, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT `+memberColumns+` FROM committee_members cm
		JOIN accounts ac ON ac.id = cm.account_id `+where+` ORDER BY cm.chair DESC, ac.display_name, cm.id`, arg)
	if err != nil {
		return nil, mapErr(err)
	}
	defer rows.Close()
	var out []model.CommitteeMember
	for rows.Next() {
		var m model.CommitteeMember
		if err := scanFields(rows, memberFields(&m)); err != nil {
			return nil, err
		}
		out = append(out, m)
	}
	return out, rows.Err()
}

// MemberStructures gives, for each member of a committee, the structures their person
// belongs to: a member is in conflict with the applications from those structures.
func (s *Store) MemberStructures(ctx context.Context, committeeID string) (map[string]map[string]bool, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT cm.id, m.structure_id FROM committee_members cm
		JOIN accounts ac ON ac.id = cm.account_id JOIN memberships m ON m.person_id = ac.person_id
		WHERE cm.committee_id = $1`, committeeID)
	if err != nil {
		return nil, mapErr(err)
	}
	defer rows.Close()
	out := map[string]map[string]bool{}
	for rows.Next() {
		var member, structure string
		if err := rows.Scan(&member, &structure); err != nil {
			return nil, err
		}
		if out[member] == nil {
			out[member] = map[string]bool{}
		}
		out[member][structure] = true
	}
	return out, rows.Err()
}

// DeclareConflict records a member's conflict with an application (idempotent).
func (s *Store) DeclareConflict(ctx context.Context, c model.Conflict) error {
	_, err := s.exec(ctx, `INSERT INTO committee_conflicts (member_id, application_id, reason, declared_by, created_at)
		VALUES ($1, $2, $3, $4, $5) ON CONFLICT (member_id, application_id) DO NOTHING`,
		c.MemberID, c.ApplicationID, c.Reason, c.DeclaredBy, s.now())
	return err
}

// Conflicts lists a committee's declared conflicts.
func (s *Store) Conflicts(ctx context.Context, committeeID string) ([]model.Conflict, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT cc.member_id, cc.application_id, cc.reason, cc.declared_by, cc.created_at
		FROM committee_conflicts cc JOIN committee_members cm ON cm.id = cc.member_id
		WHERE cm.committee_id = $1 ORDER BY cc.created_at, cc.member_id, cc.application_id`, committeeID)
	if err != nil {
		return nil, mapErr(err)
	}
	defer rows.Close()
	var out []model.Conflict
	for rows.Next() {
		var c model.Conflict
		if err := rows.Scan(&c.MemberID, &c.ApplicationID, &c.Reason, &c.DeclaredBy, &c.CreatedAt); err != nil {
			return nil, err
		}
		c.CreatedAt = c.CreatedAt.UTC()
		out = append(out, c)
	}
	return out, rows.Err()
}

// SaveCriteria replaces a committee's scoring grid, in the given order.
func (s *Store) SaveCriteria(ctx context.Context, committeeID string, grid []model.Criterion) error {
	return s.InTx(ctx, func(tx *Store) error {
		if _, err := tx.exec(ctx, `DELETE FROM review_criteria WHERE committee_id = $1`, committeeID); err != nil {
			return err
		}
		for i := range grid {
			c := &grid[i]
			c.CommitteeID, c.Position = committeeID, i+1
			if c.ID == "" {
				c.ID = id.New()
			}
			if _, err := tx.exec(ctx, `INSERT INTO review_criteria (id, committee_id, position, label, weight, levels)
				VALUES ($1, $2, $3, $4, $5, $6)`, c.ID, committeeID, c.Position, c.Label, c.Weight,
				strings.Join(c.Levels, "\n")); err != nil {
				return err
			}
		}
		return nil
	})
}

// Criteria lists a committee's scoring grid in order.
func (s *Store) Criteria(ctx context.Context, committeeID string) ([]model.Criterion, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT id, committee_id, position, label, weight, levels FROM review_criteria
		WHERE committee_id = $1 ORDER BY position`, committeeID)
	if err != nil {
		return nil, mapErr(err)
	}
	defer rows.Close()
	var out []model.Criterion
	for rows.Next() {
		var c model.Criterion
		var levels string
		if err := rows.Scan(&c.ID, &c.CommitteeID, &c.Position, &c.Label, &c.Weight, &levels); err != nil {
			return nil, err
		}
		if levels != "" {
			c.Levels = strings.Split(levels, "\n")
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

const reviewColumns = `rv.id, rv.member_id, rv.application_id, rv.manual, rv.status, rv.scores, rv.comment, rv.total,
	rv.assigned_at, rv.submitted_at, rv.updated_at`

func reviewFields(r *model.Review) fields {
	var scores string
	var submitted sql.NullTime
	return fields{[]any{&r.ID, &r.MemberID, &r.ApplicationID, &r.Manual, &r.Status, &scores, &r.Comment, &r.Total,
		&r.AssignedAt, &submitted, &r.UpdatedAt}, func() {
		r.SubmittedAt, r.AssignedAt, r.UpdatedAt = utc(submitted), r.AssignedAt.UTC(), r.UpdatedAt.UTC()
		r.Scores = map[string]int{}
		if scores != "" {
			json.Unmarshal([]byte(scores), &r.Scores)
		}
	}}
}

// Assign gives a member an application to review; an existing assignment stays as it is.
func (s *Store) Assign(ctx context.Context, memberID, applicationID string, manual bool) error {
	now := s.now()
	_, err := s.exec(ctx, `INSERT INTO reviews (id, member_id, application_id, manual, status, assigned_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $6) ON CONFLICT (member_id, application_id) DO NOTHING`,
		id.New(), memberID, applicationID, manual, model.ReviewAssigned, now)
	return err
}

// Unassign takes an application back from a member, unless their review is submitted
// (ErrNotFound then).
func (s *Store) Unassign(ctx context.Context, memberID, applicationID string) error {
	return s.execOne(ctx, `DELETE FROM reviews WHERE member_id = $1 AND application_id = $2 AND status <> $3`,
		memberID, applicationID, model.ReviewSubmitted)
}

// Reviews lists every review (and assignment) of a committee.
func (s *Store) Reviews(ctx context.Context, committeeID string) ([]model.Review, error) {
	return s.reviews(ctx, `JOIN committee_members cm ON cm.id = rv.member_id WHERE cm.committee_id = $1`, committeeID)
}

// Review returns one review.
func (s *Store) Review(ctx context.Context, reviewID string) (model.Review, error) {
	rs, err := s.reviews(ctx, `WHERE rv.id = $1`, reviewID)
	if err == nil && len(rs) == 0 {
		err = ErrNotFound
	}
	if err != nil {
		return model.Review{}, err
	}
	return rs[0], nil
}

func (s *Store) reviews(ctx context.Context, where, arg string) ([]model.Review, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT `+reviewColumns+` FROM reviews rv `+where+` ORDER BY rv.assigned_at, rv.id`, arg)
	if err != nil {
		return nil, mapErr(err)
	}
	defer rows.Close()
	var out []model.Review
	for rows.Next() {
		var r model.Review
		if err := scanFields(rows, reviewFields(&r)); err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// DeleteReview removes a member's review of an application, submitted or not (a conflict
// declared afterwards).
func (s *Store) DeleteReview(ctx context.Context, memberID, applicationID string) error {
	return s.execOne(ctx, `DELETE FROM reviews WHERE member_id = $1 AND application_id = $2`, memberID, applicationID)
}

// SaveReview saves a review's scores, comment, total and status; a submitted review does not
// change any more (ErrNotFound).
func (s *Store) SaveReview(ctx context.Context, r *model.Review) error {
	now := s.now()
	b, err := json.Marshal(r.Scores)
	if err != nil {
		return err
	}
	if r.Status == model.ReviewSubmitted {
		r.SubmittedAt = now
	}
	r.UpdatedAt = now
	return s.execOne(ctx, `UPDATE reviews SET scores = $2, comment = $3, total = $4, status = $5, submitted_at = $6,
		updated_at = $7 WHERE id = $1 AND status <> $8`, r.ID, string(b), r.Comment, r.Total, r.Status,
		nullTime(r.SubmittedAt), now, model.ReviewSubmitted)
}

// CreateComposition records a composition run.
func (s *Store) CreateComposition(ctx context.Context, c *model.Composition) error {
	c.ID, c.RunAt = id.New(), s.now()
	_, err := s.exec(ctx, `INSERT INTO compositions (id, call_id, run_at, run_by, capacity, per_org, max_per_org, min_score,
		input, output, offers) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`, c.ID, c.CallID, c.RunAt, c.RunBy,
		c.Capacity, c.PerOrg, c.MaxPerOrg, c.MinScore, c.Input, c.Output, c.Offers)
	return err
}

// Compositions lists a call's composition runs, latest first.
func (s *Store) Compositions(ctx context.Context, callID string) ([]model.Composition, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT id, call_id, run_at, run_by, capacity, per_org, max_per_org, min_score, input,
		output, offers FROM compositions WHERE call_id = $1 ORDER BY run_at DESC, id DESC`, callID)
	if err != nil {
		return nil, mapErr(err)
	}
	defer rows.Close()
	var out []model.Composition
	for rows.Next() {
		var c model.Composition
		if err := rows.Scan(&c.ID, &c.CallID, &c.RunAt, &c.RunBy, &c.Capacity, &c.PerOrg, &c.MaxPerOrg, &c.MinScore,
			&c.Input, &c.Output, &c.Offers); err != nil {
			return nil, err
		}
		c.RunAt = c.RunAt.UTC()
		out = append(out, c)
	}
	return out, rows.Err()
}

const offerColumns = `id, call_id, application_id, seat, status, offered_at, deadline, answered_at, composition_id`

func offerFields(o *model.Offer) fields {
	var answered sql.NullTime
	return fields{[]any{&o.ID, &o.CallID, &o.ApplicationID, &o.Seat, &o.Status, &o.OfferedAt, &o.Deadline, &answered,
		&o.CompositionID}, func() {
		o.AnsweredAt, o.OfferedAt, o.Deadline = utc(answered), o.OfferedAt.UTC(), o.Deadline.UTC()
	}}
}

// CreateOffer offers a seat to an application. Another offer holding that seat (pending or
// accepted), or another offer to that application, is ErrAlreadyExists: the database, not a
// lock in one process, keeps two instances from offering one seat or one candidate twice.
func (s *Store) CreateOffer(ctx context.Context, o *model.Offer) error {
	o.ID, o.OfferedAt, o.Status = id.New(), s.now(), model.OfferPending
	_, err := s.exec(ctx, `INSERT INTO offers (`+offerColumns+`) VALUES ($1, $2, $3, $4, $5, $6, $7, NULL, $8)`,
		o.ID, o.CallID, o.ApplicationID, o.Seat, o.Status, o.OfferedAt, o.Deadline.UTC().Truncate(time.Microsecond), o.CompositionID)
	return err
}

// Offers lists a call's offers by seat, then time.
func (s *Store) Offers(ctx context.Context, callID string) ([]model.Offer, error) {
	return s.offers(ctx, `WHERE call_id = $1 ORDER BY seat, offered_at, id`, callID)
}

// Offer returns one offer.
func (s *Store) Offer(ctx context.Context, offerID string) (model.Offer, error) {
	os, err := s.offers(ctx, `WHERE id = $1`, offerID)
	if err == nil && len(os) == 0 {
		err = ErrNotFound
	}
	if err != nil {
		return model.Offer{}, err
	}
	return os[0], nil
}

// OfferOf returns the offer made to an application.
func (s *Store) OfferOf(ctx context.Context, applicationID string) (model.Offer, error) {
	os, err := s.offers(ctx, `WHERE application_id = $1`, applicationID)
	if err == nil && len(os) == 0 {
		err = ErrNotFound
	}
	if err != nil {
		return model.Offer{}, err
	}
	return os[0], nil
}

func (s *Store) offers(ctx context.Context, where string, args ...any) ([]model.Offer, error) {
	rows, err := s.w.QueryContext(ctx, `SELECT `+offerColumns+` FROM offers `+where, args...)
	if err != nil {
		return nil, mapErr(err)
	}
	defer rows.Close()
	var out []model.Offer
	for rows.Next() {
		var o model.Offer
		if err := scanFields(rows, offerFields(&o)); err != nil {
			return nil, err
		}
		out = append(out, o)
	}
	return out, rows.Err()
}

// AnswerOffer moves an offer from one status to another (pending → accepted, declined or
// lapsed; accepted → withdrawn); an offer no longer in from is ErrNotFound, so that one
// answer wins.
func (s *Store) AnswerOffer(ctx context.Context, offerID string, from, to model.OfferStatus) error {
	return s.execOne(ctx, `UPDATE offers SET status = $3, answered_at = $4 WHERE id = $1 AND status = $2`,
		offerID, from, to, s.now())
}

// ExpiredOffers lists the pending offers whose deadline has passed.
func (s *Store) ExpiredOffers(ctx context.Context) ([]model.Offer, error) {
	return s.offers(ctx, `WHERE status = $1 AND deadline <= $2 ORDER BY deadline, id`, model.OfferPending, s.now())
}

// PendingOffersDueBetween lists the pending offers whose deadline falls within (from, to]:
// their holders get a reminder.
func (s *Store) PendingOffersDueBetween(ctx context.Context, from, to time.Time) ([]model.Offer, error) {
	return s.offers(ctx, `WHERE status = $1 AND deadline > $2 AND deadline <= $3 ORDER BY deadline, id`, model.OfferPending,
		from.UTC().Truncate(time.Microsecond), to.UTC().Truncate(time.Microsecond))
}

// CallsWithFreeSeats lists the calls that made offers and now hold fewer seats than their
// cohort has: a declined, lapsed or withdrawn offer freed one.
func (s *Store) CallsWithFreeSeats(ctx context.Context) ([]string, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT ca.id FROM calls ca JOIN cohorts co ON co.id = ca.cohort_id
		WHERE EXISTS (SELECT 1 FROM offers o WHERE o.call_id = ca.id)
		AND (SELECT count(*) FROM offers o WHERE o.call_id = ca.id AND o.status IN ($1, $2)) < co.capacity
		ORDER BY ca.id`, model.OfferPending, model.OfferAccepted)
	if err != nil {
		return nil, mapErr(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var callID string
		if err := rows.Scan(&callID); err != nil {
			return nil, err
		}
		out = append(out, callID)
	}
	return out, rows.Err()
}

// LockCall takes the call's row lock for the transaction (PostgreSQL), so that the instances
// refilling its seats do it one after the other; SQLite's single writer already does.
func (s *Store) LockCall(ctx context.Context, callID string) error {
	if s.dialect != Postgres {
		return nil
	}
	var x string
	return mapErr(s.w.QueryRowContext(ctx, `SELECT id FROM calls WHERE id = $1 FOR UPDATE`, callID).Scan(&x))
}

// ResolveStructure records the structure a manager matched to a declared one.
func (s *Store) ResolveStructure(ctx context.Context, applicationID, structureID string) error {
	return s.execOne(ctx, `UPDATE applications SET structure_id = $2, updated_at = $3 WHERE id = $1`,
		applicationID, structureID, s.now())
}
