package demo

import "parcours/internal/model"

// The tables below are the demo's whole content. Territories, communes and postcodes are real
// so that maps and searches behave; the structures, people and identifiers are invented.

// cptsRow is one CPTS: its territory, its commune (with that commune's real postcode), its
// population band and how far its project has gone.
type cptsRow struct {
	name, dep, commune, postcode string
	band                         model.SizeBand
	stage                        model.Stage
}

const (
	t1 = model.SizeT1
	t2 = model.SizeT2
	t3 = model.SizeT3
	t4 = model.SizeT4

	emergence = model.StageEmergence
	lettre    = model.StageLettreIntention
	projet    = model.StageProjetSante
	aci       = model.StageACISigne
	active    = model.StageActive
)

// Pays de la Loire: 28 CPTS covering the région, most of them running.
var cptsPaysDeLaLoire = []cptsRow{
	{"CPTS du Pays de Retz", "44", "Machecoul-Saint-Même", "44270", t3, active},
	{"CPTS Loire et Sillon", "44", "Savenay", "44260", t2, active},
	{"CPTS Presqu'île Guérandaise", "44", "Guérande", "44350", t2, active},
	{"CPTS Estuaire et Brière", "44", "Saint-Nazaire", "44600", t3, active},
	{"CPTS Nantes Nord", "44", "Nantes", "44300", t3, active},
	{"CPTS Sud-Ouest Nantais", "44", "Rezé", "44400", t3, active},
	{"CPTS Erdre et Gesvres", "44", "Nort-sur-Erdre", "44390", t2, aci},
	{"CPTS du Pays de Châteaubriant", "44", "Châteaubriant", "44110", t2, aci},
	{"CPTS Vignoble Nantais", "44", "Clisson", "44190", t3, active},

	{"CPTS Haut-Anjou", "49", "Segré-en-Anjou Bleu", "49500", t2, aci},
	{"CPTS Angers Centre", "49", "Angers", "49100", t4, active},
	{"CPTS du Choletais", "49", "Cholet", "49300", t3, active},
	{"CPTS du Saumurois", "49", "Saumur", "49400", t3, aci},
	{"CPTS Loire Layon Aubance", "49", "Chalonnes-sur-Loire", "49290", t2, projet},
	{"CPTS Baugeois Vallée", "49", "Baugé-en-Anjou", "49150", t1, lettre},

	{"CPTS Nord Mayenne", "53", "Mayenne", "53100", t2, aci},
	{"CPTS Laval Agglomération", "53", "Laval", "53000", t3, active},
	{"CPTS Sud Mayenne", "53", "Château-Gontier-sur-Mayenne", "53200", t2, projet},

	{"CPTS Le Mans Métropole", "72", "Le Mans", "72000", t4, active},
	{"CPTS Vallée du Loir", "72", "La Flèche", "72200", t2, projet},
	{"CPTS du Perche Sarthois", "72", "La Ferté-Bernard", "72400", t1, emergence},
	{"CPTS Haute-Sarthe Alpes Mancelles", "72", "Mamers", "72600", t1, lettre},

	{"CPTS Sud Vendée Littoral", "85", "Luçon", "85400", t2, active},
	{"CPTS Centre Vendée", "85", "La Roche-sur-Yon", "85000", t3, active},
	{"CPTS du Pays des Herbiers", "85", "Les Herbiers", "85500", t2, active},
	{"CPTS Marais Breton", "85", "Challans", "85300", t2, aci},
	{"CPTS Côte de Lumière", "85", "Les Sables-d'Olonne", "85100", t2, aci},
	{"CPTS du Pays de Fontenay-Vendée", "85", "Fontenay-le-Comte", "85200", t1, projet},
}

