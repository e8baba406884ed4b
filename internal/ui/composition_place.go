package ui

import (
	"fmt"

	"parcours/internal/compose"
	"parcours/internal/i18n"
	"parcours/internal/model"
	"parcours/internal/selection"
)

// The composition explained: for each candidate, the rule that decided and the figures
// behind it, in one sentence written for the manager (third person) or for the candidate
// (second person). The manager's table, its exports and the candidate's pages all use
// placeSentence, so they cannot tell two stories.

// placeFacts is one result of a composition with what its sentence needs.
type placeFacts struct {
	compose.Explanation
	Scored bool         // at least one submitted review; else the score reads "—"
	Org    string       // what the organisation is called ("CPTS", "MSP", "structure"); "" when none
	Offer  *model.Offer // the offer made to the application, if any
	Seat   int          // a new offer's place among the seats: accepted seats first, then the offers
	Region string       // the cohort's région, in whose zone dates are written
}

// planFacts explains every result of a plan, in the plan's order.
func planFacts(b *selection.Board, plan *selection.Plan, region string) []placeFacts {
	accepted := 0
	for _, r := range plan.Results {
		if r.Decision == compose.DecisionAccepted {
			accepted++
		}
	}
	out := make([]placeFacts, len(plan.Explanations))
	for i, e := range plan.Explanations {
		f := placeFacts{Explanation: e, Scored: b.ScoreOf(e.ID).Submitted > 0, Region: region}
		if e.Organisation != "" {
			f.Org = orgNoun(plan.Rows[e.ID].Structure.Kind)
		}
		if o, ok := plan.Offers[e.ID]; ok {
			f.Offer = &o
		}
		if e.New { // Position counts the pending offers, the seats held come before them
			f.Seat = accepted + e.Position
		}
		out[i] = f
	}
	return out
}

// orgNoun names an organisation in a sentence: "sa CPTS", else "sa structure" (the other
// kinds' names would need "son" before a vowel, or are masculine).
func orgNoun(k model.StructureKind) string {
	if k == model.KindCPTS {
		return i18n.T("structure.kind.cpts")
	}
	return i18n.T("composition.org.structure")
}

// scoreText writes a score kept in hundredths the French way: 72,50.
func scoreText(v int) string { return fmt.Sprintf("%d,%02d", v/100, v%100) }

// ScoreText is the score as shown, "—" when no review was submitted.
func (f placeFacts) ScoreText() string {
	if !f.Scored {
		return "—"
	}
	return scoreText(f.Score)
}

// say picks the manager's or the candidate's version of a sentence.
func say(you bool, manager, candidate string, args ...any) string {
	if you {
		return i18n.T(candidate, args...)
	}
	return i18n.T(manager, args...)
}

// placeSentence says why a candidate stands where they stand, from the rule's code and the
// figures; you writes it for the candidate.
func placeSentence(f placeFacts, you bool) string {
	rank := say(you, "composition.why.alone", "composition.you.alone", f.Tier)
	if f.Org != "" {
		rank = say(you, "composition.why.rank", "composition.you.rank", f.OrgRank, f.Org, f.Tier)
	}
	switch f.Reason {
	case compose.ReasonSeatHeld:
		return say(you, "composition.why.seat_held", "composition.you.seat_held", rank)
	case compose.ReasonOfferPending:
		deadline := ""
		if f.Offer != nil {
			deadline = dateIn(f.Offer.Deadline, f.Region)
		}
		return say(you, "composition.why.offer_pending", "composition.you.offer_pending", rank, deadline)
	case compose.ReasonWithinCapacity:
		return say(you, "composition.why.within_capacity", "composition.you.within_capacity", rank, f.Seat, f.Params.Capacity)
	case compose.ReasonCapacityFull:
		switch {
		case f.Tier > 1 && f.OrgSeats > 0: // the organisation's better candidates hold its seats
			if you {
				return i18n.N("composition.you.org_has_seat", f.OrgSeats, f.Position, f.Org, f.OrgRank, f.Tier)
			}
			return i18n.N("composition.why.org_has_seat", f.OrgSeats, f.Position, f.Org, f.OrgRank, f.Tier)
		case f.Tier > 1: // they wait too, ahead of this one
			return say(you, "composition.why.org_ahead", "composition.you.org_ahead", f.Position, f.Org, f.OrgRank, f.Tier)
		}
		return say(you, "composition.why.capacity_full", "composition.you.capacity_full", f.Position, f.Params.Capacity, rank)
	case compose.ReasonBelowMinScore:
		return say(you, "composition.why.below_min_score", "composition.you.below_min_score", f.ScoreText(),
			scoreText(f.Params.MinScore))
	case compose.ReasonOverOrgMax:
		return say(you, "composition.why.over_org_max", "composition.you.over_org_max", f.OrgRank, f.Org, f.Params.MaxPerOrg)
	case compose.ReasonDeclined:
		if f.Offer != nil && f.Offer.Status == model.OfferLapsed {
			return say(you, "composition.why.lapsed", "composition.you.lapsed", dateIn(f.Offer.Deadline, f.Region))
		}
		return say(you, "composition.why.declined", "composition.you.declined")
	case compose.ReasonWithdrawn:
		if f.Offer != nil && f.Offer.Status == model.OfferWithdrawn {
			return say(you, "composition.why.seat_freed", "composition.you.seat_freed")
		}
		return say(you, "composition.why.withdrawn", "composition.you.withdrawn")
	}
	return ""
}

// decisionLabel is the decision in a few words, the same for the manager and the candidate.
func decisionLabel(f placeFacts) string {
	switch f.Decision {
	case compose.DecisionAccepted:
		return i18n.T("composition.decision.accepted")
	case compose.DecisionOffered:
		if f.New {
			return i18n.T("composition.decision.to_offer")
		}
		return i18n.T("composition.decision.offered")
	case compose.DecisionWaitlisted:
		return i18n.T("composition.decision.waitlisted")
	case compose.DecisionNotRetained:
		return i18n.T("composition.decision.not_retained")
	case compose.DecisionDeclined:
		if f.Offer != nil && f.Offer.Status == model.OfferLapsed {
			return i18n.T("composition.decision.lapsed")
		}
		return i18n.T("composition.decision.declined")
	case compose.DecisionWithdrawn:
		return i18n.T("composition.decision.withdrawn")
	}
	return ""
}

// offerStatusLabel says where an offer stands.
func offerStatusLabel(s model.OfferStatus) string {
	switch s {
	case model.OfferPending:
		return i18n.T("composition.offer.pending")
	case model.OfferAccepted:
		return i18n.T("composition.offer.accepted")
	case model.OfferDeclined:
		return i18n.T("composition.offer.declined")
	case model.OfferLapsed:
		return i18n.T("composition.offer.lapsed")
	case model.OfferWithdrawn:
		return i18n.T("composition.offer.withdrawn")
	}
	return ""
}
