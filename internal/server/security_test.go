package server_test

import (
	"bytes"
	"context"
	"mime/multipart"
	"net/http"
	"net/url"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"parcours/internal/apptest"
	"parcours/internal/model"
	"parcours/internal/storage"
)

func TestSecurityHeaders(t *testing.T) {
	app := apptest.New(t)
	res := app.NewClient().Get("/connexion")
	for header, want := range map[string]string{
		"Content-Security-Policy": "script-src 'self'; style-src 'self'",
		"X-Content-Type-Options":  "nosniff",
		"X-Frame-Options":         "DENY",
		"Referrer-Policy":         "same-origin",
	} {
		if got := res.Header.Get(header); !strings.Contains(got, want) {
			t.Errorf("%s = %q, want it to contain %q", header, got, want)
		}
	}
	if csp := res.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "frame-ancestors 'none'") || strings.Contains(csp, "unsafe-inline") {
		t.Errorf("CSP %q", csp)
	}
	if strings.Contains(res.Body, "<script") || strings.Contains(res.Body, "style=") {
		t.Error("a page carries inline script or style, which the CSP would block")
	}
}

// A form posted with a forged or missing CSRF token changes nothing and says why in French.
func TestForgedCSRFTokenChangesNothing(t *testing.T) {
	app := apptest.New(t)
	c := app.As(model.RoleAdmin)
	form := url.Values{"kind": {"msp"}, "name": {"MSP forgée"}, "departement": {"44"}, "ref": {"FORGED"}}
	for _, token := range []string{"", "forged-token", c.CSRF() + "x"} {
		f := url.Values{}
		for k, v := range form {
			f[k] = v
		}
		f.Set("csrf_token", token)
		if token == "" {
			f.Set("csrf_token", " ") // Post adds the real token when the field is empty
		}
		res := c.Post("/structures", f)
		if res.StatusCode != http.StatusForbidden || !strings.Contains(res.Body, "Ce formulaire a expiré ou n&#39;a pas été envoyé depuis Parcours") {
			t.Errorf("token %q: %d", token, res.StatusCode)
		}
	}
	if _, err := app.Store.StructureByKey(context.Background(), "", "", "FORGED"); err != storage.ErrNotFound {
		t.Errorf("a forged form wrote a structure: %v", err)
	}
	// A token of another browser does not work either.
	other := app.As(model.RoleAdmin).CSRF()
	form.Set("csrf_token", other)
	if res := c.Post("/structures", form); res.StatusCode != http.StatusForbidden {
		t.Errorf("another browser's token: %d", res.StatusCode)
	}
	// A cross-site request is refused from the browser's own headers.
	req, _ := http.NewRequest(http.MethodPost, app.URL("/structures"), strings.NewReader(url.Values{"csrf_token": {c.CSRF()}}.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Sec-Fetch-Site", "cross-site")
	if res := c.Do(req); res.StatusCode != http.StatusForbidden {
		t.Errorf("cross-site POST: %d", res.StatusCode)
	}
}

func TestTooLargeBody(t *testing.T) {
	app := apptest.New(t)
	c := app.As(model.RoleAdmin)
	big := url.Values{"name": {strings.Repeat("x", 2<<20)}, "csrf_token": {c.CSRF()}}
	res := c.Post("/structures", big)
	if res.StatusCode != http.StatusRequestEntityTooLarge || !strings.Contains(res.Body, "Envoi trop volumineux") {
		t.Errorf("page: %d", res.StatusCode)
	}
	res = app.API(http.MethodPost, "/api/v1/structures", app.Token(model.RoleAdmin), `{"name":"`+strings.Repeat("x", 2<<20)+`"}`)
	if res.StatusCode != http.StatusRequestEntityTooLarge || !strings.Contains(res.Body, `"status":413`) {
		t.Errorf("API: %d %s", res.StatusCode, res.Body[:min(len(res.Body), 200)])
	}
}

func TestUnknownRoutesAndMethods(t *testing.T) {
	app := apptest.New(t)
	c := app.As(model.RoleAdmin)
	if res := c.Get("/nulle-part"); res.StatusCode != http.StatusNotFound || !strings.Contains(res.Body, "Page introuvable") {
		t.Errorf("unknown page: %d", res.StatusCode)
	}
	if res := c.Get("/structures/" + "01jd8x2v3k4m5n6p7q8r9s0t1v"); res.StatusCode != http.StatusNotFound {
		t.Errorf("unknown structure: %d", res.StatusCode)
	}
	req, _ := http.NewRequest(http.MethodDelete, app.URL("/structures"), nil)
	if res := c.Do(req); res.StatusCode != http.StatusMethodNotAllowed || !strings.Contains(res.Body, "Action impossible") || res.Header.Get("Allow") == "" {
		t.Errorf("wrong method: %d allow %q", res.StatusCode, res.Header.Get("Allow"))
	}
}

func TestOperationsEndpoints(t *testing.T) {
	app := apptest.New(t)
	c := app.NewClient()
	if res := c.Get("/healthz"); res.StatusCode != http.StatusOK {
		t.Errorf("healthz %d", res.StatusCode)
	}
	if res := c.Get("/readyz"); res.StatusCode != http.StatusOK || !strings.Contains(res.Body, `"schema":"ok"`) {
		t.Errorf("readyz %d %s", res.StatusCode, res.Body)
	}
	c.Get("/connexion")
	res := c.Get("/metrics")
	if res.StatusCode != http.StatusOK || !strings.Contains(res.Body, `parcours_http_requests_total{route="GET /connexion",status="200"}`) ||
		!strings.Contains(res.Body, `parcours_outbox_messages{status="pending"} 0`) {
		t.Errorf("metrics %d\n%s", res.StatusCode, res.Body[:min(len(res.Body), 500)])
	}
	css := c.Get("/connexion")
	i := strings.Index(css.Body, "/static/app.css?v=")
	asset := css.Body[i : i+strings.Index(css.Body[i:], `"`)]
	if res := c.Get(asset); res.StatusCode != http.StatusOK || !strings.Contains(res.Header.Get("Cache-Control"), "immutable") {
		t.Errorf("asset %s: %d %q", asset, res.StatusCode, res.Header.Get("Cache-Control"))
	}
}

// Logs never carry a password, a session token or a reset link.
func TestNoSecretInLogs(t *testing.T) {
	app := apptest.New(t)
	admin := app.Fixture.Accounts[model.RoleAdmin]
	c := app.NewClient()
	c.Login(admin.Email, "a wrong secret password")
	c.Login(admin.Email, apptest.Password)
	c.Post("/mot-de-passe/oubli", url.Values{"email": {admin.Email}})
	msgs := app.DeliverMail()
	link := resetLink.FindString(msgs[0].Text)
	u, _ := url.Parse(link)
	c.Get(u.RequestURI())
	logs := app.Logs()
	for _, secret := range []string{"a wrong secret password", apptest.Password, u.Query().Get("jeton")} {
		if strings.Contains(logs, secret) {
			t.Errorf("the logs contain a secret %q", secret)
		}
	}
	for _, ck := range c.HTTP.Jar.Cookies(u) {
		if strings.Contains(logs, ck.Value) {
			t.Errorf("the logs contain the cookie %s", ck.Name)
		}
	}
}

// Uploaded parts that went to temporary files are removed after the request, even when the
// request is refused (no CSRF token, no session).
func TestMultipartTemporaryFilesAreRemoved(t *testing.T) {
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp)
	app := apptest.New(t)
	var body bytes.Buffer
	w := multipart.NewWriter(&body)
	part, _ := w.CreateFormFile("file", "big.csv")
	part.Write(bytes.Repeat([]byte("x"), 900<<10)) // over half the 1 MiB limit: goes to disk
	w.Close()
	for _, c := range []*apptest.Client{app.NewClient(), app.As(model.RoleAdmin)} {
		req, _ := http.NewRequest(http.MethodPost, app.URL("/structures/import"), bytes.NewReader(body.Bytes()))
		req.Header.Set("Content-Type", w.FormDataContentType())
		if res := c.Do(req); res.StatusCode != http.StatusForbidden {
			t.Errorf("upload without a CSRF token: %d", res.StatusCode)
		}
	}
	left, _ := filepath.Glob(filepath.Join(tmp, "multipart-*"))
	if len(left) != 0 {
		t.Errorf("temporary files left behind: %v", left)
	}
}

// Behind a trusted proxy, the client address is the one the proxy added (the right-most),
// not one the client wrote itself; the login throttle counts per that address.
func TestClientAddressBehindAProxy(t *testing.T) {
	app := apptest.New(t, map[string]string{"PARCOURS_TRUST_PROXY": "true"})
	admin := app.Fixture.Accounts[model.RoleAdmin]
	c := app.NewClient()
	for _, forged := range []string{"203.0.113.1", "203.0.113.2", "203.0.113.3"} {
		req, _ := http.NewRequest(http.MethodPost, app.URL("/connexion"),
			strings.NewReader(url.Values{"email": {admin.Email}, "password": {"faux"}, "csrf_token": {c.CSRF()}}.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("X-Forwarded-For", forged+", 198.51.100.7")
		c.Do(req)
	}
	_, byIP, err := app.Store.FailedLogins(ctx, "", "198.51.100.7", app.Store.Clock.Now().Add(-time.Hour))
	if err != nil || byIP != 3 {
		t.Errorf("failures counted for the proxy's address: %d (%v)", byIP, err)
	}
}
