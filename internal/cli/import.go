package cli

import (
	"errors"
	"fmt"
	"os"

	"parcours/internal/csvimport"
	"parcours/internal/storage"
)

const importHelp = `Import structures (CPTS, MSP, centres de santé…) from a CSV file: UTF-8 or Windows-1252,
";" or "," separated; the columns are described in docs/IMPORT.md. Every bad row is reported
with its line and column, and nothing is written unless the whole file is valid. Importing
the same file again changes nothing.`

func cmdImport(e *env, args []string) error {
	if len(args) == 0 || args[0] != "structures" {
		fmt.Fprintln(e.stderr, "Usage: parcours import structures FILE.csv [-dry-run]\n\n"+importHelp)
		if len(args) > 0 && (args[0] == "-h" || args[0] == "--help") {
			return nil
		}
		return errUsage
	}
	fs := flags(e, "import structures", "FILE.csv [-dry-run]", importHelp)
	dryRun := fs.Bool("dry-run", false, "only check the file: report what would change, write nothing")
	file, rest := firstArg(args[1:])
	if err := parse(fs, rest); err != nil {
		return err
	}
	if file == "" {
		if file = fs.Arg(0); file == "" {
			fs.Usage()
			return errUsage
		}
	}
	st, err := os.Stat(file)
	if err != nil {
		return fmt.Errorf("cannot read %s", file)
	}
	if st.Size() > csvimport.MaxBytes {
		return fmt.Errorf("%s is larger than %d MB", file, csvimport.MaxBytes>>20)
	}
	data, err := os.ReadFile(file)
	if err != nil {
		return err
	}
	res := csvimport.Parse(data)
	for _, w := range res.Warnings {
		fmt.Fprintln(e.stderr, "warning: "+w.String())
	}
	if !res.OK() {
		for _, re := range res.Errors {
			fmt.Fprintln(e.stderr, re.String())
		}
		return fmt.Errorf("%s has %d error(s); nothing was written", file, len(res.Errors))
	}
	return withStore(e, func(s *storage.Store) error {
		report, err := csvimport.Apply(e.ctx, s, res, csvimport.Options{DryRun: *dryRun,
			Progress: func(done, total int) {
				if total >= 1000 {
					fmt.Fprintf(e.stderr, "\r%d / %d", done, total)
					if done == total {
						fmt.Fprintln(e.stderr)
					}
				}
			}})
		if errors.Is(err, csvimport.ErrRefused) {
			for _, re := range report.Errors {
				fmt.Fprintln(e.stderr, re.String())
			}
			return fmt.Errorf("%s has %d error(s) against the database; nothing was written", file, len(report.Errors))
		}
		if err != nil {
			return err
		}
		verb := "imported"
		if *dryRun {
			verb = "checked (dry run, nothing written)"
		}
		fmt.Fprintf(e.stdout, "%s %s: %d rows (%s, separator %q): %d created, %d updated, %d unchanged\n",
			file, verb, len(res.Rows), res.Encoding, res.Separator, report.Created, report.Updated, report.Unchanged)
		return nil
	})
}
