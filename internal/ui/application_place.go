package ui

import (
	"context"
	"net/http"

	"parcours/internal/compose"
	"parcours/internal/model"
	"parcours/internal/selection"
	"parcours/internal/storage"
)

// candidatePlace is what a candidate reads on their application pages about their place in
// the cohort once offers went out: their own figures and sentence, never anyone else's.
type candidatePlace struct {
	Decision   string
	Sentence   string
	Score      string
	OrgRank    int
	Tier       int
	Position   int // on the waitlist; 0 otherwise
	Offer      *model.Offer
	OfferState string
}

// candidatePlace explains the place of an application, or nil while no composition sent
// offers for its call, or when the composition leaves it out (a draft, an ineligible one).
func (h *Handler) candidatePlace(ctx context.Context, a model.Application, v storage.CallView) (*candidatePlace, error) {
	if a.Status == model.ApplicationDraft {
		return nil, nil
	}
	// A run is recorded only when it makes offers: offers exist once a composition ran.
	offers, err := h.Store.Offers(ctx, v.Call.ID)
	if err != nil || len(offers) == 0 {
		return nil, err
	}
	b, err := selection.Load(ctx, h.Store, v)
	if err != nil {
		return nil, err
	}
	plan, err := selection.Compute(ctx, h.Store, b)
	if err != nil {
		return nil, err
	}
	for _, f := range planFacts(b, plan, v.Cohort.RegionCode) {
		if f.ID != a.ID {
			continue
		}
		p := &candidatePlace{Decision: decisionLabel(f), Sentence: placeSentence(f, true), Score: f.ScoreText(),
			OrgRank: f.OrgRank, Tier: f.Tier, Offer: f.Offer}
		if f.Decision == compose.DecisionWaitlisted {
			p.Position = f.Position
		}
		if f.Offer != nil {
			p.OfferState = offerStatusLabel(f.Offer.Status)
		}
		return p, nil
	}
	return nil, nil
}

// candidatePlaces explains the place of each of a candidate's applications that has one, by
// application id.
func (h *Handler) candidatePlaces(r *http.Request, rows []storage.ApplicationRow) (map[string]*candidatePlace, error) {
	out := map[string]*candidatePlace{}
	for _, row := range rows {
		p, err := h.candidatePlace(r.Context(), row.Application, row.Call)
		if err != nil {
			return nil, err
		}
		if p != nil {
			out[row.Application.ID] = p
		}
	}
	return out, nil
}
