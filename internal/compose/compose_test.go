package compose_test

import (
	"errors"
	"fmt"
	"math"
	"strings"
	"testing"
	"time"

	"parcours/internal/compose"
)

var t0 = time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)

// app makes an application submitted minute minutes after t0, with a score in points.
func app(id, org string, points float64, minute int, status compose.Status) compose.Applicant {
	return compose.Applicant{ID: id, Organisation: org, Score: int(math.Round(points * 100)),
		SubmittedAt: t0.Add(time.Duration(minute) * time.Minute), Status: status}
}

const (
	active    = compose.StatusActive
	offered   = compose.StatusOffered
	accepted  = compose.StatusAccepted
	declined  = compose.StatusDeclined
	withdrawn = compose.StatusWithdrawn
)

// line shows a result as "id decision reason r<rank> t<tier> #<position>" with "new" for a new
// offer, and "-" for an empty rank, tier or position.
func line(r compose.Result) string {
	n := func(prefix string, v int) string {
		if v == 0 {
			return "-"
		}
		return fmt.Sprintf("%s%d", prefix, v)
	}
	s := fmt.Sprintf("%s %s %s %s %s %s", r.ID, r.Decision, r.Reason, n("r", r.OrgRank), n("t", r.Tier), n("#", r.Position))
	if r.New {
		s += " new"
	}
	return s
}

func lines(rs []compose.Result) []string {
	out := make([]string, len(rs))
	for i, r := range rs {
		out[i] = line(r)
	}
	return out
}

func mustCompose(t *testing.T, p compose.Params, apps []compose.Applicant) []compose.Result {
	t.Helper()
	rs, err := compose.Compose(p, apps)
	if err != nil {
		t.Fatal(err)
	}
	return rs
}

