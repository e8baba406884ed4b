package demo

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"parcours/internal/compose"
	"parcours/internal/directory"
	"parcours/internal/model"
	"parcours/internal/policy"
	"parcours/internal/selection"
	"parcours/internal/storage"
)

// The selection: the first AMG session in Pays de la Loire closed six weeks ago; its
// committee (three EHESP trainers, the ARS as observer) reviewed the 24 applications, the
// chair closed the review, and the manager sent the offers nine days ago: most were
// accepted, one was declined and two lapsed, and the seats went to the next candidates,
// whose offers are still out; the others wait on the list. The PACA diploma's committee —
// four trainers of the institute, three elected members of the URPS, one of whom sits on
// the board of an applicant's structure — has its grid and its first assignments while the
// call is still open.

// motivations of the first session's applicants: {cpts} is their CPTS.
var firstSessionMotivations = []string{
	"Élu{|e} de la {cpts} depuis deux ans, je découvre chaque mois une responsabilité de plus : budget de l'ACI, " +
		"convention avec l'hôpital, recrutement. Je veux comprendre ce que l'on attend de moi et le faire bien.",
	"Notre conseil d'administration se réunit souvent mais décide peu. J'attends de la formation des méthodes pour " +
		"préparer nos réunions et faire de la {cpts} un vrai lieu de décision collective.",
	"La {cpts} vient de signer l'accord conventionnel interprofessionnel. Je souhaite maîtriser ses indicateurs et " +
		"rendre compte clairement aux adhérents de ce que nous faisons de l'argent reçu.",
	"Je prépare la relève de la présidence de la {cpts}. Me former avec d'autres élus de la région m'aiderait à " +
		"transmettre, à déléguer et à garder nos professionnels mobilisés.",
	"Engagé{|e} dans la {cpts} depuis sa création, je porte nos partenariats avec les établissements et le " +
		"médico-social. Je veux consolider ces liens et apprendre des autres CPTS.",
	"La {cpts} couvre un territoire rural où les professionnels sont isolés. Je voudrais savoir mieux les associer " +
		"à notre gouvernance et faire vivre le projet de santé au-delà du bureau.",
}

// firstSessionRows are the applications to the first AMG session: 19 CPTS, five of which
// sent two people. The CPTS that the open session's applicants come from are taken last.
func (sd *seeder) firstSessionRows() ([]applicationRow, error) {
	later := map[string]bool{}
	for _, r := range amgApplications {
		later[r.structure] = true
	}
	var cpts []*model.Structure
	for _, st := range sd.order {
		if st.RegionCode == "52" && st.Kind == model.KindCPTS {
			cpts = append(cpts, st)
		}
	}
	slices.SortStableFunc(cpts, func(a, b *model.Structure) int {
		switch {
		case later[a.Name] == later[b.Name]:
			return 0
		case later[a.Name]:
			return 1
		}
		return -1
	})
	if len(cpts) < 19 {
		return nil, fmt.Errorf("demo: %d CPTS in Pays de la Loire, the first AMG session needs 19", len(cpts))
	}
	var rows []applicationRow
	for i, st := range cpts[:19] {
		n := 1
		if i%4 == 1 && len(rows) < 24-(19-i) { // five CPTS send two people
			n = 2
		}
		for range n {
			k := len(rows)
			rows = append(rows, applicationRow{programme: keyAMGFirst, structure: st.Name, anyBoard: true,
				outcome: asSubmitted, daysAgo: 78 - k*32/24, at: fmt.Sprintf("%02d:%02d", 8+k%13, (k*17)%60),
				file: k%3 == 0, consents: true, answers: []string{
					strings.ReplaceAll(firstSessionMotivations[k%len(firstSessionMotivations)], "{cpts}", st.Name),
					"oui", "", ""}})
		}
	}
	return rows, nil
}

