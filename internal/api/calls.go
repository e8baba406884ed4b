package api

import (
	"net/http"
	"slices"
	"time"

	"parcours/internal/httpx"
	"parcours/internal/model"
	"parcours/internal/policy"
	"parcours/internal/storage"
	"parcours/internal/territory"
)

// Calls for applications, public like their pages: published calls to anyone, an unpublished
// one to its managers only; the figures to those who follow the call.

type callJSON struct {
	ID             string       `json:"id"`
	Published      bool         `json:"published"`
	State          string       `json:"state"`
	ProgrammeID    string       `json:"programme_id"`
	ProgrammeCode  string       `json:"programme_code"`
	ProgrammeTitle string       `json:"programme_title"`
	CohortID       string       `json:"cohort_id"`
	CohortLabel    string       `json:"cohort_label"`
	Region         string       `json:"region"`
	TimeZone       string       `json:"time_zone"`
	Capacity       int          `json:"capacity"`
	OpensAt        string       `json:"opens_at"`
	ClosesAt       string       `json:"closes_at"`
	Rules          rulesJSON    `json:"rules"`
	Figures        *figuresJSON `json:"figures"`
}

type rulesJSON struct {
	Kinds           []string `json:"kinds"`
	Region          *string  `json:"region"`
	RoleRequirement *string  `json:"role_requirement"`
	MustBeAttached  bool     `json:"must_be_attached"`
	MinStage        *string  `json:"min_stage"`
}

type figuresJSON struct {
	Submitted    int `json:"submitted"`
	Eligible     int `json:"eligible"`
	DistinctCPTS int `json:"distinct_cpts"`
	RegionCPTS   int `json:"region_cpts"`
}

type questionJSON struct {
	ID        string   `json:"id"`
	Position  int      `json:"position"`
	Kind      string   `json:"kind"`
	Label     string   `json:"label"`
	Help      string   `json:"help"`
	Required  bool     `json:"required"`
	MinLength *int     `json:"min_length"`
	MaxLength *int     `json:"max_length"`
	Choices   []string `json:"choices"`
}

type callDetailJSON struct {
	callJSON
	Intro             string         `json:"intro"`
	ConsentProcessing string         `json:"consent_processing"`
	ConsentRetention  string         `json:"consent_retention"`
	StartsOn          *string        `json:"starts_on"`
	EndsOn            *string        `json:"ends_on"`
	Places            string         `json:"places"`
	Accessibility     string         `json:"accessibility"`
	ContactName       string         `json:"contact_name"`
	ContactEmail      string         `json:"contact_email"`
	ContactPhone      string         `json:"contact_phone"`
	Questions         []questionJSON `json:"questions"`
}

// Where a call stands at the server's clock.
const (
	stateUnpublished = "unpublished"
	stateUpcoming    = "upcoming"
	stateOpen        = "open"
	stateClosed      = "closed"
)

func stateOf(c model.Call, now time.Time) string {
	switch {
	case !c.Published:
		return stateUnpublished
	case now.Before(c.OpensAt):
		return stateUpcoming
	case c.Open(now):
		return stateOpen
	}
	return stateClosed
}

// callOut writes a call; stats, when not nil, are its figures.
func callOut(v storage.CallView, now time.Time, stats *storage.CallStats) callJSON {
	c := v.Call
	reg, _ := territory.RegionByCode(v.Cohort.RegionCode)
	out := callJSON{ID: c.ID, Published: c.Published, State: stateOf(c, now), ProgrammeID: v.Programme.ID,
		ProgrammeCode: v.Programme.Code, ProgrammeTitle: v.Programme.Title, CohortID: v.Cohort.ID,
		CohortLabel: v.Cohort.Label, Region: v.Cohort.RegionCode, TimeZone: reg.TimeZone, Capacity: v.Cohort.Capacity,
		OpensAt: instant(c.OpensAt), ClosesAt: instant(c.ClosesAt),
		Rules: rulesJSON{Kinds: stringsOf(c.Kinds), Region: optional(c.RegionCode), RoleRequirement: optional(string(c.Role)),
			MustBeAttached: c.MustBeAttached, MinStage: optional(string(c.MinStage))}}
	if stats != nil {
		out.Figures = &figuresJSON{Submitted: stats.Submitted, Eligible: stats.Eligible, DistinctCPTS: stats.CPTS,
			RegionCPTS: stats.RegionCPTS}
	}
	return out
}

