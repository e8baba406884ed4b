package ui

import (
	"errors"
	"net/http"
	"slices"
	"strconv"

	"parcours/internal/i18n"
	"parcours/internal/model"
	"parcours/internal/selection"
	"parcours/internal/storage"
	"parcours/internal/validator"
)

// The forms of the committee page. Each calls the selection package, which checks and
// records; a form with errors shows the page again with what was typed (422).

// CommitteeMemberAdd puts a person on the committee; an unknown e-mail gets an account
// and an invitation to choose a password.
func (h *Handler) CommitteeMemberAdd(w http.ResponseWriter, r *http.Request) {
	b, ok := h.loadManagedCommittee(w, r)
	if !ok {
		return
	}
	in := selection.NewMember{Email: formValue(r, "email"), Name: formValue(r, "display_name"),
		Role: model.CommitteeRole(formValue(r, "role")), Chair: formValue(r, "chair") != ""}
	errs, err := selection.AddMember(r.Context(), h.Store, actor(r), h.mailing(), b, in)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	if errs.Any() {
		h.renderCommitteeManage(w, r, http.StatusUnprocessableEntity, b, errs, func(d *committeeManagePage) {
			d.Add.Email, d.Add.Name, d.Add.Role, d.Add.Chair = in.Email, in.Name, string(in.Role), in.Chair
		})
		return
	}
	redirect(w, r, committeeManagePath(b), "flash.committee_manage_member_added")
}

// CommitteeChair names the member of the URL chair of the committee.
func (h *Handler) CommitteeChair(w http.ResponseWriter, r *http.Request) {
	b, ok := h.loadManagedCommittee(w, r)
	if !ok {
		return
	}
	if err := selection.SetChair(r.Context(), h.Store, actor(r), b, r.PathValue("member")); err != nil {
		h.fail(w, r, err)
		return
	}
	redirect(w, r, committeeManagePath(b), "flash.committee_manage_chair_set")
}

// CommitteeMemberRemove takes the member of the URL off the committee; their reviews not yet
// submitted go to the others, and the flash says when some applications are left short.
func (h *Handler) CommitteeMemberRemove(w http.ResponseWriter, r *http.Request) {
	b, ok := h.loadManagedCommittee(w, r)
	if !ok {
		return
	}
	report, err := selection.RemoveMember(r.Context(), h.Store, actor(r), b, r.PathValue("member"))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	if len(report.Short) > 0 {
		redirect(w, r, committeeManagePath(b), "flash.committee_manage_member_removed_short")
		return
	}
	redirect(w, r, committeeManagePath(b), "flash.committee_manage_member_removed")
}

// CommitteeConflict records a conflict of interest declared by the manager.
func (h *Handler) CommitteeConflict(w http.ResponseWriter, r *http.Request) {
	b, ok := h.loadManagedCommittee(w, r)
	if !ok {
		return
	}
	member, application, reason := formValue(r, "conflict_member"), formValue(r, "conflict_application"), r.PostFormValue("reason")
	var errs validator.Errors
	if !slices.ContainsFunc(b.Members, func(m model.CommitteeMember) bool { return m.ID == member && m.Active() }) {
		errs.Add("conflict_member", "required", i18n.T("committee_manage.conflict.choose_member"))
	}
	if !committeeManageHasApplication(b, application) {
		errs.Add("conflict_application", "required", i18n.T("committee_manage.conflict.choose_application"))
	} else if _, c := b.Conflict(member, application); c {
		errs.Add("conflict_application", "taken", i18n.T("committee_manage.conflict.exists"))
	}
	if !errs.Any() {
		var err error
		errs, err = selection.DeclareConflict(r.Context(), h.Store, actor(r), b, member, application, reason)
		if errors.Is(err, selection.ErrClosed) {
			redirect(w, r, committeeManagePath(b), "flash.committee_manage_closed_conflict")
			return
		}
		if err != nil {
			h.fail(w, r, err)
			return
		}
	}
	if errs.Any() {
		h.renderCommitteeManage(w, r, http.StatusUnprocessableEntity, b, errs, func(d *committeeManagePage) {
			d.Conflict.Member, d.Conflict.Application, d.Conflict.Reason = member, application, reason
		})
		return
	}
	redirect(w, r, committeeManagePath(b), "flash.committee_manage_conflict_declared")
}

