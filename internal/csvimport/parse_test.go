package csvimport

import (
	"fmt"
	"os"
	"strings"
	"testing"

	"golang.org/x/text/encoding/charmap"

	"parcours/internal/model"
)

const header = "type;nom;finess;siret;ref;region;departement;commune;code_postal;email;taille;population;stade\n"

// wantErr is an expected problem: its line, its column as written, and a fragment of its reason.
type wantErr struct {
	line           int
	column, reason string
}

func checkErrors(t *testing.T, what string, got []RowError, want []wantErr) {
	t.Helper()
	ok := len(got) == len(want)
	for i := 0; ok && i < len(want); i++ {
		ok = got[i].Line == want[i].line && got[i].Column == want[i].column && strings.Contains(got[i].Reason, want[i].reason)
	}
	if !ok {
		var b strings.Builder
		for _, e := range got {
			fmt.Fprintf(&b, "\n\t%d %q %q: %s", e.Line, e.Column, e.Value, e.Reason)
		}
		t.Errorf("%s: got%s\nwant %+v", what, b.String(), want)
	}
}

func readExample(t *testing.T) []byte {
	t.Helper()
	data, err := os.ReadFile("testdata/structures-exemple.csv")
	if err != nil {
		t.Fatal(err)
	}
	return data
}

func TestParseExample(t *testing.T) {
	res := Parse(readExample(t))
	checkErrors(t, "errors", res.Errors, nil)
	checkErrors(t, "warnings", res.Warnings, nil)
	if !res.OK() || res.Encoding != "UTF-8" || res.Separator != ';' || len(res.Rows) != 10 {
		t.Fatalf("OK %v, encoding %q, separator %q, %d rows", res.OK(), res.Encoding, res.Separator, len(res.Rows))
	}
	first := res.Rows[0]
	want := model.Structure{Kind: model.KindCPTS, Name: "CPTS Estuaire et Brière", FINESS: "440095123", SIRET: "98247310000013",
		RegionCode: "52", DepartementCode: "44", Commune: "Saint-Nazaire", Postcode: "44600",
		Email: "contact@cpts-estuaire-briere.example", SizeBand: model.SizeT3, Stage: model.StageACISigne}
	if first.Line != 2 || first.Structure != want {
		t.Errorf("first row: line %d\n got %+v\nwant %+v", first.Line, first.Structure, want)
	}
	last := res.Rows[9].Structure
	if last.Kind != model.KindESP || last.DepartementCode != "72" || last.RegionCode != "52" || res.Rows[9].Line != 11 {
		t.Errorf("last row, département from the postcode: %+v", res.Rows[9])
	}
}