// Provence-Alpes-Côte d'Azur: 30 CPTS, many still projects that the URPS accompanies.
var cptsPACA = []cptsRow{
	{"CPTS Haute-Provence Durance", "04", "Manosque", "04100", t2, aci},
	{"CPTS du Pays Dignois", "04", "Digne-les-Bains", "04000", t1, lettre},
	{"CPTS Vallée de l'Ubaye", "04", "Barcelonnette", "04400", t1, emergence},

	{"CPTS du Gapençais", "05", "Gap", "05000", t2, active},
	{"CPTS du Briançonnais", "05", "Briançon", "05100", t1, projet},
	{"CPTS Buëch Durance", "05", "Laragne-Montéglin", "05300", t1, emergence},

	{"CPTS Nice Est", "06", "Nice", "06300", t3, active},
	{"CPTS Nice Ouest Var", "06", "Nice", "06200", t3, lettre},
	{"CPTS du Pays de Grasse", "06", "Grasse", "06130", t3, projet},
	{"CPTS Antibes Sophia", "06", "Antibes", "06600", t3, aci},
	{"CPTS Riviera Menton", "06", "Menton", "06500", t2, emergence},
	{"CPTS Cannes Lérins", "06", "Cannes", "06400", t3, projet},

	{"CPTS Marseille Centre", "13", "Marseille", "13001", t3, aci},
	{"CPTS Marseille Nord", "13", "Marseille", "13015", t3, lettre},
	{"CPTS Marseille Est Huveaune", "13", "Marseille", "13011", t3, projet},
	{"CPTS du Pays d'Aix", "13", "Aix-en-Provence", "13100", t4, active},
	{"CPTS du Pays d'Arles", "13", "Arles", "13200", t2, active},
	{"CPTS Étang de Berre", "13", "Martigues", "13500", t3, aci},
	{"CPTS du Pays Salonais", "13", "Salon-de-Provence", "13300", t3, projet},
	{"CPTS Aubagne et l'Étoile", "13", "Aubagne", "13400", t3, lettre},
	{"CPTS Istres Ouest Provence", "13", "Istres", "13800", t2, emergence},

	{"CPTS Toulon Centre", "83", "Toulon", "83000", t3, active},
	{"CPTS Ouest Var", "83", "La Seyne-sur-Mer", "83500", t3, projet},
	{"CPTS Golfe de Saint-Tropez", "83", "Saint-Tropez", "83990", t2, emergence},
	{"CPTS de la Dracénie", "83", "Draguignan", "83300", t3, aci},
	{"CPTS Cœur du Var", "83", "Le Luc", "83340", t2, emergence},
	{"CPTS Provence Verte", "83", "Brignoles", "83170", t2, lettre},

	{"CPTS du Grand Avignon", "84", "Avignon", "84000", t4, active},
	{"CPTS du Pays de Carpentras", "84", "Carpentras", "84200", t2, projet},
	{"CPTS Sud Luberon", "84", "Pertuis", "84120", t2, lettre},
}

// orgRow is any other structure: an MSP, a centre de santé, an ESP or a partner organisation.
type orgRow struct {
	kind                         model.StructureKind
	name, dep, commune, postcode string
}

