package server_test

import (
	"net/http"
	"net/http/httptest"
	"testing"

	"parcours/internal/apptest"
	"parcours/internal/model"
)

// One logged-in request for the structures list page, through the whole middleware chain
// (session lookup, CSRF cookie, policy, query, template), without the network.
func BenchmarkStructureListPage(b *testing.B) {
	app := apptest.New(b)
	c := app.As(model.RoleRegionalViewer)
	req := httptest.NewRequest(http.MethodGet, app.URL("/structures"), nil)
	for _, ck := range c.HTTP.Jar.Cookies(req.URL) {
		req.AddCookie(ck)
	}
	h := app.Server.Handler()
	b.ReportAllocs()
	for b.Loop() {
		w := httptest.NewRecorder()
		h.ServeHTTP(w, req)
		if w.Code != http.StatusOK {
			b.Fatal(w.Code)
		}
	}
}
