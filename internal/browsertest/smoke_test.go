package browsertest

import (
	"context"
	"io"
	"log/slog"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"parcours/internal/config"
	"parcours/internal/demo"
	"parcours/internal/mail"
	"parcours/internal/server"
	"parcours/internal/storage"
	"parcours/internal/testkit"
)

// demoSite is the server on a fresh database filled by demo.Seed, as `parcours demo` serves it
// (apptest's fixture cannot be used: Seed only fills an empty database).
type demoSite struct {
	URL    string
	Admin  demo.Account
	Store  *storage.Store
	Config *config.Config
	smtp   *testkit.SMTPServer
}

func demoServer(t *testing.T) *demoSite {
	t.Helper()
	ctx := context.Background()
	store := testkit.Open(t)
	sum, err := demo.Seed(ctx, store)
	if err != nil {
		t.Fatal(err)
	}
	d := &demoSite{Store: store}
	for _, a := range sum.Accounts {
		if strings.HasPrefix(a.Email, "admin@") {
			d.Admin = a
		}
	}
	if d.Admin.Email == "" {
		t.Fatalf("demo.Seed made no admin account: %+v", sum.Accounts)
	}
	srv := httptest.NewUnstartedServer(nil)
	if d.Config, err = config.Load(func(k string) string {
		return map[string]string{"PARCOURS_BASE_URL": "http://" + srv.Listener.Addr().String()}[k]
	}); err != nil {
		t.Fatal(err)
	}
	logs := &testkit.Buffer{}
	s, err := server.New(ctx, d.Config, store, slog.New(slog.NewTextHandler(logs, nil)))
	if err != nil {
		t.Fatal(err)
	}
	s.UI.Demo = true
	srv.Config.Handler = s.Handler()
	srv.Start()
	d.URL = srv.URL
	t.Cleanup(func() {
		srv.Close()
		if t.Failed() {
			t.Logf("server log:\n%s", logs.String())
		}
	})
	return d
}

// deliverMail sends what the outbox holds to a test SMTP server, as the mail worker of
// `parcours serve` does, and returns every message that server has received.
func (d *demoSite) deliverMail(t *testing.T) []testkit.Received {
	t.Helper()
	if d.smtp == nil {
		d.smtp = testkit.NewSMTPServer(t)
	}
	w := &mail.Worker{Store: d.Store, From: d.Config.MailFrom, ID: "browsertest", Logger: slog.New(slog.NewTextHandler(io.Discard, nil)),
		Sender: mail.SMTP{Host: d.smtp.Host, Port: d.smtp.Port, TLS: "starttls", TLSConfig: d.smtp.Client}}
	if _, err := w.RunOnce(context.Background()); err != nil {
		t.Fatal(err)
	}
	return d.smtp.Messages()
}

// TestDemoJourney is the CI gate: the demo administrator logs in through the form and finds
// the 28 CPTS of Pays de la Loire in the structures list.
func TestDemoJourney(t *testing.T) {
	t.Parallel()
	needChromium(t)
	d := demoServer(t)
	admin := d.Admin
	b := newTab(t, d.URL)

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
