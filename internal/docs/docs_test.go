package docs_test

import (
	"bytes"
	"errors"
	"flag"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"parcours/internal/docs"
	"parcours/internal/testkit"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

const nbsp = "\u00a0"

var stamp = docs.Stamp{
	Operator:  "Parcours — URPS ML PACA",
	Generated: "4 février 2027 à 18 h 05",
	At:        time.Date(2027, time.February, 4, 17, 5, 0, 0, time.UTC),
}

// A name longer than its table cell, and a word longer than a whole cell's line.
const (
	longName = "Marie-Bérénice de La Tour d’Auvergne-Lauraguais Saint-Exupéry"
	longWord = "Wolfeschlegelsteinhausenbergerdorffvoralternwarengewissenhaft"
)

func sheet() docs.AttendanceSheet {
	return docs.AttendanceSheet{
		Stamp:     stamp,
		Programme: "Parcours managérial des coordinateurs de CPTS",
		Cohort:    "Promotion 2027 — PACA",
		Date:      "jeudi 4 février 2027",
		HalfDay:   "matin, 9 h 00 – 12 h 30",
		Module:    "Pilotage de l’organisation",
		Place:     "Maison des associations, 93 La Canebière, 13001 Marseille",
		Trainers:  []string{"Claire Dupré"},
		Learners: []docs.SheetLine{
			{Name: "Éléonore Lœuillet-Çelik", Structure: "CPTS Provence Verte",
				Mark: docs.Mark{Status: docs.Present}, SignedAt: "4 février 2027 à 9 h 04"},
			{Name: "Gaëlle Rousseau", Structure: "CPTS du Pays d’Aix",
				Mark: docs.Mark{Status: docs.Late, LateMinutes: 12}, SignedAt: "4 février 2027 à 9 h 16"},
			{Name: "Jean-Baptiste N’Diaye",
				Mark: docs.Mark{Status: docs.AbsentJustified, Reason: "arrêt maladie"}},
			{Name: longName, Structure: "Communauté professionnelle territoriale de santé des Alpes-de-Haute-Provence",
				Mark: docs.Mark{Status: docs.AbsentUnjustified}},
			{Name: longWord, Mark: docs.Mark{Status: docs.Present}, SignedAt: "4 février 2027 à 8 h 58"},
			{Name: "Zoé Martin"},
		},
		CountersignedBy: "Claire Dupré",
		CountersignedAt: "4 février 2027 à 12 h 41",
	}
}

func summary() docs.LearnerSummary {
	return docs.LearnerSummary{
		Stamp:     stamp,
		Programme: "Parcours managérial des coordinateurs de CPTS",
		Cohort:    "Promotion 2027 — PACA",
		Learner:   "Gaëlle Rousseau",
		Structure: "CPTS du Pays d’Aix",
		HalfDays: []docs.SummaryLine{
			{Date: "jeudi 4 février 2027", HalfDay: "matin", Module: "Pilotage de l’organisation",
				Mark: docs.Mark{Status: docs.Late, LateMinutes: 12}, SignedAt: "4 février 2027 à 9 h 16"},
			{Date: "jeudi 4 février 2027", HalfDay: "après-midi", Module: "Pilotage de l’organisation",
				Mark: docs.Mark{Status: docs.Present}, SignedAt: "4 février 2027 à 13 h 58"},
			{Date: "vendredi 5 février 2027", HalfDay: "matin", Module: "Animation d’équipe",
				Mark: docs.Mark{Status: docs.AbsentJustified, Reason: "arrêt maladie"}},
			{Date: "vendredi 5 février 2027", HalfDay: "après-midi", Module: "Animation d’équipe",
				Mark: docs.Mark{Status: docs.AbsentUnjustified}},
		},
		HalfDaysAttended: 2,
		HalfDaysHeld:     4,
		HoursAttended:    "7 h",
		HoursHeld:        "14 h",
		Rate:             "50 %",
		Threshold:        "80 %",
		ThresholdMet:     false,
	}
}

func certificate() docs.Certificate {
	return docs.Certificate{
		Stamp: stamp,
		Organisation: docs.Organisation{
			Name:    "URPS Médecins libéraux PACA",
			Address: "37 boulevard Périer\n13008 Marseille",
			SIRET:   "123 456 789 00012",
			NDA:     "93 13 12345 13",
		},
		Learner:       "Éléonore Lœuillet-Çelik",
		Structure:     "CPTS Provence Verte",
		Programme:     "Parcours managérial des coordinateurs de CPTS",
		From:          "4 février 2027",
		To:            "27 mai 2028",
		HoursAttended: "136,5 heures",
		HoursPlanned:  "147 heures",
		Place:         "Marseille",
		Date:          "30 mai 2028",
		Signatory:     "Claire Dupré",
		SignatoryRole: "directrice",
	}
}

// pdfText extracts the text of a PDF with pdftotext -layout; pages are separated by "\f".
func pdfText(t *testing.T, pdf []byte) string {
	t.Helper()
	bin, err := exec.LookPath("pdftotext")
	if err != nil {
		testkit.Missing(t, "pdftotext", "apt-get install poppler-utils")
	}
	in := filepath.Join(t.TempDir(), "doc.pdf")
	if err := os.WriteFile(in, pdf, 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(bin, "-layout", "-enc", "UTF-8", in, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	return string(out)
}

// golden compares got with testdata/name, or rewrites the file under -update.
func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./internal/docs -update to create it)", err)
	}
	if got != string(want) {
		t.Errorf("%s differs from the golden file (go test ./internal/docs -update rewrites it):\n--- got\n%s\n--- want\n%s",
			name, got, want)
	}
}

