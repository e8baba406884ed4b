// Package compose composes a cohort: from the applications of a call and a few parameters it
// decides who holds a seat, who gets an offer, who waits and who is not retained, and says why.
// It is the rule of the product brief ("Composition of the cohort") and nothing else: no I/O, no
// clock, and the same applications in any order give the same result. The web composition and
// `parcours compose` both call Compose.
//
// The rule, in the order Compose applies it:
//
//  1. Each organisation ranks its applications still in play: accepted seats first, then
//     pending offers, then active applications, each group by (score desc, submission asc,
//     id asc). Declined, withdrawn and below-minimum applications take no rank. The tier of
//     organisation rank r is ceil(r / PerOrg). The minimum score applies to active
//     applications only: a seat held or an offer out is never withdrawn by a recomputation,
//     even one with a higher minimum.
//  2. An active application ranked beyond MaxPerOrg in its organisation is not retained.
//  3. Accepted seats and pending offers count against the capacity first and are never taken
//     away, even when capacity shrank or their rank is now beyond the maximum.
//  4. The other active applications, in (tier, score desc, submission asc, id asc) order, get
//     the free seats as new offers; the rest form the waitlist in that order.
//
// With PerOrg = 1 the tier is the organisation rank, so every organisation's best candidate
// comes before any second candidate: 15 seats over 15 organisations or more go to 15 different
// organisations, and over 12 organisations to all 12 and the 3 best second candidates.
package compose

import (
	"cmp"
	"errors"
	"fmt"
	"hash/maphash"
	"math"
	"math/bits"
	"slices"
	"strings"
	"time"
)

// Status is where an application stands when the composition runs.
type Status string

const (
	StatusActive    Status = "active"    // in the running, no offer yet
	StatusOffered   Status = "offered"   // an offer is out and unanswered
	StatusAccepted  Status = "accepted"  // holds a seat
	StatusDeclined  Status = "declined"  // declined an offer, or the offer lapsed
	StatusWithdrawn Status = "withdrawn" // the candidate or the manager withdrew it
)

// Statuses lists the valid statuses.
var Statuses = []Status{StatusActive, StatusOffered, StatusAccepted, StatusDeclined, StatusWithdrawn}

// Decision is what the composition decides for an application.
type Decision string

const (
	DecisionAccepted    Decision = "accepted"     // holds a seat
	DecisionOffered     Decision = "offered"      // an offer is out: pending, or new from this run
	DecisionWaitlisted  Decision = "waitlisted"   // waits for a seat, at Position
	DecisionNotRetained Decision = "not_retained" // below the minimum score or over the maximum per organisation
	DecisionDeclined    Decision = "declined"
	DecisionWithdrawn   Decision = "withdrawn"
)

// Reason is the rule that decided, a stable code from which the UI builds its sentence.
type Reason string

const (
	ReasonSeatHeld       Reason = "seat_held"       // accepted before this run
	ReasonOfferPending   Reason = "offer_pending"   // offer made before this run, still unanswered
	ReasonWithinCapacity Reason = "within_capacity" // a free seat: new offer
	ReasonCapacityFull   Reason = "capacity_full"   // no free seat left at this place in the order
	ReasonBelowMinScore  Reason = "below_min_score"
	ReasonOverOrgMax     Reason = "over_org_max"
	ReasonDeclined       Reason = "declined"
	ReasonWithdrawn      Reason = "withdrawn"
)

// MaxScore is the highest score, in hundredths of a point (100.00).
const MaxScore = 10000

// Applicant is one application as the composition sees it.
type Applicant struct {
	ID string // compared as strings
	// Organisation is the structure chosen on the application. Empty means attached to no
	// structure: the application is then an organisation of its own.
	Organisation string
	Score        int // hundredths of a point, 0..MaxScore
	SubmittedAt  time.Time
	Status       Status
}

// Params are the composition's inputs besides the applications.
type Params struct {
	Capacity    int  // seats C, ≥ 0
	PerOrg      int  // P ≥ 1: the tier of organisation rank r is ceil(r / P)
	MinScore    int  // hundredths of a point; applies only when HasMinScore
	HasMinScore bool // false: no minimum score
	MaxPerOrg   int  // 0: no maximum; else an active application ranked beyond it is not retained
}

