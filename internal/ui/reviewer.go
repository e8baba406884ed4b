package ui

import (
	"context"
	"errors"
	"fmt"
	"net/http"

	"parcours/internal/httpx"
	"parcours/internal/i18n"
	"parcours/internal/model"
	"parcours/internal/policy"
	"parcours/internal/selection"
	"parcours/internal/storage"
)

// The committee members' pages: the committees they sit on, the applications they read and
// score, the ranking and the chair's closing. Every rule is in internal/selection; these
// pages only decide what one member may read. An application a member may not read — in
// conflict, not assigned, unknown — answers the same 404.

// reviewerDesk is a committee as one of its active members reads it.
type reviewerDesk struct {
	Board  *selection.Board
	Member model.CommitteeMember
}

// loadReviewerDesk loads the committee of the URL if the caller sits on it; anyone else gets
// 404, so that a committee's existence is not revealed.
func (h *Handler) loadReviewerDesk(w http.ResponseWriter, r *http.Request) (*reviewerDesk, bool) {
	d, err := h.reviewerDeskOf(r.Context(), r.PathValue("id"), httpx.Principal(r).AccountID)
	if err != nil {
		h.fail(w, r, err)
		return nil, false
	}
	return d, true
}

// reviewerDeskOf reads a committee for one of its active members; ErrNotFound otherwise.
func (h *Handler) reviewerDeskOf(ctx context.Context, committeeID, accountID string) (*reviewerDesk, error) {
	c, err := h.Store.Committee(ctx, committeeID)
	if err != nil {
		return nil, err
	}
	v, err := h.Store.CallView(ctx, c.CallID)
	if err != nil {
		return nil, err
	}
	b, err := selection.Load(ctx, h.Store, v)
	if err != nil {
		return nil, err
	}
	m, ok := b.Member(accountID)
	if !ok {
		return nil, storage.ErrNotFound
	}
	return &reviewerDesk{Board: b, Member: m}, nil
}

// sees returns an application the member may read: one the committee reviews and they are
// not in conflict with; the chair and observers read them all, the other reviewers those
// assigned to them.
func (d *reviewerDesk) sees(applicationID string) (storage.ApplicationRow, bool) {
	if _, c := d.Board.Conflict(d.Member.ID, applicationID); c {
		return storage.ApplicationRow{}, false
	}
	for _, row := range d.Board.Applications {
		if row.Application.ID != applicationID {
			continue
		}
		if _, assigned := d.Board.ReviewBy(d.Member.ID, applicationID); assigned || d.Member.Chair || !d.Member.Role.Reviews() {
			return row, true
		}
	}
	return storage.ApplicationRow{}, false
}

// own lists the member's reviews of the applications they may read (a review left on an
// application withdrawn since, or of a conflict found later, does not count).
func (d *reviewerDesk) own() []model.Review {
	var out []model.Review
	for _, r := range d.Board.Reviews {
		if r.MemberID != d.Member.ID {
			continue
		}
		if _, ok := d.sees(r.ApplicationID); ok {
			out = append(out, r)
		}
	}
	return out
}

// progress counts the member's submitted reviews out of those assigned to them.
func (d *reviewerDesk) progress() (submitted, assigned int) {
	for _, r := range d.own() {
		assigned++
		if r.Status == model.ReviewSubmitted {
			submitted++
		}
	}
	return submitted, assigned
}

// closed reports whether the chair closed the review.
func (d *reviewerDesk) closed() bool { return !d.Board.Committee.ClosedAt.IsZero() }

// mayRank reports whether the member reads the ranking: the chair and observers always,
// another reviewer once all their reviews are submitted (so that others' scores never
// weigh on a review still to write), everyone once the review is closed.
func (d *reviewerDesk) mayRank() bool {
	if d.Member.Chair || !d.Member.Role.Reviews() || d.closed() {
		return true
	}
	submitted, assigned := d.progress()
	return submitted == assigned
}

