package compose_test

import (
	"cmp"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"

	"parcours/internal/compose"
)

// benchSizes are the sizes of issue 4: applications over organisations.
var benchSizes = []struct{ apps, orgs int }{{1_000, 50}, {100_000, 5_000}, {1_000_000, 50_000}}

// benchApplications makes a realistic mix: 80 % active, 5 % each accepted, offered, declined
// and withdrawn; scores with two decimals, submissions over six weeks, ids in random order.
func benchApplications(n, orgs int) []compose.Applicant {
	r := rand.New(rand.NewPCG(uint64(n), uint64(orgs)))
	apps := make([]compose.Applicant, n)
	for i := range apps {
		status := active
		switch x := r.IntN(20); x {
		case 0:
			status = accepted
		case 1:
			status = offered
		case 2:
			status = declined
		case 3:
			status = withdrawn
		}
		apps[i] = compose.Applicant{
			ID:           fmt.Sprintf("A%07d", r.IntN(100*n)*10+i%10),
			Organisation: fmt.Sprintf("S%06d", r.IntN(orgs)),
			Score:        r.IntN(compose.MaxScore + 1),
			SubmittedAt:  t0.Add(time.Duration(r.Int64N(int64(42 * 24 * time.Hour)))).Truncate(time.Second),
			Status:       status,
		}
	}
	// Make the ids unique: the random part can repeat.
	seen := make(map[string]bool, n)
	for i := range apps {
		for seen[apps[i].ID] {
			apps[i].ID += "x"
		}
		seen[apps[i].ID] = true
	}
	return apps
}

func BenchmarkCompose(b *testing.B) {
	for _, size := range benchSizes {
		apps := benchApplications(size.apps, size.orgs)
		// Seats for a tenth of the applications, one per organisation, a 20/100 minimum.
		p := compose.Params{Capacity: size.apps / 10, PerOrg: 1, MinScore: 2000, HasMinScore: true}
		b.Run(fmt.Sprintf("apps=%d/orgs=%d", size.apps, size.orgs), func(b *testing.B) {
			for b.Loop() {
				if _, err := compose.Compose(p, apps); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkPlainSort is the reference: one sort of the same rows by (score desc, submission,
// id), copy included.
func BenchmarkPlainSort(b *testing.B) {
	for _, size := range benchSizes {
		apps := benchApplications(size.apps, size.orgs)
		rows := make([]compose.Applicant, len(apps))
		b.Run(fmt.Sprintf("apps=%d/orgs=%d", size.apps, size.orgs), func(b *testing.B) {
			for b.Loop() {
				copy(rows, apps)
				slices.SortFunc(rows, func(a, b compose.Applicant) int {
					return cmp.Or(cmp.Compare(b.Score, a.Score), a.SubmittedAt.Compare(b.SubmittedAt), strings.Compare(a.ID, b.ID))
				})
			}
		})
	}
}
