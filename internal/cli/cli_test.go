package cli

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"parcours/internal/testkit"
)

// runCLI runs the parcours command line with env on top of a fresh SQLite file.
func runCLI(t *testing.T, env map[string]string, stdin string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	code = Main(context.Background(), args, strings.NewReader(stdin), &out, &errb, func(k string) string { return env[k] })
	return code, out.String(), errb.String()
}

func freshDB(t *testing.T) map[string]string {
	return map[string]string{"PARCOURS_DATABASE_URL": "sqlite:" + filepath.Join(t.TempDir(), "p.db"), "PARCOURS_LOG_LEVEL": "error"}
}

func TestHelpAndUsageErrors(t *testing.T) {
	code, out, _ := runCLI(t, nil, "", "help")
	if code != 0 || !strings.Contains(out, "serve") || !strings.Contains(out, "PARCOURS_DATABASE_URL") {
		t.Errorf("help: %d\n%s", code, out)
	}
	if code, _, errOut := runCLI(t, nil, "", "frobnicate"); code != 2 || !strings.Contains(errOut, `unknown command "frobnicate"`) {
		t.Errorf("unknown command: %d %q", code, errOut)
	}
	if code, _, errOut := runCLI(t, nil, "", "import", "structures", "-nope"); code != 2 || !strings.Contains(errOut, "flag provided but not defined") {
		t.Errorf("bad flag: %d %q", code, errOut)
	}
	if code, _, errOut := runCLI(t, nil, "", "serve", "-h"); code != 0 || !strings.Contains(errOut, "Usage: parcours serve") {
		t.Errorf("serve -h: %d %q", code, errOut)
	}
	code, out, _ = runCLI(t, nil, "", "version")
	if code != 0 || !regexp.MustCompile(`^parcours \S+ \(schema \d+\)\n$`).MatchString(out) {
		t.Errorf("version: %q", out)
	}
}

// A wrong setting or command stops with exit 1 and one line saying why.
func TestFailuresAreOneLine(t *testing.T) {
	env := freshDB(t)
	cases := []struct {
		name string
		env  map[string]string
		args []string
		want string
	}{
		{"bad setting", map[string]string{"PARCOURS_SMTP_PORT": "smtp"}, []string{"migrate"}, "PARCOURS_SMTP_PORT="},
		{"serve on an empty database", env, []string{"serve"}, "run `parcours migrate`"},
		{"missing import file", env, []string{"import", "structures", "/nonexistent.csv"}, "cannot read /nonexistent.csv"},
	}
	for _, tc := range cases {
		code, _, errOut := runCLI(t, tc.env, "", tc.args...)
		lines := strings.Split(strings.TrimSpace(errOut), "\n")
		if code != 1 || len(lines) != 1 || !strings.Contains(errOut, tc.want) {
			t.Errorf("%s: exit %d, stderr %q (want one line with %q)", tc.name, code, errOut, tc.want)
		}
	}
}

