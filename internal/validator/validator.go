// Package validator checks what people type before it reaches the database, and says what is
// wrong field by field, in French, with a stable code for the API. The HTML forms, the JSON
// API and the CSV import share these rules.
package validator

import (
	"errors"
	"net/mail"
	"strings"
	"unicode/utf8"

	"parcours/internal/i18n"
	"parcours/internal/ident"
	"parcours/internal/model"
	"parcours/internal/storage"
	"parcours/internal/territory"
)

// FieldError is one problem with one field.
type FieldError struct {
	Field   string
	Code    string // required, invalid, too_long, inconsistent, taken
	Message string // French, for people
}

// Errors collects at most one problem per field, in the order found.
type Errors []FieldError

// Add records a problem unless the field already has one.
func (e *Errors) Add(field, code, message string) {
	if e.For(field) == "" {
		*e = append(*e, FieldError{Field: field, Code: code, Message: message})
	}
}

// For returns the message for field, or "".
func (e Errors) For(field string) string {
	for _, fe := range e {
		if fe.Field == field {
			return fe.Message
		}
	}
	return ""
}

// Any reports whether there is a problem.
func (e Errors) Any() bool { return len(e) > 0 }

func (e *Errors) required(field, value string) bool {
	if strings.TrimSpace(value) == "" {
		e.Add(field, "required", i18n.T("validation.required"))
		return false
	}
	return true
}

func (e *Errors) maxLen(field, value string, n int) {
	if utf8.RuneCountInString(value) > n {
		e.Add(field, "too_long", i18n.T("validation.too_long", n))
	}
}

func (e *Errors) email(field, value string) {
	if value == "" {
		return
	}
	a, err := mail.ParseAddress(value)
	if err != nil || a.Address != value || !strings.Contains(value[strings.LastIndex(value, "@")+1:], ".") {
		e.Add(field, "invalid", i18n.T("validation.email"))
	}
}

// identifier records an ident error's French reason.
func (e *Errors) identifier(field string, err error) {
	var ie *ident.Error
	if errors.As(err, &ie) {
		e.Add(field, "invalid", i18n.T("validation.identifier", ie.Field, ie.Reason()))
	} else if err != nil {
		e.Add(field, "invalid", i18n.T("validation.invalid"))
	}
}

// Structure normalises st in place (trimmed text, identifiers and codes without spaces, région
// from the département) and checks it. It returns warnings that do not block (a Corsican FINESS).
func Structure(st *model.Structure) (errs Errors, warnings []string) {
	st.Name = strings.Join(strings.Fields(st.Name), " ")
	st.Commune = strings.Join(strings.Fields(st.Commune), " ")
	st.Postcode = strings.Join(strings.Fields(st.Postcode), "")
	st.Email = strings.ToLower(strings.TrimSpace(st.Email))
	st.Ref = strings.TrimSpace(st.Ref)
	st.DepartementCode = territoryCode(st.DepartementCode)
	st.RegionCode = territoryCode(st.RegionCode)
	if !st.Kind.Valid() {
		errs.Add("kind", requiredOrInvalid(st.Kind), i18n.T("validation.kind"))
	}
	if st.Name == "" {
		errs.Add("name", "required", i18n.T("validation.name"))
	}
	errs.maxLen("name", st.Name, 200)
	located := errs.place(st)
	errs.maxLen("commune", st.Commune, 100)
	errs.email("email", st.Email)
	if st.FINESS != "" {
		n, warning, err := ident.FINESS(st.FINESS)
		st.FINESS = n
		errs.identifier("finess", err)
		if fd := ident.FINESSDepartement(n); err == nil && located && fd != st.DepartementCode {
			errs.Add("finess", "inconsistent", i18n.T("validation.finess_departement", departementName(fd), departementName(st.DepartementCode)))
		}
		if warning != "" {
			warnings = append(warnings, warning)
		}
	}
	if st.SIRET != "" {
		n, err := ident.SIRET(st.SIRET)
		st.SIRET = n
		errs.identifier("siret", err)
	}
	errs.maxLen("ref", st.Ref, 64)
	switch {
	case !st.Kind.Valid(): // which fields fit is unknown until the kind is right
	case st.Kind == model.KindCPTS:
		if !st.Stage.Valid() {
			errs.Add("stage", requiredOrInvalid(st.Stage), i18n.T("validation.stage"))
		}
		if st.SizeBand != "" && !st.SizeBand.Valid() {
			errs.Add("size_band", "invalid", i18n.T("validation.size_band"))
		}
	default:
		if st.Stage != "" {
			errs.Add("stage", "inconsistent", i18n.T("validation.cpts_only"))
		}
		if st.SizeBand != "" {
			errs.Add("size_band", "inconsistent", i18n.T("validation.cpts_only"))
		}
	}
	return errs, warnings
}

// place checks where a structure is. The département, given or else read from the postcode,
// decides the région; a postcode or région also given must agree with it. It reports whether
// the département is known.
func (e *Errors) place(st *model.Structure) bool {
	var fromPostcode string
	if st.Postcode != "" {
		var ok bool
		if fromPostcode, ok = territory.DepartementOfPostcode(st.Postcode); !ok {
			e.Add("postcode", "invalid", i18n.T("validation.postcode"))
		}
	}
	if st.DepartementCode == "" {
		st.DepartementCode = fromPostcode
	}
	dep, ok := territory.DepartementByCode(st.DepartementCode)
	switch {
	case !ok && st.DepartementCode != "":
		e.Add("departement", "invalid", i18n.T("validation.departement_unknown"))
		return false
	case !ok && st.Postcode != "":
		return false // the postcode's error says what to fix
	case !ok:
		e.Add("departement", "required", i18n.T("validation.departement"))
		return false
	}
	if fromPostcode != "" && fromPostcode != dep.Code {
		e.Add("postcode", "inconsistent", i18n.T("validation.postcode_mismatch", departementName(fromPostcode), departementName(dep.Code)))
	}
	if st.RegionCode != "" {
		if _, ok := territory.RegionByCode(st.RegionCode); !ok {
			e.Add("region", "invalid", i18n.T("validation.region"))
		} else if st.RegionCode != dep.RegionCode {
			e.Add("region", "inconsistent", i18n.T("validation.region_mismatch",
				departementName(dep.Code), regionName(dep.RegionCode), regionName(st.RegionCode)))
		}
	}
	st.RegionCode = dep.RegionCode
	return true
}

