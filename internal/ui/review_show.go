package ui

import (
	"errors"
	"fmt"
	"net/http"
	"time"

	"parcours/internal/apply"
	"parcours/internal/eligibility"
	"parcours/internal/i18n"
	"parcours/internal/model"
	"parcours/internal/policy"
	"parcours/internal/storage"
	"parcours/internal/validator"
)

// reviewPage is everything the manager reads about one application.
type reviewPage struct {
	App         model.Application
	View        storage.CallView
	Person      model.Person
	Name, Email string
	Structure   *model.Structure  // the structure chosen in the directory
	Membership  *model.Membership // the role declared, as recorded
	Answers     []reviewAnswer
	Rules       []reviewRule
	Verdict     eligibility.Verdict
	Eligibility string // the decision that counts, in words
	OverrideBy  string
	Audit       []reviewAudit
	CanJudge    bool
	Form        struct{ Decision, Reason string }
}

type reviewAnswer struct {
	Label, Value, FileID string
}

// reviewRule is one eligibility rule's outcome, in words.
type reviewRule struct {
	Rule, Outcome, Reason string
	Failed                bool
}

// reviewAudit is one entry of the application's history.
type reviewAudit struct {
	At           time.Time
	Who, What    string
	Detail       string
	DetailReason string
}

// ApplicationReview shows one application to whoever reads its call's applications, with
// the forms of those who judge it.
func (h *Handler) ApplicationReview(w http.ResponseWriter, r *http.Request) {
	a, v, ok := h.loadReviewApplication(w, r, policy.ReadApplications)
	if !ok {
		return
	}
	h.renderReview(w, r, http.StatusOK, a, v, nil, "", "")
}

// ApplicationOverride records the manager's decision on eligibility, with its written reason.
func (h *Handler) ApplicationOverride(w http.ResponseWriter, r *http.Request) {
	a, v, ok := h.loadReviewApplication(w, r, policy.JudgeEligibility)
	if !ok {
		return
	}
	decision := formValue(r, "decision")
	o := model.Override(decision)
	switch decision {
	case "rules":
		o = model.OverrideNone
	case "":
		o = "none" // no choice made: apply.Override asks for one
	}
	reason := r.PostFormValue("reason")
	errs, err := apply.Override(r.Context(), h.Store, actor(r), a, o, reason)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	if errs.Any() {
		h.renderReview(w, r, http.StatusUnprocessableEntity, a, v, errs, decision, reason)
		return
	}
	redirect(w, r, "/gestion/candidatures/"+a.ID, "flash.review_override_saved")
}

// ApplicationConfirmRole confirms the role the candidate declared in their structure.
func (h *Handler) ApplicationConfirmRole(w http.ResponseWriter, r *http.Request) {
	a, _, ok := h.loadReviewApplication(w, r, policy.JudgeEligibility)
	if !ok {
		return
	}
	if err := apply.ConfirmRole(r.Context(), h.Store, actor(r), a); err != nil {
		h.fail(w, r, err)
		return
	}
	redirect(w, r, "/gestion/candidatures/"+a.ID, "flash.review_role_confirmed")
}

// renderReview shows the application; errs, decision and reason are those of an override
// form to show again.
func (h *Handler) renderReview(w http.ResponseWriter, r *http.Request, status int, a model.Application, v storage.CallView,
	errs validator.Errors, decision, reason string) {
	d, err := h.reviewData(r, a, v)
	if err != nil {
		h.serverError(w, r, err)
		return
	}
	d.Form.Decision, d.Form.Reason = decision, reason
	pg := h.page(w, r, "review_show", i18n.T("review.show.title", d.Name), d)
	pg.Nav, pg.Errors = "programmes", errs
	h.render(w, r, status, pg)
}

