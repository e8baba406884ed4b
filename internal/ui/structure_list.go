package ui

import (
	"net/http"

	"parcours/internal/httpx"
	"parcours/internal/i18n"
	"parcours/internal/model"
	"parcours/internal/policy"
	"parcours/internal/storage"
	"parcours/internal/territory"
)

type structureFilterForm struct {
	Region, Departement, Kind, Stage, Query string
}

// StructureList lists the structures the reader may see, with filters and pages.
func (h *Handler) StructureList(w http.ResponseWriter, r *http.Request) {
	p := httpx.Principal(r)
	q := r.URL.Query()
	form := structureFilterForm{Region: q.Get("region"), Departement: q.Get("departement"), Kind: q.Get("type"),
		Stage: q.Get("stade"), Query: q.Get("q")}
	scope := policy.Regions(p, policy.ReadStructures)
	f := storage.StructureFilter{Regions: scope, RegionCode: form.Region, DepartementCode: form.Departement,
		Stage: model.Stage(form.Stage), Query: form.Query, Limit: pageSize, Offset: pageOffset(q)}
	if k := model.StructureKind(form.Kind); k.Valid() {
		f.Kinds = []model.StructureKind{k}
	}
	list, total, err := h.Store.Structures(r.Context(), f)
	if err != nil {
		h.serverError(w, r, err)
		return
	}
	regions := []option{{"", i18n.T("filter.all_regions")}}
	departements := []option{{"", i18n.T("filter.all_departements")}}
	for _, reg := range territory.Regions() {
		if !policy.InRegion(p, policy.ReadStructures, reg.Code) {
			continue
		}
		regions = append(regions, option{reg.Code, reg.Name})
		if form.Region == "" || form.Region == reg.Code {
			for _, d := range territory.DepartementsOf(reg.Code) {
				departements = append(departements, option{d.Code, d.Code + " — " + d.Name})
			}
		}
	}
	data := map[string]any{
		"Structures": list, "Form": form, "Paging": paginate(r.URL, total, f.Offset, len(list)),
		"Regions": regions, "Departements": departements,
		"Kinds":  options("structure.kind", model.StructureKinds, "filter.all_kinds"),
		"Stages": options("structure.stage", model.Stages, "filter.all_stages"),
	}
	pg := h.page(w, r, "structure_list", i18n.T("structure.list.title"), data)
	pg.Nav = "structures"
	h.render(w, r, http.StatusOK, pg)
}
