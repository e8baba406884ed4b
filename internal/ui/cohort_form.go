package ui

import (
	"net/http"
	"strconv"

	"parcours/internal/i18n"
	"parcours/internal/model"
	"parcours/internal/storage"
	"parcours/internal/territory"
	"parcours/internal/validator"
)

type cohortFormData struct {
	Cohort    model.Cohort
	Programme model.Programme
	New       bool
	Num       map[string]string // the number fields as typed
	Regions   []option
}

func (h *Handler) cohortForm(w http.ResponseWriter, r *http.Request, status int, c model.Cohort, p model.Programme, raw map[string]string, errs validator.Errors) {
	data := cohortFormData{Cohort: c, Programme: p, New: c.ID == "", Regions: regionChoices("form.choose"),
		Num: map[string]string{"capacity": numberText(c.Capacity, true), "org_cap": numberText(c.OrgCap, true),
			"org_max": numberText(c.OrgMax, true)}}
	for k, v := range raw {
		data.Num[k] = v
	}
	title := i18n.T("cohort.new.title", p.Code)
	if !data.New {
		title = i18n.T("cohort.edit.title", c.Label)
	}
	pg := h.page(w, r, "cohort_form", title, data)
	pg.Nav, pg.Errors = "programmes", errs
	h.render(w, r, status, pg)
}

// defaultLabel names a cohort after its start year and région: "Promotion 2027 — Pays de la Loire".
func defaultLabel(year int, regionCode string) string {
	rg, ok := territory.RegionByCode(regionCode)
	if !ok || year == 0 {
		return ""
	}
	return i18n.T("cohort.default_label", year, rg.Name)
}

// CohortNew shows an empty cohort form for a programme; ?region= chooses the région.
func (h *Handler) CohortNew(w http.ResponseWriter, r *http.Request) {
	p, ok := h.loadProgramme(w, r)
	if !ok {
		return
	}
	c := model.Cohort{ProgrammeID: p.ID, OrgCap: 1, RegionCode: r.URL.Query().Get("region")}
	c.Label = defaultLabel(h.Store.Clock.Now().Year(), c.RegionCode)
	h.cohortForm(w, r, http.StatusOK, c, p, nil, nil)
}

// CohortEdit shows the form of an existing cohort.
func (h *Handler) CohortEdit(w http.ResponseWriter, r *http.Request) {
	if c, p, ok := h.loadCohort(w, r); ok {
		h.cohortForm(w, r, http.StatusOK, c, p, nil, nil)
	}
}

// cohortFromForm reads the form into c. An empty label is named after the start year and
// the région.
func cohortFromForm(r *http.Request, c *model.Cohort) (raw map[string]string, errs validator.Errors) {
	raw = map[string]string{}
	c.RegionCode = formValue(r, "region")
	c.Label = formValue(r, "label")
	c.Capacity = intField(r, "capacity", raw, &errs)
	c.OrgCap = intField(r, "org_cap", raw, &errs)
	c.OrgMax = intField(r, "org_max", raw, &errs)
	c.StartsOn = formValue(r, "starts_on")
	c.EndsOn = formValue(r, "ends_on")
	c.Places = formValue(r, "places")
	if c.Label == "" {
		if start, ok := validator.CivilDate(c.StartsOn); ok {
			year, _ := strconv.Atoi(start[:4])
			c.Label = defaultLabel(year, c.RegionCode)
		}
	}
	return raw, errs
}

// CohortCreate saves a new cohort of the programme.
func (h *Handler) CohortCreate(w http.ResponseWriter, r *http.Request) {
	p, ok := h.loadProgramme(w, r)
	if !ok {
		return
	}
	c := model.Cohort{ProgrammeID: p.ID}
	raw, errs := cohortFromForm(r, &c)
	h.saveCohort(w, r, c, p, raw, errs)
}

// CohortUpdate saves an existing cohort.
func (h *Handler) CohortUpdate(w http.ResponseWriter, r *http.Request) {
	c, p, ok := h.loadCohort(w, r)
	if !ok {
		return
	}
	raw, errs := cohortFromForm(r, &c)
	h.saveCohort(w, r, c, p, raw, errs)
}

// saveCohort checks and stores the cohort with its audit entry, or shows the form again.
func (h *Handler) saveCohort(w http.ResponseWriter, r *http.Request, c model.Cohort, p model.Programme, raw map[string]string, errs validator.Errors) {
	merge(&errs, validator.Cohort(&c))
	if errs.Any() {
		h.cohortForm(w, r, http.StatusUnprocessableEntity, c, p, raw, errs)
		return
	}
	ctx := r.Context()
	isNew := c.ID == ""
	err := h.Store.InTx(ctx, func(tx *storage.Store) error {
		action := "cohort.update"
		if isNew {
			action = "cohort.create"
			if err := tx.CreateCohort(ctx, &c); err != nil {
				return err
			}
		} else if err := tx.UpdateCohort(ctx, &c); err != nil {
			return err
		}
		return audit(ctx, tx, r, action, "cohort", c.ID, map[string]any{"programme_id": p.ID, "label": c.Label,
			"region": c.RegionCode, "capacity": c.Capacity, "org_cap": c.OrgCap, "org_max": c.OrgMax})
	})
	if err != nil {
		h.fail(w, r, err)
		return
	}
	redirect(w, r, "/promotions/"+c.ID, "flash.cohort_saved")
}
