package ident

import (
	"errors"
	"strings"
	"testing"
)

// check compares a validator's result with the expected normalised value and error code ("" for valid).
func check(t *testing.T, got string, err error, want, wantCode string) {
	t.Helper()
	if got != want {
		t.Errorf("normalised = %q, want %q", got, want)
	}
	var e *Error
	switch {
	case wantCode == "" && err != nil:
		t.Errorf("unexpected error: %v", err)
	case wantCode != "" && !errors.As(err, &e):
		t.Errorf("error = %v, want *Error with code %q", err, wantCode)
	case wantCode != "" && e.Code != wantCode:
		t.Errorf("code = %q (%v), want %q", e.Code, err, wantCode)
	}
}

func TestLuhn(t *testing.T) {
	tests := []struct {
		name, digits string
		want         bool
	}{
		{"classic example", "79927398713", true},
		{"classic example, wrong key", "79927398710", false},
		{"single zero", "0", true},
		{"empty", "", false},
		{"letters", "7992739871A", false},
		{"spaces are not digits", "7992 7398713", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Luhn(tt.digits); got != tt.want {
				t.Errorf("Luhn(%q) = %v, want %v", tt.digits, got, tt.want)
			}
		})
	}
}

func TestFINESS(t *testing.T) {
	tests := []struct {
		name, in, want, code string
		warns                bool
	}{
		{"CHU de Nantes (44)", "440000289", "440000289", "", false},
		{"AP-HM (13) with spaces", " 13 078 604 9 ", "130786049", "", false},
		{"computed key (44)", "440001238", "440001238", "", false},
		{"Guadeloupe 97", "971000013", "971000013", "", false},
		{"98 prefix", "980000012", "980000012", "", false},
		{"Corse-du-Sud, lower case", "2a0000123", "2A0000123", "", true},
		{"Haute-Corse", "2B0000020", "2B0000020", "", true},
		{"wrong key", "440000288", "440000288", CodeKey, false},
		{"8 characters", "44000028", "44000028", CodeFINESSLength, false},
		{"10 characters", "4400002890", "4400002890", CodeFINESSLength, false},
		{"one character", "4", "4", CodeFINESSLength, false},
		{"empty", "   ", "", CodeEmpty, false},
		{"letter in the body", "44000A289", "44000A289", CodeFINESSChars, false},
		{"Corsican letters elsewhere", "442A00289", "442A00289", CodeFINESSChars, false},
		{"2C is not Corsica", "2C0000123", "2C0000123", CodeFINESSChars, false},
		{"département 00", "000000000", "000000000", CodeFINESSPrefix, false},
		{"département 20", "200000004", "200000004", CodeFINESSPrefix, false},
		{"département 96", "960000006", "960000006", CodeFINESSPrefix, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, warning, err := FINESS(tt.in)
			check(t, got, err, tt.want, tt.code)
			if (warning != "") != tt.warns {
				t.Errorf("warning = %q, want one: %v", warning, tt.warns)
			}
		})
	}
}

// The French text comes from the catalogue, with the values it names.
func TestErrorText(t *testing.T) {
	_, _, finessPrefix := FINESS("960000006")
	_, _, finessShort := FINESS("44000028")
	_, _, finessOne := FINESS("4")
	_, siretShort := SIRET("7328293200007")
	_, rppsKey := RPPS("10001234566")
	_, sirenLetters := SIREN("73282932A")
	tests := []struct {
		name string
		err  error
		want string
	}{
		{"prefix named", finessPrefix, "FINESS : il commence par « 96 », qui n'est pas un numéro de département"},
		{"FINESS length", finessShort, "FINESS : 9 caractères attendus, celui-ci en a 8"},
		{"one character found", finessOne, "FINESS : 9 caractères attendus, celui-ci en a 1"},
		{"digits wanted and found", siretShort, "SIRET : 14 chiffres attendus, celui-ci en a 13"},
		{"key", rppsKey, "RPPS : la clé de contrôle ne correspond pas (un chiffre est sans doute faux, ou deux chiffres sont inversés)"},
		{"letters", sirenLetters, "SIREN : seuls des chiffres sont attendus, éventuellement séparés par des espaces"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.err == nil || tt.err.Error() != tt.want {
				t.Errorf("Error() = %v, want %q", tt.err, tt.want)
			}
		})
	}
}