func TestParseFile(t *testing.T) {
	win1252, err := charmap.Windows1252.NewEncoder().String(header +
		"MSP;Maison de santé de la Garençière;;;MSP-1;;85;Mouchamps;85640;;;;\n" +
		"CPTS;CPTS Brière;;;CPTS-1;;44;Montoir-de-Bretagne;44550;;;;émergence\n")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name      string
		data      string
		encoding  string
		separator rune
		names     []string // the rows' names
		lines     []int    // the rows' lines
		errs      []wantErr
	}{
		{
			name:     "UTF-8 with BOM",
			data:     "\xEF\xBB\xBF" + header + "ESP;Équipe de l'Erdre;;;ESP-1;;44;Nort-sur-Erdre;44390;;;;\n",
			encoding: "UTF-8", separator: ';', names: []string{"Équipe de l'Erdre"}, lines: []int{2},
		},
		{
			name:     "Windows-1252",
			data:     win1252,
			encoding: "Windows-1252", separator: ';', names: []string{"Maison de santé de la Garençière", "CPTS Brière"}, lines: []int{2, 3},
		},
		{
			name: "comma, quoted value with a comma and a line break",
			data: "type,nom,ref,departement\r\n" +
				"MSP,\"MSP Clisson, Gétigné\r\net Gorges\",MSP-1,44\r\n" +
				"MSP,MSP de Vertou,MSP-2,44\r\n" +
				"MSP,MSP de Rezé,MSP-3,99\r\n",
			encoding: "UTF-8", separator: ',', names: []string{"MSP Clisson, Gétigné et Gorges", "MSP de Vertou"}, lines: []int{2, 4},
			errs: []wantErr{{5, "departement", "Département inconnu : indiquez son code INSEE"}},
		},
		{
			name: "semicolon, quoted value with a semicolon and a line break",
			data: "type;nom;ref;departement\n" +
				"MSP;\"MSP \"\"Les Lilas\"\" ; Nantes\nNord\";MSP-1;44\n" +
				"MSP;;MSP-2;44\n",
			encoding: "UTF-8", separator: ';', names: []string{`MSP "Les Lilas" ; Nantes Nord`}, lines: []int{2},
			errs: []wantErr{{4, "nom", "Indiquez le nom de la structure."}},
		},
		{
			name: "error in a multi-line row is on the line its value starts",
			data: "type;nom;ref;departement\n" +
				"MSP;\"MSP\nde Vertou\";MSP-2;99\n",
			encoding: "UTF-8", separator: ';',
			errs: []wantErr{{3, "departement", "Département inconnu"}},
		},
		{
			name:     "no département column: its problem is on code_postal",
			data:     "type;nom;ref;code_postal\nMSP;MSP de Vertou;MSP-1;44120\nMSP;MSP de Rezé;MSP-2;\n",
			encoding: "UTF-8", separator: ';', names: []string{"MSP de Vertou"}, lines: []int{2},
			errs: []wantErr{{3, "code_postal", "Indiquez le département ou le code postal"}},
		},
		{
			name:     "header names in any case, with accents, spaces, hyphens or underscores",
			data:     " Type ;NOM;Réf;Code Postal;DÉPARTEMENT;e-mail\nMSP;MSP de Vertou;MSP-1;44120;44;\n",
			encoding: "UTF-8", separator: ';', names: []string{"MSP de Vertou"}, lines: []int{2},
		},
		{
			name:     "CODE-POSTAL and code_postal are the same column",
			data:     "type;nom;ref;CODE-POSTAL;code_postal\n",
			encoding: "UTF-8", separator: ';',
			errs: []wantErr{{1, "code_postal", "apparaît deux fois (colonnes 4 et 5)"}},
		},
		{
			name:     "unknown column",
			data:     "type;nom;ref;departement;comune\nMSP;MSP de Vertou;MSP-1;44;Vertou\n",
			encoding: "UTF-8", separator: ';',
			errs: []wantErr{{1, "comune", "Colonne « comune » inconnue, peut-être mal orthographiée : les colonnes possibles sont type, nom, finess, siret, ref, region, departement, commune, code_postal"}},
		},
		{
			name:     "required columns",
			data:     "nom;ref;commune\nMSP de Vertou;MSP-1;Vertou\n",
			encoding: "UTF-8", separator: ';',
			errs: []wantErr{{1, "type", "Colonne obligatoire absente"}, {1, "departement", "colonne departement ou une colonne code_postal"}},
		},
		{
			name:     "a column without a name is ignored while empty",
			data:     "type;nom;ref;departement;;\nMSP;MSP de Vertou;MSP-1;44;;\nMSP;MSP de Rezé;MSP-2;44;;oups\n",
			encoding: "UTF-8", separator: ';', names: []string{"MSP de Vertou"}, lines: []int{2},
			errs: []wantErr{{3, "", "colonne 6, qui n'a pas de nom"}},
		},
		{
			name:     "rows of empty cells are skipped",
			data:     "type;nom;ref;departement\nMSP;MSP de Vertou;MSP-1;44\n;;;\n ; ; ; \n",
			encoding: "UTF-8", separator: ';', names: []string{"MSP de Vertou"}, lines: []int{2},
		},
		{
			name:     "bare quote",
			data:     "type;nom;ref;departement\nMSP;MSP \"Les Lilas\";MSP-1;44\nMSP;MSP de Vertou;MSP-2;44\n",
			encoding: "UTF-8", separator: ';', names: []string{"MSP de Vertou"}, lines: []int{3},
			errs: []wantErr{{2, "", "Guillemet (\") au milieu d'une valeur"}},
		},
		{
			name:     "wrong number of fields",
			data:     "type;nom;ref;departement\nMSP;MSP de Vertou;MSP-1;44;Vertou\nMSP;MSP de Rezé;MSP-2;44\n",
			encoding: "UTF-8", separator: ';', names: []string{"MSP de Rezé"}, lines: []int{3},
			errs: []wantErr{{2, "", "Nombre de valeurs différent de l'en-tête : 5 sur cette ligne pour 4 colonnes. Vérifiez les séparateurs « ; »"}},
		},
		{
			name:     "quote never closed",
			data:     "type;nom;ref;departement\nMSP;\"MSP de Vertou;MSP-1;44\nMSP;MSP de Rezé;MSP-2;44\n",
			encoding: "UTF-8", separator: ';',
			errs: []wantErr{{2, "", "n'est pas refermée"}},
		},
		{name: "empty file", data: "", errs: []wantErr{{0, "", "Le fichier est vide"}}},
		{name: "only a BOM and blank lines", data: "\xEF\xBB\xBF\r\n\r\n", errs: []wantErr{{0, "", "Le fichier est vide"}}},
		{name: "header only", data: header, encoding: "UTF-8", separator: ';', errs: []wantErr{{0, "", "Le fichier n'a que la ligne d'en-tête"}}},
		{name: "an Excel workbook", data: "PK\x03\x04\x14\x00", errs: []wantErr{{0, "", "classeur Excel"}}},
		{name: "UTF-16", data: "\xFF\xFEt\x00y\x00", errs: []wantErr{{0, "", "UTF-16"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := Parse([]byte(tt.data))
			checkErrors(t, "errors", res.Errors, tt.errs)
			if res.Encoding != tt.encoding || res.Separator != tt.separator {
				t.Errorf("encoding %q, separator %q; want %q, %q", res.Encoding, res.Separator, tt.encoding, tt.separator)
			}
			var names []string
			var lines []int
			for _, r := range res.Rows {
				names, lines = append(names, r.Structure.Name), append(lines, r.Line)
			}
			if fmt.Sprintf("%q %v", names, lines) != fmt.Sprintf("%q %v", tt.names, tt.lines) {
				t.Errorf("rows %q at lines %v, want %q at %v", names, lines, tt.names, tt.lines)
			}
		})
	}
}

