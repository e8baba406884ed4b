package validator_test

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"parcours/internal/model"
	"parcours/internal/storage"
	"parcours/internal/validator"
)

// wantErr is an expected problem: its field, its code and a fragment of its message ("" for any).
type wantErr struct{ field, code, message string }

func checkErrors(t *testing.T, got validator.Errors, want []wantErr) {
	t.Helper()
	ok := len(got) == len(want)
	for i := 0; ok && i < len(want); i++ {
		ok = got[i].Field == want[i].field && got[i].Code == want[i].code && strings.Contains(got[i].Message, want[i].message)
	}
	if !ok {
		var b strings.Builder
		for _, e := range got {
			fmt.Fprintf(&b, "\n\t%s %s: %s", e.Field, e.Code, e.Message)
		}
		t.Errorf("got%s\nwant %+v", b.String(), want)
	}
}

// cpts is a valid CPTS that a test changes.
func cpts(change func(*model.Structure)) model.Structure {
	st := model.Structure{Kind: model.KindCPTS, Name: "CPTS Estuaire", FINESS: "440095123", SIRET: "98247310000013",
		DepartementCode: "44", Postcode: "44600", Commune: "Saint-Nazaire", Stage: model.StageActive}
	if change != nil {
		change(&st)
	}
	return st
}

func msp(change func(*model.Structure)) model.Structure {
	st := model.Structure{Kind: model.KindMSP, Name: "MSP des Olonnes", DepartementCode: "85"}
	if change != nil {
		change(&st)
	}
	return st
}

