package validator

import (
	"regexp"
	"slices"
	"strings"
	"time"

	"parcours/internal/i18n"
	"parcours/internal/model"
	"parcours/internal/territory"
)

var (
	programmeCode = regexp.MustCompile(`^[A-Z0-9]{2,10}$`)
	rncpCode      = regexp.MustCompile(`^RNCP[0-9]{1,6}$`)
	phoneNumber   = regexp.MustCompile(`^\+?[0-9 .()-]{6,30}$`)
)

// oneLine collapses runs of spaces, as names and titles are written on one line.
func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

// CivilDate reads a calendar date typed as 2026-03-15 or 15/03/2026 and returns it as
// YYYY-MM-DD, or false when it is not a date of the calendar.
func CivilDate(s string) (string, bool) {
	s = strings.TrimSpace(s)
	for _, layout := range []string{"2006-01-02", "2/1/2006"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t.Format("2006-01-02"), true
		}
	}
	return s, false
}

// careKinds keeps the valid coordinated-care kinds of kinds, once each and in the model's
// order; ok is false when some value was not one.
func careKinds(kinds []model.StructureKind) (out []model.StructureKind, ok bool) {
	ok = true
	for _, k := range kinds {
		if !k.Valid() || !k.IsCare() {
			ok = false
		}
	}
	for _, k := range model.StructureKinds {
		if slices.Contains(kinds, k) && k.IsCare() {
			out = append(out, k)
		}
	}
	return out, ok
}

// Programme normalises p in place and checks it. Whether the carrier and partners are
// structures the user may choose is the caller's to check: it knows the user.
func Programme(p *model.Programme) (errs Errors) {
	p.Code = strings.ToUpper(strings.Join(strings.Fields(p.Code), ""))
	p.Title = oneLine(p.Title)
	p.Description = strings.TrimSpace(p.Description)
	p.Accessibility = strings.TrimSpace(p.Accessibility)
	p.ContactName = oneLine(p.ContactName)
	p.ContactEmail = strings.ToLower(strings.TrimSpace(p.ContactEmail))
	p.ContactPhone = oneLine(p.ContactPhone)
	p.RNCPCode = strings.ToUpper(strings.Join(strings.Fields(p.RNCPCode), ""))

	if !programmeCode.MatchString(p.Code) {
		errs.Add("code", requiredOrInvalid(p.Code), i18n.T("programme.validation.code"))
	}
	if p.Title == "" {
		errs.Add("title", "required", i18n.T("programme.validation.title"))
	}
	errs.maxLen("title", p.Title, 200)
	errs.maxLen("description", p.Description, 5000)
	if p.CarrierID == "" {
		errs.Add("carrier", "required", i18n.T("programme.validation.carrier"))
	}
	if !p.AudienceGovernance && !p.AudienceCoordinator {
		errs.Add("audience", "required", i18n.T("programme.validation.audience"))
	}
	kinds, ok := careKinds(p.TargetKinds)
	p.TargetKinds = kinds
	switch {
	case !ok:
		errs.Add("target_kinds", "invalid", i18n.T("validation.choose"))
	case len(kinds) == 0:
		errs.Add("target_kinds", "required", i18n.T("programme.validation.target_kinds"))
	}
	if p.DurationMonths < 1 || p.DurationMonths > 60 {
		errs.Add("duration_months", "invalid", i18n.T("programme.validation.duration", 60))
	}
	if p.Days < 1 || p.Days > 365 {
		errs.Add("days", "invalid", i18n.T("programme.validation.days", 365))
	}
	switch p.Certification {
	case model.CertificationNone:
		p.RNCPLevel, p.RNCPCode = 0, ""
	case model.CertificationRNCP:
		if p.RNCPLevel < 1 || p.RNCPLevel > 8 {
			errs.Add("rncp_level", "invalid", i18n.T("programme.validation.rncp_level"))
		}
		if p.RNCPCode != "" && !rncpCode.MatchString(p.RNCPCode) {
			errs.Add("rncp_code", "invalid", i18n.T("programme.validation.rncp_code"))
		}
	default:
		errs.Add("certification", requiredOrInvalid(p.Certification), i18n.T("validation.choose"))
	}
	if errs.required("accessibility", p.Accessibility) {
		errs.maxLen("accessibility", p.Accessibility, 2000)
	}
	if errs.required("contact_name", p.ContactName) {
		errs.maxLen("contact_name", p.ContactName, 100)
	}
	if errs.required("contact_email", p.ContactEmail) {
		errs.email("contact_email", p.ContactEmail)
	}
	if p.ContactPhone != "" && !phoneNumber.MatchString(p.ContactPhone) {
		errs.Add("contact_phone", "invalid", i18n.T("programme.validation.phone"))
	}
	return errs
}