// reviewerClosedBy names who closed the review: a member, else the account.
func (h *Handler) reviewerClosedBy(ctx context.Context, b *selection.Board) string {
	for _, m := range b.Members {
		if m.AccountID == b.Committee.ClosedBy {
			return m.Name
		}
	}
	if acc, err := h.Store.Account(ctx, b.Committee.ClosedBy); err == nil {
		return acc.DisplayName
	}
	return i18n.T("reviewer.closed_by_unknown")
}

// reviewerPoints writes a score kept in hundredths the French way: 7250 → "72,50".
func reviewerPoints(hundredths int) string {
	return fmt.Sprintf("%d,%02d", hundredths/100, hundredths%100)
}

// reviewerStructure names an application's structure: the directory's, or the one the
// candidate declared as not yet listed.
func reviewerStructure(row storage.ApplicationRow) (name string, kind model.StructureKind, commune, departement string) {
	a := row.Application
	if a.StructureID != "" {
		return row.Structure.Name, row.Structure.Kind, row.Structure.Commune, row.Structure.DepartementCode
	}
	return a.DeclaredName, a.DeclaredKind, a.DeclaredCommune, a.DeclaredDepartement
}

// reviewerState says where the member's review of an application stands, in words; "" when
// none is assigned to them.
func reviewerState(r model.Review, assigned, closed bool) string {
	switch {
	case !assigned:
		return ""
	case r.Status == model.ReviewSubmitted:
		return i18n.T("reviewer.state.submitted")
	case closed:
		return i18n.T("reviewer.state.unsent")
	case r.Status == model.ReviewDraft:
		return i18n.T("reviewer.state.draft")
	}
	return i18n.T("reviewer.state.assigned")
}

// reviewerHeader is what every page of a committee shows first.
type reviewerHeader struct {
	View     storage.CallView
	Member   model.CommitteeMember
	Closed   bool
	ClosedAt string
	ClosedBy string
}

// reviewerHeaderOf says where the committee stands, and who closed it when.
func (h *Handler) reviewerHeaderOf(ctx context.Context, d *reviewerDesk) reviewerHeader {
	hd := reviewerHeader{View: d.Board.View, Member: d.Member, Closed: d.closed()}
	if hd.Closed {
		hd.ClosedAt = dateIn(d.Board.Committee.ClosedAt, d.Board.View.Cohort.RegionCode)
		hd.ClosedBy = h.reviewerClosedBy(ctx, d.Board)
	}
	return hd
}

// reviewerCommitteeCard is one committee of the list.
type reviewerCommitteeCard struct {
	reviewerHeader
	CommitteeID         string
	Submitted, Assigned int
}

// ReviewerCommittees lists the committees the caller sits on, with how far they got.
func (h *Handler) ReviewerCommittees(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	accountID := httpx.Principal(r).AccountID
	memberships, err := h.Store.MembershipsOfAccount(ctx, accountID)
	if err != nil {
		h.serverError(w, r, err)
		return
	}
	var cards []reviewerCommitteeCard
	for _, m := range memberships {
		d, err := h.reviewerDeskOf(ctx, m.CommitteeID, accountID)
		if errors.Is(err, storage.ErrNotFound) {
			continue // left the committee since the list was read
		}
		if err != nil {
			h.serverError(w, r, err)
			return
		}
		card := reviewerCommitteeCard{reviewerHeader: h.reviewerHeaderOf(ctx, d), CommitteeID: m.CommitteeID}
		card.Submitted, card.Assigned = d.progress()
		cards = append(cards, card)
	}
	pg := h.page(w, r, "reviewer_committees", i18n.T("reviewer.committees.title"), map[string]any{"Committees": cards})
	pg.Nav = "committees"
	h.render(w, r, http.StatusOK, pg)
}

// reviewerLine is an application in the list of one committee.
type reviewerLine struct {
	ID, Name       string
	Structure      string
	Departement    string
	Declared       bool
	State          string // the member's review, in words; "" when not theirs
	Pending        bool   // theirs, still to submit while the review is open
	ShowScore      bool
	Score          string
	Scored         bool
	Disagree       bool
	Submitted, All int
}

