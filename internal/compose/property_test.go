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

// instance is a random composition: up to 60 applications over up to 20 organisations (and a
// few attached to none), with many ties on score, submission time and id prefixes.
type instance struct {
	p    compose.Params
	apps []compose.Applicant
}

func randomInstance(r *rand.Rand) instance {
	p := compose.Params{Capacity: r.IntN(16), PerOrg: 1 + r.IntN(3)*r.IntN(2), MaxPerOrg: r.IntN(4) * r.IntN(2)}
	if r.IntN(3) == 0 {
		p.HasMinScore, p.MinScore = true, r.IntN(60)*100
	}
	// Submission times are hours apart, with nanoseconds that sometimes break ties; now and
	// then eons apart, which takes the composition off its fast path for sorting.
	submitted := func() time.Time {
		return t0.Add(time.Duration(r.IntN(5))*time.Hour + time.Duration(r.IntN(2)))
	}
	switch r.IntN(10) {
	case 0:
		submitted = func() time.Time { return time.Unix(int64(r.IntN(5))<<44, int64(r.IntN(2))) }
	case 1:
		submitted = func() time.Time { return time.Unix(int64(r.IntN(5)-2)<<61, int64(r.IntN(2))) }
	}
	orgs := 1 + r.IntN(20)
	n := r.IntN(61)
	apps := make([]compose.Applicant, 0, n)
	for i := range n {
		a := compose.Applicant{
			ID:           fmt.Sprint(r.IntN(3), "-", i), // ids of different lengths: "1-10" < "1-9"
			Organisation: fmt.Sprintf("org%d", r.IntN(orgs)),
			Score:        r.IntN(21) * 500, // ties on score are frequent
			SubmittedAt:  submitted(),
			Status:       randomStatus(r),
		}
		if r.IntN(4) == 0 {
			a.Score = r.IntN(compose.MaxScore + 1)
		}
		if r.IntN(15) == 0 {
			a.Organisation = ""
		}
		apps = append(apps, a)
	}
	return instance{p, apps}
}

func randomStatus(r *rand.Rand) compose.Status {
	switch x := r.IntN(20); {
	case x < 12:
		return active
	case x < 14:
		return offered
	case x < 16:
		return accepted
	case x < 18:
		return declined
	default:
		return withdrawn
	}
}

// orgKey is the organisation as the rule sees it: none means alone in one's own.
func orgKey(a compose.Applicant) string {
	if a.Organisation == "" {
		return "\x00self:" + a.ID
	}
	return a.Organisation
}

func merit(a, b compose.Applicant) int {
	return cmp.Or(cmp.Compare(b.Score, a.Score), a.SubmittedAt.Compare(b.SubmittedAt), strings.Compare(a.ID, b.ID))
}

func order(a, b compose.Result) int {
	return cmp.Or(cmp.Compare(a.Tier, b.Tier), merit(a.Applicant, b.Applicant))
}

func inPlay(p compose.Params, a compose.Applicant) bool {
	switch a.Status {
	case accepted, offered:
		return true
	case active:
		return !p.HasMinScore || a.Score >= p.MinScore
	}
	return false
}

func statusGroup(s compose.Status) int {
	return map[compose.Status]int{accepted: 0, offered: 1, active: 2}[s]
}

