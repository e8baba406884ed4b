package csvimport_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"
	"testing"

	"parcours/internal/csvimport"
	"parcours/internal/model"
	"parcours/internal/storage"
	"parcours/internal/testkit"
)

var ctx = context.Background()

func example(t *testing.T) string {
	t.Helper()
	data, err := os.ReadFile("testdata/structures-exemple.csv")
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

// parse reads a file that must have no error.
func parse(t *testing.T, data string) *csvimport.Result {
	t.Helper()
	res := csvimport.Parse([]byte(data))
	if !res.OK() {
		t.Fatalf("parse errors: %v", res.Errors)
	}
	return res
}

// structures lists the stored structures by key: FINESS, else SIRET, else ref.
func structures(t *testing.T, s *storage.Store) map[string]model.Structure {
	t.Helper()
	list, _, err := s.Structures(ctx, storage.StructureFilter{})
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]model.Structure{}
	for _, st := range list {
		out[st.FINESS+st.SIRET+st.Ref] = st
	}
	return out
}

func counts(r csvimport.Report) string {
	return fmt.Sprintf("created %d, updated %d, unchanged %d", r.Created, r.Updated, r.Unchanged)
}

func TestApplyExampleThenReimport(t *testing.T) {
	testkit.Each(t, func(t *testing.T, s *storage.Store) {
		rep, err := csvimport.Apply(ctx, s, parse(t, example(t)), csvimport.Options{AccountID: "admin-1", IP: "192.0.2.7"})
		if err != nil || counts(rep) != "created 10, updated 0, unchanged 0" {
			t.Fatalf("first import: %s, %v %v", counts(rep), err, rep.Errors)
		}
		first := structures(t, s)
		if st := first["44009512398247310000013"]; st.Name != "CPTS Estuaire et Brière" || st.SizeBand != model.SizeT3 || st.Stage != model.StageACISigne {
			t.Errorf("stored %+v", st)
		}

		trail, err := s.AuditTrail(ctx, "import", rep.ImportID, 0)
		if err != nil || len(trail) != 1 {
			t.Fatalf("audit %+v %v", trail, err)
		}
		e := trail[0]
		if e.Action != "import.structures" || e.AccountID != "admin-1" || e.IP != "192.0.2.7" ||
			fmt.Sprint(e.Details) != "map[created:10 encoding:UTF-8 rows:10 unchanged:0 updated:0]" {
			t.Errorf("audit entry %+v", e)
		}

		rep, err = csvimport.Apply(ctx, s, parse(t, example(t)), csvimport.Options{})
		if err != nil || counts(rep) != "created 0, updated 0, unchanged 10" {
			t.Fatalf("same file again: %s, %v", counts(rep), err)
		}
		for key, st := range structures(t, s) {
			if st != first[key] {
				t.Errorf("re-import changed %s:\n%+v\n%+v", key, first[key], st)
			}
		}

		changed := strings.Replace(example(t), ";Craon;53400;", ";Craon Centre;53400;", 1)
		rep, err = csvimport.Apply(ctx, s, parse(t, changed), csvimport.Options{})
		if err != nil || counts(rep) != "created 0, updated 1, unchanged 9" {
			t.Fatalf("one commune changed: %s, %v", counts(rep), err)
		}
		before, after := first["84120937200017"], structures(t, s)["84120937200017"]
		if after.Commune != "Craon Centre" || after.ID != before.ID || !after.UpdatedAt.After(before.UpdatedAt) || !after.CreatedAt.Equal(before.CreatedAt) {
			t.Errorf("updated structure\n%+v\nwas\n%+v", after, before)
		}
	})
}

func TestApplyRefusesAFileWithErrors(t *testing.T) {
	testkit.Each(t, func(t *testing.T, s *storage.Store) {
		bad := strings.Replace(example(t), ";Craon;53400;", ";Craon;49100;", 1) // Craon's postcode in Maine-et-Loire
		res := csvimport.Parse([]byte(bad))
		if res.OK() || len(res.Errors) != 1 || res.Errors[0].Line != 7 || res.Errors[0].Column != "code_postal" || len(res.Rows) != 9 {
			t.Fatalf("parse: %+v, %d rows", res.Errors, len(res.Rows))
		}
		rep, err := csvimport.Apply(ctx, s, res, csvimport.Options{})
		if !errors.Is(err, csvimport.ErrRefused) || len(rep.Errors) != 1 || counts(rep) != "created 0, updated 0, unchanged 0" {
			t.Errorf("apply: %s, %v %v", counts(rep), err, rep.Errors)
		}
		if n := len(structures(t, s)); n != 0 {
			t.Errorf("%d structures written", n)
		}
	})
}

