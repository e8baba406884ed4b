package api

import (
	"net/http"

	"parcours/internal/directory"
	"parcours/internal/httpx"
	"parcours/internal/model"
	"parcours/internal/policy"
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

// MembershipCreate gives a person a role in a structure of the caller's régions.
func (h *Handler) MembershipCreate(w http.ResponseWriter, r *http.Request) {
	var in membershipIn
	if !decode(w, r, &in) {
		return
	}
	m := model.Membership{PersonID: in.PersonID, StructureID: in.StructureID, Role: model.MemberRole(in.Role)}
	errs, err := directory.AddMember(r.Context(), h.Store, actor(r), &m)
	h.respond(w, r, errs, err, http.StatusCreated, membershipOut(m))
}

// MembershipDelete ends a membership in a structure of the caller's régions.
func (h *Handler) MembershipDelete(w http.ResponseWriter, r *http.Request) {
	if _, err := directory.RemoveMember(r.Context(), h.Store, actor(r), r.PathValue("id")); err != nil {
		h.fail(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}
