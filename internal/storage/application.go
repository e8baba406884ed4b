package storage

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"parcours/internal/id"
	"parcours/internal/model"
	"parcours/internal/policy"
)

const applicationColumns = `ap.id, ap.call_id, ap.account_id, ap.person_id, ap.structure_id, ap.declared_name, ap.declared_kind,
	ap.declared_departement, ap.declared_commune, ap.role, ap.profession, ap.status, ap.receipt, ap.eligible, ap.needs_review,
	ap.reasons, ap.override, ap.override_reason, ap.override_by, ap.override_at, ap.membership_id,
	ap.consent_processing_at, ap.consent_retention_at, ap.submitted_at, ap.withdrawn_at, ap.created_at, ap.updated_at`

func applicationFields(a *model.Application) fields {
	var person, structure, receipt, membership sql.NullString
	var overrideAt, consentP, consentR, submitted, withdrawn sql.NullTime
	var reasons string
	return fields{[]any{&a.ID, &a.CallID, &a.AccountID, &person, &structure, &a.DeclaredName, &a.DeclaredKind,
		&a.DeclaredDepartement, &a.DeclaredCommune, &a.Role, &a.Profession, &a.Status, &receipt, &a.Eligible, &a.NeedsReview,
		&reasons, &a.Override, &a.OverrideReason, &a.OverrideBy, &overrideAt, &membership,
		&consentP, &consentR, &submitted, &withdrawn, &a.CreatedAt, &a.UpdatedAt}, func() {
		a.PersonID, a.StructureID, a.Receipt, a.MembershipID = person.String, structure.String, receipt.String, membership.String
		a.OverrideAt, a.ConsentProcessingAt, a.ConsentRetentionAt = utc(overrideAt), utc(consentP), utc(consentR)
		a.SubmittedAt, a.WithdrawnAt = utc(submitted), utc(withdrawn)
		a.CreatedAt, a.UpdatedAt = a.CreatedAt.UTC(), a.UpdatedAt.UTC()
		a.Reasons = nil
		if reasons != "" {
			json.Unmarshal([]byte(reasons), &a.Reasons)
		}
	}}
}

func reasonsJSON(r []string) string {
	if len(r) == 0 {
		return ""
	}
	b, _ := json.Marshal(r)
	return string(b)
}

// CreateApplication starts a draft. A second application of the same account to the same
// call is ErrAlreadyExists: one per person per call.
func (s *Store) CreateApplication(ctx context.Context, a *model.Application) error {
	now := s.now()
	a.ID, a.Status, a.CreatedAt, a.UpdatedAt = id.New(), model.ApplicationDraft, now, now
	_, err := s.exec(ctx, `INSERT INTO applications (id, call_id, account_id, person_id, role, profession, status, created_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`, a.ID, a.CallID, a.AccountID, nullString(a.PersonID), a.Role,
		a.Profession, a.Status, now, now)
	return err
}

// Application returns one application.
func (s *Store) Application(ctx context.Context, applicationID string) (model.Application, error) {
	var a model.Application
	err := scanFields(s.r.QueryRowContext(ctx, `SELECT `+applicationColumns+` FROM applications ap WHERE ap.id = $1`, applicationID),
		applicationFields(&a))
	return a, err
}

// ApplicationOf returns an account's application to a call.
func (s *Store) ApplicationOf(ctx context.Context, callID, accountID string) (model.Application, error) {
	var a model.Application
	err := scanFields(s.r.QueryRowContext(ctx, `SELECT `+applicationColumns+` FROM applications ap
		WHERE ap.call_id = $1 AND ap.account_id = $2`, callID, accountID), applicationFields(&a))
	return a, err
}

// SaveApplication saves what the candidate fills in (structure, role, profession, consents,
// eligibility by the rules), whatever the status: callers decide whether it may change.
func (s *Store) SaveApplication(ctx context.Context, a *model.Application) error {
	a.UpdatedAt = s.now()
	return s.execOne(ctx, `UPDATE applications SET person_id = $2, structure_id = $3, declared_name = $4, declared_kind = $5,
		declared_departement = $6, declared_commune = $7, role = $8, profession = $9, eligible = $10, needs_review = $11,
		reasons = $12, consent_processing_at = $13, consent_retention_at = $14, updated_at = $15 WHERE id = $1`,
		a.ID, nullString(a.PersonID), nullString(a.StructureID), a.DeclaredName, a.DeclaredKind, a.DeclaredDepartement,
		a.DeclaredCommune, a.Role, a.Profession, a.Eligible, a.NeedsReview, reasonsJSON(a.Reasons),
		nullTime(a.ConsentProcessingAt), nullTime(a.ConsentRetentionAt), a.UpdatedAt)
}