// checkInvariants checks one composition against the rule written out naively.
func checkInvariants(t *testing.T, in instance, rs []compose.Result) {
	t.Helper()
	p := in.p
	if len(rs) != len(in.apps) {
		t.Fatalf("%d results for %d applications", len(rs), len(in.apps))
	}
	byID := map[string]compose.Result{}
	for _, r := range rs {
		byID[r.ID] = r
	}
	held, eligible := 0, 0
	for _, a := range in.apps {
		r, ok := byID[a.ID]
		if !ok || r.Applicant != a {
			t.Fatalf("application %s missing or changed: %+v", a.ID, r)
		}
		// Ranks and tiers, by counting who comes before.
		wantRank := 0
		if inPlay(p, a) {
			wantRank = 1
			for _, b := range in.apps {
				if b.ID != a.ID && inPlay(p, b) && orgKey(b) == orgKey(a) &&
					cmp.Or(cmp.Compare(statusGroup(b.Status), statusGroup(a.Status)), merit(b, a)) < 0 {
					wantRank++
				}
			}
		}
		wantTier := (wantRank + p.PerOrg - 1) / p.PerOrg
		if r.OrgRank != wantRank || r.Tier != wantTier {
			t.Errorf("%s: rank %d tier %d, want %d %d", a.ID, r.OrgRank, r.Tier, wantRank, wantTier)
		}
		// Seats held and offers out are never taken away; the others keep their status.
		want := map[compose.Status]compose.Decision{accepted: compose.DecisionAccepted, offered: compose.DecisionOffered,
			declined: compose.DecisionDeclined, withdrawn: compose.DecisionWithdrawn}[a.Status]
		switch {
		case a.Status == active && !inPlay(p, a):
			want = compose.DecisionNotRetained
		case a.Status == active && p.MaxPerOrg > 0 && wantRank > p.MaxPerOrg:
			want = compose.DecisionNotRetained
		case a.Status == active:
			eligible++
			if r.Decision != compose.DecisionOffered && r.Decision != compose.DecisionWaitlisted {
				t.Errorf("%s: eligible but %s", a.ID, r.Decision)
			}
			want = r.Decision
		}
		if r.Decision != want || r.New != (a.Status == active && r.Decision == compose.DecisionOffered) {
			t.Errorf("%s (%s): decision %s new %v", a.ID, a.Status, r.Decision, r.New)
		}
		if a.Status == accepted || a.Status == offered {
			held++
		}
	}

	// Capacity never exceeded, and every free seat offered while someone is eligible.
	seats, newOffers := 0, 0
	for _, r := range rs {
		if r.Decision == compose.DecisionAccepted || r.Decision == compose.DecisionOffered {
			seats++
		}
		if r.New {
			newOffers++
		}
	}
	if seats > max(p.Capacity, held) {
		t.Errorf("%d seats for capacity %d with %d held", seats, p.Capacity, held)
	}
	if want := min(max(0, p.Capacity-held), eligible); newOffers != want {
		t.Errorf("%d new offers, want %d", newOffers, want)
	}

	// Composition order: accepted, pending offers, new offers, waitlist, each by (tier, merit);
	// then the rest by id; positions count within offers and within the waitlist.
	group := func(r compose.Result) int {
		switch {
		case r.Decision == compose.DecisionAccepted:
			return 0
		case r.Decision == compose.DecisionOffered && !r.New:
			return 1
		case r.Decision == compose.DecisionOffered:
			return 2
		case r.Decision == compose.DecisionWaitlisted:
			return 3
		}
		return 4
	}
	offerPos, waitPos := 0, 0
	for i, r := range rs {
		g := group(r)
		if i > 0 {
			prev := rs[i-1]
			pg := group(prev)
			switch {
			case pg > g:
				t.Errorf("%s (%s) after %s (%s)", r.ID, r.Decision, prev.ID, prev.Decision)
			case pg == g && g < 4 && order(prev, r) >= 0:
				t.Errorf("%s not after %s in (tier, score, submission, id) order", r.ID, prev.ID)
			case pg == g && g == 4 && prev.ID >= r.ID:
				t.Errorf("%s not after %s by id", r.ID, prev.ID)
			}
		}
		wantPos := 0
		switch g {
		case 1, 2:
			offerPos++
			wantPos = offerPos
		case 3:
			waitPos++
			wantPos = waitPos
		}
		if r.Position != wantPos {
			t.Errorf("%s: position %d, want %d", r.ID, r.Position, wantPos)
		}
	}

	// With P = 1, no new offer gives an organisation a second seat while an organisation
	// without a seat has a candidate on the waitlist.
	if p.PerOrg == 1 {
		orgSeats := map[string]int{}
		for _, r := range rs {
			if r.Decision == compose.DecisionAccepted || r.Decision == compose.DecisionOffered {
				orgSeats[orgKey(r.Applicant)]++
			}
		}
		for _, x := range rs {
			if !x.New || orgSeats[orgKey(x.Applicant)] < 2 {
				continue
			}
			for _, w := range rs {
				if w.Decision == compose.DecisionWaitlisted && orgSeats[orgKey(w.Applicant)] == 0 {
					t.Errorf("%s's organisation got a second seat while %s's has none and waits", x.ID, w.ID)
				}
			}
		}
	}
}

const instances = 2000

