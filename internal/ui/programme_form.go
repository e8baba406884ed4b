package ui

import (
	"context"
	"errors"
	"net/http"
	"slices"

	"parcours/internal/i18n"
	"parcours/internal/model"
	"parcours/internal/policy"
	"parcours/internal/storage"
	"parcours/internal/validator"
)

type programmeFormData struct {
	Programme      model.Programme
	New            bool
	Num            map[string]string // the number fields as typed
	Carriers       []option
	Partners       []checkOption
	Audience       []checkOption
	Kinds          []checkOption
	Certifications []option
}

// programmeChoices lists the structures the caller may name as carrier — their own
// training organisations, or every one for the admin — and as partners (ARS, URPS,
// federations).
func (h *Handler) programmeChoices(ctx context.Context, sc policy.Scope) (carriers, partners []model.Structure, err error) {
	if sc.Everywhere {
		carriers, _, err = h.Store.Structures(ctx, storage.StructureFilter{Kinds: []model.StructureKind{model.KindTraining}})
	} else {
		for _, orgID := range sc.Organisations {
			st, err := h.Store.Structure(ctx, orgID)
			if errors.Is(err, storage.ErrNotFound) {
				continue
			}
			if err != nil {
				return nil, nil, err
			}
			if st.Kind == model.KindTraining {
				carriers = append(carriers, st)
			}
		}
	}
	if err != nil {
		return nil, nil, err
	}
	partners, _, err = h.Store.Structures(ctx, storage.StructureFilter{
		Kinds: []model.StructureKind{model.KindARS, model.KindURPS, model.KindFederation}})
	return carriers, partners, err
}

func hasStructure(list []model.Structure, id string) bool {
	return slices.ContainsFunc(list, func(st model.Structure) bool { return st.ID == id })
}

func (h *Handler) programmeForm(w http.ResponseWriter, r *http.Request, status int, p model.Programme, raw map[string]string, errs validator.Errors) {
	carriers, partners, err := h.programmeChoices(r.Context(), manageScope(r))
	if err != nil {
		h.serverError(w, r, err)
		return
	}
	data := programmeFormData{Programme: p, New: p.ID == "",
		Num: map[string]string{"duration_months": numberText(p.DurationMonths, true), "days": numberText(p.Days, true),
			"rncp_level": numberText(p.RNCPLevel, true)},
		Carriers: []option{{"", i18n.T("form.choose")}},
		Audience: []checkOption{
			{"governance", i18n.T("programme.audience.governance"), p.AudienceGovernance},
			{"coordinator", i18n.T("programme.audience.coordinator"), p.AudienceCoordinator}},
		Kinds:          careKindBoxes(p.TargetKinds),
		Certifications: options("programme.certification", model.Certifications, "")}
	for k, v := range raw {
		data.Num[k] = v
	}
	for _, st := range carriers {
		data.Carriers = append(data.Carriers, option{st.ID, st.Name})
	}
	for _, st := range partners {
		data.Partners = append(data.Partners, checkOption{st.ID,
			i18n.T("programme.form.partner_label", st.Name, i18n.T("structure.kind."+string(st.Kind)), regionName(st.RegionCode)),
			slices.Contains(p.PartnerIDs, st.ID)})
	}
	title := i18n.T("programme.new.title")
	if !data.New {
		title = i18n.T("programme.edit.title", p.Code)
	}
	pg := h.page(w, r, "programme_form", title, data)
	pg.Nav, pg.Errors = "programmes", errs
	h.render(w, r, status, pg)
}

// ProgrammeNew shows an empty programme form.
func (h *Handler) ProgrammeNew(w http.ResponseWriter, r *http.Request) {
	p := model.Programme{Certification: model.CertificationNone}
	if sc := manageScope(r); len(sc.Organisations) == 1 && !sc.Everywhere {
		p.CarrierID = sc.Organisations[0]
	}
	h.programmeForm(w, r, http.StatusOK, p, nil, nil)
}

// ProgrammeEdit shows the form of an existing programme.
func (h *Handler) ProgrammeEdit(w http.ResponseWriter, r *http.Request) {
	if p, ok := h.loadProgramme(w, r); ok {
		h.programmeForm(w, r, http.StatusOK, p, nil, nil)
	}
}

