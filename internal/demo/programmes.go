package demo

import (
	"cmp"
	"context"
	"fmt"
	"time"

	"parcours/internal/localtime"
	"parcours/internal/model"
	"parcours/internal/storage"
	"parcours/internal/territory"
	"parcours/internal/validator"
)

// The two programmes of the brief, as their managers would have typed them. A call's dates
// are days before or after the moment Seed runs, at an hour of the région's local time.

// programmeDef is a programme with everything around it: its modules and blocks, the
// régions' statuses, its sessions (a cohort and its call each).
type programmeDef struct {
	programme   model.Programme // carrier and partners are named below
	carrier     string
	partners    []string
	modules     []model.Module
	blocks      []model.Block
	deployments []model.Deployment
	sessions    []sessionDef // in the order they were opened; the last one's call is open
}

// sessionDef is a cohort and its call. The seeder finds it by key: the programme's code for
// the last (open) session, key for an earlier one.
type sessionDef struct {
	key    string
	cohort model.Cohort
	call   callDef
}

// callDef is a call whose instants follow the day Seed runs: it opens opensDaysAgo days
// before at opensAt, and closes closesInDays days after (before, when negative) at closesAt,
// local time.
type callDef struct {
	opensDaysAgo, closesInDays int
	opensAt, closesAt          string // "15:04", the région's local time
	call                       model.Call
	questions                  []model.Question
}

const (
	codeAMG   = "AMG"
	codeDCSEC = "DCSEC"
	// keyAMGFirst is the first AMG session in Pays de la Loire: closed, reviewed, composed.
	keyAMGFirst = "AMG-1"
)

