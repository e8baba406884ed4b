package eligibility

import (
	"strings"
	"testing"

	"parcours/internal/model"
)

var (
	cptsYonnais  = &model.Structure{Name: "CPTS du Pays Yonnais", Kind: model.KindCPTS, RegionCode: "52", DepartementCode: "85", Stage: model.StageACISigne}
	cptsNew      = &model.Structure{Name: "CPTS Sud Vendée", Kind: model.KindCPTS, RegionCode: "52", DepartementCode: "85", Stage: model.StageEmergence}
	cptsNoStage  = &model.Structure{Name: "CPTS Erdre et Loire", Kind: model.KindCPTS, RegionCode: "52", DepartementCode: "44"}
	mspOlonnes   = &model.Structure{Name: "MSP des Olonnes", Kind: model.KindMSP, RegionCode: "52", DepartementCode: "85"}
	cdsMarseille = &model.Structure{Name: "Centre de santé de la Belle de Mai", Kind: model.KindCDS, RegionCode: "93", DepartementCode: "13"}
	cptsNoRegion = &model.Structure{Name: "CPTS du Saumurois", Kind: model.KindCPTS, DepartementCode: "49", Stage: model.StageActive}

	// The AMG call: governance members of the CPTS of Pays de la Loire.
	amg = Rules{Kinds: []model.StructureKind{model.KindCPTS}, RegionCode: "52", Role: RoleGovernance, MustBeAttached: true}
	// The PACA coordinator diploma: anyone already attached to a care structure of PACA.
	paca = Rules{Kinds: []model.StructureKind{model.KindCPTS, model.KindMSP, model.KindCDS, model.KindESP}, RegionCode: "93", MustBeAttached: true}
)

// want is one expected result: the rule, its outcome, and a fragment of its reason.
type want struct {
	rule    string
	outcome Outcome
	reason  string
}

