package storage

import (
	"context"

	"parcours/internal/id"
	"parcours/internal/model"
)

// CreateMembership records a person's role in a structure. The same role twice is ErrAlreadyExists.
func (s *Store) CreateMembership(ctx context.Context, m *model.Membership) error {
	m.ID, m.CreatedAt = id.New(), s.now()
	if m.Status == "" {
		m.Status = model.MembershipConfirmed
	}
	_, err := s.exec(ctx, `INSERT INTO memberships (id, person_id, structure_id, role, status, created_at)
		VALUES ($1, $2, $3, $4, $5, $6)`, m.ID, m.PersonID, m.StructureID, m.Role, m.Status, m.CreatedAt)
	return err
}

// Membership returns one membership by id.
func (s *Store) Membership(ctx context.Context, id string) (model.Membership, error) {
	var m model.Membership
	err := s.r.QueryRowContext(ctx, `SELECT id, person_id, structure_id, role, status, created_at
		FROM memberships WHERE id = $1`, id).Scan(&m.ID, &m.PersonID, &m.StructureID, &m.Role, &m.Status, &m.CreatedAt)
	m.CreatedAt = m.CreatedAt.UTC()
	return m, mapErr(err)
}

// EnsureMembership records a person's role in a structure unless it is recorded already (in
// whatever status), and returns the membership's id. Safe inside a transaction on both
// databases: no unique violation aborts it.
func (s *Store) EnsureMembership(ctx context.Context, m *model.Membership) (string, error) {
	if m.Status == "" {
		m.Status = model.MembershipConfirmed
	}
	if _, err := s.exec(ctx, `INSERT INTO memberships (id, person_id, structure_id, role, status, created_at)
		VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (person_id, structure_id, role) DO NOTHING`,
		id.New(), m.PersonID, m.StructureID, m.Role, m.Status, s.now()); err != nil {
		return "", err
	}
	existing, err := s.MembershipOf(ctx, m.PersonID, m.StructureID, m.Role)
	return existing.ID, err
}

// MembershipOf finds a person's role in a structure.
func (s *Store) MembershipOf(ctx context.Context, personID, structureID string, role model.MemberRole) (model.Membership, error) {
	var m model.Membership
	err := s.w.QueryRowContext(ctx, `SELECT id, person_id, structure_id, role, status, created_at FROM memberships
		WHERE person_id = $1 AND structure_id = $2 AND role = $3`, personID, structureID, role).
		Scan(&m.ID, &m.PersonID, &m.StructureID, &m.Role, &m.Status, &m.CreatedAt)
	m.CreatedAt = m.CreatedAt.UTC()
	return m, mapErr(err)
}

// ConfirmMembership confirms a role a candidate declared.
func (s *Store) ConfirmMembership(ctx context.Context, membershipID string) error {
	return s.execOne(ctx, `UPDATE memberships SET status = $2 WHERE id = $1`, membershipID, model.MembershipConfirmed)
}

// DeleteMembership ends a membership.
func (s *Store) DeleteMembership(ctx context.Context, id string) error {
	return s.execOne(ctx, `DELETE FROM memberships WHERE id = $1`, id)
}

// Members lists a structure's members by name.
func (s *Store) Members(ctx context.Context, structureID string) ([]model.Member, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT m.id, m.person_id, m.structure_id, m.role, m.status, m.created_at, `+
		personColumns+` FROM memberships m JOIN people p ON p.id = m.person_id
		WHERE m.structure_id = $1 ORDER BY p.name_key, p.id, m.role`, structureID)
	if err != nil {
		return nil, mapErr(err)
	}
	defer rows.Close()
	var out []model.Member
	for rows.Next() {
		var mb model.Member
		p, err := scanPerson(prefixScanner{rows, []any{&mb.ID, &mb.PersonID, &mb.StructureID, &mb.Role, &mb.Status, &mb.CreatedAt}})
		if err != nil {
			return nil, err
		}
		mb.Person = p
		mb.CreatedAt = mb.CreatedAt.UTC()
		out = append(out, mb)
	}
	return out, rows.Err()
}

// Affiliations lists a person's memberships with their structures.
func (s *Store) Affiliations(ctx context.Context, personID string) ([]model.Affiliation, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT m.id, m.person_id, m.structure_id, m.role, m.status, m.created_at, `+
		structureColumns+` FROM memberships m JOIN structures st ON st.id = m.structure_id
		WHERE m.person_id = $1 ORDER BY st.name_key, st.id, m.role`, personID)
	if err != nil {
		return nil, mapErr(err)
	}
	defer rows.Close()
	var out []model.Affiliation
	for rows.Next() {
		var a model.Affiliation
		st, err := scanStructure(prefixScanner{rows, []any{&a.ID, &a.PersonID, &a.StructureID, &a.Role, &a.Status, &a.CreatedAt}})
		if err != nil {
			return nil, err
		}
		a.Structure = st
		a.CreatedAt = a.CreatedAt.UTC()
		out = append(out, a)
	}
	return out, rows.Err()
}
