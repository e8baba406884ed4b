package storage_test

import (
	"fmt"
	"testing"

	"parcours/internal/model"
	"parcours/internal/storage"
	"parcours/internal/testkit"
)

// A région's page of 50 structures, filtered and counted, over 5 000 structures: what every
// visit to the structures list costs.
func BenchmarkStructuresPage(b *testing.B) {
	for _, db := range []struct {
		name string
		open func(testing.TB) *storage.Store
	}{{"sqlite", testkit.SQLite}, {"postgres", testkit.Postgres}} {
		b.Run(db.name, func(b *testing.B) {
			s := db.open(b)
			err := s.InTx(ctx, func(tx *storage.Store) error {
				deps := []string{"44", "49", "53", "72", "85", "13", "06", "83"}
				for i := 0; i < 5000; i++ {
					dep := deps[i%len(deps)]
					region := "52"
					if dep == "13" || dep == "06" || dep == "83" {
						region = "93"
					}
					st := &model.Structure{Kind: model.StructureKinds[i%4], Name: fmt.Sprintf("Structure %05d", i),
						Ref: fmt.Sprint("B", i), RegionCode: region, DepartementCode: dep, Commune: "Commune"}
					if st.Kind == model.KindCPTS {
						st.Stage = model.StageActive
					}
					if err := tx.CreateStructure(ctx, st); err != nil {
						return err
					}
				}
				return nil
			})
			if err != nil {
				b.Fatal(err)
			}
			f := storage.StructureFilter{Regions: []string{"52"}, Kinds: []model.StructureKind{model.KindCPTS}, Limit: 50, Offset: 100}
			b.ResetTimer()
			for b.Loop() {
				list, total, err := s.Structures(ctx, f)
				if err != nil || len(list) != 50 || total == 0 {
					b.Fatal(err, len(list), total)
				}
			}
		})
	}
}
