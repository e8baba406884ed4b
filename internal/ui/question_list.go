package ui

import (
	"net/http"
	"strings"

	"parcours/internal/i18n"
	"parcours/internal/model"
	"parcours/internal/storage"
	"parcours/internal/validator"
)

// One template shows a call's questions with the form to add one, or (Editing) the form of
// one question alone.
type questionPageData struct {
	View         storage.CallView
	Questions    []model.Question
	Applications int // drafts and submitted: candidates who see a change of the questions
	Form         model.Question
	Editing      bool
	Num          map[string]string // min_length, max_length as typed
	Choices      string            // one per line
	Kinds        []option
}

func (h *Handler) questionPage(w http.ResponseWriter, r *http.Request, status int, v storage.CallView, form model.Question, editing bool, raw map[string]string, errs validator.Errors) {
	ctx := r.Context()
	questions, err := h.Store.Questions(ctx, v.Call.ID)
	var stats map[string]storage.CallStats
	if err == nil {
		stats, err = h.Store.CallStats(ctx, []string{v.Call.ID})
	}
	if err != nil {
		h.serverError(w, r, err)
		return
	}
	data := questionPageData{View: v, Questions: questions, Form: form, Editing: editing,
		Applications: stats[v.Call.ID].Submitted + stats[v.Call.ID].Drafts,
		Num:          map[string]string{"min_length": numberText(form.MinLength, true), "max_length": numberText(form.MaxLength, true)},
		Choices:      strings.Join(form.Choices, "\n"),
		Kinds:        options("question.kind", model.QuestionKinds, "")}
	for k, val := range raw {
		data.Num[k] = val
	}
	if raw != nil {
		data.Choices = raw["choices"]
	}
	title := i18n.T("question.list.title", v.Cohort.Label)
	if editing {
		title = i18n.T("question.edit.title", form.Label)
	}
	pg := h.page(w, r, "question_list", title, data)
	pg.Nav, pg.Errors = "programmes", errs
	h.render(w, r, status, pg)
}

// QuestionList shows a call's questions in order, and a form to add one.
func (h *Handler) QuestionList(w http.ResponseWriter, r *http.Request) {
	if v, ok := h.loadCall(w, r, r.PathValue("id")); ok {
		h.questionPage(w, r, http.StatusOK, v, model.Question{Kind: model.QuestionShortText}, false, nil, nil)
	}
}

// QuestionEdit shows the form of one question.
func (h *Handler) QuestionEdit(w http.ResponseWriter, r *http.Request) {
	if q, v, ok := h.loadQuestion(w, r); ok {
		h.questionPage(w, r, http.StatusOK, v, q, true, nil, nil)
	}
}

// questionFromForm reads the form into q and checks it.
func questionFromForm(r *http.Request, q *model.Question) (raw map[string]string, errs validator.Errors) {
	raw = map[string]string{}
	q.Kind = model.QuestionKind(formValue(r, "kind"))
	q.Label = formValue(r, "label")
	q.Help = formValue(r, "help")
	q.Required = formValue(r, "required") != ""
	q.MinLength, q.MaxLength = 0, 0
	if q.Kind == model.QuestionLongText {
		q.MinLength = intField(r, "min_length", raw, &errs)
		q.MaxLength = intField(r, "max_length", raw, &errs)
	}
	raw["choices"] = formValue(r, "choices")
	q.Choices = strings.Split(strings.ReplaceAll(raw["choices"], "\r", ""), "\n")
	merge(&errs, validator.Question(q))
	return raw, errs
}

// QuestionCreate appends a question to the call's form.
func (h *Handler) QuestionCreate(w http.ResponseWriter, r *http.Request) {
	v, ok := h.loadCall(w, r, r.PathValue("id"))
	if !ok {
		return
	}
	q := model.Question{CallID: v.Call.ID}
	raw, errs := questionFromForm(r, &q)
	if errs.Any() {
		h.questionPage(w, r, http.StatusUnprocessableEntity, v, q, false, raw, errs)
		return
	}
	ctx := r.Context()
	err := h.Store.InTx(ctx, func(tx *storage.Store) error {
		if err := tx.AddQuestion(ctx, &q); err != nil {
			return err
		}
		return audit(ctx, tx, r, "question.create", "question", q.ID, map[string]any{"call_id": v.Call.ID, "label": q.Label, "kind": q.Kind})
	})
	if err != nil {
		h.fail(w, r, err)
		return
	}
	redirect(w, r, "/appels/"+v.Call.ID+"/questions", "flash.question_added")
}

// QuestionUpdate saves a question's texts and limits.
func (h *Handler) QuestionUpdate(w http.ResponseWriter, r *http.Request) {
	q, v, ok := h.loadQuestion(w, r)
	if !ok {
		return
	}
	raw, errs := questionFromForm(r, &q)
	if errs.Any() {
		h.questionPage(w, r, http.StatusUnprocessableEntity, v, q, true, raw, errs)
		return
	}
	ctx := r.Context()
	err := h.Store.InTx(ctx, func(tx *storage.Store) error {
		if err := tx.UpdateQuestion(ctx, &q); err != nil {
			return err
		}
		return audit(ctx, tx, r, "question.update", "question", q.ID, map[string]any{"call_id": v.Call.ID, "label": q.Label, "kind": q.Kind})
	})
	if err != nil {
		h.fail(w, r, err)
		return
	}
	redirect(w, r, "/appels/"+v.Call.ID+"/questions", "flash.question_saved")
}

// QuestionDelete removes a question and the answers already given to it.
func (h *Handler) QuestionDelete(w http.ResponseWriter, r *http.Request) {
	q, v, ok := h.loadQuestion(w, r)
	if !ok {
		return
	}
	ctx := r.Context()
	err := h.Store.InTx(ctx, func(tx *storage.Store) error {
		if err := tx.DeleteQuestion(ctx, q.ID); err != nil {
			return err
		}
		return audit(ctx, tx, r, "question.delete", "question", q.ID, map[string]any{"call_id": v.Call.ID, "label": q.Label})
	})
	if err != nil {
		h.fail(w, r, err)
		return
	}
	redirect(w, r, "/appels/"+v.Call.ID+"/questions", "flash.question_deleted")
}

// QuestionMove swaps a question with the one above (dir=up) or below (dir=down).
func (h *Handler) QuestionMove(w http.ResponseWriter, r *http.Request) {
	q, v, ok := h.loadQuestion(w, r)
	if !ok {
		return
	}
	dir := formValue(r, "dir")
	if dir != "up" && dir != "down" {
		h.ErrorPage(w, r, http.StatusBadRequest)
		return
	}
	ctx := r.Context()
	err := h.Store.InTx(ctx, func(tx *storage.Store) error {
		if err := tx.MoveQuestion(ctx, q.ID, dir == "up"); err != nil {
			return err
		}
		return audit(ctx, tx, r, "question.move", "question", q.ID, map[string]any{"call_id": v.Call.ID, "dir": dir})
	})
	if err != nil {
		h.fail(w, r, err)
		return
	}
	redirect(w, r, "/appels/"+v.Call.ID+"/questions#q-"+q.ID, "flash.question_moved")
}
