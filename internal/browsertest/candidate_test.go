package browsertest

import (
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

var verifyLink = regexp.MustCompile(`https?://\S+/inscription/verification\?jeton=[A-Za-z0-9_-]+(&suivant=\S+)?`)

// TestNewCandidateAppliesWithAFile is the candidate's journey on the demo: someone without an
// account finds the AMG call of Pays de la Loire, signs up, confirms their address through
// the link e-mailed to them, applies for a CPTS of the région as its treasurer with a CV in
// PDF, gets a receipt number, and the confirmation e-mail with that number reaches the SMTP
// server.
func TestNewCandidateAppliesWithAFile(t *testing.T) {
	t.Parallel()
	needChromium(t)
	d := demoServer(t)
	b := newTab(t, d.URL)
	const (
		email     = "camille.durand@example.fr"
		password  = "une phrase de passe solide"
		structure = "CPTS du Pays de Retz"
	)
	cv := filepath.Join(t.TempDir(), "cv-camille-durand.pdf")
	writeFile(t, cv, pdf)

	b.open("/appels", 200)
	b.wantPage("call_list")
	b.click(`//main//article[contains(., "Pays de la Loire")]//a[contains(., "gouvernance des CPTS")]`, 200)
	b.check("call_show") // the demo's texts, longer than the fixture's
	b.wantText("main h1", "Accompagnement des membres de la gouvernance des CPTS")
	call := b.location()

	b.click(named("Créer un compte"), 200)
	b.wantPage("signup")
	b.typeIn("#f-first_name", "Camille")
	b.typeIn("#f-last_name", "Durand")
	b.typeIn("#f-email", email)
	b.typeIn("#f-password", password)
	b.typeIn("#f-confirm", password)
	b.click(signupButton, 200)
	b.wantPage("signup_sent")
	b.wantText("main", email)

	var link string
	for _, m := range d.deliverMail(t) {
		if strings.Contains(m.To, email) {
			link = verifyLink.FindString(m.Text)
		}
	}
	if link == "" {
		t.Fatalf("no confirmation link in a mail to %s", email)
	}
	b.open(strings.TrimPrefix(link, d.URL), 200)
	b.wantPage("call_show") // back on the call, logged in
	if loc := b.location(); loc != call {
		t.Errorf("the confirmation link leads to %s, want the call %s", loc, call)
	}
	b.wantText("main .flash", "confirmée")

	b.click(named("Candidater"), 200)
	b.check("application_form") // every kind of question the demo call asks
	b.typeIn("#f-q", "Pays de Retz")
	b.click(searchStruct, 200)
	b.wantPage("application_form")
	b.step("pick "+structure, chromedp.Click(chromedp.Search(
		`//main//fieldset[contains(@class, "results")]//label[contains(., "`+structure+`")]/input`)))
	b.set("#f-role", "tresorier")
	b.set("#f-profession", "infirmier")
	b.typeIn("main textarea", "Trésorière de notre CPTS depuis sa création, je veux mieux comprendre l'accord "+
		"conventionnel interprofessionnel et présenter nos comptes au conseil d'administration avec assurance.")
	b.step("answer yes", chromedp.Click(chromedp.CSS("main input[type=radio][value=oui]")))
	b.step("attach the CV", chromedp.SetUploadFiles(chromedp.CSS("main input[type=file]"), []string{cv}))
	b.tick("#f-consent_processing")
	b.tick("#f-consent_retention")
	b.click(named("Déposer ma candidature"), 200)
	b.wantPage("application_receipt")
	receipt := receiptNumber.FindString(b.text("main .receipt"))
	if receipt == "" {
		t.Fatalf("no AMG-52-NNNN number on the receipt page: %q", b.text("main"))
	}
	b.wantText("main", email)

	var confirmed bool
	for _, m := range d.deliverMail(t) {
		if strings.Contains(m.To, email) && m.Subject == "Votre candidature est déposée" {
			confirmed = true
			if !strings.Contains(m.Text, receipt) {
				t.Errorf("the confirmation e-mail lacks the number %s:\n%s", receipt, m.Text)
			}
		}
	}
	if !confirmed {
		t.Errorf("no « Votre candidature est déposée » e-mail reached %s", email)
	}

	b.click(named("Voir ma candidature"), 200)
	b.wantPage("application_form") // submitted, still open to changes until the close
	b.wantText("main .application-status", receipt)
	b.wantText("main a[href^='/fichiers/']", filepath.Base(cv))
}
