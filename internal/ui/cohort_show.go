package ui

import (
	"net/http"

	"parcours/internal/policy"
	"parcours/internal/storage"
)

// CohortShow shows a cohort with its calls, their instants in the région's zone and where
// each stands.
func (h *Handler) CohortShow(w http.ResponseWriter, r *http.Request) {
	c, p, ok := h.loadCohort(w, r)
	if !ok {
		return
	}
	calls, err := h.Store.CallViews(r.Context(), storage.CallFilter{Scope: policy.Scope{Everywhere: true}, CohortID: c.ID, WithDrafts: true})
	if err != nil {
		h.serverError(w, r, err)
		return
	}
	data := map[string]any{"Cohort": c, "Programme": p, "StartsOn": civilDate(c.StartsOn), "EndsOn": civilDate(c.EndsOn),
		"Calls": callRows(calls, h.Store.Clock.Now())}
	pg := h.page(w, r, "cohort_show", c.Label, data)
	pg.Nav = "programmes"
	h.render(w, r, http.StatusOK, pg)
}
