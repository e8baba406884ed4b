package csvimport

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"strings"

	"parcours/internal/i18n"
	"parcours/internal/id"
	"parcours/internal/model"
	"parcours/internal/storage"
	"parcours/internal/territory"
)

// ErrRefused: the file has errors (Report.Errors says which) and nothing was saved.
var ErrRefused = errors.New("import refused: the file has errors, nothing was saved")

// errRollback ends the transaction of a dry run or of a refused file.
var errRollback = errors.New("roll back")

// Options are an import's settings.
type Options struct {
	DryRun bool // check everything against the database, then save nothing
	// Progress, when set, is called about every 200 rows and at the end with the rows done out
	// of all rows. Checking the rows against the database is the first half of the work and
	// saving them the second, except in a dry run, which only checks. It runs inside the
	// import's transaction: on SQLite it must not write to the database (the one writer
	// connection is that transaction's).
	Progress      func(done, total int)
	AccountID, IP string // who imports, for the audit log
}

// Report says what an import did, or would do in a dry run.
type Report struct {
	Created, Updated, Unchanged int
	Errors                      []RowError // set with ErrRefused
	ImportID                    string     // the audit log's subject id, when saved
}

type action int

const (
	create action = iota
	update
	unchanged
)

// step is what the import does with one row.
type step struct {
	line   int
	action action
	st     model.Structure
}

// Apply saves the rows of res in one transaction: each row updates the structure its FINESS,
// else SIRET, else ref designates, or creates one. A file with errors, or whose rows conflict
// with the database, returns ErrRefused and saves nothing.
func Apply(ctx context.Context, store *storage.Store, res *Result, opt Options) (Report, error) {
	if res == nil {
		return Report{}, errors.New("csvimport: no parsed file to apply")
	}
	if !res.OK() {
		return Report{Errors: res.Errors}, ErrRefused
	}
	prog := &progress{fn: opt.Progress, total: len(res.Rows), halves: 2}
	if opt.DryRun {
		prog.halves = 1
	}
	var rep Report
	err := store.InTx(ctx, func(tx *storage.Store) error {
		steps, rowErrs, err := plan(ctx, tx, res, prog)
		if err != nil {
			return err
		}
		if len(rowErrs) > 0 {
			rep.Errors = rowErrs
			return errRollback
		}
		for _, s := range steps {
			switch s.action {
			case create:
				rep.Created++
			case update:
				rep.Updated++
			case unchanged:
				rep.Unchanged++
			}
		}
		if opt.DryRun {
			return errRollback
		}
		for _, s := range steps {
			if err := save(ctx, tx, s); err != nil {
				if !errors.Is(err, storage.ErrAlreadyExists) {
					return fmt.Errorf("line %d: %w", s.line, err)
				}
				rep.Errors = []RowError{duplicateError(res, s, err)}
				return errRollback // the transaction is unusable on PostgreSQL after a failed statement
			}
			prog.step()
		}
		rep.ImportID = id.New()
		return tx.Audit(ctx, storage.AuditEntry{
			AccountID: opt.AccountID, IP: opt.IP,
			Action: "import.structures", SubjectType: "import", SubjectID: rep.ImportID,
			Details: map[string]any{"created": rep.Created, "updated": rep.Updated, "unchanged": rep.Unchanged,
				"rows": len(res.Rows), "encoding": res.Encoding},
		})
	})
	switch {
	case errors.Is(err, errRollback) && len(rep.Errors) > 0:
		return Report{Errors: rep.Errors}, ErrRefused
	case errors.Is(err, errRollback): // dry run
	case err != nil:
		return Report{}, err
	}
	prog.finish()
	return rep, nil
}

// identifier is one of a row's keys, in the order they designate a structure.
type identifier struct {
	col, value string
	this, the  string // catalogue keys of "ce FINESS", "le FINESS"
}

func identifiers(st model.Structure) []identifier {
	return []identifier{
		{colFINESS, st.FINESS, "import.key.finess.this", "import.key.finess.the"},
		{colSIRET, st.SIRET, "import.key.siret.this", "import.key.siret.the"},
		{colRef, st.Ref, "import.key.ref.this", "import.key.ref.the"},
	}
}