var programmeDefs = []programmeDef{
	{
		programme: model.Programme{
			Code:  codeAMG,
			Title: "Accompagnement des membres de la gouvernance des CPTS",
			Description: "Six mois pour outiller les élus des CPTS — membres du bureau et du conseil d'administration — " +
				"dans leur rôle : porter le projet de santé, animer les instances, comprendre les financements et l'accord " +
				"conventionnel interprofessionnel, nouer les partenariats du territoire, piloter et évaluer les missions.\n\n" +
				"Huit journées en présentiel, entre pairs, avec des intervenants de l'EHESP et des élus de CPTS déjà en " +
				"fonctionnement. Construit par l'EHESP avec l'ARS Pays de la Loire, qui le déploie la première ; d'autres " +
				"régions suivront.",
			AudienceGovernance: true,
			TargetKinds:        []model.StructureKind{model.KindCPTS},
			DurationMonths:     6,
			Days:               8,
			Certification:      model.CertificationNone,
			Accessibility: "Formation accessible aux personnes en situation de handicap : salles de plain-pied ou " +
				"desservies par ascenseur, supports transmis à l'avance et adaptables (gros caractères, format numérique). " +
				"Signalez vos besoins au référent handicap dès votre candidature : nous organisons les aménagements avec vous.",
			ContactName:  "Yann Le Bihan, EHESP",
			ContactEmail: "yann.le-bihan@" + EmailDomain,
			ContactPhone: "06 39 98 99 01",
		},
		carrier:  nameEHESP,
		partners: []string{nameARSPdL},
		modules: []model.Module{
			{Title: "Le projet de santé et la gouvernance", Hours: 14,
				Themes: "Missions des CPTS ; projet de santé ; statuts, bureau, conseil d'administration et assemblée générale ; rôles des élus et du coordinateur."},
			{Title: "Animer un conseil d'administration", Hours: 7,
				Themes: "Préparer un ordre du jour ; conduire une réunion ; décider collectivement ; gérer les désaccords ; mobiliser les adhérents."},
			{Title: "Financements et ACI", Hours: 14,
				Themes: "Accord conventionnel interprofessionnel et ses indicateurs ; budget ; fonds d'intervention régional ; responsabilités du trésorier."},
			{Title: "Partenariats et territoire", Hours: 7,
				Themes: "Établissements de santé et médico-sociaux, collectivités, DAC, MSP et ESP du territoire ; conventions ; communication."},
			{Title: "Piloter et évaluer", Hours: 14,
				Themes: "Tableaux de bord ; évaluation des missions ; rapport d'activité ; dialogue avec l'Assurance maladie et l'ARS."},
		},
		deployments: []model.Deployment{
			{RegionCode: "52", Status: model.DeploymentLaunched, Since: "2026-09-01"},
			{RegionCode: "53", Status: model.DeploymentObserving, Since: "2026-10-05"},
			{RegionCode: "28", Status: model.DeploymentObserving, Since: "2026-10-19"},
			{RegionCode: "24", Status: model.DeploymentNotStarted},
			{RegionCode: "75", Status: model.DeploymentNotStarted},
			{RegionCode: "93", Status: model.DeploymentNotStarted},
		},
		sessions: amgSessions(),
	},
	{
		programme: model.Programme{
			Code:  codeDCSEC,
			Title: "Diplôme de coordinateur de structure d'exercice coordonné",
			Description: "Un diplôme de niveau 7 (master) pour les coordinateurs de CPTS, de maisons et de centres de " +
				"santé et d'équipes de soins primaires : piloter la structure et ses partenariats, construire et " +
				"appliquer sa stratégie opérationnelle, gérer ses finances et ses ressources humaines, développer les " +
				"partenariats, communiquer en interne et en externe.\n\n" +
				"Seize mois, trente-neuf journées, en alternance avec le poste occupé. Construit par l'URPS médecins " +
				"libéraux PACA avec l'Institut méditerranéen de formation en santé ; l'enregistrement au RNCP est en " +
				"cours, et c'est pourquoi les candidats doivent pour l'instant déjà être rattachés à une structure.",
			AudienceCoordinator: true,
			TargetKinds:         []model.StructureKind{model.KindCPTS, model.KindMSP, model.KindCDS, model.KindESP},
			DurationMonths:      16,
			Days:                39,
			Certification:       model.CertificationRNCP,
			RNCPLevel:           7,
			RNCPCode:            "", // enregistrement en cours: no number yet
			Accessibility: "Locaux accessibles aux personnes à mobilité réduite ; classes virtuelles sous-titrées ; " +
				"aménagement des épreuves (tiers temps, supports adaptés) sur demande. Notre référente handicap étudie " +
				"chaque situation avec vous avant l'entrée en formation.",
			ContactName:  "Sophie Castellan, Institut méditerranéen de formation en santé",
			ContactEmail: "sophie.castellan@" + EmailDomain,
			ContactPhone: "06 39 98 99 02",
		},
		carrier:  nameIMFS,
		partners: []string{nameURPS},
		modules: []model.Module{
			{Title: "Piloter l'organisation et ses partenariats", Hours: 63,
				Themes: "Gouvernance et instances ; rôle du coordinateur auprès des élus ; conduite de projet ; pilotage des partenariats existants."},
			{Title: "Construire et appliquer la stratégie opérationnelle", Hours: 56,
				Themes: "Diagnostic territorial ; projet de santé ; feuille de route pluriannuelle ; indicateurs et évaluation."},
			{Title: "Gestion financière et des ressources humaines", Hours: 63,
				Themes: "Budget, ACI et financements publics ; comptabilité associative ; recrutement, contrats, management d'équipe."},
			{Title: "Développer les partenariats", Hours: 49,
				Themes: "Cartographie des acteurs ; établissements, médico-social, collectivités ; conventions ; négociation."},
			{Title: "Communication interne et externe", Hours: 42,
				Themes: "Information des adhérents ; animation de réseau ; communication auprès des usagers, des partenaires et des financeurs."},
		},
		blocks: []model.Block{
			{Code: "BC01", Title: "Piloter une structure d'exercice coordonné et ses partenariats"},
			{Code: "BC02", Title: "Élaborer et mettre en œuvre la stratégie opérationnelle de la structure"},
			{Code: "BC03", Title: "Assurer la gestion financière et la gestion des ressources humaines de la structure"},
			{Code: "BC04", Title: "Développer et animer les partenariats du territoire"},
			{Code: "BC05", Title: "Concevoir et conduire la communication interne et externe de la structure"},
		},
		deployments: []model.Deployment{
			{RegionCode: "93", Status: model.DeploymentLaunched, Since: "2026-06-15"},
		},
		sessions: []sessionDef{{
			cohort: model.Cohort{RegionCode: "93", Label: "Promotion 2027 — Provence-Alpes-Côte d'Azur", Capacity: 15,
				OrgCap: 2, OrgMax: 3, StartsOn: "2027-02-01", EndsOn: "2028-05-31",
				Places: "Marseille (Institut méditerranéen de formation en santé) ; classes virtuelles"},
			call: callDef{
				opensDaysAgo: 10, opensAt: "09:00", closesInDays: 25, closesAt: "12:00",
				call: model.Call{
					Published:      true,
					Kinds:          []model.StructureKind{model.KindCPTS, model.KindMSP, model.KindCDS, model.KindESP},
					RegionCode:     "93",
					Role:           model.RequireAnyRole,
					MustBeAttached: true,
					Intro: "La première promotion du diplôme de coordinateur de structure d'exercice coordonné ouvre en " +
						"février 2027 à Marseille : 15 places, deux personnes au plus par structure tant que les candidatures " +
						"le permettent, trois au maximum.\n\n" +
						"Infirmiers, diététiciens, kinésithérapeutes, anciens cadres, personnes venues d'autres secteurs : " +
						"le diplôme s'adresse à celles et ceux qui coordonnent ou vont coordonner une CPTS, une maison ou un " +
						"centre de santé, une équipe de soins primaires de la région. Tant que le diplôme n'est pas enregistré " +
						"au RNCP, il faut déjà être rattaché à l'une de ces structures. Un comité réunissant les formateurs " +
						"de l'institut et des élus de l'URPS examine les candidatures.",
					ConsentProcessing: "J'accepte que l'Institut méditerranéen de formation en santé et l'URPS médecins " +
						"libéraux PACA traitent les informations de ma candidature pour l'examiner en comité et organiser " +
						"la formation.",
					ConsentRetention: "J'ai compris que, si je ne suis pas retenu·e, ma candidature sera supprimée trois mois " +
						"après la composition de la promotion, sauf si j'accepte qu'elle soit conservée deux ans au plus.",
				},
				questions: []model.Question{
					{Kind: model.QuestionLongText, Label: "Votre parcours professionnel", Required: true, MinLength: 200, MaxLength: 3000,
						Help: "Vos formations, vos postes, ce que vous faites aujourd'hui dans votre structure."},
					{Kind: model.QuestionLongText, Label: "Votre projet professionnel", Required: true, MinLength: 200, MaxLength: 3000,
						Help: "Ce que le diplôme changera pour vous et pour votre structure."},
					{Kind: model.QuestionFile, Label: "Lettre de soutien de l'employeur",
						Help: "Facultative."},
				},
			},
		}},
	},
}

