package ui

import (
	"net/http"

	"parcours/internal/model"
	"parcours/internal/policy"
	"parcours/internal/storage"
)

type cohortRow struct {
	Cohort           model.Cohort
	StartsOn, EndsOn string // written the French way
	Calls            []callRow
}

type deploymentView struct {
	RegionCode string
	Status     model.DeploymentStatus
	Since      string
}

// ProgrammeShow shows a programme: its facts, modules, blocks, deployment and cohorts with
// their calls.
func (h *Handler) ProgrammeShow(w http.ResponseWriter, r *http.Request) {
	p, ok := h.loadProgramme(w, r)
	if !ok {
		return
	}
	ctx := r.Context()
	modules, err := h.Store.Modules(ctx, p.ID)
	var blocks []model.Block
	if err == nil {
		blocks, err = h.Store.Blocks(ctx, p.ID)
	}
	var deployments []model.Deployment
	if err == nil {
		deployments, err = h.Store.Deployments(ctx, p.ID)
	}
	var cohorts []model.Cohort
	if err == nil {
		cohorts, err = h.Store.Cohorts(ctx, p.ID)
	}
	var calls []storage.CallView
	if err == nil {
		calls, err = h.Store.CallViews(ctx, storage.CallFilter{Scope: policy.Scope{Everywhere: true}, ProgrammeID: p.ID, WithDrafts: true})
	}
	if err != nil {
		h.serverError(w, r, err)
		return
	}
	var carrier string
	if st, err := h.Store.Structure(ctx, p.CarrierID); err == nil {
		carrier = st.Name
	}
	var partners []model.Structure
	for _, id := range p.PartnerIDs {
		if st, err := h.Store.Structure(ctx, id); err == nil {
			partners = append(partners, st)
		}
	}
	hours := 0
	for _, m := range modules {
		hours += m.Hours
	}
	var dv []deploymentView
	for _, d := range deployments {
		dv = append(dv, deploymentView{RegionCode: d.RegionCode, Status: d.Status, Since: civilDate(d.Since)})
	}
	now := h.Store.Clock.Now()
	var rows []cohortRow
	for _, c := range cohorts {
		row := cohortRow{Cohort: c, StartsOn: civilDate(c.StartsOn), EndsOn: civilDate(c.EndsOn)}
		for _, v := range calls {
			if v.Cohort.ID == c.ID {
				row.Calls = append(row.Calls, callRows([]storage.CallView{v}, now)...)
			}
		}
		rows = append(rows, row)
	}
	data := map[string]any{"Programme": p, "Carrier": carrier, "Partners": partners, "Modules": modules, "Hours": hours,
		"Blocks": blocks, "Deployments": dv, "Cohorts": rows}
	pg := h.page(w, r, "programme_show", p.Title, data)
	pg.Nav = "programmes"
	h.render(w, r, http.StatusOK, pg)
}
