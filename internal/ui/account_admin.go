package ui

import (
	"errors"
	"net/http"

	"parcours/internal/auth"
	"parcours/internal/httpx"
	"parcours/internal/i18n"
	"parcours/internal/model"
	"parcours/internal/storage"
	"parcours/internal/territory"
	"parcours/internal/validator"
)

// Roles an administrator grants from these pages; trainer and committee roles are given by
// the cohort and committee pages, which know their scope.
var grantableRoles = []model.Role{model.RoleAdmin, model.RoleManager, model.RoleRegionalViewer, model.RolePartner, model.RoleCandidate}

type accountRow struct {
	Account model.Account
	Grants  []model.Grant
}

// AccountList lists every account with its roles.
func (h *Handler) AccountList(w http.ResponseWriter, r *http.Request) {
	accounts, err := h.Store.Accounts(r.Context())
	if err != nil {
		h.serverError(w, r, err)
		return
	}
	var rows []accountRow
	for _, a := range accounts {
		g, err := h.Store.Grants(r.Context(), a.ID)
		if err != nil {
			h.serverError(w, r, err)
			return
		}
		rows = append(rows, accountRow{a, g})
	}
	pg := h.page(w, r, "account_list", i18n.T("account.list.title"), map[string]any{"Rows": rows})
	pg.Nav = "admin"
	h.render(w, r, http.StatusOK, pg)
}

// AccountNew shows the form that creates an account.
func (h *Handler) AccountNew(w http.ResponseWriter, r *http.Request) {
	h.accountForm(w, r, http.StatusOK, model.Account{}, nil)
}

func (h *Handler) accountForm(w http.ResponseWriter, r *http.Request, status int, a model.Account, errs validator.Errors) {
	pg := h.page(w, r, "account_form", i18n.T("account.new.title"), map[string]any{"Account": a})
	pg.Nav, pg.Errors = "admin", errs
	h.render(w, r, status, pg)
}

// AccountCreate creates an account and e-mails its owner a link to choose a password.
func (h *Handler) AccountCreate(w http.ResponseWriter, r *http.Request) {
	a := model.Account{Email: formValue(r, "email"), DisplayName: formValue(r, "display_name")}
	errs := validator.Account(&a)
	if !errs.Any() {
		err := h.Store.InTx(r.Context(), func(tx *storage.Store) error {
			if err := tx.CreateAccount(r.Context(), &a); err != nil {
				return err
			}
			if err := tx.Audit(r.Context(), storage.AuditEntry{AccountID: httpx.Principal(r).AccountID, Action: "account.create",
				SubjectType: "account", SubjectID: a.ID, IP: httpx.ClientIP(r)}); err != nil {
				return err
			}
			return h.sendPasswordLink(r, tx, a, "account_invite", auth.InviteLinkTTL)
		})
		if err == nil {
			redirect(w, r, "/admin/comptes/"+a.ID, "flash.account_created")
			return
		}
		if !validator.Duplicate(err, &errs) {
			h.fail(w, r, err)
			return
		}
	}
	h.accountForm(w, r, http.StatusUnprocessableEntity, a, errs)
}

// AccountShow shows an account's roles, with the forms that grant and revoke them.
func (h *Handler) AccountShow(w http.ResponseWriter, r *http.Request) {
	h.accountShow(w, r, http.StatusOK, nil)
}

func (h *Handler) accountShow(w http.ResponseWriter, r *http.Request, status int, errs validator.Errors) {
	a, err := h.Store.Account(r.Context(), r.PathValue("id"))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	grants, err := h.Store.Grants(r.Context(), a.ID)
	if err != nil {
		h.serverError(w, r, err)
		return
	}
	orgs, _, err := h.Store.Structures(r.Context(), storage.StructureFilter{Kinds: []model.StructureKind{model.KindTraining}})
	if err != nil {
		h.serverError(w, r, err)
		return
	}
	scopes := []option{{"", i18n.T("account.grant.no_scope")}}
	for _, reg := range territory.Regions() {
		scopes = append(scopes, option{reg.Code, i18n.T("account.grant.scope_region", reg.Name)})
	}
	for _, o := range orgs {
		scopes = append(scopes, option{o.ID, i18n.T("account.grant.scope_org", o.Name)})
	}
	names := map[string]string{}
	for _, o := range orgs {
		names[o.ID] = o.Name
	}
	data := map[string]any{"Account": a, "Grants": grants, "Roles": options("role", grantableRoles, "form.choose"),
		"Scopes": scopes, "OrgNames": names, "Role": formValue(r, "role"), "Scope": formValue(r, "scope")}
	pg := h.page(w, r, "account_show", a.DisplayName, data)
	pg.Nav, pg.Errors = "admin", errs
	h.render(w, r, status, pg)
}

// AccountGrant gives the account a role; the scope must fit the role.
func (h *Handler) AccountGrant(w http.ResponseWriter, r *http.Request) {
	if _, err := h.Store.Account(r.Context(), r.PathValue("id")); err != nil {
		h.fail(w, r, err)
		return
	}
	g := model.Grant{AccountID: r.PathValue("id"), Role: model.Role(formValue(r, "role")), Scope: formValue(r, "scope")}
	errs := validator.Grant(&g, func(id string) (model.Structure, error) { return h.Store.Structure(r.Context(), id) })
	if !errs.Any() {
		err := h.Store.InTx(r.Context(), func(tx *storage.Store) error {
			if err := tx.Grant(r.Context(), &g); err != nil {
				return err
			}
			return tx.Audit(r.Context(), storage.AuditEntry{AccountID: httpx.Principal(r).AccountID, Action: "grant.add",
				SubjectType: "account", SubjectID: g.AccountID, IP: httpx.ClientIP(r),
				Details: map[string]any{"role": string(g.Role), "scope": g.Scope}})
		})
		switch {
		case err == nil:
			redirect(w, r, "/admin/comptes/"+g.AccountID, "flash.grant_added")
			return
		case errors.Is(err, storage.ErrAlreadyExists):
			errs.Add("role", "taken", i18n.T("validation.taken.grant"))
		default:
			h.fail(w, r, err)
			return
		}
	}
	h.accountShow(w, r, http.StatusUnprocessableEntity, errs)
}

// AccountRevoke removes one of the account's roles.
func (h *Handler) AccountRevoke(w http.ResponseWriter, r *http.Request) {
	accountID, role, scope := r.PathValue("id"), model.Role(formValue(r, "role")), formValue(r, "scope")
	p := httpx.Principal(r)
	if accountID == p.AccountID && role == model.RoleAdmin {
		// An administrator cannot lock the platform out by removing their own last admin role.
		setFlash(w, "flash.cannot_revoke_self")
		http.Redirect(w, r, "/admin/comptes/"+accountID, http.StatusSeeOther)
		return
	}
	err := h.Store.InTx(r.Context(), func(tx *storage.Store) error {
		if err := tx.Revoke(r.Context(), accountID, role, scope); err != nil {
			return err
		}
		return tx.Audit(r.Context(), storage.AuditEntry{AccountID: p.AccountID, Action: "grant.revoke",
			SubjectType: "account", SubjectID: accountID, IP: httpx.ClientIP(r),
			Details: map[string]any{"role": string(role), "scope": scope}})
	})
	if err != nil {
		h.fail(w, r, err)
		return
	}
	redirect(w, r, "/admin/comptes/"+accountID, "flash.grant_revoked")
}
