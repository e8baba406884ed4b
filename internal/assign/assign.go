// Package assign gives each application its committee reviewers: R per application (default 2),
// never a conflicted member, and loads as even as the conflicts allow. It does no I/O.
//
// # Algorithm
//
// Coverage comes first and needs no search: reviewers have no capacity, so each application
// independently gets min(R, members who may review it) reviewers, counting the Fixed ones it
// already has (manual adjustments, submitted reviews), which are never moved.
//
// Balance is then a min-cost flow. Source → application (capacity: reviewers still needed),
// application → reviewer (capacity 1, for each allowed pair not already Fixed), reviewer → sink
// with the convex cost load², where the load counts the Fixed pairs. Units are added one at a time
// by successive shortest paths: for the next unit of an application, a breadth-first search
// follows alternating paths (the application takes a reviewer; that reviewer gives up another
// application, which takes another reviewer; …) and the path ends at the least-loaded reviewer it
// can reach. Inner edges cost nothing, so that path is a shortest one, and augmenting along a
// shortest path keeps the flow of least cost: at the end the sum of squared loads is minimal.
// The load vectors of such flows form an M-convex set, on which the least sum of squares is
// exactly the "decreasingly minimal" vector (Frank and Murota, Discrete decreasing minimization,
// 2022): the largest load is as small as possible, then the next one, and so on; it also makes the
// smallest load as large as possible. So max − min ≤ 1 whenever some assignment allows it, and when
// conflicts force a gap the other members stay as even as possible. The tests check this against
// an exhaustive search on small instances with conflicts and Fixed pairs.
//
// Cost: one search per reviewer slot, stopped as soon as it reaches a member with the smallest load
// of the committee, so usually a handful of steps; at worst O(slots × pairs).
//
// Determinism: ids are sorted before anything is decided, maps are only looked up, and among
// equally loaded reviewers the search tries them in the order of a hash of (application, member),
// which depends on the ids alone and varies the pairs of reviewers from one application to the next.
package assign

import (
	"errors"
	"fmt"
	"slices"
	"sort"
)

// DefaultR is the number of reviewers per application when Problem.R is zero.
const DefaultR = 2

// ErrInvalid is wrapped by every error about a malformed Problem.
var ErrInvalid = errors.New("assign: invalid problem")

// Problem is what an assignment is computed from.
type Problem struct {
	Reviewers    []string                   // members who may review (observers excluded by the caller)
	Applications []string                   // application ids
	R            int                        // reviewers per application; 0 means DefaultR
	Conflicts    map[string]map[string]bool // member id → application ids they may not review
	// Fixed are pairs that must stay: application id → members (manual adjustments, submitted
	// reviews). They count toward R and in the loads. A Fixed member need not be in Reviewers
	// (a member who left after submitting keeps their review); they are then not balanced.
	Fixed map[string][]string
}

// Assignment maps every application id to its member ids, sorted, Fixed ones included.
type Assignment map[string][]string

// Report says how good an assignment is.
type Report struct {
	Short            map[string]int // application id → reviewers missing because conflicts leave too few
	Loads            map[string]int // member id (of Reviewers) → applications assigned, Fixed included
	MinLoad, MaxLoad int            // over Reviewers; 0 when there are none
}

// Solve assigns reviewers to every application; see the package comment for the rules and the method.
func Solve(p Problem) (Assignment, Report, error) {
	s, err := newSolver(p)
	if err != nil {
		return nil, Report{}, err
	}
	s.balance()
	a, rep := s.result()
	return a, rep, nil
}

