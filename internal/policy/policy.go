// Package policy is Parcours' one authorisation policy. Every route names an Action; the
// router lets a request through only when Allow says so (default deny: an action without a
// rule is allowed to nobody), and handlers narrow what they read and write to the Regions
// the same rules give. A reader can check who may do what in this one file.
package policy

import (
	"slices"

	"parcours/internal/model"
)

// Principal is the caller: an account and its grants. Anonymous callers have no Principal.
type Principal struct {
	AccountID   string
	Email       string
	DisplayName string
	PersonID    string
	Grants      []model.Grant
}

// Action is what a route does.
type Action string

const (
	Public        Action = "public"        // anyone, logged in or not: login, health, assets, API description
	Authenticated Action = "authenticated" // any logged-in account: home page, own tokens, logout

	ReadTerritory    Action = "territory.read"    // régions and départements with their counts
	ReadStructures   Action = "structures.read"   // structure lists and details
	WriteStructures  Action = "structures.write"  // create, edit, delete structures
	ImportStructures Action = "structures.import" // CSV import of structures
	ReadPeople       Action = "people.read"       // people, and the members of structures
	WritePeople      Action = "people.write"      // create, edit people; add and remove memberships
	ManageAccounts   Action = "accounts.manage"   // accounts and their roles
	ReadOperations   Action = "operations.read"   // outbox and jobs, for the operator

	ManageProgrammes Action = "programmes.manage"  // programmes, cohorts, calls and their questions
	ReadApplications Action = "applications.read"  // a call's applications, their files, exports
	JudgeEligibility Action = "applications.judge" // override eligibility, confirm declared roles
	FollowCalls      Action = "calls.follow"       // calls with their figures (applications, CPTS that applied)
	Apply            Action = "applications.apply" // apply to calls: one's own applications only
	Review           Action = "committee.review"   // a committee's pages: their committees only, never a conflicted application
	ComposeCohort    Action = "cohort.compose"     // build a call's committee, run the composition, send offers

	ManageCalendar Action = "calendar.manage"   // lay out a cohort's days, its trainers, convocations; its attendance and documents
	TakeAttendance Action = "attendance.take"   // a half-day's sheet: marks, the signing QR code, the countersignature
	Attend         Action = "attendance.attend" // a learner's calendar, signatures and documents: their own cohorts only
)

// scope tells how far a role's grant reaches for an action.
type scope int

const (
	everywhere      scope = iota // all régions
	ownRegion                    // the régions named by the grants' scopes
	ownOrganisation              // the programmes of the training organisations named by the grants' scopes
	ownCohort                    // the cohorts named by the grants' scopes
)

// rules: for each action, the roles that may perform it and how far. An action absent from
// this table is allowed to nobody.
var rules = map[Action]map[model.Role]scope{
	ReadTerritory: {
		model.RoleAdmin: everywhere, model.RoleManager: everywhere, model.RoleTrainer: everywhere,
		model.RoleRegionalViewer: everywhere, model.RolePartner: everywhere,
		model.RoleCommitteeMember: everywhere, model.RoleCandidate: everywhere,
	},
	// Managers recruit across régions, so they read every structure; ARS staff and partners
	// only their région's.
	ReadStructures: {
		model.RoleAdmin: everywhere, model.RoleManager: everywhere,
		model.RoleRegionalViewer: ownRegion, model.RolePartner: ownRegion,
	},
	// Partners (URPS…) keep their région's structures and CPTS projects up to date.
	WriteStructures:  {model.RoleAdmin: everywhere, model.RolePartner: ownRegion},
	ImportStructures: {model.RoleAdmin: everywhere},
	// People are personal data: only those who look after a région's structures see them.
	ReadPeople: {
		model.RoleAdmin: everywhere, model.RoleRegionalViewer: ownRegion, model.RolePartner: ownRegion,
	},
	WritePeople:    {model.RoleAdmin: everywhere, model.RolePartner: ownRegion},
	ManageAccounts: {model.RoleAdmin: everywhere},
	ReadOperations: {model.RoleAdmin: everywhere},
	// A training organisation runs its own programmes, wherever their cohorts are.
	ManageProgrammes: {model.RoleAdmin: everywhere, model.RoleManager: ownOrganisation},
	ReadApplications: {model.RoleAdmin: everywhere, model.RoleManager: ownOrganisation},
	JudgeEligibility: {model.RoleAdmin: everywhere, model.RoleManager: ownOrganisation},
	// ARS staff and partners follow the calls of their région: counts, not applications.
	FollowCalls: {
		model.RoleAdmin: everywhere, model.RoleManager: ownOrganisation,
		model.RoleRegionalViewer: ownRegion, model.RolePartner: ownRegion,
	},
	Apply: {model.RoleCandidate: everywhere},
	// Committee members act on the committees they sit on (checked against the committee).
	Review:        {model.RoleCommitteeMember: everywhere},
	ComposeCohort: {model.RoleAdmin: everywhere, model.RoleManager: ownOrganisation},
	// Trainers act on the cohorts they teach; managers on their organisation's cohorts.
	ManageCalendar: {model.RoleAdmin: everywhere, model.RoleManager: ownOrganisation},
	TakeAttendance: {model.RoleAdmin: everywhere, model.RoleManager: ownOrganisation, model.RoleTrainer: ownCohort},
	// Learners are candidates whose offer was accepted (checked against their enrolment).
	Attend: {model.RoleCandidate: everywhere},
}

