package api

import (
	"context"
	"net/http"
	"slices"

	"parcours/internal/apply"
	"parcours/internal/httpx"
	"parcours/internal/model"
	"parcours/internal/policy"
	"parcours/internal/storage"
	"parcours/internal/territory"
)

// Applications: a candidate reads their own; whoever reads a call's applications (its
// training organisation's managers, administrators) reads that call's. Anyone else gets 404.

type applicationJSON struct {
	ID                  string                `json:"id"`
	Call                applicationCallJSON   `json:"call"`
	Status              string                `json:"status"`
	Receipt             *string               `json:"receipt"`
	Candidate           candidateJSON         `json:"candidate"`
	Structure           *applicationStructure `json:"structure"`
	DeclaredStructure   *declaredStructure    `json:"declared_structure"`
	Role                *string               `json:"role"`
	RoleStatus          *string               `json:"role_status"`
	Profession          *string               `json:"profession"`
	Eligibility         eligibilityJSON       `json:"eligibility"`
	Answers             map[string]answerJSON `json:"answers"`
	ConsentProcessingAt *string               `json:"consent_processing_at"`
	ConsentRetentionAt  *string               `json:"consent_retention_at"`
	SubmittedAt         *string               `json:"submitted_at"`
	WithdrawnAt         *string               `json:"withdrawn_at"`
	CreatedAt           string                `json:"created_at"`
	UpdatedAt           string                `json:"updated_at"`
}

type applicationCallJSON struct {
	ID             string `json:"id"`
	ProgrammeCode  string `json:"programme_code"`
	ProgrammeTitle string `json:"programme_title"`
	CohortLabel    string `json:"cohort_label"`
	Region         string `json:"region"`
	ClosesAt       string `json:"closes_at"`
}

type candidateJSON struct {
	PersonID *string `json:"person_id"`
	Name     *string `json:"name"`
	Email    string  `json:"email"`
}

type applicationStructure struct {
	ID          string `json:"id"`
	Name        string `json:"name"`
	Kind        string `json:"kind"`
	Departement string `json:"departement"`
}

type declaredStructure struct {
	Name        string  `json:"name"`
	Kind        *string `json:"kind"`
	Departement *string `json:"departement"`
	Commune     string  `json:"commune"`
}

type eligibilityJSON struct {
	ByRules     bool          `json:"by_rules"`
	NeedsReview bool          `json:"needs_review"`
	Reasons     []string      `json:"reasons"`
	Rules       []ruleJSON    `json:"rules"`
	Override    *overrideJSON `json:"override"`
}

type ruleJSON struct {
	Rule    string  `json:"rule"`
	Outcome string  `json:"outcome"`
	Reason  *string `json:"reason"`
}

type overrideJSON struct {
	Decision string `json:"decision"`
	Reason   string `json:"reason"`
	At       string `json:"at"`
}

type answerJSON struct {
	Value string    `json:"value"`
	File  *fileJSON `json:"file"`
}

type fileJSON struct {
	Name string `json:"name"`
	Path string `json:"path"`
}

// applicationOut writes an application with its answers and its verdict rule by rule; the
// manager's decision on eligibility only for those who read the call's applications.
func (h *Handler) applicationOut(ctx context.Context, row storage.ApplicationRow, answers map[string]model.Answer, reader bool) (applicationJSON, error) {
	a, v := row.Application, row.Call
	verdict, err := apply.Check(ctx, h.Store, v.Call, a)
	if err != nil {
		return applicationJSON{}, err
	}
	out := applicationJSON{ID: a.ID, Status: string(a.Status), Receipt: optional(a.Receipt),
		Call: applicationCallJSON{ID: v.Call.ID, ProgrammeCode: v.Programme.Code, ProgrammeTitle: v.Programme.Title,
			CohortLabel: v.Cohort.Label, Region: v.Cohort.RegionCode, ClosesAt: instant(v.Call.ClosesAt)},
		Candidate: candidateJSON{PersonID: optional(row.Person.ID), Name: optional(row.Person.FullName()), Email: row.Email},
		Role:      optional(string(a.Role)), RoleStatus: optional(string(row.RoleStatus)), Profession: optional(string(a.Profession)),
		Eligibility: eligibilityJSON{ByRules: a.Eligible, NeedsReview: a.NeedsReview, Reasons: append([]string{}, a.Reasons...),
			Rules: []ruleJSON{}},
		Answers:             map[string]answerJSON{},
		ConsentProcessingAt: optionalInstant(a.ConsentProcessingAt), ConsentRetentionAt: optionalInstant(a.ConsentRetentionAt),
		SubmittedAt: optionalInstant(a.SubmittedAt), WithdrawnAt: optionalInstant(a.WithdrawnAt),
		CreatedAt: instant(a.CreatedAt), UpdatedAt: instant(a.UpdatedAt)}
	if st := row.Structure; st.ID != "" {
		out.Structure = &applicationStructure{ID: st.ID, Name: st.Name, Kind: string(st.Kind), Departement: st.DepartementCode}
	} else if a.Declared() {
		d := &declaredStructure{Name: a.DeclaredName, Commune: a.DeclaredCommune}
		if a.DeclaredKind.Valid() {
			d.Kind = optional(string(a.DeclaredKind))
		}
		if _, ok := territory.DepartementByCode(a.DeclaredDepartement); ok {
			d.Departement = optional(a.DeclaredDepartement)
		}
		out.DeclaredStructure = d
	}
	for _, res := range verdict.Results {
		out.Eligibility.Rules = append(out.Eligibility.Rules, ruleJSON{Rule: res.Rule, Outcome: res.Outcome.String(), Reason: optional(res.Reason)})
	}
	if reader && a.Override != model.OverrideNone {
		out.Eligibility.Override = &overrideJSON{Decision: string(a.Override), Reason: a.OverrideReason, At: instant(a.OverrideAt)}
	}
	for qid, an := range answers {
		out.Answers[qid] = answerJSON{Value: an.Value}
		if an.FileID != "" {
			out.Answers[qid] = answerJSON{Value: an.Value, File: &fileJSON{Name: an.Value, Path: "/fichiers/" + an.FileID}}
		}
	}
	return out, nil
}

