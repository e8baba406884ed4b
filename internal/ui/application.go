package ui

import (
	"errors"
	"io"
	"mime"
	"net/http"
	"strings"

	"parcours/internal/apply"
	"parcours/internal/eligibility"
	"parcours/internal/httpx"
	"parcours/internal/i18n"
	"parcours/internal/mail"
	"parcours/internal/model"
	"parcours/internal/policy"
	"parcours/internal/storage"
	"parcours/internal/validator"
)

// ApplicationStart opens the caller's application to a call: a new draft, or the one they
// already have (one per person per call).
func (h *Handler) ApplicationStart(w http.ResponseWriter, r *http.Request) {
	v, ok := h.loadPublicCall(w, r, r.PathValue("id"))
	if !ok {
		return
	}
	acc, err := h.Store.Account(r.Context(), httpx.Principal(r).AccountID)
	if err != nil {
		h.serverError(w, r, err)
		return
	}
	a, err := apply.Start(r.Context(), h.Store, acc, v)
	var closed *apply.ClosedError
	switch {
	case errors.As(err, &closed):
		h.callRefusal(w, r, v, closed.Error())
		return
	case errors.Is(err, apply.ErrEmailNotVerified):
		h.callRefusal(w, r, v, i18n.T("application.verify_first", acc.Email))
		return
	case err != nil:
		h.serverError(w, r, err)
		return
	}
	http.Redirect(w, r, "/candidatures/"+a.ID, http.StatusSeeOther)
}

// callRefusal shows the call's page again with why the candidate cannot go on.
func (h *Handler) callRefusal(w http.ResponseWriter, r *http.Request, v storage.CallView, message string) {
	pg := h.page(w, r, "call_show", v.Programme.Title, map[string]any{"View": v, "State": h.stateOf(v),
		"Rules": eligibility.Describe(apply.RulesOf(v.Call)), "Refusal": message, "CanApply": true})
	pg.Nav = "calls"
	h.render(w, r, http.StatusConflict, pg)
}

// ApplicationList shows the caller's applications.
func (h *Handler) ApplicationList(w http.ResponseWriter, r *http.Request) {
	p := httpx.Principal(r)
	rows, err := h.Store.Applications(r.Context(), storage.ApplicationFilter{Scope: policy.Scope{Everywhere: true}, AccountID: p.AccountID})
	if err != nil {
		h.serverError(w, r, err)
		return
	}
	acc, err := h.Store.Account(r.Context(), p.AccountID)
	if err != nil {
		h.serverError(w, r, err)
		return
	}
	places, err := h.candidatePlaces(r, rows)
	if err != nil {
		h.serverError(w, r, err)
		return
	}
	pg := h.page(w, r, "application_list", i18n.T("application.list_title"), map[string]any{
		"Rows": rows, "Unverified": acc.EmailVerifiedAt.IsZero(), "Email": acc.Email, "Places": places})
	pg.Nav = "applications"
	h.render(w, r, http.StatusOK, pg)
}

// loadOwnApplication loads the application of the URL if it is the caller's; anyone else's
// is not found.
func (h *Handler) loadOwnApplication(w http.ResponseWriter, r *http.Request) (model.Application, storage.CallView, bool) {
	a, err := h.Store.Application(r.Context(), r.PathValue("id"))
	if err == nil && a.AccountID != httpx.Principal(r).AccountID {
		err = storage.ErrNotFound
	}
	var v storage.CallView
	if err == nil {
		v, err = h.Store.CallView(r.Context(), a.CallID)
	}
	if err != nil {
		h.fail(w, r, err)
		return a, v, false
	}
	return a, v, true
}

// applicationForm is what the application page shows: the stored application, or what was
// just typed when it is shown again with errors.
type applicationForm struct {
	App       model.Application
	View      storage.CallView
	State     callState
	Editable  bool
	Verdict   eligibility.Verdict
	Structure *model.Structure // the structure chosen
	Query     string           // the structure search
	Results   []model.Structure
	Choice    string // structure, declare, none
	Questions []questionField
	Consent   struct{ Processing, Retention bool }
	Refusal   string // why the page is read-only (closed…), or why the action failed
	Options   struct{ Roles, Professions, Kinds, Departements []option }
	Place     *candidatePlace // once offers went out, on the read-only page
}