func TestCorsicanWarningText(t *testing.T) {
	_, warning, _ := FINESS("2B0000020")
	if !strings.HasPrefix(warning, "Numéro FINESS corse (2A ou 2B) : sa clé de contrôle n'a pas pu être vérifiée") {
		t.Errorf("warning = %q", warning)
	}
}

func TestFINESSDepartement(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"Loire-Atlantique", "440000289", "44"},
		{"Bouches-du-Rhône", "130786049", "13"},
		{"Corse-du-Sud", "2A0000123", "2A"},
		{"Guadeloupe", "971000013", "971"},
		{"wrong key", "440000288", ""},
		{"garbage", "abc", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := FINESSDepartement(tt.in); got != tt.want {
				t.Errorf("FINESSDepartement(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestSIREN(t *testing.T) {
	tests := []struct {
		name, in, want, code string
	}{
		{"known valid", "732829320", "732829320", ""},
		{"with spaces", "732 829 320", "732829320", ""},
		{"with non-breaking spaces", "732\u00a0829\u202f320", "732829320", ""},
		{"La Poste", "356000000", "356000000", ""},
		{"wrong key", "732829321", "732829321", CodeKey},
		{"too short", "73282932", "73282932", CodeLength},
		{"letters", "73282932A", "73282932A", CodeDigits},
		{"dots", "732.829.320", "732.829.320", CodeDigits},
		{"empty", "", "", CodeEmpty},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := SIREN(tt.in)
			check(t, got, err, tt.want, tt.code)
		})
	}
}

func TestSIRET(t *testing.T) {
	tests := []struct {
		name, in, want, code string
	}{
		{"valid, key computed for SIREN 732829320", "73282932000074", "73282932000074", ""},
		{"with spaces", "732 829 320 00074", "73282932000074", ""},
		{"wrong key", "73282932000075", "73282932000075", CodeKey},
		{"La Poste head office passes Luhn (digit sum 26)", "35600000000048", "35600000000048", ""},
		{"La Poste, digit sum 45 without Luhn", "35600000049837", "35600000049837", ""},
		{"La Poste, digit sum 16 and no Luhn", "35600000001001", "35600000001001", CodeKey},
		{"digit sum 45 outside La Poste", "73282932000072", "73282932000072", CodeKey},
		{"13 digits", "7328293200007", "7328293200007", CodeLength},
		{"letters", "7328293200007X", "7328293200007X", CodeDigits},
		{"empty", "", "", CodeEmpty},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := SIRET(tt.in)
			check(t, got, err, tt.want, tt.code)
		})
	}
}

func TestSIRENOfSIRET(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"valid", "732 829 320 00074", "732829320"},
		{"La Poste", "35600000049837", "356000000"},
		{"invalid", "73282932000075", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := SIRENOfSIRET(tt.in); got != tt.want {
				t.Errorf("SIRENOfSIRET(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestRPPS(t *testing.T) {
	tests := []struct {
		name, in, want, code string
	}{
		{"valid, computed key", "10001234565", "10001234565", ""},
		{"another valid", "10123456781", "10123456781", ""},
		{"with spaces", "1 00012 34565", "10001234565", ""},
		{"wrong key", "10001234566", "10001234566", CodeKey},
		{"ADELI-length number", "441234567", "441234567", CodeLength},
		{"letters", "1000123456A", "1000123456A", CodeDigits},
		{"empty", "", "", CodeEmpty},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := RPPS(tt.in)
			check(t, got, err, tt.want, tt.code)
		})
	}
}
