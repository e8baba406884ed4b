// Package directory is what people do to the directory of structures and people — create,
// change and delete structures and people, add and remove members — with the checks every
// entry point shares: the validator's rules, the caller's régions, one transaction with its
// audit entry. The pages and the API both go through it, so that each rule lives in one place.
package directory

import (
	"context"
	"errors"

	"parcours/internal/i18n"
	"parcours/internal/model"
	"parcours/internal/policy"
	"parcours/internal/storage"
	"parcours/internal/validator"
)

// Actor is who acts, from where, through what ("web", "api"): the audit log records all three.
type Actor struct {
	Principal *policy.Principal
	IP        string
	Via       string
}

// Audit writes the audit entry of what the actor did, through tx (the transaction that did
// it). An actor without a principal is the system (a job, a sweep).
func (a Actor) Audit(ctx context.Context, tx *storage.Store, action, subjectType, subjectID string, details map[string]any) error {
	if details == nil {
		details = map[string]any{}
	}
	details["via"] = a.Via
	accountID := ""
	if a.Principal != nil {
		accountID = a.Principal.AccountID
	}
	return tx.Audit(ctx, storage.AuditEntry{AccountID: accountID, Action: action, SubjectType: subjectType,
		SubjectID: subjectID, IP: a.IP, Details: details})
}

// SaveStructure validates st, checks that it lies in a région where the actor may write, and
// creates it (empty ID) or updates it, with its audit entry. Problems with what was typed come
// back as errs, and nothing is written; err is anything else. On errs, st keeps what was typed
// (normalised) and its ID as it came.
func SaveStructure(ctx context.Context, s *storage.Store, a Actor, st *model.Structure) (errs validator.Errors, warnings []string, err error) {
	errs, warnings = validator.Structure(st)
	if st.RegionCode != "" && !policy.InRegion(a.Principal, policy.WriteStructures, st.RegionCode) {
		errs.Add("departement", "forbidden", i18n.T("validation.outside_region"))
	}
	if errs.Any() {
		return errs, warnings, nil
	}
	isNew := st.ID == ""
	err = s.InTx(ctx, func(tx *storage.Store) error {
		action := "structure.update"
		if isNew {
			action = "structure.create"
			if err := tx.CreateStructure(ctx, st); err != nil {
				return err
			}
		} else if err := tx.UpdateStructure(ctx, st); err != nil {
			return err
		}
		return a.Audit(ctx, tx, action, "structure", st.ID, map[string]any{"name": st.Name})
	})
	if err != nil && isNew {
		st.ID = "" // rolled back: still a new structure
	}
	if validator.Duplicate(err, &errs) {
		return errs, warnings, nil
	}
	return errs, warnings, err
}

// DeleteStructure deletes a structure and its memberships, with its audit entry.
func DeleteStructure(ctx context.Context, s *storage.Store, a Actor, st model.Structure) error {
	return s.InTx(ctx, func(tx *storage.Store) error {
		if err := tx.DeleteStructure(ctx, st.ID); err != nil {
			return err
		}
		return a.Audit(ctx, tx, "structure.delete", "structure", st.ID, map[string]any{"name": st.Name})
	})
}

// InScope tells whether p may act on a person with these memberships: everywhere, or through
// one of the person's structures in p's régions.
func InScope(p *policy.Principal, action policy.Action, aff []model.Affiliation) bool {
	if policy.Regions(p, action) == nil {
		return true
	}
	for _, af := range aff {
		if policy.InRegion(p, action, af.Structure.RegionCode) {
			return true
		}
	}
	return false
}

// Person loads a person the principal may act on; one outside their régions is
// storage.ErrNotFound, as if it did not exist.
func Person(ctx context.Context, s *storage.Store, p *policy.Principal, action policy.Action, id string) (model.Person, []model.Affiliation, error) {
	person, err := s.Person(ctx, id)
	if err != nil {
		return person, nil, err
	}
	aff, err := s.Affiliations(ctx, id)
	if err != nil {
		return person, nil, err
	}
	if !InScope(p, action, aff) {
		return person, nil, storage.ErrNotFound
	}
	return person, aff, nil
}

