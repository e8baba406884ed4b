package ui

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"parcours/internal/i18n"
	"parcours/internal/model"
	"parcours/internal/selection"
	"parcours/internal/storage"
	"parcours/internal/validator"
)

// The scoring grid's editor: one group of fields per criterion and two empty ones to add
// criteria without JavaScript; a criterion whose label is emptied is dropped.

const (
	committeeGridLevels  = 6  // scores 0 to 5, each with an optional description
	committeeGridBlanks  = 2  // empty rows offered for new criteria
	committeeGridMaxRows = 60 // more rows than anyone types: the rest of a forged form is ignored
)

// committeeGridPage is the grid as shown, or as typed.
type committeeGridPage struct {
	View   storage.CallView
	Locked bool
	Grid   []model.Criterion
	Rows   []committeeGridRow
}

// committeeGridRow is one criterion's fields; the names are those selection.SaveGrid keys its
// errors by ("criterion-<i>-<name>"), i being the criterion's place in the saved grid.
type committeeGridRow struct {
	Index             int
	New               bool
	ID, Label, Weight string
	IDName, LabelName string
	WeightName        string
	Levels            []committeeGridLevel
	Described         bool // some level has a description: the levels show open
}

type committeeGridLevel struct{ Name, Label, Value string }

func committeeGridField(i int, name string) string { return fmt.Sprintf("criterion-%d-%s", i, name) }

// committeeGridRowOf builds the fields of the row at index i.
func committeeGridRowOf(i int, id, label, weight string, levels []string) committeeGridRow {
	row := committeeGridRow{Index: i, New: id == "", ID: id, Label: label, Weight: weight,
		IDName: committeeGridField(i, "id"), LabelName: committeeGridField(i, "label"), WeightName: committeeGridField(i, "weight")}
	for k := range committeeGridLevels {
		value := ""
		if k < len(levels) {
			value = levels[k]
		}
		row.Described = row.Described || value != ""
		row.Levels = append(row.Levels, committeeGridLevel{Name: committeeGridField(i, "level-"+strconv.Itoa(k)),
			Label: i18n.T("committee_manage.grid.level", k), Value: value})
	}
	return row
}

// CommitteeGridEdit shows the grid's editor, or the grid alone once it is in use.
func (h *Handler) CommitteeGridEdit(w http.ResponseWriter, r *http.Request) {
	b, ok := h.loadManagedCommittee(w, r)
	if !ok {
		return
	}
	var rows []committeeGridRow
	for i, c := range b.Grid {
		rows = append(rows, committeeGridRowOf(i, c.ID, c.Label, strconv.Itoa(c.Weight), c.Levels))
	}
	h.renderCommitteeGrid(w, r, http.StatusOK, b, rows, nil)
}

// CommitteeGridSave replaces the grid with the criteria typed.
func (h *Handler) CommitteeGridSave(w http.ResponseWriter, r *http.Request) {
	b, ok := h.loadManagedCommittee(w, r)
	if !ok {
		return
	}
	if err := r.ParseForm(); err != nil {
		h.ErrorPage(w, r, http.StatusBadRequest)
		return
	}
	known := map[string]bool{}
	for _, c := range b.Grid {
		known[c.ID] = true
	}
	var grid []model.Criterion
	var rows []committeeGridRow
	for i := 0; i < committeeGridMaxRows; i++ {
		if _, ok := r.PostForm[committeeGridField(i, "label")]; !ok {
			break
		}
		label := committeeGridText(r.PostFormValue(committeeGridField(i, "label")))
		if label == "" {
			continue
		}
		id := formValue(r, committeeGridField(i, "id"))
		if !known[id] {
			id = "" // only this grid's criteria keep their id, once, and with it the draft scores given to them
		}
		delete(known, id)
		weightText := formValue(r, committeeGridField(i, "weight"))
		weight, err := strconv.Atoi(weightText)
		if err != nil {
			weight = 0 // out of range: selection says which range
		}
		var levels []string
		described := false
		for k := range committeeGridLevels {
			level := committeeGridText(r.PostFormValue(committeeGridField(i, "level-"+strconv.Itoa(k))))
			levels = append(levels, level)
			described = described || level != ""
		}
		if !described {
			levels = nil
		}
		rows = append(rows, committeeGridRowOf(len(grid), id, label, weightText, levels))
		grid = append(grid, model.Criterion{ID: id, Label: label, Weight: weight, Levels: levels})
	}
	errs, err := selection.SaveGrid(r.Context(), h.Store, actor(r), b, grid)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	if errs.Any() {
		h.renderCommitteeGrid(w, r, http.StatusUnprocessableEntity, b, rows, errs)
		return
	}
	redirect(w, r, committeeManagePath(b), "flash.committee_manage_grid_saved")
}

// renderCommitteeGrid shows rows and two empty ones to add criteria.
func (h *Handler) renderCommitteeGrid(w http.ResponseWriter, r *http.Request, status int, b *selection.Board,
	rows []committeeGridRow, errs validator.Errors) {
	for range committeeGridBlanks {
		rows = append(rows, committeeGridRowOf(len(rows), "", "", "", nil))
	}
	d := committeeGridPage{View: b.View, Locked: committeeGridLocked(b), Grid: b.Grid, Rows: rows}
	pg := h.page(w, r, "committee_grid", i18n.T("committee_manage.grid.title", b.View.Cohort.Label), d)
	pg.Nav, pg.Errors = "programmes", errs
	h.render(w, r, status, pg)
}

// oneLine keeps a grid text on one line: levels are stored one per line.
func committeeGridText(s string) string { return strings.Join(strings.Fields(s), " ") }
