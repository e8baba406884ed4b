package ui

import (
	"net/http"

	"parcours/internal/i18n"
	"parcours/internal/model"
	"parcours/internal/storage"
	"parcours/internal/territory"
	"parcours/internal/validator"
)

// deploymentRow is a région's line on the deployment page, as stored or as typed.
type deploymentRow struct {
	Code, Name    string
	Status, Since string
	Options       []option
}

func (h *Handler) deploymentForm(w http.ResponseWriter, r *http.Request, status int, p model.Programme, rows []deploymentRow, errs validator.Errors) {
	pg := h.page(w, r, "programme_deployment", i18n.T("deployment.page_title", p.Code), map[string]any{"Programme": p, "Rows": rows})
	pg.Nav, pg.Errors = "programmes", errs
	h.render(w, r, status, pg)
}

// deploymentRows lists every région with its stored status; a région that has one cannot go
// back to none (« not started » says it), so only the others offer « — ».
func deploymentRows(stored map[string]model.Deployment) []deploymentRow {
	var rows []deploymentRow
	for _, rg := range territory.Regions() {
		d, has := stored[rg.Code]
		row := deploymentRow{Code: rg.Code, Name: rg.Name, Status: string(d.Status), Since: d.Since,
			Options: options("deployment.status", model.DeploymentStatuses, "deployment.status_none")}
		if has {
			row.Options = options("deployment.status", model.DeploymentStatuses, "")
		}
		rows = append(rows, row)
	}
	return rows
}

func (h *Handler) storedDeployments(r *http.Request, programmeID string) (map[string]model.Deployment, error) {
	list, err := h.Store.Deployments(r.Context(), programmeID)
	out := map[string]model.Deployment{}
	for _, d := range list {
		out[d.RegionCode] = d
	}
	return out, err
}

// ProgrammeDeploymentEdit shows every région's status with the programme.
func (h *Handler) ProgrammeDeploymentEdit(w http.ResponseWriter, r *http.Request) {
	p, ok := h.loadProgramme(w, r)
	if !ok {
		return
	}
	stored, err := h.storedDeployments(r, p.ID)
	if err != nil {
		h.serverError(w, r, err)
		return
	}
	h.deploymentForm(w, r, http.StatusOK, p, deploymentRows(stored), nil)
}

// ProgrammeDeploymentSave records the régions whose status or date changed.
func (h *Handler) ProgrammeDeploymentSave(w http.ResponseWriter, r *http.Request) {
	p, ok := h.loadProgramme(w, r)
	if !ok {
		return
	}
	stored, err := h.storedDeployments(r, p.ID)
	if err != nil {
		h.serverError(w, r, err)
		return
	}
	rows := deploymentRows(stored)
	var errs validator.Errors
	var changed []model.Deployment
	for i := range rows {
		row := &rows[i]
		prefix := "deployment-" + row.Code + "-"
		row.Status, row.Since = formValue(r, prefix+"status"), formValue(r, prefix+"since")
		old, has := stored[row.Code]
		if row.Status == "" {
			switch {
			case has:
				errs.Add(prefix+"status", "required", i18n.T("deployment.validation.keep_status"))
			case row.Since != "":
				errs.Add(prefix+"since", "inconsistent", i18n.T("deployment.validation.since_without_status"))
			}
			continue
		}
		d := model.Deployment{ProgrammeID: p.ID, RegionCode: row.Code, Status: model.DeploymentStatus(row.Status), Since: row.Since}
		merge(&errs, validator.Deployment(&d, prefix))
		if !has || old.Status != d.Status || old.Since != d.Since {
			changed = append(changed, d)
		}
	}
	if errs.Any() {
		h.deploymentForm(w, r, http.StatusUnprocessableEntity, p, rows, errs)
		return
	}
	ctx := r.Context()
	err = h.Store.InTx(ctx, func(tx *storage.Store) error {
		changes := map[string]any{}
		for _, d := range changed {
			if err := tx.SetDeployment(ctx, d); err != nil {
				return err
			}
			changes[d.RegionCode] = map[string]any{"status": d.Status, "since": d.Since}
		}
		if len(changed) == 0 {
			return nil
		}
		return audit(ctx, tx, r, "programme.deployment", "programme", p.ID, map[string]any{"changes": changes})
	})
	if err != nil {
		h.fail(w, r, err)
		return
	}
	redirect(w, r, "/programmes/"+p.ID, "flash.programme_deployment_saved")
}
