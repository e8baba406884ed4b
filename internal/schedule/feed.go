package schedule

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"slices"
	"strings"
	"time"

	"parcours/internal/auth"
	"parcours/internal/i18n"
	"parcours/internal/ical"
	"parcours/internal/id"
	"parcours/internal/mail"
	"parcours/internal/model"
	"parcours/internal/storage"
)

// A feed's address holds its id and a MAC of it: the address can be shown again whenever
// its owner asks (a phone is set up long after the feed is made), and only its hash is
// looked up. Renewing a feed revokes the old address.

// feedToken is the secret part of a feed's address.
func feedToken(key []byte, feedID string) string {
	mac := hmac.New(sha256.New, key)
	mac.Write([]byte("calendar-feed:" + feedID))
	return feedID + "." + base64.RawURLEncoding.EncodeToString(mac.Sum(nil)[:24])
}

// FeedURL is the address calendar apps subscribe to.
func FeedURL(m mail.Site, token string) string { return m.BaseURL + "/calendrier/" + token + ".ics" }

// feedsOf reads the key of the feed addresses and an account's feeds.
func feedsOf(ctx context.Context, s *storage.Store, accountID string) ([]byte, []model.CalendarFeed, error) {
	key, err := s.Secret(ctx, "calendar-feeds")
	if err != nil {
		return nil, nil, err
	}
	feeds, err := s.FeedsOfAccount(ctx, accountID)
	return key, feeds, err
}

// Feed returns the account's feed of a kind (and cohort), made on first use, with its token.
func Feed(ctx context.Context, s *storage.Store, kind model.FeedKind, cohortID, accountID string) (model.CalendarFeed, string, error) {
	key, feeds, err := feedsOf(ctx, s, accountID)
	if err != nil {
		return model.CalendarFeed{}, "", err
	}
	for _, f := range feeds {
		if f.Kind == kind && f.CohortID == cohortID {
			return f, feedToken(key, f.ID), nil
		}
	}
	return newFeed(ctx, s, key, kind, cohortID, accountID)
}

func newFeed(ctx context.Context, s *storage.Store, key []byte, kind model.FeedKind, cohortID, accountID string) (model.CalendarFeed, string, error) {
	f := model.CalendarFeed{ID: id.New(), Kind: kind, CohortID: cohortID, AccountID: accountID}
	token := feedToken(key, f.ID)
	f.TokenHash = auth.HashToken(token)
	return f, token, s.CreateFeed(ctx, &f)
}

// RenewFeed revokes an account's feed and makes a new address for the same calendar.
func RenewFeed(ctx context.Context, s *storage.Store, feedID, accountID string) (model.CalendarFeed, string, error) {
	key, feeds, err := feedsOf(ctx, s, accountID)
	if err != nil {
		return model.CalendarFeed{}, "", err
	}
	i := slices.IndexFunc(feeds, func(f model.CalendarFeed) bool { return f.ID == feedID })
	if i < 0 {
		return model.CalendarFeed{}, "", storage.ErrNotFound
	}
	if err := s.RevokeFeed(ctx, feedID, accountID); err != nil {
		return model.CalendarFeed{}, "", err
	}
	return newFeed(ctx, s, key, feeds[i].Kind, feeds[i].CohortID, accountID)
}

// FeedDocument is the calendar a feed's address serves, read now: a cohort's days for its
// managers, a learner's cohort, or the days a trainer teaches. An unknown or revoked token,
// or an owner who lost the right to the calendar, is storage.ErrNotFound.
func FeedDocument(ctx context.Context, s *storage.Store, m mail.Site, token string) ([]byte, error) {
	if !strings.Contains(token, ".") || len(token) > 200 {
		return nil, storage.ErrNotFound
	}
	f, err := s.FeedByToken(ctx, auth.HashToken(token))
	if err != nil {
		return nil, err
	}
	acc, err := s.Account(ctx, f.AccountID)
	if err != nil {
		return nil, err
	}
	if !acc.DisabledAt.IsZero() {
		return nil, storage.ErrNotFound
	}
	grants, err := s.Grants(ctx, acc.ID)
	if err != nil {
		return nil, err
	}
	switch f.Kind {
	case model.FeedCohort, model.FeedLearner:
		c, err := Load(ctx, s, f.CohortID)
		if err != nil {
			return nil, err
		}
		if _, learner := c.LearnerOf(acc.ID); f.Kind == model.FeedLearner && !learner ||
			f.Kind == model.FeedCohort && !manages(grants, c.Programme.CarrierID) {
			return nil, storage.ErrNotFound
		}
		return c.ICS(m, false)
	case model.FeedTrainer:
		return trainerCalendar(ctx, s, m, acc)
	}
	return nil, storage.ErrNotFound
}

// manages reports whether the grants let their holder manage an organisation's programmes.
func manages(grants []model.Grant, organisationID string) bool {
	return slices.ContainsFunc(grants, func(g model.Grant) bool {
		return g.Role == model.RoleAdmin || g.Role == model.RoleManager && g.Scope == organisationID
	})
}

// trainerCalendar lists the days an account teaches, in the cohorts it is still a trainer of.
func trainerCalendar(ctx context.Context, s *storage.Store, m mail.Site, acc model.Account) ([]byte, error) {
	days, err := s.DaysOfTrainer(ctx, acc.ID)
	if err != nil {
		return nil, err
	}
	cal := ical.Calendar{Name: i18n.T("schedule.trainer_calendar", m.Brand)}
	cohorts := map[string]*Cohort{}
	for _, d := range days {
		c, ok := cohorts[d.CohortID]
		if !ok {
			if c, err = Load(ctx, s, d.CohortID); err != nil {
				return nil, err
			}
			cohorts[d.CohortID] = c
		}
		if !c.IsTrainer(acc.ID) {
			continue
		}
		if cal.Zone == nil {
			cal.Zone = c.Loc
		}
		cal.Events = append(cal.Events, c.events(m, []model.CohortDay{d}, m.BaseURL+"/formateur")...)
	}
	if cal.Zone == nil { // no days: any named zone will do
		cal.Zone = time.UTC
	}
	return cal.Bytes()
}
