package ui

import (
	"cmp"
	"net/http"
	"slices"
	"strings"

	"parcours/internal/i18n"
	"parcours/internal/model"
	"parcours/internal/policy"
	"parcours/internal/storage"
	"parcours/internal/territory"
)

// reviewCount is one line of the counts by structure or by département.
type reviewCount struct {
	StructureID string // a structure of the directory, to link to
	Label       string
	Departement string
	Declared    bool // a structure declared by the candidate, not yet listed
	N           int
}

// CallApplications lists a call's applications for its managers: the call's figures, the
// filtered applications, and the submitted ones counted by structure and by département, so
// that the manager sees which CPTS sent two people.
func (h *Handler) CallApplications(w http.ResponseWriter, r *http.Request) {
	v, ok := h.loadReviewCall(w, r)
	if !ok {
		return
	}
	ctx := r.Context()
	form := reviewFilterOf(r.URL.Query())
	rows, err := h.reviewRows(r, form.applicationFilter(v.Call.ID))
	if err != nil {
		h.serverError(w, r, err)
		return
	}
	all, err := h.Store.Applications(ctx, storage.ApplicationFilter{Scope: policy.Scope{Everywhere: true}, CallID: v.Call.ID})
	if err != nil {
		h.serverError(w, r, err)
		return
	}
	stats, err := h.Store.CallStats(ctx, []string{v.Call.ID})
	if err != nil {
		h.serverError(w, r, err)
		return
	}
	withdrawn := 0
	for _, row := range all {
		if row.Application.Status == model.ApplicationWithdrawn {
			withdrawn++
		}
	}
	byStructure, byDepartement := reviewCounts(all)
	structures, departements := reviewFilterChoices(all)
	data := map[string]any{
		"View": v, "CallStatus": h.reviewCallStatus(v.Call), "Stats": stats[v.Call.ID], "Withdrawn": withdrawn,
		"Rows": rows, "Form": form,
		"CSV":         "/appels/" + v.Call.ID + "/candidatures.csv?" + form.query(),
		"XLSX":        "/appels/" + v.Call.ID + "/candidatures.xlsx?" + form.query(),
		"ByStructure": byStructure, "ByDepartement": byDepartement,
		"Statuses": append([]option{{allStatuses, i18n.T("review.filter.all_statuses")}},
			options("application.status", model.ApplicationStatuses, "")...),
		"Eligibilities": []option{{"", i18n.T("review.filter.all_eligibilities")},
			{eligibilityYes, i18n.T("review.eligibility.eligible")}, {eligibilityNo, i18n.T("review.eligibility.ineligible")},
			{eligibilityReview, i18n.T("review.eligibility.review")}},
		"Structures": structures, "Departements": departements,
	}
	pg := h.page(w, r, "review_list", i18n.T("review.list.title", v.Programme.Code, v.Cohort.Label), data)
	pg.Nav = "programmes"
	h.render(w, r, http.StatusOK, pg)
}

// reviewCounts counts the submitted applications by structure (most first) and by
// département (in code order).
func reviewCounts(all []storage.ApplicationRow) (byStructure, byDepartement []reviewCount) {
	structures, departements := map[string]*reviewCount{}, map[string]*reviewCount{}
	for _, row := range all {
		a := row.Application
		if a.Status != model.ApplicationSubmitted {
			continue
		}
		key, c := "", reviewCount{}
		switch {
		case a.StructureID != "":
			key = "s:" + a.StructureID
			c = reviewCount{StructureID: a.StructureID, Label: row.Structure.Name, Departement: row.Structure.DepartementCode}
		case a.DeclaredName != "":
			key = "d:" + strings.ToLower(a.DeclaredName) + "|" + a.DeclaredDepartement
			c = reviewCount{Label: a.DeclaredName, Departement: a.DeclaredDepartement, Declared: true}
		default:
			key = "none"
			c = reviewCount{Label: i18n.T("review.no_structure")}
		}
		if structures[key] == nil {
			structures[key] = &c
		}
		structures[key].N++
		if departements[c.Departement] == nil {
			departements[c.Departement] = &reviewCount{Departement: c.Departement}
		}
		departements[c.Departement].N++
	}
	for _, c := range structures {
		byStructure = append(byStructure, *c)
	}
	slices.SortFunc(byStructure, func(a, b reviewCount) int {
		return cmp.Or(cmp.Compare(b.N, a.N), cmp.Compare(strings.ToLower(a.Label), strings.ToLower(b.Label)),
			cmp.Compare(a.Departement, b.Departement))
	})
	for _, c := range departements {
		byDepartement = append(byDepartement, *c)
	}
	slices.SortFunc(byDepartement, func(a, b reviewCount) int { return cmp.Compare(a.Departement, b.Departement) })
	return byStructure, byDepartement
}

// reviewFilterChoices are the structures and départements of the call's applications, the
// choices of the list's filters.
func reviewFilterChoices(all []storage.ApplicationRow) (structures, departements []option) {
	seen := map[string]bool{}
	declared := false
	var codes []string
	for _, row := range all {
		a := row.Application
		dep := row.Structure.DepartementCode
		switch {
		case a.StructureID != "" && !seen[a.StructureID]:
			seen[a.StructureID] = true
			structures = append(structures, option{a.StructureID, row.Structure.Name + " (" + row.Structure.DepartementCode + ")"})
		case a.StructureID == "":
			dep = a.DeclaredDepartement
			declared = declared || a.DeclaredName != ""
		}
		if dep != "" && !slices.Contains(codes, dep) {
			codes = append(codes, dep)
		}
	}
	slices.SortFunc(structures, func(a, b option) int { return cmp.Compare(strings.ToLower(a.Label), strings.ToLower(b.Label)) })
	structures = append([]option{{"", i18n.T("review.filter.all_structures")}}, structures...)
	if declared {
		structures = append(structures, option{declaredStructure, i18n.T("review.filter.declared")})
	}
	slices.Sort(codes)
	departements = []option{{"", i18n.T("filter.all_departements")}}
	for _, code := range codes {
		label := code
		if d, ok := territory.DepartementByCode(code); ok {
			label = d.Code + " — " + d.Name
		}
		departements = append(departements, option{code, label})
	}
	return structures, departements
}
