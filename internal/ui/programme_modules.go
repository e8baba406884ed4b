package ui

import (
	"fmt"
	"net/http"
	"strconv"

	"parcours/internal/i18n"
	"parcours/internal/model"
	"parcours/internal/storage"
	"parcours/internal/validator"
)

// Rows of the modules page, as typed: a row left empty is ignored.
type moduleRow struct{ Title, Themes, Hours string }
type blockRow struct{ Code, Title string }

const (
	emptyRows = 3   // blank rows offered after the existing ones
	maxRows   = 100 // rows read from a form, at most
)

func (h *Handler) modulesForm(w http.ResponseWriter, r *http.Request, status int, p model.Programme, modules []moduleRow, blocks []blockRow, errs validator.Errors) {
	data := map[string]any{"Programme": p, "Modules": modules, "Blocks": blocks, "RNCP": p.Certification == model.CertificationRNCP}
	pg := h.page(w, r, "programme_modules", i18n.T("programme.modules.page_title", p.Code), data)
	pg.Nav, pg.Errors = "programmes", errs
	h.render(w, r, status, pg)
}

// ProgrammeModulesEdit shows the modules (and, for an RNCP certification, the competence
// blocks) as rows to edit, with a few empty rows to add more.
func (h *Handler) ProgrammeModulesEdit(w http.ResponseWriter, r *http.Request) {
	p, ok := h.loadProgramme(w, r)
	if !ok {
		return
	}
	modules, err := h.Store.Modules(r.Context(), p.ID)
	var blocks []model.Block
	if err == nil {
		blocks, err = h.Store.Blocks(r.Context(), p.ID)
	}
	if err != nil {
		h.serverError(w, r, err)
		return
	}
	var mrows []moduleRow
	for _, m := range modules {
		mrows = append(mrows, moduleRow{m.Title, m.Themes, strconv.Itoa(m.Hours)})
	}
	var brows []blockRow
	for _, b := range blocks {
		brows = append(brows, blockRow{b.Code, b.Title})
	}
	for range emptyRows {
		mrows = append(mrows, moduleRow{})
		brows = append(brows, blockRow{})
	}
	h.modulesForm(w, r, http.StatusOK, p, mrows, brows, nil)
}

// rowCount reads how many rows a form sent, within bounds.
func rowCount(r *http.Request, name string) int {
	n, _ := strconv.Atoi(formValue(r, name))
	return min(max(n, 0), maxRows)
}

// ProgrammeModulesSave replaces the modules and blocks with the non-empty rows, checked row
// by row, in one transaction with its audit entry.
func (h *Handler) ProgrammeModulesSave(w http.ResponseWriter, r *http.Request) {
	p, ok := h.loadProgramme(w, r)
	if !ok {
		return
	}
	var errs validator.Errors
	var mrows []moduleRow
	var modules []model.Module
	for i := range rowCount(r, "module_rows") {
		prefix := fmt.Sprintf("module-%d-", i)
		row := moduleRow{formValue(r, prefix+"title"), formValue(r, prefix+"themes"), formValue(r, prefix+"hours")}
		mrows = append(mrows, row)
		if row == (moduleRow{}) {
			continue
		}
		m := model.Module{Title: row.Title, Themes: row.Themes}
		raw := map[string]string{}
		m.Hours = intField(r, prefix+"hours", raw, &errs)
		merge(&errs, validator.Module(&m, prefix))
		modules = append(modules, m)
	}
	var brows []blockRow
	var blocks []model.Block
	rncp := p.Certification == model.CertificationRNCP
	for i := range rowCount(r, "block_rows") {
		prefix := fmt.Sprintf("block-%d-", i)
		row := blockRow{formValue(r, prefix+"code"), formValue(r, prefix+"title")}
		brows = append(brows, row)
		if !rncp || row == (blockRow{}) {
			continue
		}
		b := model.Block{Code: row.Code, Title: row.Title}
		merge(&errs, validator.Block(&b, prefix))
		blocks = append(blocks, b)
	}
	if errs.Any() {
		h.modulesForm(w, r, http.StatusUnprocessableEntity, p, mrows, brows, errs)
		return
	}
	ctx := r.Context()
	err := h.Store.InTx(ctx, func(tx *storage.Store) error {
		if err := tx.SaveModules(ctx, p.ID, modules); err != nil {
			return err
		}
		if rncp {
			if err := tx.SaveBlocks(ctx, p.ID, blocks); err != nil {
				return err
			}
		}
		return audit(ctx, tx, r, "programme.modules", "programme", p.ID, map[string]any{"modules": len(modules), "blocks": len(blocks)})
	})
	if err != nil {
		h.fail(w, r, err)
		return
	}
	redirect(w, r, "/programmes/"+p.ID, "flash.programme_modules_saved")
}