// amgSessions are AMG's two sessions in Pays de la Loire: the first, whose committee has
// reviewed the applications and whose offers are out, starts in February; the session is
// repeated in September for the CPTS that could not send anyone, and its call is open.
func amgSessions() []sessionDef {
	first := sessionDef{
		key: keyAMGFirst,
		cohort: model.Cohort{RegionCode: "52", Label: "Promotion 2027 — Pays de la Loire", Capacity: 15, OrgCap: 1,
			StartsOn: "2027-02-04", EndsOn: "2027-07-01", Places: "Nantes, Angers"},
		call: callDef{
			opensDaysAgo: 80, opensAt: "09:00", closesInDays: -45, closesAt: "17:00",
			call: model.Call{
				Published:      true,
				Kinds:          []model.StructureKind{model.KindCPTS},
				RegionCode:     "52",
				Role:           model.RequireGovernance,
				MustBeAttached: true,
				Intro: "La CPTS que vous faites vivre a besoin d'élus à l'aise avec son projet de santé, ses financements " +
					"et l'animation de ses instances. L'EHESP et l'ARS Pays de la Loire ouvrent une première promotion de " +
					"15 places, une par CPTS de la région ; si moins de 15 CPTS candidatent, une CPTS pourra envoyer plus " +
					"d'une personne.\n\n" +
					"Peuvent candidater les membres du bureau ou du conseil d'administration d'une CPTS des Pays de la Loire " +
					"— président, vice-président, trésorier, secrétaire, membre du bureau ou du conseil d'administration — " +
					"y compris d'une CPTS en cours de création. Les huit journées ont lieu à Nantes et à Angers, de février " +
					"à juillet 2027 ; la formation et les déplacements sont pris en charge par l'ARS.",
				ConsentProcessing: "J'accepte que l'EHESP et l'ARS Pays de la Loire traitent les informations de ma " +
					"candidature pour l'examiner, composer la promotion et organiser la formation.",
				ConsentRetention: "J'ai compris que, si je ne suis pas retenu·e, ma candidature sera supprimée trois mois " +
					"après la composition de la promotion, sauf si j'accepte qu'elle soit conservée deux ans au plus pour " +
					"une session suivante.",
			},
			questions: []model.Question{
				{Kind: model.QuestionLongText, Label: "Vos motivations", Required: true, MinLength: 100, MaxLength: 2000,
					Help: "Ce que vous attendez de l'accompagnement, pour vous et pour votre CPTS."},
				{Kind: model.QuestionYesNo, Label: "Votre disponibilité pour les 8 journées", Required: true,
					Help: "Pouvez-vous être présent·e aux huit journées, à Nantes et à Angers, de février à juillet 2027 ?"},
				{Kind: model.QuestionFile, Label: "Votre CV",
					Help: "Facultatif."},
				{Kind: model.QuestionDate, Label: "Depuis quand êtes-vous membre du bureau ?",
					Help: "Facultatif : la date de votre élection, si vous êtes au bureau."},
			},
		},
	}
	second := first
	second.key = ""
	second.cohort.Label, second.cohort.StartsOn, second.cohort.EndsOn = "Promotion 2027-2028 — Pays de la Loire", "2027-09-16", "2028-02-24"
	second.call.opensDaysAgo, second.call.closesInDays = 20, 12
	second.call.call.Intro = "La première promotion, composée cet automne, commence en février. L'EHESP et l'ARS Pays de la " +
		"Loire ouvrent une deuxième promotion de 15 places, une par CPTS de la région ; si moins de 15 CPTS candidatent, " +
		"une CPTS pourra envoyer plus d'une personne. Les élus déjà retenus pour la première promotion n'ont pas à " +
		"candidater de nouveau.\n\n" +
		"Peuvent candidater les membres du bureau ou du conseil d'administration d'une CPTS des Pays de la Loire " +
		"— président, vice-président, trésorier, secrétaire, membre du bureau ou du conseil d'administration — " +
		"y compris d'une CPTS en cours de création. Les huit journées ont lieu à Nantes et à Angers, de septembre " +
		"2027 à février 2028 ; la formation et les déplacements sont pris en charge par l'ARS."
	second.call.questions = append([]model.Question(nil), first.call.questions...)
	second.call.questions[1].Help = "Pouvez-vous être présent·e aux huit journées, à Nantes et à Angers, de septembre 2027 à février 2028 ?"
	return []sessionDef{first, second}
}

