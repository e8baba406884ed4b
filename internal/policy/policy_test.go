package policy

import (
	"fmt"
	"testing"

	"parcours/internal/model"
)

func principal(role model.Role, scope string) *Principal {
	return &Principal{AccountID: "a", Grants: []model.Grant{{Role: role, Scope: scope}}}
}

// The whole matrix, written out: a change to who may do what shows up here.
func TestAllowMatrix(t *testing.T) {
	type row struct {
		action Action
		allow  map[model.Role]bool // roles not listed are denied
	}
	yes := true
	matrix := []row{
		{ReadTerritory, map[model.Role]bool{model.RoleAdmin: yes, model.RoleManager: yes, model.RoleTrainer: yes,
			model.RoleRegionalViewer: yes, model.RolePartner: yes, model.RoleCommitteeMember: yes, model.RoleCandidate: yes}},
		{ReadStructures, map[model.Role]bool{model.RoleAdmin: yes, model.RoleManager: yes, model.RoleRegionalViewer: yes, model.RolePartner: yes}},
		{WriteStructures, map[model.Role]bool{model.RoleAdmin: yes, model.RolePartner: yes}},
		{ImportStructures, map[model.Role]bool{model.RoleAdmin: yes}},
		{ReadPeople, map[model.Role]bool{model.RoleAdmin: yes, model.RoleRegionalViewer: yes, model.RolePartner: yes}},
		{WritePeople, map[model.Role]bool{model.RoleAdmin: yes, model.RolePartner: yes}},
		{ManageAccounts, map[model.Role]bool{model.RoleAdmin: yes}},
		{ReadOperations, map[model.Role]bool{model.RoleAdmin: yes}},
		{ManageProgrammes, map[model.Role]bool{model.RoleAdmin: yes, model.RoleManager: yes}},
		{ReadApplications, map[model.Role]bool{model.RoleAdmin: yes, model.RoleManager: yes}},
		{JudgeEligibility, map[model.Role]bool{model.RoleAdmin: yes, model.RoleManager: yes}},
		{FollowCalls, map[model.Role]bool{model.RoleAdmin: yes, model.RoleManager: yes, model.RoleRegionalViewer: yes, model.RolePartner: yes}},
		{Apply, map[model.Role]bool{model.RoleCandidate: yes}},
		{Review, map[model.Role]bool{model.RoleCommitteeMember: yes}},
		{ComposeCohort, map[model.Role]bool{model.RoleAdmin: yes, model.RoleManager: yes}},
		{ManageCalendar, map[model.Role]bool{model.RoleAdmin: yes, model.RoleManager: yes}},
		{TakeAttendance, map[model.Role]bool{model.RoleAdmin: yes, model.RoleManager: yes, model.RoleTrainer: yes}},
		{Attend, map[model.Role]bool{model.RoleCandidate: yes}},
		{Authenticated, map[model.Role]bool{model.RoleAdmin: yes, model.RoleManager: yes, model.RoleTrainer: yes,
			model.RoleRegionalViewer: yes, model.RolePartner: yes, model.RoleCommitteeMember: yes, model.RoleCandidate: yes}},
	}
	covered := map[Action]bool{Public: true}
	for _, r := range matrix {
		covered[r.action] = true
		for _, role := range model.Roles {
			if got := Allow(principal(role, "52"), r.action); got != r.allow[role] {
				t.Errorf("Allow(%s, %s) = %v, want %v", role, r.action, got, r.allow[role])
			}
		}
		if r.action != Public && Allow(nil, r.action) {
			t.Errorf("anonymous allowed %s", r.action)
		}
	}
	for _, a := range Actions() {
		if !covered[a] {
			t.Errorf("action %s has a rule but no row in this matrix", a)
		}
	}
}

func TestUnknownActionIsDenied(t *testing.T) {
	if Allow(principal(model.RoleAdmin, ""), Action("structures.burn")) {
		t.Fatal("an action without a rule was allowed")
	}
}

