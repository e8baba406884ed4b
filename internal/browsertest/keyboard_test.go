package browsertest

import (
	"testing"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"parcours/internal/apptest"
	"parcours/internal/model"
)

// focused describes document.activeElement.
type focused struct {
	Tag, ID, Class, Href string
	InMain, First        bool
	Left, Width          float64
}

const readFocus = `(() => {
  const e = document.activeElement, r = e.getBoundingClientRect();
  const first = document.querySelector('a[href], button, input:not([type=hidden]), select, textarea, [tabindex]:not([tabindex="-1"])');
  return {tag: e.tagName.toLowerCase(), id: e.id, class: e.className, href: e.getAttribute('href') || '',
    inMain: !!e.closest('main'), first: e === first, left: r.left, width: r.width};
})()`

func (b *tab) focus() focused {
	b.t.Helper()
	f, err := chromedp.Run(b.ctx, chromedp.Evaluate[focused](readFocus))
	if err != nil {
		b.t.Fatalf("read the focused element: %v", err)
	}
	return f
}

// TestSkipLinkComesFirst: the first Tab reaches the "Aller au contenu" link, shown on focus,
// and Enter on it moves the focus into the main content, where the next Tab continues.
func TestSkipLinkComesFirst(t *testing.T) {
	t.Parallel()
	needChromium(t)
	app := apptest.New(t)
	b := newTab(t, app.HTTP.URL)
	admin := app.Fixture.Accounts[model.RoleAdmin]
	for _, path := range []string{"/connexion", "", "/structures/" + app.Fixture.CPTSPdl.ID} {
		if path == "" {
			b.login(admin.Email, admin.Password)
			path = "/"
		}
		b.open(path, 200)
		b.step("press Tab", chromedp.KeyEvent(kb.Tab))
		f := b.focus()
		if f.Class != "skip-link" || f.Href != "#contenu" || !f.First {
			t.Errorf("%s: the first Tab focuses %+v, want the skip link to #contenu, first of the page", path, f)
		}
		if f.Left < 0 || f.Width == 0 {
			t.Errorf("%s: the focused skip link is off screen: %+v", path, f)
		}
		b.step("press Enter", chromedp.KeyEvent(kb.Enter))
		if f := b.focus(); f.ID != "contenu" || f.Tag != "main" {
			t.Errorf("%s: after Enter on the skip link, the focus is on %+v, want main#contenu", path, f)
		}
		b.step("press Tab", chromedp.KeyEvent(kb.Tab))
		if f := b.focus(); !f.InMain {
			t.Errorf("%s: the Tab after the skip link goes to %+v, outside the main content", path, f)
		}
	}
}

// TestWorksWithoutJavaScript logs in, creates a structure and logs out with scripts turned
// off: every page is plain HTML forms and links.
func TestWorksWithoutJavaScript(t *testing.T) {
	t.Parallel()
	needChromium(t)
	app := apptest.New(t)
	b := newTab(t, app.HTTP.URL)
	if _, err := chromedp.Call(b.ctx, emulation.SetScriptExecutionDisabled,
		emulation.SetScriptExecutionDisabledParams{Value: true}); err != nil {
		t.Fatal(err)
	}
	// Parcours' pages have no script to prove it with: a page of our own does.
	b.step("open a page with a script", chromedp.Navigate(`data:text/html,<body><script>document.body.dataset.ran = "yes"</script></body>`))
	if ran, err := chromedp.Run(b.ctx, chromedp.AttributeValue(chromedp.CSS("body"), "data-ran")); err != nil || ran.Exists {
		t.Fatalf("scripts still run in the page (%+v, %v)", ran, err)
	}
	admin := app.Fixture.Accounts[model.RoleAdmin]

	b.open("/structures/nouvelle", 200) // sent to log in first, then back here
	b.wantPage("login")
	b.typeIn("#f-email", admin.Email)
	b.typeIn("#f-password", admin.Password)
	b.click(loginButton, 200)
	b.wantPage("structure_form")

	b.typeIn("#f-name", "CPTS Sans Script")
	b.choose("#f-stage", string(model.StageEmergence))
	b.typeIn("#f-ref", "SANS-JS-01")
	b.choose("#f-departement", "49")
	b.typeIn("#f-commune", "Angers")
	b.click("main form[action='/structures'] button[type=submit]", 200)
	b.wantPage("structure_show")
	b.wantText("main h1", "CPTS Sans Script")
	b.wantText("main .flash", "enregistrée")
	b.wantText("main dl", "Maine-et-Loire")

	b.click("header form[action='/deconnexion'] button[type=submit]", 200)
	b.wantPage("login")
	b.wantText("main .flash", "déconnecté")
}
