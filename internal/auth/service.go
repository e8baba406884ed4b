package auth

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"time"

	"parcours/internal/id"
	"parcours/internal/model"
	"parcours/internal/policy"
	"parcours/internal/storage"
)

// Login throttling: beyond these many failures within the window, logins are refused for
// that e-mail (guessing one account's password) or that address (trying many accounts).
const (
	ThrottleWindow   = 15 * time.Minute
	MaxFailuresEmail = 5
	MaxFailuresIP    = 30
	touchEvery       = time.Minute // sessions are extended at most this often, not at every request
	sessionMaxAge    = 7 * 24 * time.Hour
)

var (
	ErrBadCredentials = errors.New("unknown e-mail or wrong password")
	ErrThrottled      = errors.New("too many failed logins")
)

// Service logs people in and out and finds who is calling.
type Service struct {
	Store         *storage.Store
	SessionTTL    time.Duration // idle time after which a session ends
	SecureCookies bool
}

// CookieName is the session cookie's name; with HTTPS, the __Host- prefix pins it to this
// host and path.
func (s *Service) CookieName() string {
	if s.SecureCookies {
		return "__Host-parcours_session"
	}
	return "parcours_session"
}

// Login checks an e-mail and password, throttled per e-mail and per client address.
func (s *Service) Login(ctx context.Context, email, password, ip string) (model.Account, error) {
	email = strings.ToLower(strings.TrimSpace(email))
	// The attempt is counted as a failure before the password is checked, so that parallel
	// attempts all see each other: none slips under the limit while another is being checked.
	attempt := id.New()
	if err := s.Store.RecordLoginAttempt(ctx, attempt, email, ip, false); err != nil {
		return model.Account{}, err
	}
	byEmail, byIP, err := s.Store.FailedLogins(ctx, email, ip, s.Store.Clock.Now().Add(-ThrottleWindow))
	if err != nil {
		return model.Account{}, err
	}
	if byEmail > MaxFailuresEmail || byIP > MaxFailuresIP {
		return model.Account{}, ErrThrottled
	}
	a, err := s.Store.AccountByEmail(ctx, email)
	if err != nil && !errors.Is(err, storage.ErrNotFound) {
		return a, err
	}
	hash := a.PasswordHash
	if err != nil {
		hash = dummyHash // same work whether or not the account exists
	}
	if !CheckPassword(hash, password) || err != nil || !a.DisabledAt.IsZero() {
		return model.Account{}, ErrBadCredentials
	}
	return a, s.Store.LoginSucceeded(ctx, attempt)
}

// StartSession opens a session for the account and sets its cookie. Any session the browser
// had before is ended, so a session id planted before login is worthless after it.
func (s *Service) StartSession(ctx context.Context, w http.ResponseWriter, r *http.Request, accountID, ip string) error {
	s.EndSession(ctx, w, r)
	token, hash := NewToken()
	now := s.Store.Clock.Now()
	ua := r.UserAgent()
	if len(ua) > 255 {
		ua = ua[:255]
	}
	err := s.Store.CreateSession(ctx, storage.Session{ID: hash, AccountID: accountID, CreatedAt: now,
		LastSeenAt: now, ExpiresAt: now.Add(s.SessionTTL), IP: ip, UserAgent: ua})
	if err != nil {
		return err
	}
	http.SetCookie(w, &http.Cookie{Name: s.CookieName(), Value: token, Path: "/", HttpOnly: true,
		Secure: s.SecureCookies, SameSite: http.SameSiteLaxMode})
	return nil
}

// EndSession ends the request's session, if any, and clears the cookie.
func (s *Service) EndSession(ctx context.Context, w http.ResponseWriter, r *http.Request) {
	c, err := r.Cookie(s.CookieName())
	if err != nil {
		return
	}
	s.Store.DeleteSession(ctx, HashToken(c.Value))
	http.SetCookie(w, &http.Cookie{Name: s.CookieName(), Value: "", Path: "/", MaxAge: -1, HttpOnly: true,
		Secure: s.SecureCookies, SameSite: http.SameSiteLaxMode})
}

