// Package demo fills a fresh database with the demonstration data that `parcours demo` serves:
// the 28 CPTS of Pays de la Loire and about 30 in Provence-Alpes-Côte d'Azur, MSP, centres de
// santé and ESP, the partner organisations (ARS, EHESP, URPS, a training organisation, a
// fédération), their members and one login per role; then the two programmes of the brief —
// the EHESP's accompaniment of CPTS governance members (AMG) in Pays de la Loire, whose first
// session is composed (24 applications reviewed by a committee, offers accepted, declined,
// lapsed and made again, a waitlist) and whose repeated session has an open call with about
// twenty applications, and the PACA coordinator diploma with its open call, a handful of
// applications and its committee of trainers and URPS elected members — made through the
// code paths of the app (apply.Start and apply.Save, the selection package), so that
// eligibility, receipts, declared roles, conflicts, offers and e-mails are the app's.
//
// All of it is fictional: territories, communes and postcodes are real, but every structure,
// person and identifier (FINESS, SIRET, RPPS — valid in form only) is invented, and every
// e-mail address ends with @demo.parcours.fr. The data is the same at every run; only the
// record ids differ, and the dates of the calls and applications, which follow the day Seed
// runs so that the calls are open whenever the demo starts.
package demo

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"time"

	"parcours/internal/auth"
	"parcours/internal/clock"
	"parcours/internal/ident"
	"parcours/internal/mail"
	"parcours/internal/model"
	"parcours/internal/storage"
	"parcours/internal/territory"
)

// Notice is what to tell whoever sees the demo data.
const Notice = "Données de démonstration : structures, personnes et identifiants sont fictifs."

// EmailDomain ends every demo e-mail address.
const EmailDomain = "demo.parcours.fr"

// ErrNotEmpty: Seed only fills a fresh database, so that demo people never mix with real ones.
var ErrNotEmpty = errors.New("demo: la base contient déjà des structures ou des comptes ; les données de démonstration ne vont que dans une base neuve")

// Account is a demo login, for printing. Role is a French label.
type Account struct{ Email, Password, Role, Description string }

// Summary tells what Seed wrote. Accounts lists the documented logins only, not the
// applicants' (whose password is ApplicantPassword).
type Summary struct {
	Accounts     []Account
	Structures   int
	People       int
	Programmes   int
	Calls        int
	Applications int // every status: drafts, submitted, withdrawn
	// Two applicants of the first AMG session, to see it from their side: one whose offer
	// awaits their answer, one on the waitlist.
	OfferPending, Waitlisted string
	// A learner of the PACA diploma's pilot cohort, under way, and the one whose attendance
	// fell under the threshold.
	Learner, UnderThreshold string
}

// ApplicantPassword opens the accounts of the demo's applicants (their e-mail is their
// person's), for whoever wants to see an application from the candidate's side.
const ApplicantPassword = "demo-candidatures-2026"

// Options change what Seed writes around the data.
type Options struct {
	// Mailing makes the links of the confirmation e-mails Seed queues; its zero value stands
	// for the default configuration (http://localhost:8080, "Parcours").
	Mailing mail.Site
}

// Seed writes the demo data into a migrated, empty database, in one transaction, with the
// default options.
func Seed(ctx context.Context, s *storage.Store) (*Summary, error) {
	return SeedWith(ctx, s, Options{})
}

