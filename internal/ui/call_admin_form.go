package ui

import (
	"errors"
	"net/http"
	"time"

	"parcours/internal/eligibility"
	"parcours/internal/i18n"
	"parcours/internal/localtime"
	"parcours/internal/model"
	"parcours/internal/storage"
	"parcours/internal/validator"
)

type callFormData struct {
	Call      model.Call
	Cohort    model.Cohort
	Programme model.Programme
	New       bool
	Zone      string            // "heure de La Réunion": the zone the dates are typed in
	Local     map[string]string // opens_date, opens_time, closes_date, closes_time as shown or typed
	Kinds     []checkOption
	Regions   []option
	Roles     []option
	Stages    []option
	Preview   []string // the rules as candidates will read them
}

func rulesOf(c model.Call) eligibility.Rules {
	return eligibility.Rules{Kinds: c.Kinds, RegionCode: c.RegionCode, Role: c.Role, MustBeAttached: c.MustBeAttached, MinStage: c.MinStage}
}

// localFields writes a call's stored instants as the date and hour of the région's clock.
func localFields(c model.Call, loc *time.Location) map[string]string {
	out := map[string]string{"opens_time": "09:00", "closes_time": "17:00"}
	if !c.OpensAt.IsZero() {
		t := c.OpensAt.In(loc)
		out["opens_date"], out["opens_time"] = t.Format("2006-01-02"), t.Format("15:04")
	}
	if !c.ClosesAt.IsZero() {
		t := c.ClosesAt.In(loc)
		out["closes_date"], out["closes_time"] = t.Format("2006-01-02"), t.Format("15:04")
	}
	return out
}

func (h *Handler) callForm(w http.ResponseWriter, r *http.Request, status int, v storage.CallView, local map[string]string, errs validator.Errors) {
	c := v.Call
	loc := regionLocation(v.Cohort.RegionCode)
	if local == nil {
		local = localFields(c, loc)
	}
	data := callFormData{Call: c, Cohort: v.Cohort, Programme: v.Programme, New: c.ID == "", Zone: i18n.ZoneName(loc),
		Local: local, Kinds: careKindBoxes(c.Kinds), Regions: regionChoices("call.form.region_any"),
		Roles:   options("call.role_requirement", model.RoleRequirements, "call.role_requirement_any"),
		Stages:  options("structure.stage", model.Stages, "call.form.min_stage_none"),
		Preview: eligibility.Describe(rulesOf(c))}
	title := i18n.T("call.admin.new_title", v.Cohort.Label)
	if !data.New {
		title = i18n.T("call.admin.edit_title", v.Cohort.Label)
	}
	pg := h.page(w, r, "call_form", title, data)
	pg.Nav, pg.Errors = "programmes", errs
	h.render(w, r, status, pg)
}

// CallNew shows the form of a new call for a cohort, with the rules the programme suggests:
// its target kinds, the cohort's région, the role its audience holds.
func (h *Handler) CallNew(w http.ResponseWriter, r *http.Request) {
	c, p, ok := h.loadCohort(w, r)
	if !ok {
		return
	}
	call := model.Call{CohortID: c.ID, Kinds: p.TargetKinds, RegionCode: c.RegionCode,
		ConsentProcessing: i18n.T("call.form.default_consent_processing"),
		ConsentRetention:  i18n.T("call.form.default_consent_retention")}
	switch {
	case p.AudienceGovernance && !p.AudienceCoordinator:
		call.Role = model.RequireGovernance
	case p.AudienceCoordinator && !p.AudienceGovernance:
		call.Role = model.RequireCoordinator
	}
	call.MustBeAttached = call.Role != model.RequireAnyRole
	h.callForm(w, r, http.StatusOK, storage.CallView{Call: call, Cohort: c, Programme: p}, nil, nil)
}

// CallEdit shows the form of an existing call.
func (h *Handler) CallEdit(w http.ResponseWriter, r *http.Request) {
	if v, ok := h.loadCall(w, r, r.PathValue("id")); ok {
		h.callForm(w, r, http.StatusOK, v, nil, nil)
	}
}

