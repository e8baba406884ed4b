package api

import (
	"net/http"

	"parcours/internal/httpx"
	"parcours/internal/model"
	"parcours/internal/policy"
	"parcours/internal/storage"
)

// Programmes and their cohorts, for the training organisations that run them: a manager
// sees their organisations' programmes, an administrator every one; anything else is 404.

type programmeJSON struct {
	ID                  string   `json:"id"`
	Code                string   `json:"code"`
	Title               string   `json:"title"`
	Description         string   `json:"description"`
	CarrierID           string   `json:"carrier_id"`
	AudienceGovernance  bool     `json:"audience_governance"`
	AudienceCoordinator bool     `json:"audience_coordinator"`
	TargetKinds         []string `json:"target_kinds"`
	DurationMonths      int      `json:"duration_months"`
	Days                int      `json:"days"`
	Certification       string   `json:"certification"`
	RNCPLevel           *int     `json:"rncp_level"`
	RNCPCode            *string  `json:"rncp_code"`
	Accessibility       string   `json:"accessibility"`
	ContactName         string   `json:"contact_name"`
	ContactEmail        string   `json:"contact_email"`
	ContactPhone        string   `json:"contact_phone"`
	CreatedAt           string   `json:"created_at"`
	UpdatedAt           string   `json:"updated_at"`
}

func programmeOut(p model.Programme) programmeJSON {
	return programmeJSON{ID: p.ID, Code: p.Code, Title: p.Title, Description: p.Description, CarrierID: p.CarrierID,
		AudienceGovernance: p.AudienceGovernance, AudienceCoordinator: p.AudienceCoordinator,
		TargetKinds: stringsOf(p.TargetKinds), DurationMonths: p.DurationMonths, Days: p.Days,
		Certification: string(p.Certification), RNCPLevel: optionalInt(p.RNCPLevel), RNCPCode: optional(p.RNCPCode),
		Accessibility: p.Accessibility, ContactName: p.ContactName, ContactEmail: p.ContactEmail,
		ContactPhone: p.ContactPhone, CreatedAt: instant(p.CreatedAt), UpdatedAt: instant(p.UpdatedAt)}
}

type moduleJSON struct {
	ID       string `json:"id"`
	Position int    `json:"position"`
	Title    string `json:"title"`
	Themes   string `json:"themes"`
	Hours    int    `json:"hours"`
}

type blockJSON struct {
	ID       string `json:"id"`
	Position int    `json:"position"`
	Code     string `json:"code"`
	Title    string `json:"title"`
}

type deploymentJSON struct {
	Region string  `json:"region"`
	Status string  `json:"status"`
	Since  *string `json:"since"`
}

type programmeDetailJSON struct {
	programmeJSON
	PartnerIDs  []string         `json:"partner_ids"`
	Modules     []moduleJSON     `json:"modules"`
	Blocks      []blockJSON      `json:"blocks"`
	Deployments []deploymentJSON `json:"deployments"`
}

type cohortJSON struct {
	ID          string   `json:"id"`
	ProgrammeID string   `json:"programme_id"`
	Region      string   `json:"region"`
	Label       string   `json:"label"`
	Capacity    int      `json:"capacity"`
	OrgCap      int      `json:"org_cap"`
	OrgMax      *int     `json:"org_max"`
	StartsOn    *string  `json:"starts_on"`
	EndsOn      *string  `json:"ends_on"`
	Places      string   `json:"places"`
	CallIDs     []string `json:"call_ids"`
	CreatedAt   string   `json:"created_at"`
	UpdatedAt   string   `json:"updated_at"`
}

func cohortOut(c model.Cohort, callIDs []string) cohortJSON {
	if callIDs == nil {
		callIDs = []string{}
	}
	return cohortJSON{ID: c.ID, ProgrammeID: c.ProgrammeID, Region: c.RegionCode, Label: c.Label, Capacity: c.Capacity,
		OrgCap: c.OrgCap, OrgMax: optionalInt(c.OrgMax), StartsOn: optional(c.StartsOn), EndsOn: optional(c.EndsOn),
		Places: c.Places, CallIDs: callIDs, CreatedAt: instant(c.CreatedAt), UpdatedAt: instant(c.UpdatedAt)}
}

// manages reports whether the caller manages the programmes of carrier (and their cohorts).
func manages(r *http.Request, regionCode, carrierID string) bool {
	return policy.ScopeOf(httpx.Principal(r), policy.ManageProgrammes).Covers(regionCode, carrierID)
}

