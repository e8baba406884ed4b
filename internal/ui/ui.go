// Package ui serves Parcours' HTML pages: server-rendered html/template pages in French that
// work without JavaScript. One handler per file, named noun_verb; the routes and the policy
// action of each are in internal/server/routes.go.
package ui

import (
	"bytes"
	"embed"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"log/slog"
	"net/http"
	"net/url"
	"path"
	"slices"
	"strconv"
	"strings"

	"parcours/internal/auth"
	"parcours/internal/config"
	"parcours/internal/directory"
	"parcours/internal/httpx"
	"parcours/internal/i18n"
	"parcours/internal/model"
	"parcours/internal/policy"
	"parcours/internal/schedule"
	"parcours/internal/storage"
	"parcours/internal/validator"
)

//go:embed templates
var templateFS embed.FS

// Handler holds what the pages need.
type Handler struct {
	Store  *storage.Store
	Auth   *auth.Service
	Config *config.Config
	Logger *slog.Logger
	Demo   bool // shows the "demo data" banner

	pages  map[string]*template.Template
	assets *assets
}

// New parses the templates and prepares the assets; an error here is a programming error.
func New(store *storage.Store, authn *auth.Service, cfg *config.Config, logger *slog.Logger) (*Handler, error) {
	h := &Handler{Store: store, Auth: authn, Config: cfg, Logger: logger, pages: map[string]*template.Template{}}
	var err error
	if h.assets, err = loadAssets(cfg); err != nil {
		return nil, err
	}
	funcs := template.FuncMap{
		"t":      i18n.T,
		"n":      i18n.N,
		"label":  func(prefix string, v any) string { return i18n.T(prefix + "." + fmt.Sprint(v)) },
		"number": i18n.Number,
		"asset":  h.assets.url,
		"dict":   dict,
		"region": regionName,
		"dept":   departementName,
		"date":   dateIn,
		"civil":  civilDate,
		"add":    func(a, b int) int { return a + b },
		// The calendar's: a day's date, a half-day's name, minutes as hours, membership.
		"daydate": schedule.DayDate,
		"part":    schedule.PartName,
		"hours":   hoursText,
		"has":     slices.Contains[[]string],
		"clock":   i18n.Clock,
		"zone":    i18n.ZoneName,
		"percent": func(p int) string { return i18n.Percent(float64(p)) },
	}
	base, err := template.New("").Funcs(funcs).ParseFS(templateFS, "templates/layout.html", "templates/partials.html")
	if err != nil {
		return nil, err
	}
	names, _ := fs.Glob(templateFS, "templates/*.html")
	for _, name := range names {
		page := strings.TrimSuffix(path.Base(name), ".html")
		if page == "layout" || page == "partials" {
			continue
		}
		t, err := template.Must(base.Clone()).ParseFS(templateFS, name)
		if err != nil {
			return nil, err
		}
		h.pages[page] = t
	}
	return h, nil
}

// PageNames lists the page templates, for the browser test that visits every one.
func PageNames() []string {
	names, _ := fs.Glob(templateFS, "templates/*.html")
	var out []string
	for _, n := range names {
		if p := strings.TrimSuffix(path.Base(n), ".html"); p != "layout" && p != "partials" {
			out = append(out, p)
		}
	}
	return out
}

// Page is what every template receives.
type Page struct {
	Name      string // the template, also written on <body data-page>
	Title     string
	Nav       string // the active menu entry
	Principal *policy.Principal
	CSRF      string
	Brand     brand
	Flash     string
	Demo      bool
	Errors    validator.Errors
	Data      any
	RequestID string
	URL       *url.URL
}

type brand struct {
	Name    string
	LogoURL string
}

// Can tells the template whether to show a link or button the policy would allow.
func (p *Page) Can(action string) bool { return policy.Allow(p.Principal, policy.Action(action)) }

// HasRole tells the template whether the caller holds a role (on any scope).
func (p *Page) HasRole(role string) bool {
	return p.Principal != nil && slices.ContainsFunc(p.Principal.Grants, func(g model.Grant) bool { return string(g.Role) == role })
}

