package assign

import (
	"errors"
	"fmt"
	"maps"
	"math/rand/v2"
	"reflect"
	"slices"
	"testing"
)

// conflicts builds a Conflicts map from "member:application" pairs.
func conflicts(pairs ...string) map[string]map[string]bool {
	out := map[string]map[string]bool{}
	for _, p := range pairs {
		var m, a string
		for i := range p {
			if p[i] == ':' {
				m, a = p[:i], p[i+1:]
			}
		}
		if out[m] == nil {
			out[m] = map[string]bool{}
		}
		out[m][a] = true
	}
	return out
}

func ids(prefix string, n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = fmt.Sprintf("%s%02d", prefix, i+1)
	}
	return out
}

func TestSolve(t *testing.T) {
	cases := []struct {
		name             string
		p                Problem
		minLoad, maxLoad int
		short            map[string]int
		loads            map[string]int // when the test pins them; nil otherwise
		want             Assignment     // when the problem forces it; nil otherwise
	}{
		{
			name:    "no conflicts: perfect balance",
			p:       Problem{Reviewers: ids("m", 4), Applications: ids("a", 6), R: 2},
			minLoad: 3, maxLoad: 3,
		},
		{
			name:    "no conflicts: loads within one",
			p:       Problem{Reviewers: ids("m", 5), Applications: ids("a", 6), R: 2},
			minLoad: 2, maxLoad: 3,
		},
		{
			name:    "R zero means the default of two",
			p:       Problem{Reviewers: ids("m", 3), Applications: ids("a", 3)},
			minLoad: 2, maxLoad: 2,
		},
		{
			name: "a member conflicted on everything stays at zero",
			p: Problem{Reviewers: []string{"A", "B", "C"}, Applications: []string{"1", "2", "3", "4"}, R: 1,
				Conflicts: conflicts("C:1", "C:2", "C:3", "C:4")},
			minLoad: 0, maxLoad: 2,
		},
		{
			name: "conflicts force one member to carry three",
			// Only A may review 1, 2 and 3, so B and C share 4, 5 and 6: 3, 2, 1 at best.
			p: Problem{Reviewers: []string{"A", "B", "C"}, Applications: []string{"1", "2", "3", "4", "5", "6"}, R: 1,
				Conflicts: conflicts("B:1", "C:1", "B:2", "C:2", "B:3", "C:3")},
			minLoad: 1, maxLoad: 3,
		},
		{
			name: "a forced gap leaves the others even",
			// Z may review nothing, A alone reviews 1–4; the other six applications spread over B, C, D.
			p: Problem{Reviewers: []string{"A", "B", "C", "D", "Z"}, Applications: ids("a", 10), R: 1,
				Conflicts: func() map[string]map[string]bool {
					c := conflicts()
					c["Z"] = map[string]bool{}
					for _, a := range ids("a", 10) {
						c["Z"][a] = true
					}
					for _, m := range []string{"B", "C", "D"} {
						c[m] = map[string]bool{"a01": true, "a02": true, "a03": true, "a04": true}
					}
					c["A"] = map[string]bool{"a05": true, "a06": true, "a07": true, "a08": true, "a09": true, "a10": true}
					return c
				}()},
			minLoad: 0, maxLoad: 4,
			loads: map[string]int{"A": 4, "B": 2, "C": 2, "D": 2, "Z": 0},
		},
		{
			name: "only one reviewer without a conflict",
			p: Problem{Reviewers: []string{"A", "B", "C"}, Applications: []string{"1", "2"}, R: 2,
				Conflicts: conflicts("A:1", "B:1")},
			minLoad: 1, maxLoad: 1,
			short: map[string]int{"1": 1},
			want:  Assignment{"1": {"C"}, "2": {"A", "B"}},
		},
		{
			name: "nobody may review",
			p: Problem{Reviewers: []string{"A"}, Applications: []string{"1"}, R: 2,
				Conflicts: conflicts("A:1")},
			short: map[string]int{"1": 2},
			want:  Assignment{"1": {}},
		},
		{
			name:    "R larger than the committee",
			p:       Problem{Reviewers: []string{"A", "B", "C"}, Applications: []string{"1", "2"}, R: 5},
			minLoad: 2, maxLoad: 2,
			short: map[string]int{"1": 2, "2": 2},
			want:  Assignment{"1": {"A", "B", "C"}, "2": {"A", "B", "C"}},
		},
		{
			name: "fixed pairs are kept and counted",
			// A is fixed on 1 and 2, so B and C take the rest: loads 2, 2, 2.
			p: Problem{Reviewers: []string{"A", "B", "C"}, Applications: []string{"1", "2", "3"}, R: 2,
				Fixed: map[string][]string{"1": {"A"}, "2": {"A"}}},
			minLoad: 2, maxLoad: 2,
			want: Assignment{"1": {"A", "B"}, "2": {"A", "C"}, "3": {"B", "C"}},
		},
		{
			name: "fixed pairs beyond R stay and nobody is added",
			p: Problem{Reviewers: []string{"A", "B", "C"}, Applications: []string{"1", "2"}, R: 1,
				Fixed: map[string][]string{"1": {"A", "B"}}},
			minLoad: 1, maxLoad: 1,
			want: Assignment{"1": {"A", "B"}, "2": {"C"}},
		},
		{
			name: "a fixed member who left counts toward R but not in the loads",
			p: Problem{Reviewers: []string{"A", "B"}, Applications: []string{"1", "2"}, R: 2,
				Fixed: map[string][]string{"1": {"gone"}}},
			minLoad: 1, maxLoad: 2,
		},
		{
			name: "zero applications",
			p:    Problem{Reviewers: []string{"A", "B"}, R: 2},
			want: Assignment{},
		},
		{
			name:  "zero reviewers",
			p:     Problem{Applications: []string{"1"}, R: 2},
			short: map[string]int{"1": 2},
			want:  Assignment{"1": {}},
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, rep, err := Solve(tc.p)
			if err != nil {
				t.Fatal(err)
			}
			checkValid(t, tc.p, got, rep)
			if rep.MinLoad != tc.minLoad || rep.MaxLoad != tc.maxLoad {
				t.Errorf("loads %d..%d, want %d..%d (%v)", rep.MinLoad, rep.MaxLoad, tc.minLoad, tc.maxLoad, rep.Loads)
			}
			if tc.short == nil {
				tc.short = map[string]int{}
			}
			if !maps.Equal(rep.Short, tc.short) {
				t.Errorf("short %v, want %v", rep.Short, tc.short)
			}
			if tc.loads != nil && !maps.Equal(rep.Loads, tc.loads) {
				t.Errorf("loads %v, want %v", rep.Loads, tc.loads)
			}
			if tc.want != nil && !reflect.DeepEqual(got, tc.want) {
				t.Errorf("got %v, want %v", got, tc.want)
			}
		})
	}
}