// row builds a data line of the full header from the columns that matter to a test.
func row(fields map[string]string) string {
	var out []string
	for _, c := range ColumnNames {
		out = append(out, fields[c])
	}
	return strings.Join(out, ";") + "\n"
}

// cptsRow and mspRow are valid rows that a test changes one field of.
func cptsRow(change map[string]string) string {
	f := map[string]string{"type": "CPTS", "nom": "CPTS Estuaire", "finess": "440095123", "departement": "44",
		"code_postal": "44600", "stade": "active"}
	for k, v := range change {
		f[k] = v
	}
	return row(f)
}

func mspRow(change map[string]string) string {
	f := map[string]string{"type": "MSP", "nom": "MSP des Olonnes", "siret": "98247310000013", "departement": "85"}
	for k, v := range change {
		f[k] = v
	}
	return row(f)
}

func TestParseValues(t *testing.T) {
	long := strings.Repeat("é", 201)
	tests := []struct {
		name  string
		rows  string
		check func(st model.Structure) bool // the first row, when the file has no error
		errs  []wantErr
		warns []wantErr
	}{
		{name: "type as a French label", rows: mspRow(map[string]string{"type": "Centre-de-Santé"}),
			check: func(st model.Structure) bool { return st.Kind == model.KindCDS }},
		{name: "type fédération without accent", rows: mspRow(map[string]string{"type": "FEDERATION"}),
			check: func(st model.Structure) bool { return st.Kind == model.KindFederation }},
		{name: "type organisme de formation", rows: mspRow(map[string]string{"type": "Organisme de formation"}),
			check: func(st model.Structure) bool { return st.Kind == model.KindTraining }},
		{name: "type unknown", rows: mspRow(map[string]string{"type": "Clinique"}),
			errs: []wantErr{{2, "type", "Indiquez le type de structure : CPTS, MSP, centre de santé"}}},
		{name: "type missing", rows: mspRow(map[string]string{"type": ""}),
			errs: []wantErr{{2, "type", "Indiquez le type de structure"}}},
		{name: "name missing", rows: mspRow(map[string]string{"nom": " "}),
			errs: []wantErr{{2, "nom", "Indiquez le nom de la structure."}}},
		{name: "name of 201 characters", rows: mspRow(map[string]string{"nom": long}),
			errs: []wantErr{{2, "nom", "Texte trop long : 200 caractères au plus."}}},
		{name: "population with spaces and non-breaking spaces gives the size", rows: cptsRow(map[string]string{"population": "52\u00a0000"}) +
			cptsRow(map[string]string{"population": "180 000", "finess": "440095156"}) + cptsRow(map[string]string{"population": "39\u202f999", "finess": "440095206"}),
			check: func(st model.Structure) bool { return st.SizeBand == model.SizeT2 }},
		{name: "population and size agree", rows: cptsRow(map[string]string{"population": "120000", "taille": "t3"}),
			check: func(st model.Structure) bool { return st.SizeBand == model.SizeT3 }},
		{name: "population and size disagree", rows: cptsRow(map[string]string{"population": "52 000", "taille": "T3"}),
			errs: []wantErr{{2, "taille", "Une population de 52\u202f000 habitants correspond à la taille T2, pas T3"}}},
		{name: "size unknown", rows: cptsRow(map[string]string{"taille": "T5"}),
			errs: []wantErr{{2, "taille", "Taille inconnue : indiquez T1, T2, T3 ou T4"}}},
		{name: "population not a number", rows: cptsRow(map[string]string{"population": "50k"}),
			errs: []wantErr{{2, "population", "Population illisible : indiquez un nombre entier d'habitants"}}},
		{name: "stage with accents and capitals", rows: cptsRow(map[string]string{"stade": "ACI Signé"}),
			check: func(st model.Structure) bool { return st.Stage == model.StageACISigne }},
		{name: "stage with a typographic apostrophe", rows: cptsRow(map[string]string{"stade": "Lettre d’intention"}),
			check: func(st model.Structure) bool { return st.Stage == model.StageLettreIntention }},
		{name: "stage as a model code", rows: cptsRow(map[string]string{"stade": "projet_sante"}),
			check: func(st model.Structure) bool { return st.Stage == model.StageProjetSante }},
		{name: "stage missing for a CPTS", rows: cptsRow(map[string]string{"stade": ""}),
			errs: []wantErr{{2, "stade", "Indiquez le stade de la CPTS : émergence, lettre d'intention"}}},
		{name: "stage unknown", rows: cptsRow(map[string]string{"stade": "signée"}),
			errs: []wantErr{{2, "stade", "Indiquez le stade de la CPTS"}}},
		{name: "size, population and stage only for a CPTS", rows: mspRow(map[string]string{"taille": "T1", "population": "1000", "stade": "active"}),
			errs: []wantErr{{2, "taille", "Réservé aux CPTS"}, {2, "population", "Réservé aux CPTS"}, {2, "stade", "Réservé aux CPTS"}}},
		{name: "population only, on an MSP", rows: mspRow(map[string]string{"population": "1000"}),
			errs: []wantErr{{2, "population", "Réservé aux CPTS"}}},
		{name: "size unknown, population given: the size is blamed", rows: cptsRow(map[string]string{"taille": "T5", "population": "52000"}),
			errs: []wantErr{{2, "taille", "Taille inconnue"}}},
		{name: "type unknown: the CPTS columns are not judged", rows: mspRow(map[string]string{"type": "Clinique", "stade": "active"}),
			errs: []wantErr{{2, "type", "Indiquez le type de structure"}}},
		{name: "commune of 101 characters", rows: mspRow(map[string]string{"commune": strings.Repeat("x", 101)}),
			errs: []wantErr{{2, "commune", "Texte trop long : 100 caractères au plus."}}},
		{name: "e-mail in capitals", rows: mspRow(map[string]string{"email": "Accueil@MSP.example"}),
			check: func(st model.Structure) bool { return st.Email == "accueil@msp.example" }},
		{name: "département 1 is 01", rows: mspRow(map[string]string{"departement": "1", "siret": "", "ref": "AIN-1"}),
			check: func(st model.Structure) bool { return st.DepartementCode == "01" && st.RegionCode == "84" }},
		{name: "département from the postcode", rows: mspRow(map[string]string{"departement": "", "code_postal": "85 100"}),
			check: func(st model.Structure) bool {
				return st.DepartementCode == "85" && st.RegionCode == "52" && st.Postcode == "85100"
			}},
		{name: "postcode that lost its leading zero", rows: mspRow(map[string]string{"departement": "", "code_postal": "1000", "siret": "", "ref": "AIN-1"}),
			check: func(st model.Structure) bool { return st.DepartementCode == "01" && st.Postcode == "01000" }},
		{name: "département and postcode disagree", rows: mspRow(map[string]string{"code_postal": "49100"}),
			errs: []wantErr{{2, "code_postal", "Ce code postal est dans le département 49 (Maine-et-Loire), mais le département indiqué est 85 (Vendée)"}}},
		{name: "département unknown", rows: mspRow(map[string]string{"departement": "96"}),
			errs: []wantErr{{2, "departement", "Département inconnu : indiquez son code INSEE"}}},
		{name: "postcode unknown", rows: mspRow(map[string]string{"code_postal": "851"}),
			errs: []wantErr{{2, "code_postal", "Code postal inconnu : écrivez ses 5 chiffres"}}},
		{name: "neither département nor postcode", rows: mspRow(map[string]string{"departement": ""}),
			errs: []wantErr{{2, "departement", "Indiquez le département ou le code postal"}}},
		{name: "région given and right", rows: mspRow(map[string]string{"region": "52"}),
			check: func(st model.Structure) bool { return st.RegionCode == "52" }},
		{name: "région given and wrong", rows: mspRow(map[string]string{"region": "53"}),
			errs: []wantErr{{2, "region", "Le département 85 (Vendée) est en région 52 (Pays de la Loire), pas 53 (Bretagne) : corrigez la région"}}},
		{name: "région unknown", rows: mspRow(map[string]string{"region": "99"}),
			errs: []wantErr{{2, "region", "Région inconnue"}}},
		{name: "e-mail with a display name keeps the address", rows: mspRow(map[string]string{"email": "MSP des Olonnes <accueil@msp.example>"}),
			check: func(st model.Structure) bool { return st.Email == "accueil@msp.example" }},
		{name: "e-mail invalid", rows: mspRow(map[string]string{"email": "accueil(at)msp.example"}),
			errs: []wantErr{{2, "email", "Adresse e-mail invalide"}}},
		{name: "FINESS with spaces", rows: cptsRow(map[string]string{"finess": "44 009 512 3"}),
			check: func(st model.Structure) bool { return st.FINESS == "440095123" }},
		{name: "FINESS key wrong", rows: cptsRow(map[string]string{"finess": "440095124"}),
			errs: []wantErr{{2, "finess", "Numéro FINESS invalide : la clé de contrôle ne correspond pas"}}},
		{name: "FINESS of another département", rows: cptsRow(map[string]string{"finess": "490095130"}),
			errs: []wantErr{{2, "finess", "établissement du département 49 (Maine-et-Loire), mais la structure est située dans le département 44 (Loire-Atlantique)"}}},
		{name: "FINESS of Corsica is a warning", rows: cptsRow(map[string]string{"finess": "2A0000123", "departement": "2a", "code_postal": "20000"}),
			check: func(st model.Structure) bool { return st.FINESS == "2A0000123" && st.RegionCode == "94" },
			warns: []wantErr{{2, "finess", "Numéro FINESS corse (2A ou 2B)"}}},
		{name: "SIRET key wrong", rows: mspRow(map[string]string{"siret": "98247310000014"}),
			errs: []wantErr{{2, "siret", "Numéro SIRET invalide : la clé de contrôle ne correspond pas"}}},
		{name: "ref of 65 characters", rows: mspRow(map[string]string{"siret": "", "ref": strings.Repeat("x", 65)}),
			errs: []wantErr{{2, "ref", "Texte trop long : 64 caractères au plus."}}},
		{name: "no key", rows: mspRow(map[string]string{"siret": ""}),
			errs: []wantErr{{2, "", "Sans FINESS, SIRET ni ref, la ligne ne pourrait pas être réimportée sans créer de doublon"}}},
		{name: "same FINESS twice", rows: cptsRow(nil) + mspRow(nil) + cptsRow(map[string]string{"nom": "CPTS bis"}),
			errs: []wantErr{{4, "finess", "Ce FINESS figure déjà ligne 2"}}},
		{name: "same SIRET twice, written differently", rows: mspRow(nil) + mspRow(map[string]string{"siret": "982 473 100 00013"}),
			errs: []wantErr{{3, "siret", "Ce SIRET figure déjà ligne 2"}}},
		{name: "same ref twice", rows: mspRow(map[string]string{"siret": "", "ref": "R1"}) + mspRow(map[string]string{"siret": "", "ref": "R1"}),
			errs: []wantErr{{3, "ref", "Cette ref figure déjà ligne 2"}}},
		{name: "every error of a row and of the next rows", rows: mspRow(map[string]string{"type": "?", "email": "@"}) + mspRow(map[string]string{"siret": "1"}),
			errs: []wantErr{{2, "type", "Indiquez le type de structure"}, {2, "email", "Adresse e-mail invalide"}, {3, "siret", "14 chiffres attendus, celui-ci en a 1"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := Parse([]byte(header + tt.rows))
			checkErrors(t, "errors", res.Errors, tt.errs)
			checkErrors(t, "warnings", res.Warnings, tt.warns)
			if tt.check != nil && (len(res.Rows) == 0 || !tt.check(res.Rows[0].Structure)) {
				t.Errorf("rows %+v", res.Rows)
			}
			if res.OK() != (len(tt.errs) == 0) {
				t.Errorf("OK() = %v with %d errors", res.OK(), len(res.Errors))
			}
		})
	}
}

func TestParseLimits(t *testing.T) {
	refs := func(n int, bad bool) []byte {
		var b strings.Builder
		b.WriteString("type;nom;ref;departement\n")
		for i := range n {
			dep := "44"
			if bad {
				dep = "00"
			}
			fmt.Fprintf(&b, "ESP;ESP %d;ESP-%d;%s\n", i, i, dep)
		}
		return []byte(b.String())
	}
	t.Run("50 000 rows", func(t *testing.T) {
		res := Parse(refs(MaxRows, false))
		if !res.OK() || len(res.Rows) != MaxRows {
			t.Errorf("%d rows, errors %v", len(res.Rows), res.Errors)
		}
	})
	t.Run("one row more", func(t *testing.T) {
		res := Parse(refs(MaxRows+1, false))
		checkErrors(t, "errors", res.Errors, []wantErr{{MaxRows + 2, "", "Le fichier dépasse 50\u202f000 lignes de données"}})
	})
	t.Run("errors stop at 1000 with a note", func(t *testing.T) {
		res := Parse(refs(MaxErrors+50, true))
		last := res.Errors[len(res.Errors)-1]
		if len(res.Errors) != MaxErrors+1 || res.Errors[MaxErrors-1].Line != MaxErrors+1 || last.Line != 0 || !strings.Contains(last.Reason, "Plus de 1\u202f000 erreurs") {
			t.Errorf("%d errors, last %+v", len(res.Errors), last)
		}
	})
	t.Run("a file too big", func(t *testing.T) {
		res := Parse(make([]byte, MaxBytes+1))
		checkErrors(t, "errors", res.Errors, []wantErr{{0, "", "Le fichier dépasse 32 Mo"}})
	})
}

func TestRowErrorString(t *testing.T) {
	tests := []struct {
		name string
		e    RowError
		want string
	}{
		{"column and value", RowError{Line: 4, Column: "FINESS", Value: "4400", Reason: "trop court"}, "ligne 4, colonne FINESS (« 4400 ») : trop court"},
		{"row", RowError{Line: 4, Reason: "sans clé"}, "ligne 4 : sans clé"},
		{"file", RowError{Reason: "vide"}, "fichier : vide"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.e.String(); got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}
