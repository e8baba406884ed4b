// Package server puts Parcours' HTTP side together: the middleware chain, the route table
// (routes.go) and the background workers, and runs them with a graceful shutdown.
package server

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"time"

	"parcours/internal/api"
	"parcours/internal/auth"
	"parcours/internal/config"
	"parcours/internal/httpx"
	"parcours/internal/i18n"
	"parcours/internal/id"
	"parcours/internal/mail"
	"parcours/internal/storage"
	"parcours/internal/ui"
)

// Server is one Parcours instance: pages, API and workers over one store.
type Server struct {
	Config *config.Config
	Store  *storage.Store
	Logger *slog.Logger
	Auth   *auth.Service
	UI     *ui.Handler
	API    *api.Handler

	router  *router
	secret  []byte // signs CSRF tokens
	metrics *metrics
	handler http.Handler
}

// New builds a server. It needs a migrated database: the session secret lives there unless
// configured.
func New(ctx context.Context, cfg *config.Config, store *storage.Store, logger *slog.Logger) (*Server, error) {
	secret := cfg.SessionSecret
	if secret == "" {
		var err error
		// Generated once and kept in the database, so every instance signs alike.
		if secret, err = store.SettingOrInit(ctx, "session_secret", id.New()+id.New()); err != nil {
			return nil, fmt.Errorf("session secret: %w", err)
		}
	}
	s := &Server{Config: cfg, Store: store, Logger: logger, secret: []byte(secret)}
	s.Auth = &auth.Service{Store: store, SessionTTL: cfg.SessionTTL, SecureCookies: cfg.SecureCookies()}
	var err error
	if s.UI, err = ui.New(store, s.Auth, cfg, logger); err != nil {
		return nil, err
	}
	s.API = &api.Handler{Store: store, Logger: logger, Mailing: mail.Site{BaseURL: cfg.BaseURL.String(), Brand: cfg.BrandName},
		SigningMargin: cfg.SigningMargin}
	s.router = &router{mux: http.NewServeMux(), deny: s.deny}
	s.metrics = newMetrics(store)
	s.routes()
	s.handler = s.chain(s.dispatch)
	return s, nil
}

// Handler is the whole HTTP side, middleware included.
func (s *Server) Handler() http.Handler { return s.handler }

// Routes lists the live routes with their actions.
func (s *Server) Routes() []Route { return append([]Route(nil), s.router.routes...) }

// chain wraps h in the middleware, outermost first: recovery, request id and client address,
// log and metrics, security headers, body limit, authentication, CSRF.
func (s *Server) chain(h http.HandlerFunc) http.Handler {
	return s.recoverPanics(s.identify(s.observe(s.secure(s.limitBody(s.authenticate(s.csrf(h)))))))
}

// dispatch hands the request to its route; an unknown path or method gets Parcours' own
// 404 or 405 (a page or the JSON error), not the mux's plain text.
func (s *Server) dispatch(w http.ResponseWriter, r *http.Request) {
	h, pattern := s.router.mux.Handler(r)
	if pattern == "" {
		rec := httptest.NewRecorder() // learn whether the mux would say 404 or 405
		h.ServeHTTP(rec, r)
		if allow := rec.Header().Get("Allow"); allow != "" {
			w.Header().Set("Allow", allow)
		}
		s.deny(w, r, rec.Code)
		return
	}
	s.router.mux.ServeHTTP(w, r)
}

// deny answers an error status: JSON for the API, a page (or the login page) for people.
func (s *Server) deny(w http.ResponseWriter, r *http.Request, status int) {
	if isAPI(r) {
		if status == http.StatusUnauthorized {
			w.Header().Set("WWW-Authenticate", `Bearer realm="parcours"`)
		}
		httpx.WriteError(w, status, apiMessage(status), nil)
		return
	}
	if status == http.StatusUnauthorized {
		next := r.URL.Path
		if r.Method == http.MethodGet && r.URL.RawQuery != "" {
			next += "?" + r.URL.RawQuery
		}
		if r.Method != http.MethodGet {
			// A form posted after the session ended: come back to the page of the form.
			next = "/"
			if ref, err := url.Parse(r.Referer()); err == nil && ref.Host == r.Host && ref.Path != "" {
				next = ref.RequestURI()
			}
		}
		http.Redirect(w, r, "/connexion?suivant="+url.QueryEscape(next), http.StatusSeeOther)
		return
	}
	s.UI.ErrorPage(w, r, status)
}

