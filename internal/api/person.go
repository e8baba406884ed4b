package api

import (
	"errors"
	"net/http"

	"parcours/internal/httpx"
	"parcours/internal/i18n"
	"parcours/internal/model"
	"parcours/internal/policy"
	"parcours/internal/storage"
	"parcours/internal/validator"
)

type personJSON struct {
	ID         string  `json:"id"`
	Civility   *string `json:"civility"`
	FirstName  string  `json:"first_name"`
	LastName   string  `json:"last_name"`
	Email      *string `json:"email"`
	Phone      string  `json:"phone"`
	Profession string  `json:"profession"`
	RPPS       *string `json:"rpps"`
	CreatedAt  string  `json:"created_at"`
	UpdatedAt  string  `json:"updated_at"`
}

func personOut(p model.Person) personJSON {
	return personJSON{ID: p.ID, Civility: optional(string(p.Civility)), FirstName: p.FirstName, LastName: p.LastName,
		Email: optional(p.Email), Phone: p.Phone, Profession: string(p.Profession), RPPS: optional(p.RPPS),
		CreatedAt: instant(p.CreatedAt), UpdatedAt: instant(p.UpdatedAt)}
}

type personIn struct {
	Civility   *string `json:"civility"`
	FirstName  string  `json:"first_name"`
	LastName   string  `json:"last_name"`
	Email      *string `json:"email"`
	Phone      string  `json:"phone"`
	Profession string  `json:"profession"`
	RPPS       *string `json:"rpps"`
}

func (in personIn) apply(p *model.Person) {
	p.Civility, p.FirstName, p.LastName = model.Civility(value(in.Civility)), in.FirstName, in.LastName
	p.Email, p.Phone, p.Profession, p.RPPS = value(in.Email), in.Phone, model.Profession(in.Profession), value(in.RPPS)
}

// PersonList lists the people the token may see; filter q (name or e-mail).
func (h *Handler) PersonList(w http.ResponseWriter, r *http.Request) {
	limit, offset, ok := paging(w, r)
	if !ok {
		return
	}
	items, total, err := h.Store.People(r.Context(), storage.PersonFilter{
		Regions: policy.Regions(httpx.Principal(r), policy.ReadPeople), Query: r.URL.Query().Get("q"), Limit: limit, Offset: offset})
	if err != nil {
		h.fail(w, r, err)
		return
	}
	out := list[personJSON]{Items: []personJSON{}, Total: total, Limit: limit, Offset: offset}
	for _, p := range items {
		out.Items = append(out.Items, personOut(p))
	}
	httpx.WriteJSON(w, http.StatusOK, out)
}

// personInScope tells whether the caller may act on the person: everywhere, or through one
// of the person's structures in the caller's régions.
func (h *Handler) personInScope(r *http.Request, personID string, action policy.Action) (bool, error) {
	p := httpx.Principal(r)
	if policy.Regions(p, action) == nil {
		return true, nil
	}
	aff, err := h.Store.Affiliations(r.Context(), personID)
	if err != nil {
		return false, err
	}
	for _, a := range aff {
		if policy.InRegion(p, action, a.Structure.RegionCode) {
			return true, nil
		}
	}
	return false, nil
}

func (h *Handler) loadPerson(w http.ResponseWriter, r *http.Request, action policy.Action) (model.Person, bool) {
	person, err := h.Store.Person(r.Context(), r.PathValue("id"))
	if err != nil {
		h.fail(w, r, err)
		return person, false
	}
	ok, err := h.personInScope(r, person.ID, action)
	if err != nil {
		h.fail(w, r, err)
		return person, false
	}
	if !ok {
		notFound(w)
	}
	return person, ok
}

// PersonShow returns one person.
func (h *Handler) PersonShow(w http.ResponseWriter, r *http.Request) {
	if person, ok := h.loadPerson(w, r, policy.ReadPeople); ok {
		httpx.WriteJSON(w, http.StatusOK, personOut(person))
	}
}

// personCreateIn may also give the new person a role in a structure, in the same transaction.
type personCreateIn struct {
	personIn
	StructureID *string `json:"structure_id"`
	Role        *string `json:"role"`
}

// PersonCreate creates a person, with a role in a structure when structure_id and role are
// given. A caller scoped to régions must give them: they would lose sight of a person
// without a structure of their régions.
func (h *Handler) PersonCreate(w http.ResponseWriter, r *http.Request) {
	var in personCreateIn
	if !decode(w, r, &in) {
		return
	}
	var p model.Person
	in.apply(&p)
	errs := validator.Person(&p)
	var m *model.Membership
	scoped := policy.Regions(httpx.Principal(r), policy.WritePeople) != nil
	if in.StructureID != nil || in.Role != nil || scoped {
		m = &model.Membership{StructureID: value(in.StructureID), Role: model.MemberRole(value(in.Role)), PersonID: "new"}
		errs = append(errs, validator.Membership(m)...)
		_, code, err := h.memberStructure(r, m.StructureID)
		if err != nil {
			h.fail(w, r, err)
			return
		}
		if code != "" {
			errs.Add("structure_id", code, i18n.T("api.person_needs_structure"))
		}
	}
	if errs.Any() {
		invalid(w, errs)
		return
	}
	h.savePerson(w, r, p, m, http.StatusCreated)
}

// PersonUpdate replaces a person's fields.
func (h *Handler) PersonUpdate(w http.ResponseWriter, r *http.Request) {
	person, ok := h.loadPerson(w, r, policy.WritePeople)
	if !ok {
		return
	}
	var in personIn
	if !decode(w, r, &in) {
		return
	}
	in.apply(&person)
	if errs := validator.Person(&person); errs.Any() {
		invalid(w, errs)
		return
	}
	h.savePerson(w, r, person, nil, http.StatusOK)
}

// savePerson stores a validated person, and their first membership when m is not nil.
func (h *Handler) savePerson(w http.ResponseWriter, r *http.Request, p model.Person, m *model.Membership, status int) {
	err := h.Store.InTx(r.Context(), func(tx *storage.Store) error {
		action := "person.update"
		var err error
		if status == http.StatusCreated {
			action, err = "person.create", tx.CreatePerson(r.Context(), &p)
		} else {
			err = tx.UpdatePerson(r.Context(), &p)
		}
		if err != nil {
			return err
		}
		if m != nil {
			m.PersonID = p.ID
			if err := tx.CreateMembership(r.Context(), m); err != nil {
				return err
			}
		}
		return tx.Audit(r.Context(), storage.AuditEntry{AccountID: httpx.Principal(r).AccountID, Action: action,
			SubjectType: "person", SubjectID: p.ID, IP: httpx.ClientIP(r), Details: map[string]any{"via": "api"}})
	})
	if err != nil {
		var errs validator.Errors
		if errors.Is(err, storage.ErrReferenced) { // the structure was deleted meanwhile
			errs.Add("structure_id", "invalid", i18n.T("api.person_needs_structure"))
		}
		if errs.Any() || validator.Duplicate(err, &errs) {
			invalid(w, errs)
			return
		}
		h.fail(w, r, err)
		return
	}
	httpx.WriteJSON(w, status, personOut(p))
}
