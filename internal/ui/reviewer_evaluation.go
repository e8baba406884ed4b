package ui

import (
	"errors"
	"net/http"
	"strconv"

	"parcours/internal/i18n"
	"parcours/internal/model"
	"parcours/internal/selection"
	"parcours/internal/storage"
	"parcours/internal/validator"
)

// reviewerEvaluation is an application as a committee member reads it, with their review.
type reviewerEvaluation struct {
	Header      reviewerHeader
	CommitteeID string
	App         model.Application
	Name        string
	Structure   reviewerStructureFacts
	Answers     []reviewAnswer

	Observer  bool // reads, never scores
	Assigned  bool // the member has a review of it
	Editable  bool // the review form is shown
	Submitted bool
	GridEmpty bool
	Criteria  []reviewerCriterion
	Comment   string
	Total     string
	Next      *reviewerLine // the member's next review to write, if any

	SeeOthers bool
	Waiting   bool // a reviewer who has not submitted yet: others' reviews come after
	Score     selection.Score
	ScoreText string
	Gap       int // points on 100 beyond which two reviews disagree
	Others    []reviewerOther
	Unsent    int // others' reviews not yet submitted

	CanDeclare bool
	Reason     string
}

type reviewerStructureFacts struct {
	Name, Commune, Departement string
	Kind                       model.StructureKind
	Declared                   bool
}

// reviewerCriterion is a line of the grid with the member's choice.
type reviewerCriterion struct {
	ID, Field, Label string
	Weight           int
	Levels           []reviewerLevel
	Chosen           string // "0" … "5", or "" when not scored
	ChosenText       string // the chosen level's description
}

type reviewerLevel struct {
	Value, Text string
	Checked     bool
}

// reviewerOther is another member's submitted review.
type reviewerOther struct {
	Name     string
	Criteria []reviewerCriterion
	Total    string
	Comment  string
}

// reviewerForm is what the member typed, to show again with its errors; nil Scores means
// the saved review is shown.
type reviewerForm struct {
	Scores  map[string]string
	Comment string
	Reason  string
}

// loadEvaluation loads the committee and the application of the URL if the caller sits on
// the committee and may read the application; otherwise the same 404 as for an unknown one.
func (h *Handler) loadEvaluation(w http.ResponseWriter, r *http.Request) (*reviewerDesk, storage.ApplicationRow, bool) {
	d, ok := h.loadReviewerDesk(w, r)
	if !ok {
		return nil, storage.ApplicationRow{}, false
	}
	row, ok := d.sees(r.PathValue("application"))
	if !ok {
		h.ErrorPage(w, r, http.StatusNotFound)
		return nil, row, false
	}
	return d, row, true
}

// EvaluationShow shows an application to a committee member, with their review form when
// it is theirs to score, and the others' reviews once they may read them.
func (h *Handler) EvaluationShow(w http.ResponseWriter, r *http.Request) {
	d, row, ok := h.loadEvaluation(w, r)
	if !ok {
		return
	}
	h.renderEvaluation(w, r, http.StatusOK, d, row, reviewerForm{}, nil)
}

// EvaluationSave saves the member's review as a draft, or submits it for good.
func (h *Handler) EvaluationSave(w http.ResponseWriter, r *http.Request) {
	d, row, ok := h.loadEvaluation(w, r)
	if !ok {
		return
	}
	b, id := d.Board, row.Application.ID
	own, assigned := b.ReviewBy(d.Member.ID, id)
	if !assigned || !d.Member.Role.Reviews() {
		// They read the application (observer, chair) but it is not theirs to score.
		h.ErrorPage(w, r, http.StatusForbidden)
		return
	}
	form := reviewerForm{Scores: map[string]string{}, Comment: r.PostFormValue("comment")}
	for _, c := range b.Grid {
		form.Scores[c.ID] = r.PostFormValue("criterion-" + c.ID)
	}
	submit := r.PostFormValue("action") == "submit"
	errs, err := selection.SaveReview(r.Context(), h.Store, actor(r), b, own, form.Scores, form.Comment, submit)
	if h.reviewerRefused(w, r, err) {
		return
	}
	if err != nil {
		h.serverError(w, r, err)
		return
	}
	if errs.Any() {
		h.renderEvaluation(w, r, http.StatusUnprocessableEntity, d, row, form, errs)
		return
	}
	to := "/comites/" + b.Committee.ID + "/candidatures/" + id
	if submit {
		redirect(w, r, to, "flash.reviewer_submitted")
		return
	}
	redirect(w, r, to, "flash.reviewer_draft_saved")
}

// EvaluationConflict records the conflict of interest the member declares: the application
// leaves their pages at once, and their review of it, if any, is withdrawn.
func (h *Handler) EvaluationConflict(w http.ResponseWriter, r *http.Request) {
	d, row, ok := h.loadEvaluation(w, r)
	if !ok {
		return
	}
	if d.closed() {
		// Withdrawing a review now would change closed scores.
		h.reviewerRefused(w, r, selection.ErrClosed)
		return
	}
	reason := r.PostFormValue("reason")
	errs, err := selection.DeclareConflict(r.Context(), h.Store, actor(r), d.Board, d.Member.ID, row.Application.ID, reason)
	if err != nil && !errors.Is(err, storage.ErrAlreadyExists) {
		h.serverError(w, r, err)
		return
	}
	if errs.Any() {
		h.renderEvaluation(w, r, http.StatusUnprocessableEntity, d, row, reviewerForm{Reason: reason}, errs)
		return
	}
	redirect(w, r, "/comites/"+d.Board.Committee.ID, "flash.reviewer_conflict_declared")
}

