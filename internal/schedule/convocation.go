package schedule

import (
	"context"
	"fmt"
	"net/url"
	"strings"
	"time"

	"parcours/internal/directory"
	"parcours/internal/i18n"
	"parcours/internal/ical"
	"parcours/internal/mail"
	"parcours/internal/model"
	"parcours/internal/storage"
)

// PartName is "matin" or "après-midi".
func PartName(p model.HalfDayPart) string {
	if p == model.Morning {
		return i18n.T("schedule.part.am")
	}
	return i18n.T("schedule.part.pm")
}

// When writes a half-day as learners read it: "matin, 9 h 00 – 12 h 30".
func (c *Cohort) When(h model.HalfDay) string {
	return i18n.T("schedule.when", PartName(h.Part), i18n.Clock(h.StartsAt, c.Loc), i18n.Clock(h.EndsAt, c.Loc))
}

// DayDate writes a day's date: "jeudi 4 février 2027".
func DayDate(d model.CohortDay) string {
	t, err := time.Parse(time.DateOnly, d.Date)
	if err != nil {
		return d.Date
	}
	return i18n.LongDate(t)
}

// Where is a day's place, or its video link.
func Where(d model.CohortDay) string {
	switch {
	case d.Place != "" && d.VideoURL != "":
		return d.Place + " — " + d.VideoURL
	case d.Place != "":
		return d.Place
	}
	return i18n.T("schedule.video_place", d.VideoURL)
}

// events are the iCalendar events of days: one per half-day, its UID made from the
// half-day's id so that a change updates the event in calendar apps.
func (c *Cohort) events(m mail.Site, days []model.CohortDay, link string) []ical.Event {
	host := "parcours"
	if u, err := url.Parse(m.BaseURL); err == nil && u.Hostname() != "" {
		host = u.Hostname()
	}
	var out []ical.Event
	for _, d := range days {
		title := c.Programme.Title
		if mod := c.ModuleTitle(d.ModuleID); mod != "" && mod != removedModule {
			title = mod
		}
		var desc []string
		desc = append(desc, c.Programme.Title+" — "+c.Cohort.Label)
		if names := c.TrainerNames(d); len(names) > 0 {
			desc = append(desc, i18n.T("schedule.trainers", strings.Join(names, ", ")))
		}
		if d.VideoURL != "" {
			desc = append(desc, i18n.T("schedule.video_place", d.VideoURL))
		}
		if d.Notes != "" {
			desc = append(desc, d.Notes)
		}
		location := d.Place
		if location == "" {
			location = d.VideoURL
		}
		for _, h := range d.HalfDays {
			out = append(out, ical.Event{
				UID: h.ID + "@" + host, Sequence: d.Sequence, Start: h.StartsAt, End: h.EndsAt,
				Summary:  fmt.Sprintf("%s — %s (%s)", c.Programme.Code, title, PartName(h.Part)),
				Location: location, Description: strings.Join(desc, "\n"), URL: link,
				Stamp: d.UpdatedAt, Cancelled: d.Cancelled,
			})
		}
	}
	return out
}

// ICS is the cohort's calendar as learners get it: as an attachment (method PUBLISH) or as
// a feed. Cancelled days are in it, so that calendar apps remove them.
func (c *Cohort) ICS(m mail.Site, attachment bool) ([]byte, error) {
	cal := ical.Calendar{Name: c.Programme.Code + " — " + c.Cohort.Label, Zone: c.Loc}
	if attachment {
		cal.Method = ical.MethodPublish
	}
	cal.Events = c.events(m, c.Days, m.BaseURL+"/mon-parcours")
	return cal.Bytes()
}

// attachmentOf is the cohort's calendar as an e-mail attachment.
func (c *Cohort) attachmentOf(m mail.Site) (mail.Attachment, error) {
	data, err := c.ICS(m, true)
	if err != nil {
		return mail.Attachment{}, err
	}
	name := strings.ToLower(c.Programme.Code) + "-calendrier.ics"
	return mail.Attachment{Name: name, ContentType: (ical.Calendar{Method: ical.MethodPublish}).ContentType(), Data: data}, nil
}