var otherStructures = []orgRow{
	// Pays de la Loire
	{model.KindMSP, "MSP de Machecoul", "44", "Machecoul-Saint-Même", "44270"},
	{model.KindMSP, "MSP des Coteaux du Vignoble", "44", "Vallet", "44330"},
	{model.KindMSP, "MSP du Segréen", "49", "Segré-en-Anjou Bleu", "49500"},
	{model.KindMSP, "MSP de Doué-en-Anjou", "49", "Doué-en-Anjou", "49700"},
	{model.KindMSP, "MSP des Coëvrons", "53", "Évron", "53600"},
	{model.KindMSP, "MSP de Sablé-sur-Sarthe", "72", "Sablé-sur-Sarthe", "72300"},
	{model.KindMSP, "MSP Terres de Montaigu", "85", "Montaigu-Vendée", "85600"},
	{model.KindMSP, "MSP de l'Île d'Yeu", "85", "L'Île-d'Yeu", "85350"},
	{model.KindCDS, "Centre de santé municipal de Saint-Herblain", "44", "Saint-Herblain", "44800"},
	{model.KindCDS, "Centre de santé infirmier d'Angers", "49", "Angers", "49000"},
	{model.KindCDS, "Centre de santé des Sablons", "72", "Le Mans", "72100"},
	{model.KindCDS, "Centre de santé yonnais", "85", "La Roche-sur-Yon", "85000"},
	{model.KindESP, "ESP du Pays de Craon", "53", "Craon", "53400"},
	{model.KindESP, "ESP Loire Divatte", "44", "Divatte-sur-Loire", "44450"},

	// Provence-Alpes-Côte d'Azur
	{model.KindMSP, "MSP du Sisteronais", "04", "Sisteron", "04200"},
	{model.KindMSP, "MSP d'Embrun", "05", "Embrun", "05200"},
	{model.KindMSP, "MSP de Vence", "06", "Vence", "06140"},
	{model.KindMSP, "MSP des Quartiers Nord", "13", "Marseille", "13014"},
	{model.KindMSP, "MSP de Brignoles", "83", "Brignoles", "83170"},
	{model.KindMSP, "MSP de Cavaillon", "84", "Cavaillon", "84300"},
	{model.KindCDS, "Centre de santé de La Ciotat", "13", "La Ciotat", "13600"},
	{model.KindCDS, "Centre de santé du Pont-du-Las", "83", "Toulon", "83200"},
	{model.KindCDS, "Centre de santé de l'Ariane", "06", "Nice", "06300"},

	// Partner organisations
	{model.KindARS, nameARSPdL, "44", "Nantes", "44200"},
	{model.KindARS, "ARS Provence-Alpes-Côte d'Azur", "13", "Marseille", "13003"},
	{model.KindTraining, nameEHESP, "35", "Rennes", "35000"},
	{model.KindURPS, nameURPS, "13", "Marseille", "13006"},
	{model.KindTraining, nameIMFS, "13", "Marseille", "13005"},
	{model.KindFederation, "Fédération des maisons de santé des Pays de la Loire", "49", "Angers", "49100"},
}

const (
	nameARSPdL = "ARS Pays de la Loire"
	nameEHESP  = "EHESP – École des hautes études en santé publique"
	nameURPS   = "URPS médecins libéraux PACA"
	nameIMFS   = "Institut méditerranéen de formation en santé"
)

// membershipRow places a hand-written person in a structure.
type membershipRow struct {
	structure string
	role      model.MemberRole
}

// namedPerson is someone the accounts or the story need: partner staff, the candidate, and
// people who sit in two structures (an MSP and its CPTS), as they often do.
type namedPerson struct {
	civility    model.Civility
	first, last string
	email       string
	profession  model.Profession
	rpps        bool
	memberships []membershipRow
}

const (
	mme = model.CivilityMme
	m   = model.CivilityM
)