// programmes writes the programmes, their cohorts and their calls, each checked by the
// validators the managers' forms use, so that every page can edit them.
func (sd *seeder) programmes(ctx context.Context, sum *Summary) error {
	sd.calls = map[string]storage.CallView{}
	sd.questions = map[string][]model.Question{}
	for _, def := range programmeDefs {
		p := def.programme
		carrier, ok := sd.byName[def.carrier]
		if !ok {
			return fmt.Errorf("demo: programme %s: no carrier %q", p.Code, def.carrier)
		}
		p.CarrierID = carrier.ID
		for _, name := range def.partners {
			st, ok := sd.byName[name]
			if !ok {
				return fmt.Errorf("demo: programme %s: no partner %q", p.Code, name)
			}
			p.PartnerIDs = append(p.PartnerIDs, st.ID)
		}
		// The programme was set up a fortnight before its first call opened.
		first := def.sessions[0]
		opens, err := sd.localAt(first.cohort.RegionCode, -first.call.opensDaysAgo, first.call.opensAt)
		if err != nil {
			return fmt.Errorf("demo: call of %s: %w", first.cohort.Label, err)
		}
		sd.clock.Set(opens.Add(-14 * 24 * time.Hour))
		if errs := validator.Programme(&p); errs.Any() {
			return fmt.Errorf("demo: programme %s: %v", p.Code, errs)
		}
		if err := sd.tx.CreateProgramme(ctx, &p); err != nil {
			return fmt.Errorf("demo: programme %s: %w", p.Code, err)
		}
		modules := append([]model.Module(nil), def.modules...)
		for i := range modules {
			if errs := validator.Module(&modules[i], ""); errs.Any() {
				return fmt.Errorf("demo: %s module %d: %v", p.Code, i+1, errs)
			}
		}
		if err := sd.tx.SaveModules(ctx, p.ID, modules); err != nil {
			return fmt.Errorf("demo: %s modules: %w", p.Code, err)
		}
		blocks := append([]model.Block(nil), def.blocks...)
		for i := range blocks {
			if errs := validator.Block(&blocks[i], ""); errs.Any() {
				return fmt.Errorf("demo: %s block %d: %v", p.Code, i+1, errs)
			}
		}
		if err := sd.tx.SaveBlocks(ctx, p.ID, blocks); err != nil {
			return fmt.Errorf("demo: %s blocks: %w", p.Code, err)
		}
		for _, d := range def.deployments {
			d.ProgrammeID = p.ID
			if errs := validator.Deployment(&d, ""); errs.Any() {
				return fmt.Errorf("demo: %s deployment in %s: %v", p.Code, d.RegionCode, errs)
			}
			if err := sd.tx.SetDeployment(ctx, d); err != nil {
				return fmt.Errorf("demo: %s deployment in %s: %w", p.Code, d.RegionCode, err)
			}
		}

		for _, session := range def.sessions {
			if err := sd.session(ctx, p, session); err != nil {
				return err
			}
			sum.Calls++
		}
		sum.Programmes++
	}
	return nil
}