// requiredOrInvalid is the code of a value outside its list: "required" when it is empty.
func requiredOrInvalid[T ~string](v T) string {
	if v == "" {
		return "required"
	}
	return "invalid"
}

// territoryCode writes a département or région code as INSEE does: "2a" is "2A", and "1", which
// a spreadsheet made of "01", is "01".
func territoryCode(code string) string {
	code = strings.ToUpper(strings.Join(strings.Fields(code), ""))
	if len(code) == 1 && code[0] >= '0' && code[0] <= '9' {
		return "0" + code
	}
	return code
}

// departementName names a département for messages: "85 (Vendée)".
func departementName(code string) string {
	if d, ok := territory.DepartementByCode(code); ok {
		return code + " (" + d.Name + ")"
	}
	return code
}

// regionName names a région for messages: "52 (Pays de la Loire)".
func regionName(code string) string {
	if r, ok := territory.RegionByCode(code); ok {
		return code + " (" + r.Name + ")"
	}
	return code
}

// Person normalises p in place and checks it.
func Person(p *model.Person) (errs Errors) {
	p.FirstName = strings.Join(strings.Fields(p.FirstName), " ")
	p.LastName = strings.Join(strings.Fields(p.LastName), " ")
	p.Email = strings.ToLower(strings.TrimSpace(p.Email))
	p.Phone = strings.TrimSpace(p.Phone)
	if !p.Civility.Valid() {
		errs.Add("civility", "invalid", i18n.T("validation.choose"))
	}
	if errs.required("first_name", p.FirstName) {
		errs.maxLen("first_name", p.FirstName, 100)
	}
	if errs.required("last_name", p.LastName) {
		errs.maxLen("last_name", p.LastName, 100)
	}
	errs.email("email", p.Email)
	errs.maxLen("phone", p.Phone, 30)
	if !p.Profession.Valid() {
		errs.Add("profession", requiredOrInvalid(p.Profession), i18n.T("validation.choose"))
	}
	if p.RPPS != "" {
		n, err := ident.RPPS(p.RPPS)
		p.RPPS = n
		errs.identifier("rpps", err)
	}
	return errs
}

// Membership checks a membership's role.
func Membership(m *model.Membership) (errs Errors) {
	if m.PersonID == "" {
		errs.Add("person_id", "required", i18n.T("validation.required"))
	}
	if !m.Role.Valid() {
		errs.Add("role", requiredOrInvalid(m.Role), i18n.T("validation.choose"))
	}
	return errs
}

// Duplicate turns a unique-key error from storage into the field error people understand,
// or returns false when err is something else.
func Duplicate(err error, errs *Errors) bool {
	var dup *storage.DuplicateError
	if !errors.As(err, &dup) {
		return false
	}
	taken, ok := map[string]struct{ field, key string }{ // the catalogue test lists these keys
		"structures.finess": {"finess", "finess"}, "structures.siret": {"siret", "siret"}, "structures.ref": {"ref", "ref"},
		"people.email": {"email", "person_email"}, "people.rpps": {"rpps", "rpps"}, "accounts.email": {"email", "email"},
		"memberships.person_id, memberships.structure_id, memberships.role": {"role", "role"},
	}[dup.Key]
	if !ok {
		return false
	}
	errs.Add(taken.field, "taken", i18n.T("validation.taken."+taken.key))
	return true
}

// Account normalises and checks a new account's e-mail and name.
func Account(a *model.Account) (errs Errors) {
	a.Email = strings.ToLower(strings.TrimSpace(a.Email))
	a.DisplayName = strings.Join(strings.Fields(a.DisplayName), " ")
	if errs.required("email", a.Email) {
		errs.email("email", a.Email)
	}
	if errs.required("display_name", a.DisplayName) {
		errs.maxLen("display_name", a.DisplayName, 100)
	}
	return errs
}

// Grant checks that a role's scope is of the right kind: a région for regional viewers and
// partners, a training organisation for programme managers, nothing for admin and candidate.
func Grant(g *model.Grant, structure func(id string) (model.Structure, error)) (errs Errors) {
	if !g.Role.Valid() {
		errs.Add("role", requiredOrInvalid(g.Role), i18n.T("validation.choose"))
		return errs
	}
	switch g.Role.ScopeKind() {
	case "region":
		if _, ok := territory.RegionByCode(g.Scope); !ok {
			errs.Add("scope", "invalid", i18n.T("validation.scope_region"))
		}
	case "structure":
		st, err := structure(g.Scope)
		if err != nil || st.Kind != model.KindTraining {
			errs.Add("scope", "invalid", i18n.T("validation.scope_training"))
		}
	case "":
		if g.Scope != "" {
			errs.Add("scope", "invalid", i18n.T("validation.scope_none"))
		}
	default: // cohort and committee scopes are given by the pages that own them
		errs.Add("role", "invalid", i18n.T("validation.role_not_grantable"))
	}
	return errs
}