// questionField is a question with its answer.
type questionField struct {
	Q        model.Question
	Field    string
	Value    string
	FileID   string
	FileName string
}

// ApplicationEdit shows the application form, or the application read-only once the call is
// closed or the application withdrawn.
func (h *Handler) ApplicationEdit(w http.ResponseWriter, r *http.Request) {
	a, v, ok := h.loadOwnApplication(w, r)
	if !ok {
		return
	}
	f, err := h.applicationForm(r, a, v, nil)
	if err != nil {
		h.serverError(w, r, err)
		return
	}
	if q := r.URL.Query().Get("q"); q != "" {
		if err := h.searchStructures(r, f, q); err != nil {
			h.serverError(w, r, err)
			return
		}
	}
	h.renderApplication(w, r, http.StatusOK, f, nil)
}

// applicationForm fills the form from the stored application and answers, overridden by a
// draft typed in the form when there is one.
func (h *Handler) applicationForm(r *http.Request, a model.Application, v storage.CallView, d *apply.Draft) (*applicationForm, error) {
	ctx := r.Context()
	f := &applicationForm{App: a, View: v, State: h.stateOf(v)}
	f.Editable = f.State.Open && a.Status != model.ApplicationWithdrawn
	if !f.Editable {
		var err error
		if f.Place, err = h.candidatePlace(ctx, a, v); err != nil {
			return nil, err
		}
	}
	verdict, err := apply.Check(ctx, h.Store, v.Call, a)
	if err != nil {
		return nil, err
	}
	f.Verdict = verdict
	if a.StructureID != "" {
		st, err := h.Store.Structure(ctx, a.StructureID)
		if err == nil {
			f.Structure = &st
		}
	}
	switch {
	case a.StructureID != "":
		f.Choice = "s:" + a.StructureID
	case a.DeclaredName != "":
		f.Choice = "declare"
	case !v.Call.MustBeAttached:
		f.Choice = "none"
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
		qf := questionField{Q: q, Field: "q-" + q.ID, Value: answers[q.ID].Value, FileID: answers[q.ID].FileID}
		if qf.FileID != "" {
			qf.FileName = answers[q.ID].Value
		}
		if d != nil && q.Kind != model.QuestionFile {
			qf.Value = d.Answers[q.ID]
		}
		f.Questions = append(f.Questions, qf)
	}
	f.Consent.Processing, f.Consent.Retention = !a.ConsentProcessingAt.IsZero(), !a.ConsentRetentionAt.IsZero()
	if d != nil {
		f.Consent.Processing, f.Consent.Retention = d.ConsentProcessing, d.ConsentRetention
	}
	f.Options.Roles = options("member.role", model.MemberRoles, "form.choose")
	f.Options.Professions = options("person.profession", model.Professions, "form.choose")
	var care []model.StructureKind
	for _, k := range model.StructureKinds {
		if k.IsCare() {
			care = append(care, k)
		}
	}
	f.Options.Kinds = options("structure.kind", care, "form.choose")
	f.Options.Departements = []option{{"", i18n.T("form.choose")}}
	for _, o := range departementOptions() {
		f.Options.Departements = append(f.Options.Departements, o.option)
	}
	return f, nil
}

// searchStructures finds care structures by name, commune, FINESS or SIRET for the form.
func (h *Handler) searchStructures(r *http.Request, f *applicationForm, q string) error {
	f.Query = q
	kinds := f.View.Call.Kinds
	if len(kinds) == 0 {
		kinds = []model.StructureKind{model.KindCPTS, model.KindMSP, model.KindCDS, model.KindESP}
	}
	list, _, err := h.Store.Structures(r.Context(), storage.StructureFilter{Kinds: kinds, Query: q, Limit: 20})
	f.Results = list
	return err
}

func (h *Handler) renderApplication(w http.ResponseWriter, r *http.Request, status int, f *applicationForm, errs validator.Errors) {
	title := i18n.T("application.title", f.View.Programme.Title)
	name := "application_form"
	if !f.Editable {
		name = "application_view"
	}
	pg := h.page(w, r, name, title, f)
	pg.Nav, pg.Errors = "applications", errs
	h.render(w, r, status, pg)
}

