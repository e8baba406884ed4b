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
