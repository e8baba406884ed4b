package apptest

import (
	"context"
	"testing"
	"time"

	"parcours/internal/auth"
	"parcours/internal/model"
	"parcours/internal/storage"
)

// Fixture is the small world the HTTP tests run in: a CPTS in Pays de la Loire (52) and one
// in PACA (93), a training organisation, a member in each CPTS, and one account per role.
type Fixture struct {
	CPTSPdl, CPTSPaca, TrainingOrg model.Structure
	PersonPdl, PersonPaca          model.Person
	MembershipPdl                  model.Membership
	Accounts                       map[model.Role]Account

	// The AMG programme of the training organisation, its Pays de la Loire cohort and that
	// cohort's call, open from yesterday to ten days from now, with two questions; the
	// candidate (Hélène, trésorière of the Pays de la Loire CPTS) has a draft.
	Programme   model.Programme
	Cohort      model.Cohort
	Call        model.Call
	Questions   []model.Question
	Application model.Application
}

// Account is a fixture login.
type Account struct {
	ID, Email, Password string
	Scope               string
}

// Password of every fixture account.
const Password = "mot-de-passe-de-test"

func seed(t testing.TB, s *storage.Store) *Fixture {
	t.Helper()
	ctx := context.Background()
	f := &Fixture{
		CPTSPdl: model.Structure{Kind: model.KindCPTS, Name: "CPTS Estuaire et Sillon", FINESS: "440000289", RegionCode: "52",
			DepartementCode: "44", Commune: "Saint-Nazaire", Postcode: "44600", SizeBand: model.SizeT2, Stage: model.StageActive},
		CPTSPaca: model.Structure{Kind: model.KindCPTS, Name: "CPTS Marseille Nord", Ref: "PACA-01", RegionCode: "93",
			DepartementCode: "13", Commune: "Marseille", Postcode: "13015", SizeBand: model.SizeT3, Stage: model.StageEmergence},
		TrainingOrg: model.Structure{Kind: model.KindTraining, Name: "École des hautes études en santé publique", Ref: "EHESP",
			RegionCode: "53", DepartementCode: "35", Commune: "Rennes", Postcode: "35000"},
		PersonPdl:  model.Person{FirstName: "Hélène", LastName: "Lefèvre", Email: "helene.lefevre@example.fr", Profession: model.ProfInfirmier},
		PersonPaca: model.Person{FirstName: "Karim", LastName: "Benali", Email: "karim.benali@example.fr", Profession: model.ProfMedecin},
		Accounts:   map[model.Role]Account{},
	}
	hash, err := auth.HashPassword(Password)
	if err != nil {
		t.Fatal(err)
	}
	err = s.InTx(ctx, func(tx *storage.Store) error {
		for _, st := range []*model.Structure{&f.CPTSPdl, &f.CPTSPaca, &f.TrainingOrg} {
			if err := tx.CreateStructure(ctx, st); err != nil {
				return err
			}
		}
		for _, p := range []*model.Person{&f.PersonPdl, &f.PersonPaca} {
			if err := tx.CreatePerson(ctx, p); err != nil {
				return err
			}
		}
		f.MembershipPdl = model.Membership{PersonID: f.PersonPdl.ID, StructureID: f.CPTSPdl.ID, Role: model.RoleTresorier}
		if err := tx.CreateMembership(ctx, &f.MembershipPdl); err != nil {
			return err
		}
		if err := tx.CreateMembership(ctx, &model.Membership{PersonID: f.PersonPaca.ID, StructureID: f.CPTSPaca.ID, Role: model.RolePresident}); err != nil {
			return err
		}
		scopes := map[model.Role]string{model.RoleManager: f.TrainingOrg.ID, model.RoleTrainer: "cohort-1",
			model.RoleRegionalViewer: "52", model.RolePartner: "93", model.RoleCommitteeMember: "committee-1"}
		for _, role := range model.Roles {
			a := model.Account{Email: string(role) + "@example.fr", DisplayName: "Compte " + string(role), PasswordHash: hash,
				EmailVerifiedAt: tx.Clock.Now()}
			if role == model.RoleCandidate {
				a.PersonID = f.PersonPdl.ID
			}
			if err := tx.CreateAccount(ctx, &a); err != nil {
				return err
			}
			if err := tx.Grant(ctx, &model.Grant{AccountID: a.ID, Role: role, Scope: scopes[role]}); err != nil {
				return err
			}
			f.Accounts[role] = Account{ID: a.ID, Email: a.Email, Password: Password, Scope: scopes[role]}
		}
		return seedCall(ctx, tx, f)
	})
	if err != nil {
		t.Fatal(err)
	}
	return f
}