// ReviewerCommittee shows one committee to one of its members: the applications they read,
// where their reviews stand, and for the chair how far every reviewer got.
func (h *Handler) ReviewerCommittee(w http.ResponseWriter, r *http.Request) {
	d, ok := h.loadReviewerDesk(w, r)
	if !ok {
		return
	}
	b := d.Board
	var lines []reviewerLine
	for _, row := range b.Applications {
		if _, ok := d.sees(row.Application.ID); !ok {
			continue
		}
		id := row.Application.ID
		own, assigned := b.ReviewBy(d.Member.ID, id)
		l := reviewerLine{ID: id, Name: reviewName(row), State: reviewerState(own, assigned, d.closed()),
			Pending: assigned && own.Status != model.ReviewSubmitted && !d.closed()}
		l.Structure, _, _, l.Departement = reviewerStructure(row)
		l.Declared = row.Application.Declared()
		if b.CanSeeReviews(d.Member, id) {
			sc := b.ScoreOf(id)
			l.ShowScore, l.Scored, l.Score, l.Disagree = true, sc.Submitted > 0, reviewerPoints(sc.Value), sc.Disagree
			l.Submitted, l.All = sc.Submitted, sc.Expected
		}
		lines = append(lines, l)
	}
	data := map[string]any{
		"Header": h.reviewerHeaderOf(r.Context(), d), "CommitteeID": b.Committee.ID, "Lines": lines,
		"Reviews": d.Member.Role.Reviews(), "GridEmpty": len(b.Grid) == 0, "MayRank": d.mayRank(),
	}
	data["Submitted"], data["Assigned"] = d.progress()
	if d.Member.Chair {
		var progress []selection.Progress
		for _, p := range b.ProgressByMember() {
			if p.Member.Active() && p.Member.Role.Reviews() {
				progress = append(progress, p)
			}
		}
		data["Progress"] = progress
	}
	pg := h.page(w, r, "reviewer_committee", i18n.T("reviewer.committee.title", b.View.Programme.Title, b.View.Cohort.Label), data)
	pg.Nav = "committees"
	h.render(w, r, http.StatusOK, pg)
}

// reviewerMayDownload reports whether the caller sits on the committee of the call a file
// was sent to and may read the application it belongs to: never one they are in conflict
// with, nor one the visibility rule keeps from them.
func (h *Handler) reviewerMayDownload(ctx context.Context, p *policy.Principal, fileID string) (bool, error) {
	if !policy.Allow(p, policy.Review) {
		return false, nil
	}
	v, err := h.Store.CallOfFile(ctx, fileID)
	if err != nil {
		return false, reviewerNotFoundIsNo(err)
	}
	memberships, err := h.Store.MembershipsOfAccount(ctx, p.AccountID)
	if err != nil {
		return false, err
	}
	for _, m := range memberships {
		c, err := h.Store.Committee(ctx, m.CommitteeID)
		if err != nil {
			return false, reviewerNotFoundIsNo(err)
		}
		if c.CallID != v.Call.ID {
			continue
		}
		d, err := h.reviewerDeskOf(ctx, c.ID, p.AccountID)
		if err != nil {
			return false, reviewerNotFoundIsNo(err)
		}
		answers, err := h.Store.AnswersOfCall(ctx, v.Call.ID)
		if err != nil {
			return false, err
		}
		for applicationID, byQuestion := range answers {
			for _, a := range byQuestion {
				if a.FileID == fileID {
					_, ok := d.sees(applicationID)
					return ok, nil
				}
			}
		}
	}
	return false, nil
}

// reviewerNotFoundIsNo turns "not found" into no error: the answer is then simply "no".
func reviewerNotFoundIsNo(err error) error {
	if errors.Is(err, storage.ErrNotFound) {
		return nil
	}
	return err
}
