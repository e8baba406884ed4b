package cli

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"parcours/internal/demo"
	"parcours/internal/mail"
)

func cmdDemo(e *env, args []string) error {
	fs := flags(e, "demo", "[-db FILE]", "Create a fresh demo database (fictional Pays de la Loire and PACA structures, one account\n"+
		"per role), then start the server on it. The demo never touches the database that serve uses.\n"+
		"E-mails are written to a folder instead of being sent.")
	dbFile := fs.String("db", "parcours-demo.db", "SQLite file of the demo; replaced at every start")
	if err := parse(fs, args); err != nil {
		return err
	}
	cfg, err := e.config()
	if err != nil {
		return err
	}
	if abs, _ := filepath.Abs(*dbFile); abs == absSQLite(cfg.DatabaseURL) {
		return fmt.Errorf("-db %s is the database of serve (PARCOURS_DATABASE_URL): choose another file", *dbFile)
	}
	for _, suffix := range []string{"", "-wal", "-shm"} {
		if err := os.Remove(*dbFile + suffix); err != nil && !os.IsNotExist(err) {
			return err
		}
	}
	cfg.DatabaseURL = "sqlite:" + *dbFile
	cfg.SMTPHost = "" // the demo never sends real mail
	if e.getenv("PARCOURS_MAIL_DIR") == "" {
		cfg.MailDir = "parcours-demo-mail"
	}
	s, err := e.open(cfg)
	if err != nil {
		return err
	}
	defer s.Close()
	if _, err := s.Migrate(e.ctx); err != nil {
		return err
	}
	ln, err := e.listen(cfg) // first: the e-mails' links need the port actually opened
	if err != nil {
		return err
	}
	summary, err := demo.SeedWith(e.ctx, s, demo.Options{Mailing: mail.Site{BaseURL: cfg.BaseURL.String(), Brand: cfg.BrandName}})
	if err != nil {
		ln.Close()
		return err
	}
	mailDir, _ := filepath.Abs(cfg.MailDir)
	out := e.stdout
	fmt.Fprintf(out, "\nParcours demo — %s\n", demo.Notice)
	fmt.Fprintf(out, "%d structures, %d people, %d programmes, %d calls, %d applications in %s\n\n",
		summary.Structures, summary.People, summary.Programmes, summary.Calls, summary.Applications, *dbFile)
	fmt.Fprintf(out, "Open %s and log in with one of these accounts:\n\n", cfg.BaseURL)
	for _, a := range summary.Accounts {
		fmt.Fprintf(out, "  %-38s %-22s %s\n", a.Email, a.Password, a.Role)
	}
	fmt.Fprintf(out, "\nThe demo's applicants log in with their e-mail and %s; the candidate above has not applied yet.\n", demo.ApplicantPassword)
	fmt.Fprintf(out, "In the first AMG session, %s has an offer to answer and %s is on the waitlist.\n", summary.OfferPending, summary.Waitlisted)
	fmt.Fprintf(out, "In the PACA diploma's pilot cohort, %s is a learner; %s's attendance is under the threshold.\n", summary.Learner, summary.UnderThreshold)
	fmt.Fprintf(out, "E-mails (confirmations, password resets, invitations) are written to %s\n", mailDir)
	fmt.Fprintf(out, "Stop with Ctrl+C.\n\n")
	return run(e, cfg, s, ln, true, nil)
}

// absSQLite is the absolute path of a sqlite: URL's file, or "" for another database.
func absSQLite(url string) string {
	path, ok := strings.CutPrefix(url, "sqlite:")
	if !ok {
		return ""
	}
	abs, _ := filepath.Abs(path)
	return abs
}