// draftFromForm reads the application form, files included.
func draftFromForm(r *http.Request, questions []model.Question) (apply.Draft, error) {
	d := apply.Draft{Answers: map[string]string{}, Files: map[string]apply.Upload{},
		Role: model.MemberRole(formValue(r, "role")), Profession: model.Profession(formValue(r, "profession")),
		ConsentProcessing: r.PostFormValue("consent_processing") == "1", ConsentRetention: r.PostFormValue("consent_retention") == "1"}
	choice := formValue(r, "choice")
	switch {
	case strings.HasPrefix(choice, "s:"): // a structure of the directory
		d.StructureID = strings.TrimPrefix(choice, "s:")
	case choice == "declare":
		d.DeclaredName, d.DeclaredKind = formValue(r, "declared_name"), model.StructureKind(formValue(r, "declared_kind"))
		d.DeclaredDepartement, d.DeclaredCommune = formValue(r, "declared_departement"), formValue(r, "declared_commune")
	}
	for _, q := range questions {
		field := "q-" + q.ID
		if q.Kind != model.QuestionFile {
			d.Answers[q.ID] = r.PostFormValue(field)
			continue
		}
		file, header, err := r.FormFile(field)
		if errors.Is(err, http.ErrMissingFile) || errors.Is(err, http.ErrNotMultipart) {
			continue // no new file: the stored one stays
		}
		if err != nil {
			return d, err
		}
		data, err := io.ReadAll(io.LimitReader(file, apply.MaxFileSize+1))
		file.Close()
		if err != nil {
			return d, err
		}
		if len(data) > 0 {
			d.Files[q.ID] = apply.Upload{Name: header.Filename, Data: data}
		}
	}
	return d, nil
}

// ApplicationSave saves the draft (action save), searches the directory for a structure
// (action search), or submits (action submit); a submitted application changes only by a
// new submission.
func (h *Handler) ApplicationSave(w http.ResponseWriter, r *http.Request) {
	a, v, ok := h.loadOwnApplication(w, r)
	if !ok {
		return
	}
	questions, err := h.Store.Questions(r.Context(), v.Call.ID)
	if err != nil {
		h.serverError(w, r, err)
		return
	}
	d, err := draftFromForm(r, questions)
	if err != nil {
		h.serverError(w, r, err)
		return
	}
	action := r.PostFormValue("action")
	typed := a
	if action == "search" && a.Status == model.ApplicationSubmitted {
		// Searching must not change a submitted application: show what was typed, save nothing.
		f, err := h.applicationForm(r, typed, v, &d)
		if err == nil {
			err = h.searchStructures(r, f, formValue(r, "q"))
		}
		if err != nil {
			h.serverError(w, r, err)
			return
		}
		f.Choice = formValue(r, "choice")
		h.renderApplication(w, r, http.StatusOK, f, nil)
		return
	}
	errs, out, err := apply.Save(r.Context(), h.Store, actor(r), h.mailing(), v, &typed, d, action == "submit")
	var closed *apply.ClosedError
	switch {
	case errors.As(err, &closed), errors.Is(err, apply.ErrNotEditable):
		f, ferr := h.applicationForm(r, a, v, nil)
		if ferr != nil {
			h.serverError(w, r, ferr)
			return
		}
		f.Editable = false
		f.Refusal = i18n.T("application.withdrawn_refusal")
		if closed != nil {
			f.Refusal = closed.Error()
		}
		h.renderApplication(w, r, http.StatusConflict, f, nil)
		return
	case err != nil:
		h.serverError(w, r, err)
		return
	}
	if action == "search" || errs.Any() {
		f, err := h.applicationForm(r, typed, v, &d)
		if err != nil {
			h.serverError(w, r, err)
			return
		}
		f.Choice = formValue(r, "choice")
		status := http.StatusOK
		if action == "search" {
			err = h.searchStructures(r, f, formValue(r, "q"))
		} else {
			status = http.StatusUnprocessableEntity
			f.Verdict = out.Verdict
		}
		if err != nil {
			h.serverError(w, r, err)
			return
		}
		h.renderApplication(w, r, status, f, errs)
		return
	}
	if out.Submitted {
		redirect(w, r, "/candidatures/"+a.ID+"/recu", "")
		return
	}
	redirect(w, r, "/candidatures/"+a.ID, "flash.draft_saved")
}