func (s *Server) recoverPanics(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if v := recover(); v != nil {
				if v == http.ErrAbortHandler {
					panic(v)
				}
				s.Logger.Error("panic", "request_id", httpx.RequestID(r), "path", r.URL.Path, "panic", fmt.Sprint(v))
				s.deny(w, r, http.StatusInternalServerError)
			}
		}()
		next.ServeHTTP(w, r)
	})
}

func (s *Server) identify(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rid := id.New()[10:] // the random part is enough to find a request in the logs
		ip, _, err := net.SplitHostPort(r.RemoteAddr)
		if err != nil {
			ip = r.RemoteAddr
		}
		if s.Config.TrustProxy {
			// The right-most address is the one our proxy added; the others came from the client.
			if fwd := r.Header.Values("X-Forwarded-For"); len(fwd) > 0 {
				hops := strings.Split(fwd[len(fwd)-1], ",")
				if last := strings.TrimSpace(hops[len(hops)-1]); last != "" {
					ip = last
				}
			}
		}
		w.Header().Set("X-Request-Id", rid)
		ctx := httpx.WithClientIP(httpx.WithRequestID(r.Context(), rid), ip)
		next.ServeHTTP(w, r.WithContext(ctx))
	})
}

// statusWriter remembers the status a handler wrote.
type statusWriter struct {
	http.ResponseWriter
	status int
}

func (w *statusWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	return w.ResponseWriter.Write(b)
}

func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// observe logs each request (never its query string, which may carry a reset token) and
// counts it by route pattern.
func (s *Server) observe(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		sw := &statusWriter{ResponseWriter: w}
		next.ServeHTTP(sw, r)
		if sw.status == 0 {
			sw.status = http.StatusOK
		}
		_, pattern := s.router.mux.Handler(r)
		if pattern == "" {
			pattern = "unmatched"
		}
		elapsed := time.Since(start)
		s.metrics.observe(pattern, sw.status, elapsed)
		if pattern == "GET /static/{file...}" || pattern == "GET /healthz" || pattern == "GET /metrics" {
			return
		}
		s.Logger.Info("request", "request_id", httpx.RequestID(r), "method", r.Method, "path", r.URL.Path,
			"route", pattern, "status", sw.status, "duration_ms", elapsed.Milliseconds(), "ip", httpx.ClientIP(r))
	})
}

// secure sets the security headers: a strict Content-Security-Policy (no inline script or
// style anywhere), no framing, no sniffing, no referrer leaving the site.
func (s *Server) secure(next http.Handler) http.Handler {
	csp := "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; " +
		"object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Security-Policy", csp)
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Referrer-Policy", "same-origin")
		h.Set("Cross-Origin-Opener-Policy", "same-origin")
		h.Set("Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=()")
		if s.Config.SecureCookies() {
			h.Set("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
		}
		next.ServeHTTP(w, r)
	})
}

// limitBody refuses bodies larger than the configured size with 413, before anything reads them.
func (s *Server) limitBody(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.ContentLength > s.Config.MaxRequestSize {
			s.deny(w, r, http.StatusRequestEntityTooLarge)
			return
		}
		r.Body = http.MaxBytesReader(w, r.Body, s.Config.MaxRequestSize)
		next.ServeHTTP(w, r)
	})
}

