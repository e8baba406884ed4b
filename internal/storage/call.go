package storage

import (
	"context"
	"database/sql"
	"strings"
	"time"

	"parcours/internal/id"
	"parcours/internal/model"
	"parcours/internal/policy"
)

// scopeWhere is the condition on a cohort (co) and its programme (pr) for a policy scope.
func scopeWhere(sc policy.Scope, arg func(any) string) string {
	if sc.Everywhere {
		return "1 = 1"
	}
	return "(co.region_code IN (" + placeholders(arg, sc.Regions) + ") OR pr.carrier_id IN (" +
		placeholders(arg, sc.Organisations) + "))"
}

const callColumns = `ca.id, ca.cohort_id, ca.opens_at, ca.closes_at, ca.published, ca.kinds, ca.region_code,
	ca.role_requirement, ca.must_be_attached, ca.min_stage, ca.intro, ca.consent_processing, ca.consent_retention,
	ca.offer_days, ca.min_score, ca.created_at, ca.updated_at`

// callFields are the destinations of callColumns, and what to do once they are filled.
func callFields(c *model.Call) fields {
	var kinds string
	return fields{[]any{&c.ID, &c.CohortID, &c.OpensAt, &c.ClosesAt, &c.Published, &kinds, &c.RegionCode, &c.Role,
		&c.MustBeAttached, &c.MinStage, &c.Intro, &c.ConsentProcessing, &c.ConsentRetention, &c.OfferDays, &c.MinScore,
		&c.CreatedAt, &c.UpdatedAt},
		func() {
			c.Kinds = splitList[model.StructureKind](kinds)
			c.OpensAt, c.ClosesAt, c.CreatedAt, c.UpdatedAt = c.OpensAt.UTC(), c.ClosesAt.UTC(), c.CreatedAt.UTC(), c.UpdatedAt.UTC()
		}}
}

func scanCall(row scanner) (model.Call, error) {
	var c model.Call
	return c, scanFields(row, callFields(&c))
}

// CreateCall stores a call.
func (s *Store) CreateCall(ctx context.Context, c *model.Call) error {
	now := s.now()
	c.ID, c.CreatedAt, c.UpdatedAt = id.New(), now, now
	if c.OfferDays <= 0 {
		c.OfferDays = 7
	}
	if c.MinScore == 0 {
		c.MinScore = -1
	}
	_, err := s.exec(ctx, `INSERT INTO calls (id, cohort_id, opens_at, closes_at, published, kinds, region_code, role_requirement,
		must_be_attached, min_stage, intro, consent_processing, consent_retention, offer_days, min_score, created_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17)`,
		c.ID, c.CohortID, c.OpensAt.UTC().Truncate(time.Microsecond), c.ClosesAt.UTC().Truncate(time.Microsecond), c.Published,
		joinList(c.Kinds), c.RegionCode, c.Role, c.MustBeAttached, c.MinStage, c.Intro, c.ConsentProcessing,
		c.ConsentRetention, c.OfferDays, c.MinScore, now, now)
	return err
}

// UpdateCall saves a call's dates, rules and texts.
func (s *Store) UpdateCall(ctx context.Context, c *model.Call) error {
	c.UpdatedAt = s.now()
	if c.OfferDays <= 0 {
		c.OfferDays = 7
	}
	return s.execOne(ctx, `UPDATE calls SET opens_at = $2, closes_at = $3, published = $4, kinds = $5, region_code = $6,
		role_requirement = $7, must_be_attached = $8, min_stage = $9, intro = $10, consent_processing = $11,
		consent_retention = $12, offer_days = $13, min_score = $14, updated_at = $15 WHERE id = $1`,
		c.ID, c.OpensAt.UTC().Truncate(time.Microsecond), c.ClosesAt.UTC().Truncate(time.Microsecond), c.Published,
		joinList(c.Kinds), c.RegionCode, c.Role, c.MustBeAttached, c.MinStage, c.Intro, c.ConsentProcessing,
		c.ConsentRetention, c.OfferDays, c.MinScore, c.UpdatedAt)
}

// CallView is a call with its cohort and programme, as lists and pages show it.
type CallView struct {
	Call      model.Call
	Cohort    model.Cohort
	Programme model.Programme
}

// CallView loads a call with its cohort and programme.
func (s *Store) CallView(ctx context.Context, callID string) (CallView, error) {
	views, err := s.CallViews(ctx, CallFilter{Scope: policy.Scope{Everywhere: true}, CallID: callID, WithDrafts: true})
	if err != nil {
		return CallView{}, err
	}
	if len(views) == 0 {
		return CallView{}, ErrNotFound
	}
	return views[0], nil
}

// Call returns one call.
func (s *Store) Call(ctx context.Context, callID string) (model.Call, error) {
	return scanCall(s.r.QueryRowContext(ctx, `SELECT `+callColumns+` FROM calls ca WHERE ca.id = $1`, callID))
}

// CallFilter narrows a list of calls.
type CallFilter struct {
	Scope       policy.Scope
	CallID      string
	CohortID    string
	ProgrammeID string
	WithDrafts  bool      // include unpublished calls
	OpenAt      time.Time // only calls open at this instant
}