// checkValid checks goal (1) and the report: every application has min(R, allowed) reviewers,
// sorted, distinct, never conflicted, Fixed ones kept; Short and the loads match.
func checkValid(t *testing.T, p Problem, got Assignment, rep Report) {
	t.Helper()
	r := p.R
	if r == 0 {
		r = DefaultR
	}
	if len(got) != len(p.Applications) {
		t.Fatalf("%d applications in the assignment, want %d", len(got), len(p.Applications))
	}
	loads := map[string]int{}
	for _, m := range p.Reviewers {
		loads[m] = 0
	}
	for _, a := range p.Applications {
		members, ok := got[a]
		if !ok {
			t.Fatalf("application %s missing", a)
		}
		if !slices.IsSorted(members) || len(slices.Compact(slices.Clone(members))) != len(members) {
			t.Errorf("application %s: members %v not sorted and distinct", a, members)
		}
		allowed := map[string]bool{}
		for _, m := range p.Reviewers {
			if !p.Conflicts[m][a] {
				allowed[m] = true
			}
		}
		for _, m := range p.Fixed[a] {
			allowed[m] = true
			if !slices.Contains(members, m) {
				t.Errorf("application %s: fixed member %s dropped", a, m)
			}
		}
		for _, m := range members {
			if p.Conflicts[m][a] || !allowed[m] {
				t.Errorf("application %s: member %s may not review it", a, m)
			}
			if _, ok := loads[m]; ok {
				loads[m]++
			}
		}
		want := max(len(p.Fixed[a]), min(r, len(allowed)))
		if len(members) != want {
			t.Errorf("application %s: %d reviewers, want %d", a, len(members), want)
		}
		if short := max(0, r-len(members)); rep.Short[a] != short {
			t.Errorf("application %s: short %d, reported %d", a, short, rep.Short[a])
		}
	}
	if !maps.Equal(loads, rep.Loads) {
		t.Errorf("loads %v, reported %v", loads, rep.Loads)
	}
	if len(loads) > 0 {
		lo, hi := slices.Min(slices.Collect(maps.Values(loads))), slices.Max(slices.Collect(maps.Values(loads)))
		if lo != rep.MinLoad || hi != rep.MaxLoad {
			t.Errorf("loads %d..%d, reported %d..%d", lo, hi, rep.MinLoad, rep.MaxLoad)
		}
	}
}

func TestSolveIsDeterministic(t *testing.T) {
	rng := rand.New(rand.NewPCG(4, 2))
	p := randomProblem(rng, 12, 60, 2, 0.15, 0.05)
	first, _, err := Solve(p)
	if err != nil {
		t.Fatal(err)
	}
	for i := range 20 {
		q := p
		q.Reviewers = slices.Clone(p.Reviewers)
		q.Applications = slices.Clone(p.Applications)
		if i > 0 {
			rng.Shuffle(len(q.Reviewers), func(i, j int) { q.Reviewers[i], q.Reviewers[j] = q.Reviewers[j], q.Reviewers[i] })
			rng.Shuffle(len(q.Applications), func(i, j int) { q.Applications[i], q.Applications[j] = q.Applications[j], q.Applications[i] })
			q.Fixed = map[string][]string{}
			for a, ms := range p.Fixed {
				ms = slices.Clone(ms)
				rng.Shuffle(len(ms), func(i, j int) { ms[i], ms[j] = ms[j], ms[i] })
				q.Fixed[a] = ms
			}
		}
		got, _, err := Solve(q)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got, first) {
			t.Fatalf("run %d differs:\n%v\n%v", i, got, first)
		}
	}
}

