package demo

import (
	"cmp"
	"context"
	"fmt"
	"regexp"
	"slices"
	"time"

	"parcours/internal/apply"
	"parcours/internal/directory"
	"parcours/internal/model"
	"parcours/internal/policy"
)

// outcome is where a demo application ends.
type outcome int

const (
	asDraft     outcome = iota + 1 // saved, not submitted
	asSubmitted                    // submitted: a receipt, a confirmation e-mail
	asWithdrawn                    // submitted, then withdrawn
	asRefused                      // the candidate tried to submit, was told why not: a draft with its verdict
)

// declaredStructure is a structure a candidate declares because the directory does not list it.
type declaredStructure struct {
	name        string
	kind        model.StructureKind
	departement string
	commune     string
}

// applicationRow is one demo application. The applicant is found in the directory: the
// person who holds the role holds in structure (the first one not yet used; with profession
// set, the first coordinator of that profession in the call's région, structure ignored).
// They apply for structure with the role declares (holds when empty) — or for declared.
type applicationRow struct {
	programme  string // the programme's code, or the key of an earlier session (keyAMGFirst)
	structure  string
	holds      model.MemberRole // "" with anyBoard: whoever of the structure's board is left
	profession model.Profession
	declares   model.MemberRole
	declared   *declaredStructure
	outcome    outcome
	daysAgo    int    // when they save or submit, in days before Seed…
	at         string // …at this local hour
	withdrawn  int    // days before Seed they withdraw (asWithdrawn), at 18:20
	answers    []string
	file       bool // a PDF for the call's file question
	consents   bool
	anyBoard   bool
}

