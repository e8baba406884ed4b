package i18n_test

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"

	"parcours/internal/i18n"
	"parcours/internal/model"
)

// Keys built at run time from a prefix and a closed vocabulary: each family's keys count as
// used, and each must exist.
func dynamicKeys() []string {
	var keys []string
	add := func(prefix string, values ...string) {
		for _, v := range values {
			keys = append(keys, prefix+"."+v)
		}
	}
	for _, k := range model.StructureKinds {
		add("structure.kind", string(k))
		add("structure.kind_plural", string(k))
	}
	for _, s := range model.Stages {
		add("structure.stage", string(s))
	}
	for _, b := range model.SizeBands {
		add("structure.size_band", string(b))
		add("structure.size_band_short", string(b))
	}
	for _, p := range model.Professions {
		add("person.profession", string(p))
	}
	for _, c := range model.Civilities {
		if c != "" {
			add("person.civility", string(c))
		}
	}
	for _, r := range model.MemberRoles {
		add("member.role", string(r))
	}
	for _, r := range model.Roles {
		add("role", string(r))
	}
	add("outbox.status", "pending", "sent", "failed")
	for _, st := range model.ApplicationStatuses {
		add("application.status", string(st))
	}
	for _, k := range model.StructureKinds {
		add("eligibility.a_kind", string(k))
	}
	add("review.rule", "attached", "kind", "region", "role", "stage")
	add("review.outcome", "pass", "fail", "unknown")
	add("review.override", "rules", "eligible", "ineligible")
	add("review.eligibility", "eligible", "ineligible", "review")
	add("review.audit", "application.submit", "application.resubmit", "application.withdraw", "application.override", "membership.confirm")
	for _, r := range model.CommitteeRoles {
		add("committee.role", string(r))
	}
	for _, s := range model.DeploymentStatuses {
		add("deployment.status", string(s))
	}
	for _, k := range model.QuestionKinds {
		add("question.kind", string(k))
	}
	for _, c := range model.Certifications {
		add("programme.certification", string(c))
	}
	for _, r := range model.RoleRequirements {
		if r != "" {
			add("call.role_requirement", string(r))
		}
	}
	for _, status := range []string{"400", "401", "403", "404", "405", "413", "429", "500", "503"} {
		add("error."+status, "title", "message")
		add("api.error", status)
	}
	add("api.error", "422")
	add("error.csrf", "title", "message")
	for _, field := range []string{"finess", "siret", "ref", "email", "person_email", "rpps", "role", "grant"} {
		add("validation.taken", field)
	}
	for m := 1; m <= 12; m++ {
		add("date.month", fmt.Sprint(m))
	}
	for _, st := range model.AttendanceStatuses {
		add("attendance.status", string(st))
	}
	add("attendance.refused", "not_learner", "too_early", "closed", "already_signed", "already_marked", "qr_expired",
		"qr_invalid", "locked", "cancelled")
	for w := 0; w < 7; w++ {
		add("date.weekday", fmt.Sprint(w))
	}
	add("date.zone", "Europe_Paris", "America_Guadeloupe", "America_Martinique", "America_Cayenne", "Indian_Reunion", "Indian_Mayotte")
	mails, _ := filepath.Glob("../mail/templates/*.txt")
	for _, m := range mails {
		add("mail."+strings.TrimSuffix(filepath.Base(m), ".txt"), "subject")
	}
	return keys
}

// Where code and templates name keys; the first group is the key.
var keyPatterns = map[string][]*regexp.Regexp{
	".go": {
		regexp.MustCompile(`i18n\.T\("([^"]+)"[,)]`),
		regexp.MustCompile(`redirect\(w, r, [^,]+, "([^"]+)"\)`),
		regexp.MustCompile(`setFlash\(w, "([^"]+)"\)`),
		regexp.MustCompile(`options\("[^"]+", [^,]+, "([^"]+)"\)`),
	},
	".html": {regexp.MustCompile(`[{(]-?\s*t "([^"]+)"`)},
	".txt":  {regexp.MustCompile(`[{(]-?\s*t "([^"]+)"`)},
}

// Where code and templates name plural keys, whose texts are KEY.one and KEY.other.
var pluralPatterns = map[string]*regexp.Regexp{
	".go":   regexp.MustCompile(`i18n\.N\("([^"]+)"[,)]`),
	".html": regexp.MustCompile(`[{(]-?\s*n "([^"]+)"`),
	".txt":  regexp.MustCompile(`[{(]-?\s*n "([^"]+)"`),
}

// Prefixes that templates pass to label, and Go to options: their keys are in dynamicKeys.
var labelPattern = regexp.MustCompile(`label "([^"]+)"|options\("([^"]+)"`)

func TestCatalogueKeysUsedAndDefined(t *testing.T) {
	used := map[string][]string{} // key → where
	prefixes := map[string]bool{}
	literals := map[string]bool{}
	literal := regexp.MustCompile(`"([a-z][a-z0-9_]*(?:\.[a-zA-Z0-9_]+)+)"`)
	err := filepath.WalkDir("..", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || strings.HasSuffix(path, "_test.go") {
			return err
		}
		ext := filepath.Ext(path)
		pats, ok := keyPatterns[ext]
		if !ok {
			return nil
		}
		src, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		for _, re := range pats {
			for _, m := range re.FindAllStringSubmatch(string(src), -1) {
				used[m[1]] = append(used[m[1]], path)
			}
		}
		for _, m := range pluralPatterns[ext].FindAllStringSubmatch(string(src), -1) {
			used[m[1]+".one"] = append(used[m[1]+".one"], path)
			used[m[1]+".other"] = append(used[m[1]+".other"], path)
		}
		for _, m := range labelPattern.FindAllStringSubmatch(string(src), -1) {
			prefixes[m[1]+m[2]] = true
		}
		for _, m := range literal.FindAllStringSubmatch(string(src), -1) {
			literals[m[1]] = true
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	var missing []string
	for key, where := range used {
		if !i18n.Has(key) {
			missing = append(missing, fmt.Sprintf("%s (used in %s)", key, where[0]))
		}
	}
	dynamic := map[string]bool{}
	for _, key := range dynamicKeys() {
		dynamic[key] = true
		if !i18n.Has(key) {
			missing = append(missing, key+" (built at run time)")
		}
	}
	var unused []string
	for _, key := range i18n.Keys() {
		if used[key] == nil && !dynamic[key] && !literals[key] {
			unused = append(unused, key)
		}
	}
	for prefix := range prefixes {
		found := false
		for key := range dynamic {
			found = found || strings.HasPrefix(key, prefix+".")
		}
		if !found {
			missing = append(missing, prefix+".* (a label prefix with no vocabulary in dynamicKeys)")
		}
	}
	sort.Strings(missing)
	sort.Strings(unused)
	for _, m := range missing {
		t.Errorf("missing key: %s", m)
	}
	for _, u := range unused {
		t.Errorf("unused key: %s", u)
	}
}

func TestFormatting(t *testing.T) {
	if got := i18n.Number(1234567); got != "1\u202f234\u202f567" {
		t.Errorf("Number = %q", got)
	}
	if got := i18n.Number(-950); got != "-950" {
		t.Errorf("Number = %q", got)
	}
}