// authenticate finds the caller: a bearer token for the API, the session cookie for pages.
// The API takes no cookie, so that no other site can act through a logged-in browser.
func (s *Server) authenticate(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if anonymousPath(r.URL.Path) {
			next.ServeHTTP(w, r) // assets and probes: no database round trip for a session
			return
		}
		var err error
		ctx := r.Context()
		if isAPI(r) {
			if h := r.Header.Get("Authorization"); h != "" {
				token, ok := strings.CutPrefix(h, "Bearer ")
				p, terr := s.Auth.FromToken(ctx, strings.TrimSpace(token))
				if !ok || (terr == nil && p == nil) {
					w.Header().Set("WWW-Authenticate", `Bearer realm="parcours", error="invalid_token"`)
					httpx.WriteError(w, http.StatusUnauthorized, i18n.T("api.error.bad_token"), nil)
					return
				}
				err = terr
				ctx = httpx.WithPrincipal(ctx, p)
			}
		} else {
			p, serr := s.Auth.FromSession(ctx, r)
			err = serr
			if p != nil {
				ctx = httpx.WithPrincipal(ctx, p)
			}
		}
		if err != nil {
			s.Logger.Error("authentication", "request_id", httpx.RequestID(r), "error", err)
			s.deny(w, r, http.StatusServiceUnavailable)
			return
		}
		next.ServeHTTP(w, r.WithContext(ctx))
	})
}

// anonymousPath tells the paths that never depend on who calls.
func anonymousPath(p string) bool {
	return strings.HasPrefix(p, "/static/") || p == "/healthz" || p == "/readyz" || p == "/metrics"
}

const csrfCookie = "parcours_csrf"

// csrf protects every form: a random cookie, and in each form a token that is its HMAC under
// the server's secret. A request that changes something without the matching token — from
// another site, or a forged one — is refused and changes nothing. Cross-origin requests are
// also refused from the browser's Sec-Fetch-Site and Origin headers.
func (s *Server) csrf(next http.HandlerFunc) http.Handler {
	cop := http.NewCrossOriginProtection()
	cop.SetDenyHandler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.deny(w, r, http.StatusForbidden)
	}))
	return cop.Handler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if isAPI(r) {
			next(w, r)
			return
		}
		seed := ""
		if c, err := r.Cookie(csrfCookie); err == nil && len(c.Value) >= 32 {
			seed = c.Value
		} else {
			b := make([]byte, 32)
			rand.Read(b)
			seed = base64.RawURLEncoding.EncodeToString(b)
			http.SetCookie(w, &http.Cookie{Name: csrfCookie, Value: seed, Path: "/", HttpOnly: true,
				Secure: s.Config.SecureCookies(), SameSite: http.SameSiteLaxMode})
		}
		mac := hmac.New(sha256.New, s.secret)
		mac.Write([]byte(seed))
		token := base64.RawURLEncoding.EncodeToString(mac.Sum(nil))
		_, route := s.router.mux.Handler(r)
		switch r.Method {
		case http.MethodGet, http.MethodHead, http.MethodOptions:
		default:
			if route == "" {
				break // no route: dispatch answers 404 or 405, and nothing runs
			}
			var err error
			if strings.HasPrefix(r.Header.Get("Content-Type"), "multipart/form-data") {
				// Parts beyond half the body limit (8 MiB at most) go to temporary files.
				err = r.ParseMultipartForm(min(8<<20, s.Config.MaxRequestSize/2))
				// This request is a copy made by WithContext: net/http only cleans up the
				// original's files, so remove ours, whatever happens next.
				defer func() {
					if r.MultipartForm != nil {
						r.MultipartForm.RemoveAll()
					}
				}()
			} else {
				err = r.ParseForm()
			}
			var tooBig *http.MaxBytesError
			switch {
			case errors.As(err, &tooBig):
				s.deny(w, r, http.StatusRequestEntityTooLarge)
				return
			case err != nil:
				s.deny(w, r, http.StatusBadRequest)
				return
			}
			sent := r.Header.Get("X-CSRF-Token")
			if sent == "" {
				sent = r.PostForm.Get("csrf_token")
			}
			if subtle.ConstantTimeCompare([]byte(sent), []byte(token)) != 1 {
				s.Logger.Warn("csrf token mismatch", "request_id", httpx.RequestID(r), "path", r.URL.Path)
				s.UI.ErrorMessage(w, r, http.StatusForbidden, "error.csrf")
				return
			}
		}
		next(w, r.WithContext(httpx.WithCSRFToken(r.Context(), token)))
	}))
}
