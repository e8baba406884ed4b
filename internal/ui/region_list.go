package ui

import (
	"net/http"
	"slices"

	"parcours/internal/httpx"
	"parcours/internal/i18n"
	"parcours/internal/model"
	"parcours/internal/policy"
	"parcours/internal/storage"
	"parcours/internal/territory"
)

// careKinds are the columns of the territory tables.
var careKinds = []model.StructureKind{model.KindCPTS, model.KindMSP, model.KindCDS, model.KindESP}

type regionRow struct {
	Region  territory.Region
	Visible bool // the reader may see this région's structures
	Counts  []int
}

// RegionList shows every région with, where the reader may see them, its structures by kind.
func (h *Handler) RegionList(w http.ResponseWriter, r *http.Request) {
	p := httpx.Principal(r)
	counts, visible, err := h.counts(r, p)
	if err != nil {
		h.serverError(w, r, err)
		return
	}
	var rows []regionRow
	for _, reg := range territory.Regions() {
		row := regionRow{Region: reg, Visible: visible(reg.Code)}
		for _, k := range careKinds {
			n := 0
			for _, c := range counts {
				if c.RegionCode == reg.Code && c.Kind == k {
					n += c.Count
				}
			}
			row.Counts = append(row.Counts, n)
		}
		rows = append(rows, row)
	}
	pg := h.page(w, r, "region_list", i18n.T("region.list.title"), map[string]any{"Rows": rows, "Kinds": careKinds})
	pg.Nav = "regions"
	h.render(w, r, http.StatusOK, pg)
}

// counts returns the structure counts the reader may see, and which régions those are.
func (h *Handler) counts(r *http.Request, p *policy.Principal) ([]storage.StructureCount, func(string) bool, error) {
	if !policy.Allow(p, policy.ReadStructures) {
		return nil, func(string) bool { return false }, nil
	}
	scope := policy.Regions(p, policy.ReadStructures)
	counts, err := h.Store.StructureCounts(r.Context(), scope)
	return counts, func(code string) bool { return scope == nil || slices.Contains(scope, code) }, err
}
