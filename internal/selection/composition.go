package selection

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"parcours/internal/compose"
	"parcours/internal/directory"
	"parcours/internal/i18n"
	"parcours/internal/localtime"
	"parcours/internal/mail"
	"parcours/internal/model"
	"parcours/internal/policy"
	"parcours/internal/storage"
	"parcours/internal/territory"
)

// ErrUnresolved: some candidates declared a structure not yet listed; the manager matches
// them first, since the organisation decides the seats.
var ErrUnresolved = errors.New("declared structures to resolve first")

// Plan is a composition of the call's cohort at one moment, with its explanations.
type Plan struct {
	Params       compose.Params
	Results      []compose.Result
	Explanations []compose.Explanation
	Rows         map[string]storage.ApplicationRow // application id → row, for display
	Offers       map[string]model.Offer            // application id → its offer
	Unresolved   []storage.ApplicationRow
	Unscored     int // applications in play without a submitted review
}

// ParamsOf are a call's composition parameters: the cohort's seats and per-organisation
// rules, the call's minimum score.
func ParamsOf(v storage.CallView) compose.Params {
	p := compose.Params{Capacity: v.Cohort.Capacity, PerOrg: max(1, v.Cohort.OrgCap), MaxPerOrg: v.Cohort.OrgMax}
	if v.Call.MinScore > 0 {
		p.MinScore, p.HasMinScore = v.Call.MinScore, true
	}
	return p
}

// Compute composes the cohort from what the database holds: the eligible applications, their
// scores, the offers made and their answers.
func Compute(ctx context.Context, s *storage.Store, b *Board) (*Plan, error) {
	plan := &Plan{Params: ParamsOf(b.View), Rows: map[string]storage.ApplicationRow{}, Offers: map[string]model.Offer{},
		Unresolved: b.Unresolved()}
	offers, err := s.Offers(ctx, b.View.Call.ID)
	if err != nil {
		return nil, err
	}
	for _, o := range offers {
		plan.Offers[o.ApplicationID] = o
	}
	// Withdrawn applications that held an offer stay in the input, as withdrawn.
	rows, err := s.Applications(ctx, storage.ApplicationFilter{Scope: policy.Scope{Everywhere: true}, CallID: b.View.Call.ID})
	if err != nil {
		return nil, err
	}
	var apps []compose.Applicant
	for _, r := range rows {
		a := r.Application
		o, offered := plan.Offers[a.ID]
		if a.Status == model.ApplicationDraft || (!a.IsEligible() && !offered) ||
			(a.Status == model.ApplicationWithdrawn && !offered && a.SubmittedAt.IsZero()) {
			continue
		}
		plan.Rows[a.ID] = r
		in := compose.Applicant{ID: a.ID, Organisation: a.StructureID, SubmittedAt: a.SubmittedAt, Status: compose.StatusActive}
		sc := b.ScoreOf(a.ID)
		in.Score = sc.Value
		if sc.Submitted == 0 {
			plan.Unscored++
		}
		switch {
		case a.Status == model.ApplicationWithdrawn || (offered && o.Status == model.OfferWithdrawn):
			in.Status = compose.StatusWithdrawn
		case offered && o.Status == model.OfferAccepted:
			in.Status = compose.StatusAccepted
		case offered && o.Status == model.OfferPending:
			in.Status = compose.StatusOffered
		case offered: // declined or lapsed
			in.Status = compose.StatusDeclined
		}
		apps = append(apps, in)
	}
	if plan.Results, err = compose.Compose(plan.Params, apps); err != nil {
		return nil, err
	}
	plan.Explanations = compose.Explain(plan.Params, plan.Results)
	return plan, nil
}

// NewOffers counts the offers the plan would make.
func (p *Plan) NewOffers() int {
	n := 0
	for _, r := range p.Results {
		if r.New {
			n++
		}
	}
	return n
}