func TestRegions(t *testing.T) {
	twoRegions := &Principal{Grants: []model.Grant{{Role: model.RolePartner, Scope: "93"}, {Role: model.RoleRegionalViewer, Scope: "52"}}}
	const everywhere = "everywhere"
	cases := []struct {
		name   string
		p      *Principal
		action Action
		want   string // "everywhere" (nil), or the régions, "[]" meaning nowhere
	}{
		{"admin everywhere", principal(model.RoleAdmin, ""), ReadStructures, everywhere},
		{"manager reads everywhere", principal(model.RoleManager, "org"), ReadStructures, everywhere},
		{"viewer own région", principal(model.RoleRegionalViewer, "52"), ReadStructures, "[52]"},
		{"viewer writes nowhere", principal(model.RoleRegionalViewer, "52"), WriteStructures, "[]"},
		{"partner and viewer", twoRegions, ReadPeople, "[52 93]"},
		{"partner writes only own", twoRegions, WritePeople, "[93]"},
		{"anonymous nowhere", nil, ReadStructures, "[]"},
	}
	for _, tc := range cases {
		got := Regions(tc.p, tc.action)
		s := fmt.Sprint(got)
		if got == nil {
			s = everywhere
		}
		if s != tc.want {
			t.Errorf("%s: Regions = %s, want %s", tc.name, s, tc.want)
		}
	}
	if InRegion(principal(model.RolePartner, "93"), WriteStructures, "52") {
		t.Error("partner of 93 may write in 52")
	}
	if !InRegion(principal(model.RolePartner, "93"), WriteStructures, "93") {
		t.Error("partner of 93 may not write in 93")
	}
}

func TestScopeOf(t *testing.T) {
	manager := &Principal{Grants: []model.Grant{{Role: model.RoleManager, Scope: "ehesp"}, {Role: model.RoleRegionalViewer, Scope: "52"}}}
	sc := ScopeOf(manager, FollowCalls)
	if sc.Everywhere || fmt.Sprint(sc.Regions) != "[52]" || fmt.Sprint(sc.Organisations) != "[ehesp]" {
		t.Errorf("scope %+v", sc)
	}
	cases := []struct {
		region, org string
		want        bool
	}{
		{"52", "other", true},  // a call of the viewer's région
		{"93", "ehesp", true},  // a programme of the manager's organisation, elsewhere
		{"93", "other", false}, // neither
	}
	for _, c := range cases {
		if got := sc.Covers(c.region, c.org); got != c.want {
			t.Errorf("Covers(%s, %s) = %v", c.region, c.org, got)
		}
	}
	if sc := ScopeOf(manager, ReadApplications); len(sc.Regions) != 0 || fmt.Sprint(sc.Organisations) != "[ehesp]" {
		t.Errorf("a regional viewer reads no applications: %+v", sc)
	}
	if !ScopeOf(principal(model.RoleAdmin, ""), ReadApplications).Everywhere {
		t.Error("admin")
	}
	if sc := ScopeOf(nil, FollowCalls); sc.Everywhere || sc.Covers("52", "") {
		t.Error("anonymous")
	}
	// Organisation grants give no région for région-scoped lists.
	if r := Regions(principal(model.RoleManager, "ehesp"), FollowCalls); r == nil || len(r) != 0 {
		t.Errorf("Regions of a manager = %v", r)
	}
}

func TestCohortScope(t *testing.T) {
	both := &Principal{Grants: []model.Grant{{Role: model.RoleTrainer, Scope: "cohort-a"}, {Role: model.RoleManager, Scope: "ehesp"}}}
	sc := ScopeOf(both, TakeAttendance)
	cases := []struct {
		cohort, region, org string
		want                bool
	}{
		{"cohort-a", "93", "other", true},  // the trainer's cohort
		{"cohort-b", "93", "ehesp", true},  // a cohort of the manager's organisation
		{"cohort-b", "93", "other", false}, // neither
	}
	for _, c := range cases {
		if got := sc.CoversCohort(c.cohort, c.region, c.org); got != c.want {
			t.Errorf("CoversCohort(%s, %s, %s) = %v", c.cohort, c.region, c.org, got)
		}
	}
	if sc := ScopeOf(principal(model.RoleTrainer, "cohort-a"), ManageCalendar); sc.CoversCohort("cohort-a", "93", "ehesp") {
		t.Error("a trainer manages the calendar")
	}
}
