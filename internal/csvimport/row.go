package csvimport

import (
	"cmp"
	"encoding/csv"
	"net/mail"
	"slices"
	"strconv"
	"strings"

	"parcours/internal/i18n"
	"parcours/internal/model"
	"parcours/internal/validator"
)

// kinds reads the type column: model codes and French labels, folded by valueKey. A value not
// here goes to the validator as written, which says what the type should be.
var kinds = map[string]model.StructureKind{
	"cpts": model.KindCPTS, "communaute professionnelle territoriale de sante": model.KindCPTS,
	"msp": model.KindMSP, "maison de sante": model.KindMSP, "maison de sante pluriprofessionnelle": model.KindMSP,
	"cds": model.KindCDS, "centre de sante": model.KindCDS,
	"esp": model.KindESP, "equipe de soins primaires": model.KindESP,
	"ars": model.KindARS, "agence regionale de sante": model.KindARS,
	"urps": model.KindURPS, "union regionale des professionnels de sante": model.KindURPS,
	"federation":             model.KindFederation,
	"organisme de formation": model.KindTraining, "training": model.KindTraining,
}

// stages reads the stade column; "lettre_intention" and "lettre d'intention" both fold to a key here.
var stages = map[string]model.Stage{
	"emergence":          model.StageEmergence,
	"lettre d'intention": model.StageLettreIntention, "lettre intention": model.StageLettreIntention,
	"projet de sante": model.StageProjetSante, "projet sante": model.StageProjetSante,
	"aci signe": model.StageACISigne,
	"active":    model.StageActive,
}

// fieldColumns names the columns that hold each of validator.Structure's fields; a field's
// problem goes to the first of them that the file has. The size band is apart: see sizeBand.
var fieldColumns = map[string][]string{
	"kind": {colType}, "name": {colNom}, "departement": {colDepartement, colPostcode}, "region": {colRegion},
	"postcode": {colPostcode}, "commune": {colCommune}, "email": {colEmail}, "finess": {colFINESS},
	"siret": {colSIRET}, "ref": {colRef}, "stage": {colStade},
}

// valueKey makes "Centre de Santé", "centre-de-sante" and "CENTRE_DE_SANTE" the same.
func valueKey(v string) string {
	return clean(valueSeparators.Replace(model.Fold(v)))
}

// rowReader reads one data row into a structure and collects the row's problems.
type rowReader struct {
	p        *parser
	r        *csv.Reader
	rec      []string
	line     int
	problems []problem // what the row is blamed for, at most one problem per column
	own      []problem // problems of the file's own rules, which yield to validator.Structure's
	sizeCols []string  // the columns the size band was read from
}

// problem is one error of a row, on a column (canonical name) or, when col is "", on the row.
type problem struct{ col, value, reason string }

// row reads one data row, checks it with validator.Structure and with the rules of the file
// (keys, duplicates), and keeps it when it has no problem.
func (p *parser) row(r *csv.Reader, rec []string) {
	line, _ := r.FieldPos(0)
	c := &rowReader{p: p, r: r, rec: rec, line: line}
	for _, i := range p.unnamed {
		if v := clean(rec[i]); v != "" {
			c.own = append(c.own, problem{"", v, i18n.T("import.row.unnamed_column", i+1)})
		}
	}
	st := model.Structure{
		Kind:            c.kind(),
		Name:            c.get(colNom),
		DepartementCode: c.get(colDepartement),
		RegionCode:      c.get(colRegion),
		Postcode:        c.postcode(),
		Commune:         c.get(colCommune),
		Email:           c.email(),
		FINESS:          c.get(colFINESS),
		SIRET:           c.get(colSIRET),
		Ref:             c.get(colRef),
		SizeBand:        c.sizeBand(),
		Stage:           c.stage(),
	}

	errs, warnings := validator.Structure(&st)
	for _, fe := range errs {
		for _, col := range c.columnsOf(fe.Field) {
			c.fail(col, fe.Message)
		}
	}
	for _, pr := range c.own {
		if pr.col == "" || !c.blamed(pr.col) {
			c.problems = append(c.problems, pr)
		}
	}
	for _, w := range warnings { // validator.Structure warns only about the FINESS
		c.warn(colFINESS, w)
	}
	c.keys(st)

	if len(c.problems) == 0 {
		p.res.Rows = append(p.res.Rows, Row{Line: line, Structure: st})
		return
	}
	c.report()
}

func (c *rowReader) get(col string) string {
	if i, ok := c.p.index[col]; ok {
		return clean(c.rec[i])
	}
	return ""
}

// columnsOf gives the columns a validator field was read from: the row itself when the file
// has none of them.
func (c *rowReader) columnsOf(field string) []string {
	if field == "size_band" && len(c.sizeCols) > 0 {
		return c.sizeCols
	}
	for _, col := range fieldColumns[field] {
		if _, ok := c.p.index[col]; ok {
			return []string{col}
		}
	}
	return []string{""}
}

