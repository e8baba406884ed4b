package compose

// Explanation holds the figures behind one result. The UI writes the sentence from them, e.g.
// for a waitlisted candidate whose organisation already has a seat (Reason capacity_full,
// OrgSeats 1, Tier 2, Position 3): "Votre CPTS a déjà un(e) candidat(e) retenu(e) ; vous êtes
// en position 3 de la liste d'attente".
type Explanation struct {
	Result
	Params     Params
	SeatsHeld  int // accepted seats and pending offers, counted against the capacity before any new offer
	FreeSeats  int // seats left for new offers: max(0, Capacity − SeatsHeld)
	NewOffers  int // offers this run makes
	Waitlisted int // length of the waitlist
	// OrgSeats counts the other applications of the same organisation that hold a seat or an
	// offer after this run; 0 for an application attached to no structure.
	OrgSeats int
}

// Explain returns the explanation of each result of a composition, in the same order.
// results must be what Compose returned for p.
func Explain(p Params, results []Result) []Explanation {
	var held, offers, waiting int
	orgSeats := map[string]int{}
	for _, r := range results {
		switch {
		case r.Decision == DecisionAccepted, r.Decision == DecisionOffered && !r.New:
			held++
		case r.Decision == DecisionOffered:
			offers++
		case r.Decision == DecisionWaitlisted:
			waiting++
		}
		if r.Decision == DecisionAccepted || r.Decision == DecisionOffered {
			orgSeats[r.Organisation]++
		}
	}
	out := make([]Explanation, len(results))
	for j, r := range results {
		e := Explanation{Result: r, Params: p, SeatsHeld: held, FreeSeats: max(0, p.Capacity-held),
			NewOffers: offers, Waitlisted: waiting}
		if r.Organisation != "" {
			e.OrgSeats = orgSeats[r.Organisation]
			if r.Decision == DecisionAccepted || r.Decision == DecisionOffered {
				e.OrgSeats--
			}
		}
		out[j] = e
	}
	return out
}
