// Package cli is the parcours command: it reads the configuration, opens the database and
// runs one subcommand. Each subcommand is a function with its own flag set and help.
package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"runtime/debug"
	"strings"

	"parcours/internal/clock"
	"parcours/internal/config"
	"parcours/internal/storage"
)

// Version is set at build time with -ldflags "-X parcours/internal/cli.Version=…".
var Version = ""

// env is what a command runs with; tests give their own.
type env struct {
	ctx    context.Context
	stdin  io.Reader
	stdout io.Writer
	stderr io.Writer
	getenv func(string) string
}

type command struct {
	name    string
	summary string
	run     func(e *env, args []string) error
}

var commands = []command{
	{"serve", "start the web server on the configured database", cmdServe},
	{"demo", "create a fresh demo database in its own file and start the server on it", cmdDemo},
	{"migrate", "bring the database schema up to date", cmdMigrate},
	{"user", "create accounts, set passwords, grant roles (parcours user -h)", cmdUser},
	{"import", "import structures from a CSV file (parcours import -h)", cmdImport},
	{"compose", "compose a cohort from a CSV file of scored applications (parcours compose -h)", cmdCompose},
	{"version", "print the version", cmdVersion},
}

// errUsage means the command line was wrong; its message has already been printed.
var errUsage = errors.New("usage")

// Main runs the command line and returns the process exit code: 0, 1 when the command
// failed (one line on stderr says why), 2 for a wrong command line.
func Main(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer, getenv func(string) string) int {
	e := &env{ctx: ctx, stdin: stdin, stdout: stdout, stderr: stderr, getenv: getenv}
	if len(args) == 0 || args[0] == "help" || args[0] == "-h" || args[0] == "--help" {
		if len(args) > 1 {
			args = []string{args[1], "-h"}
		} else {
			usage(stdout)
			return 0
		}
	}
	for _, c := range commands {
		if c.name == args[0] {
			err := c.run(e, args[1:])
			switch {
			case err == nil, errors.Is(err, flag.ErrHelp):
				return 0
			case errors.Is(err, errUsage):
				return 2
			}
			fmt.Fprintf(stderr, "parcours %s: %s\n", c.name, strings.ReplaceAll(err.Error(), "\n", " "))
			return 1
		}
	}
	fmt.Fprintf(stderr, "parcours: unknown command %q (run parcours help)\n", args[0])
	return 2
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "Parcours runs the training pathways of the leaders of coordinated-care structures.")
	fmt.Fprintln(w, "\nUsage: parcours COMMAND [options]\n\nCommands:")
	for _, c := range commands {
		fmt.Fprintf(w, "  %-8s %s\n", c.name, c.summary)
	}
	fmt.Fprintln(w, "\nRun parcours COMMAND -h for a command's options. Settings come from environment variables:")
	for _, o := range config.Options {
		fmt.Fprintf(w, "  %-28s %s\n", o.Name, o.Help)
	}
}

// flags makes a command's flag set; -h prints its usage and stops the command.
func flags(e *env, name, args, help string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	fs.Usage = func() {
		fmt.Fprintf(e.stderr, "Usage: parcours %s %s\n\n%s\n", name, args, help)
		var opts bool
		fs.VisitAll(func(*flag.Flag) { opts = true })
		if opts {
			fmt.Fprintln(e.stderr, "\nOptions:")
			fs.PrintDefaults()
		}
	}
	return fs
}

// parse parses a flag set; a bad flag is errUsage (the flag package printed why).
func parse(fs *flag.FlagSet, args []string) error {
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		return errUsage
	}
	return nil
}

func (e *env) config() (*config.Config, error) { return config.Load(e.getenv) }

func (e *env) logger(cfg *config.Config) *slog.Logger {
	level := map[string]slog.Level{"debug": slog.LevelDebug, "info": slog.LevelInfo, "warn": slog.LevelWarn, "error": slog.LevelError}[cfg.LogLevel]
	opts := &slog.HandlerOptions{Level: level}
	if cfg.LogFormat == "json" {
		return slog.New(slog.NewJSONHandler(e.stderr, opts))
	}
	return slog.New(slog.NewTextHandler(e.stderr, opts))
}

// open connects to the configured database.
func (e *env) open(cfg *config.Config) (*storage.Store, error) {
	return storage.Open(e.ctx, cfg.DatabaseURL, clock.System{})
}

func cmdVersion(e *env, args []string) error {
	fs := flags(e, "version", "", "Print the version of this binary and the database schema it expects.")
	if err := parse(fs, args); err != nil {
		return err
	}
	v := Version
	if v == "" {
		v = "dev"
		if info, ok := debug.ReadBuildInfo(); ok {
			for _, s := range info.Settings {
				if s.Key == "vcs.revision" && len(s.Value) >= 12 {
					v = "dev-" + s.Value[:12]
				}
			}
		}
	}
	fmt.Fprintf(e.stdout, "parcours %s (schema %d)\n", v, storage.LatestVersion())
	return nil
}

func cmdMigrate(e *env, args []string) error {
	fs := flags(e, "migrate", "", "Apply the database migrations this binary holds (PARCOURS_DATABASE_URL).")
	if err := parse(fs, args); err != nil {
		return err
	}
	cfg, err := e.config()
	if err != nil {
		return err
	}
	s, err := e.open(cfg)
	if err != nil {
		return err
	}
	defer s.Close()
	applied, err := s.Migrate(e.ctx)
	if err != nil {
		return err
	}
	if len(applied) == 0 {
		fmt.Fprintf(e.stdout, "schema already at version %d\n", storage.LatestVersion())
	} else {
		fmt.Fprintf(e.stdout, "applied migrations %v; schema at version %d\n", applied, storage.LatestVersion())
	}
	return nil
}
