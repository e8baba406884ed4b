package ui

import (
	"net/http"

	"parcours/internal/i18n"
	"parcours/internal/model"
)

type programmeListRow struct {
	Programme model.Programme
	Carrier   string
	Cohorts   int
}

// ProgrammeList lists the programmes the caller manages: all for the admin, their training
// organisations' for a manager.
func (h *Handler) ProgrammeList(w http.ResponseWriter, r *http.Request) {
	sc := manageScope(r)
	carriers := sc.Organisations
	if sc.Everywhere {
		carriers = nil
	} else if carriers == nil {
		carriers = []string{}
	}
	programmes, err := h.Store.Programmes(r.Context(), carriers)
	if err != nil {
		h.serverError(w, r, err)
		return
	}
	names := map[string]string{}
	var rows []programmeListRow
	for _, p := range programmes {
		cohorts, err := h.Store.Cohorts(r.Context(), p.ID)
		if err != nil {
			h.serverError(w, r, err)
			return
		}
		if _, ok := names[p.CarrierID]; !ok {
			if st, err := h.Store.Structure(r.Context(), p.CarrierID); err == nil {
				names[p.CarrierID] = st.Name
			}
		}
		rows = append(rows, programmeListRow{Programme: p, Carrier: names[p.CarrierID], Cohorts: len(cohorts)})
	}
	pg := h.page(w, r, "programme_list", i18n.T("programme.list.title"), map[string]any{"Rows": rows})
	pg.Nav = "programmes"
	h.render(w, r, http.StatusOK, pg)
}
