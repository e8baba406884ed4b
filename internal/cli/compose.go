package cli

import (
	"bytes"
	"encoding/csv"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"

	"parcours/internal/compose"
)

const composeHelp = `Compose a cohort from a CSV file of scored applications, by the rule of the web composition:
each organisation ranks its applications (seats held, then offers out, then the others by
score), tier = ceil(organisation rank / P); seats held and offers out count first, then the
free seats go to the others in (tier, score desc, submission, id) order and the rest wait.

Input: UTF-8 or Windows-1252, "," or ";" separated, decimal point or comma, with the header
  application_id,organisation_id,score,submitted_at,status
score from 0 to 100 with at most two decimals; submitted_at in RFC 3339
(2026-03-02T09:30:00+01:00); status active, offered (an offer is out, unanswered), accepted,
declined or withdrawn. An empty organisation_id makes the application an organisation of its
own. Other columns are ignored.

Output: UTF-8, "," separated, in composition order, with the header
  application_id,organisation_id,score,organisation_rank,tier,decision,position,reason

A bad row stops the command with exit status 2 and a message naming its line and column;
nothing is written then.`

// composeColumns are the input's columns, in the order of the documented header.
var composeColumns = []string{"application_id", "organisation_id", "score", "submitted_at", "status"}

func cmdCompose(e *env, args []string) error {
	fs := flags(e, "compose", "--capacity N [--per-org P] [--max-per-org M] [--min-score S] [--in FILE] [--out FILE]", composeHelp)
	capacity := fs.Int("capacity", 0, "seats in the cohort (required)")
	perOrg := fs.Int("per-org", 1, "per-organisation cap P: tier = ceil(organisation rank / P)")
	maxPerOrg := fs.Int("max-per-org", 0, "hard maximum of applications retained per organisation (0: none)")
	minScore := fs.String("min-score", "", "minimum score, 0 to 100 (none when omitted)")
	in := fs.String("in", "", "CSV file to read (default: standard input)")
	out := fs.String("out", "", "CSV file to write (default: standard output)")
	if err := parse(fs, args); err != nil {
		return err
	}
	set := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
	p := compose.Params{Capacity: *capacity, PerOrg: *perOrg, MaxPerOrg: *maxPerOrg}
	switch {
	case fs.NArg() > 0:
		return composeUsage(e, "unexpected argument %q (the input is given with --in FILE)", fs.Arg(0))
	case !set["capacity"]:
		return composeUsage(e, "--capacity N is required")
	case p.Capacity < 0:
		return composeUsage(e, "--capacity %d: the number of seats cannot be negative", p.Capacity)
	case p.PerOrg < 1:
		return composeUsage(e, "--per-org %d: the per-organisation cap is at least 1", p.PerOrg)
	case p.MaxPerOrg < 0:
		return composeUsage(e, "--max-per-org %d: the maximum cannot be negative (0 means none)", p.MaxPerOrg)
	}
	if set["min-score"] {
		score, problem := parseScore(*minScore)
		if problem != "" {
			return composeUsage(e, "--min-score %s", problem)
		}
		p.MinScore, p.HasMinScore = score, true
	}

	var data []byte
	var err error
	if *in == "" {
		data, err = io.ReadAll(e.stdin)
	} else {
		data, err = os.ReadFile(*in)
	}
	if err != nil {
		if *in == "" {
			return fmt.Errorf("cannot read standard input: %w", err)
		}
		return fmt.Errorf("cannot read %s", *in)
	}
	apps, err := readApplications(data)
	if err != nil {
		return composeUsage(e, "%s", err)
	}
	results, err := compose.Compose(p, apps)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	writeComposition(&buf, results)
	if *out == "" {
		_, err = e.stdout.Write(buf.Bytes())
		return err
	}
	return os.WriteFile(*out, buf.Bytes(), 0o666)
}

// composeUsage reports a wrong command line or input on one line; it exits with status 2.
func composeUsage(e *env, format string, args ...any) error {
	fmt.Fprintf(e.stderr, "parcours compose: "+format+"\n", args...)
	return errUsage
}

// inputError is a bad input, named by its line and column.
type inputError struct {
	line   int
	column string
	reason string
}

func (e *inputError) Error() string {
	switch {
	case e.line == 0:
		return e.reason
	case e.column == "":
		return fmt.Sprintf("line %d: %s", e.line, e.reason)
	}
	return fmt.Sprintf("line %d, column %s: %s", e.line, e.column, e.reason)
}

