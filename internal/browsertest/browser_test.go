package browsertest

import (
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"parcours/internal/apptest"
	"parcours/internal/testkit"
)

// browser is the one Chromium of the package, started by the first test that needs it.
var browser struct {
	ctx  context.Context // nil when no Chromium was found
	path string
	why  string // why there is none
	once sync.Once
	err  error
}

func TestMain(m *testing.M) { os.Exit(run(m)) }

func run(m *testing.M) int {
	browser.path, browser.why = findChromium()
	if browser.path == "" {
		return m.Run()
	}
	// TestMain has no t.TempDir: the profile is a fresh folder removed after the run.
	profile, err := os.MkdirTemp("", "parcours-chromium-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer os.RemoveAll(profile)
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(),
		chromedp.ExecPath(browser.path),
		chromedp.UserDataDir(profile),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.Flag("disable-gpu", true),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		// Chromium 156 preloads its omnibox popup (WebUI renderers) in every browser context,
		// even headless: a third of the package's time on two cores. Unknown names are ignored.
		chromedp.Flag("disable-features", "PreloadTopChromeWebUI,WebUIOmniboxAimPopup,WebUIOmniboxPopup,WebUIOmniboxFullPopup"),
		chromedp.Flag("disable-dev-shm-usage", true), // /dev/shm is small in containers
		chromedp.WindowSize(1280, 900),
	)
	defer cancelAlloc()
	ctx, cancel := chromedp.NewContext(allocCtx)
	defer cancel()
	browser.ctx = ctx
	return m.Run()
}

// findChromium returns the browser to drive, or why there is none.
func findChromium() (path, why string) {
	if p := os.Getenv("PARCOURS_CHROMIUM"); p != "" {
		if lp, err := exec.LookPath(p); err == nil {
			return lp, ""
		}
		return "", fmt.Sprintf("PARCOURS_CHROMIUM=%s is not an executable file", p)
	}
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p, ""
		}
	}
	return "", "none of chromium, chromium-browser, google-chrome is on PATH; install Debian's chromium " +
		"or set PARCOURS_CHROMIUM to a Chrome or Chromium binary"
}

// tab is one browser tab on one running server, with its own cookies.
type tab struct {
	t    *testing.T
	ctx  context.Context
	base string          // the server's address
	seen map[string]bool // page templates checked with axe
}

// cspWatch records the Content-Security-Policy violations of each document, so that a
// template with an inline style or script fails the test instead of silently losing it.
const cspWatch = `window.__cspViolations = [];
document.addEventListener('securitypolicyviolation', e =>
  window.__cspViolations.push(e.violatedDirective + ' blocked ' + (e.blockedURI || 'inline') + ' at line ' + e.lineNumber));`

// needChromium skips the test, or fails it in CI, when there is no browser to drive.
func needChromium(t *testing.T) {
	t.Helper()
	if browser.ctx == nil {
		testkit.Missing(t, "Chromium", browser.why)
	}
}

// newTab opens a tab in a browser context of its own, closed at the end of the test.
func newTab(t *testing.T, base string) *tab {
	t.Helper()
	needChromium(t)
	browser.once.Do(func() { browser.err = chromedp.Do(browser.ctx) })
	if browser.err != nil {
		t.Fatalf("start Chromium %s: %v", browser.path, browser.err)
	}
	ctx, cancel := chromedp.NewContext(browser.ctx, chromedp.WithNewBrowserContext())
	t.Cleanup(cancel)
	if _, err := chromedp.Call(ctx, page.AddScriptToEvaluateOnNewDocument,
		page.AddScriptToEvaluateOnNewDocumentParams{Source: cspWatch}); err != nil {
		t.Fatalf("open a tab: %v", err)
	}
	return &tab{t: t, ctx: ctx, base: base, seen: map[string]bool{}}
}

// another opens a second tab on the same server, with cookies of its own, whose checked pages
// count with this tab's.
func (b *tab) another() *tab {
	b.t.Helper()
	o := newTab(b.t, b.base)
	o.seen = b.seen
	return o
}

// step runs the actions with a deadline, so that a missing element fails fast.
func (b *tab) step(what string, actions ...chromedp.Action[chromedp.Void]) {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, 15*time.Second)
	defer cancel()
	if err := chromedp.Do(ctx, actions...); err != nil {
		b.t.Fatalf("%s (on %s): %v", what, b.location(), err)
	}
}

