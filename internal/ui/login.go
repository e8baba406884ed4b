package ui

import (
	"errors"
	"net/http"

	"parcours/internal/auth"
	"parcours/internal/httpx"
	"parcours/internal/i18n"
)

type loginData struct {
	Email string
	Next  string
}

// LoginForm shows the login page.
func (h *Handler) LoginForm(w http.ResponseWriter, r *http.Request) {
	if httpx.Principal(r) != nil {
		http.Redirect(w, r, "/", http.StatusSeeOther)
		return
	}
	p := h.page(w, r, "login", i18n.T("login.title"), loginData{Next: safeNext(r.URL.Query().Get("suivant"))})
	p.Nav = "login"
	h.render(w, r, http.StatusOK, p)
}

// Login checks the e-mail and password, opens a session and goes where the visitor was going.
func (h *Handler) Login(w http.ResponseWriter, r *http.Request) {
	data := loginData{Email: formValue(r, "email"), Next: safeNext(r.PostFormValue("next"))}
	a, err := h.Auth.Login(r.Context(), data.Email, r.PostFormValue("password"), httpx.ClientIP(r))
	if err == nil {
		if err := h.Auth.StartSession(r.Context(), w, r, a.ID, httpx.ClientIP(r)); err != nil {
			h.serverError(w, r, err)
			return
		}
		http.Redirect(w, r, data.Next, http.StatusSeeOther)
		return
	}
	p := h.page(w, r, "login", i18n.T("login.title"), data)
	p.Nav = "login"
	status := http.StatusUnauthorized
	switch {
	case errors.Is(err, auth.ErrThrottled):
		status = http.StatusTooManyRequests
		p.Errors.Add("email", "throttled", i18n.T("login.throttled", int(auth.ThrottleWindow.Minutes())))
	case errors.Is(err, auth.ErrBadCredentials):
		p.Errors.Add("email", "invalid", i18n.T("login.bad_credentials"))
	default:
		h.serverError(w, r, err)
		return
	}
	h.render(w, r, status, p)
}

// Logout ends the session.
func (h *Handler) Logout(w http.ResponseWriter, r *http.Request) {
	h.Auth.EndSession(r.Context(), w, r)
	redirect(w, r, "/connexion", "flash.logged_out")
}
