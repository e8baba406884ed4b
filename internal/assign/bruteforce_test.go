package assign

import (
	"math/rand/v2"
	"slices"
	"testing"
)

// optimum is the best an exhaustive search finds: the most reviewer slots filled, then among
// those the smallest maximum load with the largest minimum load, and the least sum of squares.
type optimum struct {
	coverage, maxLoad, minLoad, sumSquares int
}

// bruteForce tries every valid assignment: for each application any set of allowed members (not
// conflicted, not already fixed) that keeps it at most at R. It returns false when there are
// more than limit assignments to try.
func bruteForce(p Problem, limit int) (optimum, bool) {
	index := map[string]int{}
	for i, m := range p.Reviewers {
		index[m] = i
	}
	load := make([]int, len(p.Reviewers))
	coverage := 0
	var options [][][]int // per application, the sets of reviewer indices it may take
	total := 1
	for _, a := range p.Applications {
		coverage += len(p.Fixed[a])
		for _, m := range p.Fixed[a] {
			if i, ok := index[m]; ok {
				load[i]++
			}
		}
		var allowed []int
		for i, m := range p.Reviewers {
			if !p.Conflicts[m][a] && !slices.Contains(p.Fixed[a], m) {
				allowed = append(allowed, i)
			}
		}
		var sets [][]int
		for mask := 0; mask < 1<<len(allowed); mask++ {
			var set []int
			for b, i := range allowed {
				if mask&(1<<b) != 0 {
					set = append(set, i)
				}
			}
			if len(p.Fixed[a])+len(set) <= max(p.R, len(p.Fixed[a])) {
				sets = append(sets, set)
			}
		}
		options = append(options, sets)
		if total *= len(sets); total > limit {
			return optimum{}, false
		}
	}

	best := optimum{coverage: -1}
	var walk func(k, coverage int)
	walk = func(k, coverage int) {
		if k == len(options) {
			o := optimum{coverage: coverage}
			if len(load) > 0 {
				o.maxLoad, o.minLoad = slices.Max(load), slices.Min(load)
			}
			for _, l := range load {
				o.sumSquares += l * l
			}
			switch {
			case o.coverage > best.coverage:
				best = o
			case o.coverage == best.coverage:
				if o.maxLoad < best.maxLoad || o.maxLoad == best.maxLoad && o.minLoad > best.minLoad {
					best.maxLoad, best.minLoad = o.maxLoad, o.minLoad
				}
				best.sumSquares = min(best.sumSquares, o.sumSquares)
			}
			return
		}
		for _, set := range options[k] {
			for _, i := range set {
				load[i]++
			}
			walk(k+1, coverage+len(set))
			for _, i := range set {
				load[i]--
			}
		}
	}
	walk(0, coverage)
	return best, true
}

func TestSolveMatchesBruteForce(t *testing.T) {
	rng := rand.New(rand.NewPCG(2026, 4))
	const instances = 4000
	tried, skipped := 0, 0
	for tried < instances {
		pc := []float64{0, 0.2, 0.4, 0.6}[rng.IntN(4)]
		pf := []float64{0, 0.1, 0.2}[rng.IntN(3)]
		p := randomProblem(rng, 3+rng.IntN(3), 2+rng.IntN(5), 1+rng.IntN(3), pc, pf)
		if rng.IntN(5) == 0 { // a member who left after submitting a review
			a := p.Applications[rng.IntN(len(p.Applications))]
			p.Fixed[a] = append(p.Fixed[a], "gone")
		}
		rng.Shuffle(len(p.Reviewers), func(i, j int) { p.Reviewers[i], p.Reviewers[j] = p.Reviewers[j], p.Reviewers[i] })

		want, ok := bruteForce(p, 20000)
		if !ok {
			skipped++
			continue
		}
		tried++
		got, rep, err := Solve(p)
		if err != nil {
			t.Fatal(err)
		}
		checkValid(t, p, got, rep)
		o := optimum{maxLoad: rep.MaxLoad, minLoad: rep.MinLoad}
		for _, members := range got {
			o.coverage += len(members)
		}
		for _, l := range rep.Loads {
			o.sumSquares += l * l
		}
		if o != want {
			t.Fatalf("instance %d: got %+v, brute force %+v\nproblem %+v\nassignment %v", tried, o, want, p, got)
		}
	}
	t.Logf("%d instances checked, %d too large skipped", tried, skipped)
}