// One case per rule of the brief ("Composition of the cohort"), in its order.
func TestRules(t *testing.T) {
	cases := []struct {
		name   string
		params compose.Params
		apps   []compose.Applicant
		want   []string
	}{
		{
			name:   "organisation rank: score desc, then earlier submission, then id",
			params: compose.Params{Capacity: 10, PerOrg: 10},
			apps: []compose.Applicant{
				app("a4", "A", 80, 2, active), app("a9", "A", 80, 1, active), app("a1", "A", 80, 1, active),
				app("a3", "A", 91.5, 5, active),
			},
			want: []string{
				"a3 offered within_capacity r1 t1 #1 new",
				"a1 offered within_capacity r2 t1 #2 new",
				"a9 offered within_capacity r3 t1 #3 new",
				"a4 offered within_capacity r4 t1 #4 new",
			},
		},
		{
			name:   "ids compare as strings",
			params: compose.Params{Capacity: 2, PerOrg: 1},
			apps:   []compose.Applicant{app("9", "A", 50, 0, active), app("10", "B", 50, 0, active)},
			want:   []string{"10 offered within_capacity r1 t1 #1 new", "9 offered within_capacity r1 t1 #2 new"},
		},
		{
			name:   "tier is ceil(organisation rank / P)",
			params: compose.Params{Capacity: 0, PerOrg: 2},
			apps: []compose.Applicant{
				app("a1", "A", 90, 0, active), app("a2", "A", 80, 0, active), app("a3", "A", 70, 0, active),
				app("a4", "A", 60, 0, active), app("a5", "A", 50, 0, active),
			},
			want: []string{
				"a1 waitlisted capacity_full r1 t1 #1", "a2 waitlisted capacity_full r2 t1 #2",
				"a3 waitlisted capacity_full r3 t2 #3", "a4 waitlisted capacity_full r4 t2 #4",
				"a5 waitlisted capacity_full r5 t3 #5",
			},
		},
		{
			name:   "accepted seats rank first in their organisation, then pending offers, then the others",
			params: compose.Params{Capacity: 5, PerOrg: 1},
			apps: []compose.Applicant{
				app("a1", "A", 95, 0, active), app("a2", "A", 40, 0, offered), app("a3", "A", 30, 0, accepted),
			},
			want: []string{
				"a3 accepted seat_held r1 t1 -",
				"a2 offered offer_pending r2 t2 #1",
				"a1 offered within_capacity r3 t3 #2 new",
			},
		},
		{
			name:   "declined and withdrawn applications take no rank",
			params: compose.Params{Capacity: 1, PerOrg: 1},
			apps: []compose.Applicant{
				app("a1", "A", 99, 0, declined), app("a2", "A", 98, 0, withdrawn), app("a3", "A", 60, 0, active),
				app("b1", "B", 70, 0, active), app("b2", "B", 65, 0, active),
			},
			want: []string{
				"b1 offered within_capacity r1 t1 #1 new",
				"a3 waitlisted capacity_full r1 t1 #1",
				"b2 waitlisted capacity_full r2 t2 #2",
				"a1 declined declined - - -",
				"a2 withdrawn withdrawn - - -",
			},
		},
		{
			name:   "below the minimum score: not retained, no rank",
			params: compose.Params{Capacity: 5, PerOrg: 1, MinScore: 5000, HasMinScore: true},
			apps: []compose.Applicant{
				app("a1", "A", 49.99, 0, active), app("a2", "A", 50, 0, active), app("b1", "B", 10, 0, active),
			},
			want: []string{
				"a2 offered within_capacity r1 t1 #1 new",
				"a1 not_retained below_min_score - - -",
				"b1 not_retained below_min_score - - -",
			},
		},
		{
			// A recomputation with a higher minimum never withdraws a seat or an offer.
			name:   "the minimum score does not apply to accepted seats and pending offers",
			params: compose.Params{Capacity: 5, PerOrg: 1, MinScore: 5000, HasMinScore: true},
			apps:   []compose.Applicant{app("a1", "A", 20, 0, accepted), app("b1", "B", 30, 0, offered)},
			want:   []string{"a1 accepted seat_held r1 t1 -", "b1 offered offer_pending r1 t1 #1"},
		},
		{
			name:   "ranked beyond the hard maximum per organisation: not retained, even with free seats",
			params: compose.Params{Capacity: 10, PerOrg: 1, MaxPerOrg: 2},
			apps: []compose.Applicant{
				app("a1", "A", 90, 0, active), app("a2", "A", 80, 0, active), app("a3", "A", 70, 0, active),
				app("a4", "A", 60, 0, active),
			},
			want: []string{
				"a1 offered within_capacity r1 t1 #1 new",
				"a2 offered within_capacity r2 t2 #2 new",
				"a3 not_retained over_org_max r3 t3 -",
				"a4 not_retained over_org_max r4 t4 -",
			},
		},
		{
			name:   "seats held beyond the maximum are kept",
			params: compose.Params{Capacity: 10, PerOrg: 1, MaxPerOrg: 1},
			apps: []compose.Applicant{
				app("a1", "A", 90, 0, accepted), app("a2", "A", 80, 0, offered), app("a3", "A", 99, 0, active),
			},
			want: []string{
				"a1 accepted seat_held r1 t1 -",
				"a2 offered offer_pending r2 t2 #1",
				"a3 not_retained over_org_max r3 t3 -",
			},
		},
		{
			name:   "order by tier, then score desc, then submission, then id",
			params: compose.Params{Capacity: 0, PerOrg: 1},
			apps: []compose.Applicant{
				app("a1", "A", 90, 0, active), app("a2", "A", 85, 0, active),
				app("b1", "B", 60, 3, active), app("c1", "C", 60, 2, active), app("d1", "D", 60, 2, active),
				app("c2", "C", 50, 0, active),
			},
			want: []string{
				"a1 waitlisted capacity_full r1 t1 #1",
				"c1 waitlisted capacity_full r1 t1 #2",
				"d1 waitlisted capacity_full r1 t1 #3",
				"b1 waitlisted capacity_full r1 t1 #4",
				"a2 waitlisted capacity_full r2 t2 #5",
				"c2 waitlisted capacity_full r2 t2 #6",
			},
		},
		{
			name:   "seats already accepted and offers out count against the capacity first",
			params: compose.Params{Capacity: 3, PerOrg: 1},
			apps: []compose.Applicant{
				app("a1", "A", 40, 0, accepted), app("b1", "B", 45, 0, offered),
				app("c1", "C", 95, 0, active), app("d1", "D", 90, 0, active),
			},
			want: []string{
				"a1 accepted seat_held r1 t1 -",
				"b1 offered offer_pending r1 t1 #1",
				"c1 offered within_capacity r1 t1 #2 new",
				"d1 waitlisted capacity_full r1 t1 #1",
			},
		},
		{
			name:   "capacity shrunk below the seats held: nothing is taken away, no new offer",
			params: compose.Params{Capacity: 1, PerOrg: 1},
			apps: []compose.Applicant{
				app("a1", "A", 40, 0, accepted), app("b1", "B", 45, 0, offered), app("b2", "B", 30, 0, offered),
				app("c1", "C", 95, 0, active),
			},
			want: []string{
				"a1 accepted seat_held r1 t1 -",
				"b1 offered offer_pending r1 t1 #1",
				"b2 offered offer_pending r2 t2 #2",
				"c1 waitlisted capacity_full r1 t1 #1",
			},
		},
		{
			name:   "accepted and pending groups are in (tier, score) order too",
			params: compose.Params{Capacity: 9, PerOrg: 1},
			apps: []compose.Applicant{
				app("a1", "A", 90, 0, accepted), app("a2", "A", 80, 0, accepted), app("b1", "B", 70, 0, accepted),
				app("c1", "C", 90, 0, offered), app("c2", "C", 80, 0, offered), app("d1", "D", 60, 0, offered),
			},
			want: []string{
				"a1 accepted seat_held r1 t1 -",
				"b1 accepted seat_held r1 t1 -",
				"a2 accepted seat_held r2 t2 -",
				"c1 offered offer_pending r1 t1 #1",
				"d1 offered offer_pending r1 t1 #2",
				"c2 offered offer_pending r2 t2 #3",
			},
		},
		{
			name:   "a candidate attached to no structure is an organisation of their own",
			params: compose.Params{Capacity: 2, PerOrg: 1},
			apps: []compose.Applicant{
				app("x", "", 70, 0, active), app("y", "", 60, 0, active), app("a1", "A", 90, 0, active),
				app("a2", "A", 80, 0, active),
			},
			want: []string{
				"a1 offered within_capacity r1 t1 #1 new",
				"x offered within_capacity r1 t1 #2 new",
				"y waitlisted capacity_full r1 t1 #1",
				"a2 waitlisted capacity_full r2 t2 #2",
			},
		},
		{
			name:   "the others come last, by id",
			params: compose.Params{Capacity: 1, PerOrg: 1, MinScore: 1000, HasMinScore: true, MaxPerOrg: 1},
			apps: []compose.Applicant{
				app("z", "Z", 50, 0, declined), app("m", "A", 5, 0, active), app("a", "W", 50, 0, withdrawn),
				app("k1", "K", 90, 0, active), app("k2", "K", 80, 0, active),
			},
			want: []string{
				"k1 offered within_capacity r1 t1 #1 new",
				"a withdrawn withdrawn - - -",
				"k2 not_retained over_org_max r2 t2 -",
				"m not_retained below_min_score - - -",
				"z declined declined - - -",
			},
		},
		{
			name:   "no applications",
			params: compose.Params{Capacity: 15, PerOrg: 1},
			want:   []string{},
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got := lines(mustCompose(t, tc.params, tc.apps))
			if strings.Join(got, "\n") != strings.Join(tc.want, "\n") {
				t.Errorf("got\n  %s\nwant\n  %s", strings.Join(got, "\n  "), strings.Join(tc.want, "\n  "))
			}
		})
	}
}

