// Package ical writes iCalendar documents (RFC 5545): the calendar feeds that learners and
// trainers subscribe to, and the .ics files attached to convocations.
//
// Times are written in the calendar's zone with a TZID and a VTIMEZONE computed from Go's
// zone data, because a reader that finds no VTIMEZONE (ical.js, Outlook) takes the times as
// floating and shows them an hour or two off. The output depends only on the input, so a feed
// can be cached and compared byte for byte.
package ical

import (
	"bytes"
	"cmp"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// ProdID names the product that wrote the document (PRODID).
const ProdID = "-//Parcours//Parcours//FR"

// MethodPublish is the one METHOD written: an attachment that readers offer to add to their
// calendar. REQUEST and CANCEL need an ORGANIZER and ATTENDEEs, which this package does not
// write, so they are refused rather than sent half-formed.
const MethodPublish = "PUBLISH"

// Event is one VEVENT.
type Event struct {
	// UID identifies the event across versions: keep it when the event changes, so that
	// calendar apps update their copy instead of adding a second one.
	UID string
	// Sequence counts the revisions that matter to attendees (date, time, place); raise it
	// with each such change.
	Sequence int
	// Start and End are instants; they are written in the calendar's zone. End must be after
	// Start. Both are written to the second.
	Start, End time.Time
	// Summary, Location and Description are plain text; line breaks are kept. Empty Location
	// and Description are left out.
	Summary, Location, Description string
	// URL is an absolute link to the event's page, left out when empty.
	URL string
	// Stamp is when this version of the event was last changed (DTSTAMP, written in UTC).
	// It must be set: a value taken from the clock would make every fetch of a feed differ.
	Stamp time.Time
	// Cancelled events stay in the document with STATUS:CANCELLED, so that calendar apps
	// remove them instead of keeping a stale copy.
	Cancelled bool
}

// Calendar is one VCALENDAR document.
type Calendar struct {
	Name   string         // shown by calendar apps as the calendar's title (X-WR-CALNAME); optional
	Zone   *time.Location // the zone every event time is written in; required, not time.Local
	Method string         // "" for a feed, MethodPublish for an e-mail attachment
	Events []Event        // in any order: they are written by Start, then UID
}

// ContentType is the MIME type of the document, with the method for an attachment as
// RFC 6047 asks.
func (c Calendar) ContentType() string {
	if c.Method != "" {
		return "text/calendar; charset=utf-8; method=" + c.Method
	}
	return "text/calendar; charset=utf-8"
}

// Write writes the document to w. An invalid calendar is an error and nothing is written.
func (c Calendar) Write(w io.Writer) error {
	b, err := c.Bytes()
	if err != nil {
		return err
	}
	_, err = w.Write(b)
	return err
}

// Bytes returns the document, or an error when the calendar is invalid.
func (c Calendar) Bytes() ([]byte, error) {
	if err := c.validate(); err != nil {
		return nil, err
	}
	events := slices.Clone(c.Events)
	slices.SortFunc(events, func(a, b Event) int {
		return cmp.Or(a.Start.Compare(b.Start), strings.Compare(a.UID, b.UID))
	})

	var d doc
	d.line("BEGIN:VCALENDAR")
	d.line("VERSION:2.0")
	d.line("PRODID:" + ProdID)
	d.line("CALSCALE:GREGORIAN")
	if c.Method != "" {
		d.line("METHOD:" + c.Method)
	}
	if c.Name != "" {
		d.line("X-WR-CALNAME:" + text(c.Name))
	}
	tzid := c.Zone.String()
	d.line("X-WR-TIMEZONE:" + text(tzid))
	if len(events) > 0 {
		first, last := events[0].Start, events[0].End
		for _, e := range events {
			if e.End.After(last) {
				last = e.End
			}
		}
		writeTimezone(&d, c.Zone, first, last)
	}
	for _, e := range events {
		d.line("BEGIN:VEVENT")
		d.line("UID:" + text(e.UID))
		d.line("DTSTAMP:" + e.Stamp.UTC().Format(utcLayout))
		d.line("SEQUENCE:" + strconv.Itoa(e.Sequence))
		d.line("DTSTART" + dateTime(e.Start, c.Zone))
		d.line("DTEND" + dateTime(e.End, c.Zone))
		d.line("SUMMARY:" + text(e.Summary))
		if e.Location != "" {
			d.line("LOCATION:" + text(e.Location))
		}
		if e.Description != "" {
			d.line("DESCRIPTION:" + text(e.Description))
		}
		if e.URL != "" {
			d.line("URL:" + clean(e.URL))
		}
		if e.Cancelled {
			d.line("STATUS:CANCELLED")
		} else {
			// Said outright so that an event cancelled by mistake and restored shows again.
			d.line("STATUS:CONFIRMED")
		}
		d.line("END:VEVENT")
	}
	d.line("END:VCALENDAR")
	return d.buf.Bytes(), nil
}

func (c Calendar) validate() error {
	if c.Zone == nil {
		return errors.New("ical: calendar has no zone")
	}
	if c.Zone == time.Local || c.Zone.String() == "Local" {
		// "Local" names no zone a reader knows, and it changes with the host.
		return errors.New("ical: calendar zone must be a named zone, not time.Local")
	}
	if c.Method != "" && c.Method != MethodPublish {
		return fmt.Errorf("ical: method %q is not supported", c.Method)
	}
	seen := make(map[string]bool, len(c.Events))
	for _, e := range c.Events {
		switch {
		case e.UID == "":
			return fmt.Errorf("ical: event %q has no UID", e.Summary)
		case seen[e.UID]:
			// Readers would keep only one of two events with the same UID.
			return fmt.Errorf("ical: two events have the UID %q", e.UID)
		case e.Start.IsZero() || e.End.IsZero():
			return fmt.Errorf("ical: event %q has no start or end", e.UID)
		case !e.End.After(e.Start):
			return fmt.Errorf("ical: event %q ends before it starts", e.UID)
		case e.Stamp.IsZero():
			return fmt.Errorf("ical: event %q has no stamp", e.UID)
		case e.Sequence < 0:
			return fmt.Errorf("ical: event %q has a negative sequence", e.UID)
		}
		seen[e.UID] = true
	}
	return nil
}

const (
	utcLayout   = "20060102T150405Z"
	localLayout = "20060102T150405"
)

// dateTime returns the parameters and value of a DTSTART or DTEND for instant t in loc.
func dateTime(t time.Time, loc *time.Location) string {
	if repeatedWallTime(t, loc) {
		// In the autumn overlap a local time names two instants, and readers disagree on
		// which one is meant (RFC 5545 says the first, ical.js takes the second): UTC is exact.
		return ":" + t.UTC().Format(utcLayout)
	}
	return ";TZID=" + paramValue(loc.String()) + ":" + t.In(loc).Format(localLayout)
}

// repeatedWallTime reports whether the clock in loc shows t's wall time at another instant
// too, which happens when the clock is set back across it.
func repeatedWallTime(t time.Time, loc *time.Location) bool {
	_, off := t.In(loc).Zone()
	// The other instant is at most one offset change away; changes are months apart, so
	// the offsets a day before and after are the only candidates.
	for _, d := range []time.Duration{-24 * time.Hour, 24 * time.Hour} {
		_, other := t.Add(d).In(loc).Zone()
		if other == off {
			continue
		}
		u := t.Add(time.Duration(off-other) * time.Second) // same wall time under the other offset
		if _, o := u.In(loc).Zone(); o == other {
			return true
		}
	}
	return false
}

// paramValue quotes a parameter value that contains a character with a meaning in a
// content line (RFC 5545 §3.1).
func paramValue(s string) string {
	s = strings.ReplaceAll(clean(s), `"`, "")
	if strings.ContainsAny(s, ":;,") {
		return `"` + s + `"`
	}
	return s
}

// text escapes a TEXT value (RFC 5545 §3.3.11) and drops the control characters it may
// not hold, keeping line breaks (escaped) and tabs.
func text(s string) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	s = strings.NewReplacer("\r\n", "\n", "\r", "\n").Replace(s)
	var b strings.Builder
	for _, r := range s {
		switch {
		case r == '\\' || r == ';' || r == ',':
			b.WriteByte('\\')
			b.WriteRune(r)
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\t' || !control(r):
			b.WriteRune(r)
		}
	}
	return b.String()
}

// clean makes a value that is not TEXT (a URI, a zone name) valid UTF-8 without control
// characters, so that it cannot end its content line early.
func clean(s string) string {
	return strings.Map(func(r rune) rune {
		if control(r) {
			return -1
		}
		return r
	}, strings.ToValidUTF8(s, "\uFFFD"))
}

func control(r rune) bool { return r < 0x20 || r == 0x7f }

// doc accumulates content lines.
type doc struct{ buf bytes.Buffer }

// maxLine is the longest content line in octets, CRLF excluded (RFC 5545 §3.1).
const maxLine = 75

// line writes one content line, folded so that no physical line exceeds maxLine octets and
// no UTF-8 sequence is split (readers that decode each physical line would break it).
func (d *doc) line(s string) {
	limit := maxLine
	for len(s) > limit {
		cut := limit
		for !utf8.RuneStart(s[cut]) {
			cut--
		}
		d.buf.WriteString(s[:cut])
		d.buf.WriteString("\r\n ")
		s = s[cut:]
		limit = maxLine - 1 // the leading space of a continuation line counts
	}
	d.buf.WriteString(s)
	d.buf.WriteString("\r\n")
}
