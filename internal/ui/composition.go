package ui

import (
	"cmp"
	"errors"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"parcours/internal/compose"
	"parcours/internal/directory"
	"parcours/internal/httpx"
	"parcours/internal/i18n"
	"parcours/internal/model"
	"parcours/internal/policy"
	"parcours/internal/selection"
	"parcours/internal/storage"
	"parcours/internal/validator"
)

// The manager's composition page: the parameters, the committee's state, the declared
// structures to resolve, the composition explained candidate by candidate, sending the
// offers, the offers with their state and the history of runs. The rules are selection's.

// compositionPage is what the manager reads before and after sending the offers.
type compositionPage struct {
	View       storage.CallView
	Committee  model.Committee
	Params     compose.Params
	Rows       []compositionRow
	Unresolved []resolveItem
	Offers     []offerItem
	Runs       []runItem
	NewOffers  int
	Unscored   int
	Settings   struct{ MinScore, OfferDays string }
	CallOpen   bool      // applications may still come in
	Deadline   time.Time // of the offers sent now
	Refusal    string    // why the action could not be done
}

// MinScoreText is the minimum score in force.
func (d *compositionPage) MinScoreText() string { return scoreText(d.Params.MinScore) }

// compositionRow is one candidate in the composition's order.
type compositionRow struct {
	placeFacts
	Name, First, Last, Email string
	Structure                string // the directory's name, or the declared one
	Declared                 bool
	DecisionText             string
	OfferText                string
	Sentence                 string
}

// resolveItem is a declared structure to match to the directory, or to create.
type resolveItem struct {
	App       model.Application
	Name      string
	Groups    []structureGroup // the région's structures of the declared kind, by département
	Selected  string
	CanCreate bool // the caller may write structures in that région
	IsCPTS    bool // creating a CPTS asks its stage
	Stage     string
	Stages    []option
}

// structureGroup is the structures of one département, an optgroup of the select.
type structureGroup struct {
	Label   string
	Options []option
}

// offerItem is an offer with its candidate.
type offerItem struct {
	model.Offer
	Name, State string
}

// runItem is a composition run with who ran it.
type runItem struct {
	model.Composition
	By string
}

// MinScoreText is the run's minimum score, "—" for none.
func (x runItem) MinScoreText() string {
	if x.MinScore <= 0 {
		return "—"
	}
	return scoreText(x.MinScore)
}

// loadCompositionCall loads the call of the URL if the caller composes its cohort; any other
// call is not found.
func (h *Handler) loadCompositionCall(w http.ResponseWriter, r *http.Request, callID string) (storage.CallView, bool) {
	v, err := h.Store.CallView(r.Context(), callID)
	if err == nil && !reviewCovers(r, policy.ComposeCohort, v) {
		err = storage.ErrNotFound
	}
	if err != nil {
		h.fail(w, r, err)
		return v, false
	}
	return v, true
}

// compositionTable composes the cohort as it stands and explains each candidate: the page's
// table and the exports.
func (h *Handler) compositionTable(r *http.Request, v storage.CallView) (*selection.Board, *selection.Plan, []compositionRow, error) {
	b, err := selection.Load(r.Context(), h.Store, v)
	if err != nil {
		return nil, nil, nil, err
	}
	plan, err := selection.Compute(r.Context(), h.Store, b)
	if err != nil {
		return nil, nil, nil, err
	}
	var rows []compositionRow
	for _, f := range planFacts(b, plan, v.Cohort.RegionCode) {
		row := plan.Rows[f.ID]
		cr := compositionRow{placeFacts: f, Name: reviewName(row), First: row.Person.FirstName, Last: row.Person.LastName,
			Email: row.Email, DecisionText: decisionLabel(f), Sentence: placeSentence(f, false)}
		a := row.Application
		switch {
		case a.StructureID != "":
			cr.Structure = row.Structure.Name
		case a.DeclaredName != "":
			cr.Structure, cr.Declared = a.DeclaredName, true
		default:
			cr.Structure = i18n.T("composition.no_structure")
		}
		if f.Offer != nil {
			cr.OfferText = i18n.T("composition.offer.seat", offerStatusLabel(f.Offer.Status), f.Offer.Seat)
		}
		rows = append(rows, cr)
	}
	return b, plan, rows, nil
}

