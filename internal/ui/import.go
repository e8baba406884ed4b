package ui

import (
	"encoding/json"
	"errors"
	"io"
	"net/http"

	"parcours/internal/csvimport"
	"parcours/internal/httpx"
	"parcours/internal/i18n"
	"parcours/internal/jobs"
	"parcours/internal/storage"
	"parcours/internal/validator"
)

// ImportForm shows the upload form with the expected columns.
func (h *Handler) ImportForm(w http.ResponseWriter, r *http.Request) {
	h.importForm(w, r, http.StatusOK, nil)
}

func (h *Handler) importForm(w http.ResponseWriter, r *http.Request, status int, errs validator.Errors) {
	pg := h.page(w, r, "import_form", i18n.T("upload.form.title"), map[string]any{
		"Columns": csvimport.ColumnNames, "MaxRows": csvimport.MaxRows, "MaxMB": h.maxUpload() >> 20})
	pg.Nav, pg.Errors = "structures", errs
	h.render(w, r, status, pg)
}

// ImportUpload stores the uploaded file in the database and queues a job to check or import
// it; the next page follows the job's progress. Any instance may run the job.
func (h *Handler) ImportUpload(w http.ResponseWriter, r *http.Request) {
	var errs validator.Errors
	file, header, err := r.FormFile("file")
	if err != nil {
		errs.Add("file", "required", i18n.T("upload.form.no_file"))
		h.importForm(w, r, http.StatusUnprocessableEntity, errs)
		return
	}
	defer file.Close()
	data, err := io.ReadAll(io.LimitReader(file, csvimport.MaxBytes+1))
	if err != nil {
		h.serverError(w, r, err)
		return
	}
	switch {
	case len(data) == 0:
		errs.Add("file", "required", i18n.T("upload.form.empty"))
	case int64(len(data)) > h.maxUpload():
		errs.Add("file", "too_long", i18n.T("upload.form.too_big", h.maxUpload()>>20))
	}
	if errs.Any() {
		h.importForm(w, r, http.StatusUnprocessableEntity, errs)
		return
	}
	p := httpx.Principal(r)
	payload := jobs.ImportPayload{FileName: header.Filename, DryRun: r.PostFormValue("dry_run") == "1",
		AccountID: p.AccountID, IP: httpx.ClientIP(r)}
	var job storage.Job
	err = h.Store.InTx(r.Context(), func(tx *storage.Store) error {
		f := &storage.File{Name: header.Filename, ContentType: "text/csv", Data: data, AccountID: p.AccountID}
		if err := tx.CreateFile(r.Context(), f); err != nil {
			return err
		}
		payload.FileID = f.ID
		return createImportJob(r, tx, &job, payload)
	})
	if err != nil {
		h.serverError(w, r, err)
		return
	}
	http.Redirect(w, r, "/imports/"+job.ID, http.StatusSeeOther)
}

// maxUpload is the largest file the import takes: its own limit, or the server's request
// limit when that is smaller.
func (h *Handler) maxUpload() int64 { return min(int64(csvimport.MaxBytes), h.Config.MaxRequestSize) }

func createImportJob(r *http.Request, tx *storage.Store, job *storage.Job, payload jobs.ImportPayload) error {
	b, err := json.Marshal(payload)
	if err != nil {
		return err
	}
	*job = storage.Job{Kind: jobs.KindImportStructures, Payload: string(b), AccountID: payload.AccountID}
	return tx.CreateJob(r.Context(), job)
}

// loadImport loads the import job of the URL; someone else's import is not found.
func (h *Handler) loadImport(w http.ResponseWriter, r *http.Request) (storage.Job, jobs.ImportPayload, bool) {
	var payload jobs.ImportPayload
	job, err := h.Store.Job(r.Context(), r.PathValue("job"))
	if err == nil && (job.Kind != jobs.KindImportStructures || job.AccountID != httpx.Principal(r).AccountID) {
		err = storage.ErrNotFound
	}
	if err == nil {
		err = json.Unmarshal([]byte(job.Payload), &payload)
	}
	if err != nil {
		h.fail(w, r, err)
		return job, payload, false
	}
	return job, payload, true
}

// ImportShow follows an import: progress while it runs (an « Actualiser » button, or the page's
// script, updates it), then what it found or did, every bad row with its line and column.
func (h *Handler) ImportShow(w http.ResponseWriter, r *http.Request) {
	job, payload, ok := h.loadImport(w, r)
	if !ok {
		return
	}
	var result jobs.ImportResult
	if job.Result != "" {
		if err := json.Unmarshal([]byte(job.Result), &result); err != nil {
			h.serverError(w, r, err)
			return
		}
	}
	percent := 0
	if job.ProgressTotal > 0 {
		percent = job.ProgressDone * 100 / job.ProgressTotal
	}
	data := map[string]any{"Job": job, "Payload": payload, "Result": result, "Percent": percent,
		"Running": job.Status == "queued" || job.Status == "running"}
	pg := h.page(w, r, "import_show", i18n.T("upload.show.title", payload.FileName), data)
	pg.Nav = "structures"
	h.render(w, r, http.StatusOK, pg)
}

// ImportApply imports for real a file whose check found no error.
func (h *Handler) ImportApply(w http.ResponseWriter, r *http.Request) {
	job, payload, ok := h.loadImport(w, r)
	if !ok {
		return
	}
	if !payload.DryRun || job.Status != "done" {
		h.ErrorPage(w, r, http.StatusConflict)
		return
	}
	payload.DryRun, payload.IP = false, httpx.ClientIP(r)
	var next storage.Job
	if err := createImportJob(r, h.Store, &next, payload); err != nil {
		if errors.Is(err, storage.ErrNotFound) {
			h.ErrorPage(w, r, http.StatusNotFound)
			return
		}
		h.serverError(w, r, err)
		return
	}
	http.Redirect(w, r, "/imports/"+next.ID, http.StatusSeeOther)
}