// Allow reports whether p may perform a somewhere. It is the check every route passes.
func Allow(p *Principal, a Action) bool {
	switch a {
	case Public:
		return true
	case Authenticated:
		return p != nil
	}
	if p == nil {
		return false
	}
	byRole, ok := rules[a]
	if !ok {
		return false
	}
	for _, g := range p.Grants {
		if _, ok := byRole[g.Role]; ok {
			return true
		}
	}
	return false
}

// Scope is how far p may perform an action: everywhere, or on the records of some régions
// and of some training organisations' programmes. Storage filters take it as it is.
type Scope struct {
	Everywhere    bool
	Regions       []string
	Organisations []string
	Cohorts       []string
}

// ScopeOf returns the scope in which p may perform a.
func ScopeOf(p *Principal, a Action) Scope {
	var sc Scope
	if p == nil {
		return sc
	}
	for _, g := range p.Grants {
		kind, ok := rules[a][g.Role]
		switch {
		case !ok:
		case kind == everywhere:
			return Scope{Everywhere: true}
		case kind == ownRegion && !slices.Contains(sc.Regions, g.Scope):
			sc.Regions = append(sc.Regions, g.Scope)
		case kind == ownOrganisation && !slices.Contains(sc.Organisations, g.Scope):
			sc.Organisations = append(sc.Organisations, g.Scope)
		case kind == ownCohort && !slices.Contains(sc.Cohorts, g.Scope):
			sc.Cohorts = append(sc.Cohorts, g.Scope)
		}
	}
	return sc
}

// Covers reports whether the scope includes a record of a région, or of a programme run by
// an organisation.
func (sc Scope) Covers(regionCode, organisationID string) bool {
	return sc.Everywhere || slices.Contains(sc.Regions, regionCode) || slices.Contains(sc.Organisations, organisationID)
}

// CoversCohort reports whether the scope includes a cohort: named by a grant, or in a région
// or run by an organisation the scope covers.
func (sc Scope) CoversCohort(cohortID, regionCode, organisationID string) bool {
	return slices.Contains(sc.Cohorts, cohortID) || sc.Covers(regionCode, organisationID)
}

// Regions returns the régions in which p may perform a: nil means every région, an empty
// slice means none. Lists pass it to storage filters; single records go through InRegion.
func Regions(p *Principal, a Action) []string {
	if p == nil {
		return []string{}
	}
	out := []string{}
	for _, g := range p.Grants {
		sc, ok := rules[a][g.Role]
		if !ok {
			continue
		}
		if sc == everywhere {
			return nil
		}
		if sc == ownRegion && !slices.Contains(out, g.Scope) {
			out = append(out, g.Scope)
		}
	}
	slices.Sort(out)
	return out
}

// InRegion reports whether p may perform a on something in région code.
func InRegion(p *Principal, a Action, code string) bool {
	regions := Regions(p, a)
	return regions == nil || slices.Contains(regions, code)
}

// Actions lists every action with a rule, for tests and documentation.
func Actions() []Action {
	out := []Action{Public, Authenticated}
	for a := range rules {
		out = append(out, a)
	}
	slices.Sort(out)
	return out
}
