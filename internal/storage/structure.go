package storage

import (
	"context"
	"database/sql"
	"strings"

	"parcours/internal/id"
	"parcours/internal/model"
)

const structureColumns = `st.id, st.kind, st.name, st.finess, st.siret, st.ref, st.region_code,
	st.departement_code, st.commune, st.postcode, st.email, st.size_band, st.stage, st.created_at, st.updated_at`

func scanStructure(row interface{ Scan(...any) error }) (model.Structure, error) {
	var st model.Structure
	var finess, siret, ref sql.NullString
	err := row.Scan(&st.ID, &st.Kind, &st.Name, &finess, &siret, &ref, &st.RegionCode, &st.DepartementCode,
		&st.Commune, &st.Postcode, &st.Email, &st.SizeBand, &st.Stage, &st.CreatedAt, &st.UpdatedAt)
	st.FINESS, st.SIRET, st.Ref = finess.String, siret.String, ref.String
	st.CreatedAt, st.UpdatedAt = st.CreatedAt.UTC(), st.UpdatedAt.UTC()
	return st, mapErr(err)
}

// CreateStructure stores a new structure and fills its id and times.
func (s *Store) CreateStructure(ctx context.Context, st *model.Structure) error {
	now := s.now()
	st.ID, st.CreatedAt, st.UpdatedAt = id.New(), now, now
	_, err := s.exec(ctx, `INSERT INTO structures (id, kind, name, finess, siret, ref, region_code,
		departement_code, commune, postcode, email, size_band, stage, created_at, updated_at, name_key, search_key)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17)`,
		st.ID, st.Kind, st.Name, nullString(st.FINESS), nullString(st.SIRET), nullString(st.Ref), st.RegionCode,
		st.DepartementCode, st.Commune, st.Postcode, st.Email, st.SizeBand, st.Stage, now, now,
		model.Fold(st.Name), structureSearchKey(st))
	return err
}

// UpdateStructure saves every field of st but its id and creation time.
func (s *Store) UpdateStructure(ctx context.Context, st *model.Structure) error {
	st.UpdatedAt = s.now()
	return s.execOne(ctx, `UPDATE structures SET kind = $2, name = $3, name_key = $4, search_key = $5,
		finess = $6, siret = $7, ref = $8, region_code = $9, departement_code = $10, commune = $11, postcode = $12,
		email = $13, size_band = $14, stage = $15, updated_at = $16 WHERE id = $1`,
		st.ID, st.Kind, st.Name, model.Fold(st.Name), structureSearchKey(st), nullString(st.FINESS),
		nullString(st.SIRET), nullString(st.Ref), st.RegionCode, st.DepartementCode, st.Commune, st.Postcode,
		st.Email, st.SizeBand, st.Stage, st.UpdatedAt)
}

// Structure returns one structure by id.
func (s *Store) Structure(ctx context.Context, id string) (model.Structure, error) {
	return scanStructure(s.r.QueryRowContext(ctx, `SELECT `+structureColumns+` FROM structures st WHERE st.id = $1`, id))
}

// StructureByKey finds a structure by FINESS, else SIRET, else import reference — the keys an
// import upserts on. The first non-empty key decides.
func (s *Store) StructureByKey(ctx context.Context, finess, siret, ref string) (model.Structure, error) {
	var col, val string
	switch {
	case finess != "":
		col, val = "finess", finess
	case siret != "":
		col, val = "siret", siret
	case ref != "":
		col, val = "ref", ref
	default:
		return model.Structure{}, ErrNotFound
	}
	return scanStructure(s.r.QueryRowContext(ctx, `SELECT `+structureColumns+` FROM structures st WHERE st.`+col+` = $1`, val))
}

// DeleteStructure removes a structure and its memberships.
func (s *Store) DeleteStructure(ctx context.Context, id string) error {
	return s.execOne(ctx, `DELETE FROM structures WHERE id = $1`, id)
}

// StructureFilter narrows a structure list. Empty fields do not filter. Regions, when not
// nil, is the set of régions the reader may see (from the authorisation policy).
type StructureFilter struct {
	Regions         []string
	RegionCode      string
	DepartementCode string
	Kinds           []model.StructureKind
	Stage           model.Stage
	Query           string // matches name, commune, FINESS or SIRET
	Limit, Offset   int
}