// The answers of the AMG call: motivations, availability ("oui", "non"), the CV (a file, so
// "" here), the date of their election to the bureau. Texts use {masculine|feminine} where
// they depend on the applicant.
var amgApplications = []applicationRow{
	{programme: codeAMG, structure: "CPTS du Pays de Retz", holds: model.RolePresident, outcome: asSubmitted,
		daysAgo: 19, at: "10:12", file: true, consents: true, answers: []string{
			"Président de la CPTS du Pays de Retz depuis sa création, j'ai porté le projet de santé puis la signature de " +
				"l'ACI presque seul avec notre coordinatrice. Nous entrons dans une phase où le conseil d'administration " +
				"doit décider davantage et plus collectivement : répartition de l'enveloppe de l'ACI, recrutement d'un " +
				"second salarié, convention avec l'hôpital local. Je souhaite apprendre à mieux animer nos instances, à " +
				"déléguer, et préparer la relève de la présidence d'ici deux ans. Échanger avec des élus d'autres CPTS de " +
				"la région m'intéresse autant que les apports théoriques.",
			"oui", "", "2020-01-20"}},
	{programme: codeAMG, structure: "CPTS Angers Centre", holds: model.RoleTresorier, outcome: asSubmitted,
		daysAgo: 18, at: "21:40", consents: true, answers: []string{
			"{Trésorier|Trésorière} de la CPTS Angers Centre depuis dix-huit mois, je n'avais aucune formation en " +
				"gestion associative. Le budget de la CPTS dépasse aujourd'hui 400 000 euros entre l'ACI, le fonds " +
				"d'intervention régional et les actions de prévention : je veux comprendre finement les indicateurs de " +
				"l'ACI, construire un budget prévisionnel lisible par tout le conseil d'administration et sécuriser nos " +
				"procédures (délégations de signature, rapprochements bancaires, relations avec l'expert-comptable). Le " +
				"module « Financements et ACI » répond exactement à ce besoin.",
			"oui", "", "2025-05-15"}},
	{programme: codeAMG, structure: "CPTS Estuaire et Brière", holds: model.RoleVicePresident, outcome: asWithdrawn,
		daysAgo: 17, at: "13:05", withdrawn: 6, consents: true, answers: []string{
			"{Vice-président|Vice-présidente} de la CPTS Estuaire et Brière, je m'occupe des relations avec les " +
				"établissements du territoire, notamment le centre hospitalier de Saint-Nazaire et les EHPAD. Je souhaite " +
				"consolider ces partenariats, mieux comprendre ce que l'on attend d'un élu face aux directions " +
				"d'établissement et partager nos outils avec d'autres CPTS.",
			"oui", "", "2022-11-08"}},
	{programme: codeAMG, structure: "CPTS Nantes Nord", holds: model.RoleTresorier, outcome: asSubmitted,
		daysAgo: 16, at: "08:47", file: true, consents: true, answers: []string{
			"{Trésorier|Trésorière} de notre CPTS, je constate que nos réunions de conseil d'administration " +
				"ressemblent trop souvent à des réunions d'information où la coordination présente et où les élus " +
				"valident. Je voudrais que notre gouvernance devienne un vrai lieu de décision. J'attends de la formation " +
				"des méthodes concrètes pour préparer un ordre du jour, faire émerger des choix, et mesurer l'effet de nos " +
				"missions sur l'accès aux soins dans des quartiers où beaucoup d'habitants n'ont plus de médecin traitant.",
			"oui", "", "2023-03-30"}},
	{programme: codeAMG, structure: "CPTS Le Mans Métropole", holds: model.RolePresident, outcome: asSubmitted,
		daysAgo: 15, at: "12:30", file: true, consents: true, answers: []string{
			"{Président|Présidente} de la CPTS Le Mans Métropole, qui couvre plus de 200 000 habitants, je dois " +
				"articuler le travail de nombreux groupes de travail, de deux salariés et d'un conseil d'administration de " +
				"dix-huit membres. Les sujets se multiplient : service d'accès aux soins, soins non programmés, " +
				"prévention, parcours des personnes âgées. J'ai besoin de prendre du recul sur notre organisation et sur " +
				"la place de chacun. Je souhaite aussi préparer avec les autres CPTS de la Sarthe une réponse commune aux " +
				"sollicitations de l'ARS et du conseil départemental.",
			"oui", "", "2021-06-24"}},
	{programme: codeAMG, structure: "CPTS Haut-Anjou", holds: model.RoleSecretaire, outcome: asSubmitted,
		daysAgo: 14, at: "20:15", consents: true, answers: []string{
			"Secrétaire de la CPTS Haut-Anjou, je rédige les comptes rendus et je prépare l'assemblée " +
				"générale sans avoir jamais été {formé|formée} à la vie associative. Notre CPTS a signé l'ACI l'an dernier " +
				"et nous devons désormais rendre compte de nos missions. Je voudrais savoir organiser une information " +
				"claire pour les adhérents, tenir des registres conformes et mieux faire connaître la CPTS aux " +
				"professionnels du territoire, en particulier aux paramédicaux isolés en zone rurale.",
			"oui", "", "2024-06-18"}},
	{programme: codeAMG, structure: "ESP Loire Divatte", holds: model.RoleMembre, declares: model.RolePresident,
		declared: &declaredStructure{name: "CPTS Erdre et Loire en création", kind: model.KindCPTS, departement: "44",
			commune: "Carquefou"},
		outcome: asSubmitted, daysAgo: 13, at: "22:05", consents: true, answers: []string{
			"Avec une dizaine de professionnels de Carquefou, Sainte-Luce-sur-Loire et Thouaré-sur-Loire, nous " +
				"préparons la création d'une CPTS entre l'Erdre et la Loire : l'association est en cours de déclaration et " +
				"la lettre d'intention sera déposée auprès de l'ARS au printemps. J'en serai {le président|la présidente}. " +
				"La CPTS n'est pas encore dans l'annuaire, mais c'est maintenant que nous écrivons les statuts, composons " +
				"le bureau et choisissons nos premières missions. Me former dès le départ éviterait bien des erreurs, et " +
				"les échanges avec des CPTS déjà en fonctionnement nous feraient gagner un temps précieux.",
			"oui", "", ""}},
	{programme: codeAMG, structure: "CPTS du Choletais", holds: model.RoleVicePresident, outcome: asSubmitted,
		daysAgo: 12, at: "09:40", file: true, consents: true, answers: []string{
			"{Vice-président|Vice-présidente} de la CPTS du Choletais, j'anime le groupe de travail sur le maintien à " +
				"domicile. Notre présidente souhaite passer la main dans un an et le bureau m'a demandé de me préparer à " +
				"reprendre la présidence. Je veux acquérir les bases de la gouvernance associative et du pilotage d'un " +
				"projet de santé, comprendre les obligations liées à l'ACI, et apprendre à conduire un conseil " +
				"d'administration où médecins, pharmaciens et paramédicaux n'ont pas toujours les mêmes priorités.",
			"oui", "", "2022-06-14"}},
	{programme: codeAMG, structure: "CPTS du Pays de Retz", holds: model.RoleMembreCA, outcome: asSubmitted,
		daysAgo: 11, at: "19:55", file: true, consents: true, answers: []string{
			"{Coordinateur|Coordinatrice} de la MSP de Machecoul et membre du conseil d'administration de la " +
				"CPTS du Pays de Retz, je fais souvent le lien entre les deux structures. Je candidate en complément de " +
				"notre président : si la promotion n'est pas complète, il serait utile que deux élus de notre CPTS " +
				"partagent le même langage et les mêmes outils. Je m'intéresse surtout aux partenariats territoriaux et à " +
				"l'articulation entre les projets des MSP et celui de la CPTS, qui se recouvrent parfois sans se " +
				"coordonner.",
			"oui", "", ""}},
	{programme: codeAMG, structure: "CPTS Marais Breton", holds: model.RoleTresorier, outcome: asSubmitted,
		daysAgo: 10, at: "14:20", consents: true, answers: []string{
			"J'ai repris la trésorerie de la CPTS Marais Breton il y a six mois, sans véritable passation. Je souhaite " +
				"comprendre le fonctionnement de l'ACI, les règles de versement et les justificatifs attendus par " +
				"l'Assurance maladie, et mettre en place un suivi budgétaire simple pour le conseil d'administration. Je " +
				"dois signaler qu'une des huit journées tombe pendant des congés déjà posés en avril : je rattraperai les " +
				"contenus si ma candidature est retenue.",
			"non", "", "2026-05-12"}},
	{programme: codeAMG, structure: "MSP du Segréen", holds: model.RoleCoordinateur, outcome: asRefused,
		daysAgo: 9, at: "11:10", consents: true, answers: []string{
			"{Coordinateur|Coordinatrice} de la MSP du Segréen, je participe aux réunions de la CPTS Haut-Anjou et je " +
				"voudrais mieux comprendre sa gouvernance pour articuler nos projets. Je souhaiterais suivre cette " +
				"formation pour pouvoir, à terme, représenter la MSP au conseil d'administration de la CPTS.",
			"oui", "", ""}},
	{programme: codeAMG, structure: "CPTS Laval Agglomération", holds: model.RoleMembre, declares: model.RoleMembreBureau,
		outcome: asSubmitted, daysAgo: 9, at: "17:35", file: true, consents: true, answers: []string{
			"{Élu|Élue} au bureau de la CPTS Laval Agglomération lors de notre dernière assemblée générale — l'annuaire " +
				"ne le dit pas encore —, je découvre le fonctionnement d'une association de cette taille. Je suis " +
				"{chargé|chargée} du suivi de la mission « parcours des patients chroniques ». La formation m'aiderait à " +
				"comprendre le rôle du bureau face au conseil d'administration et aux salariés, et à porter les décisions " +
				"auprès des professionnels du territoire, encore peu nombreux à adhérer.",
			"oui", "", "2026-06-20"}},
	{programme: codeAMG, structure: "CPTS Sud Mayenne", holds: model.RoleMembreBureau, outcome: asSubmitted,
		daysAgo: 8, at: "21:10", consents: true, answers: []string{
			"Notre CPTS vient d'écrire son projet de santé et prépare la négociation de son ACI : nous sommes cinq au " +
				"bureau, tous très pris par nos cabinets. Je souhaite apprendre à prioriser, à bâtir une feuille de route " +
				"réaliste et à recruter un coordinateur dans de bonnes conditions. Les retours d'expérience de CPTS plus " +
				"avancées, comme celles de Laval ou d'Angers, me seraient très utiles pour éviter les écueils des " +
				"premières années.",
			"oui", "", "2025-09-25"}},
	{programme: codeAMG, structure: "CPTS Erdre et Gesvres", holds: model.RolePresident, outcome: asSubmitted,
		daysAgo: 7, at: "07:50", file: true, consents: true, answers: []string{
			"{Président|Présidente} de la CPTS Erdre et Gesvres depuis la signature de l'ACI, je constate que notre " +
				"territoire, entre périurbain nantais et communes rurales, attire de nouveaux professionnels qui ne " +
				"connaissent pas la CPTS. Je souhaite travailler l'animation de la vie associative, la mobilisation des " +
				"adhérents et l'évaluation de nos missions, et mieux comprendre les attentes de l'ARS et de la caisse " +
				"primaire lors des revues annuelles de l'ACI.",
			"oui", "", "2021-10-05"}},
	{programme: codeAMG, structure: "CPTS Le Mans Métropole", holds: model.RoleSecretaire, outcome: asSubmitted,
		daysAgo: 6, at: "12:45", consents: true, answers: []string{
			"Secrétaire de la CPTS Le Mans Métropole, je candidate en second, après notre présidente, " +
				"au cas où la promotion ne serait pas complète. Je coordonne côté élus la mission de prévention. Je " +
				"voudrais apprendre à construire des partenariats durables avec les collectivités et les associations de " +
				"quartier, et à évaluer nos actions avec des indicateurs que le conseil d'administration puisse " +
				"réellement suivre.",
			"oui", "", "2024-06-13"}},
	{programme: codeAMG, structure: "CPTS Centre Vendée", holds: model.RoleMembre, declares: model.RoleMembreCA,
		outcome: asSubmitted, daysAgo: 5, at: "20:30", consents: true, answers: []string{
			"{Installé|Installée} depuis trois ans à La Roche-sur-Yon, j'ai rejoint le conseil d'administration de la " +
				"CPTS Centre Vendée en septembre. Je veux comprendre comment fonctionne l'ACI, comment se prennent les " +
				"décisions et comment la CPTS peut aider les jeunes professionnels à trouver leur place sur le territoire. " +
				"La formation serait pour moi une façon de m'engager durablement dans la gouvernance plutôt que de rester " +
				"{un administrateur|une administratrice} de passage.",
			"oui", "", ""}},
	{programme: codeAMG, structure: "CPTS Estuaire et Brière", holds: model.RoleSecretaire, outcome: asSubmitted,
		daysAgo: 4, at: "10:05", file: true, consents: true, answers: []string{
			"Notre vice-président, qui avait candidaté, a dû se retirer pour des raisons professionnelles : le bureau " +
				"de la CPTS Estuaire et Brière m'a proposé de candidater à sa place. Secrétaire de la CPTS, " +
				"je porte le projet de santé mentale du territoire. J'attends de la formation une meilleure compréhension " +
				"des financements, pour pérenniser les actions lancées avec le centre hospitalier, et des outils pour " +
				"animer un conseil d'administration très hétérogène.",
			"oui", "", "2023-06-29"}},
	{programme: codeAMG, structure: "CPTS Angers Centre", holds: model.RoleMembreBureau, outcome: asSubmitted,
		daysAgo: 3, at: "18:00", consents: true, answers: []string{
			"Membre du bureau de la CPTS Angers Centre, je candidate en complément de notre trésorière. Je " +
				"représente la CPTS auprès du dispositif d'appui à la coordination. Je souhaite me former à la " +
				"négociation de partenariats et à la conduite de projets territoriaux, et comprendre comment la CPTS peut " +
				"s'articuler avec les maisons et les centres de santé d'Angers sans se substituer à eux.",
			"oui", "", "2024-01-22"}},
	{programme: codeAMG, structure: "CPTS Vignoble Nantais", holds: model.RolePresident, outcome: asDraft,
		daysAgo: 3, at: "22:40", answers: []string{
			"{Président|Présidente} de la CPTS du Vignoble Nantais, je souhaite", "", "", ""}},
	{programme: codeAMG, structure: "CPTS du Saumurois", holds: model.RoleTresorier, outcome: asDraft,
		daysAgo: 2, at: "13:15", answers: []string{
			"{Trésorier|Trésorière} de la CPTS du Saumurois, je veux maîtriser le budget de la CPTS et les indicateurs " +
				"de l'ACI avant notre prochaine revue avec l'Assurance maladie. Je dois encore vérifier que je peux me " +
				"libérer pour les huit journées avant d'envoyer ma candidature.",
			"", "", "2024-03-11"}},
	{programme: codeAMG, structure: "CPTS du Choletais", holds: model.RoleSecretaire, outcome: asDraft,
		daysAgo: 1, at: "21:05"},
}