// compositionData gathers the whole page.
func (h *Handler) compositionData(r *http.Request, v storage.CallView) (*compositionPage, error) {
	ctx := r.Context()
	b, plan, rows, err := h.compositionTable(r, v)
	if err != nil {
		return nil, err
	}
	d := &compositionPage{View: v, Committee: b.Committee, Params: plan.Params, Rows: rows, NewOffers: plan.NewOffers(),
		Unscored: plan.Unscored, CallOpen: v.Call.Open(h.Store.Clock.Now()),
		Deadline: selection.Deadline(h.Store.Clock.Now(), v.Call.OfferDays, v.Cohort.RegionCode)}
	if v.Call.MinScore > 0 {
		d.Settings.MinScore = scoreText(v.Call.MinScore)
	}
	d.Settings.OfferDays = strconv.Itoa(v.Call.OfferDays)
	for _, row := range plan.Unresolved {
		item, err := h.resolveItem(r, v, row)
		if err != nil {
			return nil, err
		}
		d.Unresolved = append(d.Unresolved, item)
	}
	offers, err := h.Store.Offers(ctx, v.Call.ID)
	if err != nil {
		return nil, err
	}
	for _, o := range offers {
		d.Offers = append(d.Offers, offerItem{Offer: o, Name: reviewName(plan.Rows[o.ApplicationID]), State: offerStatusLabel(o.Status)})
	}
	runs, err := h.Store.Compositions(ctx, v.Call.ID)
	if err != nil {
		return nil, err
	}
	names := map[string]string{}
	for _, run := range runs {
		by, ok := names[run.RunBy]
		if !ok {
			by = i18n.T("composition.runs.automatic") // "worker": a decline, a lapse or a withdrawal refilled the seats
			if acc, err := h.Store.Account(ctx, run.RunBy); err == nil {
				by = cmp.Or(acc.DisplayName, acc.Email)
			}
			names[run.RunBy] = by
		}
		run.Input, run.Output = "", "" // the page does not show them; they may be long
		d.Runs = append(d.Runs, runItem{Composition: run, By: by})
	}
	return d, nil
}

// resolveItem prepares the forms of one declared structure: the structures of its kind in
// the région of its département (the cohort's when none was given), grouped by département,
// the declared one first.
func (h *Handler) resolveItem(r *http.Request, v storage.CallView, row storage.ApplicationRow) (resolveItem, error) {
	a := row.Application
	item := resolveItem{App: a, Name: reviewName(row), IsCPTS: a.DeclaredKind == model.KindCPTS,
		Stages: options("structure.stage", model.Stages, "form.choose")}
	region := declaredRegion(a, v)
	item.CanCreate = canCreateDeclared(r, a, v)
	kinds := v.Call.Kinds
	switch {
	case a.DeclaredKind.IsCare():
		kinds = []model.StructureKind{a.DeclaredKind}
	case len(kinds) == 0:
		kinds = []model.StructureKind{model.KindCPTS, model.KindMSP, model.KindCDS, model.KindESP}
	}
	list, _, err := h.Store.Structures(r.Context(), storage.StructureFilter{RegionCode: region, Kinds: kinds})
	if err != nil {
		return item, err
	}
	byDept := map[string]*structureGroup{}
	var order []string
	for _, st := range list {
		g, ok := byDept[st.DepartementCode]
		if !ok {
			g = &structureGroup{Label: departementName(st.DepartementCode)}
			byDept[st.DepartementCode] = g
			order = append(order, st.DepartementCode)
		}
		label := st.Name
		if st.Commune != "" {
			label += " (" + st.Commune + ")"
		}
		g.Options = append(g.Options, option{st.ID, label})
	}
	slices.SortFunc(order, func(x, y string) int {
		if (x == a.DeclaredDepartement) != (y == a.DeclaredDepartement) {
			if x == a.DeclaredDepartement {
				return -1
			}
			return 1
		}
		return strings.Compare(x, y)
	})
	for _, code := range order {
		item.Groups = append(item.Groups, *byDept[code])
	}
	return item, nil
}

// declaredRegion is the région of a declared structure: its département's, else the cohort's.
func declaredRegion(a model.Application, v storage.CallView) string {
	return cmp.Or(reviewRegionOf(a.DeclaredDepartement), v.Cohort.RegionCode)
}

// canCreateDeclared tells whether the caller may create a declared structure in the
// directory: the policy lets partners and administrators write structures, not managers.
func canCreateDeclared(r *http.Request, a model.Application, v storage.CallView) bool {
	p := httpx.Principal(r)
	return a.DeclaredKind.IsCare() && policy.Allow(p, policy.WriteStructures) &&
		policy.InRegion(p, policy.WriteStructures, declaredRegion(a, v))
}