// committeeMember is a demo committee member: a person the seeder makes, with their
// account's e-mail when they have a documented login.
type committeeMember struct {
	civility    model.Civility
	first, last string
	email       string
	profession  model.Profession
	structure   string
	role        model.CommitteeRole
	chair       bool
	existing    bool // a named person already in the directory
}

var amgCommittee = []committeeMember{
	{mme, "Morgane", "Le Du", "jury.ehesp@" + EmailDomain, model.ProfManager, nameEHESP, model.CommitteeTrainer, true, false},
	{m, "Yann", "Le Bihan", "yann.le-bihan@" + EmailDomain, model.ProfManager, nameEHESP, model.CommitteeTrainer, false, true},
	{m, "Gwenaël", "Pineau", "gwenael.pineau@" + EmailDomain, model.ProfManager, nameEHESP, model.CommitteeTrainer, false, false},
	{m, "Jérôme", "Guérin", "ars.pdl@" + EmailDomain, model.ProfManager, nameARSPdL, model.CommitteeObserver, false, true},
}

var dcsecCommittee = []committeeMember{
	{mme, "Sophie", "Castellan", "sophie.castellan@" + EmailDomain, model.ProfManager, nameIMFS, model.CommitteeTrainer, true, true},
	{mme, "Nathalie", "Orsini", "nathalie.orsini@" + EmailDomain, model.ProfInfirmier, nameIMFS, model.CommitteeTrainer, false, false},
	{m, "Julien", "Carles", "julien.carles@" + EmailDomain, model.ProfManager, nameIMFS, model.CommitteeTrainer, false, false},
	{mme, "Fanny", "Autran", "fanny.autran@" + EmailDomain, model.ProfInfirmier, nameIMFS, model.CommitteeTrainer, false, false},
	{m, "Pierre", "Agostini", "pierre.agostini@" + EmailDomain, model.ProfMedecin, nameURPS, model.CommitteeElected, false, true},
	{mme, "Laëtitia", "Santoni", "laetitia.santoni@" + EmailDomain, model.ProfMedecin, nameURPS, model.CommitteeElected, false, true},
	{m, "Marc", "Peretti", "elu.urps@" + EmailDomain, model.ProfMedecin, nameURPS, model.CommitteeElected, false, false},
	{m, "Stéphane", "Marchetti", "stephane.marchetti@" + EmailDomain, model.ProfManager, "ARS Provence-Alpes-Côte d'Azur", model.CommitteeObserver, false, true},
}

var amgGrid = []model.Criterion{
	{Label: "Place dans la gouvernance de la CPTS", Weight: 3, Levels: []string{"Aucune responsabilité",
		"Membre récent, sans mandat", "Mandat récent", "Mandat établi", "Mandat central (bureau)", "Pilier de la gouvernance"}},
	{Label: "Projet pour la CPTS", Weight: 2, Levels: []string{"Absent", "Très vague", "Général", "Précis",
		"Précis et partagé par le bureau", "Précis, partagé et déjà engagé"}},
	{Label: "Motivation et disponibilité", Weight: 1},
}

var dcsecGrid = []model.Criterion{
	{Label: "Expérience de coordination", Weight: 3, Levels: []string{"Aucune", "Moins d'un an", "Un à deux ans",
		"Deux à quatre ans", "Plus de quatre ans", "Plus de quatre ans, plusieurs structures"}},
	{Label: "Projet professionnel", Weight: 3},
	{Label: "Soutien de la structure", Weight: 2},
	{Label: "Motivation", Weight: 2},
}

// selection seeds the committees, the reviews, the composition and the offers.
func (sd *seeder) selection(ctx context.Context, sum *Summary) error {
	if err := sd.firstSessionSelection(ctx, sum); err != nil {
		return fmt.Errorf("demo: first AMG session: %w", err)
	}
	if err := sd.diplomaCommittee(ctx); err != nil {
		return fmt.Errorf("demo: PACA diploma committee: %w", err)
	}
	return nil
}

