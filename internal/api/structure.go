package api

import (
	"net/http"
	"strings"

	"parcours/internal/directory"
	"parcours/internal/httpx"
	"parcours/internal/model"
	"parcours/internal/policy"
	"parcours/internal/storage"
	"parcours/internal/territory"
)

type structureJSON struct {
	ID          string  `json:"id"`
	Kind        string  `json:"kind"`
	Name        string  `json:"name"`
	FINESS      *string `json:"finess"`
	SIRET       *string `json:"siret"`
	Ref         *string `json:"ref"`
	Region      string  `json:"region"`
	Departement string  `json:"departement"`
	Commune     string  `json:"commune"`
	Postcode    string  `json:"postcode"`
	Email       string  `json:"email"`
	SizeBand    *string `json:"size_band"`
	Stage       *string `json:"stage"`
	CreatedAt   string  `json:"created_at"`
	UpdatedAt   string  `json:"updated_at"`
}

func structureOut(st model.Structure) structureJSON {
	return structureJSON{ID: st.ID, Kind: string(st.Kind), Name: st.Name, FINESS: optional(st.FINESS),
		SIRET: optional(st.SIRET), Ref: optional(st.Ref), Region: st.RegionCode, Departement: st.DepartementCode,
		Commune: st.Commune, Postcode: st.Postcode, Email: st.Email, SizeBand: optional(string(st.SizeBand)),
		Stage: optional(string(st.Stage)), CreatedAt: instant(st.CreatedAt), UpdatedAt: instant(st.UpdatedAt)}
}

// structureIn is what a client sends to create or replace a structure.
type structureIn struct {
	Kind        string  `json:"kind"`
	Name        string  `json:"name"`
	FINESS      *string `json:"finess"`
	SIRET       *string `json:"siret"`
	Ref         *string `json:"ref"`
	Region      *string `json:"region"` // optional: it follows from the département, and must agree
	Departement string  `json:"departement"`
	Commune     string  `json:"commune"`
	Postcode    string  `json:"postcode"`
	Email       string  `json:"email"`
	SizeBand    *string `json:"size_band"`
	Stage       *string `json:"stage"`
}

func (in structureIn) apply(st *model.Structure) {
	st.Kind, st.Name = model.StructureKind(in.Kind), in.Name
	st.FINESS, st.SIRET, st.Ref = value(in.FINESS), value(in.SIRET), value(in.Ref)
	st.DepartementCode, st.RegionCode = in.Departement, value(in.Region)
	st.Commune, st.Postcode, st.Email = in.Commune, in.Postcode, in.Email
	st.SizeBand, st.Stage = model.SizeBand(value(in.SizeBand)), model.Stage(value(in.Stage))
}

// StructureList lists the structures the token may see; filters: region, departement, kind,
// stage, q. A filter value outside its list is a 400 naming it, not an empty list.
func (h *Handler) StructureList(w http.ResponseWriter, r *http.Request) {
	limit, offset, ok := paging(w, r)
	if !ok {
		return
	}
	q := r.URL.Query()
	f := storage.StructureFilter{Regions: policy.Regions(httpx.Principal(r), policy.ReadStructures),
		RegionCode: q.Get("region"), DepartementCode: strings.ToUpper(q.Get("departement")),
		Stage: model.Stage(q.Get("stage")), Query: q.Get("q"), Limit: limit, Offset: offset}
	if k := q.Get("kind"); k != "" {
		f.Kinds = []model.StructureKind{model.StructureKind(k)}
	}
	_, regionOK := territory.RegionByCode(f.RegionCode)
	_, departementOK := territory.DepartementByCode(f.DepartementCode)
	if !validQuery(w, map[string]bool{
		"region":      f.RegionCode == "" || regionOK,
		"departement": f.DepartementCode == "" || departementOK,
		"kind":        f.Kinds == nil || f.Kinds[0].Valid(),
		"stage":       f.Stage == "" || f.Stage.Valid(),
	}) {
		return
	}
	items, total, err := h.Store.Structures(r.Context(), f)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	out := list[structureJSON]{Items: []structureJSON{}, Total: total, Limit: limit, Offset: offset}
	for _, st := range items {
		out.Items = append(out.Items, structureOut(st))
	}
	httpx.WriteJSON(w, http.StatusOK, out)
}

// loadStructure answers 404 for a structure that does not exist or lies outside the token's
// régions for action.
func (h *Handler) loadStructure(w http.ResponseWriter, r *http.Request, action policy.Action) (model.Structure, bool) {
	st, err := h.Store.Structure(r.Context(), r.PathValue("id"))
	if err != nil {
		h.fail(w, r, err)
		return st, false
	}
	if !policy.InRegion(httpx.Principal(r), action, st.RegionCode) {
		notFound(w)
		return st, false
	}
	return st, true
}

// StructureShow returns one structure.
func (h *Handler) StructureShow(w http.ResponseWriter, r *http.Request) {
	if st, ok := h.loadStructure(w, r, policy.ReadStructures); ok {
		httpx.WriteJSON(w, http.StatusOK, structureOut(st))
	}
}

// StructureCreate creates a structure.
func (h *Handler) StructureCreate(w http.ResponseWriter, r *http.Request) {
	var in structureIn
	if !decode(w, r, &in) {
		return
	}
	var st model.Structure
	in.apply(&st)
	h.saveStructure(w, r, st, http.StatusCreated)
}

// StructureUpdate replaces a structure's fields.
func (h *Handler) StructureUpdate(w http.ResponseWriter, r *http.Request) {
	st, ok := h.loadStructure(w, r, policy.WriteStructures)
	if !ok {
		return
	}
	var in structureIn
	if !decode(w, r, &in) {
		return
	}
	in.apply(&st)
	h.saveStructure(w, r, st, http.StatusOK)
}

func (h *Handler) saveStructure(w http.ResponseWriter, r *http.Request, st model.Structure, status int) {
	errs, _, err := directory.SaveStructure(r.Context(), h.Store, actor(r), &st)
	h.respond(w, r, errs, err, status, structureOut(st))
}

// StructureDelete deletes a structure and its memberships.
func (h *Handler) StructureDelete(w http.ResponseWriter, r *http.Request) {
	st, ok := h.loadStructure(w, r, policy.WriteStructures)
	if !ok {
		return
	}
	if err := directory.DeleteStructure(r.Context(), h.Store, actor(r), st); err != nil {
		h.fail(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}