// page prepares the common part of a page.
func (h *Handler) page(w http.ResponseWriter, r *http.Request, name, title string, data any) *Page {
	return &Page{Name: name, Title: title, Principal: httpx.Principal(r), CSRF: httpx.CSRFToken(r),
		Brand: brand{Name: h.Config.BrandName, LogoURL: h.assets.url("logo")}, Flash: takeFlash(w, r),
		Demo: h.Demo, Data: data, RequestID: httpx.RequestID(r), URL: r.URL}
}

// render writes the page with status. The page is rendered into a buffer first, so that a
// template error gives a clean error page instead of half a page.
func (h *Handler) render(w http.ResponseWriter, r *http.Request, status int, p *Page) {
	t, ok := h.pages[p.Name]
	if !ok {
		h.serverError(w, r, fmt.Errorf("no page template %q", p.Name))
		return
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, "layout", p); err != nil {
		h.serverError(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	w.Write(buf.Bytes())
}

// ErrorPage shows a French error page for status, with the request id to quote to support.
func (h *Handler) ErrorPage(w http.ResponseWriter, r *http.Request, status int) {
	h.ErrorMessage(w, r, status, "")
}

// ErrorMessage is ErrorPage with a message of its own (a catalogue key with .title and
// .message), e.g. an expired form.
func (h *Handler) ErrorMessage(w http.ResponseWriter, r *http.Request, status int, key string) {
	if key == "" {
		key = "error." + strconv.Itoa(status)
	}
	if !i18n.Has(key + ".title") {
		key = "error.500"
	}
	p := h.page(w, r, "error", i18n.T(key+".title"), map[string]any{"Status": status, "Message": i18n.T(key + ".message")})
	h.render(w, r, status, p)
}

// serverError logs the detail and shows the user a sentence, never the internal error.
func (h *Handler) serverError(w http.ResponseWriter, r *http.Request, err error) {
	h.Logger.Error("request failed", "request_id", httpx.RequestID(r), "method", r.Method, "path", r.URL.Path, "error", err)
	if _, ok := h.pages["error"]; !ok || strings.Contains(err.Error(), "no page template") {
		http.Error(w, i18n.T("error.500.message"), http.StatusInternalServerError)
		return
	}
	h.ErrorPage(w, r, http.StatusInternalServerError)
}

// actor is the caller of a page, for the directory's checks and audit log.
func actor(r *http.Request) directory.Actor {
	return directory.Actor{Principal: httpx.Principal(r), IP: httpx.ClientIP(r), Via: "web"}
}

// fail answers a storage error: not found becomes 404, anything else 500.
func (h *Handler) fail(w http.ResponseWriter, r *http.Request, err error) {
	if errors.Is(err, storage.ErrNotFound) {
		h.ErrorPage(w, r, http.StatusNotFound)
		return
	}
	h.serverError(w, r, err)
}

// redirect sends the browser to path after a successful form, with a flash message key.
func redirect(w http.ResponseWriter, r *http.Request, to, flashKey string) {
	if flashKey != "" {
		setFlash(w, flashKey)
	}
	http.Redirect(w, r, to, http.StatusSeeOther)
}

const flashCookie = "parcours_flash"

func setFlash(w http.ResponseWriter, key string) {
	http.SetCookie(w, &http.Cookie{Name: flashCookie, Value: key, Path: "/", HttpOnly: true, SameSite: http.SameSiteLaxMode, MaxAge: 60})
}

// takeFlash reads and clears the flash message. Only catalogue keys under flash. are shown,
// so a forged cookie cannot put text on the page.
func takeFlash(w http.ResponseWriter, r *http.Request) string {
	c, err := r.Cookie(flashCookie)
	if err != nil {
		return ""
	}
	http.SetCookie(w, &http.Cookie{Name: flashCookie, Value: "", Path: "/", MaxAge: -1, HttpOnly: true, SameSite: http.SameSiteLaxMode})
	if strings.HasPrefix(c.Value, "flash.") && i18n.Has(c.Value) {
		return i18n.T(c.Value)
	}
	return ""
}

// dict builds a map for a partial template: dict "Name" "x" "Label" "y".
func dict(kv ...any) (map[string]any, error) {
	if len(kv)%2 != 0 {
		return nil, errors.New("dict needs key/value pairs")
	}
	m := make(map[string]any, len(kv)/2)
	for i := 0; i < len(kv); i += 2 {
		k, ok := kv[i].(string)
		if !ok {
			return nil, errors.New("dict keys must be strings")
		}
		m[k] = kv[i+1]
	}
	return m, nil
}