func TestMigrateUsersAndImport(t *testing.T) {
	env := freshDB(t)
	if code, out, errOut := runCLI(t, env, "", "migrate"); code != 0 || !strings.Contains(out, "applied migrations [1 2 3 4]") {
		t.Fatalf("migrate: %d %s %s", code, out, errOut)
	}
	if _, out, _ := runCLI(t, env, "", "migrate"); !strings.Contains(out, "already at version") {
		t.Errorf("second migrate: %s", out)
	}
	code, out, errOut := runCLI(t, env, "", "user", "create", "Camille.Martin@example.fr", "-name", "Camille Martin")
	if code != 0 || !regexp.MustCompile(`password: \S{20}`).MatchString(out) {
		t.Fatalf("user create: %d %s %s", code, out, errOut)
	}
	if code, _, errOut := runCLI(t, env, "", "user", "create", "camille.martin@example.fr", "-name", "Camille"); code != 1 || !strings.Contains(errOut, "already exists") {
		t.Errorf("duplicate account: %d %s", code, errOut)
	}
	if code, _, errOut := runCLI(t, env, "court\n", "user", "set-password", "camille.martin@example.fr", "-password-stdin"); code != 1 || !strings.Contains(errOut, "between 12") {
		t.Errorf("short password: %d %s", code, errOut)
	}
	if code, out, _ := runCLI(t, env, "une phrase de passe longue\n", "user", "set-password", "camille.martin@example.fr", "-password-stdin"); code != 0 || strings.Contains(out, "password:") {
		t.Errorf("set-password: %d %s", code, out)
	}
	if code, _, errOut := runCLI(t, env, "", "user", "grant", "camille.martin@example.fr", "regional_viewer", "99"); code != 1 || !strings.Contains(errOut, "scope") {
		t.Errorf("grant in région 99: %d %s", code, errOut)
	}
	if code, out, _ := runCLI(t, env, "", "user", "grant", "camille.martin@example.fr", "regional_viewer", "52"); code != 0 || !strings.Contains(out, "regional_viewer in 52") {
		t.Errorf("grant: %d %s", code, out)
	}

	file := "../csvimport/testdata/structures-exemple.csv"
	code, out, errOut = runCLI(t, env, "", "import", "structures", file, "-dry-run")
	if code != 0 || !strings.Contains(out, "dry run") || !strings.Contains(out, "0 updated") {
		t.Fatalf("dry run: %d %s %s", code, out, errOut)
	}
	created := regexp.MustCompile(`(\d+) created`).FindStringSubmatch(out)[1]
	if _, out, _ := runCLI(t, env, "", "import", "structures", file); !strings.Contains(out, created+" created, 0 updated, 0 unchanged") {
		t.Errorf("import: %s", out)
	}
	if _, out, _ := runCLI(t, env, "", "import", "structures", file); !strings.Contains(out, "0 created, 0 updated, "+created+" unchanged") {
		t.Errorf("re-import must change nothing: %s", out)
	}
	bad := filepath.Join(t.TempDir(), "bad.csv")
	os.WriteFile(bad, []byte("type;nom;finess;departement\nCPTS;CPTS X;440000288;44\n"), 0o600)
	code, _, errOut = runCLI(t, env, "", "import", "structures", bad)
	if code != 1 || !strings.Contains(errOut, "ligne 2") || !strings.Contains(errOut, "nothing was written") {
		t.Errorf("bad file: %d\n%s", code, errOut)
	}
}

// parcours demo makes its own database, prints the address and accounts, and serves them
// until stopped.
func TestDemoPrintsAddressAndAccountsAndServes(t *testing.T) {
	dir := t.TempDir()
	env := map[string]string{"PARCOURS_LISTEN_ADDR": "127.0.0.1:0", "PARCOURS_MAIL_DIR": filepath.Join(dir, "mail"),
		"PARCOURS_LOG_LEVEL": "error", "PARCOURS_DATABASE_URL": "sqlite:" + filepath.Join(dir, "serve.db")}
	ctx, cancel := context.WithCancel(context.Background())
	out := &testkit.Buffer{}
	done := make(chan int)
	go func() {
		done <- Main(ctx, []string{"demo", "-db", filepath.Join(dir, "demo.db")}, strings.NewReader(""), out, io.Discard,
			func(k string) string { return env[k] })
	}()
	addr := regexp.MustCompile(`Open (http://localhost:\d+) `)
	deadline := time.Now().Add(90 * time.Second) // seeding under -race on two busy cores
	for addr.FindStringSubmatch(out.String()) == nil {
		if time.Now().After(deadline) {
			cancel()
			t.Fatalf("no address printed:\n%s", out.String())
		}
		time.Sleep(20 * time.Millisecond)
	}
	base := addr.FindStringSubmatch(out.String())[1]
	printed := out.String()
	for _, want := range []string{"admin@demo.parcours.fr", "demo-admin-2026", "ars.pdl@demo.parcours.fr", filepath.Join(dir, "mail")} {
		if !strings.Contains(printed, want) {
			t.Errorf("demo output lacks %q:\n%s", want, printed)
		}
	}
	jar, _ := cookiejar.New(nil)
	client := &http.Client{Jar: jar, Timeout: 10 * time.Second}
	page, err := client.Get(base + "/connexion")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(page.Body)
	page.Body.Close()
	token := regexp.MustCompile(`name="csrf_token" value="([^"]+)"`).FindSubmatch(body)[1]
	res, err := client.PostForm(base+"/connexion", url.Values{"email": {"admin@demo.parcours.fr"}, "password": {"demo-admin-2026"}, "csrf_token": {string(token)}})
	if err != nil {
		t.Fatal(err)
	}
	body, _ = io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != http.StatusOK || !strings.Contains(string(body), "Données de démonstration") {
		t.Errorf("login to the demo: %d", res.StatusCode)
	}
	if _, err := os.Stat(filepath.Join(dir, "serve.db")); !os.IsNotExist(err) {
		t.Error("the demo touched the database of serve")
	}
	cancel()
	select {
	case code := <-done:
		if code != 0 {
			t.Errorf("demo exited with %d", code)
		}
	case <-time.After(40 * time.Second):
		t.Fatal("the demo did not stop")
	}
}
