package ui

import (
	"net/http"

	"parcours/internal/httpx"
	"parcours/internal/model"
	"parcours/internal/policy"
)

// loadStructure loads the structure of the URL, answering 404 when it does not exist or lies
// outside the reader's régions for action (not 403: that would tell it exists).
func (h *Handler) loadStructure(w http.ResponseWriter, r *http.Request, action policy.Action) (model.Structure, bool) {
	st, err := h.Store.Structure(r.Context(), r.PathValue("id"))
	if err != nil {
		h.fail(w, r, err)
		return st, false
	}
	if !policy.InRegion(httpx.Principal(r), action, st.RegionCode) {
		h.ErrorPage(w, r, http.StatusNotFound)
		return st, false
	}
	return st, true
}

// StructureShow shows a structure, and its members to those who may see people.
func (h *Handler) StructureShow(w http.ResponseWriter, r *http.Request) {
	st, ok := h.loadStructure(w, r, policy.ReadStructures)
	if !ok {
		return
	}
	p := httpx.Principal(r)
	data := map[string]any{
		"Structure":      st,
		"CanEdit":        policy.InRegion(p, policy.WriteStructures, st.RegionCode),
		"CanSeeMembers":  policy.InRegion(p, policy.ReadPeople, st.RegionCode),
		"CanEditMembers": policy.InRegion(p, policy.WritePeople, st.RegionCode),
		"Roles":          options("member.role", model.MemberRoles, ""),
	}
	if data["CanSeeMembers"] == true {
		members, err := h.Store.Members(r.Context(), st.ID)
		if err != nil {
			h.serverError(w, r, err)
			return
		}
		data["Members"] = members
	}
	pg := h.page(w, r, "structure_show", st.Name, data)
	pg.Nav = "structures"
	h.render(w, r, http.StatusOK, pg)
}
