package storage

import (
	"context"

	"parcours/internal/id"
	"parcours/internal/model"
)

const cohortColumns = `co.id, co.programme_id, co.region_code, co.label, co.capacity, co.org_cap, co.org_max, co.starts_on,
	co.ends_on, co.places, co.created_at, co.updated_at`

func cohortFields(c *model.Cohort) fields {
	return fields{[]any{&c.ID, &c.ProgrammeID, &c.RegionCode, &c.Label, &c.Capacity, &c.OrgCap, &c.OrgMax, &c.StartsOn,
		&c.EndsOn, &c.Places, &c.CreatedAt, &c.UpdatedAt},
		func() { c.CreatedAt, c.UpdatedAt = c.CreatedAt.UTC(), c.UpdatedAt.UTC() }}
}

func scanCohort(row scanner) (model.Cohort, error) {
	var c model.Cohort
	return c, scanFields(row, cohortFields(&c))
}

// CreateCohort stores a cohort.
func (s *Store) CreateCohort(ctx context.Context, c *model.Cohort) error {
	now := s.now()
	c.ID, c.CreatedAt, c.UpdatedAt = id.New(), now, now
	_, err := s.exec(ctx, `INSERT INTO cohorts (id, programme_id, region_code, label, capacity, org_cap, org_max, starts_on,
		ends_on, places, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
		c.ID, c.ProgrammeID, c.RegionCode, c.Label, c.Capacity, c.OrgCap, c.OrgMax, c.StartsOn, c.EndsOn, c.Places, now, now)
	return err
}

// UpdateCohort saves a cohort's fields (not its programme).
func (s *Store) UpdateCohort(ctx context.Context, c *model.Cohort) error {
	c.UpdatedAt = s.now()
	return s.execOne(ctx, `UPDATE cohorts SET region_code = $2, label = $3, capacity = $4, org_cap = $5, org_max = $6,
		starts_on = $7, ends_on = $8, places = $9, updated_at = $10 WHERE id = $1`,
		c.ID, c.RegionCode, c.Label, c.Capacity, c.OrgCap, c.OrgMax, c.StartsOn, c.EndsOn, c.Places, c.UpdatedAt)
}

// Cohort returns one cohort.
func (s *Store) Cohort(ctx context.Context, cohortID string) (model.Cohort, error) {
	return scanCohort(s.r.QueryRowContext(ctx, `SELECT `+cohortColumns+` FROM cohorts co WHERE co.id = $1`, cohortID))
}

// Cohorts lists a programme's cohorts, latest start first.
func (s *Store) Cohorts(ctx context.Context, programmeID string) ([]model.Cohort, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT `+cohortColumns+` FROM cohorts co WHERE co.programme_id = $1
		ORDER BY co.starts_on DESC, co.id`, programmeID)
	if err != nil {
		return nil, mapErr(err)
	}
	defer rows.Close()
	var out []model.Cohort
	for rows.Next() {
		c, err := scanCohort(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}
