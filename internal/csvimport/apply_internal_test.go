package csvimport

import (
	"testing"

	"parcours/internal/storage"
)

func TestDuplicateErrorNamesTheColumn(t *testing.T) {
	res := Parse([]byte("type;nom;SIRET;departement\nMSP;MSP de Vertou;98247310000013;44\n"))
	s := step{line: 2, st: res.Rows[0].Structure}
	tests := []struct {
		name string
		err  error
		want RowError
	}{
		{"column known", &storage.DuplicateError{Key: "structures.siret"}, RowError{Line: 2, Column: "SIRET", Value: "98247310000013"}},
		{"column unknown", storage.ErrAlreadyExists, RowError{Line: 2}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := duplicateError(res, s, tt.err)
			got.Reason = ""
			if got != tt.want {
				t.Errorf("got %+v, want %+v", got, tt.want)
			}
		})
	}
}