// Result is the composition's decision for one application.
type Result struct {
	Applicant
	OrgRank  int // rank in its organisation from 1; 0 when it takes none (declined, withdrawn, below minimum)
	Tier     int // ceil(OrgRank / PerOrg); 0 when OrgRank is 0
	Decision Decision
	// Position counts from 1 within the offered group (pending offers first, then new ones)
	// and within the waitlist; 0 for the other decisions.
	Position int
	Reason   Reason
	New      bool // an offer this run makes
}

// Compose applies the rule to the applications and returns one result per application in
// composition order: accepted, offered (pending offers, then new ones), waitlisted — each in
// (tier, score desc, submission asc, id asc) order — then the others by id. It fails on invalid
// parameters or applications (unknown status, score out of range, empty or repeated id).
// Time O(n log n): one sort by merit, then linear passes that keep that order.
func Compose(p Params, apps []Applicant) ([]Result, error) {
	if err := p.check(); err != nil {
		return nil, err
	}
	keys, orgs, err := makeKeys(p, apps)
	if err != nil {
		return nil, err
	}
	order := sortByMerit(apps, keys)

	// Split by class, each part in merit order; they hold indices in apps and keys.
	var count [classOut + 1]int
	for i := range keys {
		count[keys[i].class]++
	}
	accepted := make([]int32, 0, count[classAccepted])
	pending := make([]int32, 0, count[classOffered])
	active := make([]int32, 0, count[classActive])
	rest := make([]int32, 0, count[classOut])
	for _, i := range order {
		switch keys[i].class {
		case classAccepted:
			accepted = append(accepted, i)
		case classOffered:
			pending = append(pending, i)
		case classActive:
			active = append(active, i)
		default:
			rest = append(rest, i)
		}
	}

	// 1. Organisation ranks: seats held first, then offers out, then the others, each in merit
	// order. An application attached to no structure (org < 0) is alone in its own: rank 1.
	rank := make([]int32, orgs)
	for _, group := range [][]int32{accepted, pending, active} {
		for _, i := range group {
			k := &keys[i]
			k.rank = 1
			if k.org >= 0 {
				rank[k.org]++
				k.rank = rank[k.org]
			}
		}
	}
	// 2. Only active applications fall to the maximum: a seat held or an offer out is never
	// withdrawn by a recomputation.
	if p.MaxPerOrg > 0 {
		kept := active[:0]
		for _, i := range active {
			if int(keys[i].rank) > p.MaxPerOrg {
				rest = append(rest, i)
			} else {
				kept = append(kept, i)
			}
		}
		active = kept
	}

	// 3 and 4. Seats held count first; the others in (tier, merit) order take what is left.
	byTier(keys, accepted, p.PerOrg)
	byTier(keys, pending, p.PerOrg)
	byTier(keys, active, p.PerOrg)
	free := min(max(0, p.Capacity-len(accepted)-len(pending)), len(active))
	sortByID(apps, rest)

	out := make([]Result, len(keys))
	o := 0
	emit := func(i int32, d Decision, r Reason, position int) {
		out[o] = Result{Applicant: apps[i], Decision: d, Reason: r, Position: position}
		if rank := keys[i].rank; rank > 0 {
			out[o].OrgRank, out[o].Tier = int(rank), tier(rank, p.PerOrg)
		}
		o++
	}
	for _, i := range accepted {
		emit(i, DecisionAccepted, ReasonSeatHeld, 0)
	}
	for n, i := range pending {
		emit(i, DecisionOffered, ReasonOfferPending, n+1)
	}
	for n, i := range active[:free] {
		emit(i, DecisionOffered, ReasonWithinCapacity, len(pending)+n+1)
		out[o-1].New = true
	}
	for n, i := range active[free:] {
		emit(i, DecisionWaitlisted, ReasonCapacityFull, n+1)
	}
	for _, i := range rest {
		switch {
		case keys[i].class == classActive:
			emit(i, DecisionNotRetained, ReasonOverOrgMax, 0)
		case apps[i].Status == StatusDeclined:
			emit(i, DecisionDeclined, ReasonDeclined, 0)
		case apps[i].Status == StatusWithdrawn:
			emit(i, DecisionWithdrawn, ReasonWithdrawn, 0)
		default:
			// Below the minimum applies to active applications only, for the same reason.
			emit(i, DecisionNotRetained, ReasonBelowMinScore, 0)
		}
	}
	return out, nil
}