var namedPeople = []namedPerson{
	// Linked to accounts: the person's e-mail is the account's.
	{mme, "Claire", "Morvan", "gestion.ehesp@demo.parcours.fr", model.ProfManager, false,
		[]membershipRow{{nameEHESP, model.RoleMembre}}},
	{mme, "Nadège", "Roux", "gestion.formation@demo.parcours.fr", model.ProfManager, false,
		[]membershipRow{{nameIMFS, model.RoleMembre}}},
	{m, "Jérôme", "Guérin", "ars.pdl@demo.parcours.fr", model.ProfManager, false,
		[]membershipRow{{nameARSPdL, model.RoleMembre}}},
	{mme, "Élodie", "Fabre", "urps.paca@demo.parcours.fr", model.ProfManager, false,
		[]membershipRow{{nameURPS, model.RoleMembre}}},
	{mme, "Gaëlle", "Le Goff", "candidat@demo.parcours.fr", model.ProfPharmacien, true,
		[]membershipRow{{candidateCPTS, model.RoleTresorier}}},

	// Partner staff without an account.
	{m, "Yann", "Le Bihan", "yann.le-bihan@demo.parcours.fr", model.ProfManager, false,
		[]membershipRow{{nameEHESP, model.RoleMembre}}},
	{mme, "Anne", "Tessier", "anne.tessier@demo.parcours.fr", model.ProfInfirmier, false,
		[]membershipRow{{nameARSPdL, model.RoleMembre}}},
	{m, "Stéphane", "Marchetti", "stephane.marchetti@demo.parcours.fr", model.ProfManager, false,
		[]membershipRow{{"ARS Provence-Alpes-Côte d'Azur", model.RoleMembre}}},
	{m, "Pierre", "Agostini", "pierre.agostini@demo.parcours.fr", model.ProfMedecin, true,
		[]membershipRow{{nameURPS, model.RolePresident}}},
	{mme, "Laëtitia", "Santoni", "laetitia.santoni@demo.parcours.fr", model.ProfMedecin, true,
		[]membershipRow{{nameURPS, model.RoleMembreBureau}}},
	{mme, "Sophie", "Castellan", "sophie.castellan@demo.parcours.fr", model.ProfManager, false,
		[]membershipRow{{nameIMFS, model.RoleMembre}}},
	{mme, "Nadia", "Haddad", "formateur@demo.parcours.fr", model.ProfManager, false,
		[]membershipRow{{nameIMFS, model.RoleMembre}}},
	{m, "Benoît", "Ménard", "benoit.menard@demo.parcours.fr", model.ProfMedecin, true,
		[]membershipRow{{"Fédération des maisons de santé des Pays de la Loire", model.RolePresident},
			{"MSP des Coëvrons", model.RoleMembre}}},
	{mme, "Mathilde", "Jaunet", "mathilde.jaunet@demo.parcours.fr", model.ProfManager, false,
		[]membershipRow{{"Fédération des maisons de santé des Pays de la Loire", model.RoleCoordinateur}}},

	// People in an MSP and in the CPTS of its territory.
	{m, "François", "Bréhéret", "francois.breheret@demo.parcours.fr", model.ProfMedecin, true,
		[]membershipRow{{"CPTS du Pays de Retz", model.RolePresident}, {"MSP de Machecoul", model.RoleMembre}}},
	{mme, "Hélène", "Rialland", "helene.rialland@demo.parcours.fr", model.ProfInfirmier, true,
		[]membershipRow{{"MSP de Machecoul", model.RoleCoordinateur}, {"CPTS du Pays de Retz", model.RoleMembreCA}}},
	{m, "Karim", "Benali", "karim.benali@demo.parcours.fr", model.ProfMedecin, true,
		[]membershipRow{{"CPTS Marseille Nord", model.RolePresident}, {"MSP des Quartiers Nord", model.RoleMembre}}},
	{mme, "Nathalie", "Bérenger", "nathalie.berenger@demo.parcours.fr", model.ProfKinesitherapeute, true,
		[]membershipRow{{"MSP de Brignoles", model.RoleCoordinateur}, {"CPTS Provence Verte", model.RoleSecretaire}}},
}

// candidateCPTS is where the candidate account's person is treasurer.
const candidateCPTS = "CPTS Loire et Sillon"

// accountRow is a demo login. scopeStructure names the structure a manager's grant is scoped
// to; scopeRegion is a région code.
type accountRow struct {
	email, password, label, description string
	displayName                         string
	personEmail                         string
	role                                model.Role
	scopeStructure, scopeRegion         string
}