// organisations makes perOrg active applications in each of n organisations O01…, the best
// organisation first, the best candidate first in each.
func organisations(n, perOrg int) []compose.Applicant {
	var apps []compose.Applicant
	for o := range n {
		for k := range perOrg {
			apps = append(apps, app(fmt.Sprintf("O%02d-%d", o+1, k+1), fmt.Sprintf("O%02d", o+1),
				float64(90-o)-float64(k)*0.5, o*10+k, active))
		}
	}
	return apps
}

func seatsByOrganisation(rs []compose.Result) map[string]int {
	seats := map[string]int{}
	for _, r := range rs {
		if r.Decision == compose.DecisionAccepted || r.Decision == compose.DecisionOffered {
			seats[r.Organisation]++
		}
	}
	return seats
}

// With 15 organisations or more and P = 1, 15 different organisations get one seat each, even
// when the strongest organisations have better second candidates than others' first.
func TestFifteenSeatsGoToFifteenOrganisations(t *testing.T) {
	for _, n := range []int{15, 16, 28} {
		rs := mustCompose(t, compose.Params{Capacity: 15, PerOrg: 1}, organisations(n, 3))
		seats := seatsByOrganisation(rs)
		if len(seats) != 15 {
			t.Errorf("%d organisations: seats in %d organisations, want 15: %v", n, len(seats), seats)
		}
		for org, s := range seats {
			if s != 1 {
				t.Errorf("%d organisations: %s has %d seats", n, org, s)
			}
		}
	}
}