// figures returns the figures of the calls among views that the caller follows.
func (h *Handler) figures(r *http.Request, views []storage.CallView) (map[string]storage.CallStats, error) {
	follow := policy.ScopeOf(httpx.Principal(r), policy.FollowCalls)
	var ids []string
	for _, v := range views {
		if follow.Covers(v.Cohort.RegionCode, v.Programme.CarrierID) {
			ids = append(ids, v.Call.ID)
		}
	}
	stats, err := h.Store.CallStats(r.Context(), ids)
	for _, id := range ids {
		if _, ok := stats[id]; !ok && err == nil {
			stats[id] = storage.CallStats{CallID: id} // no application yet
		}
	}
	return stats, err
}

// statsOf is the figures of a call, or nil when the caller does not follow it.
func statsOf(stats map[string]storage.CallStats, callID string) *storage.CallStats {
	if s, ok := stats[callID]; ok {
		return &s
	}
	return nil
}

// CallList lists the published calls, closing soonest first; filter state (upcoming, open,
// closed).
func (h *Handler) CallList(w http.ResponseWriter, r *http.Request) {
	limit, offset, ok := paging(w, r)
	if !ok {
		return
	}
	state := r.URL.Query().Get("state")
	if !validQuery(w, map[string]bool{"state": state == "" || slices.Contains([]string{stateUpcoming, stateOpen, stateClosed}, state)}) {
		return
	}
	views, err := h.Store.CallViews(r.Context(), storage.CallFilter{Scope: policy.Scope{Everywhere: true}})
	if err != nil {
		h.fail(w, r, err)
		return
	}
	now := h.Store.Clock.Now()
	if state != "" {
		views = slices.DeleteFunc(views, func(v storage.CallView) bool { return stateOf(v.Call, now) != state })
	}
	total := len(views)
	views = pageOf(views, limit, offset)
	stats, err := h.figures(r, views)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	out := list[callJSON]{Items: []callJSON{}, Total: total, Limit: limit, Offset: offset}
	for _, v := range views {
		out.Items = append(out.Items, callOut(v, now, statsOf(stats, v.Call.ID)))
	}
	httpx.WriteJSON(w, http.StatusOK, out)
}

// CallShow returns a call with its form's questions: a published one to anyone, an
// unpublished one to its managers only.
func (h *Handler) CallShow(w http.ResponseWriter, r *http.Request) {
	v, err := h.Store.CallView(r.Context(), r.PathValue("id"))
	if err == nil && !v.Call.Published && !manages(r, v.Cohort.RegionCode, v.Programme.CarrierID) {
		err = storage.ErrNotFound
	}
	var questions []model.Question
	if err == nil {
		questions, err = h.Store.Questions(r.Context(), v.Call.ID)
	}
	var stats map[string]storage.CallStats
	if err == nil {
		stats, err = h.figures(r, []storage.CallView{v})
	}
	if err != nil {
		h.fail(w, r, err)
		return
	}
	c, co, p := v.Call, v.Cohort, v.Programme
	out := callDetailJSON{callJSON: callOut(v, h.Store.Clock.Now(), statsOf(stats, c.ID)), Intro: c.Intro,
		ConsentProcessing: c.ConsentProcessing, ConsentRetention: c.ConsentRetention, StartsOn: optional(co.StartsOn),
		EndsOn: optional(co.EndsOn), Places: co.Places, Accessibility: p.Accessibility, ContactName: p.ContactName,
		ContactEmail: p.ContactEmail, ContactPhone: p.ContactPhone, Questions: []questionJSON{}}
	for _, q := range questions {
		out.Questions = append(out.Questions, questionJSON{ID: q.ID, Position: q.Position, Kind: string(q.Kind), Label: q.Label,
			Help: q.Help, Required: q.Required, MinLength: optionalInt(q.MinLength), MaxLength: optionalInt(q.MaxLength),
			Choices: append([]string{}, q.Choices...)})
	}
	httpx.WriteJSON(w, http.StatusOK, out)
}
