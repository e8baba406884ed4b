package ui

import (
	"net/http"

	"parcours/internal/directory"
	"parcours/internal/httpx"
	"parcours/internal/i18n"
	"parcours/internal/model"
	"parcours/internal/policy"
	"parcours/internal/storage"
	"parcours/internal/validator"
)

// MembershipNew finds a person to add to a structure, or offers to create one.
func (h *Handler) MembershipNew(w http.ResponseWriter, r *http.Request) {
	st, ok := h.loadStructure(w, r, policy.WritePeople)
	if ok {
		h.membershipForm(w, r, http.StatusOK, st, r.URL.Query().Get("q"), nil)
	}
}

func (h *Handler) membershipForm(w http.ResponseWriter, r *http.Request, status int, st model.Structure, q string, errs validator.Errors) {
	data := map[string]any{"Structure": st, "Query": q, "Roles": options("member.role", model.MemberRoles, "form.choose"),
		"Tried": formValue(r, "person_id")} // the row whose role the error is about
	if q != "" {
		people, _, err := h.Store.People(r.Context(), storage.PersonFilter{
			Regions: policy.Regions(httpx.Principal(r), policy.ReadPeople), Query: q, Limit: 20})
		if err != nil {
			h.serverError(w, r, err)
			return
		}
		data["People"] = people
	}
	pg := h.page(w, r, "membership_form", i18n.T("member.add_to", st.Name), data)
	pg.Nav, pg.Errors = "structures", errs
	h.render(w, r, status, pg)
}

// MembershipCreate gives an existing person a role in the structure.
func (h *Handler) MembershipCreate(w http.ResponseWriter, r *http.Request) {
	st, ok := h.loadStructure(w, r, policy.WritePeople)
	if !ok {
		return
	}
	m := model.Membership{PersonID: formValue(r, "person_id"), StructureID: st.ID, Role: model.MemberRole(formValue(r, "role"))}
	errs, err := directory.AddMember(r.Context(), h.Store, actor(r), &m)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	if errs.Any() {
		h.membershipForm(w, r, http.StatusUnprocessableEntity, st, formValue(r, "q"), errs)
		return
	}
	redirect(w, r, "/structures/"+st.ID, "flash.member_added")
}

// MembershipDelete ends a role in the structure.
func (h *Handler) MembershipDelete(w http.ResponseWriter, r *http.Request) {
	st, ok := h.loadStructure(w, r, policy.WritePeople)
	if !ok {
		return
	}
	m, err := h.Store.Membership(r.Context(), r.PathValue("membership"))
	if err == nil && m.StructureID != st.ID {
		err = storage.ErrNotFound // a membership of another structure, through this one's URL
	}
	if err == nil {
		_, err = directory.RemoveMember(r.Context(), h.Store, actor(r), m.ID)
	}
	if err != nil {
		h.fail(w, r, err)
		return
	}
	redirect(w, r, "/structures/"+st.ID, "flash.member_removed")
}
