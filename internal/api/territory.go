package api

import (
	"net/http"

	"parcours/internal/httpx"
	"parcours/internal/territory"
)

type regionJSON struct {
	Code         string            `json:"code"`
	Name         string            `json:"name"`
	TimeZone     string            `json:"time_zone"`
	Departements []departementJSON `json:"departements,omitempty"`
}

type departementJSON struct {
	Code string `json:"code"`
	Name string `json:"name"`
}

// RegionList lists the régions.
func (h *Handler) RegionList(w http.ResponseWriter, r *http.Request) {
	var out []regionJSON
	for _, reg := range territory.Regions() {
		out = append(out, regionJSON{Code: reg.Code, Name: reg.Name, TimeZone: reg.TimeZone})
	}
	httpx.WriteJSON(w, http.StatusOK, list[regionJSON]{Items: out, Total: len(out), Limit: len(out)})
}

// RegionShow shows a région with its départements.
func (h *Handler) RegionShow(w http.ResponseWriter, r *http.Request) {
	reg, ok := territory.RegionByCode(r.PathValue("code"))
	if !ok {
		notFound(w)
		return
	}
	out := regionJSON{Code: reg.Code, Name: reg.Name, TimeZone: reg.TimeZone, Departements: []departementJSON{}}
	for _, d := range territory.DepartementsOf(reg.Code) {
		out.Departements = append(out.Departements, departementJSON{Code: d.Code, Name: d.Name})
	}
	httpx.WriteJSON(w, http.StatusOK, out)
}
