// Package selection is what happens between the closing of a call and a full cohort: the
// committee (members, conflicts, assignment of reviews, the scoring grid, reviews, the
// chair's closing), the composition of the cohort (internal/compose applied to the
// applications still in play) and the offers (sent with a deadline, accepted, declined,
// lapsed, withdrawn — each freed seat offered to the next candidate at once, once, whichever
// instance does it). Pages and the job runner call it; every decision is in the audit log.
package selection

import (
	"context"
	"sort"

	"parcours/internal/model"
	"parcours/internal/policy"
	"parcours/internal/storage"
)

// Board is everything about a call's committee at one moment.
type Board struct {
	View         storage.CallView
	Committee    model.Committee
	Members      []model.CommitteeMember
	Grid         []model.Criterion
	Applications []storage.ApplicationRow // submitted and eligible: what the committee reviews
	Reviews      []model.Review
	conflicts    map[string]map[string]string // member id → application id → reason ("" for the structure)
}

// Load gathers a call's committee, made on first use.
func Load(ctx context.Context, s *storage.Store, view storage.CallView) (*Board, error) {
	b := &Board{View: view}
	var err error
	if b.Committee, err = s.CommitteeOfCall(ctx, view.Call.ID); err != nil {
		return nil, err
	}
	if b.Members, err = s.CommitteeMembers(ctx, b.Committee.ID); err != nil {
		return nil, err
	}
	if b.Grid, err = s.Criteria(ctx, b.Committee.ID); err != nil {
		return nil, err
	}
	rows, err := s.Applications(ctx, storage.ApplicationFilter{Scope: policy.Scope{Everywhere: true}, CallID: view.Call.ID,
		Status: model.ApplicationSubmitted})
	if err != nil {
		return nil, err
	}
	for _, r := range rows {
		if r.Application.IsEligible() {
			b.Applications = append(b.Applications, r)
		}
	}
	if b.Reviews, err = s.Reviews(ctx, b.Committee.ID); err != nil {
		return nil, err
	}
	structures, err := s.MemberStructures(ctx, b.Committee.ID)
	if err != nil {
		return nil, err
	}
	declared, err := s.Conflicts(ctx, b.Committee.ID)
	if err != nil {
		return nil, err
	}
	b.conflicts = map[string]map[string]string{}
	for _, m := range b.Members {
		b.conflicts[m.ID] = map[string]string{}
		for _, a := range b.Applications {
			if st := a.Application.StructureID; st != "" && structures[m.ID][st] {
				b.conflicts[m.ID][a.Application.ID] = ""
			}
		}
	}
	for _, c := range declared {
		if b.conflicts[c.MemberID] != nil {
			b.conflicts[c.MemberID][c.ApplicationID] = c.Reason
		}
	}
	return b, nil
}

// Conflict tells whether a member is in conflict with an application, and why: the reason
// they or the manager gave, or "" when the member belongs to the applicant's structure.
func (b *Board) Conflict(memberID, applicationID string) (reason string, conflicted bool) {
	reason, conflicted = b.conflicts[memberID][applicationID]
	return reason, conflicted
}

// Member finds the active member of an account, if any.
func (b *Board) Member(accountID string) (model.CommitteeMember, bool) {
	for _, m := range b.Members {
		if m.AccountID == accountID && m.Active() {
			return m, true
		}
	}
	return model.CommitteeMember{}, false
}

// Reviewers are the active members who review (observers do not).
func (b *Board) Reviewers() []model.CommitteeMember {
	var out []model.CommitteeMember
	for _, m := range b.Members {
		if m.Active() && m.Role.Reviews() {
			out = append(out, m)
		}
	}
	return out
}

// ReviewsOf lists an application's reviews, but for a review by a member found in conflict
// with it since (they joined the applicant's structure): conflicts win, that review counts
// for nothing.
func (b *Board) ReviewsOf(applicationID string) []model.Review {
	var out []model.Review
	for _, r := range b.Reviews {
		if _, c := b.Conflict(r.MemberID, applicationID); r.ApplicationID == applicationID && !c {
			out = append(out, r)
		}
	}
	return out
}