// The answers of the coordinator diploma's call: career, project, the employer's letter.
var dcsecApplications = []applicationRow{
	{programme: codeDCSEC, profession: model.ProfInfirmier, outcome: asSubmitted, daysAgo: 9, at: "18:30",
		consents: true, answers: []string{
			"{Infirmier diplômé|Infirmière diplômée} en 2008, j'ai exercé dix ans en service de médecine polyvalente puis " +
				"quatre ans en libéral. Depuis 2023, je coordonne à mi-temps ma structure : organisation des réunions, " +
				"suivi des missions de l'accord conventionnel, lien avec les partenaires du territoire. J'ai tout appris " +
				"sur le terrain, sans formation à la coordination ni à la gestion, et je garde une activité de soins " +
				"l'autre moitié du temps.",
			"Je souhaite devenir {coordinateur|coordinatrice} à temps plein et professionnaliser ma pratique : " +
				"construire une stratégie opérationnelle pluriannuelle, sécuriser la gestion financière et préparer " +
				"l'encadrement d'une future équipe salariée. Le diplôme me donnerait une légitimité auprès des élus et des " +
				"partenaires ; le bureau s'est engagé à pérenniser le poste à l'issue de la formation.",
			""}},
	{programme: codeDCSEC, profession: model.ProfDieteticien, outcome: asSubmitted, daysAgo: 8, at: "12:10",
		file: true, consents: true, answers: []string{
			"{Diététicien|Diététicienne} de formation (BTS puis licence professionnelle), j'ai travaillé six ans en " +
				"réseau de santé diabète-obésité, où j'animais déjà des groupes de patients et des réunions " +
				"pluriprofessionnelles. J'ai rejoint ma structure comme {chargé|chargée} de mission prévention, puis j'en suis " +
				"{devenu|devenue} {le coordinateur|la coordinatrice} il y a deux ans, après le départ de la personne qui " +
				"occupait le poste.",
			"La structure grandit : trois salariés, un budget qui a doublé, des partenariats avec la ville et les " +
				"hôpitaux. Je veux acquérir les compétences de gestion financière et de ressources humaines qui me " +
				"manquent, et prendre du recul sur la stratégie. À terme, j'aimerais accompagner d'autres équipes du " +
				"département qui se lancent dans l'exercice coordonné.",
			""}},
	{programme: codeDCSEC, profession: model.ProfKinesitherapeute, outcome: asSubmitted, daysAgo: 6, at: "21:45",
		consents: true, answers: []string{
			"{Masseur-kinésithérapeute libéral|Masseuse-kinésithérapeute libérale} pendant quinze ans, j'ai participé à la " +
				"création de ma structure avant d'en reprendre la coordination en réduisant mon activité au cabinet. Je " +
				"pilote aujourd'hui les groupes de travail sur les soins non programmés et sur le retour à domicile après " +
				"hospitalisation, et je prépare les revues annuelles avec la caisse primaire.",
			"Coordonner est devenu un métier à part entière, que je veux exercer pleinement. Le diplôme m'apporterait " +
				"les outils qui me manquent en communication, en gestion et en conduite du changement, et la " +
				"reconnaissance d'un niveau master auprès des partenaires institutionnels. Je souhaite ensuite consacrer " +
				"l'essentiel de mon temps à la coordination.",
			""}},
	{programme: codeDCSEC, profession: model.ProfManager, outcome: asSubmitted, daysAgo: 4, at: "09:20",
		file: true, consents: true, answers: []string{
			"Après une école de commerce, j'ai été cadre pendant vingt ans dans l'industrie pharmaceutique, " +
				"d'abord au marketing puis à la direction régionale des ventes, avec une équipe de douze personnes. J'ai " +
				"quitté ce secteur en 2024 pour donner un autre sens à mon travail et j'ai été {recruté|recrutée} comme " +
				"{coordinateur|coordinatrice} de la structure l'an dernier.",
			"Je connais la gestion et le management, beaucoup moins l'organisation des soins primaires, ses acteurs, " +
				"ses financements et sa culture. Le diplôme me permettrait d'acquérir ces connaissances et de les " +
				"faire reconnaître, pour être {un interlocuteur|une interlocutrice} crédible auprès des professionnels de " +
				"santé comme de l'ARS. Mon employeur soutient ma candidature et aménagera mon temps de travail.",
			""}},
	{programme: codeDCSEC, profession: model.ProfHorsSante, outcome: asSubmitted, daysAgo: 2, at: "16:05",
		consents: true, answers: []string{
			"Titulaire d'un master de développement local, j'ai travaillé huit ans dans une communauté de communes " +
				"comme {chargé|chargée} de mission santé et cohésion sociale : contrat local de santé, accès aux droits, " +
				"installation de jeunes médecins. C'est à ce titre que j'ai accompagné la naissance de la structure " +
				"que je coordonne aujourd'hui.",
			"Je viens du monde des collectivités, pas de celui du soin. Le diplôme me donnerait une compréhension " +
				"solide de l'exercice coordonné et des compétences reconnues en pilotage, en stratégie et en gestion des " +
				"ressources humaines, pour faire de la coordination mon métier durable et rester dans la région.",
			""}},
	{programme: codeDCSEC, profession: model.ProfInfirmier, outcome: asDraft, daysAgo: 1, at: "23:10",
		answers: []string{
			"{Infirmier|Infirmière} de santé publique, j'ai coordonné un centre de vaccination puis rejoint ma " +
				"structure comme {coordinateur|coordinatrice} en 2025.",
			"", ""}},
}