// open loads path and checks the HTTP status of the page.
func (b *tab) open(path string, status int64) {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, 15*time.Second)
	defer cancel()
	res, err := chromedp.Run(ctx, chromedp.NavigateResponse(b.base+path))
	if err != nil {
		b.t.Fatalf("open %s: %v", path, err)
	}
	b.wantStatus("GET "+path, res.Status, status)
}

// click clicks the button or link (a CSS selector, or an XPath query such as named gives),
// waits for the page it leads to and checks that page's status (after redirects).
func (b *tab) click(button string, status int64) {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, 15*time.Second)
	defer cancel()
	from := b.location()
	action := chromedp.Click(chromedp.CSS(button))
	if strings.HasPrefix(button, "//") {
		action = chromedp.Click(chromedp.Search(button))
	}
	res, err := chromedp.RunResponse(ctx, action)
	if err != nil {
		b.t.Fatalf("click %s on %s: %v", button, from, err)
	}
	b.wantStatus("click "+button+" on "+from, res.Status, status)
}

func (b *tab) wantStatus(what string, got, want int64) {
	b.t.Helper()
	if got != want {
		b.t.Fatalf("%s: status %d, want %d; page %q says: %.300s", what, got, want, b.pageName(), b.text("main"))
	}
}

// typeIn focuses the field and enters text as the keyboard would (input events, no script in
// the page), in one step rather than a key at a time.
func (b *tab) typeIn(field, text string) {
	b.t.Helper()
	b.step("type into "+field, chromedp.Focus(chromedp.CSS(field)), chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		_, err := cdp.Call(ctx, t, input.InsertText, input.InsertTextParams{Text: text})
		return err
	}))
}

// login logs in through the login page's form.
func (b *tab) login(email, password string) {
	b.t.Helper()
	b.open("/connexion", 200)
	b.typeIn("#f-email", email)
	b.typeIn("#f-password", password)
	b.click(loginButton, 200)
}

// named is an XPath query for the link or button of the main content whose text is text, as
// the person reading the page finds it.
func named(text string) string {
	if strings.Contains(text, `"`) {
		panic("named: a double quote in " + text)
	}
	return `//main//*[self::a or self::button][normalize-space(.)="` + text + `"]`
}

// signIn gives the tab a session of the account, made in the database as apptest.AsAccount
// does: quicker than the login form (an argon2 hash per login), which other visits go through.
func (b *tab) signIn(app *apptest.App, accountID string) {
	b.t.Helper()
	u, err := url.Parse(b.base)
	if err != nil {
		b.t.Fatal(err)
	}
	for _, c := range app.AsAccount(accountID).HTTP.Jar.Cookies(u) {
		if _, err := chromedp.Call(b.ctx, network.SetCookie, network.SetCookieParams{Name: c.Name, Value: c.Value, URL: b.base + "/"}); err != nil {
			b.t.Fatalf("set the session cookie: %v", err)
		}
	}
}

// tick checks the checkbox by clicking it, unless it is checked already.
func (b *tab) tick(box string) {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, 15*time.Second)
	defer cancel()
	checked, err := chromedp.Run(ctx, chromedp.JavascriptAttribute[bool](chromedp.CSS(box), "checked"))
	if err != nil {
		b.t.Fatalf("read %s (on %s): %v", box, b.location(), err)
	}
	if !checked {
		b.step("tick "+box, chromedp.Click(chromedp.CSS(box)))
	}
}

// choose selects an option of a select through the DOM, which needs no script in the page.
func (b *tab) choose(sel, value string) {
	b.t.Helper()
	b.step("choose "+value+" in "+sel,
		chromedp.SetAttributeValue(chromedp.CSS(sel+" option[value='"+value+"']"), "selected", "selected"))
}

// set sets the value of a field or a select.
func (b *tab) set(field, value string) {
	b.t.Helper()
	b.step("set "+field, chromedp.SetValue(chromedp.CSS(field), value))
}

// pageName is the template of the page shown: <body data-page>, read without JavaScript.
func (b *tab) pageName() string {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, 15*time.Second)
	defer cancel()
	attr, err := chromedp.Run(ctx, chromedp.AttributeValue(chromedp.CSS("body"), "data-page"))
	if err != nil {
		b.t.Fatalf("read body[data-page]: %v", err)
	}
	return attr.Value
}

