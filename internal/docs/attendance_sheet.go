package docs

import (
	"strconv"
	"strings"
)

// AttendanceSheet is the signed attendance sheet (feuille d'émargement) of one half-day:
// who was expected, who came, when each learner signed and whether the trainer
// countersigned. Texts are French, formatted by the caller.
type AttendanceSheet struct {
	Stamp
	Programme string
	Cohort    string   // e.g. "Promotion 2027 — PACA"
	Date      string   // e.g. "jeudi 4 février 2027"
	HalfDay   string   // e.g. "matin, 9 h 00 – 12 h 30"
	Module    string   // e.g. "Pilotage de l’organisation"
	Place     string   // an address, or "classe virtuelle : URL"
	Trainers  []string // names

	Learners []SheetLine // in the order to print (usually by name)

	CountersignedBy string // the trainer's name; with CountersignedAt empty too: "Non contresigné"
	CountersignedAt string // e.g. "4 février 2027 à 12 h 41"
}

// SheetLine is one learner's line on an attendance sheet.
type SheetLine struct {
	Name      string // e.g. "Éléonore Lœuillet-Çelik"
	Structure string // optional, printed under the name, e.g. "CPTS Provence Verte"
	Mark      Mark
	SignedAt  string // e.g. "4 février 2027 à 9 h 04"; empty when not signed
}

// PDF renders the sheet: header facts, the learners' table (its heading repeated on each
// page), the trainer's countersignature and the half-day's counts.
func (s AttendanceSheet) PDF() ([]byte, error) {
	running := strings.Join(nonEmpty(sheetTitle, s.Cohort, s.Date, s.HalfDay), " — ")
	p, err := newPage(s.Stamp, sheetTitle, running)
	if err != nil {
		return nil, err
	}
	p.title(sheetTitle)
	names := nonEmpty(s.Trainers...)
	trainers := wTrainer
	if len(names) > 1 {
		trainers = wTrainers
	}
	p.facts([]fact{
		{wProgramme, s.Programme},
		{wCohort, s.Cohort},
		{wDate, s.Date},
		{wHalfDay, s.HalfDay},
		{wModule, s.Module},
		{wPlace, s.Place},
		{trainers, strings.Join(names, ", ")}, // left out, like the place, when empty
	})
	p.f.Ln(4)

	rows := make([][]string, len(s.Learners))
	for i, l := range s.Learners {
		name := l.Name
		if l.Structure != "" {
			name += "\n" + l.Structure
		}
		rows[i] = []string{name, statusText(l.Mark), signedCell(l.SignedAt)}
	}
	p.table([]column{{wLearner, 36}, {wStatus, 30}, {wSignature, 34}}, rows)

	p.heading(sheetCounter)
	p.paragraph(countersigned(s.CountersignedBy, s.CountersignedAt), false)

	c := countMarks(s.Learners)
	p.heading(sheetCounts)
	counts := []fact{
		{sheetTotal, strconv.Itoa(len(s.Learners))},
		{sheetPresent, strconv.Itoa(c[Present] + c[Late])},
		{sheetLate, strconv.Itoa(c[Late])},
		{sheetJustified, strconv.Itoa(c[AbsentJustified])},
		{sheetUnjustified, strconv.Itoa(c[AbsentUnjustified])},
	}
	if c[Unmarked] > 0 {
		counts = append(counts, fact{sheetUnmarked, strconv.Itoa(c[Unmarked])})
	}
	p.facts(counts)
	return p.bytes()
}

// countMarks counts the learners by status.
func countMarks(lines []SheetLine) map[Status]int {
	c := map[Status]int{}
	for _, l := range lines {
		st := l.Mark.Status
		if st < Unmarked || st > AbsentUnjustified {
			st = Unmarked // an unknown value is printed as "Non renseigné", so counted so too
		}
		c[st]++
	}
	return c
}

// nonEmpty drops the empty strings.
func nonEmpty(ss ...string) []string {
	var out []string
	for _, s := range ss {
		if s != "" {
			out = append(out, s)
		}
	}
	return out
}
