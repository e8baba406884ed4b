package storage

import (
	"context"
	"database/sql"
	"strings"

	"parcours/internal/id"
	"parcours/internal/model"
)

const personColumns = `p.id, p.civility, p.first_name, p.last_name, p.email, p.phone, p.profession, p.rpps, p.created_at, p.updated_at`

func scanPerson(row interface{ Scan(...any) error }) (model.Person, error) {
	var p model.Person
	var email, rpps sql.NullString
	err := row.Scan(&p.ID, &p.Civility, &p.FirstName, &p.LastName, &email, &p.Phone, &p.Profession, &rpps,
		&p.CreatedAt, &p.UpdatedAt)
	p.Email, p.RPPS = email.String, rpps.String
	p.CreatedAt, p.UpdatedAt = p.CreatedAt.UTC(), p.UpdatedAt.UTC()
	return p, mapErr(err)
}

func personNameKey(p *model.Person) string { return model.Fold(p.LastName + " " + p.FirstName) }

// CreatePerson stores a new person and fills its id and times.
func (s *Store) CreatePerson(ctx context.Context, p *model.Person) error {
	now := s.now()
	p.ID, p.CreatedAt, p.UpdatedAt = id.New(), now, now
	p.Email = strings.ToLower(p.Email)
	_, err := s.exec(ctx, `INSERT INTO people (id, civility, first_name, last_name, name_key, email, phone,
		profession, rpps, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
		p.ID, p.Civility, p.FirstName, p.LastName, personNameKey(p), nullString(p.Email), p.Phone, p.Profession,
		nullString(p.RPPS), now, now)
	return err
}

// PersonByEmail finds the person with that e-mail.
func (s *Store) PersonByEmail(ctx context.Context, email string) (model.Person, error) {
	return scanPerson(s.r.QueryRowContext(ctx, `SELECT `+personColumns+` FROM people p WHERE p.email = $1`,
		strings.ToLower(strings.TrimSpace(email))))
}

// UpdatePerson saves every field of p but its id and creation time.
func (s *Store) UpdatePerson(ctx context.Context, p *model.Person) error {
	p.UpdatedAt = s.now()
	p.Email = strings.ToLower(p.Email)
	return s.execOne(ctx, `UPDATE people SET civility = $2, first_name = $3, last_name = $4, name_key = $5,
		email = $6, phone = $7, profession = $8, rpps = $9, updated_at = $10 WHERE id = $1`,
		p.ID, p.Civility, p.FirstName, p.LastName, personNameKey(p), nullString(p.Email), p.Phone, p.Profession,
		nullString(p.RPPS), p.UpdatedAt)
}

// Person returns one person by id.
func (s *Store) Person(ctx context.Context, id string) (model.Person, error) {
	return scanPerson(s.r.QueryRowContext(ctx, `SELECT `+personColumns+` FROM people p WHERE p.id = $1`, id))
}

// PersonFilter narrows a people list. Regions, when not nil, keeps the people with a
// membership in a structure of those régions (the reader's scope).
type PersonFilter struct {
	Regions       []string
	Query         string // name or e-mail
	Limit, Offset int
}

// People lists the people matching f by name, with the total count before paging.
func (s *Store) People(ctx context.Context, f PersonFilter) ([]model.Person, int, error) {
	var conds []string
	var args []any
	arg := func(v any) string { args = append(args, v); return "$" + itoa(len(args)) }
	if f.Regions != nil {
		conds = append(conds, `p.id IN (SELECT m.person_id FROM memberships m JOIN structures st ON st.id = m.structure_id
			WHERE st.region_code IN (`+placeholders(arg, f.Regions)+`))`)
	}
	if q := strings.TrimSpace(f.Query); q != "" {
		like := arg("%" + escapeLike(model.Fold(q)) + "%")
		conds = append(conds, "(p.name_key LIKE "+like+" ESCAPE '\\' OR p.email LIKE "+like+" ESCAPE '\\')")
	}
	where := ""
	if len(conds) > 0 {
		where = " WHERE " + strings.Join(conds, " AND ")
	}
	var total int
	if err := s.r.QueryRowContext(ctx, `SELECT count(*) FROM people p`+where, args...).Scan(&total); err != nil {
		return nil, 0, mapErr(err)
	}
	rows, err := s.r.QueryContext(ctx, `SELECT `+personColumns+` FROM people p`+where+
		` ORDER BY p.name_key, p.id`+limitOffset(f.Limit, f.Offset), args...)
	if err != nil {
		return nil, 0, mapErr(err)
	}
	defer rows.Close()
	var list []model.Person
	for rows.Next() {
		p, err := scanPerson(rows)
		if err != nil {
			return nil, 0, err
		}
		list = append(list, p)
	}
	return list, total, mapErr(rows.Err())
}

// placeholders binds each value and returns "$1, $2, …"; an empty list gives NULL, which
// matches nothing in an IN list.
func placeholders[T any](arg func(any) string, vals []T) string {
	if len(vals) == 0 {
		return "NULL"
	}
	ph := make([]string, len(vals))
	for i, v := range vals {
		ph[i] = arg(v)
	}
	return strings.Join(ph, ", ")
}