// Module normalises and checks one row of a programme's modules; its fields are named
// prefix+"title", prefix+"themes", prefix+"hours".
func Module(m *model.Module, prefix string) (errs Errors) {
	m.Title = oneLine(m.Title)
	m.Themes = strings.TrimSpace(m.Themes)
	if m.Title == "" {
		errs.Add(prefix+"title", "required", i18n.T("programme.validation.module_title"))
	}
	errs.maxLen(prefix+"title", m.Title, 200)
	errs.maxLen(prefix+"themes", m.Themes, 1000)
	if m.Hours < 1 || m.Hours > 1000 {
		errs.Add(prefix+"hours", "invalid", i18n.T("programme.validation.hours", 1000))
	}
	return errs
}

// Block normalises and checks one row of a programme's competence blocks.
func Block(b *model.Block, prefix string) (errs Errors) {
	b.Code = strings.ToUpper(strings.Join(strings.Fields(b.Code), ""))
	b.Title = oneLine(b.Title)
	errs.maxLen(prefix+"code", b.Code, 30)
	if b.Title == "" {
		errs.Add(prefix+"title", "required", i18n.T("programme.validation.block_title"))
	}
	errs.maxLen(prefix+"title", b.Title, 300)
	return errs
}

// Deployment checks a région's status with a programme; its fields are prefix+"status" and
// prefix+"since". The date is optional and written back as YYYY-MM-DD.
func Deployment(d *model.Deployment, prefix string) (errs Errors) {
	if !d.Status.Valid() {
		errs.Add(prefix+"status", requiredOrInvalid(d.Status), i18n.T("validation.choose"))
	}
	if d.Since = strings.TrimSpace(d.Since); d.Since != "" {
		date, ok := CivilDate(d.Since)
		if !ok {
			errs.Add(prefix+"since", "invalid", i18n.T("programme.validation.date"))
		}
		d.Since = date
	}
	return errs
}

// Cohort normalises c in place and checks it.
func Cohort(c *model.Cohort) (errs Errors) {
	c.Label = oneLine(c.Label)
	c.Places = strings.TrimSpace(c.Places)
	if _, ok := territory.RegionByCode(c.RegionCode); !ok {
		errs.Add("region", requiredOrInvalid(c.RegionCode), i18n.T("cohort.validation.region"))
	}
	if c.Label == "" {
		errs.Add("label", "required", i18n.T("cohort.validation.label"))
	}
	errs.maxLen("label", c.Label, 200)
	if c.Capacity < 1 || c.Capacity > 1000 {
		errs.Add("capacity", "invalid", i18n.T("cohort.validation.capacity", 1000))
	}
	switch {
	case c.OrgCap < 1:
		errs.Add("org_cap", "invalid", i18n.T("cohort.validation.org_cap"))
	case c.Capacity >= 1 && c.OrgCap > c.Capacity:
		errs.Add("org_cap", "inconsistent", i18n.T("cohort.validation.org_cap_capacity", c.Capacity))
	}
	if c.OrgMax < 0 || (c.OrgMax > 0 && c.OrgCap >= 1 && c.OrgMax < c.OrgCap) {
		errs.Add("org_max", "inconsistent", i18n.T("cohort.validation.org_max", max(c.OrgCap, 1)))
	}
	var startOK, endOK bool
	if c.StartsOn, startOK = CivilDate(c.StartsOn); !startOK {
		errs.Add("starts_on", requiredOrInvalid(c.StartsOn), i18n.T("programme.validation.date"))
	}
	if c.EndsOn, endOK = CivilDate(c.EndsOn); !endOK {
		errs.Add("ends_on", requiredOrInvalid(c.EndsOn), i18n.T("programme.validation.date"))
	}
	if startOK && endOK && c.EndsOn <= c.StartsOn {
		errs.Add("ends_on", "inconsistent", i18n.T("cohort.validation.ends_after"))
	}
	errs.maxLen("places", c.Places, 500)
	return errs
}