// SubmitApplication turns a draft into a submitted application with the next receipt
// number of its prefix (prefix-NNNN; the prefix names the programme and the région, so the
// numbers run on from one session to the next). Only one of two concurrent submissions of the same draft
// gets through: the other finds it submitted already and returns ErrNotFound.
func (s *Store) SubmitApplication(ctx context.Context, a *model.Application, receiptPrefix string, membershipID string) error {
	return s.InTx(ctx, func(tx *Store) error {
		now := tx.now()
		var seq int
		// Taking the number locks the counter's row: receipts are given one at a time.
		if err := tx.w.QueryRowContext(ctx, `INSERT INTO receipt_counters (prefix, seq) VALUES ($1, 1)
			ON CONFLICT (prefix) DO UPDATE SET seq = receipt_counters.seq + 1 RETURNING seq`, receiptPrefix).Scan(&seq); err != nil {
			return mapErr(err)
		}
		receipt := fmt.Sprintf("%s-%04d", receiptPrefix, seq)
		if err := tx.execOne(ctx, `UPDATE applications SET status = $2, receipt = $3, submitted_at = $4, updated_at = $4,
			membership_id = $5 WHERE id = $1 AND status = $6`, a.ID, model.ApplicationSubmitted, receipt, now,
			nullString(membershipID), model.ApplicationDraft); err != nil {
			return err
		}
		a.Status, a.Receipt, a.SubmittedAt, a.UpdatedAt, a.MembershipID = model.ApplicationSubmitted, receipt, now, now, membershipID
		return nil
	})
}

// WithdrawApplication withdraws a draft or submitted application.
func (s *Store) WithdrawApplication(ctx context.Context, applicationID string) error {
	now := s.now()
	return s.execOne(ctx, `UPDATE applications SET status = $2, withdrawn_at = $3, updated_at = $3
		WHERE id = $1 AND status IN ($4, $5)`, applicationID, model.ApplicationWithdrawn, now,
		model.ApplicationDraft, model.ApplicationSubmitted)
}

// OverrideEligibility records a manager's decision on eligibility (OverrideNone clears it).
func (s *Store) OverrideEligibility(ctx context.Context, applicationID string, o model.Override, reason, byAccount string) error {
	now := s.now()
	return s.execOne(ctx, `UPDATE applications SET override = $2, override_reason = $3, override_by = $4, override_at = $5,
		updated_at = $5 WHERE id = $1`, applicationID, o, reason, byAccount, now)
}

// SaveAnswer stores the answer to one question (value, or file).
func (s *Store) SaveAnswer(ctx context.Context, a model.Answer) error {
	_, err := s.exec(ctx, `INSERT INTO application_answers (application_id, question_id, value, file_id) VALUES ($1, $2, $3, $4)
		ON CONFLICT (application_id, question_id) DO UPDATE SET value = excluded.value, file_id = excluded.file_id`,
		a.ApplicationID, a.QuestionID, a.Value, nullString(a.FileID))
	return err
}

// Answers returns an application's answers by question id.
func (s *Store) Answers(ctx context.Context, applicationID string) (map[string]model.Answer, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT application_id, question_id, value, file_id FROM application_answers
		WHERE application_id = $1`, applicationID)
	if err != nil {
		return nil, mapErr(err)
	}
	defer rows.Close()
	out := map[string]model.Answer{}
	for rows.Next() {
		var a model.Answer
		var file sql.NullString
		if err := rows.Scan(&a.ApplicationID, &a.QuestionID, &a.Value, &file); err != nil {
			return nil, err
		}
		a.FileID = file.String
		out[a.QuestionID] = a
	}
	return out, rows.Err()
}

// AnswersOfCall returns the answers of every application to a call, by application id then
// question id: one query for an export, not one per row.
func (s *Store) AnswersOfCall(ctx context.Context, callID string) (map[string]map[string]model.Answer, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT an.application_id, an.question_id, an.value, an.file_id
		FROM application_answers an JOIN applications ap ON ap.id = an.application_id WHERE ap.call_id = $1`, callID)
	if err != nil {
		return nil, mapErr(err)
	}
	defer rows.Close()
	out := map[string]map[string]model.Answer{}
	for rows.Next() {
		var a model.Answer
		var file sql.NullString
		if err := rows.Scan(&a.ApplicationID, &a.QuestionID, &a.Value, &file); err != nil {
			return nil, err
		}
		a.FileID = file.String
		if out[a.ApplicationID] == nil {
			out[a.ApplicationID] = map[string]model.Answer{}
		}
		out[a.ApplicationID][a.QuestionID] = a
	}
	return out, rows.Err()
}