// gendered turns "{masculine|feminine}" into the form that fits the person.
var gendered = regexp.MustCompile(`\{([^|{}]*)\|([^|{}]*)\}`)

func forPerson(text string, p *model.Person) string {
	if p.Civility == model.CivilityMme {
		return gendered.ReplaceAllString(text, "$2")
	}
	return gendered.ReplaceAllString(text, "$1")
}

// applicant is a demo applicant: their person, account and the structure where they were found.
type applicant struct {
	person    *model.Person
	structure *model.Structure
	account   model.Account
}

// applications makes the demo applications through the candidate's own code path, at their
// dates: the clock is set to each one's moment before it is made.
func (sd *seeder) applications(ctx context.Context, sum *Summary) error {
	used := map[string]bool{}
	if p, ok := sd.byEmail["candidat@"+EmailDomain]; ok {
		used[p.ID] = true // the demo candidate's journey is the visitor's to try
	}
	type event struct {
		at       time.Time
		row      *applicationRow
		withdraw bool
		who      *applicant
		app      *model.Application
	}
	var events []*event
	byRow := map[*applicationRow]*event{}
	first, err := sd.firstSessionRows()
	if err != nil {
		return err
	}
	for _, rows := range [][]applicationRow{amgApplications, dcsecApplications, first} {
		for i := range rows {
			r := &rows[i]
			view := sd.calls[r.programme]
			at, err := sd.localAt(view.Cohort.RegionCode, -r.daysAgo, r.at)
			if err != nil {
				return fmt.Errorf("demo: application to %s: %w", r.programme, err)
			}
			who, err := sd.applicant(r, view.Cohort.RegionCode, used)
			if err != nil {
				return err
			}
			e := &event{at: at, row: r, who: who}
			events, byRow[r] = append(events, e), e
			if r.outcome == asWithdrawn {
				out, err := sd.localAt(view.Cohort.RegionCode, -r.withdrawn, "18:20")
				if err != nil {
					return err
				}
				events = append(events, &event{at: out, row: r, withdraw: true, who: who})
			}
		}
	}
	slices.SortStableFunc(events, func(a, b *event) int { return a.at.Compare(b.at) })

	for _, e := range events {
		r, view := e.row, sd.calls[e.row.programme]
		actor := directory.Actor{Principal: &policy.Principal{AccountID: e.who.account.ID, Email: e.who.account.Email,
			DisplayName: e.who.account.DisplayName, PersonID: e.who.person.ID}, IP: "192.0.2.1", Via: "web"}
		if e.withdraw {
			sd.clock.Set(e.at)
			a := byRow[r].app
			if err := apply.Withdraw(ctx, sd.tx, actor, view, *a); err != nil {
				return fmt.Errorf("demo: %s withdraws from %s: %w", e.who.person.Email, r.programme, err)
			}
			continue
		}
		// They sign up a little before applying.
		sd.clock.Set(e.at.Add(-25 * time.Minute))
		if err := sd.applicantAccount(ctx, e.who); err != nil {
			return err
		}
		sd.clock.Set(e.at.Add(-10 * time.Minute))
		a, err := apply.Start(ctx, sd.tx, e.who.account, view)
		if err != nil {
			return fmt.Errorf("demo: %s starts an application to %s: %w", e.who.person.Email, r.programme, err)
		}
		sd.clock.Set(e.at)
		d := sd.draftOf(r, e.who)
		submit := r.outcome != asDraft
		errs, out, err := apply.Save(ctx, sd.tx, actor, sd.mailing, view, &a, d, submit)
		if err != nil {
			return fmt.Errorf("demo: %s applies to %s: %w", e.who.person.Email, r.programme, err)
		}
		switch {
		case r.outcome == asRefused:
			if out.Submitted || a.Eligible || len(errs) != 1 || errs.For("eligibility") == "" {
				return fmt.Errorf("demo: %s applies to %s: want a refusal for eligibility only, got %v", e.who.person.Email,
					r.programme, errs)
			}
		case errs.Any():
			return fmt.Errorf("demo: %s applies to %s: %v", e.who.person.Email, r.programme, errs)
		case submit && !out.Submitted:
			return fmt.Errorf("demo: %s applies to %s: not submitted", e.who.person.Email, r.programme)
		}
		e.app = &a
		sum.Applications++
	}
	sd.clock.Set(sd.seedNow)
	return nil
}

