package directory

import (
	"context"
	"errors"
	"testing"

	"parcours/internal/model"
	"parcours/internal/policy"
	"parcours/internal/storage"
	"parcours/internal/testkit"
)

var ctx = context.Background()

func actorOf(role model.Role, scope string) Actor {
	return Actor{Principal: &policy.Principal{AccountID: "acc-" + string(role), Grants: []model.Grant{{Role: role, Scope: scope}}},
		IP: "192.0.2.1", Via: "test"}
}

func TestStructuresPeopleAndMembersThroughTheDirectory(t *testing.T) {
	testkit.Each(t, func(t *testing.T, s *storage.Store) {
		admin, partner := actorOf(model.RoleAdmin, ""), actorOf(model.RolePartner, "93")

		marseille := model.Structure{Kind: model.KindCPTS, Name: "CPTS Marseille Est", DepartementCode: "13", Ref: "M-EST", Stage: model.StageEmergence}
		if errs, _, err := SaveStructure(ctx, s, partner, &marseille); err != nil || errs.Any() {
			t.Fatalf("partner in 13: %v %v", errs, err)
		}
		nantes := model.Structure{Kind: model.KindCPTS, Name: "CPTS Nantes Sud", DepartementCode: "44", Ref: "N-SUD", Stage: model.StageActive}
		errs, _, err := SaveStructure(ctx, s, partner, &nantes)
		if err != nil || errs.For("departement") == "" || nantes.ID != "" {
			t.Fatalf("partner of 93 writing in 44: %v %v, id %q", errs, err, nantes.ID)
		}
		if errs, _, _ := SaveStructure(ctx, s, admin, &nantes); errs.Any() {
			t.Fatal(errs)
		}
		dup := model.Structure{Kind: model.KindMSP, Name: "Doublon", DepartementCode: "44", Ref: "N-SUD"}
		if errs, _, err := SaveStructure(ctx, s, admin, &dup); err != nil || errs.For("ref") == "" || dup.ID != "" {
			t.Errorf("duplicate ref: %v %v, id %q kept after the rollback", errs, err, dup.ID)
		}

		// A partner creates a person only as a member of one of their structures.
		lea := model.Person{FirstName: "Léa", LastName: "Roux", Profession: model.ProfInfirmier}
		if errs, _ := SavePerson(ctx, s, partner, &lea, nil); errs.For("structure_id") == "" || lea.ID != "" {
			t.Errorf("partner creating a person without structure: %v", errs)
		}
		first := &model.Membership{StructureID: nantes.ID, Role: model.RoleMembre}
		if errs, _ := SavePerson(ctx, s, partner, &lea, first); errs.For("structure_id") == "" {
			t.Errorf("partner creating a person in a 44 structure: %v", errs)
		}
		first = &model.Membership{StructureID: marseille.ID, Role: model.RoleTresorier}
		if errs, err := SavePerson(ctx, s, partner, &lea, first); err != nil || errs.Any() {
			t.Fatalf("partner creating a member: %v %v", errs, err)
		}
		if _, _, err := Person(ctx, s, partner.Principal, policy.ReadPeople, lea.ID); err != nil {
			t.Errorf("the partner cannot see the person they created: %v", err)
		}

		// Someone the partner cannot see cannot be attached to their structure.
		karim := model.Person{FirstName: "Karim", LastName: "Haddad", Profession: model.ProfMedecin}
		SavePerson(ctx, s, admin, &karim, &model.Membership{StructureID: nantes.ID, Role: model.RolePresident})
		if _, _, err := Person(ctx, s, partner.Principal, policy.ReadPeople, karim.ID); !errors.Is(err, storage.ErrNotFound) {
			t.Errorf("partner of 93 sees a person of 44: %v", err)
		}
		errs, err = AddMember(ctx, s, partner, &model.Membership{PersonID: karim.ID, StructureID: marseille.ID, Role: model.RoleMembre})
		if err != nil || errs.For("person_id") == "" {
			t.Errorf("attaching a person of 44: %v %v", errs, err)
		}
		m := &model.Membership{PersonID: lea.ID, StructureID: marseille.ID, Role: model.RoleSecretaire}
		if errs, err := AddMember(ctx, s, partner, m); err != nil || errs.Any() {
			t.Fatalf("second role: %v %v", errs, err)
		}
		if errs, _ := AddMember(ctx, s, partner, &model.Membership{PersonID: lea.ID, StructureID: marseille.ID, Role: model.RoleSecretaire}); errs.For("role") == "" {
			t.Errorf("same role twice: %v", errs)
		}
		karimRoles, _ := s.Affiliations(ctx, karim.ID)
		if _, err := RemoveMember(ctx, s, partner, karimRoles[0].ID); !errors.Is(err, storage.ErrNotFound) {
			t.Errorf("partner removing a 44 membership: %v", err)
		}
		if _, err := RemoveMember(ctx, s, partner, m.ID); err != nil {
			t.Fatal(err)
		}

		// Everything above that changed something is in the audit log, with who, where from and how.
		trail, _ := s.AuditTrail(ctx, "structure", marseille.ID, 0)
		var actions []string
		for _, e := range trail {
			actions = append(actions, e.Action)
			if e.AccountID != "acc-partner" || e.IP != "192.0.2.1" || e.Details["via"] != "test" {
				t.Errorf("audit entry %+v", e)
			}
		}
		if len(actions) != 3 || actions[0] != "membership.delete" || actions[1] != "membership.create" || actions[2] != "structure.create" {
			t.Errorf("audit of the structure: %v", actions)
		}
		if err := DeleteStructure(ctx, s, admin, nantes); err != nil {
			t.Fatal(err)
		}
		if aff, _ := s.Affiliations(ctx, karim.ID); len(aff) != 0 {
			t.Errorf("memberships outlived their structure: %v", aff)
		}
	})
}