func TestApplyConflictsWithTheDatabase(t *testing.T) {
	const head = "type;nom;FINESS;Siret;ref;departement;stade\n"
	const good = "MSP;MSP de Vertou;440095206;;;44;\n" // a row that alone would be created
	tests := []struct {
		name   string
		rows   string
		line   int
		column string
		reason string
	}{
		{
			name: "FINESS of A with the SIRET of B",
			rows: good + "CPTS;CPTS Estuaire;440095123;91381456200017;;44;active\n",
			line: 3, column: "Siret",
			reason: "ce SIRET appartient déjà à « MSP Saumur », alors que le FINESS de la ligne désigne « CPTS Estuaire »",
		},
		{
			name: "ref of B with the FINESS of A",
			rows: "MSP;MSP Saumur;440095123;;B-REF;44;\n" + good,
			line: 2, column: "ref",
			reason: "cette ref appartient déjà à « MSP Saumur », alors que le FINESS de la ligne désigne « CPTS Estuaire »",
		},
		{
			name: "SIRET of B, which has another FINESS",
			rows: good + "MSP;MSP Saumur;490095213;91381456200017;;49;\n",
			line: 3, column: "FINESS",
			reason: "le SIRET de la ligne désigne « MSP Saumur », qui a déjà le FINESS 490095130",
		},
		{
			name: "two rows for one structure",
			rows: "CPTS;CPTS Estuaire;440095123;;;44;active\n" + good + "CPTS;CPTS Estuaire;;98247310000013;;44;active\n",
			line: 4, column: "Siret",
			reason: "Cette ligne désigne « CPTS Estuaire », comme la ligne 2",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			testkit.Each(t, func(t *testing.T, s *storage.Store) {
				a := &model.Structure{Kind: model.KindCPTS, Name: "CPTS Estuaire", FINESS: "440095123", SIRET: "98247310000013",
					RegionCode: "52", DepartementCode: "44", Stage: model.StageActive}
				b := &model.Structure{Kind: model.KindMSP, Name: "MSP Saumur", FINESS: "490095130", SIRET: "91381456200017",
					Ref: "B-REF", RegionCode: "52", DepartementCode: "49"}
				for _, st := range []*model.Structure{a, b} {
					if err := s.CreateStructure(ctx, st); err != nil {
						t.Fatal(err)
					}
				}
				before := structures(t, s)
				for _, dryRun := range []bool{true, false} {
					rep, err := csvimport.Apply(ctx, s, parse(t, head+tt.rows), csvimport.Options{DryRun: dryRun})
					if !errors.Is(err, csvimport.ErrRefused) || len(rep.Errors) != 1 || rep.Errors[0].Line != tt.line ||
						rep.Errors[0].Column != tt.column || !strings.Contains(rep.Errors[0].Reason, tt.reason) {
						t.Errorf("dry run %v: %v %+v", dryRun, err, rep.Errors)
					}
				}
				after := structures(t, s)
				if fmt.Sprint(after) != fmt.Sprint(before) {
					t.Errorf("written:\n%v\nwas\n%v", after, before)
				}
			})
		})
	}
}

func TestApplyKeepsWhatTheFileDoesNotSay(t *testing.T) {
	testkit.Each(t, func(t *testing.T, s *storage.Store) {
		st := &model.Structure{Kind: model.KindCPTS, Name: "CPTS Saumur", SIRET: "91381456200017", RegionCode: "52",
			DepartementCode: "49", Commune: "Saumur", Postcode: "49400", Email: "contact@cpts-saumur.example",
			SizeBand: model.SizeT2, Stage: model.StageProjetSante}
		if err := s.CreateStructure(ctx, st); err != nil {
			t.Fatal(err)
		}
		// No commune, e-mail, size nor SIRET: the row adds a FINESS and moves the stage on.
		res := parse(t, "type;nom;finess;siret;departement;stade\nCPTS;CPTS Saumur;490095130;91381456200017;49;ACI signé\n")
		rep, err := csvimport.Apply(ctx, s, res, csvimport.Options{})
		if err != nil || counts(rep) != "created 0, updated 1, unchanged 0" {
			t.Fatalf("%s, %v %v", counts(rep), err, rep.Errors)
		}
		got, err := s.Structure(ctx, st.ID)
		want := *st
		want.FINESS, want.Stage, want.UpdatedAt = "490095130", model.StageACISigne, got.UpdatedAt
		if err != nil || got != want {
			t.Errorf("\n got %+v\nwant %+v", got, want)
		}
	})
}

func TestApplyDryRun(t *testing.T) {
	testkit.Each(t, func(t *testing.T, s *storage.Store) {
		var calls [][2]int
		opt := csvimport.Options{DryRun: true, Progress: func(done, total int) { calls = append(calls, [2]int{done, total}) }}
		rep, err := csvimport.Apply(ctx, s, parse(t, example(t)), opt)
		if err != nil || counts(rep) != "created 10, updated 0, unchanged 0" || rep.ImportID != "" {
			t.Fatalf("dry run: %s %q, %v", counts(rep), rep.ImportID, err)
		}
		if n := len(structures(t, s)); n != 0 {
			t.Errorf("dry run wrote %d structures", n)
		}
		if fmt.Sprint(calls) != "[[10 10]]" {
			t.Errorf("progress %v", calls)
		}
	})
}

func TestApplyProgress(t *testing.T) {
	var b strings.Builder
	b.WriteString("type;nom;ref;departement\n")
	for i := range 450 {
		fmt.Fprintf(&b, "ESP;ESP %d;ESP-%03d;53\n", i, i)
	}
	testkit.Each(t, func(t *testing.T, s *storage.Store) {
		var calls [][2]int
		opt := csvimport.Options{Progress: func(done, total int) { calls = append(calls, [2]int{done, total}) }}
		rep, err := csvimport.Apply(ctx, s, parse(t, b.String()), opt)
		if err != nil || rep.Created != 450 {
			t.Fatalf("%s, %v", counts(rep), err)
		}
		// Checking is the first half (225 rows' worth), saving the second.
		if fmt.Sprint(calls) != "[[200 450] [400 450] [450 450]]" {
			t.Errorf("progress %v", calls)
		}
	})
}