var accounts = []accountRow{
	{"admin@demo.parcours.fr", "demo-admin-2026", "administrateur",
		"voit et fait tout ; suit le déploiement des régions", "Administration Parcours", "",
		model.RoleAdmin, "", ""},
	{"gestion.ehesp@demo.parcours.fr", "demo-ehesp-2026", "gestionnaire de programme (EHESP)",
		"programmes de l'EHESP, dont l'accompagnement des gouvernances de CPTS (AMG)", "", "gestion.ehesp@demo.parcours.fr",
		model.RoleManager, nameEHESP, ""},
	{"gestion.formation@demo.parcours.fr", "demo-formation-2026", "gestionnaire de programme (" + nameIMFS + ")",
		"diplôme de coordinateur niveau 7 en PACA", "", "gestion.formation@demo.parcours.fr",
		model.RoleManager, nameIMFS, ""},
	{"ars.pdl@demo.parcours.fr", "demo-ars-pdl-2026", "observateur régional (ARS Pays de la Loire)",
		"tableaux de bord et listes des Pays de la Loire, en lecture seule", "", "ars.pdl@demo.parcours.fr",
		model.RoleRegionalViewer, "", "52"},
	{"urps.paca@demo.parcours.fr", "demo-urps-paca-2026", "partenaire (URPS médecins libéraux PACA)",
		"structures et projets de CPTS de Provence-Alpes-Côte d'Azur", "", "urps.paca@demo.parcours.fr",
		model.RolePartner, "", "93"},
	{"jury.ehesp@demo.parcours.fr", "demo-jury-2026", "membre de comité (formatrice EHESP)",
		"préside le comité de la première session AMG : évaluations, classement", "Morgane Le Du", "",
		model.RoleCommitteeMember, "", ""},
	{"elu.urps@demo.parcours.fr", "demo-elu-urps-2026", "membre de comité (élu URPS médecins libéraux PACA)",
		"comité du diplôme de coordinateur ; en conflit d'intérêts avec une candidature, qu'il ne voit pas", "Marc Peretti", "",
		model.RoleCommitteeMember, "", ""},
	{"formateur@demo.parcours.fr", "demo-formateur-2026", "formatrice (" + nameIMFS + ")",
		"intervient dans la promotion pilote du diplôme en PACA : QR code d'émargement, présences, contresignature", "", "formateur@demo.parcours.fr",
		model.RoleTrainer, "", ""},
	{"candidat@demo.parcours.fr", "demo-candidat-2026", "candidate (trésorière de la " + candidateCPTS + ")",
		"ses candidatures, offres, calendrier et présences", "", "candidat@demo.parcours.fr",
		model.RoleCandidate, "", ""},
}

// Names drawn for the other members. Each région adds its own family names to the common ones.
type firstName struct {
	name     string
	civility model.Civility
}

var firstNames = []firstName{
	{"Élodie", mme}, {"Hélène", mme}, {"Gaëlle", mme}, {"Nadège", mme}, {"Claire", mme}, {"Sophie", mme},
	{"Camille", mme}, {"Anne", mme}, {"Marie", mme}, {"Isabelle", mme}, {"Céline", mme}, {"Aurélie", mme},
	{"Émilie", mme}, {"Maëlle", mme}, {"Solène", mme}, {"Agnès", mme}, {"Chloé", mme}, {"Léa", mme},
	{"Pauline", mme}, {"Justine", mme}, {"Sandrine", mme}, {"Valérie", mme}, {"Véronique", mme},
	{"Noémie", mme}, {"Inès", mme}, {"Clémence", mme}, {"Coralie", mme}, {"Estelle", mme}, {"Fanny", mme},
	{"Karine", mme}, {"Morgane", mme}, {"Océane", mme}, {"Stéphanie", mme}, {"Yasmina", mme},
	{"Fatima", mme}, {"Bérénice", mme}, {"Anaïs", mme}, {"Mélanie", mme},
	{"François", m}, {"Loïc", m}, {"Jérôme", m}, {"Thomas", m}, {"Nicolas", m}, {"Julien", m},
	{"Mathieu", m}, {"Pierre", m}, {"Yann", m}, {"Gwenaël", m}, {"Hervé", m}, {"Stéphane", m},
	{"Sébastien", m}, {"Benoît", m}, {"Cédric", m}, {"Denis", m}, {"Éric", m}, {"Frédéric", m},
	{"Grégoire", m}, {"Hugo", m}, {"Jean-Marc", m}, {"Jean-Luc", m}, {"Karim", m}, {"Laurent", m},
	{"Olivier", m}, {"Pascal", m}, {"Raphaël", m}, {"Rémi", m}, {"Thierry", m}, {"Vincent", m},
	{"Xavier", m}, {"Youssef", m}, {"Damien", m}, {"Guillaume", m}, {"Joël", m}, {"Mickaël", m},
}

