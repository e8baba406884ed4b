package model

import "time"

// Certification is what a programme leads to.
type Certification string

const (
	CertificationNone Certification = "none"
	CertificationRNCP Certification = "rncp" // a certification registered in the RNCP, made of competence blocks
)

var Certifications = []Certification{CertificationNone, CertificationRNCP}

func (c Certification) Valid() bool { return contains(Certifications, c) }

// DeploymentStatus is where a région stands with a programme.
type DeploymentStatus string

const (
	DeploymentLaunched   DeploymentStatus = "launched"
	DeploymentObserving  DeploymentStatus = "observing" // the ARS watches other régions first
	DeploymentNotStarted DeploymentStatus = "not_started"
)

var DeploymentStatuses = []DeploymentStatus{DeploymentLaunched, DeploymentObserving, DeploymentNotStarted}

func (d DeploymentStatus) Valid() bool { return contains(DeploymentStatuses, d) }

// Programme is a training pathway, run by a training organisation (its carrier).
type Programme struct {
	ID                  string
	Code                string // short, upper case: AMG
	Title               string
	Description         string
	CarrierID           string   // the training organisation's structure
	PartnerIDs          []string // partner structures (ARS, URPS…)
	AudienceGovernance  bool     // for governance members
	AudienceCoordinator bool     // for coordinators
	TargetKinds         []StructureKind
	DurationMonths      int
	Days                int
	Certification       Certification
	RNCPLevel           int
	RNCPCode            string
	Accessibility       string // published, as training providers must
	ContactName         string
	ContactEmail        string
	ContactPhone        string
	AttendanceThreshold int // percent; a learner under it is flagged (0: the default, 80)
	CreatedAt           time.Time
	UpdatedAt           time.Time
}

// Threshold is the attendance rate, in percent, under which a learner is flagged.
func (p Programme) Threshold() int {
	if p.AttendanceThreshold <= 0 {
		return DefaultAttendanceThreshold
	}
	return p.AttendanceThreshold
}

// Module is a part of a programme.
type Module struct {
	ID          string
	ProgrammeID string
	Position    int
	Title       string
	Themes      string
	Hours       int
}

// Block is a competence block (bloc de compétences) of an RNCP certification.
type Block struct {
	ID          string
	ProgrammeID string
	Position    int
	Code        string
	Title       string
}

// Deployment is a région's status with a programme.
type Deployment struct {
	ProgrammeID string
	RegionCode  string
	Status      DeploymentStatus
	Since       string // civil date YYYY-MM-DD, or empty
}

// Cohort is one session of a programme in a région: its learners, calendar and call.
type Cohort struct {
	ID          string
	ProgrammeID string
	RegionCode  string
	Label       string // "Promotion 2026 — Pays de la Loire"
	Capacity    int    // seats
	OrgCap      int    // learners per organisation while enough organisations apply (P)
	OrgMax      int    // hard maximum per organisation; 0: none
	StartsOn    string // civil date YYYY-MM-DD
	EndsOn      string
	Places      string // where the days take place
	CreatedAt   time.Time
	UpdatedAt   time.Time
}

// RoleRequirement is the role a call asks candidates to hold in their structure.
type RoleRequirement string

const (
	RequireAnyRole     RoleRequirement = ""
	RequireGovernance  RoleRequirement = "governance"
	RequireCoordinator RoleRequirement = "coordinator"
)

var RoleRequirements = []RoleRequirement{RequireAnyRole, RequireGovernance, RequireCoordinator}

func (r RoleRequirement) Valid() bool { return contains(RoleRequirements, r) }

// Call is a cohort's call for applications.
type Call struct {
	ID                string
	CohortID          string
	OpensAt           time.Time // instants, UTC; typed in the région's local time
	ClosesAt          time.Time
	Published         bool
	Kinds             []StructureKind // allowed structure kinds; empty: any
	RegionCode        string          // the structure's région; empty: any
	Role              RoleRequirement
	MustBeAttached    bool
	MinStage          Stage // for a CPTS; empty: none
	Intro             string
	ConsentProcessing string // texts of the consent boxes the candidate ticks
	ConsentRetention  string
	OfferDays         int // an offer is answered by 23:59, local time, on this day after it is made
	MinScore          int // hundredths of a point; -1: no minimum
	CreatedAt         time.Time
	UpdatedAt         time.Time
}

// Open reports whether applications may be submitted at now: from the opening instant, and
// strictly before the closing one. The server's clock decides.
func (c Call) Open(now time.Time) bool {
	return c.Published && !now.Before(c.OpensAt) && now.Before(c.ClosesAt)
}

// QuestionKind is the kind of answer a question expects.
type QuestionKind string

const (
	QuestionShortText QuestionKind = "short_text"
	QuestionLongText  QuestionKind = "long_text"
	QuestionYesNo     QuestionKind = "yes_no"
	QuestionChoice    QuestionKind = "choice"
	QuestionDate      QuestionKind = "date"
	QuestionFile      QuestionKind = "file"
)

var QuestionKinds = []QuestionKind{QuestionShortText, QuestionLongText, QuestionYesNo, QuestionChoice, QuestionDate, QuestionFile}

func (k QuestionKind) Valid() bool { return contains(QuestionKinds, k) }

// Question is one question of a call's form.
type Question struct {
	ID        string
	CallID    string
	Position  int
	Kind      QuestionKind
	Label     string
	Help      string
	Required  bool
	MinLength int // long text: characters, 0 for none
	MaxLength int
	Choices   []string // single choice
}

// ApplicationStatus is where an application stands.
type ApplicationStatus string

const (
	ApplicationDraft     ApplicationStatus = "draft"
	ApplicationSubmitted ApplicationStatus = "submitted"
	ApplicationWithdrawn ApplicationStatus = "withdrawn"
)

var ApplicationStatuses = []ApplicationStatus{ApplicationDraft, ApplicationSubmitted, ApplicationWithdrawn}

// Override is a manager's decision on eligibility, which wins over the rules.
type Override string

const (
	OverrideNone       Override = ""
	OverrideEligible   Override = "eligible"
	OverrideIneligible Override = "ineligible"
)

// Application is a person's application to a call: one per person per call.
type Application struct {
	ID                  string
	CallID              string
	AccountID           string
	PersonID            string
	StructureID         string // chosen in the directory
	DeclaredName        string // or declared as not yet listed
	DeclaredKind        StructureKind
	DeclaredDepartement string
	DeclaredCommune     string
	Role                MemberRole
	Profession          Profession
	Status              ApplicationStatus
	Receipt             string
	Eligible            bool     // by the rules, at the last save
	NeedsReview         bool     // a rule could not be checked (a declared structure's stage…)
	Reasons             []string // the failed rules' reasons, in French
	Override            Override
	OverrideReason      string
	OverrideBy          string
	OverrideAt          time.Time
	MembershipID        string // the role declared, awaiting the manager's confirmation
	ConsentProcessingAt time.Time
	ConsentRetentionAt  time.Time
	SubmittedAt         time.Time
	WithdrawnAt         time.Time
	CreatedAt           time.Time
	UpdatedAt           time.Time
}

// IsEligible is the decision that counts: the manager's override, else the rules.
func (a Application) IsEligible() bool {
	switch a.Override {
	case OverrideEligible:
		return true
	case OverrideIneligible:
		return false
	}
	return a.Eligible
}

// Declared reports whether the candidate declared a structure not yet in the directory.
func (a Application) Declared() bool { return a.StructureID == "" && a.DeclaredName != "" }

// Answer is an application's answer to a question.
type Answer struct {
	ApplicationID string
	QuestionID    string
	Value         string
	FileID        string
}
