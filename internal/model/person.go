package model

import (
	"strings"
	"time"
)

// Civility is how a person is addressed.
type Civility string

const (
	CivilityNone Civility = ""
	CivilityMme  Civility = "mme"
	CivilityM    Civility = "m"
)

var Civilities = []Civility{CivilityNone, CivilityMme, CivilityM}

func (c Civility) Valid() bool { return contains(Civilities, c) }

// Profession is a person's trade; candidates come from health and from outside it.
type Profession string

const (
	ProfMedecin          Profession = "medecin"
	ProfChirurgienDent   Profession = "chirurgien_dentiste"
	ProfPharmacien       Profession = "pharmacien"
	ProfSageFemme        Profession = "sage_femme"
	ProfInfirmier        Profession = "infirmier"
	ProfKinesitherapeute Profession = "kinesitherapeute"
	ProfDieteticien      Profession = "dieteticien"
	ProfOrthophoniste    Profession = "orthophoniste"
	ProfPsychologue      Profession = "psychologue"
	ProfAutreParamedical Profession = "autre_paramedical"
	ProfManager          Profession = "manager"
	ProfHorsSante        Profession = "hors_sante"
	ProfAutre            Profession = "autre"
)

var Professions = []Profession{ProfMedecin, ProfChirurgienDent, ProfPharmacien, ProfSageFemme, ProfInfirmier,
	ProfKinesitherapeute, ProfDieteticien, ProfOrthophoniste, ProfPsychologue, ProfAutreParamedical,
	ProfManager, ProfHorsSante, ProfAutre}

func (p Profession) Valid() bool { return contains(Professions, p) }

// Person is someone Parcours knows of: a member of a structure, a candidate, a trainer.
type Person struct {
	ID         string
	Civility   Civility
	FirstName  string
	LastName   string
	Email      string // lower case; may be empty for a member listed without contact
	Phone      string
	Profession Profession
	RPPS       string
	CreatedAt  time.Time
	UpdatedAt  time.Time
}

// FullName is "Prénom NOM" as French administrative lists write it.
func (p Person) FullName() string {
	return strings.TrimSpace(p.FirstName + " " + strings.ToUpper(p.LastName))
}

// MemberRole is a person's role in a structure.
type MemberRole string

const (
	RolePresident     MemberRole = "president"
	RoleVicePresident MemberRole = "vice_president"
	RoleTresorier     MemberRole = "tresorier"
	RoleSecretaire    MemberRole = "secretaire"
	RoleMembreBureau  MemberRole = "membre_bureau"
	RoleMembreCA      MemberRole = "membre_ca"
	RoleCoordinateur  MemberRole = "coordinateur"
	RoleMembre        MemberRole = "membre"
)

var MemberRoles = []MemberRole{RolePresident, RoleVicePresident, RoleTresorier, RoleSecretaire,
	RoleMembreBureau, RoleMembreCA, RoleCoordinateur, RoleMembre}

func (r MemberRole) Valid() bool { return contains(MemberRoles, r) }

// IsGovernance reports whether the role is a governance role; a plain "membre" is not.
func (r MemberRole) IsGovernance() bool {
	switch r {
	case RolePresident, RoleVicePresident, RoleTresorier, RoleSecretaire, RoleMembreBureau, RoleMembreCA:
		return true
	}
	return false
}

// MembershipStatus: a role declared by a candidate waits for a manager's confirmation.
type MembershipStatus string

const (
	MembershipConfirmed MembershipStatus = "confirmed"
	MembershipPending   MembershipStatus = "pending"
)

// Membership is a person's role in a structure.
type Membership struct {
	ID          string
	PersonID    string
	StructureID string
	Role        MemberRole
	Status      MembershipStatus
	CreatedAt   time.Time
}

// Member is a membership seen from its structure.
type Member struct {
	Membership
	Person Person
}

// Affiliation is a membership seen from its person.
type Affiliation struct {
	Membership
	Structure Structure
}