// FromSession returns the caller of a request with a session cookie, or nil. It extends the
// session while it is used, up to its maximum age.
func (s *Service) FromSession(ctx context.Context, r *http.Request) (*policy.Principal, error) {
	c, err := r.Cookie(s.CookieName())
	if err != nil || c.Value == "" {
		return nil, nil
	}
	sess, a, err := s.Store.SessionAccount(ctx, HashToken(c.Value))
	if errors.Is(err, storage.ErrNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	now := s.Store.Clock.Now()
	if now.Sub(sess.CreatedAt) > sessionMaxAge {
		s.Store.DeleteSession(ctx, sess.ID)
		return nil, nil
	}
	if now.Sub(sess.LastSeenAt) > touchEvery {
		if err := s.Store.TouchSession(ctx, sess.ID, now, now.Add(s.SessionTTL)); err != nil && !errors.Is(err, storage.ErrNotFound) {
			return nil, err
		}
	}
	return s.Principal(ctx, a)
}

// FromToken returns the caller holding an API token, or nil when the token is unknown.
func (s *Service) FromToken(ctx context.Context, token string) (*policy.Principal, error) {
	a, err := s.Store.APITokenAccount(ctx, HashToken(token))
	if errors.Is(err, storage.ErrNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return s.Principal(ctx, a)
}

// Principal loads an account's grants.
func (s *Service) Principal(ctx context.Context, a model.Account) (*policy.Principal, error) {
	grants, err := s.Store.Grants(ctx, a.ID)
	if err != nil {
		return nil, err
	}
	return &policy.Principal{AccountID: a.ID, Email: a.Email, DisplayName: a.DisplayName, PersonID: a.PersonID, Grants: grants}, nil
}

// Lifetimes of the links that let someone choose a password, and how many "forgotten
// password" links an account gets per hour: more would let anyone flood a mailbox.
const (
	ResetLinkTTL     = time.Hour          // "forgotten password"
	InviteLinkTTL    = 7 * 24 * time.Hour // a new account's first password
	MaxResetsPerHour = 3
)

// NewPasswordLink makes a single-use token with which the account's owner chooses a
// password, written through tx (the transaction that also queues the e-mail).
func NewPasswordLink(ctx context.Context, tx *storage.Store, accountID string, ttl time.Duration) (string, time.Time, error) {
	token, hash := NewToken()
	expires := tx.Clock.Now().Add(ttl)
	return token, expires, tx.CreatePasswordReset(ctx, hash, accountID, expires)
}

// EnsureAccount returns the account of an e-mail, made from acc when there is none; a made
// account comes with an invitation link (valid InviteLinkTTL) to choose its password, under
// baseURL, and invite holds it ("" for an existing account). Pass the transaction that also
// queues the e-mail.
func EnsureAccount(ctx context.Context, tx *storage.Store, acc model.Account, baseURL string) (model.Account, string, error) {
	existing, err := tx.AccountByEmail(ctx, acc.Email)
	if err == nil || !errors.Is(err, storage.ErrNotFound) {
		return existing, "", err
	}
	if err := tx.CreateAccount(ctx, &acc); err != nil {
		return acc, "", err
	}
	token, _, err := NewPasswordLink(ctx, tx, acc.ID, InviteLinkTTL)
	return acc, baseURL + "/mot-de-passe/nouveau?jeton=" + token, err
}

// ResetPassword sets a new password with a reset link's token; the link is used up and every
// session of the account ends.
func (s *Service) ResetPassword(ctx context.Context, token, password string) (string, error) {
	hash, err := HashPassword(password)
	if err != nil {
		return "", err
	}
	var accountID string
	err = s.Store.InTx(ctx, func(tx *storage.Store) error {
		var err error
		if accountID, err = tx.UsePasswordReset(ctx, HashToken(token)); err != nil {
			return err
		}
		if err := tx.SetPasswordHash(ctx, accountID, hash); err != nil {
			return err
		}
		if err := tx.DeletePasswordResets(ctx, accountID); err != nil {
			return err
		}
		return tx.MarkEmailVerified(ctx, accountID) // the link proved they read the mailbox
	})
	return accountID, err
}

// ResetLinkValid tells whether a reset token can still be used.
func (s *Service) ResetLinkValid(ctx context.Context, token string) bool {
	return token != "" && s.Store.PasswordResetValid(ctx, HashToken(token))
}