// Deadline is when an offer made at from must be answered: 23:59 in the région's time on
// the day-th day after.
func Deadline(from time.Time, days int, regionCode string) time.Time {
	loc := time.UTC
	if r, ok := territory.RegionByCode(regionCode); ok {
		loc = r.Location()
	}
	d := from.In(loc).AddDate(0, 0, days)
	t, err := localtime.Instant(d.Year(), d.Month(), d.Day(), 23, 59, loc)
	if err != nil { // 23:59 always exists; fall back on the plain date arithmetic
		t = time.Date(d.Year(), d.Month(), d.Day(), 23, 59, 0, 0, loc).UTC()
	}
	return t
}

// SendOffers runs the composition and makes its new offers, each on a free numbered seat,
// with its e-mail, in one transaction: the run (inputs and outputs) and every offer are in
// the database and the audit log. by names who ran it ("" for the job runner).
func SendOffers(ctx context.Context, s *storage.Store, actor directory.Actor, m mail.Site, view storage.CallView) (*Plan, int, error) {
	var plan *Plan
	made := 0
	err := s.InTx(ctx, func(tx *storage.Store) error {
		// One instance at a time per call (PostgreSQL); the unique keys on seats and
		// applications stand behind it.
		if err := tx.LockCall(ctx, view.Call.ID); err != nil {
			return err
		}
		b, err := Load(ctx, tx, view)
		if err != nil {
			return err
		}
		if plan, err = Compute(ctx, tx, b); err != nil {
			return err
		}
		if len(plan.Unresolved) > 0 {
			return ErrUnresolved
		}
		if plan.NewOffers() == 0 {
			return nil
		}
		taken := map[int]bool{}
		for _, o := range plan.Offers {
			if o.Status == model.OfferPending || o.Status == model.OfferAccepted {
				taken[o.Seat] = true
			}
		}
		in, _ := json.Marshal(plan.inputs())
		out, _ := json.Marshal(plan.Results)
		run := &model.Composition{CallID: view.Call.ID, RunBy: runBy(actor), Capacity: plan.Params.Capacity,
			PerOrg: plan.Params.PerOrg, MaxPerOrg: plan.Params.MaxPerOrg, MinScore: view.Call.MinScore,
			Input: string(in), Output: string(out), Offers: plan.NewOffers()}
		if err := tx.CreateComposition(ctx, run); err != nil {
			return err
		}
		seat := 1
		for _, r := range plan.Results {
			if !r.New {
				continue
			}
			for taken[seat] {
				seat++
			}
			taken[seat] = true
			o := &model.Offer{CallID: view.Call.ID, ApplicationID: r.ID, Seat: seat, CompositionID: run.ID,
				Deadline: Deadline(tx.Clock.Now(), view.Call.OfferDays, view.Cohort.RegionCode)}
			if err := tx.CreateOffer(ctx, o); err != nil {
				return err // another instance took this seat or candidate: the whole run rolls back
			}
			if err := actor.Audit(ctx, tx, "offer.create", "application", r.ID,
				map[string]any{"offer": o.ID, "seat": seat, "deadline": o.Deadline, "composition": run.ID}); err != nil {
				return err
			}
			if err := offerMail(ctx, tx, m, view, plan.Rows[r.ID], *o, "offer_made", ""); err != nil {
				return err
			}
			made++
		}
		return actor.Audit(ctx, tx, "composition.run", "call", view.Call.ID, map[string]any{"composition": run.ID,
			"capacity": run.Capacity, "per_org": run.PerOrg, "max_per_org": run.MaxPerOrg, "min_score": run.MinScore,
			"applications": len(plan.Results), "new_offers": made})
	})
	return plan, made, err
}

func runBy(a directory.Actor) string {
	if a.Principal == nil {
		return "worker"
	}
	return a.Principal.AccountID
}