func (f StructureFilter) where() (string, []any) {
	var conds []string
	var args []any
	arg := func(v any) string {
		args = append(args, v)
		return "$" + itoa(len(args))
	}
	if f.Regions != nil {
		if len(f.Regions) == 0 {
			conds = append(conds, "1 = 0")
		} else {
			var ph []string
			for _, r := range f.Regions {
				ph = append(ph, arg(r))
			}
			conds = append(conds, "st.region_code IN ("+strings.Join(ph, ", ")+")")
		}
	}
	if f.RegionCode != "" {
		conds = append(conds, "st.region_code = "+arg(f.RegionCode))
	}
	if f.DepartementCode != "" {
		conds = append(conds, "st.departement_code = "+arg(f.DepartementCode))
	}
	if len(f.Kinds) > 0 {
		var ph []string
		for _, k := range f.Kinds {
			ph = append(ph, arg(string(k)))
		}
		conds = append(conds, "st.kind IN ("+strings.Join(ph, ", ")+")")
	}
	if f.Stage != "" {
		conds = append(conds, "st.stage = "+arg(string(f.Stage)))
	}
	if q := strings.TrimSpace(f.Query); q != "" {
		like := arg("%" + escapeLike(model.Fold(q)) + "%")
		exact := arg(strings.ToUpper(strings.ReplaceAll(q, " ", "")))
		conds = append(conds, "(st.search_key LIKE "+like+" ESCAPE '\\' OR finess = "+exact+" OR st.siret = "+exact+")")
	}
	if len(conds) == 0 {
		return "", args
	}
	return " WHERE " + strings.Join(conds, " AND "), args
}

// Structures lists the structures matching f, by name, with the total count before paging.
func (s *Store) Structures(ctx context.Context, f StructureFilter) ([]model.Structure, int, error) {
	where, args := f.where()
	var total int
	if err := s.r.QueryRowContext(ctx, `SELECT count(*) FROM structures st`+where, args...).Scan(&total); err != nil {
		return nil, 0, mapErr(err)
	}
	q := `SELECT ` + structureColumns + ` FROM structures st` + where + ` ORDER BY st.name_key, st.id` + limitOffset(f.Limit, f.Offset)
	rows, err := s.r.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, 0, mapErr(err)
	}
	defer rows.Close()
	var list []model.Structure
	for rows.Next() {
		st, err := scanStructure(rows)
		if err != nil {
			return nil, 0, err
		}
		list = append(list, st)
	}
	return list, total, mapErr(rows.Err())
}

// StageCounts counts a région's CPTS by stage.
func (s *Store) StageCounts(ctx context.Context, regionCode string) (map[model.Stage]int, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT stage, count(*) FROM structures WHERE region_code = $1 AND kind = $2
		GROUP BY stage`, regionCode, model.KindCPTS)
	if err != nil {
		return nil, mapErr(err)
	}
	defer rows.Close()
	out := map[model.Stage]int{}
	for rows.Next() {
		var st model.Stage
		var n int
		if err := rows.Scan(&st, &n); err != nil {
			return nil, err
		}
		out[st] = n
	}
	return out, rows.Err()
}

// StructureCount is a number of structures of one kind in one département.
type StructureCount struct {
	RegionCode      string
	DepartementCode string
	Kind            model.StructureKind
	Count           int
}

// StructureCounts counts structures by région, département and kind, within regions when not nil.
func (s *Store) StructureCounts(ctx context.Context, regions []string) ([]StructureCount, error) {
	where, args := StructureFilter{Regions: regions}.where()
	rows, err := s.r.QueryContext(ctx, `SELECT st.region_code, st.departement_code, st.kind, count(*) FROM structures st`+where+
		` GROUP BY st.region_code, st.departement_code, st.kind ORDER BY st.region_code, st.departement_code, st.kind`, args...)
	if err != nil {
		return nil, mapErr(err)
	}
	defer rows.Close()
	var out []StructureCount
	for rows.Next() {
		var c StructureCount
		if err := rows.Scan(&c.RegionCode, &c.DepartementCode, &c.Kind, &c.Count); err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// structureSearchKey is what a search by name, commune or postcode looks into.
func structureSearchKey(st *model.Structure) string {
	return model.Fold(st.Name + " | " + st.Commune + " | " + st.Postcode)
}
