package demo_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"parcours/internal/apply"
	"parcours/internal/attendance"
	"parcours/internal/auth"
	"parcours/internal/clock"
	"parcours/internal/compose"
	"parcours/internal/demo"
	"parcours/internal/ident"
	"parcours/internal/model"
	"parcours/internal/policy"
	"parcours/internal/schedule"
	"parcours/internal/selection"
	"parcours/internal/storage"
	"parcours/internal/territory"
	"parcours/internal/testkit"
)

var ctx = context.Background()

const domain = "@demo.parcours.fr"

func seed(t *testing.T, s *storage.Store) *demo.Summary {
	t.Helper()
	sum, err := demo.Seed(ctx, s)
	if err != nil {
		t.Fatalf("Seed: %v", err)
	}
	return sum
}

func allStructures(t *testing.T, s *storage.Store) []model.Structure {
	t.Helper()
	list, _, err := s.Structures(ctx, storage.StructureFilter{})
	if err != nil {
		t.Fatal(err)
	}
	return list
}

func allPeople(t *testing.T, s *storage.Store) []model.Person {
	t.Helper()
	list, _, err := s.People(ctx, storage.PersonFilter{})
	if err != nil {
		t.Fatal(err)
	}
	return list
}

func checkSeedTerritories(t *testing.T, s *storage.Store, sum *demo.Summary) {
	structures := allStructures(t, s)
	if sum.Structures != len(structures) {
		t.Errorf("Summary.Structures = %d, database has %d", sum.Structures, len(structures))
	}

	cpts := map[string]map[string]int{} // région → département → CPTS
	kinds := map[string]map[model.StructureKind]int{}
	stages := map[model.Stage]int{}
	for _, st := range structures {
		if kinds[st.RegionCode] == nil {
			kinds[st.RegionCode] = map[model.StructureKind]int{}
		}
		kinds[st.RegionCode][st.Kind]++
		if st.Kind != model.KindCPTS {
			continue
		}
		if cpts[st.RegionCode] == nil {
			cpts[st.RegionCode] = map[string]int{}
		}
		cpts[st.RegionCode][st.DepartementCode]++
		stages[st.Stage]++
	}

	count := func(m map[string]int) (n int) {
		for _, c := range m {
			n += c
		}
		return n
	}
	if n := count(cpts["52"]); n != 28 {
		t.Errorf("Pays de la Loire has %d CPTS, want 28", n)
	}
	for _, d := range territory.DepartementsOf("52") {
		if cpts["52"][d.Code] == 0 {
			t.Errorf("no CPTS in %s %s", d.Code, d.Name)
		}
	}
	if len(cpts["52"]) != 5 {
		t.Errorf("Pays de la Loire CPTS span départements %v, want its 5", cpts["52"])
	}
	if n := count(cpts["93"]); n < 25 || n > 35 {
		t.Errorf("PACA has %d CPTS, want 25 to 35", n)
	}
	for r := range cpts {
		if r != "52" && r != "93" {
			t.Errorf("CPTS in unexpected région %s", r)
		}
	}
	for _, stage := range model.Stages {
		if stages[stage] == 0 {
			t.Errorf("no CPTS at stage %s", stage)
		}
	}

	for _, c := range []struct {
		region string
		kind   model.StructureKind
		min    int
	}{
		{"52", model.KindMSP, 6}, {"52", model.KindCDS, 3}, {"52", model.KindESP, 2},
		{"93", model.KindMSP, 4}, {"93", model.KindCDS, 2},
		{"52", model.KindARS, 1}, {"93", model.KindARS, 1}, {"93", model.KindURPS, 1},
		{"53", model.KindTraining, 1}, {"93", model.KindTraining, 1}, {"52", model.KindFederation, 1},
	} {
		if got := kinds[c.region][c.kind]; got < c.min {
			t.Errorf("région %s: %d %s, want at least %d", c.region, got, c.kind, c.min)
		}
	}
}

func checkSeedIdentifiersAndPlaces(t *testing.T, s *storage.Store, _ *demo.Summary) {
	for _, st := range allStructures(t, s) {
		dep, ok := territory.DepartementByCode(st.DepartementCode)
		if !ok || dep.RegionCode != st.RegionCode {
			t.Errorf("%s: département %s is not in région %s", st.Name, st.DepartementCode, st.RegionCode)
		}
		if d, ok := territory.DepartementOfPostcode(st.Postcode); !ok || d != st.DepartementCode {
			t.Errorf("%s: postcode %s is not in département %s", st.Name, st.Postcode, st.DepartementCode)
		}
		if st.FINESS == "" && st.SIRET == "" && st.Ref == "" {
			t.Errorf("%s has no FINESS, SIRET nor ref", st.Name)
		}
		if st.FINESS != "" {
			if _, warn, err := ident.FINESS(st.FINESS); err != nil || warn != "" {
				t.Errorf("%s: FINESS %s: %v %s", st.Name, st.FINESS, err, warn)
			}
			if got := ident.FINESSDepartement(st.FINESS); got != st.DepartementCode {
				t.Errorf("%s: FINESS %s is from département %q, structure is in %s", st.Name, st.FINESS, got, st.DepartementCode)
			}
		}
		if st.SIRET != "" {
			if _, err := ident.SIRET(st.SIRET); err != nil {
				t.Errorf("%s: SIRET %s: %v", st.Name, st.SIRET, err)
			}
		}
		if !strings.HasSuffix(st.Email, domain) {
			t.Errorf("%s: e-mail %q is not a demo address", st.Name, st.Email)
		}
		if st.Kind == model.KindCPTS && (!st.Stage.Valid() || !st.SizeBand.Valid()) {
			t.Errorf("%s: stage %q, size band %q", st.Name, st.Stage, st.SizeBand)
		}
	}
	for _, p := range allPeople(t, s) {
		if !strings.HasSuffix(p.Email, domain) {
			t.Errorf("%s: e-mail %q is not a demo address", p.FullName(), p.Email)
		}
		if !p.Profession.Valid() || !p.Civility.Valid() {
			t.Errorf("%s: profession %q, civility %q", p.FullName(), p.Profession, p.Civility)
		}
		if p.RPPS != "" {
			if _, err := ident.RPPS(p.RPPS); err != nil {
				t.Errorf("%s: RPPS %s: %v", p.FullName(), p.RPPS, err)
			}
		}
	}
}