// reviewerRefused answers 409 with a French sentence when the review can no longer change;
// it reports whether it did.
func (h *Handler) reviewerRefused(w http.ResponseWriter, r *http.Request, err error) bool {
	var title, message string
	switch {
	case errors.Is(err, selection.ErrClosed):
		title, message = i18n.T("reviewer.refused.closed_title"), i18n.T("reviewer.refused.closed")
	case errors.Is(err, selection.ErrSubmitted):
		title, message = i18n.T("reviewer.refused.submitted_title"), i18n.T("reviewer.refused.submitted")
	default:
		return false
	}
	pg := h.page(w, r, "error", title, map[string]any{"Status": http.StatusConflict, "Message": message})
	h.render(w, r, http.StatusConflict, pg)
	return true
}

// renderEvaluation shows the application; form holds what the member typed, with errs.
func (h *Handler) renderEvaluation(w http.ResponseWriter, r *http.Request, status int, d *reviewerDesk, row storage.ApplicationRow,
	form reviewerForm, errs validator.Errors) {
	e, err := h.evaluationData(r, d, row, form)
	if err != nil {
		h.serverError(w, r, err)
		return
	}
	pg := h.page(w, r, "reviewer_evaluation", i18n.T("reviewer.evaluation.title", e.Name), e)
	pg.Nav, pg.Errors = "committees", errs
	h.render(w, r, status, pg)
}

// evaluationData gathers what the member may read of the application.
func (h *Handler) evaluationData(r *http.Request, d *reviewerDesk, row storage.ApplicationRow, form reviewerForm) (*reviewerEvaluation, error) {
	ctx := r.Context()
	b, a := d.Board, row.Application
	e := &reviewerEvaluation{Header: h.reviewerHeaderOf(ctx, d), CommitteeID: b.Committee.ID, App: a, Name: reviewName(row),
		Observer: !d.Member.Role.Reviews(), GridEmpty: len(b.Grid) == 0, Reason: form.Reason}
	s := &e.Structure
	s.Name, s.Kind, s.Commune, s.Departement = reviewerStructure(row)
	s.Declared = a.Declared()
	questions, err := h.Store.Questions(ctx, b.View.Call.ID)
	if err != nil {
		return nil, err
	}
	answers, err := h.Store.Answers(ctx, a.ID)
	if err != nil {
		return nil, err
	}
	for _, q := range questions {
		value := answers[q.ID].Value
		if q.Kind == model.QuestionDate {
			value = civilDate(value)
		}
		e.Answers = append(e.Answers, reviewAnswer{Label: q.Label, Value: value, FileID: answers[q.ID].FileID})
	}

	own, assigned := b.ReviewBy(d.Member.ID, a.ID)
	e.Assigned = assigned && !e.Observer
	e.Submitted = own.Status == model.ReviewSubmitted
	e.Editable = e.Assigned && !e.Submitted && !d.closed() && !e.GridEmpty
	scores, comment := reviewerChoices(own), own.Comment
	if form.Scores != nil {
		scores, comment = form.Scores, form.Comment
	}
	e.Criteria, e.Comment = reviewerCriteria(b.Grid, scores), comment
	if e.Submitted {
		e.Total = reviewerPoints(own.Total)
	}
	// On a phone, the next review to write is one tap away.
	for _, next := range b.Applications {
		x, ok := b.ReviewBy(d.Member.ID, next.Application.ID)
		if !ok || x.Status == model.ReviewSubmitted || next.Application.ID == a.ID || e.Observer || d.closed() {
			continue
		}
		if _, visible := d.sees(next.Application.ID); visible {
			e.Next = &reviewerLine{ID: next.Application.ID, Name: reviewName(next)}
			break
		}
	}

	e.SeeOthers = b.CanSeeReviews(d.Member, a.ID)
	e.Waiting = e.Assigned && !e.Submitted && !d.closed()
	if e.SeeOthers {
		e.Score = b.ScoreOf(a.ID)
		e.ScoreText, e.Gap = reviewerPoints(e.Score.Value), b.Committee.DisagreementGap
		names := map[string]string{}
		for _, m := range b.Members {
			names[m.ID] = m.Name
		}
		for _, x := range b.ReviewsOf(a.ID) {
			switch {
			case x.MemberID == d.Member.ID:
			case x.Status != model.ReviewSubmitted:
				e.Unsent++
			default:
				e.Others = append(e.Others, reviewerOther{Name: names[x.MemberID], Criteria: reviewerCriteria(b.Grid, reviewerChoices(x)),
					Total: reviewerPoints(x.Total), Comment: x.Comment})
			}
		}
	}
	e.CanDeclare = !d.closed()
	return e, nil
}

// reviewerChoices is a saved review's scores as the form holds them.
func reviewerChoices(r model.Review) map[string]string {
	out := map[string]string{}
	for id, v := range r.Scores {
		out[id] = strconv.Itoa(v)
	}
	return out
}

// reviewerCriteria lays the grid out with the given choices and each level's description.
func reviewerCriteria(grid []model.Criterion, chosen map[string]string) []reviewerCriterion {
	out := make([]reviewerCriterion, 0, len(grid))
	for _, c := range grid {
		rc := reviewerCriterion{ID: c.ID, Field: "criterion-" + c.ID, Label: c.Label, Weight: c.Weight, Chosen: chosen[c.ID]}
		for level := 0; level <= 5; level++ {
			l := reviewerLevel{Value: strconv.Itoa(level), Checked: chosen[c.ID] == strconv.Itoa(level)}
			if level < len(c.Levels) {
				l.Text = c.Levels[level]
			}
			if l.Checked {
				rc.ChosenText = l.Text
			}
			rc.Levels = append(rc.Levels, l)
		}
		out = append(out, rc)
	}
	return out
}