// inputs is what the composition read, for its record.
func (p *Plan) inputs() []compose.Applicant {
	out := make([]compose.Applicant, len(p.Results))
	for i, r := range p.Results {
		out[i] = r.Applicant
		if r.New { // as it was read: active, the offer comes from this run
			out[i].Status = compose.StatusActive
		}
	}
	return out
}

// offerMail queues an offer's e-mail: made, or a reminder (dedupe makes it go once).
func offerMail(ctx context.Context, tx *storage.Store, m mail.Site, view storage.CallView, row storage.ApplicationRow,
	o model.Offer, message, dedupe string) error {
	loc := time.UTC
	if r, ok := territory.RegionByCode(view.Cohort.RegionCode); ok {
		loc = r.Location()
	}
	name := row.Person.FirstName + " " + row.Person.LastName
	if row.Person.ID == "" {
		name = row.Email
	}
	return mail.Queue(ctx, tx, row.Email, message, map[string]any{
		"Brand": m.Brand, "Name": name, "Programme": view.Programme.Title, "Cohort": view.Cohort.Label,
		"Deadline": i18n.DateTimeZone(o.Deadline, loc), "Link": m.BaseURL + "/offres/" + o.ID,
	}, dedupe)
}

// ErrAnswered: the offer was answered, lapsed or withdrawn already.
var ErrAnswered = errors.New("offer no longer open")

// Answer records a candidate's answer to their offer before its deadline. A decline frees
// the seat, which goes to the next candidate at once, in the same transaction.
func Answer(ctx context.Context, s *storage.Store, actor directory.Actor, m mail.Site, view storage.CallView, o model.Offer, accept bool) error {
	if o.Status != model.OfferPending || !s.Clock.Now().Before(o.Deadline) {
		return ErrAnswered
	}
	to, action := model.OfferDeclined, "offer.decline"
	if accept {
		to, action = model.OfferAccepted, "offer.accept"
	}
	err := s.InTx(ctx, func(tx *storage.Store) error {
		if err := tx.AnswerOffer(ctx, o.ID, model.OfferPending, to); err != nil {
			return err
		}
		if err := actor.Audit(ctx, tx, action, "application", o.ApplicationID, map[string]any{"offer": o.ID, "seat": o.Seat}); err != nil {
			return err
		}
		if accept { // the candidate becomes a learner of the cohort
			a, err := tx.Application(ctx, o.ApplicationID)
			if err != nil {
				return err
			}
			return tx.Enrol(ctx, view.Cohort.ID, a.ID, a.AccountID)
		}
		return refill(ctx, tx, directory.Actor{Via: "decline"}, m, view)
	})
	if errors.Is(err, storage.ErrNotFound) {
		return ErrAnswered
	}
	return err
}

// refill offers a freed seat to the next candidate. While a declared structure waits to be
// resolved it cannot: the answer stands, and the job runner's sweep offers the seat once
// the manager has resolved it.
func refill(ctx context.Context, tx *storage.Store, actor directory.Actor, m mail.Site, view storage.CallView) error {
	_, _, err := SendOffers(ctx, tx, actor, m, view)
	if errors.Is(err, ErrUnresolved) {
		return nil
	}
	return err
}

// WithdrawSeat frees an accepted seat (the candidate gave up after accepting, or the manager
// withdrew it); the next candidate gets it at once.
func WithdrawSeat(ctx context.Context, s *storage.Store, actor directory.Actor, m mail.Site, view storage.CallView, o model.Offer) error {
	err := s.InTx(ctx, func(tx *storage.Store) error {
		if err := tx.AnswerOffer(ctx, o.ID, model.OfferAccepted, model.OfferWithdrawn); err != nil {
			return err
		}
		if err := actor.Audit(ctx, tx, "offer.withdraw", "application", o.ApplicationID, map[string]any{"offer": o.ID, "seat": o.Seat}); err != nil {
			return err
		}
		if err := tx.LeaveCohort(ctx, o.ApplicationID); err != nil {
			return err
		}
		return refill(ctx, tx, directory.Actor{Via: "withdrawal"}, m, view)
	})
	if errors.Is(err, storage.ErrNotFound) {
		return ErrAnswered
	}
	return err
}

