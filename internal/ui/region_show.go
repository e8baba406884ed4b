package ui

import (
	"net/http"

	"parcours/internal/httpx"
	"parcours/internal/i18n"
	"parcours/internal/model"
	"parcours/internal/territory"
)

type departementRow struct {
	Departement territory.Departement
	Counts      []int
}

// RegionShow shows a région: its départements with their structures, and its CPTS by stage.
func (h *Handler) RegionShow(w http.ResponseWriter, r *http.Request) {
	reg, ok := territory.RegionByCode(r.PathValue("code"))
	if !ok {
		h.ErrorPage(w, r, http.StatusNotFound)
		return
	}
	counts, visible, err := h.counts(r, httpx.Principal(r))
	if err != nil {
		h.serverError(w, r, err)
		return
	}
	data := map[string]any{"Region": reg, "Kinds": careKinds, "Visible": visible(reg.Code), "Zone": i18n.ZoneName(reg.Location())}
	var rows []departementRow
	totals := make([]int, len(careKinds))
	for _, d := range territory.DepartementsOf(reg.Code) {
		row := departementRow{Departement: d}
		for _, k := range careKinds {
			n := 0
			for _, c := range counts {
				if c.DepartementCode == d.Code && c.Kind == k {
					n = c.Count
				}
			}
			row.Counts = append(row.Counts, n)
		}
		for i, n := range row.Counts {
			totals[i] += n
		}
		rows = append(rows, row)
	}
	data["Departements"], data["Totals"] = rows, totals
	if visible(reg.Code) {
		stages, err := h.Store.StageCounts(r.Context(), reg.Code)
		if err != nil {
			h.serverError(w, r, err)
			return
		}
		var stageRows []map[string]any
		cpts := 0
		for _, s := range model.Stages {
			stageRows = append(stageRows, map[string]any{"Stage": s, "Count": stages[s]})
			cpts += stages[s]
		}
		data["Stages"], data["CPTS"] = stageRows, cpts
	}
	pg := h.page(w, r, "region_show", reg.Name, data)
	pg.Nav = "regions"
	h.render(w, r, http.StatusOK, pg)
}
