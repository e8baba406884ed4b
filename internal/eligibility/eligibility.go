// Package eligibility decides whether a candidate may apply to a call, rule by rule, with the
// reason in plain French, and describes a call's rules for its public page. It does no I/O:
// the caller passes the call's rules and the structure the application names.
package eligibility

import (
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"parcours/internal/i18n"
	"parcours/internal/model"
	"parcours/internal/territory"
)

// Rules are a call's eligibility rules.
type Rules struct {
	Kinds          []model.StructureKind // allowed structure kinds; empty = any kind
	RegionCode     string                // the structure must be in this région; "" = any
	Role           Requirement           // RoleAny, RoleGovernance, RoleCoordinator
	MustBeAttached bool                  // the candidate must belong to a structure
	MinStage       model.Stage           // for a CPTS: at least this stage; "" = none
}

// Requirement is the role a call asks candidates to hold in their structure.
type Requirement = model.RoleRequirement

const (
	RoleAny         = model.RequireAnyRole
	RoleGovernance  = model.RequireGovernance  // président … membre du CA; a plain "membre" is not
	RoleCoordinator = model.RequireCoordinator // model.RoleCoordinateur
)

// Candidate is what the application says.
type Candidate struct {
	Structure *model.Structure // the structure chosen in the directory; nil when none
	Declared  *Declared        // a structure declared as not yet listed (flagged for the manager); nil when none
	Role      model.MemberRole // the role declared in that structure ("" when unattached)
}

// Declared is a structure a candidate declares because the directory does not list it yet.
type Declared struct {
	Name            string
	Kind            model.StructureKind
	DepartementCode string
	RegionCode      string // may be empty: the département's région is used
}

// Outcome is a rule's answer. Its zero value is none of them, so a forgotten result never passes.
type Outcome int

const (
	Pass    Outcome = iota + 1
	Fail            // the candidate may not apply
	Unknown         // cannot be checked from what is known: the manager will check
)

func (o Outcome) String() string {
	switch o {
	case Pass:
		return "pass"
	case Fail:
		return "fail"
	case Unknown:
		return "unknown"
	}
	return "invalid"
}

// Rule names, in the order Check applies them.
const (
	RuleAttached = "attached"
	RuleKind     = "kind"
	RuleRegion   = "region"
	RuleRole     = "role"
	RuleStage    = "stage"
)

// Result is one rule's outcome for a candidate.
type Result struct {
	Rule    string // RuleAttached, RuleKind…
	Outcome Outcome
	Reason  string // French, for the candidate; empty on Pass
}

// Verdict is every applicable rule's result, in the order attached, kind, region, role, stage.
type Verdict struct {
	Results []Result
}

// Eligible reports whether no rule fails; an Unknown does not bar the candidate.
func (v Verdict) Eligible() bool { return len(v.Failures()) == 0 }

// NeedsReview reports whether some rule could not be checked and awaits the manager.
func (v Verdict) NeedsReview() bool {
	for _, r := range v.Results {
		if r.Outcome == Unknown {
			return true
		}
	}
	return false
}

// Failures returns the failed rules, in order.
func (v Verdict) Failures() []Result {
	var out []Result
	for _, r := range v.Results {
		if r.Outcome == Fail {
			out = append(out, r)
		}
	}
	return out
}

// subject is the structure an application names, from the directory or declared.
type subject struct {
	name       string
	kind       model.StructureKind
	regionCode string
	stage      model.Stage
	declared   bool // its stage is not known
}

// subjectOf returns the candidate's structure; the directory's wins over a declaration.
func subjectOf(c Candidate) (subject, bool) {
	switch {
	case c.Structure != nil:
		s := c.Structure
		return subject{name: s.Name, kind: s.Kind, regionCode: regionOf(s.RegionCode, s.DepartementCode), stage: s.Stage}, true
	case c.Declared != nil:
		d := c.Declared
		return subject{name: d.Name, kind: d.Kind, regionCode: regionOf(d.RegionCode, d.DepartementCode), declared: true}, true
	}
	return subject{}, false
}

func regionOf(region, departement string) string {
	if region = strings.TrimSpace(region); region != "" {
		return region
	}
	if d, ok := territory.DepartementByCode(departement); ok {
		return d.RegionCode
	}
	return ""
}

// Check applies the rules to a candidate. Rules about the structure (kind, région, stage)
// apply only when the candidate names one; a role requirement applies to everyone.
func Check(r Rules, c Candidate) Verdict {
	var v Verdict
	add := func(rule string, o Outcome, reason string) {
		v.Results = append(v.Results, Result{Rule: rule, Outcome: o, Reason: reason})
	}
	s, attached := subjectOf(c)

	if r.MustBeAttached {
		if attached {
			add(RuleAttached, Pass, "")
		} else {
			add(RuleAttached, Fail, i18n.T("eligibility.attached.fail"))
		}
	}

	if attached && len(r.Kinds) > 0 {
		switch {
		case s.kind == "":
			add(RuleKind, Unknown, i18n.T("eligibility.kind.unknown"))
		case slices.Contains(r.Kinds, s.kind):
			add(RuleKind, Pass, "")
		default:
			add(RuleKind, Fail, i18n.T("eligibility.kind.fail", kindsPlural(r.Kinds), s.name, aKind(s.kind)))
		}
	}

	if want := strings.TrimSpace(r.RegionCode); attached && want != "" {
		switch {
		case s.regionCode == "":
			add(RuleRegion, Unknown, i18n.T("eligibility.region.unknown"))
		case s.regionCode == want:
			add(RuleRegion, Pass, "")
		default:
			add(RuleRegion, Fail, i18n.T("eligibility.region.fail", regionName(want), s.name, regionName(s.regionCode)))
		}
	}

	if r.Role != RoleAny {
		o, reason := checkRole(r.Role, attached, s, c.Role)
		add(RuleRole, o, reason)
	}

	if attached && r.MinStage != "" && s.kind == model.KindCPTS && (len(r.Kinds) == 0 || slices.Contains(r.Kinds, model.KindCPTS)) {
		min := stageLabel(r.MinStage)
		switch {
		case s.declared:
			add(RuleStage, Unknown, i18n.T("eligibility.stage.declared", s.name, min))
		case s.stage.Rank() == 0:
			add(RuleStage, Unknown, i18n.T("eligibility.stage.unknown", s.name, min))
		case s.stage.Rank() >= r.MinStage.Rank():
			add(RuleStage, Pass, "")
		default:
			add(RuleStage, Fail, i18n.T("eligibility.stage.fail", min, s.name, stageLabel(s.stage)))
		}
	}
	return v
}