// fail records a problem on a column, or on the row when col is "", unless the column has one.
func (c *rowReader) fail(col, reason string) {
	if col == "" || !c.blamed(col) {
		c.problems = append(c.problems, problem{col, c.get(col), reason})
	}
}

func (c *rowReader) blamed(col string) bool {
	return slices.ContainsFunc(c.problems, func(pr problem) bool { return pr.col == col })
}

// report records the row's problems from left to right, each at the line where its value
// starts, the row's own last.
func (c *rowReader) report() {
	position := func(col string) int {
		if i, ok := c.p.index[col]; ok {
			return i
		}
		return len(c.rec)
	}
	slices.SortStableFunc(c.problems, func(a, b problem) int { return cmp.Compare(position(a.col), position(b.col)) })
	for _, pr := range c.problems {
		c.p.fail(c.lineOf(pr.col), c.p.res.header(pr.col), pr.value, pr.reason)
	}
}

// lineOf gives the line where a column's value starts, which a quoted line break moves on.
func (c *rowReader) lineOf(col string) int {
	if i, ok := c.p.index[col]; ok {
		line, _ := c.r.FieldPos(i)
		return line
	}
	return c.line
}

func (c *rowReader) warn(col, reason string) {
	c.p.res.Warnings = append(c.p.res.Warnings, RowError{Line: c.lineOf(col), Column: c.p.res.header(col), Value: c.get(col), Reason: reason})
}

func (c *rowReader) kind() model.StructureKind {
	v := c.get(colType)
	if k, ok := kinds[valueKey(v)]; ok {
		return k
	}
	return model.StructureKind(v)
}

func (c *rowReader) stage() model.Stage {
	v := c.get(colStade)
	if v == "" {
		return ""
	}
	if s, ok := stages[valueKey(v)]; ok {
		return s
	}
	return model.Stage(v)
}

// postcode restores the leading zero a spreadsheet drops from 01000.
func (c *rowReader) postcode() string {
	v := strings.ReplaceAll(c.get(colPostcode), " ", "")
	if len(v) == 4 && allDigits(v) {
		return "0" + v
	}
	return v
}

// email keeps the address of "MSP des Olonnes <accueil@msp.example>", as mail programs copy it.
func (c *rowReader) email() string {
	v := c.get(colEmail)
	if a, err := mail.ParseAddress(v); err == nil {
		return a.Address
	}
	return v
}

// sizeBand reads the size band from taille or else from the population, which must agree
// when both are given. It notes the columns the band came from, since the validator's verdict
// on the band (only a CPTS has one) is about them.
func (c *rowReader) sizeBand() model.SizeBand {
	rawBand, rawPop := c.get(colTaille), c.get(colPopulation)
	band := model.SizeBand(strings.ToLower(strings.ReplaceAll(rawBand, " ", "")))
	if band != "" {
		c.sizeCols = append(c.sizeCols, colTaille)
	}
	if rawPop == "" {
		return band
	}
	n, err := strconv.Atoi(strings.Join(strings.Fields(rawPop), ""))
	switch {
	case err != nil || n <= 0:
		c.own = append(c.own, problem{colPopulation, rawPop, i18n.T("import.row.population")})
	case band == "":
		band = model.SizeBandFor(n)
		c.sizeCols = append(c.sizeCols, colPopulation)
	case band.Valid():
		c.sizeCols = append(c.sizeCols, colPopulation)
		if want := model.SizeBandFor(n); want != band {
			c.own = append(c.own, problem{colTaille, rawBand, i18n.T("import.row.size_mismatch",
				i18n.Number(n), strings.ToUpper(string(want)), strings.ToUpper(string(band)))})
		}
	}
	return band
}

// keys requires one identifier to find the structure again at the next import, and each
// identifier to appear once in the file.
func (c *rowReader) keys(st model.Structure) {
	if st.FINESS == "" && st.SIRET == "" && st.Ref == "" {
		c.fail("", i18n.T("import.row.no_key"))
	}
	for _, k := range []struct{ col, value, twice string }{
		{colFINESS, st.FINESS, "import.row.twice.finess"},
		{colSIRET, st.SIRET, "import.row.twice.siret"},
		{colRef, st.Ref, "import.row.twice.ref"},
	} {
		if k.value == "" || c.blamed(k.col) {
			continue
		}
		seen := c.p.firstLine[k.col]
		if seen == nil {
			seen = map[string]int{}
			c.p.firstLine[k.col] = seen
		}
		if first, ok := seen[k.value]; ok {
			c.fail(k.col, i18n.T(k.twice, first))
		} else {
			seen[k.value] = c.line
		}
	}
}

func allDigits(s string) bool {
	for i := range len(s) {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

var valueSeparators = strings.NewReplacer("_", " ", "-", " ")
