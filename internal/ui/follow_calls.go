package ui

import (
	"net/http"

	"parcours/internal/httpx"
	"parcours/internal/i18n"
	"parcours/internal/policy"
	"parcours/internal/storage"
	"parcours/internal/territory"
)

// followRegion is a région's calls with their figures.
type followRegion struct {
	Code  string
	Calls []followCall
}

// followCall is a call's figures: counts only, never a name.
type followCall struct {
	View            storage.CallView
	Status          string
	Stats           storage.CallStats
	ApplicationsURL string // only for those who also read the call's applications
}

// CallFollow shows the published calls the caller follows, by région, with their figures:
// submitted and eligible applications, and the CPTS that applied out of the région's CPTS.
func (h *Handler) CallFollow(w http.ResponseWriter, r *http.Request) {
	p := httpx.Principal(r)
	views, err := h.Store.CallViews(r.Context(), storage.CallFilter{Scope: policy.ScopeOf(p, policy.FollowCalls)})
	if err != nil {
		h.serverError(w, r, err)
		return
	}
	ids := make([]string, len(views))
	for i, v := range views {
		ids[i] = v.Call.ID
	}
	stats, err := h.Store.CallStats(r.Context(), ids)
	if err != nil {
		h.serverError(w, r, err)
		return
	}
	read := policy.ScopeOf(p, policy.ReadApplications)
	byRegion := map[string][]followCall{}
	for _, v := range views {
		c := followCall{View: v, Status: h.reviewCallStatus(v.Call), Stats: stats[v.Call.ID]}
		if read.Covers(v.Cohort.RegionCode, v.Programme.CarrierID) {
			c.ApplicationsURL = "/appels/" + v.Call.ID + "/candidatures"
		}
		byRegion[v.Cohort.RegionCode] = append(byRegion[v.Cohort.RegionCode], c)
	}
	var regions []followRegion
	for _, reg := range territory.Regions() {
		if calls := byRegion[reg.Code]; len(calls) > 0 {
			regions = append(regions, followRegion{Code: reg.Code, Calls: calls})
		}
	}
	pg := h.page(w, r, "follow_calls", i18n.T("follow.title"), map[string]any{"Regions": regions})
	pg.Nav = "follow"
	h.render(w, r, http.StatusOK, pg)
}
