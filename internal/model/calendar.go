package model

import "time"

// Enrolment is a learner of a cohort: a candidate whose offer was accepted.
type Enrolment struct {
	ID            string
	CohortID      string
	ApplicationID string
	AccountID     string
	EnrolledAt    time.Time
	LeftAt        time.Time // gave up their seat
	ConvokedAt    time.Time // when the convocation was last sent; zero: never
	// For display, from the application.
	PersonID      string
	FirstName     string
	LastName      string
	Email         string
	StructureName string
}

// Active reports whether the learner is still in the cohort.
func (e Enrolment) Active() bool { return e.LeftAt.IsZero() }

// Name is how lists name a learner.
func (e Enrolment) Name() string {
	if e.FirstName == "" && e.LastName == "" {
		return e.Email
	}
	return e.FirstName + " " + e.LastName
}

// DefaultAttendanceThreshold is the attendance rate, in percent, under which a learner is
// flagged when the programme sets none.
const DefaultAttendanceThreshold = 80

// HalfDayPart is the morning or the afternoon of a training day.
type HalfDayPart string

const (
	Morning   HalfDayPart = "am"
	Afternoon HalfDayPart = "pm"
)

// CohortDay is a training day of a cohort, on a civil date of the cohort's région.
type CohortDay struct {
	ID        string
	CohortID  string
	Date      string // YYYY-MM-DD
	ModuleID  string // "" when the day has no module
	Place     string // an address
	VideoURL  string // a video link, for a remote day
	Notes     string
	Trainers  []string // account ids
	Sequence  int      // changes learners were told about: the iCalendar SEQUENCE
	Cancelled bool     // removed after the convocations: kept so that calendars drop it
	HalfDays  []HalfDay
	CreatedAt time.Time
	UpdatedAt time.Time
}

// HalfDay is a morning or an afternoon of a day, as instants.
type HalfDay struct {
	ID              string
	DayID           string
	Part            HalfDayPart
	StartsAt        time.Time
	EndsAt          time.Time
	CountersignedAt time.Time
	CountersignedBy string
}

// Countersigned reports whether the trainer countersigned the half-day, which locks it.
func (h HalfDay) Countersigned() bool { return !h.CountersignedAt.IsZero() }

// Minutes is the half-day's length.
func (h HalfDay) Minutes() int { return int(h.EndsAt.Sub(h.StartsAt) / time.Minute) }

// AttendanceStatus is a learner's presence at a half-day.
type AttendanceStatus string

const (
	Present             AttendanceStatus = "present"
	Late                AttendanceStatus = "late" // counts as present
	AbsentJustified     AttendanceStatus = "absent_justified"
	AbsentUnjustified   AttendanceStatus = "absent_unjustified"
	AttendanceNotMarked AttendanceStatus = "" // nobody said yet
)

var AttendanceStatuses = []AttendanceStatus{Present, Late, AbsentJustified, AbsentUnjustified}

func (s AttendanceStatus) Valid() bool { return contains(AttendanceStatuses, s) }

// Attended reports whether the status counts as attended (late counts as present).
func (s AttendanceStatus) Attended() bool { return s == Present || s == Late }

// Attendance is a learner's attendance of a half-day.
type Attendance struct {
	HalfDayID   string
	EnrolmentID string
	Status      AttendanceStatus
	LateMinutes int
	Reason      string // why absent (justified)
	FileID      string // a justification's file
	SignedAt    time.Time
	SignedBy    string // account
	SignedIP    string
	MarkedBy    string // the trainer or manager who set the status
	MarkedAt    time.Time
}

// Signed reports whether the learner signed the half-day themselves.
func (a Attendance) Signed() bool { return !a.SignedAt.IsZero() }

// FeedKind is whose calendar a feed serves.
type FeedKind string

const (
	FeedCohort  FeedKind = "cohort"  // a cohort's days, for its managers
	FeedLearner FeedKind = "learner" // a learner's cohort days
	FeedTrainer FeedKind = "trainer" // the days a trainer teaches, across cohorts
)

// CalendarFeed is a secret, revocable calendar address.
type CalendarFeed struct {
	ID        string
	TokenHash string
	Kind      FeedKind
	CohortID  string // cohort and learner feeds
	AccountID string // whose feed it is
	CreatedAt time.Time
	RevokedAt time.Time
}
