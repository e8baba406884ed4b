package browsertest

import (
	"context"
	"log/slog"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"parcours/internal/config"
	"parcours/internal/demo"
	"parcours/internal/server"
	"parcours/internal/testkit"
)

// demoServer runs the server on a fresh database filled by demo.Seed, as `parcours demo` does
// (apptest's fixture cannot be used: Seed only fills an empty database).
func demoServer(t *testing.T) (url string, admin demo.Account) {
	t.Helper()
	ctx := context.Background()
	store := testkit.Open(t)
	sum, err := demo.Seed(ctx, store)
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range sum.Accounts {
		if strings.HasPrefix(a.Email, "admin@") {
			admin = a
		}
	}
	if admin.Email == "" {
		t.Fatalf("demo.Seed made no admin account: %+v", sum.Accounts)
	}
	srv := httptest.NewUnstartedServer(nil)
	cfg, err := config.Load(func(k string) string {
		return map[string]string{"PARCOURS_BASE_URL": "http://" + srv.Listener.Addr().String()}[k]
	})
	if err != nil {
		t.Fatal(err)
	}
	logs := &testkit.Buffer{}
	s, err := server.New(ctx, cfg, store, slog.New(slog.NewTextHandler(logs, nil)))
	if err != nil {
		t.Fatal(err)
	}
	s.UI.Demo = true
	srv.Config.Handler = s.Handler()
	srv.Start()
	t.Cleanup(func() {
		srv.Close()
		if t.Failed() {
			t.Logf("server log:\n%s", logs.String())
		}
	})
	return srv.URL, admin
}

// TestDemoJourney is the CI gate: the demo administrator logs in through the form and finds
// the 28 CPTS of Pays de la Loire in the structures list.
func TestDemoJourney(t *testing.T) {
	t.Parallel()
	needChromium(t)
	url, admin := demoServer(t)
	b := newTab(t, url)

	b.open("/", 200) // sent to the login page
	b.check("login")
	b.typeIn("#f-email", admin.Email)
	b.typeIn("#f-password", admin.Password)
	b.click("main form[action='/connexion'] button[type=submit]", 200)
	b.check("home")
	b.wantText("main h1", "Bonjour")

	b.click("header nav a[href='/structures']", 200)
	b.check("structure_list") // unfiltered: several pages, with the pagination links
	b.set("#f-region", "52")
	b.set("#f-type", "cpts")
	b.click("main search form button[type=submit]", 200)
	b.wantPage("structure_list")
	if loc := b.location(); !strings.Contains(loc, "region=52") || !strings.Contains(loc, "type=cpts") {
		t.Errorf("the filter went to %s, want region=52 and type=cpts in the query", loc)
	}
	b.wantText("main p[role=status]", "28 structures")
	if n, err := chromedp.Run(b.ctx, chromedp.Evaluate[int](`document.querySelectorAll('main table tbody tr').length`)); err != nil || n != 28 {
		t.Errorf("the table has %d rows (%v), want 28", n, err)
	}
	rows := b.text("main table tbody")
	for _, name := range []string{"CPTS du Pays de Retz", "CPTS Le Mans Métropole", "CPTS Centre Vendée"} {
		if !strings.Contains(rows, name) {
			t.Errorf("the table of Pays de la Loire CPTS lacks %s", name)
		}
	}
	if strings.Contains(rows, "Marseille") {
		t.Errorf("the table of Pays de la Loire CPTS shows a PACA one: %.500s", rows)
	}
}
