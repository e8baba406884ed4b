package ui

import (
	"net/http"
	"strconv"

	"parcours/internal/i18n"
	"parcours/internal/model"
	"parcours/internal/policy"
	"parcours/internal/selection"
	"parcours/internal/storage"
	"parcours/internal/validator"
)

// The programme manager's page of a call's committee: members, settings, grid, conflicts
// and the assignment of reviews. The forms post to the handlers of committee_manage_forms.go;
// every rule is in internal/selection, this page only shows its state.

// committeeManagePage is what the manager reads and types on the committee page.
type committeeManagePage struct {
	View       storage.CallView
	CallStatus string
	CallOpen   bool // more applications may still come
	Committee  model.Committee
	ClosedBy   string
	Members    []committeeManageMember // on the committee now
	Former     []committeeManageMember // who left; their submitted reviews stay
	Chaired    bool                    // a member chairs: someone can close the review
	Grid       []model.Criterion
	GridLocked bool
	Conflicts  []committeeManageConflict
	Rows       []committeeManageApplication
	Reviewers  int // members who review
	Assigned   bool
	MinLoad    int
	MaxLoad    int
	Short      int // applications with fewer reviewers than the committee wants

	Roles, MemberChoices, ReviewerChoices, ApplicationChoices []option

	// What the forms hold: the committee's values, or what was typed before an error.
	Add struct {
		Email, Name, Role string
		Chair             bool
	}
	Settings struct{ Reviewers, Gap string }
	Conflict struct{ Member, Application, Reason string }
	Assign   struct{ Member, Application, Action string }
}

// committeeManageMember is a member with their reviews counted.
type committeeManageMember struct {
	model.CommitteeMember
	Assigned, Submitted, Pending int
	CanChair                     bool
}

// committeeManageConflict is a member kept from an application, and why.
type committeeManageConflict struct {
	Member, Candidate, Structure string
	Automatic                    bool   // the member belongs to the applicant's structure
	Reason                       string // the declared reason
}

// committeeManageApplication is an application with its reviewers.
type committeeManageApplication struct {
	ID, Name, Structure, Departement string
	Declared                         bool
	Reviewers                        []committeeManageReviewer
	Conflicted                       []committeeManageConflict
	Submitted, Missing               int
	Blocked                          bool // conflicts leave too few members to fill the missing places
}

// committeeManageReviewer is one review of an application as the manager follows it.
type committeeManageReviewer struct {
	Name, Status   string
	Manual, Former bool
	Conflicted     bool // a conflict found after the assignment: the next distribution takes it back
}

// CommitteeManage shows the committee of a call to its programme manager.
func (h *Handler) CommitteeManage(w http.ResponseWriter, r *http.Request) {
	b, ok := h.loadManagedCommittee(w, r)
	if ok {
		h.renderCommitteeManage(w, r, http.StatusOK, b, nil, nil)
	}
}

// loadManagedCommittee loads the committee of the call in the URL (made on first use) if
// the caller composes that call's cohort; any other call answers 404.
func (h *Handler) loadManagedCommittee(w http.ResponseWriter, r *http.Request) (*selection.Board, bool) {
	v, err := h.Store.CallView(r.Context(), r.PathValue("id"))
	if err == nil && !reviewCovers(r, policy.ComposeCohort, v) {
		err = storage.ErrNotFound
	}
	var b *selection.Board
	if err == nil {
		b, err = selection.Load(r.Context(), h.Store, v)
	}
	if err != nil {
		h.fail(w, r, err)
		return nil, false
	}
	return b, true
}

func committeeManagePath(b *selection.Board) string { return "/appels/" + b.View.Call.ID + "/comite" }

// renderCommitteeManage shows the page; typed, when not nil, puts back what a form held.
func (h *Handler) renderCommitteeManage(w http.ResponseWriter, r *http.Request, status int, b *selection.Board,
	errs validator.Errors, typed func(*committeeManagePage)) {
	d := h.committeeManageData(r, b)
	if typed != nil {
		typed(d)
	}
	pg := h.page(w, r, "committee_manage", i18n.T("committee_manage.title", b.View.Cohort.Label), d)
	pg.Nav, pg.Errors = "programmes", errs
	h.render(w, r, status, pg)
}