// Sweep is the job runner's part, run by every instance: it lapses the offers past their
// deadline, offers each freed seat to the next candidate, and queues the reminders due
// (48 h and 24 h before a deadline). Every step is claimed in the database, so two instances
// sweeping at once do each thing once.
func Sweep(ctx context.Context, s *storage.Store, m mail.Site) (lapsed, offered int, err error) {
	expired, err := s.ExpiredOffers(ctx)
	if err != nil {
		return 0, 0, err
	}
	worker := directory.Actor{Via: "worker"}
	for _, o := range expired {
		err := s.InTx(ctx, func(tx *storage.Store) error {
			if err := tx.AnswerOffer(ctx, o.ID, model.OfferPending, model.OfferLapsed); err != nil {
				return err
			}
			return worker.Audit(ctx, tx, "offer.lapse", "application", o.ApplicationID, map[string]any{"offer": o.ID, "seat": o.Seat})
		})
		switch {
		case errors.Is(err, storage.ErrNotFound): // another instance lapsed it
		case err != nil:
			return lapsed, offered, err
		default:
			lapsed++
		}
	}
	calls, err := s.CallsWithFreeSeats(ctx)
	if err != nil {
		return lapsed, offered, err
	}
	for _, callID := range calls {
		view, err := s.CallView(ctx, callID)
		if err != nil {
			return lapsed, offered, err
		}
		_, n, err := SendOffers(ctx, s, worker, m, view)
		switch {
		case errors.Is(err, storage.ErrAlreadyExists), errors.Is(err, ErrUnresolved):
			// another instance filled the seat first, or the manager has declarations to resolve
		case err != nil:
			return lapsed, offered, err
		}
		offered += n
	}
	return lapsed, offered, offerReminders(ctx, s, m)
}

// offerReminders: 48 h before the deadline (while it is more than 24 h away), and 24 h before.
func offerReminders(ctx context.Context, s *storage.Store, m mail.Site) error {
	now := s.Clock.Now()
	for _, w := range []struct {
		key          string
		within, from time.Duration
	}{{"48h", 48 * time.Hour, 24 * time.Hour}, {"24h", 24 * time.Hour, 0}} {
		due, err := s.PendingOffersDueBetween(ctx, now.Add(w.from), now.Add(w.within))
		if err != nil {
			return err
		}
		for _, o := range due {
			view, err := s.CallView(ctx, o.CallID)
			if err != nil {
				return err
			}
			rows, err := s.Applications(ctx, storage.ApplicationFilter{Scope: policy.Scope{Everywhere: true}, CallID: o.CallID})
			if err != nil {
				return err
			}
			for _, r := range rows {
				if r.Application.ID == o.ApplicationID {
					if err := offerMail(ctx, s, m, view, r, o, "offer_reminder", fmt.Sprintf("offer-%s:%s", w.key, o.ID)); err != nil {
						return err
					}
				}
			}
		}
	}
	return nil
}

// ResolveStructure matches a declared structure to one of the directory.
func ResolveStructure(ctx context.Context, s *storage.Store, actor directory.Actor, a model.Application, structureID string) error {
	st, err := s.Structure(ctx, structureID)
	if err != nil {
		return err
	}
	if !st.Kind.IsCare() {
		return storage.ErrNotFound
	}
	return s.InTx(ctx, func(tx *storage.Store) error {
		if err := tx.ResolveStructure(ctx, a.ID, st.ID); err != nil {
			return err
		}
		return actor.Audit(ctx, tx, "application.resolve_structure", "application", a.ID,
			map[string]any{"declared": a.DeclaredName, "structure": st.ID, "name": st.Name})
	})
}