// SeedWith writes the demo data into a migrated, empty database, in one transaction.
func SeedWith(ctx context.Context, s *storage.Store, o Options) (*Summary, error) {
	if o.Mailing.BaseURL == "" {
		o.Mailing.BaseURL = "http://localhost:8080"
	}
	if o.Mailing.Brand == "" {
		o.Mailing.Brand = "Parcours"
	}
	// Hashing is slow on purpose: do it before the transaction takes the writer. The
	// applicants share one hash: their password is the same and printed nowhere.
	hashes := make([]string, len(accounts)+1)
	for i, a := range accounts {
		h, err := auth.HashPassword(a.password)
		if err != nil {
			return nil, fmt.Errorf("demo: hash password of %s: %w", a.email, err)
		}
		hashes[i] = h
	}
	applicantHash, err := auth.HashPassword(ApplicantPassword)
	if err != nil {
		return nil, fmt.Errorf("demo: hash the applicants' password: %w", err)
	}
	sum := &Summary{}
	err = s.InTx(ctx, func(tx *storage.Store) error {
		if err := checkEmpty(ctx, tx); err != nil {
			return err
		}
		sd := newSeeder(tx)
		if err := sd.structures(ctx); err != nil {
			return err
		}
		if err := sd.namedPeople(ctx); err != nil {
			return err
		}
		if err := sd.members(ctx); err != nil {
			return err
		}
		if err := sd.accounts(ctx, hashes, sum); err != nil {
			return err
		}
		// What follows draws from its own source, so that adding to it never changes the
		// structures and people above.
		sd.rnd = rand.New(rand.NewPCG(2027, 93))
		sd.applicantHash, sd.mailing = applicantHash, o.Mailing
		// The applications are dated over the past days: the transaction's clock steps through
		// them (tx is this transaction's own copy of the store), then comes back.
		sd.real = tx.Clock
		sd.seedNow = tx.Clock.Now()
		sd.clock = clock.NewManual(sd.seedNow)
		tx.Clock = sd.clock
		defer func() { tx.Clock = sd.real }()
		if err := sd.programmes(ctx, sum); err != nil {
			return err
		}
		if err := sd.applications(ctx, sum); err != nil {
			return err
		}
		if err := sd.selection(ctx, sum); err != nil {
			return err
		}
		if err := sd.training(ctx, sum); err != nil {
			return err
		}
		tx.Clock = sd.real
		sum.Structures, sum.People = len(sd.order), sd.people
		return tx.Audit(ctx, storage.AuditEntry{Action: "demo.seed", SubjectType: "database",
			Details: map[string]any{"structures": sum.Structures, "people": sum.People, "accounts": len(sum.Accounts),
				"programmes": sum.Programmes, "calls": sum.Calls, "applications": sum.Applications}})
	})
	if err != nil {
		return nil, err
	}
	return sum, nil
}

func checkEmpty(ctx context.Context, tx *storage.Store) error {
	_, n, err := tx.Structures(ctx, storage.StructureFilter{Limit: 1})
	if err != nil {
		return err
	}
	list, err := tx.Accounts(ctx)
	if err != nil {
		return err
	}
	if n > 0 || len(list) > 0 {
		return ErrNotEmpty
	}
	return nil
}

// seeder carries what the steps share: the draws, the structures by name, the roles already
// filled and the identifiers and e-mails already taken.
type seeder struct {
	tx      *storage.Store
	rnd     *rand.Rand
	byName  map[string]*model.Structure
	byEmail map[string]*model.Person // the named people, for their accounts
	order   []*model.Structure
	filled  map[string]map[model.MemberRole]bool // by structure id
	people  int
	taken   map[string]bool // identifiers and e-mails handed out
	phones  int
	team    map[string][]teamMember // by structure id, in the order they joined

	// For the programmes and applications.
	applicantHash string
	mailing       mail.Site
	real          clock.Clock                 // the store's clock, put back at the end
	clock         *clock.Manual               // the transaction's clock while applications are dated
	seedNow       time.Time                   // when Seed runs: calls open and close around it
	calls         map[string]storage.CallView // by programme code
	questions     map[string][]model.Question // by programme code, in order
}

// teamMember is a person's role in a structure, as the seeder recorded it.
type teamMember struct {
	person *model.Person
	role   model.MemberRole
}

func newSeeder(tx *storage.Store) *seeder {
	return &seeder{
		tx:      tx,
		rnd:     rand.New(rand.NewPCG(2026, 52)), // fixed: the demo is the same at every run
		byName:  map[string]*model.Structure{},
		byEmail: map[string]*model.Person{},
		filled:  map[string]map[model.MemberRole]bool{},
		taken:   map[string]bool{},
		team:    map[string][]teamMember{},
	}
}