// Call normalises a call's rules and texts and checks them. The opening and closing instants
// come already read from the région's local time (a zero one could not be read: its field
// has its own error), so only their order is checked here, on the field "closes_date".
func Call(c *model.Call) (errs Errors) {
	c.Intro = strings.TrimSpace(c.Intro)
	c.ConsentProcessing = strings.TrimSpace(c.ConsentProcessing)
	c.ConsentRetention = strings.TrimSpace(c.ConsentRetention)
	if !c.OpensAt.IsZero() && !c.ClosesAt.IsZero() && !c.ClosesAt.After(c.OpensAt) {
		errs.Add("closes_date", "inconsistent", i18n.T("call.validation.closes_after"))
	}
	kinds, ok := careKinds(c.Kinds)
	c.Kinds = kinds
	if !ok {
		errs.Add("kinds", "invalid", i18n.T("validation.choose"))
	}
	if _, known := territory.RegionByCode(c.RegionCode); c.RegionCode != "" && !known {
		errs.Add("region", "invalid", i18n.T("validation.choose"))
	}
	if !c.Role.Valid() {
		errs.Add("role", "invalid", i18n.T("validation.choose"))
	}
	if c.MinStage != "" && !c.MinStage.Valid() {
		errs.Add("min_stage", "invalid", i18n.T("validation.choose"))
	}
	errs.maxLen("intro", c.Intro, 5000)
	if errs.required("consent_processing", c.ConsentProcessing) {
		errs.maxLen("consent_processing", c.ConsentProcessing, 2000)
	}
	if errs.required("consent_retention", c.ConsentRetention) {
		errs.maxLen("consent_retention", c.ConsentRetention, 2000)
	}
	return errs
}

// Question normalises a question of a call's form and checks it: length limits belong to
// long texts, choices to single-choice questions, and are cleared on the others.
func Question(q *model.Question) (errs Errors) {
	q.Label = oneLine(q.Label)
	q.Help = strings.TrimSpace(q.Help)
	if !q.Kind.Valid() {
		errs.Add("kind", requiredOrInvalid(q.Kind), i18n.T("validation.choose"))
	}
	if q.Label == "" {
		errs.Add("label", "required", i18n.T("question.validation.label"))
	}
	errs.maxLen("label", q.Label, 300)
	errs.maxLen("help", q.Help, 1000)
	if q.Kind == model.QuestionLongText {
		const limit = 20000
		if q.MinLength < 0 || q.MinLength > limit {
			errs.Add("min_length", "invalid", i18n.T("question.validation.length", limit))
		}
		if q.MaxLength < 0 || q.MaxLength > limit {
			errs.Add("max_length", "invalid", i18n.T("question.validation.length", limit))
		}
		if q.MaxLength > 0 && q.MinLength > q.MaxLength {
			errs.Add("max_length", "inconsistent", i18n.T("question.validation.length_order"))
		}
	} else {
		q.MinLength, q.MaxLength = 0, 0
	}
	if q.Kind != model.QuestionChoice {
		q.Choices = nil
		return errs
	}
	var choices []string
	seen := map[string]bool{}
	for _, c := range q.Choices {
		c = oneLine(c)
		if c == "" {
			continue
		}
		key := model.Fold(c)
		if seen[key] {
			errs.Add("choices", "inconsistent", i18n.T("question.validation.choice_twice", c))
		}
		seen[key] = true
		errs.maxLen("choices", c, 200)
		choices = append(choices, c)
	}
	q.Choices = choices
	if len(choices) < 2 {
		errs.Add("choices", "required", i18n.T("question.validation.choices"))
	}
	return errs
}
