// Package apptest runs a whole Parcours instance for tests: the real HTTP server on a real
// database (SQLite, or PostgreSQL with PARCOURS_TEST_DATABASE=postgres), a real SMTP server
// in the test process, a small fixture with one account per role, and clients that log in,
// carry cookies and send CSRF tokens like a browser.
package apptest

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"parcours/internal/auth"
	"parcours/internal/config"
	"parcours/internal/jobs"
	"parcours/internal/mail"
	"parcours/internal/model"
	"parcours/internal/server"
	"parcours/internal/storage"
	"parcours/internal/testkit"
)

// App is a running instance.
type App struct {
	T       testing.TB
	Server  *server.Server
	HTTP    *httptest.Server
	Store   *storage.Store
	Config  *config.Config
	SMTP    *testkit.SMTPServer
	Fixture *Fixture
	logs    *testkit.Buffer
}

// Logs is what the server logged so far.
func (a *App) Logs() string { return a.logs.String() }

// New starts an instance on a fresh database with the fixture; settings override the test
// configuration (environment variable → value).
func New(t testing.TB, settings ...map[string]string) *App {
	t.Helper()
	store := testkit.Open(t)
	a := &App{T: t, Store: store, SMTP: testkit.NewSMTPServer(t), logs: &testkit.Buffer{}}
	a.HTTP = httptest.NewUnstartedServer(nil)
	env := map[string]string{
		"PARCOURS_BASE_URL":          "http://" + a.HTTP.Listener.Addr().String(),
		"PARCOURS_MAX_REQUEST_BYTES": "1048576",
		"PARCOURS_BRAND_NAME":        "ARS Pays de la Loire",
	}
	for _, s := range settings {
		for k, v := range s {
			env[k] = v
		}
	}
	cfg, err := config.Load(func(k string) string { return env[k] })
	if err != nil {
		t.Fatal(err)
	}
	a.Config = cfg
	logger := slog.New(slog.NewTextHandler(a.logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	if a.Server, err = server.New(context.Background(), cfg, store, logger); err != nil {
		t.Fatal(err)
	}
	a.HTTP.Config.Handler = a.Server.Handler()
	a.HTTP.Start()
	t.Cleanup(a.HTTP.Close)
	a.Fixture = seed(t, store)
	return a
}

// URL is the absolute address of path.
func (a *App) URL(path string) string { return a.HTTP.URL + path }

// DeliverMail sends what the outbox holds to the test's SMTP server and returns every
// message that server has received.
func (a *App) DeliverMail() []testkit.Received {
	a.T.Helper()
	w := &mail.Worker{Store: a.Store, From: a.Config.MailFrom, ID: "test", Logger: slog.New(slog.NewTextHandler(io.Discard, nil)),
		Sender: mail.SMTP{Host: a.SMTP.Host, Port: a.SMTP.Port, TLS: "starttls", TLSConfig: a.SMTP.Client}}
	if _, err := w.RunOnce(context.Background()); err != nil {
		a.T.Fatal(err)
	}
	return a.SMTP.Messages()
}

// RunJobs runs the queued background jobs to their end, then what falls due by the clock
// (reminders, offers past their deadline), as the server's runner does on each turn.
func (a *App) RunJobs() {
	a.T.Helper()
	r := &jobs.Runner{Store: a.Store, ID: "test", Logger: slog.New(slog.NewTextHandler(a.logs, nil)), Mailing: a.Mailing()}
	for {
		ran, err := r.RunOnce(context.Background())
		if err != nil {
			a.T.Fatal(err)
		}
		if !ran {
			break
		}
	}
	r.Due(context.Background())
}

// Client is a browser-like HTTP client: cookies, no automatic redirects.
type Client struct {
	app  *App
	HTTP *http.Client
}

// NewClient returns an anonymous client.
func (a *App) NewClient() *Client {
	jar, _ := cookiejar.New(nil)
	return &Client{app: a, HTTP: &http.Client{Jar: jar, Timeout: 30 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

// As returns a client logged in with the fixture account of role, through a session made
// directly in the database (fast; Login goes through the form).
func (a *App) As(role model.Role) *Client {
	a.T.Helper()
	return a.AsAccount(a.Fixture.Accounts[role].ID)
}

// AsAccount returns a client logged in with any account.
func (a *App) AsAccount(accountID string) *Client {
	a.T.Helper()
	c := a.NewClient()
	acc := Account{ID: accountID}
	token, hash := auth.NewToken()
	now := a.Store.Clock.Now()
	if err := a.Store.CreateSession(context.Background(), storage.Session{ID: hash, AccountID: acc.ID, CreatedAt: now,
		LastSeenAt: now, ExpiresAt: now.Add(time.Hour)}); err != nil {
		a.T.Fatal(err)
	}
	u, _ := url.Parse(a.HTTP.URL)
	c.HTTP.Jar.SetCookies(u, []*http.Cookie{{Name: a.Server.Auth.CookieName(), Value: token, Path: "/"}})
	return c
}

// Response is a finished response with its body read.
type Response struct {
	*http.Response
	Body string
}

// Do sends a request.
func (c *Client) Do(req *http.Request) *Response {
	c.app.T.Helper()
	res, err := c.HTTP.Do(req)
	if err != nil {
		c.app.T.Fatal(err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		c.app.T.Fatal(err)
	}
	return &Response{Response: res, Body: string(b)}
}

// Get fetches a path.
func (c *Client) Get(path string) *Response {
	c.app.T.Helper()
	req, _ := http.NewRequest(http.MethodGet, c.app.URL(path), nil)
	return c.Do(req)
}

var csrfField = regexp.MustCompile(`name="csrf_token" value="([^"]+)"`)

// CSRF returns the token the site puts in this client's forms.
func (c *Client) CSRF() string {
	c.app.T.Helper()
	for _, path := range []string{"/connexion", "/compte"} { // the login page sends the logged-in home
		if m := csrfField.FindStringSubmatch(c.Get(path).Body); m != nil {
			return m[1]
		}
	}
	c.app.T.Fatal("no CSRF token on the login page nor on the account page")
	return ""
}

// Post submits a form with the CSRF token, as the site's own form would.
func (c *Client) Post(path string, form url.Values) *Response {
	c.app.T.Helper()
	if form == nil {
		form = url.Values{}
	}
	if form.Get("csrf_token") == "" {
		form.Set("csrf_token", c.CSRF())
	}
	req, _ := http.NewRequest(http.MethodPost, c.app.URL(path), strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return c.Do(req)
}

// Login logs in through the login form; it returns the response to the form.
func (c *Client) Login(email, password string) *Response {
	c.app.T.Helper()
	return c.Post("/connexion", url.Values{"email": {email}, "password": {password}})
}

// API sends a JSON API request with a bearer token ("" for none).
func (a *App) API(method, path, token, body string) *Response {
	a.T.Helper()
	var r io.Reader
	if body != "" {
		r = strings.NewReader(body)
	}
	req, _ := http.NewRequest(method, a.URL(path), r)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	return a.NewClient().Do(req)
}
