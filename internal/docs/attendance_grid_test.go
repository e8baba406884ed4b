package docs_test

import (
	"bytes"
	"slices"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"parcours/internal/docs"
)

func grid() docs.AttendanceGrid {
	return docs.AttendanceGrid{
		Stamp:     stamp,
		Programme: "Parcours managérial des coordinateurs de CPTS",
		Cohort:    "Promotion 2027 — PACA",
		Columns: []docs.GridColumn{
			{Date: "jeu. 4 févr. 2027", HalfDay: "matin", Module: "Pilotage de l’organisation"},
			{Date: "jeu. 4 févr. 2027", HalfDay: "après-midi", Module: "Pilotage de l’organisation"},
			{Date: "ven. 5 févr. 2027", HalfDay: "matin", Module: "Animation d’équipe"},
		},
		Rows: []docs.GridRow{
			{Learner: "Éléonore Lœuillet-Çelik", Structure: "CPTS Provence Verte", Rate: "100 %",
				Marks: []docs.Mark{{Status: docs.Present}, {Status: docs.Present}, {Status: docs.Present}}},
			{Learner: "Gaëlle Rousseau", Structure: "CPTS du Pays d’Aix", Rate: "66,7 %",
				Marks: []docs.Mark{{Status: docs.Late, LateMinutes: 12}, {Status: docs.Present},
					{Status: docs.AbsentJustified, Reason: "arrêt maladie"}}},
			{Learner: "Jean-Baptiste N’Diaye", Rate: "0 %",
				Marks: []docs.Mark{{Status: docs.AbsentUnjustified}, {Status: docs.AbsentUnjustified}, {}}},
		},
	}
}

// openGrid renders the grid (twice, to compare the bytes) and opens it again with excelize.
func openGrid(t *testing.T, g docs.AttendanceGrid) *excelize.File {
	t.Helper()
	f, err := excelize.OpenReader(bytes.NewReader(render(t, g.XLSX)))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	return f
}

func TestAttendanceGrid(t *testing.T) {
	t.Parallel()
	f := openGrid(t, grid())
	if got := f.GetSheetList(); !slices.Equal(got, []string{"Assiduité"}) {
		t.Fatalf("sheets %q, want [Assiduité]", got)
	}
	rows, err := f.GetRows("Assiduité")
	if err != nil {
		t.Fatal(err)
	}
	var dump strings.Builder
	for _, r := range rows {
		dump.WriteString(strings.Join(r, "\t") + "\n")
	}
	golden(t, "attendance_grid.txt", dump.String())

	for cell, want := range map[string]string{
		"A1":  "Grille d’assiduité — Parcours managérial des coordinateurs de CPTS — Promotion 2027 — PACA",
		"A2":  "Apprenant",
		"B2":  "Structure",
		"C2":  "jeu. 4 févr. 2027",
		"D3":  "après-midi",
		"E4":  "Animation d’équipe",
		"F2":  "Taux d’assiduité",
		"A5":  "Éléonore Lœuillet-Çelik",
		"B5":  "CPTS Provence Verte",
		"C5":  "P",
		"F5":  "100 %",
		"A6":  "Gaëlle Rousseau",
		"C6":  "R 12",
		"D6":  "P",
		"E6":  "AJ",
		"F6":  "66,7 %",
		"A7":  "Jean-Baptiste N’Diaye",
		"B7":  "",
		"C7":  "ANJ",
		"E7":  "", // not recorded yet
		"F7":  "0 %",
		"A9":  "Légende :",
		"A10": "P", "B10": "présent",
		"A11": "R n", "B11": "en retard de n minutes",
		"A12": "AJ", "B12": "absent justifié",
		"A13": "ANJ", "B13": "absent non justifié",
		"A15": "Parcours — URPS ML PACA — document généré le 4 février 2027 à 18 h 05",
	} {
		got, err := f.GetCellValue("Assiduité", cell)
		if err != nil {
			t.Fatal(err)
		}
		// The legend's colon follows a non-breaking space.
		if got = strings.ReplaceAll(got, nbsp, " "); got != want {
			t.Errorf("%s = %q, want %q", cell, got, want)
		}
	}

	// The learner column and the four title and header rows stay in view.
	panes, err := f.GetPanes("Assiduité")
	if err != nil {
		t.Fatal(err)
	}
	if !panes.Freeze || panes.XSplit != 1 || panes.YSplit != 4 || panes.TopLeftCell != "B5" {
		t.Errorf("panes %+v, want frozen at B5", panes)
	}
	merged, err := f.GetMergeCells("Assiduité")
	if err != nil {
		t.Fatal(err)
	}
	var ranges []string
	for _, m := range merged {
		ranges = append(ranges, m.GetStartAxis()+":"+m.GetEndAxis())
	}
	slices.Sort(ranges)
	if want := []string{"A2:A4", "B2:B4", "F2:F4"}; !slices.Equal(ranges, want) {
		t.Errorf("merged %q, want %q", ranges, want)
	}
	if w, err := f.GetColWidth("Assiduité", "A"); err != nil || w < 25 {
		t.Errorf("learner column %v wide (%v), want at least 25", w, err)
	}

	props, err := f.GetDocProps()
	if err != nil {
		t.Fatal(err)
	}
	if props.Created != "2027-02-04T17:05:00Z" || props.Modified != props.Created || props.Creator != stamp.Operator {
		t.Errorf("document properties %+v, want created and modified at Stamp.At by the operator", props)
	}
}

func TestAttendanceGridWithoutColumns(t *testing.T) {
	t.Parallel()
	g := grid()
	g.Columns = nil
	for i := range g.Rows {
		g.Rows[i].Marks = nil
	}
	f := openGrid(t, g)
	for cell, want := range map[string]string{"C2": "Taux d’assiduité", "A5": "Éléonore Lœuillet-Çelik", "C5": "100 %"} {
		if got, _ := f.GetCellValue("Assiduité", cell); got != want {
			t.Errorf("%s = %q, want %q", cell, got, want)
		}
	}
}

func TestAttendanceGridMarksMustMatchColumns(t *testing.T) {
	t.Parallel()
	g := grid()
	g.Rows[1].Marks = g.Rows[1].Marks[:2]
	_, err := g.XLSX()
	if err == nil || !strings.Contains(err.Error(), "Gaëlle Rousseau") {
		t.Errorf("got %v, want an error naming the row", err)
	}
}
