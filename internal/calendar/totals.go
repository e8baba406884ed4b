package calendar

import (
	"errors"
	"fmt"
)

// Errors of clock times.
var (
	ErrClock            = errors.New(`calendar: a time must read "HH:MM", from 00:00 to 23:59`)
	ErrEndNotAfterStart = errors.New("calendar: a half-day must end after it starts")
)

// ParseClock reads a local clock time "HH:MM" (as an HTML time input sends it) and returns the
// minutes since midnight.
func ParseClock(s string) (int, error) {
	if len(s) != 5 || s[2] != ':' || !digits(s[:2]) || !digits(s[3:]) {
		return 0, fmt.Errorf("%w: %q", ErrClock, s)
	}
	h := int(s[0]-'0')*10 + int(s[1]-'0')
	m := int(s[3]-'0')*10 + int(s[4]-'0')
	if h > 23 || m > 59 {
		return 0, fmt.Errorf("%w: %q", ErrClock, s)
	}
	return h*60 + m, nil
}

func digits(s string) bool {
	for _, c := range []byte(s) {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

// Minutes returns the length of a half-day from start to end, "HH:MM" each. A half-day does
// not cross midnight, so end must come after start on the same day.
func Minutes(start, end string) (int, error) {
	from, err := ParseClock(start)
	if err != nil {
		return 0, err
	}
	to, err := ParseClock(end)
	if err != nil {
		return 0, err
	}
	if to <= from {
		return 0, fmt.Errorf("%w: %s–%s", ErrEndNotAfterStart, start, end)
	}
	return to - from, nil
}

// NoModule is the module id of a half-day not yet given a module.
const NoModule = ""

// PlannedModule is a module of the programme's plan with its planned duration.
type PlannedModule struct {
	ID      string
	Minutes int
}

// ScheduledHalfDay is a half-day of the cohort's calendar: its module (NoModule when not yet
// chosen) and its local start and end times, "HH:MM".
type ScheduledHalfDay struct {
	ModuleID string
	Start    string
	End      string
}

// ModuleTotal sets a module's plan against the cohort's calendar. Durations are whole
// minutes, so sums are exact.
type ModuleTotal struct {
	ID               string // NoModule for the line of half-days without a module
	PlannedMinutes   int    // 0 for a module the plan does not hold
	ScheduledMinutes int
	HalfDays         int
}

// Days is the number of training days scheduled for the module: half-days count one half.
func (t ModuleTotal) Days() float64 { return float64(t.HalfDays) / 2 }

// Totals adds up the scheduled half-days per module, against the plan. Lines come in the plan's
// order (a module listed twice in the plan is one line with both durations), then modules
// scheduled but not planned in the order they first appear, then, when some half-day has no
// module, the NoModule line. A half-day with a bad time makes an error naming its index.
func Totals(planned []PlannedModule, scheduled []ScheduledHalfDay) ([]ModuleTotal, error) {
	var lines []ModuleTotal
	index := make(map[string]int) // module id → its line
	line := func(id string) *ModuleTotal {
		i, ok := index[id]
		if !ok {
			i = len(lines)
			index[id] = i
			lines = append(lines, ModuleTotal{ID: id})
		}
		return &lines[i]
	}
	for _, p := range planned {
		line(p.ID).PlannedMinutes += p.Minutes
	}
	var none ModuleTotal // kept apart so that it comes last
	for i, h := range scheduled {
		minutes, err := Minutes(h.Start, h.End)
		if err != nil {
			return nil, fmt.Errorf("half-day %d: %w", i, err)
		}
		t := &none
		if h.ModuleID != NoModule {
			t = line(h.ModuleID)
		}
		t.ScheduledMinutes += minutes
		t.HalfDays++
	}
	if none.HalfDays > 0 {
		lines = append(lines, none)
	}
	return lines, nil
}
