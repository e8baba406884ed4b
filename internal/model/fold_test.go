package model

import "testing"

func TestFold(t *testing.T) {
	cases := map[string]string{
		"Île-d'Yeu":              "ile-d'yeu",
		"  CPTS   Cœur  Vendée ": "cpts coeur vendee",
		"Séverine Müller":        "severine muller",
		"L’Étoile":               "l'etoile",
	}
	for in, want := range cases {
		if got := Fold(in); got != want {
			t.Errorf("Fold(%q) = %q, want %q", in, got, want)
		}
	}
}
