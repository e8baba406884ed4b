// Package model holds Parcours' domain types and their closed vocabularies. It does no I/O;
// French labels live in the translation catalogue under the keys the types give.
package model

import "time"

// StructureKind is what a structure is: a coordinated-care structure or a partner body.
type StructureKind string

const (
	KindCPTS       StructureKind = "cpts"       // communauté professionnelle territoriale de santé
	KindMSP        StructureKind = "msp"        // maison de santé pluriprofessionnelle
	KindCDS        StructureKind = "cds"        // centre de santé
	KindESP        StructureKind = "esp"        // équipe de soins primaires
	KindARS        StructureKind = "ars"        // agence régionale de santé
	KindURPS       StructureKind = "urps"       // union régionale des professionnels de santé
	KindFederation StructureKind = "federation" // APMSL, inter-URPS, fédérations régionales
	KindTraining   StructureKind = "training"   // organisme de formation (EHESP, universités…)
)

// StructureKinds lists every kind, care structures first.
var StructureKinds = []StructureKind{KindCPTS, KindMSP, KindCDS, KindESP, KindARS, KindURPS, KindFederation, KindTraining}

func (k StructureKind) Valid() bool { return contains(StructureKinds, k) }

// IsCare reports whether the kind is a coordinated-care structure (the ones whose members apply).
func (k StructureKind) IsCare() bool {
	return k == KindCPTS || k == KindMSP || k == KindCDS || k == KindESP
}

// SizeBand is a CPTS's population band.
type SizeBand string

const (
	SizeT1 SizeBand = "t1" // fewer than 40 000 inhabitants
	SizeT2 SizeBand = "t2" // 40 000 to 80 000
	SizeT3 SizeBand = "t3" // 80 000 to 175 000
	SizeT4 SizeBand = "t4" // more than 175 000
)

var SizeBands = []SizeBand{SizeT1, SizeT2, SizeT3, SizeT4}

func (b SizeBand) Valid() bool { return contains(SizeBands, b) }

// SizeBandFor gives the band of a territory of the given population.
func SizeBandFor(population int) SizeBand {
	switch {
	case population < 40000:
		return SizeT1
	case population < 80000:
		return SizeT2
	case population <= 175000:
		return SizeT3
	}
	return SizeT4
}

// Stage is where a CPTS stands, in order.
type Stage string

const (
	StageEmergence       Stage = "emergence"
	StageLettreIntention Stage = "lettre_intention"
	StageProjetSante     Stage = "projet_sante"
	StageACISigne        Stage = "aci_signe"
	StageActive          Stage = "active"
)

// Stages lists the stages in the order a CPTS goes through them.
var Stages = []Stage{StageEmergence, StageLettreIntention, StageProjetSante, StageACISigne, StageActive}

func (s Stage) Valid() bool { return contains(Stages, s) }

// Rank is the stage's position (1 for émergence); 0 when not a stage.
func (s Stage) Rank() int {
	for i, x := range Stages {
		if x == s {
			return i + 1
		}
	}
	return 0
}

// Structure is a CPTS, MSP, centre de santé, ESP or a partner organisation.
type Structure struct {
	ID              string
	Kind            StructureKind
	Name            string
	FINESS          string // may be empty: an ESP or an emerging CPTS often has none
	SIRET           string
	Ref             string // the import file's own reference, when it has neither FINESS nor SIRET
	RegionCode      string
	DepartementCode string
	Commune         string
	Postcode        string
	Email           string
	SizeBand        SizeBand // CPTS only
	Stage           Stage    // CPTS only
	CreatedAt       time.Time
	UpdatedAt       time.Time
}

func contains[T comparable](list []T, v T) bool {
	for _, x := range list {
		if x == v {
			return true
		}
	}
	return false
}