func TestStructure(t *testing.T) {
	tests := []struct {
		name     string
		st       model.Structure
		errs     []wantErr
		check    func(model.Structure) bool // the structure as normalised
		warnings int
	}{
		{name: "valid CPTS, normalised", st: cpts(func(st *model.Structure) {
			st.Name, st.FINESS, st.Email, st.SIRET = "  CPTS   Estuaire ", "44 009 512 3", " Contact@CPTS.example ", "982 473 100 00013"
		}), check: func(st model.Structure) bool {
			return st.Name == "CPTS Estuaire" && st.FINESS == "440095123" && st.SIRET == "98247310000013" &&
				st.Email == "contact@cpts.example" && st.RegionCode == "52"
		}},
		{name: "FINESS with a wrong key", st: cpts(func(st *model.Structure) { st.FINESS = "440095124" }),
			errs: []wantErr{{"finess", "invalid", "Numéro FINESS invalide : la clé de contrôle ne correspond pas"}}},
		{name: "FINESS of another département", st: cpts(func(st *model.Structure) { st.FINESS = "490095130" }),
			errs: []wantErr{{"finess", "inconsistent",
				"établissement du département 49 (Maine-et-Loire), mais la structure est située dans le département 44 (Loire-Atlantique)"}}},
		{name: "FINESS not compared with an unknown département", st: cpts(func(st *model.Structure) { st.DepartementCode, st.Postcode = "96", "" }),
			errs: []wantErr{{"departement", "invalid", "Département inconnu"}}},
		{name: "Corsican FINESS is a warning", st: cpts(func(st *model.Structure) {
			st.FINESS, st.DepartementCode, st.Postcode = "2a0000123", "2a", "20000"
		}), warnings: 1, check: func(st model.Structure) bool {
			return st.FINESS == "2A0000123" && st.DepartementCode == "2A" && st.RegionCode == "94"
		}},
		{name: "SIRET too short", st: cpts(func(st *model.Structure) { st.SIRET = "9824731000001" }),
			errs: []wantErr{{"siret", "invalid", "Numéro SIRET invalide : 14 chiffres attendus, celui-ci en a 13."}}},
		{name: "région derived from the département", st: msp(func(st *model.Structure) { st.DepartementCode = "1" }),
			check: func(st model.Structure) bool { return st.DepartementCode == "01" && st.RegionCode == "84" }},
		{name: "département read from the postcode", st: msp(func(st *model.Structure) { st.DepartementCode, st.Postcode = "", "85 100" }),
			check: func(st model.Structure) bool {
				return st.DepartementCode == "85" && st.RegionCode == "52" && st.Postcode == "85100"
			}},
		{name: "région given and right", st: msp(func(st *model.Structure) { st.RegionCode = "52" })},
		{name: "région given and wrong", st: msp(func(st *model.Structure) { st.RegionCode = "53" }),
			errs: []wantErr{{"region", "inconsistent", "Le département 85 (Vendée) est en région 52 (Pays de la Loire), pas 53 (Bretagne)"}}},
		{name: "région unknown", st: msp(func(st *model.Structure) { st.RegionCode = "99" }),
			errs: []wantErr{{"region", "invalid", "Région inconnue"}}},
		{name: "département missing", st: msp(func(st *model.Structure) { st.DepartementCode = "" }),
			errs: []wantErr{{"departement", "required", "Indiquez le département ou le code postal"}}},
		{name: "postcode of another département", st: msp(func(st *model.Structure) { st.Postcode = "49100" }),
			errs: []wantErr{{"postcode", "inconsistent", "Ce code postal est dans le département 49 (Maine-et-Loire), mais le département indiqué est 85 (Vendée)"}}},
		{name: "postcode unknown", st: msp(func(st *model.Structure) { st.Postcode = "851" }),
			errs: []wantErr{{"postcode", "invalid", "Code postal inconnu"}}},
		{name: "postcode unknown and no département: one error", st: msp(func(st *model.Structure) { st.DepartementCode, st.Postcode = "", "97133" }),
			errs: []wantErr{{"postcode", "invalid", "Code postal inconnu"}}},
		{name: "CPTS without stage", st: cpts(func(st *model.Structure) { st.Stage = "" }),
			errs: []wantErr{{"stage", "required", "Indiquez le stade de la CPTS"}}},
		{name: "CPTS with an unknown stage", st: cpts(func(st *model.Structure) { st.Stage = "signée" }),
			errs: []wantErr{{"stage", "invalid", "Indiquez le stade de la CPTS"}}},
		{name: "CPTS with an unknown size band", st: cpts(func(st *model.Structure) { st.SizeBand = "t5" }),
			errs: []wantErr{{"size_band", "invalid", "Taille inconnue"}}},
		{name: "CPTS with a size band", st: cpts(func(st *model.Structure) { st.SizeBand = model.SizeT2 })},
		{name: "stage on an MSP", st: msp(func(st *model.Structure) { st.Stage = model.StageActive }),
			errs: []wantErr{{"stage", "inconsistent", "Réservé aux CPTS"}}},
		{name: "size band on an MSP", st: msp(func(st *model.Structure) { st.SizeBand = model.SizeT1 }),
			errs: []wantErr{{"size_band", "inconsistent", "Réservé aux CPTS"}}},
		{name: "kind missing", st: msp(func(st *model.Structure) { st.Kind = "" }),
			errs: []wantErr{{"kind", "required", "Indiquez le type de structure"}}},
		{name: "kind unknown: CPTS fields are not judged", st: msp(func(st *model.Structure) { st.Kind, st.Stage = "clinique", "active" }),
			errs: []wantErr{{"kind", "invalid", "Indiquez le type de structure"}}},
		{name: "name missing", st: msp(func(st *model.Structure) { st.Name = "  " }),
			errs: []wantErr{{"name", "required", "Indiquez le nom de la structure."}}},
		{name: "name too long", st: msp(func(st *model.Structure) { st.Name = strings.Repeat("é", 201) }),
			errs: []wantErr{{"name", "too_long", "200 caractères au plus"}}},
		{name: "name of 200 characters", st: msp(func(st *model.Structure) { st.Name = strings.Repeat("é", 200) })},
		{name: "commune too long", st: msp(func(st *model.Structure) { st.Commune = strings.Repeat("x", 101) }),
			errs: []wantErr{{"commune", "too_long", "100 caractères au plus"}}},
		{name: "ref too long", st: msp(func(st *model.Structure) { st.Ref = strings.Repeat("x", 65) }),
			errs: []wantErr{{"ref", "too_long", "64 caractères au plus"}}},
		{name: "bad e-mail", st: msp(func(st *model.Structure) { st.Email = "accueil(at)msp.example" }),
			errs: []wantErr{{"email", "invalid", "Adresse e-mail invalide"}}},
		{name: "e-mail without a dot in the domain", st: msp(func(st *model.Structure) { st.Email = "accueil@msp" }),
			errs: []wantErr{{"email", "invalid", "nom@exemple.fr"}}},
		{name: "e-mail with a display name", st: msp(func(st *model.Structure) { st.Email = "MSP <accueil@msp.example>" }),
			errs: []wantErr{{"email", "invalid", ""}}},
		{name: "every problem, one per field, in order", st: cpts(func(st *model.Structure) {
			st.Name, st.DepartementCode, st.Email, st.FINESS, st.Stage = "", "49", "@", "1", ""
		}), errs: []wantErr{{"name", "required", ""}, {"postcode", "inconsistent", ""}, {"email", "invalid", ""},
			{"finess", "invalid", "9 caractères attendus, celui-ci en a 1"}, {"stage", "required", ""}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			st := tt.st
			errs, warnings := validator.Structure(&st)
			checkErrors(t, errs, tt.errs)
			if len(warnings) != tt.warnings {
				t.Errorf("warnings %q, want %d", warnings, tt.warnings)
			}
			if tt.check != nil && !tt.check(st) {
				t.Errorf("normalised to %+v", st)
			}
		})
	}
}