// manager is the programme's manager as the selection functions' actor.
func (sd *seeder) manager(ctx context.Context, email string) (directory.Actor, error) {
	acc, err := sd.tx.AccountByEmail(ctx, email)
	if err != nil {
		return directory.Actor{}, fmt.Errorf("manager %s: %w", email, err)
	}
	return directory.Actor{Principal: &policy.Principal{AccountID: acc.ID, Email: acc.Email, DisplayName: acc.DisplayName},
		IP: "192.0.2.10", Via: "web"}, nil
}

// at sets the clock days before Seed at hh:mm in the call's région.
func (sd *seeder) at(view storage.CallView, daysAgo int, hhmm string) error {
	t, err := sd.localAt(view.Cohort.RegionCode, -daysAgo, hhmm)
	if err != nil {
		return err
	}
	sd.clock.Set(t)
	return nil
}

// committee builds a call's committee: its members (made as people of their structure when
// they are not in the directory yet), its grid.
func (sd *seeder) committee(ctx context.Context, manager directory.Actor, view storage.CallView, members []committeeMember,
	grid []model.Criterion) (*selection.Board, error) {
	b, err := selection.Load(ctx, sd.tx, view)
	if err != nil {
		return nil, err
	}
	for _, cm := range members {
		if !cm.existing {
			if err := sd.committeePerson(ctx, cm); err != nil {
				return nil, err
			}
		}
		name := cm.first + " " + cm.last
		errs, err := selection.AddMember(ctx, sd.tx, manager, sd.mailing, b,
			selection.NewMember{Email: cm.email, Name: name, Role: cm.role, Chair: cm.chair})
		if err != nil || errs.Any() {
			return nil, fmt.Errorf("member %s: %v %w", cm.email, errs, err)
		}
		acc, err := sd.tx.AccountByEmail(ctx, cm.email)
		if err != nil {
			return nil, err
		}
		if acc.PersonID == "" {
			if err := sd.tx.LinkAccountPerson(ctx, acc.ID, sd.byEmail[cm.email].ID); err != nil {
				return nil, err
			}
		}
	}
	if b, err = selection.Load(ctx, sd.tx, view); err != nil {
		return nil, err
	}
	if errs, err := selection.SaveGrid(ctx, sd.tx, manager, b, grid); err != nil || errs.Any() {
		return nil, fmt.Errorf("grid: %v %w", errs, err)
	}
	return selection.Load(ctx, sd.tx, view)
}

// committeePerson adds a committee member to the directory, in their structure.
func (sd *seeder) committeePerson(ctx context.Context, cm committeeMember) error {
	p := &model.Person{Civility: cm.civility, FirstName: cm.first, LastName: cm.last, Email: cm.email, Profession: cm.profession}
	if cm.profession == model.ProfMedecin {
		p.RPPS = sd.rpps()
	}
	if err := sd.createPerson(ctx, p); err != nil {
		return err
	}
	sd.byEmail[p.Email] = p
	st, ok := sd.byName[cm.structure]
	if !ok {
		return fmt.Errorf("no structure %q", cm.structure)
	}
	role := model.RoleMembre
	if st.Kind == model.KindURPS {
		role = model.RoleMembreBureau
	}
	return sd.join(ctx, p, st, role)
}

