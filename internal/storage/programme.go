package storage

import (
	"context"
	"strings"

	"parcours/internal/id"
	"parcours/internal/model"
)

// joinList and splitList store small closed lists (structure kinds) as comma-separated text.
func joinList[T ~string](vals []T) string {
	parts := make([]string, len(vals))
	for i, v := range vals {
		parts[i] = string(v)
	}
	return strings.Join(parts, ",")
}

func splitList[T ~string](s string) []T {
	if s == "" {
		return nil
	}
	var out []T
	for _, p := range strings.Split(s, ",") {
		out = append(out, T(p))
	}
	return out
}

const programmeColumns = `pr.id, pr.code, pr.title, pr.description, pr.carrier_id, pr.audience_governance,
	pr.audience_coordinator, pr.target_kinds, pr.duration_months, pr.days, pr.certification, pr.rncp_level, pr.rncp_code,
	pr.accessibility, pr.contact_name, pr.contact_email, pr.contact_phone, pr.attendance_threshold, pr.created_at, pr.updated_at`

func programmeFields(p *model.Programme) fields {
	var kinds string
	return fields{[]any{&p.ID, &p.Code, &p.Title, &p.Description, &p.CarrierID, &p.AudienceGovernance, &p.AudienceCoordinator,
		&kinds, &p.DurationMonths, &p.Days, &p.Certification, &p.RNCPLevel, &p.RNCPCode, &p.Accessibility,
		&p.ContactName, &p.ContactEmail, &p.ContactPhone, &p.AttendanceThreshold, &p.CreatedAt, &p.UpdatedAt},
		func() {
			p.TargetKinds = splitList[model.StructureKind](kinds)
			p.CreatedAt, p.UpdatedAt = p.CreatedAt.UTC(), p.UpdatedAt.UTC()
		}}
}

func scanProgramme(row scanner) (model.Programme, error) {
	var p model.Programme
	return p, scanFields(row, programmeFields(&p))
}

// CreateProgramme stores a programme and its partners.
func (s *Store) CreateProgramme(ctx context.Context, p *model.Programme) error {
	now := s.now()
	p.ID, p.CreatedAt, p.UpdatedAt = id.New(), now, now
	return s.InTx(ctx, func(tx *Store) error {
		if _, err := tx.exec(ctx, `INSERT INTO programmes (id, code, title, description, carrier_id, audience_governance,
			audience_coordinator, target_kinds, duration_months, days, certification, rncp_level, rncp_code, accessibility,
			contact_name, contact_email, contact_phone, attendance_threshold, created_at, updated_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20)`,
			p.ID, p.Code, p.Title, p.Description, p.CarrierID, p.AudienceGovernance, p.AudienceCoordinator,
			joinList(p.TargetKinds), p.DurationMonths, p.Days, p.Certification, p.RNCPLevel, p.RNCPCode, p.Accessibility,
			p.ContactName, p.ContactEmail, p.ContactPhone, p.Threshold(), now, now); err != nil {
			return err
		}
		return tx.setPartners(ctx, p)
	})
}

// UpdateProgramme saves a programme's fields and partners.
func (s *Store) UpdateProgramme(ctx context.Context, p *model.Programme) error {
	p.UpdatedAt = s.now()
	return s.InTx(ctx, func(tx *Store) error {
		if err := tx.execOne(ctx, `UPDATE programmes SET code = $2, title = $3, description = $4, carrier_id = $5,
			audience_governance = $6, audience_coordinator = $7, target_kinds = $8, duration_months = $9, days = $10,
			certification = $11, rncp_level = $12, rncp_code = $13, accessibility = $14, contact_name = $15,
			contact_email = $16, contact_phone = $17, updated_at = $18, attendance_threshold = $19 WHERE id = $1`,
			p.ID, p.Code, p.Title, p.Description, p.CarrierID, p.AudienceGovernance, p.AudienceCoordinator,
			joinList(p.TargetKinds), p.DurationMonths, p.Days, p.Certification, p.RNCPLevel, p.RNCPCode, p.Accessibility,
			p.ContactName, p.ContactEmail, p.ContactPhone, p.UpdatedAt, p.Threshold()); err != nil {
			return err
		}
		return tx.setPartners(ctx, p)
	})
}

func (s *Store) setPartners(ctx context.Context, p *model.Programme) error {
	if _, err := s.exec(ctx, `DELETE FROM programme_partners WHERE programme_id = $1`, p.ID); err != nil {
		return err
	}
	for _, sid := range p.PartnerIDs {
		if _, err := s.exec(ctx, `INSERT INTO programme_partners (programme_id, structure_id) VALUES ($1, $2)
			ON CONFLICT (programme_id, structure_id) DO NOTHING`, p.ID, sid); err != nil {
			return err
		}
	}
	return nil
}

// Programme returns a programme with its partners.
func (s *Store) Programme(ctx context.Context, programmeID string) (model.Programme, error) {
	p, err := scanProgramme(s.r.QueryRowContext(ctx, `SELECT `+programmeColumns+` FROM programmes pr WHERE pr.id = $1`, programmeID))
	if err != nil {
		return p, err
	}
	rows, err := s.r.QueryContext(ctx, `SELECT structure_id FROM programme_partners WHERE programme_id = $1 ORDER BY structure_id`, p.ID)
	if err != nil {
		return p, mapErr(err)
	}
	defer rows.Close()
	for rows.Next() {
		var sid string
		if err := rows.Scan(&sid); err != nil {
			return p, err
		}
		p.PartnerIDs = append(p.PartnerIDs, sid)
	}
	return p, rows.Err()
}