func TestStructureCorsicanWarning(t *testing.T) {
	st := cpts(func(st *model.Structure) { st.FINESS, st.DepartementCode, st.Postcode = "2B0000020", "2B", "20200" })
	_, warnings := validator.Structure(&st)
	if len(warnings) != 1 || !strings.Contains(warnings[0], "Vérifiez-le dans le répertoire FINESS") {
		t.Errorf("warnings %q", warnings)
	}
}

func TestPerson(t *testing.T) {
	valid := func(change func(*model.Person)) model.Person {
		p := model.Person{Civility: model.CivilityMme, FirstName: "Anne", LastName: "Leroy", Profession: model.ProfInfirmier}
		if change != nil {
			change(&p)
		}
		return p
	}
	tests := []struct {
		name  string
		p     model.Person
		errs  []wantErr
		check func(model.Person) bool
	}{
		{name: "valid, normalised", p: valid(func(p *model.Person) {
			p.FirstName, p.LastName, p.Email, p.RPPS = " Anne  Marie ", "Leroy ", " Anne.Leroy@Example.FR", "1 00012 34565"
		}), check: func(p model.Person) bool {
			return p.FirstName == "Anne Marie" && p.LastName == "Leroy" && p.Email == "anne.leroy@example.fr" && p.RPPS == "10001234565"
		}},
		{name: "names required", p: valid(func(p *model.Person) { p.FirstName, p.LastName = "", " " }),
			errs: []wantErr{{"first_name", "required", "Ce champ est obligatoire."}, {"last_name", "required", "Ce champ est obligatoire."}}},
		{name: "last name too long", p: valid(func(p *model.Person) { p.LastName = strings.Repeat("x", 101) }),
			errs: []wantErr{{"last_name", "too_long", "100 caractères au plus"}}},
		{name: "RPPS with a wrong key", p: valid(func(p *model.Person) { p.RPPS = "10001234566" }),
			errs: []wantErr{{"rpps", "invalid", "Numéro RPPS invalide : la clé de contrôle ne correspond pas"}}},
		{name: "ADELI number instead of RPPS", p: valid(func(p *model.Person) { p.RPPS = "441234567" }),
			errs: []wantErr{{"rpps", "invalid", "11 chiffres attendus, celui-ci en a 9"}}},
		{name: "profession unknown", p: valid(func(p *model.Person) { p.Profession = "sorcier" }),
			errs: []wantErr{{"profession", "invalid", "Choisissez une valeur dans la liste."}}},
		{name: "profession missing", p: valid(func(p *model.Person) { p.Profession = "" }),
			errs: []wantErr{{"profession", "required", ""}}},
		{name: "civility unknown", p: valid(func(p *model.Person) { p.Civility = "dr" }),
			errs: []wantErr{{"civility", "invalid", ""}}},
		{name: "no civility is fine", p: valid(func(p *model.Person) { p.Civility = model.CivilityNone })},
		{name: "bad e-mail", p: valid(func(p *model.Person) { p.Email = "anne.leroy" }),
			errs: []wantErr{{"email", "invalid", "Adresse e-mail invalide"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := tt.p
			checkErrors(t, validator.Person(&p), tt.errs)
			if tt.check != nil && !tt.check(p) {
				t.Errorf("normalised to %+v", p)
			}
		})
	}
}

func TestMembership(t *testing.T) {
	tests := []struct {
		name string
		m    model.Membership
		errs []wantErr
	}{
		{"valid", model.Membership{PersonID: "p1", Role: model.RolePresident}, nil},
		{"person and role missing", model.Membership{}, []wantErr{{"person_id", "required", ""}, {"role", "required", ""}}},
		{"role unknown", model.Membership{PersonID: "p1", Role: "roi"}, []wantErr{{"role", "invalid", "Choisissez"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			checkErrors(t, validator.Membership(&tt.m), tt.errs)
		})
	}
}

func TestAccount(t *testing.T) {
	tests := []struct {
		name  string
		a     model.Account
		errs  []wantErr
		check func(model.Account) bool
	}{
		{name: "valid, normalised", a: model.Account{Email: " Admin@Example.FR ", DisplayName: " Anne   Leroy "},
			check: func(a model.Account) bool { return a.Email == "admin@example.fr" && a.DisplayName == "Anne Leroy" }},
		{name: "both missing", a: model.Account{},
			errs: []wantErr{{"email", "required", "Ce champ est obligatoire."}, {"display_name", "required", ""}}},
		{name: "bad e-mail", a: model.Account{Email: "admin", DisplayName: "Anne"},
			errs: []wantErr{{"email", "invalid", "Adresse e-mail invalide"}}},
		{name: "name too long", a: model.Account{Email: "a@example.fr", DisplayName: strings.Repeat("x", 101)},
			errs: []wantErr{{"display_name", "too_long", "100 caractères au plus"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := tt.a
			checkErrors(t, validator.Account(&a), tt.errs)
			if tt.check != nil && !tt.check(a) {
				t.Errorf("normalised to %+v", a)
			}
		})
	}
}

func TestGrant(t *testing.T) {
	structures := map[string]model.Structure{
		"of-1":  {ID: "of-1", Kind: model.KindTraining, Name: "EHESP"},
		"msp-1": {ID: "msp-1", Kind: model.KindMSP, Name: "MSP des Olonnes"},
	}
	lookup := func(id string) (model.Structure, error) {
		if st, ok := structures[id]; ok {
			return st, nil
		}
		return model.Structure{}, storage.ErrNotFound
	}
	tests := []struct {
		name string
		g    model.Grant
		errs []wantErr
	}{
		{"regional viewer of a région", model.Grant{Role: model.RoleRegionalViewer, Scope: "52"}, nil},
		{"partner of an unknown région", model.Grant{Role: model.RolePartner, Scope: "99"},
			[]wantErr{{"scope", "invalid", "Choisissez la région"}}},
		{"partner without région", model.Grant{Role: model.RolePartner},
			[]wantErr{{"scope", "invalid", "Choisissez la région"}}},
		{"manager of a training organisation", model.Grant{Role: model.RoleManager, Scope: "of-1"}, nil},
		{"manager of an MSP", model.Grant{Role: model.RoleManager, Scope: "msp-1"},
			[]wantErr{{"scope", "invalid", "Choisissez l'organisme de formation"}}},
		{"manager of a structure that does not exist", model.Grant{Role: model.RoleManager, Scope: "nope"},
			[]wantErr{{"scope", "invalid", "Choisissez l'organisme de formation"}}},
		{"admin without scope", model.Grant{Role: model.RoleAdmin}, nil},
		{"candidate without scope", model.Grant{Role: model.RoleCandidate}, nil},
		{"scope on admin refused", model.Grant{Role: model.RoleAdmin, Scope: "52"},
			[]wantErr{{"scope", "invalid", "n'en choisissez aucun"}}},
		{"trainer is not grantable here", model.Grant{Role: model.RoleTrainer, Scope: "cohort-1"},
			[]wantErr{{"role", "invalid", "page de la promotion ou du comité"}}},
		{"committee member is not grantable here", model.Grant{Role: model.RoleCommitteeMember, Scope: "c-1"},
			[]wantErr{{"role", "invalid", ""}}},
		{"role unknown", model.Grant{Role: "king"}, []wantErr{{"role", "invalid", "Choisissez"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			checkErrors(t, validator.Grant(&tt.g, lookup), tt.errs)
		})
	}
}

func TestDuplicate(t *testing.T) {
	tests := []struct {
		name string
		err  error
		ok   bool
		errs []wantErr
	}{
		{"structure FINESS", &storage.DuplicateError{Key: "structures.finess"}, true,
			[]wantErr{{"finess", "taken", "Une autre structure a déjà ce numéro FINESS."}}},
		{"structure SIRET", &storage.DuplicateError{Key: "structures.siret"}, true, []wantErr{{"siret", "taken", "SIRET"}}},
		{"structure ref", &storage.DuplicateError{Key: "structures.ref"}, true, []wantErr{{"ref", "taken", "référence"}}},
		{"person e-mail", &storage.DuplicateError{Key: "people.email"}, true, []wantErr{{"email", "taken", "adresse e-mail"}}},
		{"account e-mail", &storage.DuplicateError{Key: "accounts.email"}, true, []wantErr{{"email", "taken", "adresse e-mail"}}},
		{"person RPPS", &storage.DuplicateError{Key: "people.rpps"}, true, []wantErr{{"rpps", "taken", "RPPS"}}},
		{"membership", &storage.DuplicateError{Key: "memberships.person_id, memberships.structure_id, memberships.role"}, true,
			[]wantErr{{"role", "taken", "déjà ce rôle dans cette structure"}}},
		{"wrapped", fmt.Errorf("save: %w", &storage.DuplicateError{Key: "structures.finess"}), true, []wantErr{{"finess", "taken", ""}}},
		{"unknown key", &storage.DuplicateError{Key: "sessions.token"}, false, nil},
		{"no column", storage.ErrAlreadyExists, false, nil},
		{"another error", errors.New("disk full"), false, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var errs validator.Errors
			if got := validator.Duplicate(tt.err, &errs); got != tt.ok {
				t.Errorf("Duplicate = %v, want %v", got, tt.ok)
			}
			checkErrors(t, errs, tt.errs)
		})
	}
}

func TestErrorsKeepTheFirstProblemOfAField(t *testing.T) {
	var errs validator.Errors
	errs.Add("name", "required", "first")
	errs.Add("name", "too_long", "second")
	errs.Add("email", "invalid", "third")
	checkErrors(t, errs, []wantErr{{"name", "required", "first"}, {"email", "invalid", "third"}})
	if errs.For("name") != "first" || errs.For("phone") != "" || !errs.Any() || (validator.Errors{}).Any() {
		t.Errorf("For/Any on %+v", errs)
	}
}
