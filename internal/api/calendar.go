package api

import (
	"net/http"
	"slices"
	"strings"

	"parcours/internal/httpx"
	"parcours/internal/model"
	"parcours/internal/policy"
	"parcours/internal/schedule"
	"parcours/internal/storage"
)

// Cohort calendars, with the same policy as the pages: a cohort's days for its managers, its
// trainers and its learners; the caller's own days across cohorts. Anyone else gets 404.

type halfDayJSON struct {
	ID              string  `json:"id"`
	Part            string  `json:"part"`
	StartsAt        string  `json:"starts_at"`
	EndsAt          string  `json:"ends_at"`
	LocalStart      string  `json:"local_start"`
	LocalEnd        string  `json:"local_end"`
	CountersignedAt *string `json:"countersigned_at"`
}

type dayModuleJSON struct {
	ID    string `json:"id"`
	Title string `json:"title"`
}

type dayTrainerJSON struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

type dayJSON struct {
	ID        string           `json:"id"`
	Date      string           `json:"date"`
	Cancelled bool             `json:"cancelled"`
	Sequence  int              `json:"sequence"`
	Module    *dayModuleJSON   `json:"module"`
	Place     string           `json:"place"`
	VideoURL  *string          `json:"video_url"`
	Notes     string           `json:"notes"`
	Trainers  []dayTrainerJSON `json:"trainers"`
	HalfDays  []halfDayJSON    `json:"half_days"`
}

// cohortDaysJSON is a page of a cohort's days, with the zone their local times are in.
type cohortDaysJSON struct {
	CohortID    string `json:"cohort_id"`
	CohortLabel string `json:"cohort_label"`
	TimeZone    string `json:"time_zone"`
	list[dayJSON]
}

// myDayJSON is a day of the caller's, with its cohort and the caller's part in it.
type myDayJSON struct {
	dayJSON
	CohortID    string `json:"cohort_id"`
	CohortLabel string `json:"cohort_label"`
	TimeZone    string `json:"time_zone"`
	Role        string `json:"role"`
}

// The caller's part in a day of /me/days.
const (
	roleLearner = "learner"
	roleTrainer = "trainer"
)

func halfDayOut(c *schedule.Cohort, h model.HalfDay) halfDayJSON {
	return halfDayJSON{ID: h.ID, Part: string(h.Part), StartsAt: instant(h.StartsAt), EndsAt: instant(h.EndsAt),
		LocalStart: h.StartsAt.In(c.Loc).Format("15:04"), LocalEnd: h.EndsAt.In(c.Loc).Format("15:04"),
		CountersignedAt: optionalInstant(h.CountersignedAt)}
}

func dayOut(c *schedule.Cohort, d model.CohortDay) dayJSON {
	out := dayJSON{ID: d.ID, Date: d.Date, Cancelled: d.Cancelled, Sequence: d.Sequence, Place: d.Place,
		VideoURL: optional(d.VideoURL), Notes: d.Notes, Trainers: []dayTrainerJSON{}, HalfDays: []halfDayJSON{}}
	if d.ModuleID != "" {
		out.Module = &dayModuleJSON{ID: d.ModuleID, Title: c.ModuleTitle(d.ModuleID)}
	}
	for _, id := range d.Trainers {
		if name := c.TrainerName(id); name != "" { // "": no longer a trainer of the cohort
			out.Trainers = append(out.Trainers, dayTrainerJSON{ID: id, Name: name})
		}
	}
	for _, h := range d.HalfDays {
		out.HalfDays = append(out.HalfDays, halfDayOut(c, h))
	}
	return out
}

// covers reports whether the caller may perform action on the cohort.
func covers(r *http.Request, action policy.Action, c *schedule.Cohort) bool {
	return policy.ScopeOf(httpx.Principal(r), action).CoversCohort(c.Cohort.ID, c.Cohort.RegionCode, c.Programme.CarrierID)
}

// cohortFor reads the calendar of a cohort the caller may see (allowed); any other is 404.
func (h *Handler) cohortFor(w http.ResponseWriter, r *http.Request, allowed func(*schedule.Cohort) bool) (*schedule.Cohort, bool) {
	c, err := schedule.Load(r.Context(), h.Store, r.PathValue("id"))
	if err == nil && !allowed(c) {
		err = storage.ErrNotFound
	}
	if err != nil {
		h.fail(w, r, err)
		return nil, false
	}
	return c, true
}

// CohortDays lists a cohort's days in date order, cancelled ones included (so that calendars
// drop them): for its managers, its trainers and its learners.
func (h *Handler) CohortDays(w http.ResponseWriter, r *http.Request) {
	c, ok := h.cohortFor(w, r, func(c *schedule.Cohort) bool {
		_, learner := c.LearnerOf(httpx.Principal(r).AccountID)
		return learner || covers(r, policy.ManageCalendar, c) || covers(r, policy.TakeAttendance, c)
	})
	if !ok {
		return
	}
	limit, offset, ok := paging(w, r)
	if !ok {
		return
	}
	out := cohortDaysJSON{CohortID: c.Cohort.ID, CohortLabel: c.Cohort.Label, TimeZone: c.Loc.String(),
		list: list[dayJSON]{Items: []dayJSON{}, Total: len(c.Days), Limit: limit, Offset: offset}}
	for _, d := range pageOf(c.Days, limit, offset) {
		out.Items = append(out.Items, dayOut(c, d))
	}
	httpx.WriteJSON(w, http.StatusOK, out)
}

// MyDays lists the caller's days in date order: those of the cohorts they are still a
// learner of, and those they teach in the cohorts they are still a trainer of.
func (h *Handler) MyDays(w http.ResponseWriter, r *http.Request) {
	limit, offset, ok := paging(w, r)
	if !ok {
		return
	}
	ctx, me := r.Context(), httpx.Principal(r).AccountID
	learning, err := h.Store.DaysOfAccount(ctx, me)
	var teaching []model.CohortDay
	if err == nil {
		teaching, err = h.Store.DaysOfTrainer(ctx, me)
	}
	cohorts := map[string]*schedule.Cohort{}
	items := []myDayJSON{}
	add := func(d model.CohortDay, role string) error {
		c, ok := cohorts[d.CohortID]
		if !ok {
			var err error
			if c, err = schedule.Load(ctx, h.Store, d.CohortID); err != nil {
				return err
			}
			cohorts[d.CohortID] = c
		}
		if role == roleTrainer && !c.IsTrainer(me) {
			return nil // no longer a trainer of the cohort
		}
		items = append(items, myDayJSON{dayJSON: dayOut(c, d), CohortID: c.Cohort.ID, CohortLabel: c.Cohort.Label,
			TimeZone: c.Loc.String(), Role: role})
		return nil
	}
	for _, d := range learning {
		if err == nil {
			err = add(d, roleLearner)
		}
	}
	for _, d := range teaching {
		if err == nil {
			err = add(d, roleTrainer)
		}
	}
	if err != nil {
		h.fail(w, r, err)
		return
	}
	slices.SortStableFunc(items, func(a, b myDayJSON) int { return strings.Compare(a.Date, b.Date) })
	httpx.WriteJSON(w, http.StatusOK, list[myDayJSON]{Items: append([]myDayJSON{}, pageOf(items, limit, offset)...),
		Total: len(items), Limit: limit, Offset: offset})
}
