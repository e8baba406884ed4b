package ui

import (
	"errors"
	"net/http"

	"parcours/internal/auth"
	"parcours/internal/i18n"
	"parcours/internal/storage"
)

// PasswordResetForm asks for a new password, if the link is still good.
func (h *Handler) PasswordResetForm(w http.ResponseWriter, r *http.Request) {
	token := r.URL.Query().Get("jeton")
	data := map[string]any{"Token": token, "Valid": h.Auth.ResetLinkValid(r.Context(), token), "Min": auth.MinPasswordLength}
	h.render(w, r, http.StatusOK, h.page(w, r, "password_reset", i18n.T("password_reset.title"), data))
}

// PasswordReset sets the new password and sends the person to the login page.
func (h *Handler) PasswordReset(w http.ResponseWriter, r *http.Request) {
	token, pw := r.PostFormValue("token"), r.PostFormValue("password")
	data := map[string]any{"Token": token, "Valid": true, "Min": auth.MinPasswordLength}
	p := h.page(w, r, "password_reset", i18n.T("password_reset.title"), data)
	switch {
	case auth.CheckPasswordRules(pw) != nil:
		p.Errors.Add("password", "invalid", i18n.T("validation.password", auth.MinPasswordLength))
	case pw != r.PostFormValue("confirm"):
		p.Errors.Add("confirm", "inconsistent", i18n.T("validation.password_confirm"))
	}
	if p.Errors.Any() {
		h.render(w, r, http.StatusUnprocessableEntity, p)
		return
	}
	if _, err := h.Auth.ResetPassword(r.Context(), token, pw); err != nil {
		if errors.Is(err, storage.ErrNotFound) {
			data["Valid"] = false
			h.render(w, r, http.StatusGone, p)
			return
		}
		h.serverError(w, r, err)
		return
	}
	redirect(w, r, "/connexion", "flash.password_changed")
}