// mailData is what the convocation e-mails say about the cohort.
func (c *Cohort) mailData(m mail.Site, e model.Enrolment) map[string]any {
	var lines []string
	for _, d := range c.Scheduled() {
		var parts []string
		for _, h := range d.HalfDays {
			parts = append(parts, c.When(h))
		}
		line := DayDate(d) + " — " + strings.Join(parts, ", ")
		if mod := c.ModuleTitle(d.ModuleID); mod != "" {
			line += " — " + mod
		}
		lines = append(lines, line+" — "+Where(d))
	}
	first := ""
	if s := c.Scheduled(); len(s) > 0 {
		first = DayDate(s[0])
	}
	p := c.Programme
	return map[string]any{
		"Brand": m.Brand, "Name": e.Name(), "Programme": p.Title, "Cohort": c.Cohort.Label, "First": first,
		"Count": len(lines), "Days": lines, "Places": c.Cohort.Places, "Accessibility": p.Accessibility,
		"ContactName": p.ContactName, "ContactEmail": p.ContactEmail, "ContactPhone": p.ContactPhone,
		"Organisation": c.Carrier.Name, "Link": m.BaseURL + "/mon-parcours", "Zone": i18n.ZoneName(c.Loc),
	}
}

// SendConvocations e-mails the convocation, with the calendar attached, to the active
// learners not convoked yet (enrolmentID ""), or again to one learner. The first one goes
// once whoever sends it (outbox dedupe); a resend is a new message. It returns how many
// were queued.
func SendConvocations(ctx context.Context, s *storage.Store, actor directory.Actor, m mail.Site, c *Cohort, enrolmentID string) (int, error) {
	if len(c.Scheduled()) == 0 {
		return 0, ErrNoDays
	}
	att, err := c.attachmentOf(m)
	if err != nil {
		return 0, err
	}
	sent := 0
	err = s.InTx(ctx, func(tx *storage.Store) error {
		for _, e := range c.Active() {
			dedupe := "convocation:" + e.ID
			switch {
			case enrolmentID == "" && !e.ConvokedAt.IsZero():
				continue
			case enrolmentID != "" && e.ID != enrolmentID:
				continue
			case enrolmentID != "":
				dedupe += ":" + tx.Clock.Now().UTC().Format(time.RFC3339Nano)
			}
			if err := mail.QueueWith(ctx, tx, e.Email, "convocation", c.mailData(m, e), dedupe, att); err != nil {
				return err
			}
			if err := tx.Convoked(ctx, e.ID); err != nil {
				return err
			}
			sent++
		}
		if sent == 0 && enrolmentID != "" {
			return storage.ErrNotFound
		}
		return actor.Audit(ctx, tx, "cohort.convocations", "cohort", c.Cohort.ID, map[string]any{"sent": sent, "learner": enrolmentID})
	})
	return sent, err
}

// notifyChange e-mails the convoked learners that a day changed or was cancelled, with the
// updated calendar (the events keep their UIDs, with a higher sequence). Each change goes
// once to each learner.
func (c *Cohort) notifyChange(ctx context.Context, tx *storage.Store, m mail.Site, d, old model.CohortDay) error {
	for i := range c.Days { // the calendar as it is now
		if c.Days[i].ID == d.ID {
			c.Days[i] = d
		}
	}
	if d.ID != "" && !containsDay(c.Days, d.ID) {
		c.Days = append(c.Days, d)
	}
	att, err := c.attachmentOf(m)
	if err != nil {
		return err
	}
	var was, now []string
	for _, h := range old.HalfDays {
		was = append(was, c.When(h))
	}
	for _, h := range d.HalfDays {
		now = append(now, c.When(h))
	}
	for _, e := range c.Active() {
		if e.ConvokedAt.IsZero() {
			continue
		}
		data := c.mailData(m, e)
		data["Cancelled"], data["Added"] = d.Cancelled, old.ID == ""
		data["Was"] = DayDate(old) + " — " + strings.Join(was, ", ") + " — " + Where(old)
		data["Now"] = DayDate(d) + " — " + strings.Join(now, ", ") + " — " + Where(d)
		dedupe := fmt.Sprintf("day-change:%s:%d:%s", d.ID, d.Sequence, e.ID)
		if err := mail.QueueWith(ctx, tx, e.Email, "convocation_update", data, dedupe, att); err != nil {
			return err
		}
	}
	return nil
}

func containsDay(days []model.CohortDay, id string) bool {
	for _, d := range days {
		if d.ID == id {
			return true
		}
	}
	return false
}
