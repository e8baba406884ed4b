package ui

import (
	"errors"
	"net/http"
	"net/url"
	"strings"
	"time"

	"parcours/internal/auth"
	"parcours/internal/httpx"
	"parcours/internal/i18n"
	"parcours/internal/mail"
	"parcours/internal/model"
	"parcours/internal/storage"
	"parcours/internal/validator"
)

// VerificationTTL is how long a sign-up's confirmation link works.
const VerificationTTL = 48 * time.Hour

type signupData struct {
	FirstName, LastName, Email, Next string
	Min                              int
}

// SignupForm is where a candidate creates an account.
func (h *Handler) SignupForm(w http.ResponseWriter, r *http.Request) {
	if httpx.Principal(r) != nil {
		http.Redirect(w, r, safeNext(r.URL.Query().Get("suivant")), http.StatusSeeOther)
		return
	}
	h.signupForm(w, r, http.StatusOK, signupData{Next: safeNext(r.URL.Query().Get("suivant"))}, nil)
}

func (h *Handler) signupForm(w http.ResponseWriter, r *http.Request, status int, d signupData, errs validator.Errors) {
	d.Min = auth.MinPasswordLength
	pg := h.page(w, r, "signup", i18n.T("signup.title"), d)
	pg.Nav, pg.Errors = "signup", errs
	h.render(w, r, status, pg)
}

// Signup creates a candidate account and e-mails a link that confirms the address. The page
// that follows is the same whether the address already had an account or not (then that
// account's owner gets a link to choose a password instead), so that nobody learns who has
// an account here.
func (h *Handler) Signup(w http.ResponseWriter, r *http.Request) {
	d := signupData{FirstName: formValue(r, "first_name"), LastName: formValue(r, "last_name"), Email: formValue(r, "email"),
		Next: safeNext(r.PostFormValue("next"))}
	pw := r.PostFormValue("password")
	a := model.Account{Email: d.Email, DisplayName: strings.TrimSpace(d.FirstName + " " + d.LastName)}
	var errs validator.Errors
	for _, e := range validator.Account(&a) {
		if e.Field == "email" { // the name is checked as its two parts
			errs = append(errs, e)
		}
	}
	for _, f := range []struct{ field, value string }{{"first_name", d.FirstName}, {"last_name", d.LastName}} {
		switch {
		case f.value == "":
			errs.Add(f.field, "required", i18n.T("validation.required"))
		case len([]rune(f.value)) > 100:
			errs.Add(f.field, "too_long", i18n.T("validation.too_long", 100))
		}
	}
	if auth.CheckPasswordRules(pw) != nil {
		errs.Add("password", "invalid", i18n.T("validation.password", auth.MinPasswordLength))
	} else if pw != r.PostFormValue("confirm") {
		errs.Add("confirm", "inconsistent", i18n.T("validation.password_confirm"))
	}
	if errs.Any() {
		h.signupForm(w, r, http.StatusUnprocessableEntity, d, errs)
		return
	}
	hash, err := auth.HashPassword(pw)
	if err != nil {
		h.serverError(w, r, err)
		return
	}
	a.PasswordHash = hash
	err = h.Store.InTx(r.Context(), func(tx *storage.Store) error {
		existing, err := tx.AccountByEmail(r.Context(), a.Email)
		if err == nil {
			if n, err := tx.PasswordResetsSince(r.Context(), existing.ID, tx.Clock.Now().Add(-time.Hour)); err != nil || n >= auth.MaxResetsPerHour {
				return err
			}
			return h.sendPasswordLink(r, tx, existing, "password_reset", auth.ResetLinkTTL)
		}
		if !errors.Is(err, storage.ErrNotFound) {
			return err
		}
		if err := tx.CreateAccount(r.Context(), &a); err != nil {
			return err
		}
		if err := tx.Grant(r.Context(), &model.Grant{AccountID: a.ID, Role: model.RoleCandidate}); err != nil {
			return err
		}
		if err := tx.Audit(r.Context(), storage.AuditEntry{AccountID: a.ID, Action: "account.signup", SubjectType: "account",
			SubjectID: a.ID, IP: httpx.ClientIP(r)}); err != nil {
			return err
		}
		return h.sendVerification(r, tx, a, d.Next)
	})
	if err != nil {
		h.serverError(w, r, err)
		return
	}
	pg := h.page(w, r, "signup_sent", i18n.T("signup.sent_title"), map[string]any{"Email": a.Email})
	pg.Nav = "signup"
	h.render(w, r, http.StatusOK, pg)
}

// sendVerification queues the e-mail whose link confirms the account's address, then goes
// to next.
func (h *Handler) sendVerification(r *http.Request, tx *storage.Store, a model.Account, next string) error {
	token, hash := auth.NewToken()
	expires := tx.Clock.Now().Add(VerificationTTL)
	if err := tx.CreateEmailVerification(r.Context(), hash, a.ID, expires); err != nil {
		return err
	}
	link := h.Config.BaseURL.String() + "/inscription/verification?jeton=" + token
	if next != "/" {
		link += "&suivant=" + url.QueryEscape(next)
	}
	return mail.Queue(r.Context(), tx, a.Email, "email_verification", map[string]any{
		"Brand": h.Config.BrandName, "Name": a.DisplayName, "Link": link, "Expires": dateIn(expires, ""),
	}, "")
}

// VerifyEmail confirms the address of a link, opens a session and goes where the person was
// going (the call they were applying to).
func (h *Handler) VerifyEmail(w http.ResponseWriter, r *http.Request) {
	accountID, err := h.Store.UseEmailVerification(r.Context(), auth.HashToken(r.URL.Query().Get("jeton")))
	if errors.Is(err, storage.ErrNotFound) {
		pg := h.page(w, r, "signup_sent", i18n.T("signup.link_invalid_title"), map[string]any{"Invalid": true})
		h.render(w, r, http.StatusGone, pg)
		return
	}
	if err != nil {
		h.serverError(w, r, err)
		return
	}
	if err := h.Auth.StartSession(r.Context(), w, r, accountID, httpx.ClientIP(r)); err != nil {
		h.serverError(w, r, err)
		return
	}
	redirect(w, r, safeNext(r.URL.Query().Get("suivant")), "flash.email_verified")
}

// ResendVerification sends a new confirmation link to the caller's address (a few an hour).
func (h *Handler) ResendVerification(w http.ResponseWriter, r *http.Request) {
	p := httpx.Principal(r)
	err := h.Store.InTx(r.Context(), func(tx *storage.Store) error {
		a, err := tx.Account(r.Context(), p.AccountID)
		if err != nil || !a.EmailVerifiedAt.IsZero() {
			return err
		}
		if n, err := tx.EmailVerificationsSince(r.Context(), a.ID, tx.Clock.Now().Add(-time.Hour)); err != nil || n >= auth.MaxResetsPerHour {
			return err
		}
		return h.sendVerification(r, tx, a, safeNext(r.PostFormValue("next")))
	})
	if err != nil {
		h.serverError(w, r, err)
		return
	}
	redirect(w, r, safeNext(r.PostFormValue("next")), "flash.verification_sent")
}