var commonLastNames = []string{
	"Martin", "Bernard", "Dubois", "Durand", "Lefèvre", "Moreau", "Girard", "Bonnet", "Lambert",
	"Fontaine", "Rousseau", "Chevalier", "Robin", "Gauthier", "Perrin", "Morin", "Mercier", "Blanc",
	"Boyer", "Garnier", "Faure", "André", "Colin", "Caron", "Picard", "Brunet", "Renaud", "Barbier",
	"Arnaud", "Roche", "Michel", "Aubert", "Nguyen", "Diallo", "Haddad", "Benhamou", "Lemaire",
}

var lastNamesByRegion = map[string][]string{
	"52": {"Le Gall", "Guillou", "Poirier", "Pelletier", "Chauvin", "Besnard", "Brochard", "Baudry",
		"Cormier", "Gendron", "Raimbault", "Thébault", "Coutant", "Fauvel", "Roussel", "Texier", "Riou",
		"Pineau", "Chiron", "Audineau", "Bossard", "Mabileau", "Naulleau", "Hervouet", "Jamin", "Bourcier"},
	"93": {"Rossi", "Giordano", "Gilly", "Olivieri", "Bonifay", "Reynaud", "Blanchard", "Pellegrin",
		"Audibert", "Carles", "Garcia", "Martinez", "Lopez", "Ferrero", "Orsini", "Peirano", "Autran",
		"Meyssonnier", "Roumanille", "Daumas", "Bensaïd", "Chabert", "Fournier", "Sauvaire", "Bœuf"},
}

// Professions by role, repeated to weight the draw: boards are led by doctors and pharmacists
// more often; coordinators come from nursing, dietetics, physiotherapy, management and beyond.
var professionsByRole = map[model.MemberRole][]model.Profession{
	model.RolePresident: {model.ProfMedecin, model.ProfMedecin, model.ProfMedecin, model.ProfPharmacien,
		model.ProfInfirmier, model.ProfKinesitherapeute, model.ProfSageFemme},
	model.RoleVicePresident: {model.ProfMedecin, model.ProfInfirmier, model.ProfKinesitherapeute,
		model.ProfPharmacien, model.ProfOrthophoniste},
	model.RoleTresorier: {model.ProfPharmacien, model.ProfPharmacien, model.ProfKinesitherapeute,
		model.ProfInfirmier, model.ProfMedecin, model.ProfChirurgienDent},
	model.RoleSecretaire: {model.ProfInfirmier, model.ProfSageFemme, model.ProfOrthophoniste,
		model.ProfPsychologue, model.ProfKinesitherapeute, model.ProfDieteticien},
	model.RoleCoordinateur: {model.ProfManager, model.ProfManager, model.ProfInfirmier, model.ProfInfirmier,
		model.ProfDieteticien, model.ProfKinesitherapeute, model.ProfHorsSante, model.ProfHorsSante,
		model.ProfAutreParamedical},
	model.RoleMembreBureau: healthProfessions,
	model.RoleMembreCA:     healthProfessions,
	model.RoleMembre:       healthProfessions,
}

var healthProfessions = []model.Profession{model.ProfMedecin, model.ProfMedecin, model.ProfInfirmier,
	model.ProfInfirmier, model.ProfPharmacien, model.ProfKinesitherapeute, model.ProfSageFemme,
	model.ProfChirurgienDent, model.ProfOrthophoniste, model.ProfPsychologue, model.ProfDieteticien,
	model.ProfAutreParamedical}

// hasRPPS: the professions listed in the RPPS directory that the demo gives a number to.
func hasRPPS(p model.Profession) bool {
	switch p {
	case model.ProfMedecin, model.ProfChirurgienDent, model.ProfPharmacien, model.ProfSageFemme,
		model.ProfInfirmier, model.ProfKinesitherapeute:
		return true
	}
	return false
}
