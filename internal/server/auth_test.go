package server_test

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"

	"parcours/internal/apptest"
	"parcours/internal/model"
)

func TestLoginLogout(t *testing.T) {
	app := apptest.New(t)
	admin := app.Fixture.Accounts[model.RoleAdmin]
	c := app.NewClient()

	if res := c.Get("/structures"); res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/connexion?suivant=%2Fstructures" {
		t.Fatalf("anonymous visit: %d %s", res.StatusCode, res.Header.Get("Location"))
	}
	res := c.Login(admin.Email, "wrong password!")
	if res.StatusCode != http.StatusUnauthorized || !strings.Contains(res.Body, "Adresse e-mail ou mot de passe incorrect.") {
		t.Fatalf("wrong password: %d", res.StatusCode)
	}
	if !strings.Contains(res.Body, `value="`+admin.Email+`"`) || strings.Contains(res.Body, "wrong password!") {
		t.Error("the form must keep the e-mail and never echo the password")
	}
	res = c.Post("/connexion", url.Values{"email": {strings.ToUpper(admin.Email)}, "password": {apptest.Password}, "next": {"/structures"}})
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/structures" {
		t.Fatalf("login: %d %s", res.StatusCode, res.Header.Get("Location"))
	}
	if page := c.Get("/structures"); page.StatusCode != http.StatusOK || !strings.Contains(page.Body, "CPTS Estuaire et Sillon") {
		t.Fatalf("after login: %d", page.StatusCode)
	}
	var cookie *http.Cookie
	for _, ck := range res.Cookies() {
		if ck.Name == app.Server.Auth.CookieName() {
			cookie = ck
		}
	}
	if cookie == nil || !cookie.HttpOnly || cookie.SameSite != http.SameSiteLaxMode {
		t.Errorf("session cookie %+v must be HttpOnly and SameSite=Lax", cookie)
	}
	if res := c.Post("/deconnexion", nil); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("logout: %d", res.StatusCode)
	}
	if res := c.Get("/structures"); res.StatusCode != http.StatusSeeOther {
		t.Errorf("still logged in after logout: %d", res.StatusCode)
	}
}

func TestLoginRedirectStaysOnSite(t *testing.T) {
	app := apptest.New(t)
	admin := app.Fixture.Accounts[model.RoleAdmin]
	for _, next := range []string{"https://evil.example/", "//evil.example/x", "/\\evil.example", "/\t/evil.example/x",
		"/%2F/evil.example", "/\r\nSet-Cookie: x=y"} {
		res := app.NewClient().Post("/connexion", url.Values{"email": {admin.Email}, "password": {apptest.Password}, "next": {next}})
		if loc := res.Header.Get("Location"); loc != "/" {
			t.Errorf("next=%q sent the browser to %q", next, loc)
		}
	}
	res := app.NewClient().Post("/connexion", url.Values{"email": {admin.Email}, "password": {apptest.Password}, "next": {"/structures?region=52"}})
	if loc := res.Header.Get("Location"); loc != "/structures?region=52" {
		t.Errorf("a page of the site: sent to %q", loc)
	}
}