// instantField reads a date and an hour typed in loc; what cannot be read, or names an hour
// the clock skips, is an error next to the date or the hour field.
func instantField(r *http.Request, name string, loc *time.Location, local map[string]string, errs *validator.Errors) time.Time {
	date, clock := formValue(r, name+"_date"), formValue(r, name+"_time")
	local[name+"_date"], local[name+"_time"] = date, clock
	t, err := localtime.Parse(date, clock, loc)
	var pe *localtime.ParseError
	switch {
	case err == nil:
		return t
	case errors.As(err, &pe) && pe.Part == localtime.PartDate:
		errs.Add(name+"_date", requiredOrInvalid(date), err.Error())
	case errors.Is(err, localtime.ErrNonexistent):
		errs.Add(name+"_time", "nonexistent", err.Error())
	default:
		errs.Add(name+"_time", requiredOrInvalid(clock), err.Error())
	}
	return time.Time{}
}

func requiredOrInvalid(s string) string {
	if s == "" {
		return "required"
	}
	return "invalid"
}

// callFromForm reads the form into c, the instants in the cohort région's local time.
func callFromForm(r *http.Request, c *model.Call, regionCode string) (local map[string]string, errs validator.Errors) {
	r.ParseForm()
	loc := regionLocation(regionCode)
	local = map[string]string{}
	c.OpensAt = instantField(r, "opens", loc, local, &errs)
	c.ClosesAt = instantField(r, "closes", loc, local, &errs)
	c.Published = formValue(r, "published") != ""
	c.Kinds = kindsOf(r, "kinds")
	c.RegionCode = formValue(r, "region")
	c.Role = model.RoleRequirement(formValue(r, "role"))
	c.MustBeAttached = formValue(r, "must_be_attached") != ""
	c.MinStage = model.Stage(formValue(r, "min_stage"))
	c.Intro = formValue(r, "intro")
	c.ConsentProcessing = formValue(r, "consent_processing")
	c.ConsentRetention = formValue(r, "consent_retention")
	return local, errs
}

// CallCreate saves a new call of the cohort.
func (h *Handler) CallCreate(w http.ResponseWriter, r *http.Request) {
	c, p, ok := h.loadCohort(w, r)
	if !ok {
		return
	}
	v := storage.CallView{Call: model.Call{CohortID: c.ID}, Cohort: c, Programme: p}
	h.saveCall(w, r, v)
}

// CallUpdate saves an existing call.
func (h *Handler) CallUpdate(w http.ResponseWriter, r *http.Request) {
	if v, ok := h.loadCall(w, r, r.PathValue("id")); ok {
		h.saveCall(w, r, v)
	}
}

// saveCall reads, checks and stores the call with its audit entry. The « preview » button
// only shows the form again with the rules as candidates will read them.
func (h *Handler) saveCall(w http.ResponseWriter, r *http.Request, v storage.CallView) {
	local, errs := callFromForm(r, &v.Call, v.Cohort.RegionCode)
	if formValue(r, "preview") != "" {
		h.callForm(w, r, http.StatusOK, v, local, nil)
		return
	}
	merge(&errs, validator.Call(&v.Call))
	if errs.Any() {
		h.callForm(w, r, http.StatusUnprocessableEntity, v, local, errs)
		return
	}
	ctx := r.Context()
	c := &v.Call
	isNew := c.ID == ""
	err := h.Store.InTx(ctx, func(tx *storage.Store) error {
		action := "call.update"
		if isNew {
			action = "call.create"
			if err := tx.CreateCall(ctx, c); err != nil {
				return err
			}
		} else if err := tx.UpdateCall(ctx, c); err != nil {
			return err
		}
		return audit(ctx, tx, r, action, "call", c.ID, map[string]any{"cohort_id": c.CohortID,
			"opens_at": c.OpensAt.UTC(), "closes_at": c.ClosesAt.UTC(), "published": c.Published})
	})
	if err != nil {
		h.fail(w, r, err)
		return
	}
	if isNew { // next step: the call's questions
		redirect(w, r, "/appels/"+c.ID+"/questions", "flash.call_saved")
		return
	}
	redirect(w, r, "/promotions/"+c.CohortID, "flash.call_saved")
}
