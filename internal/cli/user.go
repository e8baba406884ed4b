package cli

import (
	"bufio"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"

	"parcours/internal/auth"
	"parcours/internal/model"
	"parcours/internal/storage"
	"parcours/internal/validator"
)

const userHelp = `Manage accounts.

  parcours user create EMAIL -name "Prénom Nom" [-password-stdin]
      create an account; without -password-stdin a random password is printed once
  parcours user set-password EMAIL [-password-stdin]
      set a new password (ends the account's sessions)
  parcours user grant EMAIL ROLE [SCOPE]
      give a role: admin, candidate (no scope); regional_viewer, partner (SCOPE = région code,
      e.g. 52); manager (SCOPE = id of a training organisation's structure)`

func cmdUser(e *env, args []string) error {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" {
		fmt.Fprintln(e.stderr, "Usage: parcours user create|set-password|grant …\n\n"+userHelp)
		if len(args) == 0 {
			return errUsage
		}
		return nil
	}
	switch args[0] {
	case "create":
		return userCreate(e, args[1:])
	case "set-password":
		return userSetPassword(e, args[1:])
	case "grant":
		return userGrant(e, args[1:])
	}
	fmt.Fprintf(e.stderr, "parcours user: unknown subcommand %q (create, set-password or grant)\n", args[0])
	return errUsage
}

// password reads a password from stdin, or makes a random one to print.
func password(e *env, fromStdin bool) (pw string, generated bool, err error) {
	if !fromStdin {
		b := make([]byte, 15)
		rand.Read(b)
		return base64.RawURLEncoding.EncodeToString(b), true, nil
	}
	line, err := bufio.NewReader(e.stdin).ReadString('\n')
	if err != nil && line == "" {
		return "", false, errors.New("no password on standard input")
	}
	pw = strings.TrimRight(line, "\r\n")
	if auth.CheckPasswordRules(pw) != nil {
		return "", false, fmt.Errorf("the password must have between %d and %d characters", auth.MinPasswordLength, auth.MaxPasswordLength)
	}
	return pw, false, nil
}

// withStore runs fn on the configured, migrated database.
func withStore(e *env, fn func(s *storage.Store) error) error {
	cfg, err := e.config()
	if err != nil {
		return err
	}
	s, err := e.open(cfg)
	if err != nil {
		return err
	}
	defer s.Close()
	if err := s.CheckSchema(e.ctx); err != nil {
		return err
	}
	return fn(s)
}

// firstError is the validator's first complaint as one line.
func firstError(errs validator.Errors) error {
	return fmt.Errorf("%s: %s", errs[0].Field, errs[0].Message)
}

func userCreate(e *env, args []string) error {
	fs := flags(e, "user create", "EMAIL -name NAME [-password-stdin]", userHelp)
	name := fs.String("name", "", "display name (required)")
	stdin := fs.Bool("password-stdin", false, "read the password from standard input")
	email, rest := firstArg(args)
	if err := parse(fs, rest); err != nil {
		return err
	}
	a := model.Account{Email: email, DisplayName: *name}
	if errs := validator.Account(&a); errs.Any() {
		return firstError(errs)
	}
	pw, generated, err := password(e, *stdin)
	if err != nil {
		return err
	}
	if a.PasswordHash, err = auth.HashPassword(pw); err != nil {
		return err
	}
	return withStore(e, func(s *storage.Store) error {
		err := s.InTx(e.ctx, func(tx *storage.Store) error {
			if err := tx.CreateAccount(e.ctx, &a); err != nil {
				return err
			}
			return tx.Audit(e.ctx, storage.AuditEntry{Action: "account.create", SubjectType: "account", SubjectID: a.ID,
				Details: map[string]any{"via": "cli"}})
		})
		if errors.Is(err, storage.ErrAlreadyExists) {
			return fmt.Errorf("an account with the e-mail %s already exists", a.Email)
		}
		if err != nil {
			return err
		}
		fmt.Fprintf(e.stdout, "created account %s (%s)\n", a.Email, a.ID)
		if generated {
			fmt.Fprintf(e.stdout, "password: %s\n", pw)
		}
		return nil
	})
}

func userSetPassword(e *env, args []string) error {
	fs := flags(e, "user set-password", "EMAIL [-password-stdin]", userHelp)
	stdin := fs.Bool("password-stdin", false, "read the password from standard input")
	email, rest := firstArg(args)
	if err := parse(fs, rest); err != nil {
		return err
	}
	if email == "" {
		fs.Usage()
		return errUsage
	}
	pw, generated, err := password(e, *stdin)
	if err != nil {
		return err
	}
	hash, err := auth.HashPassword(pw)
	if err != nil {
		return err
	}
	return withStore(e, func(s *storage.Store) error {
		a, err := s.AccountByEmail(e.ctx, email)
		if errors.Is(err, storage.ErrNotFound) {
			return fmt.Errorf("no account with the e-mail %s", email)
		}
		if err != nil {
			return err
		}
		err = s.InTx(e.ctx, func(tx *storage.Store) error {
			if err := tx.SetPasswordHash(e.ctx, a.ID, hash); err != nil {
				return err
			}
			return tx.Audit(e.ctx, storage.AuditEntry{Action: "account.password", SubjectType: "account", SubjectID: a.ID,
				Details: map[string]any{"via": "cli"}})
		})
		if err != nil {
			return err
		}
		fmt.Fprintf(e.stdout, "password of %s changed; its sessions are closed\n", a.Email)
		if generated {
			fmt.Fprintf(e.stdout, "password: %s\n", pw)
		}
		return nil
	})
}

func userGrant(e *env, args []string) error {
	fs := flags(e, "user grant", "EMAIL ROLE [SCOPE]", userHelp)
	if err := parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() < 2 || fs.NArg() > 3 {
		fs.Usage()
		return errUsage
	}
	return withStore(e, func(s *storage.Store) error {
		a, err := s.AccountByEmail(e.ctx, fs.Arg(0))
		if errors.Is(err, storage.ErrNotFound) {
			return fmt.Errorf("no account with the e-mail %s", fs.Arg(0))
		}
		if err != nil {
			return err
		}
		g := model.Grant{AccountID: a.ID, Role: model.Role(fs.Arg(1)), Scope: fs.Arg(2)}
		if errs := validator.Grant(&g, func(id string) (model.Structure, error) { return s.Structure(e.ctx, id) }); errs.Any() {
			return firstError(errs)
		}
		err = s.InTx(e.ctx, func(tx *storage.Store) error {
			if err := tx.Grant(e.ctx, &g); err != nil {
				return err
			}
			return tx.Audit(e.ctx, storage.AuditEntry{Action: "grant.add", SubjectType: "account", SubjectID: a.ID,
				Details: map[string]any{"role": string(g.Role), "scope": g.Scope, "via": "cli"}})
		})
		if errors.Is(err, storage.ErrAlreadyExists) {
			return fmt.Errorf("%s already has the role %s%s", a.Email, g.Role, scopeSuffix(g.Scope))
		}
		if err != nil {
			return err
		}
		fmt.Fprintf(e.stdout, "%s now has the role %s%s\n", a.Email, g.Role, scopeSuffix(g.Scope))
		return nil
	})
}

func scopeSuffix(scope string) string {
	if scope == "" {
		return ""
	}
	return " in " + scope
}

// firstArg splits "EMAIL -flags…" so that flags may follow the e-mail.
func firstArg(args []string) (string, []string) {
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		return args[0], args[1:]
	}
	return "", args
}