// ProgrammeList lists the programmes of the caller's training organisations, by title.
func (h *Handler) ProgrammeList(w http.ResponseWriter, r *http.Request) {
	limit, offset, ok := paging(w, r)
	if !ok {
		return
	}
	var carriers []string // nil: every programme
	if sc := policy.ScopeOf(httpx.Principal(r), policy.ManageProgrammes); !sc.Everywhere {
		carriers = append([]string{}, sc.Organisations...)
	}
	items, err := h.Store.Programmes(r.Context(), carriers)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	out := list[programmeJSON]{Items: []programmeJSON{}, Total: len(items), Limit: limit, Offset: offset}
	for _, p := range pageOf(items, limit, offset) {
		out.Items = append(out.Items, programmeOut(p))
	}
	httpx.WriteJSON(w, http.StatusOK, out)
}

// loadProgramme answers 404 for a programme that does not exist or that the caller does not manage.
func (h *Handler) loadProgramme(w http.ResponseWriter, r *http.Request) (model.Programme, bool) {
	p, err := h.Store.Programme(r.Context(), r.PathValue("id"))
	if err == nil && !manages(r, "", p.CarrierID) {
		err = storage.ErrNotFound
	}
	if err != nil {
		h.fail(w, r, err)
		return p, false
	}
	return p, true
}

// ProgrammeShow returns a programme with its partners, modules, competence blocks and
// deployment per région.
func (h *Handler) ProgrammeShow(w http.ResponseWriter, r *http.Request) {
	p, ok := h.loadProgramme(w, r)
	if !ok {
		return
	}
	ctx := r.Context()
	modules, err := h.Store.Modules(ctx, p.ID)
	var blocks []model.Block
	var deployments []model.Deployment
	if err == nil {
		blocks, err = h.Store.Blocks(ctx, p.ID)
	}
	if err == nil {
		deployments, err = h.Store.Deployments(ctx, p.ID)
	}
	if err != nil {
		h.fail(w, r, err)
		return
	}
	out := programmeDetailJSON{programmeJSON: programmeOut(p), PartnerIDs: append([]string{}, p.PartnerIDs...),
		Modules: []moduleJSON{}, Blocks: []blockJSON{}, Deployments: []deploymentJSON{}}
	for _, m := range modules {
		out.Modules = append(out.Modules, moduleJSON{ID: m.ID, Position: m.Position, Title: m.Title, Themes: m.Themes, Hours: m.Hours})
	}
	for _, b := range blocks {
		out.Blocks = append(out.Blocks, blockJSON{ID: b.ID, Position: b.Position, Code: b.Code, Title: b.Title})
	}
	for _, d := range deployments {
		out.Deployments = append(out.Deployments, deploymentJSON{Region: d.RegionCode, Status: string(d.Status), Since: optional(d.Since)})
	}
	httpx.WriteJSON(w, http.StatusOK, out)
}

// callIDsByCohort lists the ids of the calls (published or not) of the cohorts f selects.
func (h *Handler) callIDsByCohort(r *http.Request, f storage.CallFilter) (map[string][]string, error) {
	f.Scope, f.WithDrafts = policy.Scope{Everywhere: true}, true
	views, err := h.Store.CallViews(r.Context(), f)
	out := map[string][]string{}
	for _, v := range views {
		out[v.Cohort.ID] = append(out[v.Cohort.ID], v.Call.ID)
	}
	return out, err
}

// ProgrammeCohorts lists a programme's cohorts, latest start first.
func (h *Handler) ProgrammeCohorts(w http.ResponseWriter, r *http.Request) {
	p, ok := h.loadProgramme(w, r)
	if !ok {
		return
	}
	limit, offset, ok := paging(w, r)
	if !ok {
		return
	}
	cohorts, err := h.Store.Cohorts(r.Context(), p.ID)
	var calls map[string][]string
	if err == nil {
		calls, err = h.callIDsByCohort(r, storage.CallFilter{ProgrammeID: p.ID})
	}
	if err != nil {
		h.fail(w, r, err)
		return
	}
	out := list[cohortJSON]{Items: []cohortJSON{}, Total: len(cohorts), Limit: limit, Offset: offset}
	for _, c := range pageOf(cohorts, limit, offset) {
		out.Items = append(out.Items, cohortOut(c, calls[c.ID]))
	}
	httpx.WriteJSON(w, http.StatusOK, out)
}

// CohortShow returns one cohort of a programme the caller manages.
func (h *Handler) CohortShow(w http.ResponseWriter, r *http.Request) {
	c, err := h.Store.Cohort(r.Context(), r.PathValue("id"))
	var p model.Programme
	if err == nil {
		p, err = h.Store.Programme(r.Context(), c.ProgrammeID)
	}
	if err == nil && !manages(r, c.RegionCode, p.CarrierID) {
		err = storage.ErrNotFound
	}
	var calls map[string][]string
	if err == nil {
		calls, err = h.callIDsByCohort(r, storage.CallFilter{CohortID: c.ID})
	}
	if err != nil {
		h.fail(w, r, err)
		return
	}
	httpx.WriteJSON(w, http.StatusOK, cohortOut(c, calls[c.ID]))
}
