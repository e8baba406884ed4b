package server

import (
	"net/http"
	"strconv"
	"strings"

	"parcours/internal/httpx"
	"parcours/internal/i18n"
	"parcours/internal/policy"
)

// Route is one registered route and the policy action it performs.
type Route struct {
	Pattern string // "GET /structures/{id}"
	Action  policy.Action
}

// router is http.ServeMux plus the list of its routes with their actions, so that a test can
// enumerate the live routes and check each one against the policy.
type router struct {
	mux    *http.ServeMux
	routes []Route
	deny   func(w http.ResponseWriter, r *http.Request, status int)
}

// handle registers a route. Every route must name its action: the guard lets a request
// through only when the policy allows the caller that action.
func (rt *router) handle(pattern string, action policy.Action, h http.HandlerFunc) {
	rt.routes = append(rt.routes, Route{Pattern: pattern, Action: action})
	rt.mux.Handle(pattern, rt.guard(action, h))
}

func (rt *router) guard(action policy.Action, h http.HandlerFunc) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p := httpx.Principal(r)
		if policy.Allow(p, action) {
			h(w, r)
			return
		}
		if p == nil {
			rt.deny(w, r, http.StatusUnauthorized)
			return
		}
		rt.deny(w, r, http.StatusForbidden)
	})
}

// isAPI tells the JSON API's requests from the pages'.
func isAPI(r *http.Request) bool { return strings.HasPrefix(r.URL.Path, "/api/") }

// apiMessage is the French sentence of an API error status.
func apiMessage(status int) string {
	key := "api.error." + strconv.Itoa(status)
	if i18n.Has(key) {
		return i18n.T(key)
	}
	return i18n.T("api.error.500")
}