// SavePerson validates p and creates it (empty ID) or updates it, with its audit entry. A new
// person may join a structure at once (first: StructureID and Role); an actor scoped to
// régions must give one of theirs, or would lose sight of the person.
func SavePerson(ctx context.Context, s *storage.Store, a Actor, p *model.Person, first *model.Membership) (validator.Errors, error) {
	errs := validator.Person(p)
	isNew := p.ID == ""
	if isNew && first == nil && policy.Regions(a.Principal, policy.WritePeople) != nil {
		first = &model.Membership{}
	}
	if isNew && first != nil {
		first.PersonID = "new"
		errs = append(errs, validator.Membership(first)...)
		if err := structureForMembers(ctx, s, a, first.StructureID, &errs); err != nil {
			return errs, err
		}
	}
	if errs.Any() {
		return errs, nil
	}
	err := s.InTx(ctx, func(tx *storage.Store) error {
		action := "person.update"
		if isNew {
			action = "person.create"
			if err := tx.CreatePerson(ctx, p); err != nil {
				return err
			}
			if first != nil {
				first.PersonID = p.ID
				if err := tx.CreateMembership(ctx, first); err != nil {
					return err
				}
			}
		} else if err := tx.UpdatePerson(ctx, p); err != nil {
			return err
		}
		return a.Audit(ctx, tx, action, "person", p.ID, nil)
	})
	if err != nil && isNew {
		p.ID = "" // rolled back: still a new person
	}
	if errors.Is(err, storage.ErrReferenced) { // the structure was deleted meanwhile
		errs.Add("structure_id", "invalid", i18n.T("validation.invalid"))
		return errs, nil
	}
	if validator.Duplicate(err, &errs) {
		return errs, nil
	}
	return errs, err
}

// structureForMembers checks the structure a membership names: "required" when none is
// given, "invalid" when it does not exist or lies outside the actor's régions (without
// telling which). The returned error is only a failing database.
func structureForMembers(ctx context.Context, s *storage.Store, a Actor, id string, errs *validator.Errors) error {
	if id == "" {
		errs.Add("structure_id", "required", i18n.T("validation.member_structure"))
		return nil
	}
	st, err := s.Structure(ctx, id)
	if errors.Is(err, storage.ErrNotFound) || (err == nil && !policy.InRegion(a.Principal, policy.WritePeople, st.RegionCode)) {
		errs.Add("structure_id", "invalid", i18n.T("validation.invalid"))
		return nil
	}
	return err
}

// AddMember gives a person a role in a structure of the actor's régions. The person must be
// one the actor may already act on: a membership must not open another région's people to them.
func AddMember(ctx context.Context, s *storage.Store, a Actor, m *model.Membership) (validator.Errors, error) {
	errs := validator.Membership(m)
	if err := structureForMembers(ctx, s, a, m.StructureID, &errs); err != nil {
		return errs, err
	}
	if m.PersonID != "" {
		// Write, not read: the membership would let the actor edit the person.
		_, _, err := Person(ctx, s, a.Principal, policy.WritePeople, m.PersonID)
		if errors.Is(err, storage.ErrNotFound) {
			errs.Add("person_id", "invalid", i18n.T("validation.invalid"))
		} else if err != nil {
			return errs, err
		}
	}
	if errs.Any() {
		return errs, nil
	}
	err := s.InTx(ctx, func(tx *storage.Store) error {
		if err := tx.CreateMembership(ctx, m); err != nil {
			return err
		}
		return a.Audit(ctx, tx, "membership.create", "structure", m.StructureID,
			map[string]any{"person": m.PersonID, "role": string(m.Role)})
	})
	if errors.Is(err, storage.ErrReferenced) { // the person or structure was deleted meanwhile
		errs.Add("person_id", "invalid", i18n.T("validation.invalid"))
		return errs, nil
	}
	if validator.Duplicate(err, &errs) {
		return errs, nil
	}
	return errs, err
}

// RemoveMember ends a membership of a structure in the actor's régions; any other is
// storage.ErrNotFound.
func RemoveMember(ctx context.Context, s *storage.Store, a Actor, membershipID string) (model.Membership, error) {
	m, err := s.Membership(ctx, membershipID)
	if err != nil {
		return m, err
	}
	st, err := s.Structure(ctx, m.StructureID)
	if err != nil {
		return m, err
	}
	if !policy.InRegion(a.Principal, policy.WritePeople, st.RegionCode) {
		return m, storage.ErrNotFound
	}
	return m, s.InTx(ctx, func(tx *storage.Store) error {
		if err := tx.DeleteMembership(ctx, m.ID); err != nil {
			return err
		}
		return a.Audit(ctx, tx, "membership.delete", "structure", st.ID,
			map[string]any{"person": m.PersonID, "role": string(m.Role)})
	})
}