// Token makes a personal API token for the fixture account of role.
func (a *App) Token(role model.Role) string {
	a.T.Helper()
	token, hash := auth.NewToken()
	err := a.Store.CreateAPIToken(context.Background(), &storage.APIToken{AccountID: a.Fixture.Accounts[role].ID, Name: "test", TokenHash: hash})
	if err != nil {
		a.T.Fatal(err)
	}
	return token
}

func seedCall(ctx context.Context, tx *storage.Store, f *Fixture) error {
	f.Programme = model.Programme{Code: "AMG", Title: "Accompagnement des membres de la gouvernance des CPTS",
		CarrierID: f.TrainingOrg.ID, AudienceGovernance: true, TargetKinds: []model.StructureKind{model.KindCPTS},
		DurationMonths: 6, Days: 8, Certification: model.CertificationNone,
		Accessibility: "Locaux accessibles aux personnes à mobilité réduite ; adaptations sur demande.",
		ContactName:   "Claire Morvan", ContactEmail: "amg@example.fr"}
	if err := tx.CreateProgramme(ctx, &f.Programme); err != nil {
		return err
	}
	f.Cohort = model.Cohort{ProgrammeID: f.Programme.ID, RegionCode: "52", Label: "Promotion 2027 — Pays de la Loire",
		Capacity: 15, OrgCap: 1, StartsOn: "2027-01-11", EndsOn: "2027-06-30", Places: "Nantes, Angers"}
	if err := tx.CreateCohort(ctx, &f.Cohort); err != nil {
		return err
	}
	now := tx.Clock.Now()
	f.Call = model.Call{CohortID: f.Cohort.ID, Published: true, OpensAt: now.Add(-24 * time.Hour), ClosesAt: now.Add(240 * time.Hour),
		Kinds: []model.StructureKind{model.KindCPTS}, RegionCode: "52", Role: model.RequireGovernance, MustBeAttached: true,
		Intro:             "Formation des membres de la gouvernance des CPTS de la région.",
		ConsentProcessing: "J'accepte que mes données soient traitées pour instruire ma candidature.",
		ConsentRetention:  "J'ai compris que mes données seront supprimées trois mois après la sélection si je ne suis pas retenu."}
	if err := tx.CreateCall(ctx, &f.Call); err != nil {
		return err
	}
	for _, q := range []model.Question{
		{CallID: f.Call.ID, Kind: model.QuestionLongText, Label: "Vos motivations", Required: true, MinLength: 20, MaxLength: 2000},
		{CallID: f.Call.ID, Kind: model.QuestionFile, Label: "Votre CV"},
	} {
		if err := tx.AddQuestion(ctx, &q); err != nil {
			return err
		}
		f.Questions = append(f.Questions, q)
	}
	f.Application = model.Application{CallID: f.Call.ID, AccountID: f.Accounts[model.RoleCandidate].ID, PersonID: f.PersonPdl.ID,
		Role: model.RoleTresorier, Profession: model.ProfInfirmier}
	if err := tx.CreateApplication(ctx, &f.Application); err != nil {
		return err
	}
	f.Application.StructureID = f.CPTSPdl.ID
	return tx.SaveApplication(ctx, &f.Application)
}
