package demo_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sort"
	"strings"
	"testing"

	"parcours/internal/auth"
	"parcours/internal/demo"
	"parcours/internal/ident"
	"parcours/internal/model"
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

func TestSeedTerritories(t *testing.T) {
	testkit.Each(t, func(t *testing.T, s *storage.Store) {
		sum := seed(t, s)
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
	})
}

func TestSeedIdentifiersAndPlaces(t *testing.T) {
	testkit.Each(t, func(t *testing.T, s *storage.Store) {
		seed(t, s)
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
	})
}

func TestSeedTeams(t *testing.T) {
	testkit.Each(t, func(t *testing.T, s *storage.Store) {
		sum := seed(t, s)
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
		for _, st := range allStructures(t, s) {
			members, err := s.Members(ctx, st.ID)
			if err != nil {
				t.Fatal(err)
			}
			roles := map[model.MemberRole]int{}
			governance := 0
			for _, m := range members {
				roles[m.Role]++
				if m.Role.IsGovernance() {
					governance++
				}
				if m.Status != model.MembershipConfirmed {
					t.Errorf("%s: %s's membership is %s", st.Name, m.Person.FullName(), m.Status)
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
	})
}

func TestSeedAccounts(t *testing.T) {
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
		{"candidat@demo.parcours.fr", model.RoleCandidate, emptyScope},
	}
	testkit.Each(t, func(t *testing.T, s *storage.Store) {
		sum := seed(t, s)
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
				if len(grants) != 1 || grants[0].Role != w.role {
					t.Fatalf("grants %+v, want one %s", grants, w.role)
				}
				w.scopeCheck(t, s, grants[0].Scope)
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
	})
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

func TestSeedRefusesANonEmptyDatabase(t *testing.T) {
	testkit.Each(t, func(t *testing.T, s *storage.Store) {
		first := seed(t, s)
		if _, err := demo.Seed(ctx, s); !errors.Is(err, demo.ErrNotEmpty) {
			t.Fatalf("second Seed: %v, want ErrNotEmpty", err)
		}
		if n := len(allStructures(t, s)); n != first.Structures {
			t.Errorf("after the refused Seed: %d structures, want %d", n, first.Structures)
		}
	})
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
	sort.Strings(lines)
	return strings.Join(lines, "\n")
}

func TestSeedIsDeterministic(t *testing.T) {
	a, b := testkit.SQLite(t), testkit.SQLite(t)
	seed(t, a)
	seed(t, b)
	if da, db := dump(t, a), dump(t, b); da != db {
		t.Error("two runs of Seed wrote different data")
	}
}