// reads reports whether the caller reads the applications of a call.
func reads(r *http.Request, v storage.CallView) bool {
	return policy.ScopeOf(httpx.Principal(r), policy.ReadApplications).Covers(v.Cohort.RegionCode, v.Programme.CarrierID)
}

// writeApplications answers a page of applications; answersOf reads an application's answers.
func (h *Handler) writeApplications(w http.ResponseWriter, r *http.Request, rows []storage.ApplicationRow,
	answersOf func(applicationID string) (map[string]model.Answer, error), limit, offset int) {
	out := list[applicationJSON]{Items: []applicationJSON{}, Total: len(rows), Limit: limit, Offset: offset}
	for _, row := range pageOf(rows, limit, offset) {
		answers, err := answersOf(row.Application.ID)
		var item applicationJSON
		if err == nil {
			item, err = h.applicationOut(r.Context(), row, answers, reads(r, row.Call))
		}
		if err != nil {
			h.fail(w, r, err)
			return
		}
		out.Items = append(out.Items, item)
	}
	httpx.WriteJSON(w, http.StatusOK, out)
}

// CallApplications lists a call's applications, earliest submitted first, then the drafts;
// filters status (draft, submitted, withdrawn) and eligibility (eligible, ineligible, review).
func (h *Handler) CallApplications(w http.ResponseWriter, r *http.Request) {
	v, err := h.Store.CallView(r.Context(), r.PathValue("id"))
	if err == nil && !reads(r, v) {
		err = storage.ErrNotFound
	}
	if err != nil {
		h.fail(w, r, err)
		return
	}
	limit, offset, ok := paging(w, r)
	if !ok {
		return
	}
	q := r.URL.Query()
	f := storage.ApplicationFilter{Scope: policy.Scope{Everywhere: true}, CallID: v.Call.ID,
		Status: model.ApplicationStatus(q.Get("status")), Eligibility: q.Get("eligibility")}
	if !validQuery(w, map[string]bool{
		"status":      f.Status == "" || slices.Contains(model.ApplicationStatuses, f.Status),
		"eligibility": f.Eligibility == "" || slices.Contains([]string{"eligible", "ineligible", "review"}, f.Eligibility),
	}) {
		return
	}
	rows, err := h.Store.Applications(r.Context(), f)
	var answers map[string]map[string]model.Answer
	if err == nil {
		answers, err = h.Store.AnswersOfCall(r.Context(), v.Call.ID) // one query, not one per application
	}
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.writeApplications(w, r, rows, func(id string) (map[string]model.Answer, error) { return answers[id], nil }, limit, offset)
}

// ApplicationList lists the caller's own applications.
func (h *Handler) ApplicationList(w http.ResponseWriter, r *http.Request) {
	limit, offset, ok := paging(w, r)
	if !ok {
		return
	}
	rows, err := h.Store.Applications(r.Context(), storage.ApplicationFilter{Scope: policy.Scope{Everywhere: true},
		AccountID: httpx.Principal(r).AccountID})
	if err != nil {
		h.fail(w, r, err)
		return
	}
	answersOf := func(id string) (map[string]model.Answer, error) { return h.Store.Answers(r.Context(), id) }
	h.writeApplications(w, r, rows, answersOf, limit, offset)
}

// loadApplication loads the application of the URL with its call and candidate, if the
// caller is its candidate or reads its call's applications; to anyone else it does not exist.
func (h *Handler) loadApplication(w http.ResponseWriter, r *http.Request) (storage.ApplicationRow, bool) {
	ctx, p := r.Context(), httpx.Principal(r)
	a, err := h.Store.Application(ctx, r.PathValue("id"))
	var rows []storage.ApplicationRow
	if err == nil { // one application per account and call
		rows, err = h.Store.Applications(ctx, storage.ApplicationFilter{Scope: policy.Scope{Everywhere: true},
			CallID: a.CallID, AccountID: a.AccountID})
	}
	if err == nil && len(rows) != 1 {
		err = storage.ErrNotFound
	}
	if err == nil && !(a.AccountID == p.AccountID && policy.Allow(p, policy.Apply)) && !reads(r, rows[0].Call) {
		err = storage.ErrNotFound
	}
	if err != nil {
		h.fail(w, r, err)
		return storage.ApplicationRow{}, false
	}
	return rows[0], true
}

// ApplicationShow returns one application.
func (h *Handler) ApplicationShow(w http.ResponseWriter, r *http.Request) {
	row, ok := h.loadApplication(w, r)
	if !ok {
		return
	}
	answers, err := h.Store.Answers(r.Context(), row.Application.ID)
	var out applicationJSON
	if err == nil {
		out, err = h.applicationOut(r.Context(), row, answers, reads(r, row.Call))
	}
	if err != nil {
		h.fail(w, r, err)
		return
	}
	httpx.WriteJSON(w, http.StatusOK, out)
}
