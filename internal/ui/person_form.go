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

type personFormData struct {
	Person      model.Person
	New         bool
	Structure   *model.Structure // the new person joins this structure
	Role        string
	Civilities  []option
	Professions []option
	Roles       []option
}

func (h *Handler) personForm(w http.ResponseWriter, r *http.Request, status int, d personFormData, errs validator.Errors) {
	d.New = d.Person.ID == ""
	d.Civilities = options("person.civility", model.Civilities, "person.civility_none")
	d.Professions = options("person.profession", model.Professions, "form.choose")
	d.Roles = options("member.role", model.MemberRoles, "form.choose")
	title := i18n.T("person.edit.title", d.Person.FullName())
	if d.New {
		title = i18n.T("person.new.title")
	}
	pg := h.page(w, r, "person_form", title, d)
	pg.Nav, pg.Errors = "people", errs
	h.render(w, r, status, pg)
}

// newPersonStructure reads ?structure= (or the form's structure): a writer scoped to régions
// may only create people as members of one of their structures.
func (h *Handler) newPersonStructure(w http.ResponseWriter, r *http.Request, id string) (*model.Structure, bool) {
	p := httpx.Principal(r)
	if id == "" {
		if policy.Regions(p, policy.WritePeople) == nil {
			return nil, true
		}
		// Scoped to régions: a person is added from the page of one of their structures.
		redirect(w, r, "/structures", "flash.person_from_structure")
		return nil, false
	}
	st, err := h.Store.Structure(r.Context(), id)
	if err != nil || !policy.InRegion(p, policy.WritePeople, st.RegionCode) {
		h.ErrorPage(w, r, http.StatusNotFound)
		return nil, false
	}
	return &st, true
}

// PersonNew shows an empty person form.
func (h *Handler) PersonNew(w http.ResponseWriter, r *http.Request) {
	st, ok := h.newPersonStructure(w, r, r.URL.Query().Get("structure"))
	if ok {
		h.personForm(w, r, http.StatusOK, personFormData{Structure: st}, nil)
	}
}

// PersonEdit shows an existing person's form.
func (h *Handler) PersonEdit(w http.ResponseWriter, r *http.Request) {
	if person, _, ok := h.loadPerson(w, r, policy.WritePeople); ok {
		h.personForm(w, r, http.StatusOK, personFormData{Person: person}, nil)
	}
}

func personFromForm(r *http.Request, p *model.Person) {
	p.Civility = model.Civility(formValue(r, "civility"))
	p.FirstName = formValue(r, "first_name")
	p.LastName = formValue(r, "last_name")
	p.Email = formValue(r, "email")
	p.Phone = formValue(r, "phone")
	p.Profession = model.Profession(formValue(r, "profession"))
	p.RPPS = formValue(r, "rpps")
}

// PersonCreate saves a new person, and their role in a structure when they come from one.
func (h *Handler) PersonCreate(w http.ResponseWriter, r *http.Request) {
	st, ok := h.newPersonStructure(w, r, formValue(r, "structure"))
	if !ok {
		return
	}
	d := personFormData{Structure: st, Role: formValue(r, "role")}
	personFromForm(r, &d.Person)
	var first *model.Membership
	if st != nil {
		first = &model.Membership{StructureID: st.ID, Role: model.MemberRole(d.Role)}
	}
	h.savePerson(w, r, d, first)
}

// PersonUpdate saves an existing person.
func (h *Handler) PersonUpdate(w http.ResponseWriter, r *http.Request) {
	person, _, ok := h.loadPerson(w, r, policy.WritePeople)
	if !ok {
		return
	}
	d := personFormData{Person: person}
	personFromForm(r, &d.Person)
	h.savePerson(w, r, d, nil)
}

// savePerson stores the person, or shows the form again with what is wrong.
func (h *Handler) savePerson(w http.ResponseWriter, r *http.Request, d personFormData, first *model.Membership) {
	errs, err := directory.SavePerson(r.Context(), h.Store, actor(r), &d.Person, first)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	if errs.Any() {
		h.personForm(w, r, http.StatusUnprocessableEntity, d, errs)
		return
	}
	to := "/personnes/" + d.Person.ID
	if d.Structure != nil {
		to = "/structures/" + d.Structure.ID
	}
	redirect(w, r, to, "flash.person_saved")
}
