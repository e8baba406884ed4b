package docs_test

import (
	"fmt"
	"strings"
	"testing"

	"parcours/internal/docs"
)

func TestAttendanceSheet(t *testing.T) {
	t.Parallel()
	s := sheet()
	text := pdfText(t, render(t, s.PDF))
	golden(t, "attendance_sheet.txt", text)

	lines := squeeze(text)
	contains(t, lines,
		"Parcours — URPS ML PACA",
		"Feuille d’émargement",
		"Programme : Parcours managérial des coordinateurs de CPTS",
		"Cohorte : Promotion 2027 — PACA",
		"Date : jeudi 4 février 2027",
		"Demi-journée : matin, 9 h 00 – 12 h 30",
		"Module : Pilotage de l’organisation",
		"Lieu : Maison des associations, 93 La Canebière, 13001 Marseille",
		"Formateur : Claire Dupré",
		"Apprenant Statut Signature de l’apprenant",
		// One line per learner: name, status and signature side by side.
		"Éléonore Lœuillet-Çelik Présent Signé le 4 février 2027 à 9 h 04",
		"Gaëlle Rousseau En retard (12 min) Signé le 4 février 2027 à 9 h 16",
		"Jean-Baptiste N’Diaye Absent justifié : arrêt maladie —",
		"Absent non justifié —",
		"Zoé Martin Non renseigné —",
		"CPTS Provence Verte",
		"CPTS du Pays d’Aix",
		"Contresignature du formateur",
		"Contresigné par Claire Dupré le 4 février 2027 à 12 h 41",
		"Apprenants inscrits : 6",
		"Présents (retards compris) : 3",
		"dont en retard : 1",
		"Absents justifiés : 1",
		"Absents non justifiés : 1",
		"Non renseignés : 1",
		"Parcours — URPS ML PACA — document généré le 4 février 2027 à 18 h 05 Page 1 sur 1",
	)
	if n := len(pages(text)); n != 1 {
		t.Errorf("%d pages, want 1", n)
	}

	// A long name wraps inside its cell, breaking after spaces and hyphens; a word longer
	// than the cell is cut, and nothing is lost.
	for _, part := range []string{"Marie-Bérénice de La Tour", "d’Auvergne-Lauraguais", "Exupéry",
		"Communauté professionnelle", "Haute-Provence"} {
		contains(t, lines, part)
	}
	lacks(t, lines, longWord)
	if got := firstWordsFrom(lines, "Wolfe", 2); got != longWord {
		t.Errorf("the long word was cut into %q, want it whole over two lines", got)
	}
}

// firstWordsFrom joins the first word of the line starting with prefix and of the n-1 lines
// after it.
func firstWordsFrom(text, prefix string, n int) string {
	lines := strings.Split(text, "\n")
	for i, l := range lines {
		if strings.HasPrefix(l, prefix) && i+n <= len(lines) {
			var s string
			for _, l := range lines[i : i+n] {
				if f := strings.Fields(l); len(f) > 0 {
					s += f[0]
				}
			}
			return s
		}
	}
	return ""
}

func TestAttendanceSheetWithoutTrainerPlaceOrCountersignature(t *testing.T) {
	t.Parallel()
	s := sheet()
	s.Trainers, s.Place, s.CountersignedBy, s.CountersignedAt = []string{""}, "", "", ""
	text := pdfText(t, render(t, s.PDF))
	golden(t, "attendance_sheet_minimal.txt", text)

	lines := squeeze(text)
	contains(t, lines, "Module : Pilotage de l’organisation", "Contresignature du formateur", "Non contresigné")
	lacks(t, lines, "Lieu :", "Formateur :", "Formateurs :", "Contresigné par")
}

func TestAttendanceSheetTrainers(t *testing.T) {
	t.Parallel()
	s := sheet()
	s.Trainers = []string{"Claire Dupré", "Karim Benali"}
	text := squeeze(pdfText(t, render(t, s.PDF)))
	contains(t, text, "Formateurs : Claire Dupré, Karim Benali")
}

// Forty learners fill more than one page: the table goes on to page 2 under the running
// title and its heading row again, and every page says "Page n sur 2".
func TestAttendanceSheetLong(t *testing.T) {
	t.Parallel()
	s := sheet()
	s.Learners = nil
	for i := 1; i <= 40; i++ {
		s.Learners = append(s.Learners, docs.SheetLine{
			Name:     fmt.Sprintf("Apprenant %02d Lefèvre", i),
			Mark:     docs.Mark{Status: docs.Present},
			SignedAt: "4 février 2027 à 9 h 04",
		})
	}
	text := pdfText(t, render(t, s.PDF))
	golden(t, "attendance_sheet_long.txt", text)

	pp := pages(text)
	if len(pp) != 2 {
		t.Fatalf("%d pages, want 2", len(pp))
	}
	for i := range pp {
		pp[i] = squeeze(pp[i])
	}
	contains(t, pp[0], "Feuille d’émargement\nProgramme :", "Apprenant Statut Signature de l’apprenant", "Page 1 sur 2")
	contains(t, pp[1],
		"Feuille d’émargement — Promotion 2027 — PACA — jeudi 4 février 2027 — matin, 9 h 00 – 12 h 30",
		"Apprenant Statut Signature de l’apprenant",
		"Apprenant 40 Lefèvre Présent Signé le 4 février 2027 à 9 h 04",
		"Apprenants inscrits : 40",
		"Présents (retards compris) : 40",
		"Page 2 sur 2",
	)
	// The heading row comes before the first learner of page 2, and no learner is printed
	// twice or lost at the break.
	heading := strings.Index(pp[1], "Apprenant Statut")
	first := strings.Index(pp[1], " Lefèvre ")
	if heading < 0 || first < heading {
		t.Errorf("page 2 does not start its table with the heading row:\n%s", pp[1])
	}
	all := strings.Join(pp, "\n")
	for i := 1; i <= 40; i++ {
		name := fmt.Sprintf("Apprenant %02d Lefèvre", i)
		if n := strings.Count(all, name); n != 1 {
			t.Errorf("%s printed %d times", name, n)
		}
	}
}