func checkRole(q Requirement, attached bool, s subject, role model.MemberRole) (Outcome, string) {
	switch q {
	case RoleGovernance:
		switch {
		case !attached:
			return Fail, i18n.T("eligibility.role.governance.unattached")
		case role == "":
			return Fail, i18n.T("eligibility.role.governance.missing", s.name)
		case !role.IsGovernance():
			return Fail, i18n.T("eligibility.role.governance.fail", roleLabel(role))
		}
	case RoleCoordinator:
		switch {
		case !attached:
			return Fail, i18n.T("eligibility.role.coordinator.unattached")
		case role == "":
			return Fail, i18n.T("eligibility.role.coordinator.missing", s.name)
		case role != model.RoleCoordinateur:
			return Fail, i18n.T("eligibility.role.coordinator.fail", roleLabel(role))
		}
	default: // a requirement this version does not know: let a person decide
		return Unknown, i18n.T("eligibility.role.unknown_requirement")
	}
	return Pass, ""
}

// Describe lists the rules in plain French for the public call page: one sentence when the
// candidate must belong to a structure (or hold a role in one), else what is asked of those
// who do, and that the others may apply too.
func Describe(r Rules) []string {
	if r.MustBeAttached || r.Role != RoleAny {
		of := structurePhrase(r, true)
		switch r.Role {
		case RoleGovernance:
			return []string{i18n.T("eligibility.describe.governance", of)}
		case RoleCoordinator:
			return []string{i18n.T("eligibility.describe.coordinator", of)}
		case RoleAny:
			return []string{i18n.T("eligibility.describe.member", of)}
		}
		return []string{i18n.T("eligibility.describe.member", of), i18n.T("eligibility.role.unknown_requirement")}
	}
	if len(r.Kinds) == 0 && r.RegionCode == "" && r.MinStage == "" {
		return []string{i18n.T("eligibility.describe.open")}
	}
	return []string{
		i18n.T("eligibility.describe.unattached"),
		i18n.T("eligibility.describe.if_attached", structurePhrase(r, false)),
	}
}

// structurePhrase names the structures the rules allow: "d'une CPTS de la région Pays de la
// Loire, au stade « projet de santé » au moins" (of) or "une CPTS de la région …".
func structurePhrase(r Rules, of bool) string {
	var items []string
	for _, k := range r.Kinds {
		item := aKind(k)
		if of {
			item = i18n.T("eligibility.describe.of", item)
		}
		items = append(items, item)
	}
	phrase := list(items, "eligibility.list.or")
	if len(items) == 0 {
		phrase = i18n.T("eligibility.describe.a_structure")
		if of {
			phrase = i18n.T("eligibility.describe.of_a_structure")
		}
	}
	if code := strings.TrimSpace(r.RegionCode); code != "" {
		phrase = i18n.T("eligibility.describe.in_region", phrase, regionName(code))
	}
	switch {
	case r.MinStage == "" || (len(r.Kinds) > 0 && !slices.Contains(r.Kinds, model.KindCPTS)):
	case len(r.Kinds) == 1:
		phrase = i18n.T("eligibility.describe.min_stage", phrase, stageLabel(r.MinStage))
	default:
		phrase = i18n.T("eligibility.describe.min_stage_cpts", phrase, stageLabel(r.MinStage))
	}
	return phrase
}

// aKind is a kind with its indefinite article, which French chooses by the noun's gender.
func aKind(k model.StructureKind) string { return i18n.T("eligibility.a_kind." + string(k)) }

// kindsPlural is "CPTS, MSP, centres de santé et ESP".
func kindsPlural(kinds []model.StructureKind) string {
	items := make([]string, len(kinds))
	for i, k := range kinds {
		items[i] = lowerFirst(i18n.T("structure.kind_plural." + string(k)))
	}
	return list(items, "eligibility.list.and")
}

func stageLabel(s model.Stage) string { return lowerFirst(i18n.T("structure.stage." + string(s))) }

func roleLabel(r model.MemberRole) string { return lowerFirst(i18n.T("member.role." + string(r))) }

func regionName(code string) string {
	if r, ok := territory.RegionByCode(code); ok {
		return r.Name
	}
	return code
}

// list joins items French-style, "a, b et c", with the last connector from key ("%s et %s").
func list(items []string, key string) string {
	switch len(items) {
	case 0:
		return ""
	case 1:
		return items[0]
	}
	return i18n.T(key, strings.Join(items[:len(items)-1], ", "), items[len(items)-1])
}

// lowerFirst puts a catalogue label ("Centre de santé") inside a sentence; acronyms ("CPTS",
// "ACI signé") keep their capitals.
func lowerFirst(s string) string {
	first, n := utf8.DecodeRuneInString(s)
	second, _ := utf8.DecodeRuneInString(s[n:])
	if unicode.IsUpper(second) {
		return s
	}
	return string(unicode.ToLower(first)) + s[n:]
}