func (sd *seeder) structures(ctx context.Context) error {
	perDep := map[string]int{} // CPTS numbered within their département, for their ref
	for _, list := range [][]cptsRow{cptsPaysDeLaLoire, cptsPACA} {
		for _, c := range list {
			perDep[c.dep]++
			st := &model.Structure{Kind: model.KindCPTS, Name: c.name, DepartementCode: c.dep,
				Commune: c.commune, Postcode: c.postcode, SizeBand: c.band, Stage: c.stage}
			sd.cptsIdentifiers(st, perDep[c.dep])
			if err := sd.create(ctx, st); err != nil {
				return err
			}
		}
	}
	espPerDep := map[string]int{}
	for _, o := range otherStructures {
		st := &model.Structure{Kind: o.kind, Name: o.name, DepartementCode: o.dep, Commune: o.commune, Postcode: o.postcode}
		switch o.kind {
		case model.KindMSP, model.KindCDS:
			st.FINESS = sd.finess(o.dep)
			if sd.rnd.IntN(3) > 0 {
				st.SIRET = sd.siret(false)
			}
		case model.KindESP: // an ESP is often a mere agreement between professionals: no number
			espPerDep[o.dep]++
			st.Ref = fmt.Sprintf("DEMO-ESP-%s-%02d", o.dep, espPerDep[o.dep])
		case model.KindARS, model.KindTraining:
			st.SIRET = sd.siret(o.name != nameIMFS) // public bodies' SIREN start with 1
		default:
			st.SIRET = sd.siret(false)
		}
		if err := sd.create(ctx, st); err != nil {
			return err
		}
	}
	return nil
}

// cptsIdentifiers follows a CPTS's life: a reference only while it emerges, a SIRET once its
// association is declared, a FINESS once the ACI is signed (with a few records left incomplete,
// as real files are).
func (sd *seeder) cptsIdentifiers(st *model.Structure, n int) {
	switch st.Stage {
	case model.StageActive, model.StageACISigne:
		st.FINESS = sd.finess(st.DepartementCode)
		if n%4 != 3 {
			st.SIRET = sd.siret(false)
		}
	case model.StageProjetSante:
		st.SIRET = sd.siret(false)
	case model.StageLettreIntention:
		if n%2 == 0 {
			st.SIRET = sd.siret(false)
		}
	}
	if st.FINESS == "" && st.SIRET == "" {
		st.Ref = fmt.Sprintf("DEMO-CPTS-%s-%02d", st.DepartementCode, n)
	}
}

func (sd *seeder) create(ctx context.Context, st *model.Structure) error {
	dep, ok := territory.DepartementByCode(st.DepartementCode)
	if !ok {
		return fmt.Errorf("demo: %s: unknown département %q", st.Name, st.DepartementCode)
	}
	st.RegionCode = dep.RegionCode
	st.Email = model.Slug(st.Name) + "@" + EmailDomain
	if err := sd.tx.CreateStructure(ctx, st); err != nil {
		return fmt.Errorf("demo: create structure %s: %w", st.Name, err)
	}
	sd.byName[st.Name] = st
	sd.order = append(sd.order, st)
	sd.filled[st.ID] = map[model.MemberRole]bool{}
	return nil
}

func (sd *seeder) namedPeople(ctx context.Context) error {
	for _, np := range namedPeople {
		sd.taken[np.email] = true
	}
	for _, np := range namedPeople {
		p := &model.Person{Civility: np.civility, FirstName: np.first, LastName: np.last, Email: np.email,
			Profession: np.profession}
		if np.rpps {
			p.RPPS = sd.rpps()
		}
		if err := sd.createPerson(ctx, p); err != nil {
			return err
		}
		sd.byEmail[p.Email] = p
		for _, mr := range np.memberships {
			st, ok := sd.byName[mr.structure]
			if !ok {
				return fmt.Errorf("demo: %s %s: no structure %q", np.first, np.last, mr.structure)
			}
			if err := sd.join(ctx, p, st, mr.role); err != nil {
				return err
			}
		}
	}
	return nil
}

