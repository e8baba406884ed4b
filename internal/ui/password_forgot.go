package ui

import (
	"errors"
	"net/http"
	"time"

	"parcours/internal/auth"
	"parcours/internal/i18n"
	"parcours/internal/mail"
	"parcours/internal/model"
	"parcours/internal/storage"
)

// PasswordForgotForm asks for the e-mail to send a reset link to.
func (h *Handler) PasswordForgotForm(w http.ResponseWriter, r *http.Request) {
	h.render(w, r, http.StatusOK, h.page(w, r, "password_forgot", i18n.T("password_forgot.title"), map[string]string{}))
}

// PasswordForgot sends a reset link when the e-mail has an account. The answer is the same
// either way, so that the page does not tell who has an account.
func (h *Handler) PasswordForgot(w http.ResponseWriter, r *http.Request) {
	email := formValue(r, "email")
	if email == "" {
		p := h.page(w, r, "password_forgot", i18n.T("password_forgot.title"), map[string]string{})
		p.Errors.Add("email", "required", i18n.T("validation.required"))
		h.render(w, r, http.StatusUnprocessableEntity, p)
		return
	}
	err := h.Store.InTx(r.Context(), func(tx *storage.Store) error {
		a, err := tx.AccountByEmail(r.Context(), email)
		if errors.Is(err, storage.ErrNotFound) || (err == nil && !a.DisabledAt.IsZero()) {
			return nil
		}
		if err != nil {
			return err
		}
		if n, err := tx.PasswordResetsSince(r.Context(), a.ID, tx.Clock.Now().Add(-time.Hour)); err != nil || n >= auth.MaxResetsPerHour {
			return err // enough links in the mailbox already; the page says the same either way
		}
		return h.sendPasswordLink(r, tx, a, "password_reset", auth.ResetLinkTTL)
	})
	if err != nil {
		h.serverError(w, r, err)
		return
	}
	redirect(w, r, "/connexion", "flash.reset_sent")
}

// sendPasswordLink queues the e-mail (password_reset or account_invite) carrying a link with
// which the account's owner chooses a password.
func (h *Handler) sendPasswordLink(r *http.Request, tx *storage.Store, a model.Account, message string, ttl time.Duration) error {
	token, expires, err := auth.NewPasswordLink(r.Context(), tx, a.ID, ttl)
	if err != nil {
		return err
	}
	return mail.Queue(r.Context(), tx, a.Email, message, map[string]any{
		"Brand": h.Config.BrandName, "Name": a.DisplayName, "Email": a.Email,
		"Link":    h.Config.BaseURL.String() + "/mot-de-passe/nouveau?jeton=" + token,
		"Expires": dateIn(expires, ""),
	}, "")
}