// applicant finds the row's applicant in the directory.
func (sd *seeder) applicant(r *applicationRow, region string, used map[string]bool) (*applicant, error) {
	if r.profession != "" {
		for _, st := range sd.order {
			if st.RegionCode != region || !st.Kind.IsCare() {
				continue
			}
			for _, tm := range sd.team[st.ID] {
				if tm.role == model.RoleCoordinateur && tm.person.Profession == r.profession && !used[tm.person.ID] {
					used[tm.person.ID] = true
					return &applicant{person: tm.person, structure: st}, nil
				}
			}
		}
		return nil, fmt.Errorf("demo: no coordinator %s left in région %s", r.profession, region)
	}
	st, ok := sd.byName[r.structure]
	if !ok {
		return nil, fmt.Errorf("demo: application to %s: no structure %q", r.programme, r.structure)
	}
	for _, tm := range sd.team[st.ID] {
		if (tm.role == r.holds || r.anyBoard && tm.role.IsGovernance()) && !used[tm.person.ID] {
			used[tm.person.ID] = true
			r.holds = tm.role
			return &applicant{person: tm.person, structure: st}, nil
		}
	}
	return nil, fmt.Errorf("demo: application to %s: nobody left who is %s of %s", r.programme, r.holds, r.structure)
}

// applicantAccount gives an applicant the account a sign-up makes: a candidate, with their
// e-mail verified and linked to their person.
func (sd *seeder) applicantAccount(ctx context.Context, who *applicant) error {
	if who.account.ID != "" {
		return nil
	}
	p := who.person
	acc := model.Account{Email: p.Email, DisplayName: p.FirstName + " " + p.LastName, PasswordHash: sd.applicantHash,
		PersonID: p.ID, EmailVerifiedAt: sd.clock.Now().Add(4 * time.Minute)}
	if err := sd.tx.CreateAccount(ctx, &acc); err != nil {
		return fmt.Errorf("demo: create account %s: %w", acc.Email, err)
	}
	if err := sd.tx.Grant(ctx, &model.Grant{AccountID: acc.ID, Role: model.RoleCandidate}); err != nil {
		return fmt.Errorf("demo: grant candidate to %s: %w", acc.Email, err)
	}
	who.account = acc
	return nil
}

