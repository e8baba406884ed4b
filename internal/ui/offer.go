package ui

import (
	"errors"
	"net/http"

	"parcours/internal/httpx"
	"parcours/internal/i18n"
	"parcours/internal/model"
	"parcours/internal/selection"
	"parcours/internal/storage"
	"parcours/internal/validator"
)

// The seat offered to a candidate: accept, decline (confirmed), or give it up after accepting.

// offerPage is what the candidate reads about the seat offered to them.
type offerPage struct {
	Offer   model.Offer
	App     model.Application
	View    storage.CallView
	State   string // open, expired (past the deadline, not yet lapsed), or the offer's status
	Seats   int
	Refusal string
}

// loadOwnOffer loads the offer of the URL if it was made to the caller; anyone else's is not
// found, like an offer that does not exist.
func (h *Handler) loadOwnOffer(w http.ResponseWriter, r *http.Request) (model.Offer, model.Application, storage.CallView, bool) {
	ctx := r.Context()
	o, err := h.Store.Offer(ctx, r.PathValue("id"))
	var a model.Application
	if err == nil {
		a, err = h.Store.Application(ctx, o.ApplicationID)
	}
	if err == nil && a.AccountID != httpx.Principal(r).AccountID {
		err = storage.ErrNotFound
	}
	var v storage.CallView
	if err == nil {
		v, err = h.Store.CallView(ctx, o.CallID)
	}
	if err != nil {
		h.fail(w, r, err)
		return o, a, v, false
	}
	return o, a, v, true
}

// renderOffer shows the offer; refusal says why an answer was not taken.
func (h *Handler) renderOffer(w http.ResponseWriter, r *http.Request, status int, o model.Offer, a model.Application,
	v storage.CallView, errs validator.Errors, refusal string) {
	d := offerPage{Offer: o, App: a, View: v, State: string(o.Status), Seats: v.Cohort.Capacity, Refusal: refusal}
	if o.Status == model.OfferPending {
		d.State = "open"
		if !h.Store.Clock.Now().Before(o.Deadline) {
			d.State = "expired" // the sweep has not lapsed it yet; answering is refused all the same
		}
	}
	pg := h.page(w, r, "offer_show", i18n.T("offer.title", v.Programme.Title), d)
	pg.Nav, pg.Errors = "applications", errs
	h.render(w, r, status, pg)
}

// OfferShow shows the offer to its candidate.
func (h *Handler) OfferShow(w http.ResponseWriter, r *http.Request) {
	o, a, v, ok := h.loadOwnOffer(w, r)
	if !ok {
		return
	}
	h.renderOffer(w, r, http.StatusOK, o, a, v, nil, "")
}

// OfferAnswer accepts or declines the offer; declining must be confirmed, since the seat
// goes to the next candidate at once.
func (h *Handler) OfferAnswer(w http.ResponseWriter, r *http.Request) {
	o, a, v, ok := h.loadOwnOffer(w, r)
	if !ok {
		return
	}
	decision := formValue(r, "decision")
	var errs validator.Errors
	switch decision {
	case "accept":
	case "decline":
		if r.PostFormValue("confirm") != "1" {
			errs.Add("confirm", "required", i18n.T("offer.decline.confirm_required"))
		}
	default:
		errs.Add("decision", "required", i18n.T("offer.decision_required"))
	}
	if errs.Any() {
		h.renderOffer(w, r, http.StatusUnprocessableEntity, o, a, v, errs, "")
		return
	}
	accept := decision == "accept"
	err := selection.Answer(r.Context(), h.Store, actor(r), h.mailing(), v, o, accept)
	if h.offerRefused(w, r, err, a, v) {
		return
	}
	if accept {
		redirect(w, r, "/offres/"+o.ID, "flash.offer_accepted")
		return
	}
	redirect(w, r, "/offres/"+o.ID, "flash.offer_declined")
}

// OfferGiveUp gives up an accepted seat, once confirmed; the next candidate is offered it.
func (h *Handler) OfferGiveUp(w http.ResponseWriter, r *http.Request) {
	o, a, v, ok := h.loadOwnOffer(w, r)
	if !ok {
		return
	}
	if r.PostFormValue("confirm") != "1" {
		var errs validator.Errors
		errs.Add("give_up", "required", i18n.T("offer.give_up.confirm_required"))
		h.renderOffer(w, r, http.StatusUnprocessableEntity, o, a, v, errs, "")
		return
	}
	err := selection.WithdrawSeat(r.Context(), h.Store, actor(r), h.mailing(), v, o)
	if h.offerRefused(w, r, err, a, v) {
		return
	}
	redirect(w, r, "/offres/"+o.ID, "flash.offer_given_up")
}

// offerRefused answers an answer that could not be recorded, and reports whether it did:
// the offer is no longer open (409), or the seat could not go to the next candidate at once
// (409, nothing recorded: the candidate tries again).
func (h *Handler) offerRefused(w http.ResponseWriter, r *http.Request, err error, a model.Application, v storage.CallView) bool {
	var key string
	switch {
	case err == nil:
		return false
	case errors.Is(err, selection.ErrAnswered):
		key = "offer.closed"
	case errors.Is(err, selection.ErrUnresolved), errors.Is(err, storage.ErrAlreadyExists):
		key = "offer.retry"
	default:
		h.serverError(w, r, err)
		return true
	}
	o, ferr := h.Store.Offer(r.Context(), r.PathValue("id")) // as it is now
	if ferr != nil {
		h.serverError(w, r, ferr)
		return true
	}
	h.renderOffer(w, r, http.StatusConflict, o, a, v, nil, i18n.T(key))
	return true
}
