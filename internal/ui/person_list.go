package ui

import (
	"net/http"

	"parcours/internal/directory"
	"parcours/internal/httpx"
	"parcours/internal/i18n"
	"parcours/internal/model"
	"parcours/internal/policy"
	"parcours/internal/storage"
)

// PersonList lists the people the reader may see: those with a role in a structure of their
// régions (everyone, for an administrator).
func (h *Handler) PersonList(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	f := storage.PersonFilter{Regions: policy.Regions(httpx.Principal(r), policy.ReadPeople), Query: q.Get("q"),
		Limit: pageSize, Offset: pageOffset(q)}
	list, total, err := h.Store.People(r.Context(), f)
	if err != nil {
		h.serverError(w, r, err)
		return
	}
	data := map[string]any{"People": list, "Query": f.Query, "Paging": paginate(r.URL, total, f.Offset, len(list)),
		"CanCreate": policy.Regions(httpx.Principal(r), policy.WritePeople) == nil}
	pg := h.page(w, r, "person_list", i18n.T("person.list.title"), data)
	pg.Nav = "people"
	h.render(w, r, http.StatusOK, pg)
}

// loadPerson loads the person of the URL if the reader may act on them; anyone else is not
// found (not forbidden: that would tell they exist).
func (h *Handler) loadPerson(w http.ResponseWriter, r *http.Request, action policy.Action) (model.Person, []model.Affiliation, bool) {
	person, aff, err := directory.Person(r.Context(), h.Store, httpx.Principal(r), action, r.PathValue("id"))
	if err != nil {
		h.fail(w, r, err)
		return person, nil, false
	}
	return person, aff, true
}

// PersonShow shows a person and their roles in structures.
func (h *Handler) PersonShow(w http.ResponseWriter, r *http.Request) {
	person, aff, ok := h.loadPerson(w, r, policy.ReadPeople)
	if !ok {
		return
	}
	p := httpx.Principal(r)
	// A reader scoped to régions sees only the roles in those régions.
	var visible []model.Affiliation
	for _, a := range aff {
		if policy.InRegion(p, policy.ReadPeople, a.Structure.RegionCode) {
			visible = append(visible, a)
		}
	}
	canEdit := directory.InScope(p, policy.WritePeople, aff)
	pg := h.page(w, r, "person_show", person.FullName(), map[string]any{"Person": person, "Affiliations": visible, "CanEdit": canEdit})
	pg.Nav = "people"
	h.render(w, r, http.StatusOK, pg)
}