// draftOf is what the applicant types in the form.
func (sd *seeder) draftOf(r *applicationRow, who *applicant) apply.Draft {
	p := who.person
	d := apply.Draft{Profession: p.Profession, Answers: map[string]string{}, Files: map[string]apply.Upload{},
		ConsentProcessing: r.consents, ConsentRetention: r.consents}
	if r.declared != nil {
		d.DeclaredName, d.DeclaredKind = r.declared.name, r.declared.kind
		d.DeclaredDepartement, d.DeclaredCommune = r.declared.departement, r.declared.commune
	} else {
		d.StructureID = who.structure.ID
	}
	d.Role = cmp.Or(r.declares, r.holds)
	if r.profession != "" {
		d.Role = model.RoleCoordinateur
	}
	for i, q := range sd.questions[r.programme] {
		if q.Kind == model.QuestionFile {
			if r.file {
				d.Files[q.ID] = sd.documentFor(r, q, who)
			}
			continue
		}
		if i < len(r.answers) && r.answers[i] != "" {
			d.Answers[q.ID] = forPerson(r.answers[i], p)
		}
	}
	return d
}

// documentFor is the PDF an applicant attaches: a CV, or their employer's letter.
func (sd *seeder) documentFor(r *applicationRow, q model.Question, who *applicant) apply.Upload {
	p, st := who.person, who.structure
	if r.declared != nil {
		st = &model.Structure{Name: r.declared.name}
	}
	if r.programme == codeDCSEC {
		return apply.Upload{Name: "lettre-employeur-" + model.Slug(p.LastName) + ".pdf", Data: letterPDF(p, st)}
	}
	return apply.Upload{Name: "CV " + p.FirstName + " " + p.LastName + ".pdf", Data: cvPDF(p, st, cmp.Or(r.declares, r.holds))}
}