// members gives every care structure the team its kind and stage call for, skipping the
// roles a named person already holds.
func (sd *seeder) members(ctx context.Context) error {
	for _, st := range sd.order {
		if !st.Kind.IsCare() {
			continue
		}
		for _, role := range sd.rolesFor(st) {
			if role != model.RoleMembre && role != model.RoleMembreBureau && role != model.RoleMembreCA &&
				sd.filled[st.ID][role] {
				continue
			}
			p := sd.drawPerson(st.RegionCode, role)
			if err := sd.createPerson(ctx, p); err != nil {
				return err
			}
			if err := sd.join(ctx, p, st, role); err != nil {
				return err
			}
		}
	}
	return nil
}

// rolesFor: a CPTS has a président and a treasurer or secretary from its start, both once its
// health project is written, a coordinator once its ACI is signed, and a growing board.
func (sd *seeder) rolesFor(st *model.Structure) []model.MemberRole {
	r := sd.rnd
	switch st.Kind {
	case model.KindCPTS:
		rank := st.Stage.Rank()
		roles := []model.MemberRole{model.RolePresident}
		if rank >= model.StageProjetSante.Rank() {
			roles = append(roles, model.RoleTresorier, model.RoleSecretaire)
		} else if r.IntN(2) == 0 {
			roles = append(roles, model.RoleTresorier)
		} else {
			roles = append(roles, model.RoleSecretaire)
		}
		if rank >= model.StageACISigne.Rank() {
			roles = append(roles, model.RoleCoordinateur)
			if r.IntN(2) == 0 {
				roles = append(roles, model.RoleVicePresident)
			}
			for range r.IntN(3) {
				roles = append(roles, model.RoleMembreCA)
			}
		}
		bureau := r.IntN(2)
		if rank >= model.StageProjetSante.Rank() {
			bureau++
		}
		for range bureau {
			roles = append(roles, model.RoleMembreBureau)
		}
		for range r.IntN(2) {
			roles = append(roles, model.RoleMembre)
		}
		return roles
	case model.KindESP:
		return []model.MemberRole{model.RoleCoordinateur, model.RoleMembre}
	default: // MSP, CDS
		roles := []model.MemberRole{model.RoleCoordinateur, model.RoleMembre}
		if r.IntN(2) == 0 {
			roles = append(roles, model.RoleMembre)
		}
		return roles
	}
}

// drawPerson invents a person for a role: a name not yet used, a profession that fits the
// role, an RPPS for most health professionals, a fiction-reserved phone number for some.
func (sd *seeder) drawPerson(region string, role model.MemberRole) *model.Person {
	r := sd.rnd
	lastNames := append(append([]string(nil), commonLastNames...), lastNamesByRegion[region]...)
	var p model.Person
	for {
		fn := firstNames[r.IntN(len(firstNames))]
		p = model.Person{Civility: fn.civility, FirstName: fn.name, LastName: lastNames[r.IntN(len(lastNames))]}
		p.Email = model.Slug(p.FirstName) + "." + model.Slug(p.LastName) + "@" + EmailDomain
		if !sd.taken[p.Email] {
			break
		}
	}
	sd.taken[p.Email] = true
	profs := professionsByRole[role]
	p.Profession = profs[r.IntN(len(profs))]
	if hasRPPS(p.Profession) && r.IntN(4) > 0 {
		p.RPPS = sd.rpps()
	}
	if r.IntN(3) == 0 {
		// 06 39 98 xx xx is reserved by the ARCEP for works of fiction.
		sd.phones++
		p.Phone = fmt.Sprintf("06 39 98 %02d %02d", sd.phones/100, sd.phones%100)
	}
	return &p
}

func (sd *seeder) createPerson(ctx context.Context, p *model.Person) error {
	if err := sd.tx.CreatePerson(ctx, p); err != nil {
		return fmt.Errorf("demo: create person %s: %w", p.Email, err)
	}
	sd.people++
	return nil
}