// plan decides, before anything is written, what each row does, and finds the rows that
// conflict with the database.
func plan(ctx context.Context, tx *storage.Store, res *Result, prog *progress) ([]step, []RowError, error) {
	var steps []step
	var errs []RowError
	claimed := map[string]int{} // structure id → line of the row that updates it
	for _, row := range res.Rows {
		prog.step()
		ids := identifiers(row.Structure)
		owners := make([]*model.Structure, len(ids))
		target, by := (*model.Structure)(nil), -1
		for i, k := range ids {
			if k.value == "" {
				continue
			}
			found, err := byIdentifier(ctx, tx, k.col, k.value)
			if errors.Is(err, storage.ErrNotFound) {
				continue
			}
			if err != nil {
				return nil, nil, err
			}
			owners[i] = &found
			if target == nil {
				target, by = &found, i
			}
		}
		if target == nil {
			steps = append(steps, step{line: row.Line, action: create, st: row.Structure})
			continue
		}

		fail := func(k identifier, reason string) {
			errs = append(errs, RowError{Line: row.Line, Column: res.header(k.col), Value: k.value, Reason: reason})
		}
		before := len(errs)
		for i, k := range ids {
			switch {
			case owners[i] != nil && owners[i].ID != target.ID:
				fail(k, i18n.T("import.apply.owned_by_another", i18n.T(k.this), owners[i].Name, i18n.T(ids[by].the), target.Name))
			case k.value != "" && i < by && stored(*target, k.col) != "":
				// Only a stronger key may replace an identifier; a weaker one may only add it.
				fail(k, i18n.T("import.apply.already_has", i18n.T(ids[by].the), target.Name, i18n.T(k.the), stored(*target, k.col)))
			}
		}
		if first, ok := claimed[target.ID]; ok {
			fail(ids[by], i18n.T("import.apply.same_structure", target.Name, first))
		}
		claimed[target.ID] = row.Line
		if len(errs) > before {
			continue
		}

		merged := merge(*target, row.Structure, res)
		if sameFields(merged, *target) {
			steps = append(steps, step{line: row.Line, action: unchanged, st: merged})
		} else {
			steps = append(steps, step{line: row.Line, action: update, st: merged})
		}
	}
	return steps, errs, nil
}

func byIdentifier(ctx context.Context, tx *storage.Store, col, value string) (model.Structure, error) {
	switch col {
	case colFINESS:
		return tx.StructureByKey(ctx, value, "", "")
	case colSIRET:
		return tx.StructureByKey(ctx, "", value, "")
	default:
		return tx.StructureByKey(ctx, "", "", value)
	}
}

func stored(st model.Structure, col string) string {
	switch col {
	case colFINESS:
		return st.FINESS
	case colSIRET:
		return st.SIRET
	default:
		return st.Ref
	}
}

// merge applies a row to the structure it designates. A column the file does not have keeps
// the stored value, and an empty identifier never erases one: a partial file cannot wipe data.
func merge(old, row model.Structure, res *Result) model.Structure {
	m := old
	m.Kind, m.Name = row.Kind, row.Name
	m.DepartementCode, m.RegionCode = row.DepartementCode, row.RegionCode
	m.FINESS, m.SIRET, m.Ref = cmp.Or(row.FINESS, m.FINESS), cmp.Or(row.SIRET, m.SIRET), cmp.Or(row.Ref, m.Ref)
	if res.has(colPostcode) {
		m.Postcode = row.Postcode
	} else if dep, _ := territory.DepartementOfPostcode(m.Postcode); dep != m.DepartementCode {
		m.Postcode = "" // the structure moved to another département
	}
	if res.has(colCommune) {
		m.Commune = row.Commune
	}
	if res.has(colEmail) {
		m.Email = row.Email
	}
	switch {
	case m.Kind != model.KindCPTS:
		m.SizeBand, m.Stage = "", ""
	case res.has(colTaille) || res.has(colPopulation):
		m.SizeBand, m.Stage = row.SizeBand, row.Stage
	default:
		m.Stage = row.Stage
	}
	return m
}

// sameFields compares what an import may change, ignoring id and times.
func sameFields(a, b model.Structure) bool {
	a.ID, a.CreatedAt, a.UpdatedAt = b.ID, b.CreatedAt, b.UpdatedAt
	return a == b
}

func save(ctx context.Context, tx *storage.Store, s step) error {
	switch s.action {
	case create:
		return tx.CreateStructure(ctx, &s.st)
	case update:
		return tx.UpdateStructure(ctx, &s.st)
	}
	return nil
}

// duplicateError explains a unique key taken while saving, which planning did not foresee
// (another import or an edit saved it meanwhile).
func duplicateError(res *Result, s step, err error) RowError {
	e := RowError{Line: s.line, Reason: i18n.T("import.apply.taken_meanwhile")}
	var dup *storage.DuplicateError
	if errors.As(err, &dup) {
		switch col := strings.TrimPrefix(dup.Key, "structures."); col {
		case colFINESS, colSIRET, colRef:
			e.Column, e.Value = res.header(col), stored(s.st, col)
		}
	}
	return e
}

// progress calls Options.Progress about every 200 rows. Each row counts one step per half of
// the work, so a bar moves steadily through checking and saving.
type progress struct {
	fn           func(done, total int)
	total        int
	halves       int // 2 when rows are checked then saved, 1 in a dry run
	steps, shown int
}

const progressEvery = 200

func (p *progress) step() {
	if p.fn == nil {
		return
	}
	p.steps++
	if done := p.steps / p.halves; done-p.shown >= progressEvery {
		p.fn(done, p.total)
		p.shown = done
	}
}

func (p *progress) finish() {
	if p.fn != nil {
		p.fn(p.total, p.total)
	}
}
