package server_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"parcours/internal/apptest"
	"parcours/internal/model"
	"parcours/internal/policy"
	"parcours/internal/storage"
)

// Every live route × every role (and anonymous): the router's answer must be the policy's.
// A route whose action has no rule is allowed to nobody, so a route added without thinking
// about who may use it fails here.
func TestEveryRoutePassesThePolicy(t *testing.T) {
	app := apptest.New(t)
	f := app.Fixture
	job := &storage.Job{Kind: "import.structures", Payload: `{}`, AccountID: f.Accounts[model.RoleAdmin].ID}
	if err := app.Store.CreateJob(context.Background(), job); err != nil {
		t.Fatal(err)
	}
	params := map[string]string{
		"{code}": "52", "{job}": job.ID, "{membership}": f.MembershipPdl.ID, "{file...}": "app.css",
		"{member}": "unknown-member", "{application}": f.Application.ID, "{enrolment}": "unknown-enrolment",
		"{account}": "unknown-account", "{doc}": "releve.pdf", "{file}": "unknown.ics",
	}
	ids := map[string]string{ // {id} by the route's prefix
		"/structures/": f.CPTSPdl.ID, "/api/v1/structures/": f.CPTSPdl.ID,
		"/personnes/": f.PersonPdl.ID, "/api/v1/people/": f.PersonPdl.ID,
		"/api/v1/memberships/": f.MembershipPdl.ID, "/admin/comptes/": f.Accounts[model.RoleCandidate].ID,
		"/compte/jetons/": "unknown-token",
		"/appels/":        f.Call.ID, "/candidatures/": f.Application.ID, "/gestion/candidatures/": f.Application.ID,
		"/programmes/": f.Programme.ID, "/promotions/": f.Cohort.ID, "/questions/": f.Questions[0].ID,
		"/fichiers/":          "unknown-file",
		"/api/v1/programmes/": f.Programme.ID, "/api/v1/cohorts/": f.Cohort.ID,
		"/api/v1/calls/": f.Call.ID, "/api/v1/applications/": f.Application.ID,
		"/journees/": "unknown-day", "/demi-journees/": "unknown-half-day", "/mon-parcours/": f.Cohort.ID,
		"/emargement/": "unknown-half-day",
		"/comites/":    "committee-1", "/offres/": "unknown-offer", "/gestion/offres/": "unknown-offer",
		"/api/v1/half-days/": "unknown-half-day",
	}
	known := map[policy.Action]bool{}
	for _, a := range policy.Actions() {
		known[a] = true
	}
	roles := append([]model.Role{""}, model.Roles...) // "" is anonymous
	routes := app.Server.Routes()
	if len(routes) < 40 {
		t.Fatalf("only %d routes found", len(routes))
	}
	for _, rt := range routes {
		if !known[rt.Action] {
			t.Errorf("%s: action %q has no rule in the policy", rt.Pattern, rt.Action)
			continue
		}
		method, path, _ := strings.Cut(rt.Pattern, " ")
		path = strings.TrimSuffix(path, "{$}")
		for k, v := range params {
			path = strings.ReplaceAll(path, k, v)
		}
		if strings.Contains(path, "{id}") {
			for prefix, v := range ids {
				if strings.HasPrefix(path, prefix) {
					path = strings.Replace(path, "{id}", v, 1)
				}
			}
		}
		if strings.Contains(path, "{") {
			t.Fatalf("%s: no test value for its parameters", rt.Pattern)
		}
		api := strings.HasPrefix(path, "/api/")
		for _, role := range roles {
			var principal *policy.Principal
			if role != "" {
				principal = &policy.Principal{Grants: []model.Grant{{Role: role, Scope: f.Accounts[role].Scope}}}
			}
			allowed := policy.Allow(principal, rt.Action)
			res := request(t, app, method, path, role, api)
			// Denied: 401 or 403 from the API; 403, or the login page for anonymous visitors, from the pages.
			denied := res.StatusCode == http.StatusForbidden ||
				(api && res.StatusCode == http.StatusUnauthorized) ||
				(!api && res.StatusCode == http.StatusSeeOther && strings.HasPrefix(res.Header.Get("Location"), "/connexion?"))
			if allowed && denied {
				t.Errorf("%s as %q: allowed by the policy but answered %d", rt.Pattern, role, res.StatusCode)
			}
			if !allowed && !denied {
				t.Errorf("%s as %q: denied by the policy but answered %d", rt.Pattern, role, res.StatusCode)
			}
			if !allowed && api && role == "" && res.StatusCode != http.StatusUnauthorized {
				t.Errorf("%s anonymous: want 401, got %d", rt.Pattern, res.StatusCode)
			}
			if res.StatusCode >= 500 {
				t.Errorf("%s as %q: %d\n%s", rt.Pattern, role, res.StatusCode, res.Body)
			}
		}
	}
}

// request sends an empty request as role: a session and a CSRF token for pages, a bearer
// token for the API.
func request(t *testing.T, app *apptest.App, method, path string, role model.Role, api bool) *apptest.Response {
	t.Helper()
	if api {
		token := ""
		if role != "" {
			token = app.Token(role)
		}
		body := ""
		if method == http.MethodPost || method == http.MethodPut {
			body = "{}"
		}
		return app.API(method, path, token, body)
	}
	c := app.NewClient()
	if role != "" {
		c = app.As(role)
	}
	if method == http.MethodGet {
		return c.Get(path)
	}
	return c.Post(path, nil)
}