// renderComposition shows the page; typed puts back what a refused form held.
func (h *Handler) renderComposition(w http.ResponseWriter, r *http.Request, status int, v storage.CallView,
	errs validator.Errors, refusal string, typed func(*compositionPage)) {
	d, err := h.compositionData(r, v)
	if err != nil {
		h.serverError(w, r, err)
		return
	}
	d.Refusal = refusal
	if typed != nil {
		typed(d)
	}
	pg := h.page(w, r, "composition", i18n.T("composition.title"), d)
	pg.Nav, pg.Errors = "programmes", errs
	h.render(w, r, status, pg)
}

// CompositionShow shows the composition of the call's cohort as it stands.
func (h *Handler) CompositionShow(w http.ResponseWriter, r *http.Request) {
	v, ok := h.loadCompositionCall(w, r, r.PathValue("id"))
	if !ok {
		return
	}
	h.renderComposition(w, r, http.StatusOK, v, nil, "", nil)
}

// CompositionSend runs the composition and sends its new offers, once confirmed.
func (h *Handler) CompositionSend(w http.ResponseWriter, r *http.Request) {
	v, ok := h.loadCompositionCall(w, r, r.PathValue("id"))
	if !ok {
		return
	}
	if r.PostFormValue("confirm") != "1" {
		var errs validator.Errors
		errs.Add("confirm", "required", i18n.T("composition.send.confirm_required"))
		h.renderComposition(w, r, http.StatusUnprocessableEntity, v, errs, "", nil)
		return
	}
	_, made, err := selection.SendOffers(r.Context(), h.Store, actor(r), h.mailing(), v)
	switch {
	case errors.Is(err, selection.ErrUnresolved):
		h.renderComposition(w, r, http.StatusConflict, v, nil, i18n.T("composition.send.unresolved"), nil)
		return
	case errors.Is(err, storage.ErrAlreadyExists): // another instance filled the seats meanwhile
		h.renderComposition(w, r, http.StatusConflict, v, nil, i18n.T("composition.send.conflict"), nil)
		return
	case err != nil:
		h.serverError(w, r, err)
		return
	}
	if made == 0 {
		redirect(w, r, "/appels/"+v.Call.ID+"/composition", "flash.composition_nothing_sent")
		return
	}
	// The flash cannot carry a number: the page's last run says how many offers went out.
	redirect(w, r, "/appels/"+v.Call.ID+"/composition#envoi", "flash.composition_sent")
}

// CompositionSettings saves the call's minimum score and answer delay.
func (h *Handler) CompositionSettings(w http.ResponseWriter, r *http.Request) {
	v, ok := h.loadCompositionCall(w, r, r.PathValue("id"))
	if !ok {
		return
	}
	minRaw, daysRaw := formValue(r, "min_score"), formValue(r, "offer_days")
	var errs validator.Errors
	minScore := -1 // none
	if minRaw != "" {
		n, ok := parseScore(minRaw)
		if !ok {
			errs.Add("min_score", "invalid", i18n.T("composition.settings.min_score_invalid"))
		} else if n > 0 {
			minScore = n
		}
	}
	days, err := strconv.Atoi(daysRaw)
	if err != nil || days < 1 || days > maxOfferDays {
		errs.Add("offer_days", "invalid", i18n.T("composition.settings.offer_days_invalid", maxOfferDays))
	}
	if errs.Any() {
		h.renderComposition(w, r, http.StatusUnprocessableEntity, v, errs, "", func(d *compositionPage) {
			d.Settings.MinScore, d.Settings.OfferDays = minRaw, daysRaw
		})
		return
	}
	c := v.Call
	before := map[string]int{"min_score": c.MinScore, "offer_days": c.OfferDays}
	c.MinScore, c.OfferDays = minScore, days
	err = h.Store.InTx(r.Context(), func(tx *storage.Store) error {
		if err := tx.UpdateCall(r.Context(), &c); err != nil {
			return err
		}
		return audit(r.Context(), tx, r, "call.composition_settings", "call", c.ID, map[string]any{"before": before,
			"after": map[string]int{"min_score": c.MinScore, "offer_days": c.OfferDays}})
	})
	if err != nil {
		h.fail(w, r, err)
		return
	}
	redirect(w, r, "/appels/"+v.Call.ID+"/composition", "flash.composition_settings_saved")
}

// maxOfferDays bounds the answer delay: a seat held longer stalls the waitlist.
const maxOfferDays = 60

