package ui

import (
	"errors"
	"net/http"

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
	data := map[string]any{"Structure": st, "Query": q, "Roles": options("member.role", model.MemberRoles, "form.choose")}
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
	errs := validator.Membership(&m)
	// Only a person the writer may already see: a membership must not open another région's
	// people to them.
	if aff, err := h.Store.Affiliations(r.Context(), m.PersonID); err != nil {
		h.serverError(w, r, err)
		return
	} else if !personInScope(httpx.Principal(r), policy.ReadPeople, aff) {
		errs.Add("person_id", "invalid", i18n.T("validation.invalid"))
	}
	if !errs.Any() {
		err := h.Store.InTx(r.Context(), func(tx *storage.Store) error {
			if err := tx.CreateMembership(r.Context(), &m); err != nil {
				return err
			}
			return tx.Audit(r.Context(), storage.AuditEntry{AccountID: httpx.Principal(r).AccountID, Action: "membership.create",
				SubjectType: "structure", SubjectID: st.ID, IP: httpx.ClientIP(r),
				Details: map[string]any{"person": m.PersonID, "role": string(m.Role)}})
		})
		switch {
		case err == nil:
			redirect(w, r, "/structures/"+st.ID, "flash.member_added")
			return
		case errors.Is(err, storage.ErrReferenced):
			errs.Add("person_id", "invalid", i18n.T("validation.invalid"))
		case !validator.Duplicate(err, &errs):
			h.fail(w, r, err)
			return
		}
	}
	h.membershipForm(w, r, http.StatusUnprocessableEntity, st, formValue(r, "q"), errs)
}

// MembershipDelete ends a role in the structure.
func (h *Handler) MembershipDelete(w http.ResponseWriter, r *http.Request) {
	st, ok := h.loadStructure(w, r, policy.WritePeople)
	if !ok {
		return
	}
	m, err := h.Store.Membership(r.Context(), r.PathValue("membership"))
	if err != nil || m.StructureID != st.ID {
		h.ErrorPage(w, r, http.StatusNotFound)
		return
	}
	err = h.Store.InTx(r.Context(), func(tx *storage.Store) error {
		if err := tx.DeleteMembership(r.Context(), m.ID); err != nil {
			return err
		}
		return tx.Audit(r.Context(), storage.AuditEntry{AccountID: httpx.Principal(r).AccountID, Action: "membership.delete",
			SubjectType: "structure", SubjectID: st.ID, IP: httpx.ClientIP(r),
			Details: map[string]any{"person": m.PersonID, "role": string(m.Role)}})
	})
	if err != nil {
		h.fail(w, r, err)
		return
	}
	redirect(w, r, "/structures/"+st.ID, "flash.member_removed")
}