// A form posted after the session ended leads, once logged in again, back to the form's page.
func TestExpiredSessionReturnsToTheForm(t *testing.T) {
	app := apptest.New(t)
	c := app.NewClient()
	req, _ := http.NewRequest(http.MethodPost, app.URL("/structures"), strings.NewReader(url.Values{"csrf_token": {c.CSRF()}}.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Referer", app.URL("/structures/nouvelle"))
	res := c.Do(req)
	if loc := res.Header.Get("Location"); loc != "/connexion?suivant=%2Fstructures%2Fnouvelle" {
		t.Errorf("sent to %q", loc)
	}
}

// Parallel attempts cannot slip under the limit while the others' passwords are checked.
func TestLoginThrottlingHoldsUnderParallelAttempts(t *testing.T) {
	app := apptest.New(t)
	email := app.Fixture.Accounts[model.RoleCandidate].Email
	codes := make(chan int, 20)
	var wg sync.WaitGroup
	for i := 0; i < 20; i++ {
		c := app.NewClient()
		token := c.CSRF()
		wg.Add(1)
		go func() {
			defer wg.Done()
			req, _ := http.NewRequest(http.MethodPost, app.URL("/connexion"),
				strings.NewReader(url.Values{"email": {email}, "password": {"devine"}, "csrf_token": {token}}.Encode()))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			res, err := c.HTTP.Do(req)
			if err != nil {
				t.Error(err)
				return
			}
			res.Body.Close()
			codes <- res.StatusCode
		}()
	}
	wg.Wait()
	close(codes)
	checked := 0
	for code := range codes {
		if code == http.StatusUnauthorized {
			checked++
		}
	}
	if checked > 5 {
		t.Errorf("%d of 20 parallel attempts had their password checked; the limit is 5", checked)
	}
}

func TestLoginThrottling(t *testing.T) {
	app := apptest.New(t)
	admin := app.Fixture.Accounts[model.RoleAdmin]
	c := app.NewClient()
	for i := 0; i < 5; i++ {
		c.Login(admin.Email, "not the password")
	}
	res := c.Login(admin.Email, apptest.Password)
	if res.StatusCode != http.StatusTooManyRequests || !strings.Contains(res.Body, "Trop de tentatives de connexion") {
		t.Fatalf("sixth attempt within the window, even with the right password: %d", res.StatusCode)
	}
	// Other accounts are not locked by one account's failures.
	other := app.Fixture.Accounts[model.RoleManager]
	if res := app.NewClient().Login(other.Email, apptest.Password); res.StatusCode != http.StatusSeeOther {
		t.Errorf("another account: %d", res.StatusCode)
	}
}

var resetLink = regexp.MustCompile(`http://[^\s]+/mot-de-passe/nouveau\?jeton=[A-Za-z0-9_-]+`)

func TestPasswordResetByEmail(t *testing.T) {
	app := apptest.New(t)
	user := app.Fixture.Accounts[model.RolePartner]
	old := app.NewClient()
	if res := old.Login(user.Email, apptest.Password); res.StatusCode != http.StatusSeeOther {
		t.Fatal("login before reset failed")
	}

	c := app.NewClient()
	for _, email := range []string{user.Email, "nobody@example.fr"} {
		res := c.Post("/mot-de-passe/oubli", url.Values{"email": {email}})
		if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/connexion" {
			t.Fatalf("forgot %s: %d", email, res.StatusCode)
		}
	}
	msgs := app.DeliverMail()
	if len(msgs) != 1 || msgs[0].To != user.Email {
		t.Fatalf("want one message to %s (none for an unknown address), got %+v", user.Email, msgs)
	}
	if msgs[0].Subject != "Choisir un nouveau mot de passe" || !strings.Contains(msgs[0].Text, "Bonjour Compte partner,") {
		t.Errorf("message: %q\n%s", msgs[0].Subject, msgs[0].Text)
	}
	link := resetLink.FindString(msgs[0].Text)
	if link == "" {
		t.Fatalf("no reset link in:\n%s", msgs[0].Text)
	}
	u, _ := url.Parse(link)
	token := u.Query().Get("jeton")
	if page := c.Get(u.RequestURI()); !strings.Contains(page.Body, `name="token"`) {
		t.Fatalf("reset page does not accept the link: %d", page.StatusCode)
	}

	res := c.Post("/mot-de-passe/nouveau", url.Values{"token": {token}, "password": {"court"}, "confirm": {"court"}})
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(res.Body, `id="e-password"`) {
		t.Fatalf("short password: %d", res.StatusCode)
	}
	newPassword := "une phrase de passe assez longue"
	res = c.Post("/mot-de-passe/nouveau", url.Values{"token": {token}, "password": {newPassword}, "confirm": {newPassword}})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("reset: %d\n%s", res.StatusCode, res.Body)
	}
	if res := c.Login(user.Email, newPassword); res.StatusCode != http.StatusSeeOther {
		t.Errorf("login with the new password: %d", res.StatusCode)
	}
	if res := old.Get("/compte"); res.StatusCode != http.StatusSeeOther {
		t.Errorf("the session opened with the old password survived the reset: %d", res.StatusCode)
	}
	res = c.Post("/mot-de-passe/nouveau", url.Values{"token": {token}, "password": {newPassword + "!"}, "confirm": {newPassword + "!"}})
	if res.StatusCode != http.StatusGone || !strings.Contains(res.Body, "Ce lien n&#39;est plus valable") {
		t.Errorf("second use of the link: %d", res.StatusCode)
	}
}