// With 12 organisations, all 12 get one seat and the 3 best second candidates get the rest.
func TestTwelveOrganisationsAndThreeBestSeconds(t *testing.T) {
	apps := organisations(12, 2)
	// The best second candidates are in the weakest organisations, to show they win on score.
	for i := range apps {
		if strings.HasSuffix(apps[i].ID, "-2") {
			apps[i].Score = 3000 + 100*i
		}
	}
	rs := mustCompose(t, compose.Params{Capacity: 15, PerOrg: 1}, apps)
	seats := seatsByOrganisation(rs)
	if len(seats) != 12 {
		t.Fatalf("seats in %d organisations, want 12: %v", len(seats), seats)
	}
	var seconds []string
	for _, r := range rs {
		if r.Decision == compose.DecisionOffered && r.Tier == 2 {
			seconds = append(seconds, r.ID)
		}
	}
	if want := "O12-2 O11-2 O10-2"; strings.Join(seconds, " ") != want {
		t.Errorf("second candidates offered: %v, want %s", seconds, want)
	}
	if w := rs[15]; w.ID != "O09-2" || w.Decision != compose.DecisionWaitlisted || w.Position != 1 {
		t.Errorf("first on the waitlist: %s", line(w))
	}
}

// When an offer is declined, ranks and tiers are recomputed over the applications still in
// play: the organisation that lost its only seat competes again at tier 1 and its next
// candidate gets the seat before any second candidate of another organisation.
func TestDeclinedOfferGoesToTheNextInOrder(t *testing.T) {
	p := compose.Params{Capacity: 2, PerOrg: 1}
	apps := []compose.Applicant{
		app("a1", "A", 90, 0, active), app("a2", "A", 60, 0, active),
		app("b1", "B", 80, 0, active), app("b2", "B", 75, 0, active),
	}
	first := lines(mustCompose(t, p, apps))
	want := []string{
		"a1 offered within_capacity r1 t1 #1 new", "b1 offered within_capacity r1 t1 #2 new",
		"b2 waitlisted capacity_full r2 t2 #1", "a2 waitlisted capacity_full r2 t2 #2",
	}
	if strings.Join(first, "\n") != strings.Join(want, "\n") {
		t.Fatalf("first run:\n%s", strings.Join(first, "\n"))
	}
	apps[0].Status, apps[2].Status = declined, accepted // a1 declines, b1 accepts
	second := lines(mustCompose(t, p, apps))
	want = []string{
		"b1 accepted seat_held r1 t1 -",
		"a2 offered within_capacity r1 t1 #1 new",
		"b2 waitlisted capacity_full r2 t2 #1",
		"a1 declined declined - - -",
	}
	if strings.Join(second, "\n") != strings.Join(want, "\n") {
		t.Errorf("after a1 declined:\n%s", strings.Join(second, "\n"))
	}
}