func (h *Handler) committeeManageData(r *http.Request, b *selection.Board) *committeeManagePage {
	v := b.View
	d := &committeeManagePage{View: v, CallStatus: h.reviewCallStatus(v.Call), CallOpen: v.Call.Open(h.Store.Clock.Now()),
		Committee: b.Committee, Grid: b.Grid, GridLocked: committeeGridLocked(b),
		Roles: options("committee.role", model.CommitteeRoles, "form.choose")}
	d.Settings.Reviewers, d.Settings.Gap = strconv.Itoa(b.Committee.ReviewersPerApplication), strconv.Itoa(b.Committee.DisagreementGap)
	d.Assign.Action = "add"
	if !b.Committee.ClosedAt.IsZero() {
		d.ClosedBy = reviewAccounts{h: h, r: r, known: map[string]string{}}.of(b.Committee.ClosedBy)
	}

	names := map[string]model.CommitteeMember{}
	d.MemberChoices = []option{{"", i18n.T("form.choose")}}
	d.ReviewerChoices = []option{{"", i18n.T("form.choose")}}
	first := true
	for _, p := range b.ProgressByMember() {
		m := p.Member
		names[m.ID] = m
		row := committeeManageMember{CommitteeMember: m, Assigned: p.Assigned, Submitted: p.Submitted, Pending: p.Pending,
			CanChair: m.Active() && m.Role.Reviews() && !m.Chair}
		if !m.Active() {
			d.Former = append(d.Former, row)
			continue
		}
		d.Members = append(d.Members, row)
		d.Chaired = d.Chaired || m.Chair
		d.MemberChoices = append(d.MemberChoices, option{m.ID, m.Name})
		if !m.Role.Reviews() {
			continue
		}
		d.Reviewers++
		d.ReviewerChoices = append(d.ReviewerChoices, option{m.ID, m.Name})
		if first || p.Assigned < d.MinLoad {
			d.MinLoad = p.Assigned
		}
		if first || p.Assigned > d.MaxLoad {
			d.MaxLoad = p.Assigned
		}
		first = false
	}

	d.ApplicationChoices = []option{{"", i18n.T("form.choose")}}
	wanted := b.Committee.ReviewersPerApplication
	for _, a := range b.Applications {
		row := committeeManageApplication{ID: a.Application.ID, Name: reviewName(a)}
		switch {
		case a.Application.StructureID != "":
			row.Structure, row.Departement = a.Structure.Name, a.Structure.DepartementCode
		case a.Application.Declared():
			row.Structure, row.Departement, row.Declared = a.Application.DeclaredName, a.Application.DeclaredDepartement, true
		}
		label := row.Name
		if row.Structure != "" {
			label += " — " + row.Structure
		}
		d.ApplicationChoices = append(d.ApplicationChoices, option{row.ID, label})

		// Who may still be given this application: active reviewers, not in conflict, not on it yet.
		free := map[string]bool{}
		for _, m := range b.Reviewers() {
			if _, c := b.Conflict(m.ID, row.ID); !c {
				free[m.ID] = true
			}
		}
		for _, m := range b.Members {
			if !m.Active() {
				continue
			}
			if reason, c := b.Conflict(m.ID, row.ID); c {
				x := committeeManageConflict{Member: m.Name, Candidate: row.Name, Structure: row.Structure, Automatic: reason == "", Reason: reason}
				row.Conflicted = append(row.Conflicted, x)
				d.Conflicts = append(d.Conflicts, x)
			}
		}
		counted := 0
		for _, rv := range b.ReviewsOf(row.ID) {
			m := names[rv.MemberID]
			_, conflicted := b.Conflict(rv.MemberID, row.ID)
			row.Reviewers = append(row.Reviewers, committeeManageReviewer{Name: m.Name, Status: committeeManageReviewStatus(rv.Status),
				Manual: rv.Manual, Former: !m.Active(), Conflicted: conflicted})
			d.Assigned = true
			if conflicted {
				continue
			}
			counted++
			delete(free, rv.MemberID)
			if rv.Status == model.ReviewSubmitted {
				row.Submitted++
			}
		}
		if counted < wanted {
			row.Missing = wanted - counted
			row.Blocked = len(free) < row.Missing
			d.Short++
		}
		d.Rows = append(d.Rows, row)
	}
	return d
}

// committeeManageReviewStatus names where a review stands.
func committeeManageReviewStatus(s model.ReviewStatus) string {
	switch s {
	case model.ReviewSubmitted:
		return i18n.T("committee_manage.review.submitted")
	case model.ReviewDraft:
		return i18n.T("committee_manage.review.draft")
	}
	return i18n.T("committee_manage.review.assigned")
}

// committeeGridLocked reports whether the grid is in use by a submitted review, which
// selection.SaveGrid then refuses to change: the pages show it read-only.
func committeeGridLocked(b *selection.Board) bool {
	for _, r := range b.Reviews {
		if r.Status == model.ReviewSubmitted {
			return true
		}
	}
	return false
}
