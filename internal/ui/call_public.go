package ui

import (
	"errors"
	"net/http"

	"parcours/internal/apply"
	"parcours/internal/eligibility"
	"parcours/internal/httpx"
	"parcours/internal/i18n"
	"parcours/internal/policy"
	"parcours/internal/storage"
	"parcours/internal/territory"
)

// CallList shows the published calls that are open or about to open, to everyone.
func (h *Handler) CallList(w http.ResponseWriter, r *http.Request) {
	views, err := h.Store.CallViews(r.Context(), storage.CallFilter{Scope: policy.Scope{Everywhere: true}})
	if err != nil {
		h.serverError(w, r, err)
		return
	}
	now := h.Store.Clock.Now()
	var open, soon []storage.CallView
	for _, v := range views {
		switch {
		case v.Call.Open(now):
			open = append(open, v)
		case now.Before(v.Call.OpensAt):
			soon = append(soon, v)
		}
	}
	pg := h.page(w, r, "call_list", i18n.T("call.public.list_title"), map[string]any{"Open": open, "Soon": soon})
	pg.Nav = "calls"
	h.render(w, r, http.StatusOK, pg)
}

// loadPublicCall loads the call of the URL as the public may see it: published, or
// previewed by its managers.
func (h *Handler) loadPublicCall(w http.ResponseWriter, r *http.Request, id string) (storage.CallView, bool) {
	v, err := h.Store.CallView(r.Context(), id)
	if err == nil && !v.Call.Published &&
		!policy.ScopeOf(httpx.Principal(r), policy.ManageProgrammes).Covers(v.Cohort.RegionCode, v.Programme.CarrierID) {
		err = storage.ErrNotFound
	}
	if err != nil {
		h.fail(w, r, err)
		return v, false
	}
	return v, true
}

// callState is how a call stands at the server's clock, for its pages.
type callState struct {
	Open, NotYet, Closed bool
	Opens, Closes        string // dates in the région's zone, the zone named
	Region               territory.Region
}

func (h *Handler) stateOf(v storage.CallView) callState {
	reg, _ := territory.RegionByCode(v.Cohort.RegionCode)
	now := h.Store.Clock.Now()
	loc := reg.Location()
	return callState{Open: v.Call.Open(now), NotYet: now.Before(v.Call.OpensAt), Closed: !now.Before(v.Call.ClosesAt),
		Opens: i18n.DateTimeZone(v.Call.OpensAt, loc), Closes: i18n.DateTimeZone(v.Call.ClosesAt, loc), Region: reg}
}

// CallShow is a call's public page: the programme, the cohort, the dates, who may apply,
// accessibility and contact, and the way in.
func (h *Handler) CallShow(w http.ResponseWriter, r *http.Request) {
	v, ok := h.loadPublicCall(w, r, r.PathValue("id"))
	if !ok {
		return
	}
	modules, err := h.Store.Modules(r.Context(), v.Programme.ID)
	if err != nil {
		h.serverError(w, r, err)
		return
	}
	carrier, err := h.Store.Structure(r.Context(), v.Programme.CarrierID)
	if err != nil {
		h.serverError(w, r, err)
		return
	}
	data := map[string]any{"View": v, "State": h.stateOf(v), "Rules": eligibility.Describe(apply.RulesOf(v.Call)),
		"Modules": modules, "Carrier": carrier}
	if p := httpx.Principal(r); p != nil {
		a, err := h.Store.ApplicationOf(r.Context(), v.Call.ID, p.AccountID)
		switch {
		case err == nil:
			data["Application"] = a
		case !errors.Is(err, storage.ErrNotFound):
			h.serverError(w, r, err)
			return
		}
		data["CanApply"] = policy.Allow(p, policy.Apply)
	}
	pg := h.page(w, r, "call_show", v.Programme.Title, data)
	pg.Nav = "calls"
	h.render(w, r, http.StatusOK, pg)
}
