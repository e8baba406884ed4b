package model

import "time"

// CommitteeRole is a committee member's place: trainers and elected members review;
// observers (ARS) see but never review or score.
type CommitteeRole string

const (
	CommitteeTrainer  CommitteeRole = "trainer"
	CommitteeElected  CommitteeRole = "elected"
	CommitteeObserver CommitteeRole = "observer"
)

var CommitteeRoles = []CommitteeRole{CommitteeTrainer, CommitteeElected, CommitteeObserver}

func (r CommitteeRole) Valid() bool { return contains(CommitteeRoles, r) }

// Reviews reports whether members of this role review applications.
func (r CommitteeRole) Reviews() bool { return r == CommitteeTrainer || r == CommitteeElected }

// Committee is the selection committee of a call.
type Committee struct {
	ID                      string
	CallID                  string
	ReviewersPerApplication int // R
	DisagreementGap         int // points on 0–100: two reviews further apart are flagged
	ClosedAt                time.Time
	ClosedBy                string
	CreatedAt               time.Time
	UpdatedAt               time.Time
}

// CommitteeMember is a person with an account on a committee.
type CommitteeMember struct {
	ID          string
	CommitteeID string
	AccountID   string
	Role        CommitteeRole
	Chair       bool
	CreatedAt   time.Time
	LeftAt      time.Time
	// From the account and its person, for display.
	Name     string
	Email    string
	PersonID string
}

// Active reports whether the member is still on the committee.
func (m CommitteeMember) Active() bool { return m.LeftAt.IsZero() }

// Conflict is a declared conflict of interest between a member and an application.
type Conflict struct {
	MemberID      string
	ApplicationID string
	Reason        string
	DeclaredBy    string
	CreatedAt     time.Time
}

// Criterion is a line of a committee's scoring grid, scored 0 to 5.
type Criterion struct {
	ID          string
	CommitteeID string
	Position    int
	Label       string
	Weight      int
	Levels      []string // what 0, 1 … 5 mean
}

// ReviewStatus is where a review stands.
type ReviewStatus string

const (
	ReviewAssigned  ReviewStatus = "assigned"
	ReviewDraft     ReviewStatus = "draft"
	ReviewSubmitted ReviewStatus = "submitted"
)

// Review is a member's review of an application; assigned before it is started.
type Review struct {
	ID            string
	MemberID      string
	ApplicationID string
	Manual        bool
	Status        ReviewStatus
	Scores        map[string]int // criterion id → 0..5
	Comment       string
	Total         int // weighted total in hundredths of a point, 0..10000
	AssignedAt    time.Time
	SubmittedAt   time.Time
	UpdatedAt     time.Time
}

// WeightedTotal is a grid's score on 0–100, in hundredths, rounded half up: the weighted mean
// of the 0–5 scores, scaled to 100.
func WeightedTotal(grid []Criterion, scores map[string]int) int {
	weights, sum := 0, 0
	for _, c := range grid {
		weights += c.Weight
		sum += c.Weight * scores[c.ID]
	}
	if weights == 0 {
		return 0
	}
	// sum/(5·weights)·100 points, in hundredths: sum·10000 / (5·weights), rounded half up.
	den := 5 * weights
	return (sum*10000*2 + den) / (2 * den)
}

// OfferStatus is where an offer stands.
type OfferStatus string

const (
	OfferPending   OfferStatus = "pending"
	OfferAccepted  OfferStatus = "accepted"
	OfferDeclined  OfferStatus = "declined"
	OfferLapsed    OfferStatus = "lapsed"
	OfferWithdrawn OfferStatus = "withdrawn" // withdrawn after acceptance: the seat is freed
)

// Offer is a seat offered to a candidate.
type Offer struct {
	ID            string
	CallID        string
	ApplicationID string
	Seat          int
	Status        OfferStatus
	OfferedAt     time.Time
	Deadline      time.Time
	AnsweredAt    time.Time
	CompositionID string
}

// Composition is a run of the composition that made offers.
type Composition struct {
	ID        string
	CallID    string
	RunAt     time.Time
	RunBy     string
	Capacity  int
	PerOrg    int
	MaxPerOrg int
	MinScore  int // hundredths; -1: none
	Input     string
	Output    string
	Offers    int
}
