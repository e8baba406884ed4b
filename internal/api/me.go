package api

import (
	"net/http"

	"parcours/internal/httpx"
)

type grantJSON struct {
	Role  string  `json:"role"`
	Scope *string `json:"scope"` // null for roles that hold everywhere
}

type meJSON struct {
	ID          string      `json:"id"`
	Email       string      `json:"email"`
	DisplayName string      `json:"display_name"`
	Roles       []grantJSON `json:"roles"`
}

// Me describes the token's account and roles.
func (h *Handler) Me(w http.ResponseWriter, r *http.Request) {
	p := httpx.Principal(r)
	out := meJSON{ID: p.AccountID, Email: p.Email, DisplayName: p.DisplayName, Roles: []grantJSON{}}
	for _, g := range p.Grants {
		out.Roles = append(out.Roles, grantJSON{Role: string(g.Role), Scope: optional(g.Scope)})
	}
	httpx.WriteJSON(w, http.StatusOK, out)
}
