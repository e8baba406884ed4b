package ui

import (
	"net/http"

	"parcours/internal/httpx"
	"parcours/internal/i18n"
	"parcours/internal/model"
	"parcours/internal/policy"
)

// Home greets the logged-in person with their roles and the figures of their régions.
func (h *Handler) Home(w http.ResponseWriter, r *http.Request) {
	p := httpx.Principal(r)
	if p == nil {
		http.Redirect(w, r, "/connexion", http.StatusSeeOther)
		return
	}
	data := map[string]any{"Grants": p.Grants}
	if policy.Allow(p, policy.ReadStructures) {
		counts, err := h.Store.StructureCounts(r.Context(), policy.Regions(p, policy.ReadStructures))
		if err != nil {
			h.serverError(w, r, err)
			return
		}
		byKind := map[model.StructureKind]int{}
		for _, c := range counts {
			byKind[c.Kind] += c.Count
		}
		var rows []kindCount
		for _, k := range model.StructureKinds {
			if byKind[k] > 0 {
				rows = append(rows, kindCount{k, byKind[k]})
			}
		}
		data["Counts"] = rows
	}
	h.render(w, r, http.StatusOK, h.page(w, r, "home", i18n.T("home.title"), data))
}

type kindCount struct {
	Kind  model.StructureKind
	Count int
}