// session writes a cohort of programme p and its call with its questions.
func (sd *seeder) session(ctx context.Context, p model.Programme, def sessionDef) error {
	key := cmp.Or(def.key, p.Code)
	opens, err := sd.localAt(def.cohort.RegionCode, -def.call.opensDaysAgo, def.call.opensAt)
	if err != nil {
		return fmt.Errorf("demo: call of %s: %w", def.cohort.Label, err)
	}
	// The cohort was set up a fortnight before its call opened.
	sd.clock.Set(opens.Add(-14 * 24 * time.Hour))
	co := def.cohort
	co.ProgrammeID = p.ID
	if errs := validator.Cohort(&co); errs.Any() {
		return fmt.Errorf("demo: cohort %s: %v", co.Label, errs)
	}
	if err := sd.tx.CreateCohort(ctx, &co); err != nil {
		return fmt.Errorf("demo: cohort %s: %w", co.Label, err)
	}

	c := def.call.call
	c.CohortID, c.OpensAt = co.ID, opens
	if c.ClosesAt, err = sd.localAt(co.RegionCode, def.call.closesInDays, def.call.closesAt); err != nil {
		return fmt.Errorf("demo: call of %s: %w", co.Label, err)
	}
	if errs := validator.Call(&c); errs.Any() {
		return fmt.Errorf("demo: call of %s: %v", co.Label, errs)
	}
	// A manager opens the call a little before it opens.
	sd.clock.Set(c.OpensAt.Add(-3 * 24 * time.Hour))
	if err := sd.tx.CreateCall(ctx, &c); err != nil {
		return fmt.Errorf("demo: call of %s: %w", co.Label, err)
	}
	for _, q := range def.call.questions {
		q.CallID = c.ID
		if errs := validator.Question(&q); errs.Any() {
			return fmt.Errorf("demo: call of %s, question %q: %v", co.Label, q.Label, errs)
		}
		if err := sd.tx.AddQuestion(ctx, &q); err != nil {
			return fmt.Errorf("demo: call of %s, question %q: %w", co.Label, q.Label, err)
		}
		sd.questions[key] = append(sd.questions[key], q)
	}
	sd.clock.Set(sd.seedNow)
	view, err := sd.tx.CallView(ctx, c.ID)
	if err != nil {
		return fmt.Errorf("demo: call of %s: %w", co.Label, err)
	}
	sd.calls[key] = view
	return nil
}

// localAt is the instant the clock of the région shows hh:mm, days after (or before, when
// negative) the day on which Seed runs there.
func (sd *seeder) localAt(region string, days int, hhmm string) (time.Time, error) {
	r, ok := territory.RegionByCode(region)
	if !ok {
		return time.Time{}, fmt.Errorf("unknown région %q", region)
	}
	loc := r.Location()
	var hour, min int
	if _, err := fmt.Sscanf(hhmm, "%d:%d", &hour, &min); err != nil {
		return time.Time{}, fmt.Errorf("hour %q: %w", hhmm, err)
	}
	day := sd.seedNow.In(loc)
	day = time.Date(day.Year(), day.Month(), day.Day()+days, 12, 0, 0, 0, loc) // noon: never in a gap
	return localtime.Instant(day.Year(), day.Month(), day.Day(), hour, min, loc)
}
