package ui

import (
	"net/http"
	"net/url"
	"slices"
	"strings"

	"parcours/internal/httpx"
	"parcours/internal/i18n"
	"parcours/internal/model"
	"parcours/internal/policy"
	"parcours/internal/storage"
	"parcours/internal/territory"
)

// What the pages on a call's applications share: the loaders that answer 404 outside the
// caller's scope, the list's filters (also the exports'), and how a row reads.

// reviewCovers reports whether the caller may perform action on the applications of a call.
func reviewCovers(r *http.Request, action policy.Action, v storage.CallView) bool {
	return policy.ScopeOf(httpx.Principal(r), action).Covers(v.Cohort.RegionCode, v.Programme.CarrierID)
}

// loadReviewCall loads the call of the URL if the caller reads its applications.
func (h *Handler) loadReviewCall(w http.ResponseWriter, r *http.Request) (storage.CallView, bool) {
	v, err := h.Store.CallView(r.Context(), r.PathValue("id"))
	if err == nil && !reviewCovers(r, policy.ReadApplications, v) {
		err = storage.ErrNotFound
	}
	if err != nil {
		h.fail(w, r, err)
		return v, false
	}
	return v, true
}

// loadReviewApplication loads the application of the URL with its call, if the caller may
// perform action on it.
func (h *Handler) loadReviewApplication(w http.ResponseWriter, r *http.Request, action policy.Action) (model.Application, storage.CallView, bool) {
	a, err := h.Store.Application(r.Context(), r.PathValue("id"))
	var v storage.CallView
	if err == nil {
		v, err = h.Store.CallView(r.Context(), a.CallID)
	}
	if err == nil && !reviewCovers(r, action, v) {
		err = storage.ErrNotFound
	}
	if err != nil {
		h.fail(w, r, err)
		return a, v, false
	}
	return a, v, true
}

// Filter values in the URL: ?statut=submitted&eligibilite=review&structure=…&departement=44.
const (
	allStatuses       = "tous"
	declaredStructure = "declaree" // the structures declared by candidates, not yet in the directory
)

// reviewFilter is what the list of a call's applications is narrowed to; the exports take
// the same query.
type reviewFilter struct {
	Status, Eligibility, Structure, Departement string
}

// reviewFilterOf reads the filters; the list shows the submitted applications unless told
// otherwise.
func reviewFilterOf(q url.Values) reviewFilter {
	f := reviewFilter{Status: q.Get("statut"), Eligibility: q.Get("eligibilite"), Structure: q.Get("structure"),
		Departement: q.Get("departement")}
	if f.Status != allStatuses && !slices.Contains(model.ApplicationStatuses, model.ApplicationStatus(f.Status)) {
		f.Status = string(model.ApplicationSubmitted)
	}
	if !slices.Contains([]string{"eligible", "ineligible", "review"}, f.Eligibility) {
		f.Eligibility = ""
	}
	return f
}

// applicationFilter turns the filters into a storage filter on one call.
func (f reviewFilter) applicationFilter(callID string) storage.ApplicationFilter {
	sf := storage.ApplicationFilter{Scope: policy.Scope{Everywhere: true}, CallID: callID, Eligibility: f.Eligibility,
		Departement: f.Departement}
	if f.Status != allStatuses {
		sf.Status = model.ApplicationStatus(f.Status)
	}
	switch f.Structure {
	case "":
	case declaredStructure:
		sf.Declared = true
	default:
		sf.StructureID = f.Structure
	}
	return sf
}

// query is the filters as a URL query, for the export links.
func (f reviewFilter) query() string {
	q := url.Values{"statut": {f.Status}}
	for k, v := range map[string]string{"eligibilite": f.Eligibility, "structure": f.Structure, "departement": f.Departement} {
		if v != "" {
			q.Set(k, v)
		}
	}
	return q.Encode()
}

// Eligibility as a list shows it: the manager's decision first, else the rules, with
// "to check" when a rule could not be checked.
const (
	eligibilityYes    = "eligible"
	eligibilityNo     = "ineligible"
	eligibilityReview = "review"
)

func reviewEligibility(a model.Application) string {
	switch {
	case a.Override == model.OverrideEligible:
		return eligibilityYes
	case a.Override == model.OverrideIneligible:
		return eligibilityNo
	case !a.Eligible:
		return eligibilityNo
	case a.NeedsReview:
		return eligibilityReview
	}
	return eligibilityYes
}

func reviewEligibilityLabel(e string) string { return i18n.T("review.eligibility." + e) }

// reviewRow is an application as the manager's list and exports show it.
type reviewRow struct {
	storage.ApplicationRow
	Name            string // the candidate's, else the account's e-mail
	Eligibility     string // eligible, ineligible, review
	EligibilityText string
	RoleStatus      model.MembershipStatus
	StructureName   string // the directory's, or the declared one
	StructureKind   model.StructureKind
	DepartementCode string
}

// Declared reports whether the structure was declared by the candidate, not yet listed.
func (r reviewRow) Declared() bool { return r.Application.Declared() }

// RolePending reports whether the role the candidate declared awaits confirmation.
func (r reviewRow) RolePending() bool { return r.RoleStatus == model.MembershipPending }

// RoleConfirmed reports whether the declared role is a confirmed membership.
func (r reviewRow) RoleConfirmed() bool { return r.RoleStatus == model.MembershipConfirmed }

// reviewRows reads the applications of a call with the state of each declared role.
func (h *Handler) reviewRows(r *http.Request, f storage.ApplicationFilter) ([]reviewRow, error) {
	list, err := h.Store.Applications(r.Context(), f)
	if err != nil {
		return nil, err
	}
	out := make([]reviewRow, 0, len(list))
	for _, row := range list {
		rr := reviewRow{ApplicationRow: row, Name: reviewName(row), Eligibility: reviewEligibility(row.Application)}
		rr.EligibilityText = reviewEligibilityLabel(rr.Eligibility)
		a := row.Application
		if a.StructureID != "" {
			rr.StructureName, rr.StructureKind, rr.DepartementCode = row.Structure.Name, row.Structure.Kind, row.Structure.DepartementCode
		} else if a.DeclaredName != "" {
			rr.StructureName, rr.StructureKind, rr.DepartementCode = a.DeclaredName, a.DeclaredKind, a.DeclaredDepartement
		}
		rr.RoleStatus = row.RoleStatus
		out = append(out, rr)
	}
	return out, nil
}

// reviewRegionOf names the région of a département code, or "".
func reviewRegionOf(code string) string {
	if d, ok := territory.DepartementByCode(code); ok {
		return d.RegionCode
	}
	return ""
}

// reviewCallStatus says where a call stands at now, for managers and those who follow it.
func (h *Handler) reviewCallStatus(c model.Call) string {
	now := h.Store.Clock.Now()
	switch {
	case !c.Published:
		return i18n.T("review.call_status.unpublished")
	case now.Before(c.OpensAt):
		return i18n.T("review.call_status.upcoming")
	case c.Open(now):
		return i18n.T("review.call_status.open")
	}
	return i18n.T("review.call_status.closed")
}

// reviewName is how lists name a candidate: the person's name, else the account's e-mail.
func reviewName(row storage.ApplicationRow) string {
	if n := strings.TrimSpace(row.Person.FullName()); n != "" {
		return n
	}
	return row.Email
}
