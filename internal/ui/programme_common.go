package ui

import (
	"context"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"parcours/internal/httpx"
	"parcours/internal/i18n"
	"parcours/internal/model"
	"parcours/internal/policy"
	"parcours/internal/storage"
	"parcours/internal/territory"
	"parcours/internal/validator"
)

// What the programme manager's pages share: the loaders that answer 404 outside the caller's
// training organisations, the audit entry, and small form helpers.

// manageScope is how far the caller may manage programmes: everywhere (admin) or the
// programmes of their training organisations.
func manageScope(r *http.Request) policy.Scope {
	return policy.ScopeOf(httpx.Principal(r), policy.ManageProgrammes)
}

// loadProgramme loads the programme of the URL; one of another organisation is not found.
func (h *Handler) loadProgramme(w http.ResponseWriter, r *http.Request) (model.Programme, bool) {
	p, err := h.Store.Programme(r.Context(), r.PathValue("id"))
	if err != nil {
		h.fail(w, r, err)
		return p, false
	}
	if !manageScope(r).Covers("", p.CarrierID) {
		h.ErrorPage(w, r, http.StatusNotFound)
		return p, false
	}
	return p, true
}

// loadCohort loads the cohort of the URL and its programme.
func (h *Handler) loadCohort(w http.ResponseWriter, r *http.Request) (model.Cohort, model.Programme, bool) {
	c, err := h.Store.Cohort(r.Context(), r.PathValue("id"))
	var p model.Programme
	if err == nil {
		p, err = h.Store.Programme(r.Context(), c.ProgrammeID)
	}
	if err != nil {
		h.fail(w, r, err)
		return c, p, false
	}
	if !manageScope(r).Covers(c.RegionCode, p.CarrierID) {
		h.ErrorPage(w, r, http.StatusNotFound)
		return c, p, false
	}
	return c, p, true
}

// loadCall loads a call with its cohort and programme.
func (h *Handler) loadCall(w http.ResponseWriter, r *http.Request, callID string) (storage.CallView, bool) {
	v, err := h.Store.CallView(r.Context(), callID)
	if err != nil {
		h.fail(w, r, err)
		return v, false
	}
	if !manageScope(r).Covers(v.Cohort.RegionCode, v.Programme.CarrierID) {
		h.ErrorPage(w, r, http.StatusNotFound)
		return v, false
	}
	return v, true
}

// loadQuestion loads the question of the URL with its call, cohort and programme.
func (h *Handler) loadQuestion(w http.ResponseWriter, r *http.Request) (model.Question, storage.CallView, bool) {
	q, err := h.Store.Question(r.Context(), r.PathValue("id"))
	if err != nil {
		h.fail(w, r, err)
		return q, storage.CallView{}, false
	}
	v, ok := h.loadCall(w, r, q.CallID)
	return q, v, ok
}

// audit records a manager's change in the transaction that makes it.
func audit(ctx context.Context, tx *storage.Store, r *http.Request, action, subjectType, subjectID string, details map[string]any) error {
	if details == nil {
		details = map[string]any{}
	}
	details["via"] = "web"
	return tx.Audit(ctx, storage.AuditEntry{AccountID: httpx.Principal(r).AccountID, Action: action,
		SubjectType: subjectType, SubjectID: subjectID, IP: httpx.ClientIP(r), Details: details})
}

// checkOption is one box of a group of checkboxes.
type checkOption struct {
	Value, Label string
	Checked      bool
}

// careKindBoxes offers the coordinated-care kinds, ticking those in checked.
func careKindBoxes(checked []model.StructureKind) []checkOption {
	var out []checkOption
	for _, k := range model.StructureKinds {
		if k.IsCare() {
			out = append(out, checkOption{string(k), i18n.T("structure.kind." + string(k)), slices.Contains(checked, k)})
		}
	}
	return out
}

// regionChoices lists the régions by name, after a first empty choice labelled blankKey.
func regionChoices(blankKey string) []option {
	out := []option{{"", i18n.T(blankKey)}}
	for _, rg := range territory.Regions() {
		out = append(out, option{rg.Code, rg.Name})
	}
	return out
}

// regionLocation is the time zone in which a région's calls are typed and shown.
func regionLocation(code string) *time.Location {
	if rg, ok := territory.RegionByCode(code); ok {
		return rg.Location()
	}
	return time.UTC
}

// kindsOf reads a group of checkboxes of structure kinds.
func kindsOf(r *http.Request, name string) []model.StructureKind {
	var out []model.StructureKind
	for _, v := range r.PostForm[name] {
		out = append(out, model.StructureKind(v))
	}
	return out
}

// intField reads a whole number typed in a form: empty is 0; anything else that is not a
// number is an error next to the field (the text stays in raw, to show it again).
func intField(r *http.Request, name string, raw map[string]string, errs *validator.Errors) int {
	s := strings.ReplaceAll(formValue(r, name), " ", "")
	raw[name] = s
	if s == "" {
		return 0
	}
	n, err := strconv.Atoi(s)
	if err != nil {
		errs.Add(name, "invalid", i18n.T("programme.validation.number"))
	}
	return n
}

// numberText writes a stored number for a form field; 0 is an empty field when zeroEmpty.
func numberText(n int, zeroEmpty bool) string {
	if n == 0 && zeroEmpty {
		return ""
	}
	return strconv.Itoa(n)
}

// merge adds the validator's errors after those found while reading the form, which win.
func merge(errs *validator.Errors, more validator.Errors) {
	for _, e := range more {
		errs.Add(e.Field, e.Code, e.Message)
	}
}

// civilDate writes a stored YYYY-MM-DD date the French way: "11 janvier 2027".
func civilDate(s string) string {
	t, err := time.Parse("2006-01-02", s)
	if err != nil {
		return s
	}
	return i18n.Date(t)
}

// callStatus says where a call stands at now: not published, upcoming, open or closed.
func callStatus(c model.Call, now time.Time) string {
	switch {
	case !c.Published:
		return i18n.T("call.admin.status_draft")
	case now.Before(c.OpensAt):
		return i18n.T("call.admin.status_upcoming")
	case now.Before(c.ClosesAt):
		return i18n.T("call.admin.status_open")
	}
	return i18n.T("call.admin.status_closed")
}

// callRow is a call as the programme and cohort pages list it.
type callRow struct {
	Call       model.Call
	RegionCode string // the cohort's: its zone shows the instants
	Status     string
}

func callRows(views []storage.CallView, now time.Time) []callRow {
	var out []callRow
	for _, v := range views {
		out = append(out, callRow{Call: v.Call, RegionCode: v.Cohort.RegionCode, Status: callStatus(v.Call, now)})
	}
	return out
}
