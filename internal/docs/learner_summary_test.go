package docs_test

import "testing"

func TestLearnerSummary(t *testing.T) {
	t.Parallel()
	s := summary()
	text := pdfText(t, render(t, s.PDF))
	golden(t, "learner_summary.txt", text)

	lines := squeeze(text)
	contains(t, lines,
		"Relevé d’assiduité",
		"Apprenant : Gaëlle Rousseau",
		"Structure : CPTS du Pays d’Aix",
		"Date Demi-journée Module Statut Signature",
		// Each half-day on a row, its texts wrapped in the narrow columns.
		"jeudi 4 février 2027 matin Pilotage de En retard Signé le 4 février\nl’organisation (12 min) 2027 à 9 h 16",
		"jeudi 4 février 2027 après-midi Pilotage de Présent Signé le 4 février\nl’organisation 2027 à 13 h 58",
		"vendredi 5 février matin Animation d’équipe Absent —\n2027 justifié : arrêt",
		"vendredi 5 février après-midi Animation d’équipe Absent non —\n2027 justifié",
		"Demi-journées suivies : 2 sur 4",
		"Heures suivies : 7 h sur 14 h",
		"Taux d’assiduité : 50 %",
		"Seuil requis : 80 % — non atteint",
		"Page 1 sur 1",
	)
}

func TestLearnerSummaryWithoutHalfDays(t *testing.T) {
	t.Parallel()
	s := summary()
	s.HalfDays, s.HalfDaysAttended, s.HalfDaysHeld = nil, 0, 0
	s.HoursAttended, s.HoursHeld, s.Rate, s.Threshold = "", "", "", ""
	text := squeeze(pdfText(t, render(t, s.PDF)))
	contains(t, text, "Aucune demi-journée tenue.", "Demi-journées suivies : 0 sur 0")
	lacks(t, text, "Date Demi-journée", "Heures suivies", "Taux d’assiduité", "Seuil requis")
}

func TestLearnerSummaryThresholdMet(t *testing.T) {
	t.Parallel()
	s := summary()
	s.Rate, s.ThresholdMet = "87,5 %", true
	text := squeeze(pdfText(t, render(t, s.PDF)))
	contains(t, text, "Taux d’assiduité : 87,5 %", "Seuil requis : 80 % — atteint")
}