func checkSeedTeams(t *testing.T, s *storage.Store, sum *demo.Summary) {
	if n := len(allPeople(t, s)); n != sum.People {
		t.Errorf("Summary.People = %d, database has %d", sum.People, n)
	}
	inTwo := 0
	for _, p := range allPeople(t, s) {
		aff, err := s.Affiliations(ctx, p.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(aff) == 0 {
			t.Errorf("%s belongs to no structure", p.FullName())
		}
		ids := map[string]bool{}
		for _, a := range aff {
			ids[a.StructureID] = true
		}
		if len(ids) > 1 {
			inTwo++
		}
	}
	if inTwo == 0 {
		t.Error("nobody belongs to two structures")
	}
	// The only memberships awaiting confirmation are roles that applicants declared.
	declared := map[string]bool{}
	for _, a := range allApplications(t, s) {
		if a.Application.MembershipID != "" {
			declared[a.Application.MembershipID] = true
		}
	}
	for _, st := range allStructures(t, s) {
		members, err := s.Members(ctx, st.ID)
		if err != nil {
			t.Fatal(err)
		}
		roles := map[model.MemberRole]int{}
		governance := 0
		for _, m := range members {
			if m.Status != model.MembershipConfirmed {
				if m.Status != model.MembershipPending || !declared[m.ID] {
					t.Errorf("%s: %s's membership is %s", st.Name, m.Person.FullName(), m.Status)
				}
				continue
			}
			roles[m.Role]++
			if m.Role.IsGovernance() {
				governance++
			}
		}
		switch st.Kind {
		case model.KindCPTS:
			if governance == 0 {
				t.Errorf("%s has no governance member", st.Name)
			}
			if roles[model.RolePresident] != 1 {
				t.Errorf("%s has %d présidents", st.Name, roles[model.RolePresident])
			}
			if roles[model.RoleTresorier]+roles[model.RoleSecretaire] == 0 {
				t.Errorf("%s has neither trésorier nor secrétaire", st.Name)
			}
			if st.Stage.Rank() >= model.StageACISigne.Rank() && roles[model.RoleCoordinateur] == 0 {
				t.Errorf("%s (%s) has no coordinateur", st.Name, st.Stage)
			}
		case model.KindMSP, model.KindCDS:
			if roles[model.RoleCoordinateur] == 0 || len(members) < 2 {
				t.Errorf("%s: members %v, want a coordinateur and another member", st.Name, roles)
			}
		case model.KindESP:
			if len(members) == 0 {
				t.Errorf("%s has no member", st.Name)
			}
		}
	}
}

func checkSeedAccounts(t *testing.T, s *storage.Store, sum *demo.Summary) {
	// The grant each documented account must hold; scope is checked by what it points to.
	want := []struct {
		email      string
		role       model.Role
		scopeCheck func(t *testing.T, s *storage.Store, scope string)
	}{
		{"admin@demo.parcours.fr", model.RoleAdmin, emptyScope},
		{"gestion.ehesp@demo.parcours.fr", model.RoleManager, structureScope(model.KindTraining, "53", "EHESP")},
		{"gestion.formation@demo.parcours.fr", model.RoleManager, structureScope(model.KindTraining, "93", "formation")},
		{"ars.pdl@demo.parcours.fr", model.RoleRegionalViewer, regionScope("52")},
		{"urps.paca@demo.parcours.fr", model.RolePartner, regionScope("93")},
		{"jury.ehesp@demo.parcours.fr", model.RoleCommitteeMember, committeeScope},
		{"elu.urps@demo.parcours.fr", model.RoleCommitteeMember, committeeScope},
		{"formateur@demo.parcours.fr", model.RoleTrainer, cohortScope},
		{"candidat@demo.parcours.fr", model.RoleCandidate, emptyScope},
	}
	var listed []string
	for _, a := range sum.Accounts {
		listed = append(listed, a.Email)
		if len(a.Password) < auth.MinPasswordLength || a.Role == "" || a.Description == "" {
			t.Errorf("%s: incomplete summary %+v", a.Email, a)
		}
	}
	var documented []string
	for _, w := range want {
		documented = append(documented, w.email)
	}
	if !slices.Equal(listed, documented) {
		t.Fatalf("Summary lists %v, want %v", listed, documented)
	}
	for i, w := range want {
		t.Run(w.email, func(t *testing.T) {
			acc, err := s.AccountByEmail(ctx, w.email)
			if err != nil {
				t.Fatal(err)
			}
			if !auth.CheckPassword(acc.PasswordHash, sum.Accounts[i].Password) {
				t.Error("the printed password does not open the account")
			}
			if acc.EmailVerifiedAt.IsZero() || !acc.DisabledAt.IsZero() || acc.DisplayName == "" {
				t.Errorf("verified %v, disabled %v, display name %q", acc.EmailVerifiedAt, acc.DisabledAt, acc.DisplayName)
			}
			grants, err := s.Grants(ctx, acc.ID)
			if err != nil {
				t.Fatal(err)
			}
			// One grant of the account's role; the committees they sit on add theirs.
			var own []model.Grant
			for _, g := range grants {
				switch {
				case g.Role == w.role:
					own = append(own, g)
				case g.Role == model.RoleCommitteeMember:
					committeeScope(t, s, g.Scope)
				default:
					t.Errorf("unexpected grant %+v", g)
				}
			}
			if len(own) != 1 {
				t.Fatalf("grants %+v, want one %s", grants, w.role)
			}
			w.scopeCheck(t, s, own[0].Scope)
			if w.role != model.RoleAdmin && acc.PersonID == "" {
				t.Error("account is linked to no person")
			}
		})
	}

	// The candidate is the treasurer of a Pays de la Loire CPTS.
	acc, err := s.AccountByEmail(ctx, "candidat@demo.parcours.fr")
	if err != nil {
		t.Fatal(err)
	}
	aff, err := s.Affiliations(ctx, acc.PersonID)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.ContainsFunc(aff, func(a model.Affiliation) bool {
		return a.Role == model.RoleTresorier && a.Structure.Kind == model.KindCPTS && a.Structure.RegionCode == "52"
	}) {
		t.Errorf("candidate's affiliations %+v: not trésorier of a Pays de la Loire CPTS", aff)
	}
}

// cohortScope checks that a trainer's grant names a cohort.
func cohortScope(t *testing.T, s *storage.Store, scope string) {
	t.Helper()
	if _, err := s.Cohort(context.Background(), scope); err != nil {
		t.Errorf("trainer scope %q: %v", scope, err)
	}
}

// committeeScope checks that a committee member's grant names a committee.
func committeeScope(t *testing.T, s *storage.Store, scope string) {
	t.Helper()
	if _, err := s.Committee(ctx, scope); err != nil {
		t.Errorf("committee_member scope %q: %v", scope, err)
	}
}

func emptyScope(t *testing.T, _ *storage.Store, scope string) {
	t.Helper()
	if scope != "" {
		t.Errorf("scope %q, want none", scope)
	}
}

func regionScope(code string) func(*testing.T, *storage.Store, string) {
	return func(t *testing.T, _ *storage.Store, scope string) {
		t.Helper()
		if scope != code {
			t.Errorf("scope %q, want région %s", scope, code)
		}
	}
}

func structureScope(kind model.StructureKind, region, nameHas string) func(*testing.T, *storage.Store, string) {
	return func(t *testing.T, s *storage.Store, scope string) {
		t.Helper()
		st, err := s.Structure(ctx, scope)
		if err != nil {
			t.Fatalf("scope %q: %v", scope, err)
		}
		if st.Kind != kind || st.RegionCode != region || !strings.Contains(st.Name, nameHas) {
			t.Errorf("scope is %s (%s, région %s), want a %s in %s named …%s…", st.Name, st.Kind, st.RegionCode, kind, region, nameHas)
		}
	}
}

func checkSeedRefusesANonEmptyDatabase(t *testing.T, s *storage.Store, first *demo.Summary) {
	if _, err := demo.Seed(ctx, s); !errors.Is(err, demo.ErrNotEmpty) {
		t.Fatalf("second Seed: %v, want ErrNotEmpty", err)
	}
	if n := len(allStructures(t, s)); n != first.Structures {
		t.Errorf("after the refused Seed: %d structures, want %d", n, first.Structures)
	}
	programmes, err := s.Programmes(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(programmes) != first.Programmes || len(allApplications(t, s)) != first.Applications {
		t.Errorf("after the refused Seed: %d programmes, %d applications; want %d and %d", len(programmes),
			len(allApplications(t, s)), first.Programmes, first.Applications)
	}
}

// dump renders the seeded data without its random ids and times.
func dump(t *testing.T, s *storage.Store) string {
	t.Helper()
	var lines []string
	for _, st := range allStructures(t, s) {
		lines = append(lines, fmt.Sprintf("S %s|%s|%s|%s|%s|%s|%s|%s|%s|%s|%s|%s", st.Name, st.Kind, st.FINESS, st.SIRET,
			st.Ref, st.RegionCode, st.DepartementCode, st.Commune, st.Postcode, st.Email, st.SizeBand, st.Stage))
		members, err := s.Members(ctx, st.ID)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range members {
			lines = append(lines, fmt.Sprintf("M %s|%s|%s", st.Name, m.Person.Email, m.Role))
		}
	}
	for _, p := range allPeople(t, s) {
		lines = append(lines, fmt.Sprintf("P %s|%s|%s|%s|%s|%s|%s", p.Email, p.Civility, p.FirstName, p.LastName,
			p.Profession, p.RPPS, p.Phone))
	}
	programmes, err := s.Programmes(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range programmes {
		lines = append(lines, fmt.Sprintf("PR %s|%s|%s|%v|%d|%d|%s|%d|%s|%s", p.Code, p.Title, p.Description, p.TargetKinds,
			p.DurationMonths, p.Days, p.Certification, p.RNCPLevel, p.Accessibility, p.ContactEmail))
		modules, _ := s.Modules(ctx, p.ID)
		for _, m := range modules {
			lines = append(lines, fmt.Sprintf("MO %s|%d|%s|%s|%d", p.Code, m.Position, m.Title, m.Themes, m.Hours))
		}
		blocks, _ := s.Blocks(ctx, p.ID)
		for _, b := range blocks {
			lines = append(lines, fmt.Sprintf("B %s|%s|%s", p.Code, b.Code, b.Title))
		}
	}
	for _, v := range mustCallViews(t, s) {
		c := v.Call
		lines = append(lines, fmt.Sprintf("C %s|%s|%v|%s|%s|%v|%s", v.Cohort.Label, c.RegionCode, c.Kinds, c.Role, c.MinStage,
			c.MustBeAttached, c.Intro))
		questions, _ := s.Questions(ctx, c.ID)
		for _, q := range questions {
			lines = append(lines, fmt.Sprintf("Q %s|%d|%s|%s", v.Cohort.Label, q.Position, q.Kind, q.Label))
		}
	}
	questionLabels := map[string]string{}
	for _, r := range allApplications(t, s) {
		a := r.Application
		lines = append(lines, fmt.Sprintf("A %s|%s|%s|%s|%s|%s|%v|%v", r.Email, a.Status, a.Receipt, r.Structure.Name,
			a.DeclaredName, a.Role, a.Eligible, a.Reasons))
		answers, _ := s.Answers(ctx, a.ID)
		for qid, an := range answers {
			if questionLabels[qid] == "" {
				q, _ := s.Question(ctx, qid)
				questionLabels[qid] = q.Label
			}
			file := ""
			if an.FileID != "" {
				f, _ := s.File(ctx, an.FileID)
				file = f.Name + "|" + f.SHA256
			}
			lines = append(lines, fmt.Sprintf("AN %s|%s|%s|%s", r.Email, questionLabels[qid], an.Value, file))
		}
	}
	sort.Strings(lines)
	return strings.Join(lines, "\n")
}

// TestSeed seeds each database once and checks the data set from every side: seeding takes
// seconds (minutes under -race), and the checks only read.
func TestSeed(t *testing.T) {
	testkit.Each(t, func(t *testing.T, s *storage.Store) {
		sum := seed(t, s)
		checks := []struct {
			name  string
			check func(*testing.T, *storage.Store, *demo.Summary)
		}{
			{"territories", checkSeedTerritories},
			{"identifiersAndPlaces", checkSeedIdentifiersAndPlaces},
			{"teams", checkSeedTeams},
			{"accounts", checkSeedAccounts},
			{"refusesANonEmptyDatabase", checkSeedRefusesANonEmptyDatabase},
			{"aMG", checkSeedAMG},
			{"coordinatorDiploma", checkSeedCoordinatorDiploma},
			{"selection", checkSeedSelection},
			{"training", checkSeedTraining},
		}
		for _, c := range checks {
			t.Run(c.name, func(t *testing.T) { c.check(t, s, sum) })
		}
	})
}

func mustCallViews(t *testing.T, s *storage.Store) []storage.CallView {
	t.Helper()
	views, err := s.CallViews(ctx, storage.CallFilter{Scope: policy.Scope{Everywhere: true}, WithDrafts: true})
	if err != nil {
		t.Fatal(err)
	}
	return views
}

func TestSeedIsDeterministic(t *testing.T) {
	a, b := testkit.SQLite(t), testkit.SQLite(t)
	seed(t, a)
	seed(t, b)
	if da, db := dump(t, a), dump(t, b); da != db {
		t.Error("two runs of Seed wrote different data")
	}
}

func allApplications(t *testing.T, s *storage.Store) []storage.ApplicationRow {
	t.Helper()
	rows, err := s.Applications(ctx, storage.ApplicationFilter{Scope: policy.Scope{Everywhere: true}})
	if err != nil {
		t.Fatal(err)
	}
	return rows
}

// programmeCall returns the programme with that code, its only cohort and its only call.
// programmeCall is the call of a programme's last session, the open one.
func programmeCall(t *testing.T, s *storage.Store, code string) storage.CallView {
	t.Helper()
	programmes, err := s.Programmes(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	var found []model.Programme
	for _, p := range programmes {
		if p.Code == code {
			found = append(found, p)
		}
	}
	if len(found) != 1 {
		t.Fatalf("%d programmes %s, want 1", len(found), code)
	}
	cohorts, err := s.Cohorts(ctx, found[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	last := slices.MaxFunc(cohorts, func(a, b model.Cohort) int { return strings.Compare(a.StartsOn, b.StartsOn) })
	return sessionCall(t, s, found[0], last)
}

// sessionCall is the call of one cohort of programme p.
func sessionCall(t *testing.T, s *storage.Store, p model.Programme, cohort model.Cohort) storage.CallView {
	t.Helper()
	code := p.Code
	views, err := s.CallViews(ctx, storage.CallFilter{Scope: policy.Scope{Everywhere: true}, CohortID: cohort.ID, WithDrafts: true})
	if err != nil {
		t.Fatal(err)
	}
	if len(views) != 1 {
		t.Fatalf("%s has %d calls, want 1", code, len(views))
	}
	v := views[0]
	v.Programme, err = s.Programme(ctx, v.Programme.ID) // with its partners
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// managerScope is the structure a demo manager's grant is scoped to.
func managerScope(t *testing.T, s *storage.Store, email string) string {
	t.Helper()
	acc, err := s.AccountByEmail(ctx, email)
	if err != nil {
		t.Fatal(err)
	}
	grants, err := s.Grants(ctx, acc.ID)
	if err != nil || len(grants) != 1 {
		t.Fatalf("grants of %s: %v %v", email, grants, err)
	}
	return grants[0].Scope
}

func structureNamed(t *testing.T, s *storage.Store, name string) model.Structure {
	t.Helper()
	for _, st := range allStructures(t, s) {
		if st.Name == name {
			return st
		}
	}
	t.Fatalf("no structure %q", name)
	return model.Structure{}
}

// closesAtLocal checks that a call closes at hh:mm in Paris, and is open when Seed ran.
func checkCallDates(t *testing.T, c model.Call, seeded time.Time, clock string, openDays, closeDays int) {
	t.Helper()
	paris, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		t.Fatal(err)
	}
	if !c.Open(seeded) {
		t.Errorf("call not open when Seed ran (%v): %v → %v, published %v", seeded, c.OpensAt, c.ClosesAt, c.Published)
	}
	if got := c.ClosesAt.In(paris).Format("15:04"); got != clock {
		t.Errorf("call closes at %s in Paris, want %s", got, clock)
	}
	if c.ClosesAt.Nanosecond()%1000 != 0 || c.ClosesAt.Location() != time.UTC {
		t.Errorf("closing instant %v is not UTC to the microsecond", c.ClosesAt)
	}
	days := func(d time.Duration) float64 { return d.Hours() / 24 }
	if d := days(seeded.Sub(c.OpensAt)); d < float64(openDays)-1 || d > float64(openDays)+1 {
		t.Errorf("call opened %.1f days before Seed, want about %d", d, openDays)
	}
	if d := days(c.ClosesAt.Sub(seeded)); d < float64(closeDays)-1 || d > float64(closeDays)+1 {
		t.Errorf("call closes %.1f days after Seed, want about %d", d, closeDays)
	}
}

var receiptForm = map[string]*regexp.Regexp{
	"AMG":   regexp.MustCompile(`^AMG-52-[0-9]{4}$`),
	"DCSEC": regexp.MustCompile(`^DCSEC-93-[0-9]{4}$`),
}

// checkSubmitted checks what every submitted application of a call must be: eligible by the
// rules as apply.Check evaluates them now, a receipt of the call's form, the role declared
// recorded as a membership, an applicant's account, a confirmation e-mail with the receipt.
func checkSubmitted(t *testing.T, s *storage.Store, v storage.CallView, rows []storage.ApplicationRow) {
	t.Helper()
	mails, err := s.OutboxMessages(ctx, 0)
	if err != nil {
		t.Fatal(err)
	}
	mailed := map[string]string{} // receipt → recipient
	for _, m := range mails {
		for _, r := range rows {
			if r.Application.Receipt != "" && strings.Contains(m.TextBody, r.Application.Receipt) {
				mailed[r.Application.Receipt] = m.To
			}
		}
	}
	receipts := map[string]bool{}
	for _, r := range rows {
		a := r.Application
		who := fmt.Sprintf("%s (%s)", r.Email, a.Status)
		if a.Status != model.ApplicationDraft {
			if !receiptForm[v.Programme.Code].MatchString(a.Receipt) || receipts[a.Receipt] {
				t.Errorf("%s: receipt %q: not of the form, or given twice", who, a.Receipt)
			}
			receipts[a.Receipt] = true
			if mailed[a.Receipt] != r.Email {
				t.Errorf("%s: no confirmation e-mail with receipt %s", who, a.Receipt)
			}
			if a.SubmittedAt.Before(v.Call.OpensAt) || !a.SubmittedAt.Before(v.Call.ClosesAt) {
				t.Errorf("%s: submitted at %v, outside the call", who, a.SubmittedAt)
			}
		} else if a.Receipt != "" || !a.SubmittedAt.IsZero() {
			t.Errorf("%s: a draft with receipt %q submitted at %v", who, a.Receipt, a.SubmittedAt)
		}

		acc, err := s.Account(ctx, a.AccountID)
		if err != nil {
			t.Fatal(err)
		}
		grants, err := s.Grants(ctx, acc.ID)
		if err != nil {
			t.Fatal(err)
		}
		if acc.EmailVerifiedAt.IsZero() || acc.PersonID != a.PersonID || len(grants) != 1 || grants[0].Role != model.RoleCandidate {
			t.Errorf("%s: account verified %v, person %q (application's %q), grants %+v", who, acc.EmailVerifiedAt,
				acc.PersonID, a.PersonID, grants)
		}
		if !auth.CheckPassword(acc.PasswordHash, demo.ApplicantPassword) {
			t.Errorf("%s: ApplicantPassword does not open the account", who)
		}
		if a.Status != model.ApplicationSubmitted {
			continue
		}
		verdict, err := apply.Check(ctx, s, v.Call, a)
		if err != nil {
			t.Fatal(err)
		}
		if !verdict.Eligible() || !a.Eligible || len(a.Reasons) > 0 || a.ConsentProcessingAt.IsZero() || a.ConsentRetentionAt.IsZero() {
			t.Errorf("%s: eligible %v (stored %v, %v), consents %v %v", who, verdict.Eligible(), a.Eligible, a.Reasons,
				a.ConsentProcessingAt, a.ConsentRetentionAt)
		}
		if a.StructureID == "" {
			continue
		}
		m, err := s.Membership(ctx, a.MembershipID)
		if err != nil {
			t.Errorf("%s: membership %q: %v", who, a.MembershipID, err)
			continue
		}
		if m.PersonID != a.PersonID || m.StructureID != a.StructureID || m.Role != a.Role {
			t.Errorf("%s: membership %+v does not record %s in %s", who, m, a.Role, r.Structure.Name)
		}
	}
}

func checkSeedAMG(t *testing.T, s *storage.Store, sum *demo.Summary) {
	seeded := s.Clock.Now()
	if _, ok := s.Clock.(clock.System); !ok {
		t.Errorf("after Seed the store's clock is %T, want the system clock back", s.Clock)
	}
	v := programmeCall(t, s, "AMG")
	p, co, c := v.Programme, v.Cohort, v.Call

	// The programme.
	if p.Title != "Accompagnement des membres de la gouvernance des CPTS" || !p.AudienceGovernance || p.AudienceCoordinator ||
		!slices.Equal(p.TargetKinds, []model.StructureKind{model.KindCPTS}) || p.DurationMonths != 6 || p.Days != 8 ||
		p.Certification != model.CertificationNone || p.Accessibility == "" || p.ContactEmail == "" {
		t.Errorf("programme %+v", p)
	}
	if p.CarrierID != managerScope(t, s, "gestion.ehesp@demo.parcours.fr") {
		t.Error("AMG is not carried by the structure the EHESP manager manages")
	}
	if ars := structureNamed(t, s, "ARS Pays de la Loire"); !slices.Equal(p.PartnerIDs, []string{ars.ID}) {
		t.Errorf("partners %v, want the ARS Pays de la Loire", p.PartnerIDs)
	}
	modules, err := s.Modules(ctx, p.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(modules) < 4 || len(modules) > 6 {
		t.Errorf("%d modules, want about 5", len(modules))
	}
	for _, m := range modules {
		if m.Title == "" || m.Themes == "" || m.Hours <= 0 {
			t.Errorf("module %+v", m)
		}
	}
	deployments, err := s.Deployments(ctx, p.ID)
	if err != nil {
		t.Fatal(err)
	}
	status := map[string]model.Deployment{}
	for _, d := range deployments {
		status[d.RegionCode] = d
	}
	if d := status["52"]; d.Status != model.DeploymentLaunched || d.Since == "" {
		t.Errorf("Pays de la Loire: %+v, want launched with a date", d)
	}
	for _, r := range []string{"53", "28"} {
		if status[r].Status != model.DeploymentObserving {
			t.Errorf("région %s: %+v, want observing", r, status[r])
		}
	}
	notStarted := 0
	for _, d := range deployments {
		if d.Status == model.DeploymentNotStarted {
			notStarted++
		}
	}
	if notStarted == 0 {
		t.Error("no région has not started")
	}

	// The cohort and its call.
	if co.RegionCode != "52" || co.Capacity != 15 || co.OrgCap != 1 || co.OrgMax != 0 ||
		!strings.HasPrefix(co.StartsOn, "2027-09") || !strings.HasPrefix(co.EndsOn, "2028-") || co.Places != "Nantes, Angers" {
		t.Errorf("cohort %+v", co)
	}
	checkCallDates(t, c, seeded, "17:00", 20, 12)
	if !c.Published || !slices.Equal(c.Kinds, []model.StructureKind{model.KindCPTS}) || c.RegionCode != "52" ||
		c.Role != model.RequireGovernance || !c.MustBeAttached || c.MinStage != "" || c.Intro == "" ||
		c.ConsentProcessing == "" || c.ConsentRetention == "" {
		t.Errorf("call rules %+v", c)
	}
	questions, err := s.Questions(ctx, c.ID)
	if err != nil {
		t.Fatal(err)
	}
	var form []string
	for _, q := range questions {
		form = append(form, fmt.Sprintf("%s|%s|%v|%d-%d", q.Label, q.Kind, q.Required, q.MinLength, q.MaxLength))
	}
	wantForm := []string{"Vos motivations|long_text|true|100-2000", "Votre disponibilité pour les 8 journées|yes_no|true|0-0",
		"Votre CV|file|false|0-0", "Depuis quand êtes-vous membre du bureau ?|date|false|0-0"}
	if !slices.Equal(form, wantForm) {
		t.Errorf("questions\n%v\nwant\n%v", form, wantForm)
	}

	// The applications.
	var rows []storage.ApplicationRow
	for _, r := range allApplications(t, s) {
		if r.Application.CallID == c.ID {
			rows = append(rows, r)
		}
	}
	if n := len(rows); n < 18 || n > 22 {
		t.Errorf("%d applications, want about 20", n)
	}
	byStatus := map[model.ApplicationStatus]int{}
	submittedBy := map[string]int{} // CPTS → submitted applications
	var msp, declared []storage.ApplicationRow
	cptsDrafts := 0
	days := map[string]bool{}
	files := 0
	for _, r := range rows {
		a := r.Application
		byStatus[a.Status]++
		if a.Status == model.ApplicationSubmitted {
			days[a.SubmittedAt.Format("2006-01-02")] = true
		}
		switch {
		case a.Declared():
			declared = append(declared, r)
		case r.Structure.Kind == model.KindMSP:
			msp = append(msp, r)
		case r.Structure.Kind != model.KindCPTS || r.Structure.RegionCode != "52":
			t.Errorf("%s applied for %s (%s, région %s)", r.Email, r.Structure.Name, r.Structure.Kind, r.Structure.RegionCode)
		case a.Status == model.ApplicationSubmitted:
			submittedBy[a.StructureID]++
		case a.Status == model.ApplicationDraft:
			cptsDrafts++
		}
		answers, err := s.Answers(ctx, a.ID)
		if err != nil {
			t.Fatal(err)
		}
		for _, an := range answers {
			if an.FileID == "" {
				continue
			}
			f, err := s.File(ctx, an.FileID)
			if err != nil {
				t.Fatal(err)
			}
			if f.ContentType != "application/pdf" || !bytes.HasPrefix(f.Data, []byte("%PDF-")) || !bytes.Contains(f.Data, []byte("%%EOF")) {
				t.Errorf("%s: file %s (%s) is not a PDF", r.Email, f.Name, f.ContentType)
			}
			files++
		}
	}
	if len(submittedBy) != 12 {
		t.Errorf("%d distinct CPTS submitted, want 12", len(submittedBy))
	}
	twice := 0
	for _, n := range submittedBy {
		if n == 2 {
			twice++
		}
		if n > 2 {
			t.Errorf("a CPTS has %d submitted applications", n)
		}
	}
	if twice == 0 {
		t.Error("no CPTS has two submitted applications")
	}
	if cptsDrafts < 2 || byStatus[model.ApplicationWithdrawn] != 1 {
		t.Errorf("%d drafts of CPTS members, %d withdrawn; want at least 2 and 1", cptsDrafts, byStatus[model.ApplicationWithdrawn])
	}
	if len(days) < 10 {
		t.Errorf("submissions on %d different days, want them spread over the call's days", len(days))
	}
	if files < 3 {
		t.Errorf("%d CVs attached, want some", files)
	}
	if len(msp) != 1 {
		t.Fatalf("%d MSP applicants, want 1", len(msp))
	} else {
		a := msp[0].Application
		verdict, err := apply.Check(ctx, s, c, a)
		if err != nil {
			t.Fatal(err)
		}
		if a.Status != model.ApplicationDraft || a.Eligible || len(a.Reasons) == 0 || verdict.Eligible() {
			t.Errorf("MSP applicant: %s, eligible %v (%v), reasons %v", a.Status, a.Eligible, verdict.Eligible(), a.Reasons)
		}
	}
	if len(declared) != 1 {
		t.Fatalf("%d applications for a structure not yet listed, want 1", len(declared))
	} else if a := declared[0].Application; a.DeclaredName != "CPTS Erdre et Loire en création" ||
		a.DeclaredKind != model.KindCPTS || a.DeclaredDepartement != "44" || a.Status != model.ApplicationSubmitted {
		t.Errorf("declared structure: %+v", a)
	}
	checkSubmitted(t, s, v, rows)
	pending := 0
	for _, r := range rows {
		if r.Application.MembershipID == "" {
			continue
		}
		if m, err := s.Membership(ctx, r.Application.MembershipID); err == nil && m.Status == model.MembershipPending {
			pending++
		}
	}
	if pending == 0 {
		t.Error("no submitted application declared a role awaiting the manager's confirmation")
	}

	// The demo candidate is left to the visitor.
	cand, err := s.AccountByEmail(ctx, "candidat@demo.parcours.fr")
	if err != nil {
		t.Fatal(err)
	}
	mine, err := s.Applications(ctx, storage.ApplicationFilter{Scope: policy.Scope{Everywhere: true}, AccountID: cand.ID})
	if err != nil {
		t.Fatal(err)
	}
	if len(mine) != 0 {
		t.Errorf("the demo candidate has %d applications, want none", len(mine))
	}

	if all := allApplications(t, s); sum.Applications != len(all) || sum.Programmes != 2 || sum.Calls != 4 {
		t.Errorf("Summary: %d programmes, %d calls, %d applications (database: %d)", sum.Programmes, sum.Calls,
			sum.Applications, len(all))
	}
}

func checkSeedCoordinatorDiploma(t *testing.T, s *storage.Store, _ *demo.Summary) {
	seeded := s.Clock.Now()
	v := programmeCall(t, s, "DCSEC")
	p, co, c := v.Programme, v.Cohort, v.Call
	care := []model.StructureKind{model.KindCPTS, model.KindMSP, model.KindCDS, model.KindESP}
	if !p.AudienceCoordinator || !slices.Equal(p.TargetKinds, care) || p.DurationMonths != 16 || p.Days != 39 ||
		p.Certification != model.CertificationRNCP || p.RNCPLevel != 7 {
		t.Errorf("programme %+v", p)
	}
	if p.CarrierID != managerScope(t, s, "gestion.formation@demo.parcours.fr") {
		t.Error("the diploma is not carried by the structure the training organisation's manager manages")
	}
	if urps := structureNamed(t, s, "URPS médecins libéraux PACA"); !slices.Equal(p.PartnerIDs, []string{urps.ID}) {
		t.Errorf("partners %v, want the URPS", p.PartnerIDs)
	}
	modules, err := s.Modules(ctx, p.ID)
	if err != nil {
		t.Fatal(err)
	}
	hours := 0
	for _, m := range modules {
		hours += m.Hours
	}
	if len(modules) != 5 || hours < 39*6 || hours > 39*8 {
		t.Errorf("%d modules, %d hours; want 5 and about 273", len(modules), hours)
	}
	blocks, err := s.Blocks(ctx, p.ID)
	if err != nil {
		t.Fatal(err)
	}
	var codes []string
	for _, b := range blocks {
		codes = append(codes, b.Code)
		if b.Title == "" {
			t.Errorf("block %s has no title", b.Code)
		}
	}
	if !slices.Equal(codes, []string{"BC01", "BC02", "BC03", "BC04", "BC05"}) {
		t.Errorf("blocks %v", codes)
	}
	deployments, err := s.Deployments(ctx, p.ID)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.ContainsFunc(deployments, func(d model.Deployment) bool {
		return d.RegionCode == "93" && d.Status == model.DeploymentLaunched
	}) {
		t.Errorf("deployments %+v: PACA not launched", deployments)
	}

	if co.RegionCode != "93" || co.Capacity != 15 || co.OrgCap != 2 || co.OrgMax != 3 || !strings.HasPrefix(co.StartsOn, "2027-02") {
		t.Errorf("cohort %+v", co)
	}
	checkCallDates(t, c, seeded, "12:00", 10, 25)
	if !c.Published || !c.MustBeAttached || !slices.Equal(c.Kinds, care) || c.RegionCode != "93" || c.Role != model.RequireAnyRole {
		t.Errorf("call rules %+v", c)
	}
	questions, err := s.Questions(ctx, c.ID)
	if err != nil {
		t.Fatal(err)
	}
	var kinds []model.QuestionKind
	for _, q := range questions {
		kinds = append(kinds, q.Kind)
	}
	if !slices.Equal(kinds, []model.QuestionKind{model.QuestionLongText, model.QuestionLongText, model.QuestionFile}) {
		t.Errorf("questions %v", kinds)
	}

	var rows []storage.ApplicationRow
	professions := map[model.Profession]bool{}
	drafts := 0
	for _, r := range allApplications(t, s) {
		if r.Application.CallID != c.ID {
			continue
		}
		rows = append(rows, r)
		professions[r.Person.Profession] = true
		if r.Application.Status == model.ApplicationDraft {
			drafts++
		}
		if r.Structure.RegionCode != "93" {
			t.Errorf("%s applied for %s, not in PACA", r.Email, r.Structure.Name)
		}
	}
	if len(rows) < 5 || len(rows) > 6 || drafts != 1 || len(professions) < 5 {
		t.Errorf("%d applications, %d drafts, professions %v; want 5 or 6, one draft, mixed professions", len(rows), drafts, professions)
	}
	checkSubmitted(t, s, v, rows)
}

// BenchmarkSeed measures Seed on a fresh SQLite database (it should stay well under 2 s):
// go test ./internal/demo/ -run '^$' -bench Seed -benchtime 5x
func BenchmarkSeed(b *testing.B) {
	for b.Loop() {
		b.StopTimer()
		s := testkit.SQLite(b)
		b.StartTimer()
		if _, err := demo.Seed(ctx, s); err != nil {
			b.Fatal(err)
		}
	}
}

// The first AMG session is composed: its committee reviewed every application twice, the
// chair closed the review, the offers went out; some were accepted, one declined, two
// lapsed, their seats offered again; the rest wait on the list. The PACA diploma's committee
// keeps an application from the elected member who sits on its structure's board.
func checkSeedSelection(t *testing.T, s *storage.Store, sum *demo.Summary) {
	amg := programmeCall(t, s, "AMG")
	cohorts, err := s.Cohorts(ctx, amg.Programme.ID)
	if err != nil || len(cohorts) != 2 {
		t.Fatalf("AMG cohorts: %d, %v; want the first session and its repetition", len(cohorts), err)
	}
	first := sessionCall(t, s, amg.Programme, slices.MinFunc(cohorts, func(a, b model.Cohort) int {
		return strings.Compare(a.StartsOn, b.StartsOn)
	}))
	if first.Call.Open(s.Clock.Now()) || first.Cohort.Capacity != 15 || first.Cohort.OrgCap != 1 {
		t.Errorf("first session: open %v, cohort %+v", first.Call.Open(s.Clock.Now()), first.Cohort)
	}
	b, err := selection.Load(ctx, s, first)
	if err != nil {
		t.Fatal(err)
	}
	if len(b.Applications) != 24 || b.Committee.ClosedAt.IsZero() || len(b.Reviewers()) != 3 || len(b.Members) != 4 {
		t.Fatalf("first session: %d applications, closed %v, %d reviewers of %d members", len(b.Applications),
			b.Committee.ClosedAt, len(b.Reviewers()), len(b.Members))
	}
	orgs, disagree := map[string]int{}, 0
	for _, row := range b.Applications {
		orgs[row.Application.StructureID]++
		sc := b.ScoreOf(row.Application.ID)
		if sc.Submitted != 2 {
			t.Errorf("application %s: %d submitted reviews, want 2", row.Application.ID, sc.Submitted)
		}
		if sc.Disagree {
			disagree++
		}
	}
	if len(orgs) != 19 || disagree == 0 {
		t.Errorf("%d CPTS applied (want 19), %d disagreements flagged (want some)", len(orgs), disagree)
	}
	loads := map[string]int{}
	for _, r := range b.Reviews {
		loads[r.MemberID]++
	}
	for _, m := range b.Reviewers() {
		if loads[m.ID] != 16 {
			t.Errorf("%s reviewed %d applications, want 16", m.Name, loads[m.ID])
		}
	}

	offers, err := s.Offers(ctx, first.Call.ID)
	if err != nil {
		t.Fatal(err)
	}
	count := map[model.OfferStatus]int{}
	seats := map[int]bool{}
	for _, o := range offers {
		count[o.Status]++
		if o.Status == model.OfferPending || o.Status == model.OfferAccepted {
			if seats[o.Seat] {
				t.Errorf("seat %d held twice", o.Seat)
			}
			seats[o.Seat] = true
		}
		if o.Status == model.OfferPending && !o.Deadline.After(s.Clock.Now()) {
			t.Errorf("a pending offer past its deadline %v", o.Deadline)
		}
	}
	want := map[model.OfferStatus]int{model.OfferAccepted: 12, model.OfferDeclined: 1, model.OfferLapsed: 2, model.OfferPending: 3}
	if fmt.Sprint(count) != fmt.Sprint(want) || len(seats) != 15 {
		t.Errorf("offers %v, %d seats held; want %v and 15", count, len(seats), want)
	}
	plan, err := selection.Compute(ctx, s, b)
	if err != nil {
		t.Fatal(err)
	}
	waitlisted := 0
	for _, r := range plan.Results {
		if r.Decision == compose.DecisionWaitlisted {
			waitlisted++
		}
	}
	if plan.NewOffers() != 0 || waitlisted != 6 {
		t.Errorf("a recomputation would make %d offers (want 0); %d waitlisted (want 6)", plan.NewOffers(), waitlisted)
	}
	if sum.OfferPending == "" || sum.Waitlisted == "" {
		t.Errorf("Summary names no candidate with an offer (%q) or on the waitlist (%q)", sum.OfferPending, sum.Waitlisted)
	}
	runs, err := s.Compositions(ctx, first.Call.ID)
	if err != nil || len(runs) != 3 { // the manager's, the decline's, the lapses'
		t.Errorf("%d composition runs recorded, want 3 (%v)", len(runs), err)
	}

	// The PACA diploma: four trainers, three elected members, the ARS observing.
	dcsec := programmeCall(t, s, "DCSEC")
	pb, err := selection.Load(ctx, s, dcsec)
	if err != nil {
		t.Fatal(err)
	}
	roles := map[model.CommitteeRole]int{}
	var elected model.CommitteeMember
	for _, m := range pb.Members {
		roles[m.Role]++
		if m.Email == "elu.urps@demo.parcours.fr" {
			elected = m
		}
	}
	if roles[model.CommitteeTrainer] != 4 || roles[model.CommitteeElected] != 3 || roles[model.CommitteeObserver] != 1 || len(pb.Grid) == 0 {
		t.Errorf("PACA committee %v, grid of %d", roles, len(pb.Grid))
	}
	conflicts := 0
	for _, row := range pb.Applications {
		if reason, c := pb.Conflict(elected.ID, row.Application.ID); c {
			conflicts++
			if reason != "" {
				t.Errorf("the conflict is declared (%q), want found from the structure", reason)
			}
			if _, assigned := pb.ReviewBy(elected.ID, row.Application.ID); assigned {
				t.Error("the elected member is assigned the application they are in conflict with")
			}
		} else if sc := pb.ScoreOf(row.Application.ID); sc.Expected != 2 {
			t.Errorf("application %s has %d reviewers, want 2", row.Application.ID, sc.Expected)
		}
	}
	if conflicts != 1 {
		t.Errorf("the elected member is in conflict with %d applications, want 1", conflicts)
	}
}

// The PACA diploma's pilot cohort is under way: its calendar laid out with one day flagged
// on Whit Monday, its learners convoked, the half-days held signed and countersigned but
// the last, a few absences, one learner under the threshold and the manager told.
func checkSeedTraining(t *testing.T, s *storage.Store, sum *demo.Summary) {
	var pilot model.Cohort
	for _, v := range mustCallViews(t, s) {
		if strings.HasPrefix(v.Cohort.Label, "Promotion pilote") {
			pilot = v.Cohort
		}
	}
	c, err := schedule.Load(ctx, s, pilot.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Scheduled()) != 39 || len(c.Active()) != 15 || len(c.Trainers) != 2 {
		t.Fatalf("%d days, %d learners, %d trainers", len(c.Scheduled()), len(c.Active()), len(c.Trainers))
	}
	warnings := c.Warnings()
	if len(warnings) != 1 || warnings[0].Holiday != "Lundi de Pentecôte" {
		t.Errorf("warnings = %v, want the day moved onto Whit Monday", warnings)
	}
	remote := 0
	for _, d := range c.Days {
		if d.VideoURL != "" {
			remote++
		}
	}
	if remote != 1 {
		t.Errorf("%d virtual classes, want 1", remote)
	}
	for _, e := range c.Active() {
		if e.ConvokedAt.IsZero() {
			t.Errorf("%s has no convocation", e.Name())
		}
	}
	now := time.Now()
	var held, countersigned int
	var last model.HalfDay
	for _, d := range c.Scheduled() {
		for _, h := range d.HalfDays {
			if h.EndsAt.Before(now) {
				held++
				last = h
			}
			if h.Countersigned() {
				countersigned++
			}
		}
	}
	if held < 20 || countersigned != held-1 || last.Countersigned() {
		t.Errorf("%d half-days held, %d countersigned; the last countersigned: %v", held, countersigned, last.Countersigned())
	}
	r, err := attendance.LoadReport(ctx, s, c)
	if err != nil {
		t.Fatal(err)
	}
	absent := 0
	for _, byLearner := range r.Records {
		for _, a := range byLearner {
			if !a.Status.Attended() {
				absent++
			}
		}
	}
	under := r.Under()
	if len(under) != 1 || under[0].Learner.Name() != sum.UnderThreshold || absent < 5 || r.Total.Percent() < 85 {
		t.Errorf("under the threshold %v (summary %q), %d absences, cohort %s", under, sum.UnderThreshold, absent, r.Total)
	}
	if sum.Learner == "" {
		t.Error("the summary names no learner")
	}
	alerts := 0
	for _, m := range mustOutbox(t, s) {
		if strings.Contains(m.Subject, "Assiduité sous le seuil") {
			alerts++
		}
	}
	if alerts != 1 {
		t.Errorf("%d alerts to the manager, want 1", alerts)
	}
}

func mustOutbox(t *testing.T, s *storage.Store) []storage.OutboxMessage {
	t.Helper()
	list, err := s.OutboxMessages(ctx, 10000)
	if err != nil {
		t.Fatal(err)
	}
	return list
}