// Reassign removes a leaving member and gives their applications to the others. Every other pair
// of current stays, and so do the leaver's pairs the caller put in p.Fixed (submitted reviews);
// the freed slots go where they keep the loads most even. Applications of current short of
// reviewers are completed too. A pair of current that has become a conflict is an error: the
// caller removes it first, like any pair to be moved.
func Reassign(p Problem, current Assignment, leaving string) (Assignment, Report, error) {
	q := p
	q.Reviewers = slices.DeleteFunc(slices.Clone(p.Reviewers), func(m string) bool { return m == leaving })
	q.Fixed = make(map[string][]string, len(current)+len(p.Fixed))
	add := func(app, m string) {
		if !slices.Contains(q.Fixed[app], m) {
			q.Fixed[app] = append(q.Fixed[app], m)
		}
	}
	for app, members := range p.Fixed {
		for _, m := range members {
			add(app, m)
		}
	}
	for app, members := range current {
		for _, m := range members {
			if m != leaving {
				add(app, m)
			}
		}
	}
	return Solve(q)
}

type solver struct {
	apps, revs []string
	r          int
	fixed      [][]string // per application, sorted
	need       []int      // per application: reviewers still to choose
	short      []int      // per application
	cand       [][]int32  // per application: reviewers it may take, in tie-break order
	load       []int      // per reviewer, Fixed included
	on         []bool     // on[a*len(revs)+r]: r was chosen for a (not Fixed)
	holds      [][]int32  // per reviewer: applications chosen for them (not Fixed)
}

func newSolver(p Problem) (*solver, error) {
	s := &solver{r: p.R}
	if s.r == 0 {
		s.r = DefaultR
	}
	if s.r < 0 {
		return nil, fmt.Errorf("%w: %d reviewers per application", ErrInvalid, p.R)
	}
	var err error
	if s.revs, err = sortedIDs("reviewer", p.Reviewers); err != nil {
		return nil, err
	}
	if s.apps, err = sortedIDs("application", p.Applications); err != nil {
		return nil, err
	}
	appIndex := make(map[string]int, len(s.apps))
	for i, a := range s.apps {
		appIndex[a] = i
	}
	revIndex := make(map[string]int, len(s.revs))
	for i, m := range s.revs {
		revIndex[m] = i
	}
	n := len(s.revs)
	s.fixed = make([][]string, len(s.apps))
	s.need = make([]int, len(s.apps))
	s.short = make([]int, len(s.apps))
	s.cand = make([][]int32, len(s.apps))
	s.load = make([]int, n)
	s.on = make([]bool, len(s.apps)*n)
	s.holds = make([][]int32, n)

	fixedApps := make([]string, 0, len(p.Fixed))
	for app := range p.Fixed {
		fixedApps = append(fixedApps, app)
	}
	sort.Strings(fixedApps)
	for _, app := range fixedApps {
		ai, ok := appIndex[app]
		if !ok {
			return nil, fmt.Errorf("%w: fixed pairs for unknown application %q", ErrInvalid, app)
		}
		members := slices.Sorted(slices.Values(p.Fixed[app]))
		for i, m := range members {
			if i > 0 && members[i-1] == m {
				return nil, fmt.Errorf("%w: member %q fixed twice on application %q", ErrInvalid, m, app)
			}
			if p.Conflicts[m][app] {
				return nil, fmt.Errorf("%w: member %q is fixed on application %q but has a conflict", ErrInvalid, m, app)
			}
			if ri, ok := revIndex[m]; ok {
				s.load[ri]++
			}
		}
		s.fixed[ai] = members
	}

	keys := make([]uint64, n)
	for ai, app := range s.apps {
		var c []int32
		for ri, m := range s.revs {
			if !p.Conflicts[m][app] && !slices.Contains(s.fixed[ai], m) {
				c = append(c, int32(ri))
				keys[ri] = pairHash(app, m)
			}
		}
		slices.SortFunc(c, func(x, y int32) int {
			if keys[x] != keys[y] {
				if keys[x] < keys[y] {
					return -1
				}
				return 1
			}
			return int(x - y)
		})
		s.cand[ai] = c
		have := len(s.fixed[ai])
		s.need[ai] = max(0, min(s.r-have, len(c)))
		s.short[ai] = max(0, s.r-have-s.need[ai])
	}
	return s, nil
}