func TestCheck(t *testing.T) {
	cases := []struct {
		name     string
		rules    Rules
		cand     Candidate
		want     []want
		eligible bool
		review   bool
	}{
		{
			name:     "no rules",
			cand:     Candidate{Structure: mspOlonnes, Role: model.RoleMembre},
			eligible: true,
		},
		{
			name:     "attached: passes with a directory structure",
			rules:    Rules{MustBeAttached: true},
			cand:     Candidate{Structure: mspOlonnes, Role: model.RoleMembre},
			want:     []want{{RuleAttached, Pass, ""}},
			eligible: true,
		},
		{
			name:     "attached: passes with a declared structure",
			rules:    Rules{MustBeAttached: true},
			cand:     Candidate{Declared: &Declared{Name: "ESP du Marais", Kind: model.KindESP, DepartementCode: "85"}},
			want:     []want{{RuleAttached, Pass, ""}},
			eligible: true,
		},
		{
			name:  "attached: fails without a structure, and the structure rules are not listed",
			rules: paca,
			cand:  Candidate{},
			want:  []want{{RuleAttached, Fail, "font déjà partie d'une structure"}},
		},
		{
			name:     "kind: passes",
			rules:    Rules{Kinds: []model.StructureKind{model.KindCPTS}},
			cand:     Candidate{Structure: cptsYonnais},
			want:     []want{{RuleKind, Pass, ""}},
			eligible: true,
		},
		{
			name:  "kind: fails and names both kinds",
			rules: Rules{Kinds: []model.StructureKind{model.KindCPTS}},
			cand:  Candidate{Structure: mspOlonnes},
			want:  []want{{RuleKind, Fail, "Cet appel est ouvert aux CPTS ; votre structure, MSP des Olonnes, est une MSP."}},
		},
		{
			name:  "kind: fails with several allowed kinds",
			rules: Rules{Kinds: []model.StructureKind{model.KindCPTS, model.KindCDS}},
			cand:  Candidate{Structure: mspOlonnes},
			want:  []want{{RuleKind, Fail, "ouvert aux CPTS et centres de santé ; votre structure, MSP des Olonnes, est une MSP."}},
		},
		{
			name:     "region: passes",
			rules:    Rules{RegionCode: "52"},
			cand:     Candidate{Structure: mspOlonnes},
			want:     []want{{RuleRegion, Pass, ""}},
			eligible: true,
		},
		{
			name:  "region: fails and names both régions",
			rules: Rules{RegionCode: "52"},
			cand:  Candidate{Structure: cdsMarseille},
			want:  []want{{RuleRegion, Fail, "réservé aux structures de la région Pays de la Loire ; votre structure, Centre de santé de la Belle de Mai, est située en région Provence-Alpes-Côte d'Azur."}},
		},
		{
			name:     "region: taken from the département when the structure has none",
			rules:    Rules{RegionCode: "52"},
			cand:     Candidate{Structure: cptsNoRegion},
			want:     []want{{RuleRegion, Pass, ""}},
			eligible: true,
		},
		{
			name:     "region: unknown when neither région nor département is known",
			rules:    Rules{RegionCode: "52"},
			cand:     Candidate{Declared: &Declared{Name: "ESP du Marais", Kind: model.KindESP}},
			want:     []want{{RuleRegion, Unknown, "gestionnaire de l'appel la vérifiera"}},
			eligible: true,
			review:   true,
		},
		{
			name:     "role governance: a président passes",
			rules:    Rules{Role: RoleGovernance},
			cand:     Candidate{Structure: cptsYonnais, Role: model.RolePresident},
			want:     []want{{RuleRole, Pass, ""}},
			eligible: true,
		},
		{
			name:     "role governance: a member of the board passes",
			rules:    Rules{Role: RoleGovernance},
			cand:     Candidate{Structure: cptsYonnais, Role: model.RoleMembreCA},
			want:     []want{{RuleRole, Pass, ""}},
			eligible: true,
		},
		{
			name:  "role governance: a plain membre is refused",
			rules: Rules{Role: RoleGovernance},
			cand:  Candidate{Structure: cptsYonnais, Role: model.RoleMembre},
			want:  []want{{RuleRole, Fail, "vous avez indiqué le rôle « membre »"}},
		},
		{
			name:  "role governance: a coordinator is refused",
			rules: Rules{Role: RoleGovernance},
			cand:  Candidate{Structure: cptsYonnais, Role: model.RoleCoordinateur},
			want:  []want{{RuleRole, Fail, "le rôle « coordinateur »"}},
		},
		{
			name:  "role governance: no role declared",
			rules: Rules{Role: RoleGovernance},
			cand:  Candidate{Structure: cptsYonnais},
			want:  []want{{RuleRole, Fail, "Indiquez votre rôle dans votre structure, CPTS du Pays Yonnais"}},
		},
		{
			name:     "role coordinator: a coordinateur passes",
			rules:    Rules{Role: RoleCoordinator},
			cand:     Candidate{Structure: mspOlonnes, Role: model.RoleCoordinateur},
			want:     []want{{RuleRole, Pass, ""}},
			eligible: true,
		},
		{
			name:  "role coordinator: a président is refused",
			rules: Rules{Role: RoleCoordinator},
			cand:  Candidate{Structure: mspOlonnes, Role: model.RolePresident},
			want:  []want{{RuleRole, Fail, "coordinateurs et coordinatrices de structure ; vous avez indiqué le rôle « président »"}},
		},
		{
			name:  "role coordinator: unattached candidate fails",
			rules: Rules{Role: RoleCoordinator},
			cand:  Candidate{},
			want:  []want{{RuleRole, Fail, "indiquez la structure que vous coordonnez"}},
		},
		{
			name:  "role governance: unattached candidate fails even when attachment is not required",
			rules: Rules{Kinds: []model.StructureKind{model.KindCPTS}, RegionCode: "52", Role: RoleGovernance, MinStage: model.StageProjetSante},
			cand:  Candidate{},
			want:  []want{{RuleRole, Fail, "membres de la gouvernance d'une structure"}},
		},
		{
			name:     "unattached without MustBeAttached: the structure rules do not apply",
			rules:    Rules{Kinds: []model.StructureKind{model.KindCPTS}, RegionCode: "93", MinStage: model.StageProjetSante},
			cand:     Candidate{},
			eligible: true,
		},
		{
			name:     "stage: passes",
			rules:    Rules{MinStage: model.StageProjetSante},
			cand:     Candidate{Structure: cptsYonnais},
			want:     []want{{RuleStage, Pass, ""}},
			eligible: true,
		},
		{
			name:     "stage: the minimum itself passes",
			rules:    Rules{MinStage: model.StageProjetSante},
			cand:     Candidate{Structure: &model.Structure{Name: "CPTS Loire Vignoble", Kind: model.KindCPTS, RegionCode: "52", Stage: model.StageProjetSante}},
			want:     []want{{RuleStage, Pass, ""}},
			eligible: true,
		},
		{
			name:  "stage: fails below the minimum",
			rules: Rules{MinStage: model.StageProjetSante},
			cand:  Candidate{Structure: cptsNew},
			want:  []want{{RuleStage, Fail, "au stade « projet de santé » au moins ; votre CPTS, CPTS Sud Vendée, est au stade « émergence »."}},
		},
		{
			name:     "stage: unknown for a CPTS of the directory without stage",
			rules:    Rules{MinStage: model.StageProjetSante},
			cand:     Candidate{Structure: cptsNoStage},
			want:     []want{{RuleStage, Unknown, "n'est pas indiqué dans l'annuaire"}},
			eligible: true,
			review:   true,
		},
		{
			name:     "stage: does not apply to an MSP",
			rules:    Rules{MinStage: model.StageProjetSante},
			cand:     Candidate{Structure: mspOlonnes},
			eligible: true,
		},
		{
			name:  "stage: not checked when the call does not take CPTS",
			rules: Rules{Kinds: []model.StructureKind{model.KindMSP}, MinStage: model.StageProjetSante},
			cand:  Candidate{Structure: cptsNew},
			want:  []want{{RuleKind, Fail, "ouvert aux MSP ; votre structure, CPTS Sud Vendée, est une CPTS."}},
		},
		{
			name:  "declared: kind and région checked from the declaration, stage left to the manager",
			rules: Rules{Kinds: []model.StructureKind{model.KindCPTS}, RegionCode: "52", Role: RoleGovernance, MustBeAttached: true, MinStage: model.StageProjetSante},
			cand:  Candidate{Declared: &Declared{Name: "CPTS Nord Mayenne", Kind: model.KindCPTS, DepartementCode: "53"}, Role: model.RoleTresorier},
			want: []want{
				{RuleAttached, Pass, ""},
				{RuleKind, Pass, ""},
				{RuleRegion, Pass, ""},
				{RuleRole, Pass, ""},
				{RuleStage, Unknown, "Le gestionnaire de l'appel vérifiera que votre CPTS, CPTS Nord Mayenne, a atteint le stade « projet de santé »"},
			},
			eligible: true,
			review:   true,
		},
		{
			name:  "declared: wrong kind and région",
			rules: amg,
			cand:  Candidate{Declared: &Declared{Name: "MSP du Panier", Kind: model.KindMSP, DepartementCode: "13", RegionCode: "93"}, Role: model.RolePresident},
			want: []want{
				{RuleAttached, Pass, ""},
				{RuleKind, Fail, "votre structure, MSP du Panier, est une MSP"},
				{RuleRegion, Fail, "est située en région Provence-Alpes-Côte d'Azur"},
				{RuleRole, Pass, ""},
			},
		},
		{
			name:     "the directory's structure wins over a declaration",
			rules:    Rules{Kinds: []model.StructureKind{model.KindCPTS}},
			cand:     Candidate{Structure: cptsYonnais, Declared: &Declared{Name: "MSP du Panier", Kind: model.KindMSP}},
			want:     []want{{RuleKind, Pass, ""}},
			eligible: true,
		},
		{
			name:  "AMG: every rule fails and every reason is given",
			rules: Rules{Kinds: []model.StructureKind{model.KindCPTS}, RegionCode: "52", Role: RoleGovernance, MustBeAttached: true, MinStage: model.StageProjetSante},
			cand:  Candidate{Structure: &model.Structure{Name: "CPTS Pays d'Aix", Kind: model.KindCPTS, RegionCode: "93", Stage: model.StageLettreIntention}, Role: model.RoleMembre},
			want: []want{
				{RuleAttached, Pass, ""},
				{RuleKind, Pass, ""},
				{RuleRegion, Fail, "région Pays de la Loire"},
				{RuleRole, Fail, "« membre »"},
				{RuleStage, Fail, "« lettre d'intention »"},
			},
		},
		{
			name:  "AMG: an MSP coordinator from PACA",
			rules: amg,
			cand:  Candidate{Structure: &model.Structure{Name: "MSP de la Joliette", Kind: model.KindMSP, RegionCode: "93"}, Role: model.RoleCoordinateur},
			want: []want{
				{RuleAttached, Pass, ""},
				{RuleKind, Fail, "est une MSP"},
				{RuleRegion, Fail, "Provence-Alpes-Côte d'Azur"},
				{RuleRole, Fail, "« coordinateur »"},
			},
		},
		{
			name:  "AMG: a vice-président of a CPTS of Pays de la Loire",
			rules: amg,
			cand:  Candidate{Structure: cptsYonnais, Role: model.RoleVicePresident},
			want: []want{
				{RuleAttached, Pass, ""},
				{RuleKind, Pass, ""},
				{RuleRegion, Pass, ""},
				{RuleRole, Pass, ""},
			},
			eligible: true,
		},
		{
			name:  "PACA diploma: a member of a centre de santé of PACA",
			rules: paca,
			cand:  Candidate{Structure: cdsMarseille, Role: model.RoleMembre},
			want: []want{
				{RuleAttached, Pass, ""},
				{RuleKind, Pass, ""},
				{RuleRegion, Pass, ""},
			},
			eligible: true,
		},
		{
			name:     "unknown requirement is left to the manager",
			rules:    Rules{Role: "treasurer"},
			cand:     Candidate{Structure: cptsYonnais, Role: model.RoleTresorier},
			want:     []want{{RuleRole, Unknown, "vérifiera votre rôle"}},
			eligible: true,
			review:   true,
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			v := Check(c.rules, c.cand)
			if len(v.Results) != len(c.want) {
				t.Fatalf("got %d results %+v, want %d", len(v.Results), v.Results, len(c.want))
			}
			for i, w := range c.want {
				got := v.Results[i]
				if got.Rule != w.rule || got.Outcome != w.outcome {
					t.Errorf("result %d: got %s %s, want %s %s", i, got.Rule, got.Outcome, w.rule, w.outcome)
				}
				if !strings.Contains(got.Reason, w.reason) || (w.outcome == Pass) != (got.Reason == "") {
					t.Errorf("result %d (%s): reason %q, want it to contain %q", i, got.Rule, got.Reason, w.reason)
				}
				if strings.Contains(got.Reason, "«eligibility.") || strings.Contains(got.Reason, "%!") {
					t.Errorf("result %d (%s): broken text %q", i, got.Rule, got.Reason)
				}
			}
			if v.Eligible() != c.eligible || v.NeedsReview() != c.review {
				t.Errorf("Eligible() = %v, NeedsReview() = %v; want %v, %v", v.Eligible(), v.NeedsReview(), c.eligible, c.review)
			}
			fails := 0
			for _, w := range c.want {
				if w.outcome == Fail {
					fails++
				}
			}
			if got := v.Failures(); len(got) != fails {
				t.Errorf("Failures() = %+v, want %d", got, fails)
			}
		})
	}
}