// text is the visible text of the first element that matches sel.
func (b *tab) text(sel string) string {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, 15*time.Second)
	defer cancel()
	s, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(sel)))
	if err != nil {
		b.t.Fatalf("read the text of %s (on %s): %v", sel, b.location(), err)
	}
	return strings.Join(strings.Fields(s), " ")
}

func (b *tab) location() string {
	ctx, cancel := context.WithTimeout(b.ctx, 5*time.Second)
	defer cancel()
	loc, _ := chromedp.Run(ctx, chromedp.Location())
	return strings.TrimPrefix(loc, b.base)
}

// wantPage checks that the page shown is the template want.
func (b *tab) wantPage(want string) {
	b.t.Helper()
	if got := b.pageName(); got != want {
		b.t.Fatalf("on %s: page %q, want %q; it says: %.300s", b.location(), got, want, b.text("main"))
	}
}

// wantText checks that the element sel contains want.
func (b *tab) wantText(sel, want string) {
	b.t.Helper()
	if got := b.text(sel); !strings.Contains(got, want) {
		b.t.Errorf("on %s: %s says %q, want it to contain %q", b.location(), sel, got, want)
	}
}

// axeSource is axe.min.js, vendored from npm.
var axeSource = sync.OnceValues(func() (string, error) {
	b, err := os.ReadFile("testdata/axe-core/axe.min.js")
	return string(b), err
})

// axeRun runs axe on the whole document and keeps what a report needs. A text whose colour
// equals its background is only "incomplete" for axe (it may be hidden on purpose); here
// nothing hides text that way, so it counts as a violation: an invisible label.
const axeRun = `axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']},
  resultTypes: ['violations', 'incomplete']})
.then(r => {
  const brief = v => ({id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,
    nodes: v.nodes.map(n => ({target: n.target, summary: n.failureSummary}))});
  const invisible = r.incomplete.filter(v => v.id === 'color-contrast')
    .map(v => ({...v, id: 'color-contrast (1:1)', impact: 'serious', help: 'Text must not have the colour of its background',
      nodes: v.nodes.filter(n => n.any.some(c => c.data && c.data.messageKey === 'equalRatio'))}))
    .filter(v => v.nodes.length > 0);
  return JSON.stringify({
    violations: r.violations.concat(invisible).map(brief),
    incomplete: r.incomplete.map(v => v.id + ' ×' + v.nodes.length),
    csp: window.__cspViolations || []
  });
})`

type axeReport struct {
	Violations []struct {
		ID, Impact, Help, HelpURL string
		Nodes                     []struct {
			Target  []any
			Summary string
		}
	}
	Incomplete []string
	CSP        []string
}

// check asserts that the page shown is the template want, then runs axe-core on it and
// fails the test with every violation, and with any blocked inline style or script.
func (b *tab) check(want string) {
	b.t.Helper()
	b.wantPage(want)
	b.seen[want] = true
	src, err := axeSource()
	if err != nil {
		b.t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(b.ctx, 30*time.Second)
	defer cancel()
	// The CSP forbids an injected <script>; the DevTools protocol evaluates the source instead.
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[chromedp.Void](src)); err != nil {
		b.t.Fatalf("inject axe-core: %v", err)
	}
	out, err := chromedp.Run(ctx, chromedp.Evaluate[string](axeRun, chromedp.EvalAwaitPromise))
	if err != nil {
		b.t.Fatalf("run axe-core on %s: %v", b.location(), err)
	}
	var rep axeReport
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		b.t.Fatalf("read axe-core's report: %v", err)
	}
	where := fmt.Sprintf("page %s (%s)", want, b.location())
	for _, v := range rep.Violations {
		var msg strings.Builder
		fmt.Fprintf(&msg, "%s: axe %s [%s] %s — %s", where, v.ID, v.Impact, v.Help, v.HelpURL)
		for i, n := range v.Nodes {
			if i == 3 {
				fmt.Fprintf(&msg, "\n    … and %d more", len(v.Nodes)-i)
				break
			}
			fmt.Fprintf(&msg, "\n    %v\n      %s", n.Target, strings.ReplaceAll(n.Summary, "\n", "\n      "))
		}
		b.t.Error(msg.String())
	}
	for _, c := range rep.CSP {
		b.t.Errorf("%s: Content-Security-Policy violation: %s", where, c)
	}
	if len(rep.Incomplete) > 0 {
		b.t.Logf("%s: axe could not decide (review by hand): %s", where, strings.Join(rep.Incomplete, ", "))
	}
}