// ApplicationRow is an application as lists show it: with the candidate, their structure and
// the call it belongs to.
type ApplicationRow struct {
	Application model.Application
	Person      model.Person           // empty when the person was deleted
	Structure   model.Structure        // empty when none was chosen
	Email       string                 // the account's
	RoleStatus  model.MembershipStatus // of the role declared; empty when none
	Call        CallView
}

// ApplicationFilter narrows a list of applications.
type ApplicationFilter struct {
	Scope       policy.Scope // the calls the reader may see (programmes' carriers, régions)
	CallID      string       // one call
	AccountID   string       // one candidate's applications
	Status      model.ApplicationStatus
	Eligibility string // eligible, ineligible, review
	StructureID string
	Departement string // the structure's, or the declared one
	Declared    bool   // only structures declared as not yet listed
}

// Applications lists applications, earliest submitted first, then drafts by creation.
func (s *Store) Applications(ctx context.Context, f ApplicationFilter) ([]ApplicationRow, error) {
	var args []any
	arg := func(v any) string { args = append(args, v); return "$" + itoa(len(args)) }
	conds := []string{scopeWhere(f.Scope, arg)}
	if f.CallID != "" {
		conds = append(conds, "ap.call_id = "+arg(f.CallID))
	}
	if f.AccountID != "" {
		conds = append(conds, "ap.account_id = "+arg(f.AccountID))
	}
	if f.Status != "" {
		conds = append(conds, "ap.status = "+arg(string(f.Status)))
	}
	switch f.Eligibility {
	case "eligible":
		conds = append(conds, "((ap.override = '' AND ap.eligible = "+arg(true)+") OR ap.override = 'eligible')")
	case "ineligible":
		conds = append(conds, "((ap.override = '' AND ap.eligible = "+arg(false)+") OR ap.override = 'ineligible')")
	case "review":
		conds = append(conds, "(ap.override = '' AND ap.needs_review = "+arg(true)+")")
	}
	if f.StructureID != "" {
		conds = append(conds, "ap.structure_id = "+arg(f.StructureID))
	}
	if f.Departement != "" {
		d := arg(f.Departement)
		conds = append(conds, "(st.departement_code = "+d+" OR (ap.structure_id IS NULL AND ap.declared_departement = "+d+"))")
	}
	if f.Declared {
		conds = append(conds, "(ap.structure_id IS NULL AND ap.declared_name <> '')")
	}
	rows, err := s.r.QueryContext(ctx, `SELECT `+applicationColumns+`, coalesce(p.id, ''), coalesce(p.first_name, ''),
		coalesce(p.last_name, ''), coalesce(p.profession, ''), ac.email, coalesce(st.id, ''), coalesce(st.kind, ''),
		coalesce(st.name, ''), coalesce(st.region_code, ''), coalesce(st.departement_code, ''), coalesce(st.commune, ''),
		coalesce(st.finess, ''), coalesce(ms.status, ''), `+callColumns+`, `+cohortColumns+`, `+programmeColumns+`
		FROM applications ap
		JOIN accounts ac ON ac.id = ap.account_id
		JOIN calls ca ON ca.id = ap.call_id JOIN cohorts co ON co.id = ca.cohort_id JOIN programmes pr ON pr.id = co.programme_id
		LEFT JOIN people p ON p.id = ap.person_id
		LEFT JOIN structures st ON st.id = ap.structure_id
		LEFT JOIN memberships ms ON ms.id = ap.membership_id
		WHERE `+strings.Join(conds, " AND ")+`
		ORDER BY ap.submitted_at IS NULL, ap.submitted_at, ap.created_at, ap.id`, args...)
	if err != nil {
		return nil, mapErr(err)
	}
	defer rows.Close()
	var out []ApplicationRow
	for rows.Next() {
		var r ApplicationRow
		p, st := &r.Person, &r.Structure
		if err := scanFields(rows, applicationFields(&r.Application),
			fields{[]any{&p.ID, &p.FirstName, &p.LastName, &p.Profession, &r.Email, &st.ID, &st.Kind, &st.Name,
				&st.RegionCode, &st.DepartementCode, &st.Commune, &st.FINESS, &r.RoleStatus}, func() {}},
			callFields(&r.Call.Call), cohortFields(&r.Call.Cohort), programmeFields(&r.Call.Programme)); err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// CallOfFile returns the call to which a file was sent as an answer.
func (s *Store) CallOfFile(ctx context.Context, fileID string) (CallView, error) {
	var callID string
	err := s.r.QueryRowContext(ctx, `SELECT ap.call_id FROM application_answers an JOIN applications ap ON ap.id = an.application_id
		WHERE an.file_id = $1`, fileID).Scan(&callID)
	if err != nil {
		return CallView{}, mapErr(err)
	}
	return s.CallView(ctx, callID)
}

// CallStats are a call's figures for the people who follow it.
type CallStats struct {
	CallID     string
	Submitted  int // submitted applications
	Drafts     int
	Eligible   int // submitted and eligible (the manager's decision first)
	Structures int // distinct structures that applied (submitted)
	CPTS       int // distinct CPTS among them
	RegionCPTS int // CPTS of the call's région in the directory
}

// CallStats counts the applications of the given calls.
func (s *Store) CallStats(ctx context.Context, callIDs []string) (map[string]CallStats, error) {
	out := map[string]CallStats{}
	if len(callIDs) == 0 {
		return out, nil
	}
	var args []any
	arg := func(v any) string { args = append(args, v); return "$" + itoa(len(args)) }
	sub := arg(string(model.ApplicationSubmitted))
	rows, err := s.r.QueryContext(ctx, `SELECT ap.call_id,
		sum(CASE WHEN ap.status = `+sub+` THEN 1 ELSE 0 END),
		sum(CASE WHEN ap.status = `+arg(string(model.ApplicationDraft))+` THEN 1 ELSE 0 END),
		sum(CASE WHEN ap.status = `+sub+` AND (ap.override = 'eligible' OR (ap.override = '' AND ap.eligible = `+arg(true)+`)) THEN 1 ELSE 0 END),
		count(DISTINCT CASE WHEN ap.status = `+sub+` THEN ap.structure_id END),
		count(DISTINCT CASE WHEN ap.status = `+sub+` AND st.kind = `+arg(string(model.KindCPTS))+` THEN ap.structure_id END)
		FROM applications ap LEFT JOIN structures st ON st.id = ap.structure_id
		WHERE ap.call_id IN (`+placeholders(arg, callIDs)+`) GROUP BY ap.call_id`, args...)
	if err != nil {
		return nil, mapErr(err)
	}
	defer rows.Close()
	for rows.Next() {
		var c CallStats
		if err := rows.Scan(&c.CallID, &c.Submitted, &c.Drafts, &c.Eligible, &c.Structures, &c.CPTS); err != nil {
			return nil, err
		}
		out[c.CallID] = c
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	// The région's CPTS, the denominator of "x CPTS out of 28".
	var args2 []any
	arg2 := func(v any) string { args2 = append(args2, v); return "$" + itoa(len(args2)) }
	kind := arg2(string(model.KindCPTS))
	rows2, err := s.r.QueryContext(ctx, `SELECT ca.id, count(st.id) FROM calls ca JOIN cohorts co ON co.id = ca.cohort_id
		LEFT JOIN structures st ON st.region_code = co.region_code AND st.kind = `+kind+`
		WHERE ca.id IN (`+placeholders(arg2, callIDs)+`) GROUP BY ca.id`, args2...)
	if err != nil {
		return nil, mapErr(err)
	}
	defer rows2.Close()
	for rows2.Next() {
		var callID string
		var n int
		if err := rows2.Scan(&callID, &n); err != nil {
			return nil, err
		}
		c := out[callID]
		c.CallID, c.RegionCPTS = callID, n
		out[callID] = c
	}
	return out, rows2.Err()
}

// DraftsClosingBetween lists the drafts of published calls that close within (from, to]:
// their holders get a reminder.
func (s *Store) DraftsClosingBetween(ctx context.Context, from, to time.Time) ([]ApplicationRow, error) {
	ids, err := s.callsClosingBetween(ctx, from, to)
	if err != nil || len(ids) == 0 {
		return nil, err
	}
	var out []ApplicationRow
	for _, callID := range ids {
		rows, err := s.Applications(ctx, ApplicationFilter{Scope: policy.Scope{Everywhere: true}, CallID: callID, Status: model.ApplicationDraft})
		if err != nil {
			return nil, err
		}
		out = append(out, rows...)
	}
	return out, nil
}

func (s *Store) callsClosingBetween(ctx context.Context, from, to time.Time) ([]string, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT id FROM calls WHERE published = $1 AND closes_at > $2 AND closes_at <= $3
		ORDER BY closes_at, id`, true, from.UTC().Truncate(time.Microsecond), to.UTC().Truncate(time.Microsecond))
	if err != nil {
		return nil, mapErr(err)
	}
	defer rows.Close()
	var ids []string
	for rows.Next() {
		var callID string
		if err := rows.Scan(&callID); err != nil {
			return nil, err
		}
		ids = append(ids, callID)
	}
	return ids, rows.Err()
}
