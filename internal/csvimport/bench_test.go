package csvimport_test

import (
	"bytes"
	"fmt"
	"testing"

	"parcours/internal/csvimport"
	"parcours/internal/testkit"
)

// tenThousandRows is a valid file of 10 000 ESP rows with refs (no identifier to compute).
func tenThousandRows() []byte {
	var b bytes.Buffer
	b.WriteString("type;nom;ref;departement;commune;code_postal\n")
	deps := []struct{ dep, cp string }{{"44", "44000"}, {"49", "49000"}, {"53", "53000"}, {"72", "72000"}, {"85", "85000"}}
	for i := 0; i < 10000; i++ {
		d := deps[i%len(deps)]
		fmt.Fprintf(&b, "ESP;ESP numéro %d;BENCH-%05d;%s;Commune;%s\n", i, i, d.dep, d.cp)
	}
	return b.Bytes()
}

func BenchmarkParse10000Rows(b *testing.B) {
	data := tenThousandRows()
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		if res := csvimport.Parse(data); !res.OK() || len(res.Rows) != 10000 {
			b.Fatal(res.Errors)
		}
	}
}

// Importing 10 000 new rows, then the same file again (all unchanged), on SQLite.
func BenchmarkApply10000Rows(b *testing.B) {
	data := tenThousandRows()
	for b.Loop() {
		b.StopTimer()
		s := testkit.SQLite(b)
		res := csvimport.Parse(data)
		b.StartTimer()
		if r, err := csvimport.Apply(ctx, s, res, csvimport.Options{}); err != nil || r.Created != 10000 {
			b.Fatal(err, r)
		}
		if r, err := csvimport.Apply(ctx, s, res, csvimport.Options{}); err != nil || r.Unchanged != 10000 {
			b.Fatal(err, r)
		}
	}
}
