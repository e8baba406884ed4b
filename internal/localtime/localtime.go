// Package localtime turns the civil date and hour a manager types, in a région's time zone,
// into the instant it names. Calls open and close at such instants, stored in UTC.
package localtime

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
	_ "time/tzdata" // the overseas zones must work on hosts without /usr/share/zoneinfo.

	"parcours/internal/i18n"
)

// ErrNonexistent is matched (errors.Is) by a *NonexistentError: the wall time falls in a
// spring-forward gap.
var ErrNonexistent = errors.New(i18n.T("localtime.nonexistent"))

// NonexistentError is a wall time that the clock in Loc skips that day; its Error is the
// French sentence to show, with the date and the first hour that exists after the gap.
type NonexistentError struct {
	Year      int
	Month     time.Month
	Day       int
	Hour, Min int
	Loc       *time.Location
	Jump      time.Time // the instant (UTC) the clock jumps forward: a time to suggest instead

	from, to time.Time // the wall clock just before and at Jump, as UTC values
}

func (e *NonexistentError) Error() string {
	if e.Jump.IsZero() {
		return ErrNonexistent.Error()
	}
	wall := time.Date(e.Year, e.Month, e.Day, e.Hour, e.Min, 0, 0, time.UTC)
	return i18n.T("localtime.nonexistent.detail",
		i18n.Date(wall), clock(wall), i18n.ZoneName(e.Loc), clock(e.from), clock(e.to), clock(e.to))
}

func (e *NonexistentError) Is(target error) bool { return target == ErrNonexistent }

// Which part of the input a ParseError is about.
const (
	PartDate  = "date"
	PartClock = "clock"
)

// ParseError is a date or an hour that cannot be read, or that no calendar or clock has
// (30 February, 25:00). Its Error is the French sentence to show next to that field.
type ParseError struct {
	Part  string // PartDate or PartClock
	Input string // what was typed
}

func (e *ParseError) Error() string {
	switch {
	case e.Part == PartDate && e.Input == "":
		return i18n.T("localtime.date.missing")
	case e.Part == PartDate:
		return i18n.T("localtime.date.invalid", e.Input)
	case e.Input == "":
		return i18n.T("localtime.clock.missing")
	}
	return i18n.T("localtime.clock.invalid", e.Input)
}

// Instant returns the instant at which the clock in loc shows that civil date and time.
// A wall time that does not exist (spring daylight-saving gap) is a *NonexistentError, which
// matches ErrNonexistent; one that exists twice (autumn overlap) gives the earlier instant.
// A date or time out of range is a *ParseError. The result is UTC, truncated to the microsecond.
// loc must not be nil.
func Instant(year int, month time.Month, day, hour, min int, loc *time.Location) (time.Time, error) {
	if loc == nil {
		panic("localtime: nil location")
	}
	if d := time.Date(year, month, day, 0, 0, 0, 0, time.UTC); d.Year() != year || d.Month() != month || d.Day() != day {
		return time.Time{}, &ParseError{Part: PartDate, Input: fmt.Sprintf("%04d-%02d-%02d", year, int(month), day)}
	}
	if hour < 0 || hour > 23 || min < 0 || min > 59 {
		return time.Time{}, &ParseError{Part: PartClock, Input: fmt.Sprintf("%d:%02d", hour, min)}
	}
	wall := time.Date(year, month, day, hour, min, 0, 0, time.UTC)

	// Any instant whose clock shows wall is wall minus the offset then in force, and offsets
	// stay within ±16 h: try each offset the zone uses in that window, keep the ones that fit.
	periods := periodsAround(wall, loc)
	var found time.Time
	for _, p := range periods {
		t := wall.Add(-seconds(p.offset))
		if sameWall(t.In(loc), wall) && (found.IsZero() || t.Before(found)) {
			found = t
		}
	}
	if !found.IsZero() {
		return found.UTC().Truncate(time.Microsecond), nil
	}
	return time.Time{}, gap(wall, loc, periods)
}

// period is a stretch of time during which a zone keeps one offset.
type period struct {
	start  time.Time // a transition, except for the first period of a list
	offset int       // seconds east of UTC
}