// CallViews lists calls with their cohorts and programmes, closing soonest first.
func (s *Store) CallViews(ctx context.Context, f CallFilter) ([]CallView, error) {
	var args []any
	arg := func(v any) string { args = append(args, v); return "$" + itoa(len(args)) }
	conds := []string{scopeWhere(f.Scope, arg)}
	if f.CallID != "" {
		conds = append(conds, "ca.id = "+arg(f.CallID))
	}
	if f.CohortID != "" {
		conds = append(conds, "ca.cohort_id = "+arg(f.CohortID))
	}
	if f.ProgrammeID != "" {
		conds = append(conds, "co.programme_id = "+arg(f.ProgrammeID))
	}
	if !f.WithDrafts {
		conds = append(conds, "ca.published = "+arg(true))
	}
	if !f.OpenAt.IsZero() {
		at := arg(f.OpenAt.UTC().Truncate(time.Microsecond))
		conds = append(conds, "ca.opens_at <= "+at+" AND ca.closes_at > "+at)
	}
	rows, err := s.r.QueryContext(ctx, `SELECT `+callColumns+`, `+cohortColumns+`, `+programmeColumns+`
		FROM calls ca JOIN cohorts co ON co.id = ca.cohort_id JOIN programmes pr ON pr.id = co.programme_id
		WHERE `+strings.Join(conds, " AND ")+` ORDER BY ca.closes_at, ca.id`, args...)
	if err != nil {
		return nil, mapErr(err)
	}
	defer rows.Close()
	var out []CallView
	for rows.Next() {
		var v CallView
		if err := scanFields(rows, callFields(&v.Call), cohortFields(&v.Cohort), programmeFields(&v.Programme)); err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, rows.Err()
}

// AddQuestion appends a question to a call's form.
func (s *Store) AddQuestion(ctx context.Context, q *model.Question) error {
	q.ID = id.New()
	return s.InTx(ctx, func(tx *Store) error {
		if err := tx.w.QueryRowContext(ctx, `SELECT coalesce(max(position), 0) + 1 FROM call_questions WHERE call_id = $1`,
			q.CallID).Scan(&q.Position); err != nil {
			return mapErr(err)
		}
		_, err := tx.exec(ctx, `INSERT INTO call_questions (id, call_id, position, kind, label, help, required, min_length,
			max_length, choices) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`, q.ID, q.CallID, q.Position, q.Kind,
			q.Label, q.Help, q.Required, q.MinLength, q.MaxLength, strings.Join(q.Choices, "\n"))
		return err
	})
}

// UpdateQuestion saves a question's texts and limits.
func (s *Store) UpdateQuestion(ctx context.Context, q *model.Question) error {
	return s.execOne(ctx, `UPDATE call_questions SET kind = $2, label = $3, help = $4, required = $5, min_length = $6,
		max_length = $7, choices = $8 WHERE id = $1`, q.ID, q.Kind, q.Label, q.Help, q.Required, q.MinLength, q.MaxLength,
		strings.Join(q.Choices, "\n"))
}

// DeleteQuestion removes a question and its answers.
func (s *Store) DeleteQuestion(ctx context.Context, questionID string) error {
	return s.execOne(ctx, `DELETE FROM call_questions WHERE id = $1`, questionID)
}

// MoveQuestion swaps a question with its neighbour above (up) or below.
func (s *Store) MoveQuestion(ctx context.Context, questionID string, up bool) error {
	return s.InTx(ctx, func(tx *Store) error {
		var callID string
		var pos int
		if err := tx.w.QueryRowContext(ctx, `SELECT call_id, position FROM call_questions WHERE id = $1`, questionID).
			Scan(&callID, &pos); err != nil {
			return mapErr(err)
		}
		q := `SELECT id, position FROM call_questions WHERE call_id = $1 AND position > $2 ORDER BY position LIMIT 1`
		if up {
			q = `SELECT id, position FROM call_questions WHERE call_id = $1 AND position < $2 ORDER BY position DESC LIMIT 1`
		}
		var otherID string
		var otherPos int
		err := tx.w.QueryRowContext(ctx, q, callID, pos).Scan(&otherID, &otherPos)
		if err == sql.ErrNoRows {
			return nil // already first or last
		}
		if err != nil {
			return mapErr(err)
		}
		if _, err := tx.exec(ctx, `UPDATE call_questions SET position = $2 WHERE id = $1`, questionID, otherPos); err != nil {
			return err
		}
		_, err = tx.exec(ctx, `UPDATE call_questions SET position = $2 WHERE id = $1`, otherID, pos)
		return err
	})
}

// Question returns one question.
func (s *Store) Question(ctx context.Context, questionID string) (model.Question, error) {
	qs, err := s.questions(ctx, `WHERE id = $1`, questionID)
	if err == nil && len(qs) == 0 {
		err = ErrNotFound
	}
	if err != nil {
		return model.Question{}, err
	}
	return qs[0], nil
}

// Questions lists a call's questions in order.
func (s *Store) Questions(ctx context.Context, callID string) ([]model.Question, error) {
	return s.questions(ctx, `WHERE call_id = $1`, callID)
}

func (s *Store) questions(ctx context.Context, where string, arg string) ([]model.Question, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT id, call_id, position, kind, label, help, required, min_length, max_length,
		choices FROM call_questions `+where+` ORDER BY position, id`, arg)
	if err != nil {
		return nil, mapErr(err)
	}
	defer rows.Close()
	var out []model.Question
	for rows.Next() {
		var q model.Question
		var choices string
		if err := rows.Scan(&q.ID, &q.CallID, &q.Position, &q.Kind, &q.Label, &q.Help, &q.Required, &q.MinLength,
			&q.MaxLength, &choices); err != nil {
			return nil, err
		}
		if choices != "" {
			q.Choices = strings.Split(choices, "\n")
		}
		out = append(out, q)
	}
	return out, rows.Err()
}