// ErrParams is wrapped by the errors Compose returns for invalid parameters.
var ErrParams = errors.New("invalid composition parameters")

func (p Params) check() error {
	switch {
	case p.Capacity < 0:
		return fmt.Errorf("%w: capacity %d is negative", ErrParams, p.Capacity)
	case p.PerOrg < 1:
		return fmt.Errorf("%w: per-organisation cap %d is below 1", ErrParams, p.PerOrg)
	case p.MaxPerOrg < 0:
		return fmt.Errorf("%w: maximum per organisation %d is negative", ErrParams, p.MaxPerOrg)
	case p.HasMinScore && (p.MinScore < 0 || p.MinScore > MaxScore):
		return fmt.Errorf("%w: minimum score %d is out of 0..%d", ErrParams, p.MinScore, MaxScore)
	}
	return nil
}

func tier(rank int32, perOrg int) int { return (int(rank) + perOrg - 1) / perOrg }

// class is an application's group in the organisation ranking; classOut takes no rank.
type class int8

const (
	classAccepted class = iota
	classOffered
	classActive
	classOut
)

// key is what the composition needs of an application besides its id, kept small and
// without pointers: the garbage collector never scans it and a million fit in 32 MB.
type key struct {
	merit uint64 // score desc, then submission second asc when they fit (see makeKeys)
	sec   int64  // submission
	nsec  int32
	org   int32 // index of the organisation; -1: attached to none, alone in its own
	rank  int32 // organisation rank; 0 for none
	class class
}

// scoreBits hold MaxScore.
const scoreBits = 14

// makeKeys checks the applications and returns their keys in input order, with the number of
// organisations.
func makeKeys(p Params, apps []Applicant) ([]key, int, error) {
	if len(apps) > math.MaxInt32 {
		return nil, 0, fmt.Errorf("compose: %d applications, more than %d", len(apps), math.MaxInt32)
	}
	keys := make([]key, len(apps))
	minSec, maxSec := int64(math.MaxInt64), int64(math.MinInt64)
	orgs := make(map[string]int32)
	for i := range apps {
		a := &apps[i]
		k := &keys[i]
		if a.ID == "" {
			return nil, 0, fmt.Errorf("compose: application %d has no id", i+1)
		}
		if a.Score < 0 || a.Score > MaxScore {
			return nil, 0, fmt.Errorf("compose: application %q has score %d, out of 0..%d", a.ID, a.Score, MaxScore)
		}
		switch a.Status {
		case StatusAccepted:
			k.class = classAccepted
		case StatusOffered:
			k.class = classOffered
		case StatusActive:
			k.class = classActive
			if p.HasMinScore && a.Score < p.MinScore {
				k.class = classOut
			}
		case StatusDeclined, StatusWithdrawn:
			k.class = classOut
		default:
			return nil, 0, fmt.Errorf("compose: application %q has unknown status %q", a.ID, a.Status)
		}
		if a.Organisation == "" {
			k.org = -1 // an organisation of its own
		} else if org, ok := orgs[a.Organisation]; ok {
			k.org = org
		} else {
			k.org = int32(len(orgs))
			orgs[a.Organisation] = k.org
		}
		k.sec = a.SubmittedAt.Unix()
		k.nsec = int32(a.SubmittedAt.Nanosecond())
		minSec, maxSec = min(minSec, k.sec), max(maxSec, k.sec)
	}
	if id, ok := repeatedID(apps); ok {
		return nil, 0, fmt.Errorf("compose: application id %q appears twice", id)
	}
	// Score and submission second in one number compare faster, when the seconds fit: they
	// take 22 bits for six weeks, 29 for ten years.
	secBits := 0
	if len(apps) > 0 {
		secBits = bits.Len64(uint64(maxSec - minSec))
	}
	packed := secBits <= 64-scoreBits
	if !packed {
		secBits = 64 - scoreBits
	}
	for i := range keys {
		k := &keys[i]
		k.merit = uint64(MaxScore-apps[i].Score) << secBits
		if packed {
			k.merit |= uint64(k.sec - minSec)
		}
	}
	return keys, len(orgs), nil
}