// Programmes lists programmes by title; carriers, when not nil, keeps those of these
// training organisations.
func (s *Store) Programmes(ctx context.Context, carriers []string) ([]model.Programme, error) {
	var args []any
	arg := func(v any) string { args = append(args, v); return "$" + itoa(len(args)) }
	where := ""
	if carriers != nil {
		where = ` WHERE pr.carrier_id IN (` + placeholders(arg, carriers) + `)`
	}
	rows, err := s.r.QueryContext(ctx, `SELECT `+programmeColumns+` FROM programmes pr`+where+` ORDER BY pr.title, pr.id`, args...)
	if err != nil {
		return nil, mapErr(err)
	}
	defer rows.Close()
	var out []model.Programme
	for rows.Next() {
		p, err := scanProgramme(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, rows.Err()
}

// SaveModules replaces a programme's modules, in the given order.
func (s *Store) SaveModules(ctx context.Context, programmeID string, modules []model.Module) error {
	return s.InTx(ctx, func(tx *Store) error {
		if _, err := tx.exec(ctx, `DELETE FROM programme_modules WHERE programme_id = $1`, programmeID); err != nil {
			return err
		}
		for i := range modules {
			m := &modules[i]
			m.ProgrammeID, m.Position = programmeID, i+1
			if m.ID == "" {
				m.ID = id.New()
			}
			if _, err := tx.exec(ctx, `INSERT INTO programme_modules (id, programme_id, position, title, themes, hours)
				VALUES ($1, $2, $3, $4, $5, $6)`, m.ID, programmeID, m.Position, m.Title, m.Themes, m.Hours); err != nil {
				return err
			}
		}
		return nil
	})
}

// Modules lists a programme's modules in order.
func (s *Store) Modules(ctx context.Context, programmeID string) ([]model.Module, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT id, programme_id, position, title, themes, hours FROM programme_modules
		WHERE programme_id = $1 ORDER BY position`, programmeID)
	if err != nil {
		return nil, mapErr(err)
	}
	defer rows.Close()
	var out []model.Module
	for rows.Next() {
		var m model.Module
		if err := rows.Scan(&m.ID, &m.ProgrammeID, &m.Position, &m.Title, &m.Themes, &m.Hours); err != nil {
			return nil, err
		}
		out = append(out, m)
	}
	return out, rows.Err()
}

// SaveBlocks replaces a programme's competence blocks, in the given order.
func (s *Store) SaveBlocks(ctx context.Context, programmeID string, blocks []model.Block) error {
	return s.InTx(ctx, func(tx *Store) error {
		if _, err := tx.exec(ctx, `DELETE FROM programme_blocks WHERE programme_id = $1`, programmeID); err != nil {
			return err
		}
		for i := range blocks {
			b := &blocks[i]
			b.ProgrammeID, b.Position = programmeID, i+1
			if b.ID == "" {
				b.ID = id.New()
			}
			if _, err := tx.exec(ctx, `INSERT INTO programme_blocks (id, programme_id, position, code, title)
				VALUES ($1, $2, $3, $4, $5)`, b.ID, programmeID, b.Position, b.Code, b.Title); err != nil {
				return err
			}
		}
		return nil
	})
}

// Blocks lists a programme's competence blocks in order.
func (s *Store) Blocks(ctx context.Context, programmeID string) ([]model.Block, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT id, programme_id, position, code, title FROM programme_blocks
		WHERE programme_id = $1 ORDER BY position`, programmeID)
	if err != nil {
		return nil, mapErr(err)
	}
	defer rows.Close()
	var out []model.Block
	for rows.Next() {
		var b model.Block
		if err := rows.Scan(&b.ID, &b.ProgrammeID, &b.Position, &b.Code, &b.Title); err != nil {
			return nil, err
		}
		out = append(out, b)
	}
	return out, rows.Err()
}

// SetDeployment records a région's status with a programme.
func (s *Store) SetDeployment(ctx context.Context, d model.Deployment) error {
	_, err := s.exec(ctx, `INSERT INTO programme_deployments (programme_id, region_code, status, since) VALUES ($1, $2, $3, $4)
		ON CONFLICT (programme_id, region_code) DO UPDATE SET status = excluded.status, since = excluded.since`,
		d.ProgrammeID, d.RegionCode, d.Status, d.Since)
	return err
}

// Deployments lists the régions' statuses of a programme ("" for every programme).
func (s *Store) Deployments(ctx context.Context, programmeID string) ([]model.Deployment, error) {
	q := `SELECT programme_id, region_code, status, since FROM programme_deployments`
	var args []any
	if programmeID != "" {
		q += ` WHERE programme_id = $1`
		args = append(args, programmeID)
	}
	rows, err := s.r.QueryContext(ctx, q+` ORDER BY programme_id, region_code`, args...)
	if err != nil {
		return nil, mapErr(err)
	}
	defer rows.Close()
	var out []model.Deployment
	for rows.Next() {
		var d model.Deployment
		if err := rows.Scan(&d.ProgrammeID, &d.RegionCode, &d.Status, &d.Since); err != nil {
			return nil, err
		}
		out = append(out, d)
	}
	return out, rows.Err()
}