func TestPropertiesOfRandomCompositions(t *testing.T) {
	r := rand.New(rand.NewPCG(2026, 4))
	for range instances {
		in := randomInstance(r)
		rs, err := compose.Compose(in.p, in.apps)
		if err != nil {
			t.Fatal(err)
		}
		checkInvariants(t, in, rs)

		// Output independent of input order.
		shuffled := slices.Clone(in.apps)
		r.Shuffle(len(shuffled), func(i, j int) { shuffled[i], shuffled[j] = shuffled[j], shuffled[i] })
		again, err := compose.Compose(in.p, shuffled)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(rs, again) {
			t.Fatalf("input order changed the result (%+v):\n%s\nshuffled:\n%s", in.p,
				strings.Join(lines(rs), "\n"), strings.Join(lines(again), "\n"))
		}
		if t.Failed() {
			t.Fatalf("instance %+v:\n%s", in.p, strings.Join(lines(rs), "\n"))
		}
	}
}

// With P = 1, at least C organisations with eligible candidates and no seat held yet, the C
// offers go to C different organisations.
func TestPropertyOneSeatPerOrganisation(t *testing.T) {
	r := rand.New(rand.NewPCG(2026, 15))
	checked := 0
	for range instances {
		in := randomInstance(r)
		in.p.PerOrg = 1
		withCandidates := map[string]bool{}
		for i := range in.apps {
			if s := in.apps[i].Status; s == accepted || s == offered {
				in.apps[i].Status = active
			}
			if inPlay(in.p, in.apps[i]) {
				withCandidates[orgKey(in.apps[i])] = true
			}
		}
		if len(withCandidates) < in.p.Capacity {
			continue
		}
		checked++
		rs := mustCompose(t, in.p, in.apps)
		seats := map[string]int{}
		for _, res := range rs {
			if res.New {
				seats[orgKey(res.Applicant)]++
			}
		}
		if len(seats) != in.p.Capacity {
			t.Fatalf("%d organisations with candidates, capacity %d: offers to %v\n%s", len(withCandidates),
				in.p.Capacity, seats, strings.Join(lines(rs), "\n"))
		}
	}
	if checked < instances/4 {
		t.Errorf("only %d instances had enough organisations", checked)
	}
}

// A candidate never loses their place because an unrelated candidate was added below them:
// a newcomer who ranks last in their organisation changes nothing for the candidates ahead
// of them in the composition order, nor any rank or tier.
func TestPropertyNewcomerBelowChangesNothingAbove(t *testing.T) {
	r := rand.New(rand.NewPCG(2026, 60))
	for n := range instances {
		in := randomInstance(r)
		before := mustCompose(t, in.p, in.apps)

		newcomer := compose.Applicant{ID: fmt.Sprint("~new", n), Status: active,
			Organisation: fmt.Sprintf("org%d", r.IntN(25)), // sometimes an organisation nobody else is in
			SubmittedAt:  t0.Add(time.Duration(r.IntN(6)) * time.Hour), Score: r.IntN(compose.MaxScore + 1)}
		if r.IntN(4) == 0 { // a newcomer out of play changes nothing either
			newcomer.Status = []compose.Status{declined, withdrawn}[r.IntN(2)]
		}
		for _, a := range in.apps { // last in their organisation: below all its applications in play
			if orgKey(a) == orgKey(newcomer) && inPlay(in.p, a) {
				newcomer.Score = min(newcomer.Score, a.Score)
				if !newcomer.SubmittedAt.After(a.SubmittedAt) {
					newcomer.SubmittedAt = a.SubmittedAt.Add(time.Hour)
				}
			}
		}
		after := mustCompose(t, in.p, append(slices.Clone(in.apps), newcomer))
		checkInvariants(t, instance{in.p, append(slices.Clone(in.apps), newcomer)}, after)

		old := map[string]compose.Result{}
		for _, res := range before {
			old[res.ID] = res
		}
		above := true
		for _, res := range after {
			if res.ID == newcomer.ID {
				above = false
				continue
			}
			o := old[res.ID]
			if res.OrgRank != o.OrgRank || res.Tier != o.Tier {
				t.Fatalf("%s: rank/tier %d/%d became %d/%d after adding %+v", res.ID, o.OrgRank, o.Tier, res.OrgRank, res.Tier, newcomer)
			}
			if (above || res.Decision == compose.DecisionAccepted || res.Reason == compose.ReasonOfferPending) && res != o {
				t.Fatalf("%s changed from %q to %q after adding %+v below", res.ID, line(o), line(res), newcomer)
			}
		}
	}
}