// sortByMerit returns the indices of the applications by score desc, submission asc, id asc.
func sortByMerit(apps []Applicant, keys []key) []int32 {
	compare := func(x, y int32) int {
		a, b := &keys[x], &keys[y]
		if c := cmp.Compare(a.merit, b.merit); c != 0 {
			return c
		}
		if c := cmp.Compare(a.sec, b.sec); c != 0 {
			return c
		}
		if c := cmp.Compare(a.nsec, b.nsec); c != 0 {
			return c
		}
		return strings.Compare(apps[x].ID, apps[y].ID)
	}
	order := make([]int32, len(keys))
	maxMerit := uint64(0)
	for i := range keys {
		order[i] = int32(i)
		maxMerit = max(maxMerit, keys[i].merit)
	}
	indexBits := bits.Len(uint(len(keys)))
	if bits.Len64(maxMerit)+indexBits > 64 {
		slices.SortFunc(order, compare)
		return order
	}
	// Fast path, three times faster: sort plain numbers made of the merit and the index, then
	// order the runs of equal merit (same score and second) by nanosecond and id.
	words := make([]uint64, len(keys))
	for i := range keys {
		words[i] = keys[i].merit<<indexBits | uint64(i)
	}
	slices.Sort(words)
	mask := uint64(1)<<indexBits - 1
	for j, w := range words {
		order[j] = int32(w & mask)
	}
	for start := 0; start < len(order); {
		end := start + 1
		for end < len(order) && keys[order[end]].merit == keys[order[start]].merit {
			end++
		}
		if end-start > 1 {
			slices.SortFunc(order[start:end], compare)
		}
		start = end
	}
	return order
}

// repeatedID finds an id that appears twice, with a table of the ids' hashes: five times
// faster than a map of strings for a million ids.
func repeatedID(apps []Applicant) (string, bool) {
	size := 1
	for size < 2*len(apps) {
		size *= 2
	}
	mask := uint64(size - 1)
	hashes := make([]uint64, size) // 0: free slot
	index := make([]int32, size)
	seed := maphash.MakeSeed()
	for i := range apps {
		h := maphash.String(seed, apps[i].ID) | 1
		for s := h & mask; ; s = (s + 1) & mask {
			if hashes[s] == 0 {
				hashes[s], index[s] = h, int32(i)
				break
			}
			if hashes[s] == h && apps[index[s]].ID == apps[i].ID {
				return apps[i].ID, true
			}
		}
	}
	return "", false
}

// byTier sorts a group already in merit order by tier, keeping merit order within a tier:
// a counting sort, linear in the group's size.
func byTier(keys []key, group []int32, perOrg int) {
	maxTier, sorted := 0, true
	for n, i := range group {
		t := tier(keys[i].rank, perOrg)
		if n > 0 && t < tier(keys[group[n-1]].rank, perOrg) {
			sorted = false
		}
		maxTier = max(maxTier, t)
	}
	if sorted {
		return
	}
	start := make([]int, maxTier+2)
	for _, i := range group {
		start[tier(keys[i].rank, perOrg)+1]++
	}
	for t := 1; t < len(start); t++ {
		start[t] += start[t-1]
	}
	tmp := make([]int32, len(group))
	for _, i := range group {
		t := tier(keys[i].rank, perOrg)
		tmp[start[t]] = i
		start[t]++
	}
	copy(group, tmp)
}

// sortByID sorts indices of applications by id; the ids are copied next to the indices first,
// which halves the time by sparing an indirection per comparison.
func sortByID(apps []Applicant, group []int32) {
	type idIndex struct {
		id string
		i  int32
	}
	byID := make([]idIndex, len(group))
	for n, i := range group {
		byID[n] = idIndex{apps[i].ID, i}
	}
	slices.SortFunc(byID, func(a, b idIndex) int { return strings.Compare(a.id, b.id) })
	for n := range byID {
		group[n] = byID[n].i
	}
}