func (h *Handler) mailing() mail.Site {
	return mail.Site{BaseURL: h.Config.BaseURL.String(), Brand: h.Config.BrandName}
}

// ApplicationReceipt shows a submitted application's receipt.
func (h *Handler) ApplicationReceipt(w http.ResponseWriter, r *http.Request) {
	a, v, ok := h.loadOwnApplication(w, r)
	if !ok {
		return
	}
	if a.Status != model.ApplicationSubmitted {
		http.Redirect(w, r, "/candidatures/"+a.ID, http.StatusSeeOther)
		return
	}
	acc, err := h.Store.Account(r.Context(), a.AccountID)
	if err != nil {
		h.serverError(w, r, err)
		return
	}
	st := h.stateOf(v)
	pg := h.page(w, r, "application_receipt", i18n.T("application.receipt_title"), map[string]any{
		"App": a, "View": v, "State": st, "Email": acc.Email, "SubmittedAt": i18n.DateTimeZone(a.SubmittedAt, st.Region.Location())})
	pg.Nav = "applications"
	h.render(w, r, http.StatusOK, pg)
}

// ApplicationWithdrawConfirm asks before withdrawing.
func (h *Handler) ApplicationWithdrawConfirm(w http.ResponseWriter, r *http.Request) {
	a, v, ok := h.loadOwnApplication(w, r)
	if !ok {
		return
	}
	pg := h.page(w, r, "application_withdraw", i18n.T("application.withdraw_title"), map[string]any{"App": a, "View": v, "State": h.stateOf(v)})
	pg.Nav = "applications"
	h.render(w, r, http.StatusOK, pg)
}

// ApplicationWithdraw withdraws the application.
func (h *Handler) ApplicationWithdraw(w http.ResponseWriter, r *http.Request) {
	a, v, ok := h.loadOwnApplication(w, r)
	if !ok {
		return
	}
	err := apply.Withdraw(r.Context(), h.Store, actor(r), v, a)
	var closed *apply.ClosedError
	switch {
	case errors.As(err, &closed):
		pg := h.page(w, r, "application_withdraw", i18n.T("application.withdraw_title"),
			map[string]any{"App": a, "View": v, "State": h.stateOf(v), "Refusal": closed.Error()})
		h.render(w, r, http.StatusConflict, pg)
		return
	case err != nil:
		h.fail(w, r, err)
		return
	}
	redirect(w, r, "/candidatures", "flash.application_withdrawn")
}

// FileDownload sends an uploaded file to its owner, to whoever reads the applications of
// the call it was sent to, or to a member of that call's committee who may read the
// application (never one in conflict with it); anyone else gets 404.
func (h *Handler) FileDownload(w http.ResponseWriter, r *http.Request) {
	f, err := h.Store.File(r.Context(), r.PathValue("id"))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	p := httpx.Principal(r)
	allowed := f.AccountID == p.AccountID
	if !allowed {
		v, err := h.Store.CallOfFile(r.Context(), f.ID)
		allowed = err == nil && policy.ScopeOf(p, policy.ReadApplications).Covers(v.Cohort.RegionCode, v.Programme.CarrierID)
	}
	if !allowed { // a justification of absence, for the cohort's trainers and managers
		if c, err := h.Store.CohortOfJustification(r.Context(), f.ID); err == nil {
			if prog, err := h.Store.Programme(r.Context(), c.ProgrammeID); err == nil {
				allowed = policy.ScopeOf(p, policy.TakeAttendance).CoversCohort(c.ID, c.RegionCode, prog.CarrierID)
			}
		}
	}
	if !allowed {
		if allowed, err = h.reviewerMayDownload(r.Context(), p, f.ID); err != nil {
			h.serverError(w, r, err)
			return
		}
	}
	if !allowed {
		h.ErrorPage(w, r, http.StatusNotFound)
		return
	}
	w.Header().Set("Content-Type", f.ContentType)
	w.Header().Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": f.Name}))
	w.Header().Set("Cache-Control", "private, no-store")
	w.Write(f.Data)
}