// readApplications reads the input CSV; it stops at the first bad row.
func readApplications(data []byte) ([]compose.Applicant, error) {
	text := decodeCSV(data)
	if strings.TrimSpace(text) == "" {
		return nil, &inputError{reason: "the input is empty; it needs the header " + strings.Join(composeColumns, ",")}
	}
	r := csv.NewReader(strings.NewReader(text))
	r.Comma = csvSeparator(text)
	r.ReuseRecord = true
	header, err := r.Read()
	if err != nil {
		return nil, csvError(err, r.Comma)
	}
	index := map[string]int{}
	for i, h := range header {
		h = strings.ToLower(strings.TrimSpace(h))
		if !slices.Contains(composeColumns, h) {
			continue // spreadsheets carry names and comments beside the columns read here
		}
		if _, twice := index[h]; twice {
			return nil, &inputError{line: 1, column: h, reason: "the column appears twice in the header"}
		}
		index[h] = i
	}
	for _, c := range composeColumns {
		if _, ok := index[c]; !ok {
			return nil, &inputError{line: 1, reason: fmt.Sprintf("the header has no column %s (it needs %s)",
				c, strings.Join(composeColumns, ","))}
		}
	}

	var apps []compose.Applicant
	firstLine := map[string]int{} // application id → line where it appears
	for {
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, csvError(err, r.Comma)
		}
		if blankRecord(rec) {
			continue // spreadsheets write rows of empty cells below a table
		}
		cell := func(c string) (string, int) {
			line, _ := r.FieldPos(index[c])
			return strings.TrimSpace(rec[index[c]]), line
		}
		fail := func(c, reason string, args ...any) error {
			_, line := cell(c)
			return &inputError{line: line, column: c, reason: fmt.Sprintf(reason, args...)}
		}
		var a compose.Applicant
		var line int
		if a.ID, line = cell("application_id"); a.ID == "" {
			return nil, fail("application_id", "empty; every row needs an application identifier")
		}
		if first, twice := firstLine[a.ID]; twice {
			return nil, fail("application_id", "%q is already on line %d", a.ID, first)
		}
		firstLine[a.ID] = line
		a.Organisation, _ = cell("organisation_id")
		v, _ := cell("score")
		score, problem := parseScore(v)
		if problem != "" {
			return nil, fail("score", "%s", problem)
		}
		a.Score = score
		v, _ = cell("submitted_at")
		if a.SubmittedAt, err = time.Parse(time.RFC3339Nano, v); err != nil {
			return nil, fail("submitted_at", "%q is not a date and time in RFC 3339 form, like 2026-03-02T09:30:00+01:00", v)
		}
		v, _ = cell("status")
		a.Status = compose.Status(strings.ToLower(v))
		if !slices.Contains(compose.Statuses, a.Status) {
			return nil, fail("status", "%q is not one of active, offered, accepted, declined, withdrawn", v)
		}
		apps = append(apps, a)
	}
	return apps, nil
}

// parseScore reads a score from 0 to 100 with at most two decimals, after a point or a comma,
// into hundredths; problem says what is wrong with it.
func parseScore(v string) (hundredths int, problem string) {
	whole, frac, decimal := strings.Cut(v, ".")
	if !decimal {
		whole, frac, decimal = strings.Cut(v, ",")
	}
	if whole == "" || !digits(whole) || decimal && (frac == "" || len(frac) > 2 || !digits(frac)) {
		return 0, fmt.Sprintf("%q is not a score with at most two decimals", v)
	}
	frac += "00"[len(frac):]
	w, err := strconv.Atoi(whole) // fails only beyond 2⁶³
	f, _ := strconv.Atoi(frac)
	if err != nil || w > compose.MaxScore/100 || w*100+f > compose.MaxScore {
		return 0, fmt.Sprintf("%q is not a score from 0 to 100", v)
	}
	return w*100 + f, ""
}

func digits(s string) bool {
	for _, c := range s {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

// writeComposition writes the results as CSV, scores with two decimals and a point, empty cells
// for the ranks, tiers and positions that do not apply.
func writeComposition(w io.Writer, results []compose.Result) {
	cw := csv.NewWriter(w)
	cw.Write([]string{"application_id", "organisation_id", "score", "organisation_rank", "tier", "decision", "position", "reason"})
	count := func(n int) string {
		if n == 0 {
			return ""
		}
		return strconv.Itoa(n)
	}
	for _, r := range results {
		cw.Write([]string{r.ID, r.Organisation, fmt.Sprintf("%d.%02d", r.Score/100, r.Score%100),
			count(r.OrgRank), count(r.Tier), string(r.Decision), count(r.Position), string(r.Reason)})
	}
	cw.Flush() // writing to memory cannot fail
}

// decodeCSV reads UTF-8 (with or without BOM), or else Windows-1252, French Excel's default;
// the same detection as the structures import.
func decodeCSV(data []byte) string {
	data = bytes.TrimPrefix(data, []byte("\xEF\xBB\xBF"))
	if utf8.Valid(data) {
		return string(data)
	}
	out, err := charmap.Windows1252.NewDecoder().Bytes(data)
	if err != nil { // cannot happen: every byte has a meaning in Windows-1252
		return string(data)
	}
	return string(out)
}

// csvSeparator counts semicolons and commas outside quotes on the header line: French Excel
// writes ';', most other tools ','.
func csvSeparator(text string) rune {
	semicolons, commas, quoted := 0, 0, false
scan:
	for _, c := range text {
		switch {
		case c == '"':
			quoted = !quoted
		case quoted:
		case c == '\n':
			break scan
		case c == ';':
			semicolons++
		case c == ',':
			commas++
		}
	}
	if commas > semicolons {
		return ','
	}
	return ';'
}

// csvError names the line the CSV reader could not split.
func csvError(err error, sep rune) error {
	var pe *csv.ParseError
	if !errors.As(err, &pe) {
		return &inputError{reason: "the input cannot be read as CSV"}
	}
	switch {
	case errors.Is(pe.Err, csv.ErrFieldCount):
		return &inputError{line: pe.StartLine, reason: fmt.Sprintf("not as many cells as the header (separator %q)", sep)}
	case errors.Is(pe.Err, csv.ErrQuote) && pe.Line != pe.StartLine:
		return &inputError{line: pe.StartLine, reason: "a quote opened on this line is never closed"}
	}
	return &inputError{line: pe.Line, reason: "a quote is misplaced (write \"\" for a quote inside a quoted cell)"}
}

func blankRecord(rec []string) bool {
	for _, v := range rec {
		if strings.TrimSpace(v) != "" {
			return false
		}
	}
	return true
}