func TestReassign(t *testing.T) {
	p := Problem{Reviewers: []string{"A", "B", "C", "D"}, Applications: ids("a", 8), R: 2}
	current, rep, err := Solve(p)
	if err != nil {
		t.Fatal(err)
	}
	if rep.MinLoad != 4 || rep.MaxLoad != 4 {
		t.Fatalf("loads before %v", rep.Loads)
	}
	var ofD []string
	for _, a := range ids("a", 8) {
		if slices.Contains(current[a], "D") {
			ofD = append(ofD, a)
		}
	}
	// D already submitted the review of their first application: the caller keeps that pair.
	submitted := ofD[0]
	p.Fixed = map[string][]string{submitted: {"D"}}

	got, rep, err := Reassign(p, current, "D")
	if err != nil {
		t.Fatal(err)
	}
	q := p
	q.Reviewers = []string{"A", "B", "C"}
	checkValid(t, q, got, rep)
	for a, members := range current {
		for _, m := range members {
			if (m != "D" || a == submitted) && !slices.Contains(got[a], m) {
				t.Errorf("application %s lost %s", a, m)
			}
			if m == "D" && a != submitted && slices.Contains(got[a], "D") {
				t.Errorf("application %s kept the leaver", a)
			}
		}
		if len(got[a]) != 2 {
			t.Errorf("application %s has %v", a, got[a])
		}
	}
	// 16 slots, D keeps 1, the other 15 are 5 each.
	if want := map[string]int{"A": 5, "B": 5, "C": 5}; !maps.Equal(rep.Loads, want) {
		t.Errorf("loads %v, want %v", rep.Loads, want)
	}
}

func TestReassignBalancesUnderConflicts(t *testing.T) {
	// A leaves 1 and 2; B may not review 1, so C takes it; D may not review 2, so B takes it.
	p := Problem{Reviewers: []string{"A", "B", "C", "D"}, Applications: []string{"1", "2", "3", "4"}, R: 2,
		Conflicts: conflicts("B:1", "D:2")}
	current := Assignment{"1": {"A", "D"}, "2": {"A", "C"}, "3": {"B", "D"}, "4": {"B", "C"}}
	got, rep, err := Reassign(p, current, "A")
	if err != nil {
		t.Fatal(err)
	}
	want := Assignment{"1": {"C", "D"}, "2": {"B", "C"}, "3": {"B", "D"}, "4": {"B", "C"}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %v, want %v", got, want)
	}
	if rep.MinLoad != 2 || rep.MaxLoad != 3 {
		t.Errorf("loads %v", rep.Loads)
	}
}

func TestSolveRejects(t *testing.T) {
	cases := []struct {
		name string
		p    Problem
	}{
		{"negative R", Problem{Reviewers: []string{"A"}, Applications: []string{"1"}, R: -1}},
		{"reviewer twice", Problem{Reviewers: []string{"A", "A"}}},
		{"application twice", Problem{Applications: []string{"1", "1"}}},
		{"empty id", Problem{Reviewers: []string{""}}},
		{"fixed on unknown application", Problem{Reviewers: []string{"A"}, Fixed: map[string][]string{"1": {"A"}}}},
		{"fixed twice", Problem{Reviewers: []string{"A"}, Applications: []string{"1"}, Fixed: map[string][]string{"1": {"A", "A"}}}},
		{"fixed despite a conflict", Problem{Reviewers: []string{"A"}, Applications: []string{"1"},
			Conflicts: conflicts("A:1"), Fixed: map[string][]string{"1": {"A"}}}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if _, _, err := Solve(tc.p); !errors.Is(err, ErrInvalid) {
				t.Errorf("error %v, want ErrInvalid", err)
			}
		})
	}
}

// randomProblem draws conflicts with probability pc and fixed pairs with probability pf.
func randomProblem(rng *rand.Rand, reviewers, applications, r int, pc, pf float64) Problem {
	p := Problem{Reviewers: ids("m", reviewers), Applications: ids("a", applications), R: r,
		Conflicts: map[string]map[string]bool{}, Fixed: map[string][]string{}}
	for _, m := range p.Reviewers {
		for _, a := range p.Applications {
			switch x := rng.Float64(); {
			case x < pc:
				if p.Conflicts[m] == nil {
					p.Conflicts[m] = map[string]bool{}
				}
				p.Conflicts[m][a] = true
			case x < pc+pf:
				p.Fixed[a] = append(p.Fixed[a], m)
			}
		}
	}
	return p
}

func BenchmarkSolve300x12(b *testing.B) {
	p := randomProblem(rand.New(rand.NewPCG(1, 1)), 12, 300, 2, 0.10, 0)
	for b.Loop() {
		if _, _, err := Solve(p); err != nil {
			b.Fatal(err)
		}
	}
}