// programmeFromForm reads the form into p; numbers that cannot be read are errors already.
func programmeFromForm(r *http.Request, p *model.Programme) (raw map[string]string, errs validator.Errors) {
	r.ParseForm()
	raw = map[string]string{}
	p.Code = formValue(r, "code")
	p.Title = formValue(r, "title")
	p.Description = formValue(r, "description")
	p.CarrierID = formValue(r, "carrier")
	p.PartnerIDs = nil
	for _, id := range r.PostForm["partners"] {
		if id != "" && !slices.Contains(p.PartnerIDs, id) {
			p.PartnerIDs = append(p.PartnerIDs, id)
		}
	}
	p.AudienceGovernance = slices.Contains(r.PostForm["audience"], "governance")
	p.AudienceCoordinator = slices.Contains(r.PostForm["audience"], "coordinator")
	p.TargetKinds = kindsOf(r, "target_kinds")
	p.DurationMonths = intField(r, "duration_months", raw, &errs)
	p.Days = intField(r, "days", raw, &errs)
	p.Certification = model.Certification(formValue(r, "certification"))
	p.RNCPLevel, p.RNCPCode = 0, ""
	if p.Certification == model.CertificationRNCP {
		p.RNCPLevel = intField(r, "rncp_level", raw, &errs)
		p.RNCPCode = formValue(r, "rncp_code")
	}
	p.Accessibility = formValue(r, "accessibility")
	p.ContactName = formValue(r, "contact_name")
	p.ContactEmail = formValue(r, "contact_email")
	p.ContactPhone = formValue(r, "contact_phone")
	return raw, errs
}

// ProgrammeCreate saves a new programme.
func (h *Handler) ProgrammeCreate(w http.ResponseWriter, r *http.Request) {
	var p model.Programme
	raw, errs := programmeFromForm(r, &p)
	h.saveProgramme(w, r, p, raw, errs)
}

// ProgrammeUpdate saves an existing programme.
func (h *Handler) ProgrammeUpdate(w http.ResponseWriter, r *http.Request) {
	p, ok := h.loadProgramme(w, r)
	if !ok {
		return
	}
	raw, errs := programmeFromForm(r, &p)
	h.saveProgramme(w, r, p, raw, errs)
}

// saveProgramme checks the programme, that its carrier and partners are structures the
// caller may name, and stores it with its audit entry; or shows the form again.
func (h *Handler) saveProgramme(w http.ResponseWriter, r *http.Request, p model.Programme, raw map[string]string, errs validator.Errors) {
	ctx := r.Context()
	merge(&errs, validator.Programme(&p))
	carriers, partners, err := h.programmeChoices(ctx, manageScope(r))
	if err != nil {
		h.serverError(w, r, err)
		return
	}
	if p.CarrierID != "" && !hasStructure(carriers, p.CarrierID) {
		errs.Add("carrier", "forbidden", i18n.T("programme.validation.carrier"))
	}
	for _, id := range p.PartnerIDs {
		if !hasStructure(partners, id) {
			errs.Add("partners", "invalid", i18n.T("validation.choose"))
		}
	}
	if errs.Any() {
		h.programmeForm(w, r, http.StatusUnprocessableEntity, p, raw, errs)
		return
	}
	isNew := p.ID == ""
	err = h.Store.InTx(ctx, func(tx *storage.Store) error {
		action := "programme.update"
		if isNew {
			action = "programme.create"
			if err := tx.CreateProgramme(ctx, &p); err != nil {
				return err
			}
		} else if err := tx.UpdateProgramme(ctx, &p); err != nil {
			return err
		}
		return audit(ctx, tx, r, action, "programme", p.ID, map[string]any{"code": p.Code, "title": p.Title})
	})
	if err != nil && isNew {
		p.ID = "" // rolled back: still a new programme
	}
	var dup *storage.DuplicateError
	if errors.As(err, &dup) && dup.Key == "programmes.code" {
		errs.Add("code", "taken", i18n.T("programme.validation.code_taken", p.Code))
		h.programmeForm(w, r, http.StatusUnprocessableEntity, p, raw, errs)
		return
	}
	if err != nil {
		h.fail(w, r, err)
		return
	}
	redirect(w, r, "/programmes/"+p.ID, "flash.programme_saved")
}
