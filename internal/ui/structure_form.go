package ui

import (
	"net/http"

	"parcours/internal/directory"
	"parcours/internal/httpx"
	"parcours/internal/i18n"
	"parcours/internal/model"
	"parcours/internal/policy"
	"parcours/internal/validator"
)

type structureFormData struct {
	Structure    model.Structure
	New          bool
	Warnings     []string
	Kinds        []option
	Stages       []option
	SizeBands    []option
	Departements []option
}

func (h *Handler) structureForm(w http.ResponseWriter, r *http.Request, status int, st model.Structure, errs validator.Errors, warnings []string) {
	p := httpx.Principal(r)
	deps := []option{{"", i18n.T("form.choose")}}
	for _, o := range departementOptions() {
		if policy.InRegion(p, policy.WriteStructures, o.region) {
			deps = append(deps, o.option)
		}
	}
	data := structureFormData{Structure: st, New: st.ID == "", Warnings: warnings, Departements: deps,
		Kinds:     options("structure.kind", model.StructureKinds, "form.choose"),
		Stages:    options("structure.stage", model.Stages, "structure.stage_none"),
		SizeBands: options("structure.size_band", model.SizeBands, "structure.unknown")}
	title := i18n.T("structure.edit.title", st.Name)
	if data.New {
		title = i18n.T("structure.new.title")
	}
	pg := h.page(w, r, "structure_form", title, data)
	pg.Nav, pg.Errors = "structures", errs
	h.render(w, r, status, pg)
}

// StructureNew shows an empty structure form.
func (h *Handler) StructureNew(w http.ResponseWriter, r *http.Request) {
	h.structureForm(w, r, http.StatusOK, model.Structure{Kind: model.KindCPTS}, nil, nil)
}

// StructureEdit shows the form of an existing structure.
func (h *Handler) StructureEdit(w http.ResponseWriter, r *http.Request) {
	if st, ok := h.loadStructure(w, r, policy.WriteStructures); ok {
		h.structureForm(w, r, http.StatusOK, st, nil, nil)
	}
}

// structureFromForm reads the form's fields into st.
func structureFromForm(r *http.Request, st *model.Structure) {
	st.Kind = model.StructureKind(formValue(r, "kind"))
	st.Name = formValue(r, "name")
	st.FINESS = formValue(r, "finess")
	st.SIRET = formValue(r, "siret")
	st.Ref = formValue(r, "ref")
	st.DepartementCode = formValue(r, "departement")
	st.RegionCode = ""
	st.Commune = formValue(r, "commune")
	st.Postcode = formValue(r, "postcode")
	st.Email = formValue(r, "email")
	st.Stage = model.Stage(formValue(r, "stage"))
	st.SizeBand = model.SizeBand(formValue(r, "size_band"))
}

// StructureCreate saves a new structure.
func (h *Handler) StructureCreate(w http.ResponseWriter, r *http.Request) {
	var st model.Structure
	structureFromForm(r, &st)
	h.saveStructure(w, r, st)
}

// StructureUpdate saves an existing structure.
func (h *Handler) StructureUpdate(w http.ResponseWriter, r *http.Request) {
	st, ok := h.loadStructure(w, r, policy.WriteStructures)
	if !ok {
		return
	}
	structureFromForm(r, &st)
	h.saveStructure(w, r, st)
}

// saveStructure stores the structure, or shows the form again with what is wrong.
func (h *Handler) saveStructure(w http.ResponseWriter, r *http.Request, st model.Structure) {
	errs, warnings, err := directory.SaveStructure(r.Context(), h.Store, actor(r), &st)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	if errs.Any() {
		h.structureForm(w, r, http.StatusUnprocessableEntity, st, errs, warnings)
		return
	}
	redirect(w, r, "/structures/"+st.ID, "flash.structure_saved")
}

// StructureDeleteConfirm asks before deleting a structure and its memberships.
func (h *Handler) StructureDeleteConfirm(w http.ResponseWriter, r *http.Request) {
	st, ok := h.loadStructure(w, r, policy.WriteStructures)
	if !ok {
		return
	}
	members, err := h.Store.Members(r.Context(), st.ID)
	if err != nil {
		h.serverError(w, r, err)
		return
	}
	pg := h.page(w, r, "structure_delete", i18n.T("structure.delete.title", st.Name), map[string]any{"Structure": st, "Members": len(members)})
	pg.Nav = "structures"
	h.render(w, r, http.StatusOK, pg)
}

// StructureDelete deletes a structure.
func (h *Handler) StructureDelete(w http.ResponseWriter, r *http.Request) {
	st, ok := h.loadStructure(w, r, policy.WriteStructures)
	if !ok {
		return
	}
	if err := directory.DeleteStructure(r.Context(), h.Store, actor(r), st); err != nil {
		h.fail(w, r, err)
		return
	}
	redirect(w, r, "/structures", "flash.structure_deleted")
}