// CommitteeSettings saves the number of reviewers per application and the disagreement gap.
func (h *Handler) CommitteeSettings(w http.ResponseWriter, r *http.Request) {
	b, ok := h.loadManagedCommittee(w, r)
	if !ok {
		return
	}
	reviewers, gap := formValue(r, "reviewers"), formValue(r, "gap")
	// Something that is not a number is out of range: selection says which range.
	n, _ := strconv.Atoi(reviewers)
	g, _ := strconv.Atoi(gap)
	errs, err := selection.SaveSettings(r.Context(), h.Store, actor(r), b, n, g)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	if errs.Any() {
		h.renderCommitteeManage(w, r, http.StatusUnprocessableEntity, b, errs, func(d *committeeManagePage) {
			d.Settings.Reviewers, d.Settings.Gap = reviewers, gap
		})
		return
	}
	redirect(w, r, committeeManagePath(b), "flash.committee_manage_settings_saved")
}

// CommitteeDistribute assigns the reviews, keeping the manual and started ones.
func (h *Handler) CommitteeDistribute(w http.ResponseWriter, r *http.Request) {
	b, ok := h.loadManagedCommittee(w, r)
	if !ok {
		return
	}
	report, err := selection.Distribute(r.Context(), h.Store, actor(r), b)
	if errors.Is(err, selection.ErrClosed) {
		redirect(w, r, committeeManagePath(b), "flash.committee_manage_closed")
		return
	}
	if err != nil {
		h.fail(w, r, err)
		return
	}
	if len(report.Short) > 0 {
		redirect(w, r, committeeManagePath(b), "flash.committee_manage_distributed_short")
		return
	}
	redirect(w, r, committeeManagePath(b), "flash.committee_manage_distributed")
}

// CommitteeAssign gives a reviewer an application by hand, or takes it back.
func (h *Handler) CommitteeAssign(w http.ResponseWriter, r *http.Request) {
	b, ok := h.loadManagedCommittee(w, r)
	if !ok {
		return
	}
	member, application, action := formValue(r, "assign_member"), formValue(r, "assign_application"), formValue(r, "assign_action")
	var errs validator.Errors
	if !slices.ContainsFunc(b.Reviewers(), func(m model.CommitteeMember) bool { return m.ID == member }) {
		errs.Add("assign_member", "required", i18n.T("committee_manage.assign.choose_member"))
	}
	if !committeeManageHasApplication(b, application) {
		errs.Add("assign_application", "required", i18n.T("committee_manage.assign.choose_application"))
	}
	if action != "add" && action != "remove" {
		errs.Add("assign_action", "required", i18n.T("committee_manage.assign.choose_action"))
	}
	if !errs.Any() {
		err := selection.AssignByHand(r.Context(), h.Store, actor(r), b, member, application, action == "add")
		switch {
		case errors.Is(err, selection.ErrConflicted):
			errs.Add("assign_member", "conflict", i18n.T("committee_manage.assign.conflicted"))
		case errors.Is(err, selection.ErrClosed):
			redirect(w, r, committeeManagePath(b), "flash.committee_manage_closed")
			return
		case errors.Is(err, storage.ErrNotFound) && action == "remove":
			errs.Add("assign_application", "not_assigned", i18n.T("committee_manage.assign.not_assigned"))
		case err != nil:
			h.fail(w, r, err)
			return
		}
	}
	if errs.Any() {
		h.renderCommitteeManage(w, r, http.StatusUnprocessableEntity, b, errs, func(d *committeeManagePage) {
			d.Assign.Member, d.Assign.Application, d.Assign.Action = member, application, action
		})
		return
	}
	if action == "remove" {
		redirect(w, r, committeeManagePath(b), "flash.committee_manage_unassigned")
		return
	}
	redirect(w, r, committeeManagePath(b), "flash.committee_manage_assigned")
}

// committeeManageHasApplication reports whether the committee reviews the application: a
// form naming any other one (another call's, a withdrawn one) is refused.
func committeeManageHasApplication(b *selection.Board, applicationID string) bool {
	return slices.ContainsFunc(b.Applications, func(a storage.ApplicationRow) bool { return a.Application.ID == applicationID })
}
