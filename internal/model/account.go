package model

import "time"

// Role is what an account may do; most roles hold within a scope (see Grant).
type Role string

const (
	RoleAdmin           Role = "admin"            // platform operator: everything
	RoleManager         Role = "manager"          // programme manager; scope: their training organisation's structure id
	RoleTrainer         Role = "trainer"          // scope: a cohort id
	RoleRegionalViewer  Role = "regional_viewer"  // ARS staff; scope: a région code; read-only
	RolePartner         Role = "partner"          // URPS, APMSL…; scope: a région code
	RoleCommitteeMember Role = "committee_member" // scope: a committee id
	RoleCandidate       Role = "candidate"        // health professionals who apply; no scope
)

// Roles lists every role.
var Roles = []Role{RoleAdmin, RoleManager, RoleTrainer, RoleRegionalViewer, RolePartner, RoleCommitteeMember, RoleCandidate}

func (r Role) Valid() bool { return contains(Roles, r) }

// ScopeKind tells what a role's scope is.
func (r Role) ScopeKind() string {
	switch r {
	case RoleManager:
		return "structure"
	case RoleTrainer:
		return "cohort"
	case RoleRegionalViewer, RolePartner:
		return "region"
	case RoleCommitteeMember:
		return "committee"
	}
	return ""
}

// Account is a login.
type Account struct {
	ID              string
	Email           string
	DisplayName     string
	PasswordHash    string
	PersonID        string
	EmailVerifiedAt time.Time
	DisabledAt      time.Time
	CreatedAt       time.Time
	UpdatedAt       time.Time
}

// Grant gives an account a role within a scope.
type Grant struct {
	ID        string
	AccountID string
	Role      Role
	Scope     string
	CreatedAt time.Time
}