func (sd *seeder) firstSessionSelection(ctx context.Context, sum *Summary) error {
	view := sd.calls[keyAMGFirst]
	manager, err := sd.manager(ctx, "gestion.ehesp@"+EmailDomain)
	if err != nil {
		return err
	}
	// The committee meets the week after the closing.
	if err := sd.at(view, 44, "10:00"); err != nil {
		return err
	}
	b, err := sd.committee(ctx, manager, view, amgCommittee, amgGrid)
	if err != nil {
		return err
	}
	if _, err := selection.Distribute(ctx, sd.tx, manager, b); err != nil {
		return err
	}
	if b, err = selection.Load(ctx, sd.tx, view); err != nil {
		return err
	}
	// Each application has a quality its reviewers see, give or take a point; two split them.
	quality := map[string]int{}
	for i, row := range b.Applications {
		quality[row.Application.ID] = 15 + sd.rnd.IntN(34) // tenths of a level: 1.5 to 4.8
		if i == 5 || i == 17 {
			quality[row.Application.ID] = -quality[row.Application.ID] // a split committee
		}
	}
	seen := map[string]int{}
	for i, r := range b.Reviews {
		q := quality[r.ApplicationID]
		split := q < 0
		if split {
			q = -q
			if seen[r.ApplicationID] == 0 {
				q += 15
			} else {
				q -= 15
			}
		}
		seen[r.ApplicationID]++
		scores := map[string]string{}
		for _, c := range b.Grid {
			level := (q + sd.rnd.IntN(15) - 7 + 5) / 10
			scores[c.ID] = fmt.Sprint(min(5, max(0, level)))
		}
		comment := reviewComments[i%len(reviewComments)]
		if split {
			comment = splitComments[seen[r.ApplicationID]-1]
		}
		if err := sd.at(view, 41-i*10/len(b.Reviews), fmt.Sprintf("%02d:%02d", 9+i%10, (i*23)%60)); err != nil {
			return err
		}
		member := sd.memberActor(b, r.MemberID)
		if errs, err := selection.SaveReview(ctx, sd.tx, member, b, r, scores, comment, true); err != nil || errs.Any() {
			return fmt.Errorf("review: %v %w", errs, err)
		}
	}
	// The committee deliberates; the chair closes the review.
	if err := sd.at(view, 29, "17:30"); err != nil {
		return err
	}
	if b, err = selection.Load(ctx, sd.tx, view); err != nil {
		return err
	}
	var chair model.CommitteeMember
	for _, m := range b.Members {
		if m.Chair {
			chair = m
		}
	}
	if err := selection.CloseReview(ctx, sd.tx, sd.memberActor(b, chair.ID), b); err != nil {
		return err
	}
	// Offers go out nine days ago; most are accepted within days.
	if err := sd.at(view, 9, "10:00"); err != nil {
		return err
	}
	if _, _, err := selection.SendOffers(ctx, sd.tx, manager, sd.mailing, view); err != nil {
		return err
	}
	offers, err := sd.tx.Offers(ctx, view.Call.ID)
	if err != nil {
		return err
	}
	type answer struct {
		at    time.Time
		offer model.Offer
	}
	var answers []answer
	for _, o := range offers {
		if o.Seat == 9 || o.Seat == 13 { // never answered: they lapse
			continue
		}
		at, err := sd.localAt(view.Cohort.RegionCode, -8+o.Seat%5, fmt.Sprintf("%02d:%02d", 8+o.Seat%12, (o.Seat*7)%60))
		if err != nil {
			return err
		}
		answers = append(answers, answer{at, o})
	}
	slices.SortFunc(answers, func(a, b answer) int { return a.at.Compare(b.at) })
	for _, a := range answers {
		sd.clock.Set(a.at)
		// The candidate on seat 4 declines: the seat goes at once to the next one.
		if err := selection.Answer(ctx, sd.tx, sd.candidateActor(ctx, a.offer), sd.mailing, view, a.offer, a.offer.Seat != 4); err != nil {
			return fmt.Errorf("answer to seat %d: %w", a.offer.Seat, err)
		}
	}
	// The job runner lapses the two unanswered offers the morning after their deadline and
	// offers their seats to the next candidates.
	if err := sd.at(view, 1, "08:00"); err != nil {
		return err
	}
	if _, _, err := selection.Sweep(ctx, sd.tx, sd.mailing); err != nil {
		return err
	}
	sd.clock.Set(sd.seedNow)
	return sd.selectionSummary(ctx, view, sum)
}

