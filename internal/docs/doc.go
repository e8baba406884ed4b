// Package docs renders the attendance documents that funders audit: the attendance sheet
// (feuille d'émargement) of one half-day, a learner's attendance summary and certificate of
// completion (certificat de réalisation) as PDF, and a cohort's attendance grid as XLSX.
//
// The package does no I/O and knows nothing of storage: callers pass plain structs whose
// texts are already French and formatted (dates, times, hours, rates). The few fixed texts
// of the documents themselves — titles, column headings, the certificate's sentences — are
// in wording.go, next to the layout they belong to, because the certificat de réalisation
// follows the Ministry of Labour's model and is not a user-interface text.
//
// The same input gives the same bytes: nothing reads the clock, and the PDF's creation date
// and the XLSX's document properties come from Stamp.At. The fonts (DejaVu Sans, a UTF-8
// TrueType font) are embedded so that é, œ, « » and ’ render on every machine.
package docs

import (
	"errors"
	"time"
)

// Stamp is what every document carries about its own making: the operator's name (the
// platform's brand, shown in the footer) and when it was generated.
type Stamp struct {
	Operator  string    // e.g. "Parcours — URPS ML PACA"
	Generated string    // the generation date as shown, e.g. "4 février 2027 à 18 h 05"
	At        time.Time // the same instant, written into the file's metadata
}

// ErrNoGenerationTime is returned when Stamp.At is zero: the libraries would then put the
// current time into the file, and the same data would no longer give the same bytes.
var ErrNoGenerationTime = errors.New("docs: the generation time (Stamp.At) is required")

// Status is a learner's attendance at one half-day.
type Status int

// Statuses of attendance; late counts as present in the rates.
const (
	Unmarked          Status = iota // not recorded yet
	Present                         // present
	Late                            // present, arrived late (Mark.LateMinutes)
	AbsentJustified                 // absent with a reason (Mark.Reason)
	AbsentUnjustified               // absent without reason
)

// Mark is one learner's attendance at one half-day.
type Mark struct {
	Status      Status
	LateMinutes int    // for Late
	Reason      string // for AbsentJustified, in French, e.g. "arrêt maladie"
}