// periodsAround lists loc's offsets from 16 hours before to 16 hours after wall read as UTC.
func periodsAround(wall time.Time, loc *time.Location) []period {
	const window = 16 * time.Hour
	var out []period
	t, end := wall.Add(-window), wall.Add(window)
	for {
		local := t.In(loc)
		_, off := local.Zone()
		out = append(out, period{start: t.UTC(), offset: off})
		_, next := local.ZoneBounds()
		if next.IsZero() || next.After(end) || !next.After(t) {
			return out
		}
		t = next
	}
}

func sameWall(t, wall time.Time) bool {
	return t.Year() == wall.Year() && t.Month() == wall.Month() && t.Day() == wall.Day() &&
		t.Hour() == wall.Hour() && t.Minute() == wall.Minute() && t.Second() == 0
}

// gap finds the forward jump of the clock that skips wall.
func gap(wall time.Time, loc *time.Location, periods []period) *NonexistentError {
	e := &NonexistentError{Year: wall.Year(), Month: wall.Month(), Day: wall.Day(), Hour: wall.Hour(), Min: wall.Minute(), Loc: loc}
	for i := 1; i < len(periods); i++ {
		jump := periods[i].start
		from, to := jump.Add(seconds(periods[i-1].offset)), jump.Add(seconds(periods[i].offset))
		if !wall.Before(from) && wall.Before(to) {
			e.Jump, e.from, e.to = jump.UTC(), from, to
			break
		}
	}
	return e
}

func seconds(n int) time.Duration { return time.Duration(n) * time.Second }

func clock(wall time.Time) string { return i18n.T("localtime.clock", wall.Hour(), wall.Minute()) }

// Parse reads a date ("2026-03-15", or "15/03/2026" as French people write it) and an hour
// ("17:00", "17h00", "17 h 00", "17h", "17", "9:05") and returns Instant. Input that cannot be
// read is a *ParseError naming the part that is wrong.
func Parse(date, clock string, loc *time.Location) (time.Time, error) {
	y, m, d, ok := parseDate(date)
	if !ok {
		return time.Time{}, &ParseError{Part: PartDate, Input: strings.TrimSpace(date)}
	}
	h, mi, ok := parseClock(clock)
	if !ok {
		return time.Time{}, &ParseError{Part: PartClock, Input: strings.TrimSpace(clock)}
	}
	t, err := Instant(y, time.Month(m), d, h, mi, loc)
	var pe *ParseError
	if errors.As(err, &pe) { // out of range: quote what was typed, not our rewriting of it
		if pe.Part == PartDate {
			pe.Input = strings.TrimSpace(date)
		} else {
			pe.Input = strings.TrimSpace(clock)
		}
	}
	return t, err
}

func parseDate(s string) (y, m, d int, ok bool) {
	s = strings.TrimSpace(s)
	if p := strings.Split(s, "-"); len(p) == 3 && len(p[0]) == 4 {
		y, ok1 := number(p[0], 4, 4)
		m, ok2 := number(p[1], 1, 2)
		d, ok3 := number(p[2], 1, 2)
		return y, m, d, ok1 && ok2 && ok3
	}
	if p := strings.Split(s, "/"); len(p) == 3 && len(p[2]) == 4 {
		d, ok1 := number(p[0], 1, 2)
		m, ok2 := number(p[1], 1, 2)
		y, ok3 := number(p[2], 4, 4)
		return y, m, d, ok1 && ok2 && ok3
	}
	return 0, 0, 0, false
}

func parseClock(s string) (h, m int, ok bool) {
	s = strings.ToLower(strings.ReplaceAll(strings.TrimSpace(s), " ", ""))
	hs, ms, sep := strings.Cut(s, ":")
	if !sep {
		hs, ms, sep = strings.Cut(s, "h")
		if sep && ms == "" { // "17h"
			ms = "00"
		}
	}
	if !sep { // "17"
		ms = "00"
	}
	h, ok1 := number(hs, 1, 2)
	m, ok2 := number(ms, 2, 2)
	return h, m, ok1 && ok2
}

// number reads a decimal of minLen to maxLen ASCII digits.
func number(s string, minLen, maxLen int) (int, bool) {
	if len(s) < minLen || len(s) > maxLen || strings.Trim(s, "0123456789") != "" {
		return 0, false
	}
	n, err := strconv.Atoi(s)
	return n, err == nil
}