// parseScore reads a score on 0–100 with at most two decimals, after a comma or a point, in
// hundredths.
func parseScore(s string) (int, bool) {
	whole, frac, _ := strings.Cut(strings.ReplaceAll(strings.TrimSpace(s), ",", "."), ".")
	if whole == "" || len(whole) > 3 || len(frac) > 2 || strings.Trim(whole+frac, "0123456789") != "" {
		return 0, false
	}
	n, _ := strconv.Atoi(whole)
	f, _ := strconv.Atoi((frac + "00")[:2])
	n = n*100 + f
	return n, n <= compose.MaxScore
}

// ApplicationResolveStructure matches a structure a candidate declared to one of the
// directory (action "match"), or creates it from the declaration (action "create") for
// those who may write the directory of that région.
func (h *Handler) ApplicationResolveStructure(w http.ResponseWriter, r *http.Request) {
	a, v, ok := h.loadReviewApplication(w, r, policy.ComposeCohort)
	if !ok {
		return
	}
	back := "/appels/" + v.Call.ID + "/composition"
	if !a.Declared() {
		redirect(w, r, back, "flash.composition_already_resolved")
		return
	}
	ctx := r.Context()
	var errs validator.Errors
	structureID := formValue(r, "structure")
	if formValue(r, "action") == "create" {
		if !canCreateDeclared(r, a, v) {
			h.ErrorPage(w, r, http.StatusForbidden)
			return
		}
		st := model.Structure{Kind: a.DeclaredKind, Name: a.DeclaredName, DepartementCode: a.DeclaredDepartement,
			Commune: a.DeclaredCommune}
		if st.Kind == model.KindCPTS {
			st.Stage = model.Stage(formValue(r, "stage"))
		}
		verrs, _, err := directory.SaveStructure(ctx, h.Store, actor(r), &st)
		if err != nil {
			h.fail(w, r, err)
			return
		}
		for _, e := range verrs {
			field := "create-" + a.ID
			if e.Field == "stage" {
				field = "stage-" + a.ID
			}
			errs.Add(field, e.Code, e.Message)
		}
		structureID = st.ID
	} else if structureID == "" {
		errs.Add("structure-"+a.ID, "required", i18n.T("composition.resolve.choose"))
	}
	if !errs.Any() {
		err := selection.ResolveStructure(ctx, h.Store, actor(r), a, structureID)
		switch {
		case errors.Is(err, storage.ErrNotFound):
			errs.Add("structure-"+a.ID, "invalid", i18n.T("composition.resolve.unknown"))
		case err != nil:
			h.serverError(w, r, err)
			return
		}
	}
	if errs.Any() {
		h.renderComposition(w, r, http.StatusUnprocessableEntity, v, errs, "", func(d *compositionPage) {
			for i := range d.Unresolved {
				if d.Unresolved[i].App.ID == a.ID {
					d.Unresolved[i].Selected, d.Unresolved[i].Stage = structureID, formValue(r, "stage")
				}
			}
		})
		return
	}
	redirect(w, r, back, "flash.composition_resolved")
}

// OfferWithdrawByManager withdraws an accepted seat, once confirmed; the next candidate is
// offered it at once.
func (h *Handler) OfferWithdrawByManager(w http.ResponseWriter, r *http.Request) {
	o, err := h.Store.Offer(r.Context(), r.PathValue("id"))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	v, ok := h.loadCompositionCall(w, r, o.CallID)
	if !ok {
		return
	}
	if r.PostFormValue("confirm") != "1" {
		var errs validator.Errors
		errs.Add("withdraw-"+o.ID, "required", i18n.T("composition.withdraw.confirm_required"))
		h.renderComposition(w, r, http.StatusUnprocessableEntity, v, errs, "", nil)
		return
	}
	err = selection.WithdrawSeat(r.Context(), h.Store, actor(r), h.mailing(), v, o)
	switch {
	case errors.Is(err, selection.ErrAnswered):
		h.renderComposition(w, r, http.StatusConflict, v, nil, i18n.T("composition.withdraw.not_accepted"), nil)
		return
	case errors.Is(err, selection.ErrUnresolved): // the seat cannot go to the next one yet: nothing changed
		h.renderComposition(w, r, http.StatusConflict, v, nil, i18n.T("composition.send.unresolved"), nil)
		return
	case errors.Is(err, storage.ErrAlreadyExists):
		h.renderComposition(w, r, http.StatusConflict, v, nil, i18n.T("composition.send.conflict"), nil)
		return
	case err != nil:
		h.serverError(w, r, err)
		return
	}
	redirect(w, r, "/appels/"+v.Call.ID+"/composition", "flash.composition_seat_withdrawn")
}
