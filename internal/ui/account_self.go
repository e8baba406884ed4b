package ui

import (
	"net/http"
	"strings"
	"unicode/utf8"

	"parcours/internal/auth"
	"parcours/internal/httpx"
	"parcours/internal/i18n"
	"parcours/internal/storage"
	"parcours/internal/validator"
)

// newTokenCookie carries a token just made to the page that shows it once, so that the form
// can redirect (reloading the page must not make another token).
const newTokenCookie = "parcours_new_token"

// AccountSelf shows the caller's account, roles and personal API tokens.
func (h *Handler) AccountSelf(w http.ResponseWriter, r *http.Request) {
	token := ""
	if c, err := r.Cookie(newTokenCookie); err == nil {
		token = c.Value
		http.SetCookie(w, &http.Cookie{Name: newTokenCookie, Path: "/compte", MaxAge: -1, HttpOnly: true,
			Secure: h.Config.SecureCookies(), SameSite: http.SameSiteStrictMode})
	}
	h.accountSelf(w, r, http.StatusOK, token, "", nil)
}

func (h *Handler) accountSelf(w http.ResponseWriter, r *http.Request, status int, newToken, name string, errs validator.Errors) {
	p := httpx.Principal(r)
	tokens, err := h.Store.APITokens(r.Context(), p.AccountID)
	if err != nil {
		h.serverError(w, r, err)
		return
	}
	pg := h.page(w, r, "account_self", i18n.T("account.self.title"), map[string]any{
		"Tokens": tokens, "NewToken": newToken, "Name": name, "APIBase": h.Config.BaseURL.String() + "/api/v1"})
	pg.Nav, pg.Errors = "account", errs
	h.render(w, r, status, pg)
}

// TokenCreate makes a personal API token and shows it once: only its hash is kept.
func (h *Handler) TokenCreate(w http.ResponseWriter, r *http.Request) {
	name := strings.TrimSpace(r.PostFormValue("name"))
	var errs validator.Errors
	switch {
	case name == "":
		errs.Add("name", "required", i18n.T("validation.required"))
	case utf8.RuneCountInString(name) > 80:
		errs.Add("name", "too_long", i18n.T("validation.too_long", 80))
	}
	if errs.Any() {
		h.accountSelf(w, r, http.StatusUnprocessableEntity, "", name, errs)
		return
	}
	token, hash := auth.NewToken()
	p := httpx.Principal(r)
	t := &storage.APIToken{AccountID: p.AccountID, Name: name, TokenHash: hash}
	err := h.Store.InTx(r.Context(), func(tx *storage.Store) error {
		if err := tx.CreateAPIToken(r.Context(), t); err != nil {
			return err
		}
		return tx.Audit(r.Context(), storage.AuditEntry{AccountID: p.AccountID, Action: "token.create",
			SubjectType: "account", SubjectID: p.AccountID, IP: httpx.ClientIP(r), Details: map[string]any{"token": t.ID}})
	})
	if err != nil {
		h.serverError(w, r, err)
		return
	}
	http.SetCookie(w, &http.Cookie{Name: newTokenCookie, Value: token, Path: "/compte", MaxAge: 120, HttpOnly: true,
		Secure: h.Config.SecureCookies(), SameSite: http.SameSiteStrictMode})
	http.Redirect(w, r, "/compte", http.StatusSeeOther)
}

// TokenRevoke revokes one of the caller's tokens.
func (h *Handler) TokenRevoke(w http.ResponseWriter, r *http.Request) {
	p := httpx.Principal(r)
	err := h.Store.InTx(r.Context(), func(tx *storage.Store) error {
		if err := tx.RevokeAPIToken(r.Context(), p.AccountID, r.PathValue("id")); err != nil {
			return err
		}
		return tx.Audit(r.Context(), storage.AuditEntry{AccountID: p.AccountID, Action: "token.revoke", SubjectType: "account",
			SubjectID: p.AccountID, IP: httpx.ClientIP(r), Details: map[string]any{"token": r.PathValue("id")}})
	})
	if err != nil {
		h.fail(w, r, err)
		return
	}
	redirect(w, r, "/compte", "flash.token_revoked")
}

// OutboxList shows the latest e-mails and whether they left, for the operator.
func (h *Handler) OutboxList(w http.ResponseWriter, r *http.Request) {
	msgs, err := h.Store.OutboxMessages(r.Context(), 100)
	if err != nil {
		h.serverError(w, r, err)
		return
	}
	counts, err := h.Store.OutboxCounts(r.Context())
	if err != nil {
		h.serverError(w, r, err)
		return
	}
	dir := ""
	if h.Config.SMTPHost == "" {
		dir = h.Config.MailDir
	}
	pg := h.page(w, r, "outbox_list", i18n.T("outbox.title"), map[string]any{"Messages": msgs, "Counts": counts, "Dir": dir})
	pg.Nav = "admin"
	h.render(w, r, http.StatusOK, pg)
}
