package ical

import (
	"fmt"
	"strconv"
	"time"
)

// zoneState is what a zone's clock shows from one change to the next.
type zoneState struct {
	offset int // seconds east of UTC
	name   string
	dst    bool
}

func stateAt(t time.Time, loc *time.Location) zoneState {
	t = t.In(loc)
	name, offset := t.Zone()
	return zoneState{offset: offset, name: name, dst: t.IsDST()}
}

// transition is an instant at which a zone's clock changes.
type transition struct {
	at   time.Time
	from int // offset before the change
	to   zoneState
}

// transitions returns the changes of loc's clock in [from, to). Go does not expose its
// transition table, so it steps a day at a time and bisects each change to the second (zone
// data changes happen on whole seconds, and no zone changes twice in a day).
func transitions(loc *time.Location, from, to time.Time) []transition {
	var out []transition
	prev := stateAt(from, loc)
	lo, end := from.Unix(), to.Unix()
	for lo < end {
		hi := lo + 24*3600
		if stateAt(time.Unix(hi, 0), loc) == prev {
			lo = hi
			continue
		}
		for hi-lo > 1 { // invariant: prev holds at lo, not at hi
			mid := lo + (hi-lo)/2
			if stateAt(time.Unix(mid, 0), loc) == prev {
				lo = mid
			} else {
				hi = mid
			}
		}
		if hi >= end {
			break
		}
		next := stateAt(time.Unix(hi, 0), loc)
		out = append(out, transition{at: time.Unix(hi, 0).UTC(), from: prev.offset, to: next})
		prev, lo = next, hi
	}
	return out
}

// observance is one STANDARD or DAYLIGHT sub-component: the clock state it sets, the offset
// it replaces, and every instant in the window at which it begins.
type observance struct {
	state  zoneState
	from   int
	onsets []time.Time
}

// writeTimezone writes the VTIMEZONE of loc for events from first to last. It describes the
// whole calendar years of the events and the year before, so that every event time follows
// an onset (ical.js reads a time before all onsets as UTC) and each yearly change appears at
// least twice, which is what lets it be written as a rule.
func writeTimezone(d *doc, loc *time.Location, first, last time.Time) {
	endYear := last.In(loc).Year()
	start := time.Date(first.In(loc).Year()-1, time.January, 1, 0, 0, 0, 0, loc)
	end := time.Date(endYear+1, time.January, 1, 0, 0, 0, 0, loc)

	var obs []*observance
	ts := transitions(loc, start, end)
	if len(ts) == 0 || ts[0].at.After(first) {
		// No change precedes the first event (zones without daylight saving time): one
		// observance states the clock from the start of the window.
		s := stateAt(start, loc)
		obs = append(obs, &observance{state: s, from: s.offset, onsets: []time.Time{start.UTC()}})
	}
	for _, t := range ts {
		i := 0
		for i < len(obs) && (obs[i].state != t.to || obs[i].from != t.from) {
			i++
		}
		if i == len(obs) {
			obs = append(obs, &observance{state: t.to, from: t.from})
		}
		obs[i].onsets = append(obs[i].onsets, t.at)
	}

	d.line("BEGIN:VTIMEZONE")
	d.line("TZID:" + text(loc.String()))
	for _, o := range obs {
		kind := "STANDARD"
		if o.state.dst {
			kind = "DAYLIGHT"
		}
		d.line("BEGIN:" + kind)
		d.line("DTSTART:" + wallClock(o.onsets[0], o.from).Format(localLayout))
		if rule, ok := yearlyRule(o.onsets, o.from, endYear); ok {
			// A rule rather than a list: Outlook reads only rules.
			d.line("RRULE:" + rule)
		} else if len(o.onsets) > 1 {
			// DTSTART is listed again because ical.js ignores it once RDATEs are present.
			for _, t := range o.onsets {
				d.line("RDATE:" + wallClock(t, o.from).Format(localLayout))
			}
		}
		d.line("TZOFFSETFROM:" + utcOffset(o.from))
		d.line("TZOFFSETTO:" + utcOffset(o.state.offset))
		if o.state.name != "" {
			d.line("TZNAME:" + text(o.state.name))
		}
		d.line("END:" + kind)
	}
	d.line("END:VTIMEZONE")
}

// wallClock returns what a clock at offset shows at t, as a UTC value to format.
func wallClock(t time.Time, offset int) time.Time {
	return t.UTC().Add(time.Duration(offset) * time.Second)
}

var dayCodes = [...]string{"SU", "MO", "TU", "WE", "TH", "FR", "SA"}

// yearlyRule returns the RRULE value that yields exactly the onsets, when they fall once a
// year in consecutive years, in the same month, on the same weekday at the same wall time,
// and in the same week of the month (counted from its start, or the last one). The rule is
// left open when the onsets reach endYear, the last year described, and closed with UNTIL
// when the zone stopped following it earlier.
func yearlyRule(onsets []time.Time, offset int, endYear int) (string, bool) {
	if len(onsets) < 2 {
		return "", false // one change is no evidence of a yearly rule
	}
	first := wallClock(onsets[0], offset)
	nth := (first.Day()-1)/7 + 1
	sameNth, allLast := true, true
	for i, t := range onsets {
		w := wallClock(t, offset)
		if w.Year() != first.Year()+i || w.Month() != first.Month() || w.Weekday() != first.Weekday() ||
			w.Hour() != first.Hour() || w.Minute() != first.Minute() || w.Second() != first.Second() {
			return "", false
		}
		sameNth = sameNth && (w.Day()-1)/7+1 == nth
		allLast = allLast && w.AddDate(0, 0, 7).Month() != w.Month()
	}
	week := ""
	switch {
	case allLast:
		week = "-1"
	case sameNth:
		week = strconv.Itoa(nth)
	default:
		return "", false
	}
	rule := fmt.Sprintf("FREQ=YEARLY;BYMONTH=%d;BYDAY=%s%s", int(first.Month()), week, dayCodes[first.Weekday()])
	if last := onsets[len(onsets)-1]; wallClock(last, offset).Year() < endYear {
		rule += ";UNTIL=" + last.UTC().Format(utcLayout)
	}
	return rule, true
}

// utcOffset formats an offset as TZOFFSETFROM and TZOFFSETTO want it: ±hhmm[ss].
func utcOffset(seconds int) string {
	sign := "+"
	if seconds < 0 {
		sign, seconds = "-", -seconds
	}
	s := fmt.Sprintf("%s%02d%02d", sign, seconds/3600, seconds/60%60)
	if seconds%60 != 0 {
		s += fmt.Sprintf("%02d", seconds%60)
	}
	return s
}