// squeeze collapses the runs of spaces that -layout puts between columns, keeping the
// lines: "Gaëlle Rousseau     En retard (12 min)" becomes "Gaëlle Rousseau En retard (12 min)".
// pdftotext gives the non-breaking spaces back as plain spaces.
func squeeze(text string) string {
	lines := strings.Split(text, "\n")
	for i, l := range lines {
		lines[i] = strings.Join(strings.Fields(l), " ")
	}
	return strings.Join(lines, "\n")
}

// flat joins the whole text on one line, for sentences that wrap.
func flat(text string) string { return strings.Join(strings.Fields(text), " ") }

// contains fails the test for each of wants that text does not contain.
func contains(t *testing.T, text string, wants ...string) {
	t.Helper()
	for _, w := range wants {
		if !strings.Contains(text, w) {
			t.Errorf("missing %q in:\n%s", w, text)
		}
	}
}

// lacks fails the test for each of unwanted that text contains.
func lacks(t *testing.T, text string, unwanted ...string) {
	t.Helper()
	for _, u := range unwanted {
		if strings.Contains(text, u) {
			t.Errorf("unexpected %q in:\n%s", u, text)
		}
	}
}

// pages splits pdftotext's output into its pages.
func pages(text string) []string {
	return strings.Split(strings.TrimSuffix(text, "\f"), "\f")
}

// render calls fn twice and checks that both calls give the same bytes.
func render(t *testing.T, fn func() ([]byte, error)) []byte {
	t.Helper()
	a, err := fn()
	if err != nil {
		t.Fatal(err)
	}
	b, err := fn()
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(a, b) {
		t.Fatal("two renders of the same input differ")
	}
	return a
}

func TestNoGenerationTime(t *testing.T) {
	t.Parallel()
	s, l, c, g := sheet(), summary(), certificate(), grid()
	s.At, l.At, c.At, g.At = time.Time{}, time.Time{}, time.Time{}, time.Time{}
	for name, fn := range map[string]func() ([]byte, error){
		"sheet": s.PDF, "summary": l.PDF, "certificate": c.PDF, "grid": g.XLSX,
	} {
		if _, err := fn(); !errors.Is(err, docs.ErrNoGenerationTime) {
			t.Errorf("%s: got %v, want ErrNoGenerationTime", name, err)
		}
	}
}

// The same input gives the same bytes, and the file's dates come from Stamp.At: another
// generation time gives other bytes.
func TestSameInputSameBytes(t *testing.T) {
	t.Parallel()
	later := stamp
	later.At = later.At.Add(time.Hour)
	s, l, c, g := sheet(), summary(), certificate(), grid()
	s2, l2, c2, g2 := s, l, c, g
	s2.Stamp, l2.Stamp, c2.Stamp, g2.Stamp = later, later, later, later
	for _, tc := range []struct {
		name          string
		render, moved func() ([]byte, error)
	}{
		{"attendance sheet", s.PDF, s2.PDF},
		{"learner summary", l.PDF, l2.PDF},
		{"certificate", c.PDF, c2.PDF},
		{"attendance grid", g.XLSX, g2.XLSX},
	} {
		t.Run(tc.name, func(t *testing.T) {
			a := render(t, tc.render)
			b, err := tc.moved()
			if err != nil {
				t.Fatal(err)
			}
			if bytes.Equal(a, b) {
				t.Error("another Stamp.At gives the same bytes")
			}
		})
	}
}