func (sd *seeder) join(ctx context.Context, p *model.Person, st *model.Structure, role model.MemberRole) error {
	ms := &model.Membership{PersonID: p.ID, StructureID: st.ID, Role: role, Status: model.MembershipConfirmed}
	if err := sd.tx.CreateMembership(ctx, ms); err != nil {
		return fmt.Errorf("demo: %s as %s of %s: %w", p.Email, role, st.Name, err)
	}
	sd.filled[st.ID][role] = true
	sd.team[st.ID] = append(sd.team[st.ID], teamMember{p, role})
	return nil
}

func (sd *seeder) accounts(ctx context.Context, hashes []string, sum *Summary) error {
	now := sd.tx.Clock.Now()
	for i, a := range accounts {
		acc := &model.Account{Email: a.email, DisplayName: a.displayName, PasswordHash: hashes[i], EmailVerifiedAt: now}
		if a.personEmail != "" {
			p, ok := sd.byEmail[a.personEmail]
			if !ok {
				return fmt.Errorf("demo: account %s: no person %s", a.email, a.personEmail)
			}
			acc.PersonID = p.ID
			if acc.DisplayName == "" {
				acc.DisplayName = p.FirstName + " " + p.LastName
			}
		}
		if err := sd.tx.CreateAccount(ctx, acc); err != nil {
			return fmt.Errorf("demo: create account %s: %w", a.email, err)
		}
		scope := a.scopeRegion
		if a.scopeStructure != "" {
			st, ok := sd.byName[a.scopeStructure]
			if !ok {
				return fmt.Errorf("demo: account %s: no structure %q", a.email, a.scopeStructure)
			}
			scope = st.ID
		}
		// A committee member's or trainer's role comes with their committee or cohort, scoped to it.
		if a.role != model.RoleCommitteeMember && a.role != model.RoleTrainer {
			if err := sd.tx.Grant(ctx, &model.Grant{AccountID: acc.ID, Role: a.role, Scope: scope}); err != nil {
				return fmt.Errorf("demo: grant %s to %s: %w", a.role, a.email, err)
			}
		}
		sum.Accounts = append(sum.Accounts, Account{Email: a.email, Password: a.password, Role: a.label,
			Description: a.description})
	}
	return nil
}

// finess invents a FINESS number in the département: its prefix, six digits, the Luhn key.
func (sd *seeder) finess(dep string) string {
	for {
		n := withLuhnKey(dep + fmt.Sprintf("%06d", sd.rnd.IntN(1_000_000)))
		if _, _, err := ident.FINESS(n); err == nil && !sd.taken[n] {
			sd.taken[n] = true
			return n
		}
	}
}

// siret invents a SIRET: a SIREN with its key (starting with 1 for a public body, 7 to 9 for
// an association), the head office's establishment number 0001, and the SIRET's own key.
func (sd *seeder) siret(public bool) string {
	for {
		first := 7 + sd.rnd.IntN(3)
		if public {
			first = 1
		}
		siren := withLuhnKey(fmt.Sprintf("%d%07d", first, sd.rnd.IntN(10_000_000)))
		n := withLuhnKey(siren + "0001")
		if _, err := ident.SIRET(n); err == nil && !sd.taken[n] {
			sd.taken[n] = true
			return n
		}
	}
}

// rpps invents an RPPS number: 10, eight digits, the Luhn key.
func (sd *seeder) rpps() string {
	for {
		n := withLuhnKey(fmt.Sprintf("10%08d", sd.rnd.IntN(100_000_000)))
		if !sd.taken[n] {
			sd.taken[n] = true
			return n
		}
	}
}

// withLuhnKey appends the digit that makes digits pass the Luhn check.
func withLuhnKey(digits string) string {
	for d := '0'; d <= '9'; d++ {
		if ident.Luhn(digits + string(d)) {
			return digits + string(d)
		}
	}
	panic("demo: no Luhn key for " + digits) // cannot happen: one digit of ten always fits
}
