package api

import (
	"net/http"

	"parcours/internal/directory"
	"parcours/internal/httpx"
	"parcours/internal/model"
	"parcours/internal/policy"
	"parcours/internal/storage"
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

// loadPerson answers 404 for a person that does not exist or that the caller may not act on.
func (h *Handler) loadPerson(w http.ResponseWriter, r *http.Request, action policy.Action) (model.Person, bool) {
	person, _, err := directory.Person(r.Context(), h.Store, httpx.Principal(r), action, r.PathValue("id"))
	if err != nil {
		h.fail(w, r, err)
		return person, false
	}
	return person, true
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
	var first *model.Membership
	if in.StructureID != nil || in.Role != nil {
		first = &model.Membership{StructureID: value(in.StructureID), Role: model.MemberRole(value(in.Role))}
	}
	h.savePerson(w, r, p, first, http.StatusCreated)
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
	h.savePerson(w, r, person, nil, http.StatusOK)
}

func (h *Handler) savePerson(w http.ResponseWriter, r *http.Request, p model.Person, first *model.Membership, status int) {
	errs, err := directory.SavePerson(r.Context(), h.Store, actor(r), &p, first)
	h.respond(w, r, errs, err, status, personOut(p))
}