func TestDescribe(t *testing.T) {
	cases := []struct {
		name  string
		rules Rules
		want  []string
	}{
		{
			name:  "AMG",
			rules: amg,
			want:  []string{"Être membre de la gouvernance (président, vice-président, trésorier, secrétaire, membre du bureau ou du conseil d'administration) d'une CPTS de la région Pays de la Loire."},
		},
		{
			name:  "AMG with a minimum stage",
			rules: Rules{Kinds: []model.StructureKind{model.KindCPTS}, RegionCode: "52", Role: RoleGovernance, MustBeAttached: true, MinStage: model.StageProjetSante},
			want:  []string{"Être membre de la gouvernance (président, vice-président, trésorier, secrétaire, membre du bureau ou du conseil d'administration) d'une CPTS de la région Pays de la Loire, au stade « projet de santé » au moins."},
		},
		{
			name:  "PACA coordinator diploma",
			rules: paca,
			want:  []string{"Faire partie d'une CPTS, d'une MSP, d'un centre de santé ou d'une ESP de la région Provence-Alpes-Côte d'Azur."},
		},
		{
			name:  "PACA diploma once attachment is lifted",
			rules: Rules{Kinds: paca.Kinds, RegionCode: "93"},
			want: []string{
				"Appel ouvert aussi aux personnes qui ne font partie d'aucune structure.",
				"Si vous faites partie d'une structure, ce doit être une CPTS, une MSP, un centre de santé ou une ESP de la région Provence-Alpes-Côte d'Azur.",
			},
		},
		{
			name:  "coordinators of any structure with a stage for CPTS",
			rules: Rules{Role: RoleCoordinator, MinStage: model.StageACISigne},
			want:  []string{"Être coordinateur ou coordinatrice d'une structure ; pour une CPTS, au stade « ACI signé » au moins."},
		},
		{
			name:  "open to all",
			rules: Rules{},
			want:  []string{"Appel ouvert à toutes et à tous, que vous fassiez partie d'une structure ou non."},
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := Describe(c.rules)
			if strings.Join(got, "\n") != strings.Join(c.want, "\n") {
				t.Errorf("got\n%q\nwant\n%q", got, c.want)
			}
		})
	}
}
