package ui

import (
	"net/http"

	"parcours/internal/i18n"
	"parcours/internal/model"
	"parcours/internal/selection"
	"parcours/internal/validator"
)

// reviewerRankRow is a line of the ranking as one member reads it.
type reviewerRankRow struct {
	Rank                int
	ID, Name            string
	Structure           string
	Departement         string
	Link                bool // the member may open the application
	Scored              bool
	Score, Min, Max     string
	Submitted, Expected int
	Disagree            bool
}

// ReviewerRanking shows the committee's ranking to the members who may read it (see
// reviewerDesk.mayRank); the others are told what to finish first. A member never sees the
// applications of their conflicts, and the ranks are counted over what they see.
func (h *Handler) ReviewerRanking(w http.ResponseWriter, r *http.Request) {
	d, ok := h.loadReviewerDesk(w, r)
	if !ok {
		return
	}
	h.renderRanking(w, r, http.StatusOK, d, nil)
}

// ReviewerClose is the chair's: the scores become final and the manager may compose the
// cohort. Only the chair may; another member is told so (403), a stranger gets 404.
func (h *Handler) ReviewerClose(w http.ResponseWriter, r *http.Request) {
	d, ok := h.loadReviewerDesk(w, r)
	if !ok {
		return
	}
	if !d.Member.Chair {
		h.ErrorPage(w, r, http.StatusForbidden)
		return
	}
	if d.closed() {
		h.reviewerRefused(w, r, selection.ErrClosed)
		return
	}
	if r.PostFormValue("confirm") != "1" {
		var errs validator.Errors
		errs.Add("confirm", "required", i18n.T("reviewer.close.confirm_required"))
		h.renderRanking(w, r, http.StatusUnprocessableEntity, d, errs)
		return
	}
	err := selection.CloseReview(r.Context(), h.Store, actor(r), d.Board)
	if h.reviewerRefused(w, r, err) {
		return
	}
	if err != nil {
		h.serverError(w, r, err)
		return
	}
	redirect(w, r, "/comites/"+d.Board.Committee.ID+"/classement", "flash.reviewer_closed")
}

// renderRanking shows the ranking, or what to finish first, with the chair's closing form.
func (h *Handler) renderRanking(w http.ResponseWriter, r *http.Request, status int, d *reviewerDesk, errs validator.Errors) {
	b := d.Board
	data := map[string]any{"Header": h.reviewerHeaderOf(r.Context(), d), "CommitteeID": b.Committee.ID, "MayRank": d.mayRank(),
		"CanClose": d.Member.Chair && !d.closed()}
	data["Submitted"], data["Assigned"] = d.progress()
	if d.mayRank() {
		// While the review is open, the applications whose review by this member is not
		// submitted are kept apart, their figures hidden: a reviewer reads the others' scores
		// only after giving their own.
		var rows, yours []reviewerRankRow
		for _, x := range b.Ranking(d.Member.ID) {
			row := reviewerRankRow{ID: x.Row.Application.ID, Name: reviewName(x.Row)}
			row.Structure, _, _, row.Departement = reviewerStructure(x.Row)
			_, row.Link = d.sees(row.ID)
			if own, ok := b.ReviewBy(d.Member.ID, row.ID); ok && !d.closed() && d.Member.Role.Reviews() && own.Status != model.ReviewSubmitted {
				yours = append(yours, row)
				continue
			}
			sc := x.Score
			row.Rank, row.Scored, row.Disagree = len(rows)+1, sc.Submitted > 0, sc.Disagree
			row.Score, row.Min, row.Max = reviewerPoints(sc.Value), reviewerPoints(sc.Min), reviewerPoints(sc.Max)
			row.Submitted, row.Expected = sc.Submitted, sc.Expected
			rows = append(rows, row)
		}
		data["Rows"], data["Yours"], data["Gap"] = rows, yours, b.Committee.DisagreementGap
	}
	if d.Member.Chair && !d.closed() {
		pending := 0
		for _, x := range b.Reviews {
			if x.Status != model.ReviewSubmitted {
				pending++
			}
		}
		data["Pending"] = pending
	}
	pg := h.page(w, r, "reviewer_ranking", i18n.T("reviewer.ranking.title", b.View.Programme.Title, b.View.Cohort.Label), data)
	pg.Nav, pg.Errors = "committees", errs
	h.render(w, r, status, pg)
}