func sortedIDs(what string, ids []string) ([]string, error) {
	out := slices.Sorted(slices.Values(ids))
	for i, id := range out {
		if id == "" {
			return nil, fmt.Errorf("%w: empty %s id", ErrInvalid, what)
		}
		if i > 0 && out[i-1] == id {
			return nil, fmt.Errorf("%w: %s %q listed twice", ErrInvalid, what, id)
		}
	}
	return out, nil
}

// pairHash is FNV-1a of app, a zero byte and member: a fixed tie-break order that varies by pair.
func pairHash(app, member string) uint64 {
	const prime = 1099511628211
	h := uint64(14695981039346656037)
	for i := range len(app) {
		h = (h ^ uint64(app[i])) * prime
	}
	h *= prime // the zero byte
	for i := range len(member) {
		h = (h ^ uint64(member[i])) * prime
	}
	return h
}

// balance adds the missing reviewer slots one by one, each along a shortest augmenting path.
func (s *solver) balance() {
	n := len(s.revs)
	seenApp := make([]int, len(s.apps)) // search number that last reached the application
	seenRev := make([]int, n)
	fromApp := make([]int32, n)           // the application a reviewer was reached from
	fromRev := make([]int32, len(s.apps)) // the reviewer an application was reached from
	queue := make([]int32, 0, len(s.apps))
	search := 0
	for a0 := range s.apps {
		for range s.need[a0] {
			search++
			floor := slices.Min(s.load)
			best := -1
			queue = append(queue[:0], int32(a0))
			seenApp[a0] = search
		bfs:
			for len(queue) > 0 {
				a := queue[0]
				queue = queue[1:]
				for _, r := range s.cand[a] {
					if seenRev[r] == search || s.on[int(a)*n+int(r)] {
						continue
					}
					seenRev[r] = search
					fromApp[r] = a
					if best < 0 || s.load[r] < s.load[best] {
						best = int(r)
						if s.load[r] == floor {
							break bfs
						}
					}
					for _, b := range s.holds[r] {
						if seenApp[b] != search {
							seenApp[b] = search
							fromRev[b] = r
							queue = append(queue, b)
						}
					}
				}
			}
			// need ≤ len(cand) guarantees a reviewer is reachable: a0 itself lacks one.
			s.load[best]++
			for r := int32(best); ; {
				a := fromApp[r]
				s.take(a, r)
				if int(a) == a0 {
					break
				}
				prev := fromRev[a]
				s.drop(a, prev)
				r = prev
			}
		}
	}
}

func (s *solver) take(a, r int32) {
	s.on[int(a)*len(s.revs)+int(r)] = true
	s.holds[r] = append(s.holds[r], a)
}

func (s *solver) drop(a, r int32) {
	s.on[int(a)*len(s.revs)+int(r)] = false
	i := slices.Index(s.holds[r], a)
	s.holds[r] = slices.Delete(s.holds[r], i, i+1)
}

func (s *solver) result() (Assignment, Report) {
	n := len(s.revs)
	out := make(Assignment, len(s.apps))
	rep := Report{Short: map[string]int{}, Loads: make(map[string]int, n)}
	for ai, app := range s.apps {
		members := slices.Clone(s.fixed[ai])
		if members == nil {
			members = []string{}
		}
		for ri, m := range s.revs {
			if s.on[ai*n+ri] {
				members = append(members, m)
			}
		}
		sort.Strings(members)
		out[app] = members
		if s.short[ai] > 0 {
			rep.Short[app] = s.short[ai]
		}
	}
	for ri, m := range s.revs {
		rep.Loads[m] = s.load[ri]
	}
	if n > 0 {
		rep.MinLoad, rep.MaxLoad = slices.Min(s.load), slices.Max(s.load)
	}
	return out, rep
}