func TestInvalidInput(t *testing.T) {
	ok := compose.Params{Capacity: 1, PerOrg: 1}
	cases := []struct {
		name   string
		params compose.Params
		apps   []compose.Applicant
		want   string
	}{
		{"negative capacity", compose.Params{Capacity: -1, PerOrg: 1}, nil, "capacity -1"},
		{"per-organisation cap 0", compose.Params{Capacity: 1}, nil, "per-organisation cap 0"},
		{"negative maximum", compose.Params{Capacity: 1, PerOrg: 1, MaxPerOrg: -2}, nil, "maximum per organisation -2"},
		{"minimum over 100", compose.Params{Capacity: 1, PerOrg: 1, MinScore: 10001, HasMinScore: true}, nil, "minimum score 10001"},
		{"repeated id", ok, []compose.Applicant{app("a", "A", 1, 0, active), app("a", "B", 1, 0, active)}, `"a" appears twice`},
		{"empty id", ok, []compose.Applicant{app("", "A", 1, 0, active)}, "no id"},
		{"score over 100", ok, []compose.Applicant{app("a", "A", 100.01, 0, active)}, "score 10001"},
		{"negative score", ok, []compose.Applicant{app("a", "A", -1, 0, active)}, "score -100"},
		{"unknown status", ok, []compose.Applicant{app("a", "A", 1, 0, "pending")}, `unknown status "pending"`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := compose.Compose(tc.params, tc.apps)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %v, want one with %q", err, tc.want)
			}
			if tc.apps == nil && !errors.Is(err, compose.ErrParams) {
				t.Errorf("%v is not ErrParams", err)
			}
		})
	}
}

func TestExplain(t *testing.T) {
	p := compose.Params{Capacity: 3, PerOrg: 1}
	apps := []compose.Applicant{
		app("a1", "A", 40, 0, accepted), app("a2", "A", 95, 0, active), app("b1", "B", 80, 0, active),
		app("c1", "C", 70, 0, active), app("d1", "D", 60, 0, active), app("x", "", 50, 0, active),
	}
	rs := mustCompose(t, p, apps)
	ex := compose.Explain(p, rs)
	got := map[string]compose.Explanation{}
	for i, e := range ex {
		if e.Result != rs[i] {
			t.Errorf("explanation %d is about %s, result is %s", i, e.ID, rs[i].ID)
		}
		got[e.ID] = e
	}
	a2 := got["a2"] // "Votre CPTS a déjà un(e) candidat(e) retenu(e) ; vous êtes en position 3 …"
	if a2.Decision != compose.DecisionWaitlisted || a2.OrgSeats != 1 || a2.Tier != 2 || a2.Position != 3 {
		t.Errorf("a2: %+v", a2)
	}
	if a2.SeatsHeld != 1 || a2.FreeSeats != 2 || a2.NewOffers != 2 || a2.Waitlisted != 3 || a2.Params != p {
		t.Errorf("a2 figures: %+v", a2)
	}
	if a1 := got["a1"]; a1.OrgSeats != 0 {
		t.Errorf("a1 counts its own seat: %+v", a1)
	}
	if x := got["x"]; x.OrgSeats != 0 || x.Position != 2 {
		t.Errorf("x: %+v", x)
	}
}