var reviewComments = []string{
	"Candidature solide, projet clair pour la CPTS.",
	"Motivation réelle ; le projet reste à préciser avec le bureau.",
	"Mandat récent mais engagement fort dans les groupes de travail.",
	"Profil pertinent ; disponibilité à confirmer pour les huit journées.",
	"Bonne connaissance de l'ACI, attentes précises sur l'animation des instances.",
}

var splitComments = []string{
	"Très convaincant : un projet mûr et porté par tout le bureau.",
	"Peu d'éléments concrets sur le rôle dans la gouvernance ; à discuter en comité.",
}

// memberActor is a committee member as the selection functions' actor.
func (sd *seeder) memberActor(b *selection.Board, memberID string) directory.Actor {
	for _, m := range b.Members {
		if m.ID == memberID {
			return directory.Actor{Principal: &policy.Principal{AccountID: m.AccountID, Email: m.Email, DisplayName: m.Name},
				IP: "192.0.2.20", Via: "web"}
		}
	}
	return directory.Actor{Via: "web"}
}

// candidateActor is the candidate of an offer.
func (sd *seeder) candidateActor(ctx context.Context, o model.Offer) directory.Actor {
	a, err := sd.tx.Application(ctx, o.ApplicationID)
	if err != nil {
		return directory.Actor{Via: "web"}
	}
	return directory.Actor{Principal: &policy.Principal{AccountID: a.AccountID, PersonID: a.PersonID}, IP: "192.0.2.30", Via: "web"}
}

// selectionSummary names, for the printed summary, a candidate whose offer is still out and
// one on the waitlist.
func (sd *seeder) selectionSummary(ctx context.Context, view storage.CallView, sum *Summary) error {
	b, err := selection.Load(ctx, sd.tx, view)
	if err != nil {
		return err
	}
	plan, err := selection.Compute(ctx, sd.tx, b)
	if err != nil {
		return err
	}
	for _, r := range plan.Results {
		row := plan.Rows[r.ID]
		switch {
		case sum.OfferPending == "" && plan.Offers[r.ID].Status == model.OfferPending:
			sum.OfferPending = row.Email
		case sum.Waitlisted == "" && r.Decision == compose.DecisionWaitlisted:
			sum.Waitlisted = row.Email
		}
	}
	return nil
}

// diplomaCommittee builds the PACA diploma's committee while its call is open: one elected
// member sits on the board of the structure of the first applicant, and Parcours keeps that
// application from them; the applications received so far are assigned.
func (sd *seeder) diplomaCommittee(ctx context.Context) error {
	view := sd.calls[codeDCSEC]
	manager, err := sd.manager(ctx, "gestion.formation@"+EmailDomain)
	if err != nil {
		return err
	}
	if err := sd.at(view, 2, "14:00"); err != nil {
		return err
	}
	rows, err := sd.tx.Applications(ctx, storage.ApplicationFilter{Scope: policy.Scope{Everywhere: true}, CallID: view.Call.ID,
		Status: model.ApplicationSubmitted})
	if err != nil {
		return err
	}
	if len(rows) == 0 || rows[0].Application.StructureID == "" {
		return fmt.Errorf("no submitted application with a structure")
	}
	b, err := sd.committee(ctx, manager, view, dcsecCommittee, dcsecGrid)
	if err != nil {
		return err
	}
	st, err := sd.tx.Structure(ctx, rows[0].Application.StructureID)
	if err != nil {
		return err
	}
	if err := sd.join(ctx, sd.byEmail["elu.urps@"+EmailDomain], &st, model.RoleMembreCA); err != nil {
		return err
	}
	if b, err = selection.Load(ctx, sd.tx, view); err != nil {
		return err
	}
	if _, err := selection.Distribute(ctx, sd.tx, manager, b); err != nil {
		return err
	}
	sd.clock.Set(sd.seedNow)
	return nil
}
