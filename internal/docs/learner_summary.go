package docs

import (
	"strconv"
	"strings"
)

// LearnerSummary is one learner's attendance over a cohort: each half-day held, the totals
// and the rate against the programme's threshold. The totals and the rate are the caller's
// (the rules that count them live with the attendance data); this only prints them.
type LearnerSummary struct {
	Stamp
	Programme string
	Cohort    string
	Learner   string
	Structure string // optional

	HalfDays []SummaryLine // the half-days held, in date order

	HalfDaysAttended int    // present or late
	HalfDaysHeld     int    //
	HoursAttended    string // e.g. "49 h"
	HoursHeld        string // e.g. "56 h"
	Rate             string // e.g. "87,5 %"
	Threshold        string // e.g. "80 %"
	ThresholdMet     bool
}

// SummaryLine is one half-day in a learner's summary.
type SummaryLine struct {
	Date     string // e.g. "jeudi 4 février 2027"
	HalfDay  string // e.g. "matin, 9 h 00 – 12 h 30"
	Module   string
	Mark     Mark
	SignedAt string // e.g. "4 février 2027 à 9 h 04"; empty when not signed
}

// PDF renders the summary: header facts, one row per half-day held, then the totals.
func (s LearnerSummary) PDF() ([]byte, error) {
	running := strings.Join(nonEmpty(summaryTitle, s.Learner, s.Cohort), " — ")
	p, err := newPage(s.Stamp, summaryTitle, running)
	if err != nil {
		return nil, err
	}
	p.title(summaryTitle)
	p.facts([]fact{
		{wProgramme, s.Programme},
		{wCohort, s.Cohort},
		{wLearner, s.Learner},
		{wStructure, s.Structure},
	})
	p.f.Ln(4)

	if len(s.HalfDays) == 0 {
		p.paragraph(summaryNoHalfDays, false)
	} else {
		rows := make([][]string, len(s.HalfDays))
		for i, h := range s.HalfDays {
			rows[i] = []string{h.Date, h.HalfDay, h.Module, statusText(h.Mark), signedCell(h.SignedAt)}
		}
		p.table([]column{{wDate, 22}, {wHalfDay, 21}, {wModule, 21}, {wStatus, 15}, {wSigned, 21}}, rows)
	}

	met := summaryNotMet
	if s.ThresholdMet {
		met = summaryMet
	}
	threshold := ""
	if s.Threshold != "" {
		threshold = s.Threshold + " — " + met
	}
	p.heading(summaryTotals)
	p.facts([]fact{
		{summaryHalfDays, strconv.Itoa(s.HalfDaysAttended) + summaryOutOf + strconv.Itoa(s.HalfDaysHeld)},
		{summaryHours, outOf(s.HoursAttended, s.HoursHeld)},
		{summaryRate, s.Rate},
		{summaryThreshold, threshold},
	})
	return p.bytes()
}

// outOf is "a sur b", or whichever of the two is given.
func outOf(a, b string) string {
	if a == "" || b == "" {
		return a + b
	}
	return a + summaryOutOf + b
}
