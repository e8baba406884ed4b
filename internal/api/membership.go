package api

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

type membershipJSON struct {
	ID          string `json:"id"`
	PersonID    string `json:"person_id"`
	StructureID string `json:"structure_id"`
	Role        string `json:"role"`
	Status      string `json:"status"`
	CreatedAt   string `json:"created_at"`
}

func membershipOut(m model.Membership) membershipJSON {
	return membershipJSON{ID: m.ID, PersonID: m.PersonID, StructureID: m.StructureID, Role: string(m.Role),
		Status: string(m.Status), CreatedAt: instant(m.CreatedAt)}
}

type memberJSON struct {
	membershipJSON
	Person personJSON `json:"person"`
}

// MemberList lists a structure's members.
func (h *Handler) MemberList(w http.ResponseWriter, r *http.Request) {
	st, ok := h.loadStructure(w, r, policy.ReadPeople)
	if !ok {
		return
	}
	members, err := h.Store.Members(r.Context(), st.ID)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	out := list[memberJSON]{Items: []memberJSON{}, Total: len(members), Limit: len(members)}
	for _, m := range members {
		out.Items = append(out.Items, memberJSON{membershipOut(m.Membership), personOut(m.Person)})
	}
	httpx.WriteJSON(w, http.StatusOK, out)
}

type membershipIn struct {
	PersonID    string `json:"person_id"`
	StructureID string `json:"structure_id"`
	Role        string `json:"role"`
}

// memberStructure checks the structure a new membership names. Its code is "required" when
// none is given, "invalid" when it does not exist or lies outside the caller's régions
// (without telling which); err is only a failing database.
func (h *Handler) memberStructure(r *http.Request, id string) (st model.Structure, code string, err error) {
	if id == "" {
		return st, "required", nil
	}
	st, err = h.Store.Structure(r.Context(), id)
	if errors.Is(err, storage.ErrNotFound) || (err == nil && !policy.InRegion(httpx.Principal(r), policy.WritePeople, st.RegionCode)) {
		return st, "invalid", nil
	}
	return st, "", err
}

// MembershipCreate gives a person a role in a structure of the caller's régions.
func (h *Handler) MembershipCreate(w http.ResponseWriter, r *http.Request) {
	var in membershipIn
	if !decode(w, r, &in) {
		return
	}
	m := model.Membership{PersonID: in.PersonID, StructureID: in.StructureID, Role: model.MemberRole(in.Role)}
	errs := validator.Membership(&m)
	st, code, err := h.memberStructure(r, in.StructureID)
	switch code {
	case "required":
		errs.Add("structure_id", code, i18n.T("validation.required"))
	case "invalid":
		errs.Add("structure_id", code, i18n.T("validation.invalid"))
	}
	if err == nil && in.PersonID != "" {
		// Only a person the caller may already see: a membership must not open another
		// région's people to them.
		var visible bool
		if _, err = h.Store.Person(r.Context(), in.PersonID); err == nil {
			visible, err = h.personInScope(r, in.PersonID, policy.ReadPeople)
		} else if errors.Is(err, storage.ErrNotFound) {
			err = nil
		}
		if err == nil && !visible {
			errs.Add("person_id", "invalid", i18n.T("validation.invalid"))
		}
	}
	if err != nil {
		h.fail(w, r, err)
		return
	}
	if errs.Any() {
		invalid(w, errs)
		return
	}
	err = h.Store.InTx(r.Context(), func(tx *storage.Store) error {
		if err := tx.CreateMembership(r.Context(), &m); err != nil {
			return err
		}
		return tx.Audit(r.Context(), storage.AuditEntry{AccountID: httpx.Principal(r).AccountID, Action: "membership.create",
			SubjectType: "structure", SubjectID: st.ID, IP: httpx.ClientIP(r),
			Details: map[string]any{"person": m.PersonID, "role": string(m.Role), "via": "api"}})
	})
	if err != nil {
		if errors.Is(err, storage.ErrReferenced) { // the person or structure was deleted meanwhile
			errs.Add("person_id", "invalid", i18n.T("validation.invalid"))
		}
		if errs.Any() || validator.Duplicate(err, &errs) {
			invalid(w, errs)
			return
		}
		h.fail(w, r, err)
		return
	}
	httpx.WriteJSON(w, http.StatusCreated, membershipOut(m))
}

// MembershipDelete ends a membership in a structure of the caller's régions.
func (h *Handler) MembershipDelete(w http.ResponseWriter, r *http.Request) {
	m, err := h.Store.Membership(r.Context(), r.PathValue("id"))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	st, err := h.Store.Structure(r.Context(), m.StructureID)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	if !policy.InRegion(httpx.Principal(r), policy.WritePeople, st.RegionCode) {
		notFound(w)
		return
	}
	err = h.Store.InTx(r.Context(), func(tx *storage.Store) error {
		if err := tx.DeleteMembership(r.Context(), m.ID); err != nil {
			return err
		}
		return tx.Audit(r.Context(), storage.AuditEntry{AccountID: httpx.Principal(r).AccountID, Action: "membership.delete",
			SubjectType: "structure", SubjectID: st.ID, IP: httpx.ClientIP(r),
			Details: map[string]any{"person": m.PersonID, "role": string(m.Role), "via": "api"}})
	})
	if err != nil && !errors.Is(err, storage.ErrNotFound) { // deleted meanwhile: the same outcome
		h.fail(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}