// Asking again and again sends at most three links an hour, and choosing a password kills
// the links not used.
func TestPasswordResetLinksAreLimited(t *testing.T) {
	app := apptest.New(t)
	user := app.Fixture.Accounts[model.RoleManager]
	c := app.NewClient()
	for i := 0; i < 6; i++ {
		if res := c.Post("/mot-de-passe/oubli", url.Values{"email": {user.Email}}); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("request %d: %d", i, res.StatusCode)
		}
	}
	msgs := app.DeliverMail()
	if len(msgs) != 3 {
		t.Fatalf("%d messages sent for 6 requests, want 3", len(msgs))
	}
	var tokens []string
	for _, m := range msgs {
		u, _ := url.Parse(resetLink.FindString(m.Text))
		tokens = append(tokens, u.Query().Get("jeton"))
	}
	pw := "une phrase de passe assez longue"
	if res := c.Post("/mot-de-passe/nouveau", url.Values{"token": {tokens[1]}, "password": {pw}, "confirm": {pw}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("reset: %d", res.StatusCode)
	}
	for _, tok := range []string{tokens[0], tokens[2]} {
		if res := c.Post("/mot-de-passe/nouveau", url.Values{"token": {tok}, "password": {pw}, "confirm": {pw}}); res.StatusCode != http.StatusGone {
			t.Errorf("another link still works after the reset: %d", res.StatusCode)
		}
	}
}

func TestAdminCreatesAccountAndGrantsRole(t *testing.T) {
	app := apptest.New(t)
	c := app.As(model.RoleAdmin)
	res := c.Post("/admin/comptes", url.Values{"email": {"pas une adresse"}, "display_name": {""}})
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(res.Body, `id="e-email"`) || !strings.Contains(res.Body, `id="e-display_name"`) {
		t.Fatalf("invalid account: %d", res.StatusCode)
	}
	res = c.Post("/admin/comptes", url.Values{"email": {"Nadia.Ferrand@ars.sante.fr"}, "display_name": {"Nadia Ferrand"}})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("create: %d\n%s", res.StatusCode, res.Body)
	}
	accountPath := res.Header.Get("Location")
	a, err := app.Store.AccountByEmail(context.Background(), "nadia.ferrand@ars.sante.fr")
	if err != nil || a.PasswordHash != "" {
		t.Fatalf("account %+v %v", a, err)
	}
	msgs := app.DeliverMail()
	if len(msgs) != 1 || msgs[0].Subject != "Votre compte Parcours" || resetLink.FindString(msgs[0].Text) == "" {
		t.Fatalf("invitation: %+v", msgs)
	}
	res = c.Post(accountPath+"/roles", url.Values{"role": {"regional_viewer"}, "scope": {"99"}})
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(res.Body, `id="e-scope"`) {
		t.Fatalf("région 99: %d", res.StatusCode)
	}
	if res := c.Post(accountPath+"/roles", url.Values{"role": {"regional_viewer"}, "scope": {"52"}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("grant: %d", res.StatusCode)
	}
	grants, _ := app.Store.Grants(context.Background(), a.ID)
	if len(grants) != 1 || grants[0].Role != model.RoleRegionalViewer || grants[0].Scope != "52" {
		t.Errorf("grants %+v", grants)
	}
	trail, _ := app.Store.AuditTrail(context.Background(), "account", a.ID, 0)
	if len(trail) != 2 || trail[0].Action != "grant.add" || trail[1].Action != "account.create" {
		t.Errorf("audit %+v", trail)
	}
}

// A new API token is shown once, after a redirect; it works on the API, and not once revoked.
func TestPersonalAPITokens(t *testing.T) {
	app := apptest.New(t)
	c := app.As(model.RoleRegionalViewer)
	res := c.Post("/compte/jetons", url.Values{"name": {"Tableur ARS"}})
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/compte" {
		t.Fatalf("create: %d %s", res.StatusCode, res.Header.Get("Location"))
	}
	page := c.Get("/compte")
	m := regexp.MustCompile(`id="new-token">([A-Za-z0-9_-]+)<`).FindStringSubmatch(page.Body)
	if m == nil {
		t.Fatal("the new token is not shown")
	}
	if again := c.Get("/compte"); strings.Contains(again.Body, m[1]) {
		t.Error("the token is shown a second time")
	}
	if res := app.API(http.MethodGet, "/api/v1/me", m[1], ""); res.StatusCode != http.StatusOK || !strings.Contains(res.Body, `"regional_viewer"`) {
		t.Errorf("the token on the API: %d %s", res.StatusCode, res.Body)
	}
	tokens, _ := app.Store.APITokens(ctx, app.Fixture.Accounts[model.RoleRegionalViewer].ID)
	if res := c.Post("/compte/jetons/"+tokens[0].ID+"/revoquer", nil); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("revoke: %d", res.StatusCode)
	}
	if res := app.API(http.MethodGet, "/api/v1/me", m[1], ""); res.StatusCode != http.StatusUnauthorized {
		t.Errorf("a revoked token still works: %d", res.StatusCode)
	}
}