// ReviewBy returns a member's review of an application.
func (b *Board) ReviewBy(memberID, applicationID string) (model.Review, bool) {
	for _, r := range b.Reviews {
		if r.MemberID == memberID && r.ApplicationID == applicationID {
			return r, true
		}
	}
	return model.Review{}, false
}

// Score is an application's score: the mean of its submitted reviews' weighted totals on
// 0–100, in hundredths rounded half up, with the number of those reviews and whether two of
// them differ by more than the committee's gap.
type Score struct {
	Value     int
	Submitted int
	Expected  int
	Disagree  bool
	Min, Max  int
}

// ScoreOf computes an application's score.
func (b *Board) ScoreOf(applicationID string) Score {
	var sc Score
	sum := 0
	for _, r := range b.ReviewsOf(applicationID) {
		sc.Expected++
		if r.Status != model.ReviewSubmitted {
			continue
		}
		if sc.Submitted == 0 || r.Total < sc.Min {
			sc.Min = r.Total
		}
		if sc.Submitted == 0 || r.Total > sc.Max {
			sc.Max = r.Total
		}
		sc.Submitted++
		sum += r.Total
	}
	if sc.Submitted > 0 {
		sc.Value = (2*sum + sc.Submitted) / (2 * sc.Submitted)
		sc.Disagree = sc.Max-sc.Min > b.Committee.DisagreementGap*100
	}
	return sc
}

// Ranked is an application in the committee's ranking.
type Ranked struct {
	Row   storage.ApplicationRow
	Score Score
	Rank  int
}

// Ranking orders the applications a member may see (all, for "" — the manager) by score,
// then submission, then id; a conflicted member never sees the applications of their
// conflicts, nor their place.
func (b *Board) Ranking(memberID string) []Ranked {
	var out []Ranked
	for _, a := range b.Applications {
		if _, c := b.Conflict(memberID, a.Application.ID); memberID != "" && c {
			continue
		}
		out = append(out, Ranked{Row: a, Score: b.ScoreOf(a.Application.ID)})
	}
	sort.SliceStable(out, func(i, j int) bool {
		x, y := out[i], out[j]
		if x.Score.Value != y.Score.Value {
			return x.Score.Value > y.Score.Value
		}
		if !x.Row.Application.SubmittedAt.Equal(y.Row.Application.SubmittedAt) {
			return x.Row.Application.SubmittedAt.Before(y.Row.Application.SubmittedAt)
		}
		return x.Row.Application.ID < y.Row.Application.ID
	})
	for i := range out {
		out[i].Rank = i + 1
	}
	return out
}

// Progress is how far a member got.
type Progress struct {
	Member             model.CommitteeMember
	Assigned, Started  int
	Submitted, Pending int
}

// ProgressByMember counts each reviewer's reviews of the applications in play.
func (b *Board) ProgressByMember() []Progress {
	var out []Progress
	for _, m := range b.Members {
		p := Progress{Member: m}
		for _, r := range b.Reviews {
			if _, c := b.Conflict(m.ID, r.ApplicationID); r.MemberID != m.ID || c || !b.onBoard(r.ApplicationID) {
				continue
			}
			p.Assigned++
			switch r.Status {
			case model.ReviewSubmitted:
				p.Submitted++
			case model.ReviewDraft:
				p.Started++
			}
		}
		p.Pending = p.Assigned - p.Submitted
		out = append(out, p)
	}
	return out
}

// Unresolved lists the applications whose structure was declared as not yet listed: the
// manager matches them to a structure before the composition can run.
func (b *Board) Unresolved() []storage.ApplicationRow {
	var out []storage.ApplicationRow
	for _, a := range b.Applications {
		if a.Application.Declared() {
			out = append(out, a)
		}
	}
	return out
}
