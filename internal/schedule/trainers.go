package schedule

import (
	"context"
	"errors"

	"parcours/internal/auth"
	"parcours/internal/directory"
	"parcours/internal/i18n"
	"parcours/internal/mail"
	"parcours/internal/model"
	"parcours/internal/storage"
	"parcours/internal/validator"
)

// AddTrainer makes a person a trainer of the cohort: their account (made, with an e-mailed
// link to choose a password, when they have none) and the trainer role scoped to the
// cohort, which opens its half-days to them. They are told by e-mail.
func AddTrainer(ctx context.Context, s *storage.Store, actor directory.Actor, m mail.Site, c *Cohort, email, name string) (validator.Errors, error) {
	acc := model.Account{Email: email, DisplayName: name}
	if errs := validator.Account(&acc); errs.Any() {
		return errs, nil
	}
	var errs validator.Errors
	err := s.InTx(ctx, func(tx *storage.Store) error {
		acc, invite, err := auth.EnsureAccount(ctx, tx, acc, m.BaseURL)
		if err != nil {
			return err
		}
		if err := tx.Grant(ctx, &model.Grant{AccountID: acc.ID, Role: model.RoleTrainer, Scope: c.Cohort.ID}); err != nil {
			return err
		}
		if err := actor.Audit(ctx, tx, "cohort.trainer_add", "cohort", c.Cohort.ID, map[string]any{"account": acc.ID}); err != nil {
			return err
		}
		data := map[string]any{"Brand": m.Brand, "Name": acc.DisplayName, "Programme": c.Programme.Title,
			"Cohort": c.Cohort.Label, "Link": m.BaseURL + "/formateur", "Invite": invite}
		return mail.Queue(ctx, tx, acc.Email, "trainer_invitation", data, "")
	})
	if errors.Is(err, storage.ErrAlreadyExists) {
		errs.Add("email", "taken", i18n.T("schedule.already_trainer"))
		return errs, nil
	}
	return nil, err
}

// RemoveTrainer ends a trainer's role in the cohort and takes them off the days not yet
// countersigned; the sheets they countersigned keep their name.
func RemoveTrainer(ctx context.Context, s *storage.Store, actor directory.Actor, c *Cohort, accountID string) error {
	if !c.IsTrainer(accountID) {
		return storage.ErrNotFound
	}
	return s.InTx(ctx, func(tx *storage.Store) error {
		if err := tx.Revoke(ctx, accountID, model.RoleTrainer, c.Cohort.ID); err != nil {
			return err
		}
		if err := tx.UnassignTrainer(ctx, c.Cohort.ID, accountID); err != nil {
			return err
		}
		return actor.Audit(ctx, tx, "cohort.trainer_remove", "cohort", c.Cohort.ID, map[string]any{"account": accountID})
	})
}