func (h *Handler) reviewData(r *http.Request, a model.Application, v storage.CallView) (*reviewPage, error) {
	ctx := r.Context()
	d := &reviewPage{App: a, View: v, CanJudge: reviewCovers(r, policy.JudgeEligibility, v)}
	acc, err := h.Store.Account(ctx, a.AccountID)
	if err != nil {
		return nil, err
	}
	d.Email, d.Name = acc.Email, acc.Email
	if a.PersonID != "" {
		if d.Person, err = h.Store.Person(ctx, a.PersonID); err != nil && !errors.Is(err, storage.ErrNotFound) {
			return nil, err
		}
		if n := d.Person.FullName(); n != "" {
			d.Name = n
		}
	}
	if a.StructureID != "" {
		st, err := h.Store.Structure(ctx, a.StructureID)
		if err != nil && !errors.Is(err, storage.ErrNotFound) {
			return nil, err
		}
		if err == nil {
			d.Structure = &st
		}
	}
	var m model.Membership
	switch {
	case a.MembershipID != "":
		m, err = h.Store.Membership(ctx, a.MembershipID)
	case a.StructureID != "" && a.Role != "" && a.PersonID != "":
		// A draft records no role yet: show the one the directory may already know.
		m, err = h.Store.MembershipOf(ctx, a.PersonID, a.StructureID, a.Role)
	default:
		err = storage.ErrNotFound
	}
	if err != nil && !errors.Is(err, storage.ErrNotFound) {
		return nil, err
	}
	if err == nil {
		d.Membership = &m
	}
	questions, err := h.Store.Questions(ctx, v.Call.ID)
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
		d.Answers = append(d.Answers, reviewAnswer{Label: q.Label, Value: value, FileID: answers[q.ID].FileID})
	}
	if d.Verdict, err = apply.Check(ctx, h.Store, v.Call, a); err != nil {
		return nil, err
	}
	for _, res := range d.Verdict.Results {
		d.Rules = append(d.Rules, reviewRule{Rule: reviewRuleName(res.Rule), Outcome: reviewOutcomeName(res.Outcome), Reason: res.Reason,
			Failed: res.Outcome == eligibility.Fail})
	}
	d.Eligibility = reviewEligibilityLabel(reviewEligibility(a))
	names := reviewAccounts{h: h, r: r, known: map[string]string{}}
	if a.OverrideBy != "" {
		d.OverrideBy = names.of(a.OverrideBy)
	}
	trail, err := h.Store.AuditTrail(ctx, "application", a.ID, 200)
	if err != nil {
		return nil, err
	}
	for _, e := range trail {
		line := reviewAudit{At: e.At, Who: names.of(e.AccountID), What: reviewAuditAction(e.Action)}
		switch e.Action {
		case "application.submit", "application.resubmit":
			line.Detail = fmt.Sprint(e.Details["receipt"])
		case "application.override":
			line.Detail = reviewOverrideName(model.Override(fmt.Sprint(e.Details["decision"])))
			line.DetailReason = fmt.Sprint(e.Details["reason"])
		}
		d.Audit = append(d.Audit, line)
	}
	return d, nil
}

// reviewAccounts names the accounts of a page's history, each read once.
type reviewAccounts struct {
	h     *Handler
	r     *http.Request
	known map[string]string
}

func (n reviewAccounts) of(accountID string) string {
	if accountID == "" {
		return i18n.T("review.audit.system")
	}
	if name, ok := n.known[accountID]; ok {
		return name
	}
	name := i18n.T("review.audit.deleted_account")
	if acc, err := n.h.Store.Account(n.r.Context(), accountID); err == nil {
		name = acc.DisplayName
		if name == "" {
			name = acc.Email
		}
	}
	n.known[accountID] = name
	return name
}

func reviewRuleName(rule string) string { return i18n.T("review.rule." + rule) }

func reviewOutcomeName(o eligibility.Outcome) string { return i18n.T("review.outcome." + o.String()) }

func reviewOverrideName(o model.Override) string {
	if o == model.OverrideNone {
		return i18n.T("review.override.rules")
	}
	return i18n.T("review.override." + string(o))
}

func reviewAuditAction(action string) string {
	if key := "review.audit." + action; i18n.Has(key) {
		return i18n.T(key)
	}
	return action
}
