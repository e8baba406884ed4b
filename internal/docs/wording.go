package docs

import (
	"strconv"
	"strings"
)

// The fixed French texts of the documents. French typography: a typographic apostrophe (’),
// and a non-breaking space (nbsp) before a colon and inside guillemets, so that « : » never
// starts a line.
const nbsp = "\u00a0"

// label writes "Label : " with the non-breaking space French wants before the colon.
func label(s string) string { return s + nbsp + ":" }

// quote writes « s » with non-breaking spaces inside the guillemets.
func quote(s string) string { return "«" + nbsp + s + nbsp + "»" }

const (
	wGenerated  = "document généré le "
	wPageOf     = "Page %d sur {nb}" // {nb} is replaced by the page count when the file closes
	wSignedOn   = "Signé le "
	wNotSigned  = "—"
	wNotCounter = "Non contresigné"

	wProgramme = "Programme"
	wCohort    = "Cohorte"
	wDate      = "Date"
	wHalfDay   = "Demi-journée"
	wModule    = "Module"
	wPlace     = "Lieu"
	wTrainer   = "Formateur"
	wTrainers  = "Formateurs"
	wLearner   = "Apprenant"
	wStructure = "Structure"
	wStatus    = "Statut"
	wSignature = "Signature de l’apprenant"
	wSigned    = "Signature"

	sheetTitle        = "Feuille d’émargement"
	sheetCounter      = "Contresignature du formateur"
	sheetCounts       = "Bilan de la demi-journée"
	sheetPresent      = "Présents (retards compris)"
	sheetLate         = "dont en retard"
	sheetJustified    = "Absents justifiés"
	sheetUnjustified  = "Absents non justifiés"
	sheetUnmarked     = "Non renseignés"
	sheetTotal        = "Apprenants inscrits"
	summaryTitle      = "Relevé d’assiduité"
	summaryTotals     = "Totaux"
	summaryHalfDays   = "Demi-journées suivies"
	summaryHours      = "Heures suivies"
	summaryRate       = "Taux d’assiduité"
	summaryThreshold  = "Seuil requis"
	summaryMet        = "atteint"
	summaryNotMet     = "non atteint"
	summaryOutOf      = " sur "
	summaryNoHalfDays = "Aucune demi-journée tenue."

	certTitle     = "Certificat de réalisation"
	certSIRET     = "SIRET"
	certNDA       = "Déclaration d’activité n°"
	certNature    = "Nature de l’action"
	certNatureIs  = "action de formation (article L. 6313-1 du Code du travail)"
	certStamp     = "Cachet et signature"
	certRetention = "Sans préjudice des délais fixés par l’organisme financeur de l’action, " +
		"je m’engage à conserver, pendant trois ans à compter de la fin de l’année du dernier " +
		"paiement, les pièces justificatives qui ont permis d’établir le présent certificat, " +
		"et à en fournir la copie en cas de contrôle."

	gridSheet  = "Assiduité"
	gridTitle  = "Grille d’assiduité"
	gridRate   = "Taux d’assiduité"
	gridLegend = "Légende"
)

// gridLegendItems explains the grid's codes (see gridCode) under the table.
var gridLegendItems = []struct{ code, meaning string }{
	{"P", "présent"},
	{"R n", "en retard de n minutes"},
	{"AJ", "absent justifié"},
	{"ANJ", "absent non justifié"},
}

// footerText is the line every document ends with: "Parcours — document généré le …".
func footerText(st Stamp) string {
	s := st.Operator
	if st.Generated != "" {
		if s != "" {
			s += " — "
		}
		s += wGenerated + st.Generated
	}
	return s
}

// certUndersigned is the certificate's opening: "Je soussigné(e) X, directrice de Y, atteste que :".
func certUndersigned(name, role, organisation string) string {
	s := "Je soussigné(e) " + name
	if role != "" {
		s += ", " + role
	}
	return s + " de " + organisation + ", atteste que" + nbsp + ":"
}

// certFollowed is the sentence naming the action.
func certFollowed(programme string) string {
	return "a suivi l’action de formation " + quote(programme)
}

// certPeriod says when and how long: hours attended out of planned, as the funder pays them.
func certPeriod(from, to, attended, planned string) string {
	return "qui s’est déroulée du " + from + " au " + to + ", pour une durée suivie de " +
		attended + " sur une durée prévue de " + planned + "."
}

// certDoneAt is "Fait à Marseille, le 30 mai 2028", or the part of it that is known.
func certDoneAt(place, date string) string {
	s := "Fait"
	if place != "" {
		s += " à " + place
		if date != "" {
			s += ","
		}
	}
	if date != "" {
		s += " le " + date
	}
	return s
}

// countersigned is the countersignature line of an attendance sheet.
func countersigned(by, at string) string {
	if by == "" && at == "" {
		return wNotCounter
	}
	s := "Contresigné"
	if by != "" {
		s += " par " + by
	}
	if at != "" {
		s += " le " + at
	}
	return s
}

// signedCell is a learner's signature cell: "Signé le 4 février 2027 à 9 h 04" or "—".
func signedCell(at string) string {
	if at == "" {
		return wNotSigned
	}
	return wSignedOn + at
}

// statusText is a mark as the PDF documents write it.
func statusText(m Mark) string {
	switch m.Status {
	case Present:
		return "Présent"
	case Late:
		if m.LateMinutes > 0 {
			return "En retard (" + strconv.Itoa(m.LateMinutes) + nbsp + "min)"
		}
		return "En retard"
	case AbsentJustified:
		if r := strings.TrimSpace(m.Reason); r != "" {
			return label("Absent justifié") + " " + r
		}
		return "Absent justifié"
	case AbsentUnjustified:
		return "Absent non justifié"
	}
	return "Non renseigné"
}

// gridCode is a mark as the XLSX grid writes it: short codes that fit a narrow column.
func gridCode(m Mark) string {
	switch m.Status {
	case Present:
		return "P"
	case Late:
		if m.LateMinutes > 0 {
			return "R " + strconv.Itoa(m.LateMinutes)
		}
		return "R"
	case AbsentJustified:
		return "AJ"
	case AbsentUnjustified:
		return "ANJ"
	}
	return ""
}
