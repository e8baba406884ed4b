package docs_test

import "testing"

func TestCertificate(t *testing.T) {
	t.Parallel()
	c := certificate()
	text := pdfText(t, render(t, c.PDF))
	golden(t, "certificate.txt", text)

	all := flat(text)
	contains(t, all,
		"URPS Médecins libéraux PACA 37 boulevard Périer 13008 Marseille",
		"SIRET : 123 456 789 00012",
		"Déclaration d’activité n° 93 13 12345 13",
		"CERTIFICAT DE RÉALISATION",
		"Je soussigné(e) Claire Dupré, directrice de URPS Médecins libéraux PACA, atteste que :",
		"Éléonore Lœuillet-Çelik (CPTS Provence Verte)",
		"a suivi l’action de formation « Parcours managérial des coordinateurs de CPTS »",
		"Nature de l’action : action de formation (article L. 6313-1 du Code du travail)",
		"qui s’est déroulée du 4 février 2027 au 27 mai 2028, pour une durée suivie de 136,5 heures sur une durée prévue de 147 heures.",
		"je m’engage à conserver, pendant trois ans",
		"Fait à Marseille, le 30 mai 2028",
		"Claire Dupré directrice Cachet et signature",
		"Parcours — URPS ML PACA — document généré le 4 février 2027 à 18 h 05 Page 1 sur 1",
	)
	if n := len(pages(text)); n != 1 {
		t.Errorf("%d pages, want 1", n)
	}
}

func TestCertificateWithoutPlace(t *testing.T) {
	t.Parallel()
	c := certificate()
	c.Place, c.Structure, c.Organisation.SIRET, c.SignatoryRole = "", "", "", ""
	text := flat(pdfText(t, render(t, c.PDF)))
	contains(t, text, "Fait le 30 mai 2028", "Je soussigné(e) Claire Dupré de URPS Médecins libéraux PACA, atteste que :",
		"Éléonore Lœuillet-Çelik a suivi")
	lacks(t, text, "Fait à", "SIRET", "(CPTS")
}
